//! Every error the backend itself answers, listed once with its status and meaning, and the one
//! place they are rendered. Bodies have the shape of Juspay's documented 401, so a device parses
//! the backend's errors and Juspay's (which the backend passes on, rebuilt) the same way:
//!
//! ```json
//! {"status":"error","error_code":"access_denied","error_info":{"user_message":"Unauthorized.",
//!  "request_id":"…","href":"NA","developer_message":"…","code":"UNAUTHORIZED","category":"USER_ERROR"}}
//! ```
//!
//! `request_id` is the backend's own request id, also sent as the `x-request-id` header and
//! written on every log line of the request.
//!
//! | status | error_code | error_info.code | when |
//! |---|---|---|---|
//! | 400 | invalid_request | INVALID_INPUT | sign-in body is not `{"customer_id": "…"}`, the id breaks Juspay's rules, or a bad `x-sandbox-fault` |
//! | 401 | access_denied | UNAUTHORIZED | device token missing, malformed, tampered, for another audience, or expired |
//! | 403 | access_denied | FORBIDDEN | the token names another customer (checked before calling Juspay, and on Juspay's answer) |
//! | 409 | identity_mismatch | CUSTOMER_MISMATCH | at sign-in, Juspay's customer for the user's id is not the user's (its object_reference_id is not the merchant's id, nor its id the stored Juspay id) |
//! | 500 | backend_misconfigured | UPSTREAM_AUTH_FAILED | Juspay answered 401/403 to the backend's own key, merchant id or IP |
//! | 500 | backend_misconfigured | UPSTREAM_NOT_FOUND | Juspay answered 404 without its not-found body: JUSPAY_BASE_URL is wrong |
//! | 502 | bad_gateway | UPSTREAM_INVALID_RESPONSE | Juspay's answer could not be read as a customer (malformed, oversized) |
//! | 502 | bad_gateway | UPSTREAM_UNREACHABLE | no answer from Juspay: connection refused or reset |
//! | 504 | gateway_timeout | UPSTREAM_TIMEOUT | Juspay did not answer within UPSTREAM_DEADLINE |
//! | 400 | invalid_request | INVALID_INPUT | more than one `Authorization` header, or a request body that broke off |
//! | 408 | request_timeout | REQUEST_TIMEOUT | the request body did not arrive within BODY_TIMEOUT |
//! | 413 | payload_too_large | PAYLOAD_TOO_LARGE | the request body is over MAX_BODY_BYTES |
//! | 429 | too_many_requests | RATE_LIMITED | over LOOKUP_RATE_LIMIT (per customer) or SIGN_IN_RATE_LIMIT (per address), with `Retry-After`; Juspay was not called |
//! | Juspay's | upstream_error | UPSTREAM_ERROR | Juspay's error answer had no Juspay error body (an HTML page, say): its status, Retry-After and request id are kept |
//!
//! Misconfiguration is 500, not 502: device clients retry 502/503/504, and no retry helps until
//! the operator fixes the configuration. Juspay's own error bodies (404 object_not_found, 429,
//! 5xx) are passed on rebuilt from their known fields (`sanitise.rs`), not listed here.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::request_context::RequestId;

/// An error the backend answers itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    InvalidRequest(String),
    MissingToken,
    InvalidToken,
    ExpiredToken,
    OtherCustomer,
    NotTheUsersCustomer,
    UpstreamRejectedCredentials {
        status: u16,
    },
    UpstreamNotFound,
    UpstreamInvalidResponse,
    UpstreamUnreachable,
    UpstreamTimeout,
    BodyTooSlow,
    PayloadTooLarge,
    /// Over one of the backend's own rate limits (`rate_limits.rs`); Juspay was not called.
    RateLimited {
        what: Limited,
        retry_after_seconds: u64,
    },
    /// Juspay's non-2xx answer without Juspay's error body: its status and what of it is safe.
    UpstreamError {
        status: StatusCode,
        juspay_request_id: Option<String>,
        retry_after: Option<HeaderValue>,
    },
}

/// Which of the backend's rate limits refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    Lookups,
    SignIns,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidRequest(_) => StatusCode::BAD_REQUEST,
            Self::MissingToken | Self::InvalidToken | Self::ExpiredToken => {
                StatusCode::UNAUTHORIZED
            }
            Self::OtherCustomer => StatusCode::FORBIDDEN,
            Self::NotTheUsersCustomer => StatusCode::CONFLICT,
            Self::UpstreamRejectedCredentials { .. } | Self::UpstreamNotFound => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            Self::UpstreamInvalidResponse | Self::UpstreamUnreachable => StatusCode::BAD_GATEWAY,
            Self::UpstreamTimeout => StatusCode::GATEWAY_TIMEOUT,
            Self::BodyTooSlow => StatusCode::REQUEST_TIMEOUT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::UpstreamError { status, .. } => *status,
        }
    }

    /// (error_code, error_info.code)
    fn codes(&self) -> (&'static str, &'static str) {
        match self {
            Self::InvalidRequest(_) => ("invalid_request", "INVALID_INPUT"),
            Self::MissingToken | Self::InvalidToken | Self::ExpiredToken => {
                ("access_denied", "UNAUTHORIZED")
            }
            Self::OtherCustomer => ("access_denied", "FORBIDDEN"),
            Self::NotTheUsersCustomer => ("identity_mismatch", "CUSTOMER_MISMATCH"),
            Self::UpstreamRejectedCredentials { .. } => {
                ("backend_misconfigured", "UPSTREAM_AUTH_FAILED")
            }
            Self::UpstreamNotFound => ("backend_misconfigured", "UPSTREAM_NOT_FOUND"),
            Self::UpstreamInvalidResponse => ("bad_gateway", "UPSTREAM_INVALID_RESPONSE"),
            Self::UpstreamUnreachable => ("bad_gateway", "UPSTREAM_UNREACHABLE"),
            Self::UpstreamTimeout => ("gateway_timeout", "UPSTREAM_TIMEOUT"),
            Self::BodyTooSlow => ("request_timeout", "REQUEST_TIMEOUT"),
            Self::PayloadTooLarge => ("payload_too_large", "PAYLOAD_TOO_LARGE"),
            Self::RateLimited { .. } => ("too_many_requests", "RATE_LIMITED"),
            Self::UpstreamError { .. } => ("upstream_error", "UPSTREAM_ERROR"),
        }
    }

    fn user_message(&self) -> &'static str {
        match self.status() {
            StatusCode::BAD_REQUEST => "Invalid request params. Please verify your input.",
            StatusCode::UNAUTHORIZED => "Unauthorized.",
            StatusCode::FORBIDDEN => "Forbidden.",
            StatusCode::CONFLICT => "Your account could not be matched. Please contact support.",
            StatusCode::TOO_MANY_REQUESTS => "Too many requests. Please try again later.",
            status if status.is_client_error() => {
                "Invalid request params. Please verify your input."
            }
            _ => "Something went wrong. Please try again later.",
        }
    }

    /// For the app's developer; never holds a key, a token or personal data.
    fn developer_message(&self) -> String {
        match self {
            Self::InvalidRequest(why) => why.clone(),
            Self::MissingToken => "Send the device token as `Authorization: Bearer <token>`.".into(),
            Self::InvalidToken => "The device token is not valid.".into(),
            Self::ExpiredToken => "The device token has expired.".into(),
            Self::OtherCustomer => "The device token is scoped to another customer.".into(),
            Self::NotTheUsersCustomer => {
                "Juspay's customer for this id belongs to another user: no device token issued."
                    .into()
            }
            Self::UpstreamRejectedCredentials { status } => format!(
                "Juspay rejected the backend's credentials (HTTP {status}): its operator must check \
                 JUSPAY_API_KEY, JUSPAY_MERCHANT_ID and Juspay's IP allow-list."
            ),
            Self::UpstreamNotFound => {
                "Juspay answered 404 without its not-found body: the backend's JUSPAY_BASE_URL is wrong."
                    .into()
            }
            Self::UpstreamInvalidResponse => "Juspay's answer could not be read.".into(),
            Self::UpstreamUnreachable => "Juspay could not be reached.".into(),
            Self::UpstreamTimeout => "Juspay did not answer in time.".into(),
            Self::BodyTooSlow => "The request body did not arrive in time.".into(),
            Self::PayloadTooLarge => "The request body is too large.".into(),
            Self::RateLimited {
                what,
                retry_after_seconds,
            } => format!(
                "Too many {} for the backend's rate limit: retry after {retry_after_seconds} s.",
                match what {
                    Limited::Lookups => "lookups of this customer",
                    Limited::SignIns => "sign-ins from this address",
                }
            ),
            Self::UpstreamError { status, .. } => format!(
                "Juspay answered HTTP {} without a Juspay error body.",
                status.as_u16()
            ),
        }
    }

    fn render(&self, request_id: &str) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            status: &'static str,
            error_code: &'static str,
            error_info: Info<'a>,
        }
        #[derive(Serialize)]
        struct Info<'a> {
            user_message: &'static str,
            request_id: &'a str,
            href: &'static str,
            developer_message: String,
            code: &'static str,
            category: &'static str,
        }
        let status = self.status();
        let (error_code, code) = self.codes();
        // Juspay's id, when it sent one, is what Juspay's support can look up; the backend's own
        // is in x-request-id either way.
        let request_id = match self {
            Self::UpstreamError {
                juspay_request_id: Some(id),
                ..
            } => id.as_str(),
            _ => request_id,
        };
        let body = Body {
            status: "error",
            error_code,
            error_info: Info {
                user_message: self.user_message(),
                request_id,
                href: "NA",
                developer_message: self.developer_message(),
                code,
                category: if status.is_client_error() {
                    "USER_ERROR"
                } else {
                    "SERVER_ERROR"
                },
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        match self {
            _ if status == StatusCode::UNAUTHORIZED => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(r#"Bearer error="invalid_token""#),
                );
            }
            // The rest of the body may still be on its way: the connection cannot be reused.
            Self::BodyTooSlow | Self::PayloadTooLarge => {
                headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            Self::UpstreamError {
                retry_after: Some(retry_after),
                ..
            } => {
                headers.insert(header::RETRY_AFTER, retry_after.clone());
            }
            Self::RateLimited {
                retry_after_seconds,
                ..
            } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_seconds));
            }
            _ => {}
        }
        response
    }
}

impl IntoResponse for ApiError {
    /// A placeholder carrying the error; [`render`] turns it into the body once the request id
    /// is at hand.
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// Middleware: renders the [`ApiError`] a handler or extractor returned, with the request's id.
pub async fn render(request: Request, next: Next) -> Response {
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<ApiError>() {
        Some(error) => error.render(&request_id),
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn errors_render_in_juspays_401_shape_with_the_request_id() {
        let response = ApiError::ExpiredToken.render("rid-1");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.headers()[header::WWW_AUTHENTICATE],
            r#"Bearer error="invalid_token""#
        );
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        assert_eq!(
            body,
            r#"{"status":"error","error_code":"access_denied","error_info":{"user_message":"Unauthorized.","request_id":"rid-1","href":"NA","developer_message":"The device token has expired.","code":"UNAUTHORIZED","category":"USER_ERROR"}}"#
        );
    }
}
