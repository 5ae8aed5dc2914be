//! One file per subcommand: the only place where the stages meet the network, the database,
//! the clock and the terminal. `run` resolves the configuration once and hands it down.

mod add;
mod check;
mod collect;
mod config_file;
mod digest;
mod extract;
mod fetch;
mod init;
mod learn;
mod lock;
mod opml;
mod output;
mod progress;
mod search;
pub mod shell;
mod show;
mod source_remove;
mod source_test;
mod sources;
mod suggest;
mod tag;
mod tags;

use crate::cli::{Cli, Command};
use crate::config::{self, Config, ConfigError, Overrides};
use crate::store::Store;
use anyhow::Context as _;
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
        let database = &self.config.settings.database;
        // The default database lives in $XDG_DATA_HOME/veille/, which may not exist yet.
        if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        }
        Store::open(database)
    }
}

/// The prefixes and names of the variables veille reads: one of these that is not UTF-8 is named
/// in an error (exit 2); any other variable that is not UTF-8 is none of veille's business.
const READ_VARIABLES: &[&str] = &["VEILLE_", "XDG_", "HOME", "NO_COLOR", "COLUMNS"];

/// The process environment as text. `std::env::vars` panics on the first variable that is not
/// UTF-8, so every command would die for a variable it never reads.
fn environment() -> Result<HashMap<String, String>, UsageError> {
    environment_from(std::env::vars_os())
}

fn environment_from(
    vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
) -> Result<HashMap<String, String>, UsageError> {
    let mut env = HashMap::new();
    for (key, value) in vars {
        match (key.into_string(), value.into_string()) {
            (Ok(key), Ok(value)) => {
                env.insert(key, value);
            }
            (Ok(key), Err(_)) if READ_VARIABLES.iter().any(|p| key.starts_with(p)) => {
                return Err(UsageError(format!(
                    "the environment variable {key} is not valid UTF-8: set it to a UTF-8 value or unset it"
                )));
            }
            _ => {}
        }
    }
    Ok(env)
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    // Shell integration needs no configuration.
    match &cli.command {
        Command::Completions(args) => return shell::completions(args.shell),
        Command::Man => return shell::man(),
        _ => {}
    }
    let env = environment()?;
    // `init` writes the configuration that every other command reads.
    if let Command::Init(args) = &cli.command {
        return init::run(args, cli.config.clone(), &env, cli.quiet);
    }
    let concurrency = match &cli.command {
        Command::Fetch(args) => args.concurrency.map(usize::from),
        _ => None,
    };
    let flags = Overrides {
        database: cli.db.clone(),
        concurrency,
    };
    if let Command::Extract(args) = &cli.command {
        // The settings of the configuration when there is one (user agent, time zone…), else
        // the defaults: checking a page needs no configuration.
        let config = match config_path(cli.config.clone(), &env) {
            Ok(path) => config::load(&path, &env, &flags)?,
            Err(_) => config::parse("", std::path::Path::new("feeds.toml"), &env, &flags)?,
        };
        return extract::run(args, &config.settings);
    }
    // `opml import` may be the first command of a new user: it starts the file it fills.
    let started = match &cli.command {
        Command::Opml(crate::cli::OpmlCommand::Import(_)) => {
            opml::start_config(cli.config.clone(), &env, cli.quiet)?
        }
        _ => None,
    };
    let path = config_path(cli.config.clone(), &env)?;
    let config = match config::load(&path, &env, &flags) {
        Ok(config) => config,
        Err(e) => {
            opml::unstart(started.as_deref());
            return Err(e.into());
        }
    };
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
        Command::Source(crate::cli::SourceCommand::Suggest(args)) => suggest::run(&context, &args),
        Command::Source(crate::cli::SourceCommand::Remove(args)) => {
            source_remove::run(&context, &args, &env, &flags)
        }
        Command::Tags(args) => tags::run(&context, &args),
        Command::Retag => tags::retag(&context),
        Command::Tag(args) => tag::run(&context, &args),
        Command::Check => check::run(&context),
        Command::Add(args) => add::run(&context, &args, &env, &flags),
        Command::Opml(crate::cli::OpmlCommand::Import(args)) => {
            let imported = opml::import(&context, &args, &env, &flags);
            if imported.is_err() {
                opml::unstart(started.as_deref());
            }
            imported
        }
        Command::Opml(crate::cli::OpmlCommand::Export(args)) => opml::export(&context, &args),
        Command::Completions(_) | Command::Man | Command::Init(_) | Command::Extract(_) => {
            unreachable!("handled before the configuration")
        }
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
    let candidates = config::default_paths(config::config_dir(env));
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .ok_or_else(|| ConfigError {
            errors: vec![format!(
                "no configuration found (looked for {}): run `veille init`, or pass --config PATH",
                candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" and ")
            )],
        })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;

    fn latin1(bytes: &[u8]) -> OsString {
        OsString::from_vec(bytes.to_vec())
    }

    #[test]
    fn a_variable_that_is_not_utf8_is_ignored_unless_veille_reads_it() {
        let vars = vec![
            (OsString::from("LANG"), OsString::from("fr_FR.UTF-8")),
            (OsString::from("OLD_NAME"), latin1(b"caf\xe9")),
            (latin1(b"CL\xc9"), OsString::from("x")),
        ];
        let env = environment_from(vars.into_iter()).expect("nothing veille reads is broken");
        assert_eq!(env.len(), 1);
        assert_eq!(env["LANG"], "fr_FR.UTF-8");

        let vars = vec![(OsString::from("VEILLE_TIMEZONE"), latin1(b"Europe/\xc9"))];
        let error = environment_from(vars.into_iter()).expect_err("veille reads it");
        assert!(
            error.0.contains("VEILLE_TIMEZONE is not valid UTF-8"),
            "{error}"
        );
    }
}
