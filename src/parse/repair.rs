//! Near-XML → XML: the two mistakes real feeds make most, repaired before parsing so that no
//! item loses its title. HTML named entities (`&eacute;`, `&nbsp;`, `&rsquo;`), which XML does
//! not define, become numeric references; a bare `&` becomes `&amp;`. CDATA sections and
//! comments are left alone. Pure; borrows the input when there is nothing to repair.

use std::borrow::Cow;

/// The five entities XML defines.
const XML_ENTITIES: &[&str] = &["amp;", "lt;", "gt;", "quot;", "apos;"];
/// The longest HTML entity name is 32 bytes (`CounterClockwiseContourIntegral;`).
const MAX_ENTITY_LEN: usize = 40;

pub fn repair_xml(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
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
    fn valid_xml_is_borrowed_untouched() {
        let text = "<t>a &amp; b &#233; &#xE9; &lt;</t><![CDATA[ & &eacute; ]]><!-- & -->";
        assert!(matches!(repair_xml(text), Cow::Borrowed(_)));
    }
}
