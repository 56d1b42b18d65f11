//! A mutation fuzzer for the importer's readers and cell parsers, run for a
//! fixed time per target by `scripts/fuzz.sh` (not in CI). Each target starts
//! from real files of its format (the test fixtures) and mutates them: bytes
//! flipped, cut, repeated, or replaced by tokens readers stumble on (huge
//! numbers, far cell references, quotes, entities). A zip package is mutated
//! part by part and packed again, so the mutation reaches the XML inside.
//! Every input is read as an import reads it (the table, every row), and every
//! cell goes through the cell parsers (decimals either way, dates in each
//! order, months). A panic is a crash: its input is kept in the output folder.
//! An abort (a failed allocation) ends the process: `current.bin` then holds
//! the input that did it.
//!
//! cargo run --release -p salesplan-files --example fuzz -- SECONDS_PER_TARGET OUT_DIR [SEED]
//! cargo run --release -p salesplan-files --example fuzz -- --replay FILE
#![allow(clippy::unwrap_used)]

use salesplan_core::imports::Source;
use salesplan_core::imports::cells::{self, DateOrder, DecimalSeparator};
use salesplan_files::{ReadOptions, read_bytes};
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// xorshift64*: small, seeded, and enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(bound.max(1)).unwrap()).unwrap()
    }
}

/// Tokens that have broken readers: sizes, references, quotes, entities.
const TOKENS: &[&[u8]] = &[
    b"4294967295",
    b"99999999999999999999",
    b"-1",
    b"0.0000000000000000000000000001",
    b"1e308",
    b"XFD1048576",
    b"XFE1048577",
    b"AAAAAAAA1",
    b"\"",
    b"\"\"",
    b"<",
    b">",
    b"&#0;",
    b"&amp;",
    b"\r\n",
    b";",
    b",",
    b"\t",
    b"=1+1",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\x00",
];

/// One mutation of `bytes`.
fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) {
    let at = rng.below(bytes.len() + 1);
    match rng.below(6) {
        0 if !bytes.is_empty() => {
            let at = at.min(bytes.len() - 1);
            bytes[at] ^= 1 << rng.below(8);
        }
        1 => {
            let token = TOKENS[rng.below(TOKENS.len())];
            bytes.splice(at..at, token.iter().copied());
        }
        2 if !bytes.is_empty() => {
            let at = at.min(bytes.len() - 1);
            let token = TOKENS[rng.below(TOKENS.len())];
            let end = (at + token.len()).min(bytes.len());
            bytes.splice(at..end, token.iter().copied());
        }
        3 => {
            let end = (at + rng.below(64)).min(bytes.len());
            bytes.drain(at..end);
        }
        4 => {
            // A stretch repeated: long lines, wide rows, deep nesting.
            let end = (at + 1 + rng.below(32)).min(bytes.len());
            let piece = bytes[at.min(end)..end].to_vec();
            for _ in 0..1 + rng.below(200) {
                bytes.splice(at..at, piece.iter().copied());
            }
        }
        _ => {
            let digit = b'0' + u8::try_from(rng.below(10)).unwrap();
            if let Some(byte) = bytes.get_mut(at) {
                *byte = digit;
            }
        }
    }
}

/// A zip package's parts by name.
type Parts = Vec<(String, Vec<u8>)>;

/// A zip package's parts, to mutate one and pack them again.
fn unpacked(bytes: &[u8]) -> Option<Parts> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut parts = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).ok()?;
        let mut content = Vec::new();
        entry.read_to_end(&mut content).ok()?;
        parts.push((entry.name().ok()?.into_owned(), content));
    }
    Some(parts)
}

fn packed(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in parts {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Reads an input as an import does, and puts every cell through the parsers.
fn exercise(name: &str, bytes: Vec<u8>) {
    let Ok(table) = read_bytes(name, bytes, &ReadOptions::default()) else {
        return;
    };
    let _ = table.rows(&mut |_, row| {
        for cell in row {
            for separator in [DecimalSeparator::Point, DecimalSeparator::Comma] {
                let _ = cells::decimal(cell, separator);
            }
            for order in [DateOrder::DayFirst, DateOrder::MonthFirst] {
                let _ = cells::date(cell, order);
                let _ = cells::month(cell, order);
            }
        }
        true
    });
}

/// A sales workbook as a spreadsheet program writes it: shared strings, date
/// cells with a number format, numbers, a title above the table.
fn sales_workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet.write(0, 0, "Sales, North Branch").unwrap();
    for (column, name) in ["Date", "SKU", "Branch", "Quantity", "Unit price"]
        .iter()
        .enumerate()
    {
        sheet
            .write(2, u16::try_from(column).unwrap(), *name)
            .unwrap();
    }
    for row in 3..23_u32 {
        let day =
            rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 10, u8::try_from(row).unwrap()).unwrap();
        sheet.write_with_format(row, 0, &day, &date).unwrap();
        sheet.write(row, 1, format!("BEV-0{row}")).unwrap();
        sheet.write(row, 2, "BR-N").unwrap();
        sheet.write(row, 3, f64::from(row) * 1.5).unwrap();
        sheet.write(row, 4, "2,40").unwrap();
    }
    book.save_to_buffer().unwrap()
}

struct Figures {
    executions: u64,
    crashes: u64,
}

/// Fuzzes one target (the seeds of one format) for `time`.
fn run(
    target: &str,
    seeds: Vec<(String, Vec<u8>)>,
    time: Duration,
    out: &Path,
    rng: &mut Rng,
) -> Figures {
    let seeds: Vec<(String, Vec<u8>, Option<Parts>)> = seeds
        .into_iter()
        .map(|(name, bytes)| {
            let parts = unpacked(&bytes);
            (name, bytes, parts)
        })
        .collect();
    let mut figures = Figures {
        executions: 0,
        crashes: 0,
    };
    let deadline = Instant::now() + time;
    while Instant::now() < deadline {
        let (name, bytes, parts) = &seeds[rng.below(seeds.len())];
        let input = match parts {
            Some(parts) if !parts.is_empty() => {
                let mut parts = parts.clone();
                let part = rng.below(parts.len());
                for _ in 0..1 + rng.below(4) {
                    mutate(&mut parts[part].1, rng);
                }
                packed(&parts)
            }
            _ => {
                let mut bytes = bytes.clone();
                for _ in 0..1 + rng.below(8) {
                    mutate(&mut bytes, rng);
                }
                bytes
            }
        };
        std::fs::write(out.join("current.bin"), &input).unwrap();
        figures.executions += 1;
        let copy = input.clone();
        if std::panic::catch_unwind(|| exercise(name, copy)).is_err() {
            figures.crashes += 1;
            let kept = out.join(format!("crash-{target}-{}-{name}", figures.executions));
            std::fs::write(&kept, &input).unwrap();
            eprintln!("{target}: crash kept in {}", kept.display());
        }
    }
    figures
}

fn main() {
    let mut args = std::env::args().skip(1);
    // `fuzz --replay FILE`: reads one kept input the way the fuzzer did.
    if let Some(file) = std::env::args()
        .nth(2)
        .filter(|_| std::env::args().nth(1).as_deref() == Some("--replay"))
    {
        let path = PathBuf::from(file);
        exercise(
            &path.file_name().unwrap().to_string_lossy(),
            std::fs::read(&path).unwrap(),
        );
        return;
    }
    let (Some(seconds), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: fuzz SECONDS_PER_TARGET OUT_DIR [SEED]");
        std::process::exit(2);
    };
    let time = Duration::from_secs(seconds.parse().unwrap());
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).unwrap();
    let seed = args.next().map_or_else(
        || u64::from(std::process::id()) | 1,
        |seed| seed.parse().unwrap(),
    );
    let mut rng = Rng(seed);
    // Panics are counted and kept, not printed one by one.
    std::panic::set_hook(Box::new(|_| {}));
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let of = |names: &[&str]| -> Vec<(String, Vec<u8>)> {
        names
            .iter()
            .map(|name| {
                (
                    name.rsplit('/').next().unwrap().to_owned(),
                    std::fs::read(fixtures.join(name)).unwrap(),
                )
            })
            .collect()
    };
    let mut xlsx = of(&["calamine/minimal_package.xlsx", "calamine/issue_530.xlsx"]);
    xlsx.push(("sales.xlsx".to_owned(), sales_workbook()));
    let targets = [
        (
            "csv",
            of(&[
                "sales-title-rows.csv",
                "sales-semicolon-1252.csv",
                "quality.csv",
                "sales-month-first.tsv",
            ]),
        ),
        ("xlsx", xlsx),
        ("ods", of(&["sales-merged-title.ods"])),
        ("xls", of(&["sales-two-sheets.xls"])),
    ];
    println!("seed {seed}, {seconds} s per target");
    println!("| target | executions | seconds | crashes |");
    println!("|---|---|---|---|");
    let mut crashes = 0;
    for (target, seeds) in targets {
        let started = Instant::now();
        let figures = run(target, seeds, time, &out, &mut rng);
        crashes += figures.crashes;
        println!(
            "| {target} | {} | {:.0} | {} |",
            figures.executions,
            started.elapsed().as_secs_f64(),
            figures.crashes
        );
    }
    std::process::exit(i32::from(crashes > 0));
}
