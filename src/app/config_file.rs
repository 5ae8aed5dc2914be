//! Adding sources to the configuration file on disk, for `add` and `opml import`, and removing
//! one for `source remove`: the text is
//! edited by `config::edit`, validated by the project's loader before anything is written, and
//! read back after writing; a file the loader refuses is put back as it was.

use super::Context;
use crate::config::edit::{append_sources, remove_source, NewSource};
use crate::config::{self, Overrides};
use anyhow::Context as _;
use std::collections::{HashMap, HashSet};

/// Append `sources` to the configuration file of `context`.
pub fn append(
    context: &Context,
    sources: &[NewSource],
    env: &HashMap<String, String>,
    flags: &Overrides,
) -> anyhow::Result<()> {
    rewrite(
        context,
        |text| append_sources(text, sources),
        "the new source would make it invalid",
        env,
        flags,
    )
}

/// Remove the `[[source]]` named `name` from the configuration file of `context`.
pub fn remove(
    context: &Context,
    name: &str,
    env: &HashMap<String, String>,
    flags: &Overrides,
) -> anyhow::Result<()> {
    rewrite(
        context,
        |text| remove_source(text, name),
        "without the source it would be invalid",
        env,
        flags,
    )
}

/// Edit the configuration file with `edit`, validated before it is written and read back after.
fn rewrite(
    context: &Context,
    edit: impl FnOnce(&str) -> Result<String, String>,
    invalid: &str,
    env: &HashMap<String, String>,
    flags: &Overrides,
) -> anyhow::Result<()> {
    let path = &context.config.path;
    let original =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let edited = edit(&original).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if let Err(e) = config::parse(&edited, path, env, flags) {
        anyhow::bail!("{} was left unchanged: {invalid}:\n{e}", path.display());
    }
    std::fs::write(path, &edited).with_context(|| format!("cannot write {}", path.display()))?;
    if let Err(e) = config::load(path, env, flags) {
        std::fs::write(path, &original)
            .with_context(|| format!("cannot restore {}", path.display()))?;
        anyhow::bail!(
            "{} was restored: reading it back failed:\n{e}",
            path.display()
        );
    }
    Ok(())
}

/// The canonical URL of every configured source → its name.
pub fn configured_urls(context: &Context) -> HashMap<String, String> {
    context
        .config
        .sources
        .iter()
        .filter_map(|s| {
            Some((
                crate::normalize::canonical_url(s.url.as_str(), None)?,
                s.name.clone(),
            ))
        })
        .collect()
}

/// The names already taken.
pub fn configured_names(context: &Context) -> HashSet<String> {
    context
        .config
        .sources
        .iter()
        .map(|s| s.name.clone())
        .collect()
}
