//! Unit tests of `crate::cluster`.

use super::*;
use chrono::TimeZone;

const RELEASE: &[&str] = &[
    "Rennes, le 6 octobre 2026 – Oxalis annonce l'acquisition de Pollen, start-up lyonnaise spécialisée dans la visioconférence libre. Le montant de l'opération n'est pas communiqué.",
    "Fondée en 2020, Pollen développe un service de visioconférence chiffré de bout en bout, capable d'accueillir jusqu'à 500 participants, et compte parmi ses clients plusieurs universités et une agence régionale de santé.",
    "La technologie de Pollen remplacera le module de visioconférence actuel d'Oxalis Hub à partir de la prochaine version. Le service Pollen restera disponible pour ses clients existants pendant au moins trois ans.",
    "« Les réunions à distance sont devenues le cœur du travail collaboratif. Avec Pollen, nous intégrons la meilleure technologie libre du marché », commente la présidente d'Oxalis.",
];
const TRADE_HEADER: &str = "Actualités › Cloud et souveraineté";
const TRADE_FOOTER: &[&str] = &[
    "Marc Dubreuil est journaliste à InfoSouveraine, où il suit le cloud et le logiciel libre depuis 2012.",
    "Abonnez-vous à notre newsletter pour recevoir chaque matin l'essentiel de l'actualité du numérique souverain.",
];

fn day(d: i64) -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2026, 10, 6, 9, 0, 0)
        .single()
        .map(|t| t + chrono::Duration::days(d))
}

fn plain(title: &str, text: &str, date: Option<DateTime<Utc>>) -> Features {
    Features::new(title, text, date, |_| false)
}

fn same(a: &Features, b: &Features) -> bool {
    same_story(a, b, &Params::default())
}

fn trade(body: &[&str]) -> String {
    let mut parts = vec![TRADE_HEADER];
    parts.extend(body);
    parts.push("Lire aussi : Cloud de confiance, les collectivités hésitent encore");
    parts.extend(TRADE_FOOTER);
    parts.join("\n\n")
}

#[test]
fn identical_texts_are_one_story() {
    let text = RELEASE.join("\n\n");
    let a = plain("Oxalis acquiert Pollen", &text, day(0));
    let b = plain("Rachat : Pollen rejoint Oxalis", &text, day(1));
    assert!(same(&a, &b));
    assert_eq!(a.text_hash, b.text_hash);
    assert_eq!(band_keys(&a), band_keys(&b));
}

#[test]
fn an_edited_copy_with_other_boilerplate_is_one_story() {
    let vendor = plain("Oxalis acquiert Pollen", &RELEASE.join("\n\n"), day(0));
    let edited = RELEASE[1].replace("Fondée en 2020, ", "Créée il y a six ans, ");
    let copy = trade(&[
        "L'éditeur rennais s'offre une start-up lyonnaise pour muscler sa visioconférence.",
        &edited,
        RELEASE[2],
        RELEASE[3],
    ]);
    let others = [
        trade(&["Un tout autre sujet, sur la commande publique du cloud."]),
        trade(&["Encore un autre, sur le baromètre annuel de la filière."]),
    ];
    let lines = recurring_lines(
        others.iter().map(String::as_str).chain([copy.as_str()]),
        BOILERPLATE_MIN_ARTICLES,
    );
    assert_eq!(
        lines.len(),
        2 + TRADE_FOOTER.len(),
        "header, 'Lire aussi', footer"
    );
    let clean = Features::new("Oxalis s'offre Pollen", &copy, day(1), |h| {
        lines.contains(&h)
    });
    let raw = plain("Oxalis s'offre Pollen", &copy, day(1));
    assert!(clean.clean_len < raw.clean_len);
    assert!(same(&vendor, &clean), "{:?}", similarity(&vendor, &clean));
    let s = similarity(&vendor, &clean);
    assert!(s.overlap > similarity(&vendor, &raw).overlap);
}

#[test]
fn a_summary_finds_the_full_article_it_summarises() {
    // A long release: the summary is a small part of it, found only through the lead.
    let tail = [
        "Pollen conservera ses locaux lyonnais, qui deviennent le centre de recherche d'Oxalis consacré aux communications en temps réel, avec une équipe appelée à doubler d'ici deux ans.",
        "Les clients actuels de Pollen bénéficieront d'une migration gratuite vers Oxalis Hub, avec la reprise de leurs salles de réunion, de leurs enregistrements et de leurs annuaires.",
        "Le rachat sera finalisé avant la fin de l'année, sous réserve des autorisations habituelles. Les deux sociétés présenteront leur feuille de route commune au Forum Libre Europe.",
    ];
    let text = RELEASE
        .iter()
        .chain(&tail)
        .copied()
        .collect::<Vec<_>>()
        .join("\n\n");
    let full = plain("Oxalis acquiert Pollen", &text, day(0));
    let summary = "Oxalis annonce l'acquisition de Pollen, start-up lyonnaise spécialisée dans la visioconférence libre. Le montant de l'opération n'est pas communiqué. […]";
    let summary = plain("Oxalis rachète la start-up Pollen", summary, day(2));
    assert!(summary.is_short() && !full.is_short());
    let keys = band_keys(&full);
    assert!(band_keys(&summary).iter().any(|k| keys.contains(k)));
    let s = similarity(&full, &summary);
    assert!(s.lead >= Params::default().lead_overlap, "{s:?}");
    assert!(same(&full, &summary));
}

#[test]
fn short_texts_never_merge_on_title_alone() {
    let title = "Oxalis signe un partenariat stratégique";
    let a = plain(title, "L'éditeur rennais Oxalis s'allie à l'intégrateur Numeriq Ouest pour proposer sa suite aux communes bretonnes de moins de 10 000 habitants. […]", day(0));
    let b = plain(title, "Oxalis et l'opérateur allemand Bergwolke Hosting s'associent pour distribuer Oxalis Hub outre-Rhin, hébergé à Francfort. […]", day(3));
    assert_eq!(similarity(&a, &b).title, 1.0);
    assert!(!same(&a, &b));
    // Nor on a generic teaser that carries no text.
    let c = plain(title, "Lire la suite", day(0));
    let d = plain(title, "Lire la suite", day(1));
    assert!(!same(&c, &d));
}

#[test]
fn release_notes_of_two_versions_stay_apart() {
    let notes = |version: &str, news: &str| {
        let text = [
            format!("Nous avons le plaisir d'annoncer la disponibilité d'Oxalis Hub {version}, la nouvelle version de notre suite collaborative libre."),
            format!("Au programme de cette version : {news}"),
            "La mise à jour est disponible dès aujourd'hui pour les instances auto-hébergées via notre dépôt de paquets ; les clients de l'offre hébergée en bénéficieront au cours de la semaine prochaine.".into(),
            "Retrouvez la liste complète des changements dans les notes de version.".into(),
        ];
        plain(
            &format!("Oxalis Hub {version} est disponible"),
            &text.join("\n\n"),
            day(0),
        )
    };
    let a = notes("5.3", "un module de sondages dans l'agenda et le chiffrement de bout en bout des dossiers partagés.");
    let b = notes("5.4", "un assistant de rédaction local et la coédition des tableurs à plusieurs dizaines de personnes.");
    let s = similarity(&a, &b);
    assert!(s.numbers_differ && s.title >= 0.5, "{s:?}");
    assert!(!same(&a, &b), "{s:?}");
}

#[test]
fn a_weekly_column_with_one_template_stays_apart() {
    let issue = |date: &str, links: &[&str]| {
        let mut text = vec![
            "Comme chaque lundi, un coup d'œil dans le rétroviseur pour retrouver les informations que vous avez peut-être manquées la semaine dernière.",
            "Souveraineté numérique",
        ];
        text.extend(links);
        text.push("Les revues de presse précédentes sont à retrouver sur notre blog. Bonne semaine à toutes et à tous !");
        plain(
            &format!("Revue de presse du lundi {date}"),
            &text.join("\n\n"),
            day(0),
        )
    };
    let a = issue(
        "9 novembre 2026",
        &[
            "– Le Parlement européen adopte sa résolution sur les marchés publics du cloud",
            "– Une ville allemande repasse à LibreOffice après dix ans",
        ],
    );
    let b = issue(
        "16 novembre 2026",
        &[
            "– Le catalogue interministériel des logiciels libres 2026 est publié",
            "– Chat Control : les États membres toujours divisés",
        ],
    );
    assert!(!same(&a, &b), "{:?}", similarity(&a, &b));
}

#[test]
fn two_articles_about_one_event_stay_apart() {
    let a = plain("Forum Libre Europe 2026 : l'État promet un fonds pour les communs", "En ouverture du Forum Libre Europe, au Palais des congrès de Paris, le ministre délégué au numérique a annoncé un fonds de 30 millions d'euros sur trois ans pour financer la maintenance des communs numériques utilisés par l'administration.", day(0));
    let b = plain("Forum Libre Europe 2026 : les éditeurs réclament une commande publique ouverte", "Au Forum Libre Europe, au Palais des congrès de Paris, les éditeurs de logiciels libres ont présenté un livre blanc appelant l'État à réformer la commande publique et à cesser les appels d'offres rédigés autour de produits propriétaires.", day(0));
    assert!(!same(&a, &b), "{:?}", similarity(&a, &b));
}

#[test]
fn copies_more_than_30_days_apart_are_other_stories_unless_identical() {
    let text = RELEASE.join("\n\n");
    let edited = text.replace("trois ans", "deux ans").replace("500", "300");
    let original = plain("Oxalis acquiert Pollen", &text, day(0));
    let within = plain("Oxalis acquiert Pollen", &edited, day(29));
    let beyond = plain("Oxalis acquiert Pollen", &edited, day(31));
    let identical_a_year_later = plain("Oxalis acquiert Pollen", &text, day(365));
    assert!(same(&original, &within));
    assert!(!same(&original, &beyond));
    assert!(same(&original, &identical_a_year_later));
    let launch = plain("Kerlann Cloud lance son offre", &text, day(0));
    let undated = plain("Kerlann Cloud lance son offre", &edited, None);
    assert!(same(&launch, &undated), "no date: no bound");
}

#[test]
fn fingerprints_are_deterministic() {
    let text = RELEASE.join("\n\n");
    let a = plain("Oxalis acquiert Pollen", &text, day(0));
    assert_eq!(a, plain("Oxalis acquiert Pollen", &text, day(0)));
    // Stored signatures must compare with tomorrow's: these values never change silently.
    let tiny = plain("Titre", "Souveraineté numérique européenne", None);
    assert_eq!(tiny.shingles, 1);
    assert_eq!(tiny.title, "titre");
    assert_eq!(
        (tiny.text_hash, tiny.text.0[0], band_keys(&tiny)[0]),
        (GOLDEN_TEXT_HASH, GOLDEN_FIRST_VALUE, GOLDEN_FIRST_KEY)
    );
}
const GOLDEN_TEXT_HASH: u64 = 6925236920311971132;
const GOLDEN_FIRST_VALUE: u32 = 3432071907;
const GOLDEN_FIRST_KEY: i64 = -8739431837929069114;

#[test]
fn hostile_inputs_are_harmless() {
    for text in ["", " \n\n\t ", "…", "de la et le"] {
        let f = plain("", text, None);
        assert_eq!(f.shingles, 0, "{text:?}");
        assert!(band_keys(&f).is_empty());
        assert!(!same(&f, &f));
        assert_eq!(
            Features::from_stored(f.title.clone(), f.clean_len, f.date, &f.signature_blob()),
            Some(f)
        );
    }
    let one = plain("x", "Oxalis", None);
    assert_eq!((one.shingles, band_keys(&one).len()), (1, TEXT_BANDS));
    assert!(!same(&one, &one), "one word is too little text");

    let mut rng = 1u64;
    let huge: String = (0..200_000)
        .map(|i| {
            rng = mix(rng);
            let sep = if i % 90 == 89 { "\n" } else { " " };
            format!("m{}{sep}", rng % 5_000)
        })
        .collect();
    assert!(huge.len() > 1_000_000);
    let big = plain(&huge, &huge, day(0));
    assert!(big.shingles > 100_000 && !big.is_short());
    assert_eq!(big.title.split(' ').count(), MAX_TITLE_WORDS);
    assert!(same(&big, &big.clone()));
    let weird = plain(
        "\u{0}\u{202e}🦀",
        "\u{0}\u{1}\u{202e} émoji 🦀🦀 \u{fffd}\r\n\r\n",
        None,
    );
    assert_eq!(weird.shingles, 1);
}

#[test]
fn the_blob_round_trips_and_refuses_other_formats() {
    let long = plain("Oxalis acquiert Pollen", &RELEASE.join("\n\n"), day(0));
    let short = plain("Pollen", RELEASE[0], None);
    for f in [&long, &short] {
        let blob = f.signature_blob();
        assert_eq!(
            blob.len(),
            BLOB_HEADER + (1 + usize::from(!f.is_short())) * SIGNATURE_LEN * 4
        );
        let back = Features::from_stored(f.title.clone(), f.clean_len, f.date, &blob);
        assert_eq!(back.as_ref(), Some(f));
        let mut other = blob.clone();
        other[0] = FORMAT_VERSION + 1;
        assert_eq!(Features::from_stored(String::new(), 0, None, &other), None);
        assert_eq!(
            Features::from_stored(String::new(), 0, None, &blob[..blob.len() - 1]),
            None
        );
    }
    assert_eq!(Features::from_stored(String::new(), 0, None, &[]), None);
}

#[test]
fn words_keep_versions_and_amounts_whole() {
    let folded = crate::normalize::fold("Oxalis Hub 5.3, 1,5 M€ : l’open-source, fin.");
    let got: Vec<&str> = words(&folded).collect();
    assert_eq!(
        got,
        ["oxalis", "hub", "5.3", "1,5", "m", "l", "open", "source", "fin"]
    );
    assert!(is_number("5.3") && is_number("2026") && !is_number("ow2") && !is_number("."));
}

#[test]
fn stop_words_are_sorted_and_folded() {
    assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    assert!(STOP_WORDS.iter().all(|w| crate::normalize::fold(w) == *w));
    assert!(
        is_stop_word("l") && is_stop_word("les") && !is_stop_word("5") && !is_stop_word("libre")
    );
}

#[test]
fn line_hashes_ignore_case_accents_and_spacing() {
    let a = line_hashes("Abonnez-vous à notre NEWSLETTER !\n\n  Lire aussi");
    let b = line_hashes("abonnez vous a notre newsletter\nlire   aussi :");
    assert_eq!(a, b);
    assert_eq!(a.len(), 2);
}

#[test]
fn the_representative_is_the_longest_then_the_earliest() {
    let m = |id, clean_len, date| Member {
        id,
        clean_len,
        date,
    };
    assert_eq!(representative(&[]), None);
    assert_eq!(
        representative(&[m(1, 300, Some(5)), m(2, 900, Some(9))]),
        Some(2)
    );
    assert_eq!(
        representative(&[m(1, 900, Some(9)), m(2, 900, Some(5))]),
        Some(2)
    );
    assert_eq!(
        representative(&[m(1, 900, None), m(2, 900, Some(5))]),
        Some(2)
    );
    assert_eq!(representative(&[m(3, 900, None), m(2, 900, None)]), Some(2));
}

#[test]
fn choose_story_keeps_the_current_story_then_takes_the_best() {
    let text = RELEASE.join("\n\n");
    let new = plain("Oxalis acquiert Pollen", &text, day(0));
    let close = plain(
        "Oxalis acquiert Pollen",
        &text.replace("trois ans", "deux ans"),
        day(0),
    );
    let exact = new.clone();
    let other = plain(
        "Autre",
        "Un texte qui parle de tout autre chose, de jardins et de potagers partagés en ville.",
        day(0),
    );
    let candidates = [
        Candidate {
            id: 1,
            story: 10,
            features: &close,
        },
        Candidate {
            id: 2,
            story: 20,
            features: &exact,
        },
        Candidate {
            id: 3,
            story: 30,
            features: &other,
        },
    ];
    let params = Params::default();
    let best = choose_story(&new, &candidates, &params, None);
    assert_eq!(
        best,
        Some(Clustered {
            story: 20,
            matched: Some(2)
        })
    );
    let stays = choose_story(&new, &candidates, &params, Some(10));
    assert_eq!(stays.map(|c| c.story), Some(10));
    assert_eq!(
        choose_story(&new, &candidates[2..], &params, Some(30)),
        None
    );
}

/// [`may_match`] only saves work: every pair of the labelled set that it rules out is a pair
/// that [`same_story`] refuses, whatever the thresholds' order.
#[test]
fn a_pair_ruled_out_before_titles_is_never_the_same_story() {
    #[derive(serde::Deserialize)]
    struct Labelled {
        title: String,
        published: Option<String>,
        text: String,
    }
    let articles: Vec<Features> = include_str!("../../fixtures/stories/articles.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<Labelled>(l).unwrap())
        .map(|a| {
            let date = a
                .published
                .and_then(|d| DateTime::parse_from_rfc3339(&d).ok())
                .map(|d| d.with_timezone(&Utc));
            Features::new(&a.title, &a.text, date, |_| false)
        })
        .collect();
    let loose = Params {
        text_jaccard: 0.1,
        text_overlap: 0.1,
        lead_overlap: 0.1,
        weak_overlap: 0.05,
        ..Params::default()
    };
    let (mut ruled_out, mut matched) = (0, 0);
    for params in [Params::default(), loose] {
        for a in &articles {
            for b in &articles {
                if same_story(a, b, &params) {
                    matched += 1;
                    assert!(may_match(a, b, &params), "{} / {}", a.title, b.title);
                } else if !may_match(a, b, &params) {
                    ruled_out += 1;
                }
            }
        }
    }
    assert!(ruled_out > 1000 && matched > 60, "{ruled_out} {matched}");
}

/// What the write path relies on to use the fingerprint made while parsing.
#[test]
fn the_plain_fingerprint_is_the_fingerprint_of_a_text_without_boilerplate() {
    let text = trade(RELEASE);
    let read = ReadText::new(&text);
    let plain = Features::of_read("Oxalis acquiert Pollen", &read, None, |_| false);
    assert!(!read.has_line_in(&HashSet::new()));
    assert_eq!(
        Features {
            date: day(0).map(|d| d.timestamp()),
            ..plain.clone()
        },
        Features::of_read("Oxalis acquiert Pollen", &read, day(0), |_| false)
    );
    let footer: HashSet<u64> = line_hashes(TRADE_FOOTER[1]).into_iter().collect();
    assert!(read.has_line_in(&footer));
    let clean = Features::of_read("Oxalis acquiert Pollen", &read, None, |l| {
        footer.contains(&l)
    });
    assert_ne!(plain.text, clean.text);
}
