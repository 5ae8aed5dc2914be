//! Dates as feeds write them → UTC instants. Pure.
//!
//! RFC 3339 and RFC 2822 first, then the liberties real feeds take: French day and month names
//! (« mar., 13 sept. 2022 16:41:30 +0000 », SPIP and WordPress in French locales), full month
//! names, missing seconds, `UTC`/`GMT`/`CET` zones, a space instead of `T`, a date alone.
//! A date that cannot be read is `None`: an article never gets "now" in its place.
//!
//! Pages write dates more freely than feeds: [`parse_page_date`] also reads a date inside a
//! sentence (« Publié le 3 mars 2025 à 13:44 », « le 12/03/2024 », « March 3, 2025 »,
//! « 28. Januar 2020 »), a month alone (« juin 2024 »), and reads a time without a zone in the
//! reader's timezone.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use regex::{Captures, Regex};
use std::sync::OnceLock;

/// Month names and abbreviations, French and English, folded to lower case without accents
/// and without a trailing dot, mapped to RFC 2822's English abbreviations.
const MONTHS: &[(&str, &str)] = &[
    ("janvier", "Jan"),
    ("janv", "Jan"),
    ("january", "Jan"),
    ("jan", "Jan"),
    ("fevrier", "Feb"),
    ("fevr", "Feb"),
    ("fev", "Feb"),
    ("february", "Feb"),
    ("feb", "Feb"),
    ("mars", "Mar"),
    ("march", "Mar"),
    ("mar", "Mar"),
    ("avril", "Apr"),
    ("avr", "Apr"),
    ("april", "Apr"),
    ("apr", "Apr"),
    ("mai", "May"),
    ("may", "May"),
    ("juin", "Jun"),
    ("june", "Jun"),
    ("jun", "Jun"),
    ("juillet", "Jul"),
    ("juil", "Jul"),
    ("july", "Jul"),
    ("jul", "Jul"),
    ("aout", "Aug"),
    ("august", "Aug"),
    ("aug", "Aug"),
    ("septembre", "Sep"),
    ("sept", "Sep"),
    ("september", "Sep"),
    ("sep", "Sep"),
    ("octobre", "Oct"),
    ("october", "Oct"),
    ("oct", "Oct"),
    ("novembre", "Nov"),
    ("november", "Nov"),
    ("nov", "Nov"),
    ("decembre", "Dec"),
    ("dec", "Dec"),
    ("december", "Dec"),
    // German, for pages (« 28. Januar 2020 », « 3. März 2021 »), folded like the others.
    ("januar", "Jan"),
    ("jaenner", "Jan"),
    ("janner", "Jan"),
    ("februar", "Feb"),
    ("marz", "Mar"),
    ("maerz", "Mar"),
    ("juni", "Jun"),
    ("juli", "Jul"),
    ("oktober", "Oct"),
    ("okt", "Oct"),
    ("dezember", "Dec"),
    ("dez", "Dec"),
];

/// Zone names chrono does not know, as offsets.
const ZONES: &[(&str, &str)] = &[
    ("UTC", "+0000"),
    ("GMT", "+0000"),
    ("UT", "+0000"),
    ("Z", "+0000"),
    ("CET", "+0100"),
    ("CEST", "+0200"),
    ("BST", "+0100"),
    ("EST", "-0500"),
    ("EDT", "-0400"),
    ("CST", "-0600"),
    ("CDT", "-0500"),
    ("MST", "-0700"),
    ("MDT", "-0600"),
    ("PST", "-0800"),
    ("PDT", "-0700"),
];

/// Read a feed's date; `None` when it cannot be read.
pub fn parse_feed_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    rfc3339_lenient(text)
        .or_else(|| rfc2822_lenient(text))
        .map(|t| t.with_timezone(&Utc))
}

fn rfc3339_lenient(text: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time);
    }
    static FIX: OnceLock<Regex> = OnceLock::new();
    let fix = FIX.get_or_init(|| {
        Regex::new(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?$")
            .expect("valid regex")
    });
    let caps = fix.captures(text)?;
    let date = &caps[1];
    let Some(hm) = caps.get(2) else {
        let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
        return Some(day.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset());
    };
    let seconds = caps.get(3).map_or(":00", |m| m.as_str());
    let zone = match caps.get(4).map(|m| m.as_str()) {
        None | Some("Z" | "UTC" | "GMT") => "+00:00".to_string(),
        Some(z) if z.contains(':') => z.to_string(),
        Some(z) => format!("{}:{}", &z[..3], &z[3..]),
    };
    DateTime::parse_from_rfc3339(&format!("{date}T{}{seconds}{zone}", hm.as_str())).ok()
}

fn rfc2822_lenient(text: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(time) = DateTime::parse_from_rfc2822(text) {
        return Some(time);
    }
    // Day, month, year, time and zone, whatever the words around them.
    static SHAPE: OnceLock<Regex> = OnceLock::new();
    let shape = SHAPE.get_or_init(|| {
        Regex::new(r"(?i)(\d{1,2})(?:er)?[\s.-]+([[:alpha:]\u{e0}-\u{fc}]+)\.?[\s.-]+(\d{2,4})(?:[\s,à]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?\s*([A-Z]{1,4}|[+-]\d{2}:?\d{2})?")
            .expect("valid regex")
    });
    let caps = shape.captures(text)?;
    let month_word = crate::normalize::fold(&caps[2]);
    let month = MONTHS.iter().find(|(name, _)| *name == month_word)?.1;
    let mut year: i32 = caps[3].parse().ok()?;
    if caps[3].len() == 2 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    let day: u32 = caps[1].parse().ok()?;
    let hour: u32 = caps.get(4).map_or(Some(0), |m| m.as_str().parse().ok())?;
    let minute: u32 = caps.get(5).map_or(Some(0), |m| m.as_str().parse().ok())?;
    let second: u32 = caps.get(6).map_or(Some(0), |m| m.as_str().parse().ok())?;
    let zone = match caps.get(7).map(|m| m.as_str()) {
        None => "+0000".to_string(),
        Some(z) if z.starts_with(['+', '-']) => z.replace(':', ""),
        Some(z) => ZONES.iter().find(|(name, _)| *name == z)?.1.to_string(),
    };
    // A "24:00" is midnight of the next day in some feeds; read it as the start of the day.
    let hour = if hour == 24 { 0 } else { hour };
    let naive = NaiveDateTime::parse_from_str(
        &format!("{day} {month} {year} {hour:02}:{minute:02}:{second:02}"),
        "%d %b %Y %H:%M:%S",
    )
    .ok()?;
    let offset =
        DateTime::parse_from_str(&format!("2000-01-01 00:00 {zone}"), "%Y-%m-%d %H:%M %z").ok()?;
    naive.and_local_timezone(*offset.offset()).single()
}

/// How much of an instant a page date gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    /// Only a month (« juin 2024 »): the instant is the first of that month, midnight local.
    Month,
    /// A calendar day: the instant is its midnight, local.
    Day,
    /// A day and a time of day.
    Time,
}

/// Of a listing's date and the article page's, the one that says more: the page's when it is
/// more precise (« 27 janvier 2026 » over « janvier 2026 », a time over a day alone) and agrees
/// with the listing's (same month, or same day, in `tz`); else the listing's.
pub fn most_precise(
    listing: Option<(DateTime<Utc>, Precision)>,
    page: Option<(DateTime<Utc>, Precision)>,
    tz: Tz,
) -> Option<(DateTime<Utc>, Precision)> {
    let (Some(listed), Some(paged)) = (listing, page) else {
        return listing.or(page);
    };
    let (l, p) = (
        listed.0.with_timezone(&tz).date_naive(),
        paged.0.with_timezone(&tz).date_naive(),
    );
    let agrees = match listed.1 {
        Precision::Month => (l.year(), l.month()) == (p.year(), p.month()),
        Precision::Day | Precision::Time => l == p,
    };
    Some(if paged.1 > listed.1 && agrees {
        paged
    } else {
        listed
    })
}

/// How much text a page date is looked for in: a date is near the start of what holds it.
const MAX_PAGE_DATE_TEXT: usize = 400;

/// A date as a page writes it, read in `tz` when it has no zone of its own; `None` when the text
/// holds no readable date. Structured forms (ISO 8601, RFC 2822) must open the text; written
/// forms are found anywhere in it, the leftmost full date winning over a month alone. Numeric
/// dates are day/month/year (11/06/2024 is 11 June) unless that cannot be a date.
pub fn parse_page_date(text: &str, tz: Tz) -> Option<(DateTime<Utc>, Precision)> {
    let text = prefix_chars(text.trim(), MAX_PAGE_DATE_TEXT);
    if text.is_empty() {
        return None;
    }
    iso_prefix(text, tz)
        .or_else(|| {
            DateTime::parse_from_rfc2822(text)
                .ok()
                .map(|t| (t.with_timezone(&Utc), Precision::Time))
        })
        .or_else(|| written_date(&crate::normalize::fold(text), tz))
}

/// At most `max` bytes of `text`, cut on a character boundary.
fn prefix_chars(text: &str, max: usize) -> &str {
    &text[..text.floor_char_boundary(max)]
}

/// `2024-06-11`, `2024-06-11T10:00:00.000+02:00`, `2024-06-11 10:00`, `2024/06/11`, whatever follows.
fn iso_prefix(text: &str, tz: Tz) -> Option<(DateTime<Utc>, Precision)> {
    static ISO: OnceLock<Regex> = OnceLock::new();
    let iso = ISO.get_or_init(|| {
        Regex::new(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:T|\s+|T\s*)(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?)?(?:$|[^\d])")
            .expect("valid regex")
    });
    let caps = iso.captures(text)?;
    let date = ymd(num(&caps, 1)?, num(&caps, 2)?, num(&caps, 3)?)?;
    let Some(hour) = num(&caps, 4) else {
        return Some((local(date.and_hms_opt(0, 0, 0)?, tz)?, Precision::Day));
    };
    let naive = date.and_hms_opt(hour, num(&caps, 5)?, num(&caps, 6).unwrap_or(0))?;
    let instant = match caps.get(7).map(|m| m.as_str()) {
        None => local(naive, tz)?,
        Some("Z" | "UTC" | "GMT") => naive.and_utc(),
        Some(zone) => {
            let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
            let hours: i32 = digits.get(..2)?.parse().ok()?;
            let minutes: i32 = digits
                .get(2..)
                .filter(|m| !m.is_empty())
                .map_or(Some(0), |m| m.parse().ok())?;
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let offset = FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?;
            naive
                .and_local_timezone(offset)
                .single()?
                .with_timezone(&Utc)
        }
    };
    Some((instant, Precision::Time))
}

/// A date written in a sentence, in folded text (lower case, no accents).
fn written_date(folded: &str, tz: Tz) -> Option<(DateTime<Utc>, Precision)> {
    let shapes = shapes();
    if let Some((date, time)) = earliest_full_date(shapes, folded) {
        return match time {
            Some(naive) => Some((local(naive, tz)?, Precision::Time)),
            None => Some((local(date.and_hms_opt(0, 0, 0)?, tz)?, Precision::Day)),
        };
    }
    shapes.month_year.captures_iter(folded).find_map(|caps| {
        let date = ymd(num(&caps, 2)?, month_number(&caps[1])?, 1)?;
        Some((local(date.and_hms_opt(0, 0, 0)?, tz)?, Precision::Month))
    })
}

/// The shapes a written date takes, compiled once.
struct Shapes {
    day_month_year: Regex,
    month_day_year: Regex,
    numeric: Regex,
    iso: Regex,
    month_year: Regex,
}

fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let mut names: Vec<&str> = MONTHS.iter().map(|(name, _)| *name).collect();
        names.sort_by_key(|name| std::cmp::Reverse(name.len()));
        let month = format!(r"\b({})\b\.?", names.join("|"));
        // « à 13:44 », « um 13.44 Uhr », « at 1:44 pm », « , 13h44 », « - 13:44 »
        let time = r"(?:\s*(?:,|a|um|at|-|\||/)?\s*(\d{1,2})[:h](\d{2})(?::(\d{2}))?(?:\s*(am|pm|a\.m\.|p\.m\.))?)?";
        let re = |pattern: String| Regex::new(&pattern).expect("valid regex");
        Shapes {
            day_month_year: re(format!(
                r"\b(\d{{1,2}})(?:er|\.|st|nd|rd|th)?\s*(?:de\s+)?{month}(?:\s+de)?,?\s+(\d{{4}})\b{time}"
            )),
            month_day_year: re(format!(
                r"{month}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b{time}"
            )),
            numeric: re(format!(
                r"(?:^|[^\d./])(\d{{1,2}})([./-])(\d{{1,2}})[./-](\d{{4}}|\d{{2}})(?:$|[^\d./]|\.(?:\D|$)){time}"
            )),
            iso: re(format!(r"\b(\d{{4}})-(\d{{2}})-(\d{{2}})\b{time}")),
            month_year: re(format!(r"{month}\s+(\d{{4}})\b")),
        }
    })
}

/// The month (1–12) a folded month name or abbreviation names.
fn month_number(word: &str) -> Option<u32> {
    let abbr = MONTHS.iter().find(|(name, _)| *name == word)?.1;
    let index = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == abbr)?;
    u32::try_from(index + 1).ok()
}

/// The full date (day, month and year) written first in the text, with its time if one follows.
fn earliest_full_date(shapes: &Shapes, folded: &str) -> Option<(NaiveDate, Option<NaiveDateTime>)> {
    // (start, date, time) for each full date found.
    let mut found: Vec<(usize, NaiveDate, Option<NaiveDateTime>)> = Vec::new();
    for caps in shapes.day_month_year.captures_iter(folded) {
        if let Some(date) =
            month_number(&caps[2]).and_then(|m| ymd(num(&caps, 3)?, m, num(&caps, 1)?))
        {
            found.push((start(&caps), date, time_of(date, &caps, 4)));
        }
    }
    for caps in shapes.month_day_year.captures_iter(folded) {
        if let Some(date) =
            month_number(&caps[1]).and_then(|m| ymd(num(&caps, 3)?, m, num(&caps, 2)?))
        {
            found.push((start(&caps), date, time_of(date, &caps, 4)));
        }
    }
    for caps in shapes.numeric.captures_iter(folded) {
        if let Some(date) = numeric_date(&caps) {
            found.push((start(&caps), date, time_of(date, &caps, 5)));
        }
    }
    for caps in shapes.iso.captures_iter(folded) {
        let iso = || ymd(num(&caps, 1)?, num(&caps, 2)?, num(&caps, 3)?);
        if let Some(date) = iso() {
            found.push((start(&caps), date, time_of(date, &caps, 4)));
        }
    }
    let (_, date, time) = found.into_iter().min_by_key(|(at, ..)| *at)?;
    Some((date, time))
}

/// A numeric date: day/month/year, or month/day/year when only that reading is a date.
fn numeric_date(caps: &Captures) -> Option<NaiveDate> {
    let (first, second, year) = (num(caps, 1)?, num(caps, 3)?, num(caps, 4)?);
    let year = if caps[4].len() == 2 {
        // Two-digit years only for the separators that French and German pages use with them.
        if &caps[2] == "-" {
            return None;
        }
        2000 + year
    } else {
        year
    };
    ymd(year, second, first).or_else(|| {
        // 06/23/2024 cannot be day/month: an American page.
        (&caps[2] == "/")
            .then(|| ymd(year, first, second))
            .flatten()
    })
}

fn start(caps: &Captures) -> usize {
    caps.get(0).map_or(0, |m| m.start())
}

fn num(caps: &Captures, group: usize) -> Option<u32> {
    caps.get(group)?.as_str().parse().ok()
}

fn ymd(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// The time of day in groups `first..first+3` (hour, minute, second, am/pm), if any.
fn time_of(date: NaiveDate, caps: &Captures, first: usize) -> Option<NaiveDateTime> {
    let mut hour = num(caps, first)?;
    let minute = num(caps, first + 1)?;
    let second = num(caps, first + 2).unwrap_or(0);
    match caps.get(first + 3).map(|m| m.as_str().starts_with('p')) {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    date.and_hms_opt(hour, minute, second)
}

/// A naive local time in `tz`; in a daylight-saving gap, the hour after.
fn local(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap())
    }

    #[test]
    fn standard_forms() {
        assert_eq!(
            parse_feed_date("2026-11-20T14:03:11+01:00"),
            utc(2026, 11, 20, 13, 3, 11)
        );
        assert_eq!(
            parse_feed_date("Thu, 19 Nov 2026 10:12:00 +0100"),
            utc(2026, 11, 19, 9, 12, 0)
        );
        assert_eq!(
            parse_feed_date("Thu, 19 Nov 2026 10:12:00 GMT"),
            utc(2026, 11, 19, 10, 12, 0)
        );
    }

    #[test]
    fn french_names() {
        assert_eq!(
            parse_feed_date("mar., 13 sept. 2022 16:41:30 +0000"),
            utc(2022, 9, 13, 16, 41, 30)
        );
        assert_eq!(
            parse_feed_date("lundi 1er décembre 2025 08:00 CET"),
            utc(2025, 12, 1, 7, 0, 0)
        );
        assert_eq!(
            parse_feed_date("23 juin 2026 à 13:44"),
            utc(2026, 6, 23, 13, 44, 0)
        );
        assert_eq!(parse_feed_date("5 août 2024"), utc(2024, 8, 5, 0, 0, 0));
    }

    #[test]
    fn liberties_of_real_feeds() {
        assert_eq!(
            parse_feed_date("2026-11-20 14:03:11"),
            utc(2026, 11, 20, 14, 3, 11)
        );
        assert_eq!(
            parse_feed_date("2026-11-20T14:03+0200"),
            utc(2026, 11, 20, 12, 3, 0)
        );
        assert_eq!(parse_feed_date("2026-11-20"), utc(2026, 11, 20, 0, 0, 0));
        assert_eq!(
            parse_feed_date("Wednesday, 02 October 2002 13:00 EST"),
            utc(2002, 10, 2, 18, 0, 0)
        );
        assert_eq!(
            parse_feed_date("02 Oct 02 13:00:00 +0000"),
            utc(2002, 10, 2, 13, 0, 0)
        );
    }

    #[test]
    fn unreadable_dates_are_none() {
        for text in [
            "",
            "yesterday",
            "32 Foo 2020",
            "2026-13-45",
            "99 jan 2020 10:00",
        ] {
            assert_eq!(parse_feed_date(text), None, "{text}");
        }
    }

    fn page(text: &str) -> Option<(DateTime<Utc>, Precision)> {
        parse_page_date(text, chrono_tz::Europe::Paris)
    }

    #[test]
    fn page_dates_structured() {
        assert_eq!(
            page("2024-06-11T10:00:00Z"),
            Some((utc(2024, 6, 11, 10, 0, 0).unwrap(), Precision::Time))
        );
        assert_eq!(
            page("2024-06-11T10:00:00.000+0200"),
            Some((utc(2024, 6, 11, 8, 0, 0).unwrap(), Precision::Time))
        );
        // No zone: Paris local time.
        assert_eq!(
            page("2024-06-11 10:00"),
            Some((utc(2024, 6, 11, 8, 0, 0).unwrap(), Precision::Time))
        );
        assert_eq!(
            page("2024-06-11"),
            Some((utc(2024, 6, 10, 22, 0, 0).unwrap(), Precision::Day))
        );
        assert_eq!(
            page("Thu, 19 Nov 2026 10:12:00 +0100"),
            Some((utc(2026, 11, 19, 9, 12, 0).unwrap(), Precision::Time))
        );
    }

    #[test]
    fn page_dates_written_in_french() {
        assert_eq!(
            page("23 juin 2026 à 13:44"),
            Some((utc(2026, 6, 23, 11, 44, 0).unwrap(), Precision::Time))
        );
        assert_eq!(
            page("Publié le 3 mars 2025"),
            Some((utc(2025, 3, 2, 23, 0, 0).unwrap(), Precision::Day))
        );
        assert_eq!(
            page("le 12/03/2024"),
            Some((utc(2024, 3, 11, 23, 0, 0).unwrap(), Precision::Day))
        );
        assert_eq!(
            page("11/06/2024"),
            Some((utc(2024, 6, 10, 22, 0, 0).unwrap(), Precision::Day))
        );
        assert_eq!(
            page("Posté par genma le 23/06/26 à 13:44."),
            Some((utc(2026, 6, 23, 11, 44, 0).unwrap(), Precision::Time))
        );
        assert_eq!(
            page("mis à jour en juin 2024"),
            Some((utc(2024, 5, 31, 22, 0, 0).unwrap(), Precision::Month))
        );
        assert_eq!(
            page("lundi 1er décembre 2025, 08h30"),
            Some((utc(2025, 12, 1, 7, 30, 0).unwrap(), Precision::Time))
        );
    }

    #[test]
    fn page_dates_written_in_english_and_german() {
        assert_eq!(
            page("March 3, 2025"),
            Some((utc(2025, 3, 2, 23, 0, 0).unwrap(), Precision::Day))
        );
        assert_eq!(
            page("Posted on March 3rd, 2025 at 1:44 pm"),
            Some((utc(2025, 3, 3, 12, 44, 0).unwrap(), Precision::Time))
        );
        assert_eq!(
            page("28. Januar 2020, 14:05 Uhr"),
            Some((utc(2020, 1, 28, 13, 5, 0).unwrap(), Precision::Time))
        );
        assert_eq!(
            page("Stand: 03.03.2021"),
            Some((utc(2021, 3, 2, 23, 0, 0).unwrap(), Precision::Day))
        );
    }

    #[test]
    fn page_dates_unreadable() {
        for text in [
            "",
            "hier",
            "version 1.2.3",
            "31/02/2024",
            "2024-13-01",
            "9999999999",
        ] {
            assert_eq!(page(text), None, "{text}");
        }
        // A huge text is only looked at from its start.
        let long = format!("{} 3 mars 2025", "x".repeat(1_000_000));
        assert_eq!(page(&long), None);
    }

    #[test]
    fn the_more_precise_date_wins_when_it_agrees() {
        let tz = chrono_tz::Europe::Paris;
        let month = page("janvier 2026");
        let day = page("27 janvier 2026");
        let time = page("27 janvier 2026 à 14:30");
        assert_eq!(most_precise(month, day, tz), day);
        assert_eq!(most_precise(day, month, tz), day);
        assert_eq!(most_precise(day, time, tz), time);
        assert_eq!(most_precise(time, day, tz), time);
        assert_eq!(most_precise(None, day, tz), day);
        assert_eq!(most_precise(month, None, tz), month);
        // A page date of another month is not the listing's article: the listing stays.
        assert_eq!(most_precise(month, page("3 mars 2025"), tz), month);
        assert_eq!(most_precise(day, page("28 janvier 2026 à 10:00"), tz), day);
    }
}
