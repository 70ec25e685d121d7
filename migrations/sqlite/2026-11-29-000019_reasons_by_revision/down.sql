ALTER TABLE comment_revisions ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
-- comment_revisions is append-only; its guard steps aside for the move back.
DROP TRIGGER comment_revisions_no_update;
UPDATE comment_revisions
SET reasons = (
    SELECT json_group_array(json_object('source', x.source, 'code', x.code,
                                        'message', x.message, 'matched', x.matched))
    FROM (SELECT * FROM comment_reasons cr
          WHERE cr.comment_id = comment_revisions.comment_id
            AND cr.revision = comment_revisions.revision
          ORDER BY cr.id) x
);
CREATE TRIGGER comment_revisions_no_update BEFORE UPDATE ON comment_revisions
BEGIN SELECT RAISE(ABORT, 'comment_revisions is append-only'); END;
DELETE FROM comment_reasons
WHERE revision <> (SELECT c.revision FROM comments c WHERE c.id = comment_reasons.comment_id);
ALTER TABLE comment_reasons DROP COLUMN revision;
