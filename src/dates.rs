//! Dates as feeds write them → UTC instants. Pure.
//!
//! RFC 3339 and RFC 2822 first, then the liberties real feeds take: French day and month names
//! (« mar., 13 sept. 2022 16:41:30 +0000 », SPIP and WordPress in French locales), full month
//! names, missing seconds, `UTC`/`GMT`/`CET` zones, a space instead of `T`, a date alone.
//! A date that cannot be read is `None`: an article never gets "now" in its place.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use regex::Regex;
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
}
