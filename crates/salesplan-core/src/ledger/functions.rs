//! SQL functions the ledger's queries use, registered on every connection.
//!
//! `decimal_sum(x)`: the exact sum of a group's decimal TEXT values, as TEXT
//! (SQLite's own `SUM` reads them as floating point and rounds).

use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Error};
use rust_decimal::Decimal;
use std::str::FromStr;

pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_aggregate_function(
        "decimal_sum",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        DecimalSum,
    )
}

struct DecimalSum;

impl Aggregate<Decimal, Option<String>> for DecimalSum {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<Decimal> {
        Ok(Decimal::ZERO)
    }

    fn step(&self, ctx: &mut Context<'_>, sum: &mut Decimal) -> rusqlite::Result<()> {
        let value = match ctx.get_raw(0) {
            ValueRef::Null => return Ok(()),
            ValueRef::Integer(value) => Decimal::from(value),
            ValueRef::Text(text) => std::str::from_utf8(text)
                .ok()
                .and_then(|text| Decimal::from_str(text).ok())
                .ok_or_else(|| {
                    let text = String::from_utf8_lossy(text).into_owned();
                    Error::UserFunctionError(format!("'{text}' is not a decimal").into())
                })?,
            ValueRef::Real(_) | ValueRef::Blob(_) => {
                return Err(Error::UserFunctionError(
                    "decimal_sum takes decimal text, not a float or a blob".into(),
                ));
            }
        };
        *sum = sum
            .checked_add(value)
            .ok_or_else(|| Error::UserFunctionError("decimal_sum overflows a decimal".into()))?;
        Ok(())
    }

    fn finalize(
        &self,
        _: &mut Context<'_>,
        sum: Option<Decimal>,
    ) -> rusqlite::Result<Option<String>> {
        Ok(sum.map(|sum| sum.normalize().to_string()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sum_of(values: &[&str]) -> rusqlite::Result<Option<String>> {
        let conn = Connection::open_in_memory()?;
        register(&conn)?;
        conn.execute("CREATE TABLE t (x TEXT)", [])?;
        for value in values {
            conn.execute("INSERT INTO t VALUES (?1)", [value])?;
        }
        conn.query_row("SELECT decimal_sum(x) FROM t", [], |row| row.get(0))
    }

    #[test]
    fn sums_exactly_where_floating_point_rounds() {
        // 0.1 + 0.2 is 0.30000000000000004 in floating point.
        assert_eq!(sum_of(&["0.1", "0.2"]).unwrap().as_deref(), Some("0.3"));
        let many = vec!["0.01"; 10_000];
        assert_eq!(sum_of(&many).unwrap().as_deref(), Some("100"));
        let conn = Connection::open_in_memory().unwrap();
        let float: f64 = conn
            .query_row(
                "SELECT SUM(x) FROM (SELECT '0.1' AS x UNION ALL SELECT '0.2')",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_ne!(
            float, 0.3,
            "SQLite's own SUM rounds, which is why decimal_sum exists"
        );
    }

    #[test]
    fn an_empty_group_sums_to_null_and_bad_text_is_an_error() {
        assert_eq!(sum_of(&[]).unwrap(), None);
        let error = sum_of(&["1", "one"]).unwrap_err().to_string();
        assert!(error.contains("'one' is not a decimal"), "{error}");
    }
}
