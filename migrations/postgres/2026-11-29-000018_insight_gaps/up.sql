-- Audit ids the insight counter passed over because they were not visible
-- yet: taken by a transaction that had not committed when a later id had.
-- They are counted once they appear; ids that never appear (the
-- transaction rolled back) are forgotten after an hour.
CREATE TABLE insight_gaps (
    id BIGINT PRIMARY KEY NOT NULL,
    noticed_at TIMESTAMP NOT NULL
);
