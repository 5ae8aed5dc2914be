//! Entry points of the fuzz targets (`fuzz/`, `cargo fuzz run TARGET`), one per stage that reads
//! untrusted input. The tests run them again on every input a fuzzer ever made crash
//! (`fuzz/regressions/TARGET/`), so a fixed crash stays fixed. Each must return, never panic.

use crate::model::Topic;
use url::Url;

/// One fuzz entry point: any bytes, never a panic.
pub type Target = fn(&[u8]);

/// The fuzz targets, by name: the directory names under `fuzz/regressions/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("feed", feed),
    ("url", url),
    ("dates", dates),
    ("extract", extract),
    ("listing", listing),
    ("rules", rules),
];

fn base() -> Url {
    Url::parse("https://fuzz.example.org/feed/").unwrap_or_else(|_| unreachable!())
}

/// Feed bytes → drafts, identities and bounds, as `fetch` does.
pub fn feed(data: &[u8]) {
    let now = chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(20_000);
    if let Ok(mut parsed) = crate::parse::feed::parse_feed(data, Some("application/xml"), &base()) {
        crate::identity::assign(&mut parsed.items);
        for draft in &mut parsed.items {
            crate::normalize::bound_draft(draft, now);
        }
    }
}

/// A link (first line) resolved against a base (second line) and canonicalised.
pub fn url(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (link, base) = text
        .split_once('\n')
        .unwrap_or((&text, "https://e.org/a/b"));
    let base = Url::parse(base).ok();
    if let Some(canonical) = crate::normalize::canonical_url(link, base.as_ref()) {
        // Canonical is a fixed point.
        let again = crate::normalize::canonical_url(&canonical, None);
        assert_eq!(
            again.as_deref(),
            Some(canonical.as_str()),
            "not idempotent: {link:?}"
        );
    }
}

/// Dates as feeds and pages write them.
pub fn dates(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::dates::parse_feed_date(&text);
    let _ = crate::dates::parse_page_date(&text, chrono_tz::Europe::Paris);
}

/// An article page → metadata and main text.
pub fn extract(data: &[u8]) {
    let html = crate::charset::decode_page(data, None);
    let selectors = crate::extract::PageSelectors::default();
    let _ = crate::extract::article(&html, &base(), &selectors, chrono_tz::Europe::Paris);
}

/// A listing page read with fixed selectors.
pub fn listing(data: &[u8]) {
    let html = crate::charset::decode_page(data, None);
    let selectors = crate::model::Selectors {
        item: "article, li".into(),
        link: "a@href".into(),
        title: Some("h2, h3".into()),
        date: Some("time@datetime".into()),
        next: Some("a[rel=next]".into()),
        ..crate::model::Selectors::default()
    };
    if let Ok(compiled) = crate::parse::html::ListingSelectors::compile(&selectors) {
        let _ = crate::parse::html::parse_listing(&html, &base(), &compiled, |text| {
            crate::parse::html::listing_date(text, chrono_tz::Europe::Paris)
        });
    }
}

/// Topic rules from the first line (keywords separated by `,`; `re:` marks a pattern,
/// `-` an exclusion), applied to the rest as title (second line) and text.
pub fn rules(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.splitn(3, '\n');
    let spec = lines.next().unwrap_or_default();
    let title = lines.next().unwrap_or_default();
    let body = lines.next().unwrap_or_default();
    let mut topic = Topic {
        name: "fuzz".into(),
        label: "Fuzz".into(),
        keywords: Vec::new(),
        patterns: Vec::new(),
        exclude: Vec::new(),
        min_score: 1,
    };
    for term in spec.split(',').filter(|t| !t.trim().is_empty()).take(64) {
        if let Some(pattern) = term.strip_prefix("re:") {
            if regex::Regex::new(pattern).is_ok() {
                topic.patterns.push(pattern.to_string());
            }
        } else if let Some(excluded) = term.strip_prefix('-') {
            topic.exclude.push(excluded.to_string());
        } else {
            topic.keywords.push(term.to_string());
        }
    }
    if let Ok(rules) = crate::tag::Rules::compile(std::slice::from_ref(&topic)) {
        let _ = rules.tag(title, body, &[]);
    }
}
