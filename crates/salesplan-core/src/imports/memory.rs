//! A table held in memory (rows of text): for rows pasted rather than read from
//! a file, and for tests of the import rules without any file format.

use super::{Cell, Source, SourceInfo};
use crate::error::Result;

pub struct MemoryTable {
    info: SourceInfo,
    rows: Vec<Vec<String>>,
}

impl MemoryTable {
    /// `rows[0]` holds the headers; the rest are data rows (file rows 2, 3, …).
    pub fn new(name: &str, rows: Vec<Vec<String>>) -> MemoryTable {
        let mut rows = rows.into_iter();
        let headers = rows.next().unwrap_or_default();
        let rows: Vec<Vec<String>> = rows.collect();
        let content: String = headers
            .iter()
            .chain(rows.iter().flatten())
            .map(|cell| format!("{cell}\u{1f}"))
            .collect();
        MemoryTable {
            info: SourceInfo {
                file_name: name.to_owned(),
                content_hash: format!("{:016x}", crate::sales::text_fingerprint(&content)),
                sheet: None,
                sheets: Vec::new(),
                header_row: 1,
                rows: rows.len(),
                headers,
                stamp: None,
            },
            rows,
        }
    }
}

impl MemoryTable {
    /// The table as an export that names itself (what a stamped file's first line says).
    pub fn with_stamp(mut self, stamp: crate::exports::stamp::Stamp) -> MemoryTable {
        self.info.stamp = Some(stamp);
        self
    }
}

impl Source for MemoryTable {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn rows(&self, each: &mut dyn FnMut(usize, &[Cell<'_>]) -> bool) -> Result<()> {
        let width = self.info.headers.len();
        for (index, row) in self.rows.iter().enumerate() {
            let mut cells: Vec<Cell<'_>> = row
                .iter()
                .map(|text| {
                    if text.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(text)
                    }
                })
                .collect();
            cells.resize(width, Cell::Empty);
            if !each(index + 2, &cells) {
                break;
            }
        }
        Ok(())
    }
}
