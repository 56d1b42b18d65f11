//! Issue #15: a transfer is a state machine head office holds, seen at both
//! its ends. Each step, each line's change and each movement naming a line is
//! decided against the transfer as head office has it, with the right the
//! step takes at its end, whatever the laptop says.

use crate::records;
use crate::sync::{Company, mutation, statuses};
use salesplan_core::Role;
use salesplan_core::sync::protocol::{Outcome, PushResponse, ScopeFacts};
use serde_json::json;
use uuid::Uuid;

fn reasons(answers: &PushResponse) -> Vec<String> {
    answers
        .results
        .iter()
        .filter_map(|answer| match &answer.outcome {
            Outcome::Rejected { reason } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

/// The company, Supply Chain's sue, and the lane from south to north (bea's branch).
async fn south_to_north() -> (Company, Uuid, ScopeFacts) {
    let company = Company::start().await;
    let sue = company
        .server
        .add_user("sue", Role::SupplyChain, None, None)
        .await;
    let lane = ScopeFacts {
        location_id: Some(company.north),
        other_location_id: Some(company.south),
        ..ScopeFacts::default()
    };
    (company, sue, lane)
}

#[tokio::test]
async fn head_office_decides_each_transfer_step_and_movement_against_the_transfer_it_holds() {
    let (company, sue, lane) = south_to_north().await;
    let (north, south, product) = (company.north, company.south, company.product);
    let bea = crate::user_id(&company.server, "bea").await;
    let at = |location| ScopeFacts {
        location_id: Some(location),
        ..ScopeFacts::default()
    };
    let [asked, line, other, other_line] = [(); 4].map(|_| Uuid::now_v7());
    let transfer = |id, from, to, status| records::transfer(id, from, to, status, bea);
    let step = |n, by, id, fields| mutation(n, by, "transfer", id, "updated", fields, lane);
    let answers = company
        .pushed(
            "bea",
            Uuid::new_v4(),
            &[
                mutation(1, bea, "transfer", asked, "created", transfer(asked, south, north, "requested"), lane),
                mutation(2, bea, "transfer_line", line, "created", records::transfer_line(line, asked, product, 10), lane),
                // To another branch than hers; already approved; to where it leaves.
                mutation(3, bea, "transfer", other, "created", transfer(other, north, south, "requested"),
                    ScopeFacts { location_id: Some(south), other_location_id: Some(north), ..ScopeFacts::default() }),
                mutation(4, bea, "transfer", other, "created", transfer(other, south, north, "approved"), lane),
                mutation(5, bea, "transfer", other, "created", transfer(other, north, north, "requested"),
                    ScopeFacts { location_id: Some(north), other_location_id: Some(north), ..ScopeFacts::default() }),
                // She cannot approve her own request.
                step(6, bea, asked, json!({ "status": "approved", "approved_by": bea, "approved_at": records::AT })),
                mutation(7, bea, "transfer", other, "created", transfer(other, south, north, "requested"), lane),
                mutation(8, bea, "transfer_line", other_line, "created", records::transfer_line(other_line, other, product, 4), lane),
                step(9, bea, other, json!({ "status": "cancelled", "cancelled_by": bea, "cancelled_at": records::AT, "cancel_reason": "" })),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answers),
        [
            "applied", "applied", "rejected", "rejected", "rejected", "rejected", "applied",
            "applied", "applied"
        ],
        "{answers:?}"
    );
    let refused = reasons(&answers);
    assert!(
        refused[0].contains("Requesting transfers is not allowed"),
        "{}",
        refused[0]
    );
    assert!(refused[1].contains("starts as a request"), "{}", refused[1]);
    assert!(refused[2].starts_with("to_location_id"), "{}", refused[2]);
    assert!(
        refused[3].contains("Approving and shipping transfers is not allowed"),
        "{}",
        refused[3]
    );

    // Supply Chain approves and ships 8 of the 10: the stock leaves the source, once.
    let movement = |n, by, location, (reason, quantity), discrepancy, note: &str| {
        let id = Uuid::now_v7();
        let fields = records::transfer_movement(
            id,
            (product, location),
            line,
            (reason, quantity),
            discrepancy,
            note,
            by,
        );
        mutation(
            n,
            by,
            "stock_movement",
            id,
            "appended",
            fields,
            at(location),
        )
    };
    let shipped = json!({ "status": "shipped", "shipped_by": sue, "shipped_at": records::AT });
    let answers = company
        .pushed(
            "sue",
            Uuid::new_v4(),
            &[
                step(
                    1,
                    sue,
                    asked,
                    json!({ "status": "approved", "approved_by": bea, "approved_at": records::AT }),
                ),
                step(
                    2,
                    sue,
                    asked,
                    json!({ "status": "approved", "approved_by": sue, "approved_at": records::AT }),
                ),
                step(3, sue, asked, shipped.clone()),
                mutation(
                    4,
                    sue,
                    "transfer_line",
                    line,
                    "updated",
                    json!({ "shipped": "12" }),
                    lane,
                ),
                mutation(
                    5,
                    sue,
                    "transfer_line",
                    line,
                    "updated",
                    json!({ "shipped": "8" }),
                    lane,
                ),
                movement(6, sue, north, ("transfer_out", -8), None, ""),
                movement(7, sue, south, ("transfer_out", -8), None, ""),
                movement(8, sue, south, ("transfer_out", -1), None, ""),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answers),
        [
            "rejected", "applied", "applied", "rejected", "applied", "rejected", "applied",
            "rejected"
        ],
        "{answers:?}"
    );
    let refused = reasons(&answers);
    assert!(refused[0].starts_with("approved_by"), "{}", refused[0]);
    assert!(
        refused[1].contains("more than the 10 approved"),
        "{}",
        refused[1]
    );
    assert!(refused[2].starts_with("location_id"), "{}", refused[2]);
    assert!(
        refused[3].contains("more than it shipped"),
        "{}",
        refused[3]
    );

    // A stale laptop that shipped it too, offline: refused, step, line and stock alike.
    let answers = company
        .pushed(
            "sue",
            Uuid::new_v4(),
            &[
                step(1, sue, asked, json!({ "status": "shipped", "shipped_by": sue, "shipped_at": "2026-12-01T08:00:00Z" })),
                mutation(2, sue, "transfer_line", line, "updated", json!({ "shipped": "10" }), lane),
                movement(3, sue, south, ("transfer_out", -10), None, ""),
                step(4, sue, asked, json!({ "status": "cancelled", "cancelled_by": sue, "cancelled_at": records::AT, "cancel_reason": "late" })),
            ],
        )
        .await;
    assert_eq!(statuses(&answers), ["rejected"; 4], "{answers:?}");

    // Bea receives 6, then finds 2 short: the last 2 arrive written off, and she closes it.
    let answers = company
        .pushed(
            "bea",
            Uuid::new_v4(),
            &[
                movement(1, bea, north, ("transfer_in", 6), None, ""),
                movement(2, bea, north, ("transfer_in", 3), None, ""),
                movement(3, bea, north, ("transfer_in", 2), Some("short"), ""),
                movement(
                    4,
                    bea,
                    north,
                    ("transfer_in", 2),
                    Some("short"),
                    "two cases missing",
                ),
                movement(
                    5,
                    bea,
                    north,
                    ("adjustment", -3),
                    Some("short"),
                    "two cases missing",
                ),
                movement(
                    6,
                    bea,
                    north,
                    ("adjustment", -2),
                    Some("short"),
                    "two cases missing",
                ),
                step(
                    7,
                    bea,
                    asked,
                    json!({ "status": "closed", "closed_by": bea, "closed_at": records::AT }),
                ),
                movement(
                    8,
                    bea,
                    north,
                    ("transfer_in", 1),
                    Some("surplus"),
                    "one more in the van",
                ),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answers),
        [
            "applied", "rejected", "rejected", "applied", "rejected", "applied", "applied",
            "rejected"
        ],
        "{answers:?}"
    );
    let refused = reasons(&answers);
    assert!(
        refused[0].contains("more than the 2 still on its way"),
        "{}",
        refused[0]
    );
    assert!(refused[1].starts_with("reason"), "{}", refused[1]);
    assert!(
        refused[2].contains("more than the 2 that arrived short or damaged"),
        "{}",
        refused[2]
    );
    assert!(
        refused[3].contains("the transfer is closed"),
        "{}",
        refused[3]
    );

    // Seen at both ends: the salesman at the source branch reads it, as does the one at the destination.
    for who in ["stan", "salma", "bea"] {
        let feed = company.pull(who, 0, 1_000).await;
        assert!(
            feed.changes
                .iter()
                .any(|change| change.entity == "transfer" && change.entity_id == asked),
            "{who} does not see the transfer"
        );
    }
}

/// Transfer payloads the app would never write, pushed by Supply Chain
/// (who may move stock anywhere): each refused with a reason that names the
/// field, and nothing of them held.
#[tokio::test]
async fn forged_transfer_payloads_are_refused_naming_the_field() {
    let (company, sue, lane) = south_to_north().await;
    let (north, south, product) = (company.north, company.south, company.product);
    let [asked, line] = [(); 2].map(|_| Uuid::now_v7());
    let honest = [
        mutation(
            1,
            sue,
            "transfer",
            asked,
            "created",
            records::transfer(asked, south, north, "requested", sue),
            lane,
        ),
        mutation(
            2,
            sue,
            "transfer_line",
            line,
            "created",
            records::transfer_line(line, asked, product, 10),
            lane,
        ),
    ];
    assert_eq!(
        statuses(&company.pushed("sue", Uuid::new_v4(), &honest).await),
        ["applied"; 2]
    );

    let with = |mut payload: serde_json::Value, field: &str, value: serde_json::Value| {
        payload[field] = value;
        payload
    };
    let fresh = || Uuid::now_v7();
    let transfer = |id| records::transfer(id, south, north, "requested", sue);
    let (ghost_to, unknown_status, extra, other_line, minus, unknown_line) =
        (fresh(), fresh(), fresh(), fresh(), fresh(), fresh());
    let movement = |id, fields: serde_json::Value| {
        mutation(
            0,
            sue,
            "stock_movement",
            id,
            "appended",
            fields,
            ScopeFacts {
                location_id: Some(north),
                ..ScopeFacts::default()
            },
        )
    };
    let arrival = |id, line, discrepancy: Option<&str>| {
        records::transfer_movement(
            id,
            (product, north),
            line,
            ("transfer_in", 2),
            discrepancy,
            "",
            sue,
        )
    };
    let (lost, ghost_line, nowhere) = (fresh(), fresh(), fresh());
    let cases = vec![
        (
            mutation(
                0,
                sue,
                "transfer",
                ghost_to,
                "created",
                with(transfer(ghost_to), "to_location_id", json!(nowhere)),
                ScopeFacts {
                    location_id: Some(nowhere),
                    ..lane
                },
            ),
            "to_location_id: head office holds no location",
        ),
        (
            mutation(
                0,
                sue,
                "transfer",
                unknown_status,
                "created",
                with(transfer(unknown_status), "status", json!("in_transit")),
                lane,
            ),
            "status: unknown variant `in_transit`",
        ),
        (
            mutation(
                0,
                sue,
                "transfer",
                extra,
                "created",
                with(transfer(extra), "priority", json!(1)),
                lane,
            ),
            "priority: unknown field `priority`",
        ),
        (
            mutation(
                0,
                sue,
                "transfer_line",
                minus,
                "created",
                records::transfer_line(minus, asked, product, -5),
                lane,
            ),
            "quantity:",
        ),
        (
            mutation(
                0,
                sue,
                "transfer_line",
                other_line,
                "created",
                records::transfer_line(other_line, Uuid::now_v7(), product, 5),
                lane,
            ),
            "transfer_id: head office holds no such transfer (yet)",
        ),
        (
            mutation(
                0,
                sue,
                "transfer_line",
                line,
                "updated",
                json!({ "transfer_id": Uuid::now_v7() }),
                lane,
            ),
            "transfer_id: cannot change",
        ),
        (
            movement(lost, arrival(lost, line, Some("lost"))),
            "discrepancy: unknown variant `lost`",
        ),
        (
            movement(ghost_line, arrival(ghost_line, unknown_line, None)),
            "transfer_line_id: head office holds no transfer line",
        ),
    ];
    let (forged, expected): (Vec<_>, Vec<&str>) = cases
        .into_iter()
        .enumerate()
        .map(|(n, (mut change, expected))| {
            change.mutation_id = n as i64 + 1;
            (change, expected)
        })
        .unzip();
    let answers = company.pushed("sue", Uuid::new_v4(), &forged).await;
    assert_eq!(
        statuses(&answers),
        vec!["rejected"; forged.len()],
        "{answers:?}"
    );
    for (reason, expected) in reasons(&answers).iter().zip(&expected) {
        assert!(
            reason.contains(expected),
            "expected '{expected}', got '{reason}'"
        );
    }
    crate::adversary::head_office_holds_only_valid_records(&company.server)
        .await
        .unwrap();
}
