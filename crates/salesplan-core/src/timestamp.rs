//! Wall-clock timestamps as the ledger stores them: UTC, fixed width
//! (`2026-11-25T18:30:00.123Z`, like SQLite's `%Y-%m-%dT%H:%M:%fZ`), so text order is time order.

use time::format_description::FormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

const STORED: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

fn stored_form(instant: OffsetDateTime) -> String {
    instant
        .to_offset(UtcOffset::UTC)
        .format(STORED)
        .unwrap_or_default()
}

pub(crate) fn now_utc() -> String {
    stored_form(OffsetDateTime::now_utc())
}

/// Accepts `2026-11-25` (midnight UTC) or an RFC 3339 instant; returns the stored form.
pub fn parse_instant(text: &str) -> Option<String> {
    let text = text.trim();
    if let Ok(instant) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(stored_form(instant));
    }
    let date = time::Date::parse(text, format_description!("[year]-[month]-[day]")).ok()?;
    Some(stored_form(date.midnight().assume_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_compare_as_text_in_time_order() {
        let midnight = parse_instant("2026-11-25").expect("a date");
        let later = parse_instant("2026-11-25T00:00:00.123+00:00").expect("an instant");
        let earlier_elsewhere = parse_instant("2026-11-25T00:30:00+01:00").expect("an instant");
        assert_eq!(midnight, "2026-11-25T00:00:00.000Z");
        assert!(midnight < later);
        assert!(earlier_elsewhere < midnight);
        assert_eq!(parse_instant("25/11/2026"), None);
        assert_eq!(now_utc().len(), midnight.len());
    }
}
