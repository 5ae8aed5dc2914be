//! SQL of story clustering: each article's fingerprint, stories and their representative, and
//! the in-memory LSH index ([`StoryIndex`]) filled from the fingerprints. The decisions are
//! `crate::cluster`'s; this module reads and writes.
//!
//! The `pub(super)` functions take a `&Connection`, so that `write.rs` calls them with the
//! transaction of a source's batch (a `Transaction` derefs to one); the `Store` methods at the
//! end wrap them in a transaction of their own.

use super::Store;
use crate::cluster::index::Index;
use crate::cluster::{
    self, Clustered, Features, Member, Params, ReadText, BOILERPLATE_MIN_ARTICLES,
    BOILERPLATE_WINDOW,
};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};

/// Articles of another date whose text is identical are found by their text's hash, at most
/// this many (the most recent).
const IDENTICAL_LIMIT: i64 = 8;
/// Loaded beyond the reach of `max_days_apart`, so that rounding never leaves a day out.
const REACH_MARGIN: i64 = 86_400;

/// The LSH index of a process, in memory: the fingerprints of the articles that a new article
/// may be a copy of, read from `story_features` by date when first needed. An article dated
/// `d` is compared with those dated within `max_days_apart` of `d` (the only ones
/// [`cluster::same_story`] may accept, but identical texts, found by their hash at any date):
/// the index covers the union of those reaches, loading what a new date adds. Every article
/// clustered by this process is put in it. Dropped (and read again) after a rollback.
pub struct StoryIndex {
    /// Written to by a transaction that has not committed: what it holds may have been rolled
    /// back (the database's writes then failed), so the next user reads it again.
    unsettled: bool,
    index: Index,
    /// Unix seconds `[from, to)` whose fingerprints are loaded: sorted, disjoint, apart.
    covered: Vec<(i64, i64)>,
    /// The undated fingerprints are loaded (with the first reach).
    undated: bool,
}

impl StoryIndex {
    fn new() -> StoryIndex {
        StoryIndex {
            unsettled: false,
            index: Index::new(),
            covered: Vec::new(),
            undated: false,
        }
    }

    /// The index of `slot` (made if none) for writes that a rollback may take back: one left
    /// unsettled by a failed write is dropped and read again from the database.
    pub(super) fn begin(slot: &mut Option<StoryIndex>) -> &mut StoryIndex {
        let index = slot.get_or_insert_with(StoryIndex::new);
        if index.unsettled {
            *index = StoryIndex::new();
        }
        index.unsettled = true;
        index
    }

    /// The writes since [`StoryIndex::begin`] are committed (or within a group that commits or
    /// drops the index as a whole, see [`Store::end_group`]).
    pub(super) fn settle(&mut self) {
        self.unsettled = false;
    }

    /// Load what the index lacks to compare an article dated `date` (nothing for an undated
    /// one: it meets the articles already loaded).
    fn cover(
        &mut self,
        conn: &Connection,
        date: Option<i64>,
        params: &Params,
    ) -> rusqlite::Result<()> {
        let Some(date) = date else { return Ok(()) };
        let reach = (params.max_days_apart.max(0.0) * 86_400.0).ceil() as i64 + REACH_MARGIN;
        let (from, to) = (date.saturating_sub(reach), date.saturating_add(reach));
        if !self.undated {
            self.load(
                conn,
                "SELECT article_id FROM story_features WHERE date IS NULL",
                [],
            )?;
            self.undated = true;
        }
        for (a, b) in uncovered(&self.covered, from, to) {
            self.load_dates(conn, a, b)?;
        }
        self.covered = with_interval(&self.covered, from, to);
        Ok(())
    }

    fn load_dates(&mut self, conn: &Connection, from: i64, to: i64) -> rusqlite::Result<()> {
        self.load(
            conn,
            "SELECT article_id FROM story_features WHERE date >= ?1 AND date < ?2",
            [from, to],
        )
    }

    /// Index the stored fingerprints of the ids that `select` lists, but those already indexed.
    fn load(
        &mut self,
        conn: &Connection,
        select: &str,
        bound: impl rusqlite::Params,
    ) -> rusqlite::Result<()> {
        let ids = conn
            .prepare_cached(select)?
            .query_map(bound, |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.load_ids(conn, ids.into_iter())
    }

    fn load_ids(
        &mut self,
        conn: &Connection,
        ids: impl Iterator<Item = i64>,
    ) -> rusqlite::Result<()> {
        let mut read = conn.prepare_cached(
            "SELECT f.signature, f.title, f.clean_len, f.date, coalesce(a.story, a.id)
             FROM story_features f JOIN articles a ON a.id = f.article_id WHERE f.article_id = ?1",
        )?;
        for id in ids {
            if self.index.contains(id) {
                continue;
            }
            let row = read
                .query_row([id], |r| {
                    let blob: Vec<u8> = r.get(0)?;
                    let features = Features::from_stored(r.get(1)?, r.get(2)?, r.get(3)?, &blob);
                    Ok(features.map(|f| (f, r.get::<_, i64>(4))))
                })
                .optional()?;
            // None: a fingerprint of another format (not a candidate until re-clustered).
            if let Some(Some((features, story))) = row {
                self.index.insert(id, story?, features);
            }
        }
        Ok(())
    }

    /// Index the articles of another date whose text is identical to `features`'s.
    fn add_identical(
        &mut self,
        conn: &Connection,
        features: &Features,
        exclude: i64,
    ) -> rusqlite::Result<()> {
        if features.shingles == 0 {
            return Ok(());
        }
        let ids = conn
            .prepare_cached(
                "SELECT article_id FROM story_features WHERE text_hash = ?1 AND article_id != ?2
                 ORDER BY article_id DESC LIMIT ?3",
            )?
            .query_map(
                params![features.text_hash as i64, exclude, IDENTICAL_LIMIT],
                |r| r.get::<_, i64>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.load_ids(conn, ids.into_iter())
    }
}

/// The parts of `[from, to)` that the sorted, disjoint `covered` intervals leave out.
fn uncovered(covered: &[(i64, i64)], from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut gaps = Vec::new();
    let mut start = from;
    for &(a, b) in covered {
        if b <= start {
            continue;
        }
        if a >= to {
            break;
        }
        if a > start {
            gaps.push((start, a));
        }
        start = start.max(b);
    }
    if start < to {
        gaps.push((start, to));
    }
    gaps
}

/// `covered` with `[from, to)` added, intervals that meet merged.
fn with_interval(covered: &[(i64, i64)], from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut all: Vec<(i64, i64)> = covered.to_vec();
    all.push((from, to));
    all.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(all.len());
    for (a, b) in all {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// The lines that the source prints in several of its recent articles (headers, footers,
/// "Lire aussi", author bios).
pub(super) fn source_boilerplate(
    conn: &Connection,
    source: &str,
) -> rusqlite::Result<HashSet<u64>> {
    batch_boilerplate(conn, source, [], &HashSet::new())
}
/// The boilerplate of a source's batch: the lines that recur among the `batch` texts just
/// stored (already read, their ids `batch_ids`) and the source's most recent other articles,
/// [`BOILERPLATE_WINDOW`] articles in all. Stored articles are read by their kept line hashes;
/// only those fingerprinted before the hashes were kept have their text read again.
pub(super) fn batch_boilerplate<'a>(
    conn: &Connection,
    source: &str,
    batch: impl IntoIterator<Item = &'a ReadText>,
    batch_ids: &HashSet<i64>,
) -> rusqlite::Result<HashSet<u64>> {
    let mut texts: Vec<Vec<u64>> = batch
        .into_iter()
        .take(BOILERPLATE_WINDOW)
        .map(ReadText::line_hashes)
        .collect();
    let room = BOILERPLATE_WINDOW - texts.len();
    if room > 0 {
        let mut recent = conn.prepare_cached(
            "SELECT a.id, f.lines FROM articles a LEFT JOIN story_features f ON f.article_id = a.id
             WHERE a.source = ?1 ORDER BY a.id DESC LIMIT ?2",
        )?;
        let rows = recent
            .query_map(params![source, (room + batch_ids.len()) as i64], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut text = conn.prepare_cached("SELECT text FROM articles WHERE id = ?1")?;
        for (id, lines) in rows.into_iter().filter(|(id, _)| !batch_ids.contains(id)) {
            if texts.len() == BOILERPLATE_WINDOW {
                break;
            }
            let kept = lines.as_deref().and_then(cluster::lines_from_blob);
            texts.push(match kept {
                Some(lines) => lines,
                None => cluster::line_hashes(&text.query_row([id], |r| r.get::<_, String>(0))?),
            });
        }
    }
    Ok(cluster::recurring(texts, BOILERPLATE_MIN_ARTICLES))
}

/// Cluster one stored article, new or updated in place: fingerprint it (its source's
/// `boilerplate` left out), store the fingerprint, compare it with its LSH candidates, and put
/// it in the story of the best match or in a story of its own. Its previous story, if it
/// leaves one, gets a new representative (or disappears when empty).
pub(super) fn cluster_article(
    conn: &Connection,
    stories: &mut StoryIndex,
    id: i64,
    boilerplate: &HashSet<u64>,
    params: &Params,
) -> rusqlite::Result<Clustered> {
    let (title, text) = conn.query_row(
        "SELECT title, text FROM articles WHERE id = ?1",
        [id],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    )?;
    let read = ReadText::new(&text);
    let placed = placed(conn, id)?;
    let article = Article {
        title: &title,
        read: &read,
        plain: None,
    };
    cluster_read(conn, stories, id, placed, article, boilerplate, params)
}

/// An article's text as clustering takes it.
pub(super) struct Article<'a> {
    pub title: &'a str,
    pub read: &'a ReadText,
    /// Its fingerprint with no line left out, if made already (off the writing thread): it is
    /// the fingerprint whenever none of its lines is boilerplate.
    pub plain: Option<&'a Features>,
}

/// What clustering reads of a stored article besides its text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    /// Published, else first stored.
    pub date: Option<DateTime<Utc>>,
    /// Its story now.
    pub story: Option<i64>,
}

/// An article's [`Placed`], as stored.
pub(super) fn placed(conn: &Connection, id: i64) -> rusqlite::Result<Placed> {
    let (date, story) = conn
        .prepare_cached(
            "SELECT coalesce(published, fetched_at), story FROM articles WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<i64>>(1)?))
        })?;
    Ok(Placed {
        date: date
            .and_then(|d| DateTime::parse_from_rfc3339(&d).ok())
            .map(|d| d.with_timezone(&Utc)),
        story,
    })
}

/// [`cluster_article`] of an article whose stored text and [`Placed`] the caller has (a new
/// article's are what it was just stored with).
pub(super) fn cluster_read(
    conn: &Connection,
    stories: &mut StoryIndex,
    id: i64,
    placed: Placed,
    article: Article,
    boilerplate: &HashSet<u64>,
    params: &Params,
) -> rusqlite::Result<Clustered> {
    let previous = placed.story;
    let read = article.read;
    let features = match article.plain {
        Some(plain) if !read.has_line_in(boilerplate) => Features {
            date: placed.date.map(|d| d.timestamp()),
            ..plain.clone()
        },
        _ => Features::of_read(article.title, read, placed.date, |line| {
            boilerplate.contains(&line)
        }),
    };
    stories.cover(conn, features.date, params)?;
    stories.add_identical(conn, &features, id)?;
    store_features(conn, id, &features, &read.line_hashes())?;
    let (chosen, matching) = {
        let candidates = stories.index.candidates(&features, id);
        cluster::place(&features, &candidates, params, previous)
    };
    let clustered = match chosen {
        Some(joined) => joined,
        None => Clustered {
            story: new_story_id(conn, id)?,
            matched: None,
        },
    };
    if previous != Some(clustered.story) {
        // An UPDATE rewrites the whole row, its text too: only when the story changes.
        set_story(conn, id, clustered.story)?;
    }
    for other in matching {
        if other != clustered.story {
            merge_story(conn, other, clustered.story)?;
            stories.index.merge_story(other, clustered.story);
        }
    }
    stories.index.insert(id, clustered.story, features);
    refresh_story(conn, clustered.story)?;
    if let Some(previous) = previous.filter(|&p| p != clustered.story) {
        refresh_story(conn, previous)?;
    }
    Ok(clustered)
}

/// Store an article's fingerprint and line hashes, replacing those of a previous version.
pub(super) fn store_features(
    conn: &Connection,
    id: i64,
    features: &Features,
    lines: &[u64],
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO story_features (article_id, signature, title, clean_len, date, lines, text_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (article_id) DO UPDATE SET signature = ?2, title = ?3, clean_len = ?4, date = ?5,
             lines = ?6, text_hash = ?7",
    )?
    .execute(params![
        id,
        features.signature_blob(),
        features.title,
        features.clean_len,
        features.date,
        cluster::lines_blob(lines),
        features.text_hash as i64,
    ])?;
    Ok(())
}

/// An article's stored fingerprint, if it has one of the current format.
pub(super) fn stored_features(conn: &Connection, id: i64) -> rusqlite::Result<Option<Features>> {
    let row = conn
        .prepare_cached(
            "SELECT signature, title, clean_len, date FROM story_features WHERE article_id = ?1",
        )?
        .query_row([id], |r| {
            let blob: Vec<u8> = r.get(0)?;
            Ok(Features::from_stored(
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                &blob,
            ))
        })
        .optional()?;
    Ok(row.flatten())
}

/// Put an article in a story (its stories row is made by [`refresh_story`]).
pub(super) fn set_story(conn: &Connection, id: i64, story: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE articles SET story = ?2 WHERE id = ?1")?
        .execute(params![id, story])?;
    Ok(())
}

/// Recompute a story's representative from its members; a story without members is deleted.
pub(super) fn refresh_story(conn: &Connection, story: i64) -> rusqlite::Result<()> {
    let members = conn
        .prepare_cached(
            "SELECT a.id, coalesce(f.clean_len, length(a.text)), f.date
             FROM articles a LEFT JOIN story_features f ON f.article_id = a.id WHERE a.story = ?1",
        )?
        .query_map([story], |r| {
            Ok(Member {
                id: r.get(0)?,
                clean_len: r.get(1)?,
                date: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    match cluster::representative(&members) {
        Some(representative) => conn
            .prepare_cached(
                "INSERT INTO stories (id, representative) VALUES (?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET representative = ?2",
            )?
            .execute(params![story, representative])?,
        None => conn
            .prepare_cached("DELETE FROM stories WHERE id = ?1")?
            .execute([story])?,
    };
    Ok(())
}

/// Copies of one page in several sources (the same canonical URL) tell one story: the story
/// `story` of a copy of `url` just clustered joins that of the earliest copy another source
/// stored, whatever their texts (a link blog's two lines and the article itself).
pub(super) fn join_copies(
    conn: &Connection,
    stories: &mut StoryIndex,
    source: &str,
    url: &str,
    story: i64,
) -> rusqlite::Result<()> {
    let earliest: Option<i64> = conn
        .prepare_cached(
            "SELECT story FROM articles WHERE url_key = ?1 AND source != ?2 AND story IS NOT NULL
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![url, source], |r| r.get(0))
        .optional()?;
    if let Some(into) = earliest.filter(|&into| into != story) {
        merge_story(conn, story, into)?;
        stories.index.merge_story(story, into);
        refresh_story(conn, into)?;
    }
    Ok(())
}

/// Every member of story `from` moves to story `into`; `from` is no more.
fn merge_story(conn: &Connection, from: i64, into: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE articles SET story = ?2 WHERE story = ?1")?
        .execute(params![from, into])?;
    conn.prepare_cached("DELETE FROM stories WHERE id = ?1")?
        .execute([from])?;
    Ok(())
}

/// The id of a story that `article` starts: its own id, unless other articles already use that
/// id as their story (the article started it, then left it when updated in place); then a
/// number above every article and story id.
fn new_story_id(conn: &Connection, article: i64) -> rusqlite::Result<i64> {
    let taken = conn
        .prepare_cached("SELECT 1 FROM articles WHERE story = ?1 AND id != ?1 LIMIT 1")?
        .exists([article])?;
    if !taken {
        return Ok(article);
    }
    conn.query_row(
        "SELECT max(coalesce((SELECT max(id) FROM stories), 0),
                    coalesce((SELECT max(id) FROM articles), 0),
                    coalesce((SELECT max(story) FROM articles), 0)) + 1",
        [],
        |r| r.get(0),
    )
}

/// Copy each fingerprint's text hash out of its signature BLOB into its own column, for the
/// fingerprints stored before the column existed (the upgrade to schema 8).
pub(super) fn fill_text_hashes(conn: &Connection) -> rusqlite::Result<()> {
    let rows = conn
        .prepare("SELECT article_id, signature FROM story_features WHERE text_hash IS NULL")?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut update =
        conn.prepare("UPDATE story_features SET text_hash = ?2 WHERE article_id = ?1")?;
    for (id, blob) in rows {
        // A BLOB of another format stays without: it is re-fingerprinted when clustered again.
        if let Some(features) = Features::from_stored(String::new(), 0, None, &blob) {
            update.execute(params![id, features.text_hash as i64])?;
        }
    }
    Ok(())
}

/// Articles without a fingerprint (stored before clustering existed), oldest first.
/// Scans the articles table: for a one-off catch-up, not for every fetch.
pub(super) fn unclustered(conn: &Connection, limit: usize) -> rusqlite::Result<Vec<(i64, String)>> {
    conn.prepare_cached(
        "SELECT a.id, a.source FROM articles a
         WHERE NOT EXISTS (SELECT 1 FROM story_features f WHERE f.article_id = a.id)
         ORDER BY coalesce(a.published, a.fetched_at), a.id LIMIT ?1",
    )?
    .query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

impl Store {
    /// Cluster one stored article (new, or updated in place) in a transaction of its own,
    /// its source's boilerplate read first.
    pub fn cluster_article(&mut self, id: i64, params: &Params) -> rusqlite::Result<Clustered> {
        let source: String =
            self.conn
                .query_row("SELECT source FROM articles WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
        let boilerplate = self.source_boilerplate(&source)?;
        self.cluster_article_with(id, &boilerplate, params)
    }

    /// [`Store::cluster_article`] with the source's boilerplate already read (once for a batch
    /// of the same source, as a fetch does).
    pub fn cluster_article_with(
        &mut self,
        id: i64,
        boilerplate: &HashSet<u64>,
        params: &Params,
    ) -> rusqlite::Result<Clustered> {
        let stories = StoryIndex::begin(&mut self.stories);
        let tx = super::immediate(&mut self.conn)?;
        let clustered = cluster_article(&tx, stories, id, boilerplate, params)?;
        tx.commit()?;
        stories.settle();
        Ok(clustered)
    }

    /// The lines that `source` prints in several of its recent articles.
    pub fn source_boilerplate(&self, source: &str) -> rusqlite::Result<HashSet<u64>> {
        source_boilerplate(&self.conn, source)
    }

    /// Cluster up to `limit` articles that have no fingerprint yet (a database from before
    /// stories), oldest first, in one transaction. Returns how many; call until it returns 0.
    pub fn cluster_backlog(&mut self, params: &Params, limit: usize) -> rusqlite::Result<usize> {
        let stories = StoryIndex::begin(&mut self.stories);
        let tx = super::immediate(&mut self.conn)?;
        let pending = unclustered(&tx, limit)?;
        let mut boilerplate = HashMap::<String, HashSet<u64>>::new();
        for (id, source) in &pending {
            if !boilerplate.contains_key(source) {
                let lines = source_boilerplate(&tx, source)?;
                boilerplate.insert(source.clone(), lines);
            }
            cluster_article(&tx, stories, *id, &boilerplate[source], params)?;
        }
        tx.commit()?;
        stories.settle();
        Ok(pending.len())
    }

    /// An article's stored fingerprint (`None`: not clustered yet, or of an older format).
    pub fn story_features(&self, id: i64) -> rusqlite::Result<Option<Features>> {
        stored_features(&self.conn, id)
    }

    /// The articles that an article dated like `features` is compared with, sharing band keys
    /// with it, but `exclude`: `(id, story)`, those sharing the most keys first.
    pub fn story_candidates(
        &mut self,
        features: &Features,
        exclude: i64,
        params: &Params,
    ) -> rusqlite::Result<Vec<(i64, i64)>> {
        let stories = StoryIndex::begin(&mut self.stories);
        stories.cover(&self.conn, features.date, params)?;
        stories.settle();
        stories.add_identical(&self.conn, features, exclude)?;
        Ok(stories
            .index
            .candidates(features, exclude)
            .iter()
            .map(|c| (c.id, c.story))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MIGRATIONS;

    const RELEASE: &str = "Kerlann Cloud annonce avoir obtenu la qualification SecNumCloud pour son offre d'infrastructure à la demande, et lance officiellement son offre de cloud souverain.\n\n\
        Hébergée dans les deux centres de données de l'entreprise, à Brest et à Rennes, l'offre comprend des machines virtuelles, du stockage objet compatible S3 et des grappes Kubernetes managées.\n\n\
        Les premiers clients de l'offre sont la région Bretagne, le centre hospitalier universitaire de Brest et un équipementier naval. Kerlann Cloud vise 100 clients d'ici la fin de l'année.";
    const OTHER: &str = "La Mission interministérielle du logiciel libre publie l'édition 2026 de son catalogue, la liste des logiciels libres recommandés pour les administrations de l'État.\n\n\
        Chaque logiciel est accompagné d'un référent, agent public qui l'utilise en production et peut conseiller les autres administrations.";
    const FOOTER: &str = "Abonnez-vous à notre newsletter pour recevoir chaque matin l'essentiel de l'actualité du numérique souverain.";

    /// A bare article row, as the write path leaves it before clustering (`story` = its id).
    fn insert(store: &Store, source: &str, title: &str, text: &str, published: &str) -> i64 {
        store
            .conn
            .execute(
                "INSERT INTO articles (source, url, title, published, fetched_at, summary, text, content_hash)
                 VALUES (?1, 'https://example.org/' || ?2 || '/' || (SELECT count(*) FROM articles), ?2, ?3, ?3, '', ?4, '')",
                params![source, title, published, text],
            )
            .unwrap();
        let id = store.conn.last_insert_rowid();
        store
            .conn
            .execute("UPDATE articles SET story = id WHERE id = ?1", [id])
            .unwrap();
        // As the write path does: a stored article is in the full-text index.
        super::super::index_text(&store.conn, &[id]).unwrap();
        id
    }

    fn story(store: &Store, id: i64) -> i64 {
        store
            .conn
            .query_row("SELECT story FROM articles WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap()
    }

    fn representative(store: &Store, story: i64) -> Option<i64> {
        store
            .conn
            .query_row(
                "SELECT representative FROM stories WHERE id = ?1",
                [story],
                |r| r.get(0),
            )
            .optional()
            .unwrap()
    }

    /// The first two paragraphs of [`RELEASE`]: a shorter copy of it.
    fn release_opening() -> String {
        RELEASE
            .split("\n\n")
            .take(2)
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn copies_join_the_story_of_the_first_and_the_longest_represents_it() {
        let mut store = Store::open_in_memory().unwrap();
        let params = Params::default();
        let short = release_opening();
        let a = insert(
            &store,
            "kerlann",
            "Kerlann Cloud obtient SecNumCloud",
            &short,
            "2025-11-04T09:00:00Z",
        );
        let other = insert(
            &store,
            "mill",
            "Publication du catalogue",
            OTHER,
            "2025-11-04T10:00:00Z",
        );
        let b = insert(
            &store,
            "infosouveraine",
            "Le breton Kerlann Cloud décroche SecNumCloud",
            &format!("{RELEASE}\n\n{FOOTER}"),
            "2025-11-05T09:00:00Z",
        );
        assert_eq!(
            store.cluster_article(a, &params).unwrap(),
            Clustered {
                story: a,
                matched: None
            }
        );
        assert_eq!(store.cluster_article(other, &params).unwrap().matched, None);
        let joined = store.cluster_article(b, &params).unwrap();
        assert_eq!(
            joined,
            Clustered {
                story: a,
                matched: Some(a)
            }
        );
        assert_eq!(
            (story(&store, a), story(&store, b), story(&store, other)),
            (a, a, other)
        );
        assert_eq!(representative(&store, a), Some(b), "the longer text");
        assert_eq!(representative(&store, other), Some(other));
        assert_eq!(count(&store, "SELECT count(*) FROM stories"), 2);
        // Clustering again changes nothing.
        assert_eq!(store.cluster_article(b, &params).unwrap().story, a);
        assert_eq!(store.cluster_article(a, &params).unwrap().story, a);
    }

    #[test]
    fn an_article_updated_in_place_is_reclustered_and_reindexed() {
        let mut store = Store::open_in_memory().unwrap();
        let params = Params::default();
        let a = insert(
            &store,
            "kerlann",
            "Kerlann Cloud obtient SecNumCloud",
            RELEASE,
            "2025-11-04T09:00:00Z",
        );
        let b = insert(
            &store,
            "infosouveraine",
            "Kerlann Cloud décroche SecNumCloud",
            RELEASE,
            "2025-11-05T09:00:00Z",
        );
        store.cluster_article(a, &params).unwrap();
        assert_eq!(store.cluster_article(b, &params).unwrap().story, a);

        // The founder is rewritten into another text: it leaves, the story keeps its id.
        store
            .conn
            .execute(
                "UPDATE articles SET title = 'Catalogue', text = ?2 WHERE id = ?1",
                params![a, OTHER],
            )
            .unwrap();
        let moved = store.cluster_article(a, &params).unwrap();
        assert_eq!(moved.matched, None);
        assert_ne!(moved.story, a, "story {a} still has a member");
        assert_eq!(story(&store, b), a);
        assert_eq!(representative(&store, a), Some(b));
        assert_eq!(representative(&store, moved.story), Some(a));
        // Its former keys no longer find it.
        let release = store.story_features(b).unwrap().unwrap();
        let found = store.story_candidates(&release, b, &params).unwrap();
        assert!(found.iter().all(|&(id, _)| id != a), "{found:?}");

        // Rewritten back: it rejoins, and its one-member story disappears.
        store
            .conn
            .execute(
                "UPDATE articles SET text = ?2 WHERE id = ?1",
                params![a, RELEASE],
            )
            .unwrap();
        assert_eq!(store.cluster_article(a, &params).unwrap().story, a);
        assert_eq!(representative(&store, moved.story), None);
        assert_eq!(count(&store, "SELECT count(*) FROM stories"), 1);
    }

    #[test]
    fn candidates_skip_the_article_itself_and_deleted_articles() {
        let mut store = Store::open_in_memory().unwrap();
        let params = Params::default();
        let a = insert(&store, "s", "Kerlann", RELEASE, "2025-11-04T09:00:00Z");
        let b = insert(&store, "t", "Kerlann", RELEASE, "2025-11-04T10:00:00Z");
        store.cluster_article(a, &params).unwrap();
        store.cluster_article(b, &params).unwrap();
        let features = store.story_features(a).unwrap().unwrap();
        assert_eq!(
            store.story_candidates(&features, a, &params).unwrap(),
            [(b, a)]
        );
        store
            .conn
            .execute("DELETE FROM articles WHERE id = ?1", [b])
            .unwrap();
        assert_eq!(
            count(&store, "SELECT count(*) FROM story_features"),
            1,
            "cascade"
        );
        // The next process reads the index from what the database keeps.
        store.stories = None;
        assert!(store
            .story_candidates(&features, a, &params)
            .unwrap()
            .is_empty());
    }

    /// A fresh index (a new process) loads the fingerprints within reach of each date it is
    /// asked about, earlier dates too; an identical text is found at any date by its hash.
    #[test]
    fn the_index_loads_what_each_date_reaches_and_identical_texts_at_any_date() {
        let mut store = Store::open_in_memory().unwrap();
        let params = Params::default();
        let short = release_opening();
        let old = insert(&store, "a", "Kerlann", &short, "2020-03-01T09:00:00Z");
        let recent = insert(&store, "b", "Catalogue", OTHER, "2026-03-01T09:00:00Z");
        store.cluster_article(old, &params).unwrap();
        store.cluster_article(recent, &params).unwrap();

        store.stories = None;
        // First asked about 2026: 2020 is out of reach, and loaded when a 2020 copy comes.
        let again = insert(&store, "c", "Catalogue", OTHER, "2026-03-02T09:00:00Z");
        assert_eq!(store.cluster_article(again, &params).unwrap().story, recent);
        let copy = insert(&store, "d", "Kerlann", RELEASE, "2020-03-02T09:00:00Z");
        assert_eq!(store.cluster_article(copy, &params).unwrap().story, old);

        store.stories = None;
        // Six years apart: a copy is another story, an identical text the same.
        let longer = format!("{RELEASE}\n\n{FOOTER}");
        let near = insert(&store, "e", "Kerlann", &longer, "2026-03-04T09:00:00Z");
        assert_eq!(store.cluster_article(near, &params).unwrap().matched, None);
        let identical = insert(&store, "f", "Kerlann", &short, "2026-03-04T10:00:00Z");
        let identical = store.cluster_article(identical, &params).unwrap();
        assert_eq!((identical.story, identical.matched), (old, Some(old)));
    }

    /// A database of schema 7 kept its band keys in SQLite and no text hash apart: the upgrade
    /// drops the keys and copies each fingerprint's text hash into its column.
    #[test]
    fn the_upgrade_to_the_memory_index_fills_the_text_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seven.db");
        let features = Features::new("Kerlann", RELEASE, None, |_| false);
        {
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..7] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 7).unwrap();
            conn.execute(
                "INSERT INTO articles (id, source, url, title, fetched_at, summary, text, content_hash, story)
                 VALUES (1, 'a', 'https://example.org/1', 'Kerlann', '2020-01-01T00:00:00Z', '', ?1, '', 1)",
                [RELEASE],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO story_features (article_id, signature, title, clean_len, date)
                 VALUES (1, ?1, 'kerlann', 100, 1577836800)",
                [features.signature_blob()],
            )
            .unwrap();
            conn.execute("INSERT INTO story_bands VALUES (42, 1)", [])
                .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM sqlite_schema WHERE name = 'story_bands'"
            ),
            0
        );
        let hash: i64 = store
            .conn
            .query_row(
                "SELECT text_hash FROM story_features WHERE article_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(hash, features.text_hash as i64);
        // Years later, the same text is found by it.
        let again = insert(&store, "b", "Kerlann", RELEASE, "2026-01-01T00:00:00Z");
        let params = Params::default();
        assert_eq!(store.cluster_article(again, &params).unwrap().story, 1);
    }

    #[test]
    fn coverage_loads_only_the_gaps_of_a_new_reach() {
        let covered = with_interval(&[], 100, 200);
        assert_eq!(uncovered(&covered, 150, 180), []);
        assert_eq!(uncovered(&covered, 50, 250), [(50, 100), (200, 250)]);
        // A reach far away does not load what lies between.
        let covered = with_interval(&covered, 1000, 1100);
        assert_eq!(covered, [(100, 200), (1000, 1100)]);
        assert_eq!(uncovered(&covered, 150, 1050), [(200, 1000)]);
        assert_eq!(uncovered(&covered, 0, 10), [(0, 10)]);
        let covered = with_interval(&covered, 190, 1010);
        assert_eq!(covered, [(100, 1100)]);
    }

    #[test]
    fn lines_a_source_repeats_are_its_boilerplate() {
        let store = Store::open_in_memory().unwrap();
        insert(
            &store,
            "trade",
            "Un",
            &format!("Premier sujet.\n\n{FOOTER}"),
            "2026-01-01T00:00:00Z",
        );
        assert!(store.source_boilerplate("trade").unwrap().is_empty());
        insert(
            &store,
            "trade",
            "Deux",
            &format!("Second sujet.\n\n{FOOTER}"),
            "2026-01-02T00:00:00Z",
        );
        insert(&store, "other", "Trois", FOOTER, "2026-01-02T00:00:00Z");
        let lines = store.source_boilerplate("trade").unwrap();
        assert_eq!(lines, cluster::line_hashes(FOOTER).into_iter().collect());
    }

    #[test]
    fn the_migration_applies_to_a_0001_database_and_the_backlog_is_clustered() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            for (n, (source, text)) in [("a", RELEASE), ("b", RELEASE), ("c", OTHER)]
                .iter()
                .enumerate()
            {
                conn.execute(
                    "INSERT INTO articles (source, url, title, fetched_at, summary, text, content_hash, story)
                     VALUES (?1, ?2, 'Kerlann', '2025-11-04T09:00:00Z', '', ?3, '', NULL)",
                    params![source, format!("https://example.org/{n}"), text],
                )
                .unwrap();
            }
        }
        // Opening upgrades the schema and clusters what was stored before stories existed.
        let mut store = Store::open(&path).unwrap();
        assert_eq!(story(&store, 2), 1);
        assert_eq!(story(&store, 3), 3);
        assert_eq!(
            count(&store, "SELECT count(*) FROM stories"),
            2,
            "story 2 emptied"
        );
        assert_eq!(count(&store, "SELECT count(*) FROM story_features"), 3);
        assert_eq!(store.cluster_backlog(&Params::default(), 2).unwrap(), 0);
    }

    /// The labelled set of `fixtures/stories` through this module: the figures the benchmark
    /// prints, as a regression test of `Params::default()`.
    #[test]
    fn the_labelled_set_meets_its_targets() {
        #[derive(serde::Deserialize)]
        struct Labelled {
            id: i64,
            source: String,
            title: String,
            published: Option<String>,
            text: String,
            story: String,
        }
        let fixture = include_str!("../../fixtures/stories/articles.jsonl");
        let mut articles: Vec<Labelled> = fixture
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        articles.sort_by(|a, b| {
            (a.published.is_none(), &a.published, a.id).cmp(&(
                b.published.is_none(),
                &b.published,
                b.id,
            ))
        });
        let mut store = Store::open_in_memory().unwrap();
        let params = Params::default();
        let mut stored = Vec::new();
        for a in &articles {
            let date = a.published.as_deref().unwrap_or("2026-12-01T00:00:00Z");
            let date = DateTime::parse_from_rfc3339(date)
                .unwrap()
                .with_timezone(&Utc);
            let id = insert(
                &store,
                &a.source,
                &a.title,
                &a.text,
                &crate::store::write::format_time(date),
            );
            store.cluster_article(id, &params).unwrap();
            stored.push((a, id));
        }
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for (i, (a, x)) in stored.iter().enumerate() {
            for (b, y) in &stored[i + 1..] {
                match (a.story == b.story, story(&store, *x) == story(&store, *y)) {
                    (true, true) => tp += 1,
                    (false, true) => fp += 1,
                    (true, false) => fn_ += 1,
                    (false, false) => {}
                }
            }
        }
        let precision = f64::from(tp) / f64::from(tp + fp);
        let recall = f64::from(tp) / f64::from(tp + fn_);
        assert!(articles.len() >= 40 && tp + fn_ >= 25);
        assert!(
            precision >= 0.98 && recall >= 0.95,
            "P {precision:.3} R {recall:.3}"
        );
    }
}
