//! SQLite: the schema (migrations, one .sql file a step) and every SQL statement of veille.
//! Nothing above this module writes SQL; nothing here fetches, parses or prints.

mod cluster;
mod corrections;
mod digest;
mod read;
mod remove;
mod write;

pub use corrections::{Correction, Example, StoredModel};
pub use digest::{DigestRecord, NewDigest};
pub use read::{Activity, ArticleRow, Filter, SearchError, SourceHealth};
pub use remove::Removed;
pub use write::{format_time, Failure, RetagCounts, Schedule, WriteCounts};

use anyhow::{bail, Context};
use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

/// The schema steps, in order; `PRAGMA user_version` records how many were applied.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_stories.sql"),
    include_str!("migrations/0003_source_moves.sql"),
    include_str!("migrations/0004_published_approximate.sql"),
    include_str!("migrations/0005_digests.sql"),
    include_str!("migrations/0006_batch_index.sql"),
    include_str!("migrations/0007_fts_bulk.sql"),
    include_str!("migrations/0008_story_index.sql"),
    include_str!("migrations/0009_item_identity.sql"),
    include_str!("migrations/0010_tag_corrections.sql"),
    include_str!("migrations/0011_source_removal.sql"),
];

/// The schema step that brought stories: a database upgraded past it clusters its backlog.
const STORIES_SCHEMA: usize = 2;
/// The schema step that keeps each fingerprint's text hash apart (filled on the upgrade).
const TEXT_HASH_SCHEMA: usize = 8;
/// Articles clustered per transaction when catching up.
const BACKLOG_BATCH: usize = 1000;

/// The page cache, in KiB as SQLite counts it when negative: SQLite's default. Writes append
/// (articles, fingerprints) or go through FTS5's own buffer; 8 MiB, when the LSH index was read
/// from the database at random, made a cold fetch no faster now and 6 MiB larger.
const CACHE_KIB: i64 = -2 * 1024;

/// Pages (of 4 KiB) the WAL grows by between automatic checkpoints.
const WAL_CHECKPOINT_PAGES: i64 = 8192;

/// Prepared statements kept by a connection.
const STATEMENT_CACHE: usize = 64;

/// How long a statement waits for another process's write lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// An open, migrated database.
pub struct Store {
    conn: Connection,
    /// The group of writes under way, if one is open.
    group: Option<Group>,
    /// The LSH index of stories, filled when clustering first needs it.
    stories: Option<cluster::StoryIndex>,
}

/// Several sources' writes in one transaction ([`Store::begin_group`]): each source in a
/// savepoint of its own, new articles put in the full-text index at the end.
struct Group {
    /// New articles not in the full-text index yet.
    unindexed: Vec<i64>,
}

/// [`Store::write`] on the connection alone (its caller borrows other fields of the store).
fn immediate(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

/// Put articles in the full-text index (their rows are stored). One row per statement, with
/// `VALUES`: a statement that may write several rows opens a statement savepoint, at which FTS5
/// writes out what it holds (one index segment per article, then merging them all).
fn index_text(conn: &Connection, ids: &[i64]) -> rusqlite::Result<()> {
    let mut read = conn.prepare_cached("SELECT title, text FROM articles WHERE id = ?1")?;
    let mut index =
        conn.prepare_cached("INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?;
    for &id in ids {
        let (title, text): (String, String) =
            read.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        index.execute(rusqlite::params![id, title, text])?;
    }
    Ok(())
}

impl Store {
    /// Open (creating it and its folder if needed) and migrate the database at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        }
        let conn = Connection::open(path)
            .with_context(|| format!("cannot open the database {}", path.display()))?;
        let mut store = Self::configure(conn)
            .with_context(|| format!("cannot use the database {}", path.display()))?;
        store
            .migrate()
            .with_context(|| format!("database {}", path.display()))?;
        Ok(store)
    }

    /// A private in-memory database, for tests of the stages around the store.
    pub fn open_in_memory() -> anyhow::Result<Store> {
        let mut store = Self::configure(Connection::open_in_memory()?)?;
        store.migrate()?;
        Ok(store)
    }

    fn configure(conn: Connection) -> anyhow::Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // A fetch writes with some thirty statements, each prepared once (rusqlite keeps 16).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // WAL lets readers (search, show) run while a fetch writes; NORMAL is durable at each
        // checkpoint and never corrupts on a crash.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "cache_size", CACHE_KIB)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A checkpoint copies the WAL into the database and syncs it: every 32 MiB of changes
        // rather than SQLite's 4 MiB, so that pages changed again and again are copied once.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)?;
        // With STAT4 (on in the bundled SQLite) every new value bound to an indexed column
        // re-prepares a cached statement; a stable plan keeps the cache worth having.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        Ok(Store {
            conn,
            group: None,
            stories: None,
        })
    }

    /// A write transaction that takes the write lock at once, waiting (up to [`BUSY_TIMEOUT`])
    /// for another process's writes to end: one that read first, then wrote, would be refused
    /// at once while a fetch writes, the busy timeout not applying to that upgrade.
    fn write(&mut self) -> rusqlite::Result<rusqlite::Transaction<'_>> {
        immediate(&mut self.conn)
    }

    /// Open a group (if none is open): the writes of the next sources (`save_articles`,
    /// `record_*`) share one transaction, until [`Store::end_group`]. It holds the write lock:
    /// open it when there is something to write. A run that dies before the end loses the
    /// group's sources whole (their validators too, so the next run fetches them again).
    /// Committing once for many small sources writes each index page once, not once a source.
    pub fn begin_group(&mut self) -> anyhow::Result<()> {
        if self.group.is_none() {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.group = Some(Group {
                unindexed: Vec::new(),
            });
        }
        Ok(())
    }

    /// New articles written in the open group, not yet committed.
    pub fn group_articles(&self) -> usize {
        self.group.as_ref().map_or(0, |g| g.unindexed.len())
    }

    /// Index the group's new articles and commit it. Nothing happens without an open group.
    pub fn end_group(&mut self) -> anyhow::Result<()> {
        let Some(group) = self.group.take() else {
            return Ok(());
        };
        let committed = index_text(&self.conn, &group.unindexed)
            .and_then(|()| self.conn.execute_batch("COMMIT"));
        if let Err(e) = committed {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.stories = None;
            return Err(e.into());
        }
        Ok(())
    }

    fn migrate(&mut self) -> anyhow::Result<()> {
        let version: usize = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > MIGRATIONS.len() {
            bail!(
                "it was written by a newer veille (schema {version}; this veille knows up to {}): upgrade veille",
                MIGRATIONS.len()
            );
        }
        for (step, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = self.write()?;
            tx.execute_batch(sql)
                .with_context(|| format!("schema migration {} failed", step + 1))?;
            tx.pragma_update(None, "user_version", step + 1)?;
            tx.commit()?;
        }
        if (1..TEXT_HASH_SCHEMA).contains(&version) {
            let tx = self.write()?;
            cluster::fill_text_hashes(&tx)?;
            tx.commit()?;
        }
        // Articles stored before stories existed are clustered once, on the upgrade.
        if (1..STORIES_SCHEMA).contains(&version) {
            let params = crate::cluster::Params::default();
            while self.cluster_backlog(&params, BACKLOG_BATCH)? > 0 {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_to_an_empty_database() {
        let store = Store::open_in_memory().unwrap();
        let version: usize = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len());
    }

    #[test]
    fn a_newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        drop(Store::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = format!("{:#}", Store::open(&path).err().unwrap());
        assert!(err.contains("newer veille"), "{err}");
    }

    /// A database of schema 8 (before items were identified per source), made by the
    /// migrations of that time: the upgrade keeps every article as it was, and then lets a
    /// second source keep its copy of a page the first one stored.
    #[test]
    fn the_item_identity_upgrade_loses_and_duplicates_nothing() {
        const BEFORE: usize = 8;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let conn = Connection::open(&path).unwrap();
        for sql in &MIGRATIONS[..BEFORE] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", BEFORE).unwrap();
        conn.execute_batch(
            "INSERT INTO articles (id, source, guid, url, url_key, title, fetched_at, summary, text, story, content_hash)
             VALUES (1, 'presse', 'p-1', 'https://e.org/a', 'https://e.org/a', 'A', '2026-11-01T00:00:00Z', '', 'a', 1, 'h1'),
                    (2, 'presse', NULL, 'https://e.org/b', 'https://e.org/b', 'B', '2026-11-01T00:00:00Z', '', 'b', 2, 'h2'),
                    (3, 'liens', 'l-1', 'https://e.org/c', 'https://e.org/c', 'C', '2026-11-01T00:00:00Z', '', 'c', 3, 'h3');
             INSERT INTO stories (id, representative) VALUES (1, 1), (2, 2), (3, 3);",
        )
        .unwrap();
        let copy_refused = conn.execute(
            "INSERT INTO articles (source, url, url_key, title, fetched_at, summary, text, content_hash)
             VALUES ('liens', 'https://e.org/a', 'https://e.org/a', 'A', '2026-11-02T00:00:00Z', '', 'a', 'h4')",
            [],
        );
        assert!(copy_refused.is_err(), "schema 8 kept one article a URL");
        drop(conn);

        let store = Store::open(&path).unwrap();
        let version: usize = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len());
        let rows: Vec<(i64, String, Option<String>, String)> = store
            .conn
            .prepare("SELECT id, source, guid, url_key FROM articles ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected = [
            (1, "presse", Some("p-1"), "https://e.org/a"),
            (2, "presse", None, "https://e.org/b"),
            (3, "liens", Some("l-1"), "https://e.org/c"),
        ];
        let expected: Vec<(i64, String, Option<String>, String)> = expected
            .iter()
            .map(|(i, s, g, u)| (*i, s.to_string(), g.map(str::to_string), u.to_string()))
            .collect();
        assert_eq!(rows, expected);
        store
            .conn
            .execute(
                "INSERT INTO articles (source, url, url_key, title, fetched_at, summary, text, content_hash)
                 VALUES ('liens', 'https://e.org/a', 'https://e.org/a', 'A', '2026-11-02T00:00:00Z', '', 'a', 'h4')",
                [],
            )
            .expect("a second source's copy is stored");
        drop(store);
        // Opened again, nothing is migrated twice.
        let again = Store::open(&path).unwrap();
        let count: i64 = again
            .conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 4);
    }
}
