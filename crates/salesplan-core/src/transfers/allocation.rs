//! Sharing the warehouse out when it holds less than the branches need, by
//! one of three rules, in whole units that add up to exactly what there is
//! (largest remainder) and never give a branch more than it needs.
//!
//! - fair share: in proportion to each branch's need;
//! - equal cover: every branch raised to the same share of its target stock,
//!   a branch below zero brought up to zero first;
//! - priority: branches in their priority order get what they need, the
//!   first that cannot be served in full shares what is left with the
//!   branches of its priority, fairly.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a short warehouse is shared out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Rule {
    /// In proportion to each branch's need.
    #[default]
    FairShare,
    /// Every branch to the same share of its target, below-zero branches first.
    EqualCover,
    /// By the branches' priority, then fair share among equals.
    Priority,
}

impl Rule {
    pub const ALL: [Rule; 3] = [Rule::FairShare, Rule::EqualCover, Rule::Priority];

    pub fn key(self) -> &'static str {
        match self {
            Rule::FairShare => "fair-share",
            Rule::EqualCover => "equal-cover",
            Rule::Priority => "priority",
        }
    }

    pub fn parse(key: &str) -> Option<Rule> {
        Rule::ALL
            .into_iter()
            .find(|rule| rule.key().eq_ignore_ascii_case(key.trim()))
    }
}

/// What one branch asks of the warehouse for a product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Claim {
    /// Whole units it needs.
    pub need: Decimal,
    /// What it holds and has coming (may be below zero).
    pub position: Decimal,
    /// The stock it aims at.
    pub target: Decimal,
    /// 1 first; equal numbers share.
    pub priority: u32,
}

/// What each claim gets of `available` whole units under `rule`, in claim order.
pub fn allocate(rule: Rule, available: Decimal, claims: &[Claim]) -> Vec<Decimal> {
    let available = available.floor().max(Decimal::ZERO);
    let needs: Vec<Decimal> = claims
        .iter()
        .map(|claim| claim.need.max(Decimal::ZERO))
        .collect();
    let wanted: Decimal = needs.iter().sum();
    if wanted <= available {
        return needs;
    }
    match rule {
        Rule::FairShare => fair_share(available, &needs),
        Rule::EqualCover => equal_cover(available, claims, &needs),
        Rule::Priority => priority(available, claims, &needs),
    }
}

/// `available` in proportion to `weights`, each capped at its need, in whole units.
fn fair_share(available: Decimal, needs: &[Decimal]) -> Vec<Decimal> {
    proportional(available, needs, needs)
}

fn proportional(available: Decimal, weights: &[Decimal], caps: &[Decimal]) -> Vec<Decimal> {
    let total: Decimal = weights.iter().sum();
    if total.is_zero() {
        return vec![Decimal::ZERO; weights.len()];
    }
    let exact: Vec<Decimal> = weights
        .iter()
        .zip(caps)
        .map(|(weight, cap)| (available * weight / total).min(*cap))
        .collect();
    whole_units(available, &exact, caps)
}

/// Rounds `exact` shares to whole units summing to `available` (or to all the
/// caps, if less): each takes its floor, and the units left go one by one to
/// the largest remainders (the larger cap first on a tie, then the earlier).
fn whole_units(available: Decimal, exact: &[Decimal], caps: &[Decimal]) -> Vec<Decimal> {
    let mut given: Vec<Decimal> = exact.iter().map(|share| share.floor()).collect();
    let room: Decimal = caps.iter().sum::<Decimal>().min(available);
    let mut left = room - given.iter().sum::<Decimal>();
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|a, b| {
        let remainder = |at: usize| exact[at] - exact[at].floor();
        remainder(*b)
            .cmp(&remainder(*a))
            .then(caps[*b].cmp(&caps[*a]))
            .then(a.cmp(b))
    });
    while left > Decimal::ZERO {
        let mut moved = false;
        for at in &order {
            if left <= Decimal::ZERO {
                break;
            }
            if given[*at] < caps[*at] {
                given[*at] += Decimal::ONE;
                left -= Decimal::ONE;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    given
}

/// Every branch to the same share `f` of its target: what it gets is
/// `f·target − position`, between 0 and its need. Below-zero branches are
/// brought up first: while there is less than their deficits, those are
/// shared fairly.
fn equal_cover(available: Decimal, claims: &[Claim], needs: &[Decimal]) -> Vec<Decimal> {
    let deficits: Vec<Decimal> = claims
        .iter()
        .zip(needs)
        .map(|(claim, need)| (-claim.position).max(Decimal::ZERO).min(*need))
        .collect();
    if deficits.iter().sum::<Decimal>() >= available {
        return proportional(available, &deficits, &deficits);
    }
    let given_at = |share: Decimal| -> Vec<Decimal> {
        claims
            .iter()
            .zip(needs)
            .map(|(claim, need)| {
                (share * claim.target - claim.position).clamp(Decimal::ZERO, *need)
            })
            .collect()
    };
    // What is handed out grows with the share: find the share that hands out `available`.
    let (mut low, mut high) = (Decimal::ZERO, Decimal::ONE);
    while given_at(high).iter().sum::<Decimal>() < available && high < Decimal::from(1_000_000) {
        high *= Decimal::TWO;
    }
    for _ in 0..60 {
        let middle = (low + high) / Decimal::TWO;
        if given_at(middle).iter().sum::<Decimal>() < available {
            low = middle;
        } else {
            high = middle;
        }
    }
    whole_units(available, &given_at(high), needs)
}

/// By priority: each group in turn gets its needs; the first group that
/// cannot be served in full shares what is left fairly; those after get none.
fn priority(available: Decimal, claims: &[Claim], needs: &[Decimal]) -> Vec<Decimal> {
    let mut given = vec![Decimal::ZERO; claims.len()];
    let mut left = available;
    let mut levels: Vec<u32> = claims.iter().map(|claim| claim.priority).collect();
    levels.sort_unstable();
    levels.dedup();
    for level in levels {
        let members: Vec<usize> = (0..claims.len())
            .filter(|at| claims[*at].priority == level)
            .collect();
        let wanted: Decimal = members.iter().map(|at| needs[*at]).sum();
        if wanted <= left {
            for at in &members {
                given[*at] = needs[*at];
            }
            left -= wanted;
            continue;
        }
        let their: Vec<Decimal> = members.iter().map(|at| needs[*at]).collect();
        for (at, share) in members.iter().zip(fair_share(left, &their)) {
            given[*at] = share;
        }
        break;
    }
    given
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    fn claim(need: i64, position: i64, target: i64, priority: u32) -> Claim {
        Claim {
            need: d(need),
            position: d(position),
            target: d(target),
            priority,
        }
    }

    fn amounts(values: Vec<Decimal>) -> Vec<i64> {
        values
            .into_iter()
            .map(|value| i64::try_from(value).unwrap_or(-1))
            .collect()
    }

    #[test]
    fn enough_for_everyone_gives_each_its_need() {
        let claims = [claim(10, 5, 15, 1), claim(20, 0, 20, 1)];
        for rule in Rule::ALL {
            assert_eq!(
                amounts(allocate(rule, d(40), &claims)),
                [10, 20],
                "{rule:?}"
            );
        }
    }

    #[test]
    fn fair_share_is_in_proportion_to_need_to_the_last_unit() {
        // 100 for needs 50, 30, 20 of 200: exactly half each.
        let claims = [
            claim(100, 0, 100, 1),
            claim(60, 0, 60, 1),
            claim(40, 0, 40, 1),
        ];
        assert_eq!(
            amounts(allocate(Rule::FairShare, d(100), &claims)),
            [50, 30, 20]
        );
        // 10 for needs 7, 7, 7: 3⅓ each; the unit left goes to the first (a tie).
        let claims = [claim(7, 0, 7, 1), claim(7, 0, 7, 1), claim(7, 0, 7, 1)];
        assert_eq!(
            amounts(allocate(Rule::FairShare, d(10), &claims)),
            [4, 3, 3]
        );
        // 11 for needs 5, 10: 3.67 and 7.33 → 4 and 7 (the larger remainder).
        let claims = [claim(5, 0, 5, 1), claim(10, 0, 10, 1)];
        assert_eq!(amounts(allocate(Rule::FairShare, d(11), &claims)), [4, 7]);
        // A fraction of a unit is not handed out.
        assert_eq!(
            amounts(allocate(Rule::FairShare, Decimal::new(115, 1), &claims)),
            [4, 7]
        );
    }

    #[test]
    fn equal_cover_raises_every_branch_to_the_same_share_of_its_target() {
        // Targets 100 and 50, holding 40 and 5, 60 to give: share f with
        // (100f − 40) + (50f − 5) = 60 → f = 0.7: 30 and 30; both at 70 %.
        let claims = [claim(60, 40, 100, 1), claim(45, 5, 50, 1)];
        assert_eq!(
            amounts(allocate(Rule::EqualCover, d(60), &claims)),
            [30, 30]
        );
        // A branch already above the share others reach gets nothing.
        let claims = [claim(10, 90, 100, 1), claim(50, 0, 50, 1)];
        assert_eq!(amounts(allocate(Rule::EqualCover, d(20), &claims)), [0, 20]);
    }

    #[test]
    fn equal_cover_brings_branches_below_zero_up_first() {
        // −10 and −30 below zero, 20 to give: less than their deficits (40),
        // shared in proportion to them: 5 and 15; the third gets none.
        let claims = [
            claim(40, -10, 30, 1),
            claim(60, -30, 30, 1),
            claim(30, 0, 30, 1),
        ];
        assert_eq!(
            amounts(allocate(Rule::EqualCover, d(20), &claims)),
            [5, 15, 0]
        );
    }

    #[test]
    fn priority_serves_in_order_then_shares_fairly_among_equals() {
        let claims = [
            claim(30, 0, 30, 2),
            claim(20, 0, 20, 1),
            claim(40, 0, 40, 2),
            claim(10, 0, 10, 3),
        ];
        // 50: priority 1 gets its 20, the 30 left shared 30:40 → 13 and 17; priority 3 none.
        assert_eq!(
            amounts(allocate(Rule::Priority, d(50), &claims)),
            [13, 20, 17, 0]
        );
    }

    #[test]
    fn every_rule_hands_out_exactly_what_there_is_and_no_more_than_a_need() {
        let claims = [
            claim(13, 2, 20, 2),
            claim(7, -3, 5, 1),
            claim(29, 10, 40, 3),
            claim(1, 0, 1, 1),
        ];
        for available in 0..50 {
            for rule in Rule::ALL {
                let given = allocate(rule, d(available), &claims);
                let total: Decimal = given.iter().sum();
                assert_eq!(total, d(available.min(50)), "{rule:?} of {available}");
                for (share, claim) in given.iter().zip(&claims) {
                    assert!(
                        *share >= Decimal::ZERO && *share <= claim.need,
                        "{rule:?} {given:?}"
                    );
                    assert!(share.fract().is_zero(), "whole units: {given:?}");
                }
            }
        }
    }
}
