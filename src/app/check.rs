//! `veille check`: the configuration was validated while loading; say what it holds.

use super::{Context, Outcome};

pub fn run(context: &Context) -> anyhow::Result<Outcome> {
    let config = &context.config;
    if !context.quiet {
        let enabled = config.sources.iter().filter(|s| s.enabled).count();
        println!(
            "{}: OK: {} sources ({enabled} enabled), {} topics; database {}",
            config.path.display(),
            config.sources.len(),
            config.topics.len(),
            config.settings.database.display()
        );
    }
    Ok(Outcome::Success)
}
