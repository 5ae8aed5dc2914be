//! `veille check`: the configuration was validated while loading; say what it holds.

use super::{Context, Outcome};

pub fn run(context: &Context) -> anyhow::Result<Outcome> {
    let config = &context.config;
    if !context.quiet {
        let enabled = config.sources.iter().filter(|s| s.enabled).count();
        println!(
            "{}: OK: {} ({enabled} enabled), {}; database {}",
            config.path.display(),
            super::output::plural(config.sources.len() as u64, "source", "sources"),
            super::output::plural(config.topics.len() as u64, "topic", "topics"),
            config.settings.database.display()
        );
    }
    Ok(Outcome::Success)
}
