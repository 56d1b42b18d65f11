//! Trend breaks: a product, person or branch whose last three months, against
//! the same months of last year, run apart from the nine months before them.

use super::{Insight, InsightKind, InsightLink, Year, percent};
use crate::budgets::variance::VarianceLevel;
use crate::error::Result;
use crate::ledger;
use rust_decimal::Decimal;
use uuid::Uuid;

/// How many breaks of each level are told.
const BREAKS: usize = 2;

/// The growth against last year must move by this many points to be a break.
const POINTS: i64 = 15;

/// A member's sales in the four spans a break compares.
struct Spans {
    recent: Decimal,
    before: Decimal,
    recent_last_year: Decimal,
    before_last_year: Decimal,
}

impl Spans {
    /// What the last three months would have made at the earlier months'
    /// growth against last year; none without sales a year before either span.
    fn expected(&self) -> Option<Decimal> {
        (self.recent_last_year > Decimal::ZERO && self.before_last_year > Decimal::ZERO)
            .then(|| self.recent_last_year * self.before / self.before_last_year)
    }

    /// The growth of the last three months and of the nine before, in %.
    fn growths(&self) -> (Decimal, Decimal) {
        let growth = |now: Decimal, then: Decimal| (now - then) / then * Decimal::ONE_HUNDRED;
        (
            growth(self.recent, self.recent_last_year),
            growth(self.before, self.before_last_year),
        )
    }
}

/// The members of each level whose growth broke most, in money against the earlier pace.
pub(super) fn breaks(year: &Year<'_>) -> Result<Vec<Insight>> {
    let last = year.through;
    let spans = [
        (last.plus(-2), last),
        (last.plus(-11), last.plus(-3)),
        (last.plus(-14), last.plus(-12)),
        (last.plus(-23), last.plus(-15)),
    ];
    let mut insights = Vec::new();
    for level in year.levels() {
        let Some(column) = level.sale_column() else {
            continue;
        };
        let sums = ledger::reports::amounts_by_span(
            year.ledger.read(),
            year.scope,
            year.actor,
            column,
            &spans,
        )?;
        let mut broken: Vec<(Uuid, Spans, Decimal)> = sums
            .into_iter()
            .filter_map(|(key, sums)| {
                let key = key?;
                let spans = Spans {
                    recent: sums[0],
                    before: sums[1],
                    recent_last_year: sums[2],
                    before_last_year: sums[3],
                };
                let expected = spans.expected()?;
                let (recent, before) = spans.growths();
                ((recent - before).abs() >= Decimal::from(POINTS)).then_some((key, spans, expected))
            })
            .collect();
        broken.sort_by(|a, b| {
            (b.1.recent - b.2)
                .abs()
                .cmp(&(a.1.recent - a.2).abs())
                .then_with(|| a.0.cmp(&b.0))
        });
        for (key, spans, expected) in broken.into_iter().take(BREAKS) {
            insights.push(told(year, level, key, &spans, expected));
        }
    }
    Ok(insights)
}

/// "North broke its trend: …", with the spans' sums and the money against the earlier pace.
fn told(
    year: &Year<'_>,
    level: VarianceLevel,
    key: Uuid,
    spans: &Spans,
    expected: Decimal,
) -> Insight {
    let last = year.through;
    let impact = spans.recent - expected;
    let (recent, before) = spans.growths();
    let turned = match (recent.is_sign_negative(), before.is_sign_negative()) {
        (true, false) => "turned down",
        (false, true) => "turned up",
        _ if recent > before => "sped up",
        _ => "slowed",
    };
    let share = |now: Decimal, then: Decimal| percent(now - then, then, true).unwrap_or_default();
    Insight {
        kind: InsightKind::TrendBreak,
        sentence: format!(
            "{} {turned}: {} to {} made {} against {} a year before ({}), after {} over the nine months before: {} {} than the {} that pace would have made.",
            year.label(level, key),
            last.plus(-2).spelled(),
            last.spelled(),
            year.money(spans.recent, false),
            year.money(spans.recent_last_year, false),
            share(spans.recent, spans.recent_last_year),
            share(spans.before, spans.before_last_year),
            year.money(impact.abs(), false),
            if impact.is_sign_negative() {
                "less"
            } else {
                "more"
            },
            year.money(expected, false),
        ),
        impact: Some(impact),
        link: InsightLink::variance(level, Some(key)),
    }
}
