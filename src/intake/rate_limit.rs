//! Rate limits on what sites relay: submissions per site and per
//! commenter IP address, reports per reader and per reader's IP address.
//! Token buckets in this process's memory, refilled continuously, so a burst up
//! to the per-minute limit passes and a steady flood is held to it. With
//! several instances each keeps its own buckets: the limits are per
//! instance.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use crate::domain::SiteId;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Site(i64),
    Ip(IpAddr),
    /// A reader, by site and the site's user id.
    Reporter(i64, String),
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The limiter; a limit of 0 is off.
pub struct RateLimiter {
    per_site_per_minute: u32,
    per_ip_per_minute: u32,
    per_reporter_per_minute: u32,
    buckets: Mutex<HashMap<Key, Bucket>>,
}

/// Buckets kept before idle ones are dropped.
const PRUNE_ABOVE: usize = 100_000;

impl RateLimiter {
    /// Submissions per site and per commenter IP.
    pub fn new(per_site_per_minute: u32, per_ip_per_minute: u32) -> Self {
        Self {
            per_site_per_minute,
            per_ip_per_minute,
            per_reporter_per_minute: 0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Reports per reader and per reader's IP.
    pub fn for_reports(per_reporter_per_minute: u32, per_ip_per_minute: u32) -> Self {
        Self {
            per_site_per_minute: 0,
            per_ip_per_minute,
            per_reporter_per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn limit_of(&self, key: &Key) -> u32 {
        match key {
            Key::Site(_) => self.per_site_per_minute,
            Key::Ip(_) => self.per_ip_per_minute,
            Key::Reporter(..) => self.per_reporter_per_minute,
        }
    }

    /// Takes one submission from the site's bucket and the commenter's
    /// IP's, or says how long to wait. Nothing is taken when either is
    /// empty.
    pub fn check(&self, site: SiteId, ip: Option<IpAddr>, now: Instant) -> Result<(), AppError> {
        let mut keys = vec![(Key::Site(site.0), "site")];
        keys.extend(ip.map(|ip| (Key::Ip(ip), "IP address")));
        self.take(keys, now)
    }

    /// Takes one report from the reader's bucket and their IP's.
    pub fn check_reporter(
        &self,
        site: SiteId,
        reporter: &str,
        ip: Option<IpAddr>,
        now: Instant,
    ) -> Result<(), AppError> {
        let mut keys = vec![(Key::Reporter(site.0, reporter.to_owned()), "reporter")];
        keys.extend(ip.map(|ip| (Key::Ip(ip), "IP address")));
        self.take(keys, now)
    }

    fn take(&self, keys: Vec<(Key, &'static str)>, now: Instant) -> Result<(), AppError> {
        let wanted: Vec<(Key, u32, &'static str)> = keys
            .into_iter()
            .map(|(key, scope)| {
                let limit = self.limit_of(&key);
                (key, limit, scope)
            })
            .filter(|(_, limit, _)| *limit > 0)
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        let mut buckets = match self.buckets.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        };
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|key, bucket| {
                let limit = self.limit_of(key);
                refilled(*bucket, limit, now) < f64::from(limit)
            });
        }
        let mut levels = Vec::with_capacity(wanted.len());
        for (key, limit, scope) in &wanted {
            let level = buckets
                .get(key)
                .map_or(f64::from(*limit), |b| refilled(*b, *limit, now));
            if level < 1.0 {
                let per_sec = f64::from(*limit) / 60.0;
                return Err(AppError::RateLimited {
                    scope,
                    retry_after_secs: ((1.0 - level) / per_sec).ceil().max(1.0) as u64,
                });
            }
            levels.push(level);
        }
        for ((key, _, _), level) in wanted.into_iter().zip(levels) {
            buckets.insert(
                key,
                Bucket {
                    tokens: level - 1.0,
                    at: now,
                },
            );
        }
        Ok(())
    }
}

/// The bucket's level at `now`, refilled at `limit` per minute up to `limit`.
fn refilled(bucket: Bucket, limit: u32, now: Instant) -> f64 {
    let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
    (bucket.tokens + elapsed * f64::from(limit) / 60.0).min(f64::from(limit))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn limited(result: Result<(), AppError>) -> Option<(&'static str, u64)> {
        match result {
            Err(AppError::RateLimited {
                scope,
                retry_after_secs,
            }) => Some((scope, retry_after_secs)),
            _ => None,
        }
    }

    #[test]
    fn a_burst_passes_then_the_rate_holds() {
        let limiter = RateLimiter::new(0, 6);
        let start = Instant::now();
        let ip: IpAddr = "203.0.113.9".parse().expect("ip");
        for _ in 0..6 {
            assert!(limiter.check(SiteId(1), Some(ip), start).is_ok());
        }
        // Six a minute: one token every 10 s.
        assert_eq!(
            limited(limiter.check(SiteId(1), Some(ip), start)),
            Some(("IP address", 10))
        );
        let later = start + Duration::from_secs(4);
        assert_eq!(
            limited(limiter.check(SiteId(1), Some(ip), later)),
            Some(("IP address", 6))
        );
        assert!(
            limiter
                .check(SiteId(1), Some(ip), start + Duration::from_secs(10))
                .is_ok()
        );
        // Other addresses, and comments without one, are not held back.
        assert!(
            limiter
                .check(SiteId(1), Some("198.51.100.1".parse().expect("ip")), start)
                .is_ok()
        );
        assert!(limiter.check(SiteId(1), None, start).is_ok());
    }

    #[test]
    fn site_limits_are_per_site_and_a_refusal_takes_nothing() {
        let limiter = RateLimiter::new(2, 60);
        let now = Instant::now();
        let ip: IpAddr = "203.0.113.9".parse().expect("ip");
        assert!(limiter.check(SiteId(1), Some(ip), now).is_ok());
        assert!(limiter.check(SiteId(1), Some(ip), now).is_ok());
        assert_eq!(
            limited(limiter.check(SiteId(1), Some(ip), now)),
            Some(("site", 30))
        );
        assert!(limiter.check(SiteId(2), None, now).is_ok());
        // The refused comment did not use the IP's tokens: 58 are left.
        for site in 0..58 {
            assert!(limiter.check(SiteId(100 + site), Some(ip), now).is_ok());
        }
        assert_eq!(
            limited(limiter.check(SiteId(200), Some(ip), now)),
            Some(("IP address", 1))
        );
    }

    #[test]
    fn reports_are_limited_per_reader_and_per_address() {
        let limiter = RateLimiter::for_reports(2, 3);
        let now = Instant::now();
        let ip: IpAddr = "203.0.113.9".parse().expect("ip");
        assert!(
            limiter
                .check_reporter(SiteId(1), "r1", Some(ip), now)
                .is_ok()
        );
        assert!(limiter.check_reporter(SiteId(1), "r1", None, now).is_ok());
        assert_eq!(
            limited(limiter.check_reporter(SiteId(1), "r1", None, now)),
            Some(("reporter", 30))
        );
        // The same user id on another site is another reader.
        assert!(limiter.check_reporter(SiteId(2), "r1", None, now).is_ok());
        assert!(
            limiter
                .check_reporter(SiteId(1), "r2", Some(ip), now)
                .is_ok()
        );
        assert!(
            limiter
                .check_reporter(SiteId(1), "r3", Some(ip), now)
                .is_ok()
        );
        // Three a minute from one address: the fourth reader waits 20 s.
        assert_eq!(
            limited(limiter.check_reporter(SiteId(1), "r4", Some(ip), now)),
            Some(("IP address", 20))
        );
    }

    #[test]
    fn off_means_off() {
        let limiter = RateLimiter::new(0, 0);
        let now = Instant::now();
        for _ in 0..1000 {
            assert!(
                limiter
                    .check(SiteId(1), Some("203.0.113.9".parse().expect("ip")), now)
                    .is_ok()
            );
        }
    }
}
