//! Whole records as a laptop sends them (every column of the ledger row), for
//! pushes made by hand.

use serde_json::{Value, json};
use uuid::Uuid;

pub const AT: &str = "2026-01-05T10:00:00Z";

pub fn coded(id: Uuid, code: &str) -> Value {
    json!({
        "id": id, "code": code, "name": format!("{code} name"), "version": 1,
        "created_at": AT, "updated_at": AT, "deleted_at": null,
    })
}

pub fn location(id: Uuid, code: &str) -> Value {
    json!({
        "id": id, "code": code, "name": format!("{code} branch"), "kind": "branch", "city": "Lakeside",
        "version": 1, "created_at": AT, "updated_at": AT, "deleted_at": null,
    })
}

pub fn product(id: Uuid, category: Uuid, sku: &str) -> Value {
    json!({
        "id": id, "sku": sku, "name": format!("{sku} product"), "category_id": category, "unit": "pcs",
        "list_price": "0.99", "active": 1, "version": 1, "created_at": AT, "updated_at": AT,
        "deleted_at": null,
    })
}

/// A sale of `quantity` at 1.50 in `period`.
pub fn sale(
    id: Uuid,
    product: Uuid,
    location: Uuid,
    salesman: Uuid,
    period: &str,
    quantity: i64,
) -> Value {
    json!({
        "id": id, "period": period, "product_id": product, "location_id": location,
        "salesman_id": salesman, "customer_id": null, "quantity": quantity.to_string(),
        "unit_price": "1.50", "amount": format!("{:.2}", quantity as f64 * 1.5), "created_by": salesman,
        "created_at": AT, "import_id": null, "sold_on": null, "fingerprint": null,
    })
}

/// A salesman's budget: it carries his department and branch, as the laptop's does.
pub fn budget(
    id: Uuid,
    salesman: Uuid,
    scope: (Option<Uuid>, Option<Uuid>),
    fiscal_year: i32,
) -> Value {
    json!({
        "id": id, "fiscal_year": fiscal_year, "scenario": "Base", "owner_kind": "salesman",
        "salesman_id": salesman, "department_id": scope.0, "location_id": scope.1, "currency": "EUR",
        "status": "draft", "copied_from": null, "created_by": salesman, "version": 1,
        "created_at": AT, "updated_at": AT,
    })
}

pub fn budget_line(id: Uuid, budget: Uuid, product: Uuid, period: &str, quantity: i64) -> Value {
    json!({
        "id": id, "budget_id": budget, "product_id": product, "period": period,
        "quantity": quantity.to_string(), "unit_price": "1.50", "amount": format!("{:.2}", quantity as f64 * 1.5),
        "amount_entered": 0, "version": 1, "updated_at": AT,
    })
}

pub fn closed_month(month: &str, closed_by: Uuid) -> Value {
    json!({ "month": month, "closed_by": closed_by, "closed_at": AT })
}

/// A stock movement of `quantity` (an adjustment) at `location` today.
pub fn stock_movement(id: Uuid, product: Uuid, location: Uuid, by: Uuid, quantity: i64) -> Value {
    json!({
        "id": id, "moved_on": &AT[..10], "location_id": location, "product_id": product,
        "quantity": quantity.to_string(), "reason": "adjustment", "note": "found", "import_id": null,
        "fingerprint": null, "created_by": by, "created_at": AT,
    })
}

/// A supplier `lead_time` days away.
pub fn supplier(id: Uuid, code: &str, lead_time: i64) -> Value {
    json!({
        "id": id, "code": code, "name": format!("{code} supplier"), "contact": "", "currency": "EUR",
        "lead_time_days": lead_time, "lead_time_sd_days": "1.5", "order_cost": "40.00", "version": 1,
        "created_at": AT, "updated_at": AT, "deleted_at": null,
    })
}

/// What a supplier sells of a product: packs of `pack`.
pub fn supplier_product(id: Uuid, supplier: Uuid, product: Uuid, pack: &str) -> Value {
    json!({
        "id": id, "supplier_id": supplier, "product_id": product, "supplier_sku": "A-1", "cost_price": "0.40",
        "pack_size": pack, "min_order": "24", "lead_time_days": null, "is_primary": 1, "version": 1,
        "created_at": AT, "updated_at": AT, "deleted_at": null,
    })
}

/// An override of a product's stock policy at a location.
pub fn stock_policy_override(
    id: Uuid,
    location: Uuid,
    product: Uuid,
    reorder_point: Option<&str>,
    reason: &str,
    by: Uuid,
) -> Value {
    json!({
        "id": id, "location_id": location, "product_id": product, "reorder_point": reorder_point,
        "order_quantity": null, "reason": reason, "created_by": by, "version": 1,
        "created_at": AT, "updated_at": AT, "deleted_at": null,
    })
}

/// A purchase order to `supplier` for delivery at `location`, as `status` says.
pub fn purchase_order(id: Uuid, supplier: Uuid, location: Uuid, status: &str, by: Uuid) -> Value {
    json!({
        "id": id, "supplier_id": supplier, "location_id": location, "status": status, "note": "",
        "created_by": by, "created_at": AT, "version": 1, "updated_at": AT,
    })
}

/// A line of an order: `quantity` of a product at 0.40 each.
pub fn purchase_order_line(id: Uuid, order: Uuid, product: Uuid, quantity: i64) -> Value {
    json!({
        "id": id, "order_id": order, "product_id": product, "quantity": quantity.to_string(),
        "unit_cost": "0.40", "expected_on": &AT[..10], "version": 1, "created_at": AT, "updated_at": AT,
        "deleted_at": null,
    })
}

/// A receipt of `quantity` against an order line, `note` saying why when more came than ordered.
pub fn receipt(
    id: Uuid,
    (product, location): (Uuid, Uuid),
    line: Uuid,
    by: Uuid,
    quantity: i64,
    note: &str,
) -> Value {
    json!({
        "id": id, "moved_on": &AT[..10], "location_id": location, "product_id": product,
        "quantity": quantity.to_string(), "reason": "receipt", "note": note, "import_id": null,
        "fingerprint": null, "order_line_id": line, "created_by": by, "created_at": AT,
    })
}

/// A transfer from one location to another, in `status`, asked for by `by`.
pub fn transfer(id: Uuid, from: Uuid, to: Uuid, status: &str, by: Uuid) -> Value {
    json!({
        "id": id, "from_location_id": from, "to_location_id": to, "status": status, "note": "",
        "created_by": by, "created_at": AT, "version": 1, "updated_at": AT,
    })
}

/// A line of a transfer: `quantity` of a product.
pub fn transfer_line(id: Uuid, transfer: Uuid, product: Uuid, quantity: i64) -> Value {
    json!({
        "id": id, "transfer_id": transfer, "product_id": product, "quantity": quantity.to_string(),
        "shipped": null, "version": 1, "created_at": AT, "updated_at": AT, "deleted_at": null,
    })
}

/// A transfer's movement: stock leaving (`transfer_out`), arriving
/// (`transfer_in`) or written off (`adjustment`) against a line.
pub fn transfer_movement(
    id: Uuid,
    (product, location): (Uuid, Uuid),
    line: Uuid,
    (reason, quantity): (&str, i64),
    discrepancy: Option<&str>,
    note: &str,
    by: Uuid,
) -> Value {
    json!({
        "id": id, "moved_on": &AT[..10], "location_id": location, "product_id": product,
        "quantity": quantity.to_string(), "reason": reason, "note": note, "import_id": null,
        "fingerprint": null, "transfer_line_id": line, "discrepancy": discrepancy,
        "created_by": by, "created_at": AT,
    })
}

/// A saved report of `by`'s: sales by branch this fiscal year against last year.
pub fn saved_report(id: Uuid, name: &str, by: Uuid, shared: bool) -> Value {
    json!({
        "id": id, "name": name, "shared": shared, "created_by": by, "version": 1,
        "definition": r#"{"measures":["sales_amount"],"rows":["branch"],"period":{"kind":"fiscal_year","year":null},"comparison":"last_year","visual":"bar"}"#,
        "created_at": AT, "updated_at": AT, "deleted_at": null,
    })
}
