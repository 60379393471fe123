//! The fleet-wide rate limits (RATE_LIMIT_REDIS_URL): the same GCRA as the per-instance limiter
//! in `rate_limits.rs`, its state in Redis, so every instance shares one budget per customer and
//! per address. The check is one Lua script (EVALSHA, EVAL when Redis does not have it yet), so
//! it is atomic however many instances ask at once, and it reads Redis' clock, so instances'
//! clocks do not matter.
//!
//! Redis never holds a customer id or an address: a key is an HMAC of it under a key derived
//! from TOKEN_SECRET, and it expires once its budget is full again. When Redis does not answer
//! within RATE_LIMIT_REDIS_TIMEOUT, the caller falls back to the per-instance limiter (fail
//! open): a limiter outage must not become a lookup outage.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::Script;
use sha2::{Digest, Sha256};

use crate::rate_limits::Limit;

/// Once Redis has failed, requests go straight to the per-instance limiter for this long before
/// one tries Redis again: a Redis that is down costs each lookup nothing, not a timeout.
const RETRY_REDIS_AFTER: Duration = Duration::from_secs(1);

/// Keys are `merchant-backend:rl:{limit}:{hex HMAC}`, so the backend's keys are easy to find
/// (and to leave alone) in a Redis shared with other uses.
const KEY_PREFIX: &str = "merchant-backend:rl";

/// GCRA, the algorithm `governor` runs: the theoretical arrival time (TAT) of the next request
/// is stored per key; a request is let through when, after it, the TAT is at most `burst`
/// intervals ahead of now. ARGV[1] is the interval between requests, ARGV[2] the burst times the
/// interval, both in microseconds. Answers 0 (let through, TAT advanced) or the wait in
/// microseconds (refused, nothing written). The key expires when the TAT is reached: by then
/// its budget is full, which is what a missing key means.
const GCRA: &str = r"
local interval = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local next_tat = tat + interval
local wait = next_tat - capacity - now
if wait > 0 then return wait end
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', string.format('%.0f', math.ceil((next_tat - now) / 1000)))
return 0
";

/// What RATE_LIMIT_REDIS_URL and RATE_LIMIT_REDIS_TIMEOUT configure. `Debug` hides the URL,
/// which may hold Redis' password.
#[derive(Clone)]
pub struct RedisSettings {
    pub url: String,
    pub timeout: Duration,
    /// Derived from TOKEN_SECRET, so every instance computes the same keys.
    pub key_secret: [u8; 32],
}

impl std::fmt::Debug for RedisSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisSettings")
            .field("url", &"[redacted]")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisSettings {
    /// Checks the URL (scheme, host) without connecting; the key secret comes from TOKEN_SECRET.
    pub fn new(url: String, timeout: Duration, token_secret: &[u8]) -> Result<Self, String> {
        // redis' own parser, whose message never echoes the URL (it may hold a password).
        redis::Client::open(url.as_str())
            .map_err(|e| format!("RATE_LIMIT_REDIS_URL is not a Redis URL: {:?}", e.kind()))?;
        let key_secret = Sha256::new()
            .chain_update(b"merchant-backend rate-limit keys\0")
            .chain_update(token_secret)
            .finalize()
            .into();
        Ok(Self {
            url,
            timeout,
            key_secret,
        })
    }
}

/// The shared limiter: one multiplexed connection, reconnected by the `redis` crate.
pub struct RedisLimits {
    connection: ConnectionManager,
    script: Script,
    key_secret: [u8; 32],
    timeout: Duration,
    started: Instant,
    /// Milliseconds since `started` before which Redis is not asked (after a failure).
    skip_until_ms: AtomicU64,
    /// Whether the last answer came from Redis: the warning is logged once per outage.
    healthy: AtomicBool,
}

impl RedisLimits {
    /// Connects lazily: a backend whose Redis is down at start still starts (and falls back).
    pub fn new(settings: &RedisSettings) -> Result<Self, String> {
        let client = redis::Client::open(settings.url.as_str())
            .map_err(|e| format!("RATE_LIMIT_REDIS_URL is not a Redis URL: {:?}", e.kind()))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(settings.timeout))
            .set_response_timeout(Some(settings.timeout))
            // The next request after RETRY_REDIS_AFTER triggers the next attempt.
            .set_number_of_retries(1)
            .set_max_delay(settings.timeout);
        let connection = client
            .get_connection_manager_lazy(config)
            .map_err(|e| format!("RATE_LIMIT_REDIS_URL: {:?}", e.kind()))?;
        Ok(Self {
            connection,
            script: Script::new(GCRA),
            key_secret: settings.key_secret,
            timeout: settings.timeout,
            started: Instant::now(),
            skip_until_ms: AtomicU64::new(0),
            healthy: AtomicBool::new(true),
        })
    }

    /// The shared decision for `key` under `limit` (`Err(wait)` when over it), or `None` when
    /// Redis did not answer in time: the caller then decides with the per-instance limiter.
    pub async fn check(
        &self,
        name: &'static str,
        limit: &Limit,
        key: &[u8],
    ) -> Option<Result<(), Duration>> {
        let now_ms = self.started.elapsed().as_millis() as u64;
        if now_ms < self.skip_until_ms.load(Ordering::Relaxed) {
            crate::metrics::rate_limit_fallback(name);
            return None;
        }
        let interval = (limit.per / limit.rate.get()).as_micros().max(1) as u64;
        let capacity = interval * u64::from(limit.burst.get());
        let answer = tokio::time::timeout(
            self.timeout,
            self.run(self.key(name, key), interval, capacity),
        )
        .await;
        let failure = match answer {
            Ok(Ok(wait_us)) => {
                if !self.healthy.swap(true, Ordering::Relaxed) {
                    tracing::info!("Redis answers again: the rate limits are fleet-wide again");
                }
                return Some(match wait_us {
                    0 => Ok(()),
                    wait => Err(Duration::from_micros(wait)),
                });
            }
            Ok(Err(e)) => e.to_string(),
            Err(_) => format!("no answer within {:?}", self.timeout),
        };
        self.skip_until_ms.store(
            now_ms + RETRY_REDIS_AFTER.as_millis() as u64,
            Ordering::Relaxed,
        );
        if self.healthy.swap(false, Ordering::Relaxed) {
            tracing::warn!(
                error = %failure,
                "Redis for the fleet-wide rate limits failed: each instance limits on its own \
                 until Redis answers again"
            );
        }
        crate::metrics::rate_limit_fallback(name);
        None
    }

    /// The script, once more on a fresh connection when the connection was lost: the `redis`
    /// crate reconnects after the command that found it broken, so without the second try the
    /// first lookup after a Redis restart would be decided per instance.
    async fn run(&self, key: String, interval: u64, capacity: u64) -> redis::RedisResult<u64> {
        let mut connection = self.connection.clone();
        let mut invocation = self.script.key(key);
        invocation.arg(interval).arg(capacity);
        match invocation.invoke_async(&mut connection).await {
            Err(e) if e.is_io_error() || e.is_connection_dropped() => {
                invocation.invoke_async(&mut connection).await
            }
            answer => answer,
        }
    }

    /// The Redis key of `key` under limit `name`: an HMAC, so Redis holds no customer id or
    /// address, and nobody who reads Redis can test guesses without TOKEN_SECRET.
    fn key(&self, name: &str, key: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key_secret)
            .expect("HMAC takes a key of any length");
        mac.update(name.as_bytes());
        mac.update(b"\0");
        mac.update(key);
        let digest = mac.finalize().into_bytes();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("{KEY_PREFIX}:{name}:{hex}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keys_are_hmacs_per_limit_and_secret_and_debug_hides_the_url() {
        let settings = RedisSettings::new(
            "redis://:hunter2@127.0.0.1:1/".into(),
            Duration::from_millis(50),
            b"s".repeat(32).as_slice(),
        )
        .unwrap();
        assert!(!format!("{settings:?}").contains("hunter2"));
        let limits = RedisLimits::new(&settings).unwrap();
        let key = limits.key("lookups", b"cst_7hq2m9xk4v1p8zta");
        assert!(key.starts_with("merchant-backend:rl:lookups:"), "{key}");
        assert_eq!(key.len(), "merchant-backend:rl:lookups:".len() + 64);
        assert!(!key.contains("cst_"));
        assert_ne!(key, limits.key("lookups", b"cst_other"));
        assert_ne!(
            key.rsplit(':').next(),
            limits
                .key("sign_ins", b"cst_7hq2m9xk4v1p8zta")
                .rsplit(':')
                .next()
        );
        let other = RedisSettings::new(
            "redis://127.0.0.1:1/".into(),
            Duration::from_millis(50),
            b"t".repeat(32).as_slice(),
        )
        .unwrap();
        assert_ne!(
            key,
            RedisLimits::new(&other)
                .unwrap()
                .key("lookups", b"cst_7hq2m9xk4v1p8zta")
        );
        let refused = RedisSettings::new(
            "http://:hunter2@127.0.0.1/".into(),
            Duration::from_millis(50),
            b"s".repeat(32).as_slice(),
        )
        .unwrap_err();
        assert!(
            refused.starts_with("RATE_LIMIT_REDIS_URL is not a Redis URL")
                && !refused.contains("hunter2"),
            "{refused}"
        );
    }
}
