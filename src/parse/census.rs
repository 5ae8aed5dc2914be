//! A second, namespace-aware reading of a feed document: how many `<item>`/`<entry>` elements it
//! holds (so that a feed whose items cannot be read is never taken for an empty one), and the
//! fields of each that feed-rs does not map: an RSS `<author>` given as a `<name>` child,
//! `itunes:author`, an Atom date inside an RSS item (Microsoft's `a10:updated`), `dc:title` and
//! `dc:description` in an RSS 2.0 item, its content as `<xhtml:body>` or `<fullitem>`, an Atom
//! `<link>` that gives its URL as text instead of `href`, `dc:creator` and `dc:date` in an Atom
//! entry, an RSS date under another case (`<pubdate>`) or as the item's `lastBuildDate`, and
//! `media:title`. Pure.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

const ATOM: &[u8] = b"http://www.w3.org/2005/Atom";
const ITUNES: &[u8] = b"http://www.itunes.com/dtds/podcast-1.0.dtd";
const DC: &[u8] = b"http://purl.org/dc/elements/1.1/";
const XHTML: &[u8] = b"http://www.w3.org/1999/xhtml";
const MEDIA: &[u8] = b"http://search.yahoo.com/mrss/";

/// What the document says of one item, beyond feed-rs' model.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    /// `<author><name>…</name></author>` in an RSS item.
    pub author_name: Option<String>,
    /// `itunes:author`.
    pub itunes_author: Option<String>,
    /// An Atom `published` (else `updated`) inside an RSS item, as written.
    pub atom_date: Option<String>,
    /// `dc:title` in an RSS item.
    pub dc_title: Option<String>,
    /// `dc:description` in an RSS item.
    pub dc_description: Option<String>,
    /// The item's `<xhtml:body>` (its text, escaped) or `<fullitem>`, as HTML.
    pub body_html: Option<String>,
    /// An Atom `<link>` (alternate or without `rel`) with no `href`: the URL it holds as text.
    pub link_text: Option<String>,
    /// `dc:creator` in an Atom entry.
    pub dc_creator: Option<String>,
    /// A date feed-rs does not read: `dc:date` in an Atom entry, an RSS `<pubdate>` written in
    /// another case, an item's `lastBuildDate`; as written.
    pub other_date: Option<String>,
    /// `media:title` (Media RSS), directly in the item.
    pub media_title: Option<String>,
    /// It holds no element and no text (`<item/>`): nothing that could be read.
    pub empty: bool,
}

/// Every item element of the document, in document order, and its root element.
#[derive(Debug, Default)]
pub struct Census {
    pub items: Vec<ItemFacts>,
    /// The root element's local name (`rss`, `feed`, `RDF`…).
    pub root: Option<String>,
}

impl Census {
    /// Items that hold something.
    pub fn held(&self) -> usize {
        self.items.iter().filter(|i| !i.empty).count()
    }
}

/// Where the reader is, relative to the item being read.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Field {
    #[default]
    None,
    ItunesAuthor,
    RssAuthor,
    RssAuthorName,
    AtomPublished,
    AtomUpdated,
    DcTitle,
    DcDescription,
    /// `<xhtml:body>`: text escaped, elements as spaces.
    XhtmlBody,
    /// `<fullitem>`: escaped HTML.
    FullItem,
    LinkText,
    DcCreator,
    OtherDate,
    MediaTitle,
}

/// Read the document's items; `None` when it is not XML that a tokenizer reads to its end with
/// every element closed.
pub fn census(text: &str) -> Option<Census> {
    let mut reader = NsReader::from_str(text);
    let mut counter = Counter::default();
    loop {
        let (ns, event) = reader.read_resolved_event().ok()?;
        let ns = match ns {
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_vec()),
            _ => None,
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let local = e.local_name();
                let text_link = local.as_ref() == b"link"
                    && ns.as_deref() == Some(ATOM)
                    && e.try_get_attribute("href").ok().flatten().is_none()
                    && e.try_get_attribute("rel")
                        .ok()
                        .flatten()
                        .is_none_or(|rel| rel.value.as_ref() == b"alternate");
                counter.start(local.as_ref(), ns.as_deref(), empty, text_link);
            }
            Event::Text(t) => {
                let blank = t.iter().all(u8::is_ascii_whitespace);
                counter.text(&t.xml_content(Default::default()).ok()?, blank);
            }
            Event::CData(t) => counter.text(&t.decode().ok()?, false),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => r
                        .decode()
                        .ok()
                        .and_then(|n| quick_xml::escape::resolve_predefined_entity(&n))
                        .map(str::to_string),
                };
                counter.text(resolved.as_deref().unwrap_or_default(), false);
            }
            Event::End(_) => counter.end(),
            // Elements still open at the end: the document was cut off.
            Event::Eof => return (counter.depth == 0).then_some(counter.census),
            _ => {}
        }
    }
}

/// The census under way, element by element.
#[derive(Default)]
struct Counter {
    census: Census,
    depth: usize,
    /// Depth of the open item, and whether it is an Atom entry.
    item: Option<(usize, bool)>,
    /// The field being read and its depth.
    field: (Field, usize),
    buffer: String,
    atom_published: Option<String>,
}

impl Counter {
    /// An element starts; `text_link`: it is an Atom link without `href`.
    fn start(&mut self, local: &[u8], ns: Option<&[u8]>, empty: bool, text_link: bool) {
        if self.depth == 0 && self.census.root.is_none() {
            self.census.root = Some(String::from_utf8_lossy(local).into_owned());
        }
        let here = self.depth + 1;
        if !empty {
            self.depth = here;
        }
        match self.item {
            None if is_item(local, ns) => {
                self.census.items.push(ItemFacts {
                    empty: true,
                    ..ItemFacts::default()
                });
                self.atom_published = None;
                if !empty {
                    self.item = Some((here, local == b"entry"));
                }
            }
            Some(_) if empty => self.mark_full(),
            Some((at, is_entry)) => {
                self.mark_full();
                if self.field.0 == Field::XhtmlBody {
                    self.buffer.push(' ');
                }
                let wanted = if here == at + 1 && text_link && is_entry {
                    Some(Field::LinkText)
                } else if here == at + 1 {
                    child_field(local, ns, is_entry)
                } else if here == at + 2 && self.field.0 == Field::RssAuthor {
                    (local == b"name").then_some(Field::RssAuthorName)
                } else {
                    None
                };
                if let Some(wanted) = wanted {
                    self.field = (wanted, here);
                    self.buffer.clear();
                }
            }
            None => {}
        }
    }

    /// Text (or a reference) inside the current element; `blank` when it is only whitespace.
    fn text(&mut self, text: &str, blank: bool) {
        if self.field.0 == Field::XhtmlBody {
            let escaped = text.replace('&', "&amp;").replace('<', "&lt;");
            self.buffer.push_str(&escaped);
        } else if self.field.0 != Field::None {
            self.buffer.push_str(text);
        } else if self.item.is_some() && !blank {
            self.mark_full();
        }
    }

    fn end(&mut self) {
        let depth = self.depth;
        if self.field.0 != Field::None && self.field.1 == depth {
            let value = Some(self.buffer.trim().to_string()).filter(|v| !v.is_empty());
            if let Some(facts) = self.census.items.last_mut() {
                match self.field.0 {
                    Field::ItunesAuthor => facts.itunes_author = value,
                    Field::RssAuthorName => facts.author_name = value,
                    Field::AtomPublished => self.atom_published = value,
                    Field::AtomUpdated => facts.atom_date = value,
                    Field::DcTitle => facts.dc_title = value,
                    Field::DcDescription => facts.dc_description = value,
                    Field::XhtmlBody | Field::FullItem => facts.body_html = value,
                    Field::LinkText => facts.link_text = value,
                    Field::DcCreator => facts.dc_creator = value,
                    Field::OtherDate => facts.other_date = value,
                    Field::MediaTitle => facts.media_title = value,
                    Field::RssAuthor | Field::None => {}
                }
            }
            self.field = if self.field.0 == Field::RssAuthorName {
                (Field::RssAuthor, depth - 1)
            } else {
                (Field::None, 0)
            };
        }
        if self.item.is_some_and(|(at, _)| at == depth) {
            self.item = None;
            if let (Some(facts), Some(date)) =
                (self.census.items.last_mut(), self.atom_published.take())
            {
                facts.atom_date = Some(date);
            }
        }
        self.depth = depth.saturating_sub(1);
    }

    /// The item being read holds something.
    fn mark_full(&mut self) {
        if let Some(facts) = self.census.items.last_mut() {
            facts.empty = false;
        }
    }
}

/// An `<item>` or an `<entry>` outside an item, in whatever namespace: one that feed-rs does
/// not know is just what the census is there to see. Only the extensions known to reuse the
/// names are left out.
fn is_item(local: &[u8], ns: Option<&[u8]>) -> bool {
    matches!(local, b"item" | b"entry") && !ns.is_some_and(|ns| EXTENSIONS.contains(&ns))
}

/// Namespaces of extensions whose elements may be named `item` or `entry`.
const EXTENSIONS: &[&[u8]] = &[
    ITUNES,
    b"http://search.yahoo.com/mrss/",
    b"https://podcastindex.org/namespace/1.0",
    b"http://www.w3.org/1999/02/22-rdf-syntax-ns#",
];

/// The field a direct child of an item is, if it is one the census keeps.
fn child_field(local: &[u8], ns: Option<&[u8]>, in_entry: bool) -> Option<Field> {
    match (ns, local) {
        (Some(ITUNES), b"author") => Some(Field::ItunesAuthor),
        (Some(ATOM), b"published") if !in_entry => Some(Field::AtomPublished),
        (Some(ATOM), b"updated") if !in_entry => Some(Field::AtomUpdated),
        (None, b"author") if !in_entry => Some(Field::RssAuthor),
        (Some(DC), b"title") if !in_entry => Some(Field::DcTitle),
        (Some(DC), b"description") if !in_entry => Some(Field::DcDescription),
        (Some(XHTML), b"body") if !in_entry => Some(Field::XhtmlBody),
        (None, b"fullitem") if !in_entry => Some(Field::FullItem),
        (Some(DC), b"creator") if in_entry => Some(Field::DcCreator),
        (Some(DC), b"date") if in_entry => Some(Field::OtherDate),
        (Some(MEDIA), b"title") => Some(Field::MediaTitle),
        (None, name)
            if !in_entry
                && name != b"pubDate"
                && (name.eq_ignore_ascii_case(b"pubdate")
                    || name.eq_ignore_ascii_case(b"lastbuilddate")) =>
        {
            Some(Field::OtherDate)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_items_and_entries_and_skips_escaped_markup() {
        let rss = "<rss version=\"2.0\"><channel><item><title>a</title><description>&lt;item&gt;</description></item><item/><item><![CDATA[<item>]]></item></channel></rss>";
        let counted = census(rss).unwrap();
        assert_eq!(counted.items.len(), 3);
        assert_eq!((counted.held(), counted.root.as_deref()), (2, Some("rss")));
        let atom =
            r#"<feed xmlns="http://purl.org/atom/ns#"><entry><title>a</title></entry></feed>"#;
        assert_eq!(census(atom).unwrap().items.len(), 1);
        let userland = r#"<rss xmlns="http://backend.userland.com/rss2" version="2.0"><channel><item/><item/></channel></rss>"#;
        assert_eq!(census(userland).unwrap().items.len(), 2);
        assert!(census("<rss><channel><item></channel>").is_none());
        assert!(census("<rss><channel><item><title>A</title></item>").is_none());
    }

    #[test]
    fn reads_the_fields_feed_rs_leaves_out() {
        let rss = r#"<rss version="2.0" xmlns:a10="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
            <item><author><name>Awa &amp; Bastien</name></author><a10:updated>2026-11-20T10:00:00Z</a10:updated></item>
            <item><itunes:author><![CDATA[Collectif]]></itunes:author></item>
            </channel></rss>"#;
        let items = census(rss).unwrap().items;
        assert_eq!(items[0].author_name.as_deref(), Some("Awa & Bastien"));
        assert_eq!(items[0].atom_date.as_deref(), Some("2026-11-20T10:00:00Z"));
        assert_eq!(items[1].itunes_author.as_deref(), Some("Collectif"));
        assert_eq!(items[1].author_name, None);
    }

    #[test]
    fn reads_dublin_core_bodies_and_links_written_as_text() {
        let rss = r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
            <item><dc:title>Titre</dc:title><dc:description>Texte</dc:description></item>
            <item><body xmlns="http://www.w3.org/1999/xhtml"><p>Un &amp; <em>deux</em></p></body></item>
            <item><fullitem>&lt;p&gt;Trois&lt;/p&gt;</fullitem></item>
            </channel></rss>"#;
        let items = census(rss).unwrap().items;
        assert_eq!(items[0].dc_title.as_deref(), Some("Titre"));
        assert_eq!(items[0].dc_description.as_deref(), Some("Texte"));
        assert_eq!(items[1].body_html.as_deref(), Some("Un &amp;  deux"));
        assert_eq!(items[2].body_html.as_deref(), Some("<p>Trois</p>"));
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry>
            <link rel="enclosure">https://e.org/v.mp4</link><link href="https://e.org/h"/>
            <link rel="alternate">https://e.org/a</link></entry></feed>"#;
        let entry = &census(atom).unwrap().items[0];
        assert_eq!(entry.link_text.as_deref(), Some("https://e.org/a"));
    }

    #[test]
    fn reads_dublin_core_in_atom_odd_rss_dates_and_media_titles() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><entry>
            <dc:creator>Awa</dc:creator><dc:date>2026-11-20T10:00:00Z</dc:date></entry></feed>"#;
        let entry = &census(atom).unwrap().items[0];
        assert_eq!(entry.dc_creator.as_deref(), Some("Awa"));
        assert_eq!(entry.other_date.as_deref(), Some("2026-11-20T10:00:00Z"));
        let rss = r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
            <item><pubdate>Fri, 20 Nov 2026 10:00:00 GMT</pubdate><media:title>Vidéo</media:title></item>
            <item><pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>"#;
        let items = census(rss).unwrap().items;
        assert_eq!(
            items[0].other_date.as_deref(),
            Some("Fri, 20 Nov 2026 10:00:00 GMT")
        );
        assert_eq!(items[0].media_title.as_deref(), Some("Vidéo"));
        assert_eq!(items[1].other_date, None, "feed-rs reads pubDate itself");
    }
}
