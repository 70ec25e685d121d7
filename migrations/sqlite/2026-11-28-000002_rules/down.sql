ALTER TABLE comment_reasons DROP COLUMN shadow;
ALTER TABLE comment_reasons DROP COLUMN action;
ALTER TABLE comment_reasons DROP COLUMN rule_version;
ALTER TABLE comment_reasons DROP COLUMN rule_id;
DROP TABLE rule_versions;
DROP TABLE rules;
