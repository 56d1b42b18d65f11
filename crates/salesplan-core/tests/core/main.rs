//! Integration tests of the core against real SQLite files in temp dirs.
#![allow(clippy::unwrap_used, clippy::panic)]

mod alert_rules;
mod alerts;
mod audit;
mod budgets;
mod demo;
mod forecast;
mod home;
mod imports;
mod insights;
mod ledger;
mod policies;
mod purchasing;
mod reference;
mod replica;
mod reports;
mod roles;
mod sale_issues;
mod sales;
pub mod sales_summary;
pub mod stock;
mod stock_table;
mod supplier_imports;
mod suppliers;
mod support;
mod sync;
mod tidy;
mod transfers;
mod users;
