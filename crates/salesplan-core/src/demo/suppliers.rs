//! The demo's suppliers and what they sell: six, from a dairy delivering within
//! the week to an importer two months away, each with its lead time's spread
//! and the cost of placing an order. Each category has its primary supplier;
//! the importer sells household and personal care cheaper, in bigger packs and
//! slower, as a second source.

use crate::error::{Error, Result};
use crate::ledger::Write;
use crate::reference::{self, Supplier};
use crate::suppliers::{self, SupplierTerms};
use rust_decimal::Decimal;
use uuid::Uuid;

/// (code, name, contact, lead time days, its standard deviation in tenths of a day, order cost in cents, categories it is primary for)
type Spec = (
    &'static str,
    &'static str,
    &'static str,
    u16,
    i64,
    i64,
    &'static [&'static str],
);

const SUPPLIERS: [Spec; 6] = [
    (
        "SUP-DRY",
        "Hofmolkerei Sauerland",
        "orders@hofmolkerei.example, +49 2931 5550",
        5,
        10,
        2500,
        &["DRY"],
    ),
    (
        "SUP-BEV",
        "Nordquell Getränke GmbH",
        "Petra Lang, +49 40 5550 120",
        10,
        20,
        4500,
        &["BEV"],
    ),
    (
        "SUP-SNK",
        "Knusperwerk Snacks",
        "einkauf@knusperwerk.example",
        14,
        30,
        4000,
        &["SNK"],
    ),
    (
        "SUP-FRZ",
        "Nordfrost Tiefkühl AG",
        "Jens Ohlsen, +49 4721 5550 7",
        21,
        40,
        6000,
        &["FRZ"],
    ),
    (
        "SUP-HOU",
        "CleanHome Distribution",
        "Marco Ferri, +39 02 5550 88",
        35,
        70,
        8500,
        &["HOU", "PCR"],
    ),
    (
        "SUP-IMP",
        "Far East Trading Co.",
        "Lin Wei, +86 21 5550 3300",
        60,
        140,
        15000,
        &[],
    ),
];

/// The second source's categories.
const IMPORTED: [&str; 2] = ["HOU", "PCR"];

/// Creates the suppliers; answers their ids by code.
pub(super) fn create(write: &mut Write<'_>) -> Result<Vec<(&'static str, Uuid)>> {
    let mut created = Vec::with_capacity(SUPPLIERS.len());
    for (code, name, contact, lead_time, spread, cost, _) in SUPPLIERS {
        let stored = reference::create_in(
            write,
            Supplier {
                code: code.into(),
                name: name.into(),
                contact: contact.into(),
                currency: "EUR".into(),
                lead_time_days: lead_time,
                lead_time_sd_days: Decimal::new(spread, 1),
                order_cost: Decimal::new(cost, 2),
            },
        )?;
        created.push((code, stored.id));
    }
    Ok(created)
}

/// Links every product (id, category code, list price in cents, unit) to its suppliers.
pub(super) fn link(
    write: &mut Write<'_>,
    suppliers: &[(&'static str, Uuid)],
    products: &[(Uuid, &'static str, i64, &'static str)],
) -> Result<usize> {
    let id_of = |code: &str| {
        suppliers
            .iter()
            .find(|(known, _)| *known == code)
            .map(|(_, id)| *id)
            .ok_or_else(|| Error::not_found("supplier", code))
    };
    let importer = id_of("SUP-IMP")?;
    let mut lines = 0;
    for (n, (product_id, category, cents, unit)) in products.iter().enumerate() {
        let (code, ..) = SUPPLIERS
            .iter()
            .find(|spec| spec.6.contains(category))
            .ok_or_else(|| Error::not_found("supplier for category", category))?;
        // Cases ship six to a layer, single pieces twelve to a carton.
        let pack = if *unit == "case" { 6 } else { 12 };
        // (supplier, cost as % of the list price, pack, minimum order, primary)
        let mut terms = vec![(id_of(code)?, 60, pack, 2 * pack, true)];
        if IMPORTED.contains(category) {
            terms.push((importer, 45, 4 * pack, 20 * pack, false));
        }
        for (supplier_id, percent, pack, min_order, is_primary) in terms {
            suppliers::put_in(
                write,
                SupplierTerms {
                    supplier_id,
                    product_id: *product_id,
                    supplier_sku: format!("A{:05}", 10_000 + n * 7),
                    cost_price: (Decimal::new(cents * percent, 2) / Decimal::ONE_HUNDRED)
                        .round_dp(2),
                    pack_size: Decimal::from(pack),
                    min_order: Decimal::from(min_order),
                    lead_time_days: None,
                    is_primary,
                },
                None,
            )?;
            lines += 1;
        }
    }
    Ok(lines)
}
