//! Benchmark of page metadata (`cargo bench --bench metadata`): `extract::meta::metadata` over
//! the 990 pages of trafilatura's evaluation set (`../shared/corpora/article-extraction-trafilatura`),
//! scored against its `title`, `date` and `author` annotations, then its speed.
//!
//! Rules of the score, over the pages whose annotation is non-empty:
//! - title: equal after whitespace folding and `normalize::fold` (case, accents, quotes, dashes);
//! - date: the published instant, seen in Europe/Paris (the `tz` given to `metadata`), falls on the
//!   annotated calendar day; the 2 malformed annotations (`2022-01.26`, `2022-11-1`) are skipped;
//! - author: "exact" when the sets of names are equal after folding (names split on `,` `;` `&`
//!   « und » « and » « et »); "contains" when one folded string contains the other.
//!
//! False positives: a value given where the annotation is empty (annotated absent).
//! `METADATA_MISSES=title|date|author` prints every miss of that field.

use anyhow::{bail, Context, Result};
use chrono_tz::Europe::Paris;
use flate2::read::GzDecoder;
use std::collections::BTreeSet;
use std::hint::black_box;
use std::io::Read;
use std::path::Path;
use std::time::Instant;
use veille::extract::meta::{metadata, PageMeta};
use veille::normalize::{fold, fold_whitespace};

/// Targets of the issue.
const TARGET_TITLE: f64 = 0.85;
const TARGET_DATE: f64 = 0.85;
const TARGET_AUTHOR: f64 = 0.70;
/// Speed is measured over this many passes of the corpus.
const SPEED_PASSES: usize = 3;

/// An annotation is `None` when the page was not annotated for that field (no key), `Some("")`
/// when it was annotated absent.
struct Page {
    url: String,
    html: String,
    title: Option<String>,
    date: Option<String>,
    author: Option<String>,
}

#[derive(Default)]
struct Score {
    truth: usize,
    right: usize,
    /// Author only: one folded string contains the other.
    contains: usize,
    absent: usize,
    false_positive: usize,
}

impl Score {
    fn rate(n: usize, d: usize) -> f64 {
        if d == 0 {
            0.0
        } else {
            n as f64 / d as f64
        }
    }
}

fn main() -> Result<()> {
    // VEILLE_CORPORA names the corpora folder, as for the tests; else ../shared/corpora.
    let corpora = std::env::var_os("VEILLE_CORPORA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"));
    let root = &corpora.join("article-extraction-trafilatura");
    if !root.join("evaldata.json").is_file() {
        bail!(
            "corpus not found at {}: set VEILLE_CORPORA to the shared corpora folder \
             (default ../shared/corpora)",
            root.display()
        );
    }
    let pages = load(root)?;
    let misses = std::env::var("METADATA_MISSES").unwrap_or_default();
    let parsed: Vec<scraper::Html> = pages
        .iter()
        .map(|p| scraper::Html::parse_document(&p.html))
        .collect();
    let urls: Vec<Option<url::Url>> = pages.iter().map(|p| url::Url::parse(&p.url).ok()).collect();
    let found: Vec<PageMeta> = parsed
        .iter()
        .zip(&urls)
        .map(|(html, url)| metadata(html, url.as_ref(), Paris))
        .collect();

    let (mut title, mut date, mut author) = (Score::default(), Score::default(), Score::default());
    let mut approximate = 0;
    for (page, meta) in pages.iter().zip(&found) {
        let day = meta
            .published
            .map(|t| t.with_timezone(&Paris).format("%Y-%m-%d").to_string());
        approximate += usize::from(meta.date_approximate);
        let date_truth = page
            .date
            .as_deref()
            .filter(|d| d.is_empty() || chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
        let fields: [(&str, &mut Score, Option<&str>, Option<&str>); 3] = [
            (
                "title",
                &mut title,
                page.title.as_deref(),
                meta.title.as_deref(),
            ),
            ("date", &mut date, date_truth, day.as_deref()),
            (
                "author",
                &mut author,
                page.author.as_deref(),
                meta.author.as_deref(),
            ),
        ];
        for (field, score, truth, got) in fields {
            let Some(truth) = truth else { continue };
            let same = |t: &str, f: &str| match field {
                "title" => same_text(t, f),
                "date" => t == f,
                _ => names(t) == names(f),
            };
            if truth.is_empty() {
                score.absent += 1;
                score.false_positive += usize::from(got.is_some());
            } else {
                score.truth += 1;
                let right = got.is_some_and(|f| same(truth, f));
                score.right += usize::from(right);
                let (t, f) = (fold(truth), fold(got.unwrap_or_default()));
                let contains = got.is_some() && (t.contains(&f) || f.contains(&t));
                score.contains += usize::from(right || contains);
            }
            let ok = got.map_or(truth.is_empty(), |f| !truth.is_empty() && same(truth, f));
            if misses == field && !ok {
                println!(
                    "MISS {field} {}\n  truth: {truth:?}\n  found: {got:?}",
                    page.url
                );
            }
        }
    }

    println!(
        "page metadata over {} pages of {}",
        pages.len(),
        root.display()
    );
    println!("  field   pages  accuracy  (target)   false positives where annotated absent");
    for (name, s, target) in [
        ("title", &title, TARGET_TITLE),
        ("date", &date, TARGET_DATE),
        ("author", &author, TARGET_AUTHOR),
    ] {
        let rate = Score::rate(s.right, s.truth);
        println!(
            "  {name:<7} {:>5}  {rate:.3}     ({target:.2} {})  {}/{} = {:.3}",
            s.truth,
            if rate >= target { "ok" } else { "BELOW" },
            s.false_positive,
            s.absent,
            Score::rate(s.false_positive, s.absent)
        );
    }
    println!(
        "  author, one contains the other: {:.3}; dates given as a month only: {approximate}",
        Score::rate(author.contains, author.truth)
    );

    let start = Instant::now();
    for _ in 0..SPEED_PASSES {
        for (html, url) in parsed.iter().zip(&urls) {
            black_box(metadata(black_box(html), url.as_ref(), Paris));
        }
    }
    let meta_only = (SPEED_PASSES * pages.len()) as f64 / start.elapsed().as_secs_f64();
    let start = Instant::now();
    for (page, url) in pages.iter().zip(&urls) {
        let html = scraper::Html::parse_document(&page.html);
        black_box(metadata(&html, url.as_ref(), Paris));
    }
    let with_parse = pages.len() as f64 / start.elapsed().as_secs_f64();
    println!(
        "speed, one thread: metadata {meta_only:.0} pages/s; HTML parsing + metadata {with_parse:.0} pages/s"
    );
    Ok(())
}

fn same_text(a: &str, b: &str) -> bool {
    fold(&fold_whitespace(a)) == fold(&fold_whitespace(b))
}

/// The set of folded names in an author line.
fn names(line: &str) -> BTreeSet<String> {
    let folded = fold(line);
    folded
        .split([',', ';', '&'])
        .flat_map(|part| {
            part.split(" und ")
                .flat_map(|p| p.split(" and "))
                .flat_map(|p| p.split(" et "))
                .map(fold_whitespace)
                .collect::<Vec<_>>()
        })
        .filter(|n| !n.is_empty())
        .collect()
}

fn load(root: &Path) -> Result<Vec<Page>> {
    let path = root.join("evaldata.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let entries: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let field = |v: &serde_json::Value, key: &str| {
        v.get(key)
            .and_then(|s| s.as_str())
            .map(|s| s.trim().to_string())
    };
    let mut pages = Vec::with_capacity(entries.len());
    for (url, entry) in &entries {
        let name = field(entry, "file").unwrap_or_default();
        let file = root.join("html").join(format!("{name}.gz"));
        let gz = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        let mut bytes = Vec::new();
        GzDecoder::new(gz.as_slice())
            .read_to_end(&mut bytes)
            .with_context(|| format!("gunzip {}", file.display()))?;
        pages.push(Page {
            url: url.clone(),
            html: veille::charset::decode(&bytes, None).text.into_owned(),
            title: field(entry, "title"),
            date: field(entry, "date"),
            author: field(entry, "author"),
        });
    }
    Ok(pages)
}
