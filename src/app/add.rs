//! `veille add URL`: find the feed of a URL (the URL itself, the `<link rel="alternate">` of a
//! page, then the usual paths), read it once to prove it works, and append it to `feeds.toml`
//! keeping the file's comments. `--kind html` adds the page itself, read with `--selector`, or
//! without any with the selectors `source suggest` finds (a feed given as a page is added as
//! a feed).

use super::config_file;
use super::output::plural;
use super::{Context, Outcome, UsageError};
use crate::cli::{AddArgs, AddKind};
use crate::config::edit::{derive_name, NewSource};
use crate::config::{valid_name, Overrides};
use crate::discover::{self, Candidate};
use crate::fetch::{Fetched, Fetcher, Validators};
use crate::model::{Selectors, SourceKind};
use crate::normalize::canonical_url;
use chrono::Utc;
use std::collections::HashMap;
use url::Url;

/// A candidate that was fetched and read as a feed.
struct Found {
    url: Url,
    title: Option<String>,
    items: usize,
}

pub fn run(
    context: &Context,
    args: &AddArgs,
    env: &HashMap<String, String>,
    flags: &Overrides,
) -> anyhow::Result<Outcome> {
    let url = canonical_url(&args.url, None)
        .and_then(|u| Url::parse(&u).ok())
        .ok_or_else(|| UsageError(format!("`{}` is not an http or https URL", args.url)))?;
    let configured = config_file::configured_urls(context);
    refuse_configured(&url, &configured)?;
    for tag in &args.tags {
        if !valid_name(tag) {
            return Err(
                UsageError(format!("`{tag}` is not a valid tag: use a-z, 0-9 and -")).into(),
            );
        }
    }
    let fetcher = Fetcher::new(&context.config.settings)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (new, report) = match args.kind {
        AddKind::Html => html_source(context, args, &url, &fetcher, &runtime)?,
        AddKind::Feed => {
            let found = runtime.block_on(find_feed(&url, &fetcher, args.pick.as_deref()))?;
            refuse_configured(&found.url, &configured)?;
            let mut taken = config_file::configured_names(context);
            let name = chosen_name(args, found.title.as_deref(), &found.url, &mut taken)?;
            let title = found
                .title
                .as_deref()
                .map_or(String::new(), |t| format!(", « {t} »"));
            let report = format!(
                "feed, {}{title}",
                plural(found.items as u64, "item", "items")
            );
            let new = NewSource {
                name,
                url: found.url.to_string(),
                kind: SourceKind::Feed,
                tags: args.tags.clone(),
                selectors: Vec::new(),
            };
            (new, report)
        }
    };
    config_file::append(context, std::slice::from_ref(&new), env, flags)?;
    if !context.quiet {
        println!(
            "added `{}` ({report}): {}\nto {}\nnext: `veille source test {}` or `veille fetch --source {}`",
            new.name,
            new.url,
            context.config.path.display(),
            new.name,
            new.name
        );
    }
    Ok(Outcome::Success)
}

fn refuse_configured(url: &Url, configured: &HashMap<String, String>) -> Result<(), UsageError> {
    match canonical_url(url.as_str(), None).and_then(|u| configured.get(&u)) {
        Some(name) => Err(UsageError(format!(
            "{url} is already configured as the source `{name}`"
        ))),
        None => Ok(()),
    }
}

/// `--name` (valid and free), else derived from the title or the host.
fn chosen_name(
    args: &AddArgs,
    title: Option<&str>,
    url: &Url,
    taken: &mut std::collections::HashSet<String>,
) -> Result<String, UsageError> {
    match &args.name {
        Some(name) if !valid_name(name) => Err(UsageError(format!(
            "`{name}` is not a valid source name: use a-z, 0-9 and -"
        ))),
        Some(name) if taken.contains(name) => Err(UsageError(format!(
            "a source is already named `{name}`: choose another --name"
        ))),
        Some(name) => Ok(name.clone()),
        None => Ok(derive_name(title, url, taken)),
    }
}

/// The URL itself if it is a feed; else the feeds its page declares, else the usual paths.
async fn find_feed(url: &Url, fetcher: &Fetcher, pick: Option<&str>) -> anyhow::Result<Found> {
    let body = match fetcher.get(url, &Validators::default(), Utc::now()).await {
        Ok(Fetched::Body(body)) => body,
        Ok(Fetched::NotModified) => {
            anyhow::bail!("{url}: the server answered 304 Not Modified to an unconditional request")
        }
        Err(e) => anyhow::bail!("{url}: {e}"),
    };
    if let Ok(feed) =
        crate::parse::feed::parse_feed(&body.bytes, body.content_type.as_deref(), &body.final_url)
    {
        return Ok(Found {
            url: url.clone(),
            title: feed.title,
            items: feed.items.len(),
        });
    }
    let html = crate::charset::decode_page(&body.bytes, body.content_type.as_deref());
    let declared = discover::alternates(&html, &body.final_url);
    let mut tried: Vec<String> = declared.iter().map(|c| c.url.to_string()).collect();
    let mut found = probe(fetcher, &declared).await;
    if found.is_empty() {
        let common: Vec<Candidate> = discover::common_paths(&body.final_url)
            .into_iter()
            .filter(|u| !declared.iter().any(|c| &c.url == u))
            .map(|url| Candidate { url, title: None })
            .collect();
        tried.extend(common.iter().map(|c| c.url.to_string()));
        found = probe(fetcher, &common).await;
    }
    match (found.len(), pick) {
        (0, _) => anyhow::bail!(
            "no feed found at {url}; tried:\n  {}\nGive the feed's URL, or read the page itself with `--kind html` (veille finds its selectors)",
            tried.join("\n  ")
        ),
        (1, None) => Ok(found.remove(0)),
        (_, None) => Err(UsageError(format!(
            "{url} names {} feeds: choose one with --pick N (or --pick URL)\n{}",
            found.len(),
            listing(&found)
        ))
        .into()),
        (_, Some(pick)) => {
            let index = match pick.trim().parse::<usize>() {
                Ok(n) => n.checked_sub(1).filter(|i| *i < found.len()),
                Err(_) => {
                    let wanted = canonical_url(pick, Some(url));
                    found
                        .iter()
                        .position(|f| canonical_url(f.url.as_str(), None) == wanted)
                }
            };
            match index {
                Some(i) => Ok(found.swap_remove(i)),
                None => Err(UsageError(format!(
                    "--pick {pick} is none of the feeds found at {url}:\n{}",
                    listing(&found)
                ))
                .into()),
            }
        }
    }
}

fn listing(found: &[Found]) -> String {
    found
        .iter()
        .enumerate()
        .map(|(i, f)| {
            format!(
                "  {}. {} — {} ({})",
                i + 1,
                f.title.as_deref().unwrap_or("(no title)"),
                f.url,
                super::output::plural(f.items as u64, "item", "items")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Fetch every candidate at once; keep, in order, those that read as feeds.
async fn probe(fetcher: &Fetcher, candidates: &[Candidate]) -> Vec<Found> {
    let attempts = candidates.iter().map(|candidate| async move {
        let Ok(Fetched::Body(body)) = fetcher
            .get(&candidate.url, &Validators::default(), Utc::now())
            .await
        else {
            return None;
        };
        let feed = crate::parse::feed::parse_feed(
            &body.bytes,
            body.content_type.as_deref(),
            &body.final_url,
        )
        .ok()?;
        Some(Found {
            url: candidate.url.clone(),
            title: feed.title.or_else(|| candidate.title.clone()),
            items: feed.items.len(),
        })
    });
    futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// `--kind html` without `--selector`: the selectors `source suggest` finds, or the feed the
/// URL turns out to be.
fn suggested_source(
    context: &Context,
    args: &AddArgs,
    url: &Url,
    fetcher: &Fetcher,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<(NewSource, String)> {
    let pick = match args.pick.as_deref().map(str::trim) {
        None => None,
        Some(n) => Some(n.parse::<usize>().map_err(|_| {
            UsageError(format!(
                "--pick {n}: with --kind html, give the number of a group `veille source suggest {url}` lists"
            ))
        })?),
    };
    let found = runtime.block_on(super::suggest::suggest_page(
        context, url, pick, true, fetcher,
    ))?;
    let mut taken = config_file::configured_names(context);
    match found {
        super::suggest::Found::Feed { title, items } => {
            let name = chosen_name(args, title.as_deref(), url, &mut taken)?;
            let new = NewSource {
                name,
                url: url.to_string(),
                kind: SourceKind::Feed,
                tags: args.tags.clone(),
                selectors: Vec::new(),
            };
            let report = format!("feed, {items} items: the URL is a feed, not a listing page, so it was added as a feed");
            Ok((new, report))
        }
        super::suggest::Found::Listing {
            pairs,
            items,
            report,
        } => {
            if !context.quiet {
                println!("{report}");
            }
            let name = chosen_name(args, None, url, &mut taken)?;
            let new = NewSource {
                name,
                url: url.to_string(),
                kind: SourceKind::Html,
                tags: args.tags.clone(),
                selectors: pairs,
            };
            Ok((new, format!("html, {items} items on the page")))
        }
    }
}

/// `--kind html`: the page itself, read once with its selectors.
fn html_source(
    context: &Context,
    args: &AddArgs,
    url: &Url,
    fetcher: &Fetcher,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<(NewSource, String)> {
    if args.selectors.is_empty() {
        return suggested_source(context, args, url, fetcher, runtime);
    }
    let mut pairs = Vec::new();
    let mut selectors = Selectors::default();
    for given in &args.selectors {
        let Some((key, css)) = given.split_once('=') else {
            return Err(UsageError(format!(
                "--selector {given}: write KEY=CSS, such as item=article"
            ))
            .into());
        };
        let (key, css) = (key.trim(), css.trim().to_string());
        match key {
            "item" => selectors.item = css.clone(),
            "link" => selectors.link = css.clone(),
            "title" => selectors.title = Some(css.clone()),
            "date" => selectors.date = Some(css.clone()),
            "content" => selectors.content = Some(css.clone()),
            "author" => selectors.author = Some(css.clone()),
            "next" => selectors.next = Some(css.clone()),
            other => {
                return Err(UsageError(format!(
                "--selector {other}=…: the keys are item, link, title, date, content, author, next"
            ))
                .into())
            }
        }
        pairs.push((key.to_string(), css));
    }
    if selectors.item.is_empty() || selectors.link.is_empty() {
        return Err(UsageError(
            "--kind html with --selector needs at least item=CSS (each teaser) and link=CSS (its link, such as a@href); give no --selector to have veille find them".into(),
        )
        .into());
    }
    let compiled = crate::parse::html::ListingSelectors::compile(&selectors)
        .map_err(|e| UsageError(format!("--selector: {e}")))?;
    let body = match runtime.block_on(fetcher.get(url, &Validators::default(), Utc::now())) {
        Ok(Fetched::Body(body)) => body,
        Ok(Fetched::NotModified) => anyhow::bail!("{url}: unexpected 304 Not Modified"),
        Err(e) => anyhow::bail!("{url}: {e}"),
    };
    let html = crate::charset::decode_page(&body.bytes, body.content_type.as_deref());
    let listing = crate::parse::html::parse_listing(&html, &body.final_url, &compiled, |_| None)
        .map_err(|e| anyhow::anyhow!("{e}; nothing was added"))?;
    let mut taken = config_file::configured_names(context);
    let name = chosen_name(args, None, url, &mut taken)?;
    let report = format!(
        "html, {} on the page",
        plural(listing.items.len() as u64, "item", "items")
    );
    Ok((
        NewSource {
            name,
            url: url.to_string(),
            kind: SourceKind::Html,
            tags: args.tags.clone(),
            selectors: pairs,
        },
        report,
    ))
}
