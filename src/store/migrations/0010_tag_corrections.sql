-- Tags corrected by hand, and the topic models learnt from them.

-- One editor's decision on one article and one topic: `present` 1 sets the topic, 0 removes it.
-- It is kept for good: every later tagging (fetch, retag) applies it over the rules and models.
CREATE TABLE tag_corrections (
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic        TEXT NOT NULL,
    present      INTEGER NOT NULL CHECK (present IN (0, 1)),
    corrected_at TEXT NOT NULL,
    PRIMARY KEY (article_id, topic)
) WITHOUT ROWID;
CREATE INDEX tag_corrections_topic ON tag_corrections (topic);

-- The model a topic learnt from its examples: `examples` is the fingerprint of the examples it was
-- trained on (retrained when it changes), `model` the model as JSON (terms and weights).
CREATE TABLE topic_models (
    topic      TEXT PRIMARY KEY,
    examples   TEXT NOT NULL,
    model      TEXT NOT NULL,
    trained_at TEXT NOT NULL
);
