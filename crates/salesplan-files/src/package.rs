//! A spreadsheet's zip package (xlsx, xlsm, xlsb, ods), checked before any
//! reader opens it: what its parts unpack to (the zip reader holds each part
//! to the size the directory declares, so the declared sum bounds the real
//! one), the longest text or tag in its XML parts (an XML reader buffers a
//! whole text node, so one 300 MB node would take 600 MB), and how many texts
//! its shared-string table declares and holds (calamine reserves room for the
//! declared count before reading one). And which kind of workbook it holds,
//! found as Excel finds it: through `_rels/.rels`, part names compared
//! without case and with `\` read as `/`.

use crate::limits::{MAX_SHARED_STRINGS, MAX_UNPACKED_BYTES, grouped, reader_said};
use crate::sniff::Format;
use quick_xml::events::Event;
use salesplan_core::Error;
use salesplan_core::error::Result;
use std::io::{BufReader, Cursor, Read};

/// The longest run of text or of one tag an XML part may hold: a cell's
/// 32,767 characters, each up to 6 bytes when escaped (`&#x1F600;` aside).
const MAX_XML_RUN: usize = 256 * 1024;

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// A part's name as readers look it up: lower case, `/` for `\`, no leading `/`.
fn normalized(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_ascii_lowercase()
}

/// Which workbook a zip package holds, once its parts are checked.
pub(crate) fn inspect(name: &str, bytes: &[u8]) -> Result<Format> {
    let damaged = |error: &dyn std::fmt::Display| {
        Error::bad_file(
            name,
            format!(
                "is damaged and cannot be opened ({})",
                reader_said(&error.to_string())
            ),
        )
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|error| damaged(&error))?;
    let mut declared: u64 = 0;
    let mut parts = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|error| damaged(&error))?;
        declared = declared.saturating_add(entry.size());
        parts.push(normalized(&entry.name().map_err(|error| damaged(&error))?));
    }
    if declared > MAX_UNPACKED_BYTES {
        return Err(Error::bad_file(
            name,
            format!(
                "would unpack to {} MB (at most {} MB): it may be a zip bomb, or is too big to import",
                declared / (1024 * 1024),
                MAX_UNPACKED_BYTES / (1024 * 1024)
            ),
        ));
    }
    let format = kind(&mut archive, &parts)
        .ok_or_else(|| Error::bad_file(name, "is a zip archive, not a spreadsheet"))?;
    for (index, part) in parts.iter().enumerate() {
        if part.ends_with(".xml") || part.ends_with(".rels") {
            let entry = archive.by_index(index).map_err(|error| damaged(&error))?;
            check_xml(name, part, entry)?;
        }
    }
    Ok(format)
}

/// The kind of workbook: the part `_rels/.rels` names as the office
/// document (xlsx, xlsb), else an OpenDocument's `content.xml`.
fn kind(archive: &mut Archive<'_>, parts: &[String]) -> Option<Format> {
    let position = |wanted: &str| parts.iter().position(|part| part == wanted);
    if let Some(target) = position("_rels/.rels").and_then(|at| office_document(archive, at)) {
        let target = normalized(&target);
        if position(&target).is_some() {
            return Some(if target.ends_with(".bin") {
                Format::Xlsb
            } else {
                Format::Xlsx
            });
        }
    }
    if position("xl/workbook.xml").is_some() {
        Some(Format::Xlsx)
    } else if position("xl/workbook.bin").is_some() {
        Some(Format::Xlsb)
    } else if position("content.xml").is_some() {
        Some(Format::Ods)
    } else {
        None
    }
}

/// The target of the package's office-document relationship.
fn office_document(archive: &mut Archive<'_>, index: usize) -> Option<String> {
    let entry = archive.by_index(index).ok()?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(entry.take(1024 * 1024)));
    let mut buffer = Vec::new();
    loop {
        match xml.read_event_into(&mut buffer).ok()? {
            Event::Start(element) | Event::Empty(element)
                if element.local_name().as_ref() == "Relationship" =>
            {
                let attribute = |key: &str| {
                    element
                        .try_get_attribute(key)
                        .ok()
                        .flatten()
                        .map(|found| found.value.into_owned())
                };
                let is_office = attribute("Type")
                    .is_some_and(|kind| kind.ends_with("/relationships/officeDocument"));
                if is_office {
                    return attribute("Target");
                }
            }
            Event::Eof => return None,
            _ => {}
        }
        buffer.clear();
    }
}

/// Why a part was refused while it was read.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    /// A text or tag this long, and longer.
    LongRun,
    /// A shared-string table declaring or holding this many texts.
    Strings(u64),
    /// A part that ends inside an element.
    Unclosed,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Refusal {}

/// Reads a part while watching the longest run between `<` and `>`.
struct Watched<R> {
    inner: R,
    run: usize,
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let count = self.inner.read(buf)?;
        for byte in &buf[..count] {
            if matches!(byte, b'<' | b'>') {
                self.run = 0;
            } else {
                self.run += 1;
                if self.run > MAX_XML_RUN {
                    return Err(std::io::Error::other(Refusal::LongRun));
                }
            }
        }
        Ok(count)
    }
}

/// One XML part read through once: no run longer than a cell, and for the
/// shared-string table, a count of texts (declared and held) within the limit.
fn check_xml(name: &str, part: &str, entry: impl Read) -> Result<()> {
    let watched = Watched {
        inner: entry,
        run: 0,
    };
    let strings = part.ends_with("sharedstrings.xml");
    // An OpenDocument's content that ends inside an element keeps calamine's
    // ods reader looping at the end of the part (found by the fuzzer).
    let outcome = if strings || part == "content.xml" {
        walk(BufReader::new(watched), strings)
    } else {
        std::io::copy(&mut BufReader::new(watched), &mut std::io::sink()).map(|_| ())
    };
    let Err(error) = outcome else {
        return Ok(());
    };
    match error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Refusal>())
    {
        Some(Refusal::LongRun) => Err(Error::bad_file(
            name,
            format!(
                "holds a text or tag longer than {} kB in its part {part}, more than any cell holds: it is damaged or crafted",
                MAX_XML_RUN / 1024
            ),
        )),
        Some(Refusal::Unclosed) => Err(Error::bad_file(
            name,
            format!("is damaged and cannot be read (its part {part} ends inside an element)"),
        )),
        Some(Refusal::Strings(count)) => Err(Error::bad_file(
            name,
            format!(
                "declares or holds {} different texts; a workbook may hold at most {}: split it, or save it as CSV",
                grouped(*count),
                grouped(MAX_SHARED_STRINGS)
            ),
        )),
        // A checksum that does not match is left to the reader, which may still read the part.
        None if error.to_string().contains("checksum") => Ok(()),
        None => Err(Error::bad_file(
            name,
            format!(
                "is damaged and cannot be opened ({part}: {})",
                reader_said(&error.to_string())
            ),
        )),
    }
}

/// Reads an XML part to its end, which must close every element it opened;
/// for a shared-string table (`strings`), counts its `si` elements and checks
/// its declared `uniqueCount`.
fn walk(reader: impl std::io::BufRead, strings: bool) -> std::io::Result<()> {
    let refuse = |count| std::io::Error::other(Refusal::Strings(count));
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut buffer = Vec::new();
    let mut held: u64 = 0;
    let mut depth: u64 = 0;
    loop {
        let event = xml.read_event_into(&mut buffer).map_err(|error| {
            // A refusal of the watched reader comes back inside the XML reader's error.
            let refusal = match &error {
                quick_xml::Error::Io(io) => io
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<Refusal>()),
                _ => None,
            };
            refusal.map_or_else(
                || std::io::Error::other(error.to_string()),
                |refusal| std::io::Error::other(*refusal),
            )
        })?;
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof if depth > 0 => return Err(std::io::Error::other(Refusal::Unclosed)),
            _ => {}
        }
        match event {
            Event::Start(element) | Event::Empty(element) if strings => {
                match element.local_name().as_ref() {
                    "sst" => {
                        let declared = element
                            .try_get_attribute("uniqueCount")
                            .ok()
                            .flatten()
                            .and_then(|value| value.value.trim().parse::<u64>().ok());
                        if let Some(declared) = declared.filter(|count| *count > MAX_SHARED_STRINGS)
                        {
                            return Err(refuse(declared));
                        }
                    }
                    "si" => {
                        held += 1;
                        if held > MAX_SHARED_STRINGS {
                            return Err(refuse(held));
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buffer.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(xml: &str, strings: bool) -> Option<String> {
        walk(xml.as_bytes(), strings)
            .err()
            .map(|error| error.to_string())
    }

    #[test]
    fn a_part_must_close_what_it_opens_and_strings_are_counted() {
        assert_eq!(refusal("<a><b/></a>", false), None);
        assert_eq!(refusal("<a><b></b>", false).as_deref(), Some("Unclosed"));
        let declared = format!(
            r#"<sst uniqueCount="{}"><si/></sst>"#,
            MAX_SHARED_STRINGS + 1
        );
        assert_eq!(
            refusal(&declared, true).as_deref(),
            Some("Strings(3000001)")
        );
        assert_eq!(
            refusal(r#"<sst uniqueCount="3"><si/><si/><si/></sst>"#, true),
            None
        );
    }

    #[test]
    fn part_names_are_compared_as_readers_look_them_up() {
        assert_eq!(normalized(r"XL\Workbook.xml"), "xl/workbook.xml");
        assert_eq!(normalized("/xl/workbook.xml"), "xl/workbook.xml");
    }
}
