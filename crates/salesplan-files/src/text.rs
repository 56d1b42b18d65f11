//! Text tables (csv, tsv): the encoding (UTF-8 with or without BOM, UTF-16,
//! else Windows-1252), the delimiter (`,` `;` tab `|`), the header line below
//! any title lines, then polars reads the rows, every cell as text.

use crate::header::{self, Probe};
use crate::limits::{self, MAX_CELL_CHARS, MAX_CELLS, reader_said};
use crate::{Body, ReadOptions, Table};
use polars::prelude::*;
use salesplan_core::Error;
use salesplan_core::error::Result;
use salesplan_core::imports::report::column_letter;
use salesplan_core::imports::{Cell, SourceInfo};
use std::io::Cursor;

pub(crate) struct TextBody {
    frame: DataFrame,
    /// The file line of the frame's first row (the header), counting from 1.
    header_line: usize,
    /// How many columns have headers.
    width: usize,
}

/// The bytes as UTF-8 without a byte-order mark.
fn utf8(name: &str, mut bytes: Vec<u8>) -> Result<Vec<u8>> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let decoded = if bytes.starts_with(&[0xFF, 0xFE]) {
        encoding_rs::UTF_16LE
            .decode(&bytes)
            .0
            .into_owned()
            .into_bytes()
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        encoding_rs::UTF_16BE
            .decode(&bytes)
            .0
            .into_owned()
            .into_bytes()
    } else if std::str::from_utf8(&bytes).is_ok() {
        bytes
    } else {
        encoding_rs::WINDOWS_1252
            .decode(&bytes)
            .0
            .into_owned()
            .into_bytes()
    };
    if decoded.iter().all(|byte| byte.is_ascii_whitespace()) {
        return Err(Error::bad_file(name, "holds no data"));
    }
    Ok(decoded)
}

/// A text table read record by record as RFC 4180 has it: a field that starts
/// with a quote runs to its closing quote (a doubled quote is one quote, line
/// breaks included); a quote elsewhere is text. Each field is checked against
/// the cell limit as it is read, so a 50 MB field costs one pass and no copy.
struct Records<'a> {
    text: &'a [u8],
    delimiter: u8,
    at: usize,
    /// The line the next record starts on, counting from 0.
    line: usize,
    /// Whether fields are kept, or only checked.
    keep: bool,
}

/// Why a text table cannot be read.
#[derive(Debug, PartialEq)]
enum Broken {
    /// A quote opened on this line (from 0), in this column, never closes.
    Unclosed { line: usize, column: usize },
    /// A field longer than a cell may be, on this line, in this column;
    /// `quoted` when it runs inside quotes (its closing quote may be missing).
    TooLong {
        line: usize,
        column: usize,
        quoted: bool,
    },
}

impl<'a> Records<'a> {
    fn new(text: &'a str, delimiter: char) -> Self {
        Records {
            text: text.as_bytes(),
            delimiter: u8::try_from(delimiter).unwrap_or(b','),
            at: 0,
            line: 0,
            keep: true,
        }
    }

    /// The next record's fields (quotes undone), and the line it starts on.
    fn next_record(&mut self) -> Option<Result<(usize, Vec<String>), Broken>> {
        if self.at >= self.text.len() {
            return None;
        }
        let start = self.line;
        let mut fields = Vec::new();
        loop {
            let column = fields.len();
            let field = match self.field(column) {
                Ok(field) => field,
                Err(broken) => {
                    // Nothing past a broken record can be read right.
                    self.at = self.text.len();
                    return Some(Err(broken));
                }
            };
            fields.push(field);
            match self.text.get(self.at) {
                Some(&byte) if byte == self.delimiter => self.at += 1,
                Some(b'\n') => {
                    self.at += 1;
                    self.line += 1;
                    break;
                }
                _ => break,
            }
        }
        Some(Ok((start, fields)))
    }

    /// One field, up to (not past) the delimiter or line break that ends it.
    fn field(&mut self, column: usize) -> Result<String, Broken> {
        let (text, keep) = (self.text, self.keep);
        let mut field = Vec::new();
        let mut chars = 0;
        let mut push = |field: &mut Vec<u8>, byte: u8, line: usize, quoted: bool| {
            // A character starts at every byte that is not a UTF-8 continuation.
            if byte & 0xC0 != 0x80 {
                chars += 1;
                if chars > MAX_CELL_CHARS {
                    return Err(Broken::TooLong {
                        line,
                        column,
                        quoted,
                    });
                }
            }
            if keep {
                field.push(byte);
            }
            Ok(())
        };
        if text.get(self.at) == Some(&b'"') {
            let opened = self.line;
            self.at += 1;
            loop {
                match text.get(self.at) {
                    None => {
                        return Err(Broken::Unclosed {
                            line: opened,
                            column,
                        });
                    }
                    Some(b'"') if text.get(self.at + 1) == Some(&b'"') => {
                        push(&mut field, b'"', opened, true)?;
                        self.at += 2;
                    }
                    Some(b'"') => {
                        self.at += 1;
                        break;
                    }
                    Some(&byte) => {
                        if byte == b'\n' {
                            self.line += 1;
                        }
                        push(&mut field, byte, opened, true)?;
                        self.at += 1;
                    }
                }
            }
        }
        // Unquoted text, or what follows a closing quote up to the field's end.
        while let Some(&byte) = text.get(self.at) {
            if byte == self.delimiter || byte == b'\n' {
                break;
            }
            push(&mut field, byte, self.line, false)?;
            self.at += 1;
        }
        if field.last() == Some(&b'\r') && text.get(self.at) != Some(&self.delimiter) {
            field.pop();
        }
        // Split only at ASCII bytes of valid UTF-8: the field is valid UTF-8.
        Ok(String::from_utf8(field).unwrap_or_default())
    }
}

/// The first records (at most `limit`), each with the line it starts on.
fn first_records(
    text: &str,
    delimiter: char,
    limit: usize,
) -> Result<Vec<(usize, Vec<String>)>, Broken> {
    let mut records = Records::new(text, delimiter);
    let mut first = Vec::new();
    while first.len() < limit {
        match records.next_record() {
            Some(record) => first.push(record?),
            None => break,
        }
    }
    Ok(first)
}

/// The delimiter that splits the first lines most consistently into more than one field.
fn delimiter(name: &str, text: &str) -> char {
    if name.to_ascii_lowercase().ends_with(".tsv") {
        return '\t';
    }
    let mut best = (',', 0usize);
    for candidate in [';', '\t', ',', '|'] {
        // A broken record (an unclosed quote, a huge field) is reported once the delimiter is chosen.
        let Ok(records) = first_records(text, candidate, 30) else {
            continue;
        };
        let widths: Vec<usize> = records
            .iter()
            .map(|(_, fields)| fields.len())
            .filter(|width| *width > 1)
            .collect();
        let Some(widest) = widths.iter().max().copied() else {
            continue;
        };
        // Score: lines split into the most common width, times that width.
        let common = widths.iter().filter(|width| **width == widest).count();
        let score = common * widest;
        if score > best.1 {
            best = (candidate, score);
        }
    }
    best.0
}

/// A broken record in the user's words.
fn refusal(name: &str, broken: &Broken) -> Error {
    match *broken {
        Broken::Unclosed { line, column } => Error::bad_file(
            name,
            format!(
                "line {}, column {}: a quote opens and never closes (a cell that starts with \" must end with one)",
                line + 1,
                column_letter(column)
            ),
        ),
        Broken::TooLong {
            line,
            column,
            quoted: true,
        } => Error::bad_file(
            name,
            format!(
                "line {}, column {}: a quoted cell runs past {} characters; is its closing quote missing?",
                line + 1,
                column_letter(column),
                limits::grouped(MAX_CELL_CHARS as u64)
            ),
        ),
        Broken::TooLong { line, column, .. } => limits::cell_too_long(name, line + 1, column),
    }
}

/// Reads every record once before polars does, keeping nothing: a broken
/// record anywhere is refused with its line, and the table's cells (its rows
/// times the header's fields, as polars will hold them) are counted.
fn check_all(
    name: &str,
    text: &str,
    delimiter: char,
    header_line: usize,
    width: usize,
) -> Result<()> {
    let mut records = Records::new(text, delimiter);
    records.keep = false;
    let mut rows = 0usize;
    while let Some(record) = records.next_record() {
        let (line, _) = record.map_err(|broken| refusal(name, &broken))?;
        if line > header_line {
            rows += 1;
            if rows.saturating_mul(width.max(1)) > MAX_CELLS {
                return Err(limits::too_many_cells(name, line + 1));
            }
        }
    }
    Ok(())
}

pub(crate) fn read(
    name: &str,
    content_hash: String,
    bytes: Vec<u8>,
    options: &ReadOptions,
) -> Result<Table> {
    let bytes = utf8(name, bytes)?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| Error::bad_file(name, "is not readable text"))?;
    let separator = delimiter(name, text);
    let records = first_records(text, separator, 50).map_err(|broken| refusal(name, &broken))?;
    let probes: Vec<Vec<Probe>> = records
        .iter()
        .map(|(_, fields)| fields.iter().map(|field| Probe::of_text(field)).collect())
        .collect();
    let header_index = match options.header_row {
        Some(row) => records
            .iter()
            .position(|(line, _)| line + 1 == row)
            .ok_or_else(|| Error::bad_file(name, format!("has no row {row} to take the headers from")))?,
        None => header::find(&probes).ok_or_else(|| {
            Error::bad_file(
                name,
                "has no header row (a row naming the columns, such as Date, SKU, Quantity) in its first 50 lines",
            )
        })?,
    };
    let (header_line, header_fields) = &records[header_index];
    let header_line = *header_line;
    let headers = header::names(name, header_line + 1, &probes[header_index])?;
    let stamp = header::stamp_above(&probes, header_index);
    check_all(name, text, separator, header_line, header_fields.len())?;
    let parse = CsvParseOptions::default()
        .with_separator(u8::try_from(separator).unwrap_or(b','))
        .with_quote_char(Some(b'"'))
        .with_truncate_ragged_lines(true)
        .with_missing_is_null(true);
    let frame = CsvReadOptions::default()
        .with_has_header(false)
        .with_skip_lines(header_line)
        .with_infer_schema_length(Some(0))
        .with_parse_options(parse)
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()
        .map_err(|error| {
            Error::bad_file(
                name,
                format!(
                    "cannot be read as a table: {}",
                    reader_said(&error.to_string())
                ),
            )
        })?;
    let body = TextBody {
        frame,
        header_line: header_line + 1,
        width: headers.len(),
    };
    let rows = body.count_rows()?;
    Ok(Table {
        info: SourceInfo {
            file_name: name.to_owned(),
            content_hash,
            sheet: None,
            sheets: Vec::new(),
            header_row: header_line + 1,
            headers,
            rows,
            stamp,
        },
        body: Body::Text(body),
    })
}

impl TextBody {
    fn columns(&self, width: usize) -> Result<Vec<&StringChunked>> {
        self.frame
            .columns()
            .iter()
            .take(width)
            .map(|column| {
                column.str().map_err(|error| {
                    Error::invalid("file", format!("a column is not text: {error}"))
                })
            })
            .collect()
    }

    fn count_rows(&self) -> Result<usize> {
        let mut rows = 0;
        self.rows(&mut |_, _| {
            rows += 1;
            true
        })?;
        Ok(rows)
    }

    pub(crate) fn rows(&self, each: &mut dyn FnMut(usize, &[Cell<'_>]) -> bool) -> Result<()> {
        let width = self.width;
        let columns = self.columns(width)?;
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(width);
        for index in 1..self.frame.height() {
            cells.clear();
            for column in &columns {
                cells.push(match column.get(index) {
                    Some(text) if !text.trim().is_empty() => Cell::Text(text),
                    _ => Cell::Empty,
                });
            }
            cells.resize(width, Cell::Empty);
            if cells.iter().all(|cell| *cell == Cell::Empty) {
                continue;
            }
            if !each(self.header_line + index, &cells) {
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

    #[test]
    fn the_delimiter_is_the_one_that_splits_consistently() {
        assert_eq!(delimiter("a.csv", "Date;SKU;Qty\n2026-10-01;A;1,5\n"), ';');
        assert_eq!(
            delimiter("a.csv", "Date,SKU,Qty\n2026-10-01,A,\"1,5\"\n"),
            ','
        );
        assert_eq!(delimiter("a.csv", "Date\tSKU\tQty\n1\t2\t3\n"), '\t');
        assert_eq!(delimiter("a.tsv", "x"), '\t');
    }

    #[test]
    fn records_keep_quoted_delimiters_and_newlines() {
        let records =
            first_records("a,\"b,c\"\n\"x\ny\",z\r\nlast,\"say \"\"hi\"\"\"", ',', 10).unwrap();
        assert_eq!(records[0], (0, vec!["a".to_owned(), "b,c".to_owned()]));
        assert_eq!(records[1], (1, vec!["x\ny".to_owned(), "z".to_owned()]));
        assert_eq!(
            records[2],
            (3, vec!["last".to_owned(), "say \"hi\"".to_owned()])
        );
    }

    #[test]
    fn a_quote_inside_a_field_is_text() {
        let records = first_records("Size,SKU\n12\" pizza,P-1\n", ',', 10).unwrap();
        assert_eq!(records[1].1, ["12\" pizza", "P-1"]);
    }

    #[test]
    fn an_unclosed_quote_and_a_huge_field_are_found_where_they_are() {
        assert_eq!(
            first_records("a,b\n1,\"2\n3,4\n", ',', 10),
            Err(Broken::Unclosed { line: 1, column: 1 })
        );
        let huge = format!("a,b\nx,y\n1,{}\n", "é".repeat(MAX_CELL_CHARS + 1));
        assert_eq!(
            first_records(&huge, ',', 10),
            Err(Broken::TooLong {
                line: 2,
                column: 1,
                quoted: false
            })
        );
        let most = format!("a,b\n1,\"{}\"\n", "é".repeat(MAX_CELL_CHARS));
        assert!(
            first_records(&most, ',', 10).is_ok(),
            "a cell of exactly the limit is read"
        );
    }
}
