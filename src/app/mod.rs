//! One file per subcommand: the only place where the stages meet the network, the database,
//! the clock and the terminal. `run` resolves the configuration once and hands it down.

mod check;
mod collect;
mod digest;
mod fetch;
mod lock;
mod output;
mod progress;
mod search;
mod shell;
mod show;
mod source_test;
mod sources;
mod tags;

use crate::cli::{Cli, Command};
use crate::config::{self, Config, ConfigError, Overrides};
use crate::store::Store;
use std::collections::HashMap;
use std::path::PathBuf;

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// `fetch` stored what it could, but at least one source failed (exit 3).
    SomeSourcesFailed,
    /// `fetch` was stopped by SIGINT (exit 130) or SIGTERM (exit 143): what was complete is stored.
    Interrupted(u8),
}

/// A mistake in what the user typed (exit 2), as opposed to a runtime failure (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// What every command may need, resolved once.
pub struct Context {
    pub config: Config,
    pub quiet: bool,
    pub verbose: u8,
    /// Whether tables on stdout may use colours (`--color`, `NO_COLOR`, a terminal).
    pub color: bool,
}

impl Context {
    pub fn open_store(&self) -> anyhow::Result<Store> {
        Store::open(&self.config.settings.database)
    }
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    // Shell integration needs no configuration.
    match &cli.command {
        Command::Completions(args) => return shell::completions(args.shell),
        Command::Man => return shell::man(),
        _ => {}
    }
    let env: HashMap<String, String> = std::env::vars().collect();
    let concurrency = match &cli.command {
        Command::Fetch(args) => args.concurrency.map(usize::from),
        _ => None,
    };
    let flags = Overrides {
        database: cli.db.clone(),
        concurrency,
    };
    let path = config_path(cli.config.clone(), &env)?;
    let config = config::load(&path, &env, &flags)?;
    let context = Context {
        config,
        quiet: cli.quiet,
        verbose: cli.verbose,
        color: output::use_color(cli.color, &env),
    };
    match cli.command {
        Command::Fetch(args) => fetch::run(&context, &args),
        Command::Search(args) => search::run(&context, &args),
        Command::Stories(args) => search::stories(&context, &args),
        Command::Digest(args) => digest::run(&context, &args),
        Command::Show(args) => show::run(&context, &args),
        Command::Sources(args) => sources::run(&context, &args),
        Command::Source(crate::cli::SourceCommand::Test(args)) => source_test::run(&context, &args),
        Command::Tags(args) => tags::run(&context, &args),
        Command::Retag => tags::retag(&context),
        Command::Check => check::run(&context),
        Command::Completions(_) | Command::Man => unreachable!("handled before the configuration"),
    }
}

/// `--config` / `VEILLE_CONFIG` (clap reads both), else the first default path that exists.
fn config_path(
    given: Option<PathBuf>,
    env: &HashMap<String, String>,
) -> Result<PathBuf, ConfigError> {
    if let Some(path) = given {
        return Ok(path);
    }
    let xdg = env
        .get("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            env.get("HOME")
                .map(|home| PathBuf::from(home).join(".config"))
        });
    let candidates = config::default_paths(xdg);
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .ok_or_else(|| ConfigError {
            errors: vec![format!(
                "no configuration found (looked for {}): create one, or pass --config PATH",
                candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" and ")
            )],
        })
}
