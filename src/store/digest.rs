//! What the digest reads and records: the stories first stored in a period and never carried by a
//! recorded digest, the sources failing in it, and the digests sent or marked.

use super::write::format_time;
use super::Store;
use crate::digest::{Candidate, FailedSource, Member};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

/// A digest to record, after it was sent or marked.
#[derive(Debug, Clone)]
pub struct NewDigest<'a> {
    pub created_at: DateTime<Utc>,
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub format: &'a str,
    pub sent: bool,
    pub recipients: &'a [String],
    pub message_id: Option<&'a str>,
    pub subject: Option<&'a str>,
    /// JSON of the [`crate::digest::Digest`].
    pub snapshot: &'a str,
    /// (article, story) of every member of every story it carried.
    pub articles: &'a [(i64, i64)],
}

/// A recorded digest.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestRecord {
    pub id: i64,
    pub created_at: String,
    pub since: String,
    pub until: String,
    pub format: String,
    pub sent: bool,
    pub recipients: Vec<String>,
    pub message_id: Option<String>,
    pub subject: Option<String>,
    /// How many stories it carried.
    pub stories: i64,
    pub snapshot: String,
}

fn parse_time(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

fn record(row: &Row) -> rusqlite::Result<DigestRecord> {
    let recipients: String = row.get(6)?;
    Ok(DigestRecord {
        id: row.get(0)?,
        created_at: row.get(1)?,
        since: row.get(2)?,
        until: row.get(3)?,
        format: row.get(4)?,
        sent: row.get(5)?,
        recipients: serde_json::from_str(&recipients).unwrap_or_default(),
        message_id: row.get(7)?,
        subject: row.get(8)?,
        stories: row.get(9)?,
        snapshot: row.get(10)?,
    })
}

const RECORD_COLUMNS: &str = "d.id, d.created_at, d.since, d.until, d.format, d.sent, d.recipients,
     d.message_id, d.subject,
     (SELECT count(DISTINCT story) FROM digest_stories s WHERE s.digest_id = d.id), d.snapshot";

impl Store {
    /// The stories whose first-stored member was stored in `[since, until)` and none of whose
    /// members a recorded digest carried; each with its representative first, then the other
    /// members oldest first.
    pub fn digest_candidates(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> rusqlite::Result<Vec<Candidate>> {
        let mut stories = self.conn.prepare(
            "WITH touched AS (
                 SELECT DISTINCT coalesce(story, id) AS story FROM articles
                 WHERE fetched_at >= ?1 AND fetched_at <= ?2
             )
             SELECT t.story FROM touched t
             WHERE (SELECT min(a.fetched_at) FROM articles a
                    WHERE a.story = t.story OR (a.story IS NULL AND a.id = t.story)) >= ?1
               AND NOT EXISTS (
                   SELECT 1 FROM articles a JOIN digest_stories d ON d.article_id = a.id
                   WHERE a.story = t.story OR (a.story IS NULL AND a.id = t.story))
             ORDER BY t.story",
        )?;
        let ids: Vec<i64> = stories
            .query_map(params![format_time(since), format_time(until)], |r| {
                r.get(0)
            })?
            .collect::<Result<_, _>>()?;
        ids.into_iter()
            .map(|story| {
                Ok(Candidate {
                    story,
                    members: self.story_members(story)?,
                })
            })
            .collect()
    }

    fn story_members(&self, story: i64) -> rusqlite::Result<Vec<Member>> {
        let mut members = self.conn.prepare_cached(
            "SELECT a.id, a.title, a.url, a.source, a.published, a.fetched_at, a.author,
                    a.summary, a.text
             FROM articles a
             WHERE a.story = ?1 OR (a.story IS NULL AND a.id = ?1)
             ORDER BY a.id IS NOT (SELECT representative FROM stories WHERE id = ?1),
                      coalesce(a.published, a.fetched_at), a.id",
        )?;
        let mut tags = self.conn.prepare_cached(
            "SELECT topic FROM article_tags WHERE article_id = ?1 ORDER BY topic",
        )?;
        let rows = members.query_map([story], |r| {
            let published: Option<String> = r.get(4)?;
            let fetched: String = r.get(5)?;
            Ok(Member {
                id: r.get(0)?,
                title: r.get(1)?,
                url: r.get(2)?,
                source: r.get(3)?,
                published: published.as_deref().map(parse_time).transpose()?,
                fetched_at: parse_time(&fetched)?,
                author: r.get(6)?,
                summary: r.get(7)?,
                text: r.get(8)?,
                tags: Vec::new(),
            })
        })?;
        let mut out: Vec<Member> = rows.collect::<Result<_, _>>()?;
        for member in &mut out {
            member.tags = tags
                .query_map([member.id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
        }
        Ok(out)
    }

    /// Sources attempted since `since` whose last attempt failed, by name.
    pub fn failed_sources(&self, since: DateTime<Utc>) -> rusqlite::Result<Vec<FailedSource>> {
        let mut statement = self.conn.prepare(
            "SELECT name, coalesce(last_error, ''), consecutive_failures FROM sources
             WHERE consecutive_failures > 0 AND last_attempt >= ?1 ORDER BY name",
        )?;
        let rows = statement.query_map([format_time(since)], |r| {
            Ok(FailedSource {
                name: r.get(0)?,
                error: r.get(1)?,
                failures: r.get(2)?,
            })
        })?;
        rows.collect()
    }

    /// Where the last recorded digest ended: where `--since last` starts.
    pub fn last_digest_until(&self) -> rusqlite::Result<Option<DateTime<Utc>>> {
        let until: Option<String> =
            self.conn
                .query_row("SELECT max(until) FROM digests", [], |r| r.get(0))?;
        until.as_deref().map(parse_time).transpose()
    }

    /// Record a digest and the articles it carried, in one transaction; its id.
    pub fn record_digest(&mut self, digest: &NewDigest) -> rusqlite::Result<i64> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO digests (created_at, since, until, format, sent, recipients, message_id,
                                  subject, snapshot)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                format_time(digest.created_at),
                format_time(digest.since),
                format_time(digest.until),
                digest.format,
                digest.sent,
                serde_json::to_string(digest.recipients).unwrap_or_else(|_| "[]".into()),
                digest.message_id,
                digest.subject,
                digest.snapshot,
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT OR IGNORE INTO digest_stories (digest_id, article_id, story) VALUES (?1, ?2, ?3)",
            )?;
            for (article, story) in digest.articles {
                insert.execute(params![id, article, story])?;
            }
        }
        tx.commit()?;
        Ok(id)
    }

    /// Every recorded digest, newest first.
    pub fn digests(&self) -> rusqlite::Result<Vec<DigestRecord>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {RECORD_COLUMNS} FROM digests d ORDER BY d.id DESC"
        ))?;
        let rows = statement.query_map([], record)?;
        rows.collect()
    }

    /// One recorded digest.
    pub fn digest(&self, id: i64) -> rusqlite::Result<Option<DigestRecord>> {
        self.conn
            .query_row(
                &format!("SELECT {RECORD_COLUMNS} FROM digests d WHERE d.id = ?1"),
                [id],
                record,
            )
            .optional()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, 12, 0, 0).unwrap()
    }

    fn insert(store: &Store, id: i64, story: i64, fetched: u32) {
        store
            .conn
            .execute(
                "INSERT INTO articles (id, source, url, title, fetched_at, summary, text, story, content_hash)
                 VALUES (?1, 's', ?2, ?3, ?4, '', '', ?5, '')",
                params![id, format!("https://e.org/{id}"), format!("t{id}"), format_time(at(fetched)), story],
            )
            .unwrap();
        store
            .conn
            .execute(
                "INSERT OR IGNORE INTO stories (id, representative) VALUES (?1, ?1)",
                [story],
            )
            .unwrap();
    }

    #[test]
    fn a_story_belongs_to_the_period_its_first_member_was_stored_in() {
        let mut store = Store::open_in_memory().unwrap();
        insert(&store, 1, 1, 10); // an old story…
        insert(&store, 2, 1, 18); // …with a copy stored in the period: not in it
        insert(&store, 3, 3, 17); // a new story
        insert(&store, 4, 4, 19);
        insert(&store, 5, 4, 20);
        let stories = |s: &Store| -> Vec<i64> {
            s.digest_candidates(at(16), at(23))
                .unwrap()
                .iter()
                .map(|c| c.story)
                .collect()
        };
        assert_eq!(stories(&store), [3, 4]);
        assert_eq!(store.last_digest_until().unwrap(), None);
        let id = store
            .record_digest(&NewDigest {
                created_at: at(23),
                since: at(16),
                until: at(21),
                format: "markdown",
                sent: false,
                recipients: &[],
                message_id: None,
                subject: None,
                snapshot: "{}",
                articles: &[(4, 4)],
            })
            .unwrap();
        // A story any of whose members was carried is never selected again.
        assert_eq!(stories(&store), [3]);
        assert_eq!(store.last_digest_until().unwrap(), Some(at(21)));
        let listed = store.digests().unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, id);
        assert_eq!(listed[0].stories, 1);
        assert_eq!(store.digest(id).unwrap().unwrap().snapshot, "{}");
        assert_eq!(store.digest(id + 1).unwrap(), None);
    }
}
