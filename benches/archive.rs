//! The archive benchmark: what veille costs on a large stored database, run as a whole process
//! as a user runs it. It builds synthetic archives (a Zipf vocabulary with topical words, dates
//! over five years, the last week dense) straight into veille databases, then times:
//! - `veille search` on `--articles` articles (default 1,000,000): a common word, a rare word,
//!   a phrase, a prefix, a specific word, and none (newest first), each `--limit 20 --format json`;
//! - `veille digest --dry-run` of the last week, which holds `--stories` stories (default 10,000);
//! - `veille retag` of `--retag` articles (default 100,000) with the shipped `feeds.toml` topics.
//!
//! ```sh
//! cargo bench --bench archive                                   # 1M / 10k / 100k, 5 runs
//! cargo bench --bench archive -- --articles 200000 --runs 3
//! ```
//! Prints the median wall time of each, the database size per article and the build time.
//! `VEILLE_ARCHIVE_DB=/path/archive.db` keeps the large archive for the next run.

#[path = "common/cli.rs"]
mod cli;
#[allow(dead_code)]
#[path = "common/text.rs"]
mod text;

use chrono::{DateTime, Duration, Utc};
use cli::arg;
use rusqlite::{params, Connection};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;
use text::{Rng, Vocabulary};

/// Words of the veille scene, mixed into the prose so that searches and topics find something.
const TOPICAL: &[&str] = &[
    "souveraineté",
    "numérique",
    "logiciel",
    "libre",
    "cloud",
    "Nextcloud",
    "Linux",
    "sécurité",
    "SecNumCloud",
    "OW2",
    "CNLL",
    "coalition",
    "publie",
    "version",
    "PostgreSQL",
    "Kubernetes",
    "administration",
    "européen",
    "interopérabilité",
    "ANSSI",
];

/// The clock of the archives: every date is before it.
fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T08:00:00Z")
        .expect("a fixed date")
        .with_timezone(&Utc)
}

fn prose(rng: &mut Rng, vocabulary: &Vocabulary, words: usize) -> String {
    (0..words)
        .map(|_| {
            if rng.below(10) == 0 {
                TOPICAL[rng.below(TOPICAL.len() as u64) as usize]
            } else {
                vocabulary.word(rng)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Store `count` synthetic articles in a new veille database at `path` (schema by veille
/// itself), each its own story; the last `recent` of them first stored in the last week.
fn build(path: &Path, count: usize, recent: usize, vocabulary: &Vocabulary) -> anyhow::Result<()> {
    drop(veille::store::Store::open(path)?);
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO articles (id, source, url, url_key, title, author, published, fetched_at,
                 summary, text, story, content_hash)
             VALUES (?1, ?2, ?3, ?3, ?4, 'Rédaction', ?5, ?5, ?6, ?7, ?1, '')",
        )?;
        let mut story = tx.prepare("INSERT INTO stories (id, representative) VALUES (?1, ?1)")?;
        let old = count.saturating_sub(recent).max(1) as i64;
        let span = Duration::days(5 * 365).num_seconds();
        for n in 0..count {
            let mut rng = Rng(n as u64 ^ 0xA6C1);
            let at = if n + recent >= count {
                let k = (n + recent - count) as i64;
                now() - Duration::days(7) + Duration::seconds(k * 7 * 86_400 / recent as i64)
            } else {
                now() - Duration::days(7) - Duration::seconds(span - n as i64 * span / old)
            };
            let at = veille::store::format_time(at);
            let words = 40 + rng.below(120) as usize;
            let title = prose(&mut rng, vocabulary, 8);
            let body = prose(&mut rng, vocabulary, words);
            let summary = veille::normalize::summarize(&body, 280);
            let id = n as i64 + 1;
            insert.execute(params![
                id,
                format!("source-{:03}", n % 300),
                format!("https://site{}.example/articles/{n}", n % 300),
                title,
                at,
                summary,
                body
            ])?;
            story.execute([id])?;
        }
        tx.execute(
            "INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles",
            [],
        )?;
    }
    tx.commit()?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")?;
    Ok(())
}

/// The median wall time in milliseconds of `runs` runs of veille with `args` on `db`.
fn time(db: &Path, args: &[&str], runs: usize) -> f64 {
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/feeds.toml");
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_veille"))
                .args(["--config", config, "--db"])
                .arg(db)
                .args(args)
                .env("VEILLE_NOW", "2026-11-23T08:00:00Z")
                .stdout(Stdio::null())
                .status()
                .expect("run veille");
            assert!(status.success(), "veille {args:?} failed");
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() -> anyhow::Result<()> {
    let articles = arg("--articles", 1_000_000);
    let stories = arg("--stories", 10_000);
    let retag = arg("--retag", 100_000);
    let runs = arg("--runs", 5).max(1);
    let vocabulary = Vocabulary::new();
    let dir = tempfile::tempdir()?;

    let small = dir.path().join("retag.db");
    build(&small, retag, 0, &vocabulary)?;
    let ms = time(&small, &["retag", "--quiet"], runs.min(3));
    println!(
        "retag of {retag} articles (shipped topics): {:.2} s, {:.0} articles/s",
        ms / 1000.0,
        retag as f64 / ms * 1000.0
    );
    std::fs::remove_file(&small)?;

    // VEILLE_ARCHIVE_DB keeps the big archive there (it takes minutes to build) and uses it
    // again on the next run if it exists.
    let big = std::env::var_os("VEILLE_ARCHIVE_DB")
        .map_or_else(|| dir.path().join("archive.db"), std::path::PathBuf::from);
    let started = Instant::now();
    if !big.exists() {
        build(&big, articles, stories, &vocabulary)?;
    }
    let size = std::fs::metadata(&big)?.len();
    println!(
        "archive: {articles} articles built in {:.0} s, database {:.0} MB ({:.1} KB per article)",
        started.elapsed().as_secs_f64(),
        size as f64 / 1e6,
        size as f64 / 1e3 / articles as f64
    );
    // The first run reads the database from disk; the median is of a warm page cache, as a
    // user querying again and again has.
    // The topical words are each in about 40% of the articles (a worst case: every hit is
    // ranked); the word of rank 300 of the vocabulary is in about 2.5%, as a specific term is.
    let specific = vocabulary.at(300).to_string();
    let conn = Connection::open(&big)?;
    for query in [
        "souveraineté",
        "SecNumCloud",
        "\"logiciel libre\"",
        "kuber*",
        &specific,
    ] {
        let hits: i64 = conn.query_row(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1",
            [query],
            |r| r.get(0),
        )?;
        let ms = time(
            &big,
            &["search", query, "--limit", "20", "--format", "json"],
            runs,
        );
        println!("search {query:<18} {ms:>7.1} ms, {hits} hits (process start included)");
    }
    let ms = time(&big, &["search", "--limit", "20", "--format", "json"], runs);
    println!("search (newest)    {ms:>7.1} ms");
    let ms = time(
        &big,
        &[
            "digest",
            "--since",
            "7d",
            "--dry-run",
            "--format",
            "markdown",
        ],
        runs.min(3),
    );
    println!("digest of {stories} stories (7 days): {ms:.0} ms");
    let ms = time(
        &big,
        &["digest", "--since", "7d", "--dry-run", "--format", "json"],
        runs.min(3),
    );
    println!("digest of {stories} stories as JSON: {ms:.0} ms");
    Ok(())
}
