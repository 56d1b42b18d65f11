//! Calendar months as numbers, so that "three months after 2026-11" is
//! arithmetic: `Month` counts months since year 0 and prints as `YYYY-MM`.

use crate::error::Error;
use std::fmt;

/// A calendar month; written `YYYY-MM` wherever it leaves Rust (JSON, the UI, files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ts_rs::TS)]
#[ts(export, type = "string")]
pub struct Month(i32);

impl Month {
    pub const fn new(year: i32, month: u8) -> Month {
        Month(year * 12 + month as i32 - 1)
    }

    /// `YYYY-MM`; `field` names the input in the error.
    pub fn parse(field: &str, text: &str) -> crate::Result<Month> {
        let text = text.trim();
        let bad = || {
            Error::invalid(
                field,
                format!("'{text}' is not a month; write it as YYYY-MM"),
            )
        };
        let (year, month) = text.split_once('-').ok_or_else(bad)?;
        let digits = |part: &str, widths: std::ops::RangeInclusive<usize>| {
            widths.contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_digit())
        };
        if !digits(year, 4..=4) || !digits(month, 1..=2) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month: u8 = month.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Month::new(year, month))
    }

    /// The month of today (UTC).
    pub fn current() -> Month {
        crate::timestamp::Day::today().month()
    }

    pub fn plus(self, months: i32) -> Month {
        Month(self.0 + months)
    }

    /// How many months `self` lies after `earlier` (negative when before).
    pub fn since(self, earlier: Month) -> i32 {
        self.0 - earlier.0
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1 to 12.
    pub fn number(self) -> u8 {
        u8::try_from(self.0.rem_euclid(12) + 1).unwrap_or(1)
    }

    /// The month as a sentence names it: "October 2026".
    pub fn spelled(self) -> String {
        const NAMES: [&str; 12] = [
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
        format!("{} {}", NAMES[usize::from(self.number()) - 1], self.year())
    }

    /// `count` months from this one on.
    pub fn range(self, count: usize) -> Vec<Month> {
        (0..count)
            .map(|offset| self.plus(i32::try_from(offset).unwrap_or(i32::MAX)))
            .collect()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.number())
    }
}

/// On the wire a month is its text, exactly `YYYY-MM`.
impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Month, D::Error> {
        let text = String::deserialize(deserializer)?;
        Month::parse("month", &text)
            .ok()
            .filter(|month| month.to_string() == text)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "'{}' is not a month; write it as YYYY-MM",
                    crate::values::shown(&text)
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_step_across_years_and_read_back() {
        let november = Month::parse("month", "2026-11").expect("a month");
        assert_eq!(november.plus(2).to_string(), "2027-01");
        assert_eq!(november.plus(-11).to_string(), "2025-12");
        assert_eq!(november.plus(14).since(november), 14);
        assert_eq!(
            Month::parse("month", " 2027-3 ")
                .expect("a month")
                .to_string(),
            "2027-03"
        );
        for bad in [
            "2026-13", "2026", "26-01", "2026-00", "x-y", "+2026-01", "2026-+1", "2026-001",
        ] {
            assert!(Month::parse("month", bad).is_err(), "{bad}");
        }
    }
}
