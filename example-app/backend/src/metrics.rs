//! `GET /metrics` in Prometheus' text format, with the `metrics` facade and its Prometheus
//! renderer. Labels are route templates, methods, statuses and reasons: never a path, a customer
//! id, a token, an email address or a mobile number, and never a value a client can vary
//! without bound.

use std::sync::OnceLock;
use std::time::Duration;

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

pub const REQUESTS: &str = "backend_http_requests_total";
pub const REQUEST_SECONDS: &str = "backend_http_request_duration_seconds";
pub const JUSPAY_SECONDS: &str = "backend_juspay_request_duration_seconds";
pub const TOKEN_REFUSALS: &str = "backend_token_refusals_total";
pub const RATE_LIMITED: &str = "backend_rate_limited_total";
pub const RATE_LIMIT_FALLBACKS: &str = "backend_rate_limit_fallbacks_total";

/// Histogram buckets, in seconds: from a cached-connection loopback answer to UPSTREAM_DEADLINE's
/// upper range.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's recorder, installed on first use. One per process: the facade has one global
/// recorder, and a backend is one per process.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed: GET /metrics stays empty");
        }
        describe();
        handle
    })
}

fn describe() {
    metrics::describe_counter!(
        REQUESTS,
        "Requests answered, by method, route template and status"
    );
    metrics::describe_histogram!(
        REQUEST_SECONDS,
        metrics::Unit::Seconds,
        "Time to answer a request, by method and route template"
    );
    metrics::describe_histogram!(
        JUSPAY_SECONDS,
        metrics::Unit::Seconds,
        "Time of one call to Juspay (the core's retries included), by operation and Juspay's \
         status (none: no answer)"
    );
    metrics::describe_counter!(TOKEN_REFUSALS, "Device tokens refused with 401, by reason");
    metrics::describe_counter!(
        RATE_LIMITED,
        "Requests refused with 429 by the backend's own rate limits, by limit"
    );
    metrics::describe_counter!(
        RATE_LIMIT_FALLBACKS,
        "Rate-limit decisions made by the instance alone because Redis (RATE_LIMIT_REDIS_URL) \
         did not answer, by limit"
    );
}

/// Histograms keep samples until upkeep folds them in; the server runs this every few seconds.
pub fn upkeep() {
    handle().run_upkeep();
}

pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// A method as a label: the standard ones by name, anything else (hyper accepts any token as a
/// method) as `other`, so clients cannot mint series.
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::OPTIONS => "OPTIONS",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// One request answered.
pub fn request(method: &Method, route: &str, status: StatusCode, took: Duration) {
    let method = method_label(method);
    let route = route.to_owned();
    metrics::counter!(REQUESTS, "method" => method, "route" => route.clone(), "status" => status.as_str().to_owned())
        .increment(1);
    metrics::histogram!(REQUEST_SECONDS, "method" => method, "route" => route)
        .record(took.as_secs_f64());
}

/// One call to Juspay; `status` is Juspay's, `None` when it did not answer.
pub fn juspay_call(operation: &'static str, status: Option<u16>, took: Duration) {
    let status = status.map_or_else(|| "none".to_owned(), |s| s.to_string());
    metrics::histogram!(JUSPAY_SECONDS, "operation" => operation, "status" => status)
        .record(took.as_secs_f64());
}

pub fn token_refused(reason: &'static str) {
    metrics::counter!(TOKEN_REFUSALS, "reason" => reason).increment(1);
}

pub fn rate_limited(limit: &'static str) {
    metrics::counter!(RATE_LIMITED, "limit" => limit).increment(1);
}

/// One rate-limit decision made per instance because the fleet's Redis did not answer.
pub fn rate_limit_fallback(limit: &'static str) {
    metrics::counter!(RATE_LIMIT_FALLBACKS, "limit" => limit).increment(1);
}

/// `GET /metrics`.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    summary = "Metrics, in Prometheus' text format",
    responses((status = 200, description = "The backend's metrics in Prometheus' text format", body = String, content_type = "text/plain; version=0.0.4; charset=utf-8"))
)]
pub async fn serve() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        handle().render(),
    )
        .into_response()
}
