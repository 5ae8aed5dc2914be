//! Bodies built at run time: small RSS 2.0 feeds for generated sources, big bodies and gzip bombs
//! (never stored in `fixtures/`). Pure functions of their arguments; no sockets, no files.

use chrono::{DateTime, Utc};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;

/// One item of a generated feed.
#[derive(Clone, Debug)]
pub struct Item {
    pub title: String,
    pub link: String,
    pub guid: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub author: Option<String>,
    pub description: String,
}

impl Item {
    pub fn new(title: &str, link: &str) -> Item {
        Item {
            title: title.into(),
            link: link.into(),
            guid: Some(link.into()),
            published: None,
            author: None,
            description: format!("<p>{}</p>", escape(title)),
        }
    }

    pub fn published(mut self, t: DateTime<Utc>) -> Item {
        self.published = Some(t);
        self
    }

    pub fn description(mut self, html: &str) -> Item {
        self.description = html.into();
        self
    }
}

/// An RSS 2.0 document with these items, UTF-8.
pub fn rss(title: &str, link: &str, items: &[Item]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n",
    );
    out.push_str(&format!(
        "<title>{}</title>\n<link>{}</link>\n<description>generated for the veille tests</description>\n",
        escape(title),
        escape(link)
    ));
    for item in items {
        out.push_str("<item>\n");
        out.push_str(&format!("  <title>{}</title>\n", escape(&item.title)));
        out.push_str(&format!("  <link>{}</link>\n", escape(&item.link)));
        if let Some(guid) = &item.guid {
            out.push_str(&format!(
                "  <guid isPermaLink=\"false\">{}</guid>\n",
                escape(guid)
            ));
        }
        if let Some(t) = item.published {
            out.push_str(&format!("  <pubDate>{}</pubDate>\n", t.to_rfc2822()));
        }
        if let Some(author) = &item.author {
            out.push_str(&format!("  <dc:creator>{}</dc:creator>\n", escape(author)));
        }
        out.push_str(&format!(
            "  <description>{}</description>\n",
            escape(&item.description)
        ));
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// Feed `n` of a generated fleet: `items` articles with distinct links on `base`, fixed dates.
pub fn generated_feed(base: &str, n: usize, items: usize) -> String {
    let start = DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    let list: Vec<Item> = (0..items)
        .map(|i| {
            Item::new(
                &format!("Dépêche {i} du flux {n}"),
                &format!("{base}/articles/{n}/{i}"),
            )
            .published(start + chrono::Duration::minutes((n * items + i) as i64))
            .description(&format!(
                "<p>Article {i} du flux généré {n}, pour la montée en charge.</p>"
            ))
        })
        .collect();
    rss(
        &format!("Flux généré {n}"),
        &format!("{base}/feeds/{n}"),
        &list,
    )
}

/// XML text escaping for element content and attribute values.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A valid RSS document padded with a comment to at least `size` bytes.
pub fn big_rss(size: usize) -> Vec<u8> {
    let head = rss(
        "Très gros flux",
        "https://example.org/",
        &[Item::new("Un article noyé", "https://example.org/noye")],
    );
    let mut body = head.into_bytes();
    let padding = size.saturating_sub(body.len()) + 1;
    body.extend_from_slice(b"<!-- ");
    body.extend(std::iter::repeat_n(b'x', padding));
    body.extend_from_slice(b" -->\n");
    body
}

/// `size` zero bytes, gzip-compressed (about 1000:1): a decompression bomb.
pub fn gzip_zeros(size: usize) -> Vec<u8> {
    const CHUNK: usize = 1 << 20;
    let zeros = vec![0u8; CHUNK];
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    let mut left = size;
    while left > 0 {
        let n = left.min(CHUNK);
        encoder
            .write_all(&zeros[..n])
            .expect("compress into memory");
        left -= n;
    }
    encoder.finish().expect("finish gzip in memory")
}

/// Gzip of arbitrary bytes.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("compress into memory");
    encoder.finish().expect("finish gzip in memory")
}
