-- Webhook endpoints of each site, and the outbox: one delivery row per
-- event and endpoint, written in the transaction that made the event, and
-- every attempt to deliver it.
CREATE TABLE webhook_endpoints (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    -- Event types, comma-separated, or '*' for all.
    events TEXT NOT NULL,
    -- 'modq' (the event as JSON) or 'slack' ({"text": ...}).
    format TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_endpoints_site ON webhook_endpoints (site_id);

CREATE TABLE webhook_deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints(id),
    site_id BIGINT NOT NULL REFERENCES sites(id),
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    comment_id BIGINT,
    payload TEXT NOT NULL,
    -- 'pending', 'delivered' or 'dead' (retried for the configured time).
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    -- A worker owns the row until then.
    lease_until TIMESTAMP,
    last_status INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, comment_id, id);

CREATE TABLE webhook_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id),
    attempted_at TIMESTAMP NOT NULL,
    status_code INTEGER,
    error TEXT,
    response_snippet TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
