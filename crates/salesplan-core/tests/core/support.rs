//! One way into every test: a fresh copy of the demo ledger, and its users by name.

use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::month::Month;
use salesplan_core::{Actor, Ledger, users};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tempfile::TempDir;

pub struct TestLedger {
    pub ledger: Ledger,
    /// Keeps the temp dir (and the ledger file in it) alive for the test.
    _dir: TempDir,
}

struct Template {
    _dir: TempDir,
    path: PathBuf,
    first_month: Month,
    last_month: Month,
}

/// The demo company is built once per test run; each test gets its own copy of the file.
fn demo_template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("demo-template.db");
        let (_, summary) = salesplan_core::demo::create(&path).expect("demo company");
        Template {
            first_month: summary.first_period,
            last_month: summary.last_period,
            _dir: dir,
            path,
        }
    })
}

impl TestLedger {
    pub fn demo() -> TestLedger {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ledger.db");
        std::fs::copy(&demo_template().path, &path).expect("copy demo ledger");
        TestLedger {
            ledger: Ledger::open(&path).expect("open demo copy"),
            _dir: dir,
        }
    }

    /// The demo company as it stood in `month` (a past month, or this one): its
    /// sales run up to the month before. Built anew: slower than `demo()`.
    pub fn demo_as_of(month: Month) -> TestLedger {
        let dir = tempfile::tempdir().expect("temp dir");
        let (ledger, _) = salesplan_core::demo::create_as_of(&dir.path().join("ledger.db"), month)
            .expect("demo company");
        TestLedger { ledger, _dir: dir }
    }

    /// A sale by sam (BR-N) of `quantity` of the product `sku` at €10, in `period`.
    pub fn sale_by_sam(
        &self,
        sku: &str,
        period: Month,
        quantity: i64,
    ) -> salesplan_core::sales::NewSale {
        use salesplan_core::reference::Product;
        let admin = self.user("admin");
        let sam = salesplan_core::users::find(&self.ledger, &admin, "sam").unwrap();
        salesplan_core::sales::NewSale {
            period: period.to_string(),
            product_id: salesplan_core::reference::find::<Product>(&self.ledger, &admin, sku)
                .unwrap()
                .id,
            location_id: sam.profile.location_id.unwrap(),
            salesman_id: Some(sam.id),
            customer_id: None,
            quantity: rust_decimal::Decimal::from(quantity),
            unit_price: rust_decimal::Decimal::from(10),
        }
    }

    /// Signs in as a demo user (they all share the demo password).
    pub fn user(&self, username: &str) -> Actor {
        users::sign_in(&self.ledger, username, DEMO_PASSWORD)
            .unwrap_or_else(|error| panic!("demo user {username} cannot sign in: {error}"))
    }

    pub fn path(&self) -> PathBuf {
        self.ledger.path().to_path_buf()
    }

    /// How many change records the outbox holds.
    /// A salesman's Base budget of `year`, made from last year's actuals changed by `percent`.
    pub fn budget_from_last_year(
        &mut self,
        salesman: &Actor,
        year: i32,
        percent: Option<i64>,
    ) -> salesplan_core::budgets::BudgetSheet {
        use salesplan_core::budgets::{self, NewBudget, OwnerKind, OwnerRef};
        let new_budget = NewBudget {
            fiscal_year: year,
            scenario: "Base".into(),
            owner: OwnerRef {
                kind: OwnerKind::Salesman,
                id: salesman.id,
            },
            from_last_year_percent: percent.map(rust_decimal::Decimal::from),
            template_id: None,
        };
        budgets::create(&mut self.ledger, salesman, new_budget).unwrap()
    }

    /// Submitted by its salesman and approved by his manager (maria).
    pub fn approve(&mut self, budget_id: uuid::Uuid, salesman: &Actor) {
        use salesplan_core::budgets::{self, Transition};
        budgets::transition(
            &mut self.ledger,
            salesman,
            budget_id,
            Transition::Submit,
            "",
        )
        .unwrap();
        let maria = self.user("maria");
        budgets::transition(&mut self.ledger, &maria, budget_id, Transition::Approve, "").unwrap();
    }

    /// Head office reopens the demo's approved plans of `year` (approved →
    /// draft, with a reason): a test then approves the ones it needs. How many
    /// were reopened, and `salesman`'s among them.
    pub fn reopen_plans(
        &mut self,
        year: i32,
        salesman: &Actor,
    ) -> (u32, salesplan_core::budgets::BudgetSheet) {
        use salesplan_core::budgets::{self, BudgetStatus, Transition};
        let admin = self.user("admin");
        let approved: Vec<_> = budgets::list(&self.ledger, &admin, Some(year))
            .unwrap()
            .into_iter()
            .filter(|summary| summary.budget.status == BudgetStatus::Approved)
            .map(|summary| summary.budget)
            .collect();
        for budget in &approved {
            budgets::transition(
                &mut self.ledger,
                &admin,
                budget.id,
                Transition::Unlock,
                "replanning",
            )
            .unwrap();
        }
        let own = approved
            .iter()
            .find(|budget| budget.owner.salesman_id == Some(salesman.id))
            .expect("the demo plans the salesman's year");
        let sheet = budgets::show(&self.ledger, salesman, own.id).unwrap();
        (approved.len() as u32, sheet)
    }

    /// Budget vs actual for the whole of `actor`'s scope, in the fiscal year of
    /// `through` and up to it, as the variance screen reads it.
    pub fn variance_through(
        &self,
        actor: &Actor,
        through: Month,
    ) -> salesplan_core::budgets::variance::VarianceReport {
        use salesplan_core::budgets::variance::{self, VarianceLevel, VarianceQuery};
        let query = VarianceQuery {
            fiscal_year: through.year(),
            scenario: None,
            level: VarianceLevel::Company,
            basis: None,
            through: Some(through),
            within: None,
        };
        variance::report(&self.ledger, actor, query).unwrap()
    }

    pub fn outbox_len(&self) -> i64 {
        count(&self.path(), "SELECT count(*) FROM outbox")
    }
}

/// A month written `YYYY-MM`.
pub fn month(text: &str) -> Month {
    Month::parse("month", text).unwrap()
}

/// A time written `YYYY-MM-DD` or as RFC 3339.
pub fn at(text: &str) -> salesplan_core::timestamp::Timestamp {
    salesplan_core::timestamp::Timestamp::parse("at", text).unwrap()
}

/// The exact sum of the first column (decimal text) of `sql`'s rows, read on
/// a second, independent connection to the file.
pub fn summed(path: &Path, sql: &str) -> rust_decimal::Decimal {
    let conn = rusqlite::Connection::open(path).expect("open for summing");
    let mut query = conn.prepare(sql).expect(sql);
    query
        .query_map([], |row| row.get::<_, String>(0))
        .expect(sql)
        .map(|text| {
            text.expect(sql)
                .parse::<rust_decimal::Decimal>()
                .expect("a decimal")
        })
        .sum()
}

/// Runs a counting query on a second, independent connection to the file.
pub fn count(path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open for counting");
    conn.query_row(sql, [], |row| row.get(0)).expect(sql)
}

/// The months the demo's sales run over (36, up to last month): tests take
/// their dates from these, never from a literal year.
pub fn demo_months() -> (Month, Month) {
    let template = demo_template();
    (template.first_month, template.last_month)
}

/// The month after the demo's last sales (this month): open, sales go there.
pub fn open_month() -> String {
    demo_months().1.plus(1).to_string()
}

/// A fiscal year `years` after the year of the demo's last sales.
pub fn year_after(years: i32) -> i32 {
    demo_months().1.year() + years
}

/// The first day of the open month, `YYYY-MM-01`.
pub fn open_day() -> String {
    format!("{}-01", open_month())
}

/// Imports every row of `file` as `kind` with the mapping its headers suggest,
/// A request for `kind` mapped as the table's headers suggest, as the wizard starts.
pub fn import_request(
    kind: salesplan_core::imports::ImportKind,
    table: &salesplan_core::imports::MemoryTable,
) -> salesplan_core::imports::ImportRequest {
    use salesplan_core::imports::{self, Source};
    imports::ImportRequest {
        kind,
        mapping: imports::suggest(kind, &table.info().headers),
        decimal_separator: Default::default(),
        date_order: Default::default(),
        budget_id: None,
        force: false,
    }
}

/// all or nothing, as the import wizard does by default.
pub fn import_all(
    ledger: &mut Ledger,
    actor: &Actor,
    kind: salesplan_core::imports::ImportKind,
    file: &salesplan_core::imports::MemoryTable,
) -> salesplan_core::imports::ImportOutcome {
    use salesplan_core::imports::{self, Accept, Silent};
    let request = import_request(kind, file);
    imports::commit(ledger, actor, file, &request, Accept::AllOrNothing, &Silent).unwrap()
}
