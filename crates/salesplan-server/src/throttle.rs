//! Guessing passwords is slow: failed sign-ins are counted per account and per
//! address. After a few free failures each further one doubles the wait
//! before the next try (up to 15 minutes), answered 429 with `Retry-After`;
//! a successful sign-in clears its account's count. Counts live in memory:
//! a restart forgets them, which costs a guesser nothing it had not spent.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Failures an account may have before it waits.
pub const FREE_PER_ACCOUNT: u32 = 5;
/// Failures an address may have before it waits (an office shares one).
pub const FREE_PER_ADDRESS: u32 = 20;
/// The longest wait.
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// Entries kept before the ones whose wait is over are forgotten.
const KEPT: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Strikes {
    failures: u32,
    until: Instant,
}

impl Strikes {
    fn wait(failures: u32, free: u32) -> Duration {
        let over = failures.saturating_sub(free);
        if over == 0 {
            return Duration::ZERO;
        }
        Duration::from_secs(1u64 << (over - 1).min(10)).min(MAX_WAIT)
    }
}

#[derive(Debug, Default)]
pub struct Throttle {
    accounts: HashMap<String, Strikes>,
    addresses: HashMap<IpAddr, Strikes>,
}

fn remaining(strikes: Option<&Strikes>, now: Instant) -> Option<Duration> {
    strikes
        .map(|strikes| strikes.until.saturating_duration_since(now))
        .filter(|left| !left.is_zero())
}

fn strike<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Strikes>, key: K, free: u32, now: Instant) {
    if map.len() >= KEPT {
        map.retain(|_, strikes| strikes.until > now);
    }
    let strikes = map.entry(key).or_insert(Strikes {
        failures: 0,
        until: now,
    });
    strikes.failures = strikes.failures.saturating_add(1);
    strikes.until = now + Strikes::wait(strikes.failures, free);
}

impl Throttle {
    /// How long the account or the address must still wait, if at all.
    pub fn wait(&self, account: &str, address: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let account = remaining(self.accounts.get(&account.to_lowercase()), now);
        let address = address.and_then(|address| remaining(self.addresses.get(&address), now));
        account.max(address)
    }

    pub fn failed(&mut self, account: &str, address: Option<IpAddr>, now: Instant) {
        strike(
            &mut self.accounts,
            account.to_lowercase(),
            FREE_PER_ACCOUNT,
            now,
        );
        if let Some(address) = address {
            strike(&mut self.addresses, address, FREE_PER_ADDRESS, now);
        }
    }

    pub fn succeeded(&mut self, account: &str) {
        self.accounts.remove(&account.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_waits_after_its_free_failures_twice_as_long_each_time() {
        let mut throttle = Throttle::default();
        let start = Instant::now();
        let address = Some(IpAddr::from([10, 0, 0, 1]));
        for _ in 0..FREE_PER_ACCOUNT {
            assert_eq!(throttle.wait("Sam", address, start), None);
            throttle.failed("sam", address, start);
        }
        assert_eq!(throttle.wait("SAM", address, start), None, "five are free");
        throttle.failed("sam", address, start);
        assert_eq!(
            throttle.wait("sam", address, start),
            Some(Duration::from_secs(1))
        );
        throttle.failed("sam", address, start);
        assert_eq!(
            throttle.wait("sam", address, start),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            throttle.wait("sam", address, start + Duration::from_secs(2)),
            None
        );
        assert_eq!(
            throttle.wait("nina", None, start),
            None,
            "another account is free"
        );
        throttle.succeeded("Sam");
        assert_eq!(throttle.wait("sam", None, start), None);
        for _ in 0..100 {
            throttle.failed("sam", None, start);
        }
        assert_eq!(throttle.wait("sam", None, start), Some(MAX_WAIT));
    }

    #[test]
    fn an_address_that_tries_many_accounts_waits_too() {
        let mut throttle = Throttle::default();
        let start = Instant::now();
        let address = Some(IpAddr::from([10, 0, 0, 2]));
        for n in 0..=FREE_PER_ADDRESS {
            throttle.failed(&format!("user{n}"), address, start);
        }
        assert_eq!(
            throttle.wait("someone", address, start),
            Some(Duration::from_secs(1))
        );
        assert_eq!(throttle.wait("someone", None, start), None);
    }
}
