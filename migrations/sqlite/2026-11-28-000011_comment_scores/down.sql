ALTER TABLE comments DROP COLUMN offensive_score;
ALTER TABLE comments DROP COLUMN spam_score;
ALTER TABLE comments DROP COLUMN scores;
