-- A deactivated moderator can no longer log in or use API tokens; their
-- decisions stay attributed to them.
ALTER TABLE moderators ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
