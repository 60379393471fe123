//! Slow and greedy clients: the request body is read here, within BODY_TIMEOUT and
//! MAX_BODY_BYTES, before any handler runs; the header timeout and the connection cap are
//! applied where connections are served (`server.rs`, with the emulator crate's
//! `juspay_sandbox::limits`, which both servers share).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use juspay_sandbox::limits::{BodyRefused, ServerLimits};

use crate::errors::ApiError;

/// Middleware: reads the whole body within the limits; 413 or 408 in Juspay's error shape.
pub async fn read_body(
    State(limits): State<ServerLimits>,
    request: Request,
    next: Next,
) -> Response {
    match limits.read_body(request).await {
        Ok(request) => next.run(request).await,
        Err(BodyRefused::TooLarge) => ApiError::PayloadTooLarge.into_response(),
        Err(BodyRefused::TooSlow) => ApiError::BodyTooSlow.into_response(),
        Err(BodyRefused::Broken) => {
            ApiError::InvalidRequest("The request body broke off.".into()).into_response()
        }
    }
}
