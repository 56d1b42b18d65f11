//! A small Nelder-Mead minimiser: enough for three or four smoothing parameters.

/// Minimises `f` from `start`; answers the best point found within `iterations`.
pub(crate) fn nelder_mead(start: &[f64], iterations: usize, f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
    let n = start.len();
    if n == 0 {
        return Vec::new();
    }
    let mut simplex: Vec<(Vec<f64>, f64)> = (0..=n)
        .map(|i| {
            let mut point = start.to_vec();
            if i > 0 {
                point[i - 1] += if point[i - 1].abs() > 1e-9 {
                    0.1 * point[i - 1].abs().max(0.05)
                } else {
                    0.05
                };
            }
            let value = f(&point);
            (point, value)
        })
        .collect();
    for _ in 0..iterations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        if (simplex[n].1 - simplex[0].1).abs() <= 1e-10 * (1.0 + simplex[0].1.abs()) {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|d| simplex[..n].iter().map(|(p, _)| p[d]).sum::<f64>() / n as f64)
            .collect();
        let towards = |scale: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&simplex[n].0)
                .map(|(c, w)| c + scale * (w - c))
                .collect()
        };
        let reflected = towards(-1.0);
        let reflected_value = f(&reflected);
        if reflected_value < simplex[0].1 {
            let expanded = towards(-2.0);
            let expanded_value = f(&expanded);
            simplex[n] = if expanded_value < reflected_value {
                (expanded, expanded_value)
            } else {
                (reflected, reflected_value)
            };
        } else if reflected_value < simplex[n - 1].1 {
            simplex[n] = (reflected, reflected_value);
        } else {
            let contracted = towards(0.5);
            let contracted_value = f(&contracted);
            if contracted_value < simplex[n].1 {
                simplex[n] = (contracted, contracted_value);
            } else {
                let best = simplex[0].0.clone();
                for entry in simplex.iter_mut().skip(1) {
                    let point: Vec<f64> = best
                        .iter()
                        .zip(&entry.0)
                        .map(|(b, p)| b + 0.5 * (p - b))
                        .collect();
                    let value = f(&point);
                    *entry = (point, value);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex.swap_remove(0).0
}

#[cfg(test)]
mod tests {
    use super::nelder_mead;

    #[test]
    fn it_finds_the_minimum_of_a_bowl() {
        let best = nelder_mead(&[0.0, 0.0], 500, |x| {
            (x[0] - 0.3).powi(2) + 2.0 * (x[1] + 0.7).powi(2)
        });
        assert!(
            (best[0] - 0.3).abs() < 1e-3 && (best[1] + 0.7).abs() < 1e-3,
            "{best:?}"
        );
    }
}
