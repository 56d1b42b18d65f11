//! Writes the workbook the end-to-end import test feeds the wizard: sam's
//! sales of one month at North Branch, a merged title above the table and the
//! dates as date cells, like a till export opened and saved in Excel. The
//! month is the demo's open one, so the test never ages.
//!
//! cargo run -p salesplan-files --example wizard_workbook -- OUT.xlsx YYYY-MM
#![allow(clippy::unwrap_used)]

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(out), Some(month)) = (args.next(), args.next()) else {
        eprintln!("usage: wizard_workbook OUT.xlsx YYYY-MM");
        std::process::exit(2);
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Till export").unwrap();
    let title = format!("Sam Becker, North Branch: {month}");
    sheet
        .merge_range(0, 0, 0, 5, &title, &Format::new().set_bold())
        .unwrap();
    for (col, header) in [
        "Date",
        "SKU",
        "Branch",
        "Salesman",
        "Quantity",
        "Unit price",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, col as u16, *header).unwrap();
    }
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let rows = [
        (6, "BEV-010", 1000, 100.0),
        (13, "DRY-010", 500, 80.0),
        (27, "HOU-020", 250, 40.0),
    ];
    for (n, (day, sku, quantity, price)) in rows.into_iter().enumerate() {
        let row = 3 + n as u32;
        let day = ExcelDateTime::parse_from_str(&format!("{month}-{day:02}")).unwrap();
        sheet
            .write_datetime_with_format(row, 0, &day, &date)
            .unwrap();
        sheet.write_string(row, 1, sku).unwrap();
        sheet.write_string(row, 2, "BR-N").unwrap();
        sheet.write_string(row, 3, "sam").unwrap();
        sheet.write_number(row, 4, quantity).unwrap();
        sheet.write_number(row, 5, price).unwrap();
    }
    book.save(&out).unwrap();
}
