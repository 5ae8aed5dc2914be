//! Page metadata on hostile input first, then on snippets modelled on real French sites.

use super::*;
use chrono::TimeZone;
use chrono_tz::Europe::Paris;

fn meta(html: &str) -> PageMeta {
    metadata(&Html::parse_document(html), None, Paris)
}

fn meta_at(html: &str, url: &str) -> PageMeta {
    let url = url::Url::parse(url).ok();
    metadata(&Html::parse_document(html), url.as_ref(), Paris)
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single()
}

#[test]
fn empty_pages_give_nothing() {
    for html in [
        "",
        "<html></html>",
        "<title></title><h1> </h1>",
        "\u{0}\u{feff}<<<>>>",
    ] {
        assert_eq!(meta(html), PageMeta::default(), "{html:?}");
    }
}
