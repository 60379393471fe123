//! Which path goes where (and the OpenAPI document that says so), and the layers every request passes: the no-store and nosniff headers
//! and CORS (outermost, so errors carry them too), the request id and access log, error
//! rendering, the body read within its limits, then the one-Authorization check.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::{Extension, Router};
use juspay_sandbox::limits::ServerLimits;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::request_context::{track, REQUEST_ID_HEADER};
use crate::state::AppState;
use crate::{errors, handlers, limits, metrics, openapi, sanitise};
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes and the OpenAPI document of exactly those routes (as pretty JSON), built together
/// from the handlers' `#[utoipa::path]` attributes. `/metrics` is among them unless it has an
/// address of its own (METRICS_LISTEN).
pub fn api(demo_sign_in: bool, metrics_on_api: bool) -> (Router<AppState>, String) {
    let mut api = OpenApiRouter::with_openapi(openapi::BaseDocument::openapi())
        .routes(routes!(handlers::healthz));
    if metrics_on_api {
        api = api.routes(routes!(metrics::serve));
    }
    api = api
        .routes(routes!(openapi::serve))
        .routes(routes!(handlers::get_customer));
    if demo_sign_in {
        api = api.routes(routes!(handlers::issue_device_token));
    }
    let (router, mut document) = api.split_for_parts();
    openapi::add_layer_refusals(&mut document);
    let json = document.to_pretty_json().expect("the document serialises");
    let router = router.layer(Extension(openapi::Served(Arc::new(json.clone()))));
    (router, json)
}

pub fn router(
    state: AppState,
    cors_origins: Vec<HeaderValue>,
    demo_sign_in: bool,
    metrics_on_api: bool,
    server_limits: ServerLimits,
) -> Router {
    api(demo_sign_in, metrics_on_api)
        .0
        // Like Juspay: an unknown path is a 404 without an error body.
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
        .layer(from_fn(sanitise::one_authorization))
        .layer(from_fn_with_state(server_limits, limits::read_body))
        .layer(from_fn(errors::render))
        .layer(from_fn(track))
        .layer(cors(cors_origins))
        .layer(sanitise::no_store())
        .layer(sanitise::no_sniff())
        .with_state(state)
}

/// `GET /metrics` alone, for METRICS_LISTEN: an address only the scraper can reach.
pub fn metrics_router() -> Router {
    Router::new()
        .route("/metrics", axum::routing::get(metrics::serve))
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
        .layer(sanitise::no_store())
        .layer(sanitise::no_sniff())
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
