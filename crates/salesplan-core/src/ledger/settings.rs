//! SQL for the one-row `company_settings` table.

use crate::error::Result;
use crate::ledger::{Reader, Write, columns};
use crate::model::settings::{CompanySettings, Settings};
use crate::timestamp::Timestamp;
use rusqlite::{OptionalExtension, params};

pub(crate) fn get(conn: Reader<'_>) -> Result<Option<Settings>> {
    Ok(conn
        .query_row(
            "SELECT company_name, currency, fiscal_year_start_month, sales_issue_stock, version, updated_at
             FROM company_settings WHERE id = 1",
            [],
            |row| {
                Ok(Settings {
                    company: CompanySettings {
                        company_name: row.get(0)?,
                        currency: row.get(1)?,
                        fiscal_year_start_month: row.get(2)?,
                        sales_issue_stock: row.get(3)?,
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
        "INSERT INTO company_settings (id, company_name, currency, fiscal_year_start_month, sales_issue_stock, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET company_name = excluded.company_name, currency = excluded.currency,
             fiscal_year_start_month = excluded.fiscal_year_start_month,
             sales_issue_stock = excluded.sales_issue_stock,
             updated_at = excluded.updated_at, version = version + 1",
        params![
            company.company_name,
            company.currency,
            company.fiscal_year_start_month,
            company.sales_issue_stock,
            now.to_string()
        ],
    )?;
    Ok(())
}

/// Whether a sale posted now takes its quantity out of stock (a new ledger's default: yes).
pub(crate) fn sales_issue_stock(conn: Reader<'_>) -> Result<bool> {
    Ok(get(conn)?.is_none_or(|settings| settings.company.sales_issue_stock))
}
