//! Spreadsheets through calamine: one sheet (chosen by name, else the first
//! that holds a table), its header row found below any title rows, its cells
//! typed as the file typed them (numbers, dates, text). xlsx and xlsb sheets
//! are read cell by cell into a [`Grid`] that holds only the cells with a
//! value; xls and ods sheets come whole from calamine, which bounds them
//! (65,536 × 256 cells for xls; 100 million for ods, see docs/upstream).
//! A panic inside a reader is caught and reported as a damaged file.

use crate::header::{self, Probe};
use crate::limits::{
    self, MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, SHEET_COLUMNS, SHEET_ROWS, grouped, reader_said,
};
use crate::sniff::Format;
use crate::{Body, ReadOptions, Table};
use calamine::{CellErrorType, Data, DataRef, Reader, Sheets, open_workbook_from_rs};
use salesplan_core::Error;
use salesplan_core::error::Result;
use salesplan_core::exports::stamp::Stamp;
use salesplan_core::imports::{Cell, SourceInfo};
use std::collections::HashMap;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use time::{Date, Month};

pub(crate) struct SheetBody {
    grid: Grid,
    /// The header's index among the grid's rows.
    header: usize,
    width: usize,
}

/// A sheet's cells that hold a value, read one at a time and kept by row:
/// nothing is allocated for the blank area between them, whatever the cells'
/// references say, and each cell is checked against the limits as it comes.
struct Grid {
    /// (row, column, value) counting from 0, sorted by row then column.
    cells: Vec<(u32, u32, Value)>,
    /// Each row's number and where its cells start in `cells`.
    rows: Vec<(u32, usize)>,
    /// The cells' texts.
    texts: Texts,
}

/// A cell's value as the import reads it: 16 bytes (24 with its place), so
/// that the largest sheet (1,048,576 rows of seven columns) fits the memory a
/// file may take. Texts live in the grid's `texts`; a value holds their index.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Number(f64),
    Text(u32),
    Bool(bool),
    Date(Date),
    /// A formula's error (#DIV/0!, #N/A…), its text in `texts` too.
    Error(u32),
}

/// The texts of a sheet's cells, one after another in one string: a cell's
/// text costs its bytes and eight more, not an allocation of its own (a sheet
/// written with inline strings has millions). A text the reader shares (a
/// shared string, an error's name) is held once however many cells show it (a
/// SKU on 100,000 rows), known by where the reader holds it.
#[derive(Default)]
struct Texts {
    held: String,
    /// Where each text starts in `held`, and its length.
    spans: Vec<(u32, u32)>,
    by_place: HashMap<usize, u32>,
}

impl Texts {
    fn get(&self, at: u32) -> &str {
        let (start, len) = self.spans[at as usize];
        let start = start as usize;
        &self.held[start..start + len as usize]
    }

    /// A text the reader holds for the whole sheet.
    fn shared(&mut self, text: &str) -> u32 {
        if let Some(at) = self.by_place.get(&text.as_ptr().addr()) {
            return *at;
        }
        let at = self.owned(text);
        self.by_place.insert(text.as_ptr().addr(), at);
        at
    }

    /// A cell's own text. The texts of a sheet within the limits fit `u32` places (a
    /// file unpacks to at most 400 MB).
    fn owned(&mut self, text: &str) -> u32 {
        let at = u32::try_from(self.spans.len()).unwrap_or(u32::MAX);
        let start = u32::try_from(self.held.len()).unwrap_or(u32::MAX);
        self.held.push_str(text);
        self.spans
            .push((start, u32::try_from(text.len()).unwrap_or(u32::MAX)));
        at
    }

    /// Done reading: the reader's places are no longer needed.
    fn finished(mut self) -> Texts {
        self.by_place = HashMap::new();
        self
    }
}

impl Value {
    /// The value of a cell that holds one, its text kept in `texts`.
    fn of(data: DataRef<'_>, texts: &mut Texts) -> Option<Value> {
        Some(match data {
            DataRef::Empty => return None,
            DataRef::SharedString(text) if text.trim().is_empty() => return None,
            DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
                if text.trim().is_empty() {
                    return None;
                }
                Value::Text(texts.owned(&text))
            }
            DataRef::SharedString(text) => Value::Text(texts.shared(text)),
            #[allow(clippy::cast_precision_loss)]
            DataRef::Int(number) => Value::Number(number as f64),
            DataRef::Float(number) => Value::Number(number),
            DataRef::Bool(flag) => Value::Bool(flag),
            DataRef::DateTime(moment) if moment.is_datetime() => {
                let (year, month, day, ..) = moment.to_ymd_hms_milli();
                Month::try_from(month)
                    .ok()
                    .and_then(|month| Date::from_calendar_date(i32::from(year), month, day).ok())
                    .map_or(Value::Number(moment.as_f64()), Value::Date)
            }
            DataRef::DateTime(moment) => Value::Number(moment.as_f64()),
            DataRef::Error(error) => Value::Error(texts.shared(error_text(&error))),
        })
    }

    fn cell<'a>(&self, texts: &'a Texts) -> Cell<'a> {
        match *self {
            Value::Number(number) => Cell::Number(number),
            Value::Text(at) | Value::Error(at) => Cell::Text(texts.get(at)),
            Value::Bool(flag) => Cell::Bool(flag),
            Value::Date(date) => Cell::Date(date),
        }
    }

    fn probe(&self, texts: &Texts) -> Probe {
        match *self {
            Value::Text(at) => Probe::of_text(texts.get(at)),
            other => Probe::Value(other.cell(texts).shown()),
        }
    }
}

impl Grid {
    /// Reads cells from `next` until it has none: each within the sheet's
    /// limits and a cell's length, at most [`MAX_CELLS`] of them.
    fn read<'a, E: std::fmt::Display>(
        name: &str,
        mut next: impl FnMut() -> std::result::Result<Option<((u32, u32), DataRef<'a>)>, E>,
    ) -> Result<Grid> {
        let mut cells = Vec::new();
        let mut texts = Texts::default();
        loop {
            let ((row, column), data) = match next() {
                Ok(Some(cell)) => cell,
                Ok(None) => break,
                Err(error) => {
                    return Err(Error::bad_file(
                        name,
                        format!(
                            "is damaged and cannot be read ({})",
                            reader_said(&error.to_string())
                        ),
                    ));
                }
            };
            Self::check(name, row, column, &data)?;
            if let Some(value) = Value::of(data, &mut texts) {
                if cells.len() == MAX_CELLS {
                    return Err(limits::too_many_cells(name, row as usize + 1));
                }
                cells.push((row, column, value));
            }
        }
        Ok(Grid::of(cells, texts.finished()))
    }

    fn check(name: &str, row: u32, column: u32, data: &DataRef<'_>) -> Result<()> {
        if row >= SHEET_ROWS || column >= SHEET_COLUMNS {
            return Err(Error::bad_file(
                name,
                format!(
                    "has a cell at row {}, column {}, outside any sheet (the last cell is XFD1048576): it is damaged or crafted",
                    grouped(u64::from(row) + 1),
                    grouped(u64::from(column) + 1)
                ),
            ));
        }
        let text = match data {
            DataRef::String(text) => text.as_str(),
            DataRef::SharedString(text) => text,
            _ => "",
        };
        if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
            return Err(limits::cell_too_long(
                name,
                row as usize + 1,
                column as usize,
            ));
        }
        Ok(())
    }

    fn of(mut cells: Vec<(u32, u32, Value)>, texts: Texts) -> Grid {
        // Cells come in the file's order, which a file may shuffle.
        if !cells.is_sorted_by_key(|(row, column, _)| (*row, *column)) {
            cells.sort_by_key(|(row, column, _)| (*row, *column));
        }
        let mut rows: Vec<(u32, usize)> = Vec::new();
        for (at, (row, ..)) in cells.iter().enumerate() {
            if rows.last().is_none_or(|(last, _)| last != row) {
                rows.push((*row, at));
            }
        }
        Grid { cells, rows, texts }
    }

    /// The cells of the row at `index` among the grid's rows.
    fn row(&self, index: usize) -> &[(u32, u32, Value)] {
        let start = self.rows[index].1;
        let end = self
            .rows
            .get(index + 1)
            .map_or(self.cells.len(), |(_, at)| *at);
        &self.cells[start..end]
    }
}

type Workbook = Sheets<Cursor<Vec<u8>>>;

fn open(name: &str, bytes: Vec<u8>, format: Format) -> Result<Workbook> {
    if format == Format::Xls {
        crate::compound::check(name, &bytes)?;
    }
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
        Error::bad_file(
            name,
            format!("is damaged and cannot be read ({})", reader_said(&text)),
        )
    }
}

/// Runs a reader's step; a panic in it (a dependency's bug on a crafted file)
/// is a damaged file, not the end of the app or of a watched-folder scan.
fn guarded<T>(name: &str, step: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(step)).unwrap_or_else(|panic| {
        let said = panic
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Error::bad_file(
            name,
            format!(
                "is damaged and cannot be read (the spreadsheet reader failed: {})",
                reader_said(&said)
            ),
        ))
    })
}

/// A cell of a sheet calamine read whole, in the form its streamed readers
/// give: text as owned text, not as a shared text (each cell holds its own copy).
fn data_ref(data: &Data) -> DataRef<'static> {
    match data {
        Data::Empty => DataRef::Empty,
        Data::String(text) => DataRef::String(text.clone()),
        Data::DateTimeIso(text) => DataRef::DateTimeIso(text.clone()),
        Data::DurationIso(text) => DataRef::DurationIso(text.clone()),
        Data::Int(number) => DataRef::Int(*number),
        Data::Float(number) => DataRef::Float(*number),
        Data::Bool(flag) => DataRef::Bool(*flag),
        Data::DateTime(moment) => DataRef::DateTime(*moment),
        Data::Error(error) => DataRef::Error(error.clone()),
    }
}

/// The grid of a sheet whose cells calamine streams one at a time.
fn streamed<'a, E: std::fmt::Display>(
    name: &str,
    mut next: impl FnMut() -> std::result::Result<Option<calamine::Cell<DataRef<'a>>>, E>,
) -> Result<Grid> {
    Grid::read(name, || {
        next().map(|cell| cell.map(|cell| (cell.get_position(), cell.get_value().clone())))
    })
}

/// A sheet's cells with a value.
fn grid(name: &str, workbook: &mut Workbook, sheet: &str) -> Result<Grid> {
    match workbook {
        Sheets::Xlsx(xlsx) => {
            let mut cells = xlsx
                .worksheet_cells_reader(sheet)
                .map_err(|error| refusal(name, &error.into()))?;
            streamed(name, || cells.next_cell())
        }
        Sheets::Xlsb(xlsb) => {
            let mut cells = xlsb
                .worksheet_cells_reader(sheet)
                .map_err(|error| refusal(name, &error.into()))?;
            streamed(name, || cells.next_cell())
        }
        other => {
            let range = other
                .worksheet_range(sheet)
                .map_err(|error| refusal(name, &error))?;
            let (top, left) = range.start().unwrap_or((0, 0));
            let mut used = range.used_cells();
            Grid::read(name, || {
                Ok::<_, Error>(used.next().map(|(row, column, data)| {
                    #[allow(clippy::cast_possible_truncation)]
                    let position = (top + row as u32, left + column as u32);
                    (position, data_ref(data))
                }))
            })
        }
    }
}

/// Where a sheet's header row is among its grid's rows, and the first rows' probes.
fn locate(
    name: &str,
    sheet: &str,
    grid: &Grid,
    options: &ReadOptions,
) -> Result<(usize, Vec<Probe>, Option<Stamp>)> {
    let first = grid.rows.len().min(50);
    let mut probes: Vec<Vec<Probe>> = (0..first)
        .map(|index| {
            // Dense from column A, so that letters stay true; one past the widest allowed is enough to refuse.
            let mut probes = Vec::new();
            for (_, column, value) in grid.row(index) {
                let column = *column as usize;
                if column > MAX_COLUMNS {
                    break;
                }
                probes.resize(column, Probe::Empty);
                probes.push(value.probe(&grid.texts));
            }
            probes
        })
        .collect();
    let header = match options.header_row {
        Some(row) => grid
            .rows
            .iter()
            .position(|(number, _)| *number as usize + 1 == row)
            .filter(|index| *index < first)
            .ok_or_else(|| Error::bad_file(name, format!("sheet '{sheet}' has nothing in row {row} to take the headers from")))?,
        None => header::find(&probes).ok_or_else(|| {
            Error::bad_file(
                name,
                format!(
                    "sheet '{sheet}' has no header row (a row naming the columns, such as Date, SKU, Quantity) in its first 50 rows"
                ),
            )
        })?,
    };
    let stamp = header::stamp_above(&probes, header);
    Ok((header, probes.swap_remove(header), stamp))
}

pub(crate) fn read(
    name: &str,
    content_hash: String,
    bytes: Vec<u8>,
    format: Format,
    options: &ReadOptions,
) -> Result<Table> {
    guarded(name, || {
        read_guarded(name, content_hash, bytes, format, options)
    })
}

fn read_guarded(
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
                            "has no sheet '{}' (its sheets: {})",
                            reader_said(wanted),
                            reader_said(&sheets.join(", "))
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
        let grid = grid(name, &mut workbook, &sheet)?;
        match locate(name, &sheet, &grid, options) {
            Ok((header, probes, stamp)) => {
                found = Some((sheet, grid, header, probes, stamp));
                break;
            }
            Err(error) => {
                first_refusal.get_or_insert(error);
            }
        }
    }
    let Some((sheet, grid, header, probes, stamp)) = found else {
        return Err(first_refusal.unwrap_or_else(|| Error::bad_file(name, "has no sheets")));
    };
    let header_row = grid.rows[header].0 as usize + 1;
    let headers = header::names(name, header_row, &probes)?;
    let body = SheetBody {
        grid,
        header,
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
            header_row,
            headers,
            rows,
            stamp,
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

impl SheetBody {
    pub(crate) fn rows(&self, each: &mut dyn FnMut(usize, &[Cell<'_>]) -> bool) -> Result<()> {
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(self.width);
        for index in self.header + 1..self.grid.rows.len() {
            cells.clear();
            cells.resize(self.width, Cell::Empty);
            let mut blank = true;
            for (_, column, value) in self.grid.row(index) {
                let Some(slot) = cells.get_mut(*column as usize) else {
                    break;
                };
                *slot = value.cell(&self.grid.texts);
                blank &= slot.is_blank();
            }
            if blank {
                continue;
            }
            if !each(self.grid.rows[index].0 as usize + 1, &cells) {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn read(cells: Vec<((u32, u32), DataRef<'static>)>) -> Result<Grid> {
        let mut cells = cells.into_iter();
        Grid::read("f.xlsx", || Ok::<_, Error>(cells.next()))
    }

    #[test]
    fn cells_in_any_order_come_out_by_row_and_blank_ones_are_not_kept() {
        let x: &'static str = "x";
        let grid = read(vec![
            ((5, 1), DataRef::Float(2.0)),
            ((0, 1), DataRef::SharedString("SKU")),
            ((5, 0), DataRef::SharedString(x)),
            ((6, 0), DataRef::SharedString(x)),
            ((3, 0), DataRef::Empty),
            ((0, 0), DataRef::SharedString("Date")),
            ((7, 2), DataRef::SharedString("  ")),
        ])
        .unwrap();
        assert_eq!(grid.rows, [(0, 0), (5, 2), (6, 4)]);
        assert_eq!(grid.row(1)[0], (5, 0, Value::Text(1)));
        assert_eq!(
            grid.row(2)[0],
            (6, 0, Value::Text(1)),
            "one text, held once"
        );
        assert_eq!(grid.texts.spans.len(), 3);
        assert_eq!(grid.row(1)[1], (5, 1, Value::Number(2.0)));
    }

    #[test]
    fn a_cell_outside_any_sheet_or_too_long_is_refused_where_it_is() {
        let beyond = read(vec![((SHEET_ROWS, 0), DataRef::Float(1.0))])
            .err()
            .unwrap();
        assert!(
            beyond
                .to_string()
                .contains("row 1,048,577, column 1, outside any sheet"),
            "{beyond}"
        );
        let long = "é".repeat(MAX_CELL_CHARS + 1);
        let refused = read(vec![((2, 3), DataRef::String(long))]).err().unwrap();
        assert!(
            refused
                .to_string()
                .contains("row 3, column D holds more than 32,767 characters"),
            "{refused}"
        );
        let most = "é".repeat(MAX_CELL_CHARS);
        assert!(read(vec![((2, 3), DataRef::String(most))]).is_ok());
    }
}
