//! Bytes of unknown encoding → UTF-8 text. Pure: the caller passes the HTTP charset it saw.
//!
//! The rule, in order: a byte-order mark wins (UTF-32's too); UTF-16 or UTF-32 without one is
//! recognised by the `<` its XML document starts with (XML 1.0, appendix F); bytes that are valid UTF-8 are UTF-8 (a Latin-1
//! text almost never is, whatever a server or a prolog claims); otherwise the HTTP charset, then
//! the document's own declaration (XML prolog or HTML `<meta>`), then Windows-1252, the superset
//! of ISO-8859-1 that French sites actually send.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// How many leading bytes are searched for an in-document declaration.
const DECLARATION_WINDOW: usize = 1024;

/// The text and the encoding it was decoded from (`None` for UTF-32, which encoding_rs, a
/// WHATWG implementation, has no value for).
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: Option<&'static Encoding>,
}

/// The `charset` parameter of a Content-Type header value, if any.
pub fn charset_of_content_type(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(|c| c == '"' || c == '\''))
    })
}

/// Decode `bytes` to UTF-8 following the module's rule. Never fails: undecodable bytes become U+FFFD.
pub fn decode<'a>(bytes: &'a [u8], http_charset: Option<&str>) -> Decoded<'a> {
    if let Some(decoded) = decode_wide(bytes) {
        return decoded;
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text,
            encoding: Some(encoding),
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: demoronize(text),
            encoding: Some(UTF_8),
        };
    }
    if mostly_utf8(bytes) {
        // UTF-8 with a few broken sequences (a truncated character, a stray Latin-1 byte pasted
        // in): decoding it as anything else would garble every accent of the text.
        let text = String::from_utf8_lossy(bytes);
        return Decoded {
            text: Cow::Owned(demoronize(&text).into_owned()),
            encoding: Some(UTF_8),
        };
    }
    // The header, then the document's own declaration; when they disagree, the first that
    // decodes these bytes without error.
    let candidates: Vec<&'static Encoding> = [
        http_charset.and_then(|label| Encoding::for_label(label.as_bytes())),
        declared_encoding(bytes),
    ]
    .into_iter()
    .flatten()
    .filter(|e| *e != UTF_8)
    .collect();
    let mut first = None;
    for encoding in &candidates {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if !had_errors {
            return Decoded {
                text,
                encoding: Some(encoding),
            };
        }
        first.get_or_insert((text, *encoding));
    }
    let (text, encoding) = first.unwrap_or_else(|| {
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
        (text, WINDOWS_1252)
    });
    Decoded {
        text,
        encoding: Some(encoding),
    }
}

/// UTF-32 (with or without its byte-order mark) or UTF-16 without one, told by the first
/// character of an XML document, `<` (XML 1.0, appendix F); `None` for any other bytes. A
/// UTF-32 little-endian mark (`FF FE 00 00`) is looked at before UTF-16's (`FF FE`).
fn decode_wide(bytes: &[u8]) -> Option<Decoded<'static>> {
    let head = bytes.get(..4)?;
    let utf16 = |encoding: &'static Encoding| {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        Some(Decoded {
            text: Cow::Owned(text.into_owned()),
            encoding: Some(encoding),
        })
    };
    let utf32 = |skip: usize, big_endian: bool| {
        Some(Decoded {
            text: Cow::Owned(decode_utf32(&bytes[skip..], big_endian)),
            encoding: None,
        })
    };
    match head {
        [0, 0, 0xFE, 0xFF] => utf32(4, true),
        [0xFF, 0xFE, 0, 0] => utf32(4, false),
        [0, 0, 0, b'<'] => utf32(0, true),
        [b'<', 0, 0, 0] => utf32(0, false),
        [0, b'<', 0, next] if next.is_ascii_graphic() => utf16(encoding_rs::UTF_16BE),
        [b'<', 0, next, 0] if next.is_ascii_graphic() => utf16(encoding_rs::UTF_16LE),
        _ => None,
    }
}

/// UTF-32 code units as text; a unit that is no character becomes U+FFFD, as do trailing bytes.
fn decode_utf32(bytes: &[u8], big_endian: bool) -> String {
    let mut units = bytes.chunks_exact(4);
    let mut text: String = units
        .by_ref()
        .map(|unit| {
            let unit = [unit[0], unit[1], unit[2], unit[3]];
            let code = if big_endian {
                u32::from_be_bytes(unit)
            } else {
                u32::from_le_bytes(unit)
            };
            char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect();
    if !units.remainder().is_empty() {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    text
}

/// `bytes` decoded with `encoding` whatever they declare, as UTF-8 bytes: a source's
/// `encoding` setting, for sites whose header, prolog or `<meta>` name the wrong charset. The
/// result is valid UTF-8, so [`decode`] then takes it as it is.
pub fn transcode(bytes: &[u8], encoding: &'static Encoding) -> Vec<u8> {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    text.into_owned().into_bytes()
}

/// A page's bytes as text, with the charset of its `Content-Type` header if it had one.
pub fn decode_page(bytes: &[u8], content_type: Option<&str>) -> String {
    decode(bytes, content_type.and_then(charset_of_content_type))
        .text
        .into_owned()
}

/// More well-formed multi-byte UTF-8 characters than broken sequences. Text in a single-byte
/// encoding almost never forms a valid multi-byte sequence (« é » in Latin-1 is one lone byte).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut broken) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        broken += usize::from(!chunk.invalid().is_empty());
    }
    good > broken
}

/// C1 control characters (U+0080–U+009F) in UTF-8 text are Windows-1252 punctuation that was
/// converted as if it were ISO-8859-1 (`\u{92}` for ’): give them their intended characters.
fn demoronize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return Cow::Borrowed(text);
    }
    text.chars()
        .map(c1_as_windows_1252)
        .collect::<String>()
        .into()
}

/// A C1 control character as the Windows-1252 character of the same byte; any other unchanged.
pub fn c1_as_windows_1252(c: char) -> char {
    match u8::try_from(u32::from(c)) {
        Ok(byte @ 0x80..=0x9f) => {
            let single = [byte];
            let (decoded, _) = WINDOWS_1252.decode_without_bom_handling(&single);
            decoded.chars().next().unwrap_or(c)
        }
        _ => c,
    }
}

/// The encoding named by an XML declaration (`encoding="…"`) or an HTML `<meta charset>` /
/// `http-equiv` in the first bytes of the document.
pub fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(DECLARATION_WINDOW)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    ["encoding=", "charset="].iter().find_map(|key| {
        let start = head.find(key)? + key.len();
        let rest = head[start..].trim_start_matches(['"', '\'', ' ']);
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        Encoding::for_label(&rest.as_bytes()[..end])
    })
}

/// Rewrite the `encoding` pseudo-attribute of a leading XML declaration to UTF-8, so that a
/// parser given already-decoded text does not decode it a second time.
pub fn declare_utf8(xml: &str) -> Cow<'_, str> {
    let trimmed = xml.trim_start();
    if !trimmed.starts_with("<?xml") {
        return Cow::Borrowed(xml);
    }
    let Some(end) = trimmed.find("?>") else {
        return Cow::Borrowed(xml);
    };
    let declaration = &trimmed[..end];
    match declaration.find("encoding") {
        None => Cow::Borrowed(trimmed),
        Some(_) => {
            let rest = &trimmed[end..];
            Cow::Owned(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"{rest}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_declared_in_prolog_becomes_utf8() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>s\xe9curit\xe9</t>";
        let decoded = decode(bytes, None);
        assert!(decoded.text.contains("sécurité"));
        assert_eq!(declare_utf8(&decoded.text).matches("UTF-8").count(), 1);
    }

    #[test]
    fn windows_1252_quotes_survive_a_latin1_label() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><t>\x93l\x92open\x94\x85</t>";
        assert!(decode(bytes, None).text.contains("“l’open”…"));
    }

    #[test]
    fn http_charset_used_when_bytes_are_not_utf8() {
        let decoded = decode(b"<t>\xe9t\xe9</t>", Some("iso-8859-15"));
        assert_eq!(decoded.text, "<t>été</t>");
    }

    #[test]
    fn valid_utf8_wins_over_a_wrong_label() {
        let text = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><t>été</t>";
        assert!(decode(text.as_bytes(), Some("iso-8859-1"))
            .text
            .contains("été"));
    }

    #[test]
    fn bom_wins_and_is_stripped() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<rss>é</rss>".as_bytes());
        assert_eq!(decode(&bytes, Some("iso-8859-1")).text, "<rss>é</rss>");
    }

    #[test]
    fn c1_controls_become_windows_1252_punctuation() {
        assert_eq!(
            decode("don\u{92}t \u{93}x\u{94}".as_bytes(), None).text,
            "don’t “x”"
        );
    }

    #[test]
    fn when_header_and_document_disagree_the_clean_decoding_wins() {
        // Latin-1 bytes, a header claiming ISO-2022-JP (a 7-bit encoding these bytes break),
        // a `<meta>` saying ISO-8859-1.
        let page = b"<meta charset=\"iso-8859-1\"><p>\xe9t\xe9 \x80</p>";
        let decoded = decode(page, Some("iso-2022-jp"));
        assert_eq!(decoded.encoding, Some(WINDOWS_1252));
        assert!(decoded.text.contains("été €"), "{}", decoded.text);
    }

    #[test]
    fn spip_latin1_page_with_numeric_references() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body><div class=\"texte\">L&#8217;\xe9t\xe9 du libre</div></body></html>";
        let text = decode_page(page, Some("text/html"));
        assert!(text.contains("L&#8217;été du libre"));
        assert_eq!(crate::normalize::html_to_text(&text), "L’été du libre");
    }

    #[test]
    fn utf8_with_a_few_broken_bytes_stays_utf8() {
        let mut bytes = "<t>Sécurité, souveraineté, « libre »</t><u>"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b"caf\xe9 \xff</u>");
        let decoded = decode(&bytes, Some("utf-8"));
        assert_eq!(decoded.encoding, Some(UTF_8));
        assert!(decoded
            .text
            .starts_with("<t>Sécurité, souveraineté, « libre »</t>"));
        assert!(decoded.text.contains("caf\u{fffd} \u{fffd}"));
        // Latin-1 text is still Latin-1.
        assert_eq!(
            decode(b"<t>\xe9t\xe9, s\xe9curit\xe9</t>", None).encoding,
            Some(WINDOWS_1252)
        );
    }

    #[test]
    fn utf32_and_utf16_without_a_mark_are_told_by_their_first_character() {
        let xml = "<?xml version=\"1.0\"?><rss>été</rss>";
        let mut le32 = vec![0xFF, 0xFE, 0, 0];
        le32.extend(xml.chars().flat_map(|c| u32::from(c).to_le_bytes()));
        assert_eq!(decode(&le32, None).text, xml);
        let be32: Vec<u8> = xml
            .chars()
            .flat_map(|c| u32::from(c).to_be_bytes())
            .collect();
        assert_eq!(decode(&be32, None).encoding, None);
        assert_eq!(decode(&be32, None).text, xml);
        let be16: Vec<u8> = xml.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let decoded = decode(&be16, None);
        assert_eq!(
            (decoded.text.as_ref(), decoded.encoding),
            (xml, Some(encoding_rs::UTF_16BE))
        );
        // A UTF-16 little-endian mark is still UTF-16.
        let mut le16 = vec![0xFF, 0xFE];
        le16.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le16, None).text, xml);
    }

    #[test]
    fn charset_parameter_is_read() {
        assert_eq!(
            charset_of_content_type("text/xml; Charset=\"ISO-8859-1\""),
            Some("ISO-8859-1")
        );
        assert_eq!(charset_of_content_type("text/xml"), None);
    }

    #[test]
    fn html_meta_charset_is_found() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">";
        assert_eq!(declared_encoding(page), Some(WINDOWS_1252));
    }
}
