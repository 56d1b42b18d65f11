//! The values a record's fields hold, as they travel: each type parses its
//! JSON form and refuses what the ledger must never hold (a NUL, a 10 kB
//! name, a quantity of 1e30, a month 2026-13), with a rule that says what is
//! wrong. The laptop's services write through the same bounds.

use rust_decimal::Decimal;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use std::str::FromStr;

/// The largest quantity of one record, in either direction.
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0); // 10^12
/// The largest price or amount of one record, in either direction.
pub const MAX_MONEY: Decimal = Decimal::from_parts(0xA4C6_8000, 0x38D7E, 0, false, 0); // 10^15
/// Decimal places a quantity may have.
pub const QUANTITY_PLACES: u32 = 6;
/// Decimal places a price or an amount may have.
pub const MONEY_PLACES: u32 = 4;

/// A value shown in a rule: at most 40 characters of it, with control characters escaped.
pub fn shown(text: &str) -> String {
    let mut shown: String = text.chars().take(40).flat_map(char::escape_debug).collect();
    if text.chars().count() > 40 {
        shown.push('…');
    }
    shown
}

/// A rule as serde words it, cut short: serde quotes the value it refused,
/// and a 10 kB string must not come back whole in every answer.
pub fn shown_rule(rule: &str) -> String {
    one_line(rule, 300)
}

/// A message as one short line: at most `most` characters, control characters
/// (a NUL, a line break, a terminal's escape) shown escaped, so that it is text
/// any store or terminal can hold, whatever a file or a request put in it.
pub fn one_line(message: &str, most: usize) -> String {
    let mut line = String::new();
    for (at, c) in message.chars().enumerate() {
        if at == most {
            line.push('…');
            break;
        }
        if c.is_control() {
            line.extend(c.escape_unicode());
        } else {
            line.push(c);
        }
    }
    line
}

/// Text of one line (a name, a code, a file name): at most `MAX` characters,
/// no control characters. May be empty; `Name` may not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Line<const MAX: usize>(String);

/// A name or a code: like `Line`, and not blank.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name<const MAX: usize>(String);

/// Free text (a comment, a note, a stored mapping): at most `MAX` characters;
/// line breaks and tabs are kept, no other control character (NUL included).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text<const MAX: usize>(String);

fn check_text(text: &str, max: usize, breaks: bool) -> Result<(), String> {
    if let Some(bad) = text
        .chars()
        .find(|c| c.is_control() && !(breaks && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err(format!(
            "must not contain the control character {}",
            bad.escape_unicode()
        ));
    }
    let count = text.chars().count();
    if count > max {
        return Err(format!(
            "must be at most {max} characters (got {count}: '{}')",
            shown(text)
        ));
    }
    Ok(())
}

macro_rules! text_type {
    ($name:ident, $breaks:expr, $blank:expr) => {
        impl<const MAX: usize> TryFrom<String> for $name<MAX> {
            type Error = String;
            fn try_from(text: String) -> Result<Self, String> {
                check_text(&text, MAX, $breaks)?;
                if !$blank && text.trim().is_empty() {
                    return Err("must not be empty".into());
                }
                Ok($name(text))
            }
        }
        impl<const MAX: usize> From<$name<MAX>> for String {
            fn from(text: $name<MAX>) -> String {
                text.0
            }
        }
        impl<const MAX: usize> $name<MAX> {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}
text_type!(Line, false, true);
text_type!(Name, false, false);
text_type!(Text, true, true);

/// A code (a SKU, a branch's, a customer's): a `Name` that does not start
/// like a formula (`validate::FORMULA_STARTS`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Code<const MAX: usize>(String);

impl<const MAX: usize> TryFrom<String> for Code<MAX> {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let name = Name::<MAX>::try_from(text)?;
        crate::validate::check_code("code", name.as_str()).map_err(|error| match error {
            crate::Error::Invalid { rule, .. } => rule,
            other => other.to_string(),
        })?;
        Ok(Code(name.0))
    }
}

impl<const MAX: usize> From<Code<MAX>> for String {
    fn from(code: Code<MAX>) -> String {
        code.0
    }
}

impl<const MAX: usize> Code<MAX> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A decimal written as text ("12.50"), as the ledger stores it; a JSON number
/// is refused (a float cannot be trusted to the cent).
fn decimal_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    let text = String::deserialize(deserializer)?;
    Decimal::from_str(&text)
        .ok()
        .filter(|_| !text.contains(['e', 'E']) && text.trim() == text)
        .ok_or_else(|| D::Error::custom(format!("'{}' is not a decimal", shown(&text))))
}

fn bounded(value: Decimal, max: Decimal, places: u32, signed: bool) -> Result<Decimal, String> {
    if !signed && value.is_sign_negative() && !value.is_zero() {
        return Err(format!("must not be negative (got {value})"));
    }
    if value.abs() > max {
        return Err(format!("must be at most {max} in size (got {value})"));
    }
    if value.normalize().scale() > places {
        return Err(format!(
            "must have at most {places} decimal places (got {value})"
        ));
    }
    Ok(value)
}

/// A bounded decimal travels as its text and is read back through its `new`.
macro_rules! decimal_text_serde {
    ($name:ident) => {
        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0.to_string()
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                $name::new(decimal_text(deserializer)?).map_err(D::Error::custom)
            }
        }
    };
}

macro_rules! decimal_type {
    ($(#[$doc:meta])* $name:ident, $max:expr, $places:expr, $signed:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(into = "String")]
        pub struct $name(pub Decimal);

        impl $name {
            pub fn new(value: Decimal) -> Result<$name, String> {
                bounded(value, $max, $places, $signed).map($name)
            }
        }
        decimal_text_serde!($name);
    };
}
decimal_type!(
    /// A quantity that may be negative (a reversing entry, a stock issue).
    Quantity, MAX_QUANTITY, QUANTITY_PLACES, true
);
decimal_type!(
    /// A quantity of zero or more (a budget line, a template line).
    Count, MAX_QUANTITY, QUANTITY_PLACES, false
);
decimal_type!(
    /// An amount of money that may be negative (a sale's amount, a reversal).
    Amount, MAX_MONEY, MONEY_PLACES, true
);
decimal_type!(
    /// A price or an allocation: zero or more.
    Price, MAX_MONEY, MONEY_PLACES, false
);
decimal_type!(
    /// A number of days from 0 to 365, to a tenth (a lead time's variability).
    Days, Decimal::from(365), 1, false
);

/// A quantity of more than zero, `$hint` saying what zero would mean.
macro_rules! positive_type {
    ($(#[$doc:meta])* $name:ident, $hint:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(into = "String")]
        pub struct $name(pub Decimal);

        impl $name {
            pub fn new(value: Decimal) -> Result<$name, String> {
                let value = bounded(value, MAX_QUANTITY, QUANTITY_PLACES, false)?;
                if value.is_zero() {
                    return Err(format!("must be more than 0 ({})", $hint));
                }
                Ok($name(value))
            }
        }
        decimal_text_serde!($name);
    };
}
positive_type!(
    /// What a product is ordered in multiples of: more than zero.
    PackSize, "1 when it ships singly"
);
positive_type!(
    /// A quantity ordered: more than zero.
    PositiveCount, "a line orders something; remove the line instead"
);

/// A service level target in percent: from 50 to 99.9, to a tenth (100 % would
/// need infinite stock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct ServiceLevel(pub Decimal);

impl ServiceLevel {
    pub fn new(value: Decimal) -> Result<ServiceLevel, String> {
        let value = bounded(value, Decimal::ONE_HUNDRED, 1, false)?;
        if value < Decimal::from(50) || value > Decimal::new(999, 1) {
            return Err(format!("must be from 50 to 99.9 % (got {value})"));
        }
        Ok(ServiceLevel(value))
    }
}
decimal_text_serde!(ServiceLevel);

/// A whole number within `MIN..=MAX` (a version, a count of rows, a year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Int<const MIN: i64, const MAX: i64>(pub i64);

impl<const MIN: i64, const MAX: i64> TryFrom<i64> for Int<MIN, MAX> {
    type Error = String;
    fn try_from(number: i64) -> Result<Self, String> {
        if (MIN..=MAX).contains(&number) {
            Ok(Int(number))
        } else {
            Err(format!("must be from {MIN} to {MAX} (got {number})"))
        }
    }
}

impl<const MIN: i64, const MAX: i64> From<Int<MIN, MAX>> for i64 {
    fn from(number: Int<MIN, MAX>) -> i64 {
        number.0
    }
}

/// A record's version: 1 and up.
pub type Version = Int<0, { i64::MAX / 2 }>;
/// A count of rows (an import's rows read, imported, skipped).
pub type Rows = Int<0, 100_000_000>;

/// A flag the ledger stores as 0/1 and JSON may carry as either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Flag, D::Error> {
        crate::validate::flag(deserializer).map(Flag)
    }
}

/// Bytes carried as base64 text (a receipt), at most `MAX` bytes once decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bytes<const MAX: usize>(String);

impl<const MAX: usize> TryFrom<String> for Bytes<MAX> {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let plausible = text.len() <= MAX.div_ceil(3) * 4
            && text.len().is_multiple_of(4)
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
        if plausible {
            Ok(Bytes(text))
        } else {
            Err(format!("must be base64 of at most {MAX} bytes"))
        }
    }
}

impl<const MAX: usize> From<Bytes<MAX>> for String {
    fn from(bytes: Bytes<MAX>) -> String {
        bytes.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse<T: for<'de> Deserialize<'de>>(value: serde_json::Value) -> Result<T, String> {
        serde_json::from_value(value).map_err(|error| error.to_string())
    }

    #[test]
    fn the_bounds_are_the_round_numbers_they_claim() {
        assert_eq!(MAX_QUANTITY, Decimal::from(1_000_000_000_000_i64));
        assert_eq!(MAX_MONEY, Decimal::from(1_000_000_000_000_000_i64));
    }

    #[test]
    fn decimals_are_text_bounded_and_exact() {
        assert_eq!(
            parse::<Quantity>(json!("-12.5")).map(|q| q.0.to_string()),
            Ok("-12.5".into())
        );
        for (value, rule) in [
            (json!("abc"), "'abc' is not a decimal"),
            (json!("1e30"), "'1e30' is not a decimal"),
            (json!(12.5), "invalid type: floating point"),
            (json!({"a": 1}), "invalid type: map"),
            (
                json!("1000000000001"),
                "must be at most 1000000000000 in size",
            ),
            (json!("0.0000001"), "must have at most 6 decimal places"),
        ] {
            let error = parse::<Quantity>(value.clone()).expect_err(&value.to_string());
            assert!(error.contains(rule), "{value}: {error}");
        }
        assert!(
            parse::<Price>(json!("-0.01"))
                .expect_err("negative")
                .contains("must not be negative")
        );
        assert!(
            parse::<Price>(json!("0.00001"))
                .expect_err("places")
                .contains("4 decimal places")
        );
        assert_eq!(
            parse::<Price>(json!("12.5000")).map(|p| p.0.to_string()),
            Ok("12.5000".into())
        );
    }

    #[test]
    fn text_refuses_nul_control_characters_and_length() {
        assert!(
            parse::<Line<10>>(json!("a\u{0}b"))
                .expect_err("nul")
                .contains("\\u{0}")
        );
        assert!(parse::<Line<10>>(json!("a\nb")).is_err());
        assert!(parse::<Text<10>>(json!("a\nb")).is_ok());
        assert!(parse::<Text<10>>(json!("a\u{0}b")).is_err());
        assert!(
            parse::<Name<10>>(json!("  "))
                .expect_err("blank")
                .contains("must not be empty")
        );
        let long = "x".repeat(10_000);
        let error = parse::<Line<200>>(json!(long)).expect_err("long");
        assert!(
            error.contains("at most 200 characters (got 10000"),
            "{error}"
        );
        assert!(
            error.len() < 200,
            "the rule does not echo the value whole: {error}"
        );
    }

    #[test]
    fn months_and_numbers_are_exact() {
        assert!(parse::<crate::month::Month>(json!("2026-13")).is_err());
        assert!(parse::<crate::month::Month>(json!("2026-1")).is_err());
        assert!(parse::<crate::month::Month>(json!("2026-01")).is_ok());
        assert!(parse::<Int<1, 12>>(json!(13)).is_err());
        assert!(parse::<Int<1, 12>>(json!("3")).is_err());
        assert!(parse::<Version>(json!(9_223_372_036_854_775_807_i64)).is_err());
        assert!(parse::<Bytes<3>>(json!("YWJj")).is_ok());
        assert!(parse::<Bytes<3>>(json!("YWJjZA==")).is_err());
    }
}
