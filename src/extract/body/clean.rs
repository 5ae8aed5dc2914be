//! Paragraph-level cleanup of an extracted body: a leading repeat of the page title (the title
//! is metadata, read by `extract::meta`), "read also" teasers set inside the text, short
//! calls to subscribe, follow, share or accept cookies, a video player's labels, a gallery's
//! captions ending in a photo credit, and a closing "you may also like" list
//! of headlines are dropped; a text of many lines without a single sentence is no article.
//!
//! The phrases are the generic wording of these blocks in the languages veille reads
//! (French, English, German, Spanish, Portuguese, Italian, Polish), never a site's own text.

use super::arbitrate::repeats_title;

/// Openings of a paragraph that points to another article ("Lire aussi : …"), lower-case.
const TEASER_OPENINGS: [&str; 30] = [
    "lire aussi",
    "à lire aussi",
    "a lire aussi",
    "à lire",
    "voir aussi",
    "lire la suite",
    "read more",
    "read also",
    "see also",
    "related:",
    "related articles",
    "related stories",
    "more on this",
    "lesen sie auch",
    "lesen sie mehr",
    "mehr zum thema",
    "auch interessant",
    "schon gelesen",
    "weiterlesen",
    "lea también",
    "lea más",
    "vea también",
    "le puede interesar",
    "te puede interesar",
    "contenido relacionado",
    "leia também",
    "leia mais",
    "leggi anche",
    "czytaj także",
    "czytaj też",
];
/// Words of a call to subscribe, follow, share or accept cookies, lower-case.
const CALL_WORDS: [&str; 14] = [
    "newsletter",
    "cookie",
    "subscribe",
    "sign up",
    "abonnez-vous",
    "inscrivez-vous",
    "suivez-nous",
    "follow us",
    "share this",
    "partager",
    "jetzt abonnieren",
    "suscríbete",
    "suscribete",
    "únete",
];
/// A paragraph with a call word is chrome only when this short: an article may discuss cookies.
const MAX_CALL_WORDS: usize = 30;
/// Headings of a block of links to other articles, a whole paragraph, lower-case.
const RELATED_HEADINGS: [&str; 24] = [
    "you may also like",
    "you might also like",
    "related",
    "related articles",
    "related stories",
    "related posts",
    "more stories",
    "recommended for you",
    "read next",
    "vous aimerez aussi",
    "sur le même sujet",
    "dans la même rubrique",
    "das könnte sie auch interessieren",
    "weitere artikel",
    "te puede interesar",
    "noticias relacionadas",
    "artículos relacionados",
    "você pode gostar",
    "veja também",
    "potrebbe interessarti",
    "articoli correlati",
    "zobacz także",
    "czytaj również",
    "polecane",
];
/// What a video player writes as its controls' labels, lower-case: a short paragraph with one
/// is the player's, not the article's.
const PLAYER_PHRASES: [&str; 10] = [
    "video player is loading",
    "this is a modal window",
    "beginning of dialog window",
    "end of dialog window",
    "playback rate",
    "picture-in-picture",
    "captions settings",
    "current time 0:00",
    "remaining time",
    "lecteur vidéo",
];
/// A player's labels come in short paragraphs.
const MAX_PLAYER_WORDS: usize = 40;
/// Marks of a photo credit; a short paragraph that ends with one is a caption of a gallery.
const CREDIT_MARKS: [&str; 8] = [
    "©",
    "photo :",
    "photo:",
    "photos :",
    "foto:",
    "crédit :",
    "credit:",
    "bild:",
];
/// A caption is this short, and its credit in its last characters.
const MAX_CAPTION_WORDS: usize = 25;
const CREDIT_TAIL_CHARS: usize = 60;
/// The lines after a related heading are headlines (not the article going on) when this short.
const MAX_HEADLINE_WORDS: usize = 15;
/// A text without a sentence is a menu or a tag cloud when it has more words than this; a page
/// of one word, a short list or two headings is a short article and is kept.
const MAX_BARE_WORDS: usize = 30;

/// `text` without its boilerplate paragraphs, in the module's paragraph format.
pub fn drop_boilerplate(text: &str, title: &str) -> String {
    let mut paragraphs: Vec<&str> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if paragraphs.len() > 1 && repeats_title(paragraphs[0], title) {
        paragraphs.remove(0);
    }
    paragraphs.retain(|p| !is_teaser(p) && !is_call(p) && !is_player(p) && !is_credited_caption(p));
    if let Some(heading) = closing_related_list(&paragraphs) {
        paragraphs.truncate(heading);
    }
    let words: usize = paragraphs
        .iter()
        .map(|p| p.split_whitespace().count())
        .sum();
    if words > MAX_BARE_WORDS && !paragraphs.iter().any(|p| has_sentence(p)) {
        // Menus, tag clouds and link lists: an article of many lines has at least one sentence.
        return String::new();
    }
    paragraphs.join("\n\n")
}

/// Whether `paragraph` has sentence punctuation (Latin, CJK, Arabic, Devanagari full stops).
fn has_sentence(paragraph: &str) -> bool {
    paragraph.contains(['.', '!', '?', '。', '！', '？', '؟', '।'])
}

fn is_teaser(paragraph: &str) -> bool {
    let opening: String = paragraph
        .chars()
        .take(40)
        .collect::<String>()
        .to_lowercase();
    let opening = opening.trim_start_matches(|c: char| !c.is_alphanumeric());
    TEASER_OPENINGS.iter().any(|t| {
        opening.starts_with(t)
            && opening[t.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Where a related heading followed only by headlines starts, after the first paragraph.
fn closing_related_list(paragraphs: &[&str]) -> Option<usize> {
    (1..paragraphs.len()).find(|&i| {
        let heading = paragraphs[i]
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        RELATED_HEADINGS.contains(&heading.as_str())
            && paragraphs[i + 1..]
                .iter()
                .all(|p| p.split_whitespace().count() <= MAX_HEADLINE_WORDS)
    })
}

fn is_player(paragraph: &str) -> bool {
    if paragraph.split_whitespace().count() > MAX_PLAYER_WORDS {
        return false;
    }
    let lower = paragraph.to_lowercase();
    PLAYER_PHRASES.iter().any(|p| lower.contains(p))
}

/// A gallery's caption: short, a credit among its last characters (« Le port au matin.
/// Photo : J. Martin », « © AFP »).
fn is_credited_caption(paragraph: &str) -> bool {
    if paragraph.split_whitespace().count() > MAX_CAPTION_WORDS {
        return false;
    }
    let lower = paragraph.to_lowercase();
    let tail_start = lower
        .char_indices()
        .rev()
        .nth(CREDIT_TAIL_CHARS)
        .map_or(0, |(i, _)| i);
    CREDIT_MARKS.iter().any(|m| lower[tail_start..].contains(m))
}

fn is_call(paragraph: &str) -> bool {
    if paragraph.split_whitespace().count() > MAX_CALL_WORDS {
        return false;
    }
    let lower = paragraph.to_lowercase();
    CALL_WORDS.iter().any(|w| lower.contains(w))
}
