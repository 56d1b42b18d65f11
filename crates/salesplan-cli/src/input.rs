//! Reading values typed on the command line.

use anyhow::Result;
use rust_decimal::Decimal;
use std::str::FromStr;

/// A number as people type it, a decimal comma included: "12,50".
pub fn decimal(field: &str, text: &str) -> Result<Decimal> {
    Decimal::from_str(&text.trim().replace(',', "."))
        .map_err(|_| anyhow::anyhow!("{field}: '{text}' is not a number such as 12.50"))
}
