//! `veille digest`: the period (flags, `last` from the recorded digests, the clock) → the store's
//! candidate stories → `digest::build` → templates → stdout / `--out` / an email sent through
//! SMTP or sendmail → the digest recorded. Also `--list` and `--replay` of recorded digests.
//!
//! `VEILLE_NOW` (RFC 3339) replaces the clock, for tests and to rebuild a past digest.

mod json;
mod send;

use super::output::{fit, pad, terminal_width};
use super::{Context, Outcome, UsageError};
use crate::cli::{DigestArgs, DigestFormat};
use crate::config::Config;
use crate::digest::email::{self, Envelope};
use crate::digest::render::{self, Kind, Templates};
use crate::digest::{self, Candidate, Digest, Options};
use crate::query::parse_instant;
use crate::store::{DigestRecord, NewDigest, Store};
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use lettre::Message;
use std::collections::{HashMap, HashSet};
use std::io::Write;

/// The period of `--since last` when no digest was ever recorded.
const DEFAULT_SPAN: &str = "7d";
/// Replaces the clock when set (RFC 3339).
pub const NOW_VARIABLE: &str = "VEILLE_NOW";

pub fn run(context: &Context, args: &DigestArgs) -> anyhow::Result<Outcome> {
    let now = now()?;
    if args.list {
        return list(context, args);
    }
    if let Some(id) = args.replay {
        return replay(context, args, id);
    }
    let format = format(args)?;
    let config = &context.config;
    check_names(config, args)?;
    let mut store = context.open_store()?;
    let (since, until) = period(config, &store, args, now)?;
    let candidates = store
        .digest_candidates(since, until)
        .context("cannot read the stories of the period")?;
    let configured: HashSet<&str> = config.sources.iter().map(|s| s.name.as_str()).collect();
    let failed = store
        .failed_sources(since)
        .context("cannot read the health of the sources")?
        .into_iter()
        .filter(|f| configured.contains(f.name.as_str()))
        .collect();
    let options = Options {
        title: config.digest.title.clone(),
        lang: config.digest.lang,
        topics: config
            .topics
            .iter()
            .map(|t| (t.name.clone(), t.label.clone()))
            .collect(),
        since,
        until,
        timezone: config.settings.timezone,
        other: config.digest.other,
        max_age: config
            .digest
            .max_age
            .and_then(|age| chrono::Duration::from_std(age).ok()),
        sources: args.sources.clone(),
        tags: args.tags.clone(),
    };
    let members = members_of(&candidates);
    let built = digest::build(candidates, failed, &options, now);
    let templates = templates(config, args, format)?;

    let recipients = recipients(config, args)?;
    let mut email_meta = None;
    let output = if format == DigestFormat::Email {
        let from = sender(config)?;
        let message_id = email::message_id(from, now, salt(now));
        let subject = render::subject(&built, &config.email.subject).map_err(template_error)?;
        let message = email_message(
            &built,
            &templates,
            from,
            &recipients,
            &subject,
            now,
            &message_id,
        )?;
        let bytes = message.formatted();
        email_meta = Some((message, subject, message_id));
        bytes
    } else {
        render_to_bytes(&built, &templates, format)?
    };

    let sent = args.send && !args.dry_run;
    if let (true, Some((message, _, _))) = (sent, &email_meta) {
        send::deliver(config, message)?;
    }
    if !args.send || args.dry_run || args.out.is_some() {
        write_output(args, &output)?;
    }
    if sent || args.mark {
        let articles: Vec<(i64, i64)> = built
            .entries()
            .flat_map(|e| {
                members
                    .get(&e.story)
                    .into_iter()
                    .flatten()
                    .map(|&a| (a, e.story))
            })
            .collect();
        let snapshot = serde_json::to_string(&built).context("cannot save the digest")?;
        let to: Vec<String> = if sent {
            recipients.iter().map(|m| m.to_string()).collect()
        } else {
            Vec::new()
        };
        let id = store
            .record_digest(&NewDigest {
                created_at: now,
                since,
                until,
                format: format_name(format),
                sent,
                recipients: &to,
                message_id: email_meta.as_ref().map(|(_, _, id)| id.as_str()),
                subject: email_meta.as_ref().map(|(_, s, _)| s.as_str()),
                snapshot: &snapshot,
                articles: &articles,
            })
            .context("cannot record the digest")?;
        if !context.quiet {
            let what = if sent {
                format!("sent to {}", to.join(", "))
            } else {
                "marked".to_string()
            };
            eprintln!(
                "digest {id} {what}: {} {} ({})",
                built.total,
                plural(built.total, "story", "stories"),
                built.period.words
            );
        }
    } else if args.send && !context.quiet {
        eprintln!("dry run: nothing sent, nothing recorded");
    }
    Ok(Outcome::Success)
}

/// The clock, or `VEILLE_NOW`.
fn now() -> Result<DateTime<Utc>, UsageError> {
    match std::env::var(NOW_VARIABLE) {
        Ok(text) => DateTime::parse_from_rfc3339(text.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| {
                UsageError(format!(
                    "{NOW_VARIABLE}: `{text}` is not an RFC 3339 time: {e}"
                ))
            }),
        Err(_) => Ok(Utc::now()),
    }
}

fn format(args: &DigestArgs) -> Result<DigestFormat, UsageError> {
    match args.format {
        None if args.send => Ok(DigestFormat::Email),
        None => Ok(DigestFormat::Markdown),
        Some(other) if args.send && other != DigestFormat::Email => Err(UsageError(format!(
            "--send sends an email: leave out --format {}, or use --format email",
            format_name(other)
        ))),
        Some(format) => Ok(format),
    }
}

fn format_name(format: DigestFormat) -> &'static str {
    match format {
        DigestFormat::Markdown => "markdown",
        DigestFormat::Html => "html",
        DigestFormat::Text => "text",
        DigestFormat::Email => "email",
        DigestFormat::Json => "json",
    }
}

fn parse_format(name: &str) -> DigestFormat {
    match name {
        "html" => DigestFormat::Html,
        "text" => DigestFormat::Text,
        "email" => DigestFormat::Email,
        "json" => DigestFormat::Json,
        _ => DigestFormat::Markdown,
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `--tag` and `--source` must name configured topics and sources: a typo would silently give an
/// empty digest.
fn check_names(config: &Config, args: &DigestArgs) -> Result<(), UsageError> {
    for tag in &args.tags {
        if !config.topics.iter().any(|t| &t.name == tag) {
            let known: Vec<&str> = config.topics.iter().map(|t| t.name.as_str()).collect();
            return Err(UsageError(format!(
                "--tag {tag}: no such topic (topics: {})",
                known.join(", ")
            )));
        }
    }
    for source in &args.sources {
        if !config.sources.iter().any(|s| &s.name == source) {
            return Err(UsageError(format!(
                "--source {source}: no such source in {}",
                config.path.display()
            )));
        }
    }
    Ok(())
}

/// `[since, until)`: `--since last` (the default) starts where the last recorded digest ended,
/// or 7 days back when none was recorded.
fn period(
    config: &Config,
    store: &Store,
    args: &DigestArgs,
    now: DateTime<Utc>,
) -> anyhow::Result<(DateTime<Utc>, DateTime<Utc>)> {
    let tz = config.settings.timezone;
    let instant = |flag: &str, text: &str| {
        parse_instant(text, now, &tz).map_err(|e| UsageError(format!("{flag}: {e}")))
    };
    let until = match &args.until {
        Some(text) => instant("--until", text)?,
        None => now,
    };
    let since = match args.since.as_deref().unwrap_or("last") {
        "last" => match store.last_digest_until()? {
            Some(last) => last,
            None => instant("--since", DEFAULT_SPAN)?,
        },
        text => instant("--since", text)?,
    };
    if since > until {
        return Err(UsageError(format!(
            "the period is reversed: it starts ({}) after its end ({})",
            since.to_rfc3339(),
            until.to_rfc3339()
        ))
        .into());
    }
    Ok((since, until))
}

/// story → the ids of all its members, to record what a digest carried.
fn members_of(candidates: &[Candidate]) -> HashMap<i64, Vec<i64>> {
    candidates
        .iter()
        .map(|c| (c.story, c.members.iter().map(|m| m.id).collect()))
        .collect()
}

/// The built-in templates, replaced by those of `templates_dir`, then by `--template`.
fn templates(
    config: &Config,
    args: &DigestArgs,
    format: DigestFormat,
) -> anyhow::Result<Templates> {
    let mut templates = Templates::default();
    if let Some(dir) = &config.digest.templates_dir {
        if !dir.is_dir() {
            return Err(UsageError(format!(
                "digest.templates_dir: {} is not a folder",
                dir.display()
            ))
            .into());
        }
        for kind in Kind::ALL {
            let path = dir.join(kind.file_name());
            if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read the template {}", path.display()))?;
                templates.replace(kind, text);
            }
        }
    }
    if let Some(path) = &args.template {
        let kind = match format {
            DigestFormat::Markdown => Kind::Markdown,
            DigestFormat::Html | DigestFormat::Email => Kind::Html,
            DigestFormat::Text => Kind::Text,
            DigestFormat::Json => {
                return Err(UsageError("--template does not apply to --format json".into()).into())
            }
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| UsageError(format!("--template {}: {e}", path.display())))?;
        templates.replace(kind, text);
    }
    Ok(templates)
}

/// `--to`, else `[email] to`.
fn recipients(config: &Config, args: &DigestArgs) -> Result<Vec<Mailbox>, UsageError> {
    if args.to.is_empty() {
        return Ok(config.email.to.clone());
    }
    args.to
        .iter()
        .map(|to| {
            to.parse::<Mailbox>()
                .map_err(|e| UsageError(format!("--to {to}: not an email address: {e}")))
        })
        .collect()
}

fn sender(config: &Config) -> Result<&Mailbox, UsageError> {
    config.email.from.as_ref().ok_or_else(|| {
        UsageError(format!(
            "{}: set `from` in [email] (such as \"Veille <veille@example.org>\") to build an email",
            config.path.display()
        ))
    })
}

/// Something of this process, so that two digests built in the same nanosecond differ.
fn salt(now: DateTime<Utc>) -> u64 {
    u64::from(std::process::id()) << 32 ^ u64::from(now.timestamp_subsec_nanos())
}

fn email_message(
    built: &Digest,
    templates: &Templates,
    from: &Mailbox,
    to: &[Mailbox],
    subject: &str,
    date: DateTime<Utc>,
    message_id: &str,
) -> anyhow::Result<Message> {
    let text = render::render(built, templates, Kind::Text).map_err(template_error)?;
    let html = render::render(built, templates, Kind::Html).map_err(template_error)?;
    let envelope = Envelope {
        from,
        to,
        subject,
        date,
        message_id,
    };
    email::message(&envelope, text, html).map_err(|e| match e {
        email::EmailError::NoRecipient => UsageError(e.to_string()).into(),
        other => anyhow::Error::new(other),
    })
}

/// A template that does not parse or render is the user's to fix (exit 2).
fn template_error(error: render::RenderError) -> UsageError {
    UsageError(error.to_string())
}

fn render_to_bytes(
    built: &Digest,
    templates: &Templates,
    format: DigestFormat,
) -> anyhow::Result<Vec<u8>> {
    let kind = match format {
        DigestFormat::Markdown => Kind::Markdown,
        DigestFormat::Html => Kind::Html,
        DigestFormat::Text => Kind::Text,
        DigestFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(&json::DigestJson::new(built))?;
            bytes.push(b'\n');
            return Ok(bytes);
        }
        DigestFormat::Email => anyhow::bail!("an email is built by email_message"),
    };
    Ok(render::render(built, templates, kind)
        .map_err(template_error)?
        .into_bytes())
}

fn write_output(args: &DigestArgs, output: &[u8]) -> anyhow::Result<()> {
    match &args.out {
        Some(path) => std::fs::write(path, output)
            .with_context(|| format!("cannot write the digest to {}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(output)?;
            out.flush().context("cannot write the digest")
        }
    }
}

/// `--list`: the recorded digests, newest first.
fn list(context: &Context, args: &DigestArgs) -> anyhow::Result<Outcome> {
    let store = context.open_store()?;
    let records = store
        .digests()
        .context("cannot read the recorded digests")?;
    let mut out = std::io::stdout().lock();
    if args.format == Some(DigestFormat::Json) {
        let items: Vec<json::RecordJson> = records.iter().map(json::RecordJson::new).collect();
        serde_json::to_writer_pretty(&mut out, &items)?;
        writeln!(out)?;
        return Ok(Outcome::Success);
    }
    if records.is_empty() {
        if !context.quiet {
            eprintln!("no digest was sent or marked yet");
        }
        return Ok(Outcome::Success);
    }
    let width = terminal_width();
    writeln!(
        out,
        "{:>4}  {}  {}  STORIES  {}  TO",
        "ID",
        pad("CREATED", 20),
        pad("PERIOD", 41),
        pad("HOW", 6)
    )?;
    for r in &records {
        let how = if r.sent { "sent" } else { "marked" };
        let line = format!(
            "{:>4}  {}  {} → {}  {:>7}  {}  {}",
            r.id,
            pad(&r.created_at, 20),
            pad(&r.since, 20),
            pad(&r.until, 20),
            r.stories,
            pad(how, 6),
            r.recipients.join(", ")
        );
        writeln!(out, "{}", fit(&line, width.max(100)))?;
    }
    Ok(Outcome::Success)
}

/// `--replay ID`: render a recorded digest again from what it recorded (its entries, date,
/// subject and Message-ID), in its format unless `--format` says otherwise.
fn replay(context: &Context, args: &DigestArgs, id: i64) -> anyhow::Result<Outcome> {
    let store = context.open_store()?;
    let record: DigestRecord = store
        .digest(id)
        .context("cannot read the recorded digests")?
        .ok_or_else(|| {
            UsageError(format!(
                "--replay {id}: no such digest (see veille digest --list)"
            ))
        })?;
    let built: Digest = serde_json::from_str(&record.snapshot)
        .with_context(|| format!("digest {id} was recorded by an incompatible veille"))?;
    let format = args.format.unwrap_or_else(|| parse_format(&record.format));
    let config = &context.config;
    let templates = templates(config, args, format)?;
    let output = if format == DigestFormat::Email {
        let from = sender(config)?;
        let to: Vec<Mailbox> = if record.recipients.is_empty() {
            recipients(config, args)?
        } else {
            record
                .recipients
                .iter()
                .filter_map(|r| r.parse().ok())
                .collect()
        };
        let subject = match &record.subject {
            Some(subject) => subject.clone(),
            None => render::subject(&built, &config.email.subject).map_err(template_error)?,
        };
        let message_id = record
            .message_id
            .clone()
            .unwrap_or_else(|| email::message_id(from, built.generated, id as u64));
        email_message(
            &built,
            &templates,
            from,
            &to,
            &subject,
            built.generated,
            &message_id,
        )?
        .formatted()
    } else {
        render_to_bytes(&built, &templates, format)?
    };
    write_output(args, &output)?;
    Ok(Outcome::Success)
}
