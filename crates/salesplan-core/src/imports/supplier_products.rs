//! Importing what each supplier sells and on what terms: a row names the
//! supplier and the product (SKU) and sets the line's terms, creating it or
//! updating it; a row that changes nothing writes nothing. Terms a file leaves
//! out keep what the line had (a new line: packs of 1, no minimum, the
//! supplier's lead time, not primary). A primary line makes the product's other
//! primary step back, as typed in the app. What an import changed is kept as
//! before-images, so reversing it restores the old terms and archives what it
//! created.

use super::fields::ImportKind;
use super::history::ImportRecord;
use super::importer::{Importer, Writing};
use super::line::{Codes, Line, Repeat, Seen};
use super::{ImportRequest, ProblemKind};
use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Entity, Reader, Write};
use crate::reference::{Product, Supplier};
use crate::suppliers::{SupplierProduct, SupplierTerms, put_in, remove_in};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A line as it was before an import changed it.
#[derive(Serialize, Deserialize)]
struct Before {
    terms: SupplierTerms,
    archived: bool,
}

/// A checked row: the terms as they will be, and the stored line they replace.
pub(super) struct Row {
    terms: SupplierTerms,
    current: Option<SupplierProduct>,
}

/// What rows are read against: suppliers and products by code, the stored lines.
pub(super) struct SupplierProducts {
    suppliers: Codes,
    products: Codes,
    stored: HashMap<(Uuid, Uuid), SupplierProduct>,
    /// A supplier and product once per file.
    seen: Seen<(Uuid, Uuid)>,
}

impl Importer for SupplierProducts {
    const KIND: ImportKind = ImportKind::SupplierProducts;
    const NUMBERS: &'static [&'static str] =
        &["cost_price", "pack_size", "min_order", "lead_time_days"];
    type Row = Row;

    fn open(conn: Reader<'_>, actor: &Actor, _request: &ImportRequest) -> Result<SupplierProducts> {
        actor.require(Action::EditSuppliers, &Resource::company())?;
        Ok(SupplierProducts {
            suppliers: Codes::load::<Supplier>("supplier", conn)?,
            products: Codes::load::<Product>("product", conn)?,
            stored: ledger::suppliers::lines(conn, None, None, true)?
                .into_iter()
                .map(|line| ((line.terms.supplier_id, line.terms.product_id), line))
                .collect(),
            seen: Seen::new(HashSet::new()),
        })
    }

    fn check(&mut self, line: &mut Line<'_>) -> Option<Row> {
        let supplier_id = line.named("supplier", &self.suppliers, true);
        let product_id = line.named("sku", &self.products, true);
        let (supplier_id, product_id) = (supplier_id?, product_id?);
        let current = self.stored.get(&(supplier_id, product_id));
        let kept = current.map(|line| &line.terms);
        let cost_price = line.decimal("cost_price", kept.is_none());
        let cost_price = line.not_negative("cost_price", cost_price);
        let pack_size = line.decimal("pack_size", false);
        let min_order = line.decimal("min_order", false);
        // A blank lead time in a column read means "the supplier's"; no column keeps the line's.
        let lead_time_days = line.optional(
            "lead_time_days",
            kept.and_then(|terms| terms.lead_time_days),
            |line| line.days("lead_time_days"),
        );
        let is_primary = line.flag("primary");
        if !line.is_clean() {
            return None;
        }
        let terms = SupplierTerms {
            supplier_id,
            product_id,
            supplier_sku: line.text_or("supplier_sku", || {
                kept.map(|terms| terms.supplier_sku.clone())
            }),
            cost_price: cost_price.or(kept.map(|terms| terms.cost_price))?,
            pack_size: pack_size
                .or(kept.map(|terms| terms.pack_size))
                .unwrap_or(Decimal::ONE),
            min_order: min_order
                .or(kept.map(|terms| terms.min_order))
                .unwrap_or(Decimal::ZERO),
            lead_time_days: lead_time_days?,
            is_primary: is_primary
                .or(kept.map(|terms| terms.is_primary))
                .unwrap_or(false),
        };
        let terms = match terms.validated() {
            Ok(terms) => terms,
            Err(Error::Invalid { field, rule }) => {
                line.problem(&field, ProblemKind::WrongType, rule);
                return None;
            }
            Err(other) => {
                line.problem("sku", ProblemKind::WrongType, other.to_string());
                return None;
            }
        };
        if let Err(Repeat::OnRow(first)) = self.seen.first((supplier_id, product_id), line.number())
        {
            line.problem(
                "sku",
                ProblemKind::DuplicateInFile,
                format!("this supplier's line for this product is also on row {first}"),
            );
            return None;
        }
        Some(Row {
            terms,
            current: self.stored.remove(&(supplier_id, product_id)),
        })
    }

    fn write(
        self,
        write: &mut Write<'_>,
        _actor: &Actor,
        record: &ImportRecord,
        rows: Vec<Row>,
        writing: &Writing<'_>,
    ) -> Result<()> {
        for (index, row) in rows.into_iter().enumerate() {
            writing.row(index)?;
            if let Some(current) = &row.current
                && current.terms == row.terms
                && current.archived_at.is_none()
            {
                // Only what changes is written: a line the file holds as it is stays untouched.
                continue;
            }
            if row.terms.is_primary {
                // The lines that step back are restored too when the import is reversed.
                let product = Some(row.terms.product_id);
                for other in ledger::suppliers::lines(write.read(), None, product, false)? {
                    if other.terms.is_primary && other.terms.supplier_id != row.terms.supplier_id {
                        keep_before(write, record.id, &other)?;
                    }
                }
            }
            if let Some(current) = &row.current {
                keep_before(write, record.id, current)?;
            }
            let created = row.current.is_none();
            let line = put_in(write, row.terms, None)?;
            if created {
                ledger::imports::insert_before_image(
                    write,
                    record.id,
                    Entity::SupplierProduct,
                    line.id,
                    None,
                )?;
            }
        }
        Ok(())
    }
}

/// Keeps a line as it is now, for the import's reversal.
fn keep_before(write: &Write<'_>, import_id: Uuid, line: &SupplierProduct) -> Result<()> {
    let before = Before {
        terms: line.terms.clone(),
        archived: line.archived_at.is_some(),
    };
    let json = serde_json::to_string(&before).unwrap_or_default();
    ledger::imports::insert_before_image(
        write,
        import_id,
        Entity::SupplierProduct,
        line.id,
        Some(&json),
    )
}

/// Undoes an import of supplier lines, newest change first: restores the terms
/// it changed (and the primary it made step back), archives what it created.
pub(super) fn reverse(write: &mut Write<'_>, import_id: Uuid) -> Result<usize> {
    let images = ledger::imports::before_images(write.read(), import_id)?;
    for (id, before) in &images {
        let line = ledger::suppliers::by_id(write.read(), *id)?
            .ok_or_else(|| Error::not_found(Entity::SupplierProduct.noun(), id))?;
        let (supplier_id, product_id) = (line.terms.supplier_id, line.terms.product_id);
        match before {
            None => {
                remove_in(write, supplier_id, product_id)?;
            }
            Some(json) => {
                let before: Before = serde_json::from_str(json).map_err(|error| {
                    Error::invalid(
                        "import",
                        format!("a stored before-image cannot be read: {error}"),
                    )
                })?;
                put_in(write, before.terms, None)?;
                if before.archived {
                    remove_in(write, supplier_id, product_id)?;
                }
            }
        }
    }
    Ok(images.len())
}
