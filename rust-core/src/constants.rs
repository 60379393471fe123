//! The core's bounds, defaults and fixed words in one record, exported through the bindings:
//! the Kotlin and Swift plugins check their options against these numbers instead of copies,
//! and the contract file (`contract.rs`) carries the same record to TypeScript.

use crate::cache::MAX_CACHE_TTL_MS;
use crate::config::{
    DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_DEADLINE_MS, DEFAULT_MAX_RETRIES, DEFAULT_REFRESH_SKEW_MS,
    MAX_BODY_BYTES, MAX_RETRIES, MAX_TIMEOUT_MS,
};
use crate::customer_id::MAX_CUSTOMER_ID_CHARS;
use crate::failure::CANCELLED_MESSAGE;
use crate::retry::{BASE_DELAY_MS, MAX_DELAY_MS, MAX_RETRY_AFTER_MS};

/// What a [`ClientConfig`](crate::ClientConfig) may hold and what a lookup is bounded by.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CoreConstants {
    /// `connect_timeout_ms` and `deadline_ms` are 1 to this; `refresh_skew_ms` is 0 to this.
    pub max_timeout_ms: u64,
    /// `max_retries` is 0 to this.
    pub max_retries: u32,
    pub default_connect_timeout_ms: u64,
    pub default_deadline_ms: u64,
    pub default_max_retries: u32,
    pub default_refresh_skew_ms: u64,
    /// The longest customer id, in characters (Unicode scalar values).
    pub max_customer_id_chars: u32,
    /// The largest response body read; a larger one is INVALID_RESPONSE.
    pub max_body_bytes: u64,
    /// The longest `Retry-After` taken as sent; longer ones are reported as this.
    pub max_retry_after_ms: u64,
    /// Backoff between attempts: from this, doubling, up to `retry_max_delay_ms`.
    pub retry_base_delay_ms: u64,
    pub retry_max_delay_ms: u64,
    /// `cache_ttl_ms` is 0 (no cache) to this.
    pub max_cache_ttl_ms: u64,
    /// The message of every CANCELLED, however the lookup was cancelled.
    pub cancelled_message: String,
}

/// The core's constants (see [`CoreConstants`]).
#[uniffi::export]
pub fn core_constants() -> CoreConstants {
    CoreConstants {
        max_timeout_ms: MAX_TIMEOUT_MS,
        max_retries: MAX_RETRIES,
        default_connect_timeout_ms: DEFAULT_CONNECT_TIMEOUT_MS,
        default_deadline_ms: DEFAULT_DEADLINE_MS,
        default_max_retries: DEFAULT_MAX_RETRIES,
        default_refresh_skew_ms: DEFAULT_REFRESH_SKEW_MS,
        max_customer_id_chars: MAX_CUSTOMER_ID_CHARS as u32,
        max_body_bytes: MAX_BODY_BYTES as u64,
        max_retry_after_ms: MAX_RETRY_AFTER_MS,
        retry_base_delay_ms: BASE_DELAY_MS,
        retry_max_delay_ms: MAX_DELAY_MS,
        max_cache_ttl_ms: MAX_CACHE_TTL_MS,
        cancelled_message: CANCELLED_MESSAGE.to_owned(),
    }
}
