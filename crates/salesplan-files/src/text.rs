//! Text tables (csv, tsv): the encoding (UTF-8 with or without BOM, UTF-16,
//! else Windows-1252), the delimiter (`,` `;` tab `|`), the header line below
//! any title lines, then polars reads the rows, every cell as text.

use crate::header::{self, Probe};
use crate::{Body, ReadOptions, Table};
use polars::prelude::*;
use salesplan_core::Error;
use salesplan_core::error::Result;
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

/// The first records, split by `delimiter` with quotes respected, each with the
/// line it starts on (counting from 0).
fn first_records(text: &str, delimiter: char, limit: usize) -> Vec<(usize, Vec<String>)> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 0;
    let mut start = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => fields.push(std::mem::take(&mut field)),
            '\n' if !quoted => {
                fields.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
                if records.len() >= limit {
                    return records;
                }
            }
            '\r' if !quoted => {}
            '\n' => {
                line += 1;
                field.push(c);
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((start, fields));
    }
    records
}

/// The delimiter that splits the first lines most consistently into more than one field.
fn delimiter(name: &str, text: &str) -> char {
    if name.to_ascii_lowercase().ends_with(".tsv") {
        return '\t';
    }
    let mut best = (',', 0usize);
    for candidate in [';', '\t', ',', '|'] {
        let records = first_records(text, candidate, 30);
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
    let records = first_records(text, separator, 50);
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
    let headers = header::names(&probes[header_index]);
    let header_line = records[header_index].0;
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
        .map_err(|error| Error::bad_file(name, format!("cannot be read as a table: {error}")))?;
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
        let records = first_records("a,\"b,c\"\n\"x\ny\",z\nlast,row", ',', 10);
        assert_eq!(records[0], (0, vec!["a".to_owned(), "b,c".to_owned()]));
        assert_eq!(records[1], (1, vec!["x\ny".to_owned(), "z".to_owned()]));
        assert_eq!(records[2], (3, vec!["last".to_owned(), "row".to_owned()]));
    }
}
