//! Tests of the test server itself, over raw sockets: keep-alive, validators and 304, routes,
//! `Connection: close`, and a silent route released when the server drops. No veille here.

use super::server::{content_type_of, Reply, Route, Server};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// One parsed response: status, lower-case headers, body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.addr()).expect("connect to the test server");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("set a read timeout");
    stream
}

/// Send `GET path` with `headers` and read one response on `stream`.
fn get(stream: &mut TcpStream, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .expect("send a request");
    read_response(stream)
}

fn read_response(stream: &mut TcpStream) -> Response {
    let mut buffer = Vec::new();
    let mut byte = [0u8; 1];
    while !buffer.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("read a response head");
        assert_eq!(n, 1, "connection closed inside a response head");
        buffer.push(byte[0]);
    }
    let head = String::from_utf8(buffer).expect("an ASCII head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).expect("read a response body");
    Response {
        status,
        headers,
        body,
    }
}

#[test]
fn keep_alive_connection_serves_validators_and_304() {
    let server = Server::start();
    let mut stream = connect(&server);
    let first = get(&mut stream, "/feeds/next.json", &[]);
    assert_eq!(first.status, 200);
    assert_eq!(
        first.header("content-type"),
        Some(content_type_of("x.json"))
    );
    assert_eq!(first.header("connection"), Some("keep-alive"));
    assert!(first.body.starts_with(b"{"));
    let etag = first.header("etag").expect("an ETag").to_string();
    let last_modified = first
        .header("last-modified")
        .expect("a Last-Modified")
        .to_string();

    let by_etag = get(&mut stream, "/feeds/next.json", &[("If-None-Match", &etag)]);
    assert_eq!((by_etag.status, by_etag.body.len()), (304, 0));
    let by_date = get(
        &mut stream,
        "/feeds/next.json",
        &[("If-Modified-Since", &last_modified)],
    );
    assert_eq!(by_date.status, 304);
    let stale = get(
        &mut stream,
        "/feeds/next.json",
        &[("If-None-Match", "\"other\"")],
    );
    assert_eq!(
        stale.status, 200,
        "If-None-Match decides alone when present"
    );

    let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 304, 304, 200]);
    assert_eq!(
        server.requests()[1].header("if-none-match"),
        Some(etag.as_str())
    );
}

#[test]
fn connection_close_is_honoured() {
    let server = Server::start();
    let mut stream = connect(&server);
    let response = get(&mut stream, "/feeds/rss1.rdf", &[("Connection", "close")]);
    assert_eq!(response.status, 200);
    assert_eq!(response.header("connection"), Some("close"));
    let mut rest = Vec::new();
    let n = stream.read_to_end(&mut rest).expect("the server closes");
    assert_eq!(n, 0);
}

#[test]
fn routes_statuses_redirects_and_missing_files() {
    let server = Server::start();
    server.route(
        "/busy",
        Route::Fixed(Reply::status(429).header("Retry-After", "3600")),
    );
    server.route("/a", Route::redirect(301, "/b"));
    server.route(
        "/gen",
        Route::generate(|r| Reply::feed("text/plain", r.target.clone())),
    );
    server.content_type("/feeds/bom-html.rss", "text/html");
    let mut stream = connect(&server);
    let busy = get(&mut stream, "/busy", &[]);
    assert_eq!(
        (busy.status, busy.header("retry-after")),
        (429, Some("3600"))
    );
    let moved = get(&mut stream, "/a", &[]);
    assert_eq!((moved.status, moved.header("location")), (301, Some("/b")));
    assert_eq!(get(&mut stream, "/gen?x=1", &[]).body, b"/gen?x=1");
    assert_eq!(get(&mut stream, "/feeds/nothing.rss", &[]).status, 404);
    assert_eq!(get(&mut stream, "/../Cargo.toml", &[]).status, 404);
    let html = get(&mut stream, "/feeds/bom-html.rss", &[]);
    assert_eq!(html.header("content-type"), Some("text/html"));
    assert!(html.body.starts_with(b"\xef\xbb\xbf"));
    assert_eq!(
        server.requests_to("/gen").len(),
        1,
        "query strings are ignored by requests_to"
    );
}

#[test]
fn silent_route_is_released_when_the_server_drops() {
    let server = Server::start();
    server.route("/silent", Route::Silent(Duration::from_secs(600)));
    let mut stream = connect(&server);
    stream
        .write_all(b"GET /silent HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("send a request");
    stream
        .set_read_timeout(Some(Duration::from_millis(300)))
        .expect("set a read timeout");
    let mut byte = [0u8; 1];
    assert!(
        stream.read(&mut byte).is_err(),
        "no answer while the server holds"
    );
    let started = Instant::now();
    drop(server);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "drop took {:?}",
        started.elapsed()
    );
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("set a read timeout");
    assert!(
        matches!(stream.read(&mut byte), Ok(0) | Err(_)),
        "the socket is closed"
    );
}
