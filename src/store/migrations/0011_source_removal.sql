-- `veille source remove NAME --keep-articles`: the source left the configuration on purpose and
-- its articles stay; `fetch` and `sources` no longer point them out as articles of a source
-- that is not configured. NULL: not removed (or configured again).
ALTER TABLE sources ADD COLUMN removed_at TEXT;
