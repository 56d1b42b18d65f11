//! The role matrix: every command × every role, run for real against the demo
//! ledger. Zero unauthorised successes, and no authorised refusal.
//! Command names are those of the desktop shell's IPC commands (and CLI verbs).

use crate::support::{TestLedger, at, month, open_day, open_month, year_after};
use rust_decimal::Decimal;
use salesplan_core::alert_centre;
use salesplan_core::alert_rules;
use salesplan_core::audit::{self, AuditFilter};
use salesplan_core::budgets::distribute::{self, Distribution, Shares};
use salesplan_core::budgets::expenses::{self, NewExpense, NewSpending, Receipt};
use salesplan_core::budgets::templates::{self, NewTemplate};
use salesplan_core::budgets::variance::{self, DrillStep, VarianceLevel, VarianceQuery};
use salesplan_core::budgets::{
    self, LineEdit, NewBudget, OwnerKind, OwnerRef, SpreadMeasure, SpreadProfile, SpreadRequest,
    Transition,
};
use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::exports::{self, ExportWhat};
use salesplan_core::forecast::{
    self, AccuracyQuery, ForecastQuery, NewOverride, OverrideKind, RunRequest,
};
use salesplan_core::home;
use salesplan_core::imports::mappings;
use salesplan_core::imports::{
    self, Accept, ImportKind, ImportRequest, MemoryTable, Silent, Source,
};
use salesplan_core::month::Month;
use salesplan_core::purchasing::{self, NewLine, NewOrder};
use salesplan_core::reference::{
    self, Department, Location, Product, ReferenceItem, ReferenceKind, Supplier,
};
use salesplan_core::reports::{self, saved as saved_reports};
use salesplan_core::sales::{self, NewSale};
use salesplan_core::settings::{self, CompanySettings};
use salesplan_core::stock::alerts;
use salesplan_core::stock::policy::{self, NewPolicyOverride};
use salesplan_core::stock::{self, NewAdjustment, NewCount};
use salesplan_core::suppliers;
use salesplan_core::transfers::{
    self, NewTransfer, NewTransferLine, ReleaseLine, ReplenishRequest,
};
use salesplan_core::users::{self, NewUser, UserProfile};
use salesplan_core::watch::{self, NewWatchedFolder, Outcome, Seen};
use salesplan_core::{Actor, ErrorCode, Result, Role};

/// Prepares the ledger before the count of change records starts (e.g. a budget to act on).
type Setup = fn(&mut TestLedger) -> Option<uuid::Uuid>;
type Command = fn(&mut TestLedger, &Actor, Option<uuid::Uuid>) -> Result<()>;

const NOTHING: Setup = |_| None;
const DRAFT: Setup = |d| Some(sams_budget(d, &[]));
const SUBMITTED: Setup = |d| Some(sams_budget(d, &[Transition::Submit]));
const APPROVED: Setup = |d| Some(sams_budget(d, &[Transition::Submit, Transition::Approve]));
/// A draft budget of sam's with a travel expense line; hands on the line's id.
const EXPENSE: Setup = |d| {
    let budget = sams_budget(d, &[]);
    let admin = admin_of(d);
    let travel =
        reference::find::<salesplan_core::reference::BudgetCategory>(&d.ledger, &admin, "TRV")
            .unwrap();
    let line = NewExpense {
        category_id: travel.id,
        description: String::new(),
        allocated: Decimal::from(500),
    };
    Some(
        expenses::add(&mut d.ledger, &admin, budget, line)
            .unwrap()
            .id,
    )
};

/// A draft budget of sam's with a line, saved by the administrator as a template; hands on the template.
const TEMPLATE: Setup = |d| {
    let budget = FILLED(d).unwrap();
    let admin = admin_of(d);
    let template = NewTemplate {
        name: "Admin's".into(),
        from_budget: budget,
        seasonality: None,
    };
    Some(templates::save(&mut d.ledger, &admin, template).unwrap().id)
};
/// A draft budget of sam's with a line (10 units of milk in May).
const FILLED: Setup = |d| {
    let budget = sams_budget(d, &[]);
    let admin = admin_of(d);
    let line = milk_line(d);
    budgets::set_line(&mut d.ledger, &admin, budget, line).unwrap();
    Some(budget)
};
/// A spending with a receipt on sam's travel line; hands on the spending.
const RECEIPT: Setup = |d| {
    let expense_id = EXPENSE(d).unwrap();
    let admin = admin_of(d);
    let spent = NewSpending {
        expense_id,
        spent_on: format!("{}-01-05", year_after(5)),
        amount: Decimal::TEN,
        receipt: Some(Receipt {
            name: "taxi.pdf".into(),
            bytes: b"%PDF".to_vec(),
        }),
        ..NewSpending::default()
    };
    Some(expenses::spend(&mut d.ledger, &admin, spent).unwrap().id)
};

/// A one-sale file for sam at North Branch: inside sam's own, maria's department and bella's branch.
fn sams_sale_file() -> MemoryTable {
    let day = open_day();
    let rows = [
        ["Date", "SKU", "Branch", "Salesman", "Quantity"],
        [day.as_str(), "HOU-020", "BR-N", "sam", "3"],
    ];
    MemoryTable::new(
        "sale.csv",
        rows.iter()
            .map(|row| row.map(String::from).to_vec())
            .collect(),
    )
}

/// Sam's budget as an export (of another ledger copy) with ten of milk in May, edited.
fn sams_budget_file(budget_id: uuid::Uuid) -> MemoryTable {
    let may = format!("{}-05", year_after(5));
    let rows = [["SKU", may.as_str()], ["DRY-010", "10"]];
    MemoryTable::new(
        "budget.xlsx",
        rows.iter()
            .map(|row| row.map(String::from).to_vec())
            .collect(),
    )
    .with_stamp(salesplan_core::exports::stamp::Stamp {
        budget_id,
        export_id: uuid::Uuid::now_v7(),
        exported_at: at("2026-01-01"),
        label: "Sam's budget".into(),
    })
}

fn import_request(table: &MemoryTable) -> ImportRequest {
    ImportRequest {
        kind: ImportKind::Actuals,
        mapping: imports::suggest(ImportKind::Actuals, &table.info().headers),
        decimal_separator: Default::default(),
        date_order: Default::default(),
        budget_id: None,
        force: false,
    }
}

/// The administrator imported sam's sale; hands on the import.
const IMPORTED: Setup = |d| {
    let table = sams_sale_file();
    let admin = admin_of(d);
    let outcome = imports::commit(
        &mut d.ledger,
        &admin,
        &table,
        &import_request(&table),
        Accept::AllOrNothing,
        &Silent,
    );
    Some(outcome.unwrap().import.id)
};

/// The administrator watches a folder; hands on the folder.
const WATCHED: Setup = |d| {
    let admin = admin_of(d);
    let folder = NewWatchedFolder {
        path: std::env::temp_dir().display().to_string(),
        pattern: "*.csv".into(),
        kind: ImportKind::Actuals,
        mapping_name: None,
    };
    Some(watch::add_folder(&mut d.ledger, &admin, folder).unwrap().id)
};

/// The administrator's report, shared with everyone; hands on its id.
const SHARED_REPORT: Setup = |d| {
    let admin = admin_of(d);
    let report = saved_reports::ReportToSave {
        id: None,
        name: "Sales by branch".into(),
        definition: report_of(&[reports::Measure::SalesAmount]),
        shared: true,
    };
    Some(
        saved_reports::save(&mut d.ledger, &admin, report)
            .unwrap()
            .id,
    )
};

/// An alert for the administrator (a watched file that failed); hands on the alert.
const ALERT: Setup = |d| {
    let folder_id = WATCHED(d).unwrap();
    let admin = admin_of(d);
    let seen = Seen {
        folder_id,
        file_name: "day.csv".into(),
        content_hash: "00".into(),
        outcome: Outcome::Failed,
        import_id: None,
        message: "bad".into(),
    };
    // Only the folder's owner records what was seen in it (and gets its alerts).
    let sam = d.user("sam");
    let error = watch::record_seen(&mut d.ledger, &sam, &seen).unwrap_err();
    assert_eq!(
        error.code(),
        salesplan_core::ErrorCode::Forbidden,
        "{error}"
    );
    assert!(watch::alerts(&d.ledger, &sam).unwrap().is_empty());
    watch::record_seen(&mut d.ledger, &admin, &seen).unwrap();
    Some(watch::alerts(&d.ledger, &admin).unwrap()[0].id)
};

/// One demo user per role, in the column order of the matrix.
const ROLES: [(Role, &str); 5] = [
    (Role::Administrator, "admin"),
    (Role::Salesman, "sam"),
    (Role::Manager, "maria"),
    (Role::SupplyChain, "sven"),
    (Role::BranchManager, "bella"),
];

/// Overrides the reorder point of the soap at bella's branch.
fn override_bellas_soap(d: &mut TestLedger, actor: &Actor) -> Result<()> {
    let (location_id, product_id) = bellas_soap(d);
    let new = NewPolicyOverride {
        location_id,
        product_id,
        reorder_point: Some(Decimal::from(30)),
        order_quantity: None,
        reason: "spring cleaning promotion".into(),
    };
    policy::set_override(&mut d.ledger, actor, new, None).map(drop)
}

fn admin_of(demo: &TestLedger) -> Actor {
    demo.user("admin")
}

/// A new order for bella's branch of the water its supplier sells, as the administrator makes it.
fn bellas_water_order(demo: &TestLedger) -> NewOrder {
    let admin = admin_of(demo);
    let (branch, _) = bellas_soap(demo);
    let supplier = reference::find::<Supplier>(&demo.ledger, &admin, "SUP-BEV").unwrap();
    let water = reference::find::<Product>(&demo.ledger, &admin, "BEV-010").unwrap();
    let terms = suppliers::products(
        &demo.ledger,
        &admin,
        Some(supplier.id),
        Some(water.id),
        false,
    )
    .unwrap()
    .remove(0)
    .terms;
    NewOrder {
        supplier_id: supplier.id,
        location_id: branch,
        note: String::new(),
        lines: vec![NewLine {
            product_id: water.id,
            quantity: (terms.min_order.max(terms.pack_size) / terms.pack_size).ceil()
                * terms.pack_size,
            unit_cost: None,
            expected_on: None,
        }],
    }
}

/// A draft order for bella's branch; hands on its id.
const DRAFT_ORDER: Setup = |d| {
    let (order, admin) = (bellas_water_order(d), admin_of(d));
    Some(purchasing::create(&mut d.ledger, &admin, order).unwrap().id)
};
/// The same order, sent.
const SENT_ORDER: Setup = |d| {
    let (id, admin) = (DRAFT_ORDER(d).unwrap(), admin_of(d));
    Some(purchasing::send(&mut d.ledger, &admin, id).unwrap().id)
};

/// Soap asked from the warehouse for bella's branch (by the administrator).
fn bellas_soap_transfer(d: &TestLedger) -> NewTransfer {
    let admin = admin_of(d);
    let (north, soap) = bellas_soap(d);
    NewTransfer {
        from_location_id: reference::find::<Location>(&d.ledger, &admin, "WH-1")
            .unwrap()
            .id,
        to_location_id: north,
        note: String::new(),
        lines: vec![NewTransferLine {
            product_id: soap,
            quantity: Decimal::from(6),
        }],
    }
}
const REQUESTED_TRANSFER: Setup = |d| {
    let (new, admin) = (bellas_soap_transfer(d), admin_of(d));
    Some(transfers::request(&mut d.ledger, &admin, new).unwrap().id)
};
const APPROVED_TRANSFER: Setup = |d| {
    let (id, admin) = (REQUESTED_TRANSFER(d).unwrap(), admin_of(d));
    Some(transfers::approve(&mut d.ledger, &admin, id).unwrap().id)
};
const SHIPPED_TRANSFER: Setup = |d| {
    let (id, admin) = (APPROVED_TRANSFER(d).unwrap(), admin_of(d));
    Some(transfers::ship(&mut d.ledger, &admin, id, &[]).unwrap().id)
};

fn sale_by(demo: &TestLedger, salesman: &str) -> NewSale {
    let admin = admin_of(demo);
    let seller = users::find(&demo.ledger, &admin, salesman).unwrap();
    let product = reference::find::<Product>(&demo.ledger, &admin, "HOU-020").unwrap();
    NewSale {
        period: open_month(),
        product_id: product.id,
        location_id: seller.profile.location_id.unwrap(),
        salesman_id: Some(seller.id),
        customer_id: None,
        quantity: Decimal::ONE,
        unit_price: Decimal::new(349, 2),
    }
}

/// A budget of sam's for a year ahead, made by the administrator, optionally taken through workflow steps
/// by whoever may (sam submits, maria approves).
fn sams_budget(demo: &mut TestLedger, steps: &[Transition]) -> uuid::Uuid {
    let admin = admin_of(demo);
    let sam = demo.user("sam");
    let owner = OwnerRef {
        kind: OwnerKind::Salesman,
        id: sam.id,
    };
    let new_budget = NewBudget {
        fiscal_year: year_after(5),
        scenario: "Base".into(),
        owner,
        from_last_year_percent: None,
        template_id: None,
    };
    let id = budgets::create(&mut demo.ledger, &admin, new_budget)
        .unwrap()
        .budget
        .id;
    let maria = demo.user("maria");
    for step in steps {
        let by = if *step == Transition::Submit {
            &sam
        } else {
            &maria
        };
        budgets::transition(&mut demo.ledger, by, id, *step, "").unwrap();
    }
    id
}

fn milk_line(demo: &TestLedger) -> LineEdit {
    let product = reference::find::<Product>(&demo.ledger, &admin_of(demo), "DRY-010").unwrap();
    LineEdit {
        quantity: Some(Decimal::TEN),
        ..LineEdit::new(product.id, month(&format!("{}-05", year_after(5))))
    }
}

//                                                                 admin  salesman manager supply branch-mgr
const MATRIX: &[(&str, Setup, Command, [bool; 5])] = &[
    (
        "reference_list",
        NOTHING,
        |d, a, _| reference::list_kind(&d.ledger, a, ReferenceKind::Product, false).map(drop),
        [true, true, true, true, true],
    ),
    (
        "reference_create",
        NOTHING,
        |d, a, _| {
            let item = ReferenceItem::Department(Department {
                code: "MKT".into(),
                name: "Marketing".into(),
            });
            reference::create_item(&mut d.ledger, a, item).map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "reference_update",
        NOTHING,
        |d, a, _| {
            let product = reference::find::<Product>(&d.ledger, &admin_of(d), "BEV-010").unwrap();
            let item = ReferenceItem::Product(Product {
                name: "Sparkling Water 1L (glass)".into(),
                ..product.fields
            });
            reference::update_item(&mut d.ledger, a, product.id, Some(product.version), item)
                .map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "reference_set_archived",
        NOTHING,
        |d, a, _| {
            let product = reference::find::<Product>(&d.ledger, &admin_of(d), "BEV-070").unwrap();
            reference::set_kind_archived(&mut d.ledger, a, ReferenceKind::Product, product.id, true)
                .map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "reference_create supplier",
        NOTHING,
        |d, a, _| {
            let item = ReferenceItem::Supplier(Supplier {
                code: "SUP-NEW".into(),
                name: "New Supplier".into(),
                contact: String::new(),
                currency: "EUR".into(),
                lead_time_days: 12,
                lead_time_sd_days: Decimal::ONE,
                order_cost: Decimal::TEN,
            });
            reference::create_item(&mut d.ledger, a, item).map(drop)
        },
        [true, false, false, true, false],
    ),
    (
        "reference_update supplier",
        NOTHING,
        |d, a, _| {
            let supplier = reference::find::<Supplier>(&d.ledger, &admin_of(d), "SUP-BEV").unwrap();
            let item = ReferenceItem::Supplier(Supplier {
                lead_time_days: 12,
                ..supplier.fields
            });
            reference::update_item(&mut d.ledger, a, supplier.id, Some(supplier.version), item)
                .map(drop)
        },
        [true, false, false, true, false],
    ),
    (
        "reference_set_archived supplier",
        NOTHING,
        |d, a, _| {
            let supplier = reference::find::<Supplier>(&d.ledger, &admin_of(d), "SUP-IMP").unwrap();
            reference::set_kind_archived(
                &mut d.ledger,
                a,
                ReferenceKind::Supplier,
                supplier.id,
                true,
            )
            .map(drop)
        },
        [true, false, false, true, false],
    ),
    (
        "settings_get",
        NOTHING,
        |d, a, _| settings::get(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "settings_update",
        NOTHING,
        |d, a, _| {
            let company = CompanySettings {
                company_name: "Lakeside Trading AG".into(),
                currency: "EUR".into(),
                fiscal_year_start_month: 4,
                sales_issue_stock: true,
                stock: Default::default(),
            };
            settings::update(&mut d.ledger, a, None, company).map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "users_list",
        NOTHING,
        |d, a, _| users::list(&d.ledger, a).map(drop),
        [true, false, false, false, false],
    ),
    (
        "users_find",
        NOTHING,
        |d, a, _| users::find(&d.ledger, a, "nina").map(drop),
        [true, false, false, false, false],
    ),
    (
        "users_find_self",
        NOTHING,
        |d, a, _| users::find(&d.ledger, a, &a.username).map(drop),
        [true, true, true, true, true],
    ),
    (
        "users_create",
        NOTHING,
        |d, a, _| {
            let new_user = NewUser {
                username: "sc2".into(),
                profile: UserProfile {
                    display_name: "Second Supply".into(),
                    role: Role::SupplyChain,
                    department_id: None,
                    location_id: None,
                },
                password: "supply-chain-2".into(),
            };
            users::create(&mut d.ledger, a, new_user).map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "users_update",
        NOTHING,
        |d, a, _| {
            let nina = users::find(&d.ledger, &admin_of(d), "nina").unwrap();
            let profile = UserProfile {
                display_name: "Nina H.".into(),
                ..nina.profile
            };
            users::update(&mut d.ledger, a, nina.id, None, profile).map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "users_set_active",
        NOTHING,
        |d, a, _| {
            let nina = users::find(&d.ledger, &admin_of(d), "nina").unwrap();
            users::set_active(&mut d.ledger, a, nina.id, false).map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "users_reset_password",
        NOTHING,
        |d, a, _| {
            let nina = users::find(&d.ledger, &admin_of(d), "nina").unwrap();
            users::reset_password(&mut d.ledger, a, nina.id, "fresh-password")
        },
        [true, false, false, false, false],
    ),
    (
        "password_change_own",
        NOTHING,
        |d, a, _| users::change_own_password(&mut d.ledger, a, DEMO_PASSWORD, "my-new-password"),
        [true, true, true, true, true],
    ),
    (
        "audit_list",
        NOTHING,
        |d, a, _| audit::list(&d.ledger, a, AuditFilter::default()).map(drop),
        [true, true, true, true, true],
    ),
    (
        "sales_overview",
        NOTHING,
        |d, a, _| sales::overview(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    // For sam: a retail salesman of North Branch, so inside maria's department and bella's branch.
    (
        "sales_post",
        NOTHING,
        |d, a, _| {
            let sale = sale_by(d, "sam");
            sales::post(&mut d.ledger, a, vec![sale]).map(drop)
        },
        [true, true, true, false, true],
    ),
    // nina: a wholesale salesman of North Branch: bella's branch, not sam's sales nor maria's department.
    (
        "sales_post_for_nina",
        NOTHING,
        |d, a, _| {
            let sale = sale_by(d, "nina");
            sales::post(&mut d.ledger, a, vec![sale]).map(drop)
        },
        [true, false, false, false, true],
    ),
    (
        "budgets_list",
        NOTHING,
        |d, a, _| budgets::list(&d.ledger, a, None).map(drop),
        [true, true, true, true, true],
    ),
    (
        "budgets_show",
        DRAFT,
        |d, a, id| {
            let id = id.unwrap();
            budgets::show(&d.ledger, a, id).map(drop)
        },
        [true, true, true, true, true],
    ),
    (
        "budgets_compare",
        DRAFT,
        |d, a, id| budgets::compare(&d.ledger, a, id.unwrap()).map(drop),
        [true, true, true, true, true],
    ),
    (
        "budgets_create",
        NOTHING,
        |d, a, _| {
            let sam = d.user("sam");
            let new_budget = NewBudget {
                fiscal_year: year_after(5),
                scenario: "Base".into(),
                owner: OwnerRef {
                    kind: OwnerKind::Salesman,
                    id: sam.id,
                },
                from_last_year_percent: Some(Decimal::ONE),
                template_id: None,
            };
            budgets::create(&mut d.ledger, a, new_budget).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "budgets_create_for_stefan",
        NOTHING,
        |d, a, _| {
            let stefan = d.user("stefan");
            let new_budget = NewBudget {
                fiscal_year: year_after(5),
                scenario: "Base".into(),
                owner: OwnerRef {
                    kind: OwnerKind::Salesman,
                    id: stefan.id,
                },
                from_last_year_percent: None,
                template_id: None,
            };
            budgets::create(&mut d.ledger, a, new_budget).map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "budgets_copy",
        DRAFT,
        |d, a, id| {
            let id = id.unwrap();
            budgets::copy(&mut d.ledger, a, id, "Stretch", None).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "budgets_set_line",
        DRAFT,
        |d, a, id| {
            let id = id.unwrap();
            let edit = milk_line(d);
            budgets::set_line(&mut d.ledger, a, id, edit).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "budgets_set_lines",
        DRAFT,
        |d, a, id| {
            let edits = vec![
                milk_line(d),
                LineEdit {
                    period: month(&format!("{}-06", year_after(5))),
                    ..milk_line(d)
                },
            ];
            budgets::set_lines(&mut d.ledger, a, id.unwrap(), edits).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "budgets_salesmen",
        NOTHING,
        |d, a, _| budgets::salesmen(&d.ledger, a).map(drop),
        [true, true, true, false, true],
    ),
    (
        "budgets_distribute",
        NOTHING,
        |d, a, _| {
            let north = reference::find::<salesplan_core::reference::Location>(
                &d.ledger,
                &admin_of(d),
                "BR-N",
            )
            .unwrap();
            let plan = Distribution {
                fiscal_year: year_after(5),
                scenario: "Top-down".into(),
                total: Decimal::from(1000),
                to: OwnerKind::Location,
                within_location: None,
                shares: Shares::Weights {
                    weights: vec![(north.id, Decimal::ONE)],
                },
            };
            distribute::apply(&mut d.ledger, a, plan).map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "expenses_add",
        DRAFT,
        |d, a, id| {
            let travel = reference::find::<salesplan_core::reference::BudgetCategory>(
                &d.ledger,
                &admin_of(d),
                "TRV",
            )
            .unwrap();
            let line = NewExpense {
                category_id: travel.id,
                description: "Fairs".into(),
                allocated: Decimal::from(900),
            };
            expenses::add(&mut d.ledger, a, id.unwrap(), line).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "expenses_spend",
        EXPENSE,
        |d, a, id| {
            let spent = NewSpending {
                expense_id: id.unwrap(),
                spent_on: format!("{}-02-02", year_after(5)),
                amount: Decimal::TEN,
                ..NewSpending::default()
            };
            expenses::spend(&mut d.ledger, a, spent).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "expenses_spendings",
        EXPENSE,
        |d, a, id| expenses::spendings(&d.ledger, a, id.unwrap()).map(drop),
        [true, true, true, true, true],
    ),
    (
        "expenses_save_receipt",
        RECEIPT,
        |d, a, id| {
            let folder = tempfile::tempdir().unwrap();
            expenses::save_receipt(&d.ledger, a, id.unwrap(), folder.path()).map(drop)
        },
        [true, true, true, true, true],
    ),
    (
        "templates_list",
        NOTHING,
        |d, a, _| templates::list(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "templates_save",
        FILLED,
        |d, a, id| {
            let template = NewTemplate {
                name: "Route".into(),
                from_budget: id.unwrap(),
                seasonality: None,
            };
            templates::save(&mut d.ledger, a, template).map(drop)
        },
        [true, true, true, false, true],
    ),
    // A template is its maker's, like a budget: its maker shares it, or
    // whoever may edit their budgets (the administrator's: only themselves).
    (
        "templates_share",
        TEMPLATE,
        |d, a, id| templates::share(&mut d.ledger, a, id.unwrap(), true).map(drop),
        [true, false, false, false, false],
    ),
    // Whoever saved a template may remove it, or someone who builds budgets company-wide.
    (
        "templates_delete",
        TEMPLATE,
        |d, a, id| templates::delete(&mut d.ledger, a, id.unwrap()),
        [true, false, false, false, false],
    ),
    (
        "imports_open",
        NOTHING,
        |_, a, _| {
            imports::start(a, ImportKind::Actuals, &sams_sale_file().info().headers).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "imports_preview",
        NOTHING,
        |d, a, _| {
            let table = sams_sale_file();
            imports::preview(&d.ledger, a, &table, &import_request(&table), &Silent).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "imports_commit",
        NOTHING,
        |d, a, _| {
            let table = sams_sale_file();
            let request = import_request(&table);
            imports::commit(
                &mut d.ledger,
                a,
                &table,
                &request,
                Accept::AllOrNothing,
                &Silent,
            )
            .map(drop)
        },
        [true, true, true, false, true],
    ),
    // A budget export edited in a spreadsheet goes back in by whoever may edit the budget.
    (
        "imports_budget_compare",
        DRAFT,
        |d, a, id| {
            let table = sams_budget_file(id.unwrap());
            imports::round_trip::compare(&d.ledger, a, &table).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "imports_budget_apply",
        DRAFT,
        |d, a, id| {
            let table = sams_budget_file(id.unwrap());
            imports::round_trip::apply(&mut d.ledger, a, &table, Accept::AllOrNothing).map(drop)
        },
        [true, true, true, false, true],
    ),
    // Everyone sees their own imports (administrators everyone's).
    (
        "imports_list",
        NOTHING,
        |d, a, _| imports::list(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "imports_reverse",
        IMPORTED,
        |d, a, id| imports::reverse(&mut d.ledger, a, id.unwrap()).map(drop),
        [true, false, false, false, false],
    ),
    (
        "import_mappings_list",
        NOTHING,
        |d, a, _| mappings::list(&d.ledger, a, ImportKind::Actuals).map(drop),
        [true, true, true, false, true],
    ),
    (
        "import_mappings_save",
        NOTHING,
        |d, a, _| {
            let mapping = imports::suggest(ImportKind::Actuals, &sams_sale_file().info().headers);
            mappings::save(&mut d.ledger, a, ImportKind::Actuals, "Till", &mapping).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "exports_save",
        NOTHING,
        |d, a, _| exports::table(&mut d.ledger, a, &ExportWhat::Users).map(drop),
        [true, false, false, false, false],
    ),
    (
        "watch_folders_add",
        NOTHING,
        |d, a, _| {
            let folder = NewWatchedFolder {
                path: std::env::temp_dir().display().to_string(),
                pattern: "*.csv".into(),
                kind: ImportKind::Actuals,
                mapping_name: None,
            };
            watch::add_folder(&mut d.ledger, a, folder).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "watch_folders_list",
        WATCHED,
        |d, a, _| watch::folders(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    // Whoever added a folder may remove it, or an administrator.
    (
        "watch_folders_remove",
        WATCHED,
        |d, a, id| watch::remove_folder(&mut d.ledger, a, id.unwrap()),
        [true, false, false, false, false],
    ),
    (
        "alerts_list",
        ALERT,
        |d, a, _| alert_centre::centre(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    // An alert is dismissed by the person it is for.
    (
        "alerts_dismiss",
        ALERT,
        |d, a, id| alert_centre::mark_read(&mut d.ledger, a, id.unwrap()),
        [true, false, false, false, false],
    ),
    // Everyone keeps their own alert rules, on what they may see.
    (
        "alert_rules_list",
        NOTHING,
        |d, a, _| alert_rules::list(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "alert_rules_add",
        NOTHING,
        |d, a, _| alert_rules::add(&mut d.ledger, a, sales_rule()).map(drop),
        [true, true, true, true, true],
    ),
    (
        "alert_rules_add_stock",
        NOTHING,
        |d, a, _| {
            let stock = alert_rules::RuleDefinition {
                measure: alert_rules::RuleMeasure::StockAlerts,
                ..sales_rule()
            };
            alert_rules::add(&mut d.ledger, a, stock).map(drop)
        },
        [true, false, false, true, true],
    ),
    (
        "alert_rules_remove",
        NOTHING,
        |d, a, _| {
            let rule = alert_rules::add(&mut d.ledger, a, sales_rule())?;
            alert_rules::remove(&mut d.ledger, a, rule.id)
        },
        [true, true, true, true, true],
    ),
    (
        "alert_rules_snooze",
        NOTHING,
        |d, a, _| {
            let rule = alert_rules::add(&mut d.ledger, a, sales_rule())?;
            alert_rules::snooze(&mut d.ledger, a, rule.id, None).map(drop)
        },
        [true, true, true, true, true],
    ),
    (
        "alert_rules_check",
        NOTHING,
        |d, a, _| {
            alert_rules::add(&mut d.ledger, a, sales_rule())?;
            alert_rules::check(&mut d.ledger, a).map(drop)
        },
        [true, true, true, true, true],
    ),
    // Everyone runs reports on what they may see, in their own scope; cost
    // prices (margins) are for those who see stock.
    (
        "report_run",
        NOTHING,
        |d, a, _| {
            reports::run(&d.ledger, a, &report_of(&[reports::Measure::SalesAmount])).map(drop)
        },
        [true, true, true, true, true],
    ),
    (
        "report_run_budget",
        NOTHING,
        |d, a, _| {
            let plan = [reports::Measure::Budget, reports::Measure::Variance];
            reports::run(&d.ledger, a, &report_of(&plan)).map(drop)
        },
        [true, true, true, true, true],
    ),
    (
        "report_run_margin",
        NOTHING,
        |d, a, _| reports::run(&d.ledger, a, &report_of(&[reports::Measure::Margin])).map(drop),
        [true, false, false, true, true],
    ),
    (
        "report_drill",
        NOTHING,
        |d, a, _| {
            let definition = report_of(&[reports::Measure::SalesAmount]);
            reports::drill::drill(&d.ledger, a, &definition, &[]).map(drop)
        },
        [true, true, true, true, true],
    ),
    // Everyone keeps their own reports; a shared one is run by all, changed by its owner.
    (
        "reports_list",
        SHARED_REPORT,
        |d, a, _| saved_reports::list(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "reports_save",
        NOTHING,
        |d, a, _| {
            let report = saved_reports::ReportToSave {
                id: None,
                name: "Mine".into(),
                definition: report_of(&[reports::Measure::SalesQuantity]),
                shared: false,
            };
            saved_reports::save(&mut d.ledger, a, report).map(drop)
        },
        [true, true, true, true, true],
    ),
    (
        "reports_run_shared",
        SHARED_REPORT,
        |d, a, id| saved_reports::run_saved(&d.ledger, a, &id.unwrap().to_string()).map(drop),
        [true, true, true, true, true],
    ),
    (
        "reports_delete",
        SHARED_REPORT,
        |d, a, id| saved_reports::delete(&mut d.ledger, a, &id.unwrap().to_string()),
        [true, false, false, false, false],
    ),
    // Everyone has a home screen, and arranges only their own.
    (
        "home_show",
        NOTHING,
        |d, a, _| home::home(&mut d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "home_refresh",
        NOTHING,
        |d, a, _| {
            home::home_on(
                &mut d.ledger,
                a,
                salesplan_core::timestamp::Day::today(),
                home::Refresh::Now,
            )
            .map(drop)
        },
        [true, true, true, true, true],
    ),
    (
        "home_pin",
        SHARED_REPORT,
        |d, a, id| home::pin(&mut d.ledger, a, &id.unwrap().to_string()).map(drop),
        [true, true, true, true, true],
    ),
    (
        "home_arrange",
        NOTHING,
        |d, a, _| home::arrange(&mut d.ledger, a, vec![home::Widget::Sales]).map(drop),
        [true, true, true, true, true],
    ),
    (
        "home_reset",
        NOTHING,
        |d, a, _| home::reset(&mut d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "budgets_adjust",
        FILLED,
        |d, a, id| budgets::adjust(&mut d.ledger, a, id.unwrap(), None, Decimal::TEN).map(drop),
        [true, true, true, false, true],
    ),
    (
        "budgets_spread",
        DRAFT,
        |d, a, id| {
            let id = id.unwrap();
            let product = milk_line(d).product_id;
            budgets::spread_total(
                &mut d.ledger,
                a,
                id,
                SpreadRequest {
                    product_id: product,
                    total: Decimal::from(120),
                    measure: SpreadMeasure::Quantity,
                    profile: SpreadProfile::Flat,
                },
            )
            .map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "budgets_transition",
        DRAFT,
        |d, a, id| {
            let id = id.unwrap();
            budgets::transition(&mut d.ledger, a, id, Transition::Submit, "").map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "budgets_approve",
        SUBMITTED,
        |d, a, id| {
            let id = id.unwrap();
            budgets::transition(&mut d.ledger, a, id, Transition::Approve, "").map(drop)
        },
        [true, false, true, false, true],
    ),
    (
        "budgets_reject",
        SUBMITTED,
        |d, a, id| {
            let id = id.unwrap();
            budgets::transition(&mut d.ledger, a, id, Transition::Reject, "too low").map(drop)
        },
        [true, false, true, false, true],
    ),
    (
        "budgets_lock",
        APPROVED,
        |d, a, id| {
            let id = id.unwrap();
            budgets::transition(&mut d.ledger, a, id, Transition::Lock, "").map(drop)
        },
        [true, false, true, false, true],
    ),
    (
        "budgets_unlock",
        APPROVED,
        |d, a, id| {
            let id = id.unwrap();
            budgets::transition(&mut d.ledger, a, id, Transition::Unlock, "reopen").map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "budgets_inbox",
        NOTHING,
        |d, a, _| budgets::inbox(&d.ledger, a).map(drop),
        [true, false, true, false, true],
    ),
    (
        "budgets_variance",
        NOTHING,
        |d, a, _| {
            let query = VarianceQuery {
                fiscal_year: year_after(0),
                scenario: None,
                level: VarianceLevel::Branch,
                basis: None,
                through: None,
                within: None,
            };
            variance::report(&d.ledger, a, query).map(drop)
        },
        [true, true, true, true, true],
    ),
    // stefan: wholesale, South Branch: nobody's scope but the administrator's.
    (
        "sales_post_for_stefan",
        NOTHING,
        |d, a, _| {
            let sale = sale_by(d, "stefan");
            sales::post(&mut d.ledger, a, vec![sale]).map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "forecast_show",
        NOTHING,
        |d, a, _| {
            let query = ForecastQuery {
                level: VarianceLevel::Branch,
                within: None,
                history_months: None,
            };
            forecast::show(&d.ledger, a, query).map(drop)
        },
        [true, true, true, true, true],
    ),
    (
        "forecast_landing",
        NOTHING,
        |d, a, _| forecast::landing(&d.ledger, a, None).map(drop),
        [true, true, true, true, true],
    ),
    (
        "forecast_accuracy",
        NOTHING,
        |d, a, _| {
            let query = AccuracyQuery {
                level: VarianceLevel::Product,
                within: None,
            };
            forecast::accuracy(&d.ledger, a, query).map(drop)
        },
        [true, true, true, true, true],
    ),
    (
        "forecast_overrides",
        NOTHING,
        |d, a, _| forecast::overrides(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "forecast_run",
        NOTHING,
        |d, a, _| {
            let request = RunRequest {
                method: Some("ets".into()),
                horizon: None,
            };
            forecast::run(&mut d.ledger, a, request, &Silent).map(drop)
        },
        [true, true, true, false, true],
    ),
    // sam's soap at North Branch next month: sam's own, maria's department, bella's branch.
    (
        "forecast_override",
        NOTHING,
        |d, a, _| {
            let made = sams_override(d);
            forecast::add_override(&mut d.ledger, a, made).map(drop)
        },
        [true, true, true, false, true],
    ),
    (
        "forecast_remove_override",
        |d| {
            let admin = admin_of(d);
            let made = sams_override(d);
            Some(
                forecast::add_override(&mut d.ledger, &admin, made)
                    .unwrap()
                    .id,
            )
        },
        |d, a, id| forecast::remove_override(&mut d.ledger, a, id.unwrap()),
        [true, true, true, false, true],
    ),
    (
        "stock_availability",
        NOTHING,
        |d, a, _| stock::availability(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "stock_table",
        NOTHING,
        |d, a, _| stock::table(&d.ledger, a).map(drop),
        [true, false, false, true, true],
    ),
    // Soap at bella's branch (North).
    (
        "stock_movements",
        NOTHING,
        |d, a, _| {
            let (location_id, product_id) = bellas_soap(d);
            stock::movements(&d.ledger, a, location_id, product_id).map(drop)
        },
        [true, false, false, true, true],
    ),
    (
        "stock_count",
        NOTHING,
        |d, a, _| {
            let (location_id, product_id) = bellas_soap(d);
            let count = NewCount {
                location_id,
                product_id,
                counted: Decimal::from(12),
                day: None,
                note: String::new(),
            };
            stock::count(&mut d.ledger, a, count).map(drop)
        },
        [true, false, false, true, true],
    ),
    (
        "stock_adjust",
        NOTHING,
        |d, a, _| {
            let (location_id, product_id) = bellas_soap(d);
            let adjustment = NewAdjustment {
                location_id,
                product_id,
                quantity: Decimal::from(-2),
                reason: "Damaged in the store room".into(),
                day: None,
            };
            stock::adjust(&mut d.ledger, a, adjustment).map(drop)
        },
        [true, false, false, true, true],
    ),
    // The same at the warehouse: not bella's.
    (
        "stock_count at another location",
        NOTHING,
        |d, a, _| {
            let admin = admin_of(d);
            let warehouse = reference::find::<Location>(&d.ledger, &admin, "WH-1").unwrap();
            let (_, product_id) = bellas_soap(d);
            let count = NewCount {
                location_id: warehouse.id,
                product_id,
                counted: Decimal::from(40),
                day: None,
                note: String::new(),
            };
            stock::count(&mut d.ledger, a, count).map(drop)
        },
        [true, false, false, true, false],
    ),
    (
        "stock_policy",
        NOTHING,
        |d, a, _| {
            let (location_id, product_id) = bellas_soap(d);
            policy::policy(&d.ledger, a, location_id, product_id).map(drop)
        },
        [true, false, false, true, true],
    ),
    (
        "stock_policy_override",
        NOTHING,
        |d, a, _| override_bellas_soap(d, a),
        [true, false, false, true, false],
    ),
    (
        "stock_policy_remove_override",
        |d| {
            let admin = admin_of(d);
            override_bellas_soap(d, &admin).unwrap();
            None
        },
        |d, a, _| {
            let (location_id, product_id) = bellas_soap(d);
            policy::remove_override(&mut d.ledger, a, location_id, product_id)
        },
        [true, false, false, true, false],
    ),
    (
        "stock_policies_recompute",
        NOTHING,
        |d, a, _| policy::recompute(&mut d.ledger, a).map(drop),
        [true, false, false, true, false],
    ),
    (
        "stock_projection",
        NOTHING,
        |d, a, _| {
            let (location_id, product_id) = bellas_soap(d);
            alerts::projection(&d.ledger, a, location_id, product_id).map(drop)
        },
        [true, false, false, true, true],
    ),
    (
        "supplier_products_list",
        NOTHING,
        |d, a, _| suppliers::products(&d.ledger, a, None, None, false).map(drop),
        [true, false, false, true, false],
    ),
    (
        "supplier_products_put",
        NOTHING,
        |d, a, _| {
            let admin = admin_of(d);
            let (supplier, product) = (
                reference::find::<Supplier>(&d.ledger, &admin, "SUP-BEV").unwrap(),
                reference::find::<Product>(&d.ledger, &admin, "BEV-010").unwrap(),
            );
            let current = suppliers::products(
                &d.ledger,
                &admin,
                Some(supplier.id),
                Some(product.id),
                false,
            )
            .unwrap()
            .remove(0);
            let terms = suppliers::SupplierTerms {
                cost_price: Decimal::new(39, 2),
                ..current.terms
            };
            suppliers::put(&mut d.ledger, a, terms, Some(current.version)).map(drop)
        },
        [true, false, false, true, false],
    ),
    (
        "supplier_products_remove",
        NOTHING,
        |d, a, _| {
            let admin = admin_of(d);
            let (supplier, product) = (
                reference::find::<Supplier>(&d.ledger, &admin, "SUP-IMP").unwrap(),
                reference::find::<Product>(&d.ledger, &admin, "HOU-020").unwrap(),
            );
            suppliers::remove(&mut d.ledger, a, supplier.id, product.id).map(drop)
        },
        [true, false, false, true, false],
    ),
    (
        "replenish_propose",
        NOTHING,
        |d, a, _| purchasing::proposal::propose(&d.ledger, a, None).map(drop),
        [true, false, false, true, false],
    ),
    (
        "purchase_orders_list",
        NOTHING,
        |d, a, _| purchasing::orders(&d.ledger, a).map(drop),
        [true, false, false, true, true],
    ),
    (
        "purchase_order_show",
        SENT_ORDER,
        |d, a, order| purchasing::order(&d.ledger, a, order.unwrap()).map(drop),
        [true, false, false, true, true],
    ),
    (
        "purchase_orders_create",
        NOTHING,
        |d, a, _| {
            let order = bellas_water_order(d);
            purchasing::create(&mut d.ledger, a, order).map(drop)
        },
        [true, false, false, true, false],
    ),
    (
        "purchase_order_set_line",
        DRAFT_ORDER,
        |d, a, order| {
            let mut line = bellas_water_order(d).lines.remove(0);
            line.quantity *= Decimal::from(2);
            purchasing::set_line(&mut d.ledger, a, order.unwrap(), line, None).map(drop)
        },
        [true, false, false, true, false],
    ),
    (
        "purchase_order_remove_line",
        DRAFT_ORDER,
        |d, a, order| {
            let product = bellas_water_order(d).lines[0].product_id;
            purchasing::remove_line(&mut d.ledger, a, order.unwrap(), product).map(drop)
        },
        [true, false, false, true, false],
    ),
    (
        "purchase_order_send",
        DRAFT_ORDER,
        |d, a, order| purchasing::send(&mut d.ledger, a, order.unwrap()).map(drop),
        [true, false, false, true, false],
    ),
    (
        "purchase_order_cancel",
        SENT_ORDER,
        |d, a, order| purchasing::cancel(&mut d.ledger, a, order.unwrap(), "not needed").map(drop),
        [true, false, false, true, false],
    ),
    (
        "purchase_order_receive",
        SENT_ORDER,
        |d, a, order| {
            purchasing::receive_outstanding(&mut d.ledger, a, order.unwrap(), None).map(drop)
        },
        [true, false, false, true, true],
    ),
    (
        "transfers_list",
        NOTHING,
        |d, a, _| transfers::transfers(&d.ledger, a, None).map(drop),
        [true, true, true, true, true],
    ),
    (
        "transfer_lanes",
        SHIPPED_TRANSFER,
        |d, a, _| transfers::lanes(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "transfer_show",
        SHIPPED_TRANSFER,
        |d, a, id| transfers::transfer(&d.ledger, a, id.unwrap()).map(drop),
        [true, true, true, true, true],
    ),
    (
        "transfer_request",
        NOTHING,
        |d, a, _| {
            let new = bellas_soap_transfer(d);
            transfers::request(&mut d.ledger, a, new).map(drop)
        },
        [true, false, false, true, true],
    ),
    (
        "transfer_set_line",
        REQUESTED_TRANSFER,
        |d, a, id| {
            let mut line = bellas_soap_transfer(d).lines.remove(0);
            line.quantity = Decimal::from(12);
            transfers::set_line(&mut d.ledger, a, id.unwrap(), line, None).map(drop)
        },
        [true, false, false, true, true],
    ),
    (
        "transfer_remove_line",
        REQUESTED_TRANSFER,
        |d, a, id| {
            let product = bellas_soap_transfer(d).lines[0].product_id;
            transfers::remove_line(&mut d.ledger, a, id.unwrap(), product).map(drop)
        },
        [true, false, false, true, true],
    ),
    (
        "transfer_approve",
        REQUESTED_TRANSFER,
        |d, a, id| transfers::approve(&mut d.ledger, a, id.unwrap()).map(drop),
        [true, false, false, true, false],
    ),
    (
        "transfer_ship",
        APPROVED_TRANSFER,
        |d, a, id| transfers::ship(&mut d.ledger, a, id.unwrap(), &[]).map(drop),
        [true, false, false, true, false],
    ),
    (
        "transfer_receive",
        SHIPPED_TRANSFER,
        |d, a, id| transfers::receive_all(&mut d.ledger, a, id.unwrap(), None).map(drop),
        [true, false, false, true, true],
    ),
    (
        "transfer_cancel",
        REQUESTED_TRANSFER,
        |d, a, id| transfers::cancel(&mut d.ledger, a, id.unwrap(), "").map(drop),
        [true, false, false, true, true],
    ),
    (
        "replenish_branches",
        NOTHING,
        |d, a, _| transfers::propose(&d.ledger, a, &ReplenishRequest::default()).map(drop),
        [true, true, true, true, true],
    ),
    (
        "replenish_release",
        NOTHING,
        |d, a, _| {
            let (north, soap) = bellas_soap(d);
            let line = ReleaseLine {
                location_id: north,
                product_id: soap,
                quantity: Decimal::from(6),
            };
            transfers::release(&mut d.ledger, a, &[line]).map(drop)
        },
        [true, false, false, true, false],
    ),
    (
        "rebalance_suggest",
        NOTHING,
        |d, a, _| transfers::rebalance(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "forecast_close_preview",
        NOTHING,
        |d, a, _| forecast::close_preview(&d.ledger, a, None).map(drop),
        [true, false, false, false, false],
    ),
    (
        "forecast_close_month",
        NOTHING,
        |d, a, _| forecast::close_month(&mut d.ledger, a, None, &Silent).map(drop),
        [true, false, false, false, false],
    ),
];

/// bella's branch and the soap sold there.
fn bellas_soap(demo: &TestLedger) -> (uuid::Uuid, uuid::Uuid) {
    let admin = admin_of(demo);
    let bella = users::find(&demo.ledger, &admin, "bella").unwrap();
    let soap = reference::find::<Product>(&demo.ledger, &admin, "HOU-020").unwrap();
    (bella.profile.location_id.unwrap(), soap.id)
}

fn sams_override(demo: &TestLedger) -> NewOverride {
    let admin = admin_of(demo);
    let sam = users::find(&demo.ledger, &admin, "sam").unwrap();
    let soap = reference::find::<Product>(&demo.ledger, &admin, "HOU-020").unwrap();
    let next = Month::parse("month", &open_month()).unwrap();
    NewOverride {
        target: vec![
            DrillStep {
                level: VarianceLevel::Salesman,
                key: sam.id,
            },
            DrillStep {
                level: VarianceLevel::Product,
                key: soap.id,
            },
        ],
        first_month: next.to_string(),
        last_month: None,
        kind: OverrideKind::Percent,
        value: Decimal::from(20),
        reason: "Shelf promotion".into(),
        expires_on: None,
    }
}

/// A rule every role may keep: its own sales of the latest month above zero.
/// This fiscal year's `measures` by branch.
fn report_of(measures: &[reports::Measure]) -> reports::ReportDefinition {
    reports::ReportDefinition {
        measures: measures.to_vec(),
        rows: vec![reports::Dimension::Branch],
        columns: vec![],
        filters: vec![],
        period: reports::Period::FiscalYear { year: None },
        comparison: reports::Comparison::LastYear,
        visual: reports::Visual::Table,
        chart: reports::ChartSettings::default(),
    }
}

fn sales_rule() -> alert_rules::RuleDefinition {
    alert_rules::RuleDefinition {
        name: "Sales".into(),
        measure: alert_rules::RuleMeasure::SalesMonth,
        within: None,
        condition: alert_rules::RuleCondition::Above,
        threshold: Decimal::ZERO,
        stock_kind: None,
        notify: alert_rules::Notify::First,
    }
}

#[test]
fn every_role_can_do_exactly_what_the_matrix_says() {
    let mut failures = Vec::new();
    for (command, setup, run, expected) in MATRIX {
        for ((role, username), allowed) in ROLES.iter().zip(expected) {
            let mut demo = TestLedger::demo();
            let prepared = setup(&mut demo);
            let actor = demo.user(username);
            assert_eq!(actor.role, *role);
            let before = demo.outbox_len();
            match (run(&mut demo, &actor, prepared), allowed) {
                (Ok(()), true) => {}
                (Err(error), false) if error.code() == ErrorCode::Forbidden => {
                    if demo.outbox_len() != before {
                        failures.push(format!(
                            "{command} as {role}: refused but recorded a change"
                        ));
                    }
                }
                (Ok(()), false) => {
                    failures.push(format!("{command} as {role}: allowed, expected refused"))
                }
                (Err(error), _) => failures.push(format!(
                    "{command} as {role}: {error} (allowed = {allowed})"
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "role matrix broken:\n{}",
        failures.join("\n")
    );
}

/// What the import wizard offers each role comes from the session, worked out
/// by the same check an import makes (the screen no longer keeps its own table).
#[test]
fn each_role_is_offered_the_imports_it_may_make() {
    use salesplan_core::imports::ImportKind::{self, *};
    let demo = TestLedger::demo();
    let importable = |name: &str| {
        salesplan_core::session::session_info(&demo.ledger, demo.user(name))
            .unwrap()
            .importable
    };
    assert_eq!(importable("sam"), [Actuals, Budget]);
    assert_eq!(importable("sven"), [Stock, Suppliers, SupplierProducts]);
    assert_eq!(importable("admin"), ImportKind::ALL);
}
