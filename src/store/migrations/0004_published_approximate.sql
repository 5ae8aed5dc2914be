-- A page that gave only a month (« juin 2024 ») is dated the first of that month, marked so.
ALTER TABLE articles ADD COLUMN published_approximate INTEGER NOT NULL DEFAULT 0;
