#!/usr/bin/env python3
"""Prints SQL that seeds a year of moderation for the insights benchmark:
ROWS comments spread evenly over the 365 days up to now, by 100,000
authors, each with its audit entries as modq writes them. Articles draw
comments for two days after they are published, 200 of them at a time, as
on a news site (36,800 articles in the year).

Of every ten comments, four were held and decided by one of eight
moderators (two approved, two rejected, after a minute to two hours; those
of the last day still wait), one was rejected at intake by a rule, and five
were published at once. A quarter of the held ones were held by one of 20
rules; every comment has spam and offensive scores.

    benches/seed_insights.py sqlite|postgres ROWS | sqlite3 DB   (or psql URL)
"""
import sys
from datetime import datetime, timedelta, timezone

BASE = 2000000000  # comment id = BASE + i


def main():
    backend, rows = sys.argv[1], int(sys.argv[2])
    start = (datetime.now(timezone.utc) - timedelta(days=365)).strftime("%Y-%m-%d %H:%M:%S")
    step = 365 * 86400 // rows
    last_day = rows - rows // 365
    if backend == "sqlite":
        def at(seconds):
            return f"datetime('{start}', '+' || ({seconds}) || ' seconds')"
        numbers = (f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {{count}}) "
                   "SELECT i FROM n")
    else:
        def at(seconds):
            return f"(TIMESTAMP '{start}' + ({seconds}) * INTERVAL '1 second')"
        numbers = "SELECT i FROM generate_series(1, {count}) AS g(i)"
    site = "(SELECT MIN(id) FROM sites)"
    i = f"(id - {BASE})"
    wait = f"(60 + ({i} * 37) % 7200)"
    held = f"({i} % 10 < 4)"
    print(f"""
INSERT INTO articles (id, site_id, external_id, url, title, policy, created_at, updated_at)
SELECT 1000000 + i, {site}, 'year-' || i, 'https://news.example/year-' || i,
       'Article ' || i, NULL, '{start}', '{start}'
FROM ({numbers.format(count=36800)}) AS n;

INSERT INTO authors (id, site_id, external_id, display_name, email, approved_count, rejected_count, created_at)
SELECT 3000000 + i, {site}, 'year-author-' || i, 'Reader ' || i, NULL, 0, 0, '{start}'
FROM ({numbers.format(count=100000)}) AS n;

INSERT INTO comments (id, site_id, article_id, author_id, parent_id, body, status, policy,
                      priority, version, client_ref, author_ip, created_at, updated_at,
                      decided_at, decision_action, spam_score, offensive_score)
SELECT {BASE} + i, {site}, 1000001 + (i * {step} / 172800) * 200 + i % 200, 3000001 + (i % 100000), NULL,
       'A year of comments, number ' || i || ', with a few words of ordinary text.',
       CASE WHEN i % 10 < 4 AND i > {last_day} THEN 'pending'
            WHEN i % 10 < 2 THEN 'approved'
            WHEN i % 10 < 5 THEN 'rejected'
            ELSE 'approved' END,
       'post', 0, 1, NULL, NULL, {at(f"i * {step}")}, {at(f"i * {step}")},
       NULL, NULL, (i % 97) / 97.0, (i % 89) / 89.0
FROM ({numbers.format(count=rows)}) AS n;

INSERT INTO comment_reasons (comment_id, source, code, message, rule_id, action, shadow)
SELECT id, 'rule', 'year_rule', 'Held by a seeded rule', 1 + ({i} / 10 % 20), 'hold', false
FROM comments WHERE id > {BASE} AND {held} AND {i} % 4 = 0;

INSERT INTO comment_reasons (comment_id, source, code, message, rule_id, action, shadow)
SELECT id, 'rule', 'year_reject', 'Rejected by a seeded rule', 21 + ({i} / 10 % 5), 'reject', false
FROM comments WHERE id > {BASE} AND {i} % 10 = 4;

INSERT INTO audit_log (site_id, comment_id, actor, action, from_status, to_status, reason, note, created_at)
SELECT site_id, id, 'site:default', 'submit', NULL,
       CASE WHEN {held} THEN 'pending' WHEN {i} % 10 = 4 THEN 'rejected' ELSE 'approved' END,
       NULL, NULL, created_at
FROM comments WHERE id > {BASE} ORDER BY id;

INSERT INTO audit_log (site_id, comment_id, actor, action, from_status, to_status, reason, note, created_at)
SELECT site_id, id, 'moderator:m' || ({i} % 8) || '@example.com',
       CASE WHEN status = 'approved' THEN 'approve' ELSE 'reject' END, 'pending', status,
       CASE WHEN status = 'rejected' THEN 'spam' ELSE NULL END, NULL,
       {at(f"({i}) * {step} + {wait}")}
FROM comments WHERE id > {BASE} AND {held} AND status <> 'pending' ORDER BY id;

ANALYZE;
""")


if __name__ == "__main__":
    main()
