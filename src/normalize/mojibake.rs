//! Mojibake: UTF-8 text that its publisher decoded once more as Windows-1252 or Latin-1
//! (« Ã© » for « é », « â€™ » for « ’ »), repaired word by word, and only where the repair is
//! certain: every character of the word maps back to one byte, those bytes are valid UTF-8,
//! and the result is shorter (each repaired sequence of two to four characters becomes one).
//! French or English text written correctly never forms such a word, so it is left as it is.
//! Pure.
//!
//! Why not a crate: `plsfix`, the Rust port of Python's ftfy, brings ICU and an unmaintained
//! `encoding` crate for the whole of ftfy; veille needs this one repair, done with
//! `encoding_rs`, which it has already.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Layers of mojibake undone at most (text decoded wrongly twice is seen in the wild).
const MAX_LAYERS: usize = 3;

/// `text` with its mojibake words repaired; borrowed when there is none.
pub fn repair_mojibake(text: &str) -> Cow<'_, str> {
    let mut current = Cow::Borrowed(text);
    for _ in 0..MAX_LAYERS {
        match repair_once(&current) {
            Some(repaired) => current = Cow::Owned(repaired),
            None => break,
        }
    }
    current
}

/// One layer undone, or `None` when no word changes.
fn repair_once(text: &str) -> Option<String> {
    // A repairable word holds a UTF-8 lead byte read as a character (Â to ô).
    if !text.chars().any(|c| ('\u{C2}'..='\u{F4}').contains(&c)) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        match repair_word(word) {
            Some(repaired) => {
                out.push_str(&repaired);
                changed = true;
            }
            None => out.push_str(word),
        }
        let spaces = after
            .find(|c: char| !c.is_ascii_whitespace())
            .unwrap_or(after.len());
        out.push_str(&after[..spaces]);
        rest = &after[spaces..];
    }
    changed.then_some(out)
}

fn repair_word(word: &str) -> Option<String> {
    if word.is_ascii() {
        return None;
    }
    let mut bytes = Vec::with_capacity(word.len());
    for c in word.chars() {
        bytes.push(single_byte(c)?);
    }
    let repaired = std::str::from_utf8(&bytes).ok()?;
    let reads_better =
        repaired.chars().count() < word.chars().count() && repaired.chars().all(plausible);
    reads_better.then(|| repaired.to_string())
}

/// A character that French or English text holds: ASCII, Latin letters, Greek and Cyrillic,
/// punctuation and symbols, emoji. A "repair" into another script (« ß« » is valid UTF-8 for
/// an N'Ko letter) is a coincidence, not a repair.
fn plausible(c: char) -> bool {
    matches!(u32::from(c),
        0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0xA0..=0x24F | 0x370..=0x4FF | 0x2000..=0x2BFF
            | 0x1F000..=0x1FAFF)
}

/// The byte that `c` was decoded from, as Windows-1252 (WHATWG) or, for the C1 controls
/// that Latin-1 gives, as Latin-1.
fn single_byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    if code <= 0xFF {
        return u8::try_from(code).ok();
    }
    static PUNCTUATION: OnceLock<HashMap<char, u8>> = OnceLock::new();
    PUNCTUATION
        .get_or_init(|| {
            (0x80u8..=0x9F)
                .filter_map(|b| {
                    let byte = [b];
                    let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
                    let c = decoded.chars().next()?;
                    (u32::from(c) > 0xFF).then_some((c, b))
                })
                .collect()
        })
        .get(&c)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_encoded_words_are_repaired() {
        assert_eq!(
            repair_mojibake("La rÃ©union de lâ€™Ã©quipe"),
            "La réunion de l’équipe"
        );
        // Decoded as Latin-1: the apostrophe's bytes became C1 controls.
        assert_eq!(
            repair_mojibake("l\u{e2}\u{80}\u{99}\u{c3}\u{a9}t\u{c3}\u{a9}"),
            "l’été"
        );
        // Twice.
        assert_eq!(repair_mojibake("CafÃƒÂ©"), "Café");
        assert_eq!(repair_mojibake("Â© 2026"), "© 2026");
    }

    #[test]
    fn correct_text_is_left_alone() {
        for text in [
            "Sécurité : l’ANSSI publie « Â » et ô",
            "Grüße an Ölmühle, ça va ? ß«",
            "plain ASCII",
        ] {
            assert_eq!(repair_mojibake(text), text);
        }
    }
}
