//! The digest of a period, as data: the stories the store selected → entries grouped by topic (in
//! the order of the configuration, untagged last under « Autres »), each with its lead sentences
//! and the other sources that carried it; the period in words; the sources that failed.
//! Pure: no database, no clock, no files; `render` turns a [`Digest`] into text, `email` into a
//! message. The [`Digest`] is serialisable: it is what a recorded digest keeps to be replayed.

pub mod email;
mod lead;
pub mod render;
mod words;

pub use lead::lead;
pub use words::{day_in_words, period_in_words};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The lead of an entry is cut at a sentence boundary before this many characters.
pub const LEAD_MAX_CHARS: usize = 280;
/// The name of the group of untagged stories.
pub const OTHER: &str = "other";

/// The language of the labels of the built-in templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fr,
    En,
}

/// One stored article of a story, as the store gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub source: String,
    pub published: Option<DateTime<Utc>>,
    pub fetched_at: DateTime<Utc>,
    pub author: Option<String>,
    pub summary: String,
    pub text: String,
    /// Topic names.
    pub tags: Vec<String>,
}

/// A story the store selected for the period: its representative first, then the other members
/// oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub story: i64,
    pub members: Vec<Member>,
}

/// A failing source, from its stored health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedSource {
    pub name: String,
    pub error: String,
    pub failures: i64,
}

/// What shapes a digest besides its stories.
#[derive(Debug, Clone)]
pub struct Options {
    pub title: String,
    pub lang: Lang,
    /// (name, label) of the configured topics, in configuration order.
    pub topics: Vec<(String, String)>,
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub timezone: Tz,
    /// Keep untagged stories, last, under « Autres ».
    pub other: bool,
    /// Leave out stories published this long before `since`.
    pub max_age: Option<chrono::Duration>,
    /// Only stories one of whose members comes from one of these sources (all when empty).
    pub sources: Vec<String>,
    /// Only stories one of whose members has one of these tags (all when empty).
    pub tags: Vec<String>,
}

impl Options {
    /// Whether `--source` and `--tag` let the story in: one of its members must match each.
    fn admits(&self, candidate: &Candidate) -> bool {
        let members = &candidate.members;
        (self.sources.is_empty() || members.iter().any(|m| self.sources.contains(&m.source)))
            && (self.tags.is_empty()
                || members
                    .iter()
                    .any(|m| m.tags.iter().any(|t| self.tags.contains(t))))
    }
}

/// The period of a digest: `[since, until)`, and in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    /// « Semaine du 16 au 22 novembre 2026 ».
    pub words: String,
    /// The first and last days: « 16 novembre 2026 », « 22 novembre 2026 ».
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRef {
    pub name: String,
    pub label: String,
}

/// Another source that carried the story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Also {
    pub id: i64,
    pub source: String,
    pub title: String,
    /// The article's URL, and `link` the same when it may be linked (http or https only).
    pub url: String,
    pub link: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub fetched_at: DateTime<Utc>,
}

/// One story of the digest: its representative article and the other sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub story: i64,
    pub id: i64,
    pub title: String,
    pub url: String,
    /// `url` when it may be linked (http or https), else none: no other scheme reaches a link.
    pub link: Option<String>,
    pub source: String,
    pub published: Option<DateTime<Utc>>,
    pub fetched_at: DateTime<Utc>,
    /// The publication date (else the first-stored date) in words, in the configured time zone.
    pub date: String,
    pub author: Option<String>,
    pub tags: Vec<TagRef>,
    /// The stored summary (at most 300 characters), as in the JSON of `search`.
    pub summary: String,
    /// The lead sentences of the text, cut at a sentence boundary.
    pub lead: String,
    /// The other members, one per other source, oldest first: "also reported by".
    pub also: Vec<Also>,
    /// Every other member of the story, oldest first.
    pub others: Vec<Also>,
}

/// The entries of one topic (or of « Autres »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The topic's name; [`OTHER`] for untagged stories.
    pub name: String,
    pub label: String,
    pub count: usize,
    pub entries: Vec<Entry>,
}

/// A digest, ready to render; kept as JSON with a recorded digest so that it replays exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digest {
    pub title: String,
    pub lang: Lang,
    pub period: Period,
    /// When it was built, and that day in words.
    pub generated: DateTime<Utc>,
    pub generated_day: String,
    pub groups: Vec<Group>,
    /// Stories in the digest.
    pub total: usize,
    pub failed_sources: Vec<FailedSource>,
}

impl Digest {
    /// Every entry, group after group.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.groups.iter().flat_map(|g| g.entries.iter())
    }
}

/// Only `http` and `https` URLs are linked from a digest.
pub fn linkable(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    matches!(parsed.scheme(), "http" | "https")
        .then(|| parsed.host().is_some())
        .filter(|has_host| *has_host)
        .map(|_| parsed.to_string())
}

/// Group the candidates by topic and shape each entry.
pub fn build(
    candidates: Vec<Candidate>,
    failed_sources: Vec<FailedSource>,
    options: &Options,
    now: DateTime<Utc>,
) -> Digest {
    let label_of = |name: &str| {
        options
            .topics
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, l)| l.clone())
    };
    let mut groups: Vec<Group> = options
        .topics
        .iter()
        .map(|(name, label)| Group {
            name: name.clone(),
            label: label.clone(),
            count: 0,
            entries: Vec::new(),
        })
        .collect();
    let mut other = Group {
        name: OTHER.to_string(),
        label: words::labels(options.lang).other.to_string(),
        count: 0,
        entries: Vec::new(),
    };
    let oldest = options
        .max_age
        .and_then(|age| options.since.checked_sub_signed(age));
    for candidate in candidates {
        if !options.admits(&candidate) {
            continue;
        }
        let Some(entry) = entry(candidate, options, &label_of) else {
            continue;
        };
        if let (Some(oldest), Some(published)) = (oldest, entry.published) {
            if published < oldest {
                continue;
            }
        }
        // A story with several topics is listed once, under the first in configuration order.
        let group = entry
            .tags
            .first()
            .and_then(|t| groups.iter_mut().find(|g| g.name == t.name));
        match group {
            Some(group) => group.entries.push(entry),
            None if options.other => other.entries.push(entry),
            None => {}
        }
    }
    groups.push(other);
    groups.retain(|g| !g.entries.is_empty());
    for group in &mut groups {
        // Newest first; the title breaks ties so that the order never depends on storage order.
        group.entries.sort_by(|a, b| {
            let day = |e: &Entry| e.published.unwrap_or(e.fetched_at);
            day(b).cmp(&day(a)).then_with(|| a.title.cmp(&b.title))
        });
        group.count = group.entries.len();
    }
    // When the newest story of the digest was first stored: the words cover its day.
    let latest = groups
        .iter()
        .flat_map(|g| &g.entries)
        .flat_map(|e| std::iter::once(e.fetched_at).chain(e.others.iter().map(|o| o.fetched_at)))
        .filter(|t| *t >= options.since && *t < options.until)
        .max();
    let tz = options.timezone;
    let (first_day, last_day) = words::days(options.since, options.until, latest, tz);
    Digest {
        title: options.title.clone(),
        lang: options.lang,
        period: Period {
            since: options.since,
            until: options.until,
            words: period_in_words(options.since, options.until, latest, tz, options.lang),
            start: words::full_date(first_day, options.lang),
            end: words::full_date(last_day, options.lang),
        },
        generated: now,
        generated_day: day_in_words(now, options.timezone, options.lang),
        total: groups.iter().map(|g| g.count).sum(),
        groups,
        failed_sources,
    }
}

fn entry(
    candidate: Candidate,
    options: &Options,
    label_of: &dyn Fn(&str) -> Option<String>,
) -> Option<Entry> {
    let mut members = candidate.members.into_iter();
    let first = members.next()?;
    let rest: Vec<Member> = members.collect();
    // The story's topics: every member's, in configuration order (a copy may be tagged when the
    // representative is not), and only configured ones.
    let tags: Vec<TagRef> = options
        .topics
        .iter()
        .filter(|(name, _)| {
            std::iter::once(&first)
                .chain(&rest)
                .any(|m| m.tags.contains(name))
        })
        .filter_map(|(name, _)| {
            label_of(name).map(|label| TagRef {
                name: name.clone(),
                label,
            })
        })
        .collect();
    let others: Vec<Also> = rest
        .into_iter()
        .map(|member| Also {
            id: member.id,
            link: linkable(&member.url),
            source: member.source,
            title: member.title,
            url: member.url,
            published: member.published,
            fetched_at: member.fetched_at,
        })
        .collect();
    let mut also: Vec<Also> = Vec::new();
    for other in &others {
        if other.source != first.source && !also.iter().any(|a| a.source == other.source) {
            also.push(other.clone());
        }
    }
    let text = if first.text.trim().is_empty() {
        &first.summary
    } else {
        &first.text
    };
    Some(Entry {
        story: candidate.story,
        id: first.id,
        lead: lead(text, LEAD_MAX_CHARS),
        link: linkable(&first.url),
        date: day_in_words(
            first.published.unwrap_or(first.fetched_at),
            options.timezone,
            options.lang,
        ),
        title: first.title,
        url: first.url,
        source: first.source,
        published: first.published,
        fetched_at: first.fetched_at,
        author: first.author,
        tags,
        summary: first.summary,
        also,
        others,
    })
}

#[cfg(test)]
mod tests;
