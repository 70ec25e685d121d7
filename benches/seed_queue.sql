-- Seeds a large queue for benches/load.sh: 1,000 articles, 10,000 authors,
-- __ROWS__ comments (one in five pending, with a reason each). Plain SQL that
-- runs on SQLite and PostgreSQL alike.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO articles (id, site_id, external_id, url, title, policy, created_at, updated_at)
SELECT 1000000 + i, (SELECT MIN(id) FROM sites), 'seed-' || i, 'https://news.example/seed-' || i,
       'Seeded article ' || i, NULL, '2026-01-01 00:00:00', '2026-01-01 00:00:00'
FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO authors (id, site_id, external_id, display_name, email, approved_count, rejected_count, created_at)
SELECT 3000000 + i, (SELECT MIN(id) FROM sites), 'seed-author-' || i, 'Reader ' || i,
       'reader' || i || '@mail.example', i % 7, i % 3, '2026-01-01 00:00:00'
FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < __ROWS__)
INSERT INTO comments (id, site_id, article_id, author_id, parent_id, body, status, policy,
                      priority, version, client_ref, author_ip, created_at, updated_at)
SELECT 2000000000 + i, (SELECT MIN(id) FROM sites), 1000001 + (i % 1000), 3000001 + (i % 10000), NULL,
       'Seeded comment ' || i || ': a few sentences of ordinary text so that rows have a realistic size.',
       CASE WHEN i % 5 = 0 THEN 'pending' ELSE 'approved' END, 'pre', (i % 3) * 10, 1, NULL, NULL,
       '2026-01-01 00:00:00', '2026-01-01 00:00:00'
FROM n;

INSERT INTO comment_reasons (comment_id, source, code, message, span_start, span_end, matched)
SELECT id, 'policy', 'pre_moderated', 'The article is pre-moderated.', NULL, NULL, NULL
FROM comments WHERE status = 'pending';

ANALYZE;
