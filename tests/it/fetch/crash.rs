//! A `fetch` killed with SIGKILL at random moments, again and again, against a farm of a few
//! hundred feeds that gain items between rounds (so that every run has articles to write): after
//! every kill the database passes `PRAGMA integrity_check`, and once a run completes, the stored
//! articles are exactly those of a run that was never interrupted.

use crate::common::feeds::generated_feed;
use crate::common::{all_articles, fetch_ok, Reply, Route, Server, Workspace};
use std::collections::BTreeSet;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const FEEDS: usize = 200;
const ITEMS: usize = 10;
const KILLS: usize = 20;

/// A small deterministic generator (xorshift64*): varied kill moments, reproducible runs.
struct Moments(u64);

impl Moments {
    fn next_below(&mut self, bound: Duration) -> Duration {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        let millis = bound.as_millis().max(1) as u64;
        Duration::from_millis(x % millis)
    }
}

/// The farm: feed `n` carries `ITEMS + round` items, `round` set by the test.
fn farm(server: &Server, round: &Arc<AtomicUsize>) -> Vec<(String, String)> {
    let base = server.url("");
    (0..FEEDS)
        .map(|n| {
            let path = format!("/farm/{n:03}.rss");
            let (base, round) = (base.clone(), round.clone());
            server.route(
                &path,
                Route::generate(move |_| {
                    let items = ITEMS + round.load(Ordering::SeqCst);
                    Reply::feed("application/rss+xml", generated_feed(&base, n, items))
                }),
            );
            (format!("farm-{n:03}"), server.url(&path))
        })
        .collect()
}

/// (source, url) of every stored article, and how many rows there are.
fn stored(ws: &Workspace) -> (BTreeSet<(String, String)>, usize) {
    let articles = all_articles(ws);
    let set = articles
        .iter()
        .map(|a| {
            (
                a["source"].as_str().unwrap().to_string(),
                a["url"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (set, articles.len())
}

fn integrity(ws: &Workspace) -> String {
    let conn = rusqlite::Connection::open(ws.db_path()).expect("open the database");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("run integrity_check")
}

#[test]
fn fetch_killed_at_random_moments_loses_and_duplicates_nothing() {
    let server = Server::start();
    let round = Arc::new(AtomicUsize::new(0));
    let sources = farm(&server, &round);
    let sources: Vec<(&str, &str)> = sources
        .iter()
        .map(|(n, u)| (n.as_str(), u.as_str()))
        .collect();
    let settings = ["concurrency = 16", "per_host = 16"];

    let ws = Workspace::new(&sources, &settings);
    let mut moments = Moments(0x5EED_CAFE_F00D_BEEF);
    let mut killed_mid_run = 0;
    // Kill moments are drawn below `span`, which shrinks whenever a run finished first.
    let mut span = Duration::from_secs(3);
    let deadline = Instant::now() + Duration::from_secs(240);
    for kill in 0..KILLS {
        assert!(
            Instant::now() < deadline,
            "the kill loop is bounded in time"
        );
        round.store(kill, Ordering::SeqCst);
        let mut child = crate::common::veille_process(&ws)
            .args(["fetch", "--quiet", "--wait", "30s"])
            .current_dir(ws.path())
            .env_remove("VEILLE_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start fetch");
        std::thread::sleep(moments.next_below(span));
        if child.try_wait().expect("poll fetch").is_none() {
            killed_mid_run += 1;
        } else {
            span = span * 2 / 3;
        }
        child.kill().ok(); // SIGKILL; an error means it had already finished
        child.wait().expect("reap fetch");
        if ws.db_path().exists() {
            assert_eq!(integrity(&ws), "ok", "after kill {kill}");
        }
    }
    assert!(
        killed_mid_run >= KILLS / 2,
        "only {killed_mid_run} kills landed mid-run"
    );

    // The next run completes the work: the same articles as a run nobody interrupted, none twice.
    round.store(KILLS, Ordering::SeqCst);
    fetch_ok(&ws);
    let clean = Workspace::new(&sources, &settings);
    fetch_ok(&clean);
    let (expected, rows) = stored(&clean);
    assert_eq!(rows, FEEDS * (ITEMS + KILLS));
    assert_eq!(integrity(&ws), "ok");
    let (got, rows) = stored(&ws);
    assert_eq!(rows, got.len(), "an article is stored twice");
    let missing: Vec<_> = expected.difference(&got).take(5).collect();
    let extra: Vec<_> = got.difference(&expected).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
}
