ALTER TABLE moderators DROP COLUMN active;
