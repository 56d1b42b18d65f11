//! One row of a file as an importer reads it: its cells by target field, read
//! as the ledger needs them (text, numbers, dates, months, records named by
//! their code), each problem noted at its cell. What every importer reads the
//! same way is read here once.

use super::Resolved;
use super::cells::{self, Cell, DateOrder, DecimalSeparator};
use super::report::{Problem, ProblemKind};
use crate::error::Result;
use crate::ledger::Reader;
use crate::reference::{ReferenceFields, Stored};
use crate::timestamp::Day;
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use uuid::Uuid;

/// How a file writes its numbers and dates: as asked, or detected from its first rows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Styles {
    pub separator: DecimalSeparator,
    pub order: DateOrder,
}

/// A row being checked: its cells, and the problems found in them so far.
pub(crate) struct Line<'a> {
    resolved: &'a Resolved<'a>,
    cells: &'a [Cell<'a>],
    number: usize,
    styles: Styles,
    problems: Vec<Problem>,
}

impl<'a> Line<'a> {
    pub(super) fn new(
        resolved: &'a Resolved<'a>,
        cells: &'a [Cell<'a>],
        number: usize,
        styles: Styles,
    ) -> Line<'a> {
        Line {
            resolved,
            cells,
            number,
            styles,
            problems: Vec::new(),
        }
    }

    /// The row's number in the file, counting from 1 as a spreadsheet does.
    pub fn number(&self) -> usize {
        self.number
    }

    pub fn styles(&self) -> Styles {
        self.styles
    }

    /// The cell of a field: its column's, the constant, or the default for an empty cell.
    pub fn cell(&self, key: &str) -> Cell<'a> {
        self.resolved.cell(key, self.cells)
    }

    /// Whether the field is read from the file (a column or a constant), not left as it is.
    pub fn maps(&self, key: &str) -> bool {
        self.resolved.maps(key)
    }

    /// Notes a problem at the field's cell.
    pub fn problem(&mut self, key: &str, kind: ProblemKind, message: impl Into<String>) {
        let problem = self.resolved.problem(self.number, key, kind, message);
        self.problems.push(problem);
    }

    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    pub(super) fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    /// The field's cell unless it is blank; "is empty" when a required one is.
    fn present(&mut self, key: &str, required: bool) -> Option<Cell<'a>> {
        let cell = self.cell(key);
        if !cell.is_blank() {
            return Some(cell);
        }
        if required {
            self.problem(key, ProblemKind::MissingValue, "is empty");
        }
        None
    }

    /// The field's text, trimmed; `None` when the cell is blank.
    pub fn text(&self, key: &str) -> Option<String> {
        let cell = self.cell(key);
        (!cell.is_blank()).then(|| cell.shown().trim().to_owned())
    }

    /// The field's text; a blank cell of a column read clears it (empty), and
    /// without a column the record keeps what it had (`kept`).
    pub fn text_or(&self, key: &str, kept: impl FnOnce() -> Option<String>) -> String {
        match self.text(key) {
            Some(text) => text,
            None if self.maps(key) => String::new(),
            None => kept().unwrap_or_default(),
        }
    }

    /// An optional field: read by `read` where the cell holds something, none
    /// where a column read is blank (that clears it), and `kept` (what the
    /// record had) where no column is read; `None` when the cell does not read.
    pub fn optional<T>(
        &mut self,
        key: &str,
        kept: Option<T>,
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
        if self.text(key).is_some() {
            read(self).map(Some)
        } else if self.maps(key) {
            Some(None)
        } else {
            Some(kept)
        }
    }

    /// A whole number of days; required ("is empty" when blank).
    pub fn days(&mut self, key: &str) -> Option<u16> {
        let value = self.decimal(key, true)?;
        let days = value
            .fract()
            .is_zero()
            .then(|| rust_decimal::prelude::ToPrimitive::to_u16(&value))
            .flatten();
        if days.is_none() {
            self.problem(
                key,
                ProblemKind::WrongType,
                format!("{value} is not a whole number of days from 1 to 365"),
            );
        }
        days
    }

    /// The field's text, trimmed; "is empty" when the cell is blank.
    pub fn required_text(&mut self, key: &str) -> Option<String> {
        self.present(key, true)
            .map(|cell| cell.shown().trim().to_owned())
    }

    /// A number as the file writes numbers; `None` when blank (a problem when
    /// `required`) or when it is not a number.
    pub fn decimal(&mut self, key: &str, required: bool) -> Option<Decimal> {
        let cell = self.present(key, required)?;
        let value = cells::decimal(&cell, self.styles.separator);
        if value.is_none() {
            self.problem(
                key,
                ProblemKind::WrongType,
                format!("'{}' is not a number", cell.shown()),
            );
        }
        value
    }

    /// The value unless it is below zero ("is negative").
    pub fn not_negative(&mut self, key: &str, value: Option<Decimal>) -> Option<Decimal> {
        match value {
            Some(value) if value.is_sign_negative() && !value.is_zero() => {
                self.problem(key, ProblemKind::Negative, format!("{value} is negative"));
                None
            }
            value => value,
        }
    }

    /// A day (a date cell, an Excel serial number, or text in the file's date order); required.
    pub fn date(&mut self, key: &str) -> Option<Day> {
        let cell = self.present(key, true)?;
        let day = cells::date(&cell, self.styles.order).and_then(Day::from_date);
        if day.is_none() {
            self.problem(
                key,
                ProblemKind::WrongType,
                format!("'{}' is not a date", cell.shown()),
            );
        }
        day
    }

    /// A month (`2026-03`, `03/2026`, `Mar 2026`, or a day in it); required.
    pub fn month(&mut self, key: &str) -> Option<crate::month::Month> {
        let cell = self.present(key, true)?;
        let month = cells::month(&cell, self.styles.order);
        if month.is_none() {
            self.problem(
                key,
                ProblemKind::WrongType,
                format!("'{}' is not a month", cell.shown()),
            );
        }
        month
    }

    /// The record the field names by its code, any case; `None` when blank (a
    /// problem when `required`) or when no live record has that name.
    pub fn named<V: Clone>(&mut self, key: &str, codes: &Codes<V>, required: bool) -> Option<V> {
        let cell = self.present(key, required)?;
        let found = match cell {
            Cell::Text(text) => codes.find(text),
            other => codes.find(&other.shown()),
        };
        found
            .map_err(|why| self.problem(key, ProblemKind::Unknown, why))
            .ok()
    }

    /// One of a fixed list (a channel, a kind of location) by its key, any case;
    /// `None` when blank, or when it is none of them (`keys` lists them for the problem).
    pub fn one_of<T: serde::de::DeserializeOwned>(&mut self, key: &str, keys: &str) -> Option<T> {
        let text = self.text(key)?;
        let found = serde_json::from_value(serde_json::Value::String(text.to_lowercase()));
        if found.is_err() {
            self.problem(
                key,
                ProblemKind::WrongType,
                format!(
                    "'{}' is not a {key} ({keys})",
                    crate::values::one_line(&text, 40)
                ),
            );
        }
        found.ok()
    }

    /// "yes", "no", "true", "false", "1", "0" (and ja, nein, x); `None` when blank or not one of them.
    pub fn flag(&mut self, key: &str) -> Option<bool> {
        let text = self.text(key)?;
        let flag = match text.to_lowercase().as_str() {
            "yes" | "y" | "true" | "1" | "ja" | "x" => Some(true),
            "no" | "n" | "false" | "0" | "nein" => Some(false),
            _ => None,
        };
        if flag.is_none() {
            self.problem(
                key,
                ProblemKind::WrongType,
                format!("'{}' is not yes or no", crate::values::one_line(&text, 40)),
            );
        }
        flag
    }
}

/// Records a file names by their code (a SKU, a branch code) or another name,
/// in any case: what a row may name, and why it may not name the others.
pub(crate) struct Codes<V = Uuid> {
    /// What the records are, for "'X' is not a product in the ledger".
    what: &'static str,
    /// Every name as the ledger spells it and in lower case.
    named: HashMap<String, std::result::Result<V, String>>,
    /// The codes rows may name, for "did you mean".
    live: Vec<String>,
}

impl<V: Clone> Codes<V> {
    pub(crate) fn new(what: &'static str) -> Codes<V> {
        Codes {
            what,
            named: HashMap::new(),
            live: Vec::new(),
        }
    }

    /// Files a record under its code and other names: `value` when rows may name it, why not otherwise.
    pub(crate) fn add(
        &mut self,
        code: &str,
        others: &[&str],
        value: std::result::Result<V, String>,
    ) {
        if value.is_ok() {
            self.live.push(code.to_owned());
        }
        for name in std::iter::once(code).chain(others.iter().copied()) {
            let name = name.trim();
            self.named.insert(name.to_lowercase(), value.clone());
            self.named.insert(name.to_owned(), value.clone());
        }
    }

    /// What `name` names, or what is wrong with it for the row: "BEV-010 is
    /// archived", "'BEV-01O' is not a product in the ledger; did you mean BEV-010?".
    /// Looked up as written first: files mostly spell codes as the ledger does,
    /// so most rows allocate nothing.
    pub(crate) fn find(&self, name: &str) -> std::result::Result<V, String> {
        let name = name.trim();
        match self
            .named
            .get(name)
            .or_else(|| self.named.get(&name.to_lowercase()))
        {
            Some(found) => found.clone(),
            None => Err(unknown_name(self.what, name, &self.live)),
        }
    }
}

impl Codes<Uuid> {
    /// Reference records by their key; archived ones are named but refused.
    pub(crate) fn of<F: ReferenceFields>(what: &'static str, records: &[Stored<F>]) -> Codes {
        let mut codes = Codes::new(what);
        for record in records {
            let key = record.fields.key();
            let value = match record.archived_at {
                Some(_) => Err(format!("{key} is archived")),
                None => Ok(record.id),
            };
            codes.add(key, &[], value);
        }
        codes
    }

    /// Every record of the kind, archived ones too.
    pub(crate) fn load<F: ReferenceFields>(what: &'static str, conn: Reader<'_>) -> Result<Codes> {
        Ok(Codes::of(
            what,
            &crate::ledger::reference::list::<F>(conn, true)?,
        ))
    }
}

/// Where a row was seen before: in the ledger, or on an earlier row of the file.
pub(crate) enum Repeat {
    InLedger,
    OnRow(usize),
}

/// Rows already in the ledger or earlier in the file, by what makes a row the
/// same (a fingerprint, a code, a product and month).
pub(crate) struct Seen<K> {
    existing: HashSet<K>,
    first: HashMap<K, usize>,
}

impl<K: Eq + Hash> Seen<K> {
    pub(crate) fn new(existing: HashSet<K>) -> Seen<K> {
        Seen {
            existing,
            first: HashMap::new(),
        }
    }

    pub(crate) fn reserve(&mut self, rows: usize) {
        self.first.reserve(rows);
    }

    /// Whether the row is new (and remembers it), or where it was seen before.
    pub(crate) fn first(&mut self, key: K, row: usize) -> std::result::Result<(), Repeat> {
        if self.existing.contains(&key) {
            return Err(Repeat::InLedger);
        }
        match self.first.entry(key) {
            std::collections::hash_map::Entry::Occupied(earlier) => {
                Err(Repeat::OnRow(*earlier.get()))
            }
            std::collections::hash_map::Entry::Vacant(new) => {
                new.insert(row);
                Ok(())
            }
        }
    }
}

/// "'BEV-01O' is not a product in the ledger; did you mean BEV-010?"
pub(crate) fn unknown_name(what: &str, value: &str, known: &[String]) -> String {
    let value = value.trim();
    match did_you_mean(value, known.iter().map(String::as_str)) {
        Some(guess) => format!("'{value}' is not a {what} in the ledger; did you mean {guess}?"),
        None => format!("'{value}' is not a {what} in the ledger"),
    }
}

/// The closest known name to an unknown one, when it is close enough to be a typo.
pub(crate) fn did_you_mean<'k>(
    unknown: &str,
    known: impl Iterator<Item = &'k str>,
) -> Option<&'k str> {
    let unknown = unknown.to_lowercase();
    let limit = (unknown.chars().count() / 3).max(1);
    known
        .map(|candidate| {
            (
                edit_distance(&unknown, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edits between two names: insertions, deletions, substitutions, and swaps of
/// neighbours ("BVE" for "BEV" is one edit), the optimal-string-alignment distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in table.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in table[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[i - 1][j] + 1)
                .min(table[i][j - 1] + 1)
                .min(table[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[i - 2][j - 2] + 1);
            }
            table[i][j] = best;
        }
    }
    table[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::{Codes, Repeat, Seen, did_you_mean, edit_distance};

    #[test]
    fn typos_get_a_suggestion_and_strangers_none() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            edit_distance("bve", "bev"),
            1,
            "a swap of neighbours is one edit"
        );
        let known = ["BEV-010", "BEV-020", "DRY-010"];
        assert_eq!(did_you_mean("bev-01O", known.into_iter()), Some("BEV-010"));
        assert_eq!(did_you_mean("XYZ-999", known.into_iter()), None);
    }

    #[test]
    fn codes_find_any_spelling_and_say_why_a_record_cannot_be_named() {
        let mut codes: Codes<u32> = Codes::new("branch");
        codes.add("BR-N", &["North Branch"], Ok(1));
        codes.add("WH", &[], Err("WH is a warehouse".into()));
        assert_eq!(codes.find(" br-n "), Ok(1));
        assert_eq!(codes.find("NORTH BRANCH"), Ok(1));
        assert_eq!(codes.find("wh"), Err("WH is a warehouse".into()));
        assert_eq!(
            codes.find("BR-M"),
            Err("'BR-M' is not a branch in the ledger; did you mean BR-N?".into()),
            "only what rows may name is suggested"
        );
    }

    #[test]
    fn a_row_is_new_once_and_then_names_where_it_was_seen() {
        let mut seen = Seen::new([7_i64].into_iter().collect());
        assert!(matches!(seen.first(7, 2), Err(Repeat::InLedger)));
        assert!(seen.first(8, 3).is_ok());
        assert!(matches!(seen.first(8, 9), Err(Repeat::OnRow(3))));
    }
}
