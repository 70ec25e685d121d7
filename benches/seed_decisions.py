#!/usr/bin/env python3
"""Seeds a SQLite database for benches/load.sh's `train` mode: ROWS
comments of the site, each decided by the first moderator, cycling
through the shared corpus. Comments with banned terms or more than one
link are rejected citing `spam`, the rest approved.

    benches/seed_decisions.py DB_FILE CORPUS_DIR ROWS
"""

import json
import sqlite3
import sys


def main():
    db_file, corpus_dir, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    corpus = [json.loads(line) for line in open(f"{corpus_dir}/comments.jsonl", encoding="utf-8")]
    con = sqlite3.connect(db_file)
    site = con.execute("SELECT MIN(id) FROM sites").fetchone()[0]
    moderator = con.execute("SELECT MIN(id) FROM moderators").fetchone()[0]
    stamp = "2026-01-01 00:00:00"
    con.execute(
        "INSERT INTO articles (id, site_id, external_id, url, title, policy, created_at, updated_at)"
        " VALUES (1000001, ?, 'seed', 'https://news.example/seed', 'Seeded', NULL, ?, ?)",
        (site, stamp, stamp),
    )
    con.execute(
        "INSERT INTO authors (id, site_id, external_id, display_name, email, approved_count,"
        " rejected_count, created_at) VALUES (3000001, ?, 'seed', 'Reader', NULL, 0, 0, ?)",
        (site, stamp),
    )

    def row(i):
        c = corpus[i % len(corpus)]
        spam = c["n_banned"] > 0 or c["n_links"] > 1
        return (
            2_000_000_000 + i, site, f"{c['text']} ({i})",
            "rejected" if spam else "approved", stamp, stamp, stamp, moderator,
            "reject" if spam else "approve", "spam" if spam else None,
        )

    con.executemany(
        "INSERT INTO comments (id, site_id, article_id, author_id, parent_id, body, status, policy,"
        " priority, version, client_ref, author_ip, created_at, updated_at, decided_at, decided_by,"
        " decision_action, decision_reason) VALUES (?, ?, 1000001, 3000001, NULL, ?, ?, 'pre', 0, 2,"
        " NULL, NULL, ?, ?, ?, ?, ?, ?)",
        (row(i) for i in range(rows)),
    )
    con.commit()
    con.close()


if __name__ == "__main__":
    main()
