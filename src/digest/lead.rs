//! The lead of an article: its first sentences, as many as fit, cut at a sentence boundary and
//! never in the middle of a word; a heading or a dateline is never glued to a sentence.

/// Words that end with a full stop without ending a sentence (« M. Dupont », "e.g. this").
const ABBREVIATIONS: &[&str] = &[
    "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "st", "ste", "cf", "etc", "env", "ex", "p", "n°",
    "no", "vs", "mr", "mrs", "ms", "e.g", "i.e", "inc", "ltd", "jr", "sr",
];

/// A line this short that ends without a sentence mark is a heading or a dateline, not prose.
const MAX_HEADING_CHARS: usize = 150;

/// The first sentences of `text` that fit in `max` characters. A first sentence longer than
/// that is cut at the last word boundary and ends with « … ». Headings and datelines (short
/// lines that end without a sentence mark) before the first sentence are left out, and the
/// lead ends before the next one.
pub fn lead(text: &str, max: usize) -> String {
    let text = prose(text).split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let mut end = 0; // byte offset of the end of the last whole sentence that fits
    for boundary in sentence_ends(&text) {
        if text[..boundary].chars().count() > max {
            break;
        }
        end = boundary;
    }
    if end > 0 {
        return text[..end].trim_end().to_string();
    }
    // No sentence fits: cut at the last space before the limit.
    let cut: String = text.chars().take(max).collect();
    let words = match cut.rfind(' ') {
        Some(space) if space > 0 => &cut[..space],
        _ => cut.as_str(),
    };
    let words = words.trim_end_matches(|c: char| c.is_whitespace() || ",;:–—-(«".contains(c));
    format!("{words}…")
}

/// The lines of `text` from its first sentence up to the next heading; all of it when no line
/// reads as a sentence.
fn prose(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let heading = |line: &str| {
        line.chars().count() <= MAX_HEADING_CHARS
            && !line
                .trim_end_matches(|c: char| "»\"”)’]".contains(c) || c.is_whitespace())
                .ends_with(['.', '!', '?', '…'])
    };
    let Some(first) = lines.iter().position(|l| !heading(l)) else {
        return text.to_string();
    };
    let rest = &lines[first..];
    let end = rest.iter().position(|l| heading(l)).unwrap_or(rest.len());
    rest[..end].join("\n")
}

/// Byte offsets just after each sentence-ending mark (`.`, `!`, `?`, `…`, closing quotes
/// included) that is followed by a space and not part of an abbreviation or a number.
fn sentence_ends(text: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut ends = Vec::new();
    for (i, &(_, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        // Take closing quotes and brackets with the sentence, French spacing (« … allons. ») included.
        let mut j = i + 1;
        loop {
            let close = |k: usize| chars.get(k).is_some_and(|&(_, c)| "»\"”)’".contains(c));
            let space = |k: usize| {
                chars
                    .get(k)
                    .is_some_and(|&(_, c)| matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            };
            if close(j) {
                j += 1;
            } else if space(j) && close(j + 1) {
                j += 2;
            } else {
                break;
            }
        }
        let next = chars.get(j).map(|&(_, c)| c);
        if next != Some(' ') {
            continue;
        }
        if c == '.' && is_abbreviation(text, chars[i].0) {
            continue;
        }
        // The next sentence starts with anything but a lower-case letter: a capital, a digit, a
        // quote, a bracket (« [Next] Les collectivités… »).
        let starts = chars
            .get(j + 1)
            .is_some_and(|&(_, c)| !c.is_lowercase() && !c.is_whitespace());
        if starts {
            ends.push(chars.get(j).map_or(text.len(), |&(at, _)| at));
        }
    }
    ends
}

/// Whether the full stop at byte `dot` ends an abbreviation or an initial (« J. Dupont »).
fn is_abbreviation(text: &str, dot: usize) -> bool {
    let word = text[..dot]
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '«')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
        || ABBREVIATIONS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_are_kept_whole() {
        assert_eq!(lead("  Une phrase.\n Deux.  ", 280), "Une phrase. Deux.");
    }

    #[test]
    fn cut_after_the_last_sentence_that_fits() {
        let text = "La Dinum publie sa doctrine. Elle vise le cloud de confiance ! Le texte, long de quarante pages, précise les critères. Il entre en vigueur en janvier.";
        assert_eq!(
            lead(text, 70),
            "La Dinum publie sa doctrine. Elle vise le cloud de confiance !"
        );
        assert_eq!(lead(text, 30), "La Dinum publie sa doctrine.");
    }

    #[test]
    fn abbreviations_and_numbers_do_not_end_a_sentence() {
        let text = "M. Dupont présente la version 3.3 de SecNumCloud. J. Martin répond au ministère. Fin de l'histoire qui est très longue.";
        assert_eq!(
            lead(text, 90),
            "M. Dupont présente la version 3.3 de SecNumCloud. J. Martin répond au ministère."
        );
    }

    #[test]
    fn quotes_close_with_their_sentence() {
        let text =
            "Il a dit « nous y allons. » Puis il est parti vers une longue suite de mots sans fin.";
        assert_eq!(lead(text, 40), "Il a dit « nous y allons. »");
    }

    #[test]
    fn datelines_and_headings_are_not_glued_to_a_sentence() {
        let text = "Communiqué de presse – Paris, le 14 octobre 2025\n\nLa société Oxalis annonce une levée de fonds. Elle recrute.\n\nUne croissance rapide\n\nLe chiffre d’affaires a doublé.";
        assert_eq!(
            lead(text, 280),
            "La société Oxalis annonce une levée de fonds. Elle recrute."
        );
        // A text without a single sentence is kept as it was.
        assert_eq!(
            lead("Agenda\n\nSalon du libre", 280),
            "Agenda Salon du libre"
        );
        // A long line without a final mark is prose (a cut excerpt), not a heading.
        let long = format!("{} […]", "mot ".repeat(50).trim_end());
        assert!(lead(&long, 280).starts_with("mot mot"));
    }

    #[test]
    fn a_long_first_sentence_is_cut_between_words() {
        let text = "Souveraineté numérique, coopération entre administrations, logiciels libres et communs numériques sont au programme";
        let cut = lead(text, 50);
        assert_eq!(cut, "Souveraineté numérique, coopération entre…");
        assert!(cut.chars().count() <= 51);
    }
}
