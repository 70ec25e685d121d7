-- The classifier: each site's settings (JSON; empty means the defaults),
-- the score behind a classifier reason, and the models fitted to each
-- site's moderator decisions.
ALTER TABLE sites ADD COLUMN classifier TEXT NOT NULL DEFAULT '';
ALTER TABLE comment_reasons ADD COLUMN score DOUBLE;
ALTER TABLE comment_reasons ADD COLUMN threshold DOUBLE;
ALTER TABLE comment_reasons ADD COLUMN model TEXT;
CREATE INDEX comment_reasons_score ON comment_reasons (comment_id, score) WHERE score IS NOT NULL;

CREATE TABLE classifier_models (
    id BIGINT PRIMARY KEY NOT NULL,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    attribute TEXT NOT NULL,
    version INTEGER NOT NULL,
    weights BLOB NOT NULL,
    -- Held-out metrics of this model and of the one it was compared with.
    metrics TEXT NOT NULL,
    -- Decided comments of the site when it was fitted.
    decisions INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (site_id, attribute, version)
);
