//! SQL for the one-row `company_settings` table.

use crate::error::Result;
use crate::ledger::{Reader, Write, columns};
use crate::model::settings::{CompanySettings, Settings, StockSettings};
use crate::timestamp::Timestamp;
use rusqlite::{OptionalExtension, params};

pub(crate) fn get(conn: Reader<'_>) -> Result<Option<Settings>> {
    Ok(conn
        .query_row(
            "SELECT company_name, currency, fiscal_year_start_month, sales_issue_stock, version, updated_at,
                    service_level_a, service_level_b, service_level_c, holding_cost_percent,
                    order_cover_months, overstock_months, dead_stock_months, branch_lead_time_days,
                    allow_negative_stock, review_days
             FROM company_settings WHERE id = 1",
            [],
            |row| {
                Ok(Settings {
                    company: CompanySettings {
                        company_name: row.get(0)?,
                        currency: row.get(1)?,
                        fiscal_year_start_month: row.get(2)?,
                        sales_issue_stock: row.get(3)?,
                        stock: StockSettings {
                            service_level_a: columns::decimal(row, 6)?,
                            service_level_b: columns::decimal(row, 7)?,
                            service_level_c: columns::decimal(row, 8)?,
                            holding_cost_percent: row.get(9)?,
                            order_cover_months: row.get(10)?,
                            overstock_months: row.get(11)?,
                            dead_stock_months: row.get(12)?,
                            branch_lead_time_days: row.get(13)?,
                            allow_negative_stock: row.get(14)?,
                            review_days: row.get(15)?,
                        },
                    },
                    version: row.get(4)?,
                    updated_at: columns::timestamp(row, 5)?,
                })
            },
        )
        .optional()?)
}

/// Inserts the row or overwrites it, bumping the version.
pub(crate) fn put(conn: &Write<'_>, company: &CompanySettings, now: Timestamp) -> Result<()> {
    conn.execute(
        "INSERT INTO company_settings (id, company_name, currency, fiscal_year_start_month, sales_issue_stock, updated_at,
             service_level_a, service_level_b, service_level_c, holding_cost_percent,
             order_cover_months, overstock_months, dead_stock_months, branch_lead_time_days,
             allow_negative_stock, review_days)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (id) DO UPDATE SET company_name = excluded.company_name, currency = excluded.currency,
             fiscal_year_start_month = excluded.fiscal_year_start_month,
             sales_issue_stock = excluded.sales_issue_stock,
             service_level_a = excluded.service_level_a, service_level_b = excluded.service_level_b,
             service_level_c = excluded.service_level_c, holding_cost_percent = excluded.holding_cost_percent,
             order_cover_months = excluded.order_cover_months, overstock_months = excluded.overstock_months,
             dead_stock_months = excluded.dead_stock_months, branch_lead_time_days = excluded.branch_lead_time_days,
             allow_negative_stock = excluded.allow_negative_stock, review_days = excluded.review_days,
             updated_at = excluded.updated_at, version = version + 1",
        params![
            company.company_name,
            company.currency,
            company.fiscal_year_start_month,
            company.sales_issue_stock,
            now.to_string(),
            company.stock.service_level_a.to_string(),
            company.stock.service_level_b.to_string(),
            company.stock.service_level_c.to_string(),
            company.stock.holding_cost_percent,
            company.stock.order_cover_months,
            company.stock.overstock_months,
            company.stock.dead_stock_months,
            company.stock.branch_lead_time_days,
            company.stock.allow_negative_stock,
            company.stock.review_days,
        ],
    )?;
    Ok(())
}

/// The company's stock rules (a new ledger's defaults when it has none yet).
pub(crate) fn stock_rules(conn: Reader<'_>) -> Result<StockSettings> {
    Ok(get(conn)?
        .map(|settings| settings.company.stock)
        .unwrap_or_default())
}

/// Whether a sale posted now takes its quantity out of stock (a new ledger's default: yes).
pub(crate) fn sales_issue_stock(conn: Reader<'_>) -> Result<bool> {
    Ok(get(conn)?.is_none_or(|settings| settings.company.sales_issue_stock))
}
