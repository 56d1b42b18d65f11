//! What a file really is, from its first bytes (and, for zip containers, the
//! entries inside), whatever its name says; and its content hash.

use salesplan_core::Error;
use salesplan_core::error::Result;
use std::io::Cursor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Xlsx,
    Xlsb,
    Ods,
    Xls,
    Text,
}

/// The most a spreadsheet may unpack to: more is a zip bomb, or too big to import.
const MAX_UNPACKED_BYTES: u64 = 1024 * 1024 * 1024;

/// BLAKE2b-256 of the bytes, in hex.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    use blake2::Digest;
    let digest = blake2::Blake2b::<blake2::digest::consts::U32>::digest(bytes);
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Tells the format from the content; a name that promises another is an error.
pub(crate) fn format(name: &str, bytes: &[u8]) -> Result<Format> {
    let extension = extension(name);
    let found = if bytes.starts_with(b"PK\x03\x04") {
        zip_format(name, bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        if contains_utf16(bytes, "EncryptedPackage") {
            return Err(Error::bad_file(
                name,
                "is password-protected; open it in your spreadsheet program, save it without a password, and import that copy",
            ));
        }
        Format::Xls
    } else if looks_like_text(bytes) {
        Format::Text
    } else {
        return Err(Error::bad_file(
            name,
            "is neither a spreadsheet (xlsx, xlsm, xlsb, xls, ods) nor a text table (csv, tsv)",
        ));
    };
    let expected: &[Format] = match extension.as_str() {
        "xlsx" | "xlsm" => &[Format::Xlsx],
        "xlsb" => &[Format::Xlsb],
        "ods" => &[Format::Ods],
        "xls" => &[Format::Xls],
        "csv" | "tsv" | "txt" => &[Format::Text],
        _ => &[
            Format::Xlsx,
            Format::Xlsb,
            Format::Ods,
            Format::Xls,
            Format::Text,
        ],
    };
    if !expected.contains(&found) {
        return Err(Error::bad_file(
            name,
            format!(
                "is not what its name says: it is named .{extension} but holds {}",
                describe(found)
            ),
        ));
    }
    Ok(found)
}

fn describe(format: Format) -> &'static str {
    match format {
        Format::Xlsx => "an Excel workbook (xlsx)",
        Format::Xlsb => "a binary Excel workbook (xlsb)",
        Format::Ods => "an OpenDocument spreadsheet (ods)",
        Format::Xls => "an old Excel workbook (xls)",
        Format::Text => "text",
    }
}

/// A zip container: which spreadsheet, checked against what it would unpack to.
fn zip_format(name: &str, bytes: &[u8]) -> Result<Format> {
    let corrupt = |error: zip::result::ZipError| {
        Error::bad_file(name, format!("is damaged and cannot be opened ({error})"))
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut unpacked: u64 = 0;
    let mut format = None;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(corrupt)?;
        unpacked = unpacked.saturating_add(entry.size());
        let entry_name = entry.name().map_err(corrupt)?;
        match entry_name.as_ref() {
            "xl/workbook.xml" => format = Some(Format::Xlsx),
            "xl/workbook.bin" => format = Some(Format::Xlsb),
            "content.xml" if format.is_none() => format = Some(Format::Ods),
            _ => {}
        }
    }
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(Error::bad_file(
            name,
            format!(
                "would unpack to {} MB (at most {} MB): it may be a zip bomb, or is too big to import",
                unpacked / (1024 * 1024),
                MAX_UNPACKED_BYTES / (1024 * 1024)
            ),
        ));
    }
    format.ok_or_else(|| Error::bad_file(name, "is a zip archive, not a spreadsheet"))
}

fn contains_utf16(bytes: &[u8], text: &str) -> bool {
    let needle: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|window| window == needle)
}

/// Text: UTF-8 or UTF-16 (with a BOM), or an 8-bit code page without control bytes.
fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    !head
        .iter()
        .any(|byte| *byte == 0 || (*byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r' | 0x0C)))
}
