-- Comments brought in by `modq import`: where each came from, so that
-- re-importing a file adds nothing twice and replies find their parents.
ALTER TABLE comments ADD COLUMN imported_from TEXT;

CREATE TABLE imported_comments (
    site_id BIGINT NOT NULL REFERENCES sites(id),
    -- 'wordpress' or 'disqus'.
    source TEXT NOT NULL,
    -- The comment's id in the source system.
    source_id TEXT NOT NULL,
    comment_id BIGINT NOT NULL REFERENCES comments(id),
    -- The parent's id in the source system while the parent is not yet
    -- linked (it comes later in the file, or never came).
    unlinked_parent TEXT,
    PRIMARY KEY (site_id, source, source_id)
);
CREATE INDEX imported_comments_unlinked ON imported_comments (site_id, source)
    WHERE unlinked_parent IS NOT NULL;
