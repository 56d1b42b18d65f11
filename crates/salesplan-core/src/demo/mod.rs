//! The demo company a new user meets: two departments, five branches and a
//! warehouse, 40 products in 6 categories, one user of every role plus ten
//! salesmen, 36 months of actual sales with trend, seasonality, noise and
//! a few intermittent products, the stock history that goes with them
//! (`stock`), and this year's approved budgets with next year's round under
//! way (`budgets`). Deterministic: the same seed gives the same company.

mod budgets;
mod reports;
pub mod rules;
mod stock;
mod suppliers;
mod transfers;
pub use budgets::REJECTION;
pub use transfers::SHORT_AT_WAREHOUSE;

use crate::access::{Actor, Role};
use crate::error::Result;
use crate::forecast;
use crate::imports::Silent;
use crate::ledger::{Ledger, Write};
use crate::month::Month;
use crate::reference::{
    self, BudgetCategory, Channel, Customer, Department, Location, LocationKind, Product,
    ProductCategory,
};
use crate::sales::{self, NewSale};
use crate::settings::{self, CompanySettings};
use crate::users::{self, NewUser, User, UserProfile};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;
use uuid::Uuid;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "salesplan-demo";
pub const MONTHS_OF_HISTORY: u32 = 36;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DemoAccount {
    pub username: String,
    pub role: Role,
    pub scope: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoSummary {
    pub company: String,
    pub password: &'static str,
    pub accounts: Vec<DemoAccount>,
    pub products: usize,
    pub sales: usize,
    pub stock_movements: usize,
    pub suppliers: usize,
    pub budgets: usize,
    /// Saved reports (most shared with everyone).
    pub reports: usize,
    pub first_period: Month,
    pub last_period: Month,
}

/// Monthly demand multipliers, January first.
const SUMMER: [f64; 12] = [
    0.7, 0.72, 0.85, 0.95, 1.1, 1.3, 1.45, 1.4, 1.1, 0.9, 0.75, 0.8,
];
const WINTER_PEAK: [f64; 12] = [
    0.9, 0.85, 0.9, 0.95, 0.95, 0.9, 0.9, 0.95, 1.0, 1.05, 1.2, 1.5,
];
const FLAT: [f64; 12] = [
    1.0, 0.97, 1.02, 1.0, 1.0, 0.98, 0.95, 0.97, 1.03, 1.02, 1.03, 1.05,
];
const COLD_SEASON: [f64; 12] = [
    1.3, 1.25, 1.1, 0.95, 0.85, 0.8, 0.75, 0.8, 0.9, 1.05, 1.15, 1.25,
];

struct CategorySpec {
    code: &'static str,
    name: &'static str,
    season: &'static [f64; 12],
    /// Yearly growth of demand.
    trend: f64,
    /// (name, unit, list price in cents, base monthly units per salesman, intermittent)
    products: &'static [(&'static str, &'static str, i64, f64, bool)],
}

const CATEGORIES: &[CategorySpec] = &[
    CategorySpec {
        code: "BEV",
        name: "Beverages",
        season: &SUMMER,
        trend: 0.06,
        products: &[
            ("Sparkling Water 1L", "case", 599, 120.0, false),
            ("Still Water 1.5L", "case", 549, 140.0, false),
            ("Orange Juice 1L", "case", 1299, 60.0, false),
            ("Apple Spritzer 0.5L", "case", 899, 75.0, false),
            ("Iced Tea Peach 0.5L", "case", 949, 55.0, false),
            ("Cold Brew Coffee 250ml", "case", 2199, 22.0, false),
            ("Party Keg 20L", "pcs", 8900, 0.4, true),
        ],
    },
    CategorySpec {
        code: "SNK",
        name: "Snacks",
        season: &WINTER_PEAK,
        trend: 0.04,
        products: &[
            ("Sea Salt Crisps 150g", "case", 1899, 48.0, false),
            ("Paprika Crisps 150g", "case", 1899, 42.0, false),
            ("Salted Pretzels 200g", "case", 1499, 35.0, false),
            ("Roasted Almonds 200g", "case", 3299, 18.0, false),
            ("Dark Chocolate 100g", "case", 2499, 30.0, false),
            ("Festive Gift Tin", "pcs", 2990, 0.5, true),
            ("Granola Bars 6-pack", "case", 2199, 26.0, false),
        ],
    },
    CategorySpec {
        code: "DRY",
        name: "Dairy",
        season: &FLAT,
        trend: 0.02,
        products: &[
            ("Whole Milk 1L", "case", 1099, 110.0, false),
            ("Greek Yoghurt 500g", "case", 1599, 45.0, false),
            ("Mature Cheddar 400g", "case", 3899, 20.0, false),
            ("Butter 250g", "case", 2299, 38.0, false),
            ("Oat Drink 1L", "case", 1699, 40.0, false),
            ("Cream 200ml", "case", 1199, 28.0, false),
        ],
    },
    CategorySpec {
        code: "HOU",
        name: "Household",
        season: &FLAT,
        trend: 0.03,
        products: &[
            ("Laundry Liquid 2L", "pcs", 1299, 32.0, false),
            ("Dish Soap 750ml", "pcs", 349, 60.0, false),
            ("Kitchen Towels 4-roll", "pcs", 499, 55.0, false),
            ("Toilet Paper 12-roll", "pcs", 699, 70.0, false),
            ("All-Purpose Cleaner 1L", "pcs", 399, 40.0, false),
            ("Bin Bags 30-pack", "pcs", 449, 35.0, false),
            ("Carpet Shampoo 5L", "pcs", 3490, 0.6, true),
        ],
    },
    CategorySpec {
        code: "PCR",
        name: "Personal Care",
        season: &COLD_SEASON,
        trend: 0.05,
        products: &[
            ("Shampoo 300ml", "pcs", 449, 45.0, false),
            ("Shower Gel 250ml", "pcs", 299, 50.0, false),
            ("Toothpaste 75ml", "pcs", 249, 65.0, false),
            ("Hand Cream 100ml", "pcs", 599, 25.0, false),
            ("Lip Balm", "pcs", 199, 30.0, false),
            ("Sunscreen SPF50 200ml", "pcs", 1499, 15.0, false),
            ("Beard Care Gift Set", "pcs", 3990, 0.3, true),
        ],
    },
    CategorySpec {
        code: "FRZ",
        name: "Frozen",
        season: &SUMMER,
        trend: 0.03,
        products: &[
            ("Vanilla Ice Cream 1L", "case", 2599, 30.0, false),
            ("Frozen Peas 1kg", "case", 1899, 25.0, false),
            ("Stone-Baked Pizza", "case", 2899, 35.0, false),
            ("Fish Fingers 450g", "case", 2499, 22.0, false),
            ("Berry Mix 500g", "case", 2799, 18.0, false),
            ("Ice Lolly 10-pack", "case", 1999, 26.0, false),
        ],
    },
];

const BRANCHES: [(&str, &str, &str); 5] = [
    ("N", "North Branch", "Hamburg"),
    ("S", "South Branch", "Munich"),
    ("E", "East Branch", "Berlin"),
    ("W", "West Branch", "Cologne"),
    ("C", "Central Branch", "Frankfurt"),
];

/// Two salesmen per branch: retail first, wholesale second.
pub const SALESMEN: [(&str, &str); 10] = [
    ("sam", "Sam Becker"),
    ("nina", "Nina Hoffmann"),
    ("sofia", "Sofia Wagner"),
    ("stefan", "Stefan Maier"),
    ("emil", "Emil Schulz"),
    ("eva", "Eva Richter"),
    ("wim", "Wim Janssen"),
    ("wanda", "Wanda Koch"),
    ("carl", "Carl Neumann"),
    ("clara", "Clara Vogel"),
];

/// Creates a ledger at `path` holding the demo company (all or nothing).
pub fn create(path: &Path) -> Result<(Ledger, DemoSummary)> {
    create_as_of(path, Month::current())
}

/// The demo company as it stood in `this_month` (a past month, or this one):
/// its sales run up to the month before, and the month before that is the last
/// one closed. Tests with files of fixed dates build it as of a fixed month.
pub fn create_as_of(path: &Path, this_month: Month) -> Result<(Ledger, DemoSummary)> {
    Ledger::create_with(path, |ledger| {
        let (mut summary, admin) = ledger.write(None, |write| {
            build(write, (this_month.year(), u32::from(this_month.number())))
        })?;
        summary.budgets = budgets::create(ledger, &admin, summary.last_period)?;
        forecast_history(ledger, &admin, this_month)?;
        transfers::create(ledger, &admin)?;
        let manager = crate::users::find(ledger, &admin, "maria")?.actor();
        summary.reports = reports::create(ledger, &admin, &manager)?;
        let salesman = crate::users::find(ledger, &admin, rules::OWNER)?.actor();
        rules::create(ledger, &salesman)?;
        Ok(summary)
    })
}

/// Months of forecasting the demo has behind it: each closed with a snapshot,
/// so the accuracy view has something to score.
pub const CLOSED_MONTHS: i32 = 6;

/// Runs the baseline as of seven months ago and closes month after month, as
/// the company would have, up to the month before last: last month has ended
/// but is not closed yet, the routine a new user meets first.
fn forecast_history(ledger: &mut Ledger, admin: &Actor, this_month: Month) -> Result<()> {
    let first = this_month.plus(-CLOSED_MONTHS - 1);
    let request = forecast::RunRequest::default();
    forecast::run_from(ledger, admin, request, first, &Silent)?;
    forecast::close_and_roll(ledger, admin, first, &Silent)?;
    for _ in 1..CLOSED_MONTHS {
        forecast::close_month(ledger, admin, None, &Silent)?;
    }
    Ok(())
}

fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// `(year, month)` stepped back by `months`.
fn months_before((year, month): (i32, u32), months: u32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 - months as i32;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

fn build(write: &mut Write<'_>, this_month: (i32, u32)) -> Result<(DemoSummary, Actor)> {
    let mut rng = StdRng::seed_from_u64(20_261_125);
    write.mark_demo()?;
    let admin = users::first_administrator_in(write, "admin", DEMO_PASSWORD)?;
    let company = settings::put_in(
        write,
        None,
        CompanySettings {
            company_name: "Lakeside Trading GmbH".into(),
            currency: "EUR".into(),
            fiscal_year_start_month: 1,
            sales_issue_stock: true,
            stock: Default::default(),
        },
    )?;

    let retail = reference::create_in(
        write,
        Department {
            code: "RET".into(),
            name: "Retail Sales".into(),
        },
    )?;
    let wholesale = reference::create_in(
        write,
        Department {
            code: "WHS".into(),
            name: "Wholesale & Key Accounts".into(),
        },
    )?;
    for (code, name) in [
        ("TRV", "Travel"),
        ("MKT", "Marketing & promotion"),
        ("SMP", "Samples"),
        ("ENT", "Customer entertainment"),
    ] {
        reference::create_in(
            write,
            BudgetCategory {
                code: code.into(),
                name: name.into(),
            },
        )?;
    }
    let mut branches = Vec::new();
    for (code, name, city) in BRANCHES {
        let fields = Location {
            code: format!("BR-{code}"),
            name: name.into(),
            kind: LocationKind::Branch,
            city: city.into(),
        };
        branches.push(reference::create_in(write, fields)?);
    }
    let warehouse = reference::create_in(
        write,
        Location {
            code: "WH-1".into(),
            name: "Central Warehouse".into(),
            kind: LocationKind::Warehouse,
            city: "Kassel".into(),
        },
    )?;
    let suppliers = suppliers::create(write)?;

    // (product id, price, base units, intermittent, season, trend)
    let mut catalogue = Vec::new();
    // (product id, category code, price, unit): what the suppliers sell.
    let mut bought = Vec::new();
    for category in CATEGORIES {
        let stored = reference::create_in(
            write,
            ProductCategory {
                code: category.code.into(),
                name: category.name.into(),
            },
        )?;
        for (n, (name, unit, cents, base, intermittent)) in category.products.iter().enumerate() {
            let product = reference::create_in(
                write,
                Product {
                    sku: format!("{}-{:03}", category.code, (n + 1) * 10),
                    name: (*name).into(),
                    category_id: stored.id,
                    unit: (*unit).into(),
                    list_price: money(*cents),
                    active: true,
                },
            )?;
            bought.push((product.id, category.code, *cents, *unit));
            catalogue.push((
                product.id,
                *cents,
                *base,
                *intermittent,
                category.season,
                category.trend,
            ));
        }
    }

    suppliers::link(write, &suppliers, &bought)?;

    let mut accounts = vec![account(&admin, "whole company")];
    let mut salesmen: Vec<(User, Uuid, Option<Uuid>, bool)> = Vec::new();
    for (n, (username, display_name)) in SALESMEN.iter().enumerate() {
        let branch = &branches[n / 2];
        let is_wholesale = n % 2 == 1;
        let department = if is_wholesale { &wholesale } else { &retail };
        let customer = reference::create_in(
            write,
            Customer {
                code: format!("C-{}{}", &branch.fields.code[3..], n % 2 + 1),
                name: format!(
                    "{} {}",
                    branch.fields.city,
                    if is_wholesale {
                        "Cash & Carry"
                    } else {
                        "Corner Markets"
                    }
                ),
                channel: if is_wholesale {
                    Channel::Wholesale
                } else {
                    Channel::Retail
                },
                location_id: Some(branch.id),
            },
        )?;
        let user = users::insert_in(
            write,
            new_user(
                username,
                display_name,
                Role::Salesman,
                Some(department.id),
                Some(branch.id),
            ),
        )?;
        accounts.push(account(
            &user,
            &format!("own sales, {}", branch.fields.name),
        ));
        salesmen.push((user, branch.id, Some(customer.id), is_wholesale));
    }
    for (username, display_name, role, department, location, scope) in [
        (
            "maria",
            "Maria Lange",
            Role::Manager,
            Some(retail.id),
            None,
            "department Retail Sales",
        ),
        (
            "max",
            "Max Brandt",
            Role::Manager,
            Some(wholesale.id),
            None,
            "department Wholesale & Key Accounts",
        ),
        (
            "sven",
            "Sven Larsen",
            Role::SupplyChain,
            None,
            None,
            "inventory everywhere",
        ),
        (
            "bella",
            "Bella Schröder",
            Role::BranchManager,
            None,
            Some(branches[0].id),
            "North Branch",
        ),
    ] {
        let user = users::insert_in(
            write,
            new_user(username, display_name, role, department, location),
        )?;
        accounts.push(account(&user, scope));
    }

    let first = months_before(this_month, MONTHS_OF_HISTORY);
    let mut sales_to_post = Vec::new();
    for (salesman, branch_id, customer_id, is_wholesale) in &salesmen {
        let salesman_scale = rng.random_range(0.75..1.3) * if *is_wholesale { 2.4 } else { 1.0 };
        for (product_id, cents, base, intermittent, season, trend) in &catalogue {
            let product_scale = rng.random_range(0.8..1.2);
            for step in 0..MONTHS_OF_HISTORY {
                let (year, month) = months_before(this_month, MONTHS_OF_HISTORY - step);
                let years_ago = f64::from(MONTHS_OF_HISTORY - step) / 12.0;
                let quantity = if *intermittent {
                    // Mostly nothing; now and then one to four units.
                    if rng.random_bool(0.22) {
                        rng.random_range(1..=4)
                    } else {
                        0
                    }
                } else {
                    let expected = base
                        * salesman_scale
                        * product_scale
                        * season[month as usize - 1]
                        * (1.0 + trend).powf(-years_ago);
                    let noise = 1.0 + 0.12 * standard_normal(&mut rng);
                    (expected * noise).round().max(0.0) as i64
                };
                if quantity == 0 {
                    continue;
                }
                // Prices rose about 2.5 % a year; wholesale buys 8 % below list.
                let price_factor =
                    (1.0 - 0.025 * years_ago.floor()) * if *is_wholesale { 0.92 } else { 1.0 };
                let unit_cents = (*cents as f64 * price_factor).round() as i64;
                sales_to_post.push(NewSale {
                    period: format!("{year:04}-{month:02}"),
                    product_id: *product_id,
                    location_id: *branch_id,
                    salesman_id: Some(salesman.id),
                    customer_id: *customer_id,
                    quantity: Decimal::from(quantity),
                    unit_price: money(unit_cents),
                });
            }
        }
    }
    let posted = sales::post_in(write, &admin.actor(), sales_to_post)?;
    let last = months_before(this_month, 1);
    let first_month = Month::new(first.0, u8::try_from(first.1).unwrap_or(1));
    let branch_codes: Vec<(Uuid, String)> = branches
        .iter()
        .map(|branch| (branch.id, branch.fields.code.clone()))
        .collect();
    let products: Vec<Uuid> = catalogue.iter().map(|product| product.0).collect();
    let places = stock::Places {
        branches: &branch_codes,
        warehouse: (warehouse.id, warehouse.fields.code.clone()),
        products: &products,
    };
    let months = i32::try_from(MONTHS_OF_HISTORY).unwrap_or(36);
    let movements = stock::history(
        write,
        &admin.actor(),
        &places,
        &posted,
        first_month,
        months,
        &mut rng,
    )?;

    let summary = DemoSummary {
        company: company.company.company_name,
        password: DEMO_PASSWORD,
        accounts,
        products: catalogue.len(),
        sales: posted.len(),
        stock_movements: movements + posted.iter().filter(|sale| sale.issues_stock).count(),
        suppliers: suppliers.len(),
        budgets: 0,
        reports: 0,
        first_period: first_month,
        last_period: Month::new(last.0, u8::try_from(last.1).unwrap_or(1)),
    };
    Ok((summary, admin.actor()))
}

fn new_user(
    username: &str,
    display_name: &str,
    role: Role,
    department_id: Option<Uuid>,
    location_id: Option<Uuid>,
) -> NewUser {
    NewUser {
        username: username.into(),
        profile: UserProfile {
            display_name: display_name.into(),
            role,
            department_id,
            location_id,
        },
        password: DEMO_PASSWORD.into(),
    }
}

fn account(user: &User, scope: &str) -> DemoAccount {
    DemoAccount {
        username: user.username.clone(),
        role: user.profile.role,
        scope: scope.into(),
    }
}

/// Box–Muller: a standard normal draw from two uniform ones.
fn standard_normal(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::months_before;

    #[test]
    fn months_step_back_across_years() {
        assert_eq!(months_before((2026, 11), 1), (2026, 10));
        assert_eq!(months_before((2026, 1), 1), (2025, 12));
        assert_eq!(months_before((2026, 11), 36), (2023, 11));
        assert_eq!(months_before((2026, 3), 0), (2026, 3));
    }
}
