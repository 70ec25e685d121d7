DROP TABLE imported_comments;
ALTER TABLE comments DROP COLUMN imported_from;
