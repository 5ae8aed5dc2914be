//! OPML, the format readers exchange subscriptions in: bytes → the feed outlines they hold
//! (folders and `category` become tags), and sources → an OPML 2.0 document that Miniflux,
//! FreshRSS and newsboat import. Pure: no file, no clock (`now` is an argument).

use crate::config::edit::slug;
use chrono::{DateTime, Utc};
use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::XmlVersion;
use std::fmt::Write;

/// Folders deeper than this give no more tags: a hostile file cannot make a source carry
/// thousands of them.
pub const MAX_TAG_DEPTH: usize = 8;

/// A feed outline, as the file gave it: nothing here is validated yet but the tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    /// `title`, else `text`; None when both are absent or blank.
    pub title: Option<String>,
    /// `xmlUrl`, as written (any scheme: the importer decides).
    pub xml_url: String,
    pub html_url: Option<String>,
    /// The enclosing folders' titles then the `category` attribute's parts, as `[a-z0-9-]` names,
    /// without duplicates.
    pub tags: Vec<String>,
    /// The line of the outline in the file, for messages.
    pub line: usize,
}

/// Why a file is not usable OPML, in words.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OpmlError {
    #[error("malformed XML at line {line}: {detail}")]
    Malformed { line: usize, detail: String },
    #[error("not an OPML file: the root element is <{0}>, not <opml>")]
    NotOpml(String),
    #[error("no feed in this OPML file: no <outline> has an xmlUrl")]
    NoFeeds,
}

/// Read an OPML file (any version, any declared charset).
pub fn parse(bytes: &[u8]) -> Result<Vec<Outline>, OpmlError> {
    let decoded = crate::charset::decode(bytes, None);
    let text = crate::charset::declare_utf8(&decoded.text);
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut lines = LineCounter::default();
    // One entry per open <outline>: the tag it gives its children, if it is a folder.
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut outlines = Vec::new();
    let mut seen_root = false;
    // Elements opened and not yet closed: quick-xml does not report a file cut short.
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            OpmlError::Malformed {
                line: lines.line_at(&text, at),
                detail: e.to_string(),
            }
        })?;
        let position = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                depth += usize::from(matches!(event, Event::Start(_)));
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if !seen_root {
                    seen_root = true;
                    if !name.eq_ignore_ascii_case("opml") {
                        return Err(OpmlError::NotOpml(name));
                    }
                }
                if !name.eq_ignore_ascii_case("outline") {
                    continue;
                }
                let is_start = matches!(event, Event::Start(_));
                let line = lines.line_at(&text, position);
                match read_outline(&attributes(e), &folders, line) {
                    Ok(outline) => {
                        outlines.push(outline);
                        if is_start {
                            folders.push(None);
                        }
                    }
                    Err(folder) if is_start => folders.push(folder),
                    Err(_) => {}
                }
            }
            Event::End(ref e) => {
                depth = depth.saturating_sub(1);
                if e.local_name().as_ref().eq_ignore_ascii_case(b"outline") {
                    folders.pop();
                }
            }
            Event::Eof if depth > 0 => {
                return Err(OpmlError::Malformed {
                    line: lines.line_at(&text, text.len()),
                    detail: "the file ends before its elements are closed: is it cut short?".into(),
                })
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(OpmlError::NotOpml("nothing".into()));
    }
    if outlines.is_empty() {
        return Err(OpmlError::NoFeeds);
    }
    Ok(outlines)
}

/// An `<outline>` with an `xmlUrl` as a feed, tagged by its enclosing `folders` and its
/// `category`; else `Err` with the tag it gives its children as a folder (its title as a slug).
fn read_outline(
    attributes: &[(String, String)],
    folders: &[Option<String>],
    line: usize,
) -> Result<Outline, Option<String>> {
    let get = |key: &str| {
        attributes
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let title = get("title").or_else(|| get("text"));
    let Some(xml_url) = get("xmlUrl") else {
        return Err(title.map(|t| slug(&t)).filter(|t| !t.is_empty()));
    };
    let mut tags: Vec<String> = Vec::new();
    let folder_tags = folders.iter().flatten().take(MAX_TAG_DEPTH);
    let category_tags = get("category")
        .map(|c| category_parts(&c))
        .unwrap_or_default();
    for tag in folder_tags.cloned().chain(category_tags) {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    Ok(Outline {
        title,
        xml_url,
        html_url: get("htmlUrl"),
        tags,
        line,
    })
}

/// The attributes of an element, values unescaped; a value with an unknown entity is kept raw.
fn attributes(element: &BytesStart) -> Vec<(String, String)> {
    element
        .attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
            (key, value)
        })
        .collect()
}

/// OPML 2.0 `category`: comma-separated, slash-delimited paths (`/Tech/Linux,/News`): every
/// segment is a tag.
fn category_parts(category: &str) -> Vec<String> {
    category
        .split(',')
        .flat_map(|path| path.split('/'))
        .map(slug)
        .filter(|s| !s.is_empty())
        .take(MAX_TAG_DEPTH)
        .collect()
}

/// Byte offsets → line numbers, counting forward only: linear over a whole file.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        if offset < self.offset {
            self.offset = 0;
            self.line = 0;
        }
        self.line += text.as_bytes()[self.offset..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.offset = offset;
        self.line + 1
    }
}

/// A source as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub tags: &'a [String],
}

/// An OPML 2.0 document: one folder outline per first tag (in order of appearance), the
/// untagged sources after them; each feed outline carries all its tags in `category`.
pub fn write(title: &str, sources: &[Exported], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n");
    let _ = writeln!(out, "    <title>{}</title>", escape(title));
    let _ = writeln!(
        out,
        "    <dateCreated>{}</dateCreated>",
        now.format("%a, %d %b %Y %H:%M:%S GMT")
    );
    out.push_str("    <docs>http://opml.org/spec2.opml</docs>\n  </head>\n  <body>\n");
    let mut folders: Vec<&str> = Vec::new();
    for source in sources {
        if let Some(first) = source.tags.first() {
            if !folders.contains(&first.as_str()) {
                folders.push(first);
            }
        }
    }
    for folder in &folders {
        let folder = escape(*folder);
        let _ = writeln!(out, "    <outline text=\"{folder}\" title=\"{folder}\">");
        for source in sources
            .iter()
            .filter(|s| s.tags.first().map(String::as_str) == Some(folder.as_ref()))
        {
            feed_outline(&mut out, source, "      ");
        }
        out.push_str("    </outline>\n");
    }
    for source in sources.iter().filter(|s| s.tags.is_empty()) {
        feed_outline(&mut out, source, "    ");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn feed_outline(out: &mut String, source: &Exported, indent: &str) {
    let name = escape(source.name);
    let _ = write!(
        out,
        "{indent}<outline type=\"rss\" text=\"{name}\" title=\"{name}\" xmlUrl=\"{}\"",
        escape(source.url)
    );
    if !source.tags.is_empty() {
        let category: Vec<String> = source.tags.iter().map(|t| format!("/{t}")).collect();
        let _ = write!(out, " category=\"{}\"", escape(category.join(",")));
    }
    out.push_str("/>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_categories_become_tags() {
        let opml = r#"<?xml version="1.0"?>
<opml version="2.0"><head><title>t</title></head><body>
  <outline text="Logiciels libres">
    <outline text="Sécurité &amp; souveraineté">
      <outline type="rss" text="A" xmlUrl="https://a.example/feed?x=1&amp;y=2" category="/Cloud/Europe,/news"/>
    </outline>
    <outline type="rss" title="B" text="b" xmlUrl="https://b.example/rss" htmlUrl="https://b.example/"/>
  </outline>
  <outline type="rss" xmlUrl="https://c.example/atom"></outline>
</body></opml>"#;
        let outlines = parse(opml.as_bytes()).unwrap();
        assert_eq!(outlines.len(), 3);
        assert_eq!(outlines[0].xml_url, "https://a.example/feed?x=1&y=2");
        assert_eq!(
            outlines[0].tags,
            [
                "logiciels-libres",
                "securite-souverainete",
                "cloud",
                "europe",
                "news"
            ]
        );
        assert_eq!(outlines[0].line, 5);
        assert_eq!(outlines[1].title.as_deref(), Some("B"));
        assert_eq!(outlines[1].tags, ["logiciels-libres"]);
        assert_eq!(outlines[2].title, None);
        assert!(outlines[2].tags.is_empty());
    }

    #[test]
    fn hostile_files_get_sentences() {
        let broken = "<opml>\n<body>\n<outline xmlUrl=\"https://a.example/\">\n</body></opml>";
        match parse(broken.as_bytes()) {
            Err(OpmlError::Malformed { line, .. }) => assert_eq!(line, 4),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse(b"<rss><channel/></rss>"),
            Err(OpmlError::NotOpml("rss".into()))
        );
        assert_eq!(
            parse(b"<opml><body><outline text=\"empty folder\"/></body></opml>"),
            Err(OpmlError::NoFeeds)
        );
        assert!(parse(b"").is_err());
        match parse(b"<opml><body>\n<outline xmlUrl=\"https://a.example/\">") {
            Err(OpmlError::Malformed { line, detail }) => {
                assert_eq!(line, 2);
                assert!(detail.contains("cut short"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn written_opml_reads_back_with_its_tags_and_escapes() {
        let tags = vec!["libre".to_string(), "cloud".to_string()];
        let none: Vec<String> = vec![];
        let sources = [
            Exported {
                name: "a",
                url: "https://a.example/feed?x=1&y=\"2\"",
                tags: &tags,
            },
            Exported {
                name: "b",
                url: "https://b.example/rss",
                tags: &none,
            },
        ];
        let now = DateTime::parse_from_rfc3339("2026-11-22T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let text = write("Veille <test>", &sources, now);
        assert!(text.contains("<dateCreated>Sun, 22 Nov 2026 08:00:00 GMT</dateCreated>"));
        assert!(text.contains("<title>Veille &lt;test&gt;</title>"));
        let outlines = parse(text.as_bytes()).unwrap();
        assert_eq!(outlines.len(), 2);
        assert_eq!(outlines[0].xml_url, sources[0].url);
        assert_eq!(outlines[0].tags, tags);
        assert_eq!(outlines[1].title.as_deref(), Some("b"));
    }

    #[test]
    fn ten_thousand_outlines_and_deep_nesting_are_fine() {
        let mut opml = String::from("<opml version=\"2.0\"><body>");
        for _ in 0..50 {
            opml.push_str("<outline text=\"f\">");
        }
        for i in 0..10_000 {
            let _ = writeln!(
                opml,
                "<outline type=\"rss\" text=\"n{i}\" xmlUrl=\"https://x.example/{i}\"/>"
            );
        }
        for _ in 0..50 {
            opml.push_str("</outline>");
        }
        opml.push_str("</body></opml>");
        let outlines = parse(opml.as_bytes()).unwrap();
        assert_eq!(outlines.len(), 10_000);
        assert_eq!(outlines[9_999].line, 10_000);
        assert_eq!(outlines[0].tags, ["f"]);
    }
}
