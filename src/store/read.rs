//! What the query commands read: search with filters, one article with its tags and copies,
//! source health. Read-only statements; WAL lets them run while a fetch writes.

use super::Store;
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::write::format_time;

/// The filters of `search` (and later `digest`). `query` is FTS5 syntax, already checked.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub query: Option<String>,
    pub sources: Vec<String>,
    pub tags: Vec<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: Option<usize>,
    /// Every matching article, not one per story.
    pub all: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The user's query is not valid search syntax: a usage error.
    #[error("{0}")]
    BadQuery(String),
    #[error(transparent)]
    Database(#[from] rusqlite::Error),
}

/// An article as stored, with its tags and the other members of its story.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRow {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub source: String,
    pub published: Option<String>,
    /// Only the month of `published` is known.
    pub published_approximate: bool,
    pub fetched_at: String,
    pub author: Option<String>,
    pub summary: String,
    pub text: String,
    pub story: i64,
    /// (topic, matched terms as JSON) in topic order.
    pub tags: Vec<(String, String)>,
    /// (id, source, url, date) of the other articles of the story, oldest first.
    pub duplicates: Vec<(i64, String, String, String)>,
}

/// A source's health as stored; a source never attempted has no row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceHealth {
    pub articles: i64,
    pub last_attempt: Option<String>,
    pub last_success: Option<String>,
    pub consecutive_failures: i64,
    pub last_error: Option<String>,
    /// What its last read left unread or undelivered ([`super::Store::record_warnings`]).
    pub last_warning: Option<String>,
    pub retry_after: Option<String>,
    /// Where a 301/308 said the source moved, to be written in feeds.toml.
    pub moved_to: Option<String>,
    /// The server answered 410 Gone: the source is no longer fetched.
    pub gone: bool,
}

const ARTICLE_COLUMNS: &str =
    "a.id, a.title, a.url, a.source, a.published, a.fetched_at, a.author, a.summary, a.text, a.story, a.published_approximate";

fn article(row: &Row) -> rusqlite::Result<ArticleRow> {
    Ok(ArticleRow {
        id: row.get(0)?,
        title: row.get(1)?,
        url: row.get(2)?,
        source: row.get(3)?,
        published: row.get(4)?,
        fetched_at: row.get(5)?,
        author: row.get(6)?,
        summary: row.get(7)?,
        text: row.get(8)?,
        story: row.get::<_, Option<i64>>(9)?.unwrap_or(row.get(0)?),
        published_approximate: row.get(10)?,
        tags: Vec::new(),
        duplicates: Vec::new(),
    })
}

impl Store {
    /// Articles matching `filter`: by relevance with a query, else newest first.
    pub fn search(&self, filter: &Filter) -> Result<Vec<ArticleRow>, SearchError> {
        let mut conditions = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut from = "articles a".to_string();
        let mut score = "0.0";
        if let Some(query) = &filter.query {
            from.push_str(" JOIN articles_fts ON articles_fts.rowid = a.id");
            conditions.push("articles_fts MATCH ?".to_string());
            values.push(Value::Text(query.clone()));
            score = "bm25(articles_fts, 4.0, 1.0)";
        }
        if !filter.sources.is_empty() {
            conditions.push(format!(
                "a.source IN ({})",
                placeholders(filter.sources.len())
            ));
            values.extend(filter.sources.iter().cloned().map(Value::Text));
        }
        if !filter.tags.is_empty() {
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.topic IN ({}))",
                placeholders(filter.tags.len())
            ));
            values.extend(filter.tags.iter().cloned().map(Value::Text));
        }
        if let Some(since) = filter.since {
            conditions.push("coalesce(a.published, a.fetched_at) >= ?".into());
            values.push(Value::Text(format_time(since)));
        }
        if let Some(until) = filter.until {
            conditions.push("coalesce(a.published, a.fetched_at) < ?".into());
            values.push(Value::Text(format_time(until)));
        }
        let filter_sql = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        if let (Some(limit), false) = (filter.limit, filter.all) {
            return self
                .first_stories(filter, &from, &filter_sql, score, &values, limit)
                .map_err(|e| match bad_query(&e) {
                    Some(message) => SearchError::BadQuery(message),
                    None => SearchError::Database(e),
                });
        }
        let keep = if filter.all { "" } else { "WHERE n = 1" };
        let limit = filter.limit.map_or(String::new(), |n| format!("LIMIT {n}"));
        let sql = format!(
            "WITH hits AS (
                 SELECT a.id, coalesce(a.story, a.id) AS story, {score} AS score,
                        coalesce(a.published, a.fetched_at) AS day
                 FROM {from} {filter_sql}
             ), picked AS (
                 -- One row a story: its representative when it matches, else its best match.
                 SELECT hits.*, row_number() OVER (
                     PARTITION BY hits.story
                     ORDER BY hits.id IS NOT stories.representative, score, day DESC, hits.id
                 ) AS n
                 FROM hits LEFT JOIN stories ON stories.id = hits.story
             )
             SELECT {ARTICLE_COLUMNS} FROM picked JOIN articles a ON a.id = picked.id {keep}
             ORDER BY picked.score, picked.day DESC, a.id DESC {limit}"
        );
        let run = || -> rusqlite::Result<Vec<ArticleRow>> {
            let mut statement = self.conn.prepare(&sql)?;
            let rows = statement.query_map(params_from_iter(values.iter()), article)?;
            rows.collect()
        };
        let mut rows = run().map_err(|e| match bad_query(&e) {
            Some(message) => SearchError::BadQuery(message),
            None => SearchError::Database(e),
        })?;
        for row in &mut rows {
            self.complete(row)?;
        }
        Ok(rows)
    }

    /// The first `limit` rows of a search with one row per story, read as a stream in result
    /// order, so that a limited search on a large archive stops early instead of ranking
    /// every story: the same rows as the full query's (each story's representative when it
    /// matches, else its best match), in the same order.
    fn first_stories(
        &self,
        filter: &Filter,
        from: &str,
        filter_sql: &str,
        score: &str,
        values: &[Value],
        limit: usize,
    ) -> rusqlite::Result<Vec<ArticleRow>> {
        // A query alone ranks in the full-text index only, without reading every hit's row:
        // a hit's date (the tie-break) and story are read when the stream reaches it. Without a
        // query the order is the date index's: nothing is sorted.
        let query_only = filter.query.is_some()
            && filter.sources.is_empty()
            && filter.tags.is_empty()
            && filter.since.is_none()
            && filter.until.is_none();
        let order = if filter.query.is_none() {
            "day DESC, a.id DESC"
        } else {
            "score, day DESC, a.id DESC"
        };
        let mut stream = self.conn.prepare(&if query_only {
            "SELECT rowid, bm25(articles_fts, 4.0, 1.0) AS score FROM articles_fts
             WHERE articles_fts MATCH ?1 ORDER BY score"
                .to_string()
        } else {
            format!(
                "SELECT a.id, coalesce(a.story, a.id), {score} AS score,
                        coalesce(a.published, a.fetched_at) AS day
                 FROM {from} {filter_sql} ORDER BY {order}"
            )
        })?;
        let and = if filter_sql.is_empty() {
            "WHERE"
        } else {
            "AND"
        };
        let mut representative = self.conn.prepare(&format!(
            "SELECT a.id, coalesce(a.story, a.id), {score}, coalesce(a.published, a.fetched_at)
             FROM {from} {filter_sql} {and} a.id = (SELECT representative FROM stories WHERE id = ?)"
        ))?;
        let hit = |r: &Row| -> rusqlite::Result<Hit> {
            Ok(Hit {
                id: r.get(0)?,
                story: r.get(1)?,
                score: r.get(2)?,
                day: r.get(3)?,
            })
        };
        let mut row_of = self.conn.prepare_cached(
            "SELECT coalesce(story, id), coalesce(published, fetched_at) FROM articles WHERE id = ?1",
        )?;
        let rows = stream.query(params_from_iter(values.iter()))?;
        let mut hits = if query_only {
            Hits::Ranked {
                rows,
                run: std::collections::VecDeque::new(),
                ahead: None,
            }
        } else {
            Hits::Joined(rows)
        };
        let mut seen = std::collections::HashSet::new();
        // Stories picked whose row comes later in the order than the stream has reached.
        let mut pending: Vec<Hit> = Vec::new();
        let mut picked: Vec<i64> = Vec::new();
        while picked.len() < limit {
            let Some(h) = hits.next(&mut row_of, &hit)? else {
                break;
            };
            // Every pick that sorts before this row is final.
            while let Some(first) = pending.first().filter(|p| p.key() <= h.key()) {
                picked.push(first.id);
                pending.remove(0);
            }
            if !seen.insert(h.story) {
                continue;
            }
            // A story's row is its representative when that matches too, else this best hit.
            let mut with_story: Vec<Value> = values.to_vec();
            with_story.push(Value::Integer(h.story));
            let rep = representative
                .query_row(params_from_iter(with_story.iter()), hit)
                .optional()?;
            let pick = rep.filter(|r| r.id != h.id).unwrap_or(h);
            let at = pending.partition_point(|p| p.key() <= pick.key());
            pending.insert(at, pick);
        }
        picked.extend(pending.iter().map(|p| p.id));
        picked.truncate(limit);
        let mut rows = Vec::with_capacity(picked.len());
        for id in picked {
            if let Some(row) = self.article(id)? {
                rows.push(row);
            }
        }
        Ok(rows)
    }

    /// Which of `urls` (canonical) an article of `source` already has: pages that need no
    /// fetching. Another source's copy does not count: this source stores its own.
    pub fn known_urls(
        &self,
        source: &str,
        urls: &[String],
    ) -> rusqlite::Result<std::collections::HashSet<String>> {
        let mut find = self
            .conn
            .prepare_cached("SELECT 1 FROM articles WHERE url_key = ?1 AND source = ?2")?;
        let mut known = std::collections::HashSet::new();
        for url in urls {
            if find.exists(rusqlite::params![url, source])? {
                known.insert(url.clone());
            }
        }
        Ok(known)
    }

    /// One article with its tags and copies.
    pub fn article(&self, id: i64) -> rusqlite::Result<Option<ArticleRow>> {
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?1");
        let found = self.conn.query_row(&sql, [id], article).optional()?;
        match found {
            Some(mut row) => {
                self.complete(&mut row)?;
                Ok(Some(row))
            }
            None => Ok(None),
        }
    }

    fn complete(&self, row: &mut ArticleRow) -> rusqlite::Result<()> {
        let mut tags = self.conn.prepare_cached(
            "SELECT topic, reasons FROM article_tags WHERE article_id = ?1 ORDER BY topic",
        )?;
        row.tags = tags
            .query_map([row.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut copies = self.conn.prepare_cached(
            "SELECT id, source, url, coalesce(published, fetched_at) FROM articles
             WHERE story = ?1 AND id != ?2 ORDER BY coalesce(published, fetched_at), id",
        )?;
        row.duplicates = copies
            .query_map(params![row.story, row.id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(())
    }

    /// Stories with their representative and member count, newest first, with the filters of
    /// `search` (a story is in when one of its members is).
    pub fn stories(&self, filter: &Filter) -> Result<Vec<(ArticleRow, i64)>, SearchError> {
        let rows = self.search(filter)?;
        let mut count = self
            .conn
            .prepare_cached("SELECT count(*) FROM articles WHERE story = ?1")?;
        rows.into_iter()
            .map(|row| {
                let members: i64 = count.query_row([row.story], |r| r.get(0))?;
                Ok((row, members))
            })
            .collect()
    }

    /// How many articles carry each topic.
    pub fn tag_counts(&self) -> rusqlite::Result<Vec<(String, i64)>> {
        let mut statement = self
            .conn
            .prepare("SELECT topic, count(*) FROM article_tags GROUP BY topic ORDER BY topic")?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    /// The stored health of the source named `name`.
    pub fn source_health(&self, name: &str) -> rusqlite::Result<SourceHealth> {
        let articles: i64 = self.conn.query_row(
            "SELECT count(*) FROM articles WHERE source = ?1",
            [name],
            |r| r.get(0),
        )?;
        let health = self
            .conn
            .query_row(
                "SELECT last_attempt, last_success, consecutive_failures, last_error, retry_after,
                        moved_to, gone, last_warning
                 FROM sources WHERE name = ?1",
                [name],
                |r| {
                    Ok(SourceHealth {
                        articles,
                        last_attempt: r.get(0)?,
                        last_success: r.get(1)?,
                        consecutive_failures: r.get(2)?,
                        last_error: r.get(3)?,
                        retry_after: r.get(4)?,
                        moved_to: r.get(5)?,
                        gone: r.get(6)?,
                        last_warning: r.get(7)?,
                    })
                },
            )
            .optional()?;
        Ok(health.unwrap_or(SourceHealth {
            articles,
            ..SourceHealth::default()
        }))
    }
}

/// What a source brought lately.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Activity {
    /// Articles first stored at or after the `since` asked for.
    pub recent: i64,
    /// When its newest article was first stored.
    pub last_new: Option<String>,
}

impl Store {
    /// Articles of `name` first stored since `since`, and when its last new one was.
    pub fn source_activity(&self, name: &str, since: DateTime<Utc>) -> rusqlite::Result<Activity> {
        self.conn
            .prepare_cached(
                "SELECT count(*) FILTER (WHERE fetched_at >= ?2), max(fetched_at)
                 FROM articles WHERE source = ?1",
            )?
            .query_row(params![name, format_time(since)], |r| {
                Ok(Activity {
                    recent: r.get(0)?,
                    last_new: r.get(1)?,
                })
            })
    }
}

/// The hits of a limited search, in result order.
enum Hits<'s> {
    /// From a query that reads each hit's row (filters beyond the query).
    Joined(rusqlite::Rows<'s>),
    /// From the full-text index alone, by score; hits of equal score are read from their rows
    /// and put in date order as a run.
    Ranked {
        rows: rusqlite::Rows<'s>,
        run: std::collections::VecDeque<Hit>,
        ahead: Option<(i64, f64)>,
    },
}

impl Hits<'_> {
    fn next(
        &mut self,
        row_of: &mut rusqlite::CachedStatement,
        hit: &impl Fn(&Row) -> rusqlite::Result<Hit>,
    ) -> rusqlite::Result<Option<Hit>> {
        let (rows, run, ahead) = match self {
            Hits::Joined(rows) => return rows.next()?.map(hit).transpose(),
            Hits::Ranked { rows, run, ahead } => (rows, run, ahead),
        };
        if let Some(next) = run.pop_front() {
            return Ok(Some(next));
        }
        let read = |rows: &mut rusqlite::Rows| -> rusqlite::Result<Option<(i64, f64)>> {
            rows.next()?.map(|r| Ok((r.get(0)?, r.get(1)?))).transpose()
        };
        let Some(first) = ahead.take().map_or_else(|| read(rows), |a| Ok(Some(a)))? else {
            return Ok(None);
        };
        let mut same = vec![first];
        while let Some(next) = read(rows)? {
            if next.1 == first.1 {
                same.push(next);
            } else {
                *ahead = Some(next);
                break;
            }
        }
        for (id, score) in same {
            let (story, day) = row_of.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            run.push_back(Hit {
                id,
                story,
                score,
                day,
            });
        }
        run.make_contiguous().sort_by(|a, b| a.key().cmp(&b.key()));
        Ok(run.pop_front())
    }
}

/// A search hit, as [`Store::first_stories`] orders them.
struct Hit {
    id: i64,
    story: i64,
    score: f64,
    day: String,
}

impl Hit {
    /// The result order: best score (lowest bm25), then newest, then highest id.
    fn key(
        &self,
    ) -> (
        OrderedScore,
        std::cmp::Reverse<&str>,
        std::cmp::Reverse<i64>,
    ) {
        (
            OrderedScore(self.score),
            std::cmp::Reverse(self.day.as_str()),
            std::cmp::Reverse(self.id),
        )
    }
}

/// A bm25 score, totally ordered.
struct OrderedScore(f64);

impl PartialEq for OrderedScore {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for OrderedScore {}

impl PartialOrd for OrderedScore {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderedScore {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// A user query that FTS5 cannot read, in words; other errors are the database's.
fn bad_query(error: &rusqlite::Error) -> Option<String> {
    let message = error.to_string();
    let syntax = [
        "fts5: syntax error",
        "unterminated string",
        "no such column",
        "unknown special query",
        "fts5:",
    ];
    syntax.iter().any(|s| message.contains(s)).then(|| {
        let near = message
            .split("near ")
            .nth(1)
            .map(|n| format!(" near {n}"))
            .unwrap_or_default();
        format!("the search query is not valid{near}: use words, \"exact phrases\", prefix*, AND, OR, NOT and parentheses")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Articles in stories of one to three members, some representatives not matching the
    /// query, dates with ties: what the streamed, limited search must agree with.
    fn archive() -> Store {
        let store = Store::open_in_memory().unwrap();
        let words = ["souveraineté", "cloud", "libre", "numérique", "messagerie"];
        for id in 1..=120i64 {
            let story = if id % 3 == 0 { id - 1 } else { id };
            let text = format!(
                "{} {} article {id}",
                words[id as usize % 5],
                words[(id as usize * 7) % 5]
            );
            let day = format!("2026-11-{:02}T08:00:00Z", 1 + id % 20);
            store
                .conn
                .execute(
                    "INSERT INTO articles (id, source, url, title, published, fetched_at, summary, text, story, content_hash)
                     VALUES (?1, ?2, 'https://example.org/' || ?1, ?3, ?4, ?4, '', ?5, ?6, '')",
                    params![id, format!("s{}", id % 4), format!("Titre {id}"), day, text, story],
                )
                .unwrap();
            super::super::index_text(&store.conn, &[id]).unwrap();
        }
        // Representatives: the founder, or (one story in two) the later member.
        store
            .conn
            .execute_batch(
                "INSERT INTO stories (id, representative)
                 SELECT story, CASE WHEN story % 4 = 2 THEN max(id) ELSE min(id) END FROM articles GROUP BY story",
            )
            .unwrap();
        store
    }

    #[test]
    fn a_limited_search_is_the_head_of_the_full_one() {
        let store = archive();
        let ids = |filter: &Filter| -> Vec<i64> {
            store.search(filter).unwrap().iter().map(|r| r.id).collect()
        };
        let queries = [
            None,
            Some("cloud"),
            Some("souverainete OR libre"),
            Some("messagerie"),
        ];
        for query in queries {
            for sources in [vec![], vec!["s1".to_string()]] {
                let full = Filter {
                    query: query.map(str::to_string),
                    sources: sources.clone(),
                    ..Filter::default()
                };
                let everything = ids(&full);
                assert!(!everything.is_empty(), "{query:?}");
                for limit in [1, 5, 17, 200] {
                    let limited = Filter {
                        limit: Some(limit),
                        ..full.clone()
                    };
                    let head: Vec<i64> = everything.iter().copied().take(limit).collect();
                    assert_eq!(ids(&limited), head, "{query:?} {sources:?} --limit {limit}");
                }
            }
        }
    }
}
