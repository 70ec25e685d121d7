DROP TABLE saved_queues;
