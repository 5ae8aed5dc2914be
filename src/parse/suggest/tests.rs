//! Tests of listing suggestions on the pages of `fixtures/listings/` (each with the items a person
//! expects, in `NAME.expected`) and on hostile or empty pages.

use super::*;
use crate::parse::html::{listing_date, parse_listing, ListingSelectors};

/// Where the fixtures are read as coming from.
const BASE: &str = "https://www.example.fr/listings/";

macro_rules! listing {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../../../fixtures/listings/", $name, ".html")) as &[u8],
            include_str!(concat!("../../../fixtures/listings/", $name, ".expected")),
        )
    };
}

const LISTINGS: &[(&str, &[u8], &str)] = &[
    listing!("spip-rubrique"),
    listing!("drupal-view"),
    listing!("wordpress-archive"),
    listing!("wordpress-category"),
    listing!("press-table"),
    listing!("teasers-most-read"),
    listing!("handmade-paginated"),
    listing!("joomla-category"),
    listing!("hugo-list"),
    listing!("bootstrap-cards"),
];

fn paris() -> chrono_tz::Tz {
    chrono_tz::Europe::Paris
}

/// The canonical URLs the proposal ranked first reads, and those expected.
fn read_first(name: &str, bytes: &[u8], expected: &str) -> (Vec<String>, Vec<String>, Proposal) {
    let page = Url::parse(&format!("{BASE}{name}.html")).unwrap();
    let html = crate::charset::decode_page(bytes, None);
    let proposals = suggest(&html, &page, paris());
    let first = proposals
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("{name}: no proposal"));
    let compiled = ListingSelectors::compile(&first.selectors).unwrap();
    let listing = parse_listing(&html, &page, &compiled, |d| listing_date(d, paris())).unwrap();
    let got = listing.items.iter().map(|i| i.url.clone()).collect();
    let expected = expected
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| canonical_url(l.trim(), Some(&page)).unwrap())
        .collect();
    (got, expected, first)
}

#[test]
fn the_right_block_is_ranked_first_on_every_listing() {
    for (name, bytes, expected) in LISTINGS {
        let (got, expected, first) = read_first(name, bytes, expected);
        assert_eq!(got, expected, "{name}: {:?}", first.selectors);
    }
}

#[test]
fn selectors_are_short_by_class_and_never_positional() {
    for (name, bytes, expected) in LISTINGS {
        let (_, _, first) = read_first(name, bytes, expected);
        let s = &first.selectors;
        for css in [
            Some(&s.item),
            Some(&s.link),
            s.title.as_ref(),
            s.date.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            assert!(!css.contains("nth-"), "{name}: {css}");
            assert!(css.split_whitespace().count() <= 3, "{name}: {css}");
        }
        assert!(s.title.is_some(), "{name}: a title selector");
    }
}

#[test]
fn selectors_a_person_would_write() {
    let expect = [
        (
            "spip-rubrique",
            "li.hentry",
            Some("abbr.published@title"),
            true,
        ),
        (
            "wordpress-archive",
            "article.post",
            Some("time@datetime"),
            true,
        ),
        (
            "drupal-view",
            "div.view-actualites div.views-row",
            None,
            true,
        ),
        (
            "press-table",
            "table.communiques tr",
            Some("td.date"),
            false,
        ),
    ];
    for (name, item, date, next) in expect {
        let (_, bytes, expected) = LISTINGS.iter().find(|l| l.0 == name).unwrap();
        let (_, _, first) = read_first(name, bytes, expected);
        assert_eq!(first.selectors.item, item, "{name}: {:?}", first.selectors);
        if let Some(date) = date {
            assert_eq!(first.selectors.date.as_deref(), Some(date), "{name}");
        }
        assert_eq!(
            first.selectors.next.is_some(),
            next,
            "{name}: {:?}",
            first.selectors
        );
    }
}

#[test]
fn dates_and_next_pages_are_read_where_the_page_gives_them() {
    for name in [
        "spip-rubrique",
        "wordpress-archive",
        "drupal-view",
        "press-table",
    ] {
        let (_, bytes, expected) = LISTINGS.iter().find(|l| l.0 == name).unwrap();
        let (_, _, first) = read_first(name, bytes, expected);
        assert!(
            first.selectors.date.is_some(),
            "{name}: {:?}",
            first.selectors
        );
    }
    let page = Url::parse(&format!("{BASE}spip-rubrique.html")).unwrap();
    let html = crate::charset::decode_page(LISTINGS[0].1, None);
    let first = suggest(&html, &page, paris()).remove(0);
    let compiled = ListingSelectors::compile(&first.selectors).unwrap();
    let listing = parse_listing(&html, &page, &compiled, |d| listing_date(d, paris())).unwrap();
    assert_eq!(
        listing.next.map(String::from).as_deref(),
        Some("https://www.example.fr/listings/spip.php?rubrique1&debut_articles=10")
    );
    assert_eq!(
        listing.items[0]
            .published
            .map(|d| d.to_rfc3339())
            .as_deref(),
        Some("2026-11-28T09:00:00+00:00")
    );
    assert_eq!(
        listing.items[0].title.as_deref(),
        Some("Souveraineté numérique : le CNLL publie son baromètre 2026")
    );
}

#[test]
fn most_read_tags_and_share_links_are_never_items() {
    let (_, bytes, expected) = LISTINGS
        .iter()
        .find(|l| l.0 == "teasers-most-read")
        .unwrap();
    let (got, _, _) = read_first("teasers-most-read", bytes, expected);
    for url in &got {
        assert!(!url.contains("/tag/") && !url.contains("-600"), "{url}");
        assert!(!url.contains("sharer") && !url.contains("twitter"), "{url}");
    }
    // The most-read block is still offered, below the teasers, and said to be one.
    let page = Url::parse(&format!("{BASE}teasers-most-read.html")).unwrap();
    let proposals = suggest(&crate::charset::decode_page(bytes, None), &page, paris());
    assert!(
        proposals[1..]
            .iter()
            .any(|p| p.traits.contains(&"in a sidebar, menu or most-read block")),
        "{proposals:?}"
    );
}

#[test]
fn a_page_without_repeated_article_links_has_no_proposal() {
    let page = Url::parse("https://www.example.fr/a-propos/").unwrap();
    let about = r#"<html><body><nav><a href="/">Accueil</a><a href="/contact">Contact</a>
        <a href="/tag/libre">libre</a><a href="/tag/cloud">cloud</a><a href="/tag/data">data</a></nav>
        <article><h1>Qui sommes-nous ?</h1><p>Une association d'éditeurs de logiciels libres.</p>
        <p>Voir <a href="/adherer/">comment adhérer à l'association</a>.</p></article>
        <footer><a href="https://twitter.com/x">Twitter</a><a href="https://mastodon.social/@x">Mastodon</a>
        <a href="https://www.linkedin.com/company/x">LinkedIn</a></footer></body></html>"#;
    assert_eq!(suggest(about, &page, paris()), Vec::new());
    assert!(!has_password_form(about));
    let login = r#"<form action="/login" method="post"><input name="user"><input type="password" name="pass"></form>"#;
    assert!(has_password_form(login));
    assert!(is_login_url(
        &Url::parse("https://e.fr/user/login?destination=/actus").unwrap()
    ));
    assert!(!is_login_url(
        &Url::parse("https://e.fr/actualites/").unwrap()
    ));
}

#[test]
fn hostile_pages_never_panic() {
    let page = Url::parse("https://e.org/").unwrap();
    let deep = "<div>".repeat(100_000) + "<a href='/x'>x</a>";
    let many = "<ul>".to_string() + &"<li><a href='/a-b-c'>a b c d</a></li>".repeat(5_000);
    for html in [
        "",
        "<",
        "\u{0}<a href=",
        "<a href='javascript:x'>x</a>",
        &deep,
        &many,
    ] {
        let _ = suggest(html, &page, paris());
    }
}

#[test]
fn a_content_selector_holds_the_main_text_of_every_article() {
    let gsm = |file: &str| {
        let bytes = match file {
            "a" => &include_bytes!("../../../fixtures/sites/gsm/Souverainete-numerique-le-CNLL-publie-son-barometre,20261119,1001.html")[..],
            "b" => &include_bytes!("../../../fixtures/sites/gsm/OW2con-2027-l-appel-a-communications-est-ouvert,20261118,1000.html")[..],
            _ => &include_bytes!("../../../fixtures/sites/gsm/Zimbra-et-BlueMind-la-messagerie-souveraine-s-organise,20261117,999.html")[..],
        };
        let url = Url::parse(&format!("https://www.globalsecuritymag.fr/{file}.html")).unwrap();
        (crate::charset::decode_page(bytes, None), url)
    };
    let pages = vec![gsm("a"), gsm("b"), gsm("c")];
    assert_eq!(
        content_selector(&pages),
        ContentProposal::Selector("div.chapo, div.texte".into())
    );
    // One page alone proves nothing; pages of different shapes share no selector.
    assert!(matches!(
        content_selector(&pages[..1]),
        ContentProposal::Automatic(_)
    ));
    let other = (
        "<html><body><div class='corps'><p>".to_string()
            + &"Un autre gabarit de page, sans la même classe. ".repeat(20)
            + "</p></div></body></html>",
        Url::parse("https://www.globalsecuritymag.fr/d.html").unwrap(),
    );
    assert!(matches!(
        content_selector(&[gsm("a"), other]),
        ContentProposal::Automatic(_)
    ));
}
