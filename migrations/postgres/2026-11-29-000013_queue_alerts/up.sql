-- A site's queue alert: the thresholds, and since when it has been firing
-- (NULL: not firing), so that it fires once per breach across instances.
CREATE TABLE queue_alerts (
    site_id BIGINT PRIMARY KEY REFERENCES sites(id),
    oldest_pending_minutes INTEGER,
    max_pending INTEGER,
    firing_since TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
