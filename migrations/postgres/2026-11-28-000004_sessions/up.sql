-- Moderator web sessions. The cookie carries a random token; only its hash
-- is stored, with the CSRF token every state-changing request must repeat.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    moderator_id BIGINT NOT NULL REFERENCES moderators(id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_moderator ON sessions (moderator_id);

-- Failed logins, counted per account and per address to slow down guessing.
-- Ids are modq's time-ordered ids, so "the last 15 minutes" is an id range.
CREATE TABLE login_failures (
    id BIGINT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, id);
CREATE INDEX login_failures_ip ON login_failures (ip, id);
