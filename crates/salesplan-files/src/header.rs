//! Finding the header row of a table that may have title rows, merged title
//! cells or notes above it, and naming its columns.

use crate::limits::{self, MAX_COLUMNS};
use salesplan_core::error::Result;
use salesplan_core::exports::stamp::Stamp;
use salesplan_core::imports::report::column_letter;
use std::collections::{HashMap, HashSet};

/// A cell as the header search sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Probe {
    Empty,
    /// Text that reads as a label, not a number or a date.
    Label(String),
    /// A number or a date, as shown (a header row below a stamp may have months for names).
    Value(String),
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
            Probe::Value(trimmed.to_owned())
        } else {
            Probe::Label(trimmed.to_owned())
        }
    }
}

/// The index of the header row among the first rows: the first row with labels
/// only, in at least half as many columns as the fullest row (and at least two).
/// A one-cell title, a blank row or a "Printed: 01.10.2026" line above is skipped.
/// Below a Salesplan export's stamp, the next row is the header row, whatever it holds.
pub(crate) fn find(rows: &[Vec<Probe>]) -> Option<usize> {
    if let Some(below) = stamp_row(rows).map(|(index, _)| index + 1) {
        return (below < rows.len()).then_some(below);
    }
    let filled = |row: &Vec<Probe>| row.iter().filter(|probe| **probe != Probe::Empty).count();
    let widest = rows.iter().map(filled).max().unwrap_or(0);
    let needed = widest.div_ceil(2).max(2);
    rows.iter().position(|row| {
        filled(row) >= needed && row.iter().all(|probe| !matches!(probe, Probe::Value(_)))
    })
}

/// The stamp of a Salesplan export among the rows above the header row.
pub(crate) fn stamp_above(rows: &[Vec<Probe>], header: usize) -> Option<Stamp> {
    stamp_row(&rows[..header.min(rows.len())]).map(|(_, stamp)| stamp)
}

/// The first row whose first cell is an export's stamp.
fn stamp_row(rows: &[Vec<Probe>]) -> Option<(usize, Stamp)> {
    rows.iter()
        .enumerate()
        .find_map(|(index, row)| match row.first() {
            Some(Probe::Label(text)) => Stamp::parse(text).map(|stamp| (index, stamp)),
            _ => None,
        })
}

/// Column names from a header row (`number` counting from 1, for messages):
/// trimmed, "Column D" for a blank one, and "Qty (2)" for a repeated one, in
/// one pass whatever the repeats. Blank columns at the end are dropped; a row
/// wider than [`MAX_COLUMNS`] is refused.
pub(crate) fn names(file: &str, number: usize, row: &[Probe]) -> Result<Vec<String>> {
    let width = row
        .iter()
        .rposition(|probe| *probe != Probe::Empty)
        .map_or(0, |last| last + 1);
    if width > MAX_COLUMNS {
        return Err(limits::too_wide(file, number, width));
    }
    let mut names: Vec<String> = Vec::with_capacity(width);
    // Names taken (lower case), and the next copy number to try per base name.
    let mut taken: HashSet<String> = HashSet::with_capacity(width);
    let mut next_copy: HashMap<String, usize> = HashMap::new();
    for (index, probe) in row.iter().take(width).enumerate() {
        let base = match probe {
            Probe::Label(text) | Probe::Value(text) if !text.is_empty() => text.clone(),
            _ => format!("Column {}", column_letter(index)),
        };
        let mut name = base.clone();
        if taken.contains(&name.to_lowercase()) {
            let copy = next_copy.entry(base.to_lowercase()).or_insert(2);
            loop {
                name = format!("{base} ({copy})");
                *copy += 1;
                if !taken.contains(&name.to_lowercase()) {
                    break;
                }
            }
        }
        taken.insert(name.to_lowercase());
        names.push(name);
    }
    Ok(names)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
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
        assert_eq!(
            names("f", 4, &rows[3]).unwrap(),
            ["Date", "SKU", "Qty", "Column D", "Price"]
        );
        assert_eq!(find(&[row(&["1", "2"]), row(&["3", "4"])]), None);
    }

    #[test]
    fn below_a_stamp_the_next_row_is_the_header_even_with_months_for_names() {
        let stamp = Stamp {
            budget_id: uuid::Uuid::now_v7(),
            export_id: uuid::Uuid::now_v7(),
            exported_at: salesplan_core::timestamp::Timestamp::now(),
            label: "2027 Base, Olivia".into(),
        };
        let rows = vec![
            row(&[&stamp.line()]),
            row(&["SKU", "Product", "2027-01", "2027-02"]),
            row(&["BEV-010", "Cola", "5", "6"]),
        ];
        assert_eq!(find(&rows), Some(1));
        assert_eq!(stamp_above(&rows, 1), Some(stamp.clone()));
        assert_eq!(
            find(&rows[1..]),
            None,
            "without the stamp, month names read as values"
        );
        assert_eq!(find(&rows[..1]), None, "a stamp with nothing below");
    }

    #[test]
    fn repeated_names_are_told_apart_and_trailing_blanks_dropped() {
        assert_eq!(
            names("f", 1, &row(&["Qty", "qty", "Qty", "Qty (2)", "", ""])).unwrap(),
            ["Qty", "qty (2)", "Qty (3)", "Qty (2) (2)"]
        );
    }

    #[test]
    fn a_thousand_repeated_names_take_one_pass_and_a_wider_row_is_refused() {
        let same = vec![Probe::Label("Qty".to_owned()); MAX_COLUMNS];
        let named = names("f", 1, &same).unwrap();
        assert_eq!(named[MAX_COLUMNS - 1], format!("Qty ({MAX_COLUMNS})"));
        let wider = vec![Probe::Label("Qty".to_owned()); MAX_COLUMNS + 1];
        let refused = names("wide.csv", 3, &wider).unwrap_err().to_string();
        assert!(
            refused.contains("row 3 names 1,001 columns; a table may have at most 1,000"),
            "{refused}"
        );
    }
}
