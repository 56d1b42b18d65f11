//! The role matrix: every command × every role, run for real against the demo
//! ledger. Zero unauthorised successes, and no authorised refusal.
//! Command names are those of the desktop shell's IPC commands (and CLI verbs).

use crate::support::TestLedger;
use rust_decimal::Decimal;
use salesplan_core::audit::{self, AuditFilter};
use salesplan_core::demo::DEMO_PASSWORD;
use salesplan_core::reference::{self, Department, Product, ReferenceItem, ReferenceKind};
use salesplan_core::sales::{self, NewSale};
use salesplan_core::settings::{self, CompanySettings};
use salesplan_core::users::{self, NewUser, UserProfile};
use salesplan_core::{Actor, ErrorCode, Result, Role};

type Command = fn(&mut TestLedger, &Actor) -> Result<()>;

/// One demo user per role, in the column order of the matrix.
const ROLES: [(Role, &str); 5] = [
    (Role::Administrator, "admin"),
    (Role::Salesman, "sam"),
    (Role::Manager, "maria"),
    (Role::SupplyChain, "sven"),
    (Role::BranchManager, "bella"),
];

fn admin_of(demo: &TestLedger) -> Actor {
    demo.user("admin")
}

fn sale_by(demo: &TestLedger, salesman: &str) -> NewSale {
    let admin = admin_of(demo);
    let seller = users::find(&demo.ledger, &admin, salesman).unwrap();
    let product = reference::find::<Product>(&demo.ledger, &admin, "HOU-020").unwrap();
    NewSale {
        period: "2026-10".into(),
        product_id: product.id,
        location_id: seller.profile.location_id.unwrap(),
        salesman_id: Some(seller.id),
        customer_id: None,
        quantity: Decimal::ONE,
        unit_price: Decimal::new(349, 2),
    }
}

//                                                                 admin  salesman manager supply branch-mgr
const MATRIX: &[(&str, Command, [bool; 5])] = &[
    (
        "reference_list",
        |d, a| reference::list_kind(&d.ledger, a, ReferenceKind::Product, false).map(drop),
        [true, true, true, true, true],
    ),
    (
        "reference_create",
        |d, a| {
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
        |d, a| {
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
        |d, a| {
            let product = reference::find::<Product>(&d.ledger, &admin_of(d), "BEV-070").unwrap();
            reference::set_kind_archived(&mut d.ledger, a, ReferenceKind::Product, product.id, true)
                .map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "settings_get",
        |d, a| settings::get(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    (
        "settings_update",
        |d, a| {
            let company = CompanySettings {
                company_name: "Lakeside Trading AG".into(),
                currency: "EUR".into(),
                fiscal_year_start_month: 4,
            };
            settings::update(&mut d.ledger, a, None, company).map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "users_list",
        |d, a| users::list(&d.ledger, a).map(drop),
        [true, false, false, false, false],
    ),
    (
        "users_find",
        |d, a| users::find(&d.ledger, a, "nina").map(drop),
        [true, false, false, false, false],
    ),
    (
        "users_find_self",
        |d, a| users::find(&d.ledger, a, &a.username).map(drop),
        [true, true, true, true, true],
    ),
    (
        "users_create",
        |d, a| {
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
        |d, a| {
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
        |d, a| {
            let nina = users::find(&d.ledger, &admin_of(d), "nina").unwrap();
            users::set_active(&mut d.ledger, a, nina.id, false).map(drop)
        },
        [true, false, false, false, false],
    ),
    (
        "users_reset_password",
        |d, a| {
            let nina = users::find(&d.ledger, &admin_of(d), "nina").unwrap();
            users::reset_password(&mut d.ledger, a, nina.id, "fresh-password")
        },
        [true, false, false, false, false],
    ),
    (
        "password_change_own",
        |d, a| users::change_own_password(&mut d.ledger, a, DEMO_PASSWORD, "my-new-password"),
        [true, true, true, true, true],
    ),
    (
        "audit_list",
        |d, a| audit::list(&d.ledger, a, AuditFilter::default()).map(drop),
        [true, true, true, true, true],
    ),
    (
        "sales_overview",
        |d, a| sales::overview(&d.ledger, a).map(drop),
        [true, true, true, true, true],
    ),
    // sam: a retail salesman of North Branch, so inside maria's department and bella's branch.
    (
        "sales_post_for_sam",
        |d, a| {
            let sale = sale_by(d, "sam");
            sales::post(&mut d.ledger, a, vec![sale]).map(drop)
        },
        [true, true, true, false, true],
    ),
    // nina: a wholesale salesman of North Branch: bella's branch, not sam's sales nor maria's department.
    (
        "sales_post_for_nina",
        |d, a| {
            let sale = sale_by(d, "nina");
            sales::post(&mut d.ledger, a, vec![sale]).map(drop)
        },
        [true, false, false, false, true],
    ),
    // stefan: wholesale, South Branch: nobody's scope but the administrator's.
    (
        "sales_post_for_stefan",
        |d, a| {
            let sale = sale_by(d, "stefan");
            sales::post(&mut d.ledger, a, vec![sale]).map(drop)
        },
        [true, false, false, false, false],
    ),
];

#[test]
fn every_role_can_do_exactly_what_the_matrix_says() {
    let mut failures = Vec::new();
    for (command, run, expected) in MATRIX {
        for ((role, username), allowed) in ROLES.iter().zip(expected) {
            let mut demo = TestLedger::demo();
            let actor = demo.user(username);
            assert_eq!(actor.role, *role);
            let before = demo.outbox_len();
            match (run(&mut demo, &actor), allowed) {
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
