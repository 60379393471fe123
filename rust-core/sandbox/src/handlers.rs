//! The customer endpoints: Get, Create and Update, as Juspay answers them.

use std::time::{Duration, SystemTime};

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde::Serialize;

use crate::bodies::{json_response, JuspayError};
use crate::customer::{timestamp, Customer, CustomerFields};
use crate::state::AppState;
use crate::store::{AlreadyExists, Entry};

/// Juspay's client auth tokens live about 15 minutes.
const CLIENT_AUTH_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);

/// `GET /customers/{id}`: by Juspay id or object_reference_id.
pub(crate) async fn get_customer(State(state): State<AppState>, uri: Uri) -> Response {
    match customer_id(&uri).and_then(|id| state.store.get(&id)) {
        Some(entry) => answer(entry, wants_client_auth_token(uri.query().unwrap_or(""))),
        None => JuspayError::CustomerNotFound.into_response(),
    }
}

/// `POST /customers`, form-encoded.
pub(crate) async fn create_customer(State(state): State<AppState>, body: Bytes) -> Response {
    let fields = CustomerFields::from_form(&body);
    let invalid = fields.invalid_fields(true);
    if !invalid.is_empty() {
        return JuspayError::InvalidInput(invalid).into_response();
    }
    let wants_token = fields.wants_client_auth_token;
    let now = timestamp(SystemTime::now());
    match state.store.create(|id| fields.into_customer(id, &now)) {
        Ok(entry) => {
            tracing::debug!(customers = state.store.len(), "customer created");
            answer(entry, wants_token)
        }
        Err(AlreadyExists) => JuspayError::AlreadyExists.into_response(),
    }
}

/// `POST /customers/{id}`, form-encoded: changes the given fields.
pub(crate) async fn update_customer(
    State(state): State<AppState>,
    uri: Uri,
    body: Bytes,
) -> Response {
    let fields = CustomerFields::from_form(&body);
    let invalid = fields.invalid_fields(false);
    if !invalid.is_empty() {
        return JuspayError::InvalidInput(invalid).into_response();
    }
    let wants_token = fields.wants_client_auth_token;
    let now = timestamp(SystemTime::now());
    let updated = customer_id(&uri).and_then(|id| {
        state
            .store
            .update(&id, |customer| fields.apply_to(customer, &now))
    });
    match updated {
        Some(entry) => answer(entry, wants_token),
        None => JuspayError::CustomerNotFound.into_response(),
    }
}

/// The customer id of `/customers/{id}`, percent-decoded exactly once: `a%2Fb` names `a/b`,
/// `a%252Fb` names `a%2Fb`. `None` when the bytes are not UTF-8 (no customer has such an id).
fn customer_id(uri: &Uri) -> Option<String> {
    let segment = uri.path().strip_prefix("/customers/")?;
    percent_decode_str(segment)
        .decode_utf8()
        .ok()
        .map(|id| id.into_owned())
}

fn wants_client_auth_token(query: &str) -> bool {
    form_urlencoded::parse(query.as_bytes())
        .any(|(key, value)| key == "options.get_client_auth_token" && value == "true")
}

/// The customer as a 200, with a client auth token when asked for one.
fn answer(entry: Entry, with_client_auth_token: bool) -> Response {
    if !with_client_auth_token {
        return json_response(StatusCode::OK, entry.json);
    }
    #[derive(Serialize)]
    struct WithToken<'a> {
        #[serde(flatten)]
        customer: &'a Customer,
        juspay: ClientAuth,
    }
    #[derive(Serialize)]
    struct ClientAuth {
        client_auth_token: String,
        client_auth_token_expiry: String,
    }
    let body = WithToken {
        customer: &entry.customer,
        juspay: ClientAuth {
            client_auth_token: format!("tkn_{}", uuid::Uuid::new_v4().simple()),
            client_auth_token_expiry: timestamp(SystemTime::now() + CLIENT_AUTH_TOKEN_TTL),
        },
    };
    let json = serde_json::to_vec(&body).expect("a customer serialises");
    json_response(StatusCode::OK, Bytes::from(json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_decoded_once() {
        let id = |path: &str| customer_id(&path.parse::<Uri>().unwrap());
        assert_eq!(id("/customers/a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(id("/customers/a%252Fb").as_deref(), Some("a%2Fb"));
        assert_eq!(id("/customers/%C3%A9").as_deref(), Some("é"));
        assert_eq!(id("/customers/%FF"), None);
    }

    #[test]
    fn only_true_asks_for_a_client_auth_token() {
        assert!(wants_client_auth_token(
            "options.get_client_auth_token=true"
        ));
        assert!(wants_client_auth_token(
            "a=1&options.get_client_auth_token=true"
        ));
        assert!(!wants_client_auth_token(
            "options.get_client_auth_token=false"
        ));
        assert!(!wants_client_auth_token(""));
    }
}
