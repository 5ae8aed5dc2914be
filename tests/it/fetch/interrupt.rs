//! A `fetch` stopped by SIGTERM or SIGINT: in-flight requests are dropped, the sources already
//! written stay written, the database stays consistent, the exit status is 143 or 130, and the
//! next run completes the work without duplicates.

use crate::common::{fetch, search_json, Route, Server, Workspace};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn stopped_by(signal: &str, expected: i32) {
    let server = Server::start();
    server.route("/slow", Route::Silent(Duration::from_secs(30)));
    let ws = Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("slow", &server.url("/slow")),
        ],
        &["timeout = \"30s\""],
    );
    let child = crate::common::veille_process(&ws)
        .arg("fetch")
        .current_dir(ws.path())
        .env_remove("VEILLE_DB")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start fetch");
    // Stop it once the good source is stored and the slow one is in flight.
    let started = Instant::now();
    while server.requests_to("/slow").is_empty()
        || search_json(&ws, &["--source", "linuxfr", "--all"]).is_empty()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "fetch never got going"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let output = child.wait_with_output().expect("fetch ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(expected), "{stderr}");
    assert!(
        stderr.contains("interrupted: 1 source not fetched"),
        "{stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "the run stopped at once"
    );

    let stored = search_json(&ws, &["--all"]);
    assert_eq!(stored.len(), 3, "the complete source stays stored");
    let conn = rusqlite::Connection::open(ws.db_path()).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");

    server.route("/slow", Route::status(404));
    let again = fetch(&ws, &[]);
    assert_eq!(again.code, 3, "{again}");
    assert_eq!(search_json(&ws, &["--all"]).len(), 3, "no duplicate");
}

#[test]
fn sigterm_stops_cleanly_with_143() {
    stopped_by("-TERM", 143);
}

#[test]
fn sigint_stops_cleanly_with_130() {
    stopped_by("-INT", 130);
}
