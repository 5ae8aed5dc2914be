//! `veille opml import FILE` and `veille opml export`: exchange sources with other readers.
//! Import appends the new feeds to `feeds.toml` (comments kept) and names what it skipped;
//! export prints the feed sources as OPML 2.0.

use super::config_file;
use super::{Context, Outcome, UsageError};
use crate::cli::{OpmlExportArgs, OpmlImportArgs};
use crate::config::edit::{derive_name, NewSource};
use crate::config::Overrides;
use crate::model::SourceKind;
use crate::normalize::canonical_url;
use crate::opml;
use anyhow::Context as _;
use std::collections::HashMap;
use std::io::Write;
use url::Url;

/// Skipped outlines listed one a line; beyond this, a count.
const MAX_LISTED_SKIPS: usize = 50;

pub fn import(
    context: &Context,
    args: &OpmlImportArgs,
    env: &HashMap<String, String>,
    flags: &Overrides,
) -> anyhow::Result<Outcome> {
    let file = args.file.display();
    let bytes =
        std::fs::read(&args.file).map_err(|e| UsageError(format!("{file}: cannot read: {e}")))?;
    let outlines = opml::parse(&bytes).map_err(|e| UsageError(format!("{file}: {e}")))?;
    let configured = config_file::configured_urls(context);
    let mut taken = config_file::configured_names(context);
    // Canonical URL → the line of the outline that brought it, for duplicates inside the file.
    let mut in_file: HashMap<String, usize> = HashMap::new();
    let mut new = Vec::new();
    let (mut already, mut invalid, mut twice) = (0, 0, 0);
    let mut skipped: Vec<String> = Vec::new();
    for outline in &outlines {
        let at = format!("{file}:{}", outline.line);
        let Some(url) = canonical_url(&outline.xml_url, None) else {
            invalid += 1;
            skipped.push(format!(
                "{at}: {} is not an http or https URL",
                outline.xml_url
            ));
            continue;
        };
        if let Some(name) = configured.get(&url) {
            already += 1;
            skipped.push(format!("{at}: {url} is already configured as `{name}`"));
            continue;
        }
        if let Some(first) = in_file.get(&url) {
            twice += 1;
            skipped.push(format!("{at}: {url} was already listed at line {first}"));
            continue;
        }
        in_file.insert(url.clone(), outline.line);
        let parsed = Url::parse(&url)?;
        let name = derive_name(outline.title.as_deref(), &parsed, &mut taken);
        new.push(NewSource {
            name,
            url,
            kind: SourceKind::Feed,
            tags: outline.tags.clone(),
            selectors: Vec::new(),
        });
    }
    if !new.is_empty() {
        config_file::append(context, &new, env, flags)?;
    }
    if !context.quiet {
        for line in skipped.iter().take(MAX_LISTED_SKIPS) {
            eprintln!("skipped {line}");
        }
        if skipped.len() > MAX_LISTED_SKIPS {
            eprintln!("… and {} more skipped", skipped.len() - MAX_LISTED_SKIPS);
        }
        println!(
            "{} imported into {}; skipped: {already} already configured, {twice} listed twice, {invalid} not http(s)",
            super::output::plural(new.len() as u64, "source", "sources"),
            context.config.path.display()
        );
        if !new.is_empty() {
            println!("next: `veille check`, then `veille fetch`");
        }
    }
    Ok(Outcome::Success)
}

/// The first lines of a configuration that `opml import` starts.
const STARTED: &str = "# veille configuration, started by `veille opml import`.\n\
# `veille init` writes a commented example with every setting and the default topics.\n\
[settings]\n";

/// When no configuration exists yet (at `--config`, else at none of the default paths), write
/// one holding only `[settings]` where `veille init` would, and return its path.
pub fn start_config(
    given: Option<std::path::PathBuf>,
    env: &HashMap<String, String>,
    quiet: bool,
) -> anyhow::Result<Option<std::path::PathBuf>> {
    let path = match given {
        Some(path) => path,
        None => {
            let defaults = crate::config::default_paths(crate::config::config_dir(env));
            if defaults.iter().any(|p| p.is_file()) {
                return Ok(None);
            }
            match defaults.last() {
                Some(path) if defaults.len() > 1 => path.clone(),
                // Neither XDG_CONFIG_HOME nor HOME: the usual error names what to do.
                _ => return Ok(None),
            }
        }
    };
    if path.exists() {
        return Ok(None);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    std::fs::write(&path, STARTED).with_context(|| format!("cannot write {}", path.display()))?;
    if !quiet {
        eprintln!("created {}", path.display());
    }
    Ok(Some(path))
}

/// Remove the configuration [`start_config`] wrote when the import then failed: a failed
/// command leaves nothing behind.
pub fn unstart(started: Option<&std::path::Path>) {
    if let Some(path) = started {
        let _ = std::fs::remove_file(path);
    }
}

pub fn export(context: &Context, args: &OpmlExportArgs) -> anyhow::Result<Outcome> {
    let (feeds, pages): (Vec<_>, Vec<_>) = context
        .config
        .sources
        .iter()
        .partition(|s| s.kind == SourceKind::Feed);
    let exported: Vec<opml::Exported> = feeds
        .iter()
        .map(|s| opml::Exported {
            name: &s.name,
            url: s.url.as_str(),
            tags: &s.tags,
        })
        .collect();
    let title = context.config.digest.title.as_str();
    let text = opml::write(title, &exported, chrono::Utc::now());
    match &args.out {
        Some(path) => std::fs::write(path, &text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    if !pages.is_empty() && !context.quiet {
        let names: Vec<&str> = pages.iter().map(|s| s.name.as_str()).collect();
        eprintln!(
            "{} html sources left out (other readers cannot read a page with selectors): {}",
            pages.len(),
            names.join(", ")
        );
    }
    Ok(Outcome::Success)
}
