//! Real laptops (ledger files, the sync engine over HTTP) against the server.

use crate::{PASSWORD, Server};
use rust_decimal::Decimal;
use salesplan_core::audit::{self, AuditFilter};
use salesplan_core::budgets::expenses::{self, NewExpense, NewSpending, Receipt};
use salesplan_core::budgets::variance::VarianceLevel;
use salesplan_core::budgets::{self, LineEdit, NewBudget, OwnerKind, OwnerRef, Transition};
use salesplan_core::forecast::{self, AccuracyQuery};
use salesplan_core::ledger::{ChangeKind, Entity};
use salesplan_core::reference::{self, BudgetCategory, Product};
use salesplan_core::sync::state;
use salesplan_core::{Actor, Ledger, Role, users};
use salesplan_sync::{Http, Transport, sync_once};
use std::path::Path;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// A laptop: its ledger file and the account it syncs as.
pub struct Laptop {
    pub ledger: Arc<Mutex<Ledger>>,

    pub user_id: Uuid,
    pub token: String,
    pub base: String,
}

impl Laptop {
    /// Signs in to head office as `username` from the ledger at `path`.
    pub async fn connect(server: &Server, path: &Path, username: &str) -> Laptop {
        let base = server.base.clone();
        let (path, username) = (path.to_path_buf(), username.to_owned());
        tokio::task::spawn_blocking(move || {
            let (ledger, signed_in) =
                open_connected(&path, &base, &username, &Http::new(&base).unwrap());
            Laptop {
                ledger: Arc::new(Mutex::new(ledger)),

                user_id: signed_in.user.id,
                token: signed_in.token,
                base,
            }
        })
        .await
        .unwrap()
    }

    pub async fn sync(&self) -> salesplan_sync::Report {
        let (ledger, token, user_id, base) = (
            self.ledger.clone(),
            self.token.clone(),
            self.user_id,
            self.base.clone(),
        );
        tokio::task::spawn_blocking(move || {
            sync_once(&*ledger, &Http::new(&base).unwrap(), &token, user_id)
                .unwrap_or_else(|stop| panic!("sync failed: {stop}"))
        })
        .await
        .unwrap()
    }

    /// Runs `work` on the ledger (a user at the keyboard).
    pub fn with<T>(&self, work: impl FnOnce(&mut Ledger) -> T) -> T {
        work(&mut self.ledger.lock().unwrap())
    }

    /// Signs in on the laptop itself with head office's password.
    pub fn sign_in(&self, username: &str) -> Actor {
        self.with(|ledger| {
            state::adopt_password(ledger, PASSWORD).unwrap();
            users::sign_in(ledger, username, PASSWORD).unwrap()
        })
    }
}

/// The ledger at `path` (a new, empty one when there is none), signed in to
/// head office at `base` as `username` and connected to it.
pub fn open_connected(
    path: &Path,
    base: &str,
    username: &str,
    transport: &dyn Transport,
) -> (Ledger, salesplan_sync::SignedIn) {
    let mut ledger = match Ledger::open(path) {
        Ok(ledger) => ledger,
        Err(_) => Ledger::create_with(path, |_| Ok(())).unwrap().0,
    };
    let signed_in = transport.login(username, PASSWORD).unwrap();
    state::join(&mut ledger, base, username).unwrap();
    (ledger, signed_in)
}

/// Every row a query returns, each as text, for comparing ledgers.
pub fn rows(path: &Path, sql: &str) -> Vec<Vec<String>> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut query = conn.prepare(sql).unwrap();
    let width = query.column_count();
    query
        .query_map([], |row| {
            Ok((0..width)
                .map(|at| match row.get_ref(at).unwrap() {
                    rusqlite::types::ValueRef::Null => "∅".to_owned(),
                    rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                    rusqlite::types::ValueRef::Real(n) => n.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Blob(_) => "blob".to_owned(),
                })
                .collect())
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The demo company (as of October 2026) on the administrator's laptop, sent
/// to head office (started empty: `Server::start_with(&[])`). Head office's
/// operator adds `admin`, `sam` and `others` first, with the department and
/// branch the administrator's laptop will send. Answers the
/// laptop's ledger path, the laptop and head office's ids of `others`.
async fn demo_at_head_office(
    server: &Server,
    dir: &Path,
    others: &[(&str, Role)],
) -> (std::path::PathBuf, Laptop, Vec<Uuid>) {
    let office = dir.join("office.db");
    let demo_path = office.clone();
    tokio::task::spawn_blocking(move || {
        salesplan_core::demo::create_as_of(&demo_path, salesplan_core::month::Month::new(2026, 10))
    })
    .await
    .unwrap()
    .unwrap();
    server
        .add_user("admin", Role::Administrator, None, None)
        .await;
    let (department, location) = crate::head_office::demo_scope(&office, "sam");
    server
        .add_user("sam", Role::Salesman, department, location)
        .await;
    let mut ids = Vec::new();
    for (username, role) in others {
        let (department, location) = crate::head_office::demo_scope(&office, username);
        ids.push(server.add_user(username, *role, department, location).await);
    }
    let admin = Laptop::connect(server, &office, "admin").await;
    let first = admin.sync().await;
    assert_eq!(first.rejected, 0, "{first:?}");
    assert!(first.pushed > 100, "{first:?}");
    (office, admin, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_ledger_seeds_head_office_a_new_laptop_bootstraps_and_both_converge() {
    let server = Server::start_with(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let (office, admin, ids) =
        demo_at_head_office(&server, dir.path(), &[("nina", Role::Salesman)]).await;
    let (admin_id, nina_id) = (admin.user_id, ids[0]);

    // The administrator's laptop: its accounts took head office's ids, its data went up.
    let ids = rows(
        &office,
        "SELECT username, id FROM users WHERE username IN ('admin', 'nina') ORDER BY username",
    );
    assert_eq!(ids[0][1], admin_id.to_string());
    assert_eq!(ids[1][1], nina_id.to_string());

    // Nina's new laptop starts from nothing and gets her scope.
    let fresh = dir.path().join("nina.db");
    let nina_laptop = Laptop::connect(&server, &fresh, "nina").await;
    let bootstrap = nina_laptop.sync().await;
    assert!(bootstrap.skipped.is_empty(), "{:?}", bootstrap.skipped);
    let nina = nina_laptop.sign_in("nina");
    assert_eq!(nina.role, Role::Salesman);
    for table in [
        "products",
        "locations",
        "departments",
        "customers",
        "product_categories",
        "company_settings",
    ] {
        let sql = format!("SELECT * FROM {table} ORDER BY 1");
        assert_eq!(rows(&fresh, &sql), rows(&office, &sql), "{table} differ");
    }
    let her_sales =
        format!("SELECT * FROM actual_sales WHERE salesman_id = '{nina_id}' ORDER BY id");
    let on_office = rows(&office, &her_sales);
    assert!(!on_office.is_empty());
    assert_eq!(rows(&fresh, &her_sales), on_office);
    assert_eq!(
        rows(&fresh, "SELECT count(*) FROM actual_sales")[0][0],
        on_office.len().to_string(),
        "only her own sales reach her laptop"
    );

    // The forecast as it stood at each close reached her too (her series), so
    // her laptop scores past forecasts exactly as the administrator's does.
    let her_snapshots = format!(
        "SELECT id, as_of, product_id, location_id, month, baseline, final FROM forecast_snapshots
         WHERE salesman_id = '{nina_id}' ORDER BY id"
    );
    let on_office = rows(&office, &her_snapshots);
    assert!(on_office.len() > 100, "{} snapshot values", on_office.len());
    assert_eq!(rows(&fresh, &her_snapshots), on_office);
    assert_eq!(
        rows(&fresh, "SELECT count(*) FROM forecast_snapshots")[0][0],
        on_office.len().to_string(),
        "only her own series' snapshots reach her laptop"
    );
    let closed = "SELECT month, closed_by FROM forecast_closed_months ORDER BY month";
    assert_eq!(rows(&fresh, closed), rows(&office, closed));
    let scored = |ledger: &Ledger, actor: &Actor| {
        let query = AccuracyQuery {
            level: VarianceLevel::Product,
            within: None,
        };
        let report = forecast::accuracy(ledger, actor, query).unwrap();
        // Numbers as values: a sum may carry a trailing zero or not (2128.5, 2128.50).
        report
            .by_snapshot
            .iter()
            .chain(&report.rows)
            .chain([&report.total])
            .map(|row| {
                let normal = |value: Option<Decimal>| value.map(|value| value.normalize());
                format!(
                    "{} {} {} {} {:?} {:?} {:?}",
                    row.label,
                    row.points,
                    row.actual.normalize(),
                    row.forecast.normalize(),
                    normal(row.wape),
                    normal(row.bias),
                    normal(row.mase)
                )
            })
            .collect::<Vec<_>>()
    };
    let nina_at_office = admin.with(|ledger| {
        users::sign_in(ledger, "nina", salesplan_core::demo::DEMO_PASSWORD).unwrap()
    });
    let here = nina_laptop.with(|ledger| scored(ledger, &nina));
    let snapshots = here.iter().filter(|row| row.starts_with("as of ")).count();
    assert_eq!(snapshots, 6, "{here:?}");
    assert_eq!(here, admin.with(|ledger| scored(ledger, &nina_at_office)));

    // She budgets offline and submits; the administrator approves; both end equal.
    let milk = nina_laptop.with(|ledger| {
        reference::find::<Product>(ledger, &nina, "DRY-010")
            .unwrap()
            .id
    });
    let sheet = nina_laptop.with(|ledger| {
        let sheet = budgets::create(
            ledger,
            &nina,
            NewBudget {
                fiscal_year: 2027,
                scenario: "Base".into(),
                owner: OwnerRef {
                    kind: OwnerKind::Salesman,
                    id: nina.id,
                },
                from_last_year_percent: None,
                template_id: None,
            },
        )
        .unwrap();
        for (at, quantity) in [(0, 120), (1, 130)] {
            budgets::set_line(
                ledger,
                &nina,
                sheet.budget.id,
                LineEdit {
                    quantity: Some(Decimal::from(quantity)),
                    ..LineEdit::new(milk, sheet.periods[at])
                },
            )
            .unwrap();
        }
        let travel = reference::find::<BudgetCategory>(ledger, &nina, "TRV")
            .unwrap()
            .id;
        expenses::add(
            ledger,
            &nina,
            sheet.budget.id,
            NewExpense {
                category_id: travel,
                description: "Customer visits".into(),
                allocated: Decimal::from(9_000),
            },
        )
        .unwrap();
        budgets::transition(ledger, &nina, sheet.budget.id, Transition::Submit, "").unwrap();
        sheet
    });
    // Two 4 MB receipts: more than head office takes in one request (8 MiB), so they go in two.
    let receipts: Vec<Vec<u8>> = (0..2)
        .map(|_| (0..4_000_000).map(|_| rand::random::<u8>()).collect())
        .collect();
    let spent = nina_laptop.with(|ledger| {
        let line = expenses::list(ledger, &nina, sheet.budget.id).unwrap()[0].id;
        receipts
            .iter()
            .enumerate()
            .map(|(at, bytes)| {
                expenses::spend(
                    ledger,
                    &nina,
                    NewSpending {
                        expense_id: line,
                        spent_on: format!("{}-15", sheet.periods[at]),
                        amount: Decimal::new(12_050, 2),
                        note: "hotel".into(),
                        receipt: Some(Receipt {
                            name: format!("hotel-{at}.pdf"),
                            bytes: bytes.clone(),
                        }),
                    },
                )
                .unwrap()
                .id
            })
            .collect::<Vec<_>>()
    });
    let sent = nina_laptop.sync().await;
    let refused = nina_laptop.with(|ledger| state::conflicts(ledger, 10).unwrap());
    assert_eq!((sent.pushed, sent.rejected), (7, 0), "{sent:?} {refused:?}");
    admin.sync().await;
    let boss = admin.with(|ledger| {
        users::sign_in(ledger, "admin", salesplan_core::demo::DEMO_PASSWORD).unwrap()
    });
    admin.with(|ledger| {
        budgets::transition(
            ledger,
            &boss,
            sheet.budget.id,
            Transition::Approve,
            "good plan",
        )
        .unwrap()
    });
    let approved = admin.sync().await;
    assert_eq!((approved.pushed, approved.rejected), (1, 0), "{approved:?}");
    // The administrator's audit trail names who did what on the other laptop, and his own step once.
    let trail = admin.with(|ledger| {
        let filter = AuditFilter {
            entity: Some(Entity::Budget),
            ..AuditFilter::default()
        };
        audit::list(ledger, &boss, filter).unwrap()
    });
    let steps: Vec<(String, ChangeKind, bool)> = trail
        .iter()
        .filter(|entry| entry.entity_id == sheet.budget.id)
        .map(|entry| {
            let who = entry.username.clone().unwrap_or_default();
            (who, entry.kind, entry.received)
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("admin".to_owned(), ChangeKind::Transitioned, false),
            ("nina".to_owned(), ChangeKind::Transitioned, true),
            ("nina".to_owned(), ChangeKind::Created, true),
        ]
    );
    nina_laptop.sync().await;
    let budget = format!(
        "SELECT id, status, salesman_id, fiscal_year, scenario FROM budgets WHERE id = '{}'",
        sheet.budget.id
    );
    assert_eq!(rows(&fresh, &budget), rows(&office, &budget));
    assert_eq!(rows(&fresh, &budget)[0][1], "approved");
    for sql in [
        format!(
            "SELECT id, product_id, period, quantity, unit_price, amount FROM budget_lines WHERE budget_id = '{}' ORDER BY id",
            sheet.budget.id
        ),
        format!(
            "SELECT id, from_status, to_status, actor_id, comment FROM budget_approvals WHERE budget_id = '{}' ORDER BY recorded_at",
            sheet.budget.id
        ),
    ] {
        assert_eq!(rows(&fresh, &sql), rows(&office, &sql), "{sql}");
    }
    // The receipts reached head office and the administrator's laptop, byte for byte.
    for (id, bytes) in spent.iter().zip(&receipts) {
        let receipt = admin.with(|ledger| expenses::receipt(ledger, &boss, *id).unwrap());
        assert!(receipt.name.starts_with("hotel-"), "{}", receipt.name);
        assert!(receipt.bytes == *bytes, "receipt {id} differs");
    }
    let status = nina_laptop.with(|ledger| state::status(ledger).unwrap());
    assert_eq!((status.pending, status.rejected), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_closed_on_two_laptops_offline_is_closed_once_by_whoever_reaches_head_office_first()
{
    let server = Server::start_with(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    // Head office knows the demo's salesmen too (sam from the start), so every snapshot value travels
    // (a value naming an account head office does not know stays on its laptop).
    let mut accounts = vec![("anna", Role::Administrator)];
    accounts.extend(
        [
            "nina", "sofia", "stefan", "emil", "eva", "wim", "wanda", "carl", "clara",
        ]
        .map(|name| (name, Role::Salesman)),
    );
    let (office, admin, _) = demo_at_head_office(&server, dir.path(), &accounts).await;
    // A second administrator's new laptop receives the whole company, then runs the forecast itself.
    let second = dir.path().join("anna.db");
    let anna_laptop = Laptop::connect(&server, &second, "anna").await;
    anna_laptop.sync().await;
    let anna = anna_laptop.sign_in("anna");
    let boss = admin.with(|ledger| {
        users::sign_in(ledger, "admin", salesplan_core::demo::DEMO_PASSWORD).unwrap()
    });
    let silent = salesplan_core::imports::Silent;
    anna_laptop.with(|ledger| {
        forecast::run(ledger, &anna, forecast::RunRequest::default(), &silent).unwrap();
    });
    // Both close September offline; the administrator's laptop syncs first.
    let closes = [(&admin, &boss), (&anna_laptop, &anna)].map(|(laptop, actor)| {
        laptop.with(|ledger| forecast::close_month(ledger, actor, None, &silent).unwrap())
    });
    assert_eq!(closes[0].closed_month.to_string(), "2026-09");
    assert_eq!(closes[1].closed_month.to_string(), "2026-09");
    let first = admin.sync().await;
    assert_eq!(first.rejected, 0, "{first:?}");
    let late = anna_laptop.sync().await;
    assert_eq!(
        late.rejected,
        1 + closes[1].snapshot_values,
        "her close and each value of its snapshot: {late:?}"
    );

    // She sees one refused edit, with why and how much of it.
    let refused = anna_laptop.with(|ledger| state::conflicts(ledger, 10).unwrap());
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].entity, Entity::ClosedMonth);
    assert!(
        refused[0]
            .reason
            .contains("2026-09 was closed at head office already"),
        "{}",
        refused[0].reason
    );
    assert_eq!(refused[0].more as usize, closes[1].snapshot_values);
    let status = anna_laptop.with(|ledger| state::status(ledger).unwrap());
    assert_eq!((status.pending, status.rejected), (0, 1));

    // Both laptops hold the one close head office took and its snapshot, once.
    admin.sync().await;
    let closed = "SELECT month, closed_by, closed_at FROM forecast_closed_months ORDER BY month";
    assert_eq!(rows(&second, closed), rows(&office, closed));
    let september = "SELECT id, product_id, location_id, month, baseline, final
                     FROM forecast_snapshots WHERE as_of = '2026-09' ORDER BY id";
    let at_office = rows(&office, september);
    assert_eq!(at_office.len(), closes[0].snapshot_values);
    assert_eq!(rows(&second, september), at_office);
    let everything = "SELECT count(*) FROM forecast_snapshots";
    assert_eq!(rows(&second, everything), rows(&office, everything));
}

/// Issue #24: after `epoch renew` the administrator's laptop removed 933
/// records head office had never held (other local accounts' budgets and sales),
/// so they existed nowhere any more. A sweep after a restore removes only what
/// head office once held and no longer does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_never_removes_what_head_office_never_held() {
    let server = Server::start_with(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let (office, admin, _) = demo_at_head_office(&server, dir.path(), &[]).await;

    // Two salesmen budget on the administrator's laptop under their local
    // accounts: head office knows sam (his budget goes, made by another local
    // account though it is), not nina (hers stays here: it exists nowhere else).
    let budget_of = |username: &str| {
        let who = admin.with(|ledger| {
            users::sign_in(ledger, username, salesplan_core::demo::DEMO_PASSWORD).unwrap()
        });
        admin.with(|ledger| {
            budgets::create(
                ledger,
                &who,
                NewBudget {
                    fiscal_year: 2027,
                    scenario: "Made here".into(),
                    owner: OwnerRef {
                        kind: OwnerKind::Salesman,
                        id: who.id,
                    },
                    from_last_year_percent: Some(Decimal::ZERO),
                    template_id: None,
                },
            )
            .unwrap()
        })
    };
    let (sams, ninas) = (budget_of("sam"), budget_of("nina"));
    assert!(!ninas.lines.is_empty());
    admin.sync().await;
    let client = server.pool.get().await.unwrap();
    let at_head_office = |id: Uuid| {
        let client = &client;
        async move {
            client
                .query_one(
                    "SELECT count(*) FROM entities WHERE entity = 'budget' AND entity_id = $1",
                    &[&id],
                )
                .await
                .unwrap()
                .get::<_, i64>(0)
        }
    };
    assert_eq!(at_head_office(sams.budget.id).await, 1, "sam's budget went");
    assert_eq!(at_head_office(ninas.budget.id).await, 0, "nina's stayed");

    let held = |sql: &str| rows(&office, sql)[0][0].clone();
    let budgets = "SELECT count(*) FROM budgets";
    let lines = format!(
        "SELECT count(*) FROM budget_lines WHERE budget_id = '{}'",
        ninas.budget.id
    );
    let sales = "SELECT count(*) FROM actual_sales";
    let before = (held(budgets), held(&lines), held(sales));
    salesplan_server::db::renew_epoch(&server.pool)
        .await
        .unwrap();
    let report = admin.sync().await;
    assert!(report.restarted);
    assert_eq!(report.removed, 0, "{}", report.summary());
    assert_eq!((held(budgets), held(&lines), held(sales)), before);
}

/// Issue #24, the README's order: the administrator's laptop connects first,
/// head office adds nina afterwards. The administrator's next sync gives the
/// local nina head office's id and reads the outbox again; the queue's numbers
/// then jumped (every row already queued spent one), head office answered 409
/// for the hole and the laptop asked again forever. New work after it is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_added_at_head_office_after_the_first_sync_leaves_the_queue_without_a_hole() {
    let server = Server::start_with(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let (office, admin, _) = demo_at_head_office(&server, dir.path(), &[]).await;
    // Head office does not know nina yet: her sales stay on the laptop, and say why.
    let nina_sales = "SELECT count(*) FROM actual_sales s JOIN users u ON u.id = s.salesman_id WHERE u.username = 'nina'";
    let held_here: usize = rows(&office, nina_sales)[0][0].parse().unwrap();
    assert!(held_here > 1_000, "{held_here}");
    let staying = admin.with(|ledger| state::status(ledger).unwrap().staying);
    let why_nina =
        "names nina, whom head office does not know yet: add nina at head office, then sync again";
    assert!(
        staying.iter().any(|group| group.reason == why_nina),
        "{staying:?}"
    );
    // The operator names nina's department and branch by their codes (`user add
    // nina --department WHS --branch BR-N`), as the laptop sent them.
    let (department, location) = crate::head_office::demo_scope(&office, "nina");
    let by_code = |entity, code| salesplan_server::admin::id_of_code(&server.pool, entity, code);
    assert_eq!(
        Some(by_code("department", "whs").await.unwrap()),
        department
    );
    assert_eq!(Some(by_code("location", "BR-N").await.unwrap()), location);
    assert_eq!(
        by_code("location", "BR-X").await.unwrap_err().to_string(),
        "head office holds no location with the code 'BR-X': connect the administrator's laptop first (its departments and branches go up), then try again"
    );
    let nina_id = server
        .add_user("nina", Role::Salesman, department, location)
        .await;
    let adopted = admin.sync().await;
    assert_eq!(adopted.rejected, 0, "{}", adopted.summary());
    assert_eq!(
        rows(&office, "SELECT id FROM users WHERE username = 'nina'")[0][0],
        nina_id.to_string()
    );

    let admin_actor = admin.sign_in("admin");
    admin.with(|ledger| {
        let product = reference::find::<Product>(ledger, &admin_actor, "DRY-010").unwrap();
        let sale = salesplan_core::sales::NewSale {
            period: "2026-10".into(),
            product_id: product.id,
            location_id: location.unwrap(),
            salesman_id: Some(nina_id),
            customer_id: None,
            quantity: Decimal::from(3),
            unit_price: Decimal::from(2),
        };
        salesplan_core::sales::post(ledger, &admin_actor, vec![sale]).unwrap();
    });
    let after = admin.sync().await;
    assert_eq!(
        (after.pushed, after.rejected),
        (1, 0),
        "{}",
        after.summary()
    );
    let status = admin.with(|ledger| state::status(ledger).unwrap());
    assert_eq!(status.pending, 0);
    assert!(
        status.staying.iter().all(|group| group.reason != why_nina),
        "{:?}",
        status.staying
    );

    // Nina's new laptop holds her whole history, under head office's id for her.
    let nina_laptop = Laptop::connect(&server, &dir.path().join("nina.db"), "nina").await;
    let bootstrap = nina_laptop.sync().await;
    assert!(bootstrap.skipped.is_empty(), "{:?}", bootstrap.skipped);
    let on_her_laptop = rows(
        &dir.path().join("nina.db"),
        &format!("SELECT count(*) FROM actual_sales WHERE salesman_id = '{nina_id}'"),
    );
    assert_eq!(on_her_laptop[0][0], (held_here + 1).to_string());
}

/// Issue #24: a ledger made for Fjord Foods AS (NOK) synced into a head office
/// set up for Lakeside Trading GmbH (EUR), and the next laptop showed Fjord
/// Foods. A ledger of another company is refused before anything is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ledger_of_another_company_is_refused_before_anything_is_sent() {
    let server = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fjord.db");
    let (mut ledger, _) = Ledger::create_with(&path, |_| Ok(())).unwrap();
    salesplan_core::settings::initialise(
        &mut ledger,
        salesplan_core::settings::CompanySettings {
            company_name: "Fjord Foods AS".into(),
            currency: "NOK".into(),
            fiscal_year_start_month: 1,
            sales_issue_stock: true,
            stock: Default::default(),
        },
        "olivia",
        PASSWORD,
    )
    .unwrap();
    drop(ledger);
    let laptop = Laptop::connect(&server, &path, "olivia").await;
    let (ledger, token, user_id, base) = (
        laptop.ledger.clone(),
        laptop.token.clone(),
        laptop.user_id,
        laptop.base.clone(),
    );
    let refused = tokio::task::spawn_blocking(move || {
        sync_once(&*ledger, &Http::new(&base).unwrap(), &token, user_id)
    })
    .await
    .unwrap()
    .unwrap_err()
    .to_string();
    assert_eq!(
        refused,
        "sync: this ledger belongs to Fjord Foods AS (NOK) and head office keeps Lakeside Trading GmbH (EUR): nothing was sent; connect it to its own company's head office, or rename the company (`settings set`) if it is the same one"
    );
    let client = server.pool.get().await.unwrap();
    let pushed: i64 = client
        .query_one("SELECT count(*) FROM mutations", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(pushed, 0, "nothing reached head office");

    // A new, empty ledger has no company of its own: it takes head office's.
    let fresh = Laptop::connect(&server, &dir.path().join("new.db"), "olivia").await;
    fresh.sync().await;
}

/// Issue #14: a purchase order is a state machine head office holds. Sven
/// sends an order for Bella's branch; offline, Bella receives part of it while
/// Sven cancels it. Sven reaches head office first: Bella's receipt is refused
/// with the reason, taken back on her laptop, and both laptops end with the
/// cancelled order and the same stock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receipt_of_an_order_cancelled_at_head_office_is_refused_with_the_reason() {
    use salesplan_core::purchasing::{
        self, GoodsReceipt, NewLine, NewOrder, OrderState, ReceivedLine,
    };
    let server = Server::start_with(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let (_, _, _) = demo_at_head_office(
        &server,
        dir.path(),
        &[("sven", Role::SupplyChain), ("bella", Role::BranchManager)],
    )
    .await;
    let sven_path = dir.path().join("sven.db");
    let bella_path = dir.path().join("bella.db");
    let sven_laptop = Laptop::connect(&server, &sven_path, "sven").await;
    sven_laptop.sync().await;
    let bella_laptop = Laptop::connect(&server, &bella_path, "bella").await;
    bella_laptop.sync().await;
    let sven = sven_laptop.sign_in("sven");
    let bella = bella_laptop.sign_in("bella");

    // Sven orders from a product's primary supplier for Bella's branch and sends it.
    let order = sven_laptop.with(|ledger| {
        let terms = salesplan_core::suppliers::products(ledger, &sven, None, None, false)
            .unwrap()
            .into_iter()
            .find(|line| line.terms.is_primary)
            .unwrap()
            .terms;
        let pack = terms.pack_size;
        let new = NewOrder {
            supplier_id: terms.supplier_id,
            location_id: bella.location_id.unwrap(),
            note: String::new(),
            lines: vec![NewLine {
                product_id: terms.product_id,
                quantity: (terms.min_order.max(pack) / pack).ceil() * pack * Decimal::from(2),
                unit_cost: None,
                expected_on: None,
            }],
        };
        let draft = purchasing::create(ledger, &sven, new).unwrap();
        purchasing::send(ledger, &sven, draft.id).unwrap()
    });
    let sent = sven_laptop.sync().await;
    assert_eq!(sent.rejected, 0, "{sent:?}");
    bella_laptop.sync().await;
    let stock = "SELECT location_id, product_id, quantity FROM stock_balances ORDER BY 1, 2";
    let before = rows(&bella_path, stock);

    // Offline: Bella receives part of the first line, Sven cancels the order.
    let line = order.lines[0].clone();
    let received = bella_laptop.with(|ledger| {
        let seen = purchasing::order(ledger, &bella, order.id).unwrap();
        assert_eq!(seen.state, OrderState::Sent, "the order reached her branch");
        purchasing::receive(
            ledger,
            &bella,
            order.id,
            GoodsReceipt {
                lines: vec![ReceivedLine {
                    line_id: line.id,
                    quantity: line.quantity / Decimal::from(2),
                    reason: String::new(),
                }],
                day: None,
            },
        )
        .unwrap()
    });
    assert_eq!(received.state, OrderState::PartiallyReceived);
    sven_laptop.with(|ledger| {
        purchasing::cancel(
            ledger,
            &sven,
            order.id,
            "the supplier's warehouse burnt down",
        )
        .unwrap()
    });
    let cancelled = sven_laptop.sync().await;
    assert_eq!(cancelled.rejected, 0, "{cancelled:?}");
    let late = bella_laptop.sync().await;
    assert_eq!(late.rejected, 1, "{late:?}");
    let refused = bella_laptop.with(|ledger| state::conflicts(ledger, 10).unwrap());
    assert_eq!(refused[0].entity, Entity::StockMovement);
    assert!(
        refused[0].reason.contains("the order is cancelled")
            && refused[0]
                .reason
                .contains("the supplier's warehouse burnt down"),
        "{}",
        refused[0].reason
    );
    // Her laptop took the receipt back and holds the cancelled order, as Sven's does.
    let seen = bella_laptop.with(|ledger| purchasing::order(ledger, &bella, order.id).unwrap());
    assert_eq!(seen.state, OrderState::Cancelled);
    assert!(seen.lines.iter().all(|line| line.received.is_zero()));
    assert_eq!(rows(&bella_path, stock), before);
    let orders = "SELECT id, status, cancel_reason FROM purchase_orders ORDER BY id";
    assert_eq!(rows(&bella_path, orders), rows(&sven_path, orders));
}

/// Issue #14: a salesman's laptop holds only her own sales, so it cannot sum
/// stock; it shows what head office summed from every laptop at the last sync,
/// and a sale made on another laptop shows there after both sync.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_salesman_sees_what_every_location_holds_as_head_office_summed_it() {
    use salesplan_core::stock;
    use std::collections::BTreeMap;
    let server = Server::start_with(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    demo_at_head_office(
        &server,
        dir.path(),
        &[
            ("nina", Role::Salesman),
            ("bella", Role::BranchManager),
            ("sven", Role::SupplyChain),
        ],
    )
    .await;
    let nina_laptop = Laptop::connect(&server, &dir.path().join("nina.db"), "nina").await;
    nina_laptop.sync().await;
    let nina = nina_laptop.sign_in("nina");

    // What Supply Chain's laptop (every movement and sale head office holds) sums, item by item.
    let sven_laptop = Laptop::connect(&server, &dir.path().join("sven.db"), "sven").await;
    sven_laptop.sync().await;
    let sven = sven_laptop.sign_in("sven");
    let everything = |sven_laptop: &Laptop| {
        sven_laptop.with(|ledger| {
            stock::on_hand(ledger, &sven)
                .unwrap()
                .into_iter()
                .map(|row| ((row.location_code, row.sku), row.quantity))
                .collect::<BTreeMap<_, _>>()
        })
    };
    let levels = |laptop: &Laptop, actor: &Actor| {
        laptop.with(|ledger| {
            let available = stock::availability(ledger, actor).unwrap();
            assert!(available.from_head_office && available.as_of.is_some());
            available
                .items
                .into_iter()
                .map(|item| ((item.location_code, item.sku), item.on_hand))
                .collect::<BTreeMap<_, _>>()
        })
    };
    let summed = levels(&nina_laptop, &nina);
    assert!(summed.len() > 200, "every item: {}", summed.len());
    assert_eq!(
        summed,
        everything(&sven_laptop),
        "head office sums what the laptops sent"
    );
    let own_sales = rows(
        &dir.path().join("nina.db"),
        "SELECT count(*) FROM actual_sales",
    );
    let all_sales = rows(
        &dir.path().join("sven.db"),
        "SELECT count(*) FROM actual_sales",
    );
    assert!(
        own_sales[0][0].parse::<i64>().unwrap() < all_sales[0][0].parse::<i64>().unwrap() / 2,
        "her laptop holds only her sales ({own_sales:?} of {all_sales:?}), so it could not have summed them"
    );

    // Bella sells at her branch on her laptop; Nina sees it once both have synced.
    let bella_laptop = Laptop::connect(&server, &dir.path().join("bella.db"), "bella").await;
    bella_laptop.sync().await;
    let bella = bella_laptop.sign_in("bella");
    let (branch, water) = bella_laptop.with(|ledger| {
        let water = reference::find::<Product>(ledger, &bella, "BEV-010").unwrap();
        let sale = salesplan_core::sales::NewSale {
            period: "2026-10".into(),
            product_id: water.id,
            location_id: bella.location_id.unwrap(),
            salesman_id: None,
            customer_id: None,
            quantity: Decimal::from(7),
            unit_price: Decimal::from(2),
        };
        salesplan_core::sales::post(ledger, &bella, vec![sale]).unwrap();
        let branch = reference::list::<salesplan_core::reference::Location>(ledger, &bella, false)
            .unwrap()
            .into_iter()
            .find(|location| Some(location.id) == bella.location_id)
            .unwrap()
            .fields
            .code;
        (branch, water.fields.sku)
    });
    assert_eq!(bella_laptop.sync().await.rejected, 0);
    nina_laptop.sync().await;
    let after = levels(&nina_laptop, &nina);
    let key = (branch, water);
    assert_eq!(after[&key], summed[&key] - Decimal::from(7), "{key:?}");
    sven_laptop.sync().await;
    assert_eq!(after, everything(&sven_laptop));
}
