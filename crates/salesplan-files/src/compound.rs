//! An old Excel workbook's container (Compound File Binary), checked before
//! calamine reads it. calamine follows a stream's chain of sectors until the
//! chain ends; a chain that loops never ends, and a 6 kB xls found by the
//! fuzzer grew to 8 GB in 6 s that way. Here every chain of the file's
//! allocation table must end, without a loop, at a sector inside the file.
//! And calamine reserves room for a sheet's declared dimensions before it
//! reads a cell (a fuzzed xls asked for 258 GB and aborted the process): the
//! workbook stream's DIMENSIONS records must fit an xls sheet (65,536 × 256).

use salesplan_core::Error;
use salesplan_core::error::Result;

/// Sector numbers from this one up are markers (end of chain, free, FAT, DIFAT).
const MARKERS: u32 = 0xFFFF_FFFA;
const HEADER_BYTES: usize = 512;
/// Where the header's fields are.
const SECTOR_SHIFT_AT: usize = 30;
const DIFAT_START_AT: usize = 68;
const DIFAT_AT: usize = 76;
const HEADER_DIFAT_ENTRIES: usize = 109;
const DIRECTORY_START_AT: usize = 48;
const MINI_CUTOFF_AT: usize = 56;
const MINI_FAT_START_AT: usize = 60;
const MINI_SECTOR_BYTES: usize = 64;
/// An xls sheet's size: BIFF8's last row and column, counting from 1.
const XLS_ROWS: u32 = 65_536;
const XLS_COLUMNS: u32 = 256;

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The little-endian u32s a sector holds (sector numbers).
fn words(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.chunks_exact(4).filter_map(|word| u32_at(word, 0))
}

/// The container as read here: its sector size and allocation table.
struct Container<'a> {
    bytes: &'a [u8],
    size: usize,
    fat: Vec<u32>,
}

impl Container<'_> {
    fn sector(&self, id: u32) -> Option<&[u8]> {
        let start = HEADER_BYTES + usize::try_from(id).ok()? * self.size;
        self.bytes
            .get(start..(start + self.size).min(self.bytes.len()))
    }

    /// The bytes of the chain from `start` in `table`, each link's bytes
    /// taken from `link`: at most as many links as the table has.
    fn chain<'b>(
        table: &[u32],
        start: u32,
        link: impl Fn(u32) -> Option<&'b [u8]>,
    ) -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        let mut at = start;
        for _ in 0..table.len() {
            if at >= MARKERS {
                return Some(bytes);
            }
            bytes.extend_from_slice(link(at)?);
            at = *table.get(usize::try_from(at).ok()?)?;
        }
        None
    }

    /// A stream by name (`Workbook`, or `Book` in older files).
    fn stream(&self, names: &[&str]) -> Option<Vec<u8>> {
        let directory = Self::chain(&self.fat, u32_at(self.bytes, DIRECTORY_START_AT)?, |id| {
            self.sector(id)
        })?;
        let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
        let named = |entry: &[u8]| {
            let length =
                usize::from(u16::from_le_bytes(entry.get(64..66)?.try_into().ok()?)).min(64);
            let units: Vec<u16> = entry[..length.saturating_sub(2)]
                .chunks_exact(2)
                .map(|unit| u16::from_le_bytes([unit[0], unit[1]]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        };
        let entry = entries.iter().find(|entry| {
            named(entry)
                .is_some_and(|name| names.iter().any(|wanted| name.eq_ignore_ascii_case(wanted)))
        })?;
        let (start, length) = (
            u32_at(entry, 116)?,
            usize::try_from(u32_at(entry, 120)?).ok()?,
        );
        let mut stream = if u32_at(self.bytes, MINI_CUTOFF_AT)
            .is_some_and(|cutoff| length >= usize::try_from(cutoff).unwrap_or(usize::MAX))
        {
            Self::chain(&self.fat, start, |id| self.sector(id))?
        } else {
            // A small stream lives in the mini stream, the root entry's chain.
            let root = entries.first()?;
            let mini = Self::chain(&self.fat, u32_at(root, 116)?, |id| self.sector(id))?;
            let table = Self::chain(&self.fat, u32_at(self.bytes, MINI_FAT_START_AT)?, |id| {
                self.sector(id)
            })?;
            let table: Vec<u32> = words(&table).collect();
            Self::chain(&table, start, |id| {
                let at = usize::try_from(id).ok()? * MINI_SECTOR_BYTES;
                mini.get(at..(at + MINI_SECTOR_BYTES).min(mini.len()))
            })?
        };
        stream.truncate(length);
        Some(stream)
    }
}

/// The container's header and allocation table: `None` when it is too
/// broken to tell (calamine then refuses it in its own words).
fn container(bytes: &[u8]) -> Option<Container<'_>> {
    let shift = u16::from_le_bytes(
        bytes
            .get(SECTOR_SHIFT_AT..SECTOR_SHIFT_AT + 2)?
            .try_into()
            .ok()?,
    );
    if !matches!(shift, 9 | 12) {
        return None;
    }
    let size = 1usize << shift;
    let count = bytes.len().saturating_sub(HEADER_BYTES).div_ceil(size);
    let mut container = Container {
        bytes,
        size,
        fat: Vec::new(),
    };
    // The FAT's own sectors: listed in the header, then in the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..HEADER_DIFAT_ENTRIES)
        .filter_map(|index| u32_at(bytes, DIFAT_AT + 4 * index))
        .collect();
    let mut difat = u32_at(bytes, DIFAT_START_AT)?;
    let mut hops = 0;
    while difat < MARKERS {
        hops += 1;
        if hops > count {
            return None;
        }
        let ids: Vec<u32> = words(container.sector(difat)?).collect();
        let (next, listed) = ids.split_last()?;
        fat_sectors.extend_from_slice(listed);
        difat = *next;
    }
    container.fat = fat_sectors
        .into_iter()
        .filter(|id| *id < MARKERS)
        .filter_map(|id| container.sector(id))
        .flat_map(words)
        .collect();
    Some(container)
}

/// Whether every chain of the allocation table ends.
fn chains_end(fat: &[u32]) -> bool {
    // Every chain, followed once: 0 not seen, 1 on the walk now, 2 ends.
    let mut state = vec![0u8; fat.len()];
    for start in 0..fat.len() {
        let mut walk = Vec::new();
        let mut at = start;
        loop {
            match state.get(at) {
                Some(2) | None => break,
                Some(1) => return false,
                _ => {}
            }
            state[at] = 1;
            walk.push(at);
            let next = fat[at];
            if next >= MARKERS {
                break;
            }
            at = usize::try_from(next).unwrap_or(usize::MAX);
        }
        for done in walk {
            state[done] = 2;
        }
    }
    true
}

/// The first DIMENSIONS record of the workbook stream that no xls sheet can
/// have: (first row, last row + 1, first column, last column + 1).
fn oversized(stream: &[u8]) -> Option<(u32, u32, u32, u32)> {
    let mut at = 0;
    while let Some(head) = stream.get(at..at + 4) {
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let length = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let data = stream.get(at + 4..(at + 4 + length).min(stream.len()))?;
        if kind == 0x0200 {
            let word = |at: usize| {
                data.get(at..at + 2)
                    .map(|w| u32::from(u16::from_le_bytes([w[0], w[1]])))
            };
            let dimensions = match data.len() {
                10 => (word(0)?, word(2)?, word(4)?, word(6)?),
                14 | 16 => (u32_at(data, 0)?, u32_at(data, 4)?, word(8)?, word(10)?),
                _ => None?,
            };
            let (first_row, rows, first_column, columns) = dimensions;
            if rows > XLS_ROWS
                || columns > XLS_COLUMNS
                || first_row > rows
                || first_column > columns
            {
                return Some(dimensions);
            }
        }
        at += 4 + length;
    }
    None
}

/// Refuses a container whose sector chains loop, or whose sheets claim more
/// than an xls sheet holds.
pub(crate) fn check(name: &str, bytes: &[u8]) -> Result<()> {
    let Some(container) = container(bytes) else {
        return Ok(());
    };
    if !chains_end(&container.fat) {
        return Err(Error::bad_file(
            name,
            "is damaged and cannot be read (its sectors are chained in a loop)",
        ));
    }
    let stream = container.stream(&["Workbook", "Book"]).unwrap_or_default();
    if let Some((first_row, rows, first_column, columns)) = oversized(&stream) {
        return Err(Error::bad_file(
            name,
            format!(
                "is damaged and cannot be read (a sheet claims rows {first_row} to {rows} and columns {first_column} to {columns}; an xls sheet has {XLS_ROWS} rows and {XLS_COLUMNS} columns)"
            ),
        ));
    }
    Ok(())
}
