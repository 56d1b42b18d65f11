//! The layering rules of docs/ARCHITECTURE.md, checked on the source (in the
//! style of rust-analyzer's tidy tests): a rule broken is a failing `cargo test`,
//! not a review comment. Each allow-list names its reason, and an entry that is
//! no longer needed fails too, so the lists only shrink.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The core's source files, by path relative to `src/`, without their test modules.
fn sources() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                let relative = path.strip_prefix(&root).unwrap().to_string_lossy();
                files.insert(relative.replace('\\', "/"), without_comments(code));
            }
        }
    }
    files
}

/// The code without `//` comments (doc comments name modules the code must not use).
fn without_comments(code: &str) -> String {
    code.lines()
        .map(|line| match line.trim_start().starts_with("//") {
            true => "",
            false => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn in_ledger(path: &str) -> bool {
    path.starts_with("ledger/")
}

/// Below the ledger: the records it returns.
fn in_model(path: &str) -> bool {
    path.starts_with("model/")
}

#[test]
fn sql_runs_only_in_the_ledger() {
    let statements = [
        ".execute(",
        ".execute_batch(",
        ".prepare(",
        ".prepare_cached(",
        ".query_row(",
        ".query_map(",
        "\"SELECT ",
        "\"INSERT ",
        "\"UPDATE ",
        "\"DELETE ",
        "\"PRAGMA ",
    ];
    let mut found = Vec::new();
    for (path, code) in sources() {
        if in_ledger(&path) {
            continue;
        }
        for (number, line) in code.lines().enumerate() {
            if statements.iter().any(|statement| line.contains(statement)) {
                found.push(format!("src/{path}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside ledger/ (move it behind a ledger function):\n{}",
        found.join("\n")
    );
}

/// Files outside `ledger/` that still name `rusqlite`, and why.
const RUSQLITE_OUTSIDE_THE_LEDGER: &[(&str, &str)] = &[(
    "error.rs",
    "a storage error becomes `Error::Storage` (the one error enum)",
)];

#[test]
fn rusqlite_is_named_only_in_the_ledger() {
    let allowed: BTreeMap<&str, &str> = RUSQLITE_OUTSIDE_THE_LEDGER.iter().copied().collect();
    let naming: BTreeSet<String> = sources()
        .into_iter()
        .filter(|(path, code)| !in_ledger(path) && code.contains("rusqlite"))
        .map(|(path, _)| path)
        .collect();
    let unexpected: Vec<&String> = naming
        .iter()
        .filter(|path| !allowed.contains_key(path.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "rusqlite named outside ledger/ (services hand on `ledger::Reader` and `ledger::Write`): {unexpected:?}"
    );
    let stale: Vec<&&str> = allowed
        .keys()
        .filter(|path| !naming.contains(**path))
        .collect();
    assert!(
        stale.is_empty(),
        "no longer needed in the allow-list: {stale:?}"
    );
}

/// What `ledger/` and `model/` may use of the crate: each other, and what sits
/// below both (the error type and the domain's re-exports).
const BELOW_THE_SERVICES: &[&str] = &[
    "ledger",
    "model",
    "error",
    "access",
    "month",
    "money",
    "timestamp",
    "values",
];

#[test]
fn the_ledger_and_the_model_use_no_service() {
    let mut found = Vec::new();
    for (path, code) in sources() {
        if !in_ledger(&path) && !in_model(&path) {
            continue;
        }
        for (number, line) in code.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                let module: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '{')
                    .collect();
                let ok = match module.strip_prefix('{') {
                    // `crate::{a, b}`: every name listed.
                    Some(_) => rest[1..]
                        .split('}')
                        .next()
                        .unwrap_or_default()
                        .split(',')
                        .map(|name| name.trim().split("::").next().unwrap_or_default())
                        .all(|name| BELOW_THE_SERVICES.contains(&name)),
                    None => BELOW_THE_SERVICES.contains(&module.as_str()),
                };
                if !ok {
                    found.push(format!("src/{path}:{}: {}", number + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "ledger/ or model/ uses a service (move the type it needs into model/):\n{}",
        found.join("\n")
    );
}

/// A function's name, its signature and its body.
struct Function {
    path: String,
    name: String,
    /// `pub`: callable from other crates.
    public: bool,
    /// `pub` or `pub(crate)`: callable from the services.
    crate_wide: bool,
    signature: String,
    body: String,
}

fn functions(path: &str, code: &str) -> Vec<Function> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("fn ") {
        let start = from + at;
        from = start + 3;
        let before = &code[..start];
        let line_start = before.rfind('\n').map_or(0, |at| at + 1);
        let prefix = before[line_start..].trim();
        if !(prefix.is_empty() || prefix.ends_with("pub") || prefix.starts_with("pub(")) {
            continue;
        }
        let name: String = code[from..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let (Some(open), Some(semicolon)) = (code[from..].find('{'), code[from..].find(';')) else {
            continue;
        };
        if semicolon < open {
            continue; // a trait method without a body
        }
        let open = from + open;
        let mut depth = 0;
        let mut end = open;
        for (offset, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + offset;
                        break;
                    }
                }
                _ => {}
            }
        }
        found.push(Function {
            path: path.to_owned(),
            name,
            public: prefix == "pub",
            crate_wide: prefix == "pub" || prefix == "pub(crate)",
            signature: code[start..open].to_owned(),
            body: code[open..end].to_owned(),
        });
    }
    found
}

/// The names of the functions that `seed` picks, and of every function that
/// calls one of them, directly or through others (to a fixed point).
fn reaching(all: &[Function], seed: impl Fn(&Function) -> bool) -> BTreeSet<&str> {
    let mut reached: BTreeSet<&str> = all
        .iter()
        .filter(|function| seed(function))
        .map(|function| function.name.as_str())
        .collect();
    loop {
        let more: Vec<&str> = all
            .iter()
            .filter(|function| !reached.contains(function.name.as_str()))
            .filter(|function| reached.iter().any(|name| calls(&function.body, name)))
            .map(|function| function.name.as_str())
            .collect();
        if more.is_empty() {
            return reached;
        }
        reached.extend(more);
    }
}

/// Whether `body` checks a right itself.
fn checks_directly(body: &str) -> bool {
    [
        "require",
        "can(",
        "can::<",
        "scope_for(",
        "may_",
        "usable_by(",
        "Error::Forbidden",
    ]
    .iter()
    .any(|check| body.contains(check))
}

fn calls(body: &str, name: &str) -> bool {
    body.match_indices(name).any(|(at, _)| {
        let before = body[..at].chars().next_back();
        let after = &body[at + name.len()..];
        // A free function (`name(` or `name::<`), not a method or a module of the same name.
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && (after.starts_with('(') || after.starts_with("::<"))
    })
}

/// Writing public functions that take no acting user, and why.
const WRITES_WITHOUT_AN_ACTOR: &[(&str, &[&str], &str)] = &[
    (
        "settings.rs",
        &["initialise"],
        "sets up a new, empty ledger with its first administrator",
    ),
    (
        "sync/state.rs",
        &[
            "join",
            "confirm_url",
            "restart_feed",
            "next_push",
            "answered",
            "resend_from",
            "apply",
            "note_outcome",
            "adopt_password",
            "keep_availability",
        ],
        "the sync engine's bookkeeping (the feed's cursor, the send queue, head office's answers and changes, \
         the stock levels head office summed, \
         which head office checks on its side); a connection is moved only by `connect` (an administrator) \
         and `join` refuses any move, `adopt_password` takes only the connected account's",
    ),
];

/// Every public function that can write (it takes `&mut Ledger`) takes the
/// acting user and checks a right, itself or through the functions it calls.
#[test]
fn every_public_write_checks_a_right() {
    let all: Vec<Function> = sources()
        .iter()
        .filter(|(path, _)| !in_ledger(path) && !in_model(path))
        .flat_map(|(path, code)| functions(path, code))
        .collect();
    // Functions that check, directly or by calling one that does.
    let checkers = reaching(&all, |function| checks_directly(&function.body));
    let allowed: BTreeSet<(&str, &str)> = WRITES_WITHOUT_AN_ACTOR
        .iter()
        .flat_map(|(path, names, _)| names.iter().map(move |name| (*path, *name)))
        .collect();
    let mut unchecked = Vec::new();
    let mut used = BTreeSet::new();
    for function in all.iter().filter(|function| function.public) {
        if !function.signature.contains("&mut Ledger") {
            continue;
        }
        let key = (function.path.as_str(), function.name.as_str());
        if allowed.contains(&key) {
            used.insert(key);
            continue;
        }
        let takes_actor = function.signature.contains("&Actor");
        if !(takes_actor && checkers.contains(function.name.as_str())) {
            unchecked.push(format!("src/{}: {}", function.path, function.name));
        }
    }
    assert!(
        unchecked.is_empty(),
        "public functions that write without the acting user and a check of its right:\n{}",
        unchecked.join("\n")
    );
    let stale: Vec<_> = allowed.difference(&used).collect();
    assert!(
        stale.is_empty(),
        "no longer needed in the allow-list: {stale:?}"
    );
}

/// Whether a body writes: a statement that changes rows, or a call of a function that does.
fn writes_directly(body: &str) -> bool {
    [
        ".execute(",
        ".execute_batch(",
        "INSERT ",
        "UPDATE ",
        "DELETE ",
    ]
    .iter()
    .any(|statement| body.contains(statement))
}

/// The ledger's functions the services call that write take the `Write` only
/// `Ledger::write` hands out, so a read path (which holds a `Reader`) cannot write.
#[test]
fn the_ledgers_writes_take_the_write() {
    let all: Vec<Function> = sources()
        .iter()
        .filter(|(path, _)| in_ledger(path) && path.as_str() != "ledger/mod.rs")
        .flat_map(|(path, code)| functions(path, code))
        .collect();
    // Writers: a statement that changes rows, or a call of a ledger function that does.
    let writers = reaching(&all, |function| writes_directly(&function.body));
    let mut wrong = Vec::new();
    for function in all.iter().filter(|function| function.crate_wide) {
        let takes_write = function.signature.contains("&Write<'_>");
        if writers.contains(function.name.as_str()) != takes_write
            && !function.signature.contains("&mut Ledger")
        {
            wrong.push(format!(
                "src/{}: {} ({})",
                function.path,
                function.name,
                if takes_write {
                    "takes the Write but does not write"
                } else {
                    "writes without the Write"
                }
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "ledger functions and their handles:\n{}",
        wrong.join("\n")
    );
}

/// Every dependency of a crate, its tests' and benches' included.
fn linked(package: &str) -> String {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--prefix", "none", "-p", package])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo tree -p {package}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn head_office_and_the_domain_link_no_sqlite() {
    for package in ["salesplan-server", "salesplan-domain"] {
        let tree = linked(package);
        let sqlite: Vec<&str> = tree
            .lines()
            .filter(|line| line.contains("sqlite") || line.starts_with("salesplan-core "))
            .collect();
        assert!(
            sqlite.is_empty(),
            "{package} links {sqlite:?}: head office keeps PostgreSQL, and the rules both sides share know no storage"
        );
        assert!(tree.contains("salesplan-domain"), "{tree}");
    }
}

/// Where a file's rows may be read one by one: the importer's driver, the
/// mapping's style detection and preview (`imports/mod.rs`), and the budget
/// round trip (a grid compared three ways, not rows to write).
const ROWS_READ_OUTSIDE_AN_IMPORTER: [&str; 3] = [
    "imports/importer.rs",
    "imports/mod.rs",
    "imports/round_trip.rs",
];

#[test]
fn imports_read_rows_only_through_the_importer() {
    let mut found = Vec::new();
    for (path, code) in sources() {
        if ROWS_READ_OUTSIDE_AN_IMPORTER.contains(&path.as_str()) {
            continue;
        }
        for (number, line) in code.lines().enumerate() {
            if line.contains(".rows(&mut") {
                found.push(format!("src/{path}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "a loop over a file's rows outside imports/importer.rs (implement imports::importer::Importer instead):\n{}",
        found.join("\n")
    );
}

/// Month fields and parameters still text, each with its reason.
const MONTHS_AS_TEXT: &[(&str, &str)] = &[
    // Typed by a person (the app's forms, the CLI): parsed in the use case with the field named.
    ("sales.rs", "pub period: String"),
    ("sales.rs", "fn validated_period(field: &str, period: &str)"),
    ("forecast/overrides.rs", "pub first_month: String"),
    ("forecast/overrides.rs", "pub last_month: Option<String>"),
    ("forecast/close.rs", "month: Option<String>"),
    // The text of a change record's payload, shown in the audit trail.
    ("audit/describe.rs", "fn month_name(period: &str)"),
];

#[test]
fn months_are_months() {
    typed_or_listed(
        &["month", "months", "period", "periods"],
        MONTHS_AS_TEXT,
        "a month as text (make it salesplan_domain::month::Month, or name the reason in MONTHS_AS_TEXT)",
    );
}

/// Times and days still text, each with its reason.
const TIMES_AS_TEXT: &[(&str, &str)] = &[
    // Typed by a person (the app's forms): parsed in the use case with the field named.
    ("budgets/expenses.rs", "pub spent_on: String"),
    ("forecast/overrides.rs", "pub expires_on: Option<String>"),
    ("purchasing/orders.rs", "pub expected_on: Option<String>"),
];

#[test]
fn times_are_timestamps() {
    typed_or_listed(
        &["_at", "_on", "since", "today"],
        TIMES_AS_TEXT,
        "a time or a day as text (make it salesplan_domain::timestamp::Timestamp or Day, or name the reason in TIMES_AS_TEXT)",
    );
}

/// Fails on every `name: Type` in the core whose name ends in one of `suffixes`
/// and whose type is text, unless `listed` names it (and on a listed entry no
/// longer found).
fn typed_or_listed(suffixes: &[&str], listed: &[(&str, &str)], make_it: &str) {
    let as_text = |line: &str| {
        [": String", ": &str", ": Option<String>", ": Vec<String>"]
            .iter()
            .any(|kind| {
                line.match_indices(kind).any(|(at, _)| {
                    let name: String = line[..at]
                        .chars()
                        .rev()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    suffixes.iter().any(|suffix| name.ends_with(suffix))
                })
            })
    };
    let mut found = BTreeSet::new();
    let mut used = BTreeSet::new();
    for (path, code) in sources() {
        for (number, line) in code.lines().enumerate() {
            if !as_text(line) {
                continue;
            }
            match listed
                .iter()
                .find(|(file, text)| *file == path && line.contains(text))
            {
                Some(entry) => {
                    used.insert(*entry);
                }
                None => {
                    found.insert(format!("src/{path}:{}: {}", number + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "{make_it}:\n{}",
        found.iter().cloned().collect::<Vec<_>>().join("\n")
    );
    let stale: Vec<_> = listed
        .iter()
        .filter(|entry| !used.contains(*entry))
        .collect();
    assert!(stale.is_empty(), "no longer needed: {stale:?}");
}

/// Where an id is not a UUID v7, and why.
const IDS_NOT_V7: &[(&str, &str)] = &[
    // The installation's client_id (random, so two copies of one ledger file
    // made on two machines never share it) and the temporary name a new
    // ledger is built under.
    ("ledger/mod.rs", "Uuid::new_v4"),
    // The one settings row has a fixed id.
    ("settings.rs", "Uuid::nil"),
];

#[test]
fn ids_are_uuid_v7_or_derived() {
    // A record's id is made on the device with `Uuid::now_v7()` (time-ordered,
    // so new rows go to the end of an index) or derived from what it names
    // (`derived_id`); any other kind of id is listed above with its reason.
    let mut found = BTreeSet::new();
    for (path, code) in sources() {
        for kind in [
            "Uuid::new_v1",
            "Uuid::new_v3",
            "Uuid::new_v4",
            "Uuid::new_v5",
            "Uuid::new_v6",
            "Uuid::new_v8",
            "Uuid::nil",
            "Uuid::max",
            "Uuid::from_u128",
            "Uuid::from_bytes",
        ] {
            if code.contains(kind) {
                found.insert((path.clone(), kind));
            }
        }
    }
    let listed: BTreeSet<(String, &str)> = IDS_NOT_V7
        .iter()
        .map(|(path, kind)| (path.to_string(), *kind))
        .collect();
    let unlisted: Vec<_> = found.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "ids that are neither Uuid::now_v7() nor derived_id (make them so, or name the reason in IDS_NOT_V7): {unlisted:?}"
    );
    let stale: Vec<_> = listed.difference(&found).collect();
    assert!(
        stale.is_empty(),
        "IDS_NOT_V7 lists what is no longer there: {stale:?}"
    );
}

/// SQL sums that are exact, and why.
const EXACT_SQL_SUMS: &[(&str, &str)] = &[
    // The number of sales in each summary cell: an integer column, which
    // SQLite sums exactly (and refuses to overflow).
    ("ledger/sales.rs", "SUM(S.SALES)"),
];

#[test]
fn sums_are_exact() {
    // Amounts and quantities are decimal text: SQLite's SUM, TOTAL and AVG
    // would add them as floating point. The ledger sums them with
    // decimal_sum, or in Rust. SQL is text in the ledger's string literals.
    let mut found = BTreeSet::new();
    for (path, code) in sources().into_iter().filter(|(path, _)| in_ledger(path)) {
        for text in code.split('"').skip(1).step_by(2) {
            let text = text.to_uppercase();
            for floating in [
                "SUM(",
                "TOTAL(",
                "AVG(",
                "AS REAL",
                "AS FLOAT",
                "AS NUMERIC",
            ] {
                for (at, _) in text.match_indices(floating) {
                    let before = text[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue; // decimal_sum(
                    }
                    let call: String = text[at..].chars().take_while(|c| *c != ')').collect();
                    found.insert((path.clone(), format!("{call})")));
                }
            }
        }
    }
    let listed: BTreeSet<(String, String)> = EXACT_SQL_SUMS
        .iter()
        .map(|(path, call)| (path.to_string(), call.to_string()))
        .collect();
    let unlisted: Vec<_> = found.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "floating-point sums in SQL (use decimal_sum, or sum Decimals in Rust; an integer column's sum goes in EXACT_SQL_SUMS): {unlisted:?}"
    );
    let stale: Vec<_> = listed.difference(&found).collect();
    assert!(
        stale.is_empty(),
        "EXACT_SQL_SUMS lists what is no longer there: {stale:?}"
    );
}

#[test]
fn the_code_map_names_every_module() {
    // docs/ARCHITECTURE.md's code map has a row per top-level module, and the
    // row of a folder names each of its files (mod.rs aside).
    let doc = include_str!("../../../../docs/ARCHITECTURE.md");
    let map = doc
        .split("## Code map")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("ARCHITECTURE.md has a code map");
    let row = |module: &str| {
        map.lines()
            .find(|line| line.starts_with(&format!("| `{module}`")))
            .map(str::to_string)
    };
    let mut missing = Vec::new();
    for path in sources().keys() {
        let parts: Vec<&str> = path.split('/').collect();
        let file = parts[parts.len() - 1];
        let (module, named) = match parts.len() {
            1 if file == "lib.rs" => continue,
            1 => (file.to_string(), None),
            _ if file == "mod.rs" => (format!("{}/", parts[0]), None),
            _ => (format!("{}/", parts[0]), Some(format!("`{file}`"))),
        };
        let found = row(&module).is_some_and(|row| named.is_none_or(|named| row.contains(&named)));
        if !found {
            missing.push(path.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "modules the code map in docs/ARCHITECTURE.md does not name: {missing:?}"
    );
}

/// Every Rust file of the crates and the shell that the UI's types come from.
fn exporting_sources() -> Vec<(String, String)> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    let mut dirs = vec![workspace.join("crates"), workspace.join("src-tauri/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if path.is_dir() && name != "tests" && name != "benches" && name != "target" {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path.display().to_string(), text));
            }
        }
    }
    files
}

/// ts-rs writes one file per exported type, named by the type: two types of
/// one name (the home screen's `Comparison` and a report's) overwrite each
/// other's bindings, and the UI type-checks against whichever came last.
#[test]
fn no_two_types_the_ui_sees_share_a_name() {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut clashes = Vec::new();
    for (path, text) in exporting_sources() {
        let lines: Vec<&str> = text.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            let attribute = line.trim();
            if !attribute.starts_with("#[ts(") || !attribute.contains("export") {
                continue;
            }
            let renamed = attribute
                .split("rename = \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next());
            let declared = lines[at + 1..].iter().find_map(|next| {
                let next = next.trim();
                ["pub struct ", "pub enum ", "pub type "]
                    .iter()
                    .find_map(|kind| next.strip_prefix(kind))
                    .map(|rest| {
                        rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                            .next()
                            .unwrap_or_default()
                            .to_owned()
                    })
            });
            let Some(name) = renamed.map(str::to_owned).or(declared) else {
                continue;
            };
            if let Some(other) = seen.insert(name.clone(), path.clone()) {
                clashes.push(format!("{name}: {other} and {path}"));
            }
        }
    }
    assert!(
        seen.len() > 100,
        "the scan found the exported types ({})",
        seen.len()
    );
    assert!(
        clashes.is_empty(),
        "types the UI sees under the same name (rename one with #[ts(rename = \"…\")]): {clashes:#?}"
    );
}

/// A test file no `mod` names is never compiled, so its tests never run and
/// rot unseen (tests/core/replica.rs did, for months): each file beside a
/// test binary's `main.rs` is one of its modules.
#[test]
fn every_test_file_is_compiled_into_its_test_binary() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut binaries = 0;
    let mut orphans = Vec::new();
    for krate in std::fs::read_dir(&crates).unwrap() {
        let tests = krate.unwrap().path().join("tests");
        let Ok(entries) = std::fs::read_dir(&tests) else {
            continue;
        };
        for binary in entries {
            let dir = binary.unwrap().path();
            let Ok(main) = std::fs::read_to_string(dir.join("main.rs")) else {
                continue;
            };
            binaries += 1;
            let declared: BTreeSet<&str> = main
                .lines()
                .filter_map(|line| {
                    let line = line.trim().trim_start_matches("pub ");
                    line.strip_prefix("mod ")?.strip_suffix(';')
                })
                .collect();
            for file in std::fs::read_dir(&dir).unwrap() {
                let path = file.unwrap().path();
                let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
                    continue;
                };
                let is_rust = path.extension().is_some_and(|ext| ext == "rs");
                if is_rust && stem != "main" && !declared.contains(stem) {
                    orphans.push(path.display().to_string());
                }
            }
        }
    }
    assert!(
        binaries >= 3,
        "the scan found the test binaries ({binaries})"
    );
    assert!(orphans.is_empty(), "test files no mod names: {orphans:#?}");
}
