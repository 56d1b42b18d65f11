//! Writing an export table: xlsx (numbers as numbers, dates as dates, a bold
//! header row, frozen panes, a filter, column widths, currency formats) or csv
//! (UTF-8, a header row). Text that a spreadsheet would run as a formula (it
//! begins with = + - @, a tab or a carriage return) is neutralised in both.
//! The file appears whole or not at all: it is written beside the target and
//! renamed into place.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use salesplan_core::Error;
use salesplan_core::error::Result;
pub use salesplan_core::exports::ExportFormat;
use salesplan_core::exports::{ColumnKind, ExportTable, Value};
use salesplan_core::imports::Progress;
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether a spreadsheet would take this text for a formula.
pub fn is_dangerous(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Text made safe for csv: a leading apostrophe keeps a spreadsheet from running it.
pub fn neutralised(text: &str) -> Cow<'_, str> {
    if is_dangerous(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Writes the table to `path` in `format`, reporting rows done; nothing is left on failure or cancel.
pub fn write(
    table: &ExportTable,
    format: ExportFormat,
    path: &Path,
    progress: &dyn Progress,
) -> Result<()> {
    let partial = partial_path(path);
    let outcome = match format {
        ExportFormat::Xlsx => write_xlsx(table, &partial, progress),
        ExportFormat::Csv => write_csv(table, &partial, progress),
    }
    .and_then(|()| std::fs::rename(&partial, path).map_err(|error| io_error(path, &error)));
    if outcome.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    outcome
}

/// A file name in `dir` not yet taken: `name.ext`, else `name (2).ext`, `name (3).ext`…
/// `name` is cleaned of characters file systems refuse.
pub fn free_path(dir: &Path, name: &str, extension: &str) -> PathBuf {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim();
    let base = if clean.is_empty() { "export" } else { clean };
    (1..)
        .map(|n| {
            let file = if n == 1 {
                format!("{base}.{extension}")
            } else {
                format!("{base} ({n}).{extension}")
            };
            dir.join(file)
        })
        .find(|path| !path.exists())
        .unwrap_or_else(|| dir.join(format!("{base}.{extension}")))
}

fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(
        || "export".into(),
        |name| name.to_string_lossy().into_owned(),
    );
    path.with_file_name(format!(".{name}.partial"))
}

fn io_error(path: &Path, error: &dyn std::fmt::Display) -> Error {
    Error::bad_file(
        path.display().to_string(),
        format!("cannot be written: {error}"),
    )
}

/// Reports every 5,000 rows; answers false when the user cancelled.
fn keep_going(progress: &dyn Progress, done: usize, total: usize) -> bool {
    if done.is_multiple_of(5_000) {
        progress.update(done, total);
    }
    !progress.cancelled()
}

fn write_csv(table: &ExportTable, path: &Path, progress: &dyn Progress) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|error| io_error(path, &error))?;
    let mut out = std::io::BufWriter::new(file);
    let quoted = |text: &str| -> String {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    };
    let line = |cells: Vec<String>, out: &mut std::io::BufWriter<std::fs::File>| {
        writeln!(out, "{}", cells.join(",")).map_err(|error| io_error(path, &error))
    };
    if let Some(stamp) = &table.stamp {
        line(vec![quoted(&stamp.line())], &mut out)?;
    }
    line(
        table
            .columns
            .iter()
            .map(|column| quoted(&neutralised(&column.header)))
            .collect(),
        &mut out,
    )?;
    for (done, row) in table.rows.iter().enumerate() {
        if !keep_going(progress, done, table.rows.len()) {
            return Err(Error::Cancelled);
        }
        let cells = row
            .iter()
            .map(|value| match value {
                Value::Empty => String::new(),
                Value::Text(text) => quoted(&neutralised(text)),
                Value::Number(number) => number.normalize().to_string(),
                Value::Date(day) => day.clone(),
            })
            .collect();
        line(cells, &mut out)?;
    }
    out.flush().map_err(|error| io_error(path, &error))?;
    progress.update(table.rows.len(), table.rows.len());
    Ok(())
}

/// A sheet name Excel accepts: at most 31 characters, none of []:*?/\.
fn sheet_name(title: &str) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Export".into()
    } else {
        clean
    }
}

fn number_format(kind: ColumnKind, currency: &str) -> Format {
    match kind {
        ColumnKind::Money => Format::new()
            .set_num_format(format!("#,##0.00 \"{currency}\";-#,##0.00 \"{currency}\"")),
        ColumnKind::Percent => Format::new().set_num_format("0.0\" %\""),
        ColumnKind::Date => Format::new().set_num_format("yyyy-mm-dd"),
        ColumnKind::Month => Format::new().set_num_format("mmm yyyy"),
        ColumnKind::Number | ColumnKind::Text => Format::new(),
    }
}

fn write_xlsx(table: &ExportTable, path: &Path, progress: &dyn Progress) -> Result<()> {
    let failed = |error: rust_xlsxwriter::XlsxError| io_error(path, &error);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&table.title)).map_err(failed)?;
    let bold = Format::new().set_bold();
    let quoted = Format::new().set_quote_prefix();
    let formats: Vec<Format> = table
        .columns
        .iter()
        .map(|column| number_format(column.kind, &table.currency))
        .collect();
    let mut widths: Vec<usize> = table
        .columns
        .iter()
        .map(|column| column.header.chars().count())
        .collect();
    // The stamp, when there is one, sits above the headers.
    let header_row = u32::from(table.stamp.is_some());
    if let Some(stamp) = &table.stamp {
        let faint = Format::new()
            .set_italic()
            .set_font_color(rust_xlsxwriter::Color::RGB(0x66_6666));
        sheet
            .write_string_with_format(0, 0, stamp.line(), &faint)
            .map_err(failed)?;
    }
    for (col, column) in table.columns.iter().enumerate() {
        let col = u16::try_from(col)
            .map_err(|_| Error::invalid("columns", "too many columns for a sheet"))?;
        sheet
            .write_string_with_format(header_row, col, &column.header, &bold)
            .map_err(failed)?;
    }
    for (index, row) in table.rows.iter().enumerate() {
        if !keep_going(progress, index, table.rows.len()) {
            return Err(Error::Cancelled);
        }
        let at = u32::try_from(index + 1)
            .ok()
            .and_then(|at| at.checked_add(header_row))
            .ok_or_else(|| Error::invalid("rows", "too many rows for a sheet"))?;
        for (col, value) in row.iter().enumerate() {
            let (Some(format), Ok(col16)) = (formats.get(col), u16::try_from(col)) else {
                continue;
            };
            let shown = match value {
                Value::Empty => 0,
                Value::Text(text) => {
                    if is_dangerous(text) {
                        sheet
                            .write_string_with_format(at, col16, text, &quoted)
                            .map_err(failed)?;
                    } else {
                        sheet.write_string(at, col16, text).map_err(failed)?;
                    }
                    text.chars().count()
                }
                Value::Number(number) => {
                    let float = number.to_f64().unwrap_or_default();
                    sheet
                        .write_number_with_format(at, col16, float, format)
                        .map_err(failed)?;
                    number.round_dp(2).to_string().len() + 3
                }
                Value::Date(day) => {
                    let full = if day.len() == 7 {
                        format!("{day}-01")
                    } else {
                        day.clone()
                    };
                    match ExcelDateTime::parse_from_str(&full) {
                        Ok(date) => {
                            sheet
                                .write_datetime_with_format(at, col16, date, format)
                                .map_err(failed)?;
                        }
                        Err(_) => {
                            sheet.write_string(at, col16, day).map_err(failed)?;
                        }
                    }
                    10
                }
            };
            widths[col] = widths[col].max(shown);
        }
    }
    for (col, width) in widths.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        #[allow(clippy::cast_precision_loss)]
        sheet
            .set_column_width(col, (*width).clamp(6, 60) as f64 + 2.0)
            .map_err(failed)?;
    }
    sheet.set_freeze_panes(header_row + 1, 0).map_err(failed)?;
    if !table.columns.is_empty() {
        let last_col = u16::try_from(table.columns.len() - 1).unwrap_or(u16::MAX);
        let last_row = u32::try_from(table.rows.len())
            .unwrap_or(u32::MAX)
            .saturating_add(header_row);
        sheet
            .autofilter(header_row, 0, last_row, last_col)
            .map_err(failed)?;
    }
    book.save(path).map_err(failed)?;
    progress.update(table.rows.len(), table.rows.len());
    Ok(())
}
