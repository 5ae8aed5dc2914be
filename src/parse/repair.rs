//! Near-XML → XML: the mistakes real feeds make most, repaired before parsing so that no item
//! loses its title. HTML named entities (`&eacute;`, `&nbsp;`, `&rsquo;`), which XML does not
//! define, become numeric references; a bare `&` becomes `&amp;`, a bare `<` (« 1 < 2 ») `&lt;`.
//! CDATA sections and comments are left alone. Text a server printed before the XML
//! declaration (a PHP warning) is skipped, and a document that only HTML's unclosed void
//! elements (`<br>`, `<img …>`) break can have them closed. Pure; borrows the input when there is
//! nothing to repair.

use std::borrow::Cow;

/// The five entities XML defines.
const XML_ENTITIES: &[&str] = &["amp;", "lt;", "gt;", "quot;", "apos;"];
/// The longest HTML entity name is 32 bytes (`CounterClockwiseContourIntegral;`).
const MAX_ENTITY_LEN: usize = 40;

pub fn repair_xml(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b'<' if text[i..].starts_with("<![CDATA[") => {
                i = text[i..].find("]]>").map_or(bytes.len(), |end| i + end + 3);
            }
            b'<' if text[i..].starts_with("<!--") => {
                i = text[i..].find("-->").map_or(bytes.len(), |end| i + end + 3);
            }
            // `<` that starts no tag, end tag, declaration or instruction is text.
            b'<' if !bytes.get(i + 1).is_some_and(|b| {
                b.is_ascii_alphabetic()
                    || matches!(b, b'_' | b':' | b'/' | b'!' | b'?')
                    || *b >= 0x80
            }) =>
            {
                out.push_str(&text[copied..i]);
                out.push_str("&lt;");
                copied = i + 1;
                i += 1;
            }
            b'&' => {
                let rest = &text[i + 1..];
                if let Some(replacement) = replacement(rest) {
                    out.push_str(&text[copied..i]);
                    out.push_str(&replacement.0);
                    copied = i + 1 + replacement.1;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if copied == 0 && out.is_empty() {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// How far into a document its XML declaration may be sought.
const JUNK_WINDOW: usize = 4096;

/// The document from its XML declaration on, when something else than markup comes before it
/// (`<b>Warning</b>: Cannot modify header information…` printed by PHP before the feed).
pub fn after_leading_junk(text: &str) -> &str {
    let trimmed = text.trim_start();
    let markup_first = [
        "<?xml",
        "<!--",
        "<!DOCTYPE",
        "<rss",
        "<feed",
        "<rdf",
        "{",
        "[",
    ]
    .iter()
    .any(|start| trimmed.starts_with(start));
    if markup_first {
        return text;
    }
    let window = &text[..text.floor_char_boundary(JUNK_WINDOW)];
    window.find("<?xml").map_or(text, |at| &text[at..])
}

/// The text with HTML's void elements (`<br>`, `<hr>`, `<img …>`, `<wbr>`) closed as XML
/// wants them (`<br/>`); `None` when it has none left open. For a document that does not
/// read as XML otherwise.
pub fn close_void_elements(text: &str) -> Option<String> {
    static VOID: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let void = VOID.get_or_init(|| {
        regex::Regex::new(r#"(?i)<(br|hr|img|wbr)\b((?:[^>"']|"[^"]*"|'[^']*')*?)\s*(/?)>"#)
            .expect("valid regex")
    });
    let mut changed = false;
    let closed = void.replace_all(text, |caps: &regex::Captures| {
        if caps[3].is_empty() {
            changed = true;
            format!("<{}{}/>", &caps[1], &caps[2])
        } else {
            caps[0].to_string()
        }
    });
    changed.then(|| closed.into_owned())
}

/// What replaces `&` + the start of `rest`, and how many bytes of `rest` it consumes;
/// `None` when the reference is valid XML.
fn replacement(rest: &str) -> Option<(String, usize)> {
    if rest.starts_with('#') {
        let end = rest.find(';').filter(|e| *e <= 10)?;
        let valid = if let Some(hex) = rest[1..end].strip_prefix(['x', 'X']) {
            !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit())
        } else {
            end > 1 && rest[1..end].bytes().all(|b| b.is_ascii_digit())
        };
        return (!valid).then(|| ("&amp;".to_string(), 0));
    }
    let name_len = rest
        .bytes()
        .take(MAX_ENTITY_LEN)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if rest.as_bytes().get(name_len) == Some(&b';') && name_len > 0 {
        let name = &rest[..=name_len];
        if XML_ENTITIES.contains(&name) {
            return None;
        }
        if let Some((first, second)) = markup5ever::data::NAMED_ENTITIES.get(name) {
            if *first != 0 {
                let mut refs = format!("&#{first};");
                if *second != 0 {
                    refs.push_str(&format!("&#{second};"));
                }
                return Some((refs, name.len()));
            }
        }
    }
    Some(("&amp;".to_string(), 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_entities_become_numeric_references() {
        assert_eq!(
            repair_xml("<t>s&eacute;curit&eacute;&nbsp;!</t>"),
            "<t>s&#233;curit&#233;&#160;!</t>"
        );
    }

    #[test]
    fn bare_ampersands_are_escaped() {
        assert_eq!(
            repair_xml("<t>Tom & Jerry &c &#zz;</t>"),
            "<t>Tom &amp; Jerry &amp;c &amp;#zz;</t>"
        );
    }

    #[test]
    fn bare_angle_brackets_junk_and_void_elements() {
        assert_eq!(
            repair_xml("<t>1 < 2 <3</t><![CDATA[ a < b ]]>"),
            "<t>1 &lt; 2 &lt;3</t><![CDATA[ a < b ]]>"
        );
        let php = "<br />\n<b>Warning</b>: headers sent<br />\n<?xml version=\"1.0\"?><rss/>";
        assert_eq!(after_leading_junk(php), "<?xml version=\"1.0\"?><rss/>");
        assert_eq!(after_leading_junk("\n<rss/>"), "\n<rss/>");
        assert_eq!(
            close_void_elements("<d>a<br>b<img src=\"x>y\"><br/></d>").as_deref(),
            Some("<d>a<br/>b<img src=\"x>y\"/><br/></d>")
        );
        assert_eq!(close_void_elements("<d><br/></d>"), None);
    }

    #[test]
    fn valid_xml_is_borrowed_untouched() {
        let text = "<t>a &amp; b &#233; &#xE9; &lt;</t><![CDATA[ & &eacute; ]]><!-- & -->";
        assert!(matches!(repair_xml(text), Cow::Borrowed(_)));
    }
}
