//! Alert rules: a measure in the owner's scope (or a row of it), a condition
//! and a threshold; a check keeps the state, tells the first time (or every
//! time), waits while snoozed, and lands in the alert centre. Values are the
//! ledger's own, read here independently.

use crate::support::{TestLedger, demo_months};
use rust_decimal::Decimal;
use salesplan_core::ErrorCode;
use salesplan_core::alert_centre;
use salesplan_core::alert_rules::{
    self, Notify, RuleCondition, RuleDefinition, RuleLevel, RuleMeasure, RuleState, RuleWithin,
};
use salesplan_core::reference::{self, Location};
use salesplan_core::stock::alerts;
use salesplan_core::timestamp::Day;
use std::str::FromStr;

fn rule(
    name: &str,
    measure: RuleMeasure,
    condition: RuleCondition,
    threshold: Decimal,
) -> RuleDefinition {
    RuleDefinition {
        name: name.into(),
        measure,
        within: None,
        condition,
        threshold,
        stock_kind: None,
        notify: Notify::First,
    }
}

/// A day in the month after the demo's last month of sales: that month has ended.
fn after_the_last_month() -> Day {
    let (_, last) = demo_months();
    let next = last.plus(1);
    Day::new(next.year(), next.number(), 5).unwrap()
}

#[test]
fn a_rule_tells_the_first_time_it_holds_and_lands_in_the_alert_centre() {
    let mut demo = TestLedger::demo();
    let maria = demo.user("maria");
    let (_, last) = demo_months();
    // Her department's year to date against plan, as the variance screen reads it.
    let report = demo.variance_through(&maria, last);
    let percent = report.total.year_to_date.variance_percent.unwrap();
    let today = after_the_last_month();

    let holds = alert_rules::add(
        &mut demo.ledger,
        &maria,
        rule(
            "Behind plan",
            RuleMeasure::VarianceVsBudget,
            RuleCondition::Below,
            percent + Decimal::ONE,
        ),
    )
    .unwrap();
    let quiet = alert_rules::add(
        &mut demo.ledger,
        &maria,
        rule(
            "Far behind plan",
            RuleMeasure::VarianceVsBudget,
            RuleCondition::Below,
            percent - Decimal::ONE,
        ),
    )
    .unwrap();
    assert_eq!(holds.state, RuleState::Ok, "not checked yet");

    let told = alert_rules::check_on(&mut demo.ledger, &maria, today).unwrap();
    assert_eq!(
        told.iter().map(|rule| rule.id).collect::<Vec<_>>(),
        vec![holds.id]
    );
    let rules = alert_rules::list(&demo.ledger, &maria).unwrap();
    let (first, second) = (&rules[0], &rules[1]);
    assert_eq!(
        (first.state, first.value, first.read),
        (RuleState::Triggered, Some(percent), false)
    );
    assert!(
        first
            .message
            .as_deref()
            .unwrap()
            .starts_with("Behind plan:"),
        "{:?}",
        first.message
    );
    assert!(first.triggered_at.is_some());
    assert_eq!((second.id, second.state), (quiet.id, RuleState::Ok));
    assert!(
        second
            .message
            .as_deref()
            .unwrap()
            .contains("(the alert is below"),
        "{:?}",
        second.message
    );

    // In the alert centre, unread; marked read there.
    let centre = alert_centre::centre(&demo.ledger, &maria).unwrap();
    assert_eq!(
        centre.rules.iter().map(|rule| rule.id).collect::<Vec<_>>(),
        vec![holds.id]
    );
    assert_eq!(centre.unread, centre.files.len() + 1);
    alert_centre::mark_read(&mut demo.ledger, &maria, holds.id).unwrap();
    assert!(alert_rules::list(&demo.ledger, &maria).unwrap()[0].read);

    // Told once: still holding, it is not told again, nor unread again.
    assert!(
        alert_rules::check_on(&mut demo.ledger, &maria, today)
            .unwrap()
            .is_empty()
    );
    assert!(alert_rules::list(&demo.ledger, &maria).unwrap()[0].read);
    // Every time: told at each check while it holds.
    let every = alert_rules::add(
        &mut demo.ledger,
        &maria,
        RuleDefinition {
            notify: Notify::Every,
            ..rule(
                "Behind plan, every day",
                RuleMeasure::VarianceVsBudget,
                RuleCondition::Below,
                percent + Decimal::ONE,
            )
        },
    )
    .unwrap();
    for _ in 0..2 {
        let told = alert_rules::check_on(&mut demo.ledger, &maria, today).unwrap();
        assert_eq!(
            told.iter().map(|rule| rule.id).collect::<Vec<_>>(),
            vec![every.id]
        );
    }
    // The rules are hers: max neither sees nor removes them.
    let max = demo.user("max");
    assert!(alert_rules::list(&demo.ledger, &max).unwrap().is_empty());
    let error = alert_rules::remove(&mut demo.ledger, &max, holds.id).unwrap_err();
    assert_eq!(error.code(), ErrorCode::NotFound);
    alert_rules::remove(&mut demo.ledger, &maria, holds.id).unwrap();
    assert_eq!(alert_rules::list(&demo.ledger, &maria).unwrap().len(), 2);
}

#[test]
fn a_snoozed_rule_waits_and_tells_when_the_snooze_ends() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let today = after_the_last_month();
    let rule = alert_rules::add(
        &mut demo.ledger,
        &admin,
        rule(
            "Any sales",
            RuleMeasure::SalesMonth,
            RuleCondition::Above,
            Decimal::ZERO,
        ),
    )
    .unwrap();
    let tomorrow = today.plus_days(1).unwrap();
    alert_rules::snooze(&mut demo.ledger, &admin, rule.id, Some(tomorrow)).unwrap();
    assert!(
        alert_rules::check_on(&mut demo.ledger, &admin, today)
            .unwrap()
            .is_empty()
    );
    let waiting = &alert_rules::list(&demo.ledger, &admin).unwrap()[0];
    assert_eq!(waiting.state, RuleState::Ok, "held, but snoozed: it waits");
    assert!(waiting.value.is_some());
    let told = alert_rules::check_on(&mut demo.ledger, &admin, tomorrow).unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].state, RuleState::Triggered);
}

#[test]
fn each_measure_is_the_ledgers_own_figure_in_its_row() {
    let mut demo = TestLedger::demo();
    let path = demo.path();
    let (_, last) = demo_months();
    let admin = demo.user("admin");
    let north = reference::find::<Location>(&demo.ledger, &admin, "BR-N").unwrap();
    let today = after_the_last_month();
    let sold = |condition: &str| -> Decimal {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut query = conn
            .prepare(&format!(
                "SELECT amount FROM actual_sales WHERE {condition}"
            ))
            .unwrap();
        query
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap()
            .map(|text| Decimal::from_str(&text.unwrap()).unwrap())
            .sum()
    };
    let in_north = RuleDefinition {
        within: Some(RuleWithin {
            level: RuleLevel::Branch,
            key: north.id,
        }),
        ..rule(
            "North's month",
            RuleMeasure::SalesMonth,
            RuleCondition::Above,
            Decimal::ZERO,
        )
    };
    alert_rules::add(&mut demo.ledger, &admin, in_north.clone()).unwrap();
    alert_rules::add(
        &mut demo.ledger,
        &admin,
        RuleDefinition {
            measure: RuleMeasure::ChangeVsLastMonth,
            condition: RuleCondition::Beyond,
            threshold: Decimal::from(1000),
            ..in_north
        },
    )
    .unwrap();
    alert_rules::check_on(&mut demo.ledger, &admin, today).unwrap();
    let rules = alert_rules::list(&demo.ledger, &admin).unwrap();
    let north_now = sold(&format!(
        "location_id = '{}' AND period = '{last}'",
        north.id
    ));
    let north_before = sold(&format!(
        "location_id = '{}' AND period = '{}'",
        north.id,
        last.plus(-1)
    ));
    assert_eq!(rules[0].value, Some(north_now));
    assert_eq!(rules[0].state, RuleState::Triggered);
    let change = ((north_now - north_before) / north_before * Decimal::from(100)).round_dp(1);
    assert_eq!(rules[1].value, Some(change));
    assert_eq!(
        rules[1].state,
        RuleState::Ok,
        "no month moves a thousand per cent"
    );

    // Stock: how many alerts of a kind at a branch, as the alerts list them.
    let sven = demo.user("sven");
    let north_branch = reference::find::<Location>(&demo.ledger, &sven, "BR-N").unwrap();
    let all = alerts::alerts(&demo.ledger, &sven).unwrap();
    let kind = all
        .iter()
        .find(|alert| alert.location_id == north_branch.id)
        .expect("the demo's stock running short at North Branch")
        .kind
        .key();
    let stock_rule = RuleDefinition {
        within: Some(RuleWithin {
            level: RuleLevel::Branch,
            key: north_branch.id,
        }),
        stock_kind: Some(kind.into()),
        ..rule(
            "North short",
            RuleMeasure::StockAlerts,
            RuleCondition::Above,
            Decimal::ZERO,
        )
    };
    alert_rules::add(&mut demo.ledger, &sven, stock_rule).unwrap();
    let told = alert_rules::check_on(&mut demo.ledger, &sven, today).unwrap();
    let expected = all
        .iter()
        .filter(|alert| alert.location_id == north_branch.id && alert.kind.key() == kind)
        .count();
    assert_eq!(told[0].value, Some(Decimal::from(expected as u64)));
}

#[test]
fn a_rule_is_refused_with_its_reason_and_nothing_written() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let sven = demo.user("sven");
    let before = demo.outbox_len();
    let refused = |demo: &mut TestLedger, actor, definition| {
        alert_rules::add(&mut demo.ledger, actor, definition).unwrap_err()
    };
    let sales = rule(
        "Mine",
        RuleMeasure::SalesMonth,
        RuleCondition::Above,
        Decimal::ZERO,
    );
    // What he may not see.
    let error = refused(
        &mut demo,
        &sam,
        rule(
            "Stock",
            RuleMeasure::StockAlerts,
            RuleCondition::Above,
            Decimal::ZERO,
        ),
    );
    assert_eq!(error.code(), ErrorCode::Forbidden);
    for (definition, says) in [
        (
            RuleDefinition {
                name: "  ".into(),
                ..sales.clone()
            },
            "name",
        ),
        (
            RuleDefinition {
                name: "two\nlines".into(),
                ..sales.clone()
            },
            "one line",
        ),
        (
            RuleDefinition {
                stock_kind: Some("overstock".into()),
                ..sales.clone()
            },
            "only a rule on stock alerts",
        ),
        (
            RuleDefinition {
                threshold: Decimal::from_str("1e16").unwrap(),
                ..sales.clone()
            },
            "10^15",
        ),
    ] {
        let error = refused(&mut demo, &sam, definition);
        assert_eq!(error.code(), ErrorCode::Invalid);
        assert!(error.to_string().contains(says), "{error}");
    }
    let stock = rule(
        "Stock",
        RuleMeasure::StockAlerts,
        RuleCondition::Above,
        Decimal::ZERO,
    );
    for (definition, says) in [
        (
            RuleDefinition {
                stock_kind: Some("sunburn".into()),
                ..stock.clone()
            },
            "'sunburn' is no kind of stock alert",
        ),
        (
            RuleDefinition {
                condition: RuleCondition::Beyond,
                ..stock.clone()
            },
            "above or below",
        ),
        (
            RuleDefinition {
                within: Some(RuleWithin {
                    level: RuleLevel::Salesman,
                    key: sam.id,
                }),
                ..stock.clone()
            },
            "not to salesmen",
        ),
        (
            RuleDefinition {
                within: Some(RuleWithin {
                    level: RuleLevel::Branch,
                    key: sam.id,
                }),
                ..stock.clone()
            },
            "no branch",
        ),
    ] {
        let error = refused(&mut demo, &sven, definition);
        assert!(error.to_string().contains(says), "{error}");
    }
    assert_eq!(demo.outbox_len(), before, "nothing written");
    assert!(alert_rules::list(&demo.ledger, &sven).unwrap().is_empty());
}
