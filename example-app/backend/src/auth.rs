//! The device token on a request: `Authorization: Bearer <token>`, verified, as an extractor.

use std::time::SystemTime;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::errors::ApiError;
use crate::state::AppState;
use crate::tokens::{verify, Claims, TokenError};

/// The verified claims of the request's device token. Extracting it answers 401 when the token
/// is missing, malformed, tampered with, for another audience, or expired.
pub struct DeviceToken(pub Claims);

impl FromRequestParts<AppState> for DeviceToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let value = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or(ApiError::MissingToken)?
            .to_str()
            .map_err(|_| ApiError::InvalidToken)?;
        let (scheme, token) = value.trim().split_once(' ').ok_or(ApiError::InvalidToken)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(ApiError::InvalidToken);
        }
        match verify(&state.token_keys, token.trim(), SystemTime::now()) {
            Ok(claims) => Ok(Self(claims)),
            Err(TokenError::Expired) => Err(ApiError::ExpiredToken),
            Err(why) => {
                tracing::debug!(why = why.as_str(), "device token refused");
                Err(ApiError::InvalidToken)
            }
        }
    }
}
