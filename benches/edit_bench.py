#!/usr/bin/env python3
"""Times edits the way the shared bench driver times submissions.

    edit_bench.py BENCH_DIR BASE_URL SITE_KEY IDS_FILE CONCURRENCY SERVER_PID LABEL OUT

Each comment whose id is in IDS_FILE (one per line) is edited once,
PUT /api/v1/comments/{id} with another corpus comment's text, through the
driver's own wrk runner (`run.measure`), so the figures compare with its
submission figures: same counting, same latency percentiles, same CPU
accounting. Every request is a real edit: the new text differs from the
stored one.
"""
import json
import os
import sys
import tempfile
import time

bench_dir, base, site_key, ids_file, conc, server_pid, label, out = sys.argv[1:9]
sys.path.insert(0, bench_dir)
import run  # noqa: E402  (the shared driver)

corpus = run.load_corpus(os.path.join(bench_dir, "corpus", "comments.jsonl"))
ids = [line.strip() for line in open(ids_file) if line.strip()]
reqfile = os.path.join(tempfile.gettempdir(), f"modq-edits-{os.getpid()}.tsv")
with open(reqfile, "w", encoding="utf-8", newline="\n") as f:
    for k, cid in enumerate(ids):
        text = "(edited) " + corpus[(k + 7919) % len(corpus)]["text"]
        f.write(f"PUT\t/api/v1/comments/{cid}\t{json.dumps({'body': text}, ensure_ascii=False)}\n")
r = run.measure(base, reqfile, int(conc), len(ids), 60, 1,
                [f"Authorization: Bearer {site_key}"], int(server_pid))
r.update(system="modq", config=label, concurrency=int(conc), rep=0, kind="edit",
         shape="edit", ts=time.time())
print(run.fmt_line(r), flush=True)
with open(out, "a") as f:
    f.write(json.dumps(r) + "\n")
os.remove(reqfile)
