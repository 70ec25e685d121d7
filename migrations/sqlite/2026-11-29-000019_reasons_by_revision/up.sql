-- Every reason row says which revision of its comment it was recorded for,
-- and stays: an edit adds the new body's reasons beside the old ones
-- instead of moving those into the revision. A comment's current reasons
-- are the rows of its current revision.
ALTER TABLE comment_reasons ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
UPDATE comment_reasons
SET revision = (SELECT c.revision FROM comments c WHERE c.id = comment_reasons.comment_id)
WHERE comment_id IN (SELECT id FROM comments WHERE revision <> 1);

-- The reasons earlier revisions kept as JSON become rows too, in order.
INSERT INTO comment_reasons (comment_id, revision, source, code, message, matched, shadow)
SELECT r.comment_id, r.revision,
       json_extract(j.value, '$.source'), json_extract(j.value, '$.code'),
       json_extract(j.value, '$.message'), json_extract(j.value, '$.matched'), FALSE
FROM comment_revisions r, json_each(r.reasons) j
ORDER BY r.comment_id, r.revision, j.key;
ALTER TABLE comment_revisions DROP COLUMN reasons;
