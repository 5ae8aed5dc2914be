-- Each fingerprint keeps the hashes of its text's lines (cluster::lines_blob), so that a
-- source's boilerplate is found without reading its texts again. NULL: fingerprinted before.
ALTER TABLE story_features ADD COLUMN lines BLOB;

-- New articles are put in the full-text index by the store, a source's batch at once, after
-- its other writes (store/write.rs): a trigger per inserted row made FTS5 write one index
-- segment per article. Updates and deletes keep their triggers.
DROP TRIGGER articles_fts_insert;
