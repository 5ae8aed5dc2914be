//! Normalisation of what sources hand us: canonical URLs, HTML to plain text, one-line titles and summaries.
//! Pure functions only: no I/O, no clock, no network.

mod mojibake;
mod nesting;
pub use mojibake::repair_mojibake;
pub use nesting::{bound_nesting, MAX_DEPTH};

use scraper::{Html, Node};
use url::Url;

/// Longest summary kept for an article, in characters (the ellipsis included).
pub const SUMMARY_MAX_CHARS: usize = 300;

/// Query parameters that only track the reader, matched in any case.
#[rustfmt::skip]
const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "xtor", "_hsenc",
    "_hsmi", "mkt_tok", "yclid", "igshid", "oly_anon_id", "oly_enc_id", "vero_id", "__s", "ref_src",
];

/// Prefixes of tracking parameter families: Google Analytics (utm_*) and AT Internet (at_*).
const TRACKING_PREFIXES: &[&str] = &["utm_", "at_"];

/// Whether a raw `name[=value]` query pair only tracks the reader.
fn is_tracking_param(pair: &str) -> bool {
    let name = pair.split('=').next().unwrap_or(pair).to_ascii_lowercase();
    TRACKING_PARAMS.contains(&name.as_str())
        || TRACKING_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Elements whose content is never text for a reader.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "template" | "iframe" | "object"
    )
}

/// What an element puts around its content.
fn element_gap(name: &str) -> Gap {
    match name {
        "address" | "article" | "aside" | "blockquote" | "caption" | "center" | "dd"
        | "details" | "dialog" | "div" | "dl" | "dt" | "fieldset" | "figcaption" | "figure"
        | "footer" | "form" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "header" | "hr" | "li"
        | "main" | "nav" | "ol" | "p" | "pre" | "section" | "summary" | "table" | "tbody"
        | "tfoot" | "thead" | "tr" | "ul" => Gap::Paragraph,
        // Table cells get a space so that their words do not stick together.
        "td" | "th" => Gap::Space,
        _ => Gap::None,
    }
}

/// Sentence ends that `summarize` prefers to cut after.
const SENTENCE_ENDS: &[&str] = &[". ", "! ", "? "];

/// Resolve `raw` against `base`, keep only http/https, and canonicalise:
/// scheme and host lower-case, default port removed, fragment removed, tracking query parameters removed
/// (`TRACKING_PARAMS`, `TRACKING_PREFIXES`), other parameters kept in their order and
/// their encoding, an empty query removed, surrounding whitespace trimmed. The path is kept as is.
/// Returns None for empty or unparsable input and for any scheme other than http/https.
/// A protocol-relative `//host/path` needs a `base` to get a scheme.
pub fn canonical_url(raw: &str, base: Option<&Url>) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let mut url = match base {
        Some(base) => base.join(raw).ok()?,
        None => Url::parse(raw).ok()?,
    };
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    // The url crate already lower-cases scheme and host and drops a default port.
    url.set_fragment(None);
    let kept = url.query().map(|query| {
        query
            .split('&')
            .filter(|pair| !pair.is_empty() && !is_tracking_param(pair))
            .collect::<Vec<_>>()
            .join("&")
    });
    match kept {
        Some(query) if !query.is_empty() => url.set_query(Some(&query)),
        _ => url.set_query(None),
    }
    Some(url.into())
}

/// HTML (or plain text that may contain entities) to plain text: entities decoded, tags stripped,
/// script/style/noscript/template/iframe/object content dropped, block elements separated by "\n\n", `<br>` giving "\n"
/// (two in a row give "\n\n"), whitespace runs inside a paragraph folded to one space (non-breaking
/// spaces included), no leading/trailing whitespace, at most one blank line between paragraphs.
/// Control characters other than whitespace are dropped.
/// Input with no '<' and no '&' is only whitespace-folded, keeping its blank-line paragraph breaks.
pub fn html_to_text(html: &str) -> String {
    render(html, false)
}

/// Like [`html_to_text`] but everything on one line (all whitespace folded to single spaces).
/// For titles and authors.
pub fn html_to_line(html: &str) -> String {
    render(html, true)
}

/// A title longer than this is cut (at a word boundary, with "…"): a 1 MB title is an attack or
/// a bug, and no reader wants it.
pub const MAX_TITLE_CHARS: usize = 500;
/// Publication dates before this year are placeholders (the Unix epoch of an empty date field)
/// or birth dates: the web of news pages starts here. Page metadata applies it too.
pub const EARLIEST_YEAR: i32 = 1995;
/// A publication date further ahead of the fetch than this is not believed (clock skew and
/// time zones account for less).
pub const MAX_DATE_AHEAD: chrono::Duration = chrono::Duration::days(2);

/// Bring a draft within what veille stores: the title cut to [`MAX_TITLE_CHARS`], a publication
/// date outside [`EARLIEST_YEAR`] .. `now` + [`MAX_DATE_AHEAD`] dropped (`null`, never replaced
/// by `now`: the source gave no usable date).
pub fn bound_draft(draft: &mut crate::model::ArticleDraft, now: chrono::DateTime<chrono::Utc>) {
    if draft.title.chars().count() > MAX_TITLE_CHARS {
        draft.title = summarize(&draft.title, MAX_TITLE_CHARS);
    }
    if let Some(date) = draft.published {
        if chrono::Datelike::year(&date) < EARLIEST_YEAR || date > now + MAX_DATE_AHEAD {
            draft.published = None;
            draft.published_approximate = false;
        }
    }
}

/// Fold every run of Unicode whitespace to one space and trim.
pub fn fold_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Text folded for matching: lower-case, accents removed (canonical decomposition, combining marks
/// dropped), ligatures spelled out (œ → oe, æ → ae, ß → ss), typographic apostrophes, quotes and
/// dashes made ASCII, non-breaking spaces made spaces. One output character stands for each input
/// letter but ligatures, so it is for comparing text, never for display.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            // Nothing to decompose: most of French and English text takes this way.
            out.push(if c == '`' {
                '\''
            } else {
                c.to_ascii_lowercase()
            });
        } else {
            // Marks are dropped, so the canonical reordering of a full NFD would change nothing.
            unicode_normalization::char::decompose_canonical(c, |d| fold_char(d, &mut out));
        }
    }
    out
}

/// [`fold`] of one character of a canonical decomposition.
fn fold_char(c: char, out: &mut String) {
    match c {
        c if unicode_normalization::char::is_combining_mark(c) => {}
        'œ' | 'Œ' => out.push_str("oe"),
        'æ' | 'Æ' => out.push_str("ae"),
        'ß' => out.push_str("ss"),
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}' => out.push('\''),
        '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
        '\u{2010}'..='\u{2015}' => out.push('-'),
        '\u{00A0}' | '\u{202F}' | '\u{2009}' => out.push(' '),
        c => out.extend(c.to_lowercase()),
    }
}

/// A summary of at most `max_chars` characters of `text`, on one line (whitespace folded).
/// A longer text is cut at the last word boundary that fits, preferring a sentence end (". ", "! ", "? ")
/// in the last third of `max_chars` (then it ends there, without an ellipsis), else ends with "…" (counted in `max_chars`). A word is cut only when
/// no word boundary fits at all; trailing ",;:" before the ellipsis are dropped.
pub fn summarize(text: &str, max_chars: usize) -> String {
    let text = fold_whitespace(text);
    if text.chars().count() <= max_chars {
        return text;
    }
    if max_chars == 0 {
        return String::new();
    }
    let budget = max_chars - 1; // room left for the text once the ellipsis is counted
    let cut = text
        .char_indices()
        .nth(budget)
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    let at_boundary = text[cut..].starts_with(' ');

    // A sentence end right at the limit is followed by the space just past `head`.
    let window = if at_boundary { &text[..=cut] } else { head };
    let sentence_end = SENTENCE_ENDS
        .iter()
        .filter_map(|end| window.rfind(end))
        .max()
        .map(|i| i + 1);
    let min_sentence_chars = max_chars - max_chars / 3;
    let end = match sentence_end {
        // A whole sentence needs no ellipsis: the summary reads as finished prose.
        Some(end) if head[..end].chars().count() >= min_sentence_chars => {
            return head[..end].to_string()
        }
        _ if at_boundary => cut,
        _ => head.rfind(' ').unwrap_or(cut),
    };
    let mut kept = head[..end].trim_end_matches([' ', ',', ';', ':']);
    if kept.is_empty() {
        kept = head;
    }
    let mut summary = String::with_capacity(kept.len() + '…'.len_utf8());
    summary.push_str(kept);
    summary.push('…');
    summary
}

/// Pending separator before the next visible character, strongest wins.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Space,
    Line,
    Paragraph,
}

/// Builds text in one pass: separators are pending until a visible character arrives,
/// so nothing leads, nothing trails and blank lines never pile up.
struct TextWriter {
    out: String,
    gap: Gap,
    /// `Gap::Space` for one-line output.
    max_gap: Gap,
}

impl TextWriter {
    fn gap(&mut self, gap: Gap) {
        self.gap = self.gap.max(gap.min(self.max_gap));
    }

    /// `<br>`: a line break, and a paragraph break when it follows another one.
    fn line_break(&mut self) {
        let gap = if self.gap >= Gap::Line {
            Gap::Paragraph
        } else {
            Gap::Line
        };
        self.gap(gap);
    }

    fn text(&mut self, s: &str) {
        // `&#146;` in XML is U+0092: Windows-1252 punctuation written as a C1 control.
        for c in s.chars().map(crate::charset::c1_as_windows_1252) {
            if c.is_whitespace() {
                self.gap(Gap::Space);
            } else if !c.is_control() {
                if !self.out.is_empty() {
                    match self.gap {
                        Gap::None => {}
                        Gap::Space => self.out.push(' '),
                        Gap::Line => self.out.push('\n'),
                        Gap::Paragraph => self.out.push_str("\n\n"),
                    }
                }
                self.gap = Gap::None;
                self.out.push(c);
            }
        }
    }
}

fn render(html: &str, one_line: bool) -> String {
    let max_gap = if one_line { Gap::Space } else { Gap::Paragraph };
    let out = String::with_capacity(html.len());
    let mut writer = TextWriter {
        out,
        gap: Gap::None,
        max_gap,
    };
    if !html.contains(['<', '&']) {
        for line in html.lines() {
            if line.trim().is_empty() {
                writer.gap(Gap::Paragraph);
            } else {
                writer.gap(Gap::Space);
                writer.text(line);
            }
        }
        return writer.out;
    }

    let document = Html::parse_fragment(&bound_nesting(html));
    let root = document.tree.root();
    // Iterative depth-first walk: deeply nested junk must not overflow the stack.
    let mut next = root.first_child();
    while let Some(node) = next {
        let descend = match node.value() {
            Node::Text(text) => {
                writer.text(text);
                false
            }
            Node::Element(element) => {
                let name = element.name();
                if name == "br" {
                    writer.line_break();
                } else {
                    writer.gap(element_gap(name));
                }
                !is_skipped(name)
            }
            _ => true,
        };
        if let Some(child) = node.first_child().filter(|_| descend) {
            next = Some(child);
            continue;
        }
        // Close this node and its finished ancestors until one has a next sibling.
        let mut current = node;
        next = loop {
            if let Node::Element(element) = current.value() {
                writer.gap(element_gap(element.name()));
            }
            if let Some(sibling) = current.next_sibling() {
                break Some(sibling);
            }
            match current.parent() {
                Some(parent) if parent.id() != root.id() => current = parent,
                _ => break None,
            }
        };
    }
    writer.out
}

#[cfg(test)]
mod fold_tests {
    use super::fold;

    #[test]
    fn fold_removes_accents_case_and_typography() {
        assert_eq!(fold("Souveraineté NUMÉRIQUE"), "souverainete numerique");
        assert_eq!(fold("l’État d’OW2 « cœur »"), "l'etat d'ow2 \" coeur \"");
        assert_eq!(fold("Ça—va\u{00A0}?"), "ca-va ?");
    }

    /// The first definition of `fold`: a full NFD, then character by character.
    fn fold_by_nfd(text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let mut out = String::new();
        for c in text.nfd() {
            super::fold_char(c, &mut out);
        }
        out
    }

    #[test]
    fn fold_is_what_a_full_nfd_gives() {
        let texts = [
            "Souveraineté NUMÉRIQUE, l’État, « cœur », Æsir, Straße, `code`",
            // Decomposed input, marks out of canonical order, marks after ASCII letters.
            "e\u{0301}\u{0327}te\u{0327}\u{0301} A\u{030A}ngstro\u{0308}m",
            "한국어 텍스트, ﬁn, Ǆ, ẞ, İstanbul, ΣΊΣΥΦΟΣ, Ωmega, ﬀ, ①, ½",
            "Tiret — demi – guillemets “anglais” ‘simples’ prime′ accent´ nbsp\u{00A0}fin\u{202F}!",
            "\u{0300}\u{0301} marques seules, \u{1E9B}\u{0323} composé, \u{0344}",
        ];
        for text in texts {
            assert_eq!(fold(text), fold_by_nfd(text), "{text}");
        }
        // Every character of the Basic Multilingual Plane and beyond, one by one and in pairs.
        let all: Vec<char> = (0..0x3_0000).filter_map(char::from_u32).collect();
        for c in &all {
            let text = c.to_string();
            assert_eq!(fold(&text), fold_by_nfd(&text), "U+{:04X}", *c as u32);
        }
        for pair in all.chunks(2) {
            let text: String = pair.iter().collect();
            assert_eq!(fold(&text), fold_by_nfd(&text), "{text:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_bounded_huge_titles_cut_absurd_dates_dropped() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .to_utc();
        let at = |t: &str| Some(chrono::DateTime::parse_from_rfc3339(t).unwrap().to_utc());
        let mut draft = crate::model::ArticleDraft {
            guid: None,
            url: None,
            title: "mot ".repeat(300_000),
            author: None,
            published: at("9999-12-31T23:59:59Z"),
            published_approximate: true,
            summary: String::new(),
            text: String::new(),
        };
        bound_draft(&mut draft, now);
        assert!(draft.title.chars().count() <= MAX_TITLE_CHARS);
        assert!(draft.title.ends_with('…'));
        assert_eq!(
            (draft.published, draft.published_approximate),
            (None, false)
        );
        for (date, kept) in [
            ("1970-01-01T00:00:00Z", false),
            ("1994-12-31T23:00:00Z", false),
            ("2003-05-01T00:00:00Z", true),
            ("2026-11-24T18:00:00+01:00", true),
            ("2026-11-26T12:00:00Z", false),
        ] {
            draft.published = at(date);
            bound_draft(&mut draft, now);
            assert_eq!(draft.published.is_some(), kept, "{date}");
        }
    }

    const BASE: &str = "https://example.org/news/today.html?x=1";

    /// Checks a table of `raw expected` lines, `-` standing for None, against an optional base.
    fn check_urls(base: Option<&str>, table: &str) {
        let base = base.map(|b| Url::parse(b).unwrap());
        for line in table.lines().filter(|l| !l.trim().is_empty()) {
            let (raw, expected) = line.trim().split_once(char::is_whitespace).unwrap();
            let expected = Some(expected.trim()).filter(|e| *e != "-");
            let got = canonical_url(raw, base.as_ref());
            assert_eq!(got.as_deref(), expected, "{raw:?}");
        }
    }

    /// Checks `input => expected` cases.
    fn check_text(convert: fn(&str) -> String, cases: &[&str]) {
        for case in cases {
            let (input, expected) = case.split_once(" => ").unwrap();
            assert_eq!(convert(input), expected, "{input:?}");
        }
    }

    #[test]
    fn url_refuses_hostile_and_foreign_schemes() {
        check_urls(
            Some(BASE),
            "javascript:alert(1)                 -
             JavaScript:alert(document.cookie)   -
             data:text/html;base64,PHNjcmlwdD4=  -
             mailto:a@example.org                -
             ftp://example.org/file              -
             file:///etc/passwd                  -",
        );
        assert_eq!(canonical_url("  javascript:void(0) ", None), None);
    }

    #[test]
    fn url_refuses_empty_and_unparsable() {
        let cases = [
            "",
            " \t\n ",
            "not a url",
            "http://",
            "http://exa mple.org/",
            "https://[::1",
        ];
        let without_base = ["/relative/without/base", "//host.example/path", "?q=1"];
        for raw in cases.iter().chain(&without_base) {
            assert_eq!(canonical_url(raw, None), None, "{raw:?}");
        }
        let base = Url::parse(BASE).unwrap();
        assert_eq!(canonical_url(" \n ", Some(&base)), None);
    }

    #[test]
    fn url_resolves_relative_links() {
        check_urls(
            Some(BASE),
            "article-1               https://example.org/news/article-1
             /a/b                    https://example.org/a/b
             ../up                   https://example.org/up
             ?page=2                 https://example.org/news/today.html?page=2
             //cdn.example.net/p     https://cdn.example.net/p
             http://other.example/x  http://other.example/x",
        );
        check_urls(
            Some("http://a.example/"),
            "//cdn.example.net/p http://cdn.example.net/p",
        );
    }

    #[test]
    fn url_lowercases_and_drops_default_port_and_fragment() {
        check_urls(
            None,
            "HTTPS://Example.ORG/Path/Case    https://example.org/Path/Case
             http://example.org:80/a          http://example.org/a
             https://example.org:443/a        https://example.org/a
             https://example.org:8443/a       https://example.org:8443/a
             http://example.org:443/a         http://example.org:443/a
             https://example.org/a#section-2  https://example.org/a
             https://example.org/a?q=1#top    https://example.org/a?q=1
             https://example.org              https://example.org/
             https://Bücher.example/été       https://xn--bcher-kva.example/%C3%A9t%C3%A9",
        );
        let trimmed = canonical_url("  https://example.org/a/ \n", None);
        assert_eq!(trimmed.as_deref(), Some("https://example.org/a/"));
    }

    #[test]
    fn url_drops_every_tracking_param() {
        let tracking = "utm_source utm_medium utm_campaign utm_term utm_content UTM_Source fbclid gclid \
                        dclid gbraid wbraid msclkid mc_cid mc_eid xtor at_medium at_campaign _hsenc _hsmi \
                        mkt_tok yclid igshid oly_anon_id oly_enc_id vero_id __s ref_src FBCLID";
        for param in tracking.split_whitespace() {
            let table = format!(
                "https://example.org/a?{param}=x          https://example.org/a
                 https://example.org/a?id=7&{param}=x&p=2 https://example.org/a?id=7&p=2
                 https://example.org/a?{param}&p          https://example.org/a?p"
            );
            check_urls(None, &table);
        }
    }

    #[test]
    fn url_keeps_other_params_in_order_and_encoding() {
        check_urls(
            None,
            "https://e.org/s?z=1&utm_source=rss&a=%C3%A9t%C3%A9&m=a+b&fbclid=x https://e.org/s?z=1&a=%C3%A9t%C3%A9&m=a+b
             https://e.org/s?flag&utm_medium&b=     https://e.org/s?flag&b=
             https://e.org/s?a=1&&b=2&              https://e.org/s?a=1&b=2
             https://e.org/s?                       https://e.org/s
             https://e.org/s?utm_a=1&gclid=2        https://e.org/s
             https://e.org/?source=x&xutm_a=1&ref=y https://e.org/?source=x&xutm_a=1&ref=y",
        );
    }

    #[test]
    fn text_never_panics_on_junk() {
        let junk = "<|&|&&;|&#;|&#0;|<<<>>>|</p></div>|<p|<a href=\"x|<script>|<![CDATA[x]]>|<!-- open\
                    |\u{0}\u{1}\u{fffd}\u{7f}&amp|<table><td><li>x</table></li>|<svg><p>x|<template>";
        let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        let binary = String::from_utf8_lossy(&bytes);
        for input in junk.split('|').chain([binary.as_ref()]) {
            let _ = html_to_text(input);
            let _ = html_to_line(input);
        }
        // Deep nesting: our walk is iterative; html5ever itself is quadratic on nested blocks.
        let deep = "<span>".repeat(5_000) + &"<div>".repeat(500) + "fond";
        let huge = "<p>mot &amp; mot</p>".repeat(20_000);
        assert_eq!(html_to_text(&deep), "fond");
        assert_eq!(
            html_to_text(&huge).len(),
            20_000 * "mot & mot\n\n".len() - 2
        );
        check_text(
            html_to_text,
            &[
                "a & b => a & b",
                "AT&T => AT&T",
                "&#xFFFFFFFF; => \u{fffd}",
                "<p>unclosed <b>bold => unclosed bold",
                "a\u{0}b\u{7}c => abc",
            ],
        );
    }

    #[test]
    fn text_decodes_entities() {
        check_text(
            html_to_text,
            &[
                "&eacute;t&#233; &#x00E9; => été é",
                "&amp;amp; &lt;b&gt; => &amp; <b>",
                "a&nbsp;b&nbsp;&nbsp; c\u{a0}d => a b c d",
                "&ldquo;cité&rdquo; &lsquo;x&rsquo; => “cité” ‘x’",
                "&laquo;&#160;oui&#160;&raquo; => « oui »",
            ],
        );
        assert_eq!(html_to_line("Tom &amp; Jerry"), "Tom & Jerry");
    }

    #[test]
    fn text_keeps_french_exactly() {
        let french = "Ça déménage : l’œuvre « à côté » coûte 5 € — naïveté, Noël, où ?";
        assert_eq!(html_to_text(french), french);
        assert_eq!(html_to_text(&format!("<p>{french}</p>")), french);
        // Decomposed accents stay decomposed: the text is not renormalised.
        assert_eq!(html_to_text("e\u{301}t&eacute;"), "e\u{301}té");
    }

    #[test]
    fn text_drops_script_style_and_comments() {
        let html = "<p>Avant</p><script>var x = '<p>no</p>';</script><style>p{color:red}</style>\
                    <noscript>no</noscript><template><p>no</p></template><!-- no --><p>Après</p>";
        assert_eq!(html_to_text(html), "Avant\n\nAprès");
    }

    #[test]
    fn text_separates_paragraphs_and_lines() {
        check_text(
            html_to_text,
            &[
                "<p>Un</p><p>Deux</p> => Un\n\nDeux",
                "ligne 1<br>ligne 2<br/>ligne 3 => ligne 1\nligne 2\nligne 3",
                "a<br><br>b<br><br><br>c => a\n\nb\n\nc",
                "  <div>\n <p>  a \t\n b  </p>\n\n\n<p></p><div>c</div></div>   => a b\n\nc",
                "<h1>Titre</h1>texte <b>gras</b>, <i>fin</i> => Titre\n\ntexte gras, fin",
                "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table> => a b\n\nc",
                "<p>x</p><br><p>y</p> => x\n\ny",
                "<blockquote>q</blockquote>r<pre>  code\n  here</pre> => q\n\nr\n\ncode here",
            ],
        );
    }

    #[test]
    fn text_flattens_nested_lists() {
        let html = "<ul><li>un<ul><li>un.un</li><li>un.deux</li></ul></li><li>deux</li></ul>";
        assert_eq!(html_to_text(html), "un\n\nun.un\n\nun.deux\n\ndeux");
        assert_eq!(html_to_line(html), "un un.un un.deux deux");
    }

    #[test]
    fn text_fast_path_keeps_plain_paragraphs() {
        check_text(
            html_to_text,
            &[
                "  un\n  deux\t trois \n\n \n quatre   => un deux trois\n\nquatre",
                "a\r\n\r\nb => a\n\nb",
                " => ",
            ],
        );
    }

    #[test]
    fn line_folds_everything() {
        check_text(
            html_to_line,
            &[
                "<h1>Le <em>titre</em></h1>\n<p>suite</p><br>fin => Le titre suite fin",
                "  un\n\n deux  => un deux",
            ],
        );
        assert_eq!(fold_whitespace(" a\u{2003}\u{a0}b\n\tc  "), "a b c");
        assert_eq!(fold_whitespace(" \n "), "");
    }

    /// Checks `max: text => expected` cases.
    fn check_summaries(cases: &[&str]) {
        for case in cases {
            let (max, case) = case.split_once(": ").unwrap();
            let (text, expected) = case.split_once(" => ").unwrap();
            assert_eq!(
                summarize(text, max.parse().unwrap()),
                expected,
                "{max}: {text:?}"
            );
        }
    }

    #[test]
    fn summary_cuts_at_word_boundaries() {
        check_summaries(&[
            "300:   court   texte  => court texte",
            "11: abcde fghij => abcde fghij",
            "11: abcde fghijk => abcde…",
            "12: abcde fghij klm => abcde fghij…",
            "12: un, deux, trois => un, deux…",
            "10: anticonstitutionnellement => anticonst…",
            "0: abc => ",
            "1: abc => …",
        ]);
    }

    #[test]
    fn summary_counts_chars_not_bytes() {
        check_summaries(&[
            "7: été été => été été",
            "8: été été été => été été…",
            "5: éééééééé => éééé…",
            "5: 🦀🦀 🦀🦀🦀 => 🦀🦀…",
        ]);
        let text = "Ça 🦀 déménage. Où ? Très loin, vraiment très loin d’ici.";
        for max in 0..60 {
            let summary = summarize(text, max);
            assert!(summary.chars().count() <= max, "{max}: {summary}");
        }
    }

    #[test]
    fn summary_prefers_sentence_end_in_last_third() {
        check_summaries(&[
            "40: Première phrase assez longue. Deuxième phrase qui suit => Première phrase assez longue.",
            "32: Vraiment ? Oui, bien sûr ! Et ensuite encore => Vraiment ? Oui, bien sûr !",
            "15: Fin de phrase. Suite => Fin de phrase.",
            // A sentence end too early is ignored in favour of the last word boundary.
            "30: Court. Puis une longue suite de mots sans fin => Court. Puis une longue suite…",
        ]);
    }
}
