//! The demo's plans, made by the people whose work they are. This year's
//! sales budgets came top-down: head office set a company target of last
//! year plus 8 %, shared it among the salesmen by last year's sales (asking
//! more of some than of others), each salesman added his expense lines and
//! submitted, and his department's manager approved; the money spent so far
//! is recorded against the expense lines. Next year's round is under way
//! bottom-up: most salesmen proposed last year ± a percentage, some
//! submitted, one was sent back with a comment, and Sam and Nina (the
//! README's and the tests' salesmen) have not started.

use super::SALESMEN;
use crate::access::Actor;
use crate::budgets::distribute::{self, Distribution, Shares};
use crate::budgets::expenses::{self, NewExpense, NewSpending};
use crate::budgets::{self, NewBudget, OwnerKind, OwnerRef, Transition};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::month::Month;
use crate::reference::{self, BudgetCategory};
use crate::users;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

/// The scenario every demo plan is made in (the one the screens open on).
const SCENARIO: &str = "Base";
/// Head office's target: last year's sales plus this percentage.
const COMPANY_GROWTH_PERCENT: i64 = 8;

/// How much more than his share of last year each salesman was asked for
/// (percent, in `SALESMEN` order): head office expects more of some than of others, so
/// this year's variance has winners and laggards to explain.
const STRETCH: [i64; 10] = [104, 98, 100, 108, 97, 103, 110, 99, 102, 105];

/// What each salesman asks to spend, in whole euros a year: retail first,
/// wholesale second; (category code, what for, retail, wholesale).
const EXPENSE_LINES: [(&str, &str, i64, i64); 3] = [
    ("TRV", "Customer visits", 4_800, 9_600),
    ("SMP", "Tasting samples", 1_200, 600),
    ("ENT", "Key account dinners", 0, 3_000),
];

/// How fast each salesman spends against his allocation (1.0 = on plan);
/// Eva's travel runs over, so the expense view has something to flag.
const SPENDING_PACE: [f64; 10] = [0.95, 1.0, 0.9, 1.05, 0.85, 1.35, 1.0, 0.8, 0.95, 1.1];

/// Next year's round, by salesman (in `SALESMEN` order): the percentage on
/// last year each proposed, and how far the budget has gone.
const NEXT_YEAR: [Option<(i64, Round)>; 10] = [
    None,
    None,
    Some((6, Round::Submitted)),
    Some((8, Round::Submitted)),
    Some((2, Round::Rejected)),
    Some((5, Round::Draft)),
    Some((7, Round::Submitted)),
    Some((4, Round::Draft)),
    Some((9, Round::Submitted)),
    Some((3, Round::Draft)),
];

/// The comment the one rejected budget came back with.
pub const REJECTION: &str = "2 % is too cautious for Berlin: Corner Markets opens three new shops \
     in spring. Plan at least +6 % and show where it comes from.";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Round {
    Draft,
    Submitted,
    Rejected,
}

/// Makes this year's approved plans and next year's round; `last` is the
/// demo's last month of sales (its fiscal year is the calendar year).
pub(super) fn create(ledger: &mut Ledger, admin: &Actor, last: Month) -> Result<usize> {
    let year = last.year();
    let actor = |ledger: &Ledger, username: &str| -> Result<Actor> {
        Ok(users::find(ledger, admin, username)?.actor())
    };
    let managers = [actor(ledger, "maria")?, actor(ledger, "max")?];
    let salesmen: Vec<Actor> = SALESMEN
        .iter()
        .map(|(username, _)| actor(ledger, username))
        .collect::<Result<_>>()?;
    let categories: Vec<_> = EXPENSE_LINES
        .iter()
        .map(|(code, ..)| Ok(reference::find::<BudgetCategory>(ledger, admin, code)?.id))
        .collect::<Result<_>>()?;
    let last_year: Decimal = crate::sales::overview(ledger, admin)?
        .months
        .iter()
        .filter(|month| month.period.year() == year - 1)
        .map(|month| month.amount)
        .sum();
    // In whole thousands, as a board sets it.
    let thousand = Decimal::from(1000);
    let target = crate::money::round(
        last_year * Decimal::new(100 + COMPANY_GROWTH_PERCENT, 2) / thousand,
        0,
    ) * thousand;
    let mut distribution = Distribution {
        fiscal_year: year,
        scenario: SCENARIO.into(),
        total: target,
        to: OwnerKind::Salesman,
        within_location: None,
        shares: Shares::LastYear,
    };
    let by_last_year = distribute::targets(ledger, admin, &distribution)?;
    let weights = salesmen
        .iter()
        .zip(STRETCH)
        .map(|(salesman, stretch)| {
            let share = by_last_year
                .iter()
                .find(|target| target.owner.salesman_id == Some(salesman.id))
                .map_or(Decimal::ZERO, |target| target.amount);
            (salesman.id, share * Decimal::new(stretch, 2))
        })
        .collect();
    distribution.shares = Shares::Weights { weights };
    let targets = distribute::apply(ledger, admin, distribution)?;
    let mut rng = StdRng::seed_from_u64(20_261_207);
    let mut made = 0;
    for (n, salesman) in salesmen.iter().enumerate() {
        let wholesale = n % 2 == 1;
        let budget_id = targets
            .iter()
            .find(|target| target.owner.salesman_id == Some(salesman.id))
            .and_then(|target| target.budget_id)
            .ok_or_else(|| {
                let username = &salesman.username;
                Error::invalid("demo", format!("no budget was made for {username}"))
            })?;
        let mut lines = Vec::new();
        for ((_, description, retail, wholesale_amount), category_id) in
            EXPENSE_LINES.iter().zip(&categories)
        {
            let allocated = if wholesale {
                *wholesale_amount
            } else {
                *retail
            };
            if allocated == 0 {
                continue;
            }
            let expense = expenses::add(
                ledger,
                salesman,
                budget_id,
                NewExpense {
                    category_id: *category_id,
                    description: (*description).into(),
                    allocated: Decimal::from(allocated),
                },
            )?;
            lines.push((expense.id, allocated));
        }
        budgets::transition(ledger, salesman, budget_id, Transition::Submit, "")?;
        let manager = &managers[usize::from(wholesale)];
        budgets::transition(ledger, manager, budget_id, Transition::Approve, "")?;
        for (expense_id, allocated) in lines {
            spend_so_far(
                ledger,
                salesman,
                expense_id,
                allocated,
                SPENDING_PACE[n],
                last,
                &mut rng,
            )?;
        }
        made += 1;

        if let Some((percent, round)) = NEXT_YEAR[n] {
            let next = budgets::create(
                ledger,
                salesman,
                NewBudget {
                    fiscal_year: year + 1,
                    scenario: SCENARIO.into(),
                    owner: OwnerRef {
                        kind: OwnerKind::Salesman,
                        id: salesman.id,
                    },
                    from_last_year_percent: Some(Decimal::from(percent)),
                    template_id: None,
                },
            )?;
            if round != Round::Draft {
                budgets::transition(ledger, salesman, next.budget.id, Transition::Submit, "")?;
            }
            if round == Round::Rejected {
                budgets::transition(
                    ledger,
                    manager,
                    next.budget.id,
                    Transition::Reject,
                    REJECTION,
                )?;
            }
            made += 1;
        }
    }
    Ok(made)
}

/// A month's spending on each month of the year up to `last`, around
/// `allocated / 12 × pace`, on a day between the 3rd and the 26th.
fn spend_so_far(
    ledger: &mut Ledger,
    salesman: &Actor,
    expense_id: uuid::Uuid,
    allocated: i64,
    pace: f64,
    last: Month,
    rng: &mut StdRng,
) -> Result<()> {
    for number in 1..=last.number() {
        let cents = (allocated as f64 * 100.0 / 12.0 * pace * rng.random_range(0.7..1.3)).round();
        expenses::spend(
            ledger,
            salesman,
            NewSpending {
                expense_id,
                spent_on: format!(
                    "{:04}-{number:02}-{:02}",
                    last.year(),
                    rng.random_range(3..=26)
                ),
                amount: Decimal::new(cents as i64, 2),
                note: String::new(),
                receipt: None,
            },
        )?;
    }
    Ok(())
}
