//! `veille source remove NAME`: the source leaves `feeds.toml` (every other byte kept), its
//! health and validators leave the database, and its articles stay or go as the user says;
//! and the note `fetch` and `sources` give about articles of sources no longer configured.

use super::output::plural;
use super::{config_file, Context, Outcome, UsageError};
use crate::cli::SourceRemoveArgs;
use crate::config::Overrides;
use crate::store::Store;
use std::collections::HashMap;
use std::time::Duration;

/// How long `source remove` waits for a fetch of the same database to finish.
const LOCK_WAIT: Duration = Duration::from_secs(10);

pub fn run(
    context: &Context,
    args: &SourceRemoveArgs,
    env: &HashMap<String, String>,
    flags: &Overrides,
) -> anyhow::Result<Outcome> {
    let name = args.name.as_str();
    let config_path = context.config.path.display();
    let configured = context.config.sources.iter().find(|s| s.name == name);
    // A fetch must not write this source's articles while they are deleted.
    let _lock = super::lock::acquire(&context.config.settings.database, LOCK_WAIT)?;
    let mut store = context.open_store()?;
    let stored = store.count_articles(name)?;
    if configured.is_none() && stored == 0 {
        return Err(UsageError(format!(
            "no source named `{name}` in {config_path}, and no stored article of one (see `veille sources`)"
        ))
        .into());
    }
    if stored > 0 && !args.keep_articles && !args.delete_articles {
        return Err(UsageError(format!(
            "`{name}` has {} stored: say what becomes of them with --keep-articles (search, show \
             and digests still find them) or --delete-articles (with their tags, index entries \
             and the stories they leave); nothing was changed",
            plural(stored as u64, "article", "articles")
        ))
        .into());
    }
    // The database first: if editing the file then fails, the source is still configured and
    // the same command can be run again.
    let url = configured.map(|s| s.url.to_string());
    let removed = store.remove_source(
        name,
        url.as_deref(),
        args.delete_articles,
        chrono::Utc::now(),
    )?;
    if configured.is_some() {
        config_file::remove(context, name, env, flags)?;
    }
    if context.quiet {
        return Ok(Outcome::Success);
    }
    let from = match configured {
        Some(_) => format!("removed `{name}` from {config_path}"),
        None => format!("`{name}` was not in {config_path}"),
    };
    let articles = match (stored, args.delete_articles) {
        (0, _) => "it had no stored article".to_string(),
        (_, true) => format!(
            "deleted its {} and {} left without another copy",
            plural(removed.articles as u64, "article", "articles"),
            plural(removed.stories as u64, "story", "stories")
        ),
        (n, false) => format!(
            "kept its {} (`veille search --source {name}` finds them)",
            plural(n as u64, "article", "articles")
        ),
    };
    println!("{from}; {articles}");
    Ok(Outcome::Success)
}

/// A line about the stored articles of sources the configuration no longer names, or none.
pub fn unconfigured_note(context: &Context, store: &Store) -> anyhow::Result<Option<String>> {
    let mut orphans = Vec::new();
    for name in store.stored_sources()? {
        if !context.config.sources.iter().any(|s| s.name == name) {
            let count = store.count_articles(&name)?;
            orphans.push(format!("{name} ({count})"));
        }
    }
    Ok((!orphans.is_empty()).then(|| {
        format!(
            "note: stored articles of sources no longer in {}: {}; `veille source remove NAME \
             --delete-articles` deletes them, `--keep-articles` keeps them quietly",
            context.config.path.display(),
            orphans.join(", ")
        )
    }))
}
