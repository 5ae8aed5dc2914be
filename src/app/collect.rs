//! One source, from the network to drafts ready to store: fetch the feed or the listing
//! (following `next` pages), fetch the pages of items not stored yet (`kind = "html"`, or
//! `full_content`), extract them, set identities and tag. Shared by `fetch` and `source test`;
//! it never writes: what is stored already is asked of the caller through [`Known`].

use crate::extract::{self, PageSelectors};
use crate::fetch::polite::{Gate, Robots};
use crate::fetch::{Body, FetchError, Fetched, Fetcher, Validators};
use crate::identity;
use crate::model::{ArticleDraft, Prepared, Source, SourceKind};
use crate::parse::feed::parse_feed;
use crate::parse::html::{parse_listing, Listing, ListingSelectors};
use crate::tag::Rules;
use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use url::Url;

/// Article pages fetched for one source in one run, at most; the others wait for the next run.
pub const MAX_PAGES_PER_RUN: usize = 100;

/// What the whole run shares: the client, the request slots, robots.txt files, the rules.
pub struct Collector {
    pub fetcher: Fetcher,
    pub gate: Gate,
    pub robots: Robots,
    pub rules: Rules,
    pub timezone: chrono_tz::Tz,
    pub delay: Duration,
    /// Article pages fetched at once for one source (the per-host limit bounds them anyway).
    pub page_concurrency: usize,
    /// Items read from one feed at most (`[settings] max_items`).
    pub max_items: usize,
    /// CPU-bound work (parsing, extraction, tagging) running at once: one task a core.
    pub cpu: tokio::sync::Semaphore,
    /// Sources parsed and not yet written: [`Collected::Parsed`] holds a permit. A feed takes
    /// one before it is parsed (its parsed items and their texts read for clustering are
    /// several times the size of its body), an HTML source before its items are prepared.
    pub ready: Arc<tokio::sync::Semaphore>,
}

/// A question to the writer: which of these canonical URLs has this source stored already?
pub type KnownQuery = (String, Vec<String>, oneshot::Sender<HashSet<String>>);

/// How a collection learns which articles need no page fetch.
#[derive(Clone)]
pub enum Known {
    /// Ask the task that owns the database.
    Ask(mpsc::UnboundedSender<KnownQuery>),
    /// Nothing is stored (`source test`).
    Nothing,
}

impl Known {
    async fn of(&self, source: &str, urls: Vec<String>) -> HashSet<String> {
        match self {
            Known::Nothing => HashSet::new(),
            Known::Ask(ask) => {
                let (reply, answer) = oneshot::channel();
                if ask.send((source.to_string(), urls, reply)).is_err() {
                    return HashSet::new();
                }
                answer.await.unwrap_or_default()
            }
        }
    }
}

/// The remarks of one source's collection ([`Collected::Parsed`]).
struct Report {
    notes: Vec<String>,
    warnings: Vec<String>,
}

/// One source's job.
pub struct Job {
    pub source: Source,
    pub validators: Validators,
    pub known: Known,
    /// Article pages to fetch at most in this run.
    pub page_budget: usize,
}

/// What one source's collection came to.
pub enum Collected {
    NotModified,
    Parsed {
        articles: Vec<Prepared>,
        validators: Validators,
        fallback_url: String,
        /// Items seen but not stored this run (their page failed), and other remarks.
        notes: Vec<String>,
        /// What makes the source less than healthy though it was read: items the document
        /// holds that could not be read, a feed or listing that delivered nothing.
        warnings: Vec<String>,
        /// Of [`Collector::ready`]: released once the articles are written (dropped).
        ready: Option<tokio::sync::OwnedSemaphorePermit>,
    },
    Failed {
        message: String,
        retry_after: Option<DateTime<Utc>>,
        gone: bool,
    },
}

impl Collected {
    fn failed(message: String) -> Collected {
        Collected::Failed {
            message,
            retry_after: None,
            gone: false,
        }
    }

    fn from_fetch_error(e: FetchError, what: &str) -> Collected {
        if e.is_gone() {
            return Collected::Failed {
                retry_after: None,
                message: format!("{e} Gone: the {what} was removed; veille stops fetching it (delete it from feeds.toml, or --force)"),
                gone: true,
            };
        }
        Collected::Failed {
            retry_after: e.retry_after(),
            message: e.to_string(),
            gone: false,
        }
    }
}

impl Collector {
    /// Run CPU-bound `work` off the async workers, at most one task a core at once: more
    /// threads would not parse faster, and each would keep memory of its own.
    async fn compute<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        let _permit = self.cpu.acquire().await;
        tokio::task::spawn_blocking(work).await
    }

    pub async fn collect(self: Arc<Self>, job: Job) -> Collected {
        match job.source.kind {
            SourceKind::Feed => self.feed(job).await,
            SourceKind::Html => self.html(job).await,
        }
    }

    /// The delay between requests of `source` to one host.
    fn delay_of(&self, source: &Source) -> Duration {
        source.delay.unwrap_or(self.delay)
    }

    /// GET through the politeness gate; a body of a source with an `encoding` setting is
    /// decoded with it here, so every parser downstream reads UTF-8.
    async fn get(
        &self,
        url: &Url,
        validators: &Validators,
        delay: Duration,
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> Result<Fetched, FetchError> {
        let _pass = self.gate.enter(url, delay).await;
        let mut fetched = self.fetcher.get(url, validators, Utc::now()).await?;
        if let (Fetched::Body(body), Some(encoding)) = (&mut fetched, encoding) {
            body.bytes = crate::charset::transcode(&body.bytes, encoding);
        }
        Ok(fetched)
    }

    async fn feed(self: Arc<Self>, job: Job) -> Collected {
        let source = &job.source;
        let body = match self
            .get(
                &source.url,
                &job.validators,
                self.delay_of(source),
                source.encoding,
            )
            .await
        {
            Ok(Fetched::NotModified) => return Collected::NotModified,
            Ok(Fetched::Body(body)) => body,
            Err(e) => return Collected::from_fetch_error(e, "feed"),
        };
        let validators = body.validators.clone();
        let ready = self.ready.clone().acquire_owned().await.ok();
        let parsed = self
            .compute(move || {
                let feed = parse_feed(&body.bytes, body.content_type.as_deref(), &body.final_url)?;
                let fallback = feed
                    .site_url
                    .clone()
                    .unwrap_or_else(|| body.final_url.to_string());
                Ok::<_, crate::parse::feed::ParseError>((feed.items, fallback, feed.warnings))
            })
            .await;
        let (mut drafts, fallback_url, warnings) = match parsed {
            Ok(Ok(parsed)) => parsed,
            Ok(Err(e)) => return Collected::failed(e.to_string()),
            Err(e) => return Collected::failed(format!("the parser stopped unexpectedly: {e}")),
        };
        let mut notes = Vec::new();
        if drafts.len() > self.max_items {
            notes.push(format!(
                "{} items in the feed: the first {} are read (settings.max_items)",
                drafts.len(),
                self.max_items
            ));
            drafts.truncate(self.max_items);
        }
        identity::assign(&mut drafts);
        if source.full_content {
            drafts = self.clone().complete(&job, drafts, &mut notes).await;
        } else if crate::parse::feed::excerpts_only(&drafts) {
            notes.push(
                "every item carries a short excerpt (ending with « … » or […]): \
                 `full_content = true` in its [[source]] would fetch each article's page and store its text"
                    .to_string(),
            );
        }
        let report = Report { notes, warnings };
        self.parsed(drafts, source, validators, fallback_url, report, ready)
            .await
    }

    /// `full_content`: fetch the page of each item not stored yet and keep its text; the
    /// feed's excerpt stays the summary. Items already stored are left out, so that their
    /// full text is never replaced by the excerpt. An item whose page fails keeps its excerpt.
    async fn complete(
        self: Arc<Self>,
        job: &Job,
        drafts: Vec<ArticleDraft>,
        notes: &mut Vec<String>,
    ) -> Vec<ArticleDraft> {
        let urls: Vec<String> = drafts.iter().filter_map(|d| d.url.clone()).collect();
        let known = job.known.of(&job.source.name, urls).await;
        let drafts: Vec<ArticleDraft> = drafts
            .into_iter()
            .filter(|d| d.url.as_ref().is_none_or(|u| !known.contains(u)))
            .collect();
        let wanted: Vec<(usize, Url)> = drafts
            .iter()
            .enumerate()
            .filter_map(|(i, d)| Some((i, Url::parse(d.url.as_ref()?).ok()?)))
            .take(job.page_budget)
            .collect();
        let pages = self.clone().pages(&job.source, wanted).await;
        let mut drafts = drafts;
        for (index, result) in pages {
            let draft = &mut drafts[index];
            match result {
                Ok(article) if !article.text.is_empty() => {
                    draft.text = article.text;
                    draft.author = draft.author.take().or(article.author);
                    if draft.published.is_none() {
                        draft.published = article.published;
                        draft.published_approximate = article.date_approximate;
                    }
                    if draft.summary.is_empty() {
                        draft.summary = article.summary;
                    }
                    notes.extend(article.notes);
                }
                Ok(_) => notes.push(format!(
                    "{}: no article text found on the page; the feed's text is kept",
                    draft.url.as_deref().unwrap_or_default()
                )),
                Err(message) => notes.push(format!("{message}; the feed's text is kept")),
            }
        }
        drafts
    }

    async fn html(self: Arc<Self>, job: Job) -> Collected {
        let source = &job.source;
        let Some(selectors) = source.selectors.as_ref() else {
            return Collected::failed("an html source needs [source.selectors]".into());
        };
        let listing_selectors = match ListingSelectors::compile(selectors) {
            Ok(s) => Arc::new(s),
            Err(e) => return Collected::failed(e),
        };
        let delay = match self
            .robots
            .check(&self.fetcher, &self.gate, &source.url)
            .await
        {
            Ok(crawl_delay) => crawl_delay.unwrap_or_default().max(self.delay_of(source)),
            Err(refusal) => return Collected::failed(refusal.to_string()),
        };
        let body = match self
            .get(&source.url, &job.validators, delay, source.encoding)
            .await
        {
            Ok(Fetched::NotModified) => return Collected::NotModified,
            Ok(Fetched::Body(body)) => body,
            Err(e) => return Collected::from_fetch_error(e, "page"),
        };
        let mut validators = body.validators.clone();
        let fallback_url = body.final_url.to_string();
        let mut listing = match self.listing(body, listing_selectors.clone()).await {
            Ok(listing) => listing,
            Err(message) => return Collected::failed(message),
        };
        let mut notes = Vec::new();
        let mut seen_pages = HashSet::from([source.url.clone()]);
        let mut next = listing.next.take();
        for _ in 1..source.max_pages {
            let Some(page) = next.take().filter(|p| seen_pages.insert(p.clone())) else {
                break;
            };
            let fetched = match self.robots.check(&self.fetcher, &self.gate, &page).await {
                Ok(_) => {
                    self.get(&page, &Validators::default(), delay, source.encoding)
                        .await
                }
                Err(refusal) => {
                    notes.push(refusal.to_string());
                    break;
                }
            };
            let more = match fetched {
                Ok(Fetched::Body(body)) => self.listing(body, listing_selectors.clone()).await,
                Ok(Fetched::NotModified) => break,
                Err(e) => Err(format!("{page}: {e}")),
            };
            match more {
                Ok(more) => {
                    next = more.next;
                    for item in more.items {
                        if !listing.items.iter().any(|i| i.url == item.url) {
                            listing.items.push(item);
                        }
                    }
                }
                Err(message) => {
                    notes.push(format!("listing page not read: {message}"));
                    break;
                }
            }
        }
        let urls = listing.items.iter().map(|i| i.url.clone()).collect();
        let known = job.known.of(&job.source.name, urls).await;
        let items: Vec<_> = listing
            .items
            .into_iter()
            .filter(|i| !known.contains(&i.url))
            .collect();
        if items.len() > job.page_budget {
            notes.push(format!(
                "{} new items; {} pages fetched in this run, the others in the next runs",
                items.len(),
                job.page_budget
            ));
        }
        let wanted: Vec<(usize, Url)> = items
            .iter()
            .enumerate()
            .map(|(i, item)| (i, item.link.clone()))
            .take(job.page_budget)
            .collect();
        let pages = self.clone().pages(source, wanted).await;
        let mut drafts = Vec::new();
        for (index, result) in pages {
            let item = &items[index];
            match result {
                Ok(article) => {
                    notes.extend(article.notes);
                    let published = crate::dates::most_precise(
                        item.published.zip(item.precision),
                        article.published.zip(article.date_precision),
                        self.timezone,
                    );
                    drafts.push(ArticleDraft {
                        guid: None,
                        url: Some(item.url.clone()),
                        title: item
                            .title
                            .clone()
                            .or(article.title)
                            .unwrap_or_else(|| item.url.clone()),
                        author: article.author,
                        published: published.map(|(d, _)| d),
                        published_approximate: published
                            .is_some_and(|(_, p)| p == crate::dates::Precision::Month),
                        summary: article.summary,
                        text: article.text,
                    });
                }
                Err(message) => notes.push(format!("{message}; retried at the next run")),
            }
        }
        let mut warnings = Vec::new();
        if drafts.is_empty() && !items.is_empty() {
            warnings.push(format!(
                "{} new items on the listing, none of their pages could be read (retried at the next run; -v says why)",
                items.len()
            ));
        }
        if drafts.len() < items.len() {
            // Some items wait for a later run: the listing must be read again then, even
            // if it has not changed.
            validators = Validators::default();
        }
        identity::assign(&mut drafts);
        let report = Report { notes, warnings };
        self.parsed(drafts, source, validators, fallback_url, report, None)
            .await
    }

    /// Parse a listing page off the async workers.
    async fn listing(
        &self,
        body: Body,
        selectors: Arc<ListingSelectors>,
    ) -> Result<Listing, String> {
        let tz = self.timezone;
        let parsed = self
            .compute(move || {
                let text = crate::charset::decode_page(&body.bytes, body.content_type.as_deref());
                parse_listing(&text, &body.final_url, &selectors, |date| {
                    crate::parse::html::listing_date(date, tz)
                })
            })
            .await;
        match parsed {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(e) => Err(format!("the listing parser stopped unexpectedly: {e}")),
        }
    }

    /// Fetch and extract article pages, a few at a time; each result keeps its index.
    /// A page robots.txt forbids is not fetched: its error says so.
    async fn pages(
        self: Arc<Self>,
        source: &Source,
        wanted: Vec<(usize, Url)>,
    ) -> Vec<(usize, Result<extract::Article, String>)> {
        let selectors = match PageSelectors::compile(source.selectors.as_ref()) {
            Ok(s) => Arc::new(s),
            Err(e) => {
                return wanted
                    .into_iter()
                    .map(|(i, _)| (i, Err(e.clone())))
                    .collect()
            }
        };
        let (delay, encoding) = (self.delay_of(source), source.encoding);
        let mut pages = stream::iter(wanted)
            .map(|(index, url)| {
                let (this, selectors) = (self.clone(), selectors.clone());
                async move { (index, this.page(url, delay, encoding, selectors).await) }
            })
            .buffer_unordered(self.page_concurrency.max(1))
            .collect::<Vec<_>>()
            .await;
        // Back in the order of the listing or the feed, whatever order the pages came in.
        pages.sort_by_key(|(index, _)| *index);
        pages
    }

    async fn page(
        &self,
        url: Url,
        delay: Duration,
        encoding: Option<&'static encoding_rs::Encoding>,
        selectors: Arc<PageSelectors>,
    ) -> Result<extract::Article, String> {
        let crawl_delay = self
            .robots
            .check(&self.fetcher, &self.gate, &url)
            .await
            .map_err(|refusal| refusal.to_string())?;
        let delay = crawl_delay.unwrap_or_default().max(delay);
        let body = match self
            .get(&url, &Validators::default(), delay, encoding)
            .await
        {
            Ok(Fetched::Body(body)) => body,
            Ok(Fetched::NotModified) => return Err(format!("{url}: unexpected 304")),
            Err(e) => return Err(format!("{url}: {e}")),
        };
        let tz = self.timezone;
        self.compute(move || {
            let text = crate::charset::decode_page(&body.bytes, body.content_type.as_deref());
            extract::article(&text, &body.final_url, &selectors, tz)
        })
        .await
        .map_err(|e| format!("{url}: the extractor stopped unexpectedly: {e}"))
    }

    /// What a source that parsed comes to: its drafts prepared, or the failure to prepare them.
    async fn parsed(
        self: Arc<Self>,
        drafts: Vec<ArticleDraft>,
        source: &Source,
        validators: Validators,
        fallback_url: String,
        report: Report,
        ready: Option<tokio::sync::OwnedSemaphorePermit>,
    ) -> Collected {
        let ready = match ready {
            Some(permit) => Some(permit),
            None => self.ready.clone().acquire_owned().await.ok(),
        };
        self.prepare(drafts, source)
            .await
            .map_or_else(Collected::failed, |articles| Collected::Parsed {
                articles,
                validators,
                fallback_url,
                notes: report.notes,
                warnings: report.warnings,
                ready,
            })
    }

    /// Tag each draft, off the async workers.
    async fn prepare(
        self: Arc<Self>,
        drafts: Vec<ArticleDraft>,
        source: &Source,
    ) -> Result<Vec<Prepared>, String> {
        let source_tags = source.tags.clone();
        let this = self.clone();
        let now = Utc::now();
        self.compute(move || {
            drafts
                .into_iter()
                .map(|mut draft| {
                    crate::normalize::bound_draft(&mut draft, now);
                    let tags = this.rules.tag(&draft.title, &draft.text, &source_tags);
                    Prepared::new(draft, tags)
                })
                .collect()
        })
        .await
        .map_err(|e| format!("tagging stopped unexpectedly: {e}"))
    }
}
