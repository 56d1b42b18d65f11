//! What an exported budget says it is: a line above its headers naming the
//! budget and the export, which the importer recognises so the file goes back
//! into its budget as it is, with no mapping. The ledger keeps the cells as
//! exported (a [`Snapshot`]), so the file coming back is compared with them.

use crate::timestamp::Timestamp;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

pub(crate) use crate::model::exports::{ExportedCell, Snapshot};

const OPENING: &str = "Salesplan budget export";
const SEPARATOR: &str = " | ";

/// The export a file came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Stamp {
    pub budget_id: Uuid,
    pub export_id: Uuid,
    /// When it was exported, stored form (`2026-12-05T13:04:05.123Z`).
    pub exported_at: Timestamp,
    /// The budget as a person names it: "2027 Base, Olivia Owner".
    pub label: String,
}

impl Stamp {
    /// The line written above the headers:
    /// `Salesplan budget export | 2027 Base, Olivia Owner | budget … | export … | 2026-12-05T13:04:05.123Z`.
    pub fn line(&self) -> String {
        [
            OPENING,
            &self.label,
            &format!("budget {}", self.budget_id),
            &format!("export {}", self.export_id),
            &self.exported_at.to_string(),
        ]
        .join(SEPARATOR)
    }

    /// The stamp a cell's text holds, if it is one.
    pub fn parse(text: &str) -> Option<Stamp> {
        let mut parts = text.trim().split(SEPARATOR);
        if parts.next()? != OPENING {
            return None;
        }
        let parts: Vec<&str> = parts.collect();
        let [label, budget, export, exported_at] = parts.as_slice() else {
            return None;
        };
        let id = |part: &str, word: &str| {
            part.strip_prefix(word)
                .and_then(|id| Uuid::parse_str(id.trim()).ok())
        };
        Some(Stamp {
            budget_id: id(budget, "budget ")?,
            export_id: id(export, "export ")?,
            exported_at: crate::timestamp::Timestamp::parse("export", exported_at).ok()?,
            label: (*label).to_owned(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::Stamp;
    use uuid::Uuid;

    #[test]
    fn a_stamp_reads_back_and_other_text_is_not_one() {
        let stamp = Stamp {
            budget_id: Uuid::now_v7(),
            export_id: Uuid::now_v7(),
            exported_at: crate::timestamp::Timestamp::now(),
            label: "2027 Base, Olivia Owner".into(),
        };
        assert_eq!(Stamp::parse(&stamp.line()), Some(stamp.clone()));
        assert_eq!(
            Stamp::parse(&format!("  {}  ", stamp.line())),
            Some(stamp.clone())
        );
        let edited = stamp.line().replace("budget ", "budget x");
        assert_eq!(Stamp::parse(&edited), None, "an id that does not read");
        assert_eq!(Stamp::parse("Salesplan budget export"), None);
        assert_eq!(Stamp::parse("SKU"), None);
    }
}
