//! The emulator's own endpoints under `/__sandbox/`, which Juspay does not have: the server-wide
//! fault switch and the log of received requests. They are off unless the emulator was started
//! with a control key, and then answer only requests that send it as `x-sandbox-control-key`:
//! the request log shows what clients sent, and the fault switch fails everyone's requests.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::bodies;
use crate::faults::Fault;
use crate::state::{AppState, RecordedRequest};

/// The header a control request carries the control key in.
pub const CONTROL_KEY_HEADER: &str = "x-sandbox-control-key";

/// Middleware on the control endpoints: without a control key they do not exist (the unknown
/// path page); with one, a request without the key (compared in constant time) gets 401.
pub(crate) async fn require_key(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(key) = state.control_key.as_deref() else {
        return bodies::unknown_path().await.into_response();
    };
    let sent = request
        .headers()
        .get(CONTROL_KEY_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(sent.ct_eq(key.as_bytes())) {
        return (
            StatusCode::UNAUTHORIZED,
            format!("juspay-sandbox: send the control key as {CONTROL_KEY_HEADER}\n"),
        )
            .into_response();
    }
    next.run(request).await
}

/// The server-wide fault as `GET`, `POST` and `DELETE /__sandbox/faults` show it.
#[derive(Serialize)]
pub(crate) struct FaultState {
    fault: Option<String>,
    /// Requests it still applies to; `null` for every request until cleared.
    remaining: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SetFault {
    fault: String,
    #[serde(default)]
    times: Option<u64>,
}

pub(crate) async fn get_fault(State(state): State<AppState>) -> Json<FaultState> {
    Json(fault_state(&state))
}

/// `POST /__sandbox/faults` with `{"fault": "status=503", "times": 2}`; `times` left out means
/// every request until `DELETE`.
pub(crate) async fn set_fault(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let request: SetFault = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return bad_request(format!(
                "expected {{\"fault\": \"...\", \"times\": N}}: {e}"
            ))
        }
    };
    match request.fault.parse::<Fault>() {
        Ok(fault) => {
            state.server_fault.set(fault, request.times);
            Json(fault_state(&state)).into_response()
        }
        Err(e) => bad_request(format!("bad fault: {e}")),
    }
}

pub(crate) async fn clear_fault(State(state): State<AppState>) -> Json<FaultState> {
    state.server_fault.clear();
    Json(fault_state(&state))
}

fn fault_state(state: &AppState) -> FaultState {
    match state.server_fault.current() {
        Some((fault, remaining)) => FaultState {
            fault: Some(fault.to_string()),
            remaining,
        },
        None => FaultState {
            fault: None,
            remaining: None,
        },
    }
}

fn bad_request(message: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        format!("juspay-sandbox: {message}\n"),
    )
        .into_response()
}

/// `GET /__sandbox/requests`: the customer requests received, oldest first.
pub(crate) async fn list_requests(State(state): State<AppState>) -> Json<Vec<RecordedRequest>> {
    Json(state.requests.all())
}

pub(crate) async fn clear_requests(State(state): State<AppState>) -> StatusCode {
    state.requests.clear();
    StatusCode::NO_CONTENT
}

/// Middleware on the customer routes: records each request before anything else looks at it.
pub(crate) async fn record(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request
        .headers()
        .iter()
        .filter(|(name, _)| *name != header::COOKIE)
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes());
            let value = if name == header::AUTHORIZATION {
                // The scheme tells a Basic key from a Bearer token; the credential stays out.
                let scheme = value.split(' ').next().unwrap_or_default();
                format!("{scheme} [redacted]")
            } else {
                value.into_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect();
    let method = request.method().clone();
    state.requests.push(RecordedRequest {
        method: method.to_string(),
        path: request.uri().path().to_owned(),
        headers,
    });
    let response = next.run(request).await;
    // Never the path: a customer id can be an email address.
    tracing::debug!(%method, status = response.status().as_u16(), "customer request answered");
    response
}
