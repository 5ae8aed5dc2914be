//! Normalisation of what sources hand us: canonical URLs, HTML to plain text, one-line titles and summaries.
//! Pure functions only: no I/O, no clock, no network.

use scraper::{Html, Node};
use url::Url;

/// Longest summary kept for an article, in characters (the ellipsis included).
pub const SUMMARY_MAX_CHARS: usize = 300;

/// Query parameters that only track the reader; matched case-insensitively.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "xtor",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "yclid",
    "igshid",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "__s",
    "ref_src",
];

/// Prefixes of tracking parameter families: Google Analytics (utm_*) and AT Internet (at_*).
const TRACKING_PREFIXES: &[&str] = &["utm_", "at_"];

/// Elements whose content is never text for a reader.
const SKIPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object",
];

/// Elements that start and end a paragraph.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Table cells are separated by a space so that their words do not stick together.
const CELL_ELEMENTS: &[&str] = &["td", "th"];

/// Sentence ends that `summarize` prefers to cut after.
const SENTENCE_ENDS: &[&str] = &[". ", "! ", "? "];

/// Resolve `raw` against `base`, keep only http/https, and canonicalise:
/// scheme and host lower-case, default port removed, fragment removed, tracking query parameters removed
/// (see [`TRACKING_PARAMS`] and [`TRACKING_PREFIXES`]), other parameters kept in their order and their
/// encoding, an empty query removed, surrounding whitespace trimmed. The path is kept as is.
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

/// Whether a raw `name[=value]` query pair is a tracking parameter.
fn is_tracking_param(pair: &str) -> bool {
    let name = pair.split('=').next().unwrap_or(pair).to_ascii_lowercase();
    TRACKING_PARAMS.contains(&name.as_str())
        || TRACKING_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
}

/// HTML (or plain text that may contain entities) to plain text: entities decoded, tags stripped,
/// script/style/noscript/template content dropped, block elements separated by "\n\n", `<br>` giving "\n"
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

/// A summary of at most `max_chars` characters of `text`, on one line (whitespace folded).
/// A longer text is cut at the last word boundary that fits, preferring a sentence end (". ", "! ", "? ")
/// in the last third of `max_chars`, and ends with "…" (counted in `max_chars`). A word is cut only when
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
        Some(end) if head[..end].chars().count() >= min_sentence_chars => end,
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
    one_line: bool,
}

impl TextWriter {
    fn new(capacity: usize, one_line: bool) -> Self {
        TextWriter {
            out: String::with_capacity(capacity),
            gap: Gap::None,
            one_line,
        }
    }

    fn gap(&mut self, gap: Gap) {
        let gap = if self.one_line {
            gap.min(Gap::Space)
        } else {
            gap
        };
        self.gap = self.gap.max(gap);
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
        for c in s.chars() {
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
    let mut writer = TextWriter::new(html.len(), one_line);
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

    let document = Html::parse_fragment(html);
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
                } else if BLOCK_ELEMENTS.contains(&name) {
                    writer.gap(Gap::Paragraph);
                } else if CELL_ELEMENTS.contains(&name) {
                    writer.gap(Gap::Space);
                }
                !SKIPPED_ELEMENTS.contains(&name)
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
                let name = element.name();
                if BLOCK_ELEMENTS.contains(&name) {
                    writer.gap(Gap::Paragraph);
                } else if CELL_ELEMENTS.contains(&name) {
                    writer.gap(Gap::Space);
                }
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
mod tests {
    use super::*;

    fn canon(raw: &str) -> Option<String> {
        canonical_url(raw, None)
    }

    fn canon_in(raw: &str, base: &str) -> Option<String> {
        let base = Url::parse(base).unwrap();
        canonical_url(raw, Some(&base))
    }

    #[test]
    fn url_refuses_hostile_and_foreign_schemes() {
        let base = "https://example.org/news/";
        assert_eq!(canon_in("javascript:alert(1)", base), None);
        assert_eq!(canon_in("  JavaScript:alert(document.cookie)", base), None);
        assert_eq!(canon_in("data:text/html;base64,PHNjcmlwdD4=", base), None);
        assert_eq!(canon_in("mailto:a@example.org", base), None);
        assert_eq!(canon_in("ftp://example.org/file", base), None);
        assert_eq!(canon("file:///etc/passwd"), None);
    }

    #[test]
    fn url_refuses_empty_and_unparsable() {
        assert_eq!(canon(""), None);
        assert_eq!(canon(" \t\n "), None);
        assert_eq!(canon_in("   ", "https://example.org/"), None);
        assert_eq!(canon("not a url"), None);
        assert_eq!(canon("http://"), None);
        assert_eq!(canon("http://exa mple.org/"), None);
        assert_eq!(canon("https://[::1"), None);
        assert_eq!(canon("/relative/without/base"), None);
        assert_eq!(canon("//host.example/path"), None);
    }

    #[test]
    fn url_resolves_relative_links() {
        let base = "https://example.org/news/today.html?x=1";
        assert_eq!(
            canon_in("article-1", base).unwrap(),
            "https://example.org/news/article-1"
        );
        assert_eq!(canon_in("/a/b", base).unwrap(), "https://example.org/a/b");
        assert_eq!(canon_in("../up", base).unwrap(), "https://example.org/up");
        assert_eq!(
            canon_in("?page=2", base).unwrap(),
            "https://example.org/news/today.html?page=2"
        );
        assert_eq!(
            canon_in("//cdn.example.net/p", base).unwrap(),
            "https://cdn.example.net/p"
        );
        assert_eq!(
            canon_in("//cdn.example.net/p", "http://a.example/").unwrap(),
            "http://cdn.example.net/p"
        );
        assert_eq!(
            canon_in("http://other.example/x", base).unwrap(),
            "http://other.example/x"
        );
    }

    #[test]
    fn url_lowercases_and_drops_default_port_and_fragment() {
        assert_eq!(
            canon("HTTPS://Example.ORG/Path/Case").unwrap(),
            "https://example.org/Path/Case"
        );
        assert_eq!(
            canon("http://example.org:80/a").unwrap(),
            "http://example.org/a"
        );
        assert_eq!(
            canon("https://example.org:443/a").unwrap(),
            "https://example.org/a"
        );
        assert_eq!(
            canon("https://example.org:8443/a").unwrap(),
            "https://example.org:8443/a"
        );
        assert_eq!(
            canon("https://example.org/a#section-2").unwrap(),
            "https://example.org/a"
        );
        assert_eq!(
            canon("https://example.org/a?q=1#top").unwrap(),
            "https://example.org/a?q=1"
        );
        assert_eq!(
            canon("  https://example.org/a/ \n").unwrap(),
            "https://example.org/a/"
        );
        assert_eq!(
            canon("https://example.org").unwrap(),
            "https://example.org/"
        );
    }

    #[test]
    fn url_drops_every_tracking_param() {
        let tracking = [
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_term",
            "utm_content",
            "UTM_Source",
            "fbclid",
            "gclid",
            "dclid",
            "gbraid",
            "wbraid",
            "msclkid",
            "mc_cid",
            "mc_eid",
            "xtor",
            "at_medium",
            "at_campaign",
            "_hsenc",
            "_hsmi",
            "mkt_tok",
            "yclid",
            "igshid",
            "oly_anon_id",
            "oly_enc_id",
            "vero_id",
            "__s",
            "ref_src",
        ];
        for param in tracking {
            let raw = format!("https://example.org/a?{param}=x");
            assert_eq!(canon(&raw).unwrap(), "https://example.org/a", "{param}");
            let raw = format!("https://example.org/a?id=7&{param}=x&p=2");
            assert_eq!(
                canon(&raw).unwrap(),
                "https://example.org/a?id=7&p=2",
                "{param}"
            );
        }
    }

    #[test]
    fn url_keeps_other_params_in_order_and_encoding() {
        assert_eq!(
            canon("https://example.org/s?z=1&utm_source=rss&a=%C3%A9t%C3%A9&m=a+b&fbclid=x")
                .unwrap(),
            "https://example.org/s?z=1&a=%C3%A9t%C3%A9&m=a+b"
        );
        assert_eq!(
            canon("https://example.org/s?flag&utm_medium&b=").unwrap(),
            "https://example.org/s?flag&b="
        );
        assert_eq!(
            canon("https://example.org/s?a=1&&b=2&").unwrap(),
            "https://example.org/s?a=1&b=2"
        );
        assert_eq!(
            canon("https://example.org/s?").unwrap(),
            "https://example.org/s"
        );
        assert_eq!(
            canon("https://example.org/s?utm_a=1&gclid=2").unwrap(),
            "https://example.org/s"
        );
        // Names that only look like tracking ones stay.
        assert_eq!(
            canon("https://example.org/s?source=x&xutm_a=1").unwrap(),
            "https://example.org/s?source=x&xutm_a=1"
        );
    }

    #[test]
    fn url_encodes_idn_host() {
        assert_eq!(
            canon("https://Bücher.example/été").unwrap(),
            "https://xn--bcher-kva.example/%C3%A9t%C3%A9"
        );
    }

    #[test]
    fn text_never_panics_on_junk() {
        let deep = "<div><span>".repeat(20_000) + "fond";
        let junk = [
            "<",
            "&",
            "a & b",
            "&#xFFFFFFFF;",
            "&#0;",
            "&#;",
            "<<<>>>",
            "</p></div>",
            "<p",
            "<a href=\"x",
            "<script>",
            "<![CDATA[x]]>",
            "<!-- open",
            "\u{0}\u{1}\u{fffd}\u{7f}&amp",
            deep.as_str(),
        ];
        for input in junk {
            let _ = html_to_text(input);
            let _ = html_to_line(input);
        }
        let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        let _ = html_to_text(&String::from_utf8_lossy(&bytes));
        assert_eq!(html_to_text(&deep), "fond");
        assert_eq!(html_to_text("a & b"), "a & b");
        assert_eq!(html_to_text("&#xFFFFFFFF;"), "\u{fffd}");
        assert_eq!(html_to_text("<p>unclosed <b>bold"), "unclosed bold");
    }

    #[test]
    fn text_decodes_entities() {
        assert_eq!(html_to_text("&eacute;t&#233; &#x00E9;"), "été é");
        assert_eq!(html_to_text("&amp;amp; &lt;b&gt;"), "&amp; <b>");
        assert_eq!(html_to_text("a&nbsp;b&nbsp;&nbsp; c\u{a0}d"), "a b c d");
        assert_eq!(
            html_to_text("&ldquo;cité&rdquo; &lsquo;x&rsquo; &laquo;&#160;oui&#160;&raquo;"),
            "“cité” ‘x’ « oui »"
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
        assert_eq!(html_to_text("<p>Un</p><p>Deux</p>"), "Un\n\nDeux");
        assert_eq!(
            html_to_text("ligne 1<br>ligne 2<br/>ligne 3"),
            "ligne 1\nligne 2\nligne 3"
        );
        assert_eq!(html_to_text("a<br><br>b<br><br><br>c"), "a\n\nb\n\nc");
        assert_eq!(
            html_to_text("  <div>\n <p>  a \t\n b  </p>\n\n\n<p></p><div>c</div></div>  "),
            "a b\n\nc"
        );
        assert_eq!(
            html_to_text("<h1>Titre</h1>texte <b>gras</b>, <i>fin</i>"),
            "Titre\n\ntexte gras, fin"
        );
        assert_eq!(
            html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"),
            "a b\n\nc"
        );
        assert_eq!(html_to_text("<p>x</p><br><p>y</p>"), "x\n\ny");
        assert_eq!(
            html_to_text("<blockquote>q</blockquote>r<pre>  code\n  here</pre>"),
            "q\n\nr\n\ncode here"
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
        assert_eq!(
            html_to_text("  un\n  deux\t trois \n\n \n quatre  "),
            "un deux trois\n\nquatre"
        );
        assert_eq!(html_to_text("a\r\n\r\nb"), "a\n\nb");
        assert_eq!(html_to_text(""), "");
        assert_eq!(html_to_line("  un\n\n deux "), "un deux");
    }

    #[test]
    fn line_folds_everything() {
        assert_eq!(
            html_to_line("<h1>Le <em>titre</em></h1>\n<p>suite</p><br>fin"),
            "Le titre suite fin"
        );
        assert_eq!(fold_whitespace(" a\u{2003}\u{a0}b\n\tc  "), "a b c");
        assert_eq!(fold_whitespace(" \n "), "");
    }

    #[test]
    fn summary_cuts_at_word_boundaries() {
        assert_eq!(summarize("  court   texte ", 300), "court texte");
        assert_eq!(summarize("abcde fghij", 11), "abcde fghij");
        assert_eq!(summarize("abcde fghijk", 11), "abcde…");
        assert_eq!(summarize("abcde fghij klm", 12), "abcde fghij…");
        assert_eq!(summarize("un, deux, trois", 12), "un, deux…");
        assert_eq!(summarize("anticonstitutionnellement", 10), "anticonst…");
        assert_eq!(summarize("abc", 0), "");
        assert_eq!(summarize("abc", 1), "…");
    }

    #[test]
    fn summary_counts_chars_not_bytes() {
        assert_eq!(summarize("été été", 7), "été été");
        assert_eq!(summarize("été été été", 8), "été été…");
        assert_eq!(summarize("éééééééé", 5), "éééé…");
        assert_eq!(summarize("🦀🦀 🦀🦀🦀", 5), "🦀🦀…");
        for max in 0..40 {
            let summary = summarize(
                "Ça 🦀 déménage. Où ? Très loin, vraiment très loin d’ici.",
                max,
            );
            assert!(summary.chars().count() <= max, "{max}: {summary}");
        }
    }

    #[test]
    fn summary_prefers_sentence_end_in_last_third() {
        let text = "Première phrase assez longue. Deuxième phrase qui continue encore";
        assert_eq!(summarize(text, 40), "Première phrase assez longue.…");
        // A sentence end too early is ignored in favour of the last word boundary.
        assert_eq!(
            summarize("Court. Puis une longue suite de mots sans fin", 30),
            "Court. Puis une longue suite…"
        );
        assert_eq!(
            summarize("Vraiment ? Oui, bien sûr ! Et ensuite encore", 32),
            "Vraiment ? Oui, bien sûr !…"
        );
        assert_eq!(summarize("Fin de phrase. Suite", 15), "Fin de phrase.…");
    }
}
