-- Configuration changes: site settings, article policies, API keys and
-- moderator accounts, with who made them. Rule changes are kept as rule
-- versions. Append-only, like audit_log.
CREATE TABLE config_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id BIGINT REFERENCES sites(id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX config_changes_site ON config_changes (site_id, id);

CREATE FUNCTION config_changes_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'config_changes is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER config_changes_no_change BEFORE UPDATE OR DELETE ON config_changes
FOR EACH ROW EXECUTE FUNCTION config_changes_append_only();
