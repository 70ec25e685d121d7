DROP TABLE insight_gaps;
