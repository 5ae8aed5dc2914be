//! The only HTTP code: one GET with the limits of the settings, conditional headers, bounded
//! redirects (http and https only) and the body capped while it streams, after decompression.
//! It returns bytes or `NotModified`; it knows nothing of feeds or of the database.

pub mod polite;

use crate::config::{format_size, Settings};
use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap, HeaderValue};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 10;
/// Connecting never waits longer than this, even with a long total timeout.
pub const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A `Retry-After` further away than this is read as this: a server cannot mute a source forever.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);
/// Room reserved ahead for a body whose length the server announced: a larger body grows as it
/// streams, so a hostile `Content-Length` under a huge `max_body` cannot ask for any capacity.
const MAX_PREALLOCATION: usize = 16 * 1024 * 1024;

/// The validators of a previous response, sent back exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A successful response body.
#[derive(Debug)]
pub struct Body {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
    /// Where the body came from after redirects: the base of its relative links.
    pub final_url: Url,
    pub validators: Validators,
}

#[derive(Debug)]
pub enum Fetched {
    NotModified,
    Body(Body),
}

/// Why a fetch failed, in the words `veille sources` shows.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("HTTP {status}{}", retry_after.map(|t| format!(", retry after {}", t.format("%Y-%m-%d %H:%M UTC"))).unwrap_or_default())]
    Status {
        status: u16,
        retry_after: Option<DateTime<Utc>>,
    },
    #[error("timeout after {0} s")]
    Timeout(u64),
    #[error("body larger than {}", format_size(*.0))]
    TooLarge(u64),
    #[error("redirect loop at {0}")]
    RedirectLoop(String),
    #[error("too many redirects (more than {MAX_REDIRECTS})")]
    TooManyRedirects,
    #[error("redirect to a non-http URL: {0}")]
    BadRedirect(String),
    #[error("connection failed: {0}")]
    Connect(String),
    #[error("{0}")]
    Other(String),
}

impl FetchError {
    /// The server said the resource is gone for good (410).
    pub fn is_gone(&self) -> bool {
        matches!(self, FetchError::Status { status: 410, .. })
    }

    /// When the server asked us to come back (429 or 503 with `Retry-After`).
    pub fn retry_after(&self) -> Option<DateTime<Utc>> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Redirect refusals, recovered from reqwest's error chain to be reported in words.
#[derive(Debug, thiserror::Error)]
enum RedirectRefused {
    #[error("loop at {0}")]
    Loop(String),
    #[error("too many")]
    TooMany,
    #[error("scheme of {0}")]
    Scheme(String),
}

/// Where `-vv` lines about HTTP exchanges go.
pub type Trace = Arc<dyn Fn(&str) + Send + Sync>;

/// One HTTP client for a whole run: connection pools are shared across sources.
pub struct Fetcher {
    client: reqwest::Client,
    /// One line per exchange (`-vv`), when set.
    trace: Option<Trace>,
    max_body: u64,
    timeout: Duration,
    /// Requested URL → where a 301/308 sent it, as the redirect policy saw it.
    moved: Arc<Mutex<HashMap<Url, Url>>>,
}

impl Fetcher {
    pub fn new(settings: &Settings) -> anyhow::Result<Self> {
        let moved = Arc::new(Mutex::new(HashMap::new()));
        let record = moved.clone();
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            let next = attempt.url().clone();
            // The requested URL itself answered "moved permanently": the user should update it.
            if matches!(attempt.status().as_u16(), 301 | 308) && attempt.previous().len() == 1 {
                if let Ok(mut moved) = record.lock() {
                    moved.insert(attempt.previous()[0].clone(), next.clone());
                }
            }
            if !matches!(next.scheme(), "http" | "https") {
                let refused = RedirectRefused::Scheme(next.to_string());
                attempt.error(refused)
            } else if attempt.previous().contains(&next) {
                attempt.error(RedirectRefused::Loop(next.to_string()))
            } else if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error(RedirectRefused::TooMany)
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(&settings.user_agent)
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(MAX_CONNECT_TIMEOUT))
            .redirect(policy)
            .pool_max_idle_per_host(settings.per_host)
            .build()?;
        Ok(Fetcher {
            trace: None,
            client,
            max_body: settings.max_body,
            timeout: settings.timeout,
            moved,
        })
    }

    /// Report every exchange to `trace` (`-vv`).
    pub fn with_trace(mut self, trace: Trace) -> Fetcher {
        self.trace = Some(trace);
        self
    }

    /// GET `url`, conditional on `validators`; `now` dates a `Retry-After` given in seconds.
    pub async fn get(
        &self,
        url: &Url,
        validators: &Validators,
        now: DateTime<Utc>,
    ) -> Result<Fetched, FetchError> {
        let started = std::time::Instant::now();
        let result = self.exchange(url, validators, now).await;
        if let Some(trace) = &self.trace {
            trace(&describe(url, validators, &result, started.elapsed()));
        }
        result
    }

    async fn exchange(
        &self,
        url: &Url,
        validators: &Validators,
        now: DateTime<Utc>,
    ) -> Result<Fetched, FetchError> {
        let mut request = self.client.get(url.clone());
        if let Some(etag) = &validators.etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header(header::IF_MODIFIED_SINCE, date);
        }
        let mut response = request.send().await.map_err(|e| self.explain(e))?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if status.is_redirection() {
            // A redirect the client did not follow: its target is not a web URL.
            let location = text_header(response.headers(), header::LOCATION)
                .unwrap_or_else(|| format!("HTTP {} without a Location", status.as_u16()));
            return Err(FetchError::BadRedirect(location));
        }
        if !status.is_success() {
            let retry_after = match status.as_u16() {
                429 | 503 => retry_after(response.headers(), now),
                _ => None,
            };
            return Err(FetchError::Status {
                status: status.as_u16(),
                retry_after,
            });
        }
        let headers = response.headers();
        let content_type = text_header(headers, header::CONTENT_TYPE);
        let validators = Validators {
            etag: text_header(headers, header::ETAG),
            last_modified: text_header(headers, header::LAST_MODIFIED),
        };
        let final_url = response.url().clone();
        // reqwest reports the compressed length, so this only short-cuts identity bodies.
        let length = response
            .content_length()
            .filter(|_| headers.get(header::CONTENT_ENCODING).is_none());
        if length.is_some_and(|n| n > self.max_body) {
            return Err(FetchError::TooLarge(self.max_body));
        }
        // The body waits to be parsed: no room left over from growing when its length is known.
        let reserve = length.map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
        let mut bytes = Vec::with_capacity(reserve.min(MAX_PREALLOCATION));
        while let Some(chunk) = response.chunk().await.map_err(|e| self.explain(e))? {
            if bytes.len() as u64 + chunk.len() as u64 > self.max_body {
                return Err(FetchError::TooLarge(self.max_body));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Fetched::Body(Body {
            bytes,
            content_type,
            final_url,
            validators,
        }))
    }

    /// Where `url` said it moved permanently during its last fetch, if it did.
    pub fn take_moved(&self, url: &Url) -> Option<Url> {
        self.moved.lock().ok()?.remove(url)
    }

    fn explain(&self, error: reqwest::Error) -> FetchError {
        if error.is_timeout() {
            return FetchError::Timeout(self.timeout.as_secs().max(1));
        }
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
        let mut innermost = error.to_string();
        while let Some(e) = source {
            if let Some(refused) = e.downcast_ref::<RedirectRefused>() {
                return match refused {
                    RedirectRefused::Loop(url) => FetchError::RedirectLoop(url.clone()),
                    RedirectRefused::TooMany => FetchError::TooManyRedirects,
                    RedirectRefused::Scheme(url) => FetchError::BadRedirect(url.clone()),
                };
            }
            innermost = e.to_string();
            source = e.source();
        }
        if error.is_connect() {
            FetchError::Connect(innermost)
        } else if error.is_decode() || error.is_body() {
            FetchError::Other(format!("could not read the body: {innermost}"))
        } else {
            FetchError::Other(innermost)
        }
    }
}

/// One `-vv` line: the request, its conditions, and what came back.
fn describe(
    url: &Url,
    validators: &Validators,
    result: &Result<Fetched, FetchError>,
    elapsed: Duration,
) -> String {
    let mut conditions = Vec::new();
    if let Some(etag) = &validators.etag {
        conditions.push(format!("If-None-Match: {etag}"));
    }
    if let Some(date) = &validators.last_modified {
        conditions.push(format!("If-Modified-Since: {date}"));
    }
    let sent = match conditions.is_empty() {
        true => String::new(),
        false => format!(" [{}]", conditions.join(", ")),
    };
    let answer = match result {
        Ok(Fetched::NotModified) => "304 Not Modified".to_string(),
        Ok(Fetched::Body(body)) => format!(
            "200, {} bytes, {}{}{}",
            body.bytes.len(),
            body.content_type.as_deref().unwrap_or("no Content-Type"),
            body.validators
                .etag
                .as_ref()
                .map(|e| format!(", ETag {e}"))
                .unwrap_or_default(),
            if &body.final_url != url {
                format!(", from {}", body.final_url)
            } else {
                String::new()
            }
        ),
        Err(e) => format!("failed: {e}"),
    };
    format!(
        "http: GET {url}{sent} → {answer} ({} ms)",
        elapsed.as_millis()
    )
}

fn text_header(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .map(str::to_string)
}

/// `Retry-After` as seconds or an HTTP date, capped at [`MAX_RETRY_AFTER`].
fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    let cap = now + MAX_RETRY_AFTER;
    let at = match value.parse::<u64>() {
        Ok(seconds) => now + Duration::from_secs(seconds.min(MAX_RETRY_AFTER.as_secs())),
        Err(_) => http_date(value)?,
    };
    Some(at.min(cap))
}

/// An HTTP date in any of the three forms RFC 9110 asks a recipient to read (IMF-fixdate, RFC 850,
/// asctime), else an RFC 2822 date with a numeric zone, as some servers write it.
fn http_date(value: &str) -> Option<DateTime<Utc>> {
    match httpdate::parse_http_date(value) {
        Ok(at) => Some(DateTime::<Utc>::from(at)),
        Err(_) => Some(
            DateTime::parse_from_rfc2822(value)
                .ok()?
                .with_timezone(&Utc),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, retry_after.parse().unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_every_http_date_form_seconds_and_caps_them() {
        let now = DateTime::parse_from_rfc3339("1994-11-06T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let expected = DateTime::parse_from_rfc3339("1994-11-06T08:49:37Z")
            .unwrap()
            .with_timezone(&Utc);
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 09:49:37 +0100",
        ] {
            assert_eq!(retry_after(&headers(form), now), Some(expected), "{form}");
        }
        assert_eq!(
            retry_after(&headers("120"), now),
            Some(now + Duration::from_secs(120))
        );
        assert_eq!(
            retry_after(&headers("99999999999"), now),
            Some(now + MAX_RETRY_AFTER)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
    }
}
