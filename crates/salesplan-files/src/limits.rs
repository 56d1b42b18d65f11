//! What one file may hold. Every reader checks these as it goes, before it
//! allocates for what a file claims, so that any file, whatever it declares,
//! is read in bounded time and memory (peak ≤ 512 MB, ≤ 60 s): see the
//! hostile-file tests of the CLI (`tests/cli/hostile_files.rs`).

use salesplan_core::Error;

/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// The most a spreadsheet's parts may unpack to, counted by unpacking them
/// (a zip's directory may lie about sizes).
pub const MAX_UNPACKED_BYTES: u64 = 400 * 1024 * 1024;

/// The most characters one cell may hold: Excel's own limit.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The most columns a table may have (a budget is 14 wide, a sales file 8).
pub const MAX_COLUMNS: usize = 1_000;

/// The most cells (rows × columns) one table may have: about a million
/// sales of ten columns. A bigger file is to be split.
pub const MAX_CELLS: usize = 12_000_000;

/// The most different texts a workbook's shared-string table may hold.
pub const MAX_SHARED_STRINGS: u64 = 3_000_000;

/// A spreadsheet's own limits: rows and columns, counting from 1.
pub const SHEET_ROWS: u32 = 1_048_576;
pub const SHEET_COLUMNS: u32 = 16_384;

/// A number as people read it: 12,000,000.
pub(crate) fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut shown = String::with_capacity(digits.len() + digits.len() / 3);
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            shown.push(',');
        }
        shown.push(digit);
    }
    shown
}

/// The refusal of a table with more cells than [`MAX_CELLS`].
pub(crate) fn too_many_cells(name: &str, at_row: usize) -> Error {
    Error::bad_file(
        name,
        format!(
            "holds more than {} cells by row {}: split it into smaller files",
            grouped(MAX_CELLS as u64),
            grouped(at_row as u64)
        ),
    )
}

/// The refusal of a cell longer than [`MAX_CELL_CHARS`].
pub(crate) fn cell_too_long(name: &str, row: usize, column: usize) -> Error {
    Error::bad_file(
        name,
        format!(
            "row {}, column {} holds more than {} characters, more than a cell may hold",
            grouped(row as u64),
            salesplan_core::imports::report::column_letter(column),
            grouped(MAX_CELL_CHARS as u64)
        ),
    )
}

/// The refusal of a header wider than [`MAX_COLUMNS`].
pub(crate) fn too_wide(name: &str, row: usize, columns: usize) -> Error {
    Error::bad_file(
        name,
        format!(
            "row {} names {} columns; a table may have at most {}",
            grouped(row as u64),
            grouped(columns as u64),
            grouped(MAX_COLUMNS as u64)
        ),
    )
}

/// A message from a reader (calamine, polars, zip) cut to one short line: such
/// messages may quote the file, and a file's content is not echoed back.
pub(crate) fn reader_said(message: &str) -> String {
    salesplan_core::values::one_line(message, 160)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(12_000_000), "12,000,000");
    }

    #[test]
    fn a_reader_message_is_one_short_line() {
        let said = reader_said(&format!("bad\nquote: {}", "x".repeat(10_000)));
        assert!(said.starts_with("bad\\u{a}quote: x"));
        assert!(said.ends_with("x…") && said.chars().count() < 170, "{said}");
    }
}
