//! Saved reports at head office: read by the domain's rules, a private one
//! sent to its owner alone, a shared one (and every later change of it) to
//! everyone, changed only by its owner.

use crate::records;
use crate::sync::{Company, mutation, statuses};
use salesplan_core::sync::protocol::{PushResponse, ScopeFacts};
use serde_json::json;
use uuid::Uuid;

fn owned(owner: Uuid) -> ScopeFacts {
    ScopeFacts {
        owner_id: Some(owner),
        ..ScopeFacts::default()
    }
}

fn reason(answers: &PushResponse, at: usize) -> String {
    format!("{:?}", answers.results[at].outcome)
}

async fn reports_seen(company: &Company, username: &str) -> Vec<(Uuid, serde_json::Value)> {
    company
        .pull(username, 0, 1000)
        .await
        .changes
        .into_iter()
        .filter(|change| change.entity == "saved_report")
        .map(|change| (change.entity_id, change.payload))
        .collect()
}

#[tokio::test]
async fn a_shared_report_reaches_everyone_a_private_one_its_owner_alone() {
    let company = Company::start().await;
    let mona = crate::user_id(&company.server, "mona").await;
    let (private, shared, twin, empty, garbage, forged) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    let created =
        |n, id, payload| mutation(n, mona, "saved_report", id, "created", payload, owned(mona));
    let mut no_measure = records::saved_report(empty, "Empty", mona, false);
    no_measure["definition"] = json!(r#"{"measures":[],"period":{"kind":"year_to_date"}}"#);
    let mut not_json = records::saved_report(garbage, "Garbage", mona, false);
    not_json["definition"] = json!("SELECT * FROM actual_sales");
    let salmas = records::saved_report(forged, "Salma's", company.salma, true);
    let monas_laptop = Uuid::new_v4();
    let answers = company
        .pushed(
            "mona",
            monas_laptop,
            &[
                created(
                    1,
                    private,
                    records::saved_report(private, "Mine", mona, false),
                ),
                created(2, shared, records::saved_report(shared, "Team", mona, true)),
                created(3, twin, records::saved_report(twin, "MINE", mona, true)),
                created(4, empty, no_measure),
                created(5, garbage, not_json),
                mutation(
                    6,
                    mona,
                    "saved_report",
                    forged,
                    "created",
                    salmas,
                    owned(company.salma),
                ),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answers),
        [
            "applied", "applied", "rejected", "rejected", "rejected", "rejected"
        ],
        "{answers:?}"
    );
    assert!(
        reason(&answers, 2).contains("owner and name"),
        "{}",
        reason(&answers, 2)
    );
    assert!(
        reason(&answers, 3).contains("at least one measure"),
        "{}",
        reason(&answers, 3)
    );
    assert!(
        reason(&answers, 4).contains("definition"),
        "{}",
        reason(&answers, 4)
    );
    assert!(
        reason(&answers, 5).contains("not allowed"),
        "{}",
        reason(&answers, 5)
    );
    // Everyone receives the shared one; only mona her own.
    let ids = |seen: Vec<(Uuid, serde_json::Value)>| -> Vec<Uuid> {
        seen.into_iter().map(|(id, _)| id).collect()
    };
    assert_eq!(ids(reports_seen(&company, "mona").await), [private, shared]);
    for other in ["salma", "stan", "bea", "olivia"] {
        assert_eq!(
            ids(reports_seen(&company, other).await),
            [shared],
            "{other}"
        );
    }
    // Only its owner changes it, and a shared report stays shared.
    let mut rename = mutation(
        1,
        company.salma,
        "saved_report",
        shared,
        "updated",
        json!({ "name": "Ours" }),
        owned(mona),
    );
    rename.base_version = Some(1);
    let answers = company.pushed("salma", Uuid::new_v4(), &[rename]).await;
    assert_eq!(statuses(&answers), ["rejected"]);
    let mut unshare = mutation(
        7,
        mona,
        "saved_report",
        shared,
        "updated",
        json!({ "shared": 0 }),
        owned(mona),
    );
    unshare.base_version = Some(1);
    let mut delete = mutation(
        8,
        mona,
        "saved_report",
        shared,
        "updated",
        json!({ "deleted_at": records::AT }),
        owned(mona),
    );
    delete.base_version = Some(1);
    let answers = company
        .pushed("mona", monas_laptop, &[unshare, delete])
        .await;
    assert_eq!(statuses(&answers), ["rejected", "applied"], "{answers:?}");
    assert!(
        reason(&answers, 0).contains("stays shared"),
        "{}",
        reason(&answers, 0)
    );
    // The deletion reaches everyone it was shared with.
    let seen = reports_seen(&company, "stan").await;
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].1["deleted_at"], json!(records::AT));
    // Shared later, it reaches the others whole: they never held it.
    let mut share = mutation(
        9,
        mona,
        "saved_report",
        private,
        "updated",
        json!({ "shared": true }),
        owned(mona),
    );
    share.base_version = Some(1);
    let answers = company.pushed("mona", monas_laptop, &[share]).await;
    assert_eq!(statuses(&answers), ["applied"], "{answers:?}");
    let seen = reports_seen(&company, "stan").await;
    let (id, whole) = seen.last().unwrap();
    assert_eq!(*id, private);
    assert_eq!(
        (whole["name"].clone(), whole["created_by"].clone()),
        (json!("Mine"), json!(mona))
    );
    assert!(
        whole["definition"]
            .as_str()
            .unwrap()
            .contains("sales_amount"),
        "{whole}"
    );
}
