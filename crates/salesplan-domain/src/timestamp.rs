//! Instants and calendar days. A [`Timestamp`] is a UTC instant to the
//! millisecond, written in one fixed-width form (`2026-11-25T18:30:00.123Z`,
//! SQLite's `%Y-%m-%dT%H:%M:%fZ`) wherever it is stored or sent, so text order
//! is time order. A [`Day`] is a calendar day, `YYYY-MM-DD`.

use crate::error::Error;
use crate::month::Month;
use crate::values::shown;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::format_description::FormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

const STORED: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
const DAY: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");
/// Longer than any RFC 3339 instant, so a long text is refused before it is parsed.
const LONGEST: usize = 40;

/// A UTC instant, whole milliseconds; written `2026-11-25T18:30:00.123Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ts_rs::TS)]
#[ts(export, type = "string")]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    pub fn now() -> Timestamp {
        Timestamp::from(OffsetDateTime::now_utc())
    }

    /// An RFC 3339 instant, or a day (`2026-11-25`, meaning its first moment in UTC);
    /// `field` names the input in the error.
    pub fn parse(field: &str, text: &str) -> crate::Result<Timestamp> {
        let text = text.trim();
        Timestamp::rfc3339(text)
            .or_else(|| Day::read(text).map(Day::start))
            .ok_or_else(|| {
                Error::invalid(
                    field,
                    format!(
                        "'{}' is not a time; write it as YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ",
                        shown(text)
                    ),
                )
            })
    }

    fn rfc3339(text: &str) -> Option<Timestamp> {
        if text.len() > LONGEST {
            return None;
        }
        OffsetDateTime::parse(text, &Rfc3339)
            .ok()
            .map(Timestamp::from)
    }

    /// Milliseconds since 1970-01-01 UTC, as the sync clock counts.
    pub fn from_unix_ms(ms: i64) -> Option<Timestamp> {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .ok()
            .map(Timestamp::from)
    }

    /// The day this instant falls on in UTC.
    pub fn day(self) -> Day {
        Day(self.0.date())
    }
}

/// Any instant, moved to UTC and cut to the millisecond (so it reads back equal).
impl From<OffsetDateTime> for Timestamp {
    fn from(instant: OffsetDateTime) -> Timestamp {
        let utc = instant.to_offset(UtcOffset::UTC);
        let millisecond = utc.millisecond();
        Timestamp(utc.replace_millisecond(millisecond).unwrap_or(utc))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.format(STORED).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// On the wire only an RFC 3339 instant is a time (a bare day is not).
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::rfc3339(&text)
            .ok_or_else(|| D::Error::custom(format!("'{}' is not a time (RFC 3339)", shown(&text))))
    }
}

/// A calendar day from 1900 to 9999; written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ts_rs::TS)]
#[ts(export, type = "string")]
pub struct Day(Date);

impl Day {
    /// `YYYY-MM-DD`; `field` names the input in the error.
    pub fn parse(field: &str, text: &str) -> crate::Result<Day> {
        Day::read(text.trim()).ok_or_else(|| {
            Error::invalid(
                field,
                format!("'{}' is not a day; write it as YYYY-MM-DD", shown(text)),
            )
        })
    }

    fn read(text: &str) -> Option<Day> {
        Date::parse(text, DAY).ok().and_then(Day::from_date)
    }

    /// Today in UTC.
    pub fn today() -> Day {
        Timestamp::now().day()
    }

    pub fn new(year: i32, month: u8, day: u8) -> Option<Day> {
        let month = time::Month::try_from(month).ok()?;
        Date::from_calendar_date(year, month, day)
            .ok()
            .and_then(Day::from_date)
    }

    /// A calendar date, when it lies from 1900 to 9999.
    pub fn from_date(date: Date) -> Option<Day> {
        Some(Day(date)).filter(|day| (1900..=9999).contains(&day.0.year()))
    }

    /// `days` later (earlier when negative), when that is still a day.
    pub fn plus_days(self, days: i64) -> Option<Day> {
        self.0
            .checked_add(time::Duration::days(days))
            .and_then(Day::from_date)
    }

    pub fn month(self) -> Month {
        Month::new(self.0.year(), u8::from(self.0.month()))
    }

    /// The day of its month, 1 to 31.
    pub fn day_of_month(self) -> u8 {
        self.0.day()
    }

    /// Days from `earlier` to this day (negative when `earlier` is later).
    pub fn days_since(self, earlier: Day) -> i64 {
        (self.0 - earlier.0).whole_days()
    }

    /// The days of a month: 28 to 31.
    pub fn days_in(month: Month) -> u8 {
        time::Month::try_from(month.number())
            .unwrap_or(time::Month::January)
            .length(month.year())
    }

    /// The first moment of this day in UTC.
    pub fn start(self) -> Timestamp {
        Timestamp(self.0.midnight().assume_utc())
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.format(DAY).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Day, D::Error> {
        let text = String::deserialize(deserializer)?;
        Day::read(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "'{}' is not a day; write it as YYYY-MM-DD",
                shown(&text)
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse("at", text).expect("a time")
    }

    #[test]
    fn instants_are_written_in_one_form_whose_text_order_is_time_order() {
        let midnight = at("2026-11-25");
        let later = at("2026-11-25T00:00:00.1234+00:00");
        let earlier_elsewhere = at("2026-11-25T00:30:00+01:00");
        assert_eq!(midnight.to_string(), "2026-11-25T00:00:00.000Z");
        assert_eq!(later.to_string(), "2026-11-25T00:00:00.123Z");
        assert_eq!(earlier_elsewhere.to_string(), "2026-11-24T23:30:00.000Z");
        assert!(midnight < later && earlier_elsewhere < midnight);
        assert!(earlier_elsewhere.to_string() < midnight.to_string());
        assert_eq!(Timestamp::now().to_string().len(), 24);
        assert_eq!(at(&later.to_string()), later, "reads back equal");
        assert_eq!(earlier_elsewhere.day().to_string(), "2026-11-24");
    }

    #[test]
    fn what_is_no_time_is_refused_saying_so() {
        for bad in [
            "25/11/2026",
            "yesterday",
            "2026-02-30",
            "2026-11-25T25:00:00Z",
            "",
        ] {
            let error = Timestamp::parse("since", bad).expect_err(bad).to_string();
            assert!(
                error.contains("since") && error.contains("is not a time"),
                "{error}"
            );
        }
        let wire = |text: &str| serde_json::from_value::<Timestamp>(serde_json::json!(text));
        assert!(wire("2026-02-28T10:00:00Z").is_ok());
        assert!(
            wire("2026-02-28").is_err(),
            "a day is no instant on the wire"
        );
        assert!(wire(&format!("2026-02-28T10:00:00.{}Z", "1".repeat(40))).is_err());
        assert_eq!(
            Timestamp::from_unix_ms(1_764_000_000_123).map(|at| at.to_string()),
            Some("2025-11-24T16:00:00.123Z".into())
        );
    }

    #[test]
    fn days_are_calendar_days() {
        let day = Day::parse("spent_on", " 2026-02-28 ").expect("a day");
        assert_eq!(day.to_string(), "2026-02-28");
        assert_eq!(day.month().to_string(), "2026-02");
        assert_eq!(day.start().to_string(), "2026-02-28T00:00:00.000Z");
        assert_eq!(Day::new(2026, 2, 28), Some(day));
        assert_eq!(
            day.plus_days(1).map(|day| day.to_string()),
            Some("2026-03-01".into())
        );
        assert_eq!(
            Day::new(9999, 12, 31).and_then(|day| day.plus_days(1)),
            None
        );
        for bad in ["2026-02-30", "1899-12-31", "2026-2-28", "28.02.2026"] {
            assert!(Day::parse("spent_on", bad).is_err(), "{bad}");
        }
        let wire = serde_json::from_value::<Day>(serde_json::json!("2026-02-28"));
        assert_eq!(wire.ok(), Some(day));
    }
}
