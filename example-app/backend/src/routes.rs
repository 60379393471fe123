//! Which path goes where, and the layers every request passes: CORS (outermost, so errors carry
//! CORS headers too), the request id and access log, then error rendering.

use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::from_fn;
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::request_context::{track, REQUEST_ID_HEADER};
use crate::state::AppState;
use crate::{errors, handlers};

pub fn router(state: AppState, cors_origins: Vec<HeaderValue>, demo_sign_in: bool) -> Router {
    let mut router = Router::new()
        .route("/healthz", get(handlers::healthz))
        .route("/customers/{id}", get(handlers::get_customer));
    if demo_sign_in {
        router = router.route("/auth/device-token", post(handlers::issue_device_token));
    }
    router
        // Like Juspay: an unknown path is a 404 without an error body.
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
        .layer(from_fn(errors::render))
        .layer(from_fn(track))
        .layer(cors(cors_origins))
        .with_state(state)
}

fn cors(origins: Vec<HeaderValue>) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            // Honoured only with the embedded emulator; harmless otherwise.
            HeaderName::from_static(juspay_sandbox::FAULT_HEADER),
        ])
        .expose_headers([
            HeaderName::from_static(REQUEST_ID_HEADER),
            header::RETRY_AFTER,
        ])
        .max_age(Duration::from_secs(600))
}
