-- The first schema of veille. One statement list per migration; PRAGMAs live in store/mod.rs.

-- Health of each configured source, keyed by its name.
CREATE TABLE sources (
    name                 TEXT PRIMARY KEY,
    kind                 TEXT NOT NULL,
    url                  TEXT NOT NULL,
    last_attempt         TEXT,
    last_success         TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error           TEXT,
    retry_after          TEXT
);

-- Validators of the last successful response of each fetched URL, sent back exactly.
CREATE TABLE http_cache (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT
);

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,
    guid         TEXT,
    url          TEXT NOT NULL,
    -- The canonical URL when the item had a link of its own: the first identity key.
    url_key      TEXT,
    title        TEXT NOT NULL,
    author       TEXT,
    published    TEXT,
    fetched_at   TEXT NOT NULL,
    updated_at   TEXT,
    summary      TEXT NOT NULL,
    text         TEXT NOT NULL,
    story        INTEGER,
    content_hash TEXT NOT NULL
);
-- The final judges of identity: one canonical URL, one GUID per source.
CREATE UNIQUE INDEX articles_url_key ON articles (url_key) WHERE url_key IS NOT NULL;
CREATE UNIQUE INDEX articles_guid ON articles (source, guid) WHERE guid IS NOT NULL;
CREATE INDEX articles_date ON articles (coalesce(published, fetched_at));
CREATE INDEX articles_source ON articles (source);
CREATE INDEX articles_story ON articles (story);
CREATE INDEX articles_fetched ON articles (fetched_at);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic      TEXT NOT NULL,
    reasons    TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (article_id, topic)
) WITHOUT ROWID;
CREATE INDEX article_tags_topic ON article_tags (topic);

-- Full text over title and text, accents and case folded, kept in step by triggers.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
