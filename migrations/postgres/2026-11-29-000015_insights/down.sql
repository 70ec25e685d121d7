DROP TABLE insight_articles;
DROP TABLE insight_scores;
DROP TABLE insight_rules;
DROP TABLE insight_waits;
DROP TABLE insight_decisions;
DROP TABLE insight_backlog;
DROP TABLE insight_volume;
DROP TABLE insight_progress;
