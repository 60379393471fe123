//! The device token on a request: `Authorization: Bearer <token>`, verified, as an extractor.

use std::time::SystemTime;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::errors::ApiError;
use crate::metrics;
use crate::state::AppState;
use crate::tokens::{verify, Claims, TokenError};

/// The verified claims of the request's device token. Extracting it answers 401 when the token
/// is missing, malformed, tampered with, for another audience, or expired.
pub struct DeviceToken(pub Claims);

impl FromRequestParts<AppState> for DeviceToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let refused = |reason: &'static str, error: ApiError| {
            tracing::debug!(reason, "device token refused");
            metrics::token_refused(reason);
            error
        };
        let value = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| refused("missing", ApiError::MissingToken))?
            .to_str()
            .map_err(|_| refused("not_bearer", ApiError::InvalidToken))?;
        let (_, token) = value
            .trim()
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .ok_or_else(|| refused("not_bearer", ApiError::InvalidToken))?;
        match verify(&state.token_keys, token.trim(), SystemTime::now()) {
            Ok(claims) => Ok(Self(claims)),
            Err(why @ TokenError::Expired) => Err(refused(why.as_str(), ApiError::ExpiredToken)),
            Err(why) => Err(refused(why.as_str(), ApiError::InvalidToken)),
        }
    }
}
