//! Hostile files, generated here (the large ones are never checked in), each
//! imported by the real binary as a user would: every one gets its clear
//! one-line error, or is read, within 60 s and 512 MB of peak resident memory,
//! and none crashes the process. One case per finding of the importer issue.

use crate::{Demo, salesplan};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use zip::write::SimpleFileOptions;

/// The bounds any file is read within.
const MOST_SECONDS: u64 = 60;
const MOST_MEGABYTES: u64 = 512;

/// How a run went: its output, its peak resident memory (MB) and its time.
struct Run {
    output: Output,
    peak_mb: u64,
    took: Duration,
}

/// Runs a command to its end, polling its peak resident memory (the kernel's
/// high-water mark, VmHWM) while it runs.
fn watched(mut command: Command) -> Run {
    let started = Instant::now();
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = PathBuf::from(format!("/proc/{}/status", child.id()));
    let (peak, done) = (
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let poller = {
        let (peak, done) = (Arc::clone(&peak), Arc::clone(&done));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                let text = std::fs::read_to_string(&status).unwrap_or_default();
                if let Some(kb) = text
                    .lines()
                    .find_map(|line| line.strip_prefix("VmHWM:"))
                    .and_then(|value| {
                        value
                            .trim()
                            .trim_end_matches("kB")
                            .trim()
                            .parse::<u64>()
                            .ok()
                    })
                {
                    peak.fetch_max(kb, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let output = child.wait_with_output().unwrap();
    done.store(true, Ordering::Relaxed);
    poller.join().unwrap();
    Run {
        output,
        peak_mb: peak.load(Ordering::Relaxed) / 1024,
        took: started.elapsed(),
    }
}

/// Writes a part's content.
type Content<'a> = &'a mut dyn FnMut(&mut dyn Write);

/// An xlsx package around one sheet's XML and, if given, a shared-string
/// table's: the parts Excel needs, written by a real zip writer.
fn xlsx(path: &Path, sheet: Content<'_>, strings: Option<Content<'_>>) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, content: &[u8]| {
        zip.start_file(name, options).unwrap();
        zip.write_all(content).unwrap();
    };
    part(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sales" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    sheet(&mut zip);
    if let Some(write) = strings {
        zip.start_file("xl/sharedStrings.xml", options).unwrap();
        write(&mut zip);
    }
    zip.finish().unwrap();
}

/// A sheet's XML: the import's header row, then `more` (raw cells and rows).
fn sheet(more: &str) -> impl FnMut(&mut dyn Write) {
    let header: String = ["Date", "SKU", "Quantity", "Unit price"]
        .iter()
        .enumerate()
        .map(|(at, name)| {
            let column = char::from(b'A' + u8::try_from(at).unwrap());
            format!(r#"<c r="{column}1" t="inlineStr"><is><t>{name}</t></is></c>"#)
        })
        .collect();
    let (head, tail) = (
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">{header}</row>"#
        ),
        "</sheetData></worksheet>",
    );
    let more = more.to_owned();
    move |out: &mut dyn Write| {
        out.write_all(head.as_bytes()).unwrap();
        out.write_all(more.as_bytes()).unwrap();
        out.write_all(tail.as_bytes()).unwrap();
    }
}

/// Writes `count` copies of `piece` between `head` and `tail`, without holding them all.
fn repeated(out: &mut dyn Write, head: &str, piece: &str, count: usize, tail: &str) {
    out.write_all(head.as_bytes()).unwrap();
    let block = piece.repeat(4096);
    for _ in 0..count / 4096 {
        out.write_all(block.as_bytes()).unwrap();
    }
    out.write_all(piece.repeat(count % 4096).as_bytes())
        .unwrap();
    out.write_all(tail.as_bytes()).unwrap();
}

fn text_file(path: &Path, write: impl FnOnce(&mut dyn Write)) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    write(&mut file);
    file.flush().unwrap();
}

/// What a case expects: an error saying this, or the file read.
enum Expect {
    Refused(&'static str),
    Read,
}

#[test]
fn no_file_crashes_hangs_or_floods_the_importer() {
    let demo = Demo::create();
    let dir = demo.dir.path();
    let month = demo.open_month();
    let mut cases: Vec<(PathBuf, Expect)> = Vec::new();
    let mut case = |name: &str, expect: Expect| {
        let path = dir.join(name);
        cases.push((path.clone(), expect));
        path
    };

    // A cell referenced beyond the sheet's limits (calamine: capacity overflow).
    let path = case(
        "beyond.xlsx",
        Expect::Refused("has a cell at row 1,048,577, column 16,385, outside any sheet"),
    );
    xlsx(
        &path,
        &mut sheet(r#"<row r="1048577"><c r="XFE1048577"><v>1</v></c></row>"#),
        None,
    );
    // Headers in row 1 and one cell in the sheet's last corner (abort: a 549 GB allocation).
    let path = case("far-corner.xlsx", Expect::Read);
    xlsx(
        &path,
        &mut sheet(r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#),
        None,
    );
    // A tiny shared-string table declaring 4 billion texts (abort: a 103 GB allocation).
    let path = case(
        "declared-strings.xlsx",
        Expect::Refused("declares or holds 4,294,967,295 different texts"),
    );
    xlsx(
        &path,
        &mut sheet(""),
        Some(&mut |out: &mut dyn Write| {
            out.write_all(br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="4294967295"><si><t>x</t></si></sst>"#).unwrap();
        }),
    );
    // A shared-string table holding 20 million texts (92 s, 1.1 GB).
    let path = case(
        "many-strings.xlsx",
        Expect::Refused("declares or holds 3,000,001 different texts"),
    );
    xlsx(
        &path,
        &mut sheet(""),
        Some(&mut |out: &mut dyn Write| {
            repeated(
                out,
                r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
                "<si/>",
                20_000_000,
                "</sst>",
            );
        }),
    );
    // 1.7 MB that unpacks to 900 MB.
    let path = case(
        "unpacks-big.xlsx",
        Expect::Refused("would unpack to 900 MB (at most 400 MB)"),
    );
    xlsx(
        &path,
        &mut |out: &mut dyn Write| repeated(out, "", " ", 900 * 1024 * 1024, ""),
        None,
    );
    // One text node of 50 MB in the sheet.
    let path = case(
        "long-text.xlsx",
        Expect::Refused(
            "holds a text or tag longer than 256 kB in its part xl/worksheets/sheet1.xml",
        ),
    );
    let long = format!(
        r#"<row r="2"><c r="B2" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "x".repeat(50 * 1024 * 1024)
    );
    xlsx(&path, &mut sheet(&long), None);
    // 10,000 header cells of the same name (cubic: 2,000 took 31 s).
    let path = case(
        "same-names.csv",
        Expect::Refused("row 1 names 10,000 columns; a table may have at most 1,000"),
    );
    text_file(&path, |out| repeated(out, "", "Qty,", 9_999, "Qty\n1\n"));
    // One field of 50 MB (5.6 GB resident, and echoed back).
    let path = case(
        "one-field.csv",
        Expect::Refused("row 2, column B holds more than 32,767 characters"),
    );
    text_file(&path, |out| {
        repeated(
            out,
            &format!("Date,SKU,Quantity\n{month}-03,"),
            "x",
            50 * 1024 * 1024,
            ",1\n",
        );
    });
    // A quote that never closes, over 300,000 lines (a 7.8 MB error).
    let path = case(
        "unclosed.csv",
        Expect::Refused(
            "line 2, column B: a quoted cell runs past 32,767 characters; is its closing quote missing?",
        ),
    );
    text_file(&path, |out| {
        repeated(
            out,
            &format!("Date,SKU,Quantity\n{month}-03,\"BEV-010,1\n"),
            "2026-01-01,BEV-010,1\n",
            300_000,
            "",
        );
    });
    // A 1 MB line of quotes.
    let path = case(
        "deep-quotes.csv",
        Expect::Refused("line 2, column A: a quoted cell runs past 32,767 characters"),
    );
    text_file(&path, |out| {
        repeated(out, "Date,SKU,Quantity\n", "\"", 1024 * 1024, "\n")
    });
    // A quantity too small to hold and an amount that overflowed dividing by it.
    let path = case("tiny-quantity.csv", Expect::Read);
    text_file(&path, |out| {
        write!(out, "Date,SKU,Branch,Quantity,Amount\n{month}-03,BEV-010,BR-N,0.0000000000000000000000000001,999999999\n").unwrap();
    });

    for (path, expect) in cases {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut command = salesplan();
        command
            .arg("--db")
            .arg(demo.db())
            .args(["--user", "admin", "import"])
            .arg(&path)
            .args(["--kind", "actuals", "--dry-run"])
            .env("SALESPLAN_PASSWORD", salesplan_core::demo::DEMO_PASSWORD);
        let run = watched(command);
        let said = String::from_utf8_lossy(&run.output.stderr).into_owned();
        assert!(
            run.output.status.code().is_some(),
            "{name}: killed by a signal: {said}"
        );
        assert!(!said.contains("panicked"), "{name}: {said}");
        assert!(
            said.lines().count() <= 1 && said.len() <= 600,
            "{name}: {} bytes: {said:.600}",
            said.len()
        );
        assert!(
            run.took < Duration::from_secs(MOST_SECONDS),
            "{name}: took {:?}",
            run.took
        );
        assert!(
            run.peak_mb <= MOST_MEGABYTES,
            "{name}: peak {} MB",
            run.peak_mb
        );
        match expect {
            Expect::Refused(words) => {
                assert_eq!(run.output.status.code(), Some(1), "{name}: {said}");
                assert!(
                    said.starts_with(&format!("error: {name}: ")) && said.contains(words),
                    "{name}: {said}"
                );
            }
            Expect::Read => assert!(
                said.is_empty() || !said.contains("cannot be read"),
                "{name}: {said}"
            ),
        }
        eprintln!("{name}: {:?}, peak {} MB", run.took, run.peak_mb);
    }
}
