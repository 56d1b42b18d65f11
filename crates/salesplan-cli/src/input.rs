//! Reading values typed on the command line.

use anyhow::Result;
use rust_decimal::Decimal;
use std::str::FromStr;

/// A number as people type it, a decimal comma included: "12,50".
pub fn decimal(field: &str, text: &str) -> Result<Decimal> {
    Decimal::from_str(&text.trim().replace(',', "."))
        .map_err(|_| anyhow::anyhow!("{field}: '{text}' is not a number such as 12.50"))
}

/// A lead time in days as the core takes it: the core checks 1-365; a number
/// no lead time could be is refused here in the same words.
pub fn lead_time(days: i64) -> Result<u16> {
    u16::try_from(days)
        .map_err(|_| anyhow::anyhow!("lead_time_days: must be from 1 to 365 (got {days})"))
}
