//! Benchmark of selector suggestion (`cargo bench --bench suggest`) on the listing pages of
//! `fixtures/listings/` (SPIP, Drupal, WordPress, a press-release table, teasers beside a
//! "most read" block, a hand-made CMS), each with the articles a person expects in
//! `NAME.expected`. The proposal ranked first is read with the real listing parser, and per page
//! and overall it prints: the share of expected articles found, the extra links picked (any
//! link not expected: most read, tags, share links), whether that proposal is the right block
//! (every expected article, nothing else), and the time of the suggestion.
//!
//! `VEILLE_LISTINGS` = another folder of `NAME.html` + `NAME.expected` pairs: the expected lines
//! are links resolved against the page's address, given by a first line `# url: https://…` for a
//! page saved from a real site, else `https://www.example.fr/listings/NAME.html`.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;
use url::Url;
use veille::normalize::canonical_url;
use veille::parse::html::{listing_date, parse_listing, ListingSelectors};
use veille::parse::suggest::suggest;

/// Targets of the issue.
const TARGET_FOUND: f64 = 0.95;

struct Score {
    expected: usize,
    found: usize,
    extra: usize,
    right: bool,
}

fn main() -> Result<()> {
    let dir = std::env::var_os("VEILLE_LISTINGS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/listings"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.strip_suffix(".html").map(str::to_string)
        })
        .collect();
    names.sort();
    if names.is_empty() {
        bail!("no NAME.html in {}", dir.display());
    }
    println!(
        "{:<22} {:>8} {:>6} {:>6} {:>6} {:>8}  item selector",
        "page", "expected", "found", "extra", "right", "ms"
    );
    let mut total = Score {
        expected: 0,
        found: 0,
        extra: 0,
        right: true,
    };
    let mut rights = 0;
    for name in &names {
        let (score, item, millis) = measure(&dir, name)?;
        println!(
            "{name:<22} {:>8} {:>5.0}% {:>6} {:>6} {millis:>8.2}  {item}",
            score.expected,
            100.0 * score.found as f64 / score.expected.max(1) as f64,
            score.extra,
            if score.right { "yes" } else { "NO" },
        );
        total.expected += score.expected;
        total.found += score.found;
        total.extra += score.extra;
        total.right &= score.right;
        rights += usize::from(score.right);
    }
    let found = total.found as f64 / total.expected.max(1) as f64;
    println!(
        "overall: {:.1}% of {} expected articles found (target ≥ {:.0}%), {} extra links, right block first on {rights}/{} pages",
        100.0 * found,
        total.expected,
        100.0 * TARGET_FOUND,
        total.extra,
        names.len()
    );
    let met = found >= TARGET_FOUND && total.extra == 0 && total.right;
    println!("targets {}", if met { "met" } else { "NOT met" });
    Ok(())
}

fn measure(dir: &Path, name: &str) -> Result<(Score, String, f64)> {
    let bytes = std::fs::read(dir.join(format!("{name}.html")))?;
    let expected_text = std::fs::read_to_string(dir.join(format!("{name}.expected")))
        .with_context(|| format!("{name}.expected"))?;
    // A page saved from a real site names its address on a first line `# url: https://…`.
    let page = match expected_text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# url:"))
    {
        Some(url) => Url::parse(url.trim()).with_context(|| format!("{name}.expected: url"))?,
        None => Url::parse(&format!("https://www.example.fr/listings/{name}.html"))?,
    };
    let expected: Vec<String> = expected_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| canonical_url(l.trim(), Some(&page)))
        .collect();
    let html = veille::charset::decode_page(&bytes, None);
    let tz = chrono_tz::Europe::Paris;
    let started = Instant::now();
    let proposals = suggest(&html, &page, tz);
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let Some(first) = proposals.first() else {
        let score = Score {
            expected: expected.len(),
            found: 0,
            extra: 0,
            right: false,
        };
        return Ok((score, "(no proposal)".into(), millis));
    };
    let compiled = ListingSelectors::compile(&first.selectors).map_err(anyhow::Error::msg)?;
    let got: Vec<String> = parse_listing(&html, &page, &compiled, |d| listing_date(d, tz))
        .map(|l| l.items.into_iter().map(|i| i.url).collect())
        .unwrap_or_default();
    let found = expected.iter().filter(|u| got.contains(u)).count();
    let extra = got.iter().filter(|u| !expected.contains(u)).count();
    let score = Score {
        expected: expected.len(),
        found,
        extra,
        right: found == expected.len() && extra == 0,
    };
    Ok((score, first.selectors.item.clone(), millis))
}
