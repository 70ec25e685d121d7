ALTER TABLE comment_revisions ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]';
-- comment_revisions is append-only; its guard steps aside for the move back.
ALTER TABLE comment_revisions DISABLE TRIGGER comment_revisions_no_change;
UPDATE comment_revisions r
SET reasons = COALESCE((
    SELECT json_agg(json_build_object('source', cr.source, 'code', cr.code,
                                      'message', cr.message, 'matched', cr.matched)
                    ORDER BY cr.id)::text
    FROM comment_reasons cr
    WHERE cr.comment_id = r.comment_id AND cr.revision = r.revision
), '[]');
ALTER TABLE comment_revisions ENABLE TRIGGER comment_revisions_no_change;
DELETE FROM comment_reasons cr
USING comments c
WHERE c.id = cr.comment_id AND cr.revision <> c.revision;
ALTER TABLE comment_reasons DROP COLUMN revision;
