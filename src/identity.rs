//! Identity keys of a batch of drafts from one source, before the store judges them.
//!
//! An article is one item of one source. The written order in which an item is recognised as
//! an article already stored (`store/write.rs` applies it, the unique index of `(source, guid)`
//! is the final judge): (1) its GUID within the source; (2) else, among the source's articles
//! at the same canonical URL, the one with the same title and the same date, or, when either
//! has no date, the same text (a feed that rotates its GUIDs stays one article an item, and a
//! new post that only shares the link and title of an old one is a new article); (3) else, for an item without a GUID, the only article of the
//! source at that URL (its title was edited); (4) else it is new. Items that share a link but
//! have their own GUIDs and titles (a podcast whose episodes all link to the show, posts told
//! apart by `#fragment` permalinks) are distinct articles. Two sources that link the same page
//! each keep their copy: the copies make one story (`store/cluster.rs`), not one article.
//!
//! This module prepares the batch: a GUID that one feed gives to two items with different
//! links identifies nothing and is dropped for those items, which then stand by their URLs
//! and titles; an item with neither GUID nor link gets a fingerprint of its title, date and
//! text as its GUID, `veille:<hash>`; an item listed twice in one feed is kept once.

use crate::model::ArticleDraft;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Prefix of the GUIDs veille makes for items that have no identity of their own.
pub const SYNTHETIC_GUID_PREFIX: &str = "veille:";

/// Prepare one source's drafts for the store's identity order, in place, and drop exact
/// repeats (the same item listed twice in one feed).
pub fn assign(drafts: &mut Vec<ArticleDraft>) {
    let mut links_by_guid: HashMap<String, HashSet<Option<String>>> = HashMap::new();
    for draft in drafts.iter() {
        if let Some(guid) = &draft.guid {
            links_by_guid
                .entry(guid.clone())
                .or_default()
                .insert(draft.url.clone());
        }
    }
    for draft in drafts.iter_mut() {
        let shared = draft
            .guid
            .as_ref()
            .is_some_and(|g| links_by_guid.get(g).is_some_and(|links| links.len() > 1));
        if shared && draft.url.is_some() {
            draft.guid = None;
        }
        if draft.guid.is_none() && draft.url.is_none() {
            draft.guid = Some(synthetic_guid(draft));
        }
    }
    // The same item twice: the same GUID at the same link, or, without a GUID, the same title
    // at the same link.
    let mut seen = HashSet::new();
    drafts.retain(|d| {
        let title = d.guid.is_none().then(|| d.title.clone());
        seen.insert((d.guid.clone(), d.url.clone(), title))
    });
}

fn synthetic_guid(draft: &ArticleDraft) -> String {
    let mut hash = Sha256::new();
    hash.update(draft.title.as_bytes());
    hash.update([0]);
    if let Some(date) = draft.published {
        hash.update(date.timestamp().to_le_bytes());
    }
    hash.update([0]);
    hash.update(draft.text.as_bytes());
    let digest = hash.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("{SYNTHETIC_GUID_PREFIX}{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(guid: Option<&str>, url: Option<&str>, title: &str) -> ArticleDraft {
        ArticleDraft {
            guid: guid.map(str::to_string),
            url: url.map(str::to_string),
            title: title.to_string(),
            author: None,
            published: None,
            published_approximate: false,
            summary: String::new(),
            text: String::new(),
        }
    }

    #[test]
    fn a_shared_guid_with_different_links_is_dropped() {
        let mut drafts = vec![
            draft(Some("g"), Some("https://a.org/1"), "one"),
            draft(Some("g"), Some("https://a.org/2"), "two"),
            draft(Some("h"), Some("https://a.org/3"), "three"),
        ];
        assign(&mut drafts);
        assert_eq!(drafts.len(), 3);
        assert_eq!(drafts[0].guid, None);
        assert_eq!(drafts[1].guid, None);
        assert_eq!(drafts[2].guid.as_deref(), Some("h"));
    }

    #[test]
    fn items_without_link_or_guid_get_a_stable_synthetic_guid() {
        let mut first = vec![draft(None, None, "Sans lien")];
        let mut second = first.clone();
        assign(&mut first);
        assign(&mut second);
        let guid = first[0].guid.clone().unwrap();
        assert!(guid.starts_with(SYNTHETIC_GUID_PREFIX));
        assert_eq!(second[0].guid.as_deref(), Some(guid.as_str()));
    }

    #[test]
    fn an_item_listed_twice_is_kept_once() {
        let mut drafts = vec![
            draft(Some("g"), Some("https://a.org/1"), "one"),
            draft(Some("g"), Some("https://a.org/1"), "one again"),
        ];
        assign(&mut drafts);
        assert_eq!(drafts.len(), 1);
    }

    /// Posts told apart only by `#fragment` permalinks share a canonical URL and no GUID: their
    /// titles keep them apart; the same title twice is a repeat.
    #[test]
    fn items_without_guid_at_one_link_stay_apart_by_their_titles() {
        let mut drafts = vec![
            draft(None, Some("https://a.org/blog"), "first post"),
            draft(None, Some("https://a.org/blog"), "second post"),
            draft(None, Some("https://a.org/blog"), "second post"),
        ];
        assign(&mut drafts);
        let titles: Vec<&str> = drafts.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(titles, ["first post", "second post"]);
    }
}
