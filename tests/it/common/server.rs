//! A real HTTP/1.1 server on 127.0.0.1 for the integration tests: it serves `fixtures/` with strong
//! validators (ETag, Last-Modified, 304), runs the routes a test registers (statuses, redirects, gzip,
//! silence, generated bodies), records every request, and stops every thread when dropped.
//! It owns sockets and threads only; what a feed looks like belongs to `common::feeds`.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How often a waiting connection thread looks at the stop flag.
const POLL: Duration = Duration::from_millis(25);
/// A keep-alive connection with no request for this long is closed by the server.
const IDLE: Duration = Duration::from_secs(30);
/// The largest request head accepted; a test client never comes close.
const MAX_HEAD: usize = 64 * 1024;
/// The `Last-Modified` of programmatic bodies that do not set their own.
pub const DEFAULT_LAST_MODIFIED: &str = "Sun, 22 Nov 2026 08:00:00 GMT";

/// One request as the server read it. Header names are lower-case.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The request target as sent: path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    /// When the server finished reading it.
    pub received: Instant,
}

impl Request {
    /// The path without the query string.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A request and the status it got (0: the server never answered it).
#[derive(Clone, Debug)]
pub struct Recorded {
    pub request: Request,
    pub status: u16,
}

impl Recorded {
    pub fn path(&self) -> &str {
        self.request.path()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.request.header(name)
    }
}

/// A response to send. With `conditional`, the server adds a strong ETag (a hash of the body) and a
/// Last-Modified, and answers 304 without a body when the request's validators match.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub conditional: bool,
}

impl Reply {
    /// A bare status with a short text body.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
            body: format!("{status} {}\n", reason(status)).into_bytes(),
            conditional: false,
        }
    }

    /// A 200 feed body with validators, like a well-behaved feed server.
    pub fn feed(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            conditional: true,
        }
    }

    /// A 200 body sent as is, with `Content-Encoding: gzip`: `compressed` must already be gzip.
    pub fn gzip(content_type: &str, compressed: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            headers: vec![
                ("Content-Type".into(), content_type.into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            body: compressed,
            conditional: false,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
        self
    }
}

type Generator = dyn Fn(&Request) -> Reply + Send + Sync;
/// Writes whatever it likes on the socket after the request was read; `stopping` tells it the
/// server is being dropped, so a behaviour that never ends (a trickle, an endless body) ends then.
type RawWriter = dyn Fn(&mut TcpStream, &dyn Fn() -> bool) + Send + Sync;

/// What a programmatic route does.
#[derive(Clone)]
pub enum Route {
    /// The same reply every time.
    Fixed(Reply),
    /// A redirect (301, 302, 307, 308) to `location`, relative or absolute.
    Redirect { status: u16, location: String },
    /// Read the request, never answer, hold the socket open this long or until the server drops.
    Silent(Duration),
    /// A reply computed per request (generated feeds, bodies that change between runs).
    Generate(Arc<Generator>),
    /// Raw bytes on the socket, for servers that misbehave below HTTP (trickles, truncated or
    /// endless bodies, huge heads). The connection is closed afterwards.
    Raw(Arc<RawWriter>),
}

impl Route {
    pub fn status(status: u16) -> Route {
        Route::Fixed(Reply::status(status))
    }

    pub fn redirect(status: u16, location: &str) -> Route {
        Route::Redirect {
            status,
            location: location.into(),
        }
    }

    pub fn generate(f: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Route {
        Route::Generate(Arc::new(f))
    }

    pub fn raw(f: impl Fn(&mut TcpStream, &dyn Fn() -> bool) + Send + Sync + 'static) -> Route {
        Route::Raw(Arc::new(f))
    }
}

struct Shared {
    root: PathBuf,
    routes: Mutex<HashMap<String, Route>>,
    content_types: Mutex<HashMap<String, String>>,
    log: Mutex<Vec<Recorded>>,
    stop: AtomicBool,
    connections: Mutex<Vec<JoinHandle<()>>>,
}

/// The test server. Dropping it stops the accept loop and every connection thread, and joins them.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

/// A poisoned lock only means another test thread panicked; the data is still usable for a report.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Server {
    /// A server for `fixtures/` of this crate.
    pub fn start() -> Server {
        Server::serving(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
    }

    pub fn serving(root: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener
            .local_addr()
            .expect("local address of the test server");
        let shared = Arc::new(Shared {
            root,
            routes: Mutex::new(HashMap::new()),
            content_types: Mutex::new(HashMap::new()),
            log: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
            connections: Mutex::new(Vec::new()),
        });
        let accept_shared = Arc::clone(&shared);
        let accept = thread::Builder::new()
            .name(format!("test-server-{}", addr.port()))
            .spawn(move || accept_loop(listener, accept_shared))
            .expect("spawn the accept thread");
        Server {
            addr,
            shared,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Register (or replace) the route of `path` (without query string).
    pub fn route(&self, path: &str, route: Route) {
        lock(&self.shared.routes).insert(path.into(), route);
    }

    /// Serve the fixture at `path` with this Content-Type instead of the one of its extension.
    pub fn content_type(&self, path: &str, content_type: &str) {
        lock(&self.shared.content_types).insert(path.into(), content_type.into());
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.log).clone()
    }

    /// The requests to `path` (query string ignored).
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path() == path)
            .collect()
    }

    /// Forget the requests so far, to look at the next run alone.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept(); failure means it is already gone.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        let connections = std::mem::take(&mut *lock(&self.shared.connections));
        for connection in connections {
            let _ = connection.join();
        }
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let conn_shared = Arc::clone(&shared);
        let spawned = thread::Builder::new()
            .name("test-server-connection".into())
            .spawn(move || serve_connection(stream, conn_shared));
        if let Ok(handle) = spawned {
            let mut connections = lock(&shared.connections);
            connections.retain(|h| !h.is_finished());
            connections.push(handle);
        }
    }
}

fn serve_connection(mut stream: TcpStream, shared: Arc<Shared>) {
    if stream.set_read_timeout(Some(POLL)).is_err() {
        return;
    }
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer, &shared) {
        let keep_alive = wants_keep_alive(&request);
        let route = lock(&shared.routes).get(request.path()).cloned();
        if let Some(Route::Silent(hold)) = route {
            record(&shared, &request, 0);
            let deadline = Instant::now() + hold;
            while Instant::now() < deadline && !shared.stop.load(Ordering::SeqCst) {
                thread::sleep(POLL);
            }
            break;
        }
        if let Some(Route::Raw(write)) = route {
            record(&shared, &request, 0);
            let stopping = || shared.stop.load(Ordering::SeqCst);
            write(&mut stream, &stopping);
            break;
        }
        let reply = match route {
            Some(Route::Fixed(reply)) => reply,
            Some(Route::Redirect { status, location }) => {
                Reply::status(status).header("Location", &location)
            }
            Some(Route::Generate(f)) => f(&request),
            Some(Route::Silent(_) | Route::Raw(_)) => unreachable!("handled above"),
            None => serve_file(&shared, &request),
        };
        let reply = apply_validators(reply, &request);
        record(&shared, &request, reply.status);
        if write_reply(&mut stream, &request, &reply, keep_alive).is_err() || !keep_alive {
            break;
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

fn record(shared: &Shared, request: &Request, status: u16) {
    lock(&shared.log).push(Recorded {
        request: request.clone(),
        status,
    });
}

/// HTTP/1.1 keeps the connection unless told otherwise (`read_request` marks HTTP/1.0 as `close`).
fn wants_keep_alive(request: &Request) -> bool {
    let connection = request
        .header("connection")
        .unwrap_or("")
        .to_ascii_lowercase();
    !connection.contains("close")
}

/// The next request of the connection; `None` when the client closed it, it stayed idle too long,
/// or the server is stopping.
fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>, shared: &Shared) -> Option<Request> {
    let idle_since = Instant::now();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => {
                if shared.stop.load(Ordering::SeqCst) || idle_since.elapsed() > IDLE {
                    return None;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or("").split_whitespace();
    let method = request_line.next().unwrap_or("").to_string();
    let target = request_line.next().unwrap_or("/").to_string();
    let version = request_line.next().unwrap_or("HTTP/1.1").to_string();
    let mut headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    if version == "HTTP/1.0" && !headers.iter().any(|(k, _)| k == "connection") {
        headers.push(("connection".into(), "close".into()));
    }
    let body_len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let total = head_end + 4 + body_len;
    while buffer.len() < total {
        match stream.read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => {
                if shared.stop.load(Ordering::SeqCst) {
                    return None;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    buffer.drain(..total);
    Some(Request {
        method,
        target,
        headers,
        received: Instant::now(),
    })
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn serve_file(shared: &Shared, request: &Request) -> Reply {
    let path = request.path();
    let relative = path.trim_start_matches('/');
    if relative.is_empty()
        || relative
            .split('/')
            .any(|part| part == ".." || part.is_empty())
    {
        return Reply::status(404);
    }
    let file = shared.root.join(relative);
    let Ok(body) = std::fs::read(&file) else {
        return Reply::status(404);
    };
    let content_type = lock(&shared.content_types)
        .get(path)
        .cloned()
        .unwrap_or_else(|| content_type_of(relative).to_string());
    let last_modified = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .map(|t| http_date(DateTime::<Utc>::from(t)))
        .unwrap_or_else(|_| DEFAULT_LAST_MODIFIED.to_string());
    Reply::feed(&content_type, body).header("Last-Modified", &last_modified)
}

/// The Content-Type of a fixture, from its extension.
pub fn content_type_of(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "xml" => "application/xml",
        "rdf" => "application/rdf+xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "json" => "application/feed+json",
        "html" | "htm" => "text/html",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// A strong validator: FNV-1a of the body, stable across runs and builds.
pub fn etag_of(body: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in body {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("\"{hash:016x}-{}\"", body.len())
}

/// Add ETag and Last-Modified to a conditional 200, and turn it into a 304 when the request's
/// validators match. If-None-Match, when present, decides alone (RFC 9110 §13.2.2).
fn apply_validators(mut reply: Reply, request: &Request) -> Reply {
    if !reply.conditional || reply.status != 200 {
        return reply;
    }
    let etag = etag_of(&reply.body);
    let last_modified = reply
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("last-modified"))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| DEFAULT_LAST_MODIFIED.to_string());
    reply = reply
        .header("ETag", &etag)
        .header("Last-Modified", &last_modified);
    let not_modified = match (
        request.header("if-none-match"),
        request.header("if-modified-since"),
    ) {
        (Some(tags), _) => tags
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t.trim_start_matches("W/") == etag),
        (None, Some(since)) => not_modified_since(since, &last_modified),
        (None, None) => false,
    };
    if not_modified {
        reply.status = 304;
        reply.body.clear();
        reply
            .headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
    }
    reply
}

fn not_modified_since(since: &str, last_modified: &str) -> bool {
    if since == last_modified {
        return true;
    }
    match (
        DateTime::parse_from_rfc2822(since),
        DateTime::parse_from_rfc2822(last_modified),
    ) {
        (Ok(since), Ok(modified)) => modified <= since,
        _ => false,
    }
}

fn write_reply(
    stream: &mut TcpStream,
    request: &Request,
    reply: &Reply,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    head.push_str(&format!("Date: {}\r\n", http_date(Utc::now())));
    head.push_str("Server: veille-test-server\r\n");
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let has_body = !matches!(reply.status, 100..=199 | 204 | 304);
    if has_body {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    stream.write_all(head.as_bytes())?;
    if has_body && request.method != "HEAD" {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
