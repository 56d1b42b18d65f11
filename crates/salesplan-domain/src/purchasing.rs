//! Purchase orders: draft → sent → partially received → received, or
//! cancelled. What an order may do next is decided here, by the laptop that
//! takes the step and by head office that receives it, from the same facts:
//! the status the order holds (draft, sent, cancelled: a person's steps) and
//! what its lines have received (the receipts, facts that travel on their
//! own), which together are the order's state.

use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a person made of the order: the status it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderStatus {
    Draft,
    Sent,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 3] = [
        OrderStatus::Draft,
        OrderStatus::Sent,
        OrderStatus::Cancelled,
    ];

    pub fn key(self) -> &'static str {
        match self {
            OrderStatus::Draft => "draft",
            OrderStatus::Sent => "sent",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(key: &str) -> Option<OrderStatus> {
        OrderStatus::ALL
            .into_iter()
            .find(|status| status.key() == key)
    }
}

/// Where an order stands: its status and, once sent, what has arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderState {
    Draft,
    Sent,
    PartiallyReceived,
    Received,
    Cancelled,
}

impl OrderState {
    /// The state of an order holding `status` whose lines ordered and received
    /// `(ordered, received)`: sent and nothing arrived is sent, every line in
    /// full is received, anything between is partially received.
    pub fn of(status: OrderStatus, lines: &[(Decimal, Decimal)]) -> OrderState {
        match status {
            OrderStatus::Draft => OrderState::Draft,
            OrderStatus::Cancelled => OrderState::Cancelled,
            OrderStatus::Sent if lines.iter().all(|(_, received)| received.is_zero()) => {
                OrderState::Sent
            }
            OrderStatus::Sent if lines.iter().all(|(ordered, received)| received >= ordered) => {
                OrderState::Received
            }
            OrderStatus::Sent => OrderState::PartiallyReceived,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            OrderState::Draft => "draft",
            OrderState::Sent => "sent",
            OrderState::PartiallyReceived => "partially received",
            OrderState::Received => "received",
            OrderState::Cancelled => "cancelled",
        }
    }

    /// Whether goods are still expected against the order.
    pub fn is_open(self) -> bool {
        matches!(self, OrderState::Sent | OrderState::PartiallyReceived)
    }
}

/// A person's step: sending the order to the supplier, or cancelling it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OrderStep {
    Send,
    Cancel,
}

impl OrderStep {
    /// The step that moves a status `from` to `to`.
    pub fn between(from: OrderStatus, to: OrderStatus) -> Option<OrderStep> {
        match (from, to) {
            (OrderStatus::Draft, OrderStatus::Sent) => Some(OrderStep::Send),
            (OrderStatus::Draft | OrderStatus::Sent, OrderStatus::Cancelled) => {
                Some(OrderStep::Cancel)
            }
            _ => None,
        }
    }

    pub fn to(self) -> OrderStatus {
        match self {
            OrderStep::Send => OrderStatus::Sent,
            OrderStep::Cancel => OrderStatus::Cancelled,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            OrderStep::Send => "send",
            OrderStep::Cancel => "cancel",
        }
    }

    /// The fields of an order the step sets besides its status: who took it,
    /// when, and why.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            OrderStep::Send => &["sent_by", "sent_at"],
            OrderStep::Cancel => &["cancelled_by", "cancelled_at", "cancel_reason"],
        }
    }

    /// Whether the step may be taken from `state`; `lines`: how many lines
    /// the order has; `reason`: why (cancelling a sent order must say why:
    /// the supplier is told).
    pub fn check(self, state: OrderState, lines: usize, reason: &str) -> Result<()> {
        let refused = |rule: String| Err(Error::invalid("status", rule));
        match (self, state) {
            (OrderStep::Send, OrderState::Draft) if lines == 0 => Err(Error::invalid(
                "lines",
                "an order with no lines cannot be sent: add what to order first",
            )),
            (OrderStep::Send, OrderState::Draft) => Ok(()),
            (OrderStep::Cancel, OrderState::Draft) => Ok(()),
            (OrderStep::Cancel, OrderState::Sent | OrderState::PartiallyReceived)
                if reason.trim().is_empty() =>
            {
                Err(Error::invalid(
                    "reason",
                    "is required to cancel an order the supplier has: say why",
                ))
            }
            (OrderStep::Cancel, OrderState::Sent | OrderState::PartiallyReceived) => Ok(()),
            (OrderStep::Send, state) => refused(format!(
                "the order is {} already: only a draft is sent",
                state.key()
            )),
            (OrderStep::Cancel, state) => refused(format!(
                "the order is {}: it can no longer be cancelled",
                state.key()
            )),
        }
    }
}

/// An order's fields that only its steps set.
pub const STEP_FIELDS: [&str; 6] = [
    "status",
    "sent_by",
    "sent_at",
    "cancelled_by",
    "cancelled_at",
    "cancel_reason",
];

/// What an order's lines may change in each state: everything while it is a
/// draft; once sent, the date the supplier now expects to deliver; nothing
/// after that.
pub fn check_line_edit(state: OrderState, fields: &[&str]) -> Result<()> {
    match state {
        OrderState::Draft => Ok(()),
        OrderState::Sent | OrderState::PartiallyReceived => {
            match fields
                .iter()
                .find(|field| !EDITABLE_WHEN_SENT.contains(*field))
            {
                Some(field) => Err(Error::invalid(
                    *field,
                    format!(
                        "the order is {}: of its lines only the expected date changes now",
                        state.key()
                    ),
                )),
                None => Ok(()),
            }
        }
        OrderState::Received | OrderState::Cancelled => Err(Error::invalid(
            fields.first().copied().unwrap_or("order_id"),
            format!("the order is {}: its lines no longer change", state.key()),
        )),
    }
}

/// The fields of a line (besides its bookkeeping) that change on a sent order.
const EDITABLE_WHEN_SENT: [&str; 4] = ["expected_on", "version", "updated_at", "id"];

/// How far past what a line ordered its receipts may go without a reason, in
/// percent: suppliers round to their pallets and cartons.
pub const OVER_RECEIPT_TOLERANCE_PERCENT: i64 = 5;

/// A receipt of `quantity` against a line that `ordered` and has `received`
/// already, on an order in `state`. Receiving more than the tolerance allows
/// over what was ordered needs `reason`.
pub fn check_receipt(
    state: OrderState,
    ordered: Decimal,
    received: Decimal,
    quantity: Decimal,
    reason: &str,
) -> Result<()> {
    let tolerance = Decimal::from(OVER_RECEIPT_TOLERANCE_PERCENT);
    match state {
        OrderState::Draft => {
            return Err(Error::invalid(
                "order_line_id",
                "the order is a draft: it is received once it is sent",
            ));
        }
        OrderState::Cancelled => {
            return Err(Error::invalid(
                "order_line_id",
                "the order is cancelled: nothing more is received against it",
            ));
        }
        OrderState::Sent | OrderState::PartiallyReceived | OrderState::Received => {}
    }
    if quantity <= Decimal::ZERO {
        return Err(Error::invalid(
            "quantity",
            format!("a receipt brings more than 0 (got {quantity})"),
        ));
    }
    let allowed = ordered + ordered * tolerance / Decimal::ONE_HUNDRED;
    let over = received + quantity > allowed;
    // A delivery that completes the order may bring a little more of another
    // line in the same go: a received order takes what the tolerance allows,
    // whichever of its lines is recorded first.
    if over && state == OrderState::Received {
        return Err(Error::invalid(
            "order_line_id",
            "the order is received: nothing more is received against it beyond the tolerance",
        ));
    }
    if over && reason.trim().is_empty() {
        return Err(Error::invalid(
            "quantity",
            format!(
                "{quantity} more would make {} received of {ordered} ordered, over the {tolerance} % the company allows: confirm with a reason",
                received + quantity
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

    #[test]
    fn an_order_is_received_in_full_only_when_every_line_is() {
        let sent = OrderStatus::Sent;
        assert_eq!(OrderState::of(sent, &[(d(10), d(0))]), OrderState::Sent);
        assert_eq!(
            OrderState::of(sent, &[(d(10), d(10)), (d(5), d(0))]),
            OrderState::PartiallyReceived
        );
        assert_eq!(
            OrderState::of(sent, &[(d(10), d(11)), (d(5), d(5))]),
            OrderState::Received
        );
        assert_eq!(
            OrderState::of(OrderStatus::Cancelled, &[(d(10), d(10))]),
            OrderState::Cancelled
        );
    }

    #[test]
    fn steps_run_draft_sent_cancelled_and_never_back() {
        assert_eq!(
            OrderStep::between(OrderStatus::Draft, OrderStatus::Sent),
            Some(OrderStep::Send)
        );
        assert_eq!(
            OrderStep::between(OrderStatus::Sent, OrderStatus::Draft),
            None
        );
        assert_eq!(
            OrderStep::between(OrderStatus::Cancelled, OrderStatus::Sent),
            None
        );
        assert!(OrderStep::Send.check(OrderState::Draft, 0, "").is_err());
        assert!(OrderStep::Send.check(OrderState::Draft, 2, "").is_ok());
        assert!(OrderStep::Send.check(OrderState::Sent, 2, "").is_err());
        assert!(OrderStep::Cancel.check(OrderState::Draft, 2, "").is_ok());
        let why = OrderStep::Cancel.check(OrderState::PartiallyReceived, 2, " ");
        assert_eq!(
            why.map_err(|e| e.to_string())
                .err()
                .map(|e| e.starts_with("reason")),
            Some(true)
        );
        assert!(
            OrderStep::Cancel
                .check(OrderState::PartiallyReceived, 2, "late")
                .is_ok()
        );
        assert!(
            OrderStep::Cancel
                .check(OrderState::Received, 2, "late")
                .is_err()
        );
    }

    #[test]
    fn a_receipt_past_the_tolerance_needs_a_reason_and_a_closed_order_takes_none() {
        let check = |state, received, quantity, reason| {
            check_receipt(state, d(100), received, quantity, reason)
        };
        assert!(check(OrderState::Sent, d(0), d(105), "").is_ok());
        let over = check(OrderState::Sent, d(60), d(46), "").expect_err("over the tolerance");
        assert!(
            over.to_string().contains("106 received of 100 ordered"),
            "{over}"
        );
        assert!(check(OrderState::PartiallyReceived, d(60), d(46), "extra pallet").is_ok());
        assert!(check(OrderState::Sent, d(0), d(0), "").is_err());
        assert!(check(OrderState::Sent, d(0), d(-3), "").is_err());
        for closed in [OrderState::Cancelled, OrderState::Draft] {
            let refused = check(closed, d(0), d(1), "reason").expect_err("a closed order");
            assert!(
                refused.to_string().starts_with("order_line_id"),
                "{refused}"
            );
        }
        // A received order takes a little more within the tolerance, never past it.
        assert!(check(OrderState::Received, d(100), d(5), "").is_ok());
        let past = check(OrderState::Received, d(100), d(6), "a reason").expect_err("past it");
        assert!(past.to_string().starts_with("order_line_id"), "{past}");
    }

    #[test]
    fn a_sent_orders_lines_change_only_their_expected_date() {
        assert!(check_line_edit(OrderState::Draft, &["quantity"]).is_ok());
        assert!(check_line_edit(OrderState::Sent, &["expected_on", "version"]).is_ok());
        assert!(check_line_edit(OrderState::Sent, &["quantity"]).is_err());
        assert!(check_line_edit(OrderState::Cancelled, &["expected_on"]).is_err());
    }
}
