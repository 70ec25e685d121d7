DROP TABLE config_changes;
DROP FUNCTION config_changes_append_only();
