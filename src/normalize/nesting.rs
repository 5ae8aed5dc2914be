//! A bound on how deeply a page nests its elements, applied to HTML before it is parsed.
//!
//! html5ever walks its stack of open elements for many start tags, so a page of 50,000 nested
//! `<div>`s costs minutes instead of milliseconds: a hostile page could stall a run. Browsers cap
//! the depth of the tree (Blink at 512); so do we, before parsing, by dropping the start tags
//! beyond [`MAX_DEPTH`] (and as many end tags after them). The text is kept; only the excess
//! structure goes. A linear scan over bytes, that leaves ordinary pages untouched.

use std::borrow::Cow;

/// The deepest nesting of elements kept. Real pages stay under 100.
pub const MAX_DEPTH: usize = 512;

/// Elements that never have content, and elements whose end tag may be left out (the parser
/// closes them implicitly): neither kind is counted as an open level.
const UNCOUNTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body",
];

/// Elements whose content is raw text: a `<` inside is not a tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// `html` with its nesting bounded by [`MAX_DEPTH`]; borrowed unchanged when within it.
pub fn bound_nesting(html: &str) -> Cow<'_, str> {
    bound_nesting_to(html, MAX_DEPTH)
}

fn bound_nesting_to(html: &str, max_depth: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut out: Option<String> = None;
    // Bytes of `html` copied to `out` so far, when rewriting.
    let mut copied = 0usize;
    let mut i = 0usize;
    while let Some(offset) = memchr_lt(&bytes[i..]) {
        let start = i + offset;
        let Some(tag) = Tag::read(bytes, start) else {
            i = start + 1;
            continue;
        };
        let mut drop = false;
        match &tag.kind {
            Kind::Open(name) if RAW_TEXT.contains(&name.as_str()) && !tag.self_closing => {
                // Skip to the matching end tag: nothing inside is markup.
                let close = format!("</{name}");
                let after = find_ascii_ci(bytes, tag.end, close.as_bytes()).unwrap_or(bytes.len());
                i = after;
                continue;
            }
            Kind::Open(name) if tag.self_closing || UNCOUNTED.contains(&name.as_str()) => {}
            Kind::Open(_) if depth >= max_depth => {
                drop = true;
                dropped += 1;
            }
            Kind::Open(_) => depth += 1,
            Kind::Close(name) if UNCOUNTED.contains(&name.as_str()) => {}
            Kind::Close(_) if dropped > 0 => {
                drop = true;
                dropped -= 1;
            }
            Kind::Close(_) => depth = depth.saturating_sub(1),
            Kind::Other => {}
        }
        if drop {
            let rewritten = out.get_or_insert_with(|| String::with_capacity(html.len()));
            rewritten.push_str(&html[copied..start]);
            copied = tag.end;
        }
        i = tag.end;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut rewritten) => {
            rewritten.push_str(&html[copied..]);
            Cow::Owned(rewritten)
        }
    }
}

enum Kind {
    Open(String),
    Close(String),
    /// A comment, a doctype, a processing instruction.
    Other,
}

struct Tag {
    kind: Kind,
    self_closing: bool,
    /// Just past the `>` (or the end of the input).
    end: usize,
}

impl Tag {
    /// The tag starting at `bytes[start] == b'<'`, if one does.
    fn read(bytes: &[u8], start: usize) -> Option<Tag> {
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            let end = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            return Some(Tag {
                kind: Kind::Other,
                self_closing: false,
                end,
            });
        }
        let (closing, name_start) = match rest.first()? {
            b'/' => (true, start + 2),
            b'!' | b'?' => {
                let end = find(bytes, start, b">").map_or(bytes.len(), |e| e + 1);
                return Some(Tag {
                    kind: Kind::Other,
                    self_closing: false,
                    end,
                });
            }
            c if c.is_ascii_alphabetic() => (false, start + 1),
            _ => return None,
        };
        let name_end = bytes[name_start..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-' || *c == b':'))
            .map_or(bytes.len(), |p| name_start + p);
        if name_end == name_start {
            return None;
        }
        let name = String::from_utf8_lossy(&bytes[name_start..name_end]).to_ascii_lowercase();
        let end = tag_end(bytes, name_end);
        let self_closing = end >= 2 && bytes[..end].ends_with(b"/>");
        Some(Tag {
            kind: if closing {
                Kind::Close(name)
            } else {
                Kind::Open(name)
            },
            self_closing,
            end,
        })
    }
}

/// Just past the `>` that ends a tag whose attributes start at `from`, quotes respected.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (offset, &c) in bytes[from..].iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'>') => return from + offset + 1,
            (None, _) => {}
        }
    }
    bytes.len()
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&c| c == b'<')
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ascii_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<!doctype html><html><head><title>a < b</title><script>if (a<b && c>d) {}</script></head>\
            <body><div class=\"x>y\"><p>un<p>deux<br><img src=x><ul><li>a<li>b</ul></div><!-- <div> --></body></html>";
        assert!(matches!(bound_nesting(page), Cow::Borrowed(_)));
    }

    #[test]
    fn excess_nesting_is_dropped_and_the_text_kept() {
        let deep = format!("{}texte{}", "<div>".repeat(10), "</div>".repeat(10));
        let bounded = bound_nesting_to(&deep, 3);
        assert_eq!(bounded, "<div><div><div>texte</div></div></div>");
        // Unbalanced: more opened than closed, and the reverse.
        let bounded = bound_nesting_to("<div><div><div><div>a</div>b", 2);
        assert_eq!(bounded, "<div><div>ab");
        assert_eq!(
            bound_nesting_to("</div></div>a<div>", 2),
            "</div></div>a<div>"
        );
    }

    #[test]
    fn a_hostile_page_parses_quickly_once_bounded() {
        let deep = "<div>".repeat(100_000) + "fin";
        let bounded = bound_nesting(&deep);
        assert_eq!(bounded.matches("<div>").count(), MAX_DEPTH);
        let text = crate::normalize::html_to_text(&deep);
        assert_eq!(text, "fin");
    }

    #[test]
    fn truncated_tags_never_panic() {
        for html in [
            "<",
            "<div",
            "<div class='",
            "</",
            "<!--",
            "<!",
            "<?x",
            "<script>",
            "<a\u{e9}>é",
        ] {
            let _ = bound_nesting_to(html, 1);
        }
    }
}
