-- Aggregates behind the insight dashboards, kept up to date by reading the
-- audit log in order (every state change is an audit entry), so that a
-- year of figures is a few thousand rows to sum, not millions of comments.

-- How far the audit log has been counted; one row.
CREATE TABLE insight_progress (
    id INTEGER PRIMARY KEY NOT NULL,
    audit_id BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO insight_progress (id, audit_id, updated_at) VALUES (1, 0, '2024-01-01 00:00:00');

-- Comments by the hour they arrived and what became of them: pending,
-- auto_approved, approved, rejected, auto_rejected or withdrawn. moderator
-- is who decided ('moderator:EMAIL', 'import:SOURCE', '' for no one).
CREATE TABLE insight_volume (
    site_id BIGINT NOT NULL,
    hour TIMESTAMP NOT NULL,
    outcome TEXT NOT NULL,
    moderator TEXT NOT NULL,
    comments BIGINT NOT NULL,
    PRIMARY KEY (site_id, hour, outcome, moderator)
);

-- Comments entering (+) and leaving (-) the queue, by the hour it happened.
CREATE TABLE insight_backlog (
    site_id BIGINT NOT NULL,
    hour TIMESTAMP NOT NULL,
    change BIGINT NOT NULL,
    PRIMARY KEY (site_id, hour)
);

-- Moderators' decisions by day, and their decisions that someone else
-- later reopened (counted on the day of the reopening).
CREATE TABLE insight_decisions (
    site_id BIGINT NOT NULL,
    day TIMESTAMP NOT NULL,
    moderator TEXT NOT NULL,
    approved BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    overturned BIGINT NOT NULL,
    PRIMARY KEY (site_id, day, moderator)
);

-- Time in queue of moderators' decisions, by day, in buckets that grow by
-- a quarter-power of two (see insights::buckets).
CREATE TABLE insight_waits (
    site_id BIGINT NOT NULL,
    day TIMESTAMP NOT NULL,
    moderator TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    decisions BIGINT NOT NULL,
    PRIMARY KEY (site_id, day, moderator, bucket)
);

-- Per rule and the day its comments arrived: hits, comments held by it,
-- rejected by it at intake, and what moderators then did with the held ones.
CREATE TABLE insight_rules (
    site_id BIGINT NOT NULL,
    day TIMESTAMP NOT NULL,
    rule_id BIGINT NOT NULL,
    moderator TEXT NOT NULL,
    hits BIGINT NOT NULL,
    held BIGINT NOT NULL,
    auto_rejected BIGINT NOT NULL,
    held_rejected BIGINT NOT NULL,
    held_approved BIGINT NOT NULL,
    PRIMARY KEY (site_id, day, rule_id, moderator)
);

-- Classifier scores of the comments moderators approved and rejected, in
-- twenty bins per attribute, by the day the comments arrived.
CREATE TABLE insight_scores (
    site_id BIGINT NOT NULL,
    day TIMESTAMP NOT NULL,
    attribute TEXT NOT NULL,
    bin INTEGER NOT NULL,
    moderator TEXT NOT NULL,
    approved BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    PRIMARY KEY (site_id, day, attribute, bin, moderator)
);

-- Comments and rejections per article and the day the comments arrived.
CREATE TABLE insight_articles (
    site_id BIGINT NOT NULL,
    day TIMESTAMP NOT NULL,
    article_id BIGINT NOT NULL,
    moderator TEXT NOT NULL,
    comments BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    PRIMARY KEY (site_id, day, article_id, moderator)
);
