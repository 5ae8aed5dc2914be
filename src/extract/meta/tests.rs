//! Page metadata on hostile input first, then on snippets modelled on real French sites.

use super::*;
use chrono::TimeZone;
use chrono_tz::Europe::Paris;

fn meta(html: &str) -> PageMeta {
    metadata(&Html::parse_document(html), None, Paris)
}

fn meta_at(html: &str, url: &str) -> PageMeta {
    let url = url::Url::parse(url).ok();
    metadata(&Html::parse_document(html), url.as_ref(), Paris)
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single()
}

#[test]
fn empty_pages_give_nothing() {
    for html in [
        "",
        "<html></html>",
        "<title></title><h1> </h1>",
        "\u{0}\u{feff}<<<>>>",
    ] {
        assert_eq!(meta(html), PageMeta::default(), "{html:?}");
    }
}

#[test]
fn huge_and_invalid_json_ld_do_not_break_the_page() {
    let huge = format!(
        r#"<script type="application/ld+json">{{"@type":"NewsArticle","headline":"{}"}}</script><h1>Vrai titre</h1>"#,
        "x".repeat(2 << 20)
    );
    assert_eq!(meta(&huge).title.as_deref(), Some("Vrai titre"));
    let deep = format!(
        r#"<script type="application/ld+json">{}{}</script>"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_eq!(meta(&deep), PageMeta::default());
    let invalid = r#"<script type="application/ld+json">{"@type":"Article", "datePublished": "2024-06-11T10:00:00+02:00", "headline": "Titre
sur deux lignes", }</script>"#;
    let found = meta(invalid);
    assert_eq!(found.published, utc(2024, 6, 11, 8, 0));
    for garbage in [
        "",
        "null",
        "42",
        "\"text\"",
        "{\"@type\": 7}",
        "{\"author\": [[[]]]}",
    ] {
        let page = format!(r#"<script type="application/ld+json">{garbage}</script>"#);
        assert_eq!(meta(&page), PageMeta::default(), "{garbage}");
    }
}

#[test]
fn absurd_dates_are_refused() {
    for date in [
        "9999-01-01",
        "0000-01-01",
        "1970-01-01T00:00:00Z",
        "2024-02-30",
        "1994-12-31",
    ] {
        let page = format!(r#"<meta property="article:published_time" content="{date}">"#);
        assert_eq!(meta(&page).published, None, "{date}");
    }
    // A refused date lets the next rule speak.
    let page = r#"<meta property="article:published_time" content="0000-00-00 00:00:00">
        <time datetime="2024-06-11T10:00:00Z">11 juin</time>"#;
    assert_eq!(meta(page).published, utc(2024, 6, 11, 10, 0));
    // With a clock, the future is refused too.
    let page = Html::parse_document(r#"<meta name="date" content="2030-01-01">"#);
    assert_eq!(
        metadata_at(&page, None, Paris, utc(2026, 1, 1, 0, 0)).published,
        None
    );
}

#[test]
fn lengths_are_capped() {
    let long = "mot ".repeat(250_000);
    let page = format!(
        "<title>{long}</title><h1>{long}</h1><meta name=author content=\"{long}\"><meta property=og:title content=\"{long}\">"
    );
    let found = meta(&page);
    assert_eq!(found.title, None);
    assert_eq!(found.author, None);
    let page = format!("<title>Court</title><h1>{long}</h1>");
    assert_eq!(meta(&page).title.as_deref(), Some("Court"));
    let found = meta(&format!(
        "<meta name=author content=\"{}\">",
        "Nom ".repeat(60)
    ));
    assert!(found
        .author
        .is_none_or(|a| a.chars().count() <= MAX_AUTHOR_CHARS));
}

/// LinuxFr.org: no JSON-LD, microformats and the « Posté par … le … » line.
#[test]
fn linuxfr_news() {
    let page = r#"<html><head><meta charset="utf-8"><title>Sortie de Linux 7.0 - LinuxFr.org</title>
      <meta name="author" content="genma"></head><body><main id="contents">
      <article class="node hentry news" itemscope itemtype="http://schema.org/Article">
      <header><h1 class="entry-title" itemprop="name"><a href="/news/sortie">Sortie de Linux 7.0</a></h1>
      <div class="meta"><span class="posted_by_spanblock">Posté par <a rel="author" href="/users/genma">genma</a>
      <time class="updated" datetime="2026-06-23T13:44:00+02:00">le 23/06/26 à 13:44</time>.</span></div></header>
      <div class="content entry-content" itemprop="articleBody"><p>Texte.</p></div></article>
      <div id="comments"><time class="updated" datetime="2026-06-24T08:00:00+02:00">le 24/06/26</time></div>
      </main></body></html>"#;
    let found = meta_at(page, "https://linuxfr.org/news/sortie");
    assert_eq!(found.title.as_deref(), Some("Sortie de Linux 7.0"));
    assert_eq!(found.author.as_deref(), Some("genma"));
    assert_eq!(found.published, utc(2026, 6, 23, 11, 44));
    // Without the machine-readable date, the text is read in Paris time.
    let page = page.replace(r#"datetime="2026-06-23T13:44:00+02:00""#, "");
    let page = page.replace(r#"<meta name="author" content="genma">"#, "");
    let found = meta_at(&page, "https://linuxfr.org/news/sortie");
    assert_eq!(found.published, utc(2026, 6, 23, 11, 44));
    assert_eq!(found.author.as_deref(), Some("genma"));
}

/// Global Security Mag: « par Marc Jacob » and a French date in the text.
#[test]
fn global_security_mag() {
    let page = r#"<html><head><title>Une faille critique dans OpenSSL - Global Security Mag Online</title>
      <meta property="og:site_name" content="Global Security Mag Online"></head><body>
      <h1 class="titre">Une faille critique dans OpenSSL</h1>
      <div class="info-publi">juin 2024 par Marc Jacob</div>
      <div class="texte"><p>Publié le 11 juin 2024 à 09:30. Le texte.</p></div></body></html>"#;
    let found = meta_at(page, "https://www.globalsecuritymag.fr/une-faille.html");
    assert_eq!(
        found.title.as_deref(),
        Some("Une faille critique dans OpenSSL")
    );
    assert_eq!(found.author.as_deref(), Some("Marc Jacob"));
    assert_eq!(found.published, utc(2024, 6, 11, 7, 30));
    assert!(!found.date_approximate);
}

/// A month alone is the first of the month, marked approximate.
#[test]
fn month_only_is_approximate() {
    let found = meta("<h1>Titre</h1><div class=\"date\">juin 2024</div>");
    assert_eq!(found.published, utc(2024, 5, 31, 22, 0));
    assert!(found.date_approximate);
}

/// SPIP: `<abbr class="published" title>`, `dc.date`, a `<title>` « Titre - Site ».
#[test]
fn spip_article() {
    let page = r#"<html><head><title>Logiciels libres et collectivités - April</title>
      <meta name="DC.date" content="bogus"></head><body>
      <h1 class="crayon article-titre-42">Logiciels libres et collectivités</h1>
      <p class="info-publi"><abbr class="published" title="2024-06-11T10:00:00Z">11 juin 2024</abbr>,
      par <span class="vcard author"><a class="url fn spip_in" href="auteur7.html">Frédéric Couchet</a></span></p>
      </body></html>"#;
    let found = meta_at(page, "https://www.april.org/spip.php?article42");
    assert_eq!(
        found.title.as_deref(),
        Some("Logiciels libres et collectivités")
    );
    assert_eq!(found.published, utc(2024, 6, 11, 10, 0));
    assert_eq!(found.author.as_deref(), Some("Frédéric Couchet"));
}

/// WordPress in French: Open Graph, `article:published_time`, `article:modified_time`.
#[test]
fn wordpress_article() {
    let page = r#"<html><head><title>Framasoft lance Mobilizon 5 &#8211; Framablog</title>
      <meta property="og:site_name" content="Framablog">
      <meta property="og:title" content="Framasoft lance Mobilizon 5 &#8211; Framablog">
      <meta property="article:modified_time" content="2025-03-05T08:00:00+00:00">
      <meta property="article:published_time" content="2025-03-03T09:15:00+00:00">
      <meta name="author" content="Par Framasoft"></head><body>
      <h1 class="site-title">Framablog</h1><h1 class="entry-title">Framasoft lance Mobilizon 5</h1>
      <span class="byline">Par <a rel="author" href="/author/pyg">pyg</a></span></body></html>"#;
    let found = meta_at(page, "https://framablog.org/2025/03/03/mobilizon-5/");
    assert_eq!(found.title.as_deref(), Some("Framasoft lance Mobilizon 5"));
    assert_eq!(found.published, utc(2025, 3, 3, 9, 15));
    assert_eq!(found.author.as_deref(), Some("Framasoft"));
    assert_eq!(found.site_name.as_deref(), Some("Framablog"));
    // Only a modification date: taken as a last resort.
    let page = page.replace("article:published_time", "x");
    assert_eq!(meta(&page).published, utc(2025, 3, 5, 8, 0));
}

/// JSON-LD NewsArticle in a `@graph`, authors as an array of objects and an `@id`.
#[test]
fn json_ld_news_article() {
    let page = r##"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":"WebSite","@id":"#site","name":"Next"},
      {"@type":"Person","@id":"#p2","name":"Sébastien Gavois"},
      {"@type":["NewsArticle"],"headline":"L'ANSSI publie un guide","datePublished":"2024-06-11 10:00",
       "dateModified":"2024-06-12T10:00:00Z",
       "author":[{"@type":"Person","name":"Par Vincent Hermann"},{"@id":"#p2"},{"@type":"Person","name":"vincent hermann"}],
       "publisher":{"@type":"Organization","name":"Next"}}]}</script>
      <title>L'ANSSI publie un guide | Next</title>"##;
    let found = meta(page);
    assert_eq!(found.title.as_deref(), Some("L'ANSSI publie un guide"));
    assert_eq!(found.published, utc(2024, 6, 11, 8, 0));
    assert_eq!(
        found.author.as_deref(),
        Some("Vincent Hermann, Sébastien Gavois")
    );
    // `author` as a plain string.
    let page = r#"<script type="application/ld+json">[{"@type":"BlogPosting","author":"Marc Jacob","datePublished":"2024-06-11"}]</script>"#;
    let found = meta(page);
    assert_eq!(found.author.as_deref(), Some("Marc Jacob"));
    assert_eq!(found.published, utc(2024, 6, 10, 22, 0));
}

#[test]
fn author_strings_are_cleaned() {
    for (raw, clean) in [
        ("Par Marc Jacob", Some("Marc Jacob")),
        ("By Jane Doe", Some("Jane Doe")),
        ("Posté par genma le 23/06/26 à 13:44", Some("genma")),
        ("Von Max Muster | 12.03.2024", Some("Max Muster")),
        ("Zeige alle Beiträge von Barbara Russ", Some("Barbara Russ")),
        ("https://example.org/auteur/marc", None),
        ("marc@example.org", None),
        ("WordPress", None),
        ("", None),
    ] {
        assert_eq!(author::clean(raw).as_deref(), clean, "{raw}");
    }
}

#[test]
fn title_loses_the_site_suffix() {
    for (tag, url) in [
        (
            "Un titre d'article - Le Monde Informatique",
            "https://www.lemondeinformatique.fr/a.html",
        ),
        (
            "Un titre d'article | LeMondeInformatique",
            "https://www.lemondeinformatique.fr/a.html",
        ),
        (
            "Un titre d'article – lemondeinformatique.fr",
            "https://lemondeinformatique.fr/a.html",
        ),
    ] {
        let page = format!("<title>{tag}</title>");
        assert_eq!(
            meta_at(&page, url).title.as_deref(),
            Some("Un titre d'article"),
            "{tag}"
        );
    }
    // Confirmed by the h1, whatever the separator.
    let page = "<title>Ma dépêche : notes de version - Mon site</title><h1>Ma dépêche : notes de version</h1>";
    assert_eq!(
        meta(page).title.as_deref(),
        Some("Ma dépêche : notes de version")
    );
}

#[test]
fn english_text_date() {
    let page = "<h1>Title</h1><p class=\"post-meta\">Posted on March 3, 2025 by Jane Doe</p>";
    let found = meta(page);
    assert_eq!(found.published, utc(2025, 3, 2, 23, 0));
    assert_eq!(found.author.as_deref(), Some("Jane Doe"));
}

#[test]
fn a_section_heading_is_not_the_title() {
    // The site's first `<h1>` names its section; the headline is declared and in `<title>`.
    let page = r#"<head><title>Le CHU ouvre un centre du sommeil - Ville-sur-Loire</title>
        <meta property="og:title" content="Le CHU ouvre un centre du sommeil"></head>
        <body><h1>Centre santé</h1><div class="chapo"><p>Le nouveau centre accueille ses premiers
        patients lundi.</p></div></body>"#;
    assert_eq!(
        meta(page).title.as_deref(),
        Some("Le CHU ouvre un centre du sommeil")
    );
}

#[test]
fn a_second_level_headline_confirmed_by_the_title_wins_over_the_blog_name() {
    let page = r#"<head><title>Mes semis de tomates en avril | Au jardin de Lise</title></head>
        <body><h1><a href="/">Le potager</a></h1><div class="post"><h2>Mes semis de tomates en
        avril</h2><p>Cette année, j'ai semé trois variétés anciennes.</p></div></body>"#;
    assert_eq!(
        meta(page).title.as_deref(),
        Some("Mes semis de tomates en avril")
    );
}

#[test]
fn a_kicker_before_the_headline_is_left_out() {
    // The `<h1>` holds the kicker and the headline; the page declares the headline alone.
    let page = r#"<head><title>Grève des contrôleurs : le trafic perturbé jeudi</title>
        <script type="application/ld+json">{"@type":"NewsArticle","headline":"Le trafic perturbé jeudi"}</script>
        </head><body><h1><span class="kicker">Grève des contrôleurs</span> Le trafic perturbé
        jeudi</h1></body>"#;
    assert_eq!(
        meta(page).title.as_deref(),
        Some("Le trafic perturbé jeudi")
    );
}

#[test]
fn one_of_several_first_level_headings_loses_to_the_agreed_title() {
    let page = r#"<head><title>Rapport annuel 2026 de l'observatoire | Mairie</title>
        <meta name="parsely-title" content="Rapport annuel 2026 de l'observatoire"></head>
        <body><h1>Navigation</h1><h1>Services en ligne</h1><h1>Actualités</h1></body>"#;
    assert_eq!(
        meta(page).title.as_deref(),
        Some("Rapport annuel 2026 de l'observatoire")
    );
}

#[test]
fn the_site_name_is_never_the_title() {
    let page = r#"<head><title>Journal du Libre</title>
        <meta property="og:site_name" content="Journal du Libre">
        <meta property="og:title" content="Journal du Libre"></head>
        <body><h1>Journal du Libre</h1><article><h2>Publication de la version 3.2 de Zinc</h2>
        <p>La version 3.2 apporte un nouveau moteur de rendu.</p></article></body>"#;
    assert_eq!(
        meta(page).title.as_deref(),
        Some("Publication de la version 3.2 de Zinc")
    );
}

#[test]
fn link_labels_are_not_authors() {
    for label in ["Kontakt", "CC", "commentaires", "Comments"] {
        let page = format!(
            r#"<h1>Le budget participatif est lancé</h1>
            <span class="author"><a rel="author" href="/contact">{label}</a></span>
            <div class="byline">Par Julie Martin</div>"#
        );
        assert_eq!(
            meta(&page).author.as_deref(),
            Some("Julie Martin"),
            "{label}"
        );
    }
}
