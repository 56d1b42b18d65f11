//! Replenishing the branches from the warehouse (DRP): for each branch and
//! product, the target stock is the final forecast's demand over the lane's
//! lead time and the review period plus the branch's safety stock, and the
//! need is what the target lacks counting the branch's inventory position
//! (what it holds, what transfers and open orders bring it, less what it has
//! promised away: `stock::position`), rounded up to whole packs. Where the
//! warehouse holds less than its branches need (keeping its own safety stock
//! unless told otherwise), a rule shares it out (`allocation`). Worked out in
//! one pass in memory from a handful of reads, and released into approved
//! transfers, one per branch, in one write.

use super::allocation::{self, Claim, Rule};
use super::{Transfer, found, steps};
use crate::access::{Action, Actor, Resource, Scope, can};
use crate::error::{Error, Result};
use crate::ledger::{self, Ledger, Reader};
use crate::model::policies::{Policy, PolicyLine, PolicyOverride};
use crate::model::settings::StockSettings;
use crate::reference::LocationKind;
use crate::stock::Names;
use crate::stock::position::Pipeline;
use crate::timestamp::{Day, Timestamp};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use salesplan_domain::transfers::TransferStep;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;
use uuid::Uuid;

/// How to work the proposal out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReplenishRequest {
    #[serde(default)]
    pub rule: Rule,
    /// Branches in priority order for the priority rule (those not named come after, as equals).
    #[serde(default)]
    pub priority: Vec<Uuid>,
    /// Share out the warehouse's safety stock too.
    #[serde(default)]
    pub below_safety: bool,
}

/// What each branch needs from the warehouse, product by product, and what it gets.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Replenishment {
    pub rule: Rule,
    pub warehouse_id: Uuid,
    pub warehouse_code: String,
    /// The lane's lead time and the review period, in days.
    pub lead_time_days: u16,
    pub review_days: u8,
    /// When the stock policies (safety stock, demand) were worked out.
    pub policies_computed_at: Option<Timestamp>,
    /// The products some branch needs, by SKU.
    pub items: Vec<ReplenishItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReplenishItem {
    pub product_id: Uuid,
    pub sku: String,
    pub product_name: String,
    pub unit: String,
    /// What a branch's need is rounded up to a whole number of.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub pack: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub warehouse_on_hand: Decimal,
    /// Approved to leave the warehouse, not shipped yet.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub warehouse_committed: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub warehouse_safety: Decimal,
    /// What the warehouse may give: on hand less committed, less its safety stock unless told otherwise.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub available: Decimal,
    /// All the branches' needs together.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub needed: Decimal,
    /// The warehouse holds less than the branches need: the rule shared it out.
    pub short: bool,
    pub branches: Vec<BranchNeed>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BranchNeed {
    pub location_id: Uuid,
    pub location_code: String,
    /// The final forecast's demand over the lead time and the review period.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub demand: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub safety_stock: Decimal,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub target: Decimal,
    /// On hand, in transit to it, and approved to come.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub position: Decimal,
    /// The target less the position, in whole packs.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub need: Decimal,
    /// What the rule gives it.
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub allocated: Decimal,
    /// Months its stock lasts at the forecast's demand once the allocation arrives.
    #[ts(type = "string | null")]
    #[serde(with = "rust_decimal::serde::str_option")]
    pub cover_after: Option<Decimal>,
}

/// One branch's share of a product to release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReleaseLine {
    pub location_id: Uuid,
    pub product_id: Uuid,
    #[ts(type = "string")]
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
}

/// The demand of `policy` over `days` days from `today`, month by month as forecast.
pub(crate) fn demand_over(policy: &Policy, today: Day, days: i64) -> Decimal {
    let mut left = days;
    let mut total = Decimal::ZERO;
    let mut rate = policy.demand_per_month / Decimal::from(30);
    for (at, monthly) in policy.demand.iter().enumerate() {
        let month = policy
            .first_month
            .plus(i32::try_from(at).unwrap_or(i32::MAX));
        if month < today.month() || left <= 0 {
            continue;
        }
        let length = i64::from(Day::days_in(month));
        let from = if month == today.month() {
            i64::from(today.day_of_month()) - 1
        } else {
            0
        };
        let taken = left.min(length - from);
        rate = *monthly / Decimal::from(length);
        total += rate * Decimal::from(taken);
        left -= taken;
    }
    // Past the forecast's horizon: its last month's rate.
    total + rate * Decimal::from(left.max(0))
}

/// `quantity` rounded up to whole `pack`s.
fn in_packs(quantity: Decimal, pack: Decimal) -> Decimal {
    if quantity <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let pack = if pack > Decimal::ZERO {
        pack
    } else {
        Decimal::ONE
    };
    (quantity / pack).ceil() * pack
}

/// Everything a proposal and the rebalancing suggestions are worked out
/// from, read at once.
pub(crate) struct Inputs {
    pub names: Names,
    /// The warehouse the branches are replenished from, if there is one.
    pub warehouse: Option<(Uuid, String)>,
    pub rules: StockSettings,
    pub policies: Vec<Policy>,
    /// People's overrides of the policies, per (location, product).
    pub overrides: HashMap<(Uuid, Uuid), PolicyOverride>,
    /// On hand per (location, product).
    pub levels: HashMap<(Uuid, Uuid), Decimal>,
    /// What is coming to and promised from each item.
    pub pipeline: Pipeline,
    pub packs: HashMap<Uuid, Decimal>,
    pub today: Day,
}

/// What a branch's policy says it needs: (demand over the lead time and
/// review period, target, position, need in whole packs).
pub(crate) struct Need {
    pub demand: Decimal,
    pub target: Decimal,
    pub position: Decimal,
    pub need: Decimal,
}

impl Inputs {
    pub(crate) fn read(conn: Reader<'_>, actor: &Actor) -> Result<Inputs> {
        let policies = ledger::policies::computed(conn, Scope::All, actor, None, None)?;
        Inputs::read_with(conn, actor, policies)
    }

    /// `read`, from `lines` when they are every policy (else read anew).
    pub(crate) fn for_lines(
        conn: Reader<'_>,
        actor: &Actor,
        lines: &[PolicyLine],
        every: bool,
    ) -> Result<Inputs> {
        if every {
            let policies = lines.iter().map(|line| line.computed.clone()).collect();
            Inputs::read_with(conn, actor, policies)
        } else {
            Inputs::read(conn, actor)
        }
    }

    /// `read`, every policy already read.
    fn read_with(conn: Reader<'_>, actor: &Actor, policies: Vec<Policy>) -> Result<Inputs> {
        Ok(Inputs {
            names: Names::load(conn)?,
            warehouse: crate::reference::warehouses(conn)?.into_iter().next(),
            rules: ledger::settings::stock_rules(conn)?,
            policies,
            overrides: ledger::policies::live_overrides(conn)?,
            levels: ledger::stock::on_hand(conn, Scope::All, actor)?
                .into_iter()
                .collect(),
            // Draft orders count, as in the purchase proposal: they are about to be sent.
            pipeline: Pipeline::read(conn, true)?,
            packs: ledger::suppliers::lines(conn, None, None, false)?
                .into_iter()
                .filter(|line| line.terms.is_primary)
                .map(|line| (line.terms.product_id, line.terms.pack_size))
                .collect(),
            today: Day::today(),
        })
    }

    /// The warehouse the branches are replenished from.
    pub(crate) fn warehouse(&self) -> Result<(Uuid, String)> {
        self.warehouse.clone().ok_or_else(no_warehouse)
    }

    pub(crate) fn is_branch(&self, location: Uuid) -> bool {
        self.names
            .locations
            .get(&location)
            .is_some_and(|place| place.kind == LocationKind::Branch)
    }

    pub(crate) fn on_hand(&self, location: Uuid, product: Uuid) -> Decimal {
        self.levels
            .get(&(location, product))
            .copied()
            .unwrap_or_default()
    }

    pub(crate) fn pack(&self, product: Uuid) -> Decimal {
        self.packs.get(&product).copied().unwrap_or(Decimal::ONE)
    }

    /// Days from the warehouse to a branch, and between a branch's deliveries.
    pub(crate) fn horizon_days(&self) -> i64 {
        i64::from(self.rules.branch_lead_time_days) + i64::from(self.rules.review_days)
    }

    /// What a branch's policy says it needs now.
    pub(crate) fn need(&self, policy: &Policy) -> Need {
        let item = (policy.location_id, policy.product_id);
        let demand = demand_over(policy, self.today, self.horizon_days());
        let target = demand + policy.safety_stock;
        let position = self
            .pipeline
            .position(item, self.on_hand(policy.location_id, policy.product_id));
        Need {
            demand,
            target,
            position,
            need: in_packs(target - position, self.pack(policy.product_id)),
        }
    }

    /// Whether the purchase proposal orders this item straight to where it
    /// is: it is at or below its own reorder point (the override's, if any).
    pub(crate) fn ordered_direct(&self, policy: &Policy) -> bool {
        let item = (policy.location_id, policy.product_id);
        let (point, quantity) = crate::stock::policy::applied(policy, self.overrides.get(&item));
        let position = self.pipeline.position(item, self.on_hand(item.0, item.1));
        crate::purchasing::proposal::quantity(position, point, quantity).is_some()
    }

    /// What the branches will draw from the warehouse over its next `days`
    /// days, of each product asked for (DRP's gross requirement): each
    /// branch's need now, which lasts it the lane's lead time and the review
    /// period, and past that its forecast demand. A branch at or below its own
    /// reorder point is proposed an order straight to it (`ordered_direct`):
    /// the warehouse counts only its demand to come, so no need is ordered twice.
    pub(crate) fn drawn_by_branches(&self, days: &HashMap<Uuid, i64>) -> HashMap<Uuid, Decimal> {
        let covered = self.horizon_days();
        let mut drawn: HashMap<Uuid, Decimal> = HashMap::new();
        for policy in &self.policies {
            let Some(days) = days.get(&policy.product_id) else {
                continue;
            };
            if !self.is_branch(policy.location_id) {
                continue;
            }
            let later =
                demand_over(policy, self.today, *days) - demand_over(policy, self.today, covered);
            let now = if self.ordered_direct(policy) {
                Decimal::ZERO
            } else {
                self.need(policy).need
            };
            *drawn.entry(policy.product_id).or_default() += now + later.max(Decimal::ZERO);
        }
        drawn
    }
}

/// The reorder points the purchase proposal and the reorder alert decide
/// by: each policy's, except at the warehouse, where the lead time's demand
/// is what its branches will draw from it within the supplier's lead time
/// (`Inputs::drawn_by_branches`), plus its safety stock, in whole units,
/// unless an override sets the reorder point.
pub(crate) struct ReorderPoints {
    warehouse: Option<Uuid>,
    drawn: HashMap<Uuid, Decimal>,
}

impl ReorderPoints {
    /// The reorder points of `lines` (the policies the actor sees, read with
    /// their overrides): the branches' draw is worked out only if the actor
    /// sees the warehouse, from `lines` when they are every policy.
    pub(crate) fn of_lines(
        conn: Reader<'_>,
        actor: &Actor,
        lines: &[PolicyLine],
    ) -> Result<ReorderPoints> {
        let warehouse = crate::reference::warehouses(conn)?.into_iter().next();
        let seen = warehouse
            .as_ref()
            .is_some_and(|(id, _)| can(actor, Action::ViewStock, &Resource::at_location(*id)));
        if !seen {
            return Ok(ReorderPoints {
                warehouse: None,
                drawn: HashMap::new(),
            });
        }
        let every = actor.scope_for(Action::ViewStock)? == Scope::All;
        let inputs = Inputs::for_lines(conn, actor, lines, every)?;
        Ok(ReorderPoints::new(&inputs, lines))
    }

    pub(crate) fn new(inputs: &Inputs, lines: &[PolicyLine]) -> ReorderPoints {
        let warehouse = inputs.warehouse.as_ref().map(|(id, _)| *id);
        let lead_days: HashMap<Uuid, i64> = lines
            .iter()
            .filter(|line| Some(line.computed.location_id) == warehouse)
            .map(|line| {
                let days = line.computed.lead_time_days.ceil().to_i64().unwrap_or(0);
                (line.computed.product_id, days)
            })
            .collect();
        ReorderPoints {
            warehouse,
            drawn: inputs.drawn_by_branches(&lead_days),
        }
    }

    /// The line's reorder point and, at the warehouse, its branches' draw.
    pub(crate) fn of(&self, line: &PolicyLine) -> (Decimal, Option<Decimal>) {
        let item = &line.computed;
        if Some(item.location_id) != self.warehouse {
            return (line.reorder_point, None);
        }
        let draw = self
            .drawn
            .get(&item.product_id)
            .copied()
            .unwrap_or_default();
        let overridden = line
            .overridden
            .as_ref()
            .is_some_and(|set| set.reorder_point.is_some());
        let point = if overridden {
            line.reorder_point
        } else {
            whole_up(draw + item.safety_stock)
        };
        (point, Some(crate::money::round(draw, 2)))
    }

    /// Whether an item at `position` is at or below the line's reorder point:
    /// time to order, as the alerts and the stock table say it.
    pub(crate) fn calls_for_order(&self, line: &PolicyLine, position: Decimal) -> bool {
        let (point, _) = self.of(line);
        point > Decimal::ZERO && position <= point
    }
}

/// `quantity` up to whole units, as a policy's reorder point (its sums' last
/// digits, past a millionth, do not tip it).
fn whole_up(quantity: Decimal) -> Decimal {
    crate::money::round(quantity, 6).ceil()
}

fn no_warehouse() -> Error {
    Error::invalid(
        "location",
        "there is no warehouse to replenish the branches from: add a location of kind warehouse",
    )
}

/// The proposal, of the branches the actor sees transfers of.
pub fn propose(
    ledger: &Ledger,
    actor: &Actor,
    request: &ReplenishRequest,
) -> Result<Replenishment> {
    actor.scope_for(Action::ViewTransfers)?;
    let conn = ledger.read();
    let inputs = Inputs::read(conn, actor)?;
    let (warehouse, warehouse_code) = inputs.warehouse()?;
    let rank = |location: Uuid| {
        request
            .priority
            .iter()
            .position(|first| *first == location)
            .map_or(u32::MAX, |at| u32::try_from(at).unwrap_or(u32::MAX - 1))
    };
    let mut safety_at_warehouse: HashMap<Uuid, Decimal> = HashMap::new();
    let mut needs: BTreeMap<String, Vec<BranchNeed>> = BTreeMap::new();
    let mut products: HashMap<String, Uuid> = HashMap::new();
    let mut monthly: HashMap<(Uuid, Uuid), Decimal> = HashMap::new();
    for policy in &inputs.policies {
        if policy.location_id == warehouse {
            safety_at_warehouse.insert(policy.product_id, policy.safety_stock);
            continue;
        }
        if !inputs.is_branch(policy.location_id) {
            continue;
        }
        let Need {
            demand,
            target,
            position,
            need,
        } = inputs.need(policy);
        monthly.insert(
            (policy.location_id, policy.product_id),
            policy.demand_per_month,
        );
        products.insert(policy.sku.clone(), policy.product_id);
        needs
            .entry(policy.sku.clone())
            .or_default()
            .push(BranchNeed {
                location_id: policy.location_id,
                location_code: policy.location_code.clone(),
                demand: crate::money::round(demand, 2),
                safety_stock: policy.safety_stock,
                target: crate::money::round(target, 2),
                position,
                need,
                allocated: Decimal::ZERO,
                cover_after: None,
            });
    }
    let mut items = Vec::new();
    for (sku, mut branches) in needs {
        if branches.iter().all(|branch| branch.need.is_zero()) {
            continue;
        }
        branches.sort_by(|a, b| a.location_code.cmp(&b.location_code));
        let product_id = products[&sku];
        let on_hand = inputs.on_hand(warehouse, product_id);
        let held_back = inputs.pipeline.promised((warehouse, product_id));
        let safety = safety_at_warehouse
            .get(&product_id)
            .copied()
            .unwrap_or_default();
        let kept = if request.below_safety {
            Decimal::ZERO
        } else {
            safety
        };
        // Whole units: what a safety stock's fraction holds back is not given out.
        let available = (on_hand - held_back - kept).floor().max(Decimal::ZERO);
        let claims: Vec<Claim> = branches
            .iter()
            .map(|branch| Claim {
                need: branch.need,
                position: branch.position,
                target: branch.target,
                priority: rank(branch.location_id),
            })
            .collect();
        let needed: Decimal = branches.iter().map(|branch| branch.need).sum();
        let shares = allocation::allocate(request.rule, available, &claims);
        for (branch, share) in branches.iter_mut().zip(shares) {
            branch.allocated = share;
            let per_month = monthly[&(branch.location_id, product_id)];
            branch.cover_after = (per_month > Decimal::ZERO)
                .then(|| crate::money::round((branch.position + share) / per_month, 1));
        }
        branches.retain(|branch| {
            can(
                actor,
                Action::ViewTransfers,
                &Resource::at_location(branch.location_id),
            )
        });
        if branches.is_empty() {
            continue;
        }
        let product = inputs.names.products.get(&product_id);
        items.push(ReplenishItem {
            product_id,
            sku,
            product_name: product.map(|p| p.name.clone()).unwrap_or_default(),
            unit: product.map(|p| p.unit.clone()).unwrap_or_default(),
            pack: inputs.pack(product_id),
            warehouse_on_hand: on_hand,
            warehouse_committed: held_back,
            warehouse_safety: safety,
            available,
            needed,
            short: needed > available,
            branches,
        });
    }
    Ok(Replenishment {
        rule: request.rule,
        warehouse_id: warehouse,
        warehouse_code,
        lead_time_days: inputs.rules.branch_lead_time_days,
        review_days: inputs.rules.review_days,
        policies_computed_at: ledger::policies::computed_at(conn)?,
        items,
    })
}

/// Releases the proposal's lines (as the user left them) into transfers from
/// the warehouse, one per branch, approved: all of them in one write.
pub fn release(ledger: &mut Ledger, actor: &Actor, lines: &[ReleaseLine]) -> Result<Vec<Transfer>> {
    actor.scope_for(Action::Distribute)?;
    let (warehouse, _) = crate::reference::warehouses(ledger.read())?
        .into_iter()
        .next()
        .ok_or_else(no_warehouse)?;
    let mut by_branch: BTreeMap<Uuid, Vec<super::NewTransferLine>> = BTreeMap::new();
    for (at, line) in lines.iter().enumerate() {
        if line.quantity < Decimal::ZERO {
            return Err(Error::invalid(
                format!("lines[{at}].quantity"),
                format!("a release moves 0 or more (got {})", line.quantity),
            ));
        }
        if line.quantity.is_zero() {
            continue;
        }
        by_branch
            .entry(line.location_id)
            .or_default()
            .push(super::NewTransferLine {
                product_id: line.product_id,
                quantity: line.quantity,
            });
    }
    if by_branch.is_empty() {
        return Err(Error::invalid(
            "lines",
            "nothing to release: every quantity is 0",
        ));
    }
    ledger.write(Some(actor), |write| {
        let mut made = Vec::new();
        for (branch, lines) in by_branch {
            let new = super::NewTransfer {
                from_location_id: warehouse,
                to_location_id: branch,
                note: "replenishment".into(),
                lines,
            };
            let id = super::request::request_in(write, actor, new)?.id;
            steps::take(write, actor, id, TransferStep::Approve, "")?;
            made.push(found(write.read(), id)?);
        }
        Ok(made)
    })
}
