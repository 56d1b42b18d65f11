//! A source's quality rules judged on a run as a whole: how many rows it
//! brought, how fresh the source is, how many rows the row checks refused.

use crate::model::sources::{OnBreak, QualityCheck, QualityRule};
use crate::timestamp::Day;
use rust_decimal::Decimal;

/// What a run found, as the rules read it.
#[derive(Debug, Clone, Copy)]
pub struct RunFigures {
    /// The rows this run read (for an incremental source, those past the cursor).
    pub rows_read: u64,
    pub rows_rejected: u64,
    /// The newest date the source has brought, this run included.
    pub newest_date: Option<Day>,
    pub today: Day,
}

/// The rules a run broke: those that stop it, those that only warn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub stop: Vec<String>,
    pub warnings: Vec<String>,
}

impl Verdict {
    pub fn stops(&self) -> bool {
        !self.stop.is_empty()
    }
}

/// Every rule against the run's figures.
pub fn judge(rules: &[QualityRule], figures: &RunFigures) -> Verdict {
    let mut verdict = Verdict::default();
    for rule in rules {
        if let Some(broken) = broken(&rule.check, figures) {
            match rule.on_break {
                OnBreak::Stop => verdict.stop.push(broken),
                OnBreak::Warn => verdict.warnings.push(broken),
            }
        }
    }
    verdict
}

/// Why a check fails, if it does.
fn broken(check: &QualityCheck, figures: &RunFigures) -> Option<String> {
    match check {
        QualityCheck::RowCount { min, max } => {
            let rows = figures.rows_read;
            match (min, max) {
                (Some(min), _) if rows < *min => Some(format!(
                    "row count: {rows} rows read, at least {min} expected"
                )),
                (_, Some(max)) if rows > *max => Some(format!(
                    "row count: {rows} rows read, at most {max} expected"
                )),
                _ => None,
            }
        }
        QualityCheck::Freshness { days } => match figures.newest_date {
            None => Some(format!(
                "freshness: the source has brought no date yet (at most {days} days old expected)"
            )),
            Some(newest) => {
                let age = figures.today.days_since(newest);
                (age > i64::from(*days)).then(|| {
                    format!(
                        "freshness: the newest date is {newest}, {age} days old (at most {days} expected)"
                    )
                })
            }
        },
        QualityCheck::RejectedShare { max_percent } => {
            if figures.rows_read == 0 {
                return None;
            }
            let share = Decimal::from(figures.rows_rejected) * Decimal::ONE_HUNDRED
                / Decimal::from(figures.rows_read);
            (share > *max_percent).then(|| {
                format!(
                    "rejected rows: {} of {} ({:.1} %) were refused, at most {} % allowed",
                    figures.rows_rejected,
                    figures.rows_read,
                    share.round_dp(1),
                    max_percent.normalize()
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse("day", text).expect("a day")
    }

    fn rule(check: QualityCheck, on_break: OnBreak) -> QualityRule {
        QualityRule { check, on_break }
    }

    #[test]
    fn each_rule_stops_or_warns_at_its_line_and_not_before() {
        let figures = RunFigures {
            rows_read: 100,
            rows_rejected: 5,
            newest_date: Some(day("2026-12-01")),
            today: day("2026-12-08"),
        };
        let rules = [
            rule(
                QualityCheck::RowCount {
                    min: Some(100),
                    max: Some(100),
                },
                OnBreak::Stop,
            ),
            rule(QualityCheck::Freshness { days: 7 }, OnBreak::Stop),
            rule(
                QualityCheck::RejectedShare {
                    max_percent: Decimal::new(5, 0),
                },
                OnBreak::Stop,
            ),
        ];
        assert_eq!(judge(&rules, &figures), Verdict::default());

        let worse = RunFigures {
            rows_read: 99,
            rows_rejected: 6,
            newest_date: Some(day("2026-11-30")),
            ..figures
        };
        let rules = [
            rule(
                QualityCheck::RowCount {
                    min: Some(100),
                    max: None,
                },
                OnBreak::Stop,
            ),
            rule(QualityCheck::Freshness { days: 7 }, OnBreak::Warn),
            rule(
                QualityCheck::RejectedShare {
                    max_percent: Decimal::new(5, 0),
                },
                OnBreak::Stop,
            ),
        ];
        let verdict = judge(&rules, &worse);
        assert_eq!(
            verdict.stop,
            [
                "row count: 99 rows read, at least 100 expected",
                "rejected rows: 6 of 99 (6.1 %) were refused, at most 5 % allowed"
            ]
        );
        assert_eq!(
            verdict.warnings,
            ["freshness: the newest date is 2026-11-30, 8 days old (at most 7 expected)"]
        );
        assert!(verdict.stops());
    }

    #[test]
    fn a_source_that_never_brought_a_date_is_not_fresh() {
        let figures = RunFigures {
            rows_read: 0,
            rows_rejected: 0,
            newest_date: None,
            today: day("2026-12-08"),
        };
        let verdict = judge(
            &[rule(QualityCheck::Freshness { days: 3 }, OnBreak::Stop)],
            &figures,
        );
        assert!(verdict.stops());
        let verdict = judge(
            &[rule(
                QualityCheck::RejectedShare {
                    max_percent: Decimal::ZERO,
                },
                OnBreak::Stop,
            )],
            &figures,
        );
        assert!(!verdict.stops(), "no rows, none rejected");
    }
}
