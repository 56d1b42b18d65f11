//! Reports: measures cut by dimensions, every cell and total the ledger's own
//! sums (read here independently, by SQL), in the reader's scope only, with
//! the sales behind any cell.

use crate::support::{TestLedger, count, demo_months, summed};
use rust_decimal::Decimal;
use salesplan_core::budgets::variance::{self, VarianceLevel, VarianceQuery};
use salesplan_core::month::Month;
use salesplan_core::reports::drill::{self, CellMember};
use salesplan_core::reports::{
    self, ChartSettings, Comparison, Dimension, Figure, Filter, Measure, Period, ReportDefinition,
    ReportResult, RowOrder, Visual,
};
use std::path::Path;
use std::str::FromStr;
use uuid::Uuid;

fn definition(measures: &[Measure], rows: &[Dimension], period: Period) -> ReportDefinition {
    ReportDefinition {
        measures: measures.to_vec(),
        rows: rows.to_vec(),
        columns: vec![],
        filters: vec![],
        period,
        comparison: Comparison::None,
        visual: Visual::Table,
        chart: ChartSettings::default(),
    }
}

fn id_of(path: &Path, sql: &str) -> Uuid {
    let conn = rusqlite::Connection::open(path).unwrap();
    let text: String = conn.query_row(sql, [], |row| row.get(0)).unwrap();
    Uuid::parse_str(&text).unwrap()
}

/// The value of a row's column `at` (none when empty).
fn value(result: &ReportResult, row: usize, at: usize) -> Option<Decimal> {
    result.rows[row].values[at].0
}

fn column(result: &ReportResult, label: &str) -> usize {
    result
        .columns
        .iter()
        .position(|column| column.label == label)
        .unwrap_or_else(|| panic!("no column {label} in {:#?}", result.columns))
}

fn this_year() -> Period {
    Period::FiscalYear {
        year: Some(demo_months().1.year()),
    }
}

fn year_months(year: i32) -> (Month, Month) {
    (Month::new(year, 1), Month::new(year, 12))
}

#[test]
fn sales_by_branch_and_quarter_are_the_ledgers_sums_with_totals() {
    let demo = TestLedger::demo();
    let path = demo.path();
    let admin = demo.user("admin");
    let mut asked = definition(
        &[Measure::SalesAmount, Measure::SalesQuantity],
        &[Dimension::Branch],
        this_year(),
    );
    asked.columns = vec![Dimension::Quarter];
    asked.visual = Visual::Pivot;
    let result = reports::run(&demo.ledger, &admin, &asked).unwrap();
    let year = demo_months().1.year();
    let (first, last) = year_months(year);
    assert_eq!((result.first, result.last), (first, last));
    let branches = count(
        &path,
        &format!(
            "SELECT count(DISTINCT location_id) FROM actual_sales WHERE period BETWEEN '{first}' AND '{last}'"
        ),
    );
    assert_eq!(result.rows.len() as i64, branches);
    // A column per quarter with sales and measure, then the total of each measure.
    let quarters = result.columns.iter().filter(|c| !c.total).count() / 2;
    assert!((1..=4).contains(&quarters), "{:?}", result.columns);
    assert!(result.columns.iter().rev().take(2).all(|c| c.total));
    for (at, row) in result.rows.iter().enumerate() {
        let branch = &row.members[0].key;
        for (c, col) in result.columns.iter().enumerate() {
            let months = match col.members.first() {
                Some(quarter) => {
                    let q: i32 = quarter.key[6..].parse().unwrap();
                    let start = Month::new(year, 1).plus((q - 1) * 3);
                    (start, start.plus(2))
                }
                None => (first, last),
            };
            let field = match col.measure {
                Measure::SalesAmount => "amount",
                _ => "quantity",
            };
            let expected = summed(
                &path,
                &format!(
                    "SELECT {field} FROM actual_sales WHERE location_id = '{branch}' AND period BETWEEN '{}' AND '{}'",
                    months.0, months.1
                ),
            );
            assert_eq!(
                value(&result, at, c).unwrap_or_default(),
                expected,
                "{} {}",
                row.members[0].label,
                col.label
            );
        }
    }
    let total = column(&result, "Sales");
    assert_eq!(
        result.total.values[total].0,
        Some(summed(
            &path,
            &format!("SELECT amount FROM actual_sales WHERE period BETWEEN '{first}' AND '{last}'")
        ))
    );
    // Rows are in name order.
    let labels: Vec<&str> = result
        .rows
        .iter()
        .map(|r| r.members[0].label.as_str())
        .collect();
    let mut sorted = labels.clone();
    sorted.sort_by_key(|label| label.to_lowercase());
    assert_eq!(labels, sorted);
}

/// Each dimension alone and with a second, for every role: whichever kept
/// summary a cut reads (V25's or one of V30's coarser ones, chosen by the
/// dimensions and the reader's scope), each row is the sales summed here
/// from the sales themselves, in the reader's scope.
#[test]
fn every_dimension_reads_the_sales_whichever_summary_holds_it_for_every_role() {
    let demo = TestLedger::demo();
    let path = demo.path();
    let (first, last) = year_months(demo_months().1.year());
    let member = |dimension: Dimension, key: &str| -> String {
        let is = |column: &str| match key {
            "" => format!("{column} IS NULL"),
            key => format!("{column} = '{key}'"),
        };
        match dimension {
            Dimension::Product => is("product_id"),
            Dimension::Branch => is("location_id"),
            Dimension::Salesman => is("salesman_id"),
            Dimension::Customer => is("customer_id"),
            Dimension::Category => {
                format!(
                    "product_id IN (SELECT id FROM products WHERE {})",
                    is("category_id")
                )
            }
            Dimension::Department => format!(
                "coalesce((SELECT department_id FROM users WHERE id = salesman_id), '') = '{key}'"
            ),
            _ => unreachable!(),
        }
    };
    for username in ["admin", "sam", "maria", "bella", "sven"] {
        let reader = demo.user(username);
        let scope = match username {
            "sam" => format!("salesman_id = '{}'", reader.id),
            "maria" => format!(
                "salesman_id IN (SELECT id FROM users WHERE department_id = '{}')",
                reader.department_id.unwrap()
            ),
            "bella" => format!("location_id = '{}'", reader.location_id.unwrap()),
            _ => "1 = 1".to_owned(),
        };
        let dimensions = [
            Dimension::Product,
            Dimension::Category,
            Dimension::Branch,
            Dimension::Department,
            Dimension::Salesman,
            Dimension::Customer,
        ];
        let cuts = dimensions.iter().map(|one| vec![*one]).chain([
            vec![Dimension::Branch, Dimension::Category],
            vec![Dimension::Department, Dimension::Product],
            vec![Dimension::Customer, Dimension::Department],
            vec![Dimension::Salesman, Dimension::Product],
        ]);
        for rows in cuts {
            let asked = definition(&[Measure::SalesAmount], &rows, this_year());
            let result = reports::run(&demo.ledger, &reader, &asked).unwrap();
            assert!(!result.rows.is_empty(), "{username} {rows:?}");
            for row in &result.rows {
                let members: Vec<String> = rows
                    .iter()
                    .zip(&row.members)
                    .map(|(dimension, shown)| member(*dimension, &shown.key))
                    .collect();
                let expected = summed(
                    &path,
                    &format!(
                        "SELECT amount FROM actual_sales WHERE {scope} AND {} AND period BETWEEN '{first}' AND '{last}'",
                        members.join(" AND ")
                    ),
                );
                assert_eq!(
                    row.values[0].0.unwrap_or_default(),
                    expected,
                    "{username}, {rows:?}: {:?}",
                    row.members
                );
            }
            let all = summed(
                &path,
                &format!(
                    "SELECT amount FROM actual_sales WHERE {scope} AND period BETWEEN '{first}' AND '{last}'"
                ),
            );
            assert_eq!(
                result.total.values[0].0.unwrap_or_default(),
                all,
                "{username} {rows:?}"
            );
        }
    }
}

#[test]
fn last_year_sits_beside_the_same_months() {
    let demo = TestLedger::demo();
    let path = demo.path();
    let admin = demo.user("admin");
    let mut asked = definition(&[Measure::SalesAmount], &[Dimension::Month], this_year());
    asked.comparison = Comparison::LastYear;
    let result = reports::run(&demo.ledger, &admin, &asked).unwrap();
    let (value_at, compared_at, change_at, percent_at) = (
        column(&result, "Sales"),
        column(&result, "Sales LY"),
        column(&result, "Sales Δ LY"),
        column(&result, "Sales Δ % LY"),
    );
    assert_eq!(result.columns[compared_at].figure, Figure::Compared);
    assert!(!result.rows.is_empty());
    for (at, row) in result.rows.iter().enumerate() {
        let month = Month::parse("m", &row.members[0].key).unwrap();
        let now = summed(
            &path,
            &format!("SELECT amount FROM actual_sales WHERE period = '{month}'"),
        );
        let before = summed(
            &path,
            &format!(
                "SELECT amount FROM actual_sales WHERE period = '{}'",
                month.plus(-12)
            ),
        );
        assert_eq!(value(&result, at, value_at), Some(now), "{month}");
        assert_eq!(value(&result, at, compared_at), Some(before), "{month}");
        assert_eq!(value(&result, at, change_at), Some(now - before));
        let percent = (!before.is_zero()).then(|| {
            ((now - before) / before.abs() * Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        });
        assert_eq!(value(&result, at, percent_at), percent);
    }
    let year = demo_months().1.year();
    assert_eq!(result.compared_first, Some(Month::new(year - 1, 1)));
}

#[test]
fn budget_and_variance_by_branch_are_the_variance_screens() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let year = demo_months().1.year();
    // Only sam's budget is the plan: the others' sales are shown, not counted as variance.
    let sam = demo.user("sam");
    let (_, sheet) = demo.reopen_plans(year, &sam);
    demo.approve(sheet.budget.id, &sam);
    let asked = definition(
        &[Measure::Budget, Measure::Variance, Measure::VariancePercent],
        &[Dimension::Branch],
        this_year(),
    );
    let result = reports::run(&demo.ledger, &admin, &asked).unwrap();
    let screen = variance::report(
        &demo.ledger,
        &admin,
        VarianceQuery {
            fiscal_year: year,
            scenario: None,
            level: VarianceLevel::Branch,
            basis: None,
            through: None,
            within: None,
        },
    )
    .unwrap();
    let planned: Vec<_> = screen.rows.iter().filter(|row| row.planned).collect();
    assert!(!planned.is_empty(), "the demo has an approved plan");
    for row in planned {
        let key = row.key.unwrap().to_string();
        let at = result
            .rows
            .iter()
            .position(|r| r.members[0].key == key)
            .unwrap_or_else(|| panic!("{} is in the report", row.label));
        assert_eq!(value(&result, at, 0), row.full_year.budget, "{}", row.label);
        assert_eq!(
            value(&result, at, 1),
            row.full_year.variance,
            "{}",
            row.label
        );
        assert_eq!(value(&result, at, 2), row.full_year.variance_percent);
    }
    assert_eq!(result.total.values[0].0, screen.total.full_year.budget);
    assert_eq!(result.total.values[1].0, screen.total.full_year.variance);
    assert!(result.notes.is_empty(), "{:?}", result.notes);
    // Against the budget: sales beside the plan of the same cells.
    let mut against = definition(&[Measure::SalesAmount], &[Dimension::Branch], this_year());
    against.comparison = Comparison::Budget;
    let compared = reports::run(&demo.ledger, &admin, &against).unwrap();
    let budget_at = column(&compared, "Sales budget");
    assert_eq!(
        compared.total.values[budget_at].0,
        screen.total.full_year.budget
    );
    // A year without a plan says so instead of reading zero.
    let empty = definition(
        &[Measure::Budget],
        &[],
        Period::FiscalYear {
            year: Some(year + 5),
        },
    );
    let none = reports::run(&demo.ledger, &admin, &empty).unwrap();
    assert_eq!(none.total.values[0].0, None);
    assert!(
        none.notes[0].contains("No approved budget"),
        "{:?}",
        none.notes
    );
}

#[test]
fn margin_counts_the_products_whose_cost_is_known() {
    let demo = TestLedger::demo();
    let path = demo.path();
    let admin = demo.user("admin");
    let asked = definition(
        &[Measure::SalesAmount, Measure::Margin],
        &[Dimension::Category],
        this_year(),
    );
    let result = reports::run(&demo.ledger, &admin, &asked).unwrap();
    let (first, last) = year_months(demo_months().1.year());
    // Σ amount − quantity × cost, product by product, over the costed ones.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut query = conn
        .prepare(&format!(
            "SELECT s.quantity, s.amount, sp.cost_price FROM actual_sales s
             JOIN supplier_products sp ON sp.product_id = s.product_id AND sp.is_primary = 1 AND sp.deleted_at IS NULL
             JOIN suppliers su ON su.id = sp.supplier_id AND su.currency = (SELECT currency FROM company_settings)
             WHERE s.period BETWEEN '{first}' AND '{last}'"
        ))
        .unwrap();
    let expected: Decimal = query
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })
        .unwrap()
        .map(|row| {
            let (quantity, amount, cost) = row.unwrap();
            let d = |text: &str| Decimal::from_str(text).unwrap();
            d(&amount) - d(&quantity) * d(&cost)
        })
        .sum();
    assert!(
        !expected.is_zero(),
        "the demo has costed products that sold"
    );
    assert_eq!(result.total.values[1].0, Some(expected));
    // A salesman sees no cost prices, so he may not ask for a margin.
    let sam = demo.user("sam");
    let refused = reports::run(&demo.ledger, &sam, &asked)
        .unwrap_err()
        .to_string();
    assert!(refused.contains("Salesman"), "{refused}");
}

#[test]
fn each_role_sees_only_its_scope_and_cannot_filter_outside_it() {
    let demo = TestLedger::demo();
    let path = demo.path();
    let (first, last) = year_months(demo_months().1.year());
    let period = format!("period BETWEEN '{first}' AND '{last}'");
    let by_salesman = definition(
        &[Measure::SalesAmount],
        &[Dimension::Salesman, Dimension::Branch],
        this_year(),
    );
    // A salesman: his own name only, and his own sales' total.
    let sam = demo.user("sam");
    let his = reports::run(&demo.ledger, &sam, &by_salesman).unwrap();
    assert_eq!(his.rows.len(), 1, "{:#?}", his.rows);
    assert_eq!(his.rows[0].members[0].key, sam.id.to_string());
    assert_eq!(
        his.total.values[0].0,
        Some(summed(
            &path,
            &format!(
                "SELECT amount FROM actual_sales WHERE salesman_id = '{}' AND {period}",
                sam.id
            )
        ))
    );
    let nina = demo.user("nina");
    let mut others = by_salesman.clone();
    others.filters = vec![Filter {
        dimension: Dimension::Salesman,
        members: vec![nina.id],
    }];
    let refused = reports::run(&demo.ledger, &sam, &others)
        .unwrap_err()
        .to_string();
    assert!(refused.contains("outside what you may see"), "{refused}");
    // A branch manager: his branch's people; another branch's salesman is refused.
    let bella = demo.user("bella");
    let branch = reports::run(&demo.ledger, &bella, &by_salesman).unwrap();
    let location = bella.location_id.unwrap().to_string();
    assert!(branch.rows.iter().all(|row| row.members[1].key == location));
    assert_eq!(
        branch.total.values[0].0,
        Some(summed(
            &path,
            &format!(
                "SELECT amount FROM actual_sales WHERE location_id = '{location}' AND {period}"
            )
        ))
    );
    let stefan = demo.user("stefan");
    let mut south = by_salesman.clone();
    south.filters = vec![Filter {
        dimension: Dimension::Salesman,
        members: vec![stefan.id],
    }];
    let refused = reports::run(&demo.ledger, &bella, &south)
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("outside what you may see (your branch)"),
        "{refused}"
    );
    // The administrator's filter on that salesman keeps his sales only.
    let admin = demo.user("admin");
    let his_only = reports::run(&demo.ledger, &admin, &south).unwrap();
    assert_eq!(his_only.rows.len(), 1);
    assert_eq!(
        his_only.total.values[0].0,
        Some(summed(
            &path,
            &format!(
                "SELECT amount FROM actual_sales WHERE salesman_id = '{}' AND {period}",
                stefan.id
            )
        ))
    );
}

#[test]
fn bad_definitions_are_refused_saying_what_and_where() {
    let demo = TestLedger::demo();
    let admin = demo.user("admin");
    let refused = |asked: &ReportDefinition| {
        reports::run(&demo.ledger, &admin, asked)
            .unwrap_err()
            .to_string()
    };
    let none = definition(&[], &[Dimension::Branch], this_year());
    assert!(refused(&none).contains("at least one measure"));
    let by_customer = definition(&[Measure::Variance], &[Dimension::Customer], this_year());
    assert!(refused(&by_customer).contains("cannot be cut by customer"));
    let mut unknown = definition(&[Measure::SalesAmount], &[], this_year());
    unknown.filters = vec![Filter {
        dimension: Dimension::Product,
        members: vec![Uuid::now_v7()],
    }];
    assert!(refused(&unknown).contains("no product has the id"));
}

#[test]
fn top_rows_by_size_keep_the_total_of_all() {
    let demo = TestLedger::demo();
    let admin = demo.user("admin");
    let mut asked = definition(&[Measure::SalesAmount], &[Dimension::Product], this_year());
    let all = reports::run(&demo.ledger, &admin, &asked).unwrap();
    asked.chart = ChartSettings {
        order: RowOrder::Largest,
        top: Some(5),
        labels: true,
    };
    let top = reports::run(&demo.ledger, &admin, &asked).unwrap();
    assert_eq!(top.rows.len(), 5);
    assert_eq!(top.hidden_rows, all.rows.len() - 5);
    assert_eq!(top.total, all.total);
    let sizes: Vec<Decimal> = top
        .rows
        .iter()
        .map(|row| row.values[0].0.unwrap())
        .collect();
    assert!(sizes.windows(2).all(|pair| pair[0] >= pair[1]), "{sizes:?}");
    let largest = all.rows.iter().map(|row| row.values[0].0.unwrap()).max();
    assert_eq!(Some(sizes[0]), largest);

    // By month against last year: the rows shown carry every cell the whole
    // report has for them, this year's and last year's, and the totals stay whole.
    asked.columns = vec![Dimension::Month];
    asked.comparison = Comparison::LastYear;
    asked.chart.top = None;
    let every = reports::run(&demo.ledger, &admin, &asked).unwrap();
    asked.chart.top = Some(3);
    let three = reports::run(&demo.ledger, &admin, &asked).unwrap();
    assert_eq!(three.columns, every.columns);
    assert_eq!(three.total, every.total);
    assert_eq!(three.rows.len(), 3);
    for row in &three.rows {
        let whole = every
            .rows
            .iter()
            .find(|other| other.members == row.members)
            .unwrap();
        assert_eq!(row.values, whole.values, "{:?}", row.members);
        // Its months add up to its total, this year's and last year's.
        for figure in [Figure::Value, Figure::Compared] {
            let of = |total: bool| -> Decimal {
                three
                    .columns
                    .iter()
                    .zip(&row.values)
                    .filter(|(column, _)| column.figure == figure && column.total == total)
                    .map(|(_, value)| value.0.unwrap_or_default())
                    .sum()
            };
            assert!(of(false) > Decimal::ZERO, "{figure:?} {:?}", row.members);
            assert_eq!(of(false), of(true), "{figure:?} {:?}", row.members);
        }
    }
}

#[test]
fn a_cell_drills_to_the_sales_behind_it_in_scope() {
    let demo = TestLedger::demo();
    let path = demo.path();
    let (_, last) = demo_months();
    let mut asked = definition(
        &[Measure::SalesAmount],
        &[Dimension::Product],
        Period::LastMonths { months: 3 },
    );
    asked.columns = vec![Dimension::Month];
    let product = id_of(
        &path,
        &format!(
            "SELECT product_id FROM actual_sales WHERE period = '{last}' GROUP BY product_id ORDER BY count(*) LIMIT 1"
        ),
    );
    let cell = [
        CellMember {
            dimension: Dimension::Product,
            key: product.to_string(),
        },
        CellMember {
            dimension: Dimension::Month,
            key: last.to_string(),
        },
    ];
    let admin = demo.user("admin");
    let rows = drill::drill(&demo.ledger, &admin, &asked, &cell).unwrap();
    let filter = format!("product_id = '{product}' AND period = '{last}'");
    assert_eq!(
        rows.count as i64,
        count(
            &path,
            &format!("SELECT count(*) FROM actual_sales WHERE {filter}")
        )
    );
    assert!(rows.count > 0 && rows.sales.len() as u64 == rows.count.min(500));
    let listed: Decimal = rows.sales.iter().map(|sale| sale.amount).sum();
    if rows.count <= 500 {
        assert_eq!(
            listed,
            summed(
                &path,
                &format!("SELECT amount FROM actual_sales WHERE {filter}")
            )
        );
    }
    // The report's own cell holds the same sum.
    let result = reports::run(&demo.ledger, &admin, &asked).unwrap();
    let row = result
        .rows
        .iter()
        .find(|row| row.members[0].key == product.to_string())
        .unwrap();
    let at = result
        .columns
        .iter()
        .position(|column| {
            column
                .members
                .first()
                .is_some_and(|m| m.key == last.to_string())
        })
        .unwrap();
    assert_eq!(
        row.values[at].0,
        Some(summed(
            &path,
            &format!("SELECT amount FROM actual_sales WHERE {filter}")
        ))
    );
    // A salesman drilling into the same cell sees only his own sales.
    let sam = demo.user("sam");
    let his = drill::drill(&demo.ledger, &sam, &asked, &cell).unwrap();
    assert_eq!(
        his.count as i64,
        count(
            &path,
            &format!(
                "SELECT count(*) FROM actual_sales WHERE {filter} AND salesman_id = '{}'",
                sam.id
            )
        )
    );
    // A member the report is not cut by is refused.
    let refused = drill::drill(
        &demo.ledger,
        &admin,
        &asked,
        &[CellMember {
            dimension: Dimension::Customer,
            key: String::new(),
        }],
    )
    .unwrap_err()
    .to_string();
    assert!(refused.contains("not cut by customer"), "{refused}");
}

mod saved {
    use super::*;
    use salesplan_core::reports::saved::{self, ReportToSave};

    fn to_save(name: &str, shared: bool) -> ReportToSave {
        let mut asked = definition(&[Measure::SalesAmount], &[Dimension::Salesman], this_year());
        asked.comparison = Comparison::LastYear;
        asked.visual = Visual::Bar;
        asked.chart.top = Some(10);
        ReportToSave {
            id: None,
            name: name.to_owned(),
            definition: asked,
            shared,
        }
    }

    #[test]
    fn a_shared_report_shows_each_reader_their_own_scope() {
        let mut demo = TestLedger::demo();
        let path = demo.path();
        let maria = demo.user("maria");
        let sam = demo.user("sam");
        // The reports this test saves (the demo's own left aside).
        let demos: Vec<String> = saved::list(&demo.ledger, &maria)
            .unwrap()
            .into_iter()
            .map(|r| r.name)
            .collect();
        let shared = saved::save(
            &mut demo.ledger,
            &maria,
            to_save("People vs last year", true),
        )
        .unwrap();
        let private = saved::save(&mut demo.ledger, &maria, to_save("Mine", false)).unwrap();
        assert_eq!((shared.version, shared.definition.visual), (1, Visual::Bar));
        // Saved with its chart, and recorded for sync.
        assert_eq!(
            count(
                &path,
                &format!(
                    "SELECT count(*) FROM outbox WHERE entity = 'saved_report' AND entity_id = '{}'",
                    shared.id
                )
            ),
            1
        );
        let names = |demo: &TestLedger, actor| -> Vec<String> {
            saved::list(&demo.ledger, actor)
                .unwrap()
                .into_iter()
                .map(|r| r.name)
                .filter(|name| !demos.contains(name))
                .collect()
        };
        assert_eq!(names(&demo, &maria), ["Mine", "People vs last year"]);
        assert_eq!(
            names(&demo, &sam),
            ["People vs last year"],
            "a private report is its owner's"
        );
        // Sam runs maria's report and sees himself only; maria her department.
        let his = saved::run_saved(&demo.ledger, &sam, "people vs LAST year").unwrap();
        assert_eq!(his.rows.len(), 1);
        assert_eq!(his.rows[0].members[0].key, sam.id.to_string());
        let hers = saved::run_saved(&demo.ledger, &maria, &shared.id.to_string()).unwrap();
        assert!(hers.rows.len() > 1);
        let refused = saved::run_saved(&demo.ledger, &sam, "Mine")
            .unwrap_err()
            .to_string();
        assert!(refused.contains("no saved report 'Mine'"), "{refused}");
        // Only its owner changes or deletes it.
        let mut change = to_save("People vs last year", true);
        change.id = Some(shared.id);
        let refused = saved::save(&mut demo.ledger, &sam, change.clone())
            .unwrap_err()
            .to_string();
        assert!(refused.contains("only its owner may"), "{refused}");
        let refused = saved::delete(&mut demo.ledger, &sam, "People vs last year")
            .unwrap_err()
            .to_string();
        assert!(refused.contains("only its owner may"), "{refused}");
        // Saving under a name one uses replaces that report.
        change.definition.visual = Visual::Line;
        change.id = None;
        let again = saved::save(&mut demo.ledger, &maria, change).unwrap();
        assert_eq!(
            (again.id, again.version, again.definition.visual),
            (shared.id, 2, Visual::Line)
        );
        let mut clash = to_save("mine", false);
        clash.id = Some(shared.id);
        let refused = saved::save(&mut demo.ledger, &maria, clash)
            .unwrap_err()
            .to_string();
        assert!(
            refused.contains("already have a report named 'Mine'"),
            "{refused}"
        );
        saved::delete(&mut demo.ledger, &maria, "People vs last year").unwrap();
        assert_eq!(names(&demo, &sam), Vec::<String>::new());
        assert_eq!(names(&demo, &maria), ["Mine"]);
        assert_eq!(private.created_by, maria.id);
        // A shared report made private again is deleted where it went and saved anew.
        let team = saved::save(&mut demo.ledger, &maria, to_save("Team", true)).unwrap();
        let mut unshare = to_save("Team", false);
        unshare.id = Some(team.id);
        let own = saved::save(&mut demo.ledger, &maria, unshare).unwrap();
        assert_ne!(own.id, team.id);
        assert_eq!(names(&demo, &sam), Vec::<String>::new());
        assert_eq!(names(&demo, &maria), ["Mine", "Team"]);
        assert_eq!(
            count(
                &path,
                &format!(
                    "SELECT count(*) FROM saved_reports WHERE id = '{}' AND deleted_at IS NOT NULL",
                    team.id
                )
            ),
            1
        );
    }

    #[test]
    fn a_report_without_a_measure_or_a_name_is_not_saved() {
        let mut demo = TestLedger::demo();
        let path = demo.path();
        let admin = demo.user("admin");
        let before = demo.outbox_len();
        let held = count(&path, "SELECT count(*) FROM saved_reports");
        let mut empty = to_save("Empty", false);
        empty.definition.measures.clear();
        let refused = saved::save(&mut demo.ledger, &admin, empty)
            .unwrap_err()
            .to_string();
        assert!(refused.contains("at least one measure"), "{refused}");
        let refused = saved::save(&mut demo.ledger, &admin, to_save("  ", false))
            .unwrap_err()
            .to_string();
        assert!(refused.starts_with("name:"), "{refused}");
        assert_eq!(demo.outbox_len(), before, "nothing written");
        assert_eq!(count(&path, "SELECT count(*) FROM saved_reports"), held);
    }
}

#[test]
fn the_demo_companys_reports_run_for_every_role() {
    use salesplan_core::reports::saved;
    let demo = TestLedger::demo();
    for username in ["admin", "sam", "maria", "max", "sven", "bella"] {
        let actor = demo.user(username);
        let reports = saved::list(&demo.ledger, &actor).unwrap();
        let shared = reports.iter().filter(|report| report.shared).count();
        assert_eq!(shared, 5, "{username} sees the shared reports");
        for report in &reports {
            match saved::run_saved(&demo.ledger, &actor, &report.name) {
                Ok(result) => assert!(
                    !result.rows.is_empty(),
                    "{username}: {} is empty",
                    report.name
                ),
                Err(error) => panic!("{username}: {}: {error}", report.name),
            }
        }
    }
    // The administrator's own margin report is his alone.
    let admin = saved::list(&demo.ledger, &demo.user("admin")).unwrap();
    assert!(
        admin
            .iter()
            .any(|report| report.name == "Margin by category" && !report.shared)
    );
}

/// A report's row by its first member's key.
fn row_by_key(result: &ReportResult, key: &str) -> Option<usize> {
    result.rows.iter().position(|row| row.members[0].key == key)
}

#[test]
fn forecast_and_landing_are_the_forecast_screens_own_figures_in_each_readers_scope() {
    let demo = TestLedger::demo();
    for username in ["admin", "maria", "sam", "bella"] {
        let actor = demo.user(username);
        let screen = salesplan_core::forecast::landing(&demo.ledger, &actor, None).unwrap();
        let mut asked = definition(
            &[Measure::Landing, Measure::Forecast, Measure::SalesAmount],
            &[Dimension::Month],
            Period::FiscalYear {
                year: Some(screen.fiscal_year),
            },
        );
        let result = reports::run(&demo.ledger, &actor, &asked).unwrap();
        let cents = |amount: Option<Decimal>| amount.unwrap_or_default().round_dp(2);
        // The screen adds its months rounded to the cent; the report rounds the sum.
        let near = |report: Option<Decimal>, screen: Decimal| {
            (report.unwrap_or_default() - screen).abs() <= Decimal::new(12, 2)
        };
        assert!(near(result.total.values[0].0, screen.landing), "{username}");
        assert!(
            near(result.total.values[1].0, screen.forecast_rest),
            "{username}"
        );
        // Month by month: a closed month lands at its sales, an open one at its forecast.
        let mut open_months = 0;
        for month in &screen.months {
            let at = row_by_key(&result, &month.month.to_string());
            let landed = at.and_then(|at| value(&result, at, 0));
            let expected = if month.closed {
                month.actual
            } else {
                month.forecast
            };
            assert_eq!(
                cents(landed),
                cents(Some(expected)),
                "{username} {}",
                month.month
            );
            if !month.closed {
                open_months += 1;
                assert_eq!(
                    cents(at.and_then(|at| value(&result, at, 1))),
                    cents(Some(month.forecast)),
                    "{username} {}",
                    month.month
                );
            }
        }
        assert!(open_months >= 1, "the demo's year has an open month");
        assert!(result.notes.is_empty(), "{username}: {:?}", result.notes);

        // Sales against the forecast: the compared figure is the forecast's.
        asked.measures = vec![Measure::SalesAmount];
        asked.comparison = Comparison::Forecast;
        let compared = reports::run(&demo.ledger, &actor, &asked).unwrap();
        let against = column(&compared, "Sales forecast");
        assert!(
            near(compared.total.values[against].0, screen.forecast_rest),
            "{username}"
        );
    }
    // Without the forecast run, the open months say so.
    let admin = demo.user("admin");
    let later = definition(
        &[Measure::Forecast],
        &[],
        Period::FiscalYear {
            year: Some(demo_months().1.year() + 4),
        },
    );
    let result = reports::run(&demo.ledger, &admin, &later).unwrap();
    assert_eq!(result.total.values[0].0, None);
    assert!(
        result.notes[0].contains("No forecast"),
        "{:?}",
        result.notes
    );
}

#[test]
fn stock_on_hand_and_its_value_are_todays_balances_in_the_readers_scope() {
    let demo = TestLedger::demo();
    let today = salesplan_core::timestamp::Day::today().month();
    let costs = |path: &Path| -> std::collections::HashMap<String, Decimal> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut query = conn
            .prepare(
                "SELECT sp.product_id, sp.cost_price FROM supplier_products sp
                 JOIN suppliers su ON su.id = sp.supplier_id
                 WHERE sp.is_primary = 1 AND sp.deleted_at IS NULL AND su.deleted_at IS NULL
                   AND su.currency = (SELECT currency FROM company_settings)",
            )
            .unwrap();
        query
            .query_map([], |row| Ok((row.get(0)?, row.get::<_, String>(1)?)))
            .unwrap()
            .map(|row| {
                let (id, cost) = row.unwrap();
                (id, Decimal::from_str(&cost).unwrap())
            })
            .collect()
    };
    let known = costs(&demo.path());
    for (username, condition) in [
        ("sven", "1 = 1".to_owned()),
        (
            "bella",
            format!(
                "location_id = '{}'",
                demo.user("bella").location_id.unwrap()
            ),
        ),
    ] {
        let actor = demo.user(username);
        let asked = definition(
            &[Measure::StockOnHand, Measure::StockValue],
            &[Dimension::Branch],
            Period::FiscalYear {
                year: Some(today.year()),
            },
        );
        let result = reports::run(&demo.ledger, &actor, &asked).unwrap();
        let conn = rusqlite::Connection::open(demo.path()).unwrap();
        let mut query = conn
            .prepare(&format!(
                "SELECT product_id, quantity FROM stock_balances WHERE {condition}"
            ))
            .unwrap();
        let balances: Vec<(String, Decimal)> = query
            .query_map([], |row| Ok((row.get(0)?, row.get::<_, String>(1)?)))
            .unwrap()
            .map(|row| {
                let (id, quantity) = row.unwrap();
                (id, Decimal::from_str(&quantity).unwrap())
            })
            .collect();
        let on_hand: Decimal = balances.iter().map(|(_, quantity)| quantity).sum();
        let value: Decimal = balances
            .iter()
            .filter_map(|(id, quantity)| known.get(id).map(|cost| quantity * cost))
            .sum();
        assert_eq!(result.total.values[0].0, Some(on_hand), "{username}");
        assert_eq!(result.total.values[1].0, Some(value), "{username}");
        assert!(!on_hand.is_zero(), "{username}: the demo holds stock");
        if username == "bella" {
            assert_eq!(result.rows.len(), 1, "her branch alone");
        }
    }
    // A salesman has no right to stock: refused, saying which.
    let sam = demo.user("sam");
    let asked = definition(&[Measure::StockOnHand], &[], this_year());
    let error = reports::run(&demo.ledger, &sam, &asked).unwrap_err();
    assert!(error.to_string().contains("stock"), "{error}");
    // A past period does not hold today's stock: it says so.
    let sven = demo.user("sven");
    let past = definition(
        &[Measure::StockOnHand],
        &[],
        Period::FiscalYear {
            year: Some(today.year() - 2),
        },
    );
    let result = reports::run(&demo.ledger, &sven, &past).unwrap();
    assert_eq!(result.total.values[0].0, None);
    assert!(
        result.notes[0].contains("on hand today"),
        "{:?}",
        result.notes
    );
}

#[test]
fn stock_cover_is_the_stock_tables_item_by_item_and_the_sums_ratio_above() {
    use salesplan_core::money;
    let demo = TestLedger::demo();
    let sven = demo.user("sven");
    let today = salesplan_core::timestamp::Day::today().month();
    let year = Period::FiscalYear {
        year: Some(today.year()),
    };
    let by_item = definition(
        &[Measure::StockOnHand, Measure::StockCover],
        &[Dimension::Branch, Dimension::Product],
        year,
    );
    let result = reports::run(&demo.ledger, &sven, &by_item).unwrap();
    let lines = salesplan_core::stock::policy::policies(&demo.ledger, &sven, None, None)
        .unwrap()
        .lines;
    let mut compared = 0;
    let (mut on_hand, mut demand) = (Decimal::ZERO, Decimal::ZERO);
    for row in &result.rows {
        let line = lines.iter().find(|line| {
            line.computed.location_id.to_string() == row.members[0].key
                && line.computed.product_id.to_string() == row.members[1].key
        });
        let held = row.values[0].0.unwrap();
        on_hand += held;
        if let Some(line) = line {
            demand += line.computed.demand_per_month;
            // Rounded as the stock table rounds it (half away from zero).
            let cover = line.cover(held).map(|cover| money::round(cover, 1));
            assert_eq!(row.values[1].0, cover);
            compared += 1;
        } else {
            assert_eq!(row.values[1].0, None, "no policy, no demand: no cover");
        }
    }
    assert!(compared > 10, "the demo's items have policies ({compared})");
    assert_eq!(
        result.total.values[1].0,
        Some(money::round(on_hand / demand, 1)),
        "the total's cover is the sums' ratio, not a sum of covers"
    );
}

#[test]
fn forecast_wape_is_the_accuracy_screens_score_row_by_row_in_each_readers_scope() {
    use salesplan_core::forecast::{AccuracyQuery, accuracy};
    let demo = TestLedger::demo();
    for username in ["admin", "maria", "sam", "bella"] {
        let actor = demo.user(username);
        let screen = accuracy(
            &demo.ledger,
            &actor,
            AccuracyQuery {
                level: VarianceLevel::Branch,
                within: None,
            },
        )
        .unwrap();
        // The last 12 months hold every month the demo closed.
        let asked = definition(
            &[Measure::ForecastWape, Measure::SalesQuantity],
            &[Dimension::Branch],
            Period::LastMonths { months: 12 },
        );
        let result = reports::run(&demo.ledger, &actor, &asked).unwrap();
        assert!(result.notes.is_empty(), "{username}: {:?}", result.notes);
        assert!(screen.total.wape.is_some(), "{username}: scored months");
        assert_eq!(result.total.values[0].0, screen.total.wape, "{username}");
        for row in &screen.rows {
            let key = row.key.unwrap().to_string();
            let at = row_by_key(&result, &key)
                .unwrap_or_else(|| panic!("{username}: branch {} in the report", row.label));
            assert_eq!(value(&result, at, 0), row.wape, "{username} {}", row.label);
        }
        // Not a sum of its rows: the total's WAPE lies within the rows' range
        // or below it (errors of branches cancel out once added up).
        let rows: Vec<Decimal> = (0..result.rows.len())
            .filter_map(|at| value(&result, at, 0))
            .collect();
        if rows.len() > 1 {
            let sum: Decimal = rows.iter().sum();
            assert_ne!(result.total.values[0].0, Some(sum), "{username}");
        }
    }
    // A period with no closed month says so; a salesman's own sales only.
    let admin = demo.user("admin");
    let ahead = definition(
        &[Measure::ForecastWape],
        &[],
        Period::FiscalYear {
            year: Some(demo_months().1.year() + 2),
        },
    );
    let result = reports::run(&demo.ledger, &admin, &ahead).unwrap();
    assert_eq!(result.total.values[0].0, None);
    assert!(
        result.notes[0].contains("WAPE is empty"),
        "{:?}",
        result.notes
    );
}
