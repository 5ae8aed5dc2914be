//! SQL of removing a source (`veille source remove`): its health row, its HTTP validators, and,
//! when asked, its articles with their tags, fingerprints, full-text entries and the stories
//! they leave; and which stored articles belong to sources no longer configured.

use super::{cluster, Store};
use rusqlite::params;

/// What removing a source did to the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    /// Articles deleted (none when they are kept).
    pub articles: usize,
    /// Stories that had no other member and are gone with them.
    pub stories: usize,
}

impl Store {
    /// The names of the sources that have stored articles, in order (one index probe a source,
    /// however many articles each has), but those removed with their articles kept.
    pub fn stored_sources(&self) -> rusqlite::Result<Vec<String>> {
        let mut statement = self.conn.prepare_cached(
            "WITH RECURSIVE s(name) AS (
                 SELECT min(source) FROM articles
                 UNION ALL
                 SELECT (SELECT min(source) FROM articles WHERE source > s.name) FROM s
                 WHERE s.name IS NOT NULL)
             SELECT name FROM s WHERE name IS NOT NULL
             AND name NOT IN (SELECT name FROM sources WHERE removed_at IS NOT NULL)",
        )?;
        let names = statement.query_map([], |r| r.get(0))?;
        names.collect()
    }

    /// How many articles of `source` are stored.
    pub fn count_articles(&self, source: &str) -> rusqlite::Result<usize> {
        self.conn
            .prepare_cached("SELECT count(*) FROM articles WHERE source = ?1")?
            .query_row([source], |r| r.get(0))
    }

    /// Forget source `name` (fetched from `url`): its health and validators; with
    /// `delete_articles`, its articles too, each story they were in getting a new representative
    /// or, left empty, deleted; else the source is remembered as removed at `now`, its articles
    /// kept. One transaction: all of it or nothing.
    pub fn remove_source(
        &mut self,
        name: &str,
        url: Option<&str>,
        delete_articles: bool,
        now: chrono::DateTime<chrono::Utc>,
    ) -> rusqlite::Result<Removed> {
        let tx = self.write()?;
        let mut removed = Removed::default();
        if delete_articles {
            let stories: Vec<i64> = tx
                .prepare(
                    "SELECT DISTINCT story FROM articles WHERE source = ?1 AND story IS NOT NULL",
                )?
                .query_map([name], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            // Tags and fingerprints go by their foreign keys, full-text entries by the trigger.
            removed.articles = tx.execute("DELETE FROM articles WHERE source = ?1", [name])?;
            for story in stories {
                cluster::refresh_story(&tx, story)?;
                let left: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM stories WHERE id = ?1)",
                    [story],
                    |r| r.get(0),
                )?;
                removed.stories += usize::from(!left);
            }
        }
        tx.execute("DELETE FROM sources WHERE name = ?1", [name])?;
        if !delete_articles {
            tx.execute(
                "INSERT INTO sources (name, kind, url, removed_at) VALUES (?1, '', '', ?2)",
                params![name, super::format_time(now)],
            )?;
        }
        if let Some(url) = url {
            tx.execute("DELETE FROM http_cache WHERE url = ?1", params![url])?;
        }
        tx.commit()?;
        // The in-memory story index may hold what was deleted: read it again when needed.
        self.stories = None;
        Ok(removed)
    }
}
