-- A moderator's named queue views ("finance articles, held by links"): the
-- filters as a query string.
CREATE TABLE saved_queues (
    id BIGINT PRIMARY KEY NOT NULL,
    moderator_id BIGINT NOT NULL REFERENCES moderators(id),
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (moderator_id, name)
);
