//! Entry points for the coverage-guided fuzz targets in `rust-core/fuzz/`, built only with the
//! `fuzzing` feature: the parsers that read what a hostile server or caller sends, without the
//! network around them.

use std::time::{Duration, SystemTime};

use crate::body::{parse_customer, JuspayErrorFields};
use crate::customer::Customer;
use crate::error::CustomerError;
use crate::failure::Failure;

/// The customer-id rules and encoding of every lookup.
pub fn encode_customer_id(id: &str) -> Result<String, CustomerError> {
    crate::customer_id::encode_customer_id(id)
}

/// A 2xx body read as a customer, with or without Juspay's client auth token asked for; `Err`
/// holds the public message.
pub fn customer_from_body(body: &[u8], client_auth_token: bool) -> Result<Customer, &'static str> {
    parse_customer(body, client_auth_token).map_err(|why| why.message())
}

/// The same body read the slow way, through a whole `serde_json::Value`: the reference the
/// one-pass reading of [`customer_from_body`] must agree with on every input.
pub fn customer_from_body_via_value(
    body: &[u8],
    client_auth_token: bool,
) -> Result<Customer, &'static str> {
    crate::body::parse_customer_via_value(body, client_auth_token).map_err(|why| why.message())
}

/// A non-2xx answer as the caller sees it: its body's Juspay fields and `Retry-After` mapped to
/// the public error.
pub fn error_from_answer(status: u16, body: &[u8], retry_after: Option<&str>) -> CustomerError {
    let retry_after = retry_after.and_then(|v| parse_retry_after(v, SystemTime::now()));
    Failure::Status {
        status,
        fields: JuspayErrorFields::parse(body),
        retry_after,
    }
    .into_public()
}

/// One `Retry-After` value, read at `now`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    crate::retry::parse_retry_after(value, now)
}

/// Whether the client waits `pause` and tries again, `elapsed` into a lookup with `deadline`.
pub fn pause_fits(pause: Duration, elapsed: Duration, deadline: Duration) -> bool {
    crate::retry::pause_fits(pause, elapsed, deadline)
}
