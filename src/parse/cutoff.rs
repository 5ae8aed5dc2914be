//! A feed document cut off before its end (a dropped connection, a generator that died half-way)
//! made whole again: the text up to the last complete `<item>`/`<entry>`, with the end tags of
//! the elements still open there. Only a document that breaks at its end is mended: XML broken
//! in its middle (a mismatched end tag) stays an error. Pure.

use quick_xml::errors::Error;
use quick_xml::events::Event;
use quick_xml::Reader;

/// A cut-off document, mended.
#[derive(Debug, PartialEq, Eq)]
pub struct Mended {
    /// The complete items of the document, and the end tags of what was open around them.
    pub text: String,
    /// The line where the document breaks off.
    pub line: usize,
}

/// `text` up to its last complete item, closed; `None` when it is whole, when it breaks
/// anywhere but at its end, or when no item was complete before the break.
pub fn mend(text: &str) -> Option<Mended> {
    let mut reader = Reader::from_str(text);
    let mut open: Vec<String> = Vec::new();
    // Where the last complete item ends, and the elements open around it.
    let mut last_item: Option<(usize, Vec<String>)> = None;
    let broken_at = loop {
        let event = reader.read_event();
        let position = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Ok(Event::Start(e)) => open.push(String::from_utf8_lossy(e.name().as_ref()).into()),
            Ok(Event::End(e)) => {
                open.pop();
                if matches!(e.local_name().as_ref(), b"item" | b"entry") {
                    last_item = Some((position.min(text.len()), open.clone()));
                }
            }
            Ok(Event::Eof) if open.is_empty() => return None,
            Ok(Event::Eof) => break text.len(),
            Ok(_) => {}
            // Markup left unclosed by the end of the input: the document was cut off.
            Err(Error::Syntax(_)) => {
                break usize::try_from(reader.error_position()).unwrap_or(usize::MAX)
            }
            Err(_) => return None,
        }
    };
    let (end, around) = last_item?;
    let mut mended = text[..end].to_string();
    for name in around.iter().rev() {
        mended.push_str(&format!("</{name}>"));
    }
    Some(Mended {
        text: mended,
        line: super::line_of(text, broken_at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_cut_in_its_third_item_keeps_the_first_two() {
        let text = "<rss version=\"2.0\"><channel><title>T</title>\n<item><title>A</title></item>\n<item><title>B</title></item>\n<item><title>C</ti";
        let mended = mend(text).unwrap();
        assert_eq!(
            mended.text,
            "<rss version=\"2.0\"><channel><title>T</title>\n<item><title>A</title></item>\n<item><title>B</title></item></channel></rss>"
        );
        assert_eq!(mended.line, 4);
    }

    #[test]
    fn a_missing_last_end_tag_is_mended_too() {
        let text = "<rdf:RDF xmlns:rdf=\"r\"><item><title>A</title></item></rdf:RDF";
        assert_eq!(
            mend(text).unwrap().text,
            "<rdf:RDF xmlns:rdf=\"r\"><item><title>A</title></item></rdf:RDF>"
        );
        let unclosed = "<feed><entry><title>A</title></entry>";
        assert_eq!(
            mend(unclosed).unwrap().text,
            "<feed><entry><title>A</title></entry></feed>"
        );
    }

    #[test]
    fn whole_documents_and_breaks_in_the_middle_are_left_alone() {
        assert_eq!(mend("<rss><channel><item/></channel></rss>"), None);
        let mismatched =
            "<rss><channel><item><title>A</item><item><title>B</title></item></channel></rss>";
        assert_eq!(mend(mismatched), None);
        // Cut before any item was complete: nothing to keep.
        assert_eq!(mend("<rss><channel><title>T</title><item><title>A"), None);
    }
}
