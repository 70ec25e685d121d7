-- Moderators' private notes about an author ("warned twice about links").
-- Never shown to sites or through the site API.
CREATE TABLE author_notes (
    id BIGINT PRIMARY KEY NOT NULL,
    author_id BIGINT NOT NULL REFERENCES authors(id),
    moderator_id BIGINT NOT NULL REFERENCES moderators(id),
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX author_notes_author ON author_notes (author_id, id);
