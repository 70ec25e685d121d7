-- Insight aggregates by month as well as by day (span 'day' or 'month'),
-- so that a year sums twelve months and the days at its edges, not 365
-- days; and comments by the day they arrived, apart from by the hour.
-- Aggregates are derived data: they are recreated empty and recounted
-- from the audit log.
DROP TABLE insight_waits;
DROP TABLE insight_rules;
DROP TABLE insight_scores;
DROP TABLE insight_articles;

CREATE TABLE insight_waits (
    site_id BIGINT NOT NULL,
    span TEXT NOT NULL,
    day TIMESTAMP NOT NULL,
    moderator TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    decisions BIGINT NOT NULL,
    PRIMARY KEY (site_id, span, day, moderator, bucket)
);

CREATE TABLE insight_rules (
    site_id BIGINT NOT NULL,
    span TEXT NOT NULL,
    day TIMESTAMP NOT NULL,
    rule_id BIGINT NOT NULL,
    moderator TEXT NOT NULL,
    hits BIGINT NOT NULL,
    held BIGINT NOT NULL,
    auto_rejected BIGINT NOT NULL,
    held_rejected BIGINT NOT NULL,
    held_approved BIGINT NOT NULL,
    PRIMARY KEY (site_id, span, day, rule_id, moderator)
);

CREATE TABLE insight_scores (
    site_id BIGINT NOT NULL,
    span TEXT NOT NULL,
    day TIMESTAMP NOT NULL,
    attribute TEXT NOT NULL,
    bin INTEGER NOT NULL,
    moderator TEXT NOT NULL,
    approved BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    PRIMARY KEY (site_id, span, day, attribute, bin, moderator)
);

CREATE TABLE insight_articles (
    site_id BIGINT NOT NULL,
    span TEXT NOT NULL,
    day TIMESTAMP NOT NULL,
    article_id BIGINT NOT NULL,
    moderator TEXT NOT NULL,
    comments BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    PRIMARY KEY (site_id, span, day, article_id, moderator)
);

CREATE TABLE insight_volume_days (
    site_id BIGINT NOT NULL,
    day TIMESTAMP NOT NULL,
    outcome TEXT NOT NULL,
    moderator TEXT NOT NULL,
    comments BIGINT NOT NULL,
    PRIMARY KEY (site_id, day, outcome, moderator)
);

DELETE FROM insight_volume;
DELETE FROM insight_backlog;
DELETE FROM insight_decisions;
UPDATE insight_progress SET audit_id = 0;
