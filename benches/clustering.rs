//! Benchmark of story clustering (`cargo bench --bench clustering [-- --sizes 10000,100000]`).
//!
//! 1. Quality: the labelled articles of `fixtures/stories/articles.jsonl` go one by one, in date
//!    order, through the real path (`Store::save_articles`, then `Store::cluster_article`) into
//!    an in-memory store; prints pairwise precision, recall and F1 of "same story" and every
//!    wrong pair with its signals.
//! 2. Cost: synthetic archives of 10k, 100k and 1M articles (deterministic random texts over a
//!    Zipf vocabulary, bulk-loaded in one transaction with the rows `cluster_article` writes), then
//!    the median time to cluster one new article into each, near-copies and fresh articles mixed.

#[path = "common/mod.rs"]
mod common;
#[allow(dead_code)] // each benchmark uses part of it
#[path = "common/text.rs"]
mod text;

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, TimeZone, Utc};
use rusqlite::{params, Connection};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;
use text::{Rng, Vocabulary, VOCABULARY};
use veille::cluster::{self, Features, Params};
use veille::fetch::Validators;
use veille::model::{ArticleDraft, Prepared, Source};
use veille::normalize::summarize;
use veille::store::Store;

/// Pairs of different stories shown with their signals, closest first.
const NEAREST_NEGATIVES: usize = 8;
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/stories/articles.jsonl"
);
const DEFAULT_SIZES: &[usize] = &[10_000, 100_000, 1_000_000];
/// New articles clustered into each archive; half are near-copies of archived articles.
const PROBES: usize = 400;
/// Sources of the synthetic archives.
const SOURCES: u64 = 500;
/// Synthetic archives span five years before this date.
const ARCHIVE_DAYS: i64 = 5 * 365;
/// Share of synthetic articles that are feed summaries (shorter than a lead).
const SHORT_SHARE: f64 = 0.3;

fn main() -> anyhow::Result<()> {
    let mut sizes = DEFAULT_SIZES.to_vec();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        // `cargo bench` passes --bench; other flags are ours.
        match arg.as_str() {
            "--sizes" => {
                let list = args.next().context("--sizes needs a list: 10000,100000")?;
                sizes = list
                    .split(',')
                    .map(|s| s.trim().replace('_', "").parse())
                    .collect::<Result<_, _>>()
                    .context("--sizes: numbers separated by commas")?;
            }
            "--labelled" => sizes.clear(),
            _ => {}
        }
    }
    let params = Params::default();
    labelled(&params)?;
    if !sizes.is_empty() {
        archives(&sizes, &params)?;
    }
    Ok(())
}

// ------------------------------------------------------------------------- labelled set

#[derive(serde::Deserialize)]
struct Labelled {
    id: i64,
    source: String,
    url: String,
    title: String,
    published: Option<DateTime<Utc>>,
    text: String,
    story: String,
}

fn labelled(params: &Params) -> anyhow::Result<()> {
    let raw = std::fs::read_to_string(FIXTURE).with_context(|| format!("cannot read {FIXTURE}"))?;
    let mut articles = raw
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            serde_json::from_str::<Labelled>(line).with_context(|| format!("{FIXTURE}:{}", n + 1))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    // Date order; an undated item arrives with the last fetch.
    articles.sort_by_key(|a| (a.published.is_none(), a.published, a.id));
    let stories: HashSet<&str> = articles.iter().map(|a| a.story.as_str()).collect();
    println!("== Labelled set: {FIXTURE}");
    println!(
        "   {} articles, {} stories, fed one by one in date order into Store::open_in_memory()",
        articles.len(),
        stories.len()
    );

    let mut store = Store::open_in_memory()?;
    let mut fetched = Utc
        .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .single()
        .context("date")?;
    let mut stored = Vec::new(); // (fixture article, database id)
    let mut joins = Vec::new(); // (fixture id, database id, database id of the match)
    let started = Instant::now();
    for (n, article) in articles.iter().enumerate() {
        fetched = article.published.unwrap_or(fetched).max(fetched) + Duration::minutes(5);
        let url = url::Url::parse(&format!("https://{}.example/feed", article.source))?;
        let source = Source::feed(&article.source, url);
        let draft = ArticleDraft {
            guid: Some(format!("fixture-{}", article.id)),
            url: Some(article.url.clone()),
            title: article.title.clone(),
            author: None,
            published: article.published,
            published_approximate: false,
            summary: summarize(&article.text, veille::normalize::SUMMARY_MAX_CHARS),
            text: article.text.clone(),
        };
        let fallback = source.url.to_string();
        let prepared = Prepared::new(draft, Vec::new());
        store.save_articles(
            &source,
            &Validators::default(),
            &fallback,
            &[prepared],
            params,
            fetched,
        )?;
        // `save_articles` clustered it; this re-clusters it in place to learn which rule matched.
        // A fresh database numbers its rows in insertion order.
        let id = n as i64 + 1;
        match store.article(id)? {
            Some(row) if row.url == article.url => {}
            _ => bail!("article {} was not stored as row {id}", article.id),
        }
        let clustered = store.cluster_article(id, params)?;
        joins.push((article.id, id, clustered.matched));
        stored.push((article, id));
    }
    let elapsed = started.elapsed();

    let mut story_of = HashMap::new();
    for (article, id) in &stored {
        let row = store.article(*id)?.context("stored article vanished")?;
        story_of.insert(article.id, row.story);
    }
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut wrong = Vec::new();
    for (i, (a, _)) in stored.iter().enumerate() {
        for (b, _) in &stored[i + 1..] {
            let truth = a.story == b.story;
            let said = story_of[&a.id] == story_of[&b.id];
            match (truth, said) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    wrong.push(("merged, different stories", *a, *b));
                }
                (true, false) => {
                    fn_ += 1;
                    wrong.push(("split, same story", *a, *b));
                }
                (false, false) => {}
            }
        }
    }
    let (precision, recall, f1) = common::scores(tp, fp, fn_);
    println!(
        "   pairs: {tp} true positive, {fp} false positive, {fn_} false negative (of {} same-story pairs)",
        tp + fn_
    );
    println!(
        "   precision {precision:.3} (target 0.98)   recall {recall:.3} (target 0.95)   F1 {f1:.3}   {}",
        if precision >= 0.98 && recall >= 0.95 { "OK" } else { "BELOW TARGET" }
    );
    println!(
        "   {:.2} ms per article (store, fingerprint, candidates, decision)",
        elapsed.as_secs_f64() * 1e3 / stored.len() as f64
    );
    let predicted: HashSet<i64> = story_of.values().copied().collect();
    println!(
        "   {} stories found for {} labelled",
        predicted.len(),
        stories.len()
    );
    let mut features = HashMap::new();
    for (article, id) in &stored {
        let stored = store
            .story_features(*id)?
            .context("article without fingerprint")?;
        features.insert(article.id, stored);
    }
    if !wrong.is_empty() {
        println!("   wrong pairs, with their stored fingerprints:");
        for (what, a, b) in wrong {
            let s = cluster::similarity(&features[&a.id], &features[&b.id]);
            println!(
                "   - {what}: #{} {} [{}] / #{} {} [{}]\n       text {:.2} overlap {:.2} lead {:.2} title {:.2} shingles {} lead shingles {} days {:?} numbers differ {}",
                a.id, a.source, a.story, b.id, b.source, b.story,
                s.text, s.overlap, s.lead, s.title, s.min_shingles, s.min_lead_shingles,
                s.days_apart.map(|d| (d * 10.0).round() / 10.0), s.numbers_differ
            );
        }
    }
    let fixture_id: HashMap<i64, i64> = stored.iter().map(|(a, id)| (*id, a.id)).collect();
    let mut weakest: Vec<(f64, i64, i64, cluster::Similarity)> = joins
        .iter()
        .filter_map(|&(a, _, matched)| {
            let b = fixture_id[&matched?];
            let s = cluster::similarity(&features[&a], &features[&b]);
            Some((s.text.max(s.overlap).max(s.lead), a, b, s))
        })
        .collect();
    weakest.sort_by(|x, y| x.0.total_cmp(&y.0));
    println!("   weakest joins (an article and the one it was found a copy of), weakest first:");
    for (_, a, b, s) in weakest.iter().take(NEAREST_NEGATIVES) {
        let rule = cluster::matched_by(s, params).map_or("-", cluster::Rule::as_str);
        println!(
            "   - #{a} joined #{b} by {rule}: text {:.2} overlap {:.2} lead {:.2} title {:.2} days {:?}",
            s.text, s.overlap, s.lead, s.title, s.days_apart.map(|d| (d * 10.0).round() / 10.0)
        );
    }
    let mut negatives: Vec<(f64, &Labelled, &Labelled, cluster::Similarity)> = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        for b in &articles[i + 1..] {
            if a.story != b.story {
                let s = cluster::similarity(&features[&a.id], &features[&b.id]);
                negatives.push((s.text.max(s.overlap).max(s.lead), a, b, s));
            }
        }
    }
    negatives.sort_by(|x, y| y.0.total_cmp(&x.0));
    println!("   closest pairs of different stories (the margin of the thresholds):");
    for (_, a, b, s) in negatives.iter().take(NEAREST_NEGATIVES) {
        println!(
            "   - #{} {} [{}] / #{} {} [{}]: text {:.2} overlap {:.2} lead {:.2} title {:.2} days {:?} numbers differ {}",
            a.id, a.source, a.story, b.id, b.source, b.story, s.text, s.overlap, s.lead, s.title,
            s.days_apart.map(|d| d.round()), s.numbers_differ
        );
    }
    println!();
    Ok(())
}

// ------------------------------------------------------------------------- synthetic archives

/// Synthetic article `n`: always the same for the same `n`.
struct Synthetic {
    source: u64,
    title: String,
    text: String,
    date: DateTime<Utc>,
}

fn synthetic(vocabulary: &Vocabulary, n: u64, end: DateTime<Utc>) -> Synthetic {
    let mut rng = Rng(n.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ 0x5eed);
    let title_words = 6 + rng.below(5) as usize;
    let title = vocabulary.sentence(&mut rng, title_words);
    let words = if rng.unit() < SHORT_SHARE {
        20 + rng.below(25)
    } else {
        120 + rng.below(300)
    } as usize;
    let mut paragraphs = Vec::new();
    let mut left = words;
    while left > 0 {
        let len = left.min(30 + rng.below(40) as usize);
        paragraphs.push(vocabulary.sentence(&mut rng, len));
        left -= len;
    }
    let seconds = rng.below((ARCHIVE_DAYS * 86_400) as u64) as i64;
    Synthetic {
        source: rng.below(SOURCES),
        title,
        text: paragraphs.join("\n\n"),
        date: end - Duration::seconds(seconds),
    }
}

/// A near-copy: some words replaced, a paragraph added, the title edited.
fn near_copy(vocabulary: &Vocabulary, original: &Synthetic, rng: &mut Rng) -> (String, String) {
    let mut words: Vec<String> = original.text.split(' ').map(str::to_string).collect();
    for _ in 0..words.len() / 20 {
        let i = rng.below(words.len() as u64) as usize;
        words[i] = vocabulary.word(rng).to_string();
    }
    let text = format!("{}\n\n{}", words.join(" "), vocabulary.sentence(rng, 15));
    let mut title: Vec<&str> = original.title.split(' ').collect();
    title.pop();
    title.push(vocabulary.word(rng));
    (title.join(" "), text)
}

/// What the bulk loader writes for one article: the rows `Store::cluster_article` would.
struct Indexed {
    id: i64,
    source: u64,
    title: String,
    date: DateTime<Utc>,
    features: Features,
}

fn archives(sizes: &[usize], params: &Params) -> anyhow::Result<()> {
    println!("== Synthetic archives: cost of clustering one new article");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "   {VOCABULARY} Zipf words, {SOURCES} sources, {:.0}% summaries of 20-44 words, the rest 120-419 words; {threads} threads",
        SHORT_SHARE * 100.0
    );
    let vocabulary = Vocabulary::new();
    let end = Utc
        .with_ymd_and_hms(2026, 11, 30, 0, 0, 0)
        .single()
        .context("date")?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("archive.db");
    drop(Store::open(&path)?); // the schema, migrated
    let mut loaded = 0usize;
    let mut next_id = 1i64;
    // (first synthetic number, its row id, count) of each bulk load: probes sit in between.
    let mut segments = Vec::new();
    let mut rows = Vec::new();
    for &size in sizes {
        if size < loaded {
            continue;
        }
        let started = Instant::now();
        let count = size - loaded;
        bulk_load(
            &path,
            &vocabulary,
            loaded as u64,
            count,
            next_id,
            end,
            threads,
        )?;
        segments.push((loaded as u64, next_id, count as u64));
        next_id += count as i64;
        loaded = size;
        let load_time = started.elapsed();

        let probes = insert_probes(&path, &vocabulary, next_id, &segments, end)?;
        next_id += probes.len() as i64;
        let mut store = Store::open(&path)?;
        let mut copies = Vec::new();
        let mut fresh = Vec::new();
        let (mut joined_right, mut stayed_alone, mut candidates) = (0, 0, 0usize);
        let mut boilerplate_times = Vec::new();
        let mut fingerprint_times = Vec::new();
        for probe in &probes {
            let started = Instant::now();
            let boilerplate = store.source_boilerplate("probe")?;
            boilerplate_times.push(started.elapsed().as_secs_f64() * 1e6);
            let started = Instant::now();
            let clustered = store.cluster_article_with(probe.id, &boilerplate, params)?;
            let took = started.elapsed().as_secs_f64() * 1e6;
            match probe.copy_of {
                Some(original) => {
                    copies.push(took);
                    joined_right += usize::from(clustered.matched == Some(original));
                }
                None => {
                    fresh.push(took);
                    stayed_alone += usize::from(clustered.matched.is_none());
                }
            }
            let started = Instant::now();
            let features = Features::new(&probe.title, &probe.text, None, |_| false);
            fingerprint_times.push(started.elapsed().as_secs_f64() * 1e6);
            candidates += store.story_candidates(&features, probe.id, params)?.len();
        }
        let db_size = std::fs::metadata(&path)?.len() + wal_size(&path);
        let mut all: Vec<f64> = copies.iter().chain(&fresh).copied().collect();
        rows.push(format!(
            "   {:>9} | {:>7.0} µs {:>7.0} µs {:>7.0} µs | {:>7.0} µs {:>7.0} µs | {:>5.1} | {:>3}/{:<3} {:>3}/{:<3} | {:>6.0} MiB | {:>4.0} s",
            loaded,
            median(&mut all),
            percentile(&mut all, 0.9),
            percentile(&mut all, 1.0),
            median(&mut fingerprint_times),
            median(&mut boilerplate_times),
            candidates as f64 / probes.len() as f64,
            joined_right,
            copies.len(),
            stayed_alone,
            fresh.len(),
            db_size as f64 / (1024.0 * 1024.0),
            load_time.as_secs_f64(),
        ));
        println!("    articles | cluster one: median     p90      max | of which    boilerplate | cands | copies  fresh   |   database | build");
        println!("             |                                       | fingerprint (per batch) |       | joined  apart   |            |");
        for row in &rows {
            println!("{row}");
        }
        println!();
    }
    println!(
        "   cluster one = Store::cluster_article_with in its own transaction: read the row, fingerprint, candidates, decide,\n   \
         write fingerprint and story, commit (the first article of a date range loads the fingerprints within its reach into\n   the in-memory index: p90 and max). boilerplate = Store::source_boilerplate, once per source batch\n   \
         (the source's last {} texts). cands = candidates compared. copies joined = near-copies that joined their original;\n   \
         fresh apart = new texts that started a story of their own.",
        cluster::BOILERPLATE_WINDOW
    );
    Ok(())
}

fn wal_size(path: &Path) -> u64 {
    let wal = path.with_extension("db-wal");
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

/// Append `count` synthetic articles (numbers `first..`) with their fingerprints and
/// stories, in one transaction.
fn bulk_load(
    path: &Path,
    vocabulary: &Vocabulary,
    first: u64,
    count: usize,
    first_id: i64,
    end: DateTime<Utc>,
    threads: usize,
) -> anyhow::Result<()> {
    let chunk = count.div_ceil(threads).max(1);
    let indexed: Vec<Indexed> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..count)
            .step_by(chunk)
            .map(|start| {
                scope.spawn(move || {
                    (start..(start + chunk).min(count))
                        .map(|i| {
                            let a = synthetic(vocabulary, first + i as u64, end);
                            let features =
                                Features::new(&a.title, &a.text, Some(a.date), |_| false);
                            Indexed {
                                id: first_id + i as i64,
                                source: a.source,
                                title: a.title,
                                date: a.date,
                                features,
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });

    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "cache_size", -2_000_000)?; // KiB
    let tx = conn.transaction()?;
    {
        let mut article = tx.prepare(
            "INSERT INTO articles (id, source, url, title, published, fetched_at, summary, text, story, content_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, '', '', ?1, '')",
        )?;
        let mut story = tx.prepare("INSERT INTO stories (id, representative) VALUES (?1, ?1)")?;
        let mut features = tx.prepare(
            "INSERT INTO story_features (article_id, signature, title, clean_len, date, text_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for a in &indexed {
            let date = a.date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            article.execute(params![
                a.id,
                format!("synthetic-{}", a.source),
                format!("https://synthetic.example/{}", a.id),
                a.title,
                date
            ])?;
            story.execute([a.id])?;
            let f = &a.features;
            features.execute(params![
                a.id,
                f.signature_blob(),
                f.title,
                f.clean_len,
                f.date,
                f.text_hash as i64
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

struct Probe {
    id: i64,
    copy_of: Option<i64>,
    title: String,
    text: String,
}

/// New articles, stored but not clustered: even ones are near-copies of a recent archived
/// article (a day later), odd ones are fresh. Their source is "probe", whose texts are real,
/// so the boilerplate window reads real texts.
fn insert_probes(
    path: &Path,
    vocabulary: &Vocabulary,
    first_id: i64,
    segments: &[(u64, i64, u64)],
    end: DateTime<Utc>,
) -> anyhow::Result<Vec<Probe>> {
    let archived: u64 = segments.iter().map(|s| s.2).sum();
    let id_of = |n: u64| {
        segments
            .iter()
            .find(|&&(first, _, count)| (first..first + count).contains(&n))
            .map(|&(first, id, _)| id + (n - first) as i64)
    };
    let mut rng = Rng(first_id as u64);
    let mut conn = Connection::open(path)?;
    let tx = conn.transaction()?;
    let mut probes = Vec::new();
    {
        let mut insert = tx.prepare(
            "INSERT INTO articles (id, source, url, title, published, fetched_at, summary, text, story, content_hash)
             VALUES (?1, 'probe', ?2, ?3, ?4, ?4, '', ?5, ?1, '')",
        )?;
        for i in 0..PROBES {
            let id = first_id + i as i64;
            let (title, text, date, copy_of) = if i % 2 == 0 {
                let n = rng.below(archived);
                let original = synthetic(vocabulary, n, end);
                let (title, text) = near_copy(vocabulary, &original, &mut rng);
                (title, text, original.date + Duration::days(1), id_of(n))
            } else {
                let a = synthetic(vocabulary, u64::MAX / 2 + id as u64, end);
                (a.title, a.text, end, None)
            };
            let published = date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            insert.execute(params![
                id,
                format!("https://probe.example/{id}"),
                &title,
                published,
                &text
            ])?;
            probes.push(Probe {
                id,
                copy_of,
                title,
                text,
            });
        }
    }
    tx.commit()?;
    Ok(probes)
}

fn median(values: &mut [f64]) -> f64 {
    percentile(values, 0.5)
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * p).round() as usize]
}
