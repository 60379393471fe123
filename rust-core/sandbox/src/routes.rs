//! Which path goes where, and in what order the checks run: every request has its body read
//! within the limits first; on the customer endpoints, record the request, act out a fault,
//! check key / merchant / IP, then answer; the control endpoints need the control key.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::limits::BodyRefused;
use crate::state::AppState;
use crate::{auth, bodies, control, faults, handlers};

pub(crate) fn router(state: AppState) -> Router {
    let customers = Router::new()
        .route("/customers", post(handlers::create_customer))
        .route(
            "/customers/{id}",
            get(handlers::get_customer).post(handlers::update_customer),
        )
        // route_layer: unknown paths skip these and get a plain 404. The last added runs first.
        .route_layer(from_fn_with_state(state.clone(), auth::require_merchant))
        .route_layer(from_fn_with_state(state.clone(), faults::apply))
        .route_layer(from_fn_with_state(state.clone(), control::record));
    let sandbox = Router::new()
        .route(
            "/__sandbox/faults",
            get(control::get_fault)
                .post(control::set_fault)
                .delete(control::clear_fault),
        )
        .route(
            "/__sandbox/requests",
            get(control::list_requests).delete(control::clear_requests),
        )
        .route_layer(from_fn_with_state(state.clone(), control::require_key));
    customers
        .merge(sandbox)
        .fallback(bodies::unknown_path)
        .method_not_allowed_fallback(bodies::unknown_path)
        .layer(from_fn_with_state(state.clone(), read_body))
        .with_state(state)
}

/// Middleware on every request: the body is read within the limits before anything else runs.
async fn read_body(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (status, why) = match state.limits.read_body(request).await {
        Ok(request) => return next.run(request).await,
        Err(BodyRefused::TooLarge) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the request body exceeds {} bytes",
                state.limits.max_body_bytes
            ),
        ),
        Err(BodyRefused::TooSlow) => (
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the request body did not arrive within {} ms",
                state.limits.body_timeout.as_millis()
            ),
        ),
        Err(BodyRefused::Broken) => (
            StatusCode::BAD_REQUEST,
            "the request body broke off".to_owned(),
        ),
    };
    let mut response = (status, format!("juspay-sandbox: {why}\n")).into_response();
    // The rest of the body may still be on its way: this connection cannot carry another request.
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
