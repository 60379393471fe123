//! The backend's endpoints.

use std::net::SocketAddr;
use std::time::SystemTime;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use juspay_customer::LookupOptions;
use percent_encoding::percent_decode_str;
use serde::Serialize;

use crate::auth::DeviceToken;
use crate::errors::{ApiError, Limited};
use crate::login;
use crate::rate_limits::retry_after_seconds;
use crate::state::AppState;
use crate::tokens::{issue, Claims};
use crate::upstream::{lookup, Answer, Created};

/// What `GET /healthz` answers.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`.
    #[schema(example = "ok")]
    status: &'static str,
}

/// `GET /healthz`: the process is up and serving. It does not call Juspay, so a load balancer
/// probing it cannot spend the merchant's Juspay rate limit.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    summary = "Health, for load balancers",
    responses((status = 200, description = "The process is up and serving; Juspay is not called", body = Health))
)]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// What `POST /auth/device-token` answers.
#[derive(Serialize, utoipa::ToSchema)]
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

/// The sign-in rate limit of the client's address, before the body is looked at (a sign-in
/// costs one to three Juspay calls).
async fn limit_sign_ins(
    state: &AppState,
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    state
        .rate_limits
        .sign_in(peer, headers)
        .await
        .map_err(|wait| limited(Limited::SignIns, wait))
}

fn limited(what: Limited, wait: std::time::Duration) -> ApiError {
    tracing::info!(limit = ?what, "rate limited");
    crate::metrics::rate_limited(match what {
        Limited::Lookups => "lookups",
        Limited::SignIns => "sign_ins",
    });
    ApiError::RateLimited {
        what,
        retry_after_seconds: retry_after_seconds(wait),
    }
}

/// `POST /auth/device-token`: signs the caller in (see `login.rs`), gets the user's customer
/// at Juspay or creates it, as Juspay's guides do (Get Customer; on 404 `object_not_found`,
/// Create Customer with `object_reference_id` = the merchant's id), and issues a token naming
/// it by both ids, only if that customer is the signed-in user's.
#[utoipa::path(
    post,
    path = "/auth/device-token",
    tag = "sign-in",
    summary = "Sign in (demo) and get a device token",
    description = "The demo sign-in (served only with DEMO_SIGN_IN): gets or creates the user's \
        Juspay customer and issues a device token naming it by both ids. Over the sign-in rate \
        limit of the client's address: 429, before Juspay is called.",
    request_body(content = crate::login::DemoSignIn, content_type = "application/json"),
    responses(
        (status = 200, description = "Signed in", body = IssuedToken),
        (status = 400, description = "Not the sign-in JSON, or an id Juspay's rules refuse (INVALID_INPUT); Juspay's 400 to Create Customer, rebuilt", body = crate::sanitise::ErrorBody),
        (status = 404, description = "Juspay's object_not_found, rebuilt: a stored Juspay id Juspay no longer has", body = crate::sanitise::ErrorBody),
        (status = 409, description = "CUSTOMER_MISMATCH: Juspay's customer for the user's id is another user's", body = crate::sanitise::ErrorBody),
        (status = 429, description = "RATE_LIMITED: the client address is over SIGN_IN_RATE_LIMIT; or Juspay's 429", body = crate::sanitise::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 500, description = "UPSTREAM_AUTH_FAILED or UPSTREAM_NOT_FOUND: the backend's Juspay settings are wrong", body = crate::sanitise::ErrorBody),
        (status = 502, description = "UPSTREAM_UNREACHABLE or UPSTREAM_INVALID_RESPONSE", body = crate::sanitise::ErrorBody),
        (status = 504, description = "UPSTREAM_TIMEOUT", body = crate::sanitise::ErrorBody),
        (status = "default", description = "Another status Juspay answered: its error rebuilt, or UPSTREAM_ERROR", body = crate::sanitise::ErrorBody),
    )
)]
pub async fn issue_device_token(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    // The peer and the headers only: a `Request` is not `Sync`, so a borrow of it cannot be
    // held across the limiter's await.
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    limit_sign_ins(&state, peer, request.headers()).await?;
    // Already read within MAX_BODY_BYTES and BODY_TIMEOUT (limits.rs): this only takes it.
    let body = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .map_err(|_| ApiError::InvalidRequest("The request body broke off.".into()))?;
    let user = login::authenticate(&body)?;
    let client = state.upstream.client();
    let get = |id: String| {
        let client = client.clone();
        async move { lookup(&client, &id, LookupOptions::default()).await }
    };
    let customer = match get(user.lookup_id().to_owned()).await? {
        Answer::Customer(customer, _) => customer,
        // A Juspay id the merchant stored is not created again: Juspay's 404 stands.
        Answer::Error(relay) if relay.customer_not_found && user.juspay_customer_id.is_none() => {
            match state.upstream.create_customer(&user).await? {
                Created::Customer(customer) => customer,
                // A concurrent first sign-in of the same user created it: read that one.
                Created::AlreadyExists => match get(user.id.clone()).await? {
                    Answer::Customer(customer, _) => customer,
                    Answer::Error(relay) => return Ok(relay.into_response()),
                },
                Created::Refused(relay) => return Ok(relay.into_response()),
            }
        }
        // Juspay rate-limited or failing: the device sees Juspay's answer.
        Answer::Error(relay) => return Ok(relay.into_response()),
    };
    if !user.owns(&customer) {
        tracing::warn!("Juspay's customer for this sign-in is another user's; no token issued");
        return Err(ApiError::NotTheUsersCustomer);
    }
    let claims = Claims::for_customer(&customer, SystemTime::now(), state.token_ttl);
    tracing::info!("device token issued");
    Ok(Json(IssuedToken {
        token: issue(state.token_keys.signing(), &claims),
        expires_at: humantime::format_rfc3339_seconds(claims.expires_at()).to_string(),
        customer_id: claims.sub,
        object_reference_id: claims.object_reference_id,
    })
    .into_response())
}

/// `GET /customers/{id}` with a device token: Juspay's answer, unchanged, for the token's own
/// customer only. `?options.get_client_auth_token=true` asks Juspay for its client auth token
/// too; that answer holds a credential, so no cache may keep it. No other query parameter
/// reaches Juspay.
#[utoipa::path(
    get,
    path = "/customers/{id}",
    tag = "customers",
    summary = "Look up the device token's own customer at Juspay",
    description = "The token's own customer, as Juspay answers it. In order: 401 (token), 403 \
        (scope, before Juspay is called), 429 (the customer's rate limit, before Juspay is \
        called), then Juspay's answer.",
    params(
        ("id" = String, Path, description = "Juspay's id (`cst_…`) or the merchant's object_reference_id, one percent-encoded path segment"),
        ("options.get_client_auth_token" = Option<bool>, Query, description = "`true`: ask Juspay for its client auth token too (answered with `Cache-Control: no-store`)"),
    ),
    security(("device_token" = [])),
    responses(
        (status = 200, description = "Juspay's customer, its body as Juspay sent it", body = crate::openapi::JuspayCustomer),
        (status = 400, description = "INVALID_INPUT: an id Juspay's rules refuse, a bad x-sandbox-fault, two Authorization headers", body = crate::sanitise::ErrorBody),
        (status = 401, description = "UNAUTHORIZED: the device token is missing, malformed, tampered, foreign or expired", body = crate::sanitise::ErrorBody,
            headers(("WWW-Authenticate" = String, description = "`Bearer error=\"invalid_token\"`"))),
        (status = 403, description = "FORBIDDEN: the token names another customer", body = crate::sanitise::ErrorBody),
        (status = 404, description = "Juspay's object_not_found, rebuilt", body = crate::sanitise::ErrorBody),
        (status = 429, description = "RATE_LIMITED: the customer is over LOOKUP_RATE_LIMIT; or Juspay's 429", body = crate::sanitise::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 500, description = "UPSTREAM_AUTH_FAILED or UPSTREAM_NOT_FOUND: the backend's Juspay settings are wrong", body = crate::sanitise::ErrorBody),
        (status = 502, description = "UPSTREAM_UNREACHABLE or UPSTREAM_INVALID_RESPONSE", body = crate::sanitise::ErrorBody),
        (status = 504, description = "UPSTREAM_TIMEOUT", body = crate::sanitise::ErrorBody),
        (status = "default", description = "Another status Juspay answered: its error rebuilt, or UPSTREAM_ERROR", body = crate::sanitise::ErrorBody),
    )
)]
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
    // Then the customer's rate limit, before Juspay is called: one token holder cannot spend
    // the merchant's Juspay quota.
    state
        .rate_limits
        .lookup(&claims.sub)
        .await
        .map_err(|wait| limited(Limited::Lookups, wait))?;
    let options = LookupOptions {
        client_auth_token: asks_for_client_auth_token(uri.query()),
    };
    let client = state.upstream.client_for(&headers)?;
    match lookup(&client, &requested, options).await? {
        // Checked again on Juspay's answer: an object_reference_id could look like another
        // customer's Juspay id, and Juspay would then answer with that other customer.
        Answer::Customer(customer, relay) if claims.owns(&customer) => {
            let mut response = relay.into_response();
            if options.client_auth_token {
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            }
            Ok(response)
        }
        Answer::Customer(..) => {
            tracing::warn!("Juspay answered with a customer other than the token's; withheld");
            Err(ApiError::OtherCustomer)
        }
        Answer::Error(relay) => Ok(relay.into_response()),
    }
}

/// Whether the query asks for Juspay's client auth token: `options.get_client_auth_token=true`
/// among its parameters, as Juspay spells it. Everything else in the query is ignored.
fn asks_for_client_auth_token(query: Option<&str>) -> bool {
    query.unwrap_or_default().split('&').any(|pair| {
        pair.split_once('=').is_some_and(|(key, value)| {
            percent_decode_str(key).decode_utf8().ok().as_deref()
                == Some("options.get_client_auth_token")
                && percent_decode_str(value).decode_utf8().ok().as_deref() == Some("true")
        })
    })
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

    #[test]
    fn only_options_get_client_auth_token_true_asks_for_the_token() {
        for yes in [
            "options.get_client_auth_token=true",
            "x=1&options.get_client_auth_token=true",
            "options%2Eget_client_auth_token=true",
        ] {
            assert!(asks_for_client_auth_token(Some(yes)), "{yes}");
        }
        for no in [
            "",
            "options.get_client_auth_token=false",
            "options.get_client_auth_token=TRUE",
            "options.get_client_auth_token",
            "get_client_auth_token=true",
            "options.get_client_auth_token=true1",
        ] {
            assert!(!asks_for_client_auth_token(Some(no)), "{no}");
        }
        assert!(!asks_for_client_auth_token(None));
    }
}
