//! The JSON of `veille digest --format json` (the stories with their members, the representative
//! in the JSON of `search`) and of `--list --format json`.

use crate::digest::{Also, Digest, Entry, FailedSource};
use crate::store::DigestRecord;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[derive(Serialize)]
pub struct DigestJson<'a> {
    title: &'a str,
    since: String,
    until: String,
    period: &'a str,
    stories: Vec<StoryJson<'a>>,
    failed_sources: &'a [FailedSource],
}

#[derive(Serialize)]
struct StoryJson<'a> {
    story: i64,
    /// The group it is listed under: a topic, or null for untagged stories.
    topic: Option<&'a str>,
    lead: &'a str,
    /// The representative, in the JSON of `search`.
    article: ArticleJson<'a>,
    /// Every article of the story, the representative first.
    members: Vec<MemberJson<'a>>,
}

#[derive(Serialize)]
struct ArticleJson<'a> {
    id: i64,
    title: &'a str,
    url: &'a str,
    source: &'a str,
    published: Option<String>,
    fetched_at: String,
    author: Option<&'a str>,
    tags: Vec<&'a str>,
    summary: &'a str,
    story: i64,
    duplicates: Vec<DuplicateJson<'a>>,
}

#[derive(Serialize)]
struct DuplicateJson<'a> {
    id: i64,
    source: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct MemberJson<'a> {
    id: i64,
    title: &'a str,
    url: &'a str,
    source: &'a str,
    published: Option<String>,
    fetched_at: String,
}

impl<'a> MemberJson<'a> {
    fn other(a: &'a Also) -> Self {
        MemberJson {
            id: a.id,
            title: &a.title,
            url: &a.url,
            source: &a.source,
            published: a.published.as_ref().map(time),
            fetched_at: time(&a.fetched_at),
        }
    }

    fn first(e: &'a Entry) -> Self {
        MemberJson {
            id: e.id,
            title: &e.title,
            url: &e.url,
            source: &e.source,
            published: e.published.as_ref().map(time),
            fetched_at: time(&e.fetched_at),
        }
    }
}

impl<'a> DigestJson<'a> {
    pub fn new(digest: &'a Digest) -> Self {
        let stories = digest
            .groups
            .iter()
            .flat_map(|g| g.entries.iter().map(move |e| (g, e)))
            .map(|(group, e)| StoryJson {
                story: e.story,
                topic: (group.name != crate::digest::OTHER).then_some(group.name.as_str()),
                lead: &e.lead,
                article: ArticleJson {
                    id: e.id,
                    title: &e.title,
                    url: &e.url,
                    source: &e.source,
                    published: e.published.as_ref().map(time),
                    fetched_at: time(&e.fetched_at),
                    author: e.author.as_deref(),
                    tags: e.tags.iter().map(|t| t.name.as_str()).collect(),
                    summary: &e.summary,
                    story: e.story,
                    duplicates: e
                        .others
                        .iter()
                        .map(|o| DuplicateJson {
                            id: o.id,
                            source: &o.source,
                            url: &o.url,
                        })
                        .collect(),
                },
                members: std::iter::once(MemberJson::first(e))
                    .chain(e.others.iter().map(MemberJson::other))
                    .collect(),
            })
            .collect();
        DigestJson {
            title: &digest.title,
            since: time(&digest.period.since),
            until: time(&digest.period.until),
            period: &digest.period.words,
            stories,
            failed_sources: &digest.failed_sources,
        }
    }
}

#[derive(Serialize)]
pub struct RecordJson<'a> {
    id: i64,
    created_at: &'a str,
    since: &'a str,
    until: &'a str,
    format: &'a str,
    sent: bool,
    recipients: &'a [String],
    message_id: Option<&'a str>,
    subject: Option<&'a str>,
    stories: i64,
}

impl<'a> RecordJson<'a> {
    pub fn new(r: &'a DigestRecord) -> Self {
        RecordJson {
            id: r.id,
            created_at: &r.created_at,
            since: &r.since,
            until: &r.until,
            format: &r.format,
            sent: r.sent,
            recipients: &r.recipients,
            message_id: r.message_id.as_deref(),
            subject: r.subject.as_deref(),
            stories: r.stories,
        }
    }
}
