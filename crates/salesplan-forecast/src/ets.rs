//! Exponential smoothing in the recursions statsmodels' `ExponentialSmoothing`
//! uses (error-correction form, smoothing parameters α, β, γ and damping φ):
//!
//! ```text
//! base_t  = l_{t-1} + φ b_{t-1}                        (φ = 1 undamped, no b without a trend)
//! l_t     = α (y_t − s_{t-m}) + (1 − α) base_t          additive season
//!         = α y_t / s_{t-m}   + (1 − α) base_t          multiplicative season
//! b_t     = β (l_t − l_{t-1}) + (1 − β) φ b_{t-1}
//! s_t     = γ (y_t − base_t)  + (1 − γ) s_{t-m}         additive
//!         = γ y_t / base_t    + (1 − γ) s_{t-m}         multiplicative
//! ŷ_{T+h} = l_T + (φ + … + φ^h) b_T  (+ or ×) s_{T+h-m}
//! ```

use crate::optimise::nelder_mead;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    None,
    Additive,
    Damped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    None,
    Additive,
    Multiplicative,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub trend: Trend,
    pub season: Season,
    /// Months in a seasonal cycle (12); ignored without a season.
    pub period: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub phi: f64,
}

/// The level, trend and the last `period` seasonal values (the oldest first, by position in the cycle).
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub level: f64,
    pub trend: f64,
    pub season: Vec<f64>,
}

impl Spec {
    fn phi(&self, params: &Params) -> f64 {
        match self.trend {
            Trend::None => 0.0,
            Trend::Additive => 1.0,
            Trend::Damped => params.phi,
        }
    }
}

/// Runs the recursions over `y` from `start`; answers the state after the last
/// observation and the sum of squared one-step errors.
pub fn run(spec: &Spec, params: &Params, start: &State, y: &[f64]) -> (State, f64) {
    let phi = spec.phi(params);
    let mut state = start.clone();
    let period = state.season.len().max(1);
    let mut sse = 0.0;
    for (t, &value) in y.iter().enumerate() {
        let base = state.level + phi * state.trend;
        let slot = t % period;
        let old = state.season.get(slot).copied().unwrap_or(0.0);
        let (fitted, level) = match spec.season {
            Season::None => (base, params.alpha * value + (1.0 - params.alpha) * base),
            Season::Additive => (
                base + old,
                params.alpha * (value - old) + (1.0 - params.alpha) * base,
            ),
            Season::Multiplicative => (
                base * old,
                params.alpha * value / old + (1.0 - params.alpha) * base,
            ),
        };
        sse += (value - fitted).powi(2);
        let trend = params.beta * (level - state.level) + (1.0 - params.beta) * phi * state.trend;
        match spec.season {
            Season::None => {}
            Season::Additive => {
                state.season[slot] = params.gamma * (value - base) + (1.0 - params.gamma) * old
            }
            Season::Multiplicative => {
                state.season[slot] = params.gamma * value / base + (1.0 - params.gamma) * old
            }
        }
        state.level = level;
        state.trend = if spec.trend == Trend::None {
            0.0
        } else {
            trend
        };
    }
    (state, sse)
}

/// The next `horizon` values after `n` observations ended in `state`.
pub fn forecast(spec: &Spec, params: &Params, state: &State, n: usize, horizon: usize) -> Vec<f64> {
    let phi = spec.phi(params);
    let period = state.season.len().max(1);
    let mut damped = 0.0;
    let mut power = 1.0;
    (1..=horizon)
        .map(|h| {
            power *= phi;
            damped += power;
            let base = state.level + damped * state.trend;
            let season = state.season.get((n + h - 1) % period).copied();
            match (spec.season, season) {
                (Season::Additive, Some(s)) => base + s,
                (Season::Multiplicative, Some(s)) => base * s,
                _ => base,
            }
        })
        .collect()
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// A starting state from the first observations (the first cycle's mean, the change to the second's).
pub fn initial_state(spec: &Spec, y: &[f64]) -> State {
    let m = spec.period.max(1);
    match spec.season {
        Season::None => State {
            level: y.first().copied().unwrap_or(0.0),
            trend: if y.len() > 1 && spec.trend != Trend::None {
                y[1] - y[0]
            } else {
                0.0
            },
            season: Vec::new(),
        },
        _ => {
            let first = mean(&y[..m.min(y.len())]);
            let trend = if y.len() >= 2 * m && spec.trend != Trend::None {
                (mean(&y[m..2 * m]) - first) / m as f64
            } else {
                0.0
            };
            // The first cycle's mean sits at its middle month; seasonal values are
            // each month against that line, so growth is not taken for season.
            let middle = (m as f64 - 1.0) / 2.0;
            let season = (0..m)
                .map(|j| {
                    let line = first + (j as f64 - middle) * trend;
                    let value = y.get(j).copied().unwrap_or(line);
                    match spec.season {
                        Season::Multiplicative if line > 0.0 => value / line,
                        Season::Multiplicative => 1.0,
                        _ => value - line,
                    }
                })
                .collect();
            // The level before the first month: one trend step before the line's first point.
            State {
                level: first - (middle + 1.0) * trend,
                trend,
                season,
            }
        }
    }
}

/// A fitted model: its parameters and the state after the history.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub spec: Spec,
    pub params: Params,
    pub state: State,
    pub sse: f64,
    pub n: usize,
}

impl Fitted {
    pub fn forecast(&self, horizon: usize) -> Vec<f64> {
        forecast(&self.spec, &self.params, &self.state, self.n, horizon)
    }

    /// A prediction interval around `forecast`: ŷ ± z σ √(1 + Σ_{j<h} c_j²), with
    /// σ² the mean squared one-step error and c_j the weights of the additive-error
    /// models (Hyndman, Koehler, Ord & Snyder, *Forecasting with Exponential
    /// Smoothing*, 2008, table 6.1, class 1):
    /// c_j = α (1 + β Φ_j) + γ [j ≡ 0 mod m], Φ_j = φ + … + φ^j.
    /// For a multiplicative season the same weights are an approximation.
    pub fn interval(&self, forecast: &[f64], z: f64) -> Vec<(f64, f64)> {
        let Params {
            alpha,
            beta,
            gamma,
            phi,
        } = self.params;
        let sigma = (self.sse / self.n.max(1) as f64).sqrt();
        let trend = self.spec.trend != Trend::None;
        let seasonal = self.spec.season != Season::None && self.spec.period > 0;
        let mut variance = 1.0;
        let mut damped_sum = 0.0;
        let mut damping = 1.0;
        forecast
            .iter()
            .enumerate()
            .map(|(index, value)| {
                let j = index;
                if j > 0 {
                    let phi = if self.spec.trend == Trend::Damped {
                        phi
                    } else {
                        1.0
                    };
                    damping *= phi;
                    damped_sum += damping;
                    let mut c = alpha;
                    if trend {
                        c += alpha * beta * damped_sum;
                    }
                    if seasonal && j.is_multiple_of(self.spec.period) {
                        c += gamma;
                    }
                    variance += c * c;
                }
                let half = z * sigma * variance.sqrt();
                (value - half, value + half)
            })
            .collect()
    }
}

/// Estimates α (and β, γ, φ where the spec has them) by least squares of the one-step errors.
pub fn fit(spec: Spec, y: &[f64]) -> Fitted {
    let start = initial_state(&spec, y);
    let uses = [
        true,
        spec.trend != Trend::None,
        spec.season != Season::None,
        spec.trend == Trend::Damped,
    ];
    let to_params = |x: &[f64]| {
        let mut values = x.iter();
        let mut next = |used: bool, default: f64| {
            if used {
                *values.next().unwrap_or(&default)
            } else {
                default
            }
        };
        let alpha = next(uses[0], 0.5).clamp(0.01, 0.99);
        let beta = next(uses[1], 0.0).clamp(0.0, alpha);
        let gamma = next(uses[2], 0.0).clamp(0.0, 1.0 - alpha);
        let phi = next(uses[3], 1.0).clamp(0.8, 0.98);
        Params {
            alpha,
            beta,
            gamma,
            phi,
        }
    };
    let guess: Vec<f64> = [0.3, 0.05, 0.1, 0.95]
        .iter()
        .zip(uses)
        .filter(|(_, used)| *used)
        .map(|(value, _)| *value)
        .collect();
    let best = nelder_mead(&guess, 200, |x| {
        let params = to_params(x);
        let (_, sse) = run(&spec, &params, &start, y);
        if sse.is_finite() { sse } else { f64::MAX }
    });
    let params = to_params(&best);
    let (state, sse) = run(&spec, &params, &start, y);
    Fitted {
        spec,
        params,
        state,
        sse,
        n: y.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first 36 months of the classic AirPassengers series (Box & Jenkins), in thousands.
    const AIR: [f64; 36] = [
        112., 118., 132., 129., 121., 135., 148., 148., 136., 119., 104., 118., 115., 126., 141.,
        135., 125., 149., 170., 170., 158., 133., 114., 140., 145., 150., 178., 163., 172., 178.,
        199., 199., 184., 162., 146., 166.,
    ];

    fn close(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-5, "{got:?} vs {want:?}");
        }
    }

    fn with(spec: Spec, params: Params, start: State) -> Vec<f64> {
        let (state, _) = run(&spec, &params, &start, &AIR);
        forecast(&spec, &params, &state, AIR.len(), 6)
    }

    // Reference values: statsmodels 0.15.0, `initialization_method="known"`, `optimized=False`, forecast(6).
    #[test]
    fn simple_holt_and_damped_match_statsmodels() {
        let params = Params {
            alpha: 0.5,
            beta: 0.0,
            gamma: 0.0,
            phi: 1.0,
        };
        let none = Spec {
            trend: Trend::None,
            season: Season::None,
            period: 1,
        };
        let start = State {
            level: 112.0,
            trend: 0.0,
            season: vec![],
        };
        close(&with(none, params, start), &[163.274448; 6]);

        let holt = Spec {
            trend: Trend::Additive,
            season: Season::None,
            period: 1,
        };
        let params = Params {
            alpha: 0.6,
            beta: 0.2,
            gamma: 0.0,
            phi: 1.0,
        };
        let start = State {
            level: 112.0,
            trend: 2.0,
            season: vec![],
        };
        close(
            &with(holt, params, start.clone()),
            &[
                159.045252, 156.792824, 154.540396, 152.287968, 150.035539, 147.783111,
            ],
        );
        let damped = Spec {
            trend: Trend::Damped,
            ..holt
        };
        close(
            &with(damped, Params { phi: 0.9, ..params }, start),
            &[
                158.387947, 156.295414, 154.412134, 152.717181, 151.191724, 149.818813,
            ],
        );
    }

    #[test]
    fn holt_winters_match_statsmodels() {
        let mean = AIR[..12].iter().sum::<f64>() / 12.0;
        let params = Params {
            alpha: 0.3,
            beta: 0.1,
            gamma: 0.2,
            phi: 1.0,
        };
        let additive = Spec {
            trend: Trend::Additive,
            season: Season::Additive,
            period: 12,
        };
        let start = State {
            level: mean,
            trend: 1.0,
            season: AIR[..12].iter().map(|y| y - mean).collect(),
        };
        close(
            &with(additive, params, start.clone()),
            &[
                167.12294, 174.218714, 191.85197, 185.941851, 182.342967, 196.772066,
            ],
        );
        close(
            &with(
                Spec {
                    trend: Trend::Damped,
                    ..additive
                },
                Params {
                    phi: 0.95,
                    ..params
                },
                start,
            ),
            &[
                164.822075, 171.158545, 187.990345, 181.242071, 176.765465, 190.279776,
            ],
        );
        let multiplicative = Spec {
            season: Season::Multiplicative,
            ..additive
        };
        let start = State {
            level: mean,
            trend: 1.0,
            season: AIR[..12].iter().map(|y| y / mean).collect(),
        };
        close(
            &with(multiplicative, params, start),
            &[
                163.949799, 173.16527, 196.629285, 189.095281, 182.877784, 203.387819,
            ],
        );
    }

    #[test]
    fn fitting_finds_a_seasonal_pattern_better_than_none() {
        let seasonal = fit(
            Spec {
                trend: Trend::Additive,
                season: Season::Multiplicative,
                period: 12,
            },
            &AIR,
        );
        let plain = fit(
            Spec {
                trend: Trend::Additive,
                season: Season::None,
                period: 12,
            },
            &AIR,
        );
        assert!(
            seasonal.sse < plain.sse / 2.0,
            "{} vs {}",
            seasonal.sse,
            plain.sse
        );
        let next = seasonal.forecast(12);
        // July above November, as every year of the series.
        assert!(next[6] > next[10], "{next:?}");
        assert!(next.iter().all(|value| value.is_finite()));
    }
    // Reference: statsmodels 0.15.0 `ETSResults._relative_forecast_variance` for
    // h = 1…14 (its β is α × our β), the closed forms of Hyndman & Athanasopoulos.
    #[test]
    fn interval_widths_match_statsmodels_relative_variances() {
        let cases: [(Trend, Season, Params, [f64; 14]); 4] = [
            (
                Trend::Additive,
                Season::None,
                Params {
                    alpha: 0.6,
                    beta: 0.2,
                    gamma: 0.0,
                    phi: 1.0,
                },
                [
                    1.0, 1.5184, 2.224, 3.1456, 4.312, 5.752, 7.4944, 9.568, 12.0016, 14.824,
                    18.064, 21.7504, 25.912, 30.5776,
                ],
            ),
            (
                Trend::Damped,
                Season::None,
                Params {
                    alpha: 0.6,
                    beta: 0.2,
                    gamma: 0.0,
                    phi: 0.9,
                },
                [
                    1.0, 1.501264, 2.149611, 2.946489, 3.89013, 4.976458, 6.199791, 7.553382,
                    9.029839, 10.621438, 12.320361, 14.118868, 16.009428, 17.984797,
                ],
            ),
            (
                Trend::Additive,
                Season::Additive,
                Params {
                    alpha: 0.3,
                    beta: 0.1,
                    gamma: 0.2,
                    phi: 1.0,
                },
                [
                    1.0, 1.1089, 1.2385, 1.3906, 1.567, 1.7695, 1.9999, 2.26, 2.5516, 2.8765,
                    3.2365, 3.6334, 4.373, 4.8491,
                ],
            ),
            (
                Trend::Damped,
                Season::Additive,
                Params {
                    alpha: 0.3,
                    beta: 0.1,
                    gamma: 0.2,
                    phi: 0.95,
                },
                [
                    1.0, 1.107912, 1.234346, 1.379733, 1.544351, 1.728344, 1.931743, 2.154478,
                    2.396395, 2.657268, 2.936813, 3.234693, 3.815329, 4.148714,
                ],
            ),
        ];
        for (trend, season, params, want) in cases {
            let fitted = Fitted {
                spec: Spec {
                    trend,
                    season,
                    period: 12,
                },
                params,
                state: State {
                    level: 0.0,
                    trend: 0.0,
                    season: vec![0.0; 12],
                },
                // σ² = sse / n = 4, so the half-width at z = 1 is 2 √(relative variance).
                sse: 4.0 * 36.0,
                n: 36,
            };
            let bounds = fitted.interval(&[10.0; 14], 1.0);
            for (h, ((low, high), relative)) in bounds.iter().zip(want).enumerate() {
                let half = (high - low) / 2.0;
                assert!(
                    (half * half / 4.0 - relative).abs() < 1e-5,
                    "{trend:?} {season:?} h={}: {} vs {relative}",
                    h + 1,
                    half * half / 4.0
                );
                assert!((low + high) / 2.0 - 10.0 < 1e-9);
            }
        }
    }
}
