-- Every reason row says which revision of its comment it was recorded for,
-- and stays: an edit adds the new body's reasons beside the old ones
-- instead of moving those into the revision. A comment's current reasons
-- are the rows of its current revision.
ALTER TABLE comment_reasons ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
UPDATE comment_reasons cr
SET revision = c.revision
FROM comments c
WHERE c.id = cr.comment_id AND c.revision <> 1;

-- The reasons earlier revisions kept as JSON become rows too, in order.
INSERT INTO comment_reasons (comment_id, revision, source, code, message, matched, shadow)
SELECT r.comment_id, r.revision,
       j.value ->> 'source', j.value ->> 'code', j.value ->> 'message', j.value ->> 'matched', FALSE
FROM comment_revisions r
CROSS JOIN LATERAL jsonb_array_elements(r.reasons::jsonb) WITH ORDINALITY AS j(value, n)
ORDER BY r.comment_id, r.revision, j.n;
ALTER TABLE comment_revisions DROP COLUMN reasons;
