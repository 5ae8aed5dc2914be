//! Tests of main-text extraction on the kinds of pages it was not tuned on, each hand-written
//! after the markup real sites use: short texts without a sentence, hidden blocks, formulas,
//! inline scripts, scripts written without spaces, and a related-posts block on a large page.

use super::main_text;
use super::tests::{article_paragraphs, assert_absent, assert_body_kept, post_page};

/// A page whose article is `body` alone, as a small site writes it.
fn bare_page(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Notes</title></head><body>\
         <nav><a href=\"/\">Accueil</a> <a href=\"/notes/\">Notes</a></nav>\
         <main><article>{body}</article></main></body></html>"
    )
}

#[test]
fn a_text_of_one_word_is_kept() {
    let text = main_text(&bare_page("<p>Bienvenue</p>"), None);
    assert!(text.contains("Bienvenue"), "got «{text}»");
}

#[test]
fn a_short_list_without_a_sentence_is_kept() {
    let text = main_text(
        &bare_page("<h2>Courses</h2><ul><li>Pommes</li><li>Poires</li><li>Cerises</li></ul>"),
        None,
    );
    for item in ["Pommes", "Poires", "Cerises"] {
        assert!(text.contains(item), "missing {item} in «{text}»");
    }
}

#[test]
fn two_headings_without_a_sentence_are_kept() {
    let text = main_text(
        &bare_page("<h2>Horaires d'été</h2><h3>Fermé le lundi</h3>"),
        None,
    );
    assert!(text.contains("Horaires d'été"), "got «{text}»");
    assert!(text.contains("Fermé le lundi"), "got «{text}»");
}

#[test]
fn hidden_blocks_are_not_text() {
    // Set between the paragraphs, where the arbitration (which trims the edges) cannot see them.
    let [first, rest @ ..] = super::tests::ARTICLE;
    let hidden = r#"<div hidden><p>Ce paragraphe masqué par l'attribut hidden contient une longue
        phrase que le lecteur ne voit jamais sur la page publiée du journal.</p></div>
        <p style="DISPLAY : none">Ce paragraphe masqué par son style en ligne contient une phrase que
        personne ne lit jamais sur la page, mais que le balisage transporte.</p>
        <div aria-hidden="true"><p>Ce bloc caché aux lecteurs d'écran et à l'œil répète une phrase
        longue que la page ne montre jamais dans l'article publié.</p></div>
        <p>Texte visible <span style="visibility:hidden">invisible</span> jusqu'au bout.</p>"#;
    let rest: String = rest.iter().map(|p| format!("<p>{p}</p>")).collect();
    let page = post_page(&format!("<p>{first}</p>{hidden}{rest}"), "");
    let text = main_text(&page, None);
    assert_body_kept(&text);
    assert_absent(
        &text,
        &[
            "attribut hidden",
            "style en ligne",
            "lecteurs d'écran",
            "invisible",
        ],
    );
    assert!(text.contains("Texte visible jusqu'au bout."), "{text}");
}

#[test]
fn the_text_after_an_inline_script_is_kept() {
    let paragraph =
        "<p>Le maire a confirmé <script>window.dataLayer.push({event: 'quote'});</script> \
        que les travaux du pont commenceront en juin, après le vote du budget.</p>";
    let page = post_page(&format!("{}{paragraph}", article_paragraphs()), "");
    let text = main_text(&page, None);
    assert_body_kept(&text);
    assert!(
        text.contains("que les travaux du pont commenceront en juin"),
        "{text}"
    );
    assert_absent(&text, &["dataLayer"]);
}

#[test]
fn a_mathml_formula_stays_in_its_sentence() {
    let paragraph = "<p>La relation <math alttext=\"E = m c^2\"><mi>E</mi><mo>=</mo><mi>m</mi>\
        <msup><mi>c</mi><mn>2</mn></msup></math> relie la masse et l'énergie, rappelle le \
        physicien devant les élèves du lycée.</p>";
    let page = post_page(&format!("{}{paragraph}", article_paragraphs()), "");
    let text = main_text(&page, None);
    assert_body_kept(&text);
    assert!(
        text.contains("La relation E = m c^2 relie la masse et l'énergie"),
        "{text}"
    );
}

#[test]
fn chinese_paragraphs_keep_their_first_and_last_lines() {
    let page = r#"<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">
        <title>城市公园改造工程启动 - 新闻网</title></head><body>
        <header><nav><a href="/">首页</a> <a href="/news/">新闻</a></nav></header>
        <main><article><h1>城市公园改造工程启动</h1>
        <p>市政府周二宣布公园改造工程正式启动。</p>
        <p>根据规划，改造工程将分三个阶段进行，第一阶段将在今年夏天完成，主要包括修建新的步行道和自行车道，并在湖边增加休息区。</p>
        <p>负责该项目的官员表示，工程期间公园的大部分区域将继续向市民开放，部分区域会临时关闭，相关信息将在官方网站上公布。</p>
        <p>许多市民对这一计划表示欢迎，认为改造后的公园将为周边居民提供更好的休闲环境，同时也希望施工能够减少对日常生活的影响。</p>
        <p>据介绍，新的步行道全长约五公里，将连接公园的东门和西门，沿途还将种植数百棵本地树木，为市民提供更多的绿荫和休息场所。</p>
        <p>第二阶段的工程将集中在湖区，包括清理湖底淤泥、修复老旧的石桥以及建设一座新的观景平台，预计明年春天开始施工。</p>
        <p>第三阶段将对儿童游乐区和运动场地进行全面翻新，新增的设施将更加注重安全和无障碍设计，方便老人和残疾人使用。</p>
        <p>市政府表示，整个改造项目的资金主要来自市级财政，同时也将通过公开招标的方式选择施工单位，确保工程质量和进度。</p>
        <p>工程预计明年底完工。</p>
        </article></main><footer><p>版权所有</p></footer></body></html>"#;
    let text = main_text(page, None);
    assert!(
        text.contains("市政府周二宣布公园改造工程正式启动。"),
        "{text}"
    );
    assert!(text.contains("工程预计明年底完工。"), "{text}");
    assert!(text.contains("改造工程将分三个阶段进行"), "{text}");
}

#[test]
fn a_related_block_is_pruned_on_a_large_page_too() {
    // More tags than the former quadratic sibling rule accepted (20,000): it was skipped here.
    let paragraphs: String = (0..11_000)
        .map(|i| format!("<p>Le compte rendu du conseil, point numéro {i}, a été adopté.</p>"))
        .collect();
    let related = r#"<h3 class="relatedposts-title">Sur le même thème</h3>
        <p>La piscine municipale ferme pour travaux pendant tout l'été, annonce la mairie, qui promet
        une réouverture à la rentrée avec un bassin rénové et des horaires élargis.</p>
        <p>Le marché couvert rouvre ses portes samedi après deux ans de chantier, avec trente
        commerçants et un espace de restauration ouvert le soir.</p>"#;
    let page = post_page(
        &format!("{}{paragraphs}{related}", article_paragraphs()),
        "",
    );
    let text = main_text(&page, None);
    assert!(text.contains("point numéro 10999"), "the body is cut");
    assert_absent(
        &text,
        &["piscine municipale", "marché couvert", "Sur le même thème"],
    );
}

/// The article with `block` set after its second paragraph, where the arbitration keeps it.
fn with_block_inside(block: &str) -> String {
    let [first, second, rest @ ..] = super::tests::ARTICLE;
    let rest: String = rest.iter().map(|p| format!("<p>{p}</p>")).collect();
    post_page(&format!("<p>{first}</p><p>{second}</p>{block}{rest}"), "")
}

#[test]
fn a_stream_of_teasers_inside_the_body_is_dropped() {
    let teaser = |n: usize, title: &str| {
        format!(
            "<div class=\"card\"><a href=\"/ville/article-{n}\"><h3>{title}</h3></a>\
             <p>Le point sur ce dossier qui occupe la ville depuis des mois.</p></div>"
        )
    };
    let block = format!(
        "<div class=\"stream\">{}{}{}{}</div>",
        teaser(1, "La médiathèque prolonge ses horaires d'ouverture"),
        teaser(2, "Un nouveau marché bio place de la Mairie"),
        teaser(3, "Les écoles passent à la cantine locale"),
        teaser(4, "Le stade rénové accueille son premier match"),
    );
    let text = main_text(&with_block_inside(&block), None);
    assert_body_kept(&text);
    assert_absent(
        &text,
        &[
            "médiathèque",
            "marché bio",
            "cantine locale",
            "stade rénové",
        ],
    );
}

#[test]
fn a_video_players_labels_are_dropped() {
    let block = r#"<div class="player"><p>Video Player is loading.</p><p>Play Video Play Mute
        Current Time 0:00 / Duration 0:00 Loaded: 0% Stream Type LIVE Remaining Time -0:00 1x
        Playback Rate Chapters Captions captions settings, opens captions settings dialog</p>
        <p>This is a modal window.</p></div>"#;
    let text = main_text(&with_block_inside(block), None);
    assert_body_kept(&text);
    assert_absent(&text, &["Video Player", "Playback Rate", "modal window"]);
}

#[test]
fn a_gallerys_credited_captions_are_dropped() {
    let block = r#"<div class="diaporama">
        <p><img src="/a.jpg" alt=""> Le nouveau pont au lever du jour. Photo : Jeanne Morel</p>
        <p><img src="/b.jpg" alt=""> Les premiers cyclistes sur la piste. © Studio Lumière</p>
        <p><img src="/c.jpg" alt=""> La rive nord avant les travaux. Crédit : archives municipales</p>
        </div>"#;
    let text = main_text(&with_block_inside(block), None);
    assert_body_kept(&text);
    assert_absent(&text, &["lever du jour", "premiers cyclistes", "rive nord"]);
}
