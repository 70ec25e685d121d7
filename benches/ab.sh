#!/usr/bin/env bash
# One ingest run at concurrency 64 against a given modq binary, on a fresh
# SQLite database with the starter rules; for A/B comparisons of two builds
# run alternately in one sitting:
#
#   for i in 1 2 3; do benches/ab.sh old/modq 18101; benches/ab.sh target/release/modq 18102; done
set -euo pipefail
bin="${1:?path to a modq binary}"
port="${2:-18101}"
bench="${BENCH_DIR:-$(dirname "$0")/../../shared/bench}"
db="$(mktemp -u /tmp/modq-ab-XXXXXX).db"
MODQ_DATABASE_URL="sqlite://$db" MODQ_SERVER_BIND="127.0.0.1:$port" MODQ_LOG_FILTER=warn \
    "$bin" serve >"$db.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$db" "$db-wal" "$db-shm" "$db.log"' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$db.log" && break; sleep 0.1; done
key="$(awk '/API key:/ {print $NF}' "$db.log")"
python3 "$bench/run.py" single --base-url "http://127.0.0.1:$port" \
    --shape template --path-template '/api/v1/comments' \
    --body-template '{"article":{"id":{thread},"url":{website},"title":{title}},"author":{"id":"u{id}","name":{author},"email":{email}},"body":{text}}' \
    --header "Authorization: Bearer $key" -c 64 --count 20000 --reps 1 --server-pid "$pid" \
    | grep -E "ok=" 
