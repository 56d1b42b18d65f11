use crate::support::{TestLedger, count, demo_months, month, year_after};
use rust_decimal::Decimal;
use salesplan_core::budgets::templates::{self, NewTemplate, Template};
use salesplan_core::budgets::variance::{self, VarianceLevel, VarianceQuery};
use salesplan_core::budgets::{
    self, BudgetSheet, BudgetStatus, LineEdit, NewBudget, OwnerKind, OwnerRef, SpreadMeasure,
    SpreadProfile, SpreadRequest, Transition,
};
use salesplan_core::month::Month;
use salesplan_core::reference::{self, Product};
use salesplan_core::sales::NewSale;
use salesplan_core::{Actor, ErrorCode, users};

fn own_budget(demo: &mut TestLedger, who: &Actor, percent: Option<i64>) -> BudgetSheet {
    own_scenario(demo, who, "Base", percent)
}

fn own_budget_named(demo: &mut TestLedger, who: &Actor, scenario: &str) -> uuid::Uuid {
    own_scenario(demo, who, scenario, None).budget.id
}

fn own_scenario(
    demo: &mut TestLedger,
    who: &Actor,
    scenario: &str,
    percent: Option<i64>,
) -> BudgetSheet {
    let new_budget = NewBudget {
        fiscal_year: year_after(1),
        scenario: scenario.into(),
        owner: OwnerRef {
            kind: OwnerKind::Salesman,
            id: who.id,
        },
        from_last_year_percent: percent.map(Decimal::from),
        template_id: None,
    };
    budgets::create(&mut demo.ledger, who, new_budget).unwrap()
}

fn product(demo: &TestLedger, sku: &str) -> Product {
    reference::find::<Product>(&demo.ledger, &demo.user("admin"), sku)
        .unwrap()
        .fields
}

fn product_id(demo: &TestLedger, sku: &str) -> uuid::Uuid {
    reference::find::<Product>(&demo.ledger, &demo.user("admin"), sku)
        .unwrap()
        .id
}

fn spread(
    demo: &mut TestLedger,
    who: &Actor,
    budget_id: uuid::Uuid,
    product_id: uuid::Uuid,
    total: Decimal,
    measure: SpreadMeasure,
    profile: SpreadProfile,
) -> salesplan_core::Result<Vec<salesplan_core::budgets::BudgetLine>> {
    let request = SpreadRequest {
        product_id,
        total,
        measure,
        profile,
    };
    budgets::spread_total(&mut demo.ledger, who, budget_id, request)
}

/// Made in March for next year, when this year has two months of sales: a
/// budget from last year, a spread by last year's profile and a top-down share
/// each take twelve real months (January and February of this year, March to
/// December of the year before), not a year of two months.
#[test]
fn made_early_in_a_year_everything_built_from_history_has_twelve_real_months() {
    let mut march = salesplan_core::month::Month::current();
    while march.number() != 3 {
        march = march.plus(-1);
    }
    let mut demo = TestLedger::demo_as_of(march);
    let sam = demo.user("sam");
    let year = march.year();
    let new_budget = NewBudget {
        fiscal_year: year + 1,
        scenario: "Base".into(),
        owner: OwnerRef {
            kind: OwnerKind::Salesman,
            id: sam.id,
        },
        from_last_year_percent: Some(Decimal::ZERO),
        template_id: None,
    };
    let sheet = budgets::create(&mut demo.ledger, &sam, new_budget).unwrap();
    let months: std::collections::BTreeSet<u8> = sheet
        .lines
        .iter()
        .map(|line| line.period.number())
        .collect();
    assert_eq!(months.len(), 12, "months with lines: {months:?}");

    // The weights a spread must follow: sam's water in each month it takes as its pattern.
    let water = product_id(&demo, "BEV-010");
    let weights: Vec<Decimal> = (1..=12)
        .map(|month| {
            let source = if month <= 2 { year } else { year - 1 };
            Decimal::from(count(
                &demo.path(),
                &format!(
                    "SELECT coalesce(sum(CAST(quantity AS INTEGER)), 0) FROM actual_sales
                     WHERE salesman_id = '{}' AND product_id = '{water}' AND period = '{source}-{month:02}'",
                    sam.id
                ),
            ))
        })
        .collect();
    assert!(
        weights.iter().all(|weight| *weight > Decimal::ZERO),
        "{weights:?}"
    );
    let seasonal = spread(
        &mut demo,
        &sam,
        sheet.budget.id,
        water,
        Decimal::from(1001),
        SpreadMeasure::Quantity,
        SpreadProfile::LastYear,
    )
    .unwrap();
    let quantities: Vec<Decimal> = seasonal.iter().map(|line| line.quantity).collect();
    assert_eq!(
        quantities,
        budgets::spread(Decimal::from(1001), &weights, 0).unwrap(),
        "the spread follows January and February of {year} and the rest of {}",
        year - 1
    );

    let admin = demo.user("admin");
    let plan = budgets::distribute::Distribution {
        fiscal_year: year + 1,
        scenario: "Top-down".into(),
        total: Decimal::from(600_000),
        to: OwnerKind::Location,
        within_location: None,
        shares: budgets::distribute::Shares::LastYear,
    };
    for target in budgets::distribute::apply(&mut demo.ledger, &admin, plan).unwrap() {
        let sheet = budgets::show(&demo.ledger, &admin, target.budget_id.unwrap()).unwrap();
        let months: std::collections::BTreeSet<u8> = sheet
            .lines
            .iter()
            .map(|line| line.period.number())
            .collect();
        assert_eq!(
            months.len(),
            12,
            "{}: months with lines {months:?}",
            target.name
        );
    }
}

#[test]
fn a_budget_from_last_year_plus_five_percent_follows_last_years_actuals() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    // A first sale of the month that is still running: that month is not over, so it
    // must not stand for a whole month of last year.
    let this_month = {
        let number = count(
            &demo.path(),
            "SELECT CAST(strftime('%Y%m', 'now') AS INTEGER)",
        );
        format!("{}-{:02}", number / 100, number % 100)
    };
    let first_sale = NewSale {
        period: this_month.clone(),
        product_id: product_id(&demo, "BEV-010"),
        location_id: sam.location_id.unwrap(),
        salesman_id: Some(sam.id),
        customer_id: None,
        quantity: Decimal::ONE,
        unit_price: Decimal::ONE,
    };
    salesplan_core::sales::post(&mut demo.ledger, &sam, vec![first_sale]).unwrap();
    let sheet = own_budget(&mut demo, &sam, Some(5));
    assert_eq!(
        (sheet.budget.status, sheet.budget.owner_name.as_str()),
        (BudgetStatus::Draft, "Sam Becker")
    );
    assert!(!sheet.lines.is_empty());

    // Each line is last year's quantity of that product and month × 1.05, in whole units;
    // a month of last year that is still open (or has no sales) follows the year before.
    let last_year = sheet.budget.fiscal_year - 1;
    let sold_in = |period: &str, product: Option<uuid::Uuid>| {
        let product = product.map_or(String::new(), |id| format!("AND product_id = '{id}'"));
        count(
            &demo.path(),
            &format!(
                "SELECT coalesce(sum(CAST(quantity AS INTEGER)), 0) FROM actual_sales WHERE salesman_id = '{}' AND period = '{period}' {product}",
                sam.id
            ),
        )
    };
    let mut fallbacks = 0;
    for line in &sheet.lines {
        let month = format!("{:02}", line.period.number());
        let mut source = format!("{last_year}-{month}");
        if source >= this_month || sold_in(&source, None) == 0 {
            source = format!("{}-{month}", last_year - 1);
            fallbacks += 1;
        }
        let sold = sold_in(&source, Some(line.product_id));
        assert_eq!(
            line.quantity,
            salesplan_core::money::round(Decimal::from(sold) * Decimal::new(105, 2), 0),
            "{}",
            line.period
        );
        assert_eq!(
            line.amount,
            salesplan_core::money::cents(line.quantity * line.unit_price)
        );
    }
    let months: std::collections::HashSet<Month> =
        sheet.lines.iter().map(|line| line.period).collect();
    assert_eq!(
        months.len(),
        12,
        "every month is budgeted, open months of last year included ({fallbacks} lines fell back)"
    );
    let total: Decimal = sheet.lines.iter().map(|line| line.amount).sum();
    assert_eq!(
        sheet.total_amount, total,
        "the total is derived from the lines"
    );
}

#[test]
fn the_salesman_edits_submits_and_his_manager_approves_after_which_nobody_edits() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let sheet = own_budget(&mut demo, &sam, Some(5));
    let milk = product_id(&demo, "DRY-010");
    let first_month = sheet.periods[0];
    let edit = |quantity: i64, period: Month| LineEdit {
        quantity: Some(Decimal::from(quantity)),
        ..LineEdit::new(milk, period)
    };
    let line = budgets::set_line(
        &mut demo.ledger,
        &sam,
        sheet.budget.id,
        edit(120, first_month),
    )
    .unwrap();
    assert_eq!(
        line.amount,
        salesplan_core::money::cents(Decimal::from(120) * line.unit_price)
    );
    budgets::set_line(
        &mut demo.ledger,
        &sam,
        sheet.budget.id,
        edit(130, sheet.periods[1]),
    )
    .unwrap();

    budgets::transition(
        &mut demo.ledger,
        &sam,
        sheet.budget.id,
        Transition::Submit,
        "",
    )
    .unwrap();
    let maria = demo.user("maria");
    let waiting = |who: &Actor| -> Vec<uuid::Uuid> {
        budgets::inbox(&demo.ledger, who)
            .unwrap()
            .into_iter()
            .map(|b| b.budget.id)
            .collect()
    };
    assert!(waiting(&maria).contains(&sheet.budget.id));
    assert!(
        !waiting(&demo.user("max")).contains(&sheet.budget.id),
        "another department's manager does not see it"
    );

    let approved = budgets::transition(
        &mut demo.ledger,
        &maria,
        sheet.budget.id,
        Transition::Approve,
        "fine",
    )
    .unwrap();
    assert_eq!(approved.status, BudgetStatus::Approved);
    let error = budgets::set_line(
        &mut demo.ledger,
        &sam,
        sheet.budget.id,
        edit(1, first_month),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "status: the budget is approved; an approved budget cannot be edited (make a new version or ask for an unlock)"
    );
    let history = budgets::show(&demo.ledger, &sam, sheet.budget.id)
        .unwrap()
        .history;
    let steps: Vec<(&str, BudgetStatus)> = history
        .iter()
        .map(|s| (s.username.as_str(), s.to_status))
        .collect();
    assert_eq!(
        steps,
        [
            ("sam", BudgetStatus::Submitted),
            ("maria", BudgetStatus::Approved)
        ]
    );
}

/// The budget view says which steps its viewer may take and whether they may
/// edit: exactly what `transition` and the edits allow, so the screen offers
/// nothing it would refuse and hides nothing it would take.
#[test]
fn the_budget_view_offers_each_viewer_exactly_the_steps_the_workflow_takes() {
    let mut demo = TestLedger::demo();
    let (sam, maria, admin) = (demo.user("sam"), demo.user("maria"), demo.user("admin"));
    let id = own_budget(&mut demo, &sam, Some(5)).budget.id;
    let offered = |demo: &TestLedger, actor: &salesplan_core::Actor| {
        let sheet = budgets::show(&demo.ledger, actor, id).unwrap();
        (sheet.steps, sheet.editable)
    };
    let everyone = [("sam", &sam), ("maria", &maria), ("admin", &admin)];
    let check = |demo: &mut TestLedger, expected: [(Vec<Transition>, bool); 3]| {
        for ((name, actor), (steps, editable)) in everyone.iter().zip(expected) {
            assert_eq!(offered(demo, actor), (steps.clone(), editable), "{name}");
            // Every step offered is taken, every other refused (tried on a copy of the ledger).
            for step in Transition::ALL {
                let path = demo.path();
                let dir = tempfile::tempdir().unwrap();
                let copy = dir.path().join("copy.db");
                std::fs::copy(&path, &copy).unwrap();
                // With its write-ahead log: the latest writes may be there only.
                let wal = |db: &std::path::Path| format!("{}-wal", db.display());
                if std::path::Path::new(&wal(&path)).exists() {
                    std::fs::copy(wal(&path), wal(&copy)).unwrap();
                }
                let mut ledger = salesplan_core::Ledger::open(&copy).unwrap();
                let taken = budgets::transition(&mut ledger, actor, id, step, "a reason").is_ok();
                assert_eq!(taken, steps.contains(&step), "{name} {step:?}");
            }
        }
    };
    use Transition::*;
    check(
        &mut demo,
        [
            (vec![Submit], true),
            (vec![Submit], true),
            (vec![Submit], true),
        ],
    );
    budgets::transition(&mut demo.ledger, &sam, id, Submit, "").unwrap();
    // Sam submitted it: he neither approves nor edits it; his manager and the administrator may.
    check(
        &mut demo,
        [
            (vec![], false),
            (vec![Approve, Reject], false),
            (vec![Approve, Reject], false),
        ],
    );
    budgets::transition(&mut demo.ledger, &maria, id, Approve, "").unwrap();
    check(
        &mut demo,
        [
            (vec![], false),
            (vec![Lock], false),
            (vec![Lock, Unlock], false),
        ],
    );
}

#[test]
fn bad_lines_name_the_field_and_the_rule_and_change_nothing() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let sheet = own_budget(&mut demo, &sam, None);
    let milk = product_id(&demo, "DRY-010");
    let before = demo.outbox_len();
    let open = sheet.periods[3];
    let year_before = format!("{}-06", sheet.budget.fiscal_year - 1);
    let cases = [
        (
            LineEdit {
                quantity: Some(Decimal::from(-1)),
                ..LineEdit::new(milk, open)
            },
            "quantity: must not be negative (got -1)".to_owned(),
        ),
        (
            LineEdit {
                unit_price: Some(Decimal::new(-5, 1)),
                ..LineEdit::new(milk, open)
            },
            "unit_price: must not be negative (got -0.5)".to_owned(),
        ),
        (
            LineEdit {
                quantity: Some(Decimal::ONE),
                ..LineEdit::new(milk, month(&year_before))
            },
            format!(
                "period: {year_before} is outside fiscal year {} ({} to {})",
                sheet.budget.fiscal_year, sheet.periods[0], sheet.periods[11]
            ),
        ),
        (
            LineEdit {
                quantity: Some(Decimal::ONE),
                ..LineEdit::new(uuid::Uuid::now_v7(), open)
            },
            "product_id: no active product with id".to_owned(),
        ),
    ];
    for (edit, expected) in cases {
        let error = budgets::set_line(&mut demo.ledger, &sam, sheet.budget.id, edit).unwrap_err();
        assert!(
            error.to_string().starts_with(&expected),
            "expected {expected:?}, got {error}"
        );
    }
    assert_eq!(demo.outbox_len(), before);
    let error = budgets::create(
        &mut demo.ledger,
        &sam,
        NewBudget {
            fiscal_year: sheet.budget.fiscal_year,
            scenario: "base".into(),
            owner: OwnerRef {
                kind: OwnerKind::Salesman,
                id: sam.id,
            },
            from_last_year_percent: None,
            template_id: None,
        },
    )
    .unwrap_err();
    assert_eq!(
        error.code(),
        ErrorCode::Duplicate,
        "one Base budget per owner and year (case-insensitive)"
    );
}

#[test]
fn nobody_approves_their_own_budget_and_a_rejection_needs_a_reason() {
    let mut demo = TestLedger::demo();
    let maria = demo.user("maria");
    let retail = users::find(&demo.ledger, &demo.user("admin"), "maria")
        .unwrap()
        .profile
        .department_id
        .unwrap();
    let new_budget = NewBudget {
        fiscal_year: year_after(4),
        scenario: "Base".into(),
        owner: OwnerRef {
            kind: OwnerKind::Department,
            id: retail,
        },
        from_last_year_percent: None,
        template_id: None,
    };
    let sheet = budgets::create(&mut demo.ledger, &maria, new_budget).unwrap();
    budgets::transition(
        &mut demo.ledger,
        &maria,
        sheet.budget.id,
        Transition::Submit,
        "",
    )
    .unwrap();
    let error = budgets::transition(
        &mut demo.ledger,
        &maria,
        sheet.budget.id,
        Transition::Approve,
        "",
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "approver: you cannot approve a budget you own or submitted; another approver must"
    );

    let admin = demo.user("admin");
    let error = budgets::transition(
        &mut demo.ledger,
        &admin,
        sheet.budget.id,
        Transition::Reject,
        "  ",
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "comment: is required to reject a budget: say why"
    );
    let rejected = budgets::transition(
        &mut demo.ledger,
        &admin,
        sheet.budget.id,
        Transition::Reject,
        "too low for a growth year",
    )
    .unwrap();
    assert_eq!(rejected.status, BudgetStatus::Rejected);
    let error = budgets::transition(
        &mut demo.ledger,
        &admin,
        sheet.budget.id,
        Transition::Lock,
        "",
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "status: cannot lock a budget that is rejected; it must be approved"
    );
}

#[test]
fn only_an_administrator_unlocks_and_must_say_why() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let sheet = own_budget(&mut demo, &sam, Some(0));
    let maria = demo.user("maria");
    budgets::transition(
        &mut demo.ledger,
        &sam,
        sheet.budget.id,
        Transition::Submit,
        "",
    )
    .unwrap();
    budgets::transition(
        &mut demo.ledger,
        &maria,
        sheet.budget.id,
        Transition::Approve,
        "",
    )
    .unwrap();
    budgets::transition(
        &mut demo.ledger,
        &maria,
        sheet.budget.id,
        Transition::Lock,
        "",
    )
    .unwrap();
    let error = budgets::transition(
        &mut demo.ledger,
        &maria,
        sheet.budget.id,
        Transition::Unlock,
        "reopen",
    )
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Forbidden);
    let admin = demo.user("admin");
    assert!(
        budgets::transition(
            &mut demo.ledger,
            &admin,
            sheet.budget.id,
            Transition::Unlock,
            ""
        )
        .is_err()
    );
    let reopened = budgets::transition(
        &mut demo.ledger,
        &admin,
        sheet.budget.id,
        Transition::Unlock,
        "price list changed",
    )
    .unwrap();
    assert_eq!(reopened.status, BudgetStatus::Draft);
    let conn = rusqlite::Connection::open(demo.path()).unwrap();
    assert!(
        conn.execute("DELETE FROM budget_approvals", [])
            .unwrap_err()
            .to_string()
            .contains("append-only")
    );
}

#[test]
fn spreading_a_yearly_total_adds_up_exactly_and_follows_the_profile() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let sheet = own_budget(&mut demo, &sam, None);
    let water = product_id(&demo, "BEV-010");
    let flat = spread(
        &mut demo,
        &sam,
        sheet.budget.id,
        water,
        Decimal::from(1000),
        SpreadMeasure::Quantity,
        SpreadProfile::Flat,
    )
    .unwrap();
    let quantities: Vec<Decimal> = flat.iter().map(|line| line.quantity).collect();
    assert_eq!(quantities.iter().sum::<Decimal>(), Decimal::from(1000));
    assert_eq!(
        (quantities[0], quantities[11]),
        (Decimal::from(84), Decimal::from(83))
    );
    assert!(
        flat.iter()
            .all(|line| line.unit_price == product(&demo, "BEV-010").list_price)
    );

    let seasonal = spread(
        &mut demo,
        &sam,
        sheet.budget.id,
        water,
        Decimal::from(1001),
        SpreadMeasure::Quantity,
        SpreadProfile::LastYear,
    )
    .unwrap();
    let quantities: Vec<Decimal> = seasonal.iter().map(|line| line.quantity).collect();
    assert_eq!(quantities.iter().sum::<Decimal>(), Decimal::from(1001));
    assert!(
        quantities[6] > quantities[0],
        "water sells more in July than in January: {quantities:?}"
    );

    // Spreading money over the same months: each month's quantity follows its
    // amount (whole units at the price), also a month given nothing; before,
    // December kept its 75 units with an amount of 0.
    let mut weights = vec![Decimal::ONE; 12];
    weights[11] = Decimal::ZERO;
    let money = spread(
        &mut demo,
        &sam,
        sheet.budget.id,
        water,
        Decimal::from(550),
        SpreadMeasure::Amount,
        SpreadProfile::Custom { weights },
    )
    .unwrap();
    assert_eq!(
        money.iter().map(|line| line.amount).sum::<Decimal>(),
        Decimal::from(550)
    );
    for line in &money {
        assert!(line.amount_entered);
        assert_eq!(
            line.quantity,
            salesplan_core::money::round(line.amount / line.unit_price, 0),
            "{}: {} at {}",
            line.period,
            line.amount,
            line.unit_price
        );
    }
    assert_eq!(
        (money[11].amount, money[11].quantity),
        (Decimal::ZERO, Decimal::ZERO)
    );

    let bad = SpreadProfile::Custom {
        weights: vec![Decimal::ONE; 11],
    };
    let error = spread(
        &mut demo,
        &sam,
        sheet.budget.id,
        water,
        Decimal::from(5),
        SpreadMeasure::Quantity,
        bad,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "weights: need 12 weights, one per month (got 11)"
    );
}

#[test]
fn spreading_an_amount_enters_each_months_amount_to_the_cent() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let sheet = own_budget(&mut demo, &sam, None);
    let water = product_id(&demo, "BEV-010");
    spread(
        &mut demo,
        &sam,
        sheet.budget.id,
        water,
        Decimal::from(24),
        SpreadMeasure::Quantity,
        SpreadProfile::Flat,
    )
    .unwrap();
    let weights = (1..=12).map(Decimal::from).collect();
    let lines = spread(
        &mut demo,
        &sam,
        sheet.budget.id,
        water,
        Decimal::new(1_000_001, 2),
        SpreadMeasure::Amount,
        SpreadProfile::Custom { weights },
    )
    .unwrap();
    let amounts: Vec<Decimal> = lines.iter().map(|line| line.amount).collect();
    assert_eq!(amounts.iter().sum::<Decimal>(), Decimal::new(1_000_001, 2));
    assert!(
        amounts.iter().all(|amount| amount.scale() <= 2),
        "{amounts:?}"
    );
    // Month m gets m/78 of 10,000.01, floored to the cent (9,999.96 in all); the 5 cents left
    // go to the largest remainders: months 11, 9, 7, 5 and 3 (e.g. 1,410.257… → 1,410.26).
    assert_eq!(
        (amounts[0], amounts[2], amounts[10], amounts[11]),
        (
            Decimal::new(12820, 2),
            Decimal::new(38462, 2),
            Decimal::new(141026, 2),
            Decimal::new(153846, 2)
        )
    );
    // The amount is typed; each month's quantity follows it (whole units at the
    // price), so quantity and amount never disagree (issue #24: they did).
    for line in &lines {
        assert!(line.amount_entered);
        assert_eq!(
            line.quantity,
            salesplan_core::money::round(line.amount / line.unit_price, 0),
            "{}",
            line.period
        );
    }
    assert_ne!(
        lines[11].quantity,
        Decimal::from(2),
        "not the 2 spread before"
    );
    let shown = budgets::show(&demo.ledger, &sam, sheet.budget.id).unwrap();
    assert_eq!(shown.total_amount, Decimal::new(1_000_001, 2));

    let error = spread(
        &mut demo,
        &sam,
        sheet.budget.id,
        water,
        Decimal::from(-5),
        SpreadMeasure::Amount,
        SpreadProfile::Flat,
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "total: must not be negative (got -5)");
}

#[test]
fn a_new_version_copies_the_lines_with_a_change() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let base = own_budget(&mut demo, &sam, Some(0));
    let stretch = budgets::copy(
        &mut demo.ledger,
        &sam,
        base.budget.id,
        "Stretch",
        Some(Decimal::from(10)),
    )
    .unwrap();
    assert_eq!(
        (stretch.budget.scenario.as_str(), stretch.budget.copied_from),
        ("Stretch", Some(base.budget.id))
    );
    assert_eq!(stretch.lines.len(), base.lines.len());
    for (original, copied) in base.lines.iter().zip(&stretch.lines) {
        assert_eq!(
            copied.quantity,
            salesplan_core::money::round(original.quantity * Decimal::new(11, 1), 0)
        );
    }
}

#[test]
fn variance_compares_budget_and_actuals_at_every_level_within_scope() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let nina = demo.user("nina");
    let sheet = own_budget(&mut demo, &sam, Some(5));
    own_budget(&mut demo, &nina, Some(5));
    let year = sheet.budget.fiscal_year - 1;
    // The year that has actuals, so variance has both sides: the demo's
    // plans reopened, so that sam's is the only one approved below.
    let (reopened, current) = demo.reopen_plans(year, &sam);
    let query = |level| VarianceQuery {
        fiscal_year: year,
        scenario: None,
        level,
        basis: None,
        through: None,
        within: None,
    };

    let admin = demo.user("admin");
    // A draft is not the plan: no budget, no variance, and the report says why.
    let draft = variance::report(&demo.ledger, &admin, query(VarianceLevel::Company)).unwrap();
    assert_eq!(
        (draft.plan.approved, draft.plan.not_approved),
        (0, reopened)
    );
    assert_eq!(
        (
            draft.total.planned,
            draft.total.full_year.budget,
            draft.total.full_year.variance
        ),
        (false, None, None)
    );
    assert!(draft.total.full_year.actual > Decimal::ZERO);
    assert_eq!(draft.unplanned_to_date, draft.total.year_to_date.actual);
    assert_eq!(
        draft.plan.missing(year, "Base").unwrap(),
        format!(
            "No approved budget for {year} (Base) ({} budgets are not approved yet): no variance is counted",
            reopened
        )
    );
    demo.approve(current.budget.id, &sam);

    let company = variance::report(&demo.ledger, &admin, query(VarianceLevel::Company)).unwrap();
    let actual_total: i64 = count(
        &demo.path(),
        &format!(
            "SELECT CAST(round(sum(CAST(amount AS REAL))) AS INTEGER) FROM actual_sales WHERE period LIKE '{year}-%'"
        ),
    );
    assert_eq!(
        company.total.full_year.actual.round(),
        Decimal::from(actual_total)
    );
    assert_eq!(company.total.full_year.budget, Some(current.total_amount));
    assert_eq!(company.rows.len(), 1);

    let by_salesman = variance::report(&demo.ledger, &sam, query(VarianceLevel::Salesman)).unwrap();
    assert_eq!(by_salesman.rows.len(), 1, "a salesman sees only himself");
    let row = &by_salesman.rows[0];
    assert_eq!(row.label, "Sam Becker");
    assert_eq!(
        row.full_year.variance,
        Some(row.full_year.actual - row.full_year.budget.unwrap())
    );
    let quarters: Decimal = row.quarters.iter().filter_map(|q| q.budget).sum();
    assert_eq!(Some(quarters), row.full_year.budget);

    // Only sam's budget is approved: nina's sales are shown but are no variance,
    // at her row and in every total above it.
    let everyone = variance::report(&demo.ledger, &admin, query(VarianceLevel::Salesman)).unwrap();
    let nina_row = everyone
        .rows
        .iter()
        .find(|r| r.label == "Nina Hoffmann")
        .unwrap();
    assert!(nina_row.full_year.actual > Decimal::ZERO);
    assert_eq!(
        (nina_row.planned, nina_row.full_year.variance),
        (false, None)
    );
    let sam_row = everyone
        .rows
        .iter()
        .find(|r| r.label == "Sam Becker")
        .unwrap();
    assert_eq!(
        everyone.total.full_year.variance,
        sam_row.full_year.variance
    );
    assert_eq!(
        everyone.unplanned_to_date,
        everyone.total.year_to_date.actual - sam_row.year_to_date.actual
    );

    let by_product = variance::report(&demo.ledger, &admin, query(VarianceLevel::Product)).unwrap();
    let summed: Decimal = by_product.rows.iter().map(|r| r.year_to_date.actual).sum();
    assert_eq!(
        summed, by_product.total.year_to_date.actual,
        "every level adds up to the total"
    );
    assert!(by_product.year_to_date_through.is_some());
}

#[test]
fn an_approver_sees_the_budget_against_last_year_by_category() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let sheet = own_budget(&mut demo, &sam, Some(10));
    let maria = demo.user("maria");
    let comparison = budgets::compare(&demo.ledger, &maria, sheet.budget.id).unwrap();
    assert_eq!(comparison.total.budget, sheet.total_amount);
    assert!(comparison.rows.len() > 1, "{:?}", comparison.rows);
    let summed: Decimal = comparison.rows.iter().map(|row| row.budget).sum();
    assert_eq!(summed, comparison.total.budget, "the categories add up");
    assert!(
        comparison
            .rows
            .windows(2)
            .all(|pair| pair[0].budget >= pair[1].budget),
        "the largest budget first"
    );
    // Made from last year + 10 %: about 10 % above last year (prices and rounding aside).
    let change = comparison.total.change_percent.unwrap();
    assert!(
        (Decimal::from(9)..=Decimal::from(11)).contains(&change),
        "{change} %"
    );
    // Someone who may not see sam's budget may not compare it either.
    let other = demo.user("max");
    assert!(budgets::compare(&demo.ledger, &other, sheet.budget.id).is_err());
}

#[test]
fn a_pasted_block_lands_whole_or_not_at_all_and_names_the_bad_cell() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let sheet = own_budget(&mut demo, &sam, None);
    let milk = product_id(&demo, "DRY-010");
    let cell = |month: usize, quantity: i64| LineEdit {
        quantity: Some(Decimal::from(quantity)),
        ..LineEdit::new(milk, sheet.periods[month])
    };
    let error = budgets::set_lines(
        &mut demo.ledger,
        &sam,
        sheet.budget.id,
        vec![cell(0, 10), cell(1, 20), cell(2, -3)],
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cells[2].quantity: must not be negative (got -3)"
    );
    assert!(
        budgets::show(&demo.ledger, &sam, sheet.budget.id)
            .unwrap()
            .lines
            .is_empty(),
        "nothing of the block was written"
    );

    let written = budgets::set_lines(
        &mut demo.ledger,
        &sam,
        sheet.budget.id,
        vec![cell(0, 10), cell(1, 20), cell(2, 30)],
    )
    .unwrap();
    assert_eq!(
        written.iter().map(|line| line.quantity).sum::<Decimal>(),
        Decimal::from(60)
    );
}

#[test]
fn drilling_down_keeps_only_what_lies_within_the_rows_picked() {
    let demo = TestLedger::demo();
    let admin = demo.user("admin");
    let year = year_after(0);
    let query = |level, within| VarianceQuery {
        fiscal_year: year,
        scenario: None,
        level,
        basis: None,
        through: None,
        within,
    };
    let branches =
        variance::report(&demo.ledger, &admin, query(VarianceLevel::Branch, None)).unwrap();
    let north = branches
        .rows
        .iter()
        .find(|row| row.label == "North Branch")
        .unwrap();
    let step = variance::DrillStep {
        level: VarianceLevel::Branch,
        key: north.key.unwrap(),
    };
    let salesmen = variance::report(
        &demo.ledger,
        &admin,
        query(VarianceLevel::Salesman, Some(vec![step])),
    )
    .unwrap();
    let names: Vec<&str> = salesmen.rows.iter().map(|row| row.label.as_str()).collect();
    assert_eq!(names, ["Nina Hoffmann", "Sam Becker"]);
    assert_eq!(salesmen.total.full_year.actual, north.full_year.actual);

    // The top row names what each user sees: the company, a branch, a department, oneself.
    let top = |who: &str| {
        let actor = demo.user(who);
        variance::report(&demo.ledger, &actor, query(VarianceLevel::Company, None))
            .unwrap()
            .rows
            .first()
            .map(|row| row.label.clone())
            .unwrap()
    };
    assert_eq!(top("admin"), "Company");
    assert_eq!(top("bella"), "North Branch");
    assert_eq!(top("maria"), "Retail Sales");
    assert_eq!(top("sam"), "Sam Becker");
}

mod top_down {
    use super::*;
    use salesplan_core::budgets::distribute::{self, Distribution, Shares};

    fn distribution(
        to: OwnerKind,
        total: &str,
        shares: Shares,
        within: Option<uuid::Uuid>,
    ) -> Distribution {
        Distribution {
            fiscal_year: year_after(1),
            scenario: "Top-down".into(),
            total: total.parse().unwrap(),
            to,
            within_location: within,
            shares,
        }
    }

    #[test]
    fn a_company_total_goes_to_branches_by_last_years_share_to_the_cent() {
        let mut demo = TestLedger::demo();
        let admin = demo.user("admin");
        let plan = distribution(OwnerKind::Location, "3000000.01", Shares::LastYear, None);
        let targets = distribute::targets(&demo.ledger, &admin, &plan).unwrap();
        assert_eq!(targets.len(), 5, "the five branches, not the warehouse");
        assert_eq!(
            targets.iter().map(|t| t.amount).sum::<Decimal>(),
            "3000000.01".parse::<Decimal>().unwrap()
        );
        let biggest = targets.iter().max_by_key(|t| t.amount).unwrap();
        // "Last year" is twelve real months: the last twelve of sales (early in
        // a year, this year's first months and the rest of the year before).
        let (_, last) = demo_months();
        let first = last.plus(-11);
        let sold = |location: uuid::Uuid| {
            count(
                &demo.path(),
                &format!(
                    "SELECT CAST(sum(CAST(amount AS REAL)) AS INTEGER) FROM actual_sales WHERE location_id = '{location}' AND period BETWEEN '{first}' AND '{last}'"
                ),
            )
        };
        let best_seller = targets
            .iter()
            .max_by_key(|t| sold(t.owner.location_id.unwrap()))
            .unwrap();
        assert_eq!(
            biggest.name, best_seller.name,
            "the branch that sold most gets most"
        );

        let applied = distribute::apply(&mut demo.ledger, &admin, plan).unwrap();
        for target in &applied {
            let sheet = budgets::show(&demo.ledger, &admin, target.budget_id.unwrap()).unwrap();
            assert_eq!(
                sheet.total_amount, target.amount,
                "{}: the lines add up to the share exactly",
                target.name
            );
            assert_eq!(sheet.budget.owner.kind, OwnerKind::Location);
        }
    }

    #[test]
    fn a_branch_manager_shares_his_branch_total_among_its_salesmen_by_weights() {
        let mut demo = TestLedger::demo();
        let bella = demo.user("bella");
        let (sam, nina) = (demo.user("sam"), demo.user("nina"));
        let weights = Shares::Weights {
            weights: vec![(sam.id, Decimal::from(2)), (nina.id, Decimal::ONE)],
        };
        let plan = distribution(OwnerKind::Salesman, "100000.01", weights, bella.location_id);
        let targets = distribute::apply(&mut demo.ledger, &bella, plan).unwrap();
        let amounts: Vec<(String, String)> = targets
            .iter()
            .map(|t| (t.name.clone(), t.amount.to_string()))
            .collect();
        assert_eq!(
            amounts,
            [
                ("Nina Hoffmann".to_owned(), "33333.34".to_owned()),
                ("Sam Becker".to_owned(), "66666.67".to_owned())
            ]
        );

        let equal = distribution(
            OwnerKind::Salesman,
            "100000.01",
            Shares::Equal,
            bella.location_id,
        );
        let halves: Vec<String> = distribute::targets(&demo.ledger, &bella, &equal)
            .unwrap()
            .iter()
            .map(|t| t.amount.to_string())
            .collect();
        assert_eq!(
            halves,
            ["50000.01", "50000.00"],
            "the odd cent goes to the first"
        );

        let everywhere = distribution(OwnerKind::Location, "1", Shares::LastYear, None);
        assert_eq!(
            distribute::targets(&demo.ledger, &bella, &everywhere)
                .unwrap_err()
                .code(),
            ErrorCode::Forbidden
        );
        let stranger = Shares::Weights {
            weights: vec![(demo.user("stefan").id, Decimal::ONE)],
        };
        let plan = distribution(OwnerKind::Salesman, "5", stranger, bella.location_id);
        assert_eq!(
            distribute::targets(&demo.ledger, &bella, &plan)
                .unwrap_err()
                .field(),
            Some("weights")
        );
    }
}

mod expense_lines {
    use super::*;
    use salesplan_core::budgets::expenses::{self, NewExpense, NewSpending, Receipt};
    use salesplan_core::reference::BudgetCategory;

    fn travel(demo: &TestLedger) -> uuid::Uuid {
        reference::find::<BudgetCategory>(&demo.ledger, &demo.user("admin"), "TRV")
            .unwrap()
            .id
    }

    fn spending(expense_id: uuid::Uuid, day: &str, amount: &str) -> NewSpending {
        NewSpending {
            expense_id,
            spent_on: day.into(),
            amount: amount.parse().unwrap(),
            ..NewSpending::default()
        }
    }

    #[test]
    fn spending_counts_against_the_allocation_and_overspending_shows() {
        let mut demo = TestLedger::demo();
        let sam = demo.user("sam");
        let sheet = own_budget(&mut demo, &sam, None);
        let year = sheet.budget.fiscal_year;
        let new_expense = NewExpense {
            category_id: travel(&demo),
            description: "Customer visits".into(),
            allocated: "1200".parse().unwrap(),
        };
        let expense = expenses::add(&mut demo.ledger, &sam, sheet.budget.id, new_expense).unwrap();
        let receipt = Receipt {
            name: "hotel.pdf".into(),
            bytes: b"%PDF-1.4 hotel".to_vec(),
        };
        let hotel = NewSpending {
            receipt: Some(receipt),
            note: "Hamburg fair".into(),
            ..spending(expense.id, &format!("{year}-03-14"), "840.50")
        };
        let stored = expenses::spend(&mut demo.ledger, &sam, hotel).unwrap();
        expenses::spend(
            &mut demo.ledger,
            &sam,
            spending(expense.id, &format!("{year}-04-02"), "410.00"),
        )
        .unwrap();
        expenses::spend(
            &mut demo.ledger,
            &sam,
            spending(expense.id, &format!("{year}-04-09"), "-20.00"),
        )
        .unwrap();

        let lines = budgets::show(&demo.ledger, &sam, sheet.budget.id)
            .unwrap()
            .expenses;
        let line = &lines[0];
        assert_eq!(
            (line.allocated, line.spent, line.remaining),
            (
                "1200".parse().unwrap(),
                "1230.50".parse().unwrap(),
                "-30.50".parse().unwrap()
            )
        );
        let file = expenses::receipt(&demo.ledger, &sam, stored.id).unwrap();
        assert_eq!(
            (file.name.as_str(), file.bytes.as_slice()),
            ("hotel.pdf", &b"%PDF-1.4 hotel"[..])
        );
        assert_eq!(
            expenses::spendings(&demo.ledger, &sam, expense.id)
                .unwrap()
                .len(),
            3
        );
        assert_eq!(
            expenses::receipt(&demo.ledger, &demo.user("nina"), stored.id)
                .unwrap_err()
                .code(),
            ErrorCode::Forbidden
        );
    }

    #[test]
    fn a_saved_receipt_never_overwrites_a_file_nor_leaves_the_folder() {
        let mut demo = TestLedger::demo();
        let sam = demo.user("sam");
        let sheet = own_budget(&mut demo, &sam, None);
        let new_expense = NewExpense {
            category_id: travel(&demo),
            description: String::new(),
            allocated: "100".parse().unwrap(),
        };
        let expense = expenses::add(&mut demo.ledger, &sam, sheet.budget.id, new_expense).unwrap();
        let year = sheet.budget.fiscal_year;
        let mut spend_with = |name: &str, bytes: &[u8]| {
            let with_receipt = NewSpending {
                receipt: Some(Receipt {
                    name: name.into(),
                    bytes: bytes.to_vec(),
                }),
                ..spending(expense.id, &format!("{year}-02-01"), "5")
            };
            expenses::spend(&mut demo.ledger, &sam, with_receipt)
                .unwrap()
                .id
        };
        let taxi = spend_with("taxi.pdf", b"first");
        let sneaky = spend_with("../../outside.txt", b"second");
        let downloads = tempfile::tempdir().unwrap();
        let folder = downloads.path().join("Downloads");
        let first = expenses::save_receipt(&demo.ledger, &sam, taxi, &folder).unwrap();
        let second = expenses::save_receipt(&demo.ledger, &sam, taxi, &folder).unwrap();
        let third = expenses::save_receipt(&demo.ledger, &sam, sneaky, &folder).unwrap();
        assert_eq!(
            (
                first.file_name().unwrap(),
                second.file_name().unwrap(),
                third.file_name().unwrap()
            ),
            (
                "taxi.pdf".as_ref(),
                "taxi (2).pdf".as_ref(),
                "outside.txt".as_ref()
            )
        );
        assert_eq!(std::fs::read(&first).unwrap(), b"first");
        assert_eq!(std::fs::read(&second).unwrap(), b"first");
        assert_eq!(third.parent().unwrap(), folder);
        assert_eq!(std::fs::read(&third).unwrap(), b"second");
        let error =
            expenses::save_receipt(&demo.ledger, &demo.user("nina"), taxi, &folder).unwrap_err();
        assert_eq!(error.code(), ErrorCode::Forbidden);
    }

    #[test]
    fn an_approved_budget_takes_spending_but_not_new_allocations() {
        let mut demo = TestLedger::demo();
        let sam = demo.user("sam");
        let sheet = own_budget(&mut demo, &sam, None);
        let new_expense = NewExpense {
            category_id: travel(&demo),
            description: String::new(),
            allocated: "500".parse().unwrap(),
        };
        let expense =
            expenses::add(&mut demo.ledger, &sam, sheet.budget.id, new_expense.clone()).unwrap();
        demo.approve(sheet.budget.id, &sam);
        let day = format!("{}-05-05", sheet.budget.fiscal_year);
        assert!(
            expenses::spend(&mut demo.ledger, &sam, spending(expense.id, &day, "99.90")).is_ok()
        );
        assert!(
            expenses::allocate(&mut demo.ledger, &sam, expense.id, "900".parse().unwrap())
                .unwrap_err()
                .to_string()
                .contains("cannot be edited")
        );
        assert_eq!(
            expenses::add(&mut demo.ledger, &sam, sheet.budget.id, new_expense)
                .unwrap_err()
                .field(),
            Some("status")
        );
    }

    #[test]
    fn bad_spending_names_the_field_and_facts_stay_facts() {
        let mut demo = TestLedger::demo();
        let sam = demo.user("sam");
        let sheet = own_budget(&mut demo, &sam, None);
        let year = sheet.budget.fiscal_year;
        let new_expense = NewExpense {
            category_id: travel(&demo),
            description: String::new(),
            allocated: "500".parse().unwrap(),
        };
        let expense = expenses::add(&mut demo.ledger, &sam, sheet.budget.id, new_expense).unwrap();
        let before = demo.outbox_len();
        let cases = [
            (
                spending(expense.id, &format!("{}-12-31", year - 1), "10"),
                "spent_on: ",
            ),
            (
                spending(expense.id, &format!("{year}-02-30"), "10"),
                "spent_on: ",
            ),
            (
                spending(expense.id, &format!("{year}-02-03"), "0"),
                "amount: must not be zero",
            ),
            (
                spending(expense.id, &format!("{year}-02-03"), "1.005"),
                "amount: must have at most 2 decimal places",
            ),
            (
                NewSpending {
                    receipt: Some(Receipt {
                        name: "big.pdf".into(),
                        bytes: vec![0; expenses::MAX_RECEIPT_BYTES + 1],
                    }),
                    ..spending(expense.id, &format!("{year}-02-03"), "5")
                },
                "receipt: is 5242881 bytes",
            ),
        ];
        for (bad, expected) in cases {
            let error = expenses::spend(&mut demo.ledger, &sam, bad).unwrap_err();
            assert!(
                error.to_string().starts_with(expected),
                "expected {expected:?}, got {error}"
            );
        }
        assert_eq!(demo.outbox_len(), before);
        let negative =
            expenses::allocate(&mut demo.ledger, &sam, expense.id, "-1".parse().unwrap())
                .unwrap_err();
        assert_eq!(
            negative.to_string(),
            "allocated: must not be negative (got -1)"
        );
        expenses::spend(
            &mut demo.ledger,
            &sam,
            spending(expense.id, &format!("{year}-02-03"), "5"),
        )
        .unwrap();
        let conn = rusqlite::Connection::open(demo.path()).unwrap();
        assert!(
            conn.execute("UPDATE expense_transactions SET amount = '1'", [])
                .unwrap_err()
                .to_string()
                .contains("append-only")
        );
    }
}

fn template_from(
    demo: &mut TestLedger,
    who: &Actor,
    name: &str,
    budget_id: uuid::Uuid,
) -> salesplan_core::Result<Template> {
    templates::save(
        &mut demo.ledger,
        who,
        NewTemplate {
            name: name.into(),
            from_budget: budget_id,
            seasonality: None,
        },
    )
}

fn budget_from_template(
    demo: &mut TestLedger,
    who: &Actor,
    fiscal_year: i32,
    template_id: uuid::Uuid,
) -> salesplan_core::Result<BudgetSheet> {
    let new_budget = NewBudget {
        fiscal_year,
        scenario: "Base".into(),
        owner: OwnerRef {
            kind: OwnerKind::Salesman,
            id: who.id,
        },
        from_last_year_percent: None,
        template_id: Some(template_id),
    };
    budgets::create(&mut demo.ledger, who, new_budget)
}

#[test]
fn a_template_keeps_a_budgets_yearly_lines_and_seasonality_and_fills_new_budgets() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let nina = demo.user("nina");
    let source = own_budget(&mut demo, &sam, Some(5));
    let template = template_from(&mut demo, &sam, "Grocery route", source.budget.id).unwrap();

    // One line per product: the year's quantity at the average price.
    let mut yearly: std::collections::BTreeMap<uuid::Uuid, (Decimal, Decimal)> = Default::default();
    for line in &source.lines {
        let entry = yearly.entry(line.product_id).or_default();
        entry.0 += line.quantity;
        entry.1 += line.amount;
    }
    assert_eq!(template.lines.len(), yearly.len());
    for line in &template.lines {
        let (quantity, amount) = yearly[&line.product_id];
        assert_eq!(line.quantity, quantity, "{}", line.sku);
        assert_eq!(
            line.unit_price,
            (amount / quantity)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
            "{}",
            line.sku
        );
    }
    // The seasonality: each month's share of all quantities, in % summing to exactly 100.
    let total: Decimal = source.lines.iter().map(|line| line.quantity).sum();
    assert_eq!(
        template.seasonality.iter().sum::<Decimal>(),
        Decimal::ONE_HUNDRED
    );
    for (month, period) in source.periods.iter().enumerate() {
        let in_month: Decimal = source
            .lines
            .iter()
            .filter(|l| &l.period == period)
            .map(|l| l.quantity)
            .sum();
        let exact = in_month * Decimal::ONE_HUNDRED / total;
        assert!(
            (template.seasonality[month] - exact).abs() < Decimal::new(1, 2),
            "month {month}"
        );
    }

    // It copies sam's budget: nobody who may not see his budgets sees it or
    // builds from it until he shares it; nina may not share it for him.
    let year = source.budget.fiscal_year + 1;
    assert!(templates::list(&demo.ledger, &nina).unwrap().is_empty());
    let refused = budget_from_template(&mut demo, &nina, year, template.id).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
    let refused = templates::share(&mut demo.ledger, &nina, template.id, true).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
    let admin = demo.user("admin");
    assert_eq!(
        templates::list(&demo.ledger, &admin).unwrap().len(),
        1,
        "whoever may see sam's budgets sees his template"
    );
    assert!(
        templates::share(&mut demo.ledger, &sam, template.id, true)
            .unwrap()
            .shared
    );

    // Nina builds the year after from it: each product's months add up to the template's year,
    // shaped by its seasonality.
    let sheet = budget_from_template(&mut demo, &nina, year, template.id).unwrap();
    assert_eq!(sheet.budget.owner_name, "Nina Hoffmann");
    assert!(sheet.lines.iter().all(|line| line.period.year() == year));
    for line in &template.lines {
        let months: Vec<_> = sheet
            .lines
            .iter()
            .filter(|l| l.product_id == line.product_id)
            .collect();
        assert_eq!(
            months.iter().map(|l| l.quantity).sum::<Decimal>(),
            line.quantity,
            "{}",
            line.sku
        );
        assert!(
            months
                .iter()
                .all(|l| l.unit_price == line.unit_price && !l.amount_entered)
        );
    }
    let biggest = template
        .lines
        .iter()
        .max_by_key(|line| line.quantity)
        .unwrap();
    let peak = (0..12).max_by_key(|m| template.seasonality[*m]).unwrap();
    let trough = (0..12).min_by_key(|m| template.seasonality[*m]).unwrap();
    let quantity_in = |month: usize| {
        sheet
            .lines
            .iter()
            .find(|l| l.product_id == biggest.product_id && l.period == sheet.periods[month])
            .map_or(Decimal::ZERO, |l| l.quantity)
    };
    assert!(
        quantity_in(peak) > quantity_in(trough),
        "{:?}",
        template.seasonality
    );
    assert_eq!(templates::list(&demo.ledger, &nina).unwrap().len(), 1);
}

#[test]
fn templates_refuse_a_taken_name_a_stranger_deleting_and_two_starting_points() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let nina = demo.user("nina");
    let admin = demo.user("admin");
    let source = own_budget(&mut demo, &sam, Some(0));
    let template = template_from(&mut demo, &sam, "Route", source.budget.id).unwrap();
    let error = template_from(&mut demo, &sam, " route ", source.budget.id).unwrap_err();
    assert_eq!(
        error.to_string(),
        "budget template with name 'route' already exists"
    );

    let empty = own_budget_named(&mut demo, &nina, "Empty");
    let error = template_from(&mut demo, &nina, "Nothing", empty).unwrap_err();
    assert_eq!(
        error.to_string(),
        "from_budget: the budget has no quantities to make a template of"
    );
    // Nina may not take Sam's budget as a template: she cannot see it.
    let error = template_from(&mut demo, &nina, "Sams", source.budget.id).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Forbidden);

    let both = NewBudget {
        fiscal_year: source.budget.fiscal_year,
        scenario: "Both".into(),
        owner: OwnerRef {
            kind: OwnerKind::Salesman,
            id: nina.id,
        },
        from_last_year_percent: Some(Decimal::ONE),
        template_id: Some(template.id),
    };
    let error = budgets::create(&mut demo.ledger, &nina, both).unwrap_err();
    assert_eq!(
        error.to_string(),
        "template_id: start from last year's actuals or from a template, not both"
    );

    let error = templates::delete(&mut demo.ledger, &nina, template.id).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Forbidden);
    templates::delete(&mut demo.ledger, &admin, template.id).unwrap();
    assert!(templates::list(&demo.ledger, &sam).unwrap().is_empty());
    let error = budget_from_template(&mut demo, &sam, source.budget.fiscal_year + 1, template.id)
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::NotFound);
    // The name is free again.
    template_from(&mut demo, &sam, "Route", source.budget.id).unwrap();
}

#[test]
fn a_product_archived_since_the_template_was_saved_is_left_out() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let admin = demo.user("admin");
    let source = own_budget(&mut demo, &sam, Some(0));
    let template = template_from(&mut demo, &sam, "Route", source.budget.id).unwrap();
    let gone = template.lines[0].product_id;
    reference::set_archived::<Product>(&mut demo.ledger, &admin, gone, true).unwrap();
    let sheet =
        budget_from_template(&mut demo, &sam, source.budget.fiscal_year + 1, template.id).unwrap();
    assert!(sheet.lines.iter().all(|line| line.product_id != gone));
    assert_eq!(
        sheet
            .lines
            .iter()
            .map(|l| l.product_id)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        template.lines.len() - 1
    );
}

#[test]
fn a_line_or_the_whole_budget_changes_by_a_percentage() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let sheet = own_budget(&mut demo, &sam, Some(0));
    let water = product_id(&demo, "BEV-010");
    let before = |sku_id: uuid::Uuid, sheet: &BudgetSheet| -> Vec<Decimal> {
        sheet
            .lines
            .iter()
            .filter(|l| l.product_id == sku_id)
            .map(|l| l.quantity)
            .collect()
    };
    let water_before = before(water, &sheet);
    let changed = budgets::adjust(
        &mut demo.ledger,
        &sam,
        sheet.budget.id,
        Some(water),
        Decimal::from(10),
    )
    .unwrap();
    assert_eq!(changed.len(), water_before.len());
    let after = budgets::show(&demo.ledger, &sam, sheet.budget.id).unwrap();
    let expected: Vec<Decimal> = water_before
        .iter()
        .map(|q| salesplan_core::money::round(q * Decimal::new(11, 1), 0))
        .collect();
    assert_eq!(before(water, &after), expected);
    let other = sheet.lines.iter().find(|l| l.product_id != water).unwrap();
    let other_after = after.lines.iter().find(|l| l.id == other.id).unwrap();
    assert_eq!(other_after.quantity, other.quantity, "other products stay");

    // The whole budget, 50 % less: every line halves (whole units, half away from zero).
    budgets::adjust(
        &mut demo.ledger,
        &sam,
        sheet.budget.id,
        None,
        Decimal::from(-50),
    )
    .unwrap();
    let halved = budgets::show(&demo.ledger, &sam, sheet.budget.id).unwrap();
    for (old, new) in after.lines.iter().zip(&halved.lines) {
        assert_eq!(
            new.quantity,
            salesplan_core::money::round(old.quantity / Decimal::TWO, 0)
        );
    }
    let error = budgets::adjust(
        &mut demo.ledger,
        &sam,
        sheet.budget.id,
        None,
        Decimal::from(-101),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "percent: must be between -100 and 1000 (got -101)"
    );
}
