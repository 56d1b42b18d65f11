//! Cell values as files hold them, and reading them as the ledger needs them:
//! decimals with a decimal comma or point and thousands separators, dates as
//! Excel serial numbers or text in several orders, months.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;
use time::{Date, Month};
use ts_rs::TS;

/// One cell of a source row, borrowed from the reader.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// A spreadsheet cell formatted as a date.
    Date(Date),
    Bool(bool),
}

impl Cell<'_> {
    /// Empty, or text that is only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as a person would read it in the file (for problem reports).
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => (*text).to_owned(),
            Cell::Number(number) => number.to_string(),
            Cell::Date(date) => date.to_string(),
            Cell::Bool(flag) => flag.to_string(),
        }
    }
}

/// Which character separates the decimals in text numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DecimalSeparator {
    /// Decide from the file's numbers.
    #[default]
    Auto,
    /// 1,234.50
    Point,
    /// 1.234,50
    Comma,
}

/// How text dates such as 03/04/2026 are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DateOrder {
    /// Decide from the file's dates (a first part above 12 means day first); day first when nothing tells.
    #[default]
    Auto,
    DayFirst,
    MonthFirst,
}

/// What the evidence in a sample of text numbers says about the decimal separator.
pub fn detect_decimal_separator<'a>(
    samples: impl IntoIterator<Item = &'a str>,
) -> DecimalSeparator {
    let (mut comma, mut point) = (0, 0);
    for text in samples {
        let text = text.trim();
        match (text.rfind(','), text.rfind('.')) {
            (Some(c), Some(p)) if c > p => comma += 1,
            (Some(_), Some(_)) => point += 1,
            (Some(c), None) if text.len() - c - 1 != 3 => comma += 1,
            (None, Some(p)) if text.len() - p - 1 != 3 => point += 1,
            _ => {}
        }
    }
    if comma > point {
        DecimalSeparator::Comma
    } else {
        DecimalSeparator::Point
    }
}

/// Day-first or month-first, from text dates whose first or second part is above 12.
pub fn detect_date_order<'a>(samples: impl IntoIterator<Item = &'a str>) -> DateOrder {
    for text in samples {
        if let Some([first, second, _]) = date_parts(text.trim()) {
            if first > 12 && first <= 31 {
                return DateOrder::DayFirst;
            }
            if second > 12 && second <= 31 {
                return DateOrder::MonthFirst;
            }
        }
    }
    DateOrder::DayFirst
}

/// Reads an exact decimal from a cell: a number, or text with a decimal comma or
/// point, thousands separators (`.`, `,`, space, apostrophe), a leading sign or
/// a trailing minus, and a currency sign or code around it.
pub fn decimal(cell: &Cell<'_>, separator: DecimalSeparator) -> Option<Decimal> {
    match cell {
        Cell::Number(number) if number.is_finite() => Decimal::from_str(&number.to_string())
            .ok()
            .or_else(|| Decimal::from_f64_retain(*number)),
        Cell::Text(text) => decimal_text(text, separator),
        _ => None,
    }
}

fn decimal_text(text: &str, separator: DecimalSeparator) -> Option<Decimal> {
    let trimmed = text
        .trim()
        .trim_matches(|c: char| c.is_alphabetic() || matches!(c, '€' | '$' | '£' | '¥'))
        .trim();
    if trimmed.is_empty() {
        return None;
    }
    let (negative, body) = if let Some(rest) = trimmed.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = trimmed.strip_suffix('-') {
        (true, rest)
    } else if trimmed.starts_with('(') && trimmed.ends_with(')') {
        (true, &trimmed[1..trimmed.len() - 1])
    } else {
        (false, trimmed.strip_prefix('+').unwrap_or(trimmed))
    };
    let decimal_mark = match separator {
        DecimalSeparator::Comma => ',',
        DecimalSeparator::Point => '.',
        DecimalSeparator::Auto => match (body.rfind(','), body.rfind('.')) {
            (Some(c), Some(p)) if c > p => ',',
            (Some(c), None) if body.len() - c - 1 != 3 => ',',
            _ => '.',
        },
    };
    let mut plain = String::with_capacity(body.len() + 1);
    if negative {
        plain.push('-');
    }
    let mut seen_mark = false;
    for c in body.chars() {
        match c {
            '0'..='9' => plain.push(c),
            c if c == decimal_mark && !seen_mark => {
                seen_mark = true;
                plain.push('.');
            }
            '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '\'' if !seen_mark => {}
            _ => return None,
        }
    }
    if !plain.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Decimal::from_str(&plain).ok()
}

/// Excel's day 0 of the 1900 date system (it counts a 29 February 1900 that never was).
fn excel_epoch() -> Date {
    Date::from_calendar_date(1899, Month::December, 30).unwrap_or(Date::MIN)
}

/// A date from an Excel serial number (days since 1899-12-30), between 1900 and 9999.
pub fn date_from_serial(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.floor() as i64;
    excel_epoch().checked_add(time::Duration::days(days))
}

/// The three numeric parts of `d/m/y`, `d.m.y`, `d-m-y` (or the m/d order), in file order.
fn date_parts(text: &str) -> Option<[u32; 3]> {
    let separator = text.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let mut parts = text
        .split(separator)
        .map(|part| part.trim().parse::<u32>().ok());
    let parts = [parts.next()??, parts.next()??, parts.next()??];
    Some(parts)
}

fn calendar_date(year: u32, month: u32, day: u32) -> Option<Date> {
    let year = if year < 100 { year + 2000 } else { year };
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// A day from a cell: a date cell, an Excel serial number, or text as ISO
/// (2026-10-15, with an optional time after it), or d/m/y · m/d/y by `order`.
pub fn date(cell: &Cell<'_>, order: DateOrder) -> Option<Date> {
    match cell {
        Cell::Date(date) => Some(*date),
        Cell::Number(serial) => date_from_serial(*serial),
        Cell::Text(text) => date_text(text.trim(), order),
        _ => None,
    }
}

fn date_text(text: &str, order: DateOrder) -> Option<Date> {
    let day_part = text.split(['T', ' ']).next().unwrap_or(text);
    if day_part.chars().all(|c| c.is_ascii_digit()) && !day_part.is_empty() {
        return day_part.parse::<f64>().ok().and_then(date_from_serial);
    }
    let [a, b, c] = date_parts(day_part)?;
    if a > 31 {
        return calendar_date(a, b, c);
    }
    match order {
        DateOrder::MonthFirst => calendar_date(c, a, b),
        DateOrder::DayFirst | DateOrder::Auto => calendar_date(c, b, a),
    }
}

const MONTH_NAMES: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A month (`YYYY-MM`) from a cell: any date (its month), `2026-10`, `10/2026`,
/// `10.2026`, `Oct 2026` or `October 2026`.
pub fn month(cell: &Cell<'_>, order: DateOrder) -> Option<crate::month::Month> {
    if let Some(day) = date(cell, order) {
        return Some(crate::month::Month::new(day.year(), u8::from(day.month())));
    }
    let Cell::Text(text) = cell else {
        return None;
    };
    let text = text.trim();
    let (year, month) = if let Some((first, second)) = text.split_once(['-', '/', '.', ' ']) {
        let (first, second) = (first.trim(), second.trim());
        let named = |name: &str| {
            let name = name.to_ascii_lowercase();
            MONTH_NAMES
                .iter()
                .position(|short| name.len() >= 3 && name.starts_with(short))
                .map(|index| index as u32 + 1)
        };
        match (first.parse::<u32>(), second.parse::<u32>()) {
            (Ok(year), Ok(month)) if year > 999 => (year, month),
            (Ok(month), Ok(year)) if year > 999 => (year, month),
            (Err(_), Ok(year)) => (year, named(first)?),
            _ => return None,
        }
    } else {
        return None;
    };
    ((1900..=2999).contains(&year) && (1..=12).contains(&month))
        .then(|| crate::month::Month::new(year as i32, month as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_default()
    }

    #[test]
    fn numbers_with_either_decimal_mark_and_thousands_separators() {
        let auto = DecimalSeparator::Auto;
        let cases = [
            ("1234.5", "1234.5"),
            ("1,234.50", "1234.50"),
            ("1.234,50", "1234.50"),
            ("12,5", "12.5"),
            ("1 234,5", "1234.5"),
            ("1'234.5", "1234.5"),
            ("-3", "-3"),
            ("3-", "-3"),
            ("(4.20)", "-4.20"),
            ("€ 12.90", "12.90"),
            ("12.90 EUR", "12.90"),
            ("+7", "7"),
        ];
        for (text, expected) in cases {
            assert_eq!(
                decimal(&Cell::Text(text), auto),
                Some(dec(expected)),
                "{text}"
            );
        }
        // A lone comma before three digits is a thousands separator unless the file says otherwise.
        assert_eq!(decimal(&Cell::Text("1,234"), auto), Some(dec("1234")));
        assert_eq!(
            decimal(&Cell::Text("1,234"), DecimalSeparator::Comma),
            Some(dec("1.234"))
        );
        assert_eq!(
            decimal(&Cell::Text("1.234"), DecimalSeparator::Comma),
            Some(dec("1234"))
        );
        for bad in ["abc", "", "12.3.4,5,6x", "--", "1/2"] {
            assert_eq!(decimal(&Cell::Text(bad), auto), None, "{bad}");
        }
        assert_eq!(decimal(&Cell::Number(0.1), auto), Some(dec("0.1")));
        assert_eq!(decimal(&Cell::Number(f64::NAN), auto), None);
    }

    #[test]
    fn the_decimal_mark_is_detected_from_the_files_numbers() {
        assert_eq!(
            detect_decimal_separator(["12,50", "3,1", "1.200,00"]),
            DecimalSeparator::Comma
        );
        assert_eq!(
            detect_decimal_separator(["12.50", "1,200.00", "7"]),
            DecimalSeparator::Point
        );
        assert_eq!(detect_decimal_separator(["1,234"]), DecimalSeparator::Point);
    }

    #[test]
    fn dates_as_serials_iso_and_either_order() {
        let day = |y, m: u8, d| {
            Date::from_calendar_date(y, Month::try_from(m).unwrap_or(Month::January), d).ok()
        };
        let auto = DateOrder::Auto;
        assert_eq!(date(&Cell::Number(45_945.0), auto), day(2025, 10, 15));
        assert_eq!(date(&Cell::Text("45945"), auto), day(2025, 10, 15));
        assert_eq!(date(&Cell::Text("2026-03-04"), auto), day(2026, 3, 4));
        assert_eq!(
            date(&Cell::Text("2026-03-04T10:15:00"), auto),
            day(2026, 3, 4)
        );
        assert_eq!(
            date(&Cell::Text("03/04/2026"), DateOrder::DayFirst),
            day(2026, 4, 3)
        );
        assert_eq!(
            date(&Cell::Text("03/04/2026"), DateOrder::MonthFirst),
            day(2026, 3, 4)
        );
        assert_eq!(date(&Cell::Text("15.10.26"), auto), day(2026, 10, 15));
        assert_eq!(date(&Cell::Text("31/02/2026"), auto), None);
        assert_eq!(date(&Cell::Text("soon"), auto), None);
        assert_eq!(date(&Cell::Number(-5.0), auto), None);
        assert_eq!(
            detect_date_order(["01/02/2026", "13/02/2026"]),
            DateOrder::DayFirst
        );
        assert_eq!(
            detect_date_order(["01/02/2026", "02/13/2026"]),
            DateOrder::MonthFirst
        );
        assert_eq!(detect_date_order(["01/02/2026"]), DateOrder::DayFirst);
    }

    #[test]
    fn months_from_dates_and_month_texts() {
        let auto = DateOrder::Auto;
        for (text, expected) in [
            ("2026-10", "2026-10"),
            ("10/2026", "2026-10"),
            ("10.2026", "2026-10"),
            ("Oct 2026", "2026-10"),
            ("October 2026", "2026-10"),
            ("2026-10-31", "2026-10"),
            ("31/10/2026", "2026-10"),
        ] {
            assert_eq!(
                month(&Cell::Text(text), auto)
                    .map(|month| month.to_string())
                    .as_deref(),
                Some(expected),
                "{text}"
            );
        }
        assert_eq!(
            month(&Cell::Number(45_945.0), auto)
                .map(|month| month.to_string())
                .as_deref(),
            Some("2025-10")
        );
        assert_eq!(month(&Cell::Text("2026-13"), auto), None);
        assert_eq!(month(&Cell::Text("Foo 2026"), auto), None);
    }
}
