-- FTS5 keeps new terms in memory and writes them out as an index segment when they pass
-- 'hashsize' (1 MiB by default), then merges segments 'automerge' at a time (4 by default). A
-- fetch of 18,000 articles wrote ~90 segments and merged them over and over: 3.1 s of its 10 s
-- (benches/fetch.rs). With 4 MiB of pending terms and merges of 16 segments, indexing the same
-- texts alone takes 1.9 s rather than 3.1 (1.4 s with 8 MiB, which holds 6 MiB more memory).
INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 4194304);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
