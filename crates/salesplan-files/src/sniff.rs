//! What a file really is, from its first bytes (and, for zip containers, the
//! entries inside), whatever its name says; and its content hash.

use salesplan_core::Error;
use salesplan_core::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Xlsx,
    Xlsb,
    Ods,
    Xls,
    Text,
}

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
        crate::package::inspect(name, bytes)?
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
