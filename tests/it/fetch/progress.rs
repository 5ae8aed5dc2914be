//! What `fetch` shows while it runs, whatever `--progress` says: the error and `-v` lines always
//! reach stderr, and on a terminal the bar names the sources it still waits for.

use crate::common::feeds::rss;
use crate::common::terminal::run_on_terminal;
use crate::common::{fetch, good_and_broken, Reply, Route, Server, Workspace};
use std::time::Duration;

#[test]
fn error_and_verbose_lines_come_through_every_progress_mode() {
    let server = Server::start();
    let ws = good_and_broken(&server);
    for mode in ["always", "auto", "never"] {
        let run = fetch(&ws, &["-v", "--force", "--progress", mode]);
        assert_eq!(run.code, 3, "{run}");
        assert!(
            run.stderr.contains("error: broken: HTTP 500"),
            "--progress {mode} must print the error line\n{run}"
        );
        assert!(
            run.stderr.contains("linuxfr: "),
            "--progress {mode} must print the -v line of linuxfr\n{run}"
        );
        assert!(run.stderr.contains("2 sources: "), "{run}");
    }
}

#[test]
fn the_bar_names_the_source_it_still_waits_for() {
    let server = Server::start();
    let feed = rss("Lent", "https://lent.example/", &[]);
    server.route(
        "/slow.rss",
        Route::generate(move |_| {
            std::thread::sleep(Duration::from_secs(4));
            Reply::feed("application/rss+xml", feed.clone())
        }),
    );
    server.route("/broken", Route::status(500));
    let ws = Workspace::new(
        &[
            ("quick", &server.url("/feeds/linuxfr-news.atom")),
            ("slowpoke", &server.url("/slow.rss")),
            ("broken", &server.url("/broken")),
        ],
        &[],
    );
    let run = run_on_terminal(&ws, &["fetch"]);
    assert_eq!(run.code, 3, "{run}");
    let screen = &run.stdout;
    assert!(
        screen.contains("waiting for slowpoke ("),
        "the bar should name the slow source\n{screen}"
    );
    assert!(!screen.contains("waiting for quick"), "{screen}");
    assert!(screen.contains("error: broken: HTTP 500"), "{screen}");
    // The bar keeps moving while it waits: several frames of the spinner were drawn.
    let frames = screen.matches("waiting for slowpoke (").count();
    assert!(frames >= 3, "{frames} frames drawn while waiting\n{screen}");
    assert!(screen.contains("3 sources: "), "{screen}");
}
