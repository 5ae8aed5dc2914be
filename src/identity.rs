//! Identity keys of a batch of drafts from one source, before the store judges them.
//!
//! The written fallback order of an article's identity: (1) the canonical URL of its own link,
//! across all sources; (2) its GUID within the source; (3) when it has neither, a fingerprint of
//! its title, date and text, stored as a GUID `veille:<hash>`. A GUID that one feed gives to two
//! items with different links identifies nothing: it is dropped for those items, which then
//! stand by their URLs, so that no item is lost. The unique indexes of the store are the final
//! judges.

use crate::model::ArticleDraft;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Prefix of the GUIDs veille makes for items that have no identity of their own.
pub const SYNTHETIC_GUID_PREFIX: &str = "veille:";

/// Apply the fallback order to one source's drafts, in place, and drop exact repeats
/// (the same item listed twice in one feed).
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
    let mut seen = HashSet::new();
    drafts.retain(|d| seen.insert((d.guid.clone(), d.url.clone())));
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
}
