//! Tags corrected by hand (`veille tag ID +T -T`) and the topic models learnt from them: the
//! corrections, the examples they make, the stored models, and tagging a few articles again.
//! Every correction is applied over the tags of its article whenever they are written.

use super::write::{format_time, replace_tags};
use super::Store;
use crate::tag::Tag;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

/// One correction as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub article_id: i64,
    pub title: String,
    pub topic: String,
    /// Set by hand (`+TOPIC`), or removed by hand (`-TOPIC`).
    pub present: bool,
    pub corrected_at: String,
}

/// An article with at least one correction: a training example of the topic models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub article_id: i64,
    pub title: String,
    pub text: String,
    /// Changes when the article's text does (a re-fetch): the model is then retrained.
    pub content_hash: String,
    /// (topic, present) of every correction of the article.
    pub corrections: Vec<(String, bool)>,
    /// The topics the article carries now, with their reasons as JSON.
    pub tags: Vec<(String, String)>,
}

/// A topic's model as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredModel {
    pub topic: String,
    /// The fingerprint of the examples it learnt from.
    pub examples: String,
    pub model: String,
}

/// The corrections of one article, by topic: what [`replace_tags`] applies over the tags.
pub(super) fn corrections_of(conn: &Connection, id: i64) -> rusqlite::Result<Vec<(String, bool)>> {
    conn.prepare_cached(
        "SELECT topic, present FROM tag_corrections WHERE article_id = ?1 ORDER BY topic",
    )?
    .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

impl Store {
    /// Whether an article has this id.
    pub fn article_exists(&self, id: i64) -> rusqlite::Result<bool> {
        self.conn
            .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?
            .exists([id])
    }

    /// The articles of the story `story`, by id (none when no article belongs to it).
    pub fn story_article_ids(&self, story: i64) -> rusqlite::Result<Vec<i64>> {
        self.conn
            .prepare_cached("SELECT id FROM articles WHERE story = ?1 ORDER BY id")?
            .query_map([story], |r| r.get(0))?
            .collect()
    }

    /// Record corrections, in one transaction: `(article, topic, Some(present))` sets or
    /// removes the topic for good, `None` forgets the correction (the rules decide again).
    pub fn correct(
        &mut self,
        changes: &[(i64, String, Option<bool>)],
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let now = format_time(now);
        let tx = self.write()?;
        {
            let mut set = tx.prepare_cached(
                "INSERT INTO tag_corrections (article_id, topic, present, corrected_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (article_id, topic) DO UPDATE SET present = ?3, corrected_at = ?4",
            )?;
            let mut forget = tx.prepare_cached(
                "DELETE FROM tag_corrections WHERE article_id = ?1 AND topic = ?2",
            )?;
            for (id, topic, present) in changes {
                match present {
                    Some(present) => set.execute(params![id, topic, present, now])?,
                    None => forget.execute(params![id, topic])?,
                };
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every correction, newest first.
    pub fn corrections(&self) -> rusqlite::Result<Vec<Correction>> {
        self.conn
            .prepare(
                "SELECT c.article_id, a.title, c.topic, c.present, c.corrected_at
                 FROM tag_corrections c JOIN articles a ON a.id = c.article_id
                 ORDER BY c.corrected_at DESC, c.article_id, c.topic",
            )?
            .query_map([], |r| {
                Ok(Correction {
                    article_id: r.get(0)?,
                    title: r.get(1)?,
                    topic: r.get(2)?,
                    present: r.get(3)?,
                    corrected_at: r.get(4)?,
                })
            })?
            .collect()
    }

    /// Every corrected article, by id, with its corrections and current tags.
    pub fn examples(&self) -> rusqlite::Result<Vec<Example>> {
        let mut examples: Vec<Example> = self
            .conn
            .prepare(
                "SELECT id, title, text, content_hash FROM articles
                 WHERE id IN (SELECT article_id FROM tag_corrections) ORDER BY id",
            )?
            .query_map([], |r| {
                Ok(Example {
                    article_id: r.get(0)?,
                    title: r.get(1)?,
                    text: r.get(2)?,
                    content_hash: r.get(3)?,
                    corrections: Vec::new(),
                    tags: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut tags = self.conn.prepare_cached(
            "SELECT topic, reasons FROM article_tags WHERE article_id = ?1 ORDER BY topic",
        )?;
        for example in &mut examples {
            example.corrections = corrections_of(&self.conn, example.article_id)?;
            example.tags = tags
                .query_map([example.article_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
        }
        Ok(examples)
    }

    /// The stored topic models.
    pub fn models(&self) -> rusqlite::Result<Vec<StoredModel>> {
        self.conn
            .prepare("SELECT topic, examples, model FROM topic_models ORDER BY topic")?
            .query_map([], |r| {
                Ok(StoredModel {
                    topic: r.get(0)?,
                    examples: r.get(1)?,
                    model: r.get(2)?,
                })
            })?
            .collect()
    }

    /// Replace the stored models of `topics` with `models` (a topic of `topics` missing from
    /// `models` loses its model), in one transaction.
    pub fn save_models(
        &mut self,
        topics: &[String],
        models: &[StoredModel],
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let now = format_time(now);
        let tx = self.write()?;
        for topic in topics {
            tx.execute("DELETE FROM topic_models WHERE topic = ?1", [topic])?;
        }
        for model in models {
            tx.execute(
                "INSERT OR REPLACE INTO topic_models (topic, examples, model, trained_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![model.topic, model.examples, model.model, now],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Tag the articles `ids` again with `tag(source, title, text)`, corrections applied.
    pub fn retag_articles(
        &mut self,
        ids: &[i64],
        tag: impl Fn(&str, &str, &str) -> Vec<Tag>,
    ) -> anyhow::Result<()> {
        let tx = self.write()?;
        {
            let mut read =
                tx.prepare_cached("SELECT source, title, text FROM articles WHERE id = ?1")?;
            for &id in ids {
                let (source, title, text): (String, String, String) =
                    read.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                replace_tags(&tx, id, &tag(&source, &title, &text))?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every stored article as `(id, source, title, text, tags)`, by id, one at a time.
    pub fn each_article(
        &self,
        mut visit: impl FnMut(i64, &str, &str, &str, &[String]),
    ) -> rusqlite::Result<()> {
        let mut articles = self
            .conn
            .prepare("SELECT id, source, title, text FROM articles ORDER BY id")?;
        let mut tags = self.conn.prepare_cached(
            "SELECT topic FROM article_tags WHERE article_id = ?1 ORDER BY topic",
        )?;
        let mut rows = articles.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let topics: Vec<String> = tags
                .query_map([id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            visit(
                id,
                &row.get::<_, String>(1)?,
                &row.get::<_, String>(2)?,
                &row.get::<_, String>(3)?,
                &topics,
            );
        }
        Ok(())
    }
}
