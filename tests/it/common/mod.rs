//! Shared test helpers: a workspace (tempdir + `feeds.toml`), the `veille` command run hermetically
//! in it, and readers of its output. The HTTP server lives in `server`, generated bodies in `feeds`.
//! Nothing here knows how veille works inside: only its command line, files and outputs.

pub mod corpora;
pub mod feeds;
mod selftest;
pub mod server;
pub mod smtp;
pub mod terminal;

pub use server::{Reply, Route, Server};

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

/// No veille invocation in these tests may run longer than this.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(90);

/// Settings written unless a test gives its own line for the same key.
const DEFAULT_SETTINGS: &[&str] = &[
    "database = \"veille.db\"",
    "timeout = \"10s\"",
    "concurrency = 8",
    "per_host = 8",
];

/// A temporary directory holding `feeds.toml`, the database and the XDG directories.
pub struct Workspace {
    dir: TempDir,
}

impl Workspace {
    /// A workspace whose `feeds.toml` lists `sources` (name, url) after `[settings]` made of the
    /// defaults overridden by `settings` lines (`key = value`).
    pub fn new(sources: &[(&str, &str)], settings: &[&str]) -> Workspace {
        let ws = Workspace::empty();
        ws.write_config(sources, settings);
        ws
    }

    /// A workspace without `feeds.toml`.
    pub fn empty() -> Workspace {
        let dir = tempfile::Builder::new()
            .prefix("veille-it-")
            .tempdir()
            .expect("create a temporary directory");
        Workspace { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.path().join("feeds.toml")
    }

    pub fn db_path(&self) -> PathBuf {
        self.path().join("veille.db")
    }

    /// Rewrite `feeds.toml` (sources and settings as in `new`).
    pub fn write_config(&self, sources: &[(&str, &str)], settings: &[&str]) {
        self.write_raw(&config_text(sources, settings));
    }

    /// Write `feeds.toml` exactly as given.
    pub fn write_raw(&self, text: &str) {
        std::fs::write(self.config_path(), text).expect("write feeds.toml");
    }
}

/// The bytes of `fixtures/<path>` (`path` as the server sees it: `/feeds/x.rss`).
pub fn fixture(path: &str) -> Vec<u8> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path.trim_start_matches('/'));
    std::fs::read(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()))
}

/// The text of a `feeds.toml`.
pub fn config_text(sources: &[(&str, &str)], settings: &[&str]) -> String {
    let key = |line: &str| line.split('=').next().unwrap_or("").trim().to_string();
    let mut text = String::from("[settings]\n");
    for line in DEFAULT_SETTINGS {
        if !settings.iter().any(|s| key(s) == key(line)) {
            text.push_str(line);
            text.push('\n');
        }
    }
    for line in settings {
        text.push_str(line);
        text.push('\n');
    }
    for (name, url) in sources {
        text.push_str(&format!(
            "\n[[source]]\nname = \"{name}\"\nurl = \"{url}\"\n"
        ));
    }
    text
}

/// `veille --config <ws>/feeds.toml`, run in the workspace with a clean environment: no colour, no
/// `VEILLE_*`, XDG directories and HOME inside the workspace, no proxy, bounded in time.
pub fn veille(ws: &Workspace) -> Command {
    let mut cmd = Command::from_std(veille_process(ws));
    cmd.timeout(COMMAND_TIMEOUT);
    cmd
}

/// [`veille`] without `--config`: the default paths apply (`./feeds.toml`, then the XDG folder
/// inside the workspace).
pub fn bare(ws: &Workspace) -> Command {
    let mut cmd = Command::from_std(bare_process(ws));
    cmd.timeout(COMMAND_TIMEOUT);
    cmd
}

/// The same hermetic command as [`veille`], as a process to spawn and signal (lock, kill and
/// interrupt tests); the caller bounds it in time.
pub fn veille_process(ws: &Workspace) -> std::process::Command {
    let mut cmd = bare_process(ws);
    cmd.arg("--config").arg(ws.config_path());
    cmd
}

fn bare_process(ws: &Workspace) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_veille"));
    cmd.current_dir(ws.path())
        .env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", ws.path().join("xdg/config"))
        .env("XDG_DATA_HOME", ws.path().join("xdg/data"))
        .env("XDG_CACHE_HOME", ws.path().join("xdg/cache"))
        .env("HOME", ws.path())
        .env("TZ", "UTC");
    // Every variable veille reads, and the proxies reqwest would use.
    let inherited: Vec<std::ffi::OsString> = std::env::vars_os()
        .map(|(key, _)| key)
        .filter(|key| key.to_string_lossy().starts_with("VEILLE_"))
        .collect();
    for var in inherited {
        cmd.env_remove(var);
    }
    for var in [
        "RUST_LOG",
        "COLUMNS",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// What one run printed and returned.
#[derive(Debug)]
pub struct Run {
    /// The exit code (-1 when killed by a signal or the timeout).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The error line naming `source`, if any.
    pub fn error_for(&self, source: &str) -> Option<&str> {
        let prefix = format!("error: {source}: ");
        self.stderr.lines().find(|l| l.starts_with(&prefix))
    }

    /// The summary line of `fetch` (the last line of stderr), parsed.
    pub fn summary(&self) -> Summary {
        let line = self.stderr.lines().last().unwrap_or("");
        Summary::parse(line)
            .unwrap_or_else(|| panic!("no fetch summary at the end of stderr:\n{}", self.stderr))
    }

    /// stdout parsed as one JSON value.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// `N sources: X new, Y updated, Z unchanged, F failed[, S skipped]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub sources: u64,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub failed: u64,
    pub skipped: u64,
}

impl Summary {
    pub fn parse(line: &str) -> Option<Summary> {
        let (sources, rest) = line
            .trim()
            .split_once(" sources: ")
            .or_else(|| line.trim().split_once(" source: "))?;
        let mut summary = Summary {
            sources: sources.trim().parse().ok()?,
            ..Summary::default()
        };
        let mut seen = 0;
        for part in rest.split(", ") {
            let (n, word) = part.trim().split_once(' ')?;
            let n: u64 = n.parse().ok()?;
            match word {
                "new" => summary.new = n,
                "updated" => summary.updated = n,
                "unchanged" => summary.unchanged = n,
                "failed" => summary.failed = n,
                "skipped" => summary.skipped = n,
                _ => return None,
            }
            seen += 1;
        }
        (seen >= 4).then_some(summary)
    }
}

/// Run `veille <args>` in the workspace.
pub fn run(ws: &Workspace, args: &[&str]) -> Run {
    let output = veille(ws)
        .args(args)
        .output()
        .expect("run the veille binary");
    Run::from(output)
}

impl From<std::process::Output> for Run {
    fn from(output: std::process::Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// `veille fetch <args>`.
pub fn fetch(ws: &Workspace, args: &[&str]) -> Run {
    let mut all = vec!["fetch"];
    all.extend_from_slice(args);
    run(ws, &all)
}

/// `veille fetch` that must succeed (exit 0).
pub fn fetch_ok(ws: &Workspace) -> Run {
    let run = fetch(ws, &[]);
    assert_eq!(run.code, 0, "fetch should succeed\n{run}");
    run
}

/// Two sources: LinuxFr's Atom feed from `fixtures/`, and one answering HTTP 500 at `/broken`.
pub fn good_and_broken(server: &Server) -> Workspace {
    server.route("/broken", Route::status(500));
    Workspace::new(
        &[
            ("linuxfr", &server.url("/feeds/linuxfr-news.atom")),
            ("broken", &server.url("/broken")),
        ],
        &[],
    )
}

/// One workspace, one source served from `fixtures/`, fetched once successfully.
pub fn fetch_fixture(name: &str, path: &str) -> (Server, Workspace, Vec<Value>) {
    let server = Server::start();
    let ws = Workspace::new(&[(name, &server.url(path))], &[]);
    fetch_ok(&ws);
    let articles = all_articles(&ws);
    (server, ws, articles)
}

/// The instant an RFC 3339 field holds; it must be UTC written with `Z`.
pub fn utc(field: &Value) -> DateTime<Utc> {
    let text = field
        .as_str()
        .unwrap_or_else(|| panic!("expected an RFC 3339 string, got {field}"));
    assert!(text.ends_with('Z'), "{text} should be UTC written with Z");
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text} is not RFC 3339: {e}"))
        .with_timezone(&Utc)
}

/// The instant a test writes in RFC 3339.
pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("a valid instant in the test")
        .with_timezone(&Utc)
}

/// `veille search <args> --format json`, which must succeed, as its array.
pub fn search_json(ws: &Workspace, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = run(ws, &all);
    assert_eq!(run.code, 0, "search {args:?} should succeed\n{run}");
    match run.json() {
        Value::Array(items) => items,
        other => panic!("search --format json printed {other}, not an array"),
    }
}

/// Every stored article (`search --all --format json`, with a limit far above the test's needs).
pub fn all_articles(ws: &Workspace) -> Vec<Value> {
    search_json(ws, &["--all", "--limit", "100000"])
}

/// `veille show ID --format json`, which must succeed.
pub fn show_json(ws: &Workspace, id: i64) -> Value {
    let run = run(ws, &["show", &id.to_string(), "--format", "json"]);
    assert_eq!(run.code, 0, "show {id} should succeed\n{run}");
    run.json()
}

/// `veille sources --format json`, which must succeed.
pub fn sources_json(ws: &Workspace) -> Vec<Value> {
    let run = run(ws, &["sources", "--format", "json"]);
    assert_eq!(run.code, 0, "sources should succeed\n{run}");
    match run.json() {
        Value::Array(items) => items,
        other => panic!("sources --format json printed {other}, not an array"),
    }
}

/// The articles of `source` among `articles`.
pub fn of_source<'a>(articles: &'a [Value], source: &str) -> Vec<&'a Value> {
    articles.iter().filter(|a| a["source"] == source).collect()
}

/// The article whose title is `title` (exactly one must exist).
pub fn by_title<'a>(articles: &'a [Value], title: &str) -> &'a Value {
    let found: Vec<&Value> = articles.iter().filter(|a| a["title"] == title).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one article titled {title:?}, found {}; titles: {:?}",
        found.len(),
        articles.iter().map(|a| &a["title"]).collect::<Vec<_>>()
    );
    found[0]
}

/// The article's id as an integer.
pub fn id_of(article: &Value) -> i64 {
    article["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("article without an integer id: {article}"))
}

/// Titles of a result list, in order.
pub fn titles(articles: &[Value]) -> Vec<String> {
    articles
        .iter()
        .map(|a| a["title"].as_str().unwrap_or("").to_string())
        .collect()
}
