//! Finding the header row of a table that may have title rows, merged title
//! cells or notes above it, and naming its columns.

use salesplan_core::imports::report::column_letter;

/// A cell as the header search sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Probe {
    Empty,
    /// Text that reads as a label, not a number or a date.
    Label(String),
    Value,
}

impl Probe {
    /// Text in a header candidate: numbers and dates are values, the rest labels.
    pub(crate) fn of_text(text: &str) -> Probe {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            Probe::Empty
        } else if trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '/' | ' ' | ':' | '+'))
        {
            Probe::Value
        } else {
            Probe::Label(trimmed.to_owned())
        }
    }
}

/// The index of the header row among the first rows: the first row with labels
/// only, in at least half as many columns as the fullest row (and at least two).
/// A one-cell title, a blank row or a "Printed: 01.10.2026" line above is skipped.
pub(crate) fn find(rows: &[Vec<Probe>]) -> Option<usize> {
    let filled = |row: &Vec<Probe>| row.iter().filter(|probe| **probe != Probe::Empty).count();
    let widest = rows.iter().map(filled).max().unwrap_or(0);
    let needed = widest.div_ceil(2).max(2);
    rows.iter().position(|row| {
        filled(row) >= needed && row.iter().all(|probe| !matches!(probe, Probe::Value))
    })
}

/// Column names from a header row: trimmed, "Column D" for a blank one, and
/// "Qty (2)" for a repeated one. Blank columns at the end are dropped.
pub(crate) fn names(row: &[Probe]) -> Vec<String> {
    let width = row
        .iter()
        .rposition(|probe| *probe != Probe::Empty)
        .map_or(0, |last| last + 1);
    let mut names: Vec<String> = Vec::with_capacity(width);
    for (index, probe) in row.iter().take(width).enumerate() {
        let base = match probe {
            Probe::Label(text) => text.clone(),
            _ => format!("Column {}", column_letter(index)),
        };
        let mut name = base.clone();
        let mut copy = 2;
        while names.iter().any(|known| known.eq_ignore_ascii_case(&name)) {
            name = format!("{base} ({copy})");
            copy += 1;
        }
        names.push(name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Probe> {
        cells.iter().map(|cell| Probe::of_text(cell)).collect()
    }

    #[test]
    fn the_header_is_found_below_titles_and_notes() {
        let rows = vec![
            row(&["Sales report, North Branch"]),
            row(&[]),
            row(&["Printed", "01.10.2026"]),
            row(&["Date", "SKU", "Qty", "", "Price"]),
            row(&["2026-10-01", "BEV-010", "5", "", "1.20"]),
        ];
        assert_eq!(find(&rows), Some(3));
        assert_eq!(names(&rows[3]), ["Date", "SKU", "Qty", "Column D", "Price"]);
        assert_eq!(find(&[row(&["1", "2"]), row(&["3", "4"])]), None);
    }

    #[test]
    fn repeated_names_are_told_apart_and_trailing_blanks_dropped() {
        assert_eq!(
            names(&row(&["Qty", "qty", "Qty", "", ""])),
            ["Qty", "qty (2)", "Qty (3)"]
        );
    }
}
