-- Configuration changes: site settings, article policies, API keys and
-- moderator accounts, with who made them. Rule changes are kept as rule
-- versions. Append-only, like audit_log.
CREATE TABLE config_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id BIGINT REFERENCES sites(id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX config_changes_site ON config_changes (site_id, id);

CREATE TRIGGER config_changes_no_update BEFORE UPDATE ON config_changes
BEGIN SELECT RAISE(ABORT, 'config_changes is append-only'); END;
CREATE TRIGGER config_changes_no_delete BEFORE DELETE ON config_changes
BEGIN SELECT RAISE(ABORT, 'config_changes is append-only'); END;
