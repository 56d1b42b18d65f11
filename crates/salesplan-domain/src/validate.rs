//! Field rules shared by the services; each error names the field and the rule.

use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

/// Trimmed, non-empty, at most `max_chars` characters, no control characters.
pub fn required_text(field: &str, value: &str, max_chars: usize) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if trimmed.chars().count() > max_chars {
        return Err(Error::invalid(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(Error::invalid(field, "must not contain control characters"));
    }
    Ok(trimmed.to_owned())
}

/// What a code may not start with: a spreadsheet reads it as a formula or a
/// command, and an export neutralises it (`'=1+1`), which would change the code.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A code (a SKU, a customer's, a branch's, a category's): like
/// `required_text`, and not starting with a formula character.
pub fn code(field: &str, value: &str, max_chars: usize) -> Result<String> {
    let code = required_text(field, value, max_chars)?;
    check_code(field, &code)?;
    Ok(code)
}

/// The formula rule of a code alone.
pub fn check_code(field: &str, code: &str) -> Result<()> {
    match code.chars().next() {
        Some(first) if FORMULA_STARTS.contains(&first) => Err(Error::invalid(
            field,
            format!(
                "must not start with '{}': a spreadsheet reads it as a formula, and the code would not survive an export",
                first.escape_debug()
            ),
        )),
        _ => Ok(()),
    }
}

/// Zero or more.
pub fn not_negative(field: &str, value: Decimal) -> Result<Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::invalid(
            field,
            format!("must not be negative (got {value})"),
        ));
    }
    Ok(value)
}

/// Money and prices: zero or more, at most 4 decimal places and the bound head
/// office checks (`values::MAX_MONEY`), kept as written ("12.50").
pub fn non_negative_money(field: &str, value: Decimal) -> Result<Decimal> {
    not_negative(field, value)?;
    if value > crate::values::MAX_MONEY {
        return Err(Error::invalid(
            field,
            format!("must be at most {} (got {value})", crate::values::MAX_MONEY),
        ));
    }
    if value.scale() > 4 {
        return Err(Error::invalid(
            field,
            format!("must have at most 4 decimal places (got {value})"),
        ));
    }
    Ok(value)
}

/// A boolean that the ledger stores as 0/1 and JSON carries as true/false or
/// 0/1. Any other number is refused: the ledger's columns hold only 0 and 1,
/// so a laptop could not store it.
pub fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Int(i64),
    }
    match Flag::deserialize(deserializer)? {
        Flag::Bool(flag) => Ok(flag),
        Flag::Int(0) => Ok(false),
        Flag::Int(1) => Ok(true),
        Flag::Int(other) => Err(serde::de::Error::custom(format!(
            "must be true or false, 1 or 0 (got {other})"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn a_flag_is_true_or_false_one_or_zero_and_nothing_else() {
        #[derive(Deserialize)]
        struct Row {
            #[serde(deserialize_with = "flag")]
            on: bool,
        }
        let on = |json: &str| serde_json::from_str::<Row>(json).map(|row| row.on);
        assert_eq!(on(r#"{"on": true}"#).ok(), Some(true));
        assert_eq!(on(r#"{"on": 1}"#).ok(), Some(true));
        assert_eq!(on(r#"{"on": 0}"#).ok(), Some(false));
        assert_eq!(on(r#"{"on": false}"#).ok(), Some(false));
        for bad in [
            r#"{"on": 2}"#,
            r#"{"on": -1}"#,
            r#"{"on": 9223372036854775807}"#,
            r#"{"on": "1"}"#,
        ] {
            assert!(on(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_rules_name_the_field() {
        assert_eq!(
            required_text("name", "  North  ", 10).ok().as_deref(),
            Some("North")
        );
        let cases = [
            ("   ", "name: must not be empty"),
            ("abcdefghijk", "name: must be at most 10 characters"),
            ("a\u{7}b", "name: must not contain control characters"),
        ];
        for (input, expected) in cases {
            let error = required_text("name", input, 10).expect_err(input);
            assert_eq!(error.to_string(), expected, "input {input:?}");
        }
    }

    #[test]
    fn a_code_never_starts_like_a_formula() {
        assert_eq!(
            code("sku", " BEV-010 ", 40).ok().as_deref(),
            Some("BEV-010")
        );
        for bad in ["=1+1", "+49", "-X", "@SUM(A1)"] {
            let error = code("sku", bad, 40).expect_err(bad);
            assert!(
                error.to_string().starts_with("sku: must not start with"),
                "{error}"
            );
        }
    }

    #[test]
    fn money_is_non_negative_with_four_places_at_most() {
        let money = |text: &str| {
            non_negative_money("list_price", Decimal::from_str(text).expect("decimal"))
        };
        assert_eq!(
            money("12.50")
                .map(|price| price.to_string())
                .ok()
                .as_deref(),
            Some("12.50")
        );
        assert_eq!(money("0").ok(), Some(Decimal::ZERO));
        assert_eq!(
            money("-0.01").expect_err("negative").to_string(),
            "list_price: must not be negative (got -0.01)"
        );
        assert!(money("1.00001").is_err());
        assert!(
            money("1000000000000001").is_err(),
            "beyond what head office takes"
        );
    }
}
