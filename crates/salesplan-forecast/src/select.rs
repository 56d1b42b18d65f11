//! Choosing a method per series: every candidate that the history can carry
//! forecasts the last months it has not seen (the holdout), the one with the
//! smallest mean absolute error wins, and is refitted on the whole history.
//!
//! Fallbacks, so that no NaN and no panic ever leaves this module:
//! - no history, or only zeros: zero;
//! - fewer than four months: the mean of what there is (moving average);
//! - many empty months (30 % or more): Croston or TSB (intermittent demand);
//! - seasonal methods need two cycles plus the holdout, multiplicative ones only positive months;
//! - a forecast that is not finite falls back to the moving average;
//! - sales are never forecast below zero (returns in the history are allowed).

use crate::ets::{self, Season, Spec, Trend};
use crate::{intermittent, simple};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// No history or nothing but zeros.
    Zero,
    SeasonalNaive,
    MovingAverage,
    /// Simple exponential smoothing.
    Ses,
    Holt,
    HoltDamped,
    HoltWintersAdditive,
    HoltWintersMultiplicative,
    Croston,
    Tsb,
}

impl Method {
    pub const ALL: [Method; 10] = [
        Method::Zero,
        Method::SeasonalNaive,
        Method::MovingAverage,
        Method::Ses,
        Method::Holt,
        Method::HoltDamped,
        Method::HoltWintersAdditive,
        Method::HoltWintersMultiplicative,
        Method::Croston,
        Method::Tsb,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Method::Zero => "zero",
            Method::SeasonalNaive => "snaive",
            Method::MovingAverage => "moving_average",
            Method::Ses => "ses",
            Method::Holt => "holt",
            Method::HoltDamped => "holt_damped",
            Method::HoltWintersAdditive => "holt_winters_additive",
            Method::HoltWintersMultiplicative => "holt_winters_multiplicative",
            Method::Croston => "croston",
            Method::Tsb => "tsb",
        }
    }

    pub fn parse(key: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|method| method.key().eq_ignore_ascii_case(key.trim()))
    }

    fn is_ets(self) -> bool {
        ets_spec(self, 12).is_some()
    }
}

/// Which methods may compete for a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Every method the history can carry (intermittent series: Croston and TSB only).
    Auto,
    /// The exponential smoothing family (simple, Holt, damped, Holt-Winters).
    Ets,
    /// One method; where the history cannot carry it, the automatic choice.
    Only(Method),
}

impl Request {
    /// `auto`, `ets` or a method's key.
    pub fn parse(key: &str) -> Option<Request> {
        match key.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(Request::Auto),
            "ets" => Some(Request::Ets),
            other => Method::parse(other).map(Request::Only),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Request::Auto => "auto",
            Request::Ets => "ets",
            Request::Only(method) => method.key(),
        }
    }

    /// Every key `parse` reads.
    pub fn keys() -> Vec<&'static str> {
        let mut keys = vec!["auto", "ets"];
        keys.extend(Method::ALL.iter().map(|method| method.key()));
        keys
    }

    fn admits(self, method: Method) -> bool {
        match self {
            Request::Auto => true,
            Request::Ets => method.is_ets(),
            Request::Only(only) => method == only,
        }
    }
}

/// The method chosen for a series, its error on the holdout, and the forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub method: Method,
    /// Mean absolute error over the holdout months; none when there was no contest.
    pub holdout_error: Option<f64>,
    pub forecast: Vec<f64>,
    /// An 80 % prediction interval (low, high) per month, for the exponential
    /// smoothing methods; the others give none.
    pub interval: Option<Vec<(f64, f64)>>,
}

const MOVING_WINDOW: usize = 3;
const CROSTON_ALPHA: f64 = 0.1;
const TSB_BETA: f64 = 0.1;
/// The standard normal quantile of 90 %: the bounds of an 80 % interval.
const Z_80: f64 = 1.281_551_565_5;

fn ets_spec(method: Method, period: usize) -> Option<Spec> {
    let spec = |trend, season| {
        Some(Spec {
            trend,
            season,
            period,
        })
    };
    match method {
        Method::Ses => spec(Trend::None, Season::None),
        Method::Holt => spec(Trend::Additive, Season::None),
        Method::HoltDamped => spec(Trend::Damped, Season::None),
        Method::HoltWintersAdditive => spec(Trend::Additive, Season::Additive),
        Method::HoltWintersMultiplicative => spec(Trend::Additive, Season::Multiplicative),
        _ => None,
    }
}

/// The forecast of one method, as it comes (not clamped).
pub fn forecast_with(method: Method, y: &[f64], period: usize, horizon: usize) -> Vec<f64> {
    forecast_and_interval(method, y, period, horizon).0
}

fn forecast_and_interval(
    method: Method,
    y: &[f64],
    period: usize,
    horizon: usize,
) -> (Vec<f64>, Option<Vec<(f64, f64)>>) {
    let plain = match method {
        Method::Zero => vec![0.0; horizon],
        Method::SeasonalNaive => simple::seasonal_naive(y, period, horizon),
        Method::MovingAverage => simple::moving_average(y, MOVING_WINDOW, horizon),
        Method::Croston => intermittent::croston(y, CROSTON_ALPHA, horizon),
        Method::Tsb => intermittent::tsb(y, CROSTON_ALPHA, TSB_BETA, horizon),
        ets_method => match ets_spec(ets_method, period) {
            Some(spec) => {
                let fitted = ets::fit(spec, y);
                let forecast = fitted.forecast(horizon);
                let interval = fitted.interval(&forecast, Z_80);
                return (forecast, Some(interval));
            }
            None => vec![0.0; horizon],
        },
    };
    (plain, None)
}

/// The methods a history of this shape can carry, simplest first (a tie goes to
/// the simpler). With `sparse_rule`, an intermittent history gets only the
/// methods made for it.
fn candidates(y: &[f64], period: usize, holdout: usize, sparse_rule: bool) -> Vec<Method> {
    let n = y.len();
    let zeros = y.iter().filter(|value| **value == 0.0).count();
    // Intermittent demand (30 % or more empty months): the smoothing methods
    // chase the zeros, so only the methods made for it compete.
    let intermittent = zeros * 10 >= n * 3;
    if intermittent && sparse_rule {
        return vec![Method::Croston, Method::Tsb];
    }
    let mut methods = Vec::new();
    if n >= period + holdout {
        methods.push(Method::SeasonalNaive);
    }
    methods.extend([Method::MovingAverage, Method::Ses]);
    if n >= 6 + holdout {
        methods.extend([Method::Holt, Method::HoltDamped]);
    }
    if period > 1 && n >= 2 * period + holdout {
        methods.push(Method::HoltWintersAdditive);
        if y.iter().all(|value| *value > 0.0) {
            methods.push(Method::HoltWintersMultiplicative);
        }
    }
    if !sparse_rule {
        methods.extend([Method::Croston, Method::Tsb]);
    }
    methods
}

fn finite(values: &[f64]) -> bool {
    values.iter().all(|value| value.is_finite())
}

/// Chooses among every method by holdout error and forecasts `horizon` months.
pub fn auto(y: &[f64], period: usize, horizon: usize) -> Choice {
    choose(y, period, horizon, Request::Auto)
}

/// Chooses among the requested methods by holdout error and forecasts `horizon`
/// months. A request the history cannot carry (Holt-Winters on ten months) gets
/// the automatic choice instead; the answer names the method used.
pub fn choose(y: &[f64], period: usize, horizon: usize, request: Request) -> Choice {
    let n = y.len();
    if y.iter().all(|value| *value == 0.0 || !value.is_finite()) {
        return Choice {
            method: Method::Zero,
            holdout_error: None,
            forecast: vec![0.0; horizon],
            interval: None,
        };
    }
    let y: Vec<f64> = y
        .iter()
        .map(|value| if value.is_finite() { *value } else { 0.0 })
        .collect();
    if n < 4 {
        return Choice {
            method: Method::MovingAverage,
            holdout_error: None,
            forecast: clamp(simple::moving_average(&y, MOVING_WINDOW, horizon)),
            interval: None,
        };
    }
    let holdout = period.min(n / 4).max(1);
    let (train, test) = y.split_at(n - holdout);
    // An explicit request is honoured even for an intermittent history.
    let sparse_rule = request == Request::Auto;
    let allowed = candidates(&y, period, holdout, sparse_rule);
    let contest: Vec<Method> = candidates(train, period, 0, sparse_rule)
        .into_iter()
        .filter(|method| allowed.contains(method) && request.admits(*method))
        .collect();
    if contest.is_empty() && request != Request::Auto {
        return choose(&y, period, horizon, Request::Auto);
    }
    let mut best: Option<(Method, f64)> = None;
    for method in contest {
        let predicted = forecast_with(method, train, period, holdout);
        if !finite(&predicted) {
            continue;
        }
        let error = predicted
            .iter()
            .zip(test)
            .map(|(p, a)| (p.max(0.0) - a).abs())
            .sum::<f64>()
            / holdout as f64;
        if best.is_none_or(|(_, smallest)| error < smallest - 1e-9) {
            best = Some((method, error));
        }
    }
    let (method, error) = best.unwrap_or((Method::MovingAverage, f64::NAN));
    let (mut forecast, mut interval) = forecast_and_interval(method, &y, period, horizon);
    let mut method = method;
    let interval_finite = interval.as_ref().is_none_or(|bounds| {
        bounds
            .iter()
            .all(|(low, high)| low.is_finite() && high.is_finite())
    });
    if !finite(&forecast) || !interval_finite {
        method = Method::MovingAverage;
        forecast = simple::moving_average(&y, MOVING_WINDOW, horizon);
        interval = None;
    }
    Choice {
        method,
        holdout_error: error.is_finite().then_some(error),
        forecast: clamp(forecast),
        interval: interval.map(|bounds| {
            bounds
                .into_iter()
                .map(|(low, high)| (low.max(0.0), high.max(0.0)))
                .collect()
        }),
    }
}

/// Sales are never forecast below zero; anything not finite becomes zero.
fn clamp(values: Vec<f64>) -> Vec<f64> {
    values
        .into_iter()
        .map(|value| {
            if value.is_finite() {
                value.max(0.0)
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: [f64; 12] = [0.6, 0.7, 0.9, 1.0, 1.1, 1.3, 1.5, 1.4, 1.1, 0.9, 0.8, 0.7];

    #[test]
    fn a_repeating_year_is_forecast_by_its_last_year() {
        let y: Vec<f64> = (0..36).map(|t| 100.0 * SHAPE[t % 12]).collect();
        let choice = auto(&y, 12, 12);
        assert_eq!(choice.method, Method::SeasonalNaive);
        assert_eq!(choice.holdout_error, Some(0.0));
        assert_eq!(choice.forecast[6], 150.0);
    }

    #[test]
    fn a_straight_line_is_forecast_by_holt() {
        let y: Vec<f64> = (0..36).map(|t| 50.0 + 3.0 * t as f64).collect();
        let choice = auto(&y, 12, 3);
        assert!(
            matches!(choice.method, Method::Holt | Method::HoltDamped),
            "{choice:?}"
        );
        assert!((choice.forecast[0] - 158.0).abs() < 2.0, "{choice:?}");
    }

    #[test]
    fn a_growing_seasonal_series_is_forecast_by_holt_winters() {
        let y: Vec<f64> = (0..48)
            .map(|t| (100.0 + 4.0 * t as f64) * SHAPE[t % 12])
            .collect();
        let choice = auto(&y, 12, 12);
        assert!(
            matches!(
                choice.method,
                Method::HoltWintersMultiplicative | Method::HoltWintersAdditive
            ),
            "{choice:?}"
        );
        let truth: Vec<f64> = (48..60)
            .map(|t| (100.0 + 4.0 * t as f64) * SHAPE[t % 12])
            .collect();
        let error: f64 = choice
            .forecast
            .iter()
            .zip(&truth)
            .map(|(f, t)| (f - t).abs())
            .sum::<f64>()
            / 12.0;
        assert!(error < 10.0, "mean error {error}: {choice:?}");
    }

    #[test]
    fn sparse_demand_is_forecast_by_croston_or_tsb() {
        // Eight units now and then, at no fixed rhythm: 11 demands in 36 months.
        let months = [1, 4, 9, 11, 16, 20, 21, 26, 30, 33, 35];
        let y: Vec<f64> = (0..36)
            .map(|t| if months.contains(&t) { 8.0 } else { 0.0 })
            .collect();
        let choice = auto(&y, 12, 6);
        assert!(
            matches!(choice.method, Method::Croston | Method::Tsb),
            "{choice:?}"
        );
        // About 8 × 11 / 36 ≈ 2.4 a month.
        assert!(
            choice
                .forecast
                .iter()
                .all(|value| (*value - 2.4).abs() < 1.0),
            "{choice:?}"
        );
    }

    #[test]
    fn awkward_histories_fall_back_without_nan_or_panic() {
        for (y, method) in [
            (vec![], Method::Zero),
            (vec![0.0; 24], Method::Zero),
            (vec![7.0], Method::MovingAverage),
            (vec![5.0, 7.0], Method::MovingAverage),
        ] {
            let choice = auto(&y, 12, 12);
            assert_eq!(choice.method, method, "{y:?}");
            assert_eq!(choice.forecast.len(), 12);
            assert!(
                choice
                    .forecast
                    .iter()
                    .all(|value| value.is_finite() && *value >= 0.0)
            );
        }
        // Returns (negative months), gaps and a NaN that slipped in.
        let y = [
            10.0,
            -4.0,
            0.0,
            0.0,
            12.0,
            f64::NAN,
            9.0,
            -1.0,
            11.0,
            0.0,
            10.0,
            12.0,
        ];
        let choice = auto(&y, 12, 12);
        assert!(
            choice
                .forecast
                .iter()
                .all(|value| value.is_finite() && *value >= 0.0),
            "{choice:?}"
        );
    }
    #[test]
    fn a_request_limits_the_contest_and_falls_back_where_history_is_short() {
        let y: Vec<f64> = (0..36).map(|t| 100.0 * SHAPE[t % 12]).collect();
        let ets = choose(&y, 12, 12, Request::Ets);
        assert!(
            Method::parse(ets.method.key()).is_some_and(Method::is_ets),
            "{ets:?}"
        );
        assert!(
            ets.interval
                .as_ref()
                .is_some_and(|bounds| bounds.len() == 12)
        );
        let croston = choose(&y, 12, 12, Request::Only(Method::Croston));
        assert_eq!(croston.method, Method::Croston);
        assert_eq!(croston.interval, None);
        // Holt-Winters needs two years plus a holdout; ten months get the automatic choice.
        let short = &y[..10];
        let fallback = choose(short, 12, 12, Request::Only(Method::HoltWintersAdditive));
        assert_eq!(fallback, auto(short, 12, 12));
        assert_eq!(Request::parse("ETS"), Some(Request::Ets));
        assert_eq!(
            Request::parse("snaive"),
            Some(Request::Only(Method::SeasonalNaive))
        );
        assert_eq!(Request::parse("arima"), None);
    }
}
