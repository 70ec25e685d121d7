-- Every classifier score of a comment rides on its row: the list as JSON
-- for display, and one column per attribute for the queue's score filter.
-- Only scores past a band edge also become reasons.
ALTER TABLE comments ADD COLUMN scores TEXT;
ALTER TABLE comments ADD COLUMN spam_score DOUBLE;
ALTER TABLE comments ADD COLUMN offensive_score DOUBLE;
