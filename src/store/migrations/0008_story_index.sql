-- The LSH index lives in the memory of a fetch (cluster/index.rs), filled from the signatures
-- of the articles within reach of the dates being clustered: band keys are derived, no longer
-- stored. Keeping them cost 48 index reads and 48 inserts an article (a third of a cold fetch,
-- benches/fetch.rs) and 0.8 KB of database an article.
DROP TABLE story_bands;
CREATE INDEX story_features_date ON story_features (date);
-- cluster::Features::text_hash: identical texts are the same story at any distance in time.
-- NULL: fingerprinted before this step (filled on the upgrade, store/mod.rs).
ALTER TABLE story_features ADD COLUMN text_hash INTEGER;
CREATE INDEX story_features_text_hash ON story_features (text_hash);
