-- Sources that told us they moved (301/308: the URL to put in feeds.toml) or are gone (410).
ALTER TABLE sources ADD COLUMN moved_to TEXT;
ALTER TABLE sources ADD COLUMN gone INTEGER NOT NULL DEFAULT 0;
