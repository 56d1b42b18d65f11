//! Spreadsheets through calamine: one sheet (chosen by name, else the first),
//! its header row found below any title rows, its cells typed as the file
//! typed them (numbers, dates, text).

use crate::header::{self, Probe};
use crate::sniff::Format;
use crate::{Body, ReadOptions, Table};
use calamine::{CellErrorType, Data, Range, Reader, Sheets, open_workbook_from_rs};
use salesplan_core::Error;
use salesplan_core::error::Result;
use salesplan_core::imports::{Cell, SourceInfo};
use std::io::Cursor;
use time::{Date, Month};

pub(crate) struct SheetBody {
    range: Range<Data>,
    /// The header's row within the range, and the range's first row in the sheet.
    header: usize,
    first_row: usize,
    width: usize,
}

type Workbook = Sheets<Cursor<Vec<u8>>>;

fn open(name: &str, bytes: Vec<u8>, format: Format) -> Result<Workbook> {
    let cursor = Cursor::new(bytes);
    let opened = match format {
        Format::Xlsx => open_workbook_from_rs(cursor)
            .map(Sheets::Xlsx)
            .map_err(calamine::Error::Xlsx),
        Format::Xlsb => open_workbook_from_rs(cursor)
            .map(Sheets::Xlsb)
            .map_err(calamine::Error::Xlsb),
        Format::Ods => open_workbook_from_rs(cursor)
            .map(Sheets::Ods)
            .map_err(calamine::Error::Ods),
        Format::Xls => open_workbook_from_rs(cursor)
            .map(Sheets::Xls)
            .map_err(calamine::Error::Xls),
        Format::Text => Err(calamine::Error::Msg("not a spreadsheet")),
    };
    opened.map_err(|error| refusal(name, &error))
}

/// A calamine error in the user's words.
fn refusal(name: &str, error: &calamine::Error) -> Error {
    let text = error.to_string();
    if text.to_lowercase().contains("password") {
        Error::bad_file(
            name,
            "is password-protected; open it in your spreadsheet program, save it without a password, and import that copy",
        )
    } else {
        Error::bad_file(name, format!("is damaged and cannot be read ({text})"))
    }
}

fn probe(data: &Data) -> Probe {
    match data {
        Data::Empty => Probe::Empty,
        Data::String(text) => Probe::of_text(text),
        _ => Probe::Value,
    }
}

/// A sheet's header row: its probes and where it is.
fn locate(
    name: &str,
    sheet: &str,
    range: Range<Data>,
    options: &ReadOptions,
) -> Result<(Range<Data>, Vec<Vec<Probe>>, usize)> {
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let first_col = range.start().map_or(0, |(_, col)| col as usize);
    let probes: Vec<Vec<Probe>> = range
        .rows()
        .take(50)
        .map(|row| {
            // Columns left of the range are blank: keep them so letters stay true.
            std::iter::repeat_n(Probe::Empty, first_col)
                .chain(row.iter().map(probe))
                .collect()
        })
        .collect();
    let header = match options.header_row {
        Some(row) if row > first_row && row - first_row - 1 < range.height() => row - first_row - 1,
        Some(row) => return Err(Error::bad_file(name, format!("sheet '{sheet}' has no row {row}"))),
        None => header::find(&probes).ok_or_else(|| {
            Error::bad_file(
                name,
                format!(
                    "sheet '{sheet}' has no header row (a row naming the columns, such as Date, SKU, Quantity) in its first 50 rows"
                ),
            )
        })?,
    };
    Ok((range, probes, header))
}

pub(crate) fn read(
    name: &str,
    content_hash: String,
    bytes: Vec<u8>,
    format: Format,
    options: &ReadOptions,
) -> Result<Table> {
    let mut workbook = open(name, bytes, format)?;
    let sheets = workbook.sheet_names();
    let wanted = match &options.sheet {
        Some(wanted) => vec![
            sheets
                .iter()
                .find(|sheet| sheet.eq_ignore_ascii_case(wanted.trim()))
                .cloned()
                .ok_or_else(|| {
                    Error::bad_file(
                        name,
                        format!(
                            "has no sheet '{wanted}' (its sheets: {})",
                            sheets.join(", ")
                        ),
                    )
                })?,
        ],
        // Not told which: the first sheet that holds a table (a notes sheet before it is passed over).
        None => sheets.clone(),
    };
    let mut first_refusal = None;
    let mut found = None;
    for sheet in wanted {
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|error| refusal(name, &error))?;
        match locate(name, &sheet, range, options) {
            Ok(located) => {
                found = Some((sheet, located));
                break;
            }
            Err(error) => {
                first_refusal.get_or_insert(error);
            }
        }
    }
    let Some((sheet, (range, probes, header))) = found else {
        return Err(first_refusal.unwrap_or_else(|| Error::bad_file(name, "has no sheets")));
    };
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let headers = header::names(&probes[header]);
    let body = SheetBody {
        range,
        header,
        first_row,
        width: headers.len(),
    };
    let mut rows = 0;
    body.rows(&mut |_, _| {
        rows += 1;
        true
    })?;
    Ok(Table {
        info: SourceInfo {
            file_name: name.to_owned(),
            content_hash,
            sheet: Some(sheet),
            sheets,
            header_row: first_row + header + 1,
            headers,
            rows,
        },
        body: Body::Sheet(body),
    })
}

fn error_text(error: &CellErrorType) -> &'static str {
    match error {
        CellErrorType::Div0 => "#DIV/0!",
        CellErrorType::NA => "#N/A",
        CellErrorType::Name => "#NAME?",
        CellErrorType::Null => "#NULL!",
        CellErrorType::Num => "#NUM!",
        CellErrorType::Ref => "#REF!",
        CellErrorType::Value => "#VALUE!",
        CellErrorType::GettingData => "#GETTING_DATA",
    }
}

fn cell(data: &Data) -> Cell<'_> {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) if text.trim().is_empty() => Cell::Empty,
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::Text(text),
        #[allow(clippy::cast_precision_loss)]
        Data::Int(number) => Cell::Number(*number as f64),
        Data::Float(number) => Cell::Number(*number),
        Data::Bool(flag) => Cell::Bool(*flag),
        Data::DateTime(moment) if moment.is_datetime() => {
            let (year, month, day, ..) = moment.to_ymd_hms_milli();
            Month::try_from(month)
                .ok()
                .and_then(|month| Date::from_calendar_date(i32::from(year), month, day).ok())
                .map_or(Cell::Number(moment.as_f64()), Cell::Date)
        }
        Data::DateTime(moment) => Cell::Number(moment.as_f64()),
        Data::Error(error) => Cell::Text(error_text(error)),
    }
}

impl SheetBody {
    pub(crate) fn rows(&self, each: &mut dyn FnMut(usize, &[Cell<'_>]) -> bool) -> Result<()> {
        let first_col = self.range.start().map_or(0, |(_, col)| col as usize);
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(self.width);
        for (index, row) in self.range.rows().enumerate().skip(self.header + 1) {
            cells.clear();
            cells.resize(first_col.min(self.width), Cell::Empty);
            cells.extend(
                row.iter()
                    .take(self.width.saturating_sub(first_col))
                    .map(cell),
            );
            cells.resize(self.width, Cell::Empty);
            if cells.iter().all(Cell::is_blank) {
                continue;
            }
            if !each(self.first_row + index + 1, &cells) {
                break;
            }
        }
        Ok(())
    }
}
