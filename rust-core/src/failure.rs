//! The rich internal error, and the one place it becomes the public [`CustomerError`].

use std::any::Any;
use std::error::Error as _;
use std::time::Duration;

use crate::body::{JuspayErrorFields, NotACustomer};
use crate::config::MAX_BODY_BYTES;
use crate::error::{CustomerError, ErrorDetails};
use crate::token_provider::TokenProviderError;

/// The message of CANCELLED.
pub(crate) const CANCELLED_MESSAGE: &str = "the lookup was cancelled";

/// Everything that can go wrong in a lookup, with what is useful for debugging.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The server answered with a status other than 2xx.
    Status {
        status: u16,
        fields: JuspayErrorFields,
        retry_after: Option<Duration>,
    },
    /// A 2xx whose body is not a customer.
    NotACustomer {
        status: u16,
        why: NotACustomer,
    },
    /// A 2xx body over [`MAX_BODY_BYTES`].
    TooLarge {
        status: u16,
    },
    /// No connection could be made (DNS, TCP, TLS handshake, connect timeout).
    Connect(reqwest::Error),
    /// The server's certificates match none of the configured SPKI pins: not retried.
    PinMismatch,
    /// The connection failed after it was made, before a whole answer arrived.
    Transport(reqwest::Error),
    Timeout {
        deadline: Duration,
    },
    Cancelled,
    TokenProvider(TokenProviderError),
    /// The token provider returned a token that cannot be sent.
    UnusableToken(&'static str),
    /// A panic inside the lookup: a bug of ours, with the panic's message.
    Panic(String),
}

impl Failure {
    pub fn into_public(self) -> CustomerError {
        match self {
            Self::Status {
                status,
                fields,
                retry_after,
            } => status_error(status, fields, retry_after),
            Self::NotACustomer { status, why } => CustomerError::InvalidResponse {
                details: with_status(why.message(), status),
            },
            Self::TooLarge { status } => CustomerError::InvalidResponse {
                details: with_status(
                    format!("the response body exceeds {MAX_BODY_BYTES} bytes"),
                    status,
                ),
            },
            Self::Connect(e) => CustomerError::Network {
                details: ErrorDetails::message(format!(
                    "could not connect to the server: {}",
                    causes(&e)
                )),
            },
            Self::PinMismatch => CustomerError::Network {
                details: ErrorDetails::message(format!(
                    "could not connect to the server: {}",
                    crate::pinning::PinMismatch
                )),
            },
            Self::Transport(e) => CustomerError::Network {
                details: ErrorDetails::message(format!("the connection failed: {}", causes(&e))),
            },
            Self::Timeout { deadline } => CustomerError::Timeout {
                details: ErrorDetails::message(format!(
                    "no answer within the {} ms deadline",
                    deadline.as_millis()
                )),
            },
            Self::Cancelled => CustomerError::Cancelled {
                details: ErrorDetails::message(CANCELLED_MESSAGE),
            },
            Self::TokenProvider(TokenProviderError::Unauthorized { reason }) => {
                CustomerError::Unauthorized {
                    details: ErrorDetails::message(format!("token provider: {reason}")),
                }
            }
            Self::TokenProvider(TokenProviderError::Unavailable { reason }) => {
                CustomerError::Network {
                    details: ErrorDetails::message(format!("token provider: {reason}")),
                }
            }
            Self::UnusableToken(why) => CustomerError::Unauthorized {
                details: ErrorDetails::message(format!("the token provider's token {why}")),
            },
            Self::Panic(message) => CustomerError::Internal {
                details: ErrorDetails::message(format!("internal error: {message}")),
            },
        }
    }
}

/// What a panic said: its message when it was a string (as `panic!` and `expect` make it).
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

fn with_status(message: impl Into<String>, status: u16) -> ErrorDetails {
    ErrorDetails {
        http_status: Some(status),
        ..ErrorDetails::message(message)
    }
}

/// Maps a non-2xx answer to its code. A 404 is CUSTOMER_NOT_FOUND only with Juspay's
/// `object_not_found` body; any other 404 means the URL is wrong.
fn status_error(
    status: u16,
    fields: JuspayErrorFields,
    retry_after: Option<Duration>,
) -> CustomerError {
    let not_found = status == 404 && fields.is_object_not_found();
    let fallback = match status {
        401 => "the server rejected the credentials (HTTP 401)".to_owned(),
        403 => "the server refused access (HTTP 403)".to_owned(),
        407 => "a proxy asked for authentication (HTTP 407)".to_owned(),
        404 if not_found => "customer not found (HTTP 404)".to_owned(),
        404 => "HTTP 404 without Juspay's not-found body: check the base URL".to_owned(),
        429 => "too many requests (HTTP 429)".to_owned(),
        500..=599 => format!("the server failed (HTTP {status})"),
        _ => format!("unexpected HTTP status {status}"),
    };
    let details = ErrorDetails {
        message: fields.best_message().map_or(fallback, str::to_owned),
        http_status: Some(status),
        error_code: fields.error_code,
        error_info_code: fields.error_info_code,
        user_message: fields.user_message,
        developer_message: fields.developer_message,
        request_id: fields.request_id,
        retry_after_ms: retry_after.map(|d| d.as_millis().try_into().unwrap_or(u64::MAX)),
    };
    match status {
        401 => CustomerError::Unauthorized { details },
        403 => CustomerError::Forbidden { details },
        // A proxy between the device and the server wants credentials this client never has:
        // a problem of the network, as fetch too reports it.
        407 => CustomerError::Network { details },
        404 if not_found => CustomerError::CustomerNotFound { details },
        404 => CustomerError::EndpointNotFound { details },
        429 => CustomerError::RateLimited { details },
        500..=599 => CustomerError::ServerError { details },
        _ => CustomerError::InvalidResponse { details },
    }
}

/// The causes of a reqwest error without its URL (which holds the customer id) and without
/// reqwest's own generic top line.
fn causes(error: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = error.source();
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    if parts.is_empty() {
        parts.push(error.to_string());
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(body: &str) -> JuspayErrorFields {
        JuspayErrorFields::parse(body.as_bytes())
    }

    #[test]
    fn documented_404_is_customer_not_found_with_juspay_fields() {
        let e = Failure::Status {
            status: 404,
            fields: fields(
                r#"{"error_message":"Cannot find what you are looking for","status":"invalid_request_error","error_code":"object_not_found","error_info":{"user_message":"Cannot process your request as customer account not found.","request_id":"bfd8b9e6","href":"NA","developer_message":"Customer account not found.","code":"RESOURCE_NOT_FOUND","category":"USER_ERROR"}}"#,
            ),
            retry_after: None,
        }
        .into_public();
        assert_eq!(
            e.to_string(),
            "CUSTOMER_NOT_FOUND: Customer account not found."
        );
        let d = e.details();
        assert_eq!(d.http_status, Some(404));
        assert_eq!(d.error_code.as_deref(), Some("object_not_found"));
        assert_eq!(d.error_info_code.as_deref(), Some("RESOURCE_NOT_FOUND"));
        assert_eq!(d.request_id.as_deref(), Some("bfd8b9e6"));
        assert!(!e.is_retryable());
    }

    #[test]
    fn a_404_without_juspay_body_is_endpoint_not_found() {
        let e = Failure::Status {
            status: 404,
            fields: fields("<html>Not Found</html>"),
            retry_after: None,
        }
        .into_public();
        assert_eq!(
            e.to_string(),
            "ENDPOINT_NOT_FOUND: HTTP 404 without Juspay's not-found body: check the base URL"
        );
    }

    #[test]
    fn rate_limit_carries_retry_after_and_other_statuses_are_invalid_response() {
        let e = Failure::Status {
            status: 429,
            fields: JuspayErrorFields::default(),
            retry_after: Some(Duration::from_secs(3)),
        }
        .into_public();
        assert_eq!(e.code(), "RATE_LIMITED");
        assert_eq!(e.details().retry_after_ms, Some(3000));
        assert!(e.is_retryable());

        let e = Failure::Status {
            status: 407,
            fields: JuspayErrorFields::default(),
            retry_after: None,
        }
        .into_public();
        assert_eq!(
            e.to_string(),
            "NETWORK: a proxy asked for authentication (HTTP 407)"
        );
        assert!(e.is_retryable());

        let e = Failure::Status {
            status: 302,
            fields: JuspayErrorFields::default(),
            retry_after: None,
        }
        .into_public();
        assert_eq!(
            e.to_string(),
            "INVALID_RESPONSE: unexpected HTTP status 302"
        );
    }
}
