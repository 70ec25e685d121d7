DROP INDEX comments_ip;
DROP INDEX comments_body_hash;
ALTER TABLE comments DROP COLUMN body_hash;
