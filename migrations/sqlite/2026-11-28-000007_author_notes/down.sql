DROP TABLE author_notes;
