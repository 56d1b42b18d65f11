//! Stock policies (issue #14): for each product at each location, the safety
//! stock, the reorder point and the order quantity, worked out from the final
//! forecast, its measured error and the supplier's lead time and terms, and
//! each with its breakdown. Worked out again after every forecast run and
//! month close (in the same transaction), when the company's rules change, and
//! when Supply Chain asks; a person may override a policy with a reason, kept
//! until removed.
//!
//! - `work`: one item's arithmetic;
//! - `inputs`: what every item's policy is worked out from, read at once;
//! - `overrides`: people's overrides.

mod inputs;
mod overrides;
mod work;

pub use crate::model::policies::{
    DemandSource, OrderBasis, Policy, PolicyLine, PolicyMethod, PolicyOverride, SigmaSource,
};
pub use overrides::{NewPolicyOverride, remove_override, set_override};

use crate::access::{Action, Actor, Resource};
use crate::error::{Error, Result};
use crate::ledger::{self, Change, ChangeKind, Entity, Ledger, Reader, Write};
use crate::timestamp::Timestamp;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;
use uuid::Uuid;
pub(crate) use work::DAYS_PER_MONTH;
use work::{Rules, decimal, work_out};

/// The policies in the actor's scope and when they were worked out.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PolicyList {
    pub computed_at: Option<Timestamp>,
    pub lines: Vec<PolicyLine>,
}

/// The policies the actor may see (of one location or product if asked), by location and SKU.
pub fn policies(
    ledger: &Ledger,
    actor: &Actor,
    location_id: Option<Uuid>,
    product_id: Option<Uuid>,
) -> Result<PolicyList> {
    let scope = actor.scope_for(Action::ViewStock)?;
    let conn = ledger.read();
    let mut computed = ledger::policies::computed(conn, scope, actor, location_id, product_id)?;
    computed.sort_by(|a, b| (&a.location_code, &a.sku).cmp(&(&b.location_code, &b.sku)));
    let mut overrides = ledger::policies::live_overrides(conn)?;
    let lines = computed
        .into_iter()
        .map(|policy| {
            let overridden = overrides.remove(&(policy.location_id, policy.product_id));
            line(policy, overridden)
        })
        .collect();
    Ok(PolicyList {
        computed_at: ledger::policies::computed_at(conn)?,
        lines,
    })
}

/// One item's policy, for one who may see its location's stock.
pub fn policy(
    ledger: &Ledger,
    actor: &Actor,
    location_id: Uuid,
    product_id: Uuid,
) -> Result<PolicyLine> {
    actor.require(Action::ViewStock, &Resource::at_location(location_id))?;
    found(ledger.read(), actor, location_id, product_id)
}

fn found(
    conn: Reader<'_>,
    actor: &Actor,
    location_id: Uuid,
    product_id: Uuid,
) -> Result<PolicyLine> {
    let policy = ledger::policies::computed(
        conn,
        crate::access::Scope::All,
        actor,
        Some(location_id),
        Some(product_id),
    )?
    .pop()
    .ok_or_else(|| {
        Error::not_found(
            "stock policy",
            format!(
                "location {location_id}, product {product_id} (policies cover what sells or is forecast; run the forecast or `policy recompute`)"
            ),
        )
    })?;
    let overridden = ledger::policies::find_override(conn, location_id, product_id)?
        .and_then(|(row, live)| live.then_some(row));
    Ok(line(policy, overridden))
}

fn line(computed: Policy, overridden: Option<PolicyOverride>) -> PolicyLine {
    let (reorder_point, order_quantity) = applied(&computed, overridden.as_ref());
    PolicyLine {
        computed,
        overridden,
        reorder_point,
        order_quantity,
    }
}

/// The reorder point and order quantity that apply: the override's where it
/// sets them, else the computed ones.
pub(crate) fn applied(
    computed: &Policy,
    overridden: Option<&PolicyOverride>,
) -> (Decimal, Decimal) {
    (
        overridden
            .and_then(|over| over.reorder_point)
            .unwrap_or(computed.reorder_point),
        overridden
            .and_then(|over| over.order_quantity)
            .unwrap_or(computed.order_quantity),
    )
}

/// What a run of the policies did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PolicyRunSummary {
    #[ts(type = "number")]
    pub policies: usize,
    pub computed_at: Timestamp,
}

/// Works every policy out again now (after a supplier's terms changed, say).
pub fn recompute(ledger: &mut Ledger, actor: &Actor) -> Result<PolicyRunSummary> {
    actor.require(Action::EditPolicies, &Resource::company())?;
    ledger.write(Some(actor), |write| {
        let summary = recompute_in(write, actor)?;
        write.record(Change {
            entity: Entity::PolicyRun,
            entity_id: Uuid::now_v7(),
            kind: ChangeKind::Created,
            payload: serde_json::json!({ "policies": summary.policies }),
            base_version: None,
        })?;
        Ok(summary)
    })
}

/// Works every policy out again inside an open write (a forecast run's, a
/// settings change's), from what the ledger holds, whoever's scope it is.
pub(crate) fn recompute_in(write: &mut Write<'_>, actor: &Actor) -> Result<PolicyRunSummary> {
    let computed_at = Timestamp::now();
    let policies = work_out_all(write.read(), actor)?;
    ledger::policies::replace(write, &policies, computed_at)?;
    Ok(PolicyRunSummary {
        policies: policies.len(),
        computed_at,
    })
}

fn work_out_all(conn: Reader<'_>, actor: &Actor) -> Result<Vec<Policy>> {
    let rules = ledger::settings::stock_rules(conn)?;
    let inputs = inputs::gather(conn, actor, &rules)?;
    let service_levels: HashMap<char, Decimal> = HashMap::from([
        ('A', rules.service_level_a),
        ('B', rules.service_level_b),
        ('C', rules.service_level_c),
    ]);
    let mut policies = Vec::with_capacity(inputs.items.len());
    for item in inputs.items {
        let (Some(location), Some(product)) = (
            inputs.locations.get(&item.location_id),
            inputs.products.get(&item.product_id),
        ) else {
            continue;
        };
        let abc = inputs.abc.get(&item.product_id).copied().unwrap_or('C');
        let service_level = service_levels[&abc];
        let worked = work_out(
            &item.demand,
            &item.supply,
            Rules {
                service_level: service_level.to_f64().unwrap_or(0.0),
                holding_rate: f64::from(rules.holding_cost_percent) / 100.0,
                order_cover_months: f64::from(rules.order_cover_months),
            },
        );
        policies.push(Policy {
            location_id: item.location_id,
            location_code: location.code.clone(),
            product_id: item.product_id,
            sku: product.sku.clone(),
            product_name: product.name.clone(),
            unit: product.unit.clone(),
            abc: abc.to_string(),
            service_level,
            demand_source: item.demand_source,
            first_month: inputs.first_month,
            demand: item.demand.monthly.iter().map(|q| decimal(*q, 2)).collect(),
            demand_per_month: worked.demand_per_month,
            supplied_by: item.supply.supplied_by,
            lead_time_days: decimal(item.supply.lead_days, 1),
            lead_time_sd_days: decimal(item.supply.lead_sd_days, 1),
            sigma: decimal(item.demand.sigma, 2),
            sigma_source: item.demand.sigma_source,
            sigma_points: item.demand.sigma_points,
            method: worked.method,
            z: worked.z,
            lead_time_demand: worked.lead_time_demand,
            safety_stock: worked.safety_stock,
            reorder_point: worked.reorder_point,
            eoq: worked.eoq,
            order_quantity: worked.order_quantity,
            order_basis: worked.order_basis,
            fill_rate: worked.fill_rate,
            unit_cost: item.supply.unit_cost.map(|cost| decimal(cost, 4)),
            notes: item.notes,
        });
    }
    Ok(policies)
}
