//! What a link on a listing page leads to: an article of the site, or its navigation
//! (tags, categories, authors, pagination, archives, share and login links); and whether a block
//! of the page is chrome (menus, sidebars, "most read", footers) rather than the listing itself.

use crate::normalize::fold;
use url::Url;

/// Path segments (folded, compared whole) of pages that list or navigate, never one article.
const NAVIGATION_SEGMENTS: &[&str] = &[
    "tag",
    "tags",
    "etiquette",
    "etiquettes",
    "mot",
    "mots",
    "mots-cles",
    "category",
    "categories",
    "categorie",
    "rubrique",
    "rubriques",
    "theme",
    "themes",
    "topic",
    "topics",
    "author",
    "authors",
    "auteur",
    "auteurs",
    "user",
    "users",
    "membre",
    "page",
    "feed",
    "rss",
    "search",
    "recherche",
    "login",
    "connexion",
    "register",
    "inscription",
    "wp-login.php",
    "taxonomy",
    "term",
    "archives",
    "comments",
    "contact",
    "mentions-legales",
    "plan-du-site",
    "share",
    "partage",
];

/// Query parameters of navigation: SPIP's `rubrique`/`mot`/`auteur`, pagination, sharing.
const NAVIGATION_PARAMS: &[&str] = &[
    "rubrique",
    "mot",
    "auteur",
    "page",
    "paged",
    "debut_articles",
    "share",
    "replytocom",
    "s",
    "q",
    "tag",
    "cat",
    "author",
    "lang",
];

/// Words of the classes and ids of page chrome (split on `-` and `_`, compared whole).
const CHROME_WORDS: &[&str] = &[
    "sidebar",
    "widget",
    "widgets",
    "aside",
    "footer",
    "pied",
    "header",
    "entete",
    "menu",
    "nav",
    "navbar",
    "navigation",
    "breadcrumb",
    "breadcrumbs",
    "ariane",
    "popular",
    "populaires",
    "populaire",
    "most",
    "lus",
    "mostread",
    "recent",
    "related",
    "similaires",
    "connexes",
    "trending",
    "tendances",
    "share",
    "sharing",
    "partage",
    "social",
    "tagcloud",
    "comments",
    "commentaires",
];

/// Headings of blocks that list articles beside the listing: most read, recent, related.
const CHROME_HEADINGS: &[&str] = &[
    "plus lus",
    "plus consultes",
    "les plus",
    "most read",
    "most popular",
    "popular",
    "populaires",
    "tendances",
    "trending",
    "articles recents",
    "recent posts",
    "derniers commentaires",
    "a lire aussi",
    "lire aussi",
    "voir aussi",
    "related",
    "dans la meme rubrique",
    "sur le meme sujet",
];

/// Extensions of files a listing links to beside its articles (attachments, images).
const FILE_EXTENSIONS: &[&str] = &[
    ".pdf", ".doc", ".docx", ".odt", ".ods", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".jpg",
    ".jpeg", ".png", ".gif", ".webp", ".svg", ".mp3", ".mp4", ".xml", ".rss", ".atom",
];

/// The site of a URL: its host without `www.`.
pub fn site(url: &Url) -> &str {
    let host = url.host_str().unwrap_or_default();
    host.strip_prefix("www.").unwrap_or(host)
}

/// Whether `url` (on the listing's site) may be an article rather than navigation.
pub fn is_article_link(url: &Url, page: &Url) -> bool {
    if site(url) != site(page) {
        return false;
    }
    let path = url.path().trim_end_matches('/');
    if path.is_empty() && url.query().is_none() {
        return false;
    }
    if same_page(url, page) {
        return false;
    }
    let lower = path.to_ascii_lowercase();
    if FILE_EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
        return false;
    }
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            fold(
                s.trim_end_matches(".html")
                    .trim_end_matches(".htm")
                    .trim_end_matches(".php"),
            )
        })
        .collect();
    if segments
        .iter()
        .any(|s| NAVIGATION_SEGMENTS.contains(&s.as_str()))
    {
        return false;
    }
    // A year, or a year and a month, alone: a date archive.
    if !segments.is_empty()
        && segments.len() <= 3
        && segments
            .iter()
            .all(|s| s.chars().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    let navigation_query = url.query_pairs().any(|(key, _)| {
        let key = key.to_ascii_lowercase();
        NAVIGATION_PARAMS.contains(&key.as_str())
            || key.starts_with("rubrique")
            || key.starts_with("mot")
            || key.starts_with("auteur")
    });
    // SPIP writes `spip.php?article12` (a key without value); `?rubrique3` is a section.
    let spip_article = url.query().is_some_and(|q| {
        q.split('&').any(|pair| {
            pair.strip_prefix("article")
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
        })
    });
    spip_article || !navigation_query
}

/// The same page as the listing (or the listing's other sort orders): never an item.
fn same_page(url: &Url, page: &Url) -> bool {
    url.path().trim_end_matches('/') == page.path().trim_end_matches('/')
        && (url.query() == page.query() || url.query().is_none())
}

/// How much a link looks like an article page: a slug of several words, a number, a date or
/// `.html` in its path. From 0 to 1.
pub fn article_likeness(url: &Url) -> f64 {
    let last = url
        .path_segments()
        .and_then(|mut s| s.rfind(|p| !p.is_empty()))
        .unwrap_or_default();
    let words = last.split(['-', '_']).filter(|w| w.len() > 1).count();
    let has_number = url.path().chars().any(|c| c.is_ascii_digit()) || url.query().is_some();
    let mut score: f64 = 0.0;
    if words >= 3 {
        score += 0.6;
    }
    if has_number {
        score += 0.3;
    }
    if last.ends_with(".html") || last.ends_with(".htm") || last.ends_with(".php") {
        score += 0.2;
    }
    score.min(1.0)
}

/// Whether a class or id names page chrome.
pub fn is_chrome_name(name: &str) -> bool {
    name.split_ascii_whitespace()
        .filter(|token| {
            !["has-", "with-", "no-"]
                .iter()
                .any(|p| token.starts_with(p))
        })
        .flat_map(|token| token.split(['-', '_']))
        .any(|word| CHROME_WORDS.contains(&word.to_ascii_lowercase().as_str()))
}

/// Whether the heading of a block says it lists most-read, recent or related articles.
pub fn is_chrome_heading(text: &str) -> bool {
    let folded = fold(text);
    CHROME_HEADINGS.iter().any(|h| folded.contains(h))
}

/// Link texts of a pagination link to the next page (folded, punctuation trimmed).
pub fn is_next_text(text: &str) -> bool {
    let folded = fold(text);
    let trimmed = folded.trim_matches(|c: char| !c.is_alphanumeric()).trim();
    matches!(
        trimmed,
        "suivant"
            | "suivante"
            | "page suivante"
            | "next"
            | "next page"
            | "older posts"
            | "articles plus anciens"
            | "plus anciens"
            | "articles suivants"
            | "suite"
    ) || (trimmed.is_empty() && ["›", "»", ">", ">>", "→"].contains(&folded.trim()))
}

/// Whether a class names a next-page link (`next`, `suivant`, `pager__item--next`).
pub fn is_next_name(name: &str) -> bool {
    name.split_ascii_whitespace()
        .flat_map(|token| token.split(['-', '_']))
        .any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "next" | "suivant" | "suivante"
            )
        })
}

/// Whether a URL is a login page (where a site sends visitors it will not serve).
pub fn is_login_url(url: &Url) -> bool {
    let path = fold(url.path());
    [
        "login",
        "connexion",
        "signin",
        "sign-in",
        "wp-login",
        "authentification",
        "identification",
    ]
    .iter()
    .any(|w| path.contains(w))
        || url
            .query_pairs()
            .any(|(k, _)| k == "redirect_to" || k == "returnUrl")
}
