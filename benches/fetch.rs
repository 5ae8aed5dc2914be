//! The fetch benchmark: a deterministic farm of feeds served on 127.0.0.1 (ETag and
//! Last-Modified, optional latency), and `veille fetch` run on it as a whole process, cold and
//! warm, several times. Prints medians of wall time, CPU time, peak RSS, articles/s and MB/s.
//!
//! ```sh
//! cargo bench --bench fetch                                   # 500 feeds × 40 items, 3 runs
//! cargo bench --bench fetch -- --feeds 1000 --items 40 --runs 1
//! cargo bench --bench fetch -- --latency-ms 50
//! ```
//! The farm: RSS 2.0 with `content:encoded` (a tenth in ISO-8859-1), Atom and RSS 1.0; 1–8 KB
//! HTML bodies of prose (a Zipf vocabulary with topical French and English words); a tenth of
//! the items repost another feed's item with `utm_` parameters, which veille stores once
//! (canonical URL).

#[path = "common/cli.rs"]
mod cli;
#[allow(dead_code)]
#[path = "../tests/it/common/server.rs"]
mod server;
#[allow(dead_code)]
#[path = "common/text.rs"]
mod text;

use cli::arg;
use server::{Reply, Route, Server};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use text::{Rng, Vocabulary};

const WORDS: &[&str] = &[
    "souveraineté",
    "numérique",
    "logiciel",
    "libre",
    "open",
    "source",
    "cloud",
    "données",
    "administration",
    "collectivités",
    "éditeur",
    "communauté",
    "sécurité",
    "version",
    "publie",
    "annonce",
    "projet",
    "européen",
    "coalition",
    "interopérabilité",
    "migration",
    "messagerie",
    "infrastructure",
    "hébergement",
    "contrat",
    "marché",
    "public",
    "développeurs",
    "licence",
    "gouvernance",
    "the",
    "software",
    "release",
    "community",
    "security",
    "europe",
    "policy",
    "standard",
    "protocol",
    "maintenance",
    "financement",
    "étude",
    "rapport",
    "baromètre",
    "plateforme",
    "service",
    "réseau",
    "chiffrement",
    "identité",
    "agence",
    "ministère",
    "État",
    "réversibilité",
    "dépendance",
    "fournisseur",
    "alternative",
    "Linux",
    "Debian",
    "Nextcloud",
    "PostgreSQL",
    "Kubernetes",
    "LibreOffice",
    "Thunderbird",
    "Firefox",
    "conférence",
    "appel",
    "communications",
    "juin",
    "novembre",
    "mise",
    "à",
    "jour",
    "nouvelle",
    "fonctionnalité",
    "correctif",
    "vulnérabilité",
    "partenaires",
    "alliance",
    "association",
    "entreprises",
];

/// A number below `n` (the farm is the same on every run and every machine).
fn below(rng: &mut Rng, n: usize) -> usize {
    rng.below(n as u64) as usize
}

struct Item {
    title: String,
    link: String,
    body: String,
    minute: usize,
}

/// A sentence of prose: one word in eight from the topical list (so that tags fire), the others
/// from a Zipf vocabulary, as in real text (a few words everywhere, most words rare). Text made
/// of the topical list alone would share 3-word shingles between every pair of articles.
fn sentence(rng: &mut Rng, vocabulary: &Vocabulary) -> String {
    let n = 8 + below(rng, 14);
    let mut words: Vec<&str> = (0..n)
        .map(|_| {
            if below(rng, 8) == 0 {
                WORDS[below(rng, WORDS.len())]
            } else {
                vocabulary.word(rng)
            }
        })
        .collect();
    let mut chars = words[0].chars();
    let capital: String = chars
        .next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .chain(chars)
        .collect();
    words[0] = &capital;
    format!("{}.", words.join(" "))
}

fn body(rng: &mut Rng, vocabulary: &Vocabulary) -> String {
    let target = 1024 + below(rng, 7 * 1024);
    let mut html = String::new();
    while html.len() < target {
        let sentences: Vec<String> = (0..3 + below(rng, 4))
            .map(|_| sentence(rng, vocabulary))
            .collect();
        html.push_str(&format!("<p>{}</p>\n", sentences.join(" ")));
    }
    html
}

/// Items of every feed, reposts included (a repost keeps the original's title and body).
fn items(feeds: usize, per_feed: usize) -> (Vec<Vec<Item>>, usize) {
    let mut rng = Rng(0x005E_ED0F_FA12);
    let vocabulary = Vocabulary::new();
    let mut all: Vec<Vec<Item>> = Vec::new();
    let mut reposts = 0;
    for n in 0..feeds {
        let mut list = Vec::new();
        for i in 0..per_feed {
            let minute = n * per_feed + i;
            if n > 0 && below(&mut rng, 10) == 0 {
                let from = below(&mut rng, n);
                let original = &all[from][below(&mut rng, per_feed)];
                list.push(Item {
                    title: original.title.clone(),
                    link: format!(
                        "{}?utm_source=feed&utm_medium=rss&utm_campaign={n}",
                        original.link
                    ),
                    body: original.body.clone(),
                    minute,
                });
                reposts += 1;
                continue;
            }
            list.push(Item {
                title: sentence(&mut rng, &vocabulary)
                    .trim_end_matches('.')
                    .to_string(),
                link: format!("https://site{}.example/{n}/articles/{i}", n % 50),
                body: body(&mut rng, &vocabulary),
                minute,
            });
        }
        all.push(list);
    }
    (all, reposts)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn date(minute: usize) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::UNIX_EPOCH
        + chrono::Duration::days(20_400)
        + chrono::Duration::minutes(minute as i64)
}

/// Feed `n` as (content type, bytes).
fn render(n: usize, items: &[Item]) -> (&'static str, Vec<u8>) {
    match n % 10 {
        0..=5 => {
            let latin1 = n.is_multiple_of(10);
            let mut out = format!(
                "<?xml version=\"1.0\" encoding=\"{}\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Flux {n}</title><link>https://site{}.example/</link><description>Ferme</description>\n",
                if latin1 { "ISO-8859-1" } else { "UTF-8" },
                n % 50
            );
            for item in items {
                let (title, body) = if latin1 {
                    (latin1_safe(&item.title), latin1_safe(&item.body))
                } else {
                    (item.title.clone(), item.body.clone())
                };
                out.push_str(&format!(
                    "<item><title>{}</title><link>{}</link><guid isPermaLink=\"false\">{n}-{}</guid><pubDate>{}</pubDate><dc:creator>Rédaction</dc:creator><description>{}</description><content:encoded><![CDATA[{}]]></content:encoded></item>\n",
                    escape(&title),
                    escape(&item.link),
                    item.minute,
                    date(item.minute).to_rfc2822(),
                    escape(&title),
                    body
                ));
            }
            out.push_str("</channel></rss>\n");
            if latin1 {
                let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&out);
                ("application/rss+xml", bytes.into_owned())
            } else {
                ("application/rss+xml; charset=utf-8", out.into_bytes())
            }
        }
        6 | 7 => {
            let mut out = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\"><title>Flux {n}</title><id>tag:site{n}.example,2026:feed</id><updated>{}</updated>\n",
                date(0).to_rfc3339()
            );
            for item in items {
                out.push_str(&format!(
                    "<entry><title>{}</title><link href=\"{}\"/><id>tag:site{n}.example,2026:{}</id><published>{}</published><updated>{}</updated><author><name>Rédaction</name></author><content type=\"html\">{}</content></entry>\n",
                    escape(&item.title),
                    escape(&item.link),
                    item.minute,
                    date(item.minute).to_rfc3339(),
                    date(item.minute).to_rfc3339(),
                    escape(&item.body)
                ));
            }
            out.push_str("</feed>\n");
            ("application/atom+xml", out.into_bytes())
        }
        _ => {
            let mut out = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel rdf:about=\"https://site{n}.example/\"><title>Flux {n}</title><link>https://site{n}.example/</link><description>Ferme</description></channel>\n"
            );
            for item in items {
                out.push_str(&format!(
                    "<item rdf:about=\"{}\"><title>{}</title><link>{}</link><dc:date>{}</dc:date><dc:creator>Rédaction</dc:creator><description>{}</description><content:encoded><![CDATA[{}]]></content:encoded></item>\n",
                    escape(&item.link),
                    escape(&item.title),
                    escape(&item.link),
                    date(item.minute).to_rfc3339(),
                    escape(&item.title),
                    item.body
                ));
            }
            out.push_str("</rdf:RDF>\n");
            ("application/rdf+xml", out.into_bytes())
        }
    }
}

/// Characters outside Windows-1252 replaced, so an ISO-8859-1 feed can carry the text.
fn latin1_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if (c as u32) < 0x100 || "’“”…–—€".contains(c) {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// Wall time, CPU time (user + system) and peak RSS (KiB) of one process.
struct Measure {
    wall: Duration,
    cpu: Duration,
    peak_kib: u64,
    status: i32,
}

/// The peak resident set of a running process, from `/proc/PID/status` (`VmHWM`, in KiB).
/// Not `ru_maxrss`: a child forked from this big process inherits its resident pages until it
/// executes veille, and Linux keeps that high-water mark across the exec.
fn high_water_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// The child is reaped by `wait4`, which std does not know about.
#[allow(clippy::zombie_processes)]
fn measure(mut command: Command) -> Measure {
    let started = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start veille");
    let pid = child.id();
    // Watch the high-water mark until the process is gone; `waitid` with WNOWAIT lets the last
    // reading happen after it exited but before it is reaped.
    let mut peak_kib = 0;
    loop {
        if let Some(kib) = high_water_kib(pid) {
            peak_kib = peak_kib.max(kib);
        }
        // SAFETY: a zeroed siginfo is a valid out-parameter; `pid` is our own child.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let flags = libc::WEXITED | libc::WNOHANG | libc::WNOWAIT;
        let polled = unsafe { libc::waitid(libc::P_PID, pid, &mut info, flags) };
        if polled == 0 && unsafe { info.si_pid() } == pid as libc::pid_t {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut status = 0;
    // SAFETY: as above; this reaps the child and reads its CPU times.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(waited, pid as libc::pid_t, "wait4 failed");
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Measure {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_kib,
        status: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
    }
}

/// `veille fetch` on `config`. With `VEILLE_BENCH_WRAP` (say `perf record -g -o /tmp/perf.data`),
/// the cold run starts under that command, to profile it. `VEILLE_BENCH_BIN` names another
/// veille binary to measure (an older build, for before/after figures).
fn fetch(config: &Path, wrap: bool) -> Measure {
    let veille =
        std::env::var("VEILLE_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_veille").into());
    let wrapper = std::env::var("VEILLE_BENCH_WRAP").ok().filter(|_| wrap);
    let mut words = wrapper.as_deref().unwrap_or_default().split_whitespace();
    let mut command = match words.next() {
        Some(program) => {
            let mut command = Command::new(program);
            command.args(words).arg(&veille);
            command
        }
        None => Command::new(&veille),
    };
    command
        .arg("--config")
        .arg(config)
        .args(["fetch", "--quiet", "--progress", "never"]);
    measure(command)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn stored(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .and_then(|c| c.query_row("SELECT count(*) FROM articles", [], |r| r.get(0)))
        .unwrap_or(-1)
}

fn main() {
    let feeds = arg("--feeds", 500);
    let per_feed = arg("--items", 40);
    let runs = arg("--runs", 3).max(1);
    let latency = Duration::from_millis(arg("--latency-ms", 0) as u64);

    let (all, reposts) = items(feeds, per_feed);
    let server = Server::start();
    let mut total_bytes = 0usize;
    let mut sources = String::new();
    let mut bodies = Vec::new();
    for (n, list) in all.iter().enumerate() {
        let (content_type, bytes) = render(n, list);
        total_bytes += bytes.len();
        bodies.push((content_type, bytes.clone()));
        let path = format!("/farm/{n:04}");
        server.route(
            &path,
            Route::generate(move |_| {
                if !latency.is_zero() {
                    std::thread::sleep(latency);
                }
                Reply::feed(content_type, bytes.clone())
            }),
        );
        sources.push_str(&format!(
            "\n[[source]]\nname = \"farm-{n:04}\"\nurl = \"{}\"\n",
            server.url(&path)
        ));
    }
    let expected = feeds * per_feed - reposts;
    println!(
        "farm: {feeds} feeds × {per_feed} items = {} items ({reposts} reposts), {:.1} MB, latency {} ms, {runs} runs",
        feeds * per_feed,
        total_bytes as f64 / 1e6,
        latency.as_millis()
    );

    // Parsing alone, in this process, on one thread: the ceiling of what fetch can do per core.
    let base = url::Url::parse("http://127.0.0.1/").expect("a base URL");
    let started = Instant::now();
    let mut parsed_items = 0;
    for (content_type, bytes) in &bodies {
        if let Ok(feed) = veille::parse::feed::parse_feed(bytes, Some(content_type), &base) {
            parsed_items += feed.items.len();
        }
    }
    let parse_time = started.elapsed().as_secs_f64();
    assert_eq!(parsed_items, feeds * per_feed, "every farm item parses");
    println!(
        "parse alone (charset, feed-rs, HTML to text, one thread): {parse_time:.2} s, {:.0} MB/s, {:.0} items/s",
        total_bytes as f64 / 1e6 / parse_time,
        parsed_items as f64 / parse_time
    );
    drop(bodies);

    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    let mut articles = 0;
    let mut db_bytes = 0;
    for _ in 0..runs {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let config = dir.path().join("feeds.toml");
        std::fs::write(
            &config,
            format!("[settings]\ndatabase = \"veille.db\"\nconcurrency = 16\nper_host = 16\ntimeout = \"60s\"\n{sources}"),
        )
        .expect("write feeds.toml");
        let first = fetch(&config, true);
        assert_eq!(first.status, 0, "cold fetch failed");
        articles = stored(&dir.path().join("veille.db"));
        db_bytes = std::fs::metadata(dir.path().join("veille.db")).map_or(0, |m| m.len());
        let second = fetch(&config, false);
        assert_eq!(second.status, 0, "warm fetch failed");
        cold.push(first);
        warm.push(second);
    }
    assert_eq!(
        articles as usize, expected,
        "articles stored (reposts merged)"
    );
    for (label, list) in [("cold", &cold), ("warm", &warm)] {
        let wall = median(list.iter().map(|m| m.wall.as_secs_f64()).collect());
        let cpu = median(list.iter().map(|m| m.cpu.as_secs_f64()).collect());
        let rss = median(list.iter().map(|m| m.peak_kib as f64 / 1024.0).collect());
        println!(
            "{label:>4}: wall {wall:.2} s, cpu {cpu:.2} s, peak RSS {rss:.0} MiB, {:.0} articles/s, {:.1} MB/s",
            if label == "cold" { articles as f64 / wall } else { 0.0 },
            total_bytes as f64 / 1e6 / wall
        );
    }
    println!(
        "stored: {articles} articles, database {:.1} MB ({:.1} KB per article)",
        db_bytes as f64 / 1e6,
        db_bytes as f64 / 1e3 / articles.max(1) as f64
    );
}
