//! Rate limits in front of Juspay, per instance: lookups per device token's customer, sign-ins
//! per client address. One token holder must not spend the merchant's whole Juspay quota, and a
//! device needs a few lookups a second, not hundreds. The limiter is `governor`'s GCRA: a steady
//! rate with a burst on top, keyed, its state a few bytes per key. With RATE_LIMIT_REDIS_URL
//! the same limits are fleet-wide (`redis_limits.rs`), and this limiter decides only while Redis
//! does not answer.

use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

use axum::http::HeaderMap;
use governor::clock::Clock as _;
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::redis_limits::{RedisLimits, RedisSettings};

/// A configured limit: `rate` requests per `per`, with `burst` at once. `None` in the
/// configuration is `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub rate: NonZeroU32,
    pub per: Duration,
    pub burst: NonZeroU32,
}

impl Limit {
    fn quota(&self) -> Quota {
        Quota::with_period(self.per / self.rate.get())
            .expect("a rate of at most 1,000,000 per second has a non-zero period")
            .allow_burst(self.burst)
    }
}

/// A rate as configured: `off`, or `N/s`, `N/m`, `N/h` (N from 1 to 1,000,000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate(pub Option<(NonZeroU32, Duration)>);

impl FromStr for Rate {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(Self(None));
        }
        let (count, unit) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?}: expected off, or N/s, N/m or N/h"))?;
        let per = match unit.trim() {
            "s" => Duration::from_secs(1),
            "m" => Duration::from_secs(60),
            "h" => Duration::from_secs(3600),
            other => return Err(format!("{other:?}: the unit is s, m or h")),
        };
        let count = count
            .trim()
            .parse::<NonZeroU32>()
            .ok()
            .filter(|n| n.get() <= 1_000_000)
            .ok_or_else(|| format!("{text:?}: N must be from 1 to 1000000"))?;
        Ok(Self(Some((count, per))))
    }
}

/// One keyed limiter, or none when its limit is off.
struct Keyed<K: Hash + Eq + Clone>(Option<DefaultKeyedRateLimiter<K>>);

impl<K: Hash + Eq + Clone> Keyed<K> {
    fn new(limit: Option<Limit>) -> Self {
        Self(limit.map(|limit| DefaultKeyedRateLimiter::dashmap(limit.quota())))
    }

    /// `Err(wait)` when `key` is over its limit: how long until a request would be let through.
    fn check(&self, key: &K) -> Result<(), Duration> {
        let Some(limiter) = &self.0 else {
            return Ok(());
        };
        limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(limiter.clock().now()))
    }

    /// Forgets keys whose state is back to full, so the maps stay as small as the set of
    /// recently active customers and addresses.
    fn forget_idle(&self) {
        if let Some(limiter) = &self.0 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// The instance's limits, and the fleet's when Redis is configured.
pub struct RateLimits {
    lookups: Keyed<String>,
    sign_ins: Keyed<IpAddr>,
    settings: RateLimitSettings,
    redis: Option<RedisLimits>,
}

/// What the limits are configured as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitSettings {
    pub lookups: Option<Limit>,
    pub sign_ins: Option<Limit>,
    /// How many proxies in front of the backend append to `X-Forwarded-For`; 0 means the TCP
    /// peer is the client.
    pub forwarded_hops: usize,
}

impl RateLimits {
    /// With `redis`, the limits are shared through it (connected lazily, on first use).
    pub fn new(settings: RateLimitSettings, redis: Option<&RedisSettings>) -> Result<Self, String> {
        Ok(Self {
            lookups: Keyed::new(settings.lookups),
            sign_ins: Keyed::new(settings.sign_ins),
            settings,
            redis: redis.map(RedisLimits::new).transpose()?,
        })
    }

    /// A lookup for the token's customer (Juspay's id, `sub`).
    pub async fn lookup(&self, customer: &str) -> Result<(), Duration> {
        if let Some(decision) = self
            .shared("lookups", self.settings.lookups, customer.as_bytes())
            .await
        {
            return decision;
        }
        self.lookups.check(&customer.to_owned())
    }

    /// A sign-in from the client at `peer` (with `headers`, for `X-Forwarded-For`).
    pub async fn sign_in(
        &self,
        peer: Option<SocketAddr>,
        headers: &HeaderMap,
    ) -> Result<(), Duration> {
        let client = client_key(peer, headers, self.settings.forwarded_hops);
        if let Some(decision) = self
            .shared(
                "sign_ins",
                self.settings.sign_ins,
                client.to_string().as_bytes(),
            )
            .await
        {
            return decision;
        }
        self.sign_ins.check(&client)
    }

    /// Redis' decision, when Redis is configured, the limit is on, and Redis answered in time.
    async fn shared(
        &self,
        name: &'static str,
        limit: Option<Limit>,
        key: &[u8],
    ) -> Option<Result<(), Duration>> {
        let (Some(redis), Some(limit)) = (&self.redis, limit) else {
            return None;
        };
        redis.check(name, &limit, key).await
    }

    pub fn forget_idle(&self) {
        self.lookups.forget_idle();
        self.sign_ins.forget_idle();
    }
}

/// The address a sign-in is counted under. With `hops` proxies in front, the client is the
/// `hops`-th address from the right of `X-Forwarded-For` (the one the outermost trusted proxy
/// saw; anything left of it the client may have written itself). IPv6 addresses count by their
/// /64, which is what one subscriber gets: otherwise one host could take fresh addresses for
/// every request.
fn client_key(peer: Option<SocketAddr>, headers: &HeaderMap, hops: usize) -> IpAddr {
    let forwarded = (hops > 0)
        .then(|| {
            let mut addresses: Vec<&str> = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .collect();
            addresses.reverse();
            addresses
                .get(hops - 1)
                .and_then(|a| a.parse::<IpAddr>().ok())
        })
        .flatten();
    let ip = forwarded
        .or(peer.map(|p| p.ip()))
        .unwrap_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED))
        .to_canonical();
    match ip {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(prefix))
        }
        v4 => v4,
    }
}

/// `Retry-After` for a wait: whole seconds, rounded up, at least 1.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(rate: u32, per: u64, burst: u32) -> Option<Limit> {
        Some(Limit {
            rate: NonZeroU32::new(rate).unwrap(),
            per: Duration::from_secs(per),
            burst: NonZeroU32::new(burst).unwrap(),
        })
    }

    #[test]
    fn rates_parse_and_bad_ones_are_refused() {
        let parsed = |t: &str| t.parse::<Rate>().map(|r| r.0);
        assert_eq!(parsed("off"), Ok(None));
        assert_eq!(
            parsed("5/s"),
            Ok(Some((NonZeroU32::new(5).unwrap(), Duration::from_secs(1))))
        );
        assert_eq!(
            parsed(" 120 / m "),
            Ok(Some((
                NonZeroU32::new(120).unwrap(),
                Duration::from_secs(60)
            )))
        );
        for bad in ["", "5", "0/s", "-1/s", "5/d", "1000001/s", "x/s"] {
            assert!(parsed(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn a_burst_passes_then_the_rate_holds_per_key() {
        let limits = RateLimits::new(
            RateLimitSettings {
                lookups: limit(1, 60, 3),
                sign_ins: None,
                forwarded_hops: 0,
            },
            None,
        )
        .unwrap();
        for _ in 0..3 {
            assert_eq!(limits.lookup("cst_a").await, Ok(()));
        }
        let wait = limits.lookup("cst_a").await.unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60));
        assert_eq!(retry_after_seconds(wait), wait.as_secs() + 1);
        // Another customer has its own budget; sign-ins are off.
        assert_eq!(limits.lookup("cst_b").await, Ok(()));
        for _ in 0..100 {
            assert_eq!(limits.sign_in(None, &HeaderMap::new()).await, Ok(()));
        }
    }

    #[test]
    fn the_client_is_the_peer_or_the_trusted_forwarded_address_and_v6_counts_by_64() {
        let peer: SocketAddr = "10.0.0.9:5000".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 203.0.113.7, 10.0.0.2".parse().unwrap(),
        );
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(client_key(Some(peer), &headers, 0), ip("10.0.0.9"));
        assert_eq!(client_key(Some(peer), &headers, 1), ip("10.0.0.2"));
        assert_eq!(client_key(Some(peer), &headers, 2), ip("203.0.113.7"));
        // More hops than addresses: the header was not written by the proxies; the peer counts.
        assert_eq!(client_key(Some(peer), &headers, 5), ip("10.0.0.9"));
        let v6: SocketAddr = "[2001:db8:1:2:aaaa:bbbb:cccc:dddd]:1".parse().unwrap();
        assert_eq!(
            client_key(Some(v6), &HeaderMap::new(), 0),
            ip("2001:db8:1:2::")
        );
        let mapped: SocketAddr = "[::ffff:192.0.2.1]:1".parse().unwrap();
        assert_eq!(
            client_key(Some(mapped), &HeaderMap::new(), 0),
            ip("192.0.2.1")
        );
    }
}
