//! Files in and out: spreadsheets (xlsx, xlsm, xlsb, xls, ods, through calamine)
//! and text tables (csv, tsv, through polars) read into a [`Table`], the core's
//! import [`Source`]; the format is told from the content, not the name.
//! Kept apart from the core so its heavy readers build once and rarely again.

mod compound;
pub mod export;
mod header;
pub mod limits;
mod package;
mod sheet;
mod sniff;
mod text;
pub mod watch;

use salesplan_core::Error;
use salesplan_core::error::Result;
use salesplan_core::imports::{Cell, Source, SourceInfo};
use std::path::Path;

use limits::MAX_FILE_BYTES;

/// Which sheet to read, and where the headers are when the guess is wrong.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// A sheet's name (spreadsheets); the first sheet when not given.
    pub sheet: Option<String>,
    /// The row holding the headers, counting from 1; found by looking when not given.
    pub header_row: Option<usize>,
}

/// A table read from a file: its headers and rows.
pub struct Table {
    info: SourceInfo,
    body: Body,
}

enum Body {
    Sheet(sheet::SheetBody),
    Text(text::TextBody),
}

impl Source for Table {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn rows(&self, each: &mut dyn FnMut(usize, &[Cell<'_>]) -> bool) -> Result<()> {
        match &self.body {
            Body::Sheet(body) => body.rows(each),
            Body::Text(body) => body.rows(each),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// Reads a file's table.
pub fn read(path: &Path, options: &ReadOptions) -> Result<Table> {
    let name = file_name(path);
    let cannot = |error: std::io::Error| Error::bad_file(&name, format!("cannot be read: {error}"));
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > MAX_FILE_BYTES {
        return Err(Error::bad_file(
            &name,
            format!(
                "is {} MB; files up to {} MB can be imported (split it, or export fewer rows)",
                size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(cannot)?;
    read_bytes(&name, bytes, options)
}

/// Reads a table from a file's bytes; `name` names it in messages and the history.
pub fn read_bytes(name: &str, bytes: Vec<u8>, options: &ReadOptions) -> Result<Table> {
    if bytes.is_empty() {
        return Err(Error::bad_file(name, "is empty"));
    }
    let content_hash = sniff::content_hash(&bytes);
    match sniff::format(name, &bytes)? {
        sniff::Format::Text => text::read(name, content_hash, bytes, options),
        spreadsheet => sheet::read(name, content_hash, bytes, spreadsheet, options),
    }
}
