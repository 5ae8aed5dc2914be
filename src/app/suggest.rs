//! `veille source suggest URL` (writes nothing) and `veille add URL --kind html` without
//! `--selector`: fetch a listing page (its robots.txt asked first), say in words when it is a
//! feed, a login wall or an error, rank its groups of repeated article links
//! (`parse::suggest`), read the chosen one with the real listing parser, and fetch a few of its
//! articles to propose a `content` selector.

use super::{Context, Outcome, UsageError};
use crate::cli::SourceSuggestArgs;
use crate::fetch::polite::{Gate, Robots};
use crate::fetch::{Body, FetchError, Fetched, Fetcher, Validators};
use crate::model::Selectors;
use crate::normalize::canonical_url;
use crate::parse::html::{listing_date, parse_listing, ListingSelectors};
use crate::parse::suggest::{self, ContentProposal, Proposal};
use chrono::Utc;
use std::fmt::Write;
use url::Url;

/// Article pages fetched to propose a `content` selector.
const CONTENT_PAGES: usize = 3;
/// Items printed under the proposal.
const PREVIEW_ITEMS: usize = 5;
/// A second group scoring this share of the first's is as plausible: `add` asks for `--pick`.
const PLAUSIBLE: f64 = 0.8;

/// What a listing page came to.
pub enum Found {
    /// The selectors chosen, in the order `feeds.toml` gets them, and what they read.
    Listing {
        pairs: Vec<(String, String)>,
        items: usize,
        report: String,
    },
    /// The URL is a feed, not a listing page.
    Feed { title: Option<String>, items: usize },
}

pub fn run(context: &Context, args: &SourceSuggestArgs) -> anyhow::Result<Outcome> {
    let url = canonical_url(&args.url, None)
        .and_then(|u| Url::parse(&u).ok())
        .ok_or_else(|| UsageError(format!("`{}` is not an http or https URL", args.url)))?;
    let fetcher = Fetcher::new(&context.config.settings)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match runtime.block_on(suggest_page(context, &url, args.pick, false, &fetcher))? {
        Found::Feed { items, .. } => anyhow::bail!(
            "{url} is a feed ({items} items), not a listing page: add it with `veille add {url}`"
        ),
        Found::Listing { report, .. } => {
            print!("{report}");
            println!("nothing was written: `veille add {url} --kind html` writes these selectors");
            Ok(Outcome::Success)
        }
    }
}

/// Read the listing at `url` and choose its selectors: group `pick` (from 1), else the first;
/// with `need_one`, several plausible groups and no `pick` are a usage error that lists them.
pub async fn suggest_page(
    context: &Context,
    url: &Url,
    pick: Option<usize>,
    need_one: bool,
    fetcher: &Fetcher,
) -> anyhow::Result<Found> {
    let settings = &context.config.settings;
    let gate = Gate::new(settings.concurrency, settings.per_host);
    let robots = Robots::new(&settings.user_agent);
    if let Err(refusal) = robots.check(fetcher, &gate, url).await {
        anyhow::bail!("{refusal}: veille does not read this page; nothing was written");
    }
    let body = fetch(fetcher, url).await?;
    if suggest::is_login_url(&body.final_url) && !suggest::is_login_url(url) {
        anyhow::bail!(
            "{url} sent veille to a login page ({}): veille reads only public pages; nothing was written",
            body.final_url
        );
    }
    if let Ok(feed) =
        crate::parse::feed::parse_feed(&body.bytes, body.content_type.as_deref(), &body.final_url)
    {
        return Ok(Found::Feed {
            title: feed.title,
            items: feed.items.len(),
        });
    }
    let html = crate::charset::decode_page(&body.bytes, body.content_type.as_deref());
    let tz = settings.timezone;
    let proposals = suggest::suggest(&html, &body.final_url, tz);
    if proposals.is_empty() {
        if suggest::has_password_form(&html) {
            anyhow::bail!("{url} asks for a password (a login form) and lists no articles: veille reads only public pages; nothing was written");
        }
        anyhow::bail!(
            "found no repeated links to articles on {url} (at least {} blocks in the same place of the page, each leading to a page of the site): give the selectors with `--kind html --selector item=CSS --selector link=CSS`; nothing was written",
            suggest::MIN_ITEMS
        );
    }
    let chosen = choose(url, &proposals, pick, need_one)?;
    let proposal = &proposals[chosen];
    let compiled = ListingSelectors::compile(&proposal.selectors)
        .map_err(|e| anyhow::anyhow!("the proposed selectors do not compile: {e}"))?;
    let listing = parse_listing(&html, &body.final_url, &compiled, |d| listing_date(d, tz))
        .map_err(|e| anyhow::anyhow!("{e}; nothing was written"))?;
    let articles: Vec<Url> = listing
        .items
        .iter()
        .take(CONTENT_PAGES)
        .map(|i| i.link.clone())
        .collect();
    let content = content_of(fetcher, &robots, &gate, &articles).await;
    let mut selectors = proposal.selectors.clone();
    if let ContentProposal::Selector(css) = &content {
        selectors.content = Some(css.clone());
    }
    let mut report = listing_of(url, &proposals, chosen);
    report.push_str(&selectors_block(&selectors, &content));
    report.push_str(&preview(&listing, tz));
    Ok(Found::Listing {
        pairs: pairs(&selectors),
        items: listing.items.len(),
        report,
    })
}

async fn fetch(fetcher: &Fetcher, url: &Url) -> anyhow::Result<Body> {
    match fetcher.get(url, &Validators::default(), Utc::now()).await {
        Ok(Fetched::Body(body)) => Ok(body),
        Ok(Fetched::NotModified) => {
            anyhow::bail!("{url}: the server answered 304 Not Modified to an unconditional request; nothing was written")
        }
        Err(
            e @ FetchError::Status {
                status: 401 | 403, ..
            },
        ) => anyhow::bail!(
            "{url}: {e}: the page needs a login or refuses veille; nothing was written"
        ),
        Err(e @ FetchError::Status { .. }) => {
            anyhow::bail!("{url}: {e}: check the URL in a browser; nothing was written")
        }
        Err(e) => anyhow::bail!("{url}: {e}; nothing was written"),
    }
}

fn choose(
    url: &Url,
    proposals: &[Proposal],
    pick: Option<usize>,
    need_one: bool,
) -> Result<usize, UsageError> {
    match pick {
        Some(n) if (1..=proposals.len()).contains(&n) => Ok(n - 1),
        Some(n) => Err(UsageError(format!(
            "--pick {n} is none of the groups found on {url}:\n{}",
            groups(proposals)
        ))),
        None if need_one
            && proposals
                .get(1)
                .is_some_and(|second| second.score >= PLAUSIBLE * proposals[0].score) =>
        {
            Err(UsageError(format!(
                "{url} has {} plausible groups of articles: choose one with --pick N (`veille source suggest {url} --pick N` shows what each reads)\n{}",
                proposals.len(),
                groups(proposals)
            )))
        }
        None => Ok(0),
    }
}

/// The groups, numbered for `--pick`.
fn groups(proposals: &[Proposal]) -> String {
    let mut out = String::new();
    for (n, p) in proposals.iter().enumerate() {
        let traits = if p.traits.is_empty() {
            String::new()
        } else {
            format!(", {}", p.traits.join(", "))
        };
        let _ = writeln!(
            out,
            "  {}. {} items{traits}: item = {}, link = {}",
            n + 1,
            p.items,
            quoted(&p.selectors.item),
            quoted(&p.selectors.link)
        );
    }
    out
}

fn listing_of(url: &Url, proposals: &[Proposal], chosen: usize) -> String {
    let mut out = format!(
        "{url}: {} group{} of repeated links to articles\n{}",
        proposals.len(),
        if proposals.len() == 1 { "" } else { "s" },
        groups(proposals)
    );
    let other = if proposals.len() > 1 {
        " (another with --pick N)"
    } else {
        ""
    };
    let _ = writeln!(out, "\nproposed selectors, group {}{other}:", chosen + 1);
    out
}

/// A TOML basic string (JSON's escapes are TOML's).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
}

/// The selectors in the order `feeds.toml` gets them.
fn pairs(selectors: &Selectors) -> Vec<(String, String)> {
    let mut out = vec![
        ("item".to_string(), selectors.item.clone()),
        ("link".to_string(), selectors.link.clone()),
    ];
    for (key, value) in [
        ("title", &selectors.title),
        ("date", &selectors.date),
        ("next", &selectors.next),
        ("content", &selectors.content),
    ] {
        if let Some(value) = value {
            out.push((key.to_string(), value.clone()));
        }
    }
    out
}

fn selectors_block(selectors: &Selectors, content: &ContentProposal) -> String {
    let mut out = String::from("[source.selectors]\n");
    for (key, value) in pairs(selectors) {
        let _ = writeln!(out, "{key} = {}", quoted(&value));
    }
    if let ContentProposal::Automatic(why) = content {
        let _ = writeln!(out, "# content: automatic main-text extraction ({why})");
    }
    out
}

fn preview(listing: &crate::parse::html::Listing, tz: chrono_tz::Tz) -> String {
    let mut out = format!(
        "\nwhat they read (first {} of {} items on the page):\n",
        PREVIEW_ITEMS.min(listing.items.len()),
        listing.items.len()
    );
    for (n, item) in listing.items.iter().take(PREVIEW_ITEMS).enumerate() {
        let date = item.published.map_or_else(
            || "no date".to_string(),
            |d| d.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string(),
        );
        let title = item
            .title
            .as_deref()
            .unwrap_or("(title from the article page)");
        let _ = writeln!(out, "{}. {title}\n   {date} · {}", n + 1, item.url);
    }
    if let Some(next) = &listing.next {
        let _ = writeln!(out, "next page: {next}");
    }
    out
}

/// Fetch a few articles (those robots.txt allows) and propose their `content` selector.
async fn content_of(
    fetcher: &Fetcher,
    robots: &Robots,
    gate: &Gate,
    articles: &[Url],
) -> ContentProposal {
    let mut pages = Vec::new();
    for url in articles {
        if robots.check(fetcher, gate, url).await.is_err() {
            continue;
        }
        let _pass = gate.enter(url, std::time::Duration::ZERO).await;
        if let Ok(Fetched::Body(body)) = fetcher.get(url, &Validators::default(), Utc::now()).await
        {
            let html = crate::charset::decode_page(&body.bytes, body.content_type.as_deref());
            pages.push((html, body.final_url));
        }
    }
    suggest::content_selector(&pages)
}
