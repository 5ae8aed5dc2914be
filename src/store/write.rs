//! What a fetch writes: articles (identity, insert or update in place), HTTP validators and
//! source health. Each source's results go in one transaction.

use super::cluster::Placed;
use super::Store;
use crate::cluster::Params as StoryParams;
use crate::fetch::Validators;
use crate::model::{ArticleDraft, Prepared, Source};
use crate::tag::Tag;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// What one source's batch did to the database.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteCounts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl std::ops::AddAssign for WriteCounts {
    fn add_assign(&mut self, other: Self) {
        self.new += other.new;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// What decides whether a source is fetched now.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Not before this: the server's `Retry-After` or the backoff of repeated failures.
    pub retry_after: Option<DateTime<Utc>>,
    pub consecutive_failures: i64,
    /// The server answered 410 Gone.
    pub gone: bool,
}

/// A failed attempt, as recorded in the source's health.
pub struct Failure<'a> {
    pub message: &'a str,
    pub retry_after: Option<DateTime<Utc>>,
    /// The server said the source is gone for good (410): it is no longer fetched.
    pub gone: bool,
}

/// Dates are stored as RFC 3339 in UTC to the second, so that text order is time order.
pub fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn fingerprint(draft: &ArticleDraft) -> String {
    let mut hash = Sha256::new();
    for part in [&draft.title, &draft.text, &draft.summary] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.update(draft.author.as_deref().unwrap_or_default().as_bytes());
    hash.update([0]);
    hash.update(
        draft
            .published
            .map(format_time)
            .unwrap_or_default()
            .as_bytes(),
    );
    let digest = hash.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// The validators stored for `url` by its last successful fetch.
    pub fn validators(&self, url: &str) -> anyhow::Result<Validators> {
        let found = self
            .conn
            .query_row(
                "SELECT etag, last_modified FROM http_cache WHERE url = ?1",
                [url],
                |r| {
                    Ok(Validators {
                        etag: r.get(0)?,
                        last_modified: r.get(1)?,
                    })
                },
            )
            .optional()?;
        Ok(found.unwrap_or_default())
    }

    /// When the source may be fetched again, and why not: what `fetch` decides on, read
    /// without counting the source's articles. A source never attempted has the default.
    pub fn schedule(&self, source: &str) -> anyhow::Result<Schedule> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT retry_after, consecutive_failures, gone FROM sources WHERE name = ?1",
            )?
            .query_row([source], |r| {
                Ok(Schedule {
                    retry_after: r
                        .get::<_, Option<String>>(0)?
                        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                        .map(|t| t.with_timezone(&Utc)),
                    consecutive_failures: r.get(1)?,
                    gone: r.get(2)?,
                })
            })
            .optional()?;
        Ok(found.unwrap_or_default())
    }

    /// Store a source's items in one transaction (or one savepoint of the open group, see
    /// [`Store::begin_group`]), with its validators and its health.
    /// `fallback_url` stands for the link of items that have none.
    pub fn save_articles(
        &mut self,
        source: &Source,
        validators: &Validators,
        fallback_url: &str,
        articles: &[Prepared],
        stories: &StoryParams,
        now: DateTime<Utc>,
    ) -> anyhow::Result<WriteCounts> {
        let index = super::cluster::StoryIndex::begin(&mut self.stories);
        let tx = self.conn.savepoint()?;
        let now_text = format_time(now);
        let mut counts = WriteCounts::default();
        // With where a new article was put (its date, its story of its own); an updated one's
        // is read back.
        let mut touched: Vec<(i64, &Prepared, Option<Placed>)> = Vec::new();
        // New articles of this batch, and those of the open group, are not in the full-text
        // index yet; one of them updated in place is indexed first, so that the update trigger
        // finds in the index what it takes out.
        let mut new: Vec<i64> = Vec::new();
        let group: &[i64] = self.group.as_ref().map_or(&[], |g| &g.unindexed);
        let mut indexed_early = Vec::new();
        // The articles this batch's items turned out to be, so that no two items are one.
        let mut taken = HashSet::new();
        for article in articles {
            let unindexed = |id: i64| new.contains(&id) || group.contains(&id);
            match upsert(
                &tx,
                &source.name,
                &article.draft,
                fallback_url,
                &now_text,
                &mut taken,
                unindexed,
            )? {
                Upsert::New(id) => {
                    counts.new += 1;
                    replace_tags(&tx, id, &article.tags)?;
                    let placed = Placed {
                        date: Some(article.draft.published.unwrap_or(now)),
                        story: Some(id),
                    };
                    touched.push((id, article, Some(placed)));
                    new.push(id);
                }
                Upsert::Updated { id, indexed_now } => {
                    counts.updated += 1;
                    replace_tags(&tx, id, &article.tags)?;
                    // The same article twice in a feed: its last version counts.
                    touched.retain(|(t, _, _)| *t != id);
                    touched.push((id, article, None));
                    if indexed_now {
                        new.retain(|n| *n != id);
                        indexed_early.push(id);
                    }
                }
                Upsert::Unchanged => counts.unchanged += 1,
            }
        }
        // Stories next: the source's boilerplate is learnt from its recent texts, this batch's too.
        if !touched.is_empty() {
            let ids = touched.iter().map(|(id, _, _)| *id).collect();
            let read = touched.iter().map(|(_, a, _)| &a.read);
            let boilerplate = super::cluster::batch_boilerplate(&tx, &source.name, read, &ids)?;
            for (id, article, placed) in &touched {
                let title = &article.draft.title;
                let placed = match placed {
                    Some(placed) => *placed,
                    None => super::cluster::placed(&tx, *id)?,
                };
                let text = super::cluster::Article {
                    title,
                    read: &article.read,
                    plain: Some(&article.plain),
                };
                let clustered = super::cluster::cluster_read(
                    &tx,
                    index,
                    *id,
                    placed,
                    text,
                    &boilerplate,
                    stories,
                )?;
                if let Some(url) = &article.draft.url {
                    super::cluster::join_copies(&tx, index, &source.name, url, clustered.story)?;
                }
            }
        }
        // New articles enter the full-text index after every other write, in one go (the
        // group's at its end): FTS5 writes what it holds at every statement savepoint, so
        // indexing each article as it is inserted would write one index segment per article.
        // (An article updated in place is re-indexed by a trigger.)
        if self.group.is_none() {
            super::index_text(&tx, &new)?;
        }
        save_validators(&tx, source.url.as_str(), validators)?;
        record_success(&tx, source, &now_text)?;
        tx.commit()?;
        index.settle();
        if let Some(group) = &mut self.group {
            group.unindexed.retain(|id| !indexed_early.contains(id));
            group.unindexed.extend(new);
        }
        Ok(counts)
    }

    /// The warnings of the source's last read (none: it is healthy), kept until the next
    /// read that is not a 304 (an unchanged body would say the same).
    pub fn record_warnings(&mut self, source: &str, warnings: &[String]) -> anyhow::Result<()> {
        let warning = (!warnings.is_empty()).then(|| warnings.join("; "));
        self.conn
            .prepare_cached("UPDATE sources SET last_warning = ?2 WHERE name = ?1")?
            .execute(params![source, warning])?;
        Ok(())
    }

    /// A 304: the source is healthy and nothing else changes.
    pub fn record_not_modified(
        &mut self,
        source: &Source,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let tx = self.conn.savepoint()?;
        record_success(&tx, source, &format_time(now))?;
        tx.commit()?;
        Ok(())
    }

    /// Where the source's URL said it moved permanently during its last fetch; a success
    /// without a move clears it.
    pub fn record_move(&mut self, source: &str, moved_to: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE sources SET moved_to = ?2 WHERE name = ?1",
            params![source, moved_to],
        )?;
        Ok(())
    }

    pub fn record_failure(
        &mut self,
        source: &Source,
        failure: &Failure,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO sources (name, kind, url, last_attempt, consecutive_failures, last_error, retry_after, gone)
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7)
             ON CONFLICT (name) DO UPDATE SET removed_at = NULL, kind = ?2, url = ?3, last_attempt = ?4,
                 consecutive_failures = consecutive_failures + 1, last_error = ?5, retry_after = ?6, gone = ?7",
            params![
                source.name,
                source.kind.as_str(),
                source.url.as_str(),
                format_time(now),
                failure.message,
                failure.retry_after.map(format_time),
                failure.gone,
            ],
        )?;
        Ok(())
    }
}

enum Upsert {
    New(i64),
    /// `indexed_now`: it was not in the full-text index yet and was put there before the update.
    Updated {
        id: i64,
        indexed_now: bool,
    },
    Unchanged,
}

/// An article of the source that an item may be.
struct Existing {
    id: i64,
    guid: Option<String>,
    content_hash: String,
}

/// The article of `source` that `draft` is, in the order of `crate::identity`: the same GUID;
/// else, at the same canonical URL, the same title and date (a rotated GUID); else, for an item without
/// a GUID, the only article at that URL. Articles already written by this batch (`taken`) are
/// other items of the feed, never this one.
fn existing(
    tx: &Connection,
    source: &str,
    draft: &ArticleDraft,
    taken: &HashSet<i64>,
) -> rusqlite::Result<Option<Existing>> {
    if let Some(guid) = &draft.guid {
        let by_guid = tx
            .prepare_cached(
                "SELECT id, content_hash FROM articles WHERE source = ?1 AND guid = ?2",
            )?
            .query_row(params![source, guid], |r| {
                Ok(Existing {
                    id: r.get(0)?,
                    guid: Some(guid.clone()),
                    content_hash: r.get(1)?,
                })
            })
            .optional()?;
        if by_guid.is_some() {
            return Ok(by_guid);
        }
    }
    let Some(url) = &draft.url else {
        return Ok(None);
    };
    let mut at_url = Vec::new();
    let mut same_title = None;
    // A rotated GUID keeps the item's date (or, without one, its text): a new post that only
    // shares the link and title of an old one (a weekly « Permanence du samedi ») is new.
    let mut select = tx.prepare_cached(
        "SELECT id, guid, content_hash,
             title = ?3 AND (published = ?4 OR ((published IS NULL OR ?4 IS NULL) AND text = ?5))
         FROM articles WHERE source = ?1 AND url_key = ?2 ORDER BY id",
    )?;
    let published = draft.published.map(format_time);
    let mut rows = select.query(params![source, url, draft.title, published, draft.text])?;
    while let Some(row) = rows.next()? {
        let found = Existing {
            id: row.get(0)?,
            guid: row.get(1)?,
            content_hash: row.get(2)?,
        };
        if taken.contains(&found.id) {
            continue;
        }
        if row.get::<_, bool>(3)? {
            same_title = Some(found);
            break;
        }
        at_url.push(found);
    }
    if same_title.is_some() {
        return Ok(same_title);
    }
    let edited = draft.guid.is_none() && at_url.len() == 1;
    Ok(edited.then(|| at_url.pop()).flatten())
}

/// Insert or update one item of `source`; the unique index of `(source, guid)` stays the final
/// judge (`ON CONFLICT DO NOTHING`).
fn upsert(
    tx: &Connection,
    source: &str,
    draft: &ArticleDraft,
    fallback_url: &str,
    now: &str,
    taken: &mut HashSet<i64>,
    unindexed: impl Fn(i64) -> bool,
) -> rusqlite::Result<Upsert> {
    let existing = existing(tx, source, draft, taken)?;
    if let Some(found) = &existing {
        taken.insert(found.id);
        if draft.guid.is_some() && found.guid != draft.guid {
            // The feed rotated its GUID: the next fetch finds the article by the new one.
            tx.prepare_cached("UPDATE OR IGNORE articles SET guid = ?2 WHERE id = ?1")?
                .execute(params![found.id, draft.guid])?;
        }
    }
    let hash = fingerprint(draft);
    let published = draft.published.map(format_time);
    match existing.map(|e| (e.id, e.content_hash)) {
        Some((_, old_hash)) if old_hash == hash => Ok(Upsert::Unchanged),
        Some((id, _)) => {
            let indexed_now = unindexed(id);
            if indexed_now {
                super::index_text(tx, &[id])?;
            }
            tx.execute(
                "UPDATE articles SET title = ?2, author = ?3, published = ?4, summary = ?5, text = ?6,
                     content_hash = ?7, updated_at = ?8, published_approximate = ?9 WHERE id = ?1",
                params![
                    id,
                    draft.title,
                    draft.author,
                    published,
                    draft.summary,
                    draft.text,
                    hash,
                    now,
                    draft.published_approximate
                ],
            )?;
            if let Some(url) = &draft.url {
                // A moved article takes its new link (other items may share it).
                tx.execute(
                    "UPDATE articles SET url = ?2, url_key = ?2 WHERE id = ?1 AND url_key IS NOT ?2",
                    params![id, url],
                )?;
            }
            Ok(Upsert::Updated { id, indexed_now })
        }
        None => {
            // The id SQLite would give, given in the row so that the article starts in a story of
            // its own (`story` = its id) and keeps it without an UPDATE when it matches no other.
            let inserted = tx.prepare_cached(
                "INSERT INTO articles (source, guid, url, url_key, title, author, published, fetched_at,
                     summary, text, content_hash, published_approximate, id, story)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                     (SELECT coalesce(max(id), 0) + 1 FROM articles),
                     (SELECT coalesce(max(id), 0) + 1 FROM articles))
                 ON CONFLICT DO NOTHING",
            )?.execute(params![
                    source,
                    draft.guid,
                    draft.url.as_deref().unwrap_or(fallback_url),
                    draft.url,
                    draft.title,
                    draft.author,
                    published,
                    now,
                    draft.summary,
                    draft.text,
                    hash,
                    draft.published_approximate,
                ])?;
            if inserted == 0 {
                return Ok(Upsert::Unchanged);
            }
            let id = tx.last_insert_rowid();
            taken.insert(id);
            Ok(Upsert::New(id))
        }
    }
}

/// An article's tags become exactly `tags` with its corrections by hand applied over them
/// ([`crate::tag::correct`]), each with its reasons as JSON.
pub(super) fn replace_tags(
    tx: &Connection,
    id: i64,
    tags: &[Tag],
) -> rusqlite::Result<Vec<String>> {
    tx.prepare_cached("DELETE FROM article_tags WHERE article_id = ?1")?
        .execute([id])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO article_tags (article_id, topic, reasons) VALUES (?1, ?2, ?3)",
    )?;
    let corrections = super::corrections::corrections_of(tx, id)?;
    let tags = crate::tag::correct(tags.to_vec(), &corrections);
    for tag in &tags {
        let reasons = serde_json::to_string(&tag.reasons).unwrap_or_else(|_| "[]".into());
        insert.execute(params![id, tag.topic, reasons])?;
    }
    Ok(tags.into_iter().map(|t| t.topic).collect())
}

/// What `retag` changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RetagCounts {
    pub articles: usize,
    pub added: usize,
    pub removed: usize,
}

impl Store {
    /// Re-apply `tag(source, title, text)` to every stored article, in one transaction.
    pub fn retag(
        &mut self,
        tag: impl Fn(&str, &str, &str) -> Vec<Tag>,
    ) -> anyhow::Result<RetagCounts> {
        let tx = self.write()?;
        let mut counts = RetagCounts::default();
        {
            let mut articles = tx.prepare("SELECT id, source, title, text FROM articles")?;
            let mut current = tx.prepare("SELECT topic FROM article_tags WHERE article_id = ?1")?;
            let mut rows = articles.query([])?;
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                let tags = tag(
                    &row.get::<_, String>(1)?,
                    &row.get::<_, String>(2)?,
                    &row.get::<_, String>(3)?,
                );
                let before: std::collections::BTreeSet<String> = current
                    .query_map([id], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                let after: std::collections::BTreeSet<String> =
                    replace_tags(&tx, id, &tags)?.into_iter().collect();
                counts.articles += 1;
                counts.added += after.difference(&before).count();
                counts.removed += before.difference(&after).count();
            }
        }
        tx.commit()?;
        Ok(counts)
    }
}

fn save_validators(tx: &Connection, url: &str, validators: &Validators) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO http_cache (url, etag, last_modified) VALUES (?1, ?2, ?3)
         ON CONFLICT (url) DO UPDATE SET etag = ?2, last_modified = ?3",
    )?
    .execute(params![url, validators.etag, validators.last_modified])?;
    Ok(())
}

fn record_success(tx: &Connection, source: &Source, now: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO sources (name, kind, url, last_attempt, last_success, consecutive_failures)
         VALUES (?1, ?2, ?3, ?4, ?4, 0)
         ON CONFLICT (name) DO UPDATE SET removed_at = NULL, kind = ?2, url = ?3, last_attempt = ?4, last_success = ?4,
             consecutive_failures = 0, last_error = NULL, retry_after = NULL, gone = 0,
             moved_to = NULL",
    )?
    .execute(params![
        source.name,
        source.kind.as_str(),
        source.url.as_str(),
        now
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str) -> Source {
        Source::feed(
            name,
            url::Url::parse(&format!("https://{name}.example/feed")).unwrap(),
        )
    }

    fn item(guid: &str, url: &str, title: &str, text: &str) -> Prepared {
        Prepared::new(
            ArticleDraft {
                guid: Some(guid.into()),
                url: Some(url.into()),
                title: title.into(),
                author: None,
                published: None,
                published_approximate: false,
                summary: String::new(),
                text: text.into(),
            },
            Vec::new(),
        )
    }

    fn save(store: &mut Store, name: &str, items: &[Prepared]) -> WriteCounts {
        let now = DateTime::parse_from_rfc3339("2026-11-23T08:00:00Z")
            .unwrap()
            .to_utc();
        store
            .save_articles(
                &source(name),
                &Validators::default(),
                "https://example.org/",
                items,
                &StoryParams::default(),
                now,
            )
            .unwrap()
    }

    /// One item of `source`, at its link `https://SOURCE.example/1`.
    fn save_one(store: &mut Store, source: &str, guid: &str, text: &str) -> WriteCounts {
        let url = format!("https://{source}.example/1");
        save(store, source, &[item(guid, &url, guid, text)])
    }

    /// A source whose write fails is rolled back whole, and the story index forgets what it put
    /// in it: a copy of a lost article finds no story that does not exist.
    #[test]
    fn a_failed_write_leaves_nothing_in_the_story_index() {
        const COPY: &str = "Kerlann Cloud obtient la qualification SecNumCloud pour son offre d'infrastructure, hébergée à Brest et à Rennes, avec des machines virtuelles, du stockage objet et des grappes Kubernetes managées pour la région et le centre hospitalier.";
        const OTHER: &str = "La Mission interministérielle du logiciel libre publie le catalogue des logiciels libres recommandés pour les administrations, chacun avec un référent, agent public qui l'utilise en production et conseille les autres.";
        let mut store = Store::open_in_memory().unwrap();
        save_one(&mut store, "first", "a", OTHER);
        // Its articles are written and clustered (ids 2 and 3), then its validators cannot be.
        store
            .conn
            .execute_batch("ALTER TABLE http_cache RENAME TO kept")
            .unwrap();
        let lost = [
            item("b", "https://failing.example/1", "b", "Un tout autre sujet : les jardins partagés de la ville ouvrent leurs portes au public tout le week-end, avec des ateliers de compostage."),
            item("c", "https://failing.example/2", "c", COPY),
        ];
        let failed = store.save_articles(
            &source("failing"),
            &Validators::default(),
            "https://example.org/",
            &lost,
            &StoryParams::default(),
            Utc::now(),
        );
        assert!(failed.is_err());
        store
            .conn
            .execute_batch("ALTER TABLE kept RENAME TO http_cache")
            .unwrap();
        save_one(&mut store, "copy", "d", COPY);
        let stories: Vec<(i64, i64)> = store
            .conn
            .prepare("SELECT id, story FROM articles ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(stories, [(1, 1), (2, 2)], "the copy is a story of its own");
    }

    /// The ids whose full text matches `query`, after FTS5 checked its index against the table.
    fn matching(store: &Store, query: &str) -> Vec<i64> {
        store
            .conn
            .execute(
                "INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')",
                [],
            )
            .expect("the full-text index agrees with the articles");
        let mut found = store
            .conn
            .prepare("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid")
            .unwrap();
        found
            .query_map([query], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// A feed that carries the same item twice with other words (a correction republished):
    /// the article is updated in place in the batch that inserted it, before it is indexed.
    #[test]
    fn an_article_updated_in_its_own_batch_is_indexed_once_with_its_last_words() {
        let mut store = Store::open_in_memory().unwrap();
        let counts = save(
            &mut store,
            "trade",
            &[
                item("a1", "https://trade.example/1", "Brouillon", "premier jet"),
                item(
                    "a1",
                    "https://trade.example/1",
                    "Corrigé",
                    "version corrigée",
                ),
                item("b", "https://trade.example/2", "Autre", "autre sujet"),
            ],
        );
        assert_eq!((counts.new, counts.updated), (2, 1));
        assert_eq!(matching(&store, "corrigee").len(), 1);
        assert!(matching(&store, "jet").is_empty());
    }

    /// In a group, new articles are indexed at its end; one updated before that (here by a
    /// second batch of the same source) is indexed first, so the update trigger finds it.
    #[test]
    fn a_group_indexes_its_articles_at_its_end_and_updates_stay_consistent() {
        let mut store = Store::open_in_memory().unwrap();
        store.begin_group().unwrap();
        save_one(&mut store, "trade", "a", "souveraineté numérique");
        save_one(&mut store, "other", "b", "logiciel libre");
        assert_eq!(store.group_articles(), 2);
        let counts = save_one(&mut store, "trade", "a", "cloud de confiance");
        assert_eq!(counts.updated, 1);
        assert_eq!(
            store.group_articles(),
            1,
            "the updated article is indexed already"
        );
        store.end_group().unwrap();
        assert_eq!(store.group_articles(), 0);
        assert_eq!(matching(&store, "confiance").len(), 1);
        assert_eq!(matching(&store, "libre").len(), 1);
        assert!(matching(&store, "souverainete").is_empty());
        // Without a group, each batch indexes its own articles.
        save_one(&mut store, "third", "c", "messagerie chiffrée");
        assert_eq!(matching(&store, "messagerie").len(), 1);
    }

    /// A database file with one article committed ("premier") and one written in a group left
    /// open ("second").
    fn with_open_group(path: &std::path::Path) -> Store {
        let mut store = Store::open(path).unwrap();
        save_one(&mut store, "trade", "a", "premier");
        store.begin_group().unwrap();
        save_one(&mut store, "other", "b", "second");
        store
    }

    /// Another command that writes (here `retag`) while a fetch's group is open waits for the
    /// group's commit instead of failing with "database is locked".
    #[test]
    fn a_writer_waits_for_the_open_group() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let mut fetch = with_open_group(&path);
        let retag = std::thread::spawn(move || {
            let mut other = Store::open(&path).unwrap();
            other
                .retag(|_, _, _| Vec::new())
                .map(|counts| counts.articles)
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        fetch.end_group().unwrap();
        let retagged = retag.join().unwrap();
        assert_eq!(retagged.map_err(|e| e.to_string()), Ok(2));
    }

    /// A group that ends without a commit (the process died) leaves nothing behind.
    #[test]
    fn a_group_is_one_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        drop(with_open_group(&path));
        let store = Store::open(&path).unwrap();
        let count: i64 = store
            .conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 1);
        assert_eq!(matching(&store, "premier").len(), 1);
    }
}
