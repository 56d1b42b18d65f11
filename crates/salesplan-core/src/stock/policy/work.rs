//! Working out one item's policy from its demand and its supply, by the
//! arithmetic of `salesplan_forecast::stock_policy` (formulas and sources there).

use crate::model::policies::{OrderBasis, PolicyMethod, SigmaSource};
use rust_decimal::Decimal;
use salesplan_forecast::stock_policy::{
    Bound, Discrete, OrderBounds, bounded, eoq, normal_quantile, safety_stock,
};

/// Days in an average month (365.25 ÷ 12): lead times are in days, demand per month.
pub(crate) const DAYS_PER_MONTH: f64 = 30.4375;

/// What an item will sell, month by month, and how uncertain that is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Demand {
    /// Units per month from the first month on.
    pub monthly: Vec<f64>,
    /// σ_d, units per month.
    pub sigma: f64,
    pub sigma_source: SigmaSource,
    pub sigma_points: u32,
    /// A slow mover: months between demands average more than 1.32.
    pub intermittent: bool,
}

/// Where an item comes from and on what terms.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Supply {
    pub supplied_by: String,
    pub lead_days: f64,
    pub lead_sd_days: f64,
    pub unit_cost: Option<f64>,
    /// What one order costs; none when ordering is not a purchase (a branch).
    pub order_cost: Option<f64>,
    pub min_order: f64,
    pub pack: f64,
}

/// The company's rules that apply to one item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rules {
    /// In percent.
    pub service_level: f64,
    /// A year's holding cost as a share of the unit cost (0.2 for 20 %).
    pub holding_rate: f64,
    pub order_cover_months: f64,
}

/// The numbers of a policy, before they are named and rounded for people.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Worked {
    pub demand_per_month: Decimal,
    pub method: PolicyMethod,
    pub z: Option<Decimal>,
    pub lead_time_demand: Decimal,
    pub safety_stock: Decimal,
    pub reorder_point: Decimal,
    pub eoq: Option<Decimal>,
    pub order_quantity: Decimal,
    pub order_basis: OrderBasis,
    pub fill_rate: Option<Decimal>,
}

pub(super) use crate::money::from_f64 as decimal;

/// A whole number of units at least `value` (a hair of float noise below a
/// whole number does not add a unit).
fn whole_up(value: f64) -> Decimal {
    decimal((value - 1e-9).ceil().max(0.0), 0)
}

pub(crate) fn work_out(demand: &Demand, supply: &Supply, rules: Rules) -> Worked {
    let lead = supply.lead_days / DAYS_PER_MONTH;
    let sigma_lead = supply.lead_sd_days / DAYS_PER_MONTH;
    // d: the mean over the months the lead time spans (at least the first).
    let months = (lead.ceil() as usize).clamp(1, demand.monthly.len().max(1));
    let d = demand.monthly.iter().take(months).sum::<f64>() / months as f64;
    if demand.monthly.is_empty() || d <= 0.0 {
        return Worked {
            demand_per_month: Decimal::ZERO,
            method: PolicyMethod::NoDemand,
            z: None,
            lead_time_demand: Decimal::ZERO,
            safety_stock: Decimal::ZERO,
            reorder_point: Decimal::ZERO,
            eoq: None,
            order_quantity: Decimal::ZERO,
            order_basis: OrderBasis::Nothing,
            fill_rate: None,
        };
    }
    let lead_demand = d * lead;

    let economic = match (supply.order_cost, supply.unit_cost) {
        (Some(order_cost), Some(cost)) if cost > 0.0 => {
            eoq(12.0 * d, order_cost, cost * rules.holding_rate)
        }
        _ => None,
    };
    let (quantity, bound) = bounded(
        economic.unwrap_or(d),
        OrderBounds {
            minimum: supply.min_order,
            pack: supply.pack,
            maximum: Some(rules.order_cover_months * d),
        },
    );
    let order_basis = match (bound, economic) {
        (Bound::Minimum, _) => OrderBasis::MinimumOrder,
        (Bound::Maximum, _) => OrderBasis::MaximumCover,
        (Bound::Wanted, Some(_)) => OrderBasis::Eoq,
        (Bound::Wanted, None) => OrderBasis::OneMonth,
    };

    let target = rules.service_level / 100.0;
    let variance = lead * demand.sigma * demand.sigma + d * d * sigma_lead * sigma_lead;
    let discrete = if demand.intermittent {
        Discrete::pick(lead_demand, variance)
    } else {
        None
    };
    let (method, z, safety, reorder_point, fill_rate) = match discrete {
        Some(distribution) => {
            let (point, fill) = distribution.reorder_point(quantity, target);
            let method = match distribution {
                Discrete::Poisson { .. } => PolicyMethod::Poisson,
                Discrete::NegativeBinomial { .. } => PolicyMethod::NegativeBinomial,
            };
            let point = f64::from(point);
            (
                method,
                None,
                point - lead_demand,
                decimal(point, 0),
                Some(decimal(100.0 * fill, 1)),
            )
        }
        None => {
            let z = normal_quantile(target);
            let safety = safety_stock(z, d, demand.sigma, lead, sigma_lead);
            (
                PolicyMethod::Normal,
                Some(decimal(z, 4)),
                safety,
                whole_up(lead_demand + safety),
                None,
            )
        }
    };
    Worked {
        demand_per_month: decimal(d, 2),
        method,
        z,
        lead_time_demand: decimal(lead_demand, 2),
        safety_stock: decimal(safety, 2),
        reorder_point,
        eoq: economic.map(|q| decimal(q, 2)),
        order_quantity: decimal(quantity, 6),
        order_basis,
        fill_rate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(d: f64, sigma: f64) -> Demand {
        Demand {
            monthly: vec![d; 12],
            sigma,
            sigma_source: SigmaSource::Measured,
            sigma_points: 6,
            intermittent: false,
        }
    }

    fn supplier(lead_days: f64, lead_sd_days: f64) -> Supply {
        Supply {
            supplied_by: "SUP".into(),
            lead_days,
            lead_sd_days,
            unit_cost: Some(12.0),
            order_cost: Some(50.0),
            min_order: 100.0,
            pack: 24.0,
        }
    }

    const RULES: Rules = Rules {
        service_level: 95.0,
        holding_rate: 0.2,
        order_cover_months: 6.0,
    };

    #[test]
    fn a_steady_item_gets_the_normal_policy_worked_by_hand() {
        // d = 100, σ_d = 30, L = 0.5 month (15.21875 days), σ_L = 0.1 month:
        // d·L = 50; z(95 %) = 1.6449; SS = 1.6449 · √(0.5·900 + 10,000·0.01) = 38.58;
        // ROP = ⌈50 + 38.58⌉ = 89. EOQ = √(2 · 1,200 · 50 ÷ 2.4) = 223.61 → 10 packs of 24.
        let worked = work_out(
            &flat(100.0, 30.0),
            &supplier(0.5 * DAYS_PER_MONTH, 0.1 * DAYS_PER_MONTH),
            RULES,
        );
        assert_eq!(worked.method, PolicyMethod::Normal);
        assert_eq!(worked.z, Some(Decimal::new(16449, 4)));
        assert_eq!(worked.lead_time_demand, Decimal::from(50));
        assert_eq!(worked.safety_stock, Decimal::new(3858, 2));
        assert_eq!(worked.reorder_point, Decimal::from(89));
        assert_eq!(worked.eoq, Some(Decimal::new(22361, 2)));
        assert_eq!(worked.order_quantity, Decimal::from(240));
        assert_eq!(worked.order_basis, OrderBasis::Eoq);
    }

    #[test]
    fn demand_is_the_mean_of_the_months_the_lead_time_spans() {
        // A 45-day lead time spans two months: d = (100 + 200) ÷ 2 = 150, L = 1.4784 months.
        let mut demand = flat(0.0, 0.0);
        demand.monthly = vec![100.0, 200.0, 900.0];
        let worked = work_out(&demand, &supplier(45.0, 0.0), RULES);
        assert_eq!(worked.demand_per_month, Decimal::from(150));
        assert_eq!(worked.lead_time_demand, Decimal::new(22177, 2)); // 150 · 45 ÷ 30.4375
        assert_eq!(worked.safety_stock, Decimal::ZERO);
        assert_eq!(worked.reorder_point, Decimal::from(222));
    }

    #[test]
    fn a_slow_mover_meets_its_fill_rate_under_poisson_demand() {
        // d = 2 a month, L = 1 month, σ_d² = 2 (Poisson-like): lead-time demand Poisson(2).
        // No order cost: one month's demand, 2 → the minimum 4 → ROP 4 at 95 % (see
        // salesplan_forecast::stock_policy's worked Poisson table: β(4) = 98.1 %).
        let demand = Demand {
            monthly: vec![2.0; 12],
            sigma: 2f64.sqrt(),
            sigma_source: SigmaSource::History,
            sigma_points: 0,
            intermittent: true,
        };
        let supply = Supply {
            order_cost: None,
            min_order: 4.0,
            pack: 1.0,
            ..supplier(DAYS_PER_MONTH, 0.0)
        };
        let worked = work_out(&demand, &supply, RULES);
        assert_eq!(worked.method, PolicyMethod::Poisson);
        assert_eq!(worked.order_quantity, Decimal::from(4));
        assert_eq!(worked.order_basis, OrderBasis::MinimumOrder);
        assert_eq!(worked.reorder_point, Decimal::from(4));
        assert_eq!(worked.fill_rate, Some(Decimal::new(981, 1)));
        assert_eq!(worked.safety_stock, Decimal::from(2));
    }

    #[test]
    fn no_demand_plans_nothing() {
        let worked = work_out(&flat(0.0, 0.0), &supplier(10.0, 0.0), RULES);
        assert_eq!(worked.method, PolicyMethod::NoDemand);
        assert_eq!(worked.reorder_point, Decimal::ZERO);
        assert_eq!(worked.order_quantity, Decimal::ZERO);
    }
}
