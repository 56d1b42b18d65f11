//! Forecasting methods for monthly sales series (DESIGN §2.3), in plain f64
//! arithmetic with no dependencies: seasonal naive, moving average, exponential
//! smoothing (simple, Holt, damped, Holt-Winters additive and multiplicative),
//! Croston and TSB for intermittent demand, and selection by holdout error.
//! `stock_policy` holds the arithmetic a stock policy builds on a forecast
//! (safety stock, reorder point, fill rate, EOQ).
//! The ledger side (series from actuals, overrides, snapshots) lives in the core.

pub mod batch;
pub mod ets;
pub mod intermittent;
mod optimise;
pub mod select;
pub mod simple;
pub mod stock_policy;
