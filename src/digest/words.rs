//! Dates and periods in words, in French or English, and the labels of the built-in templates.

use super::Lang;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The words of the built-in templates, available to every template as `labels`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Labels {
    pub other: &'static str,
    pub also: &'static str,
    pub by: &'static str,
    pub contents: &'static str,
    pub story: &'static str,
    pub stories: &'static str,
    pub empty: &'static str,
    pub failed_sources: &'static str,
    pub failure: &'static str,
    pub failures: &'static str,
    pub generated: &'static str,
    pub read: &'static str,
    /// What follows a label before a list: «  : » in French, ":" in English.
    pub colon: &'static str,
}

const FR: Labels = Labels {
    other: "Autres",
    also: "Aussi dans",
    by: "par",
    contents: "Au sommaire",
    story: "sujet",
    stories: "sujets",
    empty: "Rien de nouveau pendant cette période.",
    failed_sources: "Sources en échec pendant la période",
    failure: "échec",
    failures: "échecs consécutifs",
    generated: "Produit par veille le",
    read: "Lire",
    colon: "\u{a0}:",
};

const EN: Labels = Labels {
    other: "Other",
    also: "Also reported by",
    by: "by",
    contents: "In this issue",
    story: "story",
    stories: "stories",
    empty: "Nothing new in this period.",
    failed_sources: "Sources that failed during the period",
    failure: "failure",
    failures: "consecutive failures",
    generated: "Made by veille on",
    read: "Read",
    colon: ":",
};

pub fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::Fr => FR,
        Lang::En => EN,
    }
}

fn month(date: NaiveDate, lang: Lang) -> &'static str {
    let i = date.month0() as usize;
    match lang {
        Lang::Fr => MONTHS_FR[i],
        Lang::En => MONTHS_EN[i],
    }
}

/// « 1er », « 16 » / "1", "16".
fn day_number(date: NaiveDate, lang: Lang) -> String {
    match (lang, date.day()) {
        (Lang::Fr, 1) => "1er".to_string(),
        (_, day) => day.to_string(),
    }
}

pub(super) fn full_date(date: NaiveDate, lang: Lang) -> String {
    format!(
        "{} {} {}",
        day_number(date, lang),
        month(date, lang),
        date.year()
    )
}

/// « 20 novembre 2026 » / "20 November 2026": the local day of `time`.
pub fn day_in_words(time: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    full_date(time.with_timezone(&tz).date_naive(), lang)
}

/// The first and last local days of `[since, until)`. A period that ends at the time of day it
/// began (midnight to midnight, or Monday 08:00 to Monday 08:00) ends on the day before, unless
/// `latest` (when the digest's newest story was first stored) falls on the day it ends: then
/// that day is in the words, as it is in the digest.
pub fn days(
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    latest: Option<DateTime<Utc>>,
    tz: Tz,
) -> (NaiveDate, NaiveDate) {
    let start = since.with_timezone(&tz);
    let end = until.with_timezone(&tz);
    let mut last = end.date_naive();
    let stored_on_last = latest.is_some_and(|t| t.with_timezone(&tz).date_naive() == last);
    if end.time() <= start.time() && !stored_on_last {
        last = last.pred_opt().unwrap_or(last);
    }
    (start.date_naive(), last.max(start.date_naive()))
}

/// « Semaine du 16 au 22 novembre 2026 », « Du 30 novembre au 6 décembre 2026 »,
/// "Week of 16 to 22 November 2026"…; `latest` as in [`days`].
pub fn period_in_words(
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    latest: Option<DateTime<Utc>>,
    tz: Tz,
    lang: Lang,
) -> String {
    let (first, last) = days(since, until, latest, tz);
    if first == last {
        let day = full_date(first, lang);
        return match lang {
            Lang::Fr => format!("Journée du {day}"),
            Lang::En => day,
        };
    }
    let from = if first.year() != last.year() {
        full_date(first, lang)
    } else if first.month() != last.month() {
        format!("{} {}", day_number(first, lang), month(first, lang))
    } else {
        day_number(first, lang)
    };
    let to = full_date(last, lang);
    let week = last - first == Duration::days(6);
    match (lang, week) {
        (Lang::Fr, true) => format!("Semaine du {from} au {to}"),
        (Lang::Fr, false) => format!("Du {from} au {to}"),
        (Lang::En, true) => format!("Week of {from} to {to}"),
        (Lang::En, false) => format!("From {from} to {to}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn paris(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Paris
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn periods_read_as_a_person_writes_them() {
        let tz = chrono_tz::Europe::Paris;
        let words = |a, b, lang| period_in_words(a, b, None, tz, lang);
        // Midnight to midnight, and a Monday-morning cron run to the next.
        assert_eq!(
            words(paris(2026, 11, 16, 0), paris(2026, 11, 23, 0), Lang::Fr),
            "Semaine du 16 au 22 novembre 2026"
        );
        assert_eq!(
            words(paris(2026, 11, 16, 8), paris(2026, 11, 23, 8), Lang::Fr),
            "Semaine du 16 au 22 novembre 2026"
        );
        assert_eq!(
            words(paris(2026, 11, 30, 8), paris(2026, 12, 7, 8), Lang::Fr),
            "Semaine du 30 novembre au 6 décembre 2026"
        );
        assert_eq!(
            words(paris(2026, 12, 28, 0), paris(2027, 1, 4, 0), Lang::Fr),
            "Semaine du 28 décembre 2026 au 3 janvier 2027"
        );
        assert_eq!(
            words(paris(2026, 11, 1, 0), paris(2026, 12, 1, 0), Lang::Fr),
            "Du 1er au 30 novembre 2026"
        );
        // A period that ends later in the day than it began includes its last day.
        assert_eq!(
            words(paris(2026, 11, 16, 8), paris(2026, 11, 18, 15), Lang::Fr),
            "Du 16 au 18 novembre 2026"
        );
        assert_eq!(
            words(paris(2026, 11, 16, 0), paris(2026, 11, 17, 0), Lang::Fr),
            "Journée du 16 novembre 2026"
        );
        assert_eq!(
            words(paris(2026, 11, 16, 0), paris(2026, 11, 23, 0), Lang::En),
            "Week of 16 to 22 November 2026"
        );
        assert_eq!(
            words(paris(2026, 11, 30, 0), paris(2026, 12, 3, 0), Lang::En),
            "From 30 November to 2 December 2026"
        );
    }

    #[test]
    fn a_story_stored_on_the_last_day_puts_that_day_in_the_words() {
        let tz = chrono_tz::Europe::Paris;
        // A Wednesday's `--since 7d` at 10:00, its stories stored that morning.
        let (since, until) = (paris(2026, 11, 25, 10), paris(2026, 12, 2, 10));
        assert_eq!(
            period_in_words(since, until, Some(paris(2026, 12, 2, 9)), tz, Lang::Fr),
            "Du 25 novembre au 2 décembre 2026"
        );
        // Nothing stored that day: the week it read before.
        assert_eq!(
            period_in_words(since, until, Some(paris(2026, 12, 1, 9)), tz, Lang::Fr),
            "Semaine du 25 novembre au 1er décembre 2026"
        );
    }

    #[test]
    fn days_are_local() {
        // 23:30 UTC on the 19th is already the 20th in Paris.
        let t = Utc.with_ymd_and_hms(2026, 11, 19, 23, 30, 0).unwrap();
        assert_eq!(
            day_in_words(t, chrono_tz::Europe::Paris, Lang::Fr),
            "20 novembre 2026"
        );
        assert_eq!(
            day_in_words(t, chrono_tz::UTC, Lang::En),
            "19 November 2026"
        );
    }
}
