-- Stories: articles that tell the same story across sources (src/cluster.rs decides, src/store/cluster.rs
-- writes). articles.story holds the story's id; a story's id is the id of the article that started it.

-- One row a story: its representative, the most complete member (longest clean text, then earliest).
CREATE TABLE stories (
    id             INTEGER PRIMARY KEY,
    representative INTEGER REFERENCES articles (id) ON DELETE SET NULL
);

-- Before this step every article was a story of its own.
UPDATE articles SET story = id WHERE story IS NULL;
INSERT INTO stories (id, representative) SELECT story, min(id) FROM articles GROUP BY story;

-- Each clustered article's fingerprint, so that it is compared, never recomputed.
CREATE TABLE story_features (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    -- cluster::Features::signature_blob: version, hashes, MinHash signatures (little-endian).
    signature  BLOB NOT NULL,
    -- The title's folded content words.
    title      TEXT NOT NULL,
    -- Characters of text once the source's boilerplate lines are left out.
    clean_len  INTEGER NOT NULL,
    -- Unix seconds: published, else fetched. NULL: unknown.
    date       INTEGER
);

-- The LSH index: the band keys of each article's signatures. Rows of a deleted article are
-- skipped by the join with story_features (no foreign key: it would need a second index).
CREATE TABLE story_bands (
    band_key   INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;
