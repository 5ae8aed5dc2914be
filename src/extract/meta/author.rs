//! The author, in order (the first source giving a clean name wins; several names of one
//! source are joined with ", "):
//! 1. JSON-LD `author` (persons before organisations) of the article;
//! 2. `<meta>`: `author`, `article:author` (not a URL), `dc.creator`, `citation_author`, …;
//! 3. markup: `[itemprop=author]` (its `name`), `rel=author` links, `.author`/`.byline` names;
//! 4. text of short byline elements: « par Marc Jacob », « Posté par genma le … », « By Jane
//!    Doe », « Von Max Muster ».
//!
//! A name is cleaned: « Par », « By », « Posté par », « Von » removed, a trailing date cut,
//! URLs and e-mail addresses dropped; the labels of links set where bylines are (« Kontakt »,
//! « CC », « commentaires »), the site's own name and anything longer than
//! [`MAX_AUTHOR_CHARS`] or [`MAX_NAME_WORDS`] words a name are refused.

use super::{css, element_text, line, Facts, MAX_AUTHOR_CHARS};
use crate::normalize::fold;
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use std::sync::OnceLock;

/// A longer "name" is a sentence.
const MAX_NAME_WORDS: usize = 6;
/// How many names one article lists at most.
const MAX_NAMES: usize = 10;
/// How many markup elements are tried.
const MAX_ELEMENTS: usize = 40;
/// A byline is short.
const MAX_BYLINE_BYTES: usize = 300;

/// What software writes where a name should be.
const REFUSED: &[&str] = &[
    "wordpress",
    "admin",
    "administrator",
    "administrateur",
    "super user",
    "webmaster",
    "alle artikel",
    "all posts",
];
/// Labels of links and buttons that sit where bylines do (contact, comments, licence, sharing):
/// never a name, folded.
const LABELS: &[&str] = &[
    "kontakt",
    "contact",
    "contacts",
    "cc",
    "cc by",
    "cc by-sa",
    "commentaires",
    "commentaire",
    "comments",
    "comment",
    "kommentare",
    "kommentar",
    "comentarios",
    "commenti",
    "impressum",
    "profil",
    "profile",
    "about",
    "a propos",
    "home",
    "accueil",
    "startseite",
    "facebook",
    "twitter",
    "linkedin",
    "instagram",
    "mastodon",
    "e-mail",
    "email",
    "mail",
    "rss",
    "share",
    "teilen",
    "partager",
    "drucken",
    "print",
    "imprimer",
    "login",
    "anmelden",
    "menu",
];

/// Words that may be lower case inside a person's name.
const PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "du", "des", "la", "le", "di", "da", "del", "y", "und",
    "and", "et", "zu", "ten", "ter", "bin", "al",
];

const META_KEYS: &[&str] = &[
    "author",
    "article:author",
    "og:article:author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "parsely-author",
    "sailthru.author",
    "byl",
    "article.author",
    "authors",
];

pub(super) fn author(page: &Html, facts: &Facts) -> Option<String> {
    let from_linked = join(facts, facts.linked.authors.iter().map(|n| line(n)));
    from_linked
        .or_else(|| {
            META_KEYS
                .iter()
                .find_map(|key| join(facts, facts.metas_named(key).map(line)))
        })
        .or_else(|| markup(page, facts))
        .or_else(|| bylines(page, facts))
}

/// Clean names joined with ", ", duplicates dropped; `None` when none is left.
fn join(facts: &Facts, names: impl Iterator<Item = String>) -> Option<String> {
    let mut kept: Vec<String> = Vec::new();
    for name in names.take(MAX_NAMES) {
        let Some(name) = clean(&name) else { continue };
        if facts.is_site_name(&name) || kept.iter().any(|k| fold(k) == fold(&name)) {
            continue;
        }
        kept.push(name);
    }
    let joined = kept.join(", ");
    (!joined.is_empty() && joined.chars().count() <= MAX_AUTHOR_CHARS).then_some(joined)
}

fn markup(page: &Html, facts: &Facts) -> Option<String> {
    struct S {
        itemprop: Selector,
        name: Selector,
        rel: Selector,
        named: Selector,
    }
    static S: OnceLock<S> = OnceLock::new();
    let s = S.get_or_init(|| S {
        itemprop: css("[itemprop~=author], [itemprop~=creator]"),
        name: css("[itemprop=name]"),
        rel: css("a[rel~=author], link[rel~=author][title]"),
        named: css(
            ".author-name, .author_name, .authorName, .author .name, .byline .name, \
             [class*=author] a, .byline a, .fn, .vcard .fn",
        ),
    });
    let itemprop: Vec<String> = page
        .select(&s.itemprop)
        .take(MAX_ELEMENTS)
        .filter_map(|e| {
            let v = e.value();
            v.attr("content")
                .map(line)
                .or_else(|| e.select(&s.name).next().map(|n| name_text(n)))
                .or_else(|| Some(name_text(e)))
        })
        .collect();
    join(
        facts,
        itemprop
            .into_iter()
            .filter(|n| clean(n).is_some_and(|n| name_shaped(&n))),
    )
    .or_else(|| {
        let rel = page
            .select(&s.rel)
            .take(MAX_ELEMENTS)
            .filter(|e| !super::date::in_comments(*e))
            .map(|e| e.value().attr("title").map_or_else(|| name_text(e), line))
            .filter(|n| clean(n).is_some_and(|n| name_shaped(&n)));
        join(facts, rel)
    })
    .or_else(|| {
        let named = page
            .select(&s.named)
            .filter(|e| !super::date::in_comments(*e))
            .take(MAX_ELEMENTS)
            .map(name_text)
            .find_map(|n| clean(&n).filter(|n| !facts.is_site_name(n) && name_shaped(n)));
        named
    })
}

fn bylines(page: &Html, facts: &Facts) -> Option<String> {
    static BYLINE: OnceLock<Selector> = OnceLock::new();
    let byline = BYLINE.get_or_init(|| {
        css(
            "[class*=author], [class*=Author], [class*=auteur], [class*=autor], [class*=Autor], \
             [class*=byline], [class*=Byline], [class*=posted], [class*=signature], \
             [id*=author], [class*=meta], [class*=info]",
        )
    });
    static BY: OnceLock<Regex> = OnceLock::new();
    let by = BY.get_or_init(|| {
        Regex::new(r"(?i)(?:^|[\s(|•·])(?:posté|écrit|rédigé|publié|posted|written|written)?\s*(?:par|by|von|door|di|por)\s*:?\s+(\p{Lu}[^\n]*)")
            .expect("valid regex")
    });
    page.select(byline)
        .filter(|e| !super::date::in_comments(*e))
        .take(MAX_ELEMENTS)
        .filter_map(|e| {
            let text = element_text(e, MAX_BYLINE_BYTES + 1);
            (text.len() <= MAX_BYLINE_BYTES).then_some(text)
        })
        .find_map(|text| {
            let found = by.captures(&text)?.get(1)?.as_str();
            clean(found).filter(|n| !facts.is_site_name(n) && name_shaped(n))
        })
}

/// Whether a name read from the page's text has the shape of one: a single handle
/// (« genma », « c1ph4 »), or capitalised words and particles (« Marc Jacob », « Ursula von
/// der Leyen »), at most [`MAX_NAME_WORDS`] words. Markup and bylines hold sentences too.
fn name_shaped(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => false,
        [one] => !one.contains(['.', '/', ':']) || one.chars().any(char::is_uppercase),
        words => {
            words.len() <= MAX_NAME_WORDS
                && words.iter().all(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        || PARTICLES.contains(&w.to_lowercase().as_str())
                        || w.ends_with(',')
                })
        }
    }
}

/// An element's text as a name: its own text, or its `title` or `content`.
fn name_text(element: ElementRef) -> String {
    let text = element_text(element, MAX_BYLINE_BYTES);
    if text.is_empty() {
        let v = element.value();
        v.attr("content")
            .or_else(|| v.attr("title"))
            .map(line)
            .unwrap_or_default()
    } else {
        text
    }
}

/// A name as a reader would write it, or `None` when `raw` is not a name.
pub(super) fn clean(raw: &str) -> Option<String> {
    struct Patterns {
        prefix: Regex,
        tail: Regex,
        noise: Regex,
    }
    static P: OnceLock<Patterns> = OnceLock::new();
    let p = P.get_or_init(|| Patterns {
        prefix: Regex::new(
            r"(?i)^(?:(?:zeige\s+|view\s+|see\s+|voir\s+)?(?:alle\s+|all\s+|more\s+|tous\s+les\s+|les\s+)?(?:beiträge|artikel|posts|articles|alles|mehr|billets)\s+)?(?:(?:posté|poste|écrit|ecrit|rédigé|redige|publié|publie|proposé|posted|written|published|geschrieben|verfasst|ein beitrag)\s+)?(?:(?:par|by|von|de|door|di|por)\b\s*:?|(?:auteur|auteurs|author|authors|autor|autorin|autoren|text|texte|redaktion)\s*:)\s*",
        )
        .expect("valid regex"),
        // A date, a time, a separator or a role after the name ends it.
        tail: Regex::new(
            r"(?i)\s*(?:\d|\bansehen\b|\banzeigen\b|\||•|·|\(|\[|—|–|\s-\s|\ble\s+\d|\bam\s+\d|\bon\s+\p{L}+\s+\d|\bupdated\b|\bmis à jour\b|\baktualisiert\b|\bpublished\b|\bveröffentlicht\b|\bpublié\b).*$",
        )
        .expect("valid regex"),
        noise: Regex::new(r"(?i)(?:https?://|www\.)\S*|\S+@\S+\.\S+").expect("valid regex"),
    });
    let text = crate::normalize::fold_whitespace(raw);
    if text.len() > 4 * MAX_AUTHOR_CHARS {
        return None;
    }
    let text = p.noise.replace_all(&text, " ");
    let text = p.prefix.replace(text.trim(), "");
    let text = p.tail.replace(&text, "");
    let text = crate::normalize::fold_whitespace(&text);
    let text = text
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ')')
        .to_string();
    let words = text.split_whitespace().count();
    let names = text.split([',', ';', '&']).count().max(1);
    let folded = fold(&text);
    let refused = REFUSED.contains(&folded.as_str()) || LABELS.contains(&folded.as_str());
    let looks_like_name = !refused
        && text.chars().any(char::is_alphabetic)
        && text.chars().count() <= MAX_AUTHOR_CHARS
        && words <= MAX_NAME_WORDS * names;
    looks_like_name.then_some(text)
}
