-- An article is one item of one source (src/identity.rs): items of a source that share a link
-- stay apart by their GUIDs and titles, and two sources that link the same page each keep
-- their copy, in one story. The canonical URL is no longer unique; it is looked up within a
-- source, and across sources to join the copies' stories. No row changes.
DROP INDEX articles_url_key;
CREATE INDEX articles_url_key ON articles (url_key, source) WHERE url_key IS NOT NULL;

-- A source read without error may still deliver less than it holds (items that could not be
-- read, a feed that lists none): the warnings of its last read, in words. NULL: none.
ALTER TABLE sources ADD COLUMN last_warning TEXT;
