-- Rules: the current version of each rule, and every version ever saved.
CREATE TABLE rules (
    id BIGINT PRIMARY KEY NOT NULL,
    site_id BIGINT REFERENCES sites(id),
    article_external_id TEXT,
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX rules_site ON rules (site_id);

CREATE TABLE rule_versions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id BIGINT NOT NULL REFERENCES rules(id),
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    deleted BOOLEAN NOT NULL,
    changed_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (rule_id, version)
);

-- A reason left by a rule names the rule version, its action and whether
-- the rule only observed (shadow mode).
ALTER TABLE comment_reasons ADD COLUMN rule_id BIGINT;
ALTER TABLE comment_reasons ADD COLUMN rule_version INTEGER;
ALTER TABLE comment_reasons ADD COLUMN action TEXT;
ALTER TABLE comment_reasons ADD COLUMN shadow BOOLEAN NOT NULL DEFAULT FALSE;
