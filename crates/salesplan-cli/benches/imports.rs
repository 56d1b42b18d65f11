//! Import benchmarks (issue #4): a 1,000,000-row csv of actual sales read,
//! checked and committed, against a bare rusqlite prepared-insert loop writing
//! the same rows in one transaction; a 200,000-row xlsx against calamine's raw
//! read of it; and the peak resident memory of the CLI importing the csv and
//! the largest sheet there is (1,048,575 rows, inline strings).
//!
//! cargo bench -p salesplan-cli --bench imports
#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

use calamine::Reader;
use salesplan_core::demo::{self, DEMO_PASSWORD};
use salesplan_core::imports::{self, Accept, ImportKind, ImportRequest, Silent, Source};
use salesplan_core::month::Month;
use salesplan_core::{Ledger, users};
use salesplan_files::{ReadOptions, read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A branch's code and id, and its salesmen's usernames and ids.
type Branch = (String, String, Vec<(String, String)>);

struct Company {
    skus: Vec<(String, String, String)>,
    branches: Vec<Branch>,
    admin_id: String,
    /// The month the generated sales fall in: the demo's open month (every
    /// earlier one is closed, and a later one is in the future).
    month: String,
}

fn company(path: &Path) -> Company {
    let conn = rusqlite::Connection::open(path).unwrap();
    let skus = conn
        .prepare("SELECT sku, id, list_price FROM products ORDER BY sku")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let branches: Vec<(String, String)> = conn
        .prepare("SELECT code, id FROM locations WHERE kind = 'branch' ORDER BY code")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let branches = branches
        .into_iter()
        .map(|(code, id)| {
            let salesmen = conn
                .prepare("SELECT username, id FROM users WHERE role = 2 AND location_id = ?1 ORDER BY username")
                .unwrap()
                .query_map([&id], |row| Ok((row.get(0)?, row.get(1)?)))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            (code, id, salesmen)
        })
        .collect();
    let admin_id = conn
        .query_row("SELECT id FROM users WHERE username = 'admin'", [], |row| {
            row.get(0)
        })
        .unwrap();
    let month = conn
        .query_row("SELECT max(month) FROM forecast_closed_months", [], |row| {
            row.get::<_, Option<String>>(0)
        })
        .unwrap()
        .map_or_else(Month::current, |closed| {
            Month::parse("month", &closed).unwrap().plus(1)
        })
        .to_string();
    Company {
        skus,
        branches,
        admin_id,
        month,
    }
}

/// Row n of the generated sales: (day, sku index, branch index, salesman index, quantity).
fn sale(n: usize, company: &Company) -> (String, usize, usize, usize, u32) {
    let day = format!("{}-{:02}", company.month, n % 28 + 1);
    let branch = n % company.branches.len();
    let salesman = (n / 7) % company.branches[branch].2.len();
    (
        day,
        (n / 3) % company.skus.len(),
        branch,
        salesman,
        (n % 11 + 1) as u32,
    )
}

fn write_csv(path: &Path, company: &Company, rows: usize) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "Date,SKU,Branch,Salesman,Quantity,Unit price,Document").unwrap();
    for n in 0..rows {
        let (day, sku, branch, salesman, quantity) = sale(n, company);
        let (code, _, salesmen) = &company.branches[branch];
        let (sku, _, price) = &company.skus[sku];
        writeln!(
            out,
            "{day},{sku},{code},{},{quantity},{price},INV-{n}",
            salesmen[salesman].0
        )
        .unwrap();
    }
}

/// `inline`: the sheet as a program streaming rows writes it (constant memory,
/// every text inline in its cell): the most a reader must hold per cell.
fn write_xlsx(path: &Path, company: &Company, rows: usize, inline: bool) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = if inline {
        book.add_worksheet_with_constant_memory().unwrap()
    } else {
        book.add_worksheet()
    };
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (col, header) in [
        "Date",
        "SKU",
        "Branch",
        "Salesman",
        "Quantity",
        "Unit price",
        "Document",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    for n in 0..rows {
        let (day, sku, branch, salesman, quantity) = sale(n, company);
        let row = n as u32 + 1;
        let (code, _, salesmen) = &company.branches[branch];
        let (sku, _, price) = &company.skus[sku];
        let day = ExcelDateTime::parse_from_str(&day).unwrap();
        sheet
            .write_datetime_with_format(row, 0, &day, &date)
            .unwrap();
        sheet.write_string(row, 1, sku).unwrap();
        sheet.write_string(row, 2, code).unwrap();
        sheet.write_string(row, 3, &salesmen[salesman].0).unwrap();
        sheet.write_number(row, 4, quantity).unwrap();
        sheet
            .write_number(row, 5, price.parse::<f64>().unwrap())
            .unwrap();
        sheet.write_string(row, 6, format!("INV-{n}")).unwrap();
    }
    book.save(path).unwrap();
}

fn fresh_copy(template: &Path, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    std::fs::copy(template, &path).unwrap();
    path
}

/// The same rows as the import writes, with a bare prepared INSERT in one transaction.
fn bare_insert(path: &Path, company: &Company, rows: usize) -> Duration {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    // The functions the ledger's triggers call (a sale's stock issue).
    salesplan_core::ledger::register_functions(&conn).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
    )
    .unwrap();
    let rows: Vec<[String; 9]> = (0..rows)
        .map(|n| {
            let (day, sku, branch, salesman, quantity) = sale(n, company);
            let (_, product_id, price) = &company.skus[sku];
            let (_, location_id, salesmen) = &company.branches[branch];
            let amount = (quantity as f64 * price.parse::<f64>().unwrap() * 100.0).round() / 100.0;
            [
                uuid::Uuid::now_v7().to_string(),
                day[..7].to_owned(),
                product_id.clone(),
                location_id.clone(),
                salesmen[salesman].1.clone(),
                quantity.to_string(),
                price.clone(),
                format!("{amount:.2}"),
                day,
            ]
        })
        .collect();
    let start = Instant::now();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO actual_sales (id, period, product_id, location_id, salesman_id, customer_id,
                                           quantity, unit_price, amount, created_by, created_at,
                                           import_id, sold_on, fingerprint, issues_stock)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8, ?9, '2026-11-25T00:00:00Z', NULL, ?10, ?11, 1)",
            )
            .unwrap();
        for (n, row) in rows.iter().enumerate() {
            insert
                .execute(rusqlite::params![
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    row[4],
                    row[5],
                    row[6],
                    row[7],
                    company.admin_id,
                    row[8],
                    n as i64
                ])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    start.elapsed()
}

fn request(headers: &[String]) -> ImportRequest {
    ImportRequest {
        kind: ImportKind::Actuals,
        mapping: imports::suggest(ImportKind::Actuals, headers),
        decimal_separator: Default::default(),
        date_order: Default::default(),
        budget_id: None,
        force: false,
    }
}

/// Read + check + commit; answers (read, check and commit) times.
fn full_import(ledger_path: &Path, file: &Path) -> (Duration, Duration, usize) {
    let mut ledger = Ledger::open(ledger_path).unwrap();
    let admin = users::sign_in(&ledger, "admin", DEMO_PASSWORD).unwrap();
    let start = Instant::now();
    let table = read(file, &ReadOptions::default()).unwrap();
    let read_time = start.elapsed();
    if std::env::var_os("SPLIT").is_some() {
        let start = Instant::now();
        imports::preview(
            &ledger,
            &admin,
            &table,
            &request(&table.info().headers),
            &Silent,
        )
        .unwrap();
        println!("  (check alone: {:.0} ms)", ms(start.elapsed()));
    }
    let start = Instant::now();
    let outcome = imports::commit(
        &mut ledger,
        &admin,
        &table,
        &request(&table.info().headers),
        Accept::AllOrNothing,
        &Silent,
    )
    .unwrap();
    (
        read_time,
        start.elapsed(),
        outcome.import.rows_imported as usize,
    )
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Runs the CLI on the file and follows its peak resident memory (VmHWM, in MB).
fn peak_memory_of_cli_import(ledger_path: &Path, file: &Path) -> f64 {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_salesplan"))
        .arg("--db")
        .arg(ledger_path)
        .args(["--user", "admin", "import"])
        .arg(file)
        .args(["--kind", "actuals"])
        .env("SALESPLAN_PASSWORD", DEMO_PASSWORD)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0.0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status)
            && let Some(line) = text.lines().find(|line| line.starts_with("VmHWM:"))
        {
            let kb: f64 = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("0")
                .parse()
                .unwrap_or(0.0);
            peak_kb = f64::max(peak_kb, kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "the CLI's import failed: {status}");
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    peak_kb / 1024.0
}

fn main() {
    let smoke = !std::env::args().any(|arg| arg == "--bench");
    if smoke {
        println!("smoke run: small sizes, to check the code path (full size: cargo bench)");
    }
    let (csv_rows, xlsx_rows, runs) = if smoke {
        (2_000, 1_000, 1)
    } else {
        (1_000_000, 200_000, 3)
    };
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("demo.db");
    drop(demo::create(&template).unwrap());
    let company = company(&template);
    let csv = dir.path().join("sales-1m.csv");
    write_csv(&csv, &company, csv_rows);
    println!(
        "csv: {csv_rows} rows, {:.0} MB",
        std::fs::metadata(&csv).unwrap().len() as f64 / 1e6
    );

    let mut bare = Vec::new();
    let mut total = Vec::new();
    let mut reads = Vec::new();
    for run in 0..runs {
        bare.push(ms(bare_insert(
            &fresh_copy(&template, dir.path(), "bare.db"),
            &company,
            csv_rows,
        )));
        let (read_time, commit, rows) =
            full_import(&fresh_copy(&template, dir.path(), "import.db"), &csv);
        assert_eq!(rows, csv_rows);
        reads.push(ms(read_time));
        total.push(ms(read_time + commit));
        println!(
            "run {run}: bare insert {:.0} ms, import {:.0} ms (read {:.0} ms)",
            bare[run], total[run], reads[run]
        );
    }
    let (bare, total, reads) = (median(bare), median(total), median(reads));
    println!(
        "1M-row csv: import (read + check + commit) median {total:.0} ms (read {reads:.0} ms); bare insert loop median {bare:.0} ms; ratio {:.2}",
        total / bare
    );

    let xlsx = dir.path().join("sales-200k.xlsx");
    write_xlsx(&xlsx, &company, xlsx_rows, false);
    println!(
        "xlsx: {xlsx_rows} rows, {:.1} MB",
        std::fs::metadata(&xlsx).unwrap().len() as f64 / 1e6
    );
    let mut raw = Vec::new();
    let mut imported = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
        let sheet = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&sheet).unwrap();
        assert_eq!(range.height(), xlsx_rows + 1);
        raw.push(ms(start.elapsed()));
        let (read_time, commit, rows) =
            full_import(&fresh_copy(&template, dir.path(), "xlsx.db"), &xlsx);
        assert_eq!(rows, xlsx_rows);
        imported.push(ms(read_time + commit));
    }
    let (raw, imported) = (median(raw), median(imported));
    println!(
        "200k-row xlsx: import median {imported:.0} ms; calamine raw read median {raw:.0} ms; ratio {:.2}",
        imported / raw
    );

    let peak = peak_memory_of_cli_import(&fresh_copy(&template, dir.path(), "cli.db"), &csv);
    println!("peak resident memory of `salesplan import` on the 1M-row csv: {peak:.0} MB");

    // The largest sheet there is: every row a spreadsheet holds, seven columns,
    // a unique document number on each (the bound is 512 MB, issue #19).
    let full_rows = if smoke { 2_000 } else { 1_048_575 };
    let full = dir.path().join("sales-full-sheet.xlsx");
    write_xlsx(&full, &company, full_rows, true);
    let peak = peak_memory_of_cli_import(&fresh_copy(&template, dir.path(), "full.db"), &full);
    println!(
        "peak resident memory of `salesplan import` on a full sheet ({full_rows} rows, {:.0} MB, inline strings): {peak:.0} MB",
        std::fs::metadata(&full).unwrap().len() as f64 / 1e6
    );
}
