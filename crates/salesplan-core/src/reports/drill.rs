//! The sales behind one cell of a report: its row's and column's members
//! narrow the report's period and filters, in the reader's scope.

use super::cut::{self, sale_filters};
use super::{Names, Window};
use crate::access::{Action, Actor};
use crate::error::{Error, Result};
use crate::ledger::reports::SaleColumn;
use crate::ledger::{self, Ledger};
use crate::month::Month;
use crate::timestamp::Day;
use salesplan_domain::reports::{Dimension, ReportDefinition};
use serde::{Deserialize, Serialize};

pub use crate::model::reports::DrillSale;
use ts_rs::TS;
use uuid::Uuid;

/// At most this many sales are listed; the count says how many there are.
pub const DRILL_LIMIT: usize = 500;

/// A cell's member of one dimension, by its key as the report gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CellMember {
    pub dimension: Dimension,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DrillRows {
    pub first: Month,
    pub last: Month,
    /// The newest first, at most `DRILL_LIMIT`.
    pub sales: Vec<DrillSale>,
    /// How many sales the cell holds.
    #[ts(type = "number")]
    pub count: u64,
}

/// The sales behind the cell `members` names, today.
pub fn drill(
    ledger: &Ledger,
    actor: &Actor,
    definition: &ReportDefinition,
    members: &[CellMember],
) -> Result<DrillRows> {
    drill_on(ledger, actor, definition, members, Day::today())
}

pub fn drill_on(
    ledger: &Ledger,
    actor: &Actor,
    definition: &ReportDefinition,
    members: &[CellMember],
    today: Day,
) -> Result<DrillRows> {
    definition.check()?;
    let scope = actor.scope_for(Action::ViewActuals)?;
    let conn = ledger.read();
    let fiscal_start =
        ledger::settings::get(conn)?.map_or(1, |settings| settings.company.fiscal_year_start_month);
    let names = Names::load(conn, definition)?;
    cut::check_filters(conn, actor, &definition.filters, &names)?;
    let mut window = Window::of(definition.period, today, fiscal_start);
    let mut ids: Vec<(SaleColumn, Vec<Uuid>)> = Vec::new();
    let mut empty = Vec::new();
    for member in members {
        let cut = definition
            .rows
            .iter()
            .chain(&definition.columns)
            .any(|dimension| *dimension == member.dimension);
        if !cut {
            return Err(Error::invalid(
                "members",
                format!(
                    "the report is not cut by {}",
                    member.dimension.label().to_lowercase()
                ),
            ));
        }
        let bad = || {
            Error::invalid(
                "members",
                format!(
                    "'{}' is not a {} of this report",
                    member.key,
                    member.dimension.label().to_lowercase()
                ),
            )
        };
        if member.dimension.is_time() {
            let months = months_of(member.dimension, &member.key, fiscal_start).ok_or_else(bad)?;
            window = Window {
                first: window.first.max(months.first),
                last: window.last.min(months.last),
            };
            continue;
        }
        let column = cut::column_of(member.dimension).ok_or_else(bad)?;
        match member.key.as_str() {
            "" => empty.push(column),
            key => ids.push((column, vec![Uuid::parse_str(key).map_err(|_| bad())?])),
        }
    }
    let mut filters = sale_filters(&definition.filters);
    filters.extend(ids.iter().map(|(column, ids)| (*column, ids.as_slice())));
    let (sales, count) = if window.first > window.last {
        (Vec::new(), 0)
    } else {
        ledger::reports::sales_of_cell(
            conn,
            scope,
            actor,
            (window.first, window.last),
            &filters,
            &empty,
            DRILL_LIMIT,
        )?
    };
    Ok(DrillRows {
        first: window.first,
        last: window.last,
        sales,
        count,
    })
}

/// The months a time member (`2026-03`, `2026-Q2`, `2026`) spans.
fn months_of(dimension: Dimension, key: &str, fiscal_start: u8) -> Option<Window> {
    match dimension {
        Dimension::Month => {
            let month = Month::parse("members", key).ok()?;
            Some(Window {
                first: month,
                last: month,
            })
        }
        Dimension::Quarter => {
            let (year, quarter) = key.split_once("-Q")?;
            let (year, quarter): (i32, i32) = (year.parse().ok()?, quarter.parse().ok()?);
            if !(1..=4).contains(&quarter) {
                return None;
            }
            let first = Month::new(year, fiscal_start).plus((quarter - 1) * 3);
            Some(Window {
                first,
                last: first.plus(2),
            })
        }
        _ => {
            let year: i32 = key.parse().ok()?;
            let first = Month::new(year, fiscal_start);
            Some(Window {
                first,
                last: first.plus(11),
            })
        }
    }
}
