//! Hostile servers and hostile feeds, each against a real misbehaving server on 127.0.0.1: every
//! one is a clear error of that source (or a bounded, stored feed), the run goes on, and nothing
//! waits forever or grows without bound.

use super::failures::assert_isolated_failure;
use crate::common::feeds::{escape, rss, Item};
use crate::common::{all_articles, fetch, of_source, Reply, Route, Server, Workspace};
use std::io::Write;
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

/// Write `bytes` and flush; false when the client has gone.
fn send(stream: &mut TcpStream, bytes: &[u8]) -> bool {
    stream
        .write_all(bytes)
        .and_then(|()| stream.flush())
        .is_ok()
}

const RSS_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n";

#[test]
fn a_server_trickling_one_byte_a_second_hits_the_total_timeout() {
    let started = Instant::now();
    assert_isolated_failure(
        Server::start(),
        Route::raw(|stream, stopping| {
            if !send(
                stream,
                format!("{RSS_HEAD}Content-Length: 100000\r\n\r\n").as_bytes(),
            ) {
                return;
            }
            while !stopping() && send(stream, b"<") {
                thread::sleep(Duration::from_secs(1));
            }
        }),
        &["timeout = \"2s\""],
        &["timeout after 2 s"],
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_server_closing_mid_body_is_an_error_of_the_source() {
    assert_isolated_failure(
        Server::start(),
        Route::raw(|stream, _| {
            let start = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Coupé</title>";
            send(
                stream,
                format!("{RSS_HEAD}Content-Length: 20000\r\n\r\n{start}").as_bytes(),
            );
            // Dropping the stream closes the connection 19,9xx bytes early.
        }),
        &[],
        &["could not read the body"],
    );
}

#[test]
fn a_megabyte_of_headers_is_refused() {
    assert_isolated_failure(
        Server::start(),
        Route::raw(|stream, _| {
            let mut head = String::from("HTTP/1.1 200 OK\r\n");
            let line = format!("X-Padding: {}\r\n", "a".repeat(1000));
            while head.len() < 1 << 20 {
                head.push_str(&line);
            }
            head.push_str("Content-Length: 0\r\n\r\n");
            send(stream, head.as_bytes());
        }),
        &[],
        &["message head is too large"],
    );
}

#[test]
fn an_endless_chunked_body_stops_at_max_body() {
    let started = Instant::now();
    assert_isolated_failure(
        Server::start(),
        Route::raw(|stream, stopping| {
            if !send(
                stream,
                format!("{RSS_HEAD}Transfer-Encoding: chunked\r\n\r\n").as_bytes(),
            ) {
                return;
            }
            let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
            while !stopping() && send(stream, chunk.as_bytes()) {}
        }),
        &["max_body = \"1MiB\""],
        &["body larger than 1 MiB"],
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_fifty_megabyte_body_is_refused_at_the_limit() {
    // No length announced, so the client must count while it streams.
    assert_isolated_failure(
        Server::start(),
        Route::raw(|stream, stopping| {
            if !send(
                stream,
                format!("{RSS_HEAD}Connection: close\r\n\r\n").as_bytes(),
            ) {
                return;
            }
            let block = vec![b' '; 1 << 20];
            for _ in 0..50 {
                if stopping() || !send(stream, &block) {
                    return;
                }
            }
        }),
        &[],
        &["body larger than 16 MiB"],
    );
}

#[test]
fn redirects_to_other_schemes_are_refused() {
    for target in [
        "ftp://example.org/feed.rss",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ] {
        assert_isolated_failure(
            Server::start(),
            Route::redirect(302, target),
            &[],
            &["redirect to a non-http URL"],
        );
    }
}

#[test]
fn a_brotli_bomb_hits_max_body_after_decompression() {
    let zeros = vec![0u8; 64 << 20];
    let mut bomb = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut bomb, 1 << 16, 5, 22);
        writer.write_all(&zeros).expect("compress into memory");
    }
    assert!(
        bomb.len() < 1 << 16,
        "the bomb is small: {} bytes",
        bomb.len()
    );
    assert_isolated_failure(
        Server::start(),
        Route::Fixed(Reply::feed("application/rss+xml", bomb).header("Content-Encoding", "br")),
        &["max_body = \"1MiB\""],
        &["body larger than 1 MiB"],
    );
}

/// Serve `body` as the only source `hostile` and fetch it.
fn fetch_one(body: Vec<u8>, settings: &[&str], args: &[&str]) -> (Workspace, crate::common::Run) {
    let server = Server::start();
    server.route(
        "/hostile.rss",
        Route::Fixed(Reply::feed("application/rss+xml; charset=utf-8", body)),
    );
    let ws = Workspace::new(&[("hostile", &server.url("/hostile.rss"))], settings);
    let run = fetch(&ws, args);
    (ws, run)
}

#[test]
fn invalid_utf8_in_a_utf8_feed_spoils_one_character_not_the_feed() {
    let mut body = rss(
        "Flux abîmé",
        "https://example.org/",
        &[
            Item::new(
                "Souveraineté numérique : l’État s’engage",
                "https://example.org/a",
            ),
            Item::new("BROKEN", "https://example.org/b"),
        ],
    )
    .into_bytes();
    let at = body.windows(6).position(|w| w == b"BROKEN").unwrap();
    body.splice(at..at + 6, b"Caf\xe9 \xff\xfe".iter().copied());
    let (ws, run) = fetch_one(body, &[], &[]);
    assert_eq!(run.code, 0, "{run}");
    let articles = all_articles(&ws);
    let titles: Vec<&str> = articles
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Souveraineté numérique : l’État s’engage"),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.starts_with("Caf\u{fffd}")),
        "{titles:?}"
    );
}

#[test]
fn a_feed_of_100000_items_is_read_up_to_max_items() {
    let mut body = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Sans fin</title><link>https://example.org/</link>",
    );
    for n in 0..100_000 {
        body.push_str(&format!(
            "<item><title>Article {n}</title><link>https://example.org/{n}</link></item>"
        ));
    }
    body.push_str("</channel></rss>");
    let (ws, run) = fetch_one(body.into_bytes(), &["max_items = 500"], &["-v"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr
            .contains("100000 items in the feed: the first 500 are read"),
        "{run}"
    );
    let articles = all_articles(&ws);
    assert_eq!(of_source(&articles, "hostile").len(), 500);
    assert!(articles.iter().any(|a| a["title"] == "Article 0"));
    assert!(!articles.iter().any(|a| a["title"] == "Article 500"));
}

#[test]
fn dates_in_9999_and_1970_are_not_believed_and_huge_titles_are_cut() {
    let huge = "Titre ".repeat(200_000);
    let body = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Dates</title><link>https://example.org/</link>\
         <item><title>Futur</title><link>https://example.org/futur</link><pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate></item>\
         <item><title>Epoch</title><link>https://example.org/epoch</link><pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate></item>\
         <item><title>Normal</title><link>https://example.org/normal</link><pubDate>Mon, 16 Nov 2026 08:30:00 GMT</pubDate></item>\
         <item><title>{}</title><link>https://example.org/huge</link></item>\
         </channel></rss>",
        escape(&huge)
    );
    let (ws, run) = fetch_one(body.into_bytes(), &[], &[]);
    assert_eq!(run.code, 0, "{run}");
    let articles = all_articles(&ws);
    let date_of = |title: &str| {
        articles
            .iter()
            .find(|a| a["title"] == title)
            .map(|a| a["published"].clone())
            .unwrap_or_else(|| panic!("no {title}"))
    };
    assert!(date_of("Futur").is_null());
    assert!(date_of("Epoch").is_null());
    assert_eq!(date_of("Normal"), "2026-11-16T08:30:00Z");
    let cut = articles
        .iter()
        .find(|a| a["url"] == "https://example.org/huge")
        .expect("the article with the huge title is stored");
    let title = cut["title"].as_str().unwrap();
    assert!(
        title.chars().count() <= 500 && title.ends_with('…'),
        "{} chars",
        title.len()
    );
}
