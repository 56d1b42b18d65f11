//! The hybrid logical clock of DESIGN §5: wall milliseconds, a counter for
//! changes within the same millisecond (or while the wall clock runs behind),
//! and the client id. It orders concurrent edits; it is never a sync cursor.

use std::time::{SystemTime, UNIX_EPOCH};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hlc {
    pub wall_ms: i64,
    pub counter: u32,
    pub client_id: Uuid,
}

impl Hlc {
    /// The next stamp: the wall clock (moved by `skew_ms`), or one past the last.
    pub fn tick(&mut self, skew_ms: i64) -> Hlc {
        self.tick_at(now_ms() + skew_ms)
    }

    fn tick_at(&mut self, wall_ms: i64) -> Hlc {
        if wall_ms > self.wall_ms {
            self.wall_ms = wall_ms;
            self.counter = 0;
        } else {
            self.counter += 1;
        }
        *self
    }

    /// Moves the clock up to a stamp received from elsewhere, so that what this
    /// laptop does next is stamped after what it has seen.
    /// Moves this clock past a stamp seen from elsewhere.
    pub fn observe(&mut self, seen: &Hlc) {
        if (seen.wall_ms, seen.counter) > (self.wall_ms, self.counter) {
            self.wall_ms = seen.wall_ms;
            self.counter = seen.counter;
        }
    }

    /// Parses the text form written by `Display`.
    pub fn parse(text: &str) -> Option<Hlc> {
        let mut parts = text.splitn(3, '-');
        let wall_ms = parts.next()?.parse().ok()?;
        let counter = parts.next()?.parse().ok()?;
        let client_id = Uuid::parse_str(parts.next()?).ok()?;
        Some(Hlc {
            wall_ms,
            counter,
            client_id,
        })
    }
}

/// Fixed-width, so that the text form sorts like the clock.
impl std::fmt::Display for Hlc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:013}-{:06}-{}",
            self.wall_ms, self.counter, self.client_id
        )
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_never_runs_backwards_even_when_the_wall_clock_does() {
        let mut clock = Hlc {
            wall_ms: 0,
            counter: 0,
            client_id: Uuid::nil(),
        };
        let first = clock.tick_at(1_000);
        let same_ms = clock.tick_at(1_000);
        let wall_went_back = clock.tick_at(900);
        let later = clock.tick_at(1_001);
        assert!(first < same_ms && same_ms < wall_went_back && wall_went_back < later);
        assert_eq!((wall_went_back.wall_ms, wall_went_back.counter), (1_000, 2));
        assert_eq!((later.wall_ms, later.counter), (1_001, 0));
        let texts: Vec<String> = [first, same_ms, wall_went_back, later]
            .iter()
            .map(Hlc::to_string)
            .collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(texts, sorted, "the text form must sort like the clock");
        assert_eq!(Hlc::parse(&later.to_string()), Some(later));
    }
}
