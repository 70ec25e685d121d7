#!/usr/bin/env bash
# Ingest and queue-listing load runs against a release build of modq, using
# the shared bench driver (../shared/bench/run.py, which needs wrk).
#
#   benches/load.sh ingest   sqlite|postgres [REPS]  POST the 20,000-comment corpus at c=1,16,64
#                                                   to a site with the starter rules (the default)
#   benches/load.sh ingest-norules sqlite|postgres [REPS]   the same to a site without rules
#   benches/load.sh ingest-noclassifier sqlite|postgres [REPS]   starter rules, classifier off
#                                                   (MODQ_BENCH_CONCURRENCY="64" runs one level only)
#                                                   (MODQ_BENCH_BIN=path runs that binary instead of
#                                                   building this checkout: to compare two builds)
#   benches/load.sh ingest-edits sqlite|postgres [REPS]  per concurrency (c=1,16,64): POST the corpus,
#                                                   then edit every comment that can be edited
#                                                   (PUT /api/v1/comments/{id}, another comment's text;
#                                                   benches/edit_bench.py), both timed the same way
#   benches/load.sh reported sqlite|postgres [ROWS]  GET the Reported tab (50 a page) with ROWS comments
#                                                   stored, 1% of them reported
#   benches/load.sh queue    sqlite|postgres [ROWS]  GET a queue page of 50 with ROWS comments stored
#   benches/load.sh queue-page sqlite|postgres [ROWS] GET the moderator UI's queue page (50 cards,
#                                                   logged in as the admin) with ROWS comments stored
#   benches/load.sh backtest sqlite|postgres [ROWS]  backtest a draft rule over ROWS stored comments
#   benches/load.sh train sqlite [ROWS]             `modq classifier train` on ROWS stored decisions
#   benches/load.sh export sqlite|postgres [ROWS]   `modq export comments`, csv and jsonl,
#                                                   with ROWS comments stored: time and peak memory
#   benches/load.sh insights sqlite|postgres [ROWS]  seed a year of ROWS comments with their audit
#                                                   entries (benches/seed_insights.py), count them
#                                                   (`modq insights count`), then time the figures
#                                                   (GET /api/v1/insights) and the dashboard page
#   benches/load.sh import   sqlite|postgres [ROWS]  `modq import wordpress` and `modq import disqus`
#                                                   of generated ROWS-comment exports (benches/gen_import.py),
#                                                   then the same file again: time, comments/s, peak memory
#
# Every run gets a fresh database. Results go to bench-results/*.jsonl and
# the table is printed by `run.py report`.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:?ingest or queue}"
backend="${2:?sqlite or postgres}"
bench="${BENCH_DIR:-../shared/bench}"
port="${MODQ_BENCH_PORT:-18080}"
pg_admin="${MODQ_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
out_dir=bench-results
mkdir -p "$out_dir"

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
if [ -n "${MODQ_BENCH_BIN:-}" ]; then
    bin="$MODQ_BENCH_BIN"
else
    cargo build --release --quiet
    bin=target/release/modq
fi

server_pid=""
db_file=""
pg_db=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    [ -n "$db_file" ] && rm -f "$db_file" "$db_file-wal" "$db_file-shm"
    [ -n "$pg_db" ] && psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
    return 0
}
trap cleanup EXIT

fresh_db() {
    cleanup
    server_pid=""
    case "$backend" in
        sqlite)
            db_file="$(mktemp -u /tmp/modq-bench-XXXXXX).db"
            db_url="sqlite://$db_file" ;;
        postgres)
            pg_db="modq_bench_$$_$RANDOM"
            psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
            db_url="${pg_admin%/*}/$pg_db" ;;
        *) echo "unknown backend $backend" >&2; exit 2 ;;
    esac
}

start_server() {
    local log; log="$(mktemp)"
    MODQ_DATABASE_URL="$db_url" MODQ_SERVER_BIND="127.0.0.1:$port" MODQ_LOG_FILTER=warn \
        "$bin" serve >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        grep -q "listening on" "$log" && break
        sleep 0.1
    done
    grep -q "listening on" "$log" || { cat "$log"; echo "server did not start" >&2; exit 1; }
    # Credentials are printed on the first start of a database only.
    if grep -q "API key:" "$log"; then
        site_key="$(awk '/API key:/ {print $NF}' "$log")"
        admin_token="$(awk '/Admin API token:/ {print $NF}' "$log")"
        admin_password="$(awk '/Admin password:/ {print $NF}' "$log")"
    fi
}

# Logs in as the bootstrap admin through the login form; sets $session.
log_in_admin() {
    local jar form_token; jar="$(mktemp)"
    form_token="$(curl -sS -c "$jar" "$base/login" | sed -n 's/.*name="form_token" value="\([^"]*\)".*/\1/p')"
    curl -sS -b "$jar" -c "$jar" -o /dev/null "$base/login" \
        --data-urlencode "email=admin@localhost" --data-urlencode "password=$admin_password" \
        --data-urlencode "form_token=$form_token" --data-urlencode "next=/"
    session="$(awk '$6 == "modq_session" {print $7}' "$jar")"
    rm -f "$jar"
    [ -n "$session" ] || { echo "login failed" >&2; exit 1; }
}

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$server_pid/status"; }

body='{"article":{"id":{thread},"url":{website},"title":{title}},"author":{"id":"u{id}","name":{author},"email":{email}},"body":{text}}'

# A site without rules, created while the server is stopped.
bare_site() {
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
    site_key="$(MODQ_DATABASE_URL="$db_url" MODQ_LOG_FILTER=warn "$bin" site create bench --no-starter-rules | tail -n1)"
    local key="$site_key"
    start_server
    site_key="$key"
}

# A fresh database with ROWS seeded comments and the server running on it.
seeded_server() {
    fresh_db
    start_server
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
    echo "seeding $1 comments"
    local seed_sql; seed_sql="$(sed "s/__ROWS__/$1/g" benches/seed_queue.sql)"
    case "$backend" in
        sqlite) python3 - "$db_file" "$seed_sql" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1]); con.executescript(sys.argv[2]); con.close()
PY
            ;;
        postgres) psql "$db_url" -q -c "$seed_sql" >/dev/null ;;
    esac
    start_server
}

case "$mode" in
    ingest|ingest-norules|ingest-noclassifier)
        reps="${3:-3}"
        label="$backend"
        [ "$mode" = ingest-norules ] && label="$backend, no rules"
        [ "$mode" = ingest ] && label="$backend, starter rules"
        [ "$mode" = ingest-noclassifier ] && label="$backend, starter rules, classifier off"
        for rep in $(seq 1 "$reps"); do
            for c in ${MODQ_BENCH_CONCURRENCY:-1 16 64}; do
                fresh_db
                start_server
                [ "$mode" = ingest-norules ] && bare_site
                if [ "$mode" = ingest-noclassifier ]; then
                    curl -fsS -X PUT "http://127.0.0.1:$port/api/v1/site" \
                        -H "Authorization: Bearer $site_key" -H 'Content-Type: application/json' \
                        -d '{"classifier": {"enabled": false, "bands": []}}' >/dev/null
                fi
                python3 "$bench/run.py" single --base-url "http://127.0.0.1:$port" \
                    --shape template --path-template '/api/v1/comments' --body-template "$body" \
                    --header "Authorization: Bearer $site_key" -c "$c" --count 20000 --reps 1 \
                    --server-pid "$server_pid" --system modq --config "$label" \
                    --out "$out_dir/$mode-$backend.jsonl"
                echo "rep $rep c=$c: server RSS after 20,000 comments: $(rss_mb) MB"
            done
        done
        python3 "$bench/run.py" report "$out_dir/$mode-$backend.jsonl"
        ;;
    ingest-edits)
        reps="${3:-3}"
        out="$out_dir/ingest-edits-$backend.jsonl"
        # Each phase pays for counting its own audit entries into the
        # insights: counted every second (on PostgreSQL once a second old),
        # and the submissions' last ones before the edits start. At the
        # defaults (every 10 s, 30 s old) a short submission phase left its
        # counting to the edit phase.
        export MODQ_INSIGHTS_REFRESH_SECS=1 MODQ_INSIGHTS_SETTLE_SECS=1
        for rep in $(seq 1 "$reps"); do
            for c in ${MODQ_BENCH_CONCURRENCY:-1 16 64}; do
                fresh_db
                start_server
                python3 "$bench/run.py" single --base-url "http://127.0.0.1:$port" \
                    --shape template --path-template '/api/v1/comments' --body-template "$body" \
                    --header "Authorization: Bearer $site_key" -c "$c" --count 20000 --reps 1 \
                    --server-pid "$server_pid" --system modq --config "$backend, submit" --out "$out"
                ids="$(mktemp)"
                query="SELECT id FROM comments WHERE status IN ('pending', 'approved') ORDER BY id"
                case "$backend" in
                    sqlite) python3 -c 'import sqlite3, sys
for (i,) in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(i)' "$db_file" "$query" >"$ids" ;;
                    postgres) psql "$db_url" -tAc "$query" >"$ids" ;;
                esac
                sleep 3
                echo "rep $rep c=$c: editing $(wc -l <"$ids") comments"
                python3 benches/edit_bench.py "$bench" "http://127.0.0.1:$port" "$site_key" "$ids" \
                    "$c" "$server_pid" "$backend, edit" "$out"
                rm -f "$ids"
            done
        done
        python3 "$bench/run.py" report "$out"
        ;;
    reported)
        rows="${3:-1000000}"
        seeded_server "$rows"
        kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
        # Every hundredth comment approved and in the Reported queue, with a report.
        report_sql="UPDATE comments SET status = 'approved', reported_at = created_at WHERE id % 100 = 0;
INSERT INTO comment_reports (id, site_id, comment_id, reporter, reason, status, counted, created_at)
SELECT id, site_id, id, 'reader-' || (id % 997), 'abuse', 'open', TRUE, created_at FROM comments WHERE id % 100 = 0;"
        case "$backend" in
            sqlite) python3 - "$db_file" "$report_sql" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1]); con.executescript(sys.argv[2]); con.close()
PY
                ;;
            postgres) psql "$db_url" -q -c "$report_sql" -c "ANALYZE" >/dev/null ;;
        esac
        start_server
        echo "reported: $(curl -sS "http://127.0.0.1:$port/api/v1/queue?tab=reported&limit=1" -H "Authorization: Bearer $admin_token" | head -c 120)…"
        python3 "$bench/run.py" single --base-url "http://127.0.0.1:$port" \
            --get-path '/api/v1/queue?tab=reported&limit=50' --header "Authorization: Bearer $admin_token" \
            -c 1,16 --count 5000 --reps 3 --server-pid "$server_pid" --system modq --kind reported \
            --config "$backend reported tab, $rows comments" --out "$out_dir/reported-$backend.jsonl"
        python3 "$bench/run.py" report "$out_dir/reported-$backend.jsonl"
        ;;
    queue)
        rows="${3:-1000000}"
        seeded_server "$rows"
        python3 "$bench/run.py" single --base-url "http://127.0.0.1:$port" \
            --get-path '/api/v1/queue?limit=50' --header "Authorization: Bearer $admin_token" \
            -c 1,16 --count 5000 --reps 3 --server-pid "$server_pid" --system modq --kind queue \
            --config "$backend queue, $rows comments" --out "$out_dir/queue-$backend.jsonl"
        python3 "$bench/run.py" report "$out_dir/queue-$backend.jsonl"
        echo "server RSS: $(rss_mb) MB"
        ;;
    queue-page)
        rows="${3:-1000000}"
        seeded_server "$rows"
        base="http://127.0.0.1:$port"
        log_in_admin
        size() { curl -sS -H 'Accept-Encoding: gzip' -b "modq_session=$session" -o /dev/null -w '%{size_download}' "$base$1"; }
        raw() { curl -sS -b "modq_session=$session" "$base$1" | wc -c; }
        echo "queue page (50 cards), bytes transferred gzipped (uncompressed):"
        echo "  page $(size /) ($(raw /)), stylesheet $(size /static/modq.css) ($(raw /static/modq.css)), script $(size /static/modq.js) ($(raw /static/modq.js))"
        python3 "$bench/run.py" single --base-url "$base" \
            --get-path '/' --header "Cookie: modq_session=$session" \
            -c 1,16 --count 5000 --reps 3 --server-pid "$server_pid" --system modq --kind queue-page \
            --config "$backend queue page, $rows comments" --out "$out_dir/queue-page-$backend.jsonl"
        python3 "$bench/run.py" report "$out_dir/queue-page-$backend.jsonl"
        ;;
    export)
        # `modq export comments` of every seeded comment, in both formats,
        # with the time and the peak memory of each run.
        rows="${3:-1000000}"
        seeded_server "$rows"
        kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
        for format in csv jsonl; do
            MODQ_DATABASE_URL="$db_url" MODQ_LOG_FILTER=warn /usr/bin/time \
                -f "comments $format: %e s, peak RSS %M KB" \
                "$bin" export comments --format "$format" --output /dev/null
        done
        ;;
    backtest)
        rows="${3:-100000}"
        seeded_server "$rows"
        rule='{"name":"Draft","action":"hold","match":{"kind":"terms","terms":["seeded comment 1","realistic*","ordinary"]}}'
        for rep in 1 2 3; do
            started=$(date +%s%N)
            curl -sS "http://127.0.0.1:$port/api/v1/rules/backtest" \
                -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
                -d "{\"site\":\"default\",\"limit\":$rows,\"rule\":$rule}" \
                | python3 -c 'import json,sys; r=json.load(sys.stdin); print("scanned", r["scanned"], "hits", r["hits"], "server elapsed", r["elapsed_ms"], "ms")'
            echo "rep $rep wall time: $(( ($(date +%s%N) - started) / 1000000 )) ms"
        done
        ;;
    train)
        rows="${3:-50000}"
        [ "$backend" = sqlite ] || { echo "train seeds SQLite only" >&2; exit 2; }
        fresh_db
        start_server
        kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
        echo "seeding $rows decided comments"
        python3 benches/seed_decisions.py "$db_file" "$bench/corpus" "$rows"
        site="$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT name FROM sites").fetchone()[0])' "$db_file")"
        for rep in 1 2 3; do
            started=$(date +%s%N)
            MODQ_DATABASE_URL="$db_url" MODQ_LOG_FILTER=warn "$bin" classifier train --site "$site"
            echo "rep $rep wall time: $(( ($(date +%s%N) - started) / 1000000 )) ms"
        done
        ;;
    insights)
        rows="${3:-5000000}"
        fresh_db
        start_server
        kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
        echo "seeding a year of $rows comments"
        started=$(date +%s)
        case "$backend" in
            sqlite) python3 benches/seed_insights.py sqlite "$rows" | python3 -c '
import sqlite3, sys
con = sqlite3.connect(sys.argv[1]); con.executescript(sys.stdin.read()); con.close()' "$db_file" ;;
            postgres) python3 benches/seed_insights.py postgres "$rows" | psql "$db_url" -q >/dev/null ;;
        esac
        echo "seeded in $(( $(date +%s) - started )) s"
        MODQ_DATABASE_URL="$db_url" MODQ_LOG_FILTER=warn /usr/bin/time -f "count: %e s, peak RSS %M KB" \
            "$bin" insights count 2>&1 | grep -v '^counted [0-9]* audit entries (' 
        start_server
        base="http://127.0.0.1:$port"
        log_in_admin
        for period in year month day; do
            for rep in 1 2 3 4 5; do
                api=$(curl -sS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $admin_token" \
                    "$base/api/v1/insights?period=$period")
                page=$(curl -sS -o /dev/null -w '%{time_total} %{size_download}' -b "modq_session=$session" \
                    "$base/insights?period=$period")
                echo "period=$period rep $rep: GET /api/v1/insights ${api} s, GET /insights ${page% *} s (${page#* } bytes)"
            done
        done
        curl -sS -H "Authorization: Bearer $admin_token" "$base/api/v1/insights?period=year" | python3 -c '
import json, sys
f = json.load(sys.stdin)
print("year:", sum(p["received"] for p in f["volume"]), "comments,", f["speed"]["overall"]["decisions"], "decisions,",
      len(f["rules"]), "rules, entries behind:", f["entries_behind"])'
        ;;
    import)
        rows="${3:-1000000}"
        for source in wordpress disqus; do
            file="$(mktemp /tmp/modq-import-XXXXXX.xml)"
            python3 benches/gen_import.py "$source" "$rows" "$file" "$bench/corpus"
            echo "$source export of $rows comments: $(du -h "$file" | cut -f1)"
            fresh_db
            start_server
            kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
            for pass in first again; do
                MODQ_DATABASE_URL="$db_url" MODQ_LOG_FILTER=warn /usr/bin/time \
                    -f "$source $pass pass: %e s, peak RSS %M KB" \
                    "$bin" import "$source" "$file" 2>&1 | grep -v '^skipped'
            done
            rm -f "$file"
        done
        ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
