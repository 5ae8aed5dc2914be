//! Tests of main-text extraction: robustness on hostile input, and hand-written French pages
//! modelled on real sites (SPIP, WordPress, LinuxFr) whose body must be kept without chrome.

use super::arbitrate::trim_to_agreement;
use super::candidates::trafilatura_text;
use super::clean::drop_boilerplate;
use super::main_text;
use super::prune::prune;
use std::time::{Duration, Instant};

/// A hostile page must be answered within this time in a debug build.
const QUICK: Duration = Duration::from_secs(20);

fn timed(html: &str) -> String {
    let start = Instant::now();
    let text = main_text(html, None);
    assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
    text
}

#[test]
fn empty_page_gives_empty_text() {
    assert_eq!(timed(""), "");
    assert_eq!(timed("<html><body></body></html>"), "");
}

#[test]
fn deeply_nested_page_does_not_overflow() {
    let depth = 100_000;
    let html = format!(
        "<html><body>{}<p>Bonjour.</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let text = timed(&html);
    assert!(text.len() < 100);
}

#[test]
fn unclosed_nesting_does_not_overflow() {
    let html = "<div><span>".repeat(60_000);
    let text = timed(&html);
    assert!(text.len() < 100);
}

#[test]
fn five_megabyte_page_is_answered() {
    let paragraph = "<p>Le conseil municipal a voté le budget de la commune après un long débat \
                     sur les investissements prévus pour les écoles et la voirie.</p>";
    // A related-posts heading at the end: its sibling rule must not apply to such a flat page
    // (it would walk 35,000 preceding siblings for each of 35,000 paragraphs).
    let html = format!(
        "<html><body><article>{}<h2 class=\"related-title\">À lire aussi</h2></article></body></html>",
        paragraph.repeat(5_000_000 / paragraph.len())
    );
    // Not `timed`: a debug build spends tens of seconds on 5 MB of text (about 3 s in release).
    let text = main_text(&html, None);
    assert!(text.contains("conseil municipal"));
}

#[test]
fn binary_garbage_does_not_panic() {
    let mut state: u32 = 0x2545_f491;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let html = String::from_utf8_lossy(&bytes);
    let _ = timed(&html);
}

#[test]
fn navigation_only_page_gives_little() {
    let links: String = (0..200)
        .map(|i| format!("<li><a href=\"/rubrique-{i}\">Rubrique {i}</a></li>"))
        .collect();
    let html = format!(
        "<html><body><header><nav><ul>{links}</ul></nav></header>\
         <footer><a href=\"/mentions\">Mentions légales</a></footer></body></html>"
    );
    let text = timed(&html);
    assert!(text.len() < 200, "{text}");
}

/// Paragraphs of a plausible French news article, long enough to be recognised as one.
pub(super) const ARTICLE: [&str; 5] = [
    "La métropole a présenté mardi son plan pour les mobilités douces, qui prévoit quarante \
     kilomètres de pistes cyclables supplémentaires d'ici à la fin du mandat.",
    "Selon l'adjointe chargée des transports, le réseau actuel souffre de discontinuités qui \
     découragent les cyclistes occasionnels, en particulier aux abords des ponts.",
    "Les associations d'usagers saluent l'ambition du projet mais s'interrogent sur son \
     financement, estimé à plus de soixante millions d'euros sur six ans.",
    "Les travaux commenceront au printemps par l'axe nord-sud, le plus fréquenté, avant de \
     s'étendre aux quartiers périphériques où la voiture reste très majoritaire.",
    "Une concertation publique sera ouverte en ligne et dans les mairies de quartier jusqu'à \
     la fin du mois prochain, avant le vote définitif du conseil.",
];

pub(super) fn article_paragraphs() -> String {
    ARTICLE.iter().map(|p| format!("<p>{p}</p>")).collect()
}

pub(super) fn assert_body_kept(text: &str) {
    for paragraph in ARTICLE {
        let start: String = paragraph
            .split_whitespace()
            .take(8)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(&start), "missing «{start}» in:\n{text}");
    }
}

pub(super) fn assert_absent(text: &str, chrome: &[&str]) {
    for piece in chrome {
        assert!(!text.contains(piece), "kept «{piece}» in:\n{text}");
    }
}

#[test]
fn spip_article_keeps_div_texte() {
    let html = format!(
        r#"<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
        <title>Mobilités douces : le plan de la métropole - Le Journal</title></head><body>
        <div class="page"><div class="header"><a href="/">Le Journal</a>
        <ul class="menu"><li><a href="spip.php?rubrique1">Actualité</a></li>
        <li><a href="spip.php?rubrique2">Culture</a></li><li><a href="spip.php?rubrique3">Sports</a></li></ul></div>
        <div class="main"><div class="wrapper"><div class="content">
        <p class="arbo"><a href="/">Accueil</a> &gt; <a href="spip.php?rubrique1">Actualité</a></p>
        <div class="cartouche"><h1 class="surtitre">Mobilités douces : le plan de la métropole</h1>
        <p class="info-publi">publié le 12 mars 2024</p></div>
        <div class="chapo"><p>Quarante kilomètres de pistes en plus.</p></div>
        <div class="texte">{body}</div>
        <div class="notes"></div></div></div>
        <div class="aside"><h2>Dans la même rubrique</h2><ul>
        <li><a href="spip.php?article10">Le marché couvert rouvre ses portes</a></li>
        <li><a href="spip.php?article11">Travaux sur la rocade cet été</a></li></ul></div></div>
        <div class="footer"><p>Plan du site | Mentions légales | Se connecter</p></div></div></body></html>"#,
        body = article_paragraphs()
    );
    let text = main_text(&html, None);
    assert_body_kept(&text);
    assert_absent(
        &text,
        &["Dans la même rubrique", "Le marché couvert", "Plan du site"],
    );
}

#[test]
fn wordpress_post_drops_share_related_and_comments() {
    let html = format!(
        r#"<!DOCTYPE html><html lang="fr-FR"><head><meta charset="UTF-8">
        <title>Mobilités douces : le plan de la métropole – Le Blog</title></head>
        <body class="post-template-default single single-post">
        <div id="cookie-notice" role="dialog">Ce site utilise des cookies pour améliorer votre expérience. <a>J'accepte</a></div>
        <header id="masthead" class="site-header"><nav class="main-navigation"><ul>
        <li><a href="/">Accueil</a></li><li><a href="/category/ville/">Ville</a></li></ul></nav></header>
        <main id="main"><article class="post type-post hentry">
        <header class="entry-header"><h1 class="entry-title">Mobilités douces : le plan de la métropole</h1>
        <div class="entry-meta">Publié le 12 mars 2024 par Camille</div></header>
        <div class="entry-content">{body}
        <div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Partager :</h3><ul>
        <li><a class="share-facebook">Facebook</a></li><li><a class="share-twitter">Twitter</a></li></ul></div>
        <div class="newsletter-box"><p>Inscrivez-vous à notre newsletter pour ne rien manquer.</p></div>
        <div id="jp-relatedposts" class="jp-relatedposts"><h3>Articles similaires</h3>
        <p><a href="/2024/02/velo/">Le vélo en hiver, mode d'emploi</a></p>
        <p><a href="/2024/01/bus/">Nouvelles lignes de bus en février</a></p></div></div>
        </article>
        <div id="comments" class="comments-area"><h2 class="comments-title">3 réflexions sur « Mobilités douces »</h2>
        <ol class="comment-list"><li class="comment"><article class="comment-body">
        <footer class="comment-meta">Jean-Pierre dit :</footer><div class="comment-content">
        <p>Enfin ! Cela fait des années que nous attendons une vraie piste sur le pont, bravo à la métropole pour cette décision.</p></div></article></li>
        <li class="comment"><article class="comment-body"><footer class="comment-meta">Sophie dit :</footer>
        <div class="comment-content"><p>Et le stationnement des vélos à la gare ? Rien n'est prévu, c'est dommage pour les pendulaires.</p></div></article></li></ol>
        <div id="respond" class="comment-respond"><h3>Laisser un commentaire</h3>
        <form id="commentform"><p>Votre adresse e-mail ne sera pas publiée.</p><textarea name="comment"></textarea></form></div></div>
        </main><aside id="secondary" class="widget-area"><section class="widget"><h2>Articles récents</h2><ul>
        <li><a href="/a">Fermeture de la piscine municipale</a></li></ul></section></aside>
        <footer id="colophon"><p>Fièrement propulsé par WordPress</p></footer></body></html>"#,
        body = article_paragraphs()
    );
    let text = main_text(&html, None);
    assert_body_kept(&text);
    assert_absent(
        &text,
        &[
            "cookies",
            "Partager",
            "newsletter",
            "Articles similaires",
            "Le vélo en hiver",
            "Enfin !",
            "stationnement des vélos",
            "Laisser un commentaire",
            "Articles récents",
            "propulsé",
        ],
    );
}

#[test]
fn linuxfr_like_page_drops_comment_thread() {
    let html = format!(
        r#"<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Sortie de la version 3.0 - LinuxFr.org</title></head>
        <body class="news show"><header id="top"><h1><a href="/">LinuxFr.org</a></h1>
        <nav id="site-nav"><ul><li><a href="/news">Dépêches</a></li><li><a href="/journaux">Journaux</a></li>
        <li><a href="/forums">Forums</a></li></ul></nav></header>
        <main id="contents"><article class="node hentry">
        <header><h1 class="entry-title">Sortie de la version 3.0</h1>
        <div class="meta">Posté par Alice le 12 mars 2024. Modéré par Bob. Licence CC By‑SA.</div>
        <ul class="tags"><li><a href="/tags/libre">libre</a></li></ul></header>
        <div class="content entry-content">{body}</div>
        <footer class="actions"><a href="/news/sortie/comments">42 commentaires</a></footer></article>
        <div id="comments"><h2>Commentaires</h2><ul class="threads"><li class="comment">
        <h2 class="title"><a>Merci pour la dépêche</a></h2><div class="content">
        <p>Très bon résumé, j'ai appris beaucoup de choses sur le fonctionnement du projet et de sa communauté.</p></div>
        <footer>Posté par Carole le 12 mars 2024 à 10:12. Évalué à 5.</footer></li></ul></div>
        </main><aside id="sidebar"><div class="box"><h2>Derniers commentaires</h2><ul>
        <li><a>Re: Wayland et les cartes graphiques</a></li></ul></div></aside>
        <footer id="bottom"><a href="/faq">FAQ</a> <a href="/regles">Règles</a></footer></body></html>"#,
        body = article_paragraphs()
    );
    let text = main_text(&html, None);
    assert_body_kept(&text);
    assert_absent(
        &text,
        &[
            "Très bon résumé",
            "Derniers commentaires",
            "Dépêches",
            "Règles",
        ],
    );
}

#[test]
fn paragraphs_are_separated_by_one_blank_line() {
    let html = format!(
        "<html><body><article>{}</article></body></html>",
        article_paragraphs()
    );
    let text = main_text(&html, None);
    assert_body_kept(&text);
    assert!(!text.contains("\n\n\n"));
    assert_eq!(text, text.trim());
    assert_eq!(text.split("\n\n").count(), ARTICLE.len(), "{text}");
}

#[test]
fn a_page_of_many_unclosed_paragraphs_and_items_is_read() {
    // Old SPIP and hand-written pages leave `<p>` and `<li>` open: they do not nest.
    let paragraphs: String = (0..800)
        .map(|i| format!("<p>Paragraphe {i} du compte rendu, avec assez de mots pour une phrase."))
        .collect();
    let items: String = (0..800).map(|i| format!("<li>point {i}")).collect();
    let html = format!(
        "<html><body><div class=\"texte\">{paragraphs}</div><ul>{items}</ul></body></html>"
    );
    let text = timed(&html);
    assert!(
        text.contains("Paragraphe 799 du compte rendu"),
        "{}",
        &text[..text.len().min(300)]
    );
}

/// A WordPress-like post page around `body`, with `after` between the post and the footer.
pub(super) fn post_page(body: &str, after: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
        <title>Mobilités douces : le plan de la métropole – Le Blog</title></head><body>
        <header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/ville/">Ville</a></li></ul></nav></header>
        <main><article class="post"><div class="entry-content">{body}</div></article>{after}</main>
        <footer><p>Fièrement propulsé par WordPress</p></footer></body></html>"#
    )
}

#[test]
fn a_dialog_is_dropped() {
    // A cookie-settings pop-up that a plugin printed inside the post, long enough to pass for
    // text; it is shown over the page when opened.
    let dialog = r#"<div class="cli-popup" role="dialog"><div class="cli-popup-inner">
        <h4>Vue d'ensemble de la confidentialité</h4>
        <p>Ce site utilise des traceurs pour améliorer votre expérience pendant que vous naviguez sur
        le site. Parmi eux, ceux qui sont classés comme nécessaires sont stockés dans votre navigateur
        car ils sont essentiels au fonctionnement des fonctions de base du site.</p>
        <p>Nous utilisons aussi des traceurs tiers qui nous aident à analyser et comprendre comment vous
        utilisez ce site. Ils ne seront stockés dans votre navigateur qu'avec votre consentement.</p></div></div>"#;
    let page = post_page(&format!("{}{dialog}", article_paragraphs()), "");
    // The primary extractor never reads it (the arbitration alone would often trim it too).
    let primary = trafilatura_text(prune(&page).document, None).text;
    assert_body_kept(&primary);
    assert_absent(&primary, &["confidentialité", "traceurs"]);
    let text = main_text(&page, None);
    assert_body_kept(&text);
    assert_absent(&text, &["confidentialité", "traceurs"]);
}

#[test]
fn a_consent_banner_named_by_its_class_is_dropped() {
    // Named as the Cookiebot plugin names it, which trafilatura's own lower-case rules miss.
    let banner = r#"<div id="CybotCookiebot" class="CookieConsentPanel"><p>Nous utilisons des cookies et d'autres
        technologies de suivi pour améliorer votre navigation sur notre site, vous montrer des
        contenus personnalisés et des publicités ciblées, analyser notre trafic et comprendre d'où
        vient notre public. Pour en savoir plus ou vous y opposer, lisez notre politique.</p>
        <p><button>J'accepte</button></p></div>"#;
    // Some sites say on `<body>` whether consent was given: the page itself is not a banner.
    let page = post_page(&format!("{banner}{}", article_paragraphs()), "")
        .replace("<body>", r#"<body class="cookie-consent-given">"#);
    let primary = trafilatura_text(prune(&page).document, None).text;
    assert_body_kept(&primary);
    assert_absent(&primary, &["cookies"]);
    // Nor is it put back as a lead: dom_smoothie reads it right before the article.
    let text = main_text(&page, None);
    assert_body_kept(&text);
    assert_absent(&text, &["cookies"]);
}

#[test]
fn a_related_posts_heading_and_what_follows_it_are_dropped() {
    let related = r#"<h3 class="relatedposts-title">Vous aimerez aussi…</h3>
        <p>La piscine municipale ferme pour travaux pendant tout l'été, annonce la mairie, qui promet
        une réouverture à la rentrée avec un bassin rénové et des horaires élargis.</p>
        <p>Le marché couvert rouvre ses portes samedi après deux ans de chantier, avec trente
        commerçants et un espace de restauration ouvert le soir.</p>"#;
    let body = format!("{}{related}", article_paragraphs());
    let text = main_text(&post_page(&body, ""), None);
    assert_body_kept(&text);
    assert_absent(
        &text,
        &["Vous aimerez", "piscine municipale", "marché couvert"],
    );
}

#[test]
fn the_leading_headline_is_dropped_even_when_it_differs_from_the_title() {
    // Sites often write a longer headline on the page than in the title they share.
    let page = |body: &str| {
        format!(
            r#"<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
            <meta property="og:title" content="Vélo : la métropole présente son plan">
            <title>Vélo : la métropole présente son plan – Le Journal</title></head><body>
            <main><article><div class="article-body">{body}</div></article></main></body></html>"#
        )
    };
    let headline = "Quarante kilomètres de pistes cyclables en plus d'ici la fin du mandat : \
                    la métropole dévoile enfin son plan pour les mobilités douces";
    let text = main_text(
        &page(&format!("<h1>{headline}</h1>{}", article_paragraphs())),
        None,
    );
    assert_body_kept(&text);
    assert_absent(&text, &["dévoile enfin"]);
    // A heading inside the text is the article's own and stays.
    let body = format!(
        "{}<h2>Un financement encore incertain</h2>{}",
        article_paragraphs(),
        article_paragraphs()
    );
    let text = main_text(&page(&body), None);
    assert!(text.contains("Un financement encore incertain"), "{text}");
}

#[test]
fn the_lead_the_primary_missed_is_put_back_but_not_a_caption() {
    let lead =
        "La métropole a présenté mardi son plan pour les mobilités douces, qui prévoit quarante \
                kilomètres de pistes cyclables supplémentaires d'ici à la fin du mandat.";
    let caption =
        "Des cyclistes sur le pont de la Fraternité, mardi matin, à l'heure où le trafic \
                   automobile est le plus dense (Photo Le Journal/Camille Martin)";
    // Both extractors agree on most of the article.
    let rest = [&ARTICLE[1..], &ARTICLE[1..]].concat().join("\n\n");
    let secondary = format!("{caption}\n\n{lead}\n\n{rest}");
    assert_eq!(
        trim_to_agreement(rest.clone(), &secondary),
        format!("{lead}\n\n{rest}")
    );
    // A paragraph repeated by the secondary is a gallery's caption, and stops the lead.
    let gallery =
        "Les cyclistes occasionnels se plaignent des discontinuités du réseau actuel aux \
                   abords des ponts, selon la dernière enquête de la métropole.";
    let secondary = format!("{gallery}\n\n{lead}\n\n{gallery}\n\n{rest}");
    assert_eq!(trim_to_agreement(rest.clone(), &secondary), rest);
}

#[test]
fn a_closing_list_of_headlines_under_a_related_heading_is_dropped() {
    let body = ARTICLE.join("\n\n");
    let related = "Vous aimerez aussi…\n\nLe marché couvert rouvre ses portes\n\n\
                   Travaux sur la rocade cet été : les déviations prévues";
    assert_eq!(
        drop_boilerplate(&format!("{body}\n\n{related}"), "Mobilités douces"),
        body
    );
    // Under the same words, paragraphs of prose are the article going on.
    let going_on = format!("{body}\n\nSur le même sujet\n\n{body}");
    assert_eq!(drop_boilerplate(&going_on, "Mobilités douces"), going_on);
}
