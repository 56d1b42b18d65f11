//! SQL functions the ledger's queries use, registered on every connection.
//!
//! `decimal_sum(x)`: the exact sum of a group's decimal TEXT values, as TEXT
//! (SQLite's own `SUM` reads them as floating point and rounds).
//! `decimal_add(a, b)`, `decimal_sub(a, b)`: the exact sum and difference of
//! two decimal TEXT values, as TEXT (the stock balances' triggers use them).

use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Error};
use rust_decimal::Decimal;
use std::str::FromStr;

pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_aggregate_function("decimal_sum", 1, flags, DecimalSum)?;
    conn.create_scalar_function("decimal_add", 2, flags, |ctx| {
        let (a, b) = (decimal(ctx.get_raw(0))?, decimal(ctx.get_raw(1))?);
        total(a.checked_add(b))
    })?;
    conn.create_scalar_function("decimal_sub", 2, flags, |ctx| {
        let (a, b) = (decimal(ctx.get_raw(0))?, decimal(ctx.get_raw(1))?);
        total(a.checked_sub(b))
    })
}

/// A decimal argument: TEXT or an integer (NULL counts as zero).
fn decimal(value: ValueRef<'_>) -> rusqlite::Result<Decimal> {
    match value {
        ValueRef::Null => Ok(Decimal::ZERO),
        ValueRef::Integer(value) => Ok(Decimal::from(value)),
        ValueRef::Text(text) => std::str::from_utf8(text)
            .ok()
            .and_then(|text| Decimal::from_str(text).ok())
            .ok_or_else(|| {
                let text = String::from_utf8_lossy(text).into_owned();
                Error::UserFunctionError(format!("'{text}' is not a decimal").into())
            }),
        ValueRef::Real(_) | ValueRef::Blob(_) => Err(Error::UserFunctionError(
            "decimal functions take decimal text, not a float or a blob".into(),
        )),
    }
}

fn total(sum: Option<Decimal>) -> rusqlite::Result<String> {
    sum.map(|sum| sum.normalize().to_string())
        .ok_or_else(|| Error::UserFunctionError("a decimal sum overflows".into()))
}

struct DecimalSum;

impl Aggregate<Decimal, Option<String>> for DecimalSum {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<Decimal> {
        Ok(Decimal::ZERO)
    }

    fn step(&self, ctx: &mut Context<'_>, sum: &mut Decimal) -> rusqlite::Result<()> {
        if let ValueRef::Null = ctx.get_raw(0) {
            return Ok(());
        }
        *sum = sum
            .checked_add(decimal(ctx.get_raw(0))?)
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
        register(&conn).unwrap();
        let scalar = |sql: &str| conn.query_row(sql, [], |row| row.get::<_, String>(0));
        assert_eq!(scalar("SELECT decimal_add('0.1', '0.2')").unwrap(), "0.3");
        assert_eq!(scalar("SELECT decimal_sub('1', '-9.75')").unwrap(), "10.75");
        assert!(scalar("SELECT decimal_add('1', 'x')").is_err());
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
