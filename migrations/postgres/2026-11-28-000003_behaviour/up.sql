-- Behaviour rules look for reposted text and bursts from one address.
ALTER TABLE comments ADD COLUMN body_hash TEXT;
CREATE INDEX comments_body_hash ON comments (site_id, body_hash, id);
CREATE INDEX comments_ip ON comments (site_id, author_ip, id);
