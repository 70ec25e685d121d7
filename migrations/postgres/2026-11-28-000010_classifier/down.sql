DROP TABLE classifier_models;
DROP INDEX comment_reasons_score;
ALTER TABLE comment_reasons DROP COLUMN model;
ALTER TABLE comment_reasons DROP COLUMN threshold;
ALTER TABLE comment_reasons DROP COLUMN score;
ALTER TABLE sites DROP COLUMN classifier;
