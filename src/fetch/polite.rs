//! Politeness: how many requests may be in flight (overall and per host), how long to wait
//! between two requests to one host, and what a site's robots.txt lets veille scrape.
//!
//! robots.txt is read once per origin and run, and only for pages veille scrapes (listings and
//! article pages), never for the feeds a site publishes for readers. As RFC 9309 says: a robots.txt
//! that does not exist (4xx) allows everything; one that cannot be read (5xx, network error)
//! forbids everything until a later run reads it.

use super::{FetchError, Fetched, Fetcher, Validators};
use chrono::Utc;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OnceCell, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

/// A `Crawl-delay` longer than this is read as this: one slow site must not stall a whole run.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

/// The right to send one request, held until its response is read.
pub struct Pass {
    _host: OwnedSemaphorePermit,
    _slot: OwnedSemaphorePermit,
}

struct Host {
    slots: Arc<Semaphore>,
    /// When the next request to this host may start.
    next_start: tokio::sync::Mutex<Instant>,
}

/// Request slots for a whole run: `concurrency` overall, `per_host` per host.
pub struct Gate {
    overall: Arc<Semaphore>,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

impl Gate {
    pub fn new(concurrency: usize, per_host: usize) -> Gate {
        Gate {
            overall: Arc::new(Semaphore::new(concurrency.max(1))),
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Wait for a slot to `url`'s host, at least `delay` after the previous request to it
    /// started, then for a slot overall.
    pub async fn enter(&self, url: &Url, delay: Duration) -> Pass {
        let host = self.host(url);
        // The host's turn first, so that a busy host never holds slots others could use.
        let permit = host.slots.clone().acquire_owned().await;
        if !delay.is_zero() {
            let mut next = host.next_start.lock().await;
            tokio::time::sleep_until(*next).await;
            *next = Instant::now() + delay;
        }
        let slot = self.overall.clone().acquire_owned().await;
        match (permit, slot) {
            (Ok(_host), Ok(_slot)) => Pass { _host, _slot },
            // The semaphores are never closed: unreachable, but never a panic.
            _ => std::future::pending().await,
        }
    }

    fn host(&self, url: &Url) -> Arc<Host> {
        let key = url.host_str().unwrap_or_default().to_string();
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Host {
                    slots: Arc::new(Semaphore::new(self.per_host)),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                })
            })
            .clone()
    }
}

/// What a robots.txt says for veille's user agent.
#[derive(Debug)]
enum Rules {
    AllowAll,
    /// The file could not be read: nothing may be scraped, and this says why.
    Unreachable(String),
    Parsed(texting_robots::Robot),
}

/// robots.txt files of a run, one fetch per origin.
pub struct Robots {
    /// The product token of the user agent (`veille` of `veille/0.1 (+…)`).
    agent: String,
    files: Mutex<HashMap<String, Arc<OnceCell<Rules>>>>,
}

/// Why a page may not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("robots.txt of {origin} disallows {url} for `{agent}`")]
    Disallowed {
        origin: String,
        url: String,
        agent: String,
    },
    #[error("robots.txt of {origin} could not be read ({reason}); its pages are not scraped until it can be")]
    Unreachable { origin: String, reason: String },
}

impl Robots {
    pub fn new(user_agent: &str) -> Robots {
        let agent = user_agent
            .split(|c: char| c == '/' || c.is_whitespace())
            .next()
            .filter(|t| !t.is_empty())
            .unwrap_or("veille")
            .to_string();
        Robots {
            agent,
            files: Mutex::new(HashMap::new()),
        }
    }

    /// May `url` be scraped? Reads the origin's robots.txt the first time it is asked.
    /// Also returns the site's `Crawl-delay` (capped), if it gives one for us.
    pub async fn check(
        &self,
        fetcher: &Fetcher,
        gate: &Gate,
        url: &Url,
    ) -> Result<Option<Duration>, Refusal> {
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            files.entry(origin.clone()).or_default().clone()
        };
        let rules = cell.get_or_init(|| self.load(fetcher, gate, &origin)).await;
        match rules {
            Rules::AllowAll => Ok(None),
            Rules::Unreachable(reason) => Err(Refusal::Unreachable {
                origin,
                reason: reason.clone(),
            }),
            Rules::Parsed(robot) if robot.allowed(url.as_str()) => Ok(robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d).min(MAX_CRAWL_DELAY))),
            Rules::Parsed(_) => Err(Refusal::Disallowed {
                origin,
                url: url.to_string(),
                agent: self.agent.clone(),
            }),
        }
    }

    async fn load(&self, fetcher: &Fetcher, gate: &Gate, origin: &str) -> Rules {
        let Ok(url) = Url::parse(&format!("{origin}/robots.txt")) else {
            return Rules::AllowAll;
        };
        let _pass = gate.enter(&url, Duration::ZERO).await;
        match fetcher.get(&url, &Validators::default(), Utc::now()).await {
            Ok(Fetched::Body(body)) => interpret(&self.agent, &body.bytes),
            Ok(Fetched::NotModified) => Rules::AllowAll,
            Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
                Rules::AllowAll
            }
            Err(e) => Rules::Unreachable(e.to_string()),
        }
    }
}

/// A robots.txt body as rules for `agent`; an unreadable file restricts nothing.
fn interpret(agent: &str, body: &[u8]) -> Rules {
    match texting_robots::Robot::new(agent, body) {
        Ok(robot) => Rules::Parsed(robot),
        Err(_) => Rules::AllowAll,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(txt: &str, url: &str) -> bool {
        match interpret("veille", txt.as_bytes()) {
            Rules::Parsed(robot) => robot.allowed(url),
            Rules::AllowAll => true,
            Rules::Unreachable(_) => false,
        }
    }

    #[test]
    fn robots_rules_for_veille_and_for_everyone() {
        let txt = "User-agent: *\nDisallow: /admin/\n\nUser-agent: veille\nDisallow: /private/\n";
        assert!(allows(txt, "https://example.org/article/1"));
        assert!(!allows(txt, "https://example.org/private/x"));
        // A group for veille replaces the `*` group.
        assert!(allows(txt, "https://example.org/admin/x"));
        let all = "User-agent: *\nDisallow: /\n";
        assert!(!allows(all, "https://example.org/news"));
    }

    #[test]
    fn a_garbage_robots_file_restricts_nothing() {
        assert!(allows(
            "\u{0}\u{1}<html>not robots</html>",
            "https://e.org/a"
        ));
        assert!(allows("", "https://e.org/a"));
    }

    #[test]
    fn the_agent_is_the_product_token_of_the_user_agent() {
        assert_eq!(
            Robots::new("veille/0.1 (+https://example.org)").agent,
            "veille"
        );
        assert_eq!(Robots::new("").agent, "veille");
    }
}
