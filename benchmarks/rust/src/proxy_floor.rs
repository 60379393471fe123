//! The proxy floor: the least a backend on the reference backend's stack can do per request.
//! axum on hyper takes `GET /customers/{id}`, reqwest forwards it to the emulator with the API
//! key and hands back the status and body. There is no device token, no rate limit, no request
//! id, no access log, no metrics, no connection limits and no sanitising. The suite loads it at
//! the same open-loop rate as the backend, so its CPU per request is what two loopback HTTP
//! exchanges cost on this machine, and the backend's CPU minus it is what the backend's own
//! work costs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine as _;
use serde_json::json;
use tokio::io::AsyncReadExt as _;
use tokio::net::TcpListener;

struct Forward {
    http: reqwest::Client,
    customers_url: String,
    headers: HeaderMap,
    served: AtomicU64,
}

/// Serves on `listen` until stdin closes, then prints how many requests it forwarded.
pub async fn run(
    listen: std::net::SocketAddr,
    base_url: &str,
    api_key: &str,
    merchant_id: &str,
) -> Result<serde_json::Value, String> {
    let value = |v: String| HeaderValue::try_from(v).map_err(|e| e.to_string());
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{api_key}:"));
    let mut headers = HeaderMap::new();
    headers.insert(header::AUTHORIZATION, value(format!("Basic {basic}"))?);
    headers.insert("x-merchantid", value(merchant_id.to_owned())?);
    headers.insert("version", HeaderValue::from_static("2019-05-07"));
    headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    let forward = Arc::new(Forward {
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?,
        customers_url: format!("{}/customers/", base_url.trim_end_matches('/')),
        headers,
        served: AtomicU64::new(0),
    });
    let app = Router::new()
        .route("/customers/{id}", get(customer))
        .with_state(forward.clone());
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // The ready line goes to stderr: stdout carries only the final JSON.
    eprintln!("listening on http://{addr}");
    let stdin_closed = async {
        let mut sink = [0u8; 64];
        let mut stdin = tokio::io::stdin();
        while matches!(stdin.read(&mut sink).await, Ok(n) if n > 0) {}
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(stdin_closed)
        .await
        .map_err(|e| e.to_string())?;
    Ok(json!({ "forwarded": forward.served.load(Ordering::Relaxed) }))
}

/// The id goes on as the path segment it came as (axum has decoded it; the suite's id needs no
/// encoding), with Juspay's routing header.
async fn customer(State(forward): State<Arc<Forward>>, Path(id): Path<String>) -> Response {
    let mut headers = forward.headers.clone();
    if let Ok(routing) = HeaderValue::try_from(id.as_str()) {
        headers.insert("x-routing-id", routing);
    }
    let sent = forward
        .http
        .get(format!("{}{id}", forward.customers_url))
        .headers(headers)
        .send()
        .await;
    let answer = match sent {
        Ok(answer) => answer,
        Err(e) => return (StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    };
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    match answer.bytes().await {
        Ok(body) => {
            forward.served.fetch_add(1, Ordering::Relaxed);
            (
                status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response()
        }
        Err(e) => (StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    }
}
