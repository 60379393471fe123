//! A request id for every request: in the `x-request-id` response header, in error bodies, and
//! on every log line the request causes. The access log names the route template, never the
//! path: a customer id may be an email address or a phone number.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// This request's id (a UUID). The backend always makes its own: an id sent by the client would
/// let anyone write what they like into the logs.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Middleware: id, span, and one access-log line per request.
pub async fn track(mut request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    request.extensions_mut().insert(RequestId(id.clone()));
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(unrouted)", MatchedPath::as_str)
        .to_owned();
    let span = tracing::info_span!("request", request_id = %id, method = %request.method(), route = %route);
    let method = request.method().clone();
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    crate::metrics::request(&method, &route, response.status(), started.elapsed());
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            latency_ms = %format_args!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
            "request finished"
        )
    });
    response.headers_mut().insert(
        REQUEST_ID_HEADER,
        HeaderValue::from_str(&id).expect("a UUID is a header value"),
    );
    response
}
