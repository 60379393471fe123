//! Juspay **Get Customer** client: one Rust core for Android and iOS apps (through uniffi) and
//! for merchant servers.
//!
//! The same request, `GET {base}/customers/{customer_id}`, serves two callers:
//! - a device calls the merchant's backend with a short-lived, customer-scoped token
//!   ([`Credentials::DeviceToken`] or [`Credentials::TokenProvider`]);
//! - the merchant's backend calls Juspay with its API key ([`Credentials::ApiKey`]).
//!
//! Every failure is a [`CustomerError`] whose [`code`](CustomerError::code) is one of the
//! stable codes listed in [`ERROR_CODES`], spelled the same in Rust, Kotlin, Swift and
//! TypeScript.

// Errors carry Juspay's fields by value so every binding sees plain records; they are built on
// the failure path only, where their size costs nothing worth a Box.
#![allow(clippy::result_large_err)]

mod blocking;
mod body;
mod cache;
mod cancellation;
mod client;
mod coalescing;
mod config;
mod constants;
#[cfg(test)]
mod contract;
mod customer;
mod customer_id;
mod deadline;
mod error;
mod failure;
// Apple platforms have no JVM.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
#[cfg(not(target_vendor = "apple"))]
mod jni_lookups;
mod options;
mod pinning;
mod retry;
mod tls;
mod token_provider;

pub use cache::MAX_CACHE_TTL_MS;
pub use cancellation::CancellationToken;
pub use client::{CustomerClient, CustomerResponse};
pub use config::{
    check_endpoint, ClientConfig, Credentials, DEFAULT_API_VERSION, DEFAULT_CONNECT_TIMEOUT_MS,
    DEFAULT_DEADLINE_MS, DEFAULT_MAX_RETRIES, DEFAULT_REFRESH_SKEW_MS, MAX_BODY_BYTES, MAX_RETRIES,
    MAX_TIMEOUT_MS,
};
pub use constants::{core_constants, CoreConstants};
pub use customer::{Customer, JuspayClientAuth};
pub use customer_id::MAX_CUSTOMER_ID_CHARS;
pub use error::{CustomerError, ErrorDetails, ERROR_CODES};
pub use options::{LookupOptions, CLIENT_AUTH_TOKEN_QUERY};
pub use pinning::{spki_pin_of_certificate, MAX_SPKI_PINS};
pub use retry::MAX_RETRY_AFTER_MS;
pub use token_provider::{ExpiringToken, ExpiringTokenProvider, TokenProvider, TokenProviderError};

uniffi::setup_scaffolding!();
