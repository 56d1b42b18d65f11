//! The home screen: each role's widgets within its scope, figures that are the
//! ledger's own sums (read independently, by SQL, and summed exactly here),
//! and a layout each user arranges for themselves.

use crate::support::{TestLedger, count, demo_months};
use rust_decimal::Decimal;
use salesplan_core::home::{self, Widget};
use salesplan_core::month::Month;
use salesplan_core::stock::alerts;
use salesplan_core::timestamp::Day;
use salesplan_core::{ErrorCode, Role};
use std::path::Path;
use std::str::FromStr;

/// The exact sum of `actual_sales.amount` where `condition` holds.
fn sold(path: &Path, condition: &str) -> Decimal {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut query = conn
        .prepare(&format!(
            "SELECT amount FROM actual_sales s WHERE {condition}"
        ))
        .unwrap();
    let amounts = query
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .map(|text| Decimal::from_str(&text.unwrap()).unwrap());
    amounts.sum()
}

/// The months from January of `month`'s year (the demo's fiscal year starts then) through `month`.
fn year_to(month: Month) -> String {
    let months: Vec<String> = Month::new(month.year(), 1)
        .range(usize::from(month.number()))
        .iter()
        .map(|m| format!("'{m}'"))
        .collect();
    format!("s.period IN ({})", months.join(", "))
}

#[test]
fn each_role_opens_on_the_widgets_its_work_needs() {
    let mut demo = TestLedger::demo();
    for (username, layout, not_available) in [
        (
            "admin",
            vec![
                Widget::Sales,
                Widget::Insights,
                Widget::Landing,
                Widget::Approvals,
                Widget::Stock,
                Widget::Trend,
                Widget::Movers,
                Widget::Accuracy,
            ],
            vec![],
        ),
        (
            "sam",
            vec![
                Widget::Sales,
                Widget::Insights,
                Widget::Landing,
                Widget::Trend,
                Widget::Movers,
                Widget::Accuracy,
            ],
            vec![Widget::Approvals, Widget::Stock],
        ),
        (
            "maria",
            vec![
                Widget::Approvals,
                Widget::Accuracy,
                Widget::Sales,
                Widget::Insights,
                Widget::Landing,
                Widget::Trend,
                Widget::Movers,
            ],
            vec![Widget::Stock],
        ),
        (
            "sven",
            vec![
                Widget::Stock,
                Widget::Accuracy,
                Widget::Insights,
                Widget::Trend,
                Widget::Movers,
            ],
            vec![Widget::Approvals],
        ),
        (
            "bella",
            vec![
                Widget::Sales,
                Widget::Approvals,
                Widget::Stock,
                Widget::Insights,
                Widget::Landing,
                Widget::Trend,
                Widget::Movers,
            ],
            vec![],
        ),
    ] {
        let actor = demo.user(username);
        let home = home::home(&mut demo.ledger, &actor).unwrap();
        assert_eq!(home.layout, layout, "{username}");
        assert!(!home.arranged);
        assert!(home.problems.is_empty(), "{username}: {:?}", home.problems);
        for widget in not_available {
            assert!(
                !home.available.iter().any(|pin| pin.widget == widget),
                "{username}: {widget:?}"
            );
        }
        // Every widget shown has its figures; one not shown has none.
        assert_eq!(
            home.sales.is_some(),
            layout.contains(&Widget::Sales),
            "{username}"
        );
        assert_eq!(
            home.trend.is_some(),
            layout.contains(&Widget::Trend),
            "{username}"
        );
        assert_eq!(
            home.movers.is_some(),
            layout.contains(&Widget::Movers),
            "{username}"
        );
        assert_eq!(
            home.landing.is_some(),
            layout.contains(&Widget::Landing),
            "{username}"
        );
        assert_eq!(
            home.approvals.is_some(),
            layout.contains(&Widget::Approvals),
            "{username}"
        );
        assert_eq!(
            home.stock.is_some(),
            layout.contains(&Widget::Stock),
            "{username}"
        );
        assert_eq!(
            home.accuracy.is_some(),
            layout.contains(&Widget::Accuracy),
            "{username}"
        );
        let insights = home.insights.expect("every role reads insights");
        assert!(!insights.is_empty() && insights.len() <= 5, "{username}");
    }
}

#[test]
fn the_sales_figures_are_the_ledgers_own_sums_within_scope() {
    let mut demo = TestLedger::demo();
    let path = demo.path();
    let (_, last) = demo_months();
    let last_year = last.plus(-12);

    let admin = demo.user("admin");
    let home = home::home(&mut demo.ledger, &admin).unwrap();
    let sales = home.sales.unwrap();
    assert_eq!(sales.month, last, "the latest month with sales");
    assert_eq!(sales.fiscal_year, last.year());
    assert_eq!(sales.month_in_progress, None);
    assert_eq!(sales.scope_label, "Company");
    let month = &sales.month_to_date;
    assert_eq!(month.actual, sold(&path, &format!("s.period = '{last}'")));
    assert_eq!(
        month.last_year,
        sold(&path, &format!("s.period = '{last_year}'"))
    );
    let ytd = &sales.year_to_date;
    assert_eq!(ytd.actual, sold(&path, &year_to(last)));
    assert_eq!(ytd.last_year, sold(&path, &year_to(last_year)));
    let change = (ytd.actual - ytd.last_year) / ytd.last_year * Decimal::from(100);
    assert_eq!(ytd.change_percent, Some(change.round_dp(1)));

    // The budget is the approved plan's lines, and the variance the variance screen's.
    let budget: Decimal = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut query = conn
            .prepare(&format!(
                "SELECT l.amount FROM budget_lines l JOIN budgets b ON b.id = l.budget_id
                 WHERE b.status IN ('approved', 'locked') AND b.scenario = 'Base' AND b.owner_kind = 'salesman'
                   AND b.fiscal_year = {} AND {}",
                last.year(),
                year_to(last).replace("s.period", "l.period")
            ))
            .unwrap();
        query
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap()
            .map(|text| Decimal::from_str(&text.unwrap()).unwrap())
            .sum()
    };
    assert!(budget > Decimal::ZERO, "the demo plans its year");
    assert_eq!(ytd.budget, Some(budget));
    let report = demo.variance_through(&admin, last);
    assert_eq!(ytd.variance, report.total.year_to_date.variance);
    assert_eq!(
        ytd.variance_percent,
        report.total.year_to_date.variance_percent
    );
    assert_eq!(sales.plan, report.plan);

    // The trend: this year's months up to the latest, last year's whole year.
    let trend = home.trend.unwrap();
    assert_eq!(trend.len(), 12);
    let through = usize::from(last.number());
    assert!(trend[..through].iter().all(|month| month.actual.is_some()));
    assert!(trend[through..].iter().all(|month| month.actual.is_none()));
    let shown: Decimal = trend.iter().filter_map(|month| month.actual).sum();
    assert_eq!(shown, ytd.actual);
    let whole_last_year: Decimal = trend.iter().map(|month| month.last_year).sum();
    assert_eq!(
        whole_last_year,
        sold(
            &path,
            &format!(
                "s.period BETWEEN '{}-01' AND '{}-12'",
                last.year() - 1,
                last.year() - 1
            )
        )
    );

    // Movers: each product's year to date against the same months of last year, biggest first.
    let movers = home.movers.unwrap();
    let rising = &movers.products.rising;
    assert!(!rising.is_empty() && rising.len() <= 5);
    assert!(
        rising
            .windows(2)
            .all(|pair| pair[0].change >= pair[1].change)
    );
    assert!(
        movers
            .products
            .falling
            .windows(2)
            .all(|pair| pair[0].change <= pair[1].change)
    );
    assert!(
        movers
            .products
            .falling
            .iter()
            .all(|mover| mover.change < Decimal::ZERO)
    );
    let top = &rising[0];
    let of_product = format!("s.product_id = '{}' AND ", top.key);
    assert_eq!(
        top.actual,
        sold(&path, &format!("{of_product}{}", year_to(last)))
    );
    assert_eq!(
        top.last_year,
        sold(&path, &format!("{of_product}{}", year_to(last_year)))
    );
    assert_eq!(top.change, top.actual - top.last_year);
    assert!(movers.people.is_some(), "the administrator sees people");

    // A salesman's home holds his own sales only, and no ranking of people.
    let sam = demo.user("sam");
    let home = home::home(&mut demo.ledger, &sam).unwrap();
    let sales = home.sales.unwrap();
    assert_eq!(sales.scope_label, sam.display_name);
    let his = format!("s.salesman_id = '{}' AND ", sam.id);
    assert_eq!(
        sales.year_to_date.actual,
        sold(&path, &format!("{his}{}", year_to(last)))
    );
    assert_eq!(
        sales.month_to_date.last_year,
        sold(&path, &format!("{his}s.period = '{last_year}'"))
    );
    assert!(
        sales.year_to_date.budget.is_some(),
        "sam's plan is approved"
    );
    assert_eq!(home.movers.unwrap().people, None);

    // A branch manager's: her branch's.
    let bella = demo.user("bella");
    let home = home::home(&mut demo.ledger, &bella).unwrap();
    let branch = format!("s.location_id = '{}' AND ", bella.location_id.unwrap());
    assert_eq!(
        home.sales.unwrap().year_to_date.actual,
        sold(&path, &format!("{branch}{}", year_to(last)))
    );
}

#[test]
fn a_month_still_running_compares_with_last_year_and_the_budget_pro_rata() {
    let mut demo = TestLedger::demo();
    let (_, last) = demo_months();
    let admin = demo.user("admin");
    let whole = home::home(&mut demo.ledger, &admin).unwrap().sales.unwrap();
    let tenth = Day::new(last.year(), last.number(), 10).unwrap();
    let running = home::home_on(&mut demo.ledger, &admin, tenth, home::Refresh::IfStale)
        .unwrap()
        .sales
        .unwrap();
    let days = Decimal::from(Day::days_in(last));
    let progress = running.month_in_progress.unwrap();
    assert_eq!((progress.day, Decimal::from(progress.days)), (10, days));
    let pro_rata = |value: Decimal| (value * Decimal::from(10) / days).round_dp(2);
    assert_eq!(running.month_to_date.actual, whole.month_to_date.actual);
    assert_eq!(
        running.month_to_date.last_year,
        pro_rata(whole.month_to_date.last_year)
    );
    assert_eq!(
        running.month_to_date.budget,
        whole.month_to_date.budget.map(pro_rata)
    );
    // The months before count whole.
    let before = whole.year_to_date.budget.unwrap() - whole.month_to_date.budget.unwrap();
    let expected = before + pro_rata(whole.month_to_date.budget.unwrap());
    let difference = (running.year_to_date.budget.unwrap() - expected).abs();
    assert!(difference <= Decimal::new(1, 2), "{difference}");
}

#[test]
fn approvals_and_stock_are_the_inbox_and_the_alerts() {
    let mut demo = TestLedger::demo();
    let maria = demo.user("maria");
    let home = home::home(&mut demo.ledger, &maria).unwrap();
    let waiting = home.approvals.unwrap();
    let inbox = salesplan_core::budgets::inbox(&demo.ledger, &maria).unwrap();
    assert!(
        !waiting.is_empty(),
        "the demo's next-year round waits for maria"
    );
    assert_eq!(waiting, inbox);

    let sven = demo.user("sven");
    let home = home::home(&mut demo.ledger, &sven).unwrap();
    let stock = home.stock.unwrap();
    let all = alerts::alerts(&demo.ledger, &sven).unwrap();
    assert_eq!(
        stock.by_kind.iter().map(|kind| kind.count).sum::<usize>(),
        all.len()
    );
    assert_eq!(stock.unread, all.iter().filter(|alert| !alert.read).count());
    assert!(stock.newest.len() <= 5 && !stock.newest.is_empty());
    let accuracy = home.accuracy.unwrap();
    assert!(
        accuracy.total.points > 0,
        "the demo has closed months to score"
    );
    assert!(accuracy.total.wape.is_some());
}

#[test]
fn each_user_arranges_their_own_home_and_a_widget_needs_its_right() {
    let mut demo = TestLedger::demo();
    let sam = demo.user("sam");
    let admin = demo.user("admin");
    let home = home::arrange(&mut demo.ledger, &sam, vec![Widget::Trend, Widget::Sales]).unwrap();
    assert_eq!(home.layout, vec![Widget::Trend, Widget::Sales]);
    assert!(home.arranged);
    assert!(home.landing.is_none(), "a widget removed is not worked out");
    let again = home::home(&mut demo.ledger, &sam).unwrap();
    assert_eq!(again.layout, vec![Widget::Trend, Widget::Sales]);
    assert!(
        !home::home(&mut demo.ledger, &admin).unwrap().arranged,
        "the layout is sam's"
    );
    assert_eq!(
        count(
            &demo.path(),
            "SELECT count(*) FROM outbox WHERE entity = 'home_layout'"
        ),
        1,
        "the change is recorded"
    );

    // Refused, with nothing written: a widget his role has no right to, a widget twice.
    let before = demo.outbox_len();
    let error = home::arrange(&mut demo.ledger, &sam, vec![Widget::Stock]).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Invalid);
    assert!(error.to_string().contains("stock"), "{error}");
    let error =
        home::arrange(&mut demo.ledger, &sam, vec![Widget::Sales, Widget::Sales]).unwrap_err();
    assert!(error.to_string().contains("twice"), "{error}");
    assert_eq!(demo.outbox_len(), before);
    assert_eq!(
        home::home(&mut demo.ledger, &sam).unwrap().layout,
        vec![Widget::Trend, Widget::Sales]
    );

    // Everything removed is a home with nothing on it, not the default.
    assert!(
        home::arrange(&mut demo.ledger, &sam, vec![])
            .unwrap()
            .layout
            .is_empty()
    );
    let reset = home::reset(&mut demo.ledger, &sam).unwrap();
    assert!(!reset.arranged);
    assert_eq!(
        reset.layout,
        home::home(&mut demo.ledger, &sam).unwrap().layout
    );
    assert_eq!(reset.layout[0], Widget::Sales);
    assert_eq!(sam.role, Role::Salesman);
}

/// A sale of `quantity` of a product by sam in `period`, big enough to move the rankings.
#[test]
fn the_digest_is_kept_until_the_ledger_changes_and_shown_as_out_of_date_until_worked_out_again() {
    let mut demo = TestLedger::demo();
    let admin = demo.user("admin");
    let first = home::home(&mut demo.ledger, &admin).unwrap();
    let stamp = first
        .digest
        .expect("the administrator's home shows movers and insights");
    assert!(stamp.current);
    assert!(first.movers.is_some() && first.insights.is_some() && first.accuracy.is_some());

    // Opened again: the kept digest, not worked out again; arranging the
    // home changes no figure, so it stays current.
    let again = home::home(&mut demo.ledger, &admin).unwrap();
    assert_eq!(again.digest, Some(stamp));
    assert_eq!(
        (&again.movers, &again.insights),
        (&first.movers, &first.insights)
    );
    home::arrange(&mut demo.ledger, &admin, first.layout.clone()).unwrap();
    assert_eq!(
        home::home(&mut demo.ledger, &admin).unwrap().digest,
        Some(stamp)
    );

    // A sale that makes DRY-010 the top riser: at once, the kept digest,
    // out of date; worked out again, the new ranking.
    let month = first.sales.as_ref().unwrap().month;
    let sale = demo.sale_by_sam("DRY-010", month, 1_000_000);
    let product = sale.product_id;
    salesplan_core::sales::post(&mut demo.ledger, &admin, vec![sale]).unwrap();
    let today = Day::today();
    let at_once = home::home_on(&mut demo.ledger, &admin, today, home::Refresh::IfMissing).unwrap();
    let kept = at_once.digest.unwrap();
    assert_eq!(kept.computed_at, stamp.computed_at);
    assert!(!kept.current, "the ledger changed since");
    assert_eq!(at_once.movers, first.movers);
    let rising = |home: &home::Home| home.movers.as_ref().unwrap().products.rising[0].key;
    assert_ne!(rising(&at_once), product);
    let current = home::home_on(&mut demo.ledger, &admin, today, home::Refresh::IfStale).unwrap();
    assert!(current.digest.unwrap().current);
    assert!(current.digest.unwrap().computed_at >= stamp.computed_at);
    assert_eq!(rising(&current), product);
    // The sales figures are never kept: they read the sale at once.
    assert!(at_once.sales.unwrap().month_to_date.actual >= Decimal::from(10_000_000));

    // Another day: shown as out of date until worked out again.
    let tomorrow = Day::new(2099, 1, 1).unwrap();
    let next_day =
        home::home_on(&mut demo.ledger, &admin, tomorrow, home::Refresh::IfMissing).unwrap();
    assert!(!next_day.digest.unwrap().current);
    let worked_out =
        home::home_on(&mut demo.ledger, &admin, tomorrow, home::Refresh::IfStale).unwrap();
    assert!(worked_out.digest.unwrap().current);
}

#[test]
fn a_digest_is_never_shown_in_another_scope_nor_when_it_does_not_parse() {
    let mut demo = TestLedger::demo();
    let bella = demo.user("bella");
    let today = Day::today();
    let north = home::home(&mut demo.ledger, &bella).unwrap();
    assert!(north.digest.unwrap().current);

    // Bella moved to another branch (as the administrator's change would
    // sign her in next time): her kept digest is the north's, never shown.
    let south = demo.user("stefan").location_id;
    assert_ne!(south, bella.location_id);
    let moved = salesplan_core::Actor {
        location_id: south,
        ..bella.clone()
    };
    let shown = home::home_on(&mut demo.ledger, &moved, today, home::Refresh::IfMissing).unwrap();
    let fresh = home::home_on(&mut demo.ledger, &moved, today, home::Refresh::Now).unwrap();
    assert!(
        shown.digest.unwrap().current,
        "worked out for her new scope"
    );
    assert_eq!(shown.movers, fresh.movers);
    assert_eq!(shown.insights, fresh.insights);
    assert_ne!(
        shown.movers, north.movers,
        "the south's movers, not the north's"
    );

    // A digest a later version wrote (or a damaged one) is worked out again.
    let conn = rusqlite::Connection::open(demo.path()).unwrap();
    conn.execute(
        "UPDATE home_digests SET figures = '{\"widgets\": 7}' WHERE user_id = ?1",
        [bella.id.to_string()],
    )
    .unwrap();
    drop(conn);
    let again = home::home_on(&mut demo.ledger, &moved, today, home::Refresh::IfMissing).unwrap();
    assert!(again.digest.unwrap().current);
    assert_eq!(again.movers, fresh.movers);
}

#[test]
fn a_saved_report_pinned_to_the_home_runs_in_its_readers_scope_and_goes_when_the_report_does() {
    use salesplan_core::reports::saved;
    let mut demo = TestLedger::demo();
    let bella = demo.user("bella");
    let maria = demo.user("maria");
    let admin = demo.user("admin");
    let shared = saved::find(&demo.ledger, &bella, "Sales by branch against last year").unwrap();

    // Bella pins a shared report: it comes last, run in her branch alone.
    let home = home::pin(
        &mut demo.ledger,
        &bella,
        "Sales by branch against last year",
    )
    .unwrap();
    assert_eq!(home.layout.last(), Some(&Widget::Report(shared.id)));
    assert!(home.arranged);
    let pinned = &home.reports[0];
    assert_eq!(pinned.id, shared.id);
    assert_eq!(
        pinned.result,
        saved::run_saved(&demo.ledger, &bella, &shared.id.to_string()).unwrap()
    );
    assert_eq!(
        pinned.result.rows.len(),
        1,
        "her branch alone, not the company's"
    );
    let mine = home
        .available
        .iter()
        .find(|pin| pin.widget == Widget::Report(shared.id))
        .unwrap();
    assert_eq!(
        mine.name.as_deref(),
        Some("Sales by branch against last year")
    );
    // Pinned again, it stays once; kept in the digest like the other slow figures.
    let again = home::pin(&mut demo.ledger, &bella, &shared.id.to_string()).unwrap();
    assert_eq!(again.layout, home.layout);
    assert_eq!(again.digest, home.digest);

    // What she may not run is refused, with nothing written: another's own report.
    let before = demo.outbox_len();
    let error = home::pin(&mut demo.ledger, &bella, "Margin by category").unwrap_err();
    assert_eq!(error.code(), ErrorCode::NotFound, "{error}");
    let error = home::arrange(
        &mut demo.ledger,
        &bella,
        vec![Widget::Report(uuid::Uuid::now_v7())],
    )
    .unwrap_err();
    assert!(error.to_string().contains("saved report"), "{error}");
    assert_eq!(demo.outbox_len(), before);

    // Maria pins her own report and deletes it: it leaves her home, and
    // bella's pin goes when the administrator's report does.
    home::pin(&mut demo.ledger, &maria, "Top products against budget").unwrap();
    saved::delete(&mut demo.ledger, &maria, "Top products against budget").unwrap();
    let hers = home::home(&mut demo.ledger, &maria).unwrap();
    assert!(
        hers.layout
            .iter()
            .all(|widget| !matches!(widget, Widget::Report(_)))
    );
    assert!(hers.reports.is_empty());
    saved::delete(&mut demo.ledger, &admin, &shared.id.to_string()).unwrap();
    let after = home::home(&mut demo.ledger, &bella).unwrap();
    assert!(!after.layout.contains(&Widget::Report(shared.id)));
    assert!(after.problems.is_empty(), "{:?}", after.problems);
}
