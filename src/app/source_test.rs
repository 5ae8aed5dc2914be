//! `veille source test NAME`: fetch one source exactly as `fetch` would, and print what it would
//! store (title, date, author, URL, the first lines of the text), storing nothing. For tuning
//! selectors in seconds: no database, no lock, no validators.

use super::collect::{Collected, Job, Known};
use super::{Context, Outcome, UsageError};
use crate::cli::SourceTestArgs;
use crate::fetch::Validators;
use crate::model::Source;
use std::fmt::Write;
use std::sync::Arc;

/// Width of the text lines printed under each item.
const TEXT_WIDTH: usize = 100;

pub fn run(context: &Context, args: &SourceTestArgs) -> anyhow::Result<Outcome> {
    let source = context
        .config
        .sources
        .iter()
        .find(|s| s.name == args.name)
        .cloned()
        .ok_or_else(|| {
            UsageError(format!(
                "no source named `{}` in the configuration",
                args.name
            ))
        })?;
    let trace = (context.verbose > 1)
        .then(|| Arc::new(|line: &str| eprintln!("{line}")) as crate::fetch::Trace);
    let collector = Arc::new(super::fetch::collector(context, trace)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let job = Job {
        source: source.clone(),
        validators: Validators::default(),
        known: Known::Nothing,
        page_budget: args.limit,
    };
    let collected = runtime.block_on(collector.collect(job));
    match collected {
        Collected::Failed { message, .. } => {
            anyhow::bail!("{}: {message} ({})", source.name, source.url)
        }
        Collected::NotModified => {
            println!("{}: not modified", source.name);
            Ok(Outcome::Success)
        }
        Collected::Parsed {
            articles,
            mut notes,
            warnings,
            ..
        } => {
            notes.extend(warnings.into_iter().map(|w| format!("warning: {w}")));
            let drafts: Vec<_> = articles.iter().map(|a| &a.draft).collect();
            print!(
                "{}",
                render(
                    &source,
                    &drafts,
                    &notes,
                    args,
                    context.config.settings.timezone
                )
            );
            Ok(Outcome::Success)
        }
    }
}

fn render(
    source: &Source,
    drafts: &[&crate::model::ArticleDraft],
    notes: &[String],
    args: &SourceTestArgs,
    tz: chrono_tz::Tz,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}): {}\n{} would be stored (nothing was stored)\n",
        source.name,
        source.kind.as_str(),
        source.url,
        super::output::plural(drafts.len() as u64, "item", "items")
    );
    for (n, draft) in drafts.iter().enumerate() {
        let date = draft.published.map_or_else(
            || "no date".to_string(),
            |d| d.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string(),
        );
        let author = draft.author.as_deref().unwrap_or("no author");
        let words = draft.text.split_whitespace().count();
        let _ = writeln!(out, "{}. {}", n + 1, draft.title);
        let _ = writeln!(out, "   {date} · {author} · {words} words");
        let _ = writeln!(out, "   {}", draft.url.as_deref().unwrap_or("(no link)"));
        for line in first_lines(&draft.text, args.lines) {
            let _ = writeln!(out, "   | {line}");
        }
        out.push('\n');
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "notes:");
        for note in notes {
            let _ = writeln!(out, "  - {note}");
        }
    }
    out
}

/// The first `count` lines of `text` wrapped at [`TEXT_WIDTH`] characters, on word boundaries.
fn first_lines(text: &str, count: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > TEXT_WIDTH {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        if lines.len() >= count {
            break;
        }
    }
    lines.truncate(count);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_lines_wrap_on_words_and_stop_at_the_count() {
        let text = format!("{}\n\nSecond paragraph.\n\nThird.", "mot ".repeat(40));
        let lines = first_lines(&text, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].chars().count() <= TEXT_WIDTH);
        assert!(lines[0].ends_with("mot"));
        assert_eq!(first_lines("", 3), Vec::<String>::new());
        assert_eq!(first_lines("a\n\nb\n\nc", 5), ["a", "b", "c"]);
    }
}
