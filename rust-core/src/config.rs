//! Client configuration as callers give it, and its validation into the settings the client
//! runs on. Everything wrong with a configuration is reported here, before any request.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::{Host, Url};

use crate::cache::MAX_CACHE_TTL_MS;
use crate::error::CustomerError;
use crate::pinning::Pins;
use crate::token_provider::{ExpiringTokenProvider, Provider, TokenProvider, TokenSource};

/// Default connect timeout: a phone on a poor network still connects well within this.
pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 10_000;
/// Default overall deadline for one lookup, retries and token refresh included.
pub const DEFAULT_DEADLINE_MS: u64 = 30_000;
/// Default number of retries after the first attempt (for connect failures, 429, 502/503/504).
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default time before an expiring device token's expiry at which the next one is fetched.
pub const DEFAULT_REFRESH_SKEW_MS: u64 = 60_000;
/// The `version` header sent with an API key when none is configured: the API version that
/// Juspay's own Node SDK (`expresscheckout-nodejs`) sends.
pub const DEFAULT_API_VERSION: &str = "2019-05-07";
/// Largest response body read; a bigger one is INVALID_RESPONSE. A customer is well under 2 KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Upper bound for the timeouts and the refresh skew: a lookup that may take longer than this is
/// a configuration mistake (and keeps `Instant + deadline` far from overflow).
pub const MAX_TIMEOUT_MS: u64 = 600_000;
/// Upper bound for retries; the deadline bounds them anyway.
pub const MAX_RETRIES: u32 = 10;

/// How the client proves who it is. Device credentials and the API key are never mixed: each
/// variant sends only its own headers. Printing it (also from Kotlin and Swift) never shows the
/// token or the key.
#[derive(uniffi::Enum, Clone)]
#[uniffi::export(Debug, Display)]
pub enum Credentials {
    /// A device token issued by the merchant's backend, sent as `Authorization: Bearer <token>`.
    /// A 401 is final: there is no way to get a new token.
    DeviceToken { token: String },
    /// Device tokens from the app: asked with `force_refresh = false` when the client has no
    /// token yet, and once with `force_refresh = true` when the backend answers 401, after which
    /// the lookup is retried once. Concurrent lookups share one refresh.
    TokenProvider { provider: Arc<dyn TokenProvider> },
    /// Like `TokenProvider`, for providers that know when their tokens expire: the next token is
    /// asked (`force_refresh = true`) `refresh_skew_ms` before the expiry, shared by concurrent
    /// lookups, instead of after the backend's 401; if that early ask fails, the lookup goes on
    /// with the current token. A 401 still refreshes once. A separate variant (and trait) keeps
    /// existing `TokenProvider` implementations compiling unchanged.
    ExpiringTokenProvider {
        provider: Arc<dyn ExpiringTokenProvider>,
    },
    /// Juspay's API key, for servers only: never ship it in an app. Sent as
    /// `Authorization: Basic base64(api_key + ":")`, with `x-merchantid` when `merchant_id` is
    /// set, `x-routing-id`, `version` (default [`DEFAULT_API_VERSION`]) and `Content-Type` as
    /// Juspay documents.
    ApiKey {
        api_key: String,
        #[uniffi(default)]
        merchant_id: Option<String>,
        #[uniffi(default)]
        api_version: Option<String>,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DeviceToken { .. } => f
                .debug_struct("DeviceToken")
                .field("token", &"[redacted]")
                .finish(),
            Self::TokenProvider { .. } => f.debug_struct("TokenProvider").finish_non_exhaustive(),
            Self::ExpiringTokenProvider { .. } => f
                .debug_struct("ExpiringTokenProvider")
                .finish_non_exhaustive(),
            Self::ApiKey {
                merchant_id,
                api_version,
                ..
            } => f
                .debug_struct("ApiKey")
                .field("api_key", &"[redacted]")
                .field("merchant_id", merchant_id)
                .field("api_version", api_version)
                .finish(),
        }
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl fmt::Display for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Everything a [`CustomerClient`](crate::CustomerClient) needs. Printing it (also from Kotlin
/// and Swift) never shows the token or the key.
#[derive(uniffi::Record, Clone, Debug)]
#[uniffi::export(Debug, Display)]
pub struct ClientConfig {
    /// Where `/customers/{id}` lives: the merchant's backend for devices, or Juspay
    /// (`https://sandbox.juspay.in`, `https://api.juspay.in`) for servers. https is required;
    /// plain http only for loopback hosts (127.0.0.0/8, `localhost`, `[::1]`) in development.
    /// A port and a path prefix are kept: `https://api.example.com/juspay` gives
    /// `https://api.example.com/juspay/customers/{id}`.
    pub base_url: String,
    /// Device token, token provider, or (servers only) API key.
    pub credentials: Credentials,
    /// Time allowed to establish one connection (TCP and TLS), in milliseconds; 1..=600000.
    #[uniffi(default = 10000)]
    pub connect_timeout_ms: u64,
    /// Time allowed for the whole lookup, retries and token refresh included, in milliseconds;
    /// 1..=600000. When it passes, the lookup fails with TIMEOUT.
    #[uniffi(default = 30000)]
    pub deadline_ms: u64,
    /// Retries after the first attempt for connect failures, 429 and 502/503/504; 0..=10.
    #[uniffi(default = 2)]
    pub max_retries: u32,
    /// With `ExpiringTokenProvider`: how long before a token's expiry the next one is fetched,
    /// in milliseconds; 0..=600000. A token that already expires within it when fetched is used
    /// until the backend refuses it.
    #[uniffi(default = 60000)]
    pub refresh_skew_ms: u64,
    /// SPKI pins of the backend: base64 SHA-256 hashes of a certificate's public key
    /// (`sha256/` before it is allowed, as OkHttp writes them), at most 16. Empty: no pinning.
    /// When set, after the normal verification a connection is refused (NETWORK, not retried)
    /// unless the leaf or an intermediate certificate the server sends has one of these keys;
    /// give at least two, the current key and a backup. Requires an https base URL.
    #[uniffi(default = [])]
    pub spki_pins: Vec<String>,
    /// Concurrent lookups of the same customer with the same `LookupOptions` share one request,
    /// and so one answer or error. Each caller may still cancel its own wait; the request is
    /// cancelled only when every caller has left. Off: every lookup sends its own request.
    #[uniffi(default = true)]
    pub coalesce_lookups: bool,
    /// Keep customers found for this long, in milliseconds (0 to 60000; 0, the default, keeps
    /// nothing), in memory only, per client: a lookup of the same customer with the same
    /// `LookupOptions` within it is answered without a request. Errors are never kept. With a
    /// token provider, an answer is only given under the token it was fetched with. Dropping
    /// the client forgets everything.
    #[uniffi(default = 0)]
    pub cache_ttl_ms: u64,
}

impl ClientConfig {
    /// A configuration with the default timeouts and retries.
    pub fn new(base_url: impl Into<String>, credentials: Credentials) -> Self {
        Self {
            base_url: base_url.into(),
            credentials,
            connect_timeout_ms: DEFAULT_CONNECT_TIMEOUT_MS,
            deadline_ms: DEFAULT_DEADLINE_MS,
            max_retries: DEFAULT_MAX_RETRIES,
            refresh_skew_ms: DEFAULT_REFRESH_SKEW_MS,
            spki_pins: Vec::new(),
            coalesce_lookups: true,
            cache_ttl_ms: 0,
        }
    }
}

/// Validated credentials with their header values built once.
pub(crate) enum Auth {
    Bearer(HeaderValue),
    Provider(TokenSource),
    ApiKey {
        authorization: HeaderValue,
        merchant_id: Option<HeaderValue>,
        api_version: HeaderValue,
    },
}

/// A configuration that passed validation.
pub(crate) struct Settings {
    /// The base URL with its path normalised to end without a slash.
    pub base_url: Url,
    pub auth: Auth,
    pub connect_timeout: Duration,
    pub deadline: Duration,
    pub max_retries: u32,
    /// `None`: no pinning.
    pub pins: Option<Pins>,
    pub coalesce: bool,
    /// `None`: no cache.
    pub cache_ttl: Option<Duration>,
}

impl Settings {
    pub fn validate(config: ClientConfig) -> Result<Self, CustomerError> {
        let (base_url, pins) = endpoint(&config.base_url, &config.spki_pins)?;
        Ok(Self {
            base_url,
            pins,
            auth: validate_credentials(config.credentials, validate_skew(config.refresh_skew_ms)?)?,
            coalesce: config.coalesce_lookups,
            cache_ttl: validate_cache_ttl(config.cache_ttl_ms)?,
            connect_timeout: validate_timeout("connect_timeout_ms", config.connect_timeout_ms)?,
            deadline: validate_timeout("deadline_ms", config.deadline_ms)?,
            max_retries: if config.max_retries <= MAX_RETRIES {
                config.max_retries
            } else {
                return Err(CustomerError::invalid_argument(format!(
                    "max_retries must be at most {MAX_RETRIES}, got {}",
                    config.max_retries
                )));
            },
        })
    }
}

fn validate_skew(ms: u64) -> Result<Duration, CustomerError> {
    if ms > MAX_TIMEOUT_MS {
        return Err(CustomerError::invalid_argument(format!(
            "refresh_skew_ms must be between 0 and {MAX_TIMEOUT_MS}, got {ms}"
        )));
    }
    Ok(Duration::from_millis(ms))
}

fn validate_cache_ttl(ms: u64) -> Result<Option<Duration>, CustomerError> {
    if ms > MAX_CACHE_TTL_MS {
        return Err(CustomerError::invalid_argument(format!(
            "cache_ttl_ms must be between 0 and {MAX_CACHE_TTL_MS}, got {ms}"
        )));
    }
    Ok((ms > 0).then(|| Duration::from_millis(ms)))
}

fn validate_timeout(name: &str, ms: u64) -> Result<Duration, CustomerError> {
    if ms == 0 || ms > MAX_TIMEOUT_MS {
        return Err(CustomerError::invalid_argument(format!(
            "{name} must be between 1 and {MAX_TIMEOUT_MS}, got {ms}"
        )));
    }
    Ok(Duration::from_millis(ms))
}

/// Checks a base URL and SPKI pins as [`CustomerClient::new`](crate::CustomerClient::new) does,
/// without building a client: for callers that learn them before they have credentials (the
/// Capacitor plugins' `configure` without a token). Fails with INVALID_ARGUMENT in the same words.
#[uniffi::export]
pub fn check_endpoint(base_url: &str, spki_pins: Vec<String>) -> Result<(), CustomerError> {
    endpoint(base_url, &spki_pins).map(drop)
}

/// The base URL and the pins, checked together: pins need https.
fn endpoint(base_url: &str, spki_pins: &[String]) -> Result<(Url, Option<Pins>), CustomerError> {
    let base_url = validate_base_url(base_url)?;
    let pins = Pins::parse(spki_pins)?;
    if pins.is_some() && base_url.scheme() != "https" {
        return Err(CustomerError::invalid_argument(
            "spki_pins need an https base URL: plain http has no certificate to pin",
        ));
    }
    Ok((base_url, pins))
}

fn validate_base_url(raw: &str) -> Result<Url, CustomerError> {
    let invalid = |why: &str| CustomerError::invalid_argument(format!("base URL {why}"));
    let raw = raw.trim();
    // Checked as written, before any parser maps it: the core is built without Unicode host
    // support (idna_adapter 1.0, about 130 KB less in the mobile library), and the web's parser
    // would map such a host where the core cannot, so both refuse it in the same words. (A
    // non-ASCII user part is refused with it: credentials are refused anyway.)
    if written_authority(raw).is_some_and(|a| !a.is_ascii() || a.contains('%')) {
        return Err(invalid(NON_ASCII_HOST));
    }
    // The parser's own reason is left out so every platform (the web has its own parser) says
    // the same thing.
    let mut url = Url::parse(raw).map_err(|_| invalid("is not a valid URL"))?;
    let host = url.host().ok_or_else(|| invalid("has no host"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(invalid(
                "must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])",
            ))
        }
        other => return Err(invalid(&format!("must use https, not {other}"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "must not contain credentials: pass them in `credentials`",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment"));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    Ok(url)
}

const NON_ASCII_HOST: &str =
    "host must be ASCII: use Punycode (xn--) for an internationalized domain name";

/// The authority of a URL as written (host, port, and any `user@`): after `scheme://`, up to the
/// first `/`, `\`, `?` or `#`. None when there is no `scheme://`.
fn written_authority(raw: &str) -> Option<&str> {
    let (scheme, rest) = raw.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    rest.split(['/', '\\', '?', '#']).next()
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

fn validate_credentials(credentials: Credentials, skew: Duration) -> Result<Auth, CustomerError> {
    match credentials {
        Credentials::DeviceToken { token } => {
            Ok(Auth::Bearer(bearer_header(&token).map_err(|why| {
                CustomerError::invalid_argument(format!("token {why}"))
            })?))
        }
        Credentials::TokenProvider { provider } => Ok(Auth::Provider(TokenSource::new(
            Provider::Plain(provider),
            skew,
        ))),
        Credentials::ExpiringTokenProvider { provider } => Ok(Auth::Provider(TokenSource::new(
            Provider::Expiring(provider),
            skew,
        ))),
        Credentials::ApiKey {
            api_key,
            merchant_id,
            api_version,
        } => {
            if api_key.trim().is_empty() {
                return Err(CustomerError::invalid_argument("api_key must not be empty"));
            }
            let authorization = basic_header(&api_key)
                .map_err(|why| CustomerError::invalid_argument(format!("api_key {why}")))?;
            let merchant_id = merchant_id
                .map(|id| header_value("merchant_id", &id))
                .transpose()?;
            let api_version = header_value(
                "api_version",
                api_version.as_deref().unwrap_or(DEFAULT_API_VERSION),
            )?;
            Ok(Auth::ApiKey {
                authorization,
                merchant_id,
                api_version,
            })
        }
    }
}

/// `Bearer <token>`, marked sensitive so it never shows in Debug output.
pub(crate) fn bearer_header(token: &str) -> Result<HeaderValue, &'static str> {
    if token.trim().is_empty() {
        return Err("must not be empty");
    }
    if !is_printable_ascii(token) {
        return Err("must be printable ASCII without line breaks");
    }
    let mut value =
        HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| "is not encodable")?;
    value.set_sensitive(true);
    Ok(value)
}

/// Tab and visible ASCII. Stricter than `HeaderValue::from_str`, which also lets bytes >= 0x80
/// through: a browser's fetch refuses those, and every platform must refuse the same values.
fn is_printable_ascii(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (0x20..=0x7e).contains(&b))
}

/// `Basic base64(key + ":")`: the key is the user name, the password is empty.
fn basic_header(api_key: &str) -> Result<HeaderValue, &'static str> {
    use base64::Engine as _;
    if api_key.chars().any(|c| c.is_control()) {
        return Err("must not contain control characters");
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{api_key}:"));
    let mut value =
        HeaderValue::from_str(&format!("Basic {encoded}")).map_err(|_| "is not encodable")?;
    value.set_sensitive(true);
    Ok(value)
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, CustomerError> {
    if value.trim().is_empty() {
        return Err(CustomerError::invalid_argument(format!(
            "{name} must not be empty when given"
        )));
    }
    if !is_printable_ascii(value) {
        return Err(CustomerError::invalid_argument(format!(
            "{name} must be printable ASCII without line breaks"
        )));
    }
    HeaderValue::from_str(value)
        .map_err(|_| CustomerError::invalid_argument(format!("{name} is not encodable")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> ClientConfig {
        ClientConfig::new(base_url, Credentials::DeviceToken { token: "t".into() })
    }

    fn error_of(config: ClientConfig) -> String {
        match Settings::validate(config) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn https_and_loopback_http_are_accepted_and_keep_port_and_prefix() {
        for (raw, normalised) in [
            ("https://sandbox.juspay.in", "https://sandbox.juspay.in/"),
            (
                "https://api.example.com:8443/juspay/",
                "https://api.example.com:8443/juspay",
            ),
            ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1"),
            ("http://127.8.9.10", "http://127.8.9.10/"),
            ("http://localhost:3000", "http://localhost:3000/"),
            ("http://[::1]:9000/a/b//", "http://[::1]:9000/a/b"),
        ] {
            let settings = Settings::validate(config(raw)).unwrap();
            assert_eq!(settings.base_url.as_str(), normalised, "{raw}");
        }
    }

    #[test]
    fn bad_base_urls_are_invalid_argument() {
        assert_eq!(
            error_of(config("not a url")),
            "INVALID_ARGUMENT: base URL is not a valid URL"
        );
        assert_eq!(
            error_of(config("http://api.example.com")),
            "INVALID_ARGUMENT: base URL must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])"
        );
        assert_eq!(
            error_of(config("http://10.0.0.1")),
            "INVALID_ARGUMENT: base URL must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])"
        );
        assert_eq!(
            error_of(config("ftp://example.com")),
            "INVALID_ARGUMENT: base URL must use https, not ftp"
        );
        assert_eq!(
            error_of(config("https://key:@api.juspay.in")),
            "INVALID_ARGUMENT: base URL must not contain credentials: pass them in `credentials`"
        );
        assert_eq!(
            error_of(config("https://api.juspay.in/?x=1")),
            "INVALID_ARGUMENT: base URL must not have a query or fragment"
        );
    }

    #[test]
    fn a_host_must_be_written_in_ascii() {
        let refused = "INVALID_ARGUMENT: base URL host must be ASCII: use Punycode (xn--) for an internationalized domain name";
        for raw in [
            "https://bücher.example",
            " https://user@bücher.example:8443/x ",
            "https://b%C3%BCcher.example",
            "https://api.例え.jp/v1",
            "http://ｌｏｃａｌｈｏｓｔ:3000",
            "https://ü:x@api.example",
        ] {
            assert_eq!(error_of(config(raw)), refused, "{raw}");
        }
        for (raw, normalised) in [
            (
                "https://xn--bcher-kva.example/",
                "https://xn--bcher-kva.example/",
            ),
            (
                "https://API.Merchant.example/pfad/ü",
                "https://api.merchant.example/pfad/%C3%BC",
            ),
        ] {
            let settings = Settings::validate(config(raw)).unwrap();
            assert_eq!(settings.base_url.as_str(), normalised, "{raw}");
        }
    }

    #[test]
    fn empty_credentials_are_invalid_argument() {
        let mut c = config("https://a.example");
        c.credentials = Credentials::DeviceToken { token: " ".into() };
        assert_eq!(error_of(c), "INVALID_ARGUMENT: token must not be empty");

        let mut c = config("https://a.example");
        c.credentials = Credentials::DeviceToken {
            token: "a\nb".into(),
        };
        assert_eq!(
            error_of(c),
            "INVALID_ARGUMENT: token must be printable ASCII without line breaks"
        );

        for token in ["t\u{f6}ken", "\u{feff}"] {
            let mut c = config("https://a.example");
            c.credentials = Credentials::DeviceToken {
                token: token.into(),
            };
            assert_eq!(
                error_of(c),
                "INVALID_ARGUMENT: token must be printable ASCII without line breaks",
                "{token:?}"
            );
        }

        let mut c = config("https://a.example");
        c.credentials = Credentials::ApiKey {
            api_key: String::new(),
            merchant_id: None,
            api_version: None,
        };
        assert_eq!(error_of(c), "INVALID_ARGUMENT: api_key must not be empty");

        let mut c = config("https://a.example");
        c.credentials = Credentials::ApiKey {
            api_key: "k".into(),
            merchant_id: Some(String::new()),
            api_version: None,
        };
        assert_eq!(
            error_of(c),
            "INVALID_ARGUMENT: merchant_id must not be empty when given"
        );
    }

    #[test]
    fn zero_or_huge_timeouts_and_too_many_retries_are_invalid_argument() {
        let mut c = config("https://a.example");
        c.connect_timeout_ms = 0;
        assert_eq!(
            error_of(c),
            "INVALID_ARGUMENT: connect_timeout_ms must be between 1 and 600000, got 0"
        );
        let mut c = config("https://a.example");
        c.deadline_ms = 0;
        assert_eq!(
            error_of(c),
            "INVALID_ARGUMENT: deadline_ms must be between 1 and 600000, got 0"
        );
        let mut c = config("https://a.example");
        c.deadline_ms = u64::MAX;
        assert!(error_of(c).starts_with("INVALID_ARGUMENT: deadline_ms"));
        let mut c = config("https://a.example");
        c.max_retries = 11;
        assert_eq!(
            error_of(c),
            "INVALID_ARGUMENT: max_retries must be at most 10, got 11"
        );
    }

    #[test]
    fn debug_output_redacts_key_and_token() {
        let c = ClientConfig::new(
            "https://a.example",
            Credentials::ApiKey {
                api_key: "sk_live_SECRET".into(),
                merchant_id: Some("m1".into()),
                api_version: None,
            },
        );
        let shown = format!("{c:?} {c}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(
            shown.contains("[redacted]") && shown.contains("m1"),
            "{shown}"
        );

        let c = config("https://a.example");
        let c = ClientConfig {
            credentials: Credentials::DeviceToken {
                token: "tok_SECRET".into(),
            },
            ..c
        };
        assert!(!format!("{c:?} {c} {}", c.credentials).contains("SECRET"));
        assert!(!format!("{:?}", bearer_header("tok_SECRET").unwrap()).contains("SECRET"));
    }
}
