//! The backend's configuration: flags, each with an environment variable, and the two secrets,
//! which are read from the environment only (a flag would show in `ps` and shell history).

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::http::HeaderValue;
use clap::builder::BoolishValueParser;
use clap::{CommandFactory, FromArgMatches, Parser};
use juspay_sandbox::ServerLimits;

use crate::rate_limits::{Limit, Rate, RateLimitSettings};
use crate::redis_limits::RedisSettings;
use crate::tokens::{TokenKey, TokenKeys};

/// The port the demo app expects the backend on.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";
/// Where a configured key is used when JUSPAY_BASE_URL is not set: the sandbox, never
/// production by accident.
pub const DEFAULT_JUSPAY_BASE_URL: &str = "https://sandbox.juspay.in";
/// The merchant id the embedded emulator uses unless JUSPAY_MERCHANT_ID says otherwise.
pub const EMBEDDED_MERCHANT_ID: &str = "sandbox_merchant";
/// The sign-in body is a few dozen bytes and lookups have none.
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024;
/// Well under the usual 1024 file descriptors, leaving room for connections to Juspay.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 512;

#[derive(Parser, Debug)]
#[command(
    about = "Reference merchant backend: holds the Juspay API key, gives devices tokens scoped to one customer",
    after_help = "Secrets come from the environment only: JUSPAY_API_KEY (without it, an embedded \
                  Juspay emulator is used), TOKEN_SECRET (at least 32 bytes; random per process \
                  when unset), during a rotation TOKEN_SECRET_PREVIOUS, and, for fleet-wide rate \
                  limits, RATE_LIMIT_REDIS_URL (redis://[:password@]host:port[/db])."
)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "BACKEND_LISTEN", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// Juspay's base URL (needs JUSPAY_API_KEY) [default with a key: https://sandbox.juspay.in]
    #[arg(long, env = "JUSPAY_BASE_URL")]
    pub juspay_base_url: Option<String>,
    /// The merchant id sent as `x-merchantid`.
    #[arg(long, env = "JUSPAY_MERCHANT_ID")]
    pub juspay_merchant_id: Option<String>,
    /// Device token lifetime: seconds, or a duration such as 15m or 1h (1s..=24h).
    #[arg(long, env = "TOKEN_TTL", default_value = "15m", value_parser = parse_ttl)]
    pub token_ttl: Duration,
    /// Web origins allowed by CORS (repeat the flag, or comma-separate in the variable).
    #[arg(
        long = "cors-origin",
        env = "CORS_ORIGINS",
        value_delimiter = ',',
        default_value = "http://localhost:5173,http://127.0.0.1:5173"
    )]
    pub cors_origins: Vec<String>,
    /// Serve the demo sign-in `POST /auth/device-token` [default: true with the embedded
    /// emulator, false with a JUSPAY_API_KEY]
    #[arg(long, env = "DEMO_SIGN_IN", value_parser = BoolishValueParser::new())]
    pub demo_sign_in: Option<bool>,
    /// A seed file (JSON array of customers) for the embedded emulator.
    #[arg(long, env = "SANDBOX_SEED", value_name = "FILE")]
    pub sandbox_seed: Option<PathBuf>,
    /// Time allowed for one Juspay lookup, retries included (1ms..=10m).
    #[arg(long, env = "UPSTREAM_DEADLINE", default_value = "10s", value_parser = parse_deadline)]
    pub upstream_deadline: Duration,
    /// Retries of a Juspay lookup after 429/502/503/504 or a failed connect (0..=10).
    #[arg(long, env = "UPSTREAM_RETRIES", default_value_t = 1)]
    pub upstream_retries: u32,
    /// Concurrent lookups of one customer share one Juspay call (the core's coalescing); false
    /// makes one call per lookup, e.g. to measure the backend's cost per request.
    #[arg(
        long,
        env = "UPSTREAM_COALESCE",
        action = clap::ArgAction::Set,
        value_parser = BoolishValueParser::new(),
        default_value = "true"
    )]
    pub upstream_coalesce: bool,
    /// Pass devices' `x-sandbox-fault` headers on to the embedded emulator (development and
    /// tests only; refused with a JUSPAY_API_KEY).
    #[arg(
        long,
        env = "SANDBOX_FAULTS",
        action = clap::ArgAction::Set,
        value_parser = BoolishValueParser::new(),
        default_value = "false"
    )]
    pub sandbox_faults: bool,
    /// Time for a request's headers, and for a kept-alive connection's next request (1ms..=1h).
    #[arg(long, env = "HEADER_TIMEOUT", default_value = "10s", value_parser = parse_limit_duration)]
    pub header_timeout: Duration,
    /// Time for a whole request body (1ms..=1h).
    #[arg(long, env = "BODY_TIMEOUT", default_value = "10s", value_parser = parse_limit_duration)]
    pub body_timeout: Duration,
    /// The largest request body, in bytes.
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Connections served at once; more wait until one closes (at least 1).
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = DEFAULT_MAX_CONNECTIONS, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Lookups per device token's customer on `GET /customers/{id}`: N/s, N/m, N/h, or off.
    #[arg(long, env = "LOOKUP_RATE_LIMIT", default_value = "5/s")]
    pub lookup_rate_limit: Rate,
    /// Lookups a customer may make at once on top of the rate.
    #[arg(long, env = "LOOKUP_BURST", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub lookup_burst: u32,
    /// Sign-ins per client address on `POST /auth/device-token`: N/s, N/m, N/h, or off.
    #[arg(long, env = "SIGN_IN_RATE_LIMIT", default_value = "2/s")]
    pub sign_in_rate_limit: Rate,
    /// Sign-ins an address may make at once on top of the rate.
    #[arg(long, env = "SIGN_IN_BURST", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub sign_in_burst: u32,
    /// Proxies in front of the backend that append the client's address to X-Forwarded-For
    /// (0..=10); 0: the TCP peer is the client.
    #[arg(long, env = "FORWARDED_HOPS", default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=10))]
    pub forwarded_hops: u8,
    /// Time for one Redis answer of the fleet-wide rate limits (RATE_LIMIT_REDIS_URL); without
    /// one, the instance limits on its own (1ms..=10s).
    #[arg(long, env = "RATE_LIMIT_REDIS_TIMEOUT", default_value = "100ms", value_parser = parse_redis_timeout)]
    pub rate_limit_redis_timeout: Duration,
    /// Serve `GET /metrics` on this address only, not on the API's (port 0 picks a free port).
    #[arg(long, env = "METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Print the OpenAPI document of the backend (with the demo sign-in) and exit.
    #[arg(long)]
    pub print_openapi: bool,
    /// Also stop when stdin closes, so a test harness that dies takes the backend with it.
    #[arg(long)]
    pub stop_on_stdin_eof: bool,
}

/// Which Juspay the backend talks to.
pub enum Juspay {
    /// No JUSPAY_API_KEY: an emulator started in this process, with a generated key.
    Embedded {
        merchant_id: String,
        customers: Vec<juspay_sandbox::Customer>,
    },
    Remote {
        base_url: String,
        api_key: String,
        merchant_id: Option<String>,
    },
}

impl fmt::Debug for Juspay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Embedded {
                merchant_id,
                customers,
            } => f
                .debug_struct("Embedded")
                .field("merchant_id", merchant_id)
                .field("customers", &customers.len())
                .finish(),
            Self::Remote {
                base_url,
                merchant_id,
                ..
            } => f
                .debug_struct("Remote")
                .field("base_url", base_url)
                .field("api_key", &"[redacted]")
                .field("merchant_id", merchant_id)
                .finish(),
        }
    }
}

/// A checked configuration.
#[derive(Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub juspay: Juspay,
    /// TOKEN_SECRET, and TOKEN_SECRET_PREVIOUS when set.
    pub token_keys: TokenKeys,
    /// Whether the signing key was generated (no TOKEN_SECRET): worth a warning at start.
    pub token_key_is_random: bool,
    pub token_ttl: Duration,
    pub cors_origins: Vec<HeaderValue>,
    pub demo_sign_in: bool,
    pub upstream_deadline: Duration,
    pub upstream_retries: u32,
    pub upstream_coalesce: bool,
    /// Whether `x-sandbox-fault` reaches the embedded emulator.
    pub sandbox_faults: bool,
    pub limits: ServerLimits,
    pub rate_limits: RateLimitSettings,
    /// RATE_LIMIT_REDIS_URL: the rate limits shared by the fleet through Redis.
    pub rate_limit_redis: Option<RedisSettings>,
    /// Where `GET /metrics` is served instead of the API's address.
    pub metrics_listen: Option<SocketAddr>,
}

impl Args {
    /// The command line and the environment, where an empty variable (as .env and compose files
    /// leave them) counts as unset, like the two secrets in [`Config::from_args`].
    pub fn parse_ignoring_empty_env() -> Self {
        Self::parse_from_with_env(std::env::args_os(), |name| std::env::var_os(name))
    }

    /// [`parse_ignoring_empty_env`](Self::parse_ignoring_empty_env) with the arguments and a
    /// variable lookup given; exits with clap's message on a bad value, as `parse` does.
    pub fn parse_from_with_env(
        args: impl IntoIterator<Item = std::ffi::OsString>,
        env: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> Self {
        Self::try_parse_from_with_env(args, env).unwrap_or_else(|e| e.exit())
    }

    pub fn try_parse_from_with_env(
        args: impl IntoIterator<Item = std::ffi::OsString>,
        env: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> Result<Self, clap::Error> {
        let mut command = Self::command();
        let empty: Vec<String> = command
            .get_arguments()
            .filter(|arg| {
                arg.get_env()
                    .and_then(|name| name.to_str())
                    .and_then(&env)
                    .is_some_and(|value| value.is_empty())
            })
            .map(|arg| arg.get_id().to_string())
            .collect();
        for id in empty {
            command = command.mut_arg(id, |arg| arg.env(None::<&'static str>));
        }
        Self::from_arg_matches(&command.try_get_matches_from(args)?)
    }
}

impl Config {
    /// Checks `args` and reads the secrets with `env` (`std::env::var` in production).
    pub fn from_args(args: Args, env: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        // An empty variable (as .env files and compose files leave them) counts as unset.
        let secret = |name: &str| env(name).filter(|v| !v.is_empty());
        let juspay = match secret("JUSPAY_API_KEY") {
            Some(api_key) => {
                if args.sandbox_seed.is_some() {
                    return Err(
                        "SANDBOX_SEED is for the embedded emulator, which is not used \
                                when JUSPAY_API_KEY is set"
                            .into(),
                    );
                }
                Juspay::Remote {
                    base_url: args
                        .juspay_base_url
                        .unwrap_or_else(|| DEFAULT_JUSPAY_BASE_URL.into()),
                    api_key,
                    merchant_id: args.juspay_merchant_id,
                }
            }
            None => {
                if args.juspay_base_url.is_some() {
                    return Err(
                        "JUSPAY_BASE_URL is set but JUSPAY_API_KEY is not: set both, or \
                                neither to use the embedded emulator"
                            .into(),
                    );
                }
                let customers = match &args.sandbox_seed {
                    Some(path) => juspay_sandbox::load_seed(path)?,
                    None => juspay_sandbox::demo_customers(),
                };
                Juspay::Embedded {
                    merchant_id: args
                        .juspay_merchant_id
                        .unwrap_or_else(|| EMBEDDED_MERCHANT_ID.into()),
                    customers,
                }
            }
        };
        let token_secret = secret("TOKEN_SECRET");
        let (token_key, token_key_is_random) = match &token_secret {
            Some(secret) => (TokenKey::new(secret.as_bytes())?, false),
            None => (TokenKey::random(), true),
        };
        // Env-only, like the secrets: the URL may hold Redis' password.
        let rate_limit_redis = match (secret("RATE_LIMIT_REDIS_URL"), &token_secret) {
            (None, _) => None,
            (Some(_), None) => {
                return Err(
                    "RATE_LIMIT_REDIS_URL needs TOKEN_SECRET (the same on every \
                            instance): the Redis keys are derived from it"
                        .into(),
                )
            }
            (Some(url), Some(token_secret)) => Some(RedisSettings::new(
                url,
                args.rate_limit_redis_timeout,
                token_secret.as_bytes(),
            )?),
        };
        let previous = match secret("TOKEN_SECRET_PREVIOUS") {
            Some(_) if token_key_is_random => {
                return Err("TOKEN_SECRET_PREVIOUS is set but TOKEN_SECRET is not".into())
            }
            Some(previous) => Some(
                TokenKey::new(previous.as_bytes())
                    .map_err(|e| e.replace("TOKEN_SECRET", "TOKEN_SECRET_PREVIOUS"))?,
            ),
            None => None,
        };
        let token_keys = TokenKeys::new(token_key, previous)?;
        if args.upstream_retries > 10 {
            return Err("UPSTREAM_RETRIES must be at most 10".into());
        }
        if args.sandbox_faults && !matches!(juspay, Juspay::Embedded { .. }) {
            return Err(
                "SANDBOX_FAULTS is for the embedded emulator: a fault switch must never reach \
                 Juspay, so it cannot be on with JUSPAY_API_KEY"
                    .into(),
            );
        }
        let limits = ServerLimits {
            header_timeout: args.header_timeout,
            body_timeout: args.body_timeout,
            max_body_bytes: args.max_body_bytes,
            max_connections: args.max_connections as usize,
        };
        limits.check()?;
        let limit = |rate: Rate, burst: u32| {
            rate.0.map(|(rate, per)| Limit {
                rate,
                per,
                burst: burst.try_into().expect("clap keeps bursts at 1 or more"),
            })
        };
        let rate_limits = RateLimitSettings {
            lookups: limit(args.lookup_rate_limit, args.lookup_burst),
            sign_ins: limit(args.sign_in_rate_limit, args.sign_in_burst),
            forwarded_hops: args.forwarded_hops.into(),
        };
        Ok(Self {
            listen: args.listen,
            demo_sign_in: args
                .demo_sign_in
                .unwrap_or(matches!(juspay, Juspay::Embedded { .. })),
            juspay,
            token_keys,
            token_key_is_random,
            token_ttl: args.token_ttl,
            cors_origins: args
                .cors_origins
                .iter()
                .map(|o| cors_origin(o))
                .collect::<Result<_, _>>()?,
            upstream_deadline: args.upstream_deadline,
            upstream_retries: args.upstream_retries,
            upstream_coalesce: args.upstream_coalesce,
            sandbox_faults: args.sandbox_faults,
            limits,
            rate_limits,
            rate_limit_redis,
            metrics_listen: args.metrics_listen,
        })
    }
}

/// An origin is `scheme://host[:port]`, exactly as a browser sends it in `Origin`.
fn cors_origin(origin: &str) -> Result<HeaderValue, String> {
    let origin = origin.trim();
    // Any scheme: app WebViews send `capacitor://localhost` (iOS) or `https://localhost`
    // (Android), browsers `http(s)://host:port`. An origin never has a path.
    let well_formed = origin.split_once("://").is_some_and(|(scheme, host)| {
        scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !host.is_empty()
            && !host.contains('/')
    });
    if !well_formed {
        return Err(format!(
            "CORS origin {origin:?} must look like scheme://host[:port] (no path, no trailing slash)"
        ));
    }
    HeaderValue::from_str(origin)
        .map_err(|_| format!("CORS origin {origin:?} is not a valid header value"))
}

/// Whole seconds (`900`) or a duration (`15m`, `1h30m`, `500ms`).
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    humantime::parse_duration(text).map_err(|e| format!("{text:?}: {e}"))
}

fn parse_ttl(text: &str) -> Result<Duration, String> {
    let ttl = parse_duration(text)?;
    if ttl < Duration::from_secs(1) || ttl > Duration::from_secs(24 * 3600) {
        return Err("must be between 1s and 24h".into());
    }
    Ok(ttl)
}

fn parse_limit_duration(text: &str) -> Result<Duration, String> {
    let limit = parse_duration(text)?;
    if limit < Duration::from_millis(1) || limit > Duration::from_secs(3600) {
        return Err("must be between 1ms and 1h".into());
    }
    Ok(limit)
}

fn parse_deadline(text: &str) -> Result<Duration, String> {
    let deadline = parse_duration(text)?;
    if deadline < Duration::from_millis(1) || deadline > Duration::from_secs(600) {
        return Err("must be between 1ms and 10m".into());
    }
    Ok(deadline)
}

fn parse_redis_timeout(text: &str) -> Result<Duration, String> {
    let timeout = parse_duration(text)?;
    if timeout < Duration::from_millis(1) || timeout > Duration::from_secs(10) {
        return Err("must be between 1ms and 10s".into());
    }
    Ok(timeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(flags: &[&str], env: &[(&str, &str)]) -> Result<Config, String> {
        let args =
            Args::try_parse_from(std::iter::once("merchant-backend").chain(flags.iter().copied()))
                .map_err(|e| e.to_string())?;
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_args(args, |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn no_environment_means_the_embedded_emulator_with_demo_sign_in() {
        let c = config(&[], &[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8787");
        assert!(
            matches!(c.juspay, Juspay::Embedded { ref merchant_id, .. } if merchant_id == "sandbox_merchant")
        );
        assert!(c.demo_sign_in && c.token_key_is_random);
        assert_eq!(c.token_ttl, Duration::from_secs(900));
        assert_eq!(
            c.cors_origins,
            ["http://localhost:5173", "http://127.0.0.1:5173"]
        );
    }

    #[test]
    fn a_key_means_juspays_sandbox_without_demo_sign_in_and_debug_hides_it() {
        let c = config(
            &[],
            &[
                ("JUSPAY_API_KEY", "sk_test_SECRET"),
                ("TOKEN_SECRET", &"s".repeat(32)),
            ],
        )
        .unwrap();
        assert!(
            matches!(c.juspay, Juspay::Remote { ref base_url, .. } if base_url == "https://sandbox.juspay.in")
        );
        assert!(!c.demo_sign_in && !c.token_key_is_random);
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("SECRET") && !shown.contains("ssss"),
            "{shown}"
        );

        let c = config(&["--demo-sign-in", "yes"], &[("JUSPAY_API_KEY", "k")]).unwrap();
        assert!(c.demo_sign_in);
    }

    #[test]
    fn durations_origins_and_inconsistent_settings_are_checked() {
        assert_eq!(
            config(&["--token-ttl", "90"], &[]).unwrap().token_ttl,
            Duration::from_secs(90)
        );
        assert_eq!(
            config(&["--token-ttl", "1h"], &[]).unwrap().token_ttl,
            Duration::from_secs(3600)
        );
        assert!(config(&["--token-ttl", "0"], &[])
            .unwrap_err()
            .contains("between 1s and 24h"));
        assert!(config(&["--cors-origin", "http://a.example/"], &[])
            .unwrap_err()
            .contains("no trailing slash"));
        assert_eq!(
            config(&["--juspay-base-url", "https://api.juspay.in"], &[]).unwrap_err(),
            "JUSPAY_BASE_URL is set but JUSPAY_API_KEY is not: set both, or neither to use the embedded emulator"
        );
        assert_eq!(
            config(&[], &[("TOKEN_SECRET", "short")]).unwrap_err(),
            "TOKEN_SECRET must be at least 32 bytes, got 5"
        );
        let previous = "p".repeat(32);
        let rotating = config(
            &[],
            &[
                ("TOKEN_SECRET", &"s".repeat(32)),
                ("TOKEN_SECRET_PREVIOUS", &previous),
            ],
        )
        .unwrap();
        assert_eq!(
            rotating.token_keys.signing().kid(),
            TokenKey::new("s".repeat(32).as_bytes()).unwrap().kid()
        );
        assert!(!format!("{rotating:?}").contains("ppp"));
        assert_eq!(
            config(&[], &[("TOKEN_SECRET_PREVIOUS", &previous)]).unwrap_err(),
            "TOKEN_SECRET_PREVIOUS is set but TOKEN_SECRET is not"
        );
        assert_eq!(
            config(
                &[],
                &[
                    ("TOKEN_SECRET", &previous),
                    ("TOKEN_SECRET_PREVIOUS", "short")
                ]
            )
            .unwrap_err(),
            "TOKEN_SECRET_PREVIOUS must be at least 32 bytes, got 5"
        );
        assert_eq!(
            config(
                &[],
                &[
                    ("TOKEN_SECRET", &previous),
                    ("TOKEN_SECRET_PREVIOUS", &previous)
                ]
            )
            .unwrap_err(),
            "TOKEN_SECRET_PREVIOUS is the same secret as TOKEN_SECRET"
        );
        // An empty key is no key.
        assert!(matches!(
            config(&[], &[("JUSPAY_API_KEY", "")]).unwrap().juspay,
            Juspay::Embedded { .. }
        ));
    }

    #[test]
    fn an_empty_variable_counts_as_unset_for_every_setting() {
        let args = Args::try_parse_from_with_env(["merchant-backend".into()], |_| {
            Some(std::ffi::OsString::new())
        })
        .unwrap();
        let c = Config::from_args(args, |_| Some(String::new())).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8787");
        assert_eq!(c.token_ttl, Duration::from_secs(900));
        assert!(c.demo_sign_in && !c.sandbox_faults);
        assert_eq!(c.cors_origins.len(), 2);
        assert_eq!(
            c.limits,
            ServerLimits {
                header_timeout: Duration::from_secs(10),
                body_timeout: Duration::from_secs(10),
                max_body_bytes: 16 * 1024,
                max_connections: 512,
            }
        );
        // A flag still counts, and a value that is not empty is still checked.
        let args = Args::try_parse_from_with_env(
            [
                "merchant-backend".into(),
                "--max-connections".into(),
                "0".into(),
            ],
            |_| None,
        );
        assert!(args.is_err());
    }

    #[test]
    fn the_redis_rate_limit_needs_token_secret_and_hides_its_url() {
        assert!(config(&[], &[]).unwrap().rate_limit_redis.is_none());
        let url = ("RATE_LIMIT_REDIS_URL", "redis://:hunter2@127.0.0.1:6390/0");
        assert!(config(&[], &[url])
            .unwrap_err()
            .starts_with("RATE_LIMIT_REDIS_URL needs TOKEN_SECRET"));
        let secret = "s".repeat(32);
        let c = config(&[], &[url, ("TOKEN_SECRET", &secret)]).unwrap();
        let redis = c.rate_limit_redis.as_ref().unwrap();
        assert_eq!(redis.timeout, Duration::from_millis(100));
        assert!(!format!("{c:?}").contains("hunter2"));
        let refused = config(
            &[],
            &[
                ("RATE_LIMIT_REDIS_URL", "127.0.0.1:6390"),
                ("TOKEN_SECRET", &secret),
            ],
        )
        .unwrap_err();
        assert!(
            refused.starts_with("RATE_LIMIT_REDIS_URL is not a Redis URL"),
            "{refused}"
        );
        assert!(config(&["--rate-limit-redis-timeout", "11s"], &[])
            .unwrap_err()
            .contains("between 1ms and 10s"));
        assert_eq!(
            config(&["--metrics-listen", "127.0.0.1:9100"], &[])
                .unwrap()
                .metrics_listen,
            Some("127.0.0.1:9100".parse().unwrap())
        );
    }

    #[test]
    fn sandbox_faults_only_with_the_embedded_emulator() {
        assert!(
            config(&["--sandbox-faults", "true"], &[])
                .unwrap()
                .sandbox_faults
        );
        assert!(
            config(&["--sandbox-faults", "true"], &[("JUSPAY_API_KEY", "k")])
                .unwrap_err()
                .starts_with("SANDBOX_FAULTS is for the embedded emulator")
        );
        assert!(config(&["--header-timeout", "0"], &[])
            .unwrap_err()
            .contains("between 1ms and 1h"));
    }

    #[test]
    fn cors_origins_take_any_scheme_but_no_path() {
        for good in [
            "http://localhost:5173",
            "https://app.example.com",
            "capacitor://localhost",
        ] {
            assert!(cors_origin(good).is_ok(), "{good}");
        }
        for bad in [
            "localhost:5173",
            "http://a.example/",
            "https://",
            "1x://host",
        ] {
            assert!(cors_origin(bad).is_err(), "{bad}");
        }
    }
}
