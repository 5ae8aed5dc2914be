-- FTS5 keeps new terms in memory and writes them out as an index segment when they pass
-- 'hashsize' (1 MiB by default), then merges segments 'automerge' at a time (4 by default). A
-- fetch of 18,000 articles wrote ~90 segments and merged them over and over: 3.1 s of its 10 s
-- (benches/fetch.rs). With 8 MiB of pending terms (about a write group's worth, see
-- app/fetch.rs) and merges of 16 segments, the same index costs 1.4 s, close to the 1.35 s of
-- tokenising it in memory alone, and is no larger.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 8388608);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
