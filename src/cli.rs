//! The command line, as clap derive structs only: no behaviour here.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "veille",
    version,
    about = "Technology watch: fetch feeds and pages, search them, build digests"
)]
pub struct Cli {
    /// The configuration file [default: ./feeds.toml, then $XDG_CONFIG_HOME/veille/feeds.toml]
    #[arg(long, global = true, env = "VEILLE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// The SQLite database [default: `settings.database` of the configuration (relative to it),
    /// else $XDG_DATA_HOME/veille/veille.db]
    #[arg(long, global = true, env = "VEILLE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Print only errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: one line per source
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Colours in tables: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch every enabled source and store new and changed articles
    Fetch(FetchArgs),
    /// Full-text search of the stored articles (newest first without a query)
    Search(SearchArgs),
    /// Stories (the same article across sources) with their member counts
    Stories(StoriesArgs),
    /// The digest of a period: Markdown, HTML, text, an email (sent with --send) or JSON
    Digest(DigestArgs),
    /// One article in full, with its tags and its duplicates
    Show(ShowArgs),
    /// Every configured source with its health
    Sources(SourcesArgs),
    /// Work on one source: `veille source test NAME`, `veille source remove NAME`
    #[command(subcommand)]
    Source(SourceCommand),
    /// Topics with their labels and article counts
    Tags(TagsArgs),
    /// Re-apply the current topic rules to every stored article
    Retag,
    /// Correct an article's topics by hand (`veille tag ID +TOPIC -TOPIC…`), or list what a
    /// topic's learnt model suggests (`veille tag suggest TOPIC`)
    Tag(TagArgs),
    /// Validate the configuration without fetching anything
    Check,
    /// Write a commented starter feeds.toml (at --config, else $XDG_CONFIG_HOME/veille/)
    Init(InitArgs),
    /// Add a source: a feed URL, or a page whose <link rel="alternate"> or usual paths name one
    Add(AddArgs),
    /// Exchange sources with other readers: `veille opml import FILE`, `veille opml export`
    #[command(subcommand)]
    Opml(OpmlCommand),
    /// The article of one page (title, date, author, text) as `fetch` would store it
    Extract(ExtractArgs),
    /// Print a completion script for a shell (see README: "Shell integration")
    Completions(CompletionsArgs),
    /// Print the man page (roff) on stdout
    Man,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// An http(s) URL to fetch, or the path of a saved HTML page
    #[arg(value_name = "URL|FILE")]
    pub target: String,
    /// How to print the article
    #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
    pub format: ExtractFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Fetch only this source (repeatable)
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Requests in flight overall (overrides the settings)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: Option<u16>,
    /// Fetch sources even when their retry schedule says to wait
    #[arg(long)]
    pub force: bool,
    /// Show a progress bar on stderr: auto (only on a terminal), always, never
    #[arg(long, value_enum, default_value_t = Progress::Auto)]
    pub progress: Progress,
    /// How long to wait for another fetch of the same database to finish
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = humantime::parse_duration)]
    pub wait: std::time::Duration,
}

/// What selects articles: shared by `search` and `stories`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Words, "exact phrases", prefix*, AND, OR, NOT, parentheses; accents and case are ignored
    pub query: Vec<String>,
    /// Only articles with this tag (repeatable)
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// Only articles of this source (repeatable)
    #[arg(long = "source", value_name = "N")]
    pub sources: Vec<String>,
    /// Published at or after: 7d, 36h, 2w, 2026-11-01 or an RFC 3339 time
    #[arg(long, value_name = "S")]
    pub since: Option<String>,
    /// Published before: same forms as --since
    #[arg(long, value_name = "S")]
    pub until: Option<String>,
    /// At most N results
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Progress {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Every matching article, not one per story
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value_t = SearchFormat::Table)]
    pub format: SearchFormat,
}

#[derive(Debug, Args)]
pub struct StoriesArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    Table,
    Json,
    Ndjson,
    Csv,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The article's id, as `search` prints it
    pub id: i64,
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct SourcesArgs {
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    /// Only the sources that failed at least N times in a row (default 3); exit 1 if any did
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "3")]
    pub failing: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Fetch one source and print what it would store, storing nothing: to tune selectors
    Test(SourceTestArgs),
    /// Propose the selectors of a listing page without a feed, writing nothing
    Suggest(SourceSuggestArgs),
    /// Remove a source from the configuration, keeping or deleting its stored articles
    Remove(SourceRemoveArgs),
}

#[derive(Debug, Args)]
pub struct SourceSuggestArgs {
    /// The listing page (a section, category or archive page that links to articles)
    pub url: String,
    /// Show the selectors of this group (the number listed) instead of the first
    #[arg(long, value_name = "N")]
    pub pick: Option<usize>,
}

#[derive(Debug, Args)]
pub struct SourceRemoveArgs {
    /// The source's name (in the configuration, or of articles still stored)
    pub name: String,
    /// Keep its stored articles: search, show and digests still find them
    #[arg(long, conflicts_with = "delete_articles")]
    pub keep_articles: bool,
    /// Delete its stored articles, with their tags, index entries and the stories they leave
    #[arg(long)]
    pub delete_articles: bool,
}

#[derive(Debug, Args)]
pub struct SourceTestArgs {
    /// The source's name in the configuration
    pub name: String,
    /// Article pages to fetch at most (the listing shows every item)
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Lines of each article's text to print
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub lines: usize,
}

#[derive(Debug, Args)]
pub struct TagsArgs {
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    /// List the corrections made by hand (`veille tag`) instead of the topics
    #[arg(long)]
    pub corrections: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct TagArgs {
    #[command(subcommand)]
    pub command: Option<TagCommand>,
    /// The article's id, as `search` prints it (with --story: the story's number)
    #[arg(required = true)]
    pub id: Option<i64>,
    /// +TOPIC sets the topic for good, -TOPIC removes it for good, over every rule and model
    #[arg(value_name = "+TOPIC|-TOPIC", allow_hyphen_values = true)]
    pub changes: Vec<String>,
    /// Correct every article of the story numbered ID (`story` in `search --format json`)
    #[arg(long)]
    pub story: bool,
    /// Forget the correction of TOPIC: the rules and the model decide again (repeatable)
    #[arg(long = "forget", value_name = "TOPIC")]
    pub forget: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum TagCommand {
    /// The stored articles a topic's learnt model would tag and its rules do not, and the
    /// reverse, most confident first
    Suggest(SuggestArgs),
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// A configured topic
    pub topic: String,
    /// At most N suggestions
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct DigestArgs {
    /// Stories first stored at or after: last (since the last digest sent or marked), 7d, 36h,
    /// 2w, 2026-11-16 or an RFC 3339 time [default: last, else 7d]
    #[arg(long, value_name = "S")]
    pub since: Option<String>,
    /// Stories first stored before: same forms as --since [default: now]
    #[arg(long, value_name = "S")]
    pub until: Option<String>,
    /// What to print [default: markdown; email with --send]
    #[arg(long, value_enum)]
    pub format: Option<DigestFormat>,
    /// Only stories with this tag (repeatable)
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// Only stories carried by this source (repeatable)
    #[arg(long = "source", value_name = "N")]
    pub sources: Vec<String>,
    /// A template that replaces the built-in one of the format (for email: of the HTML part)
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Write the digest to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Send the digest by email ([email] settings) and record it
    #[arg(long, conflicts_with_all = ["list", "replay"])]
    pub send: bool,
    /// Recipients instead of [email] to (repeatable)
    #[arg(long = "to", value_name = "ADDR")]
    pub to: Vec<String>,
    /// Record the digest as sent without sending it: its stories are never selected again
    #[arg(long, conflicts_with_all = ["dry_run", "list", "replay"])]
    pub mark: bool,
    /// Render (and show what --send would send) without sending or recording anything
    #[arg(long, conflicts_with_all = ["list", "replay"])]
    pub dry_run: bool,
    /// List the recorded digests
    #[arg(long, conflicts_with = "replay")]
    pub list: bool,
    /// Render a recorded digest again, exactly as it was
    #[arg(long, value_name = "ID")]
    pub replay: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DigestFormat {
    Markdown,
    Html,
    Text,
    Email,
    Json,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Overwrite an existing file
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// A feed URL, or a web page that names its feed
    pub url: String,
    /// The source's name [default: from the feed's title, else the host]
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    /// feed: find and read a feed; html: read the page itself with --selector, or with the
    /// selectors veille finds when none is given
    #[arg(long, value_enum, default_value_t = AddKind::Feed)]
    pub kind: AddKind,
    /// When the page names several feeds (or, with --kind html, has several groups of
    /// articles): the number `add` listed, or the feed's URL
    #[arg(long, value_name = "N|URL")]
    pub pick: Option<String>,
    /// A topic always given to the source's articles (repeatable)
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// For --kind html: KEY=CSS, KEY one of item, link, title, date, content, author, next
    #[arg(long = "selector", value_name = "KEY=CSS")]
    pub selectors: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AddKind {
    Feed,
    Html,
}

#[derive(Debug, Subcommand)]
pub enum OpmlCommand {
    /// Add the feeds of an OPML file (folders become tags; URLs already configured are skipped)
    Import(OpmlImportArgs),
    /// Print the feed sources as OPML 2.0, for Miniflux, FreshRSS, newsboat…
    Export(OpmlExportArgs),
}

#[derive(Debug, Args)]
pub struct OpmlImportArgs {
    /// The OPML file another reader exported
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct OpmlExportArgs {
    /// Write to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}
