//! `veille init`: write a commented starter `feeds.toml` where veille will find it. Runs before
//! any configuration is loaded; it never overwrites a file unless told to.

use super::{Outcome, UsageError};
use crate::cli::InitArgs;
use anyhow::Context as _;
use std::collections::HashMap;
use std::path::PathBuf;

/// The shipped configuration: real sources and the default topics.
const SHIPPED: &str = include_str!("../../feeds.toml");

/// The shipped configuration with its `database` line commented out, so that the database of a
/// configuration in `$XDG_CONFIG_HOME` goes to `$XDG_DATA_HOME/veille/`.
pub fn starter() -> String {
    let mut in_settings = false;
    let mut out = String::with_capacity(SHIPPED.len() + 100);
    for line in SHIPPED.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_settings = trimmed.starts_with("[settings]");
        }
        if in_settings && trimmed.starts_with("database") && trimmed.contains('=') {
            out.push_str(
                "# database = \"veille.db\"    # relative to this file; unset: $XDG_DATA_HOME/veille/veille.db\n",
            );
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

pub fn run(
    args: &InitArgs,
    given: Option<PathBuf>,
    env: &HashMap<String, String>,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    let path = match given {
        Some(path) => path,
        None => crate::config::config_dir(env)
            .map(|dir| dir.join("veille").join("feeds.toml"))
            .ok_or_else(|| {
                UsageError(
                    "neither XDG_CONFIG_HOME nor HOME is set: pass --config PATH to say where to write"
                        .into(),
                )
            })?,
    };
    if path.exists() && !args.force {
        return Err(UsageError(format!(
            "{} already exists: edit it, or run `veille init --force` to replace it with the starter",
            path.display()
        ))
        .into());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    std::fs::write(&path, starter()).with_context(|| format!("cannot write {}", path.display()))?;
    if !quiet {
        println!("wrote {}", path.display());
        println!("next: `veille check`, then `veille fetch`; add sources with `veille add URL`");
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{parse, Overrides};
    use std::path::Path;

    #[test]
    fn the_starter_is_valid_and_leaves_the_database_to_xdg() {
        let text = starter();
        assert!(!text.lines().any(|l| l.starts_with("database")), "{text}");
        let env = HashMap::from([("XDG_DATA_HOME".to_string(), "/data".to_string())]);
        let config = parse(
            &text,
            Path::new("/conf/veille/feeds.toml"),
            &env,
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(
            config.settings.database,
            PathBuf::from("/data/veille/veille.db")
        );
        assert!(!config.sources.is_empty() && !config.topics.is_empty());
    }
}
