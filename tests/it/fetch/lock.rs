//! Two `fetch` runs on one database: the second waits for the first, then says clearly who holds
//! the lock; once the first is done, the next run proceeds.

use crate::common::{fetch, search_json, veille, Route, Server, Workspace};
use std::time::{Duration, Instant};

/// Wait until the first run holds the lock: its request reached the slow route.
fn wait_until_holding(server: &Server) {
    let started = Instant::now();
    while server.requests_to("/slow").is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the first fetch never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Run veille with `args` in `ws`: it must succeed.
fn succeeds(ws: &Workspace, args: &[&str]) {
    let run = veille(ws).args(args).output().expect("run veille");
    assert!(
        run.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn a_second_fetch_waits_then_names_the_one_running() {
    let server = Server::start();
    // The first fetch stays busy on this route for 6 s (its timeout), holding the lock.
    server.route("/slow", Route::Silent(Duration::from_secs(8)));
    let ws = Workspace::new(
        &[
            ("slow", &server.url("/slow")),
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
        ],
        &["timeout = \"6s\""],
    );
    let mut first = crate::common::veille_process(&ws);
    first
        .arg("fetch")
        .current_dir(ws.path())
        .env_remove("VEILLE_DB")
        .stderr(std::process::Stdio::null());
    let mut first = first.spawn().expect("start the first fetch");
    wait_until_holding(&server);

    // Read-only commands never wait for a fetch: they answer while the first one still runs.
    for args in [&["search", "--all"][..], &["sources"], &["stories"]] {
        succeeds(&ws, args);
    }
    assert!(
        first.try_wait().expect("poll the first fetch").is_none(),
        "the reads finished while the first fetch still held the lock"
    );

    // Nor do writing commands, once the sources that answered are stored: a fetch that only
    // waits on the network holds no write lock on the database.
    let started = Instant::now();
    while search_json(&ws, &["--source", "linuxfr", "--all"]).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the answered source was never committed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    succeeds(&ws, &["retag"]);
    assert!(
        first.try_wait().expect("poll the first fetch").is_none(),
        "retag finished while the first fetch still waited on the network"
    );

    let second = fetch(&ws, &["--wait", "1s"]);
    assert_eq!(second.code, 1, "{second}");
    assert!(
        second.stderr.contains(&format!(
            "another fetch (pid {}) has held the lock since",
            first.id()
        )),
        "{second}"
    );

    let status = first.wait().expect("the first fetch ends");
    assert_eq!(
        status.code(),
        Some(3),
        "the slow source times out in the first run"
    );
    let third = fetch(&ws, &["--wait", "1s", "--source", "linuxfr"]);
    assert_eq!(third.code, 0, "{third}");
}

#[test]
fn a_waiting_fetch_proceeds_when_the_first_ends() {
    let server = Server::start();
    server.route("/slow", Route::Silent(Duration::from_secs(8)));
    let ws = Workspace::new(&[("slow", &server.url("/slow"))], &["timeout = \"2s\""]);
    let mut first = veille(&ws);
    let first = std::thread::spawn(move || first.args(["fetch"]).output().expect("first fetch"));
    wait_until_holding(&server);
    let second = fetch(&ws, &["--wait", "30s"]);
    // It waited for the first (about 2 s), then ran its own attempt: same timeout, exit 3.
    assert_eq!(second.code, 3, "{second}");
    assert_eq!(first.join().expect("first thread").status.code(), Some(3));
    assert_eq!(server.requests_to("/slow").len(), 2);
}
