//! Printing results: aligned tables for people, JSON (`--json`) for scripts.

use crate::Context;
use anyhow::Result;
use serde::Serialize;

pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|header| (*header).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self
            .headers
            .iter()
            .map(|header| header.chars().count())
            .collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: Vec<&str>| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            padded.join("  ").trim_end().to_owned()
        };
        let mut text = line(self.headers.iter().map(String::as_str).collect());
        for row in &self.rows {
            text.push('\n');
            text.push_str(&line(row.iter().map(String::as_str).collect()));
        }
        text
    }
}

/// A table cell of a value that may be missing ("-").
pub fn optional(value: Option<impl std::fmt::Display>) -> String {
    value.map_or_else(|| "-".into(), |value| value.to_string())
}

/// Prints `value` as JSON, or the human form built by `human`.
pub fn emit<T: Serialize>(
    context: &Context,
    value: &T,
    human: impl FnOnce() -> String,
) -> Result<()> {
    if context.json {
        say(&serde_json::to_string_pretty(value)?)
    } else {
        say(&human())
    }
}

/// Prints a line on stdout. A reader that has gone (`salesplan … | head`) is
/// not an error: what it wanted, it has.
pub fn say(text: &str) -> Result<()> {
    use std::io::Write;
    match writeln!(std::io::stdout().lock(), "{text}") {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

pub fn table<T: Serialize>(
    context: &Context,
    value: &T,
    table: impl FnOnce() -> Table,
) -> Result<()> {
    emit(context, value, || table().render())
}

#[cfg(test)]
mod tests {
    use super::Table;

    #[test]
    fn columns_align_on_the_widest_cell() {
        let mut table = Table::new(&["sku", "name"]);
        table.row(vec!["BEV-010".into(), "Sparkling Water".into()]);
        table.row(vec!["X".into(), "Ünïcode".into()]);
        assert_eq!(
            table.render(),
            "sku      name\nBEV-010  Sparkling Water\nX        Ünïcode"
        );
    }
}
