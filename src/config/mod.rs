//! `feeds.toml` → a validated [`Config`]. Owns the configuration precedence
//! (defaults ← file ← `VEILLE_*` environment ← flags) and every configuration error message.
//!
//! Reading is in two steps, as in ripgrep's low/high args: the raw serde form is checked key by
//! key (every error is collected, each with its file, line and key), then resolved into typed
//! settings. Nothing here touches the network or the database.

mod digest;
mod learning;

pub use digest::{is_local, DigestSettings, EmailSettings, Security, Transport};

pub mod edit;

use crate::cluster::Params as StoryParams;
use crate::model::{Selectors, Source, SourceKind, Topic};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;
use url::Url;

/// The database's file name: beside the configuration when `settings.database` names it so, else
/// in `$XDG_DATA_HOME/veille/`.
pub const DEFAULT_DATABASE: &str = "veille.db";
pub const DEFAULT_CONCURRENCY: usize = 16;
pub const DEFAULT_PER_HOST: usize = 2;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_MAX_BODY: u64 = 16 * 1024 * 1024;
pub const DEFAULT_USER_AGENT: &str = concat!("veille/", env!("CARGO_PKG_VERSION"));
pub const DEFAULT_TIMEZONE: &str = "Europe/Paris";
pub const DEFAULT_MIN_SCORE: u32 = 2;
pub const DEFAULT_MAX_PAGES: u32 = 1;
pub const DEFAULT_MAX_ITEMS: usize = 1000;
/// The longest pause between two requests to one host that a configuration may ask for.
pub const MAX_DELAY: Duration = Duration::from_secs(300);

/// Every configuration problem found, each on its own line; the exit status is 2.
#[derive(Debug)]
pub struct ConfigError {
    pub errors: Vec<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.errors.join("\n"))
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    fn one(message: String) -> Self {
        ConfigError {
            errors: vec![message],
        }
    }
}

/// Resolved `[settings]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub database: PathBuf,
    pub concurrency: usize,
    pub per_host: usize,
    pub timeout: Duration,
    pub max_body: u64,
    pub user_agent: String,
    pub timezone: chrono_tz::Tz,
    /// The least time between the starts of two requests to one host.
    pub delay: Duration,
    /// Items read from one feed in one fetch, at most (in document order: the newest first).
    pub max_items: usize,
}

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub settings: Settings,
    pub sources: Vec<Source>,
    pub topics: Vec<Topic>,
    /// `[stories]`: the thresholds of near-duplicate detection.
    pub stories: StoryParams,
    /// `[digest]`: title, language and templates of the digests.
    pub digest: DigestSettings,
    /// `[email]`: who sends the digest to whom, and how.
    pub email: EmailSettings,
    /// `[learning]`: when a topic learns a model from its examples, and how sure it must be.
    pub learning: crate::tag::LearnParams,
}

/// Values that beat the file: the environment, then the command line.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub database: Option<PathBuf>,
    pub concurrency: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
struct RawConfig {
    #[serde(default)]
    settings: RawSettings,
    #[serde(default)]
    source: Vec<RawSource>,
    #[serde(default)]
    topic: Vec<RawTopic>,
    stories: Option<toml::Table>,
    digest: Option<toml::Table>,
    email: Option<toml::Table>,
    learning: Option<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
struct RawSettings {
    database: Option<String>,
    concurrency: Option<i64>,
    per_host: Option<i64>,
    max_items: Option<i64>,
    timeout: Option<String>,
    max_body: Option<String>,
    user_agent: Option<String>,
    timezone: Option<String>,
    delay: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawSource {
    name: String,
    url: String,
    kind: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    full_content: bool,
    enabled: Option<bool>,
    selectors: Option<RawSelectors>,
    max_pages: Option<i64>,
    delay: Option<String>,
    encoding: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawSelectors {
    item: Option<String>,
    link: Option<String>,
    title: Option<String>,
    date: Option<String>,
    content: Option<String>,
    author: Option<String>,
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawTopic {
    name: String,
    label: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    min_score: Option<i64>,
}

/// The keys each table accepts; anything else is refused, so a typo never passes silently.
const TOP_KEYS: &[&str] = &[
    "settings", "source", "topic", "stories", "digest", "email", "learning",
];
const STORY_KEYS: &[&str] = &[
    "text_jaccard",
    "text_overlap",
    "lead_overlap",
    "weak_overlap",
    "title_similarity",
    "near_identical",
    "min_shingles",
    "max_days_apart",
];
/// The `[stories]` keys that are fractions from 0 to 1; the last two are a count and days.
const STORY_FRACTIONS: &[&str] = STORY_KEYS.split_at(6).0;
const SETTINGS_KEYS: &[&str] = &[
    "database",
    "concurrency",
    "per_host",
    "timeout",
    "max_body",
    "user_agent",
    "timezone",
    "delay",
    "max_items",
];
const SOURCE_KEYS: &[&str] = &[
    "name",
    "url",
    "kind",
    "tags",
    "full_content",
    "enabled",
    "selectors",
    "max_pages",
    "delay",
    "encoding",
];
const SELECTOR_KEYS: &[&str] = &["item", "link", "title", "date", "content", "author", "next"];
const TOPIC_KEYS: &[&str] = &[
    "name",
    "label",
    "keywords",
    "patterns",
    "exclude",
    "min_score",
];
const DIGEST_KEYS: &[&str] = &["title", "lang", "templates_dir", "max_age", "other"];
const EMAIL_KEYS: &[&str] = &[
    "from",
    "to",
    "subject",
    "transport",
    "server",
    "port",
    "security",
    "user",
];

/// Where to look for the configuration when no `--config` / `VEILLE_CONFIG` is given.
pub fn default_paths(xdg_config_home: Option<PathBuf>) -> Vec<PathBuf> {
    let mut paths = vec![PathBuf::from("feeds.toml")];
    if let Some(dir) = xdg_config_home {
        paths.push(dir.join("veille").join("feeds.toml"));
    }
    paths
}

/// `$XDG_DATA_HOME`, else `$HOME/.local/share`: where the database goes when the file names none.
pub fn data_dir(env: &HashMap<String, String>) -> Option<PathBuf> {
    let non_empty = |key: &str| env.get(key).filter(|v| !v.is_empty()).map(PathBuf::from);
    non_empty("XDG_DATA_HOME").or_else(|| non_empty("HOME").map(|home| home.join(".local/share")))
}

/// `$XDG_CONFIG_HOME`, else `$HOME/.config`: the second place the configuration is looked for.
pub fn config_dir(env: &HashMap<String, String>) -> Option<PathBuf> {
    let non_empty = |key: &str| env.get(key).filter(|v| !v.is_empty()).map(PathBuf::from);
    non_empty("XDG_CONFIG_HOME").or_else(|| non_empty("HOME").map(|home| home.join(".config")))
}

/// Read and validate the file at `path`, then apply the overrides.
pub fn load(
    path: &Path,
    env: &HashMap<String, String>,
    flags: &Overrides,
) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError::one(format!(
            "{}: cannot read the configuration: {e}",
            path.display()
        ))
    })?;
    parse(&text, path, env, flags)
}

/// Validate configuration text; `path` names the file in messages and anchors relative paths.
pub fn parse(
    text: &str,
    path: &Path,
    env: &HashMap<String, String>,
    flags: &Overrides,
) -> Result<Config, ConfigError> {
    let file = path.display().to_string();
    let document = toml_edit::Document::parse(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        let message = e.message().trim().to_string();
        ConfigError::one(format!("{file}:{line}: invalid TOML: {message}"))
    })?;
    let mut check = Checker {
        file,
        newlines: newline_offsets(text),
        lines: HashMap::new(),
        errors: Vec::new(),
    };
    check.walk(document.as_table());
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            check
                .errors
                .push(format!("{}:{line}: {}", check.file, e.message().trim()));
            return Err(ConfigError {
                errors: check.errors,
            });
        }
    };
    let base_dir = path.parent().unwrap_or(Path::new("."));
    let settings = check.settings(&raw.settings, base_dir, env, flags);
    let sources = check.sources(&raw.source);
    let topics = check.topics(&raw.topic);
    let stories = check.stories(raw.stories.as_ref());
    let digest = check.digest(raw.digest.as_ref(), base_dir);
    let email = check.email(raw.email.as_ref());
    let learning = check.learning(raw.learning.as_ref());
    match settings {
        Some(settings) if check.errors.is_empty() => Ok(Config {
            path: path.to_path_buf(),
            settings,
            sources,
            topics,
            stories,
            digest,
            email,
            learning,
        }),
        _ => Err(ConfigError {
            errors: check.errors,
        }),
    }
}

/// Collects errors, each anchored to the line of the key it is about.
struct Checker {
    file: String,
    /// Byte offsets of the text's newlines: a key's line is a binary search, so that a file of
    /// thousands of sources is checked in linear time.
    newlines: Vec<usize>,
    /// "source[2].name" → line of that key.
    lines: HashMap<String, usize>,
    errors: Vec<String>,
}

impl Checker {
    fn walk(&mut self, root: &toml_edit::Table) {
        self.table(root, "", TOP_KEYS);
        for (key, item) in root.iter() {
            match key {
                "settings" => self.nested(item, "settings", SETTINGS_KEYS),
                "digest" => self.nested(item, "digest", DIGEST_KEYS),
                "stories" => self.nested(item, "stories", STORY_KEYS),
                "email" => self.nested(item, "email", EMAIL_KEYS),
                "learning" => self.nested(item, "learning", learning::KEYS),
                "source" | "topic" => {
                    let keys = if key == "source" {
                        SOURCE_KEYS
                    } else {
                        TOPIC_KEYS
                    };
                    for (i, entry) in array_entries(item).into_iter().enumerate() {
                        let prefix = format!("{key}[{i}]");
                        self.table(entry, &prefix, keys);
                        if let Some(selectors) = entry.get("selectors") {
                            self.nested(selectors, &format!("{prefix}.selectors"), SELECTOR_KEYS);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn nested(&mut self, item: &toml_edit::Item, prefix: &str, keys: &[&str]) {
        if let Some(table) = item.as_table_like() {
            self.table(table, prefix, keys);
        }
    }

    fn table(&mut self, table: &dyn toml_edit::TableLike, prefix: &str, keys: &[&str]) {
        for (key, item) in table.iter() {
            let path = if prefix.is_empty() {
                key.to_string()
            } else {
                format!("{prefix}.{key}")
            };
            let span = table
                .key(key)
                .and_then(|k| k.span())
                .or_else(|| item.span());
            let line = span.map_or(1, |s| self.newlines.partition_point(|&n| n < s.start) + 1);
            if !keys.contains(&key) {
                self.errors.push(format!(
                    "{}:{line}: unknown key `{path}` (expected one of: {})",
                    self.file,
                    keys.join(", ")
                ));
            }
            self.lines.insert(path, line);
        }
    }

    fn error(&mut self, path: &str, message: String) {
        let line = self.lines.get(path).copied().or_else(|| {
            // A missing key is reported at its table.
            let parent = path.rsplit_once('.').map(|(p, _)| p)?;
            self.lines
                .iter()
                .filter(|(k, _)| k.starts_with(parent))
                .map(|(_, l)| *l)
                .min()
        });
        let at = line.map_or(String::new(), |l| format!(":{l}"));
        self.errors
            .push(format!("{}{at}: `{path}`: {message}", self.file));
    }

    fn settings(
        &mut self,
        raw: &RawSettings,
        base_dir: &Path,
        env: &HashMap<String, String>,
        flags: &Overrides,
    ) -> Option<Settings> {
        let from_env = |key: &str| env.get(&format!("VEILLE_{}", key.to_uppercase())).cloned();
        let text_setting = |key: &str, file: &Option<String>| -> Option<(String, String)> {
            match from_env(key) {
                Some(v) => Some((v, format!("VEILLE_{}", key.to_uppercase()))),
                None => file.clone().map(|v| (v, format!("settings.{key}"))),
            }
        };
        let mut ok = true;

        let database = match flags
            .database
            .clone()
            .or_else(|| from_env("db").map(PathBuf::from))
        {
            Some(path) => path,
            None => match raw.database.as_deref() {
                Some(file) => base_dir.join(file),
                None => data_dir(env).map_or_else(
                    || base_dir.join(DEFAULT_DATABASE),
                    |dir| dir.join("veille").join(DEFAULT_DATABASE),
                ),
            },
        };
        let mut count = |key: &str, file: Option<i64>, default: usize, max: i64| -> usize {
            let (value, origin) = match from_env(key) {
                Some(v) => (
                    v.trim().parse::<i64>().ok(),
                    format!("VEILLE_{}", key.to_uppercase()),
                ),
                None => (file, format!("settings.{key}")),
            };
            match value {
                None if origin.starts_with("settings") => default,
                Some(n) if (1..=max).contains(&n) => n as usize,
                _ => {
                    self.error(&origin, format!("must be a whole number from 1 to {max}"));
                    ok = false;
                    default
                }
            }
        };
        let concurrency = flags
            .concurrency
            .unwrap_or_else(|| count("concurrency", raw.concurrency, DEFAULT_CONCURRENCY, 4096));
        let per_host = count("per_host", raw.per_host, DEFAULT_PER_HOST, 4096);
        let max_items = count("max_items", raw.max_items, DEFAULT_MAX_ITEMS, 100_000);

        let timeout = match text_setting("timeout", &raw.timeout) {
            None => DEFAULT_TIMEOUT,
            Some((value, origin)) => match humantime::parse_duration(value.trim()) {
                Ok(d) if !d.is_zero() => d,
                _ => {
                    self.error(
                        &origin,
                        format!("`{value}` is not a duration such as \"30s\" or \"2m\""),
                    );
                    ok = false;
                    DEFAULT_TIMEOUT
                }
            },
        };
        let max_body = match text_setting("max_body", &raw.max_body) {
            None => DEFAULT_MAX_BODY,
            Some((value, origin)) => match parse_size(&value) {
                Some(n) if n > 0 => n,
                _ => {
                    self.error(
                        &origin,
                        format!("`{value}` is not a size such as \"16MiB\" or \"500KB\""),
                    );
                    ok = false;
                    DEFAULT_MAX_BODY
                }
            },
        };
        let user_agent = text_setting("user_agent", &raw.user_agent)
            .map_or_else(|| DEFAULT_USER_AGENT.to_string(), |(v, _)| v);
        if reqwest::header::HeaderValue::from_str(&user_agent).is_err() {
            self.error(
                "settings.user_agent",
                "must be printable ASCII on one line".into(),
            );
            ok = false;
        }
        let timezone = match text_setting("timezone", &raw.timezone) {
            None => chrono_tz::Europe::Paris,
            Some((value, origin)) => match value.trim().parse::<chrono_tz::Tz>() {
                Ok(tz) => tz,
                Err(_) => {
                    self.error(
                        &origin,
                        format!("`{value}` is not an IANA time zone such as \"Europe/Paris\""),
                    );
                    ok = false;
                    chrono_tz::Europe::Paris
                }
            },
        };
        let delay = match text_setting("delay", &raw.delay) {
            None => Duration::ZERO,
            Some((value, origin)) => self.delay(&value, &origin).unwrap_or_else(|| {
                ok = false;
                Duration::ZERO
            }),
        };
        ok.then_some(Settings {
            delay,
            max_items,
            database,
            concurrency,
            per_host,
            timeout,
            max_body,
            user_agent,
            timezone,
        })
    }

    fn stories(&mut self, raw: Option<&toml::Table>) -> StoryParams {
        let mut params = StoryParams::default();
        let Some(table) = raw else {
            return params;
        };
        for (key, value) in table {
            let path = format!("stories.{key}");
            let number = value
                .as_float()
                .or_else(|| value.as_integer().map(|n| n as f64));
            let Some(number) = number else {
                self.error(&path, "must be a number".into());
                continue;
            };
            let fraction = STORY_FRACTIONS.contains(&key.as_str());
            let valid = if fraction {
                (0.0..=1.0).contains(&number)
            } else {
                (0.0..=10_000.0).contains(&number)
            };
            if !valid {
                let range = if fraction {
                    "from 0 to 1"
                } else {
                    "from 0 to 10000"
                };
                self.error(&path, format!("must be a number {range}"));
                continue;
            }
            match key.as_str() {
                "text_jaccard" => params.text_jaccard = number,
                "text_overlap" => params.text_overlap = number,
                "lead_overlap" => params.lead_overlap = number,
                "weak_overlap" => params.weak_overlap = number,
                "title_similarity" => params.title_similarity = number,
                "near_identical" => params.near_identical = number,
                "min_shingles" => params.min_shingles = number as u32,
                "max_days_apart" => params.max_days_apart = number,
                _ => {} // reported as an unknown key by the walk
            }
        }
        params
    }

    /// A source or topic name: valid, and not taken by an earlier one (`seen`).
    fn unique_name(
        &mut self,
        path: &str,
        name: &str,
        label: &str,
        plural: &str,
        seen: &mut HashSet<String>,
    ) -> bool {
        if !valid_name(name) {
            self.error(
                path,
                format!("`{name}` is not a valid {label}: use a-z, 0-9 and -"),
            );
            false
        } else if !seen.insert(name.to_string()) {
            self.error(
                path,
                format!("`{name}` names two {plural}: names must be unique"),
            );
            false
        } else {
            true
        }
    }

    fn sources(&mut self, raw: &[RawSource]) -> Vec<Source> {
        let mut seen = HashSet::new();
        let mut sources = Vec::new();
        for (i, s) in raw.iter().enumerate() {
            let at = |key: &str| format!("source[{i}].{key}");
            let mut ok = self.unique_name(&at("name"), &s.name, "name", "sources", &mut seen);
            let url = match Url::parse(s.url.trim()) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Some(u),
                _ => {
                    self.error(
                        &at("url"),
                        format!("`{}` is not an http or https URL", s.url),
                    );
                    None
                }
            };
            let kind = match s.kind.as_deref().unwrap_or("feed") {
                "feed" => SourceKind::Feed,
                "html" => SourceKind::Html,
                other => {
                    self.error(
                        &at("kind"),
                        format!("`{other}` is not a kind: use \"feed\" or \"html\""),
                    );
                    ok = false;
                    SourceKind::Feed
                }
            };
            for tag in &s.tags {
                if !valid_name(tag) {
                    self.error(
                        &at("tags"),
                        format!("`{tag}` is not a valid tag: use a-z, 0-9 and -"),
                    );
                    ok = false;
                }
            }
            let selectors = s
                .selectors
                .as_ref()
                .and_then(|raw| self.selectors(raw, &at("selectors")));
            if kind == SourceKind::Html && selectors.is_none() && s.selectors.is_none() {
                self.error(
                    &at("kind"),
                    "an html source needs a [source.selectors] table with `item` and `link`".into(),
                );
                ok = false;
            }
            let max_pages = match s.max_pages {
                None => DEFAULT_MAX_PAGES,
                Some(n) if (1..=1000).contains(&n) => n as u32,
                Some(_) => {
                    self.error(
                        &at("max_pages"),
                        "must be a whole number from 1 to 1000".into(),
                    );
                    ok = false;
                    DEFAULT_MAX_PAGES
                }
            };
            let delay = s.delay.as_deref().and_then(|value| {
                let parsed = self.delay(value, &at("delay"));
                ok &= parsed.is_some();
                parsed
            });
            let encoding = s.encoding.as_deref().and_then(|label| {
                let parsed = self.encoding(label, &at("encoding"));
                ok &= parsed.is_some();
                parsed
            });
            if let (true, Some(url)) = (ok, url) {
                sources.push(Source {
                    name: s.name.clone(),
                    url,
                    kind,
                    tags: s.tags.clone(),
                    full_content: s.full_content,
                    enabled: s.enabled.unwrap_or(true),
                    selectors,
                    max_pages,
                    delay,
                    encoding,
                });
            }
        }
        sources
    }

    /// A charset label (`iso-8859-1`, `windows-1252`, `utf-8`…), as the WHATWG Encoding
    /// standard names them.
    fn encoding(&mut self, label: &str, origin: &str) -> Option<&'static encoding_rs::Encoding> {
        let found = encoding_rs::Encoding::for_label(label.trim().as_bytes());
        if found.is_none() {
            self.error(
                origin,
                format!("`{label}` is not a character encoding: use a label such as \"iso-8859-1\", \"windows-1252\" or \"utf-8\""),
            );
        }
        found
    }

    /// A pause between requests: a duration from 0 to [`MAX_DELAY`].
    fn delay(&mut self, value: &str, origin: &str) -> Option<Duration> {
        match humantime::parse_duration(value.trim()) {
            Ok(d) if d <= MAX_DELAY => Some(d),
            _ => {
                self.error(
                    origin,
                    format!("`{value}` is not a delay from \"0s\" to \"5m\" such as \"2s\""),
                );
                None
            }
        }
    }

    fn selectors(&mut self, raw: &RawSelectors, prefix: &str) -> Option<Selectors> {
        let mut ok = true;
        let mut check = |key: &str, value: &Option<String>, required: bool| -> Option<String> {
            let path = format!("{prefix}.{key}");
            match value {
                None if required => {
                    self.error(&path, "is required for an html source".into());
                    ok = false;
                    None
                }
                None => None,
                Some(v) => {
                    if let Err(e) = crate::parse::html::Field::parse(v) {
                        self.error(&path, e);
                        ok = false;
                    }
                    Some(v.clone())
                }
            }
        };
        let selectors = Selectors {
            item: check("item", &raw.item, true).unwrap_or_default(),
            link: check("link", &raw.link, true).unwrap_or_default(),
            title: check("title", &raw.title, false),
            date: check("date", &raw.date, false),
            content: check("content", &raw.content, false),
            author: check("author", &raw.author, false),
            next: check("next", &raw.next, false),
        };
        ok.then_some(selectors)
    }

    fn topics(&mut self, raw: &[RawTopic]) -> Vec<Topic> {
        let mut seen = HashSet::new();
        let mut topics = Vec::new();
        for (i, t) in raw.iter().enumerate() {
            let at = |key: &str| format!("topic[{i}].{key}");
            let mut ok = self.unique_name(&at("name"), &t.name, "topic name", "topics", &mut seen);
            // A topic without keywords or patterns is learnt from its examples alone.
            for term in t.keywords.iter().chain(&t.exclude) {
                if term.trim().trim_end_matches('*').trim().is_empty() {
                    self.error(&at("keywords"), "an empty keyword matches nothing".into());
                    ok = false;
                }
            }
            for pattern in &t.patterns {
                if let Err(e) = regex_syntax::Parser::new().parse(pattern) {
                    let detail = e.to_string().lines().last().unwrap_or_default().to_string();
                    self.error(
                        &at("patterns"),
                        format!("`{pattern}` is not a valid regular expression: {detail}"),
                    );
                    ok = false;
                }
            }
            let min_score = match t.min_score {
                None => DEFAULT_MIN_SCORE,
                Some(n) if (1..=1000).contains(&n) => n as u32,
                Some(_) => {
                    self.error(
                        &at("min_score"),
                        "must be a whole number from 1 to 1000".into(),
                    );
                    ok = false;
                    DEFAULT_MIN_SCORE
                }
            };
            let topic = Topic {
                name: t.name.clone(),
                label: t.label.clone().unwrap_or_else(|| t.name.clone()),
                keywords: t.keywords.clone(),
                patterns: t.patterns.clone(),
                exclude: t.exclude.clone(),
                min_score,
            };
            // The tagging stage refuses what it cannot match (a keyword without a letter or digit).
            if ok {
                if let Err(e) = crate::tag::Rules::check(&topic) {
                    self.error(&at("keywords"), e);
                    ok = false;
                }
            }
            if ok {
                topics.push(topic);
            }
        }
        topics
    }
}

/// The tables of an array of tables, or of an array of inline tables.
fn array_entries(item: &toml_edit::Item) -> Vec<&dyn toml_edit::TableLike> {
    if let Some(tables) = item.as_array_of_tables() {
        return tables
            .iter()
            .map(|t| t as &dyn toml_edit::TableLike)
            .collect();
    }
    item.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_inline_table())
                .map(|t| t as &dyn toml_edit::TableLike)
                .collect()
        })
        .unwrap_or_default()
}

/// Source and topic names: lower-case ASCII letters, digits and hyphens.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn newline_offsets(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// "16MiB", "500 KB", "1GiB", "2048" (bytes) → bytes.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    let bytes = number * factor as f64;
    (bytes.is_finite() && bytes >= 0.0 && bytes < u64::MAX as f64).then_some(bytes as u64)
}

/// Bytes in words, for messages: "16 MiB", "1.5 KiB", "300 bytes".
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            return if bytes.is_multiple_of(size) {
                format!("{} {unit}", bytes / size)
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests;
