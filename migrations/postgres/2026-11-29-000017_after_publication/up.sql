-- After publication: edits kept as revisions, reader reports and the
-- Reported queue, and the site settings for both and for threads.

-- `revision` counts the bodies a comment has had; `edited_at` is the last
-- edit; `reported_at` is set while the comment waits in the Reported queue;
-- `hidden` while a reported comment is kept from readers; `open_reports`
-- counts the reports no moderator has resolved yet.
ALTER TABLE comments ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE comments ADD COLUMN edited_at TIMESTAMP;
ALTER TABLE comments ADD COLUMN reported_at TIMESTAMP;
ALTER TABLE comments ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE comments ADD COLUMN open_reports INTEGER NOT NULL DEFAULT 0;
-- The Reported and Edited tabs read these small partial indexes; with the
-- status in them, the planner prefers them to the status indexes.
CREATE INDEX comments_reported ON comments (site_id, status, id)
    WHERE reported_at IS NOT NULL;
CREATE INDEX comments_reported_all ON comments (status, id)
    WHERE reported_at IS NOT NULL;
CREATE INDEX comments_edited ON comments (site_id, status, id)
    WHERE edited_at IS NOT NULL;
CREATE INDEX comments_edited_all ON comments (status, id)
    WHERE edited_at IS NOT NULL;
CREATE INDEX comments_by_status ON comments (site_id, status, id);
CREATE INDEX comments_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;

-- Every body a comment had before its current one, with the status it had
-- and the reasons it was held for. Append-only, like the audit log.
CREATE TABLE comment_revisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments(id),
    revision INTEGER NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The reasons recorded for this body, as JSON.
    reasons TEXT NOT NULL,
    -- When this body was written, and when the edit replaced it.
    written_at TIMESTAMP NOT NULL,
    replaced_at TIMESTAMP NOT NULL,
    UNIQUE (comment_id, revision)
);
CREATE FUNCTION comment_revisions_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'comment_revisions is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER comment_revisions_no_change BEFORE UPDATE OR DELETE ON comment_revisions
FOR EACH ROW EXECUTE FUNCTION comment_revisions_append_only();

-- Readers' reports. `status`: open, dismissed (a moderator kept the
-- comment), upheld (a moderator rejected it) or void (the comment was not
-- published when reported). `counted`: whether it counts toward the site's
-- threshold (a reporter whose reports are mostly dismissed does not).
CREATE TABLE comment_reports (
    id BIGINT PRIMARY KEY NOT NULL,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    comment_id BIGINT NOT NULL REFERENCES comments(id),
    reporter TEXT NOT NULL,
    reporter_ip TEXT,
    reason TEXT NOT NULL,
    note TEXT,
    status TEXT NOT NULL,
    counted BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by BIGINT REFERENCES moderators(id)
);
CREATE INDEX comment_reports_comment ON comment_reports (comment_id, reporter);
CREATE INDEX comment_reports_reporter ON comment_reports (site_id, reporter, status);

-- Edit window, report handling and thread settings, as JSON; empty for
-- the defaults.
ALTER TABLE sites ADD COLUMN published TEXT NOT NULL DEFAULT '';
