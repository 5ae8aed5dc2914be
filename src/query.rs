//! What a user types after `veille search` → an FTS5 query, and `--since`/`--until` → instants.
//! Pure: `now` and the time zone are arguments.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// Operators and syntax the user may write as FTS5 understands them.
const OPERATORS: &[&str] = &["AND", "OR", "NOT"];

/// Quote the words FTS5 would misread (`open-source`, `l'état`, `c++`), keep phrases, `prefix*`,
/// AND/OR/NOT and parentheses as they are. The result may still be invalid (`AND OR`): the
/// store turns FTS5's refusal into a usage error.
pub fn to_fts(query: &str) -> String {
    let mut out = Vec::new();
    let mut chars = query.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            let mut phrase = String::from('"');
            chars.next();
            for c in chars.by_ref() {
                phrase.push(c);
                if c == '"' {
                    break;
                }
            }
            if chars.peek() == Some(&'*') {
                phrase.push('*');
                chars.next();
            }
            out.push(phrase);
        } else if c == '(' || c == ')' {
            out.push(c.to_string());
            chars.next();
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' || c == '(' || c == ')' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            out.push(bareword(&word));
        }
    }
    with_explicit_and(out).join(" ")
}

/// FTS5 reads `a b` as `a AND b` but refuses `(a OR b) c`: write the AND it leaves implicit.
fn with_explicit_and(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for token in tokens {
        let starts_operand = !OPERATORS.contains(&token.as_str()) && token != ")";
        let after_operand = out
            .last()
            .is_some_and(|prev| !OPERATORS.contains(&prev.as_str()) && prev != "(");
        let around_parenthesis = token == "(" || out.last().is_some_and(|p| p == ")");
        if starts_operand && after_operand && around_parenthesis {
            out.push("AND".to_string());
        }
        out.push(token);
    }
    out
}

fn bareword(word: &str) -> String {
    if OPERATORS.contains(&word) {
        return word.to_string();
    }
    let (stem, star) = match word.strip_suffix('*') {
        Some(stem) if !stem.is_empty() => (stem, "*"),
        _ => (word, ""),
    };
    let plain = stem
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || !c.is_ascii());
    if plain {
        format!("{stem}{star}")
    } else {
        format!("\"{}\"{star}", stem.replace('"', ""))
    }
}

/// `7d`, `36h`, `2w` (before `now`), `2026-11-01` (midnight in `tz`), or an RFC 3339 time.
pub fn parse_instant<Tz: TimeZone>(
    text: &str,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
        return tz
            .from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| format!("`{text}` does not exist in the configured time zone"));
    }
    match humantime::parse_duration(text) {
        Ok(span) => chrono::Duration::from_std(span)
            .ok()
            .and_then(|span| now.checked_sub_signed(span))
            .ok_or_else(|| format!("`{text}` reaches too far back")),
        Err(_) => Err(format!(
            "`{text}` is not a time: use a duration (7d, 36h, 2w), a date (2026-11-01) or an RFC 3339 time"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_that_fts5_would_misread_are_quoted() {
        assert_eq!(to_fts("open-source"), "\"open-source\"");
        assert_eq!(to_fts("l'état souverain*"), "\"l'état\" souverain*");
        assert_eq!(
            to_fts("\"cloud de confiance\" OR secnum*"),
            "\"cloud de confiance\" OR secnum*"
        );
        assert_eq!(to_fts("(a OR b) NOT c"), "( a OR b ) NOT c");
        assert_eq!(to_fts("souveraineté"), "souveraineté");
        assert_eq!(to_fts("(a OR b) c"), "( a OR b ) AND c");
        assert_eq!(to_fts("c (a OR b)"), "c AND ( a OR b )");
        assert_eq!(to_fts("a b NOT (c)"), "a b NOT ( c )");
    }

    #[test]
    fn instants_parse_in_every_form() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let paris = chrono_tz::Europe::Paris;
        assert_eq!(
            parse_instant("7d", now, &paris).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 16, 12, 0, 0).unwrap()
        );
        assert_eq!(
            parse_instant("36h", now, &paris).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
        );
        assert_eq!(
            parse_instant("2w", now, &paris).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 9, 12, 0, 0).unwrap()
        );
        assert_eq!(
            parse_instant("2026-11-01", now, &paris).unwrap(),
            Utc.with_ymd_and_hms(2026, 10, 31, 23, 0, 0).unwrap()
        );
        assert_eq!(
            parse_instant("2026-11-01T10:00:00+02:00", now, &paris).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap()
        );
        assert!(parse_instant("last tuesday", now, &paris)
            .unwrap_err()
            .contains("not a time"));
    }
}
