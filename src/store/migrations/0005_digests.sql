-- Digests sent (--send) or marked (--mark): where `--since last` starts, which stories were
-- already carried (never sent twice), and what `--replay` renders again.
CREATE TABLE digests (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    since       TEXT NOT NULL,
    until       TEXT NOT NULL,
    format      TEXT NOT NULL,
    -- 1: delivered by --send; 0: recorded by --mark.
    sent        INTEGER NOT NULL,
    -- JSON array of the addresses it was sent to.
    recipients  TEXT NOT NULL DEFAULT '[]',
    message_id  TEXT,
    subject     TEXT,
    -- JSON of digest::Digest: the entries exactly as they were rendered.
    snapshot    TEXT NOT NULL
);
CREATE INDEX digests_until ON digests (until);

-- Every article a digest carried, with its story at the time.
CREATE TABLE digest_stories (
    digest_id  INTEGER NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL,
    story      INTEGER NOT NULL,
    PRIMARY KEY (digest_id, article_id)
) WITHOUT ROWID;
CREATE INDEX digest_stories_article ON digest_stories (article_id);
