DROP TABLE queue_alerts;
