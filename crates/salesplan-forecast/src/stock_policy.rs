//! The arithmetic of a stock policy built on a forecast: how much to keep
//! against uncertainty (safety stock), when to order (reorder point) and how
//! much (economic order quantity, bounded by what the supplier sells). Time is
//! in months throughout, quantities in units.
//!
//! - Normal lead-time demand: safety stock = z · √(L·σ_d² + d²·σ_L²), the
//!   safety inventory under uncertain demand and uncertain lead time (Chopra &
//!   Meindl, *Supply Chain Management*, ch. "Managing uncertainty: safety
//!   inventory"); reorder point = d·L + safety stock.
//! - Slow movers (intermittent demand, Syntetos–Boylan ADI > 1.32): the lead-time
//!   demand is Poisson, or negative binomial when its variance exceeds its mean,
//!   and the reorder point is the smallest that meets a fill-rate target, the
//!   fill rate of an (s, Q) policy being 1 − (G(s) − G(s + Q)) ÷ Q with
//!   G(x) = E[(X − x)⁺] (Hadley & Whitin, *Analysis of Inventory Systems*, 1963).
//! - EOQ = √(2·D·S ÷ H) (Harris, 1913), D yearly demand, S the cost of one
//!   order, H the cost of holding one unit a year.

/// The standard normal quantile Φ⁻¹(p) for 0 < p < 1, by Acklam's rational
/// approximation (relative error below 1.15·10⁻⁹).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p <= 0.0 {
        f64::NEG_INFINITY
    } else if p >= 1.0 {
        f64::INFINITY
    } else if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// The safety stock of normal lead-time demand: z · √(L·σ_d² + d²·σ_L²), with
/// d and σ_d per month, L and σ_L in months.
pub fn safety_stock(z: f64, demand: f64, sigma_demand: f64, lead: f64, sigma_lead: f64) -> f64 {
    z * (lead * sigma_demand * sigma_demand + demand * demand * sigma_lead * sigma_lead).sqrt()
}

/// The economic order quantity √(2·D·S ÷ H); none when holding costs nothing
/// or there is no demand.
pub fn eoq(yearly_demand: f64, order_cost: f64, holding_cost: f64) -> Option<f64> {
    (yearly_demand > 0.0 && order_cost >= 0.0 && holding_cost > 0.0)
        .then(|| (2.0 * yearly_demand * order_cost / holding_cost).sqrt())
}

/// How a supplier sells: the least it takes, the multiple it packs in, and
/// the most a company wants at once (its maximum cover), in units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrderBounds {
    pub minimum: f64,
    pub pack: f64,
    pub maximum: Option<f64>,
}

/// Why an order quantity is what it is, after the bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The wanted quantity, rounded up to the pack.
    Wanted,
    /// Raised to the minimum order.
    Minimum,
    /// Cut to the maximum cover.
    Maximum,
}

/// A wanted quantity bounded: at least the minimum order, at most the maximum
/// cover (but never below the minimum), rounded up to whole packs.
pub fn bounded(wanted: f64, bounds: OrderBounds) -> (f64, Bound) {
    let (mut quantity, mut bound) = (wanted, Bound::Wanted);
    if let Some(maximum) = bounds.maximum
        && quantity > maximum
    {
        (quantity, bound) = (maximum, Bound::Maximum);
    }
    if quantity < bounds.minimum {
        (quantity, bound) = (bounds.minimum, Bound::Minimum);
    }
    let pack = if bounds.pack > 0.0 { bounds.pack } else { 1.0 };
    let packs = (quantity / pack - 1e-9).ceil().max(1.0);
    (packs * pack, bound)
}

/// Whether a demand history is intermittent: on average more than 1.32 months
/// between demands (Syntetos, Boylan & Croston, 2005). A history with no
/// demand at all is not (there is nothing to stock for).
pub fn is_intermittent(history: &[f64]) -> bool {
    let demands = history.iter().filter(|q| **q > 0.0).count();
    demands > 0 && history.len() as f64 / demands as f64 > 1.32
}

/// A discrete lead-time demand.
#[derive(Debug, Clone, PartialEq)]
pub enum Discrete {
    Poisson { mean: f64 },
    NegativeBinomial { mean: f64, variance: f64 },
}

/// Above this mean a discrete distribution is summed over too many points and
/// the normal describes it well.
const DISCRETE_MEAN_LIMIT: f64 = 200.0;

impl Discrete {
    /// Poisson when the variance is at most 1.1 × the mean, negative binomial
    /// above; none when the mean is not positive or too large to sum.
    pub fn pick(mean: f64, variance: f64) -> Option<Discrete> {
        if !(mean > 0.0 && mean <= DISCRETE_MEAN_LIMIT) {
            return None;
        }
        Some(if variance <= 1.1 * mean {
            Discrete::Poisson { mean }
        } else {
            Discrete::NegativeBinomial { mean, variance }
        })
    }

    pub fn mean(&self) -> f64 {
        match self {
            Discrete::Poisson { mean } | Discrete::NegativeBinomial { mean, .. } => *mean,
        }
    }

    /// P(X = k) for k = 0..n.
    fn probabilities(&self, n: usize) -> Vec<f64> {
        let mut p = Vec::with_capacity(n);
        match *self {
            Discrete::Poisson { mean } => {
                p.push((-mean).exp());
                for k in 1..n {
                    p.push(p[k - 1] * mean / k as f64);
                }
            }
            Discrete::NegativeBinomial { mean, variance } => {
                // Successes r and success chance q with mean r(1−q)/q, variance r(1−q)/q².
                let q = mean / variance;
                let r = mean * mean / (variance - mean);
                p.push(q.powf(r));
                for k in 1..n {
                    p.push(p[k - 1] * (k as f64 - 1.0 + r) / k as f64 * (1.0 - q));
                }
            }
        }
        p
    }

    /// G(x) = E[(X − x)⁺] for x = 0..n, by G(0) = mean, G(x+1) = G(x) − P(X > x).
    fn expected_shortages(&self, n: usize) -> Vec<f64> {
        let p = self.probabilities(n);
        let mut g = Vec::with_capacity(n);
        let (mut shortage, mut at_most) = (self.mean(), 0.0);
        for probability in p {
            g.push(shortage.max(0.0));
            at_most += probability;
            shortage -= 1.0 - at_most;
        }
        g
    }

    /// The smallest reorder point s ≥ 0 whose fill rate with order quantity
    /// `order` meets `target`, and that fill rate.
    pub fn reorder_point(&self, order: f64, target: f64) -> (u32, f64) {
        let order = order.max(1.0);
        let span = order.ceil() as usize;
        let limit = (self.mean() * 10.0 + 60.0) as usize;
        let g = self.expected_shortages(limit + span + 2);
        let fill_rate = |s: usize| 1.0 - (g[s] - g[s + span]) / order;
        let mut s = 0;
        while s < limit && fill_rate(s) < target {
            s += 1;
        }
        (s as u32, fill_rate(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn normal_quantiles_match_the_tables() {
        // Φ⁻¹ from any normal table: 90 % 1.281552, 95 % 1.644854, 98 % 2.053749, 99.9 % 3.090232.
        for (p, z) in [
            (0.5, 0.0),
            (0.90, 1.281_551_566),
            (0.95, 1.644_853_627),
            (0.98, 2.053_748_911),
            (0.999, 3.090_232_306),
            (0.01, -2.326_347_874),
        ] {
            assert!(
                close(normal_quantile(p), z, 1e-8),
                "{p}: {}",
                normal_quantile(p)
            );
        }
    }

    #[test]
    fn safety_stock_adds_demand_and_lead_time_variability() {
        // d = 100/month, σ_d = 30, L = 0.5 month, σ_L = 0.1 month, 95 %:
        // L·σ_d² = 450, d²·σ_L² = 100, √550 = 23.4521, × 1.644854 = 38.5753.
        let z = normal_quantile(0.95);
        assert!(close(safety_stock(z, 100.0, 30.0, 0.5, 0.1), 38.5753, 1e-3));
        // A sure lead time leaves demand alone: 1.644854 × 30 × √0.5 = 34.8930.
        assert!(close(safety_stock(z, 100.0, 30.0, 0.5, 0.0), 34.8930, 1e-3));
    }

    #[test]
    fn eoq_and_its_bounds() {
        // D = 1,200 a year, S = 50 an order, H = 20 % of 12 = 2.4: √50,000 = 223.607.
        let q = eoq(1200.0, 50.0, 2.4).unwrap_or_default();
        assert!(close(q, 223.607, 1e-3));
        assert_eq!(eoq(1200.0, 50.0, 0.0), None);
        let bounds = OrderBounds {
            minimum: 100.0,
            pack: 24.0,
            maximum: Some(600.0),
        };
        // 223.6 → 10 packs of 24.
        assert_eq!(bounded(q, bounds), (240.0, Bound::Wanted));
        // 40 is below the minimum of 100 → 100 → 5 packs.
        assert_eq!(bounded(40.0, bounds), (120.0, Bound::Minimum));
        // 900 is above six months' cover of 600 → 600 = 25 packs exactly.
        assert_eq!(bounded(900.0, bounds), (600.0, Bound::Maximum));
        // A maximum below the minimum yields to the minimum.
        let tight = OrderBounds {
            maximum: Some(50.0),
            ..bounds
        };
        assert_eq!(bounded(900.0, tight), (120.0, Bound::Minimum));
    }

    #[test]
    fn intermittent_is_more_than_1_32_months_between_demands() {
        assert!(is_intermittent(&[0.0, 3.0, 0.0, 0.0, 1.0, 0.0])); // 6 ÷ 2 = 3
        assert!(!is_intermittent(&[2.0, 3.0, 0.0, 4.0, 1.0, 5.0])); // 6 ÷ 5 = 1.2
        assert!(!is_intermittent(&[0.0; 12]));
    }

    #[test]
    fn poisson_fill_rates_worked_by_hand() {
        // X ~ Poisson(2), Q = 4. P(0..) = .135335 .270671 .270671 .180447 .090224 …
        // G(0) = 2, G(1) = 1.135335, G(2) = .541341, G(3) = .218018, G(4) = .075141,
        // G(5) = .022488, G(6) = .005924, G(7) = .001391.
        // β(2) = 1 − (.541341 − .005924)/4 = .866146; β(3) = 1 − (.218018 − .001391)/4 = .945843.
        let x = Discrete::pick(2.0, 2.0).unwrap_or(Discrete::Poisson { mean: 0.0 });
        assert_eq!(x, Discrete::Poisson { mean: 2.0 });
        let (s, fill) = x.reorder_point(4.0, 0.90);
        assert_eq!(s, 3);
        assert!(close(fill, 0.945_843, 1e-6), "{fill}");
        // β(4) = 1 − (.075141 − .000293)/4 = .981288.
        let (s, fill) = x.reorder_point(4.0, 0.95);
        assert_eq!(s, 4);
        assert!(close(fill, 0.981_288, 1e-6), "{fill}");
    }

    #[test]
    fn negative_binomial_fill_rates_worked_by_hand() {
        // Mean 2, variance 4: q = .5, r = 4; P(0) = .0625, P(1) = .125, P(2) = .15625,
        // P(3) = .15625, P(4) = .136719. G(3) = .4375, G(7) = .042969:
        // β(3) = 1 − (.4375 − .042969)/4 = .901367; β(4) = .943359, β(5) = .968018.
        let x = Discrete::pick(2.0, 4.0).unwrap_or(Discrete::Poisson { mean: 0.0 });
        assert_eq!(
            x,
            Discrete::NegativeBinomial {
                mean: 2.0,
                variance: 4.0
            }
        );
        let (s, fill) = x.reorder_point(4.0, 0.90);
        assert_eq!(s, 3);
        assert!(close(fill, 0.901_367, 1e-6), "{fill}");
        // The wider spread needs one unit more than Poisson for 95 %.
        assert_eq!(x.reorder_point(4.0, 0.95).0, 5);
        assert_eq!(Discrete::pick(0.0, 1.0), None);
        assert_eq!(Discrete::pick(500.0, 900.0), None);
    }
}
