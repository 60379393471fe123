//! The fleet-wide rate limits (RATE_LIMIT_REDIS_URL) through real processes: Debian's
//! `redis-server`, started and killed here on a free loopback port, and two backends sharing
//! it. The budget of a customer (lookups) and of an address (sign-ins) is one for both
//! instances; Redis holds neither the customer nor the address, and its keys expire; when Redis
//! goes away or hangs, each instance limits on its own (and says so), and when it is back the
//! limits are shared again.
//!
//! Needs `redis-server` on PATH: `apt-get install -y --no-install-recommends redis-server`
//! (scripts/test.d/10-rust.sh installs it before `cargo test`).

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use juspay_sandbox::harness::ServerProcess;

/// A `redis-server` of this test's own: no persistence, loopback only, killed when dropped.
struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Self::start_on(port)
    }

    fn start_on(port: u16) -> Self {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start redis-server ({e}): install it with `apt-get install -y \
                     --no-install-recommends redis-server` (scripts/test.d/10-rust.sh does)"
                )
            });
        let server = Self { child, port };
        for _ in 0..200 {
            if server.answers_ping() {
                return server;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("redis-server on port {port} did not answer PING");
    }

    fn answers_ping(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        let mut answer = [0u8; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut answer).is_ok()
            && &answer == b"+PONG\r\n"
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .unwrap()
            .get_connection()
            .unwrap()
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn retry_after(answer: &Answer) -> u64 {
    answer.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// A lookup that must be answered within a few seconds: a limiter that waited on a dead or
/// hung Redis would hang it.
async fn answered_lookup(base: &str, token: &str) -> u16 {
    let response = tokio::time::timeout(
        Duration::from_secs(5),
        lookup(base, "user-10042", Some(token), &[]),
    )
    .await
    .expect("the lookup was answered");
    response.status
}

fn two_backends(juspay: &str, env: &[(&str, &str)]) -> (ServerProcess, ServerProcess) {
    (backend_for(juspay, KEY, env), backend_for(juspay, KEY, env))
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_share_one_budget_per_customer_and_per_address_through_redis() {
    let redis = RedisServer::start();
    let juspay = juspay(&[]).await;
    let url = redis.url();
    let (a, b) = two_backends(
        &juspay.base_url(),
        &[
            ("RATE_LIMIT_REDIS_URL", &url),
            // Generous: on a busy test machine 100 ms could pass, and this is not about timeouts.
            ("RATE_LIMIT_REDIS_TIMEOUT", "2s"),
            ("LOOKUP_RATE_LIMIT", "1/h"),
            ("LOOKUP_BURST", "4"),
            ("SIGN_IN_RATE_LIMIT", "1/h"),
            ("SIGN_IN_BURST", "4"),
        ],
    );
    let (a, b) = (a.base_url(), b.base_url());

    // Sign-ins from this address: the burst of 4 across both instances, then 429 on either.
    let mut tokens = Vec::new();
    for base in [a, b, a, b] {
        tokens.push(token_for(base, "user-10042").await);
    }
    for base in [a, b] {
        let refused = sign_in(base, "user-10042").await;
        let info = backend_error(&refused, 429, "too_many_requests", "RATE_LIMITED");
        assert!(info["developer_message"]
            .as_str()
            .unwrap()
            .starts_with("Too many sign-ins from this address"));
        assert!((3500..=3600).contains(&retry_after(&refused)));
    }

    // Lookups of the customer: 4 across both instances (tokens minted by either), then 429
    // with Retry-After from Redis' answer, on either.
    for (token, base) in tokens.iter().zip([a, b, b, a]) {
        assert_eq!(answered_lookup(base, token).await, 200);
    }
    for base in [a, b] {
        let refused = lookup(base, "user-10042", Some(&tokens[0]), &[]).await;
        backend_error(&refused, 429, "too_many_requests", "RATE_LIMITED");
        let wait = retry_after(&refused);
        assert!((3500..=3600).contains(&wait), "{wait}");
    }

    // Redis holds one key per limit and key, named by an HMAC: no customer id, no address;
    // each expires once its budget would be full again (4 hours at 1/h).
    let mut redis = redis.connection();
    let mut keys: Vec<String> = redis::cmd("KEYS").arg("*").query(&mut redis).unwrap();
    keys.sort();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(
        keys[0].starts_with("merchant-backend:rl:lookups:"),
        "{keys:?}"
    );
    assert!(
        keys[1].starts_with("merchant-backend:rl:sign_ins:"),
        "{keys:?}"
    );
    for key in &keys {
        for personal in ["user-10042", "cst_", "127.0.0.1"] {
            assert!(!key.contains(personal), "{key}");
        }
        let ttl: i64 = redis::cmd("PTTL").arg(key).query(&mut redis).unwrap();
        assert!(
            (3 * 3_600_000..=4 * 3_600_000).contains(&ttl),
            "{key}: {ttl} ms"
        );
        let value: String = redis::cmd("GET").arg(key).query(&mut redis).unwrap();
        assert!(value.parse::<u64>().is_ok(), "{key}: {value}");
    }
    let text = scrape(&format!("{a}/metrics")).await;
    assert_eq!(
        metric_value(&text, "backend_rate_limited_total", &[("limit", "lookups")]),
        Some(1.0)
    );
    assert!(
        !text.contains("backend_rate_limit_fallbacks_total{"),
        "no fallback while Redis answers"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_redis_each_instance_limits_on_its_own_until_redis_is_back() {
    let mut redis = RedisServer::start();
    let port = redis.port;
    let juspay = juspay(&[]).await;
    let url = redis.url();
    let (a, b) = two_backends(
        &juspay.base_url(),
        &[
            ("RATE_LIMIT_REDIS_URL", &url),
            // Generous: on a busy test machine 100 ms could pass, and this is not about timeouts.
            ("RATE_LIMIT_REDIS_TIMEOUT", "2s"),
            ("LOOKUP_RATE_LIMIT", "1/h"),
            ("LOOKUP_BURST", "2"),
        ],
    );
    let (a_base, b_base) = (a.base_url(), b.base_url());
    let token = token_for(a_base, "user-10042").await;
    assert_eq!(answered_lookup(a_base, &token).await, 200);
    assert_eq!(answered_lookup(b_base, &token).await, 200);
    assert_eq!(answered_lookup(a_base, &token).await, 429);

    // Redis goes away: lookups are still answered, each instance with its own budget (full:
    // it was not used while Redis answered), counted and logged once.
    redis.stop();
    for base in [a_base, b_base] {
        assert_eq!(answered_lookup(base, &token).await, 200, "{base}");
        assert_eq!(answered_lookup(base, &token).await, 200, "{base}");
        assert_eq!(answered_lookup(base, &token).await, 429, "{base}");
    }
    let text = scrape(&format!("{a_base}/metrics")).await;
    assert_eq!(
        metric_value(
            &text,
            "backend_rate_limit_fallbacks_total",
            &[("limit", "lookups")]
        ),
        Some(3.0)
    );
    let warning = "Redis for the fleet-wide rate limits failed: each instance limits on its own";
    let output = a.output_once_it_has(warning).unwrap();
    assert_eq!(output.matches(warning).count(), 1, "{output}");

    // Redis is back (empty, as after a failover without persistence): once the instances try
    // it again (at most a second after their last failure), the budget is shared again.
    let _redis = RedisServer::start_on(port);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(answered_lookup(a_base, &token).await, 200);
    assert_eq!(answered_lookup(b_base, &token).await, 200);
    assert_eq!(answered_lookup(a_base, &token).await, 429);
    assert_eq!(answered_lookup(b_base, &token).await, 429);
    a.output_once_it_has("Redis answers again: the rate limits are fleet-wide again")
        .unwrap();
}

/// A Redis that accepts connections and never answers (overloaded, or a half-dead host): every
/// call gives up after RATE_LIMIT_REDIS_TIMEOUT and the instance decides alone.
#[tokio::test(flavor = "multi_thread")]
async fn a_redis_that_never_answers_does_not_hang_lookups() {
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("redis://{}/", silent.local_addr().unwrap());
    let juspay = juspay(&[]).await;
    let backend = backend_for(
        &juspay.base_url(),
        KEY,
        &[
            ("RATE_LIMIT_REDIS_URL", &url),
            ("RATE_LIMIT_REDIS_TIMEOUT", "200ms"),
            ("LOOKUP_RATE_LIMIT", "1/h"),
            ("LOOKUP_BURST", "2"),
        ],
    );
    let base = backend.base_url();
    let token = token_for(base, "user-10042").await;
    assert_eq!(answered_lookup(base, &token).await, 200);
    assert_eq!(answered_lookup(base, &token).await, 200);
    assert_eq!(answered_lookup(base, &token).await, 429);
    let text = scrape(&format!("{base}/metrics")).await;
    assert_eq!(
        metric_value(
            &text,
            "backend_rate_limit_fallbacks_total",
            &[("limit", "lookups")]
        ),
        Some(3.0)
    );
    drop(silent);
}

#[test]
fn a_redis_url_without_token_secret_or_that_is_not_one_stops_the_start() {
    let refused = try_backend(&[("RATE_LIMIT_REDIS_URL", "redis://127.0.0.1:1/")], &[])
        .err()
        .unwrap();
    assert!(
        refused.contains("RATE_LIMIT_REDIS_URL needs TOKEN_SECRET"),
        "{refused}"
    );
    let refused = try_backend(
        &[
            ("RATE_LIMIT_REDIS_URL", "https://:hunter2@127.0.0.1/"),
            ("TOKEN_SECRET", SECRET),
        ],
        &[],
    )
    .err()
    .unwrap();
    assert!(
        refused.contains("RATE_LIMIT_REDIS_URL is not a Redis URL") && !refused.contains("hunter2"),
        "{refused}"
    );
}
