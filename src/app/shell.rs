//! `veille completions SHELL` and `veille man`: what a shell and `man` need, generated from the
//! command line's own definition so they never drift from it. No configuration is read, but by
//! the dynamic completers (`COMPLETE=bash veille`), which offer the configured source and topic
//! names and the newest article ids; they fail quietly (no candidate) when it cannot be read.

use super::Outcome;
use crate::cli::Cli;
use clap::CommandFactory;
use clap_complete::{ArgValueCompleter, CompletionCandidate};
use std::ffi::OsStr;
use std::io::Write;

/// The command line with its dynamic completers. `cli` declares the arguments and knows nothing
/// of where their values live; the completers, which read the configuration and the database,
/// are given here to the arguments named in [`completer_for`].
pub fn command() -> clap::Command {
    with_completers(Cli::command())
}

fn with_completers(command: clap::Command) -> clap::Command {
    let ids: Vec<clap::Id> = command
        .get_arguments()
        .map(|a| a.get_id().clone())
        .collect();
    let command = ids.into_iter().fold(command, |command, id| {
        match completer_for(command.get_name(), id.as_str()) {
            Some(completer) => command.mut_arg(id, |arg| arg.add(completer)),
            None => command,
        }
    });
    command.mut_subcommands(with_completers)
}

/// The completer of argument `arg` of subcommand `command`, if its values are names veille knows.
fn completer_for(command: &str, arg: &str) -> Option<ArgValueCompleter> {
    let completer = match (command, arg) {
        // `source add --tag` names new tags of the source, not topics.
        ("add", _) => return None,
        (_, "sources") | ("remove" | "test", "name") => complete_sources,
        (_, "tags") => complete_topics,
        ("show", "id") => complete_ids,
        _ => return None,
    };
    Some(ArgValueCompleter::new(completer))
}

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    let mut command = command();
    // Into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "veille", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// One page, `veille(1)`: the global options, then a section per subcommand (and per
/// subcommand of `source` and `opml`) with its synopsis and every option, so that the page
/// names no other page that does not exist.
pub fn man() -> anyhow::Result<Outcome> {
    let mut command = command();
    command.build();
    let top = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    top.render_title(&mut page)?;
    top.render_name_section(&mut page)?;
    top.render_synopsis_section(&mut page)?;
    top.render_description_section(&mut page)?;
    top.render_options_section(&mut page)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_sections(&mut page, sub, &format!("veille {}", sub.get_name()))?;
    }
    top.render_version_section(&mut page)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// The section of one subcommand, called `path` (« veille source test »), then its own.
fn command_sections(page: &mut Vec<u8>, command: &clap::Command, path: &str) -> anyhow::Result<()> {
    if command.get_name() == "help" {
        return Ok(());
    }
    // The global options are given once, at the top of the page.
    let mut own = command.clone().display_name(path).bin_name(path);
    let globals: Vec<clap::Id> = own
        .get_arguments()
        .filter(|a| a.is_global_set() || a.get_id() == "help")
        .map(|a| a.get_id().clone())
        .collect();
    for id in globals {
        own = own.mut_arg(id, |a| a.hide(true));
    }
    let shown = own.get_arguments().any(|a| !a.is_hide_set());
    let man = clap_mangen::Man::new(own);
    let mut part = Vec::new();
    man.render_synopsis_section(&mut part)?;
    man.render_description_section(&mut part)?;
    if shown {
        man.render_options_section(&mut part)?;
    }
    // The subcommand's parts become subsections of its own section.
    let part = String::from_utf8_lossy(&part)
        .replace(".SH SYNOPSIS", ".SS Synopsis")
        .replace(".SH DESCRIPTION", ".SS Description")
        .replace(".SH OPTIONS", ".SS Options");
    writeln!(page, ".SH \"{}\"", path.to_uppercase())?;
    page.extend_from_slice(part.as_bytes());
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        command_sections(page, sub, &format!("{path} {}", sub.get_name()))?;
    }
    Ok(())
}

/// Article ids offered for `show ID`: the newest, at most this many.
const COMPLETED_IDS: usize = 50;

/// The configuration the completed command would read (`VEILLE_CONFIG`, else the default
/// paths); none when there is none or it does not load.
fn configuration() -> Option<crate::config::Config> {
    let env = super::environment().ok()?;
    let given = env.get("VEILLE_CONFIG").map(std::path::PathBuf::from);
    let path = super::config_path(given, &env).ok()?;
    crate::config::load(&path, &env, &crate::config::Overrides::default()).ok()
}

/// The candidates among `names` (with their help) that start with what was typed.
fn starting_with(current: &OsStr, names: Vec<(String, String)>) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    names
        .into_iter()
        .filter(|(name, _)| name.starts_with(typed.as_ref()))
        .map(|(name, help)| CompletionCandidate::new(name).help(Some(help.into())))
        .collect()
}

/// `--source NAME`, `source test NAME`: the configured sources, with their URLs.
fn complete_sources(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(config) = configuration() else {
        return Vec::new();
    };
    let names = config
        .sources
        .iter()
        .map(|s| (s.name.clone(), s.url.to_string()))
        .collect();
    starting_with(current, names)
}

/// `--tag T`: the configured topics, with their labels.
fn complete_topics(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(config) = configuration() else {
        return Vec::new();
    };
    let names = config
        .topics
        .iter()
        .map(|t| (t.name.clone(), t.label.clone()))
        .collect();
    starting_with(current, names)
}

/// `show ID`: the newest stored articles, with their titles.
fn complete_ids(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(config) = configuration() else {
        return Vec::new();
    };
    let Ok(store) = crate::store::Store::open(&config.settings.database) else {
        return Vec::new();
    };
    let filter = crate::store::Filter {
        query: None,
        sources: Vec::new(),
        tags: Vec::new(),
        since: None,
        until: None,
        limit: Some(COMPLETED_IDS),
        all: true,
    };
    let rows = store.search(&filter).unwrap_or_default();
    starting_with(
        current,
        rows.into_iter()
            .map(|r| (r.id.to_string(), r.title))
            .collect(),
    )
}
