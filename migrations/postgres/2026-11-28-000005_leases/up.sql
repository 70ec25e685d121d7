-- Who is reviewing a pending comment, until when. A lease is advisory: it
-- tells other moderators to pick another comment; it expires by itself and
-- is released when the comment is decided.
CREATE TABLE leases (
    comment_id BIGINT PRIMARY KEY NOT NULL REFERENCES comments(id),
    moderator_id BIGINT NOT NULL REFERENCES moderators(id),
    expires_at TIMESTAMP NOT NULL
);
