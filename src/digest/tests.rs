//! Unit tests of `crate::digest`: selection shapes, grouping, order, links.

use super::render::{render, Kind, Templates};
use super::*;
use chrono::TimeZone;

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

fn member(id: i64, source: &str, title: &str, day: u32, tags: &[&str]) -> Member {
    Member {
        id,
        title: title.into(),
        url: format!("https://{source}.example/{id}"),
        source: source.into(),
        published: Some(at(day, 9)),
        fetched_at: at(day, 10),
        author: None,
        summary: format!("{title}."),
        text: format!("{title}. Deuxième phrase du texte."),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

fn options() -> Options {
    Options {
        title: "Veille".into(),
        lang: Lang::Fr,
        topics: vec![
            ("sovereignty".into(), "Souveraineté numérique".into()),
            ("releases".into(), "Nouvelles versions".into()),
        ],
        since: at(16, 0),
        until: at(23, 0),
        timezone: chrono_tz::UTC,
        other: true,
        max_age: None,
        sources: Vec::new(),
        tags: Vec::new(),
    }
}

fn story(members: Vec<Member>) -> Candidate {
    Candidate {
        story: members[0].id,
        members,
    }
}

#[test]
fn groups_follow_the_configuration_and_other_comes_last() {
    let candidates = vec![
        story(vec![member(1, "a", "Sans sujet", 20, &[])]),
        story(vec![member(2, "a", "Sortie", 18, &["releases"])]),
        story(vec![
            member(3, "b", "Cloud souverain", 17, &["releases"]),
            member(4, "c", "Cloud souverain (copie)", 18, &["sovereignty"]),
            member(5, "b", "Cloud souverain (même source)", 18, &[]),
        ]),
        story(vec![member(6, "a", "Récent", 21, &["releases"])]),
    ];
    let digest = build(candidates, Vec::new(), &options(), at(23, 8));
    let names: Vec<&str> = digest.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["sovereignty", "releases", OTHER]);
    // A story with two topics is listed once, under the first configured one, with both tags.
    let cloud = &digest.groups[0].entries[0];
    assert_eq!(cloud.title, "Cloud souverain");
    let tags: Vec<&str> = cloud.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["sovereignty", "releases"]);
    // Also reported by the other sources, once each, never the representative's own.
    let also: Vec<&str> = cloud.also.iter().map(|a| a.source.as_str()).collect();
    assert_eq!(also, ["c"]);
    // Newest first.
    let releases: Vec<&str> = digest.groups[1]
        .entries
        .iter()
        .map(|e| e.title.as_str())
        .collect();
    assert_eq!(releases, ["Récent", "Sortie"]);
    assert_eq!(digest.groups[1].count, 2);
    assert_eq!(digest.total, 4);
    assert_eq!(digest.groups[2].label, "Autres");
    assert_eq!(digest.period.words, "Semaine du 16 au 22 novembre 2026");
}

#[test]
fn untagged_stories_can_be_left_out_and_old_ones_dropped() {
    let mut old = member(2, "a", "Ancien", 1, &["releases"]);
    old.published = Some(Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap());
    let candidates = vec![
        story(vec![member(1, "a", "Sans sujet", 20, &[])]),
        story(vec![old]),
        story(vec![member(3, "a", "Neuf", 20, &["releases"])]),
    ];
    let options = Options {
        other: false,
        max_age: Some(chrono::Duration::days(30)),
        ..options()
    };
    let digest = build(candidates, Vec::new(), &options, at(23, 8));
    let titles: Vec<&str> = digest.entries().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Neuf"]);
}

#[test]
fn only_web_links_are_kept() {
    let mut hostile = member(1, "a", "Piège", 20, &[]);
    hostile.url = "javascript:alert(1)".into();
    let digest = build(
        vec![story(vec![hostile])],
        Vec::new(),
        &options(),
        at(23, 8),
    );
    let entry = digest.entries().next().unwrap();
    assert_eq!(entry.link, None);
    let html = render(&digest, &Templates::default(), Kind::Html).unwrap();
    assert!(!html.contains("javascript:"), "{html}");
}

#[test]
fn the_built_in_templates_render_every_field() {
    let failed = vec![FailedSource {
        name: "lemagit".into(),
        error: "HTTP 404".into(),
        failures: 2,
    }];
    let mut first = member(
        1,
        "a",
        "Titre <b>gras</b> & « guillemets »",
        20,
        &["releases"],
    );
    first.author = Some("Aurélie".into());
    let candidates = vec![story(vec![first, member(2, "b", "Copie", 20, &[])])];
    let digest = build(candidates, failed, &options(), at(23, 8));
    let templates = Templates::default();
    let md = render(&digest, &templates, Kind::Markdown).unwrap();
    assert!(md.contains("**Semaine du 16 au 22 novembre 2026**"), "{md}");
    assert!(md.contains("- Nouvelles versions\u{a0}: 1"), "{md}");
    assert!(
        md.contains("### [Titre \\<b\\>gras\\</b\\> & « guillemets »](https://a.example/1)"),
        "{md}"
    );
    assert!(
        md.contains("Aussi dans\u{a0}: [b](https://b.example/2)"),
        "{md}"
    );
    assert!(
        md.contains("- lemagit\u{a0}: HTTP 404 (2 échecs consécutifs)"),
        "{md}"
    );
    let html = render(&digest, &templates, Kind::Html).unwrap();
    assert!(
        html.contains("Titre &lt;b&gt;gras&lt;&#x2f;b&gt; &amp; «\u{a0}guillemets\u{a0}»"),
        "{html}"
    );
    assert!(html.contains("par Aurélie"), "{html}");
    let text = render(&digest, &templates, Kind::Text).unwrap();
    assert!(text.contains("== Nouvelles versions =="), "{text}");
    assert!(text.contains("https://a.example/1"), "{text}");
}

#[test]
fn english_labels() {
    let options = Options {
        lang: Lang::En,
        ..options()
    };
    let digest = build(
        vec![story(vec![member(1, "a", "Untagged", 20, &[])])],
        Vec::new(),
        &options,
        at(23, 8),
    );
    let md = render(&digest, &Templates::default(), Kind::Markdown).unwrap();
    assert!(md.contains("**Week of 16 to 22 November 2026**"), "{md}");
    assert!(md.contains("## Other"), "{md}");
}

#[test]
fn an_empty_digest_says_so() {
    let digest = build(Vec::new(), Vec::new(), &options(), at(23, 8));
    for kind in Kind::ALL {
        let out = render(&digest, &Templates::default(), kind).unwrap();
        assert!(out.contains("Rien de nouveau"), "{kind:?}: {out}");
    }
}

#[test]
fn a_broken_template_names_itself() {
    let mut templates = Templates::default();
    templates.replace(Kind::Markdown, "{% for %}".into());
    let digest = build(Vec::new(), Vec::new(), &options(), at(23, 8));
    let err = render(&digest, &templates, Kind::Markdown).unwrap_err();
    assert!(err.to_string().starts_with("template digest.md:"), "{err}");
}

#[test]
fn source_and_tag_filters_admit_a_story_by_any_member() {
    let candidates = || {
        vec![
            story(vec![
                member(1, "a", "Copie a", 20, &[]),
                member(2, "b", "Copie b", 20, &["releases"]),
            ]),
            story(vec![member(3, "c", "Seule", 20, &["sovereignty"])]),
        ]
    };
    let titles = |options: &Options| -> Vec<String> {
        build(candidates(), Vec::new(), options, at(23, 8))
            .entries()
            .map(|e| e.title.clone())
            .collect()
    };
    let by_source = Options {
        sources: vec!["b".into()],
        ..options()
    };
    assert_eq!(titles(&by_source), ["Copie a"]);
    let by_tag = Options {
        tags: vec!["sovereignty".into()],
        ..options()
    };
    assert_eq!(titles(&by_tag), ["Seule"]);
}
