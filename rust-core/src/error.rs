//! The public error: what every caller (Rust, Kotlin, Swift, and through the plugins,
//! TypeScript) can act on. The rich internal error lives in `failure.rs`; one function there
//! turns it into this.

/// Every code a lookup can fail with, in the order of the README's "Error codes" table. The
/// Kotlin, Swift and TypeScript layers use these strings verbatim; the contract test checks
/// they agree.
pub const ERROR_CODES: [&str; 12] = [
    "INVALID_ARGUMENT",
    "UNAUTHORIZED",
    "FORBIDDEN",
    "CUSTOMER_NOT_FOUND",
    "ENDPOINT_NOT_FOUND",
    "RATE_LIMITED",
    "SERVER_ERROR",
    "TIMEOUT",
    "NETWORK",
    "INVALID_RESPONSE",
    "CANCELLED",
    "INTERNAL",
];

/// What is known about a failure. Fields are `None` when the server did not answer or did not
/// send them. Never holds the customer's email, mobile number, or any credential.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorDetails {
    /// A sentence for developers: Juspay's developer message when it sent one, otherwise ours.
    pub message: String,
    /// The HTTP status of the final answer, when there was one.
    pub http_status: Option<u16>,
    /// Juspay's top-level `error_code`, e.g. `object_not_found` or `access_denied`.
    pub error_code: Option<String>,
    /// Juspay's `error_info.code`, e.g. `RESOURCE_NOT_FOUND`, `UNAUTHORIZED`, `BAD_ORIGIN`.
    pub error_info_code: Option<String>,
    /// Juspay's `error_info.user_message` (or the top-level `user_message` of a 403).
    pub user_message: Option<String>,
    /// Juspay's `error_info.developer_message`.
    pub developer_message: Option<String>,
    /// Juspay's `error_info.request_id`: quote it to Juspay support.
    pub request_id: Option<String>,
    /// The server's `Retry-After`, in milliseconds, when it sent one.
    pub retry_after_ms: Option<u64>,
}

impl ErrorDetails {
    /// Details for a failure without a server answer.
    pub(crate) fn message(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            http_status: None,
            error_code: None,
            error_info_code: None,
            user_message: None,
            developer_message: None,
            request_id: None,
            retry_after_ms: None,
        }
    }
}

/// Why a customer lookup failed. Each variant is one stable code (see [`CustomerError::code`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum CustomerError {
    /// A bad customer id or configuration, found before any request was sent.
    #[error("INVALID_ARGUMENT: {}", details.message)]
    InvalidArgument { details: ErrorDetails },
    /// HTTP 401: a bad API key, or a device token still rejected after one refresh.
    #[error("UNAUTHORIZED: {}", details.message)]
    Unauthorized { details: ErrorDetails },
    /// HTTP 403: e.g. Juspay's BAD_ORIGIN (IP not allow-listed), or a device token scoped to
    /// another customer.
    #[error("FORBIDDEN: {}", details.message)]
    Forbidden { details: ErrorDetails },
    /// HTTP 404 with Juspay's `object_not_found` body: no such customer.
    #[error("CUSTOMER_NOT_FOUND: {}", details.message)]
    CustomerNotFound { details: ErrorDetails },
    /// HTTP 404 without Juspay's body: the base URL or path is wrong.
    #[error("ENDPOINT_NOT_FOUND: {}", details.message)]
    EndpointNotFound { details: ErrorDetails },
    /// HTTP 429, after the retries the deadline allowed; `retry_after_ms` when the server said.
    #[error("RATE_LIMITED: {}", details.message)]
    RateLimited { details: ErrorDetails },
    /// HTTP 5xx, after the retries the deadline allowed.
    #[error("SERVER_ERROR: {}", details.message)]
    ServerError { details: ErrorDetails },
    /// The overall deadline passed before an answer.
    #[error("TIMEOUT: {}", details.message)]
    Timeout { details: ErrorDetails },
    /// Connecting, TLS, or the connection failed (after retries for connect failures).
    #[error("NETWORK: {}", details.message)]
    Network { details: ErrorDetails },
    /// A response that is not what the API documents: a 2xx whose body is not a customer, a
    /// body over the size limit, or an unexpected status.
    #[error("INVALID_RESPONSE: {}", details.message)]
    InvalidResponse { details: ErrorDetails },
    /// The caller cancelled the lookup.
    #[error("CANCELLED: {}", details.message)]
    Cancelled { details: ErrorDetails },
    /// A bug in this library, not a fault of the server or the caller: a panic inside the core
    /// (or, in the plugins, an error of the bindings). The message says where; please report it.
    #[error("INTERNAL: {}", details.message)]
    Internal { details: ErrorDetails },
}

#[uniffi::export]
impl CustomerError {
    /// The stable code, e.g. `"CUSTOMER_NOT_FOUND"`: one of [`ERROR_CODES`].
    pub fn code(&self) -> String {
        self.code_str().to_owned()
    }

    /// Whether trying the same lookup again later may succeed (network, timeout, rate limit,
    /// server error). The client has already retried what it safely could within its deadline.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::ServerError { .. }
                | Self::Timeout { .. }
                | Self::Network { .. }
        )
    }

    /// Everything known about the failure.
    pub fn details(&self) -> ErrorDetails {
        self.details_ref().clone()
    }
}

impl CustomerError {
    /// The stable code without allocating.
    pub fn code_str(&self) -> &'static str {
        match self {
            Self::InvalidArgument { .. } => "INVALID_ARGUMENT",
            Self::Unauthorized { .. } => "UNAUTHORIZED",
            Self::Forbidden { .. } => "FORBIDDEN",
            Self::CustomerNotFound { .. } => "CUSTOMER_NOT_FOUND",
            Self::EndpointNotFound { .. } => "ENDPOINT_NOT_FOUND",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::ServerError { .. } => "SERVER_ERROR",
            Self::Timeout { .. } => "TIMEOUT",
            Self::Network { .. } => "NETWORK",
            Self::InvalidResponse { .. } => "INVALID_RESPONSE",
            Self::Cancelled { .. } => "CANCELLED",
            Self::Internal { .. } => "INTERNAL",
        }
    }

    /// Everything known about the failure, borrowed.
    pub fn details_ref(&self) -> &ErrorDetails {
        match self {
            Self::InvalidArgument { details }
            | Self::Unauthorized { details }
            | Self::Forbidden { details }
            | Self::CustomerNotFound { details }
            | Self::EndpointNotFound { details }
            | Self::RateLimited { details }
            | Self::ServerError { details }
            | Self::Timeout { details }
            | Self::Network { details }
            | Self::InvalidResponse { details }
            | Self::Cancelled { details }
            | Self::Internal { details } => details,
        }
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> Self {
        Self::InvalidArgument {
            details: ErrorDetails::message(message),
        }
    }
}

/// One error of each code, in [`ERROR_CODES`] order: for tests, and for the contract file
/// (`contract.rs`), which records which codes are retryable.
#[cfg(test)]
pub(crate) fn every_variant() -> Vec<CustomerError> {
    let d = || ErrorDetails::message("m");
    vec![
        CustomerError::InvalidArgument { details: d() },
        CustomerError::Unauthorized { details: d() },
        CustomerError::Forbidden { details: d() },
        CustomerError::CustomerNotFound { details: d() },
        CustomerError::EndpointNotFound { details: d() },
        CustomerError::RateLimited { details: d() },
        CustomerError::ServerError { details: d() },
        CustomerError::Timeout { details: d() },
        CustomerError::Network { details: d() },
        CustomerError::InvalidResponse { details: d() },
        CustomerError::Cancelled { details: d() },
        CustomerError::Internal { details: d() },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_exactly_the_design_table_in_order() {
        let codes: Vec<String> = every_variant().iter().map(|e| e.code()).collect();
        assert_eq!(codes, ERROR_CODES);
    }

    #[test]
    fn display_is_code_then_message() {
        let e = CustomerError::CustomerNotFound {
            details: ErrorDetails::message("Customer account not found."),
        };
        assert_eq!(
            e.to_string(),
            "CUSTOMER_NOT_FOUND: Customer account not found."
        );
    }

    #[test]
    fn only_transient_codes_are_retryable() {
        let retryable: Vec<String> = every_variant()
            .iter()
            .filter(|e| e.is_retryable())
            .map(|e| e.code())
            .collect();
        assert_eq!(
            retryable,
            ["RATE_LIMITED", "SERVER_ERROR", "TIMEOUT", "NETWORK"]
        );
    }
}
