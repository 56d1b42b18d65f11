//! Transfers between locations (DESIGN §2.5): requested → approved → shipped
//! → closed, or cancelled before it ships. What a transfer may do next is
//! decided here, by the laptop that takes the step and by head office that
//! receives it, from the same facts: the status a person's steps gave it, and
//! what its lines shipped and what has arrived (stock movements naming the
//! line, facts that travel on their own), which together are its state.
//!
//! Stock is conserved: shipping takes a line's quantity out at the source
//! (`transfer_out`), and it is in transit until it arrives (`transfer_in` at
//! the destination). What did not arrive whole is recorded as it is found,
//! each with a reason: a shortfall or a damage arrives and is written off at
//! once (an adjustment naming the line), a surplus arrives over what shipped.

use crate::access::Action;
use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What people made of the transfer: the status it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TransferStatus {
    Requested,
    Approved,
    Shipped,
    Closed,
    Cancelled,
}

impl TransferStatus {
    pub const ALL: [TransferStatus; 5] = [
        TransferStatus::Requested,
        TransferStatus::Approved,
        TransferStatus::Shipped,
        TransferStatus::Closed,
        TransferStatus::Cancelled,
    ];

    pub fn key(self) -> &'static str {
        match self {
            TransferStatus::Requested => "requested",
            TransferStatus::Approved => "approved",
            TransferStatus::Shipped => "shipped",
            TransferStatus::Closed => "closed",
            TransferStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(key: &str) -> Option<TransferStatus> {
        TransferStatus::ALL
            .into_iter()
            .find(|status| status.key() == key)
    }
}

/// A line's flow: what it shipped and what of it has arrived at the
/// destination so far (received, or found short or damaged there).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flow {
    pub shipped: Decimal,
    pub arrived: Decimal,
}

impl Flow {
    /// What is still on its way: shipped and not arrived.
    pub fn in_transit(self) -> Decimal {
        (self.shipped - self.arrived).max(Decimal::ZERO)
    }
}

/// Where a transfer stands: its status and, once shipped, what has arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TransferState {
    Requested,
    Approved,
    /// Shipped, nothing arrived yet.
    InTransit,
    PartiallyReceived,
    /// Everything shipped has arrived (or been recorded short); it closes next.
    Received,
    Closed,
    Cancelled,
}

impl TransferState {
    pub const ALL: [TransferState; 7] = [
        TransferState::Requested,
        TransferState::Approved,
        TransferState::InTransit,
        TransferState::PartiallyReceived,
        TransferState::Received,
        TransferState::Closed,
        TransferState::Cancelled,
    ];

    /// The state of a transfer holding `status` whose lines flowed `lines`.
    pub fn of(status: TransferStatus, lines: &[Flow]) -> TransferState {
        match status {
            TransferStatus::Requested => TransferState::Requested,
            TransferStatus::Approved => TransferState::Approved,
            TransferStatus::Closed => TransferState::Closed,
            TransferStatus::Cancelled => TransferState::Cancelled,
            // Nothing arrived: on its way (head office holds the step before
            // the lines' shipped quantities that come with it).
            TransferStatus::Shipped if lines.iter().all(|line| line.arrived.is_zero()) => {
                TransferState::InTransit
            }
            TransferStatus::Shipped if lines.iter().all(|line| line.in_transit().is_zero()) => {
                TransferState::Received
            }
            TransferStatus::Shipped => TransferState::PartiallyReceived,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            TransferState::Requested => "requested",
            TransferState::Approved => "approved",
            TransferState::InTransit => "in transit",
            TransferState::PartiallyReceived => "partially received",
            TransferState::Received => "received",
            TransferState::Closed => "closed",
            TransferState::Cancelled => "cancelled",
        }
    }

    /// The state a person types (`in-transit`, `in transit`, `partially_received`).
    pub fn parse(key: &str) -> Option<TransferState> {
        let key = key.trim().replace(['-', '_'], " ");
        TransferState::ALL
            .into_iter()
            .find(|state| state.key().eq_ignore_ascii_case(&key))
    }

    /// Whether stock is on its way under the transfer.
    pub fn is_moving(self) -> bool {
        matches!(
            self,
            TransferState::InTransit | TransferState::PartiallyReceived
        )
    }
}

/// A person's step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TransferStep {
    Approve,
    Ship,
    Close,
    Cancel,
}

impl TransferStep {
    pub const ALL: [TransferStep; 4] = [
        TransferStep::Approve,
        TransferStep::Ship,
        TransferStep::Close,
        TransferStep::Cancel,
    ];

    /// The step that moves a status `from` to `to`.
    pub fn between(from: TransferStatus, to: TransferStatus) -> Option<TransferStep> {
        use TransferStatus as S;
        match (from, to) {
            (S::Requested, S::Approved) => Some(TransferStep::Approve),
            (S::Approved, S::Shipped) => Some(TransferStep::Ship),
            (S::Shipped, S::Closed) => Some(TransferStep::Close),
            (S::Requested | S::Approved, S::Cancelled) => Some(TransferStep::Cancel),
            _ => None,
        }
    }

    pub fn to(self) -> TransferStatus {
        match self {
            TransferStep::Approve => TransferStatus::Approved,
            TransferStep::Ship => TransferStatus::Shipped,
            TransferStep::Close => TransferStatus::Closed,
            TransferStep::Cancel => TransferStatus::Cancelled,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            TransferStep::Approve => "approve",
            TransferStep::Ship => "ship",
            TransferStep::Close => "close",
            TransferStep::Cancel => "cancel",
        }
    }

    /// The fields of a transfer the step sets besides its status: who took
    /// it and when (and why, for a cancel).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            TransferStep::Approve => &["approved_by", "approved_at"],
            TransferStep::Ship => &["shipped_by", "shipped_at"],
            TransferStep::Close => &["closed_by", "closed_at"],
            TransferStep::Cancel => &["cancelled_by", "cancelled_at", "cancel_reason"],
        }
    }

    /// The right the step takes, and at which end: approving and shipping are
    /// Supply Chain's (shipping posts stock at the source); closing is the
    /// receiver's, at the destination; a request is cancelled by who may
    /// request for the destination while it waits, an approved one by Supply Chain.
    pub fn right(self, state: TransferState) -> (Action, End) {
        match self {
            TransferStep::Cancel if state == TransferState::Requested => {
                (Action::RequestTransfers, End::To)
            }
            TransferStep::Close => (Action::PostStock, End::To),
            TransferStep::Ship => (Action::Distribute, End::From),
            TransferStep::Approve | TransferStep::Cancel => (Action::Distribute, End::To),
        }
    }

    /// Whether the step may be taken from `state`; `lines`: the transfer's
    /// lines; `reason`: why (cancelling an approved transfer must say why:
    /// the branch counts on it).
    pub fn check(self, state: TransferState, lines: usize, reason: &str) -> Result<()> {
        use TransferState as T;
        let refused = |rule: String| Err(Error::invalid("status", rule));
        match (self, state) {
            (TransferStep::Approve | TransferStep::Ship, T::Requested | T::Approved)
                if lines == 0 =>
            {
                Err(Error::invalid(
                    "lines",
                    "a transfer with no lines moves nothing: add what to move first",
                ))
            }
            (TransferStep::Approve, T::Requested) => Ok(()),
            (TransferStep::Ship, T::Approved) => Ok(()),
            (TransferStep::Ship, T::Requested) => refused(
                "the transfer is requested: Supply Chain approves it before it ships".into(),
            ),
            (TransferStep::Close, T::Received) => Ok(()),
            (TransferStep::Close, T::InTransit | T::PartiallyReceived) => refused(format!(
                "the transfer is {}: receive what is still on its way, or record it short, before closing",
                state.key()
            )),
            (TransferStep::Cancel, T::Requested) => Ok(()),
            (TransferStep::Cancel, T::Approved) if reason.trim().is_empty() => Err(Error::invalid(
                "reason",
                "is required to cancel an approved transfer: say why (the branch counts on it)",
            )),
            (TransferStep::Cancel, T::Approved) => Ok(()),
            (TransferStep::Cancel, state) => refused(format!(
                "the transfer is {}: only a transfer that has not shipped is cancelled",
                state.key()
            )),
            (step, state) => refused(format!(
                "the transfer is {}: it cannot be {} now",
                state.key(),
                match step {
                    TransferStep::Approve => "approved",
                    TransferStep::Ship => "shipped",
                    TransferStep::Close => "closed",
                    TransferStep::Cancel => "cancelled",
                }
            )),
        }
    }
}

/// Which end of a transfer a right is checked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    From,
    To,
}

/// A transfer's fields that only its steps set.
pub const STEP_FIELDS: [&str; 10] = [
    "status",
    "approved_by",
    "approved_at",
    "shipped_by",
    "shipped_at",
    "closed_by",
    "closed_at",
    "cancelled_by",
    "cancelled_at",
    "cancel_reason",
];

/// A transfer goes between two different locations.
pub fn check_route(from: uuid::Uuid, to: uuid::Uuid) -> Result<()> {
    if from == to {
        return Err(Error::invalid(
            "to_location_id",
            "a transfer goes to another location than the one it leaves",
        ));
    }
    Ok(())
}

/// What a transfer's lines may change in each state: what to move while it
/// is requested or approved; what each line shipped, once, as it ships;
/// nothing after that.
pub fn check_line_edit(state: TransferState, fields: &[&str]) -> Result<()> {
    let shipping = fields.contains(&"shipped");
    match state {
        TransferState::Requested | TransferState::Approved if shipping => Err(Error::invalid(
            "shipped",
            format!(
                "the transfer is {}: a line's shipped quantity is set as it ships",
                state.key()
            ),
        )),
        TransferState::Requested | TransferState::Approved => Ok(()),
        TransferState::InTransit => match fields.iter().find(|field| **field != "shipped") {
            Some(field) => Err(Error::invalid(
                *field,
                "the transfer has shipped: its lines no longer change",
            )),
            None => Ok(()),
        },
        _ => Err(Error::invalid(
            fields.first().copied().unwrap_or("transfer_id"),
            format!(
                "the transfer is {}: its lines no longer change",
                state.key()
            ),
        )),
    }
}

/// What a line ships: at most what was approved; nothing is fine (the
/// source had none), it then moves nothing.
pub fn check_shipped(approved: Decimal, shipped: Decimal) -> Result<()> {
    if shipped < Decimal::ZERO {
        return Err(Error::invalid(
            "shipped",
            format!("a line ships 0 or more (got {shipped})"),
        ));
    }
    if shipped > approved {
        return Err(Error::invalid(
            "shipped",
            format!(
                "{shipped} is more than the {approved} approved: ship what was approved, or have the line approved for more first"
            ),
        ));
    }
    Ok(())
}

/// Stock leaving the source for a line that `shipped` and has sent out
/// `dispatched` already: only on a shipped transfer, up to what the line shipped.
pub fn check_dispatch(
    state: TransferState,
    shipped: Decimal,
    dispatched: Decimal,
    quantity: Decimal,
) -> Result<()> {
    if !matches!(
        state,
        TransferState::InTransit | TransferState::PartiallyReceived | TransferState::Received
    ) {
        return Err(Error::invalid(
            "transfer_line_id",
            format!(
                "the transfer is {}: stock leaves for it as it ships",
                state.key()
            ),
        ));
    }
    if quantity <= Decimal::ZERO || dispatched + quantity > shipped {
        return Err(Error::invalid(
            "quantity",
            format!(
                "the line shipped {shipped}, and {dispatched} has left for it: {quantity} more would be more than it shipped"
            ),
        ));
    }
    Ok(())
}

/// What did not arrive as shipped: recorded with a reason, each as its own movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Discrepancy {
    /// Shipped and never arrived: written off on arrival.
    Short,
    /// Arrived unusable: written off on arrival.
    Damaged,
    /// Arrived over what was shipped.
    Surplus,
}

impl Discrepancy {
    pub const ALL: [Discrepancy; 3] = [
        Discrepancy::Short,
        Discrepancy::Damaged,
        Discrepancy::Surplus,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Discrepancy::Short => "short",
            Discrepancy::Damaged => "damaged",
            Discrepancy::Surplus => "surplus",
        }
    }

    pub fn parse(key: &str) -> Option<Discrepancy> {
        Discrepancy::ALL
            .into_iter()
            .find(|kind| kind.key() == key.trim())
    }

    /// Whether what arrived is written off at once (it is not there to use).
    pub fn is_written_off(self) -> bool {
        matches!(self, Discrepancy::Short | Discrepancy::Damaged)
    }
}

/// An arrival of `quantity` on a line that shipped `flow.shipped` and has
/// had `flow.arrived` arrive, on a transfer in `state`: received as it is,
/// or recorded as a `discrepancy`, which needs `reason`. Only a surplus
/// brings more than is still on its way.
pub fn check_arrival(
    state: TransferState,
    flow: Flow,
    quantity: Decimal,
    discrepancy: Option<Discrepancy>,
    reason: &str,
) -> Result<()> {
    match state {
        TransferState::InTransit | TransferState::PartiallyReceived | TransferState::Received => {}
        TransferState::Cancelled => {
            return Err(Error::invalid(
                "transfer_line_id",
                "the transfer is cancelled: nothing is received against it",
            ));
        }
        TransferState::Closed => {
            return Err(Error::invalid(
                "transfer_line_id",
                "the transfer is closed: nothing more is received against it",
            ));
        }
        TransferState::Requested | TransferState::Approved => {
            return Err(Error::invalid(
                "transfer_line_id",
                format!(
                    "the transfer is {}: it is received once it has shipped",
                    state.key()
                ),
            ));
        }
    }
    if quantity <= Decimal::ZERO {
        return Err(Error::invalid(
            "quantity",
            format!("an arrival brings more than 0 (got {quantity})"),
        ));
    }
    if let Some(kind) = discrepancy
        && reason.trim().is_empty()
    {
        return Err(Error::invalid(
            "reason",
            format!(
                "is required for stock recorded {}: say what happened",
                kind.key()
            ),
        ));
    }
    let on_its_way = flow.in_transit();
    if discrepancy != Some(Discrepancy::Surplus) && quantity > on_its_way {
        return Err(Error::invalid(
            "quantity",
            format!(
                "{quantity} is more than the {on_its_way} still on its way (shipped {}, arrived {}): record what came over it as a surplus, with a reason",
                flow.shipped, flow.arrived
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    fn flow(shipped: i64, arrived: i64) -> Flow {
        Flow {
            shipped: d(shipped),
            arrived: d(arrived),
        }
    }

    #[test]
    fn a_shipped_transfer_is_in_transit_until_every_line_has_arrived() {
        let shipped = TransferStatus::Shipped;
        assert_eq!(
            TransferState::of(shipped, &[flow(10, 0), flow(5, 0)]),
            TransferState::InTransit
        );
        assert_eq!(
            TransferState::of(shipped, &[flow(10, 10), flow(5, 0)]),
            TransferState::PartiallyReceived
        );
        assert_eq!(
            TransferState::of(shipped, &[flow(10, 12), flow(5, 5), flow(0, 0)]),
            TransferState::Received
        );
        assert_eq!(
            TransferState::of(TransferStatus::Closed, &[flow(10, 0)]),
            TransferState::Closed
        );
        assert_eq!(flow(10, 12).in_transit(), d(0));
        assert_eq!(
            TransferState::parse("in-transit"),
            Some(TransferState::InTransit)
        );
    }

    #[test]
    fn steps_run_requested_approved_shipped_closed_and_cancel_only_before_shipping() {
        use TransferStatus as S;
        assert_eq!(
            TransferStep::between(S::Requested, S::Approved),
            Some(TransferStep::Approve)
        );
        assert_eq!(TransferStep::between(S::Requested, S::Shipped), None);
        assert_eq!(TransferStep::between(S::Shipped, S::Cancelled), None);
        assert_eq!(TransferStep::between(S::Closed, S::Shipped), None);
        let ship = TransferStep::Ship;
        assert!(ship.check(TransferState::Approved, 2, "").is_ok());
        assert!(ship.check(TransferState::Approved, 0, "").is_err());
        assert!(ship.check(TransferState::Requested, 2, "").is_err());
        assert!(ship.check(TransferState::InTransit, 2, "").is_err());
        let close = TransferStep::Close;
        assert!(close.check(TransferState::Received, 2, "").is_ok());
        let early = close
            .check(TransferState::PartiallyReceived, 2, "")
            .expect_err("not all arrived");
        assert!(early.to_string().contains("record it short"), "{early}");
        let cancel = TransferStep::Cancel;
        assert!(cancel.check(TransferState::Requested, 1, "").is_ok());
        assert!(cancel.check(TransferState::Approved, 1, " ").is_err());
        assert!(
            cancel
                .check(TransferState::Approved, 1, "found locally")
                .is_ok()
        );
        assert!(cancel.check(TransferState::InTransit, 1, "lost").is_err());
    }

    #[test]
    fn each_step_is_taken_with_its_right_at_its_end() {
        assert_eq!(
            TransferStep::Cancel.right(TransferState::Requested),
            (Action::RequestTransfers, End::To)
        );
        assert_eq!(
            TransferStep::Cancel.right(TransferState::Approved),
            (Action::Distribute, End::To)
        );
        assert_eq!(
            TransferStep::Approve.right(TransferState::Requested),
            (Action::Distribute, End::To)
        );
        assert_eq!(
            TransferStep::Ship.right(TransferState::Approved),
            (Action::Distribute, End::From)
        );
        assert_eq!(
            TransferStep::Close.right(TransferState::Received),
            (Action::PostStock, End::To)
        );
    }

    #[test]
    fn lines_change_until_the_transfer_ships_and_ship_once() {
        assert!(check_line_edit(TransferState::Requested, &["quantity"]).is_ok());
        assert!(check_line_edit(TransferState::Approved, &["deleted_at"]).is_ok());
        assert!(check_line_edit(TransferState::Approved, &["shipped"]).is_err());
        assert!(check_line_edit(TransferState::InTransit, &["shipped"]).is_ok());
        assert!(check_line_edit(TransferState::InTransit, &["quantity"]).is_err());
        assert!(check_line_edit(TransferState::Closed, &["shipped"]).is_err());
        assert!(check_shipped(d(10), d(10)).is_ok());
        assert!(check_shipped(d(10), d(0)).is_ok());
        assert!(check_shipped(d(10), d(11)).is_err());
        assert!(check_dispatch(TransferState::InTransit, d(10), d(0), d(10)).is_ok());
        assert!(check_dispatch(TransferState::InTransit, d(10), d(10), d(1)).is_err());
        assert!(check_dispatch(TransferState::Approved, d(10), d(0), d(10)).is_err());
    }

    #[test]
    fn an_arrival_brings_what_is_on_its_way_and_a_discrepancy_says_why() {
        let moving = TransferState::PartiallyReceived;
        assert!(check_arrival(moving, flow(10, 2), d(8), None, "").is_ok());
        let over = check_arrival(moving, flow(10, 2), d(9), None, "").expect_err("over");
        assert!(over.to_string().contains("as a surplus"), "{over}");
        assert!(check_arrival(moving, flow(10, 2), d(9), Some(Discrepancy::Surplus), "").is_err());
        assert!(
            check_arrival(
                moving,
                flow(10, 2),
                d(9),
                Some(Discrepancy::Surplus),
                "extra case"
            )
            .is_ok()
        );
        assert!(check_arrival(moving, flow(10, 2), d(3), Some(Discrepancy::Short), "").is_err());
        assert!(
            check_arrival(moving, flow(10, 2), d(3), Some(Discrepancy::Damaged), "wet").is_ok()
        );
        assert!(check_arrival(moving, flow(10, 2), d(0), None, "").is_err());
        for closed in [
            TransferState::Cancelled,
            TransferState::Closed,
            TransferState::Approved,
        ] {
            let refused = check_arrival(closed, flow(10, 0), d(1), None, "").expect_err("closed");
            assert!(
                refused.to_string().starts_with("transfer_line_id"),
                "{refused}"
            );
        }
    }
}
