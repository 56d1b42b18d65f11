//! The rows a run read, held compactly as text (a million sales must fit in
//! memory beside the importer's own rows), with the hash of their content; the
//! import pipeline reads them as it reads a file.

use blake2::Digest;
use blake2::digest::consts::{U16, U32};
use salesplan_core::error::Result;
use salesplan_core::imports::{Cell, Source, SourceInfo};

/// The most text a run holds: past it the run stops and says so.
pub const MAX_BYTES: usize = 1 << 31;

/// A table of text cells (`None` for NULL) read from a source.
pub struct Table {
    info: SourceInfo,
    text: String,
    /// Where each row's text starts in `text`.
    row_starts: Vec<usize>,
    /// Where each cell ends, counted from its row's start; `NULL_CELL` for NULL.
    cell_ends: Vec<u32>,
    nulls: Vec<bool>,
    hasher: blake2::Blake2b<U32>,
}

impl Table {
    /// An empty table with these columns; `name` is what the import history shows.
    pub fn new(name: &str, headers: Vec<String>) -> Table {
        Table {
            info: SourceInfo {
                file_name: name.to_owned(),
                content_hash: String::new(),
                sheet: None,
                sheets: Vec::new(),
                header_row: 0,
                headers,
                rows: 0,
                stamp: None,
            },
            text: String::new(),
            row_starts: Vec::new(),
            cell_ends: Vec::new(),
            nulls: Vec::new(),
            hasher: blake2::Blake2b::new(),
        }
    }

    pub fn headers(&self) -> &[String] {
        &self.info.headers
    }

    pub fn len(&self) -> usize {
        self.row_starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row_starts.is_empty()
    }

    /// Adds a row of cells, one per column (missing ones are NULL). Refuses a
    /// row that would take the table past `MAX_BYTES`.
    pub fn push<'c>(
        &mut self,
        cells: impl IntoIterator<Item = Option<&'c str>>,
    ) -> std::result::Result<(), TooBig> {
        let start = self.text.len();
        self.row_starts.push(start);
        let width = self.info.headers.len();
        let mut count = 0;
        for cell in cells.into_iter().take(width) {
            self.push_cell(start, cell);
            count += 1;
        }
        for _ in count..width {
            self.push_cell(start, None);
        }
        self.hasher.update([0x1e]);
        if self.text.len() > MAX_BYTES {
            return Err(TooBig);
        }
        Ok(())
    }

    fn push_cell(&mut self, start: usize, cell: Option<&str>) {
        match cell {
            Some(text) => {
                self.text.push_str(text);
                self.hasher.update(text.as_bytes());
                self.hasher.update([0x1f]);
                self.nulls.push(false);
            }
            None => {
                self.hasher.update([0x00, 0x1f]);
                self.nulls.push(true);
            }
        }
        self.cell_ends
            .push(u32::try_from(self.text.len() - start).unwrap_or(u32::MAX));
    }

    /// A row's cells as text (`None` for NULL).
    pub fn row(&self, index: usize) -> impl Iterator<Item = Option<&str>> + '_ {
        let width = self.info.headers.len();
        let start = self.row_starts[index];
        let mut from = start;
        (0..width).map(move |column| {
            let cell = index * width + column;
            let end = start + self.cell_ends[cell] as usize;
            let text = &self.text[from..end];
            from = end;
            (!self.nulls[cell]).then_some(text)
        })
    }

    /// One cell.
    pub fn cell(&self, index: usize, column: usize) -> Option<&str> {
        self.row(index).nth(column).flatten()
    }

    /// The row's content as a short hash: how a row tied at the cursor is known again.
    pub fn row_hash(&self, index: usize) -> String {
        row_hash(self.row(index))
    }

    /// The table done: its size and the hash of its content are known.
    pub fn finish(mut self) -> Table {
        self.info.rows = self.row_starts.len();
        let hasher = std::mem::take(&mut self.hasher);
        self.info.content_hash = hex(&hasher.finalize());
        self.text.shrink_to_fit();
        self
    }
}

/// A row's content as a short hash (BLAKE2b-128, hex).
pub fn row_hash<'c>(cells: impl Iterator<Item = Option<&'c str>>) -> String {
    let mut hasher = blake2::Blake2b::<U16>::new();
    for cell in cells {
        match cell {
            Some(text) => {
                hasher.update(text.as_bytes());
                hasher.update([0x1f]);
            }
            None => hasher.update([0x00, 0x1f]),
        }
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A run read more than a table holds.
#[derive(Debug, Clone, Copy)]
pub struct TooBig;

impl Source for Table {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn rows(&self, each: &mut dyn FnMut(usize, &[Cell<'_>]) -> bool) -> Result<()> {
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(self.info.headers.len());
        for index in 0..self.len() {
            cells.clear();
            cells.extend(self.row(index).map(|cell| match cell {
                Some(text) if !text.trim().is_empty() => Cell::Text(text),
                _ => Cell::Empty,
            }));
            if !each(index + 1, &cells) {
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
    fn rows_come_back_as_they_went_in_with_nulls_and_a_hash_of_their_content() {
        let mut table = Table::new("t", vec!["a".into(), "b".into(), "c".into()]);
        table.push([Some("1"), None, Some("x")]).unwrap();
        table.push([Some(""), Some("é"), None]).unwrap();
        table.push([Some("short")]).unwrap();
        let table = table.finish();
        assert_eq!(table.len(), 3);
        assert_eq!(
            table.row(0).collect::<Vec<_>>(),
            [Some("1"), None, Some("x")]
        );
        assert_eq!(
            table.row(1).collect::<Vec<_>>(),
            [Some(""), Some("é"), None]
        );
        assert_eq!(
            table.row(2).collect::<Vec<_>>(),
            [Some("short"), None, None]
        );
        assert_eq!(table.cell(1, 1), Some("é"));

        let mut other = Table::new("t", vec!["a".into(), "b".into(), "c".into()]);
        other.push([Some("1"), Some(""), Some("x")]).unwrap();
        other.push([Some(""), Some("é"), None]).unwrap();
        other.push([Some("short")]).unwrap();
        let other = other.finish();
        assert_ne!(
            table.info().content_hash,
            other.info().content_hash,
            "NULL is not ''"
        );
        assert_ne!(table.row_hash(0), other.row_hash(0));
        assert_eq!(table.row_hash(1), other.row_hash(1));

        let mut seen = Vec::new();
        table
            .rows(&mut |number, cells| {
                seen.push((number, cells.iter().map(Cell::shown).collect::<Vec<_>>()));
                true
            })
            .unwrap();
        assert_eq!(
            seen[0],
            (1, vec!["1".to_owned(), String::new(), "x".to_owned()])
        );
        assert_eq!(seen.len(), 3);
    }
}
