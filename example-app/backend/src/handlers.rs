//! The backend's endpoints.

use std::time::SystemTime;

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde::Serialize;

use crate::auth::DeviceToken;
use crate::errors::ApiError;
use crate::login;
use crate::state::AppState;
use crate::tokens::{issue, Claims};
use crate::upstream::{lookup, Answer};

/// `GET /healthz`: the process is up and serving. It does not call Juspay, so a load balancer
/// probing it cannot spend the merchant's Juspay rate limit.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// What `POST /auth/device-token` answers.
#[derive(Serialize)]
pub struct IssuedToken {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// RFC 3339, UTC, e.g. `2026-11-29T03:15:00Z`.
    pub expires_at: String,
    /// Juspay's id of the signed-in customer (`cst_…`).
    pub customer_id: String,
    /// The merchant's id of the same customer; the token accepts either.
    pub object_reference_id: Option<String>,
}

/// `POST /auth/device-token`: signs the caller in (see `login.rs`), looks the customer up at
/// Juspay so the token can name it by both ids, and issues a token.
pub async fn issue_device_token(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let signed_in = login::authenticate(&body)?;
    let customer = match lookup(&state.upstream.client(), &signed_in.customer_id).await? {
        Answer::Customer(customer, _) => customer,
        // No such customer (404), Juspay rate-limited or failing: the device sees Juspay's answer.
        Answer::Error(relay) => return Ok(relay.into_response()),
    };
    let claims = Claims::for_customer(&customer, SystemTime::now(), state.token_ttl);
    tracing::info!("device token issued");
    Ok(Json(IssuedToken {
        token: issue(&state.token_key, &claims),
        expires_at: humantime::format_rfc3339_seconds(claims.expires_at()).to_string(),
        customer_id: claims.sub,
        object_reference_id: claims.object_reference_id,
    })
    .into_response())
}

/// `GET /customers/{id}` with a device token: Juspay's answer, unchanged, for the token's own
/// customer only.
pub async fn get_customer(
    State(state): State<AppState>,
    DeviceToken(claims): DeviceToken,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // Checked before calling Juspay: a token never makes the backend look up someone else.
    let requested = requested_customer(&uri)
        .filter(|id| claims.names(id))
        .ok_or(ApiError::OtherCustomer)?;
    let client = state.upstream.client_for(&headers)?;
    match lookup(&client, &requested).await? {
        // Checked again on Juspay's answer: an object_reference_id could look like another
        // customer's Juspay id, and Juspay would then answer with that other customer.
        Answer::Customer(customer, relay) if claims.owns(&customer) => Ok(relay.into_response()),
        Answer::Customer(..) => {
            tracing::warn!("Juspay answered with a customer other than the token's; withheld");
            Err(ApiError::OtherCustomer)
        }
        Answer::Error(relay) => Ok(relay.into_response()),
    }
}

/// The `{id}` of `/customers/{id}`, percent-decoded exactly once (the core encodes it again for
/// Juspay). `None` when it is not UTF-8: no token names such an id.
fn requested_customer(uri: &Uri) -> Option<String> {
    let segment = uri.path().strip_prefix("/customers/")?;
    percent_decode_str(segment)
        .decode_utf8()
        .ok()
        .map(|id| id.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_id_is_decoded_once() {
        let id = |p: &str| requested_customer(&p.parse::<Uri>().unwrap());
        assert_eq!(id("/customers/a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(id("/customers/a%252Fb").as_deref(), Some("a%2Fb"));
        assert_eq!(id("/customers/%FF"), None);
    }
}
