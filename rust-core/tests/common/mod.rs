//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::time::Instant;

use juspay_customer::{ClientConfig, Credentials, CustomerClient};
use juspay_scenario_server::{Answer, ScenarioServer};
use serde_json::{json, Value};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub const API_KEY: &str = "test_api_key_5f1c";
pub const MERCHANT_ID: &str = "test_merchant";
pub const DEVICE_TOKEN: &str = "device-token-abc";

/// The two ways to call: a device with its token, or a server with the API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    DeviceToken,
    ApiKey,
}

impl Mode {
    pub fn credentials(self) -> Credentials {
        match self {
            Mode::DeviceToken => Credentials::DeviceToken {
                token: DEVICE_TOKEN.into(),
            },
            Mode::ApiKey => Credentials::ApiKey {
                api_key: API_KEY.into(),
                merchant_id: Some(MERCHANT_ID.into()),
                api_version: None,
            },
        }
    }
}

pub fn client(base_url: &str, credentials: Credentials) -> CustomerClient {
    CustomerClient::new(ClientConfig::new(base_url, credentials)).expect("valid config")
}

// Not every test binary compares outcomes.
#[allow(unused_imports)]
pub use juspay_scenario_server::shape::{customer_json, error_json};

/// Juspay's documented 200 body.
pub fn documented_customer() -> Value {
    json!({
        "object_reference_id": "customer",
        "object": "customer",
        "mobile_number": "99999999",
        "mobile_country_code": "65",
        "last_updated": "2020-03-17T14:29:17Z",
        "last_name": "al",
        "id": "cst_tooedar2k7j1d60b",
        "first_name": "name",
        "email_address": "test@juspay.in",
        "date_created": "2020-03-17T14:29:17Z"
    })
}

/// Juspay's documented 401 body.
pub fn documented_401() -> Value {
    json!({
        "status": "error",
        "error_code": "access_denied",
        "error_info": {
            "user_message": "Unauthorized.",
            "request_id": "b2e0fd33-7655-4778-83a8-5179ed21b0b7",
            "href": "NA",
            "developer_message": "Invalid API Key. Please pass a valid and active api key.",
            "code": "UNAUTHORIZED",
            "category": "USER_ERROR"
        }
    })
}

/// Juspay's 404 for a customer it does not know.
pub fn customer_not_found() -> Value {
    json!({
        "error_message": "Cannot find what you are looking for",
        "status": "invalid_request_error",
        "error_code": "object_not_found",
        "error_info": {
            "user_message": "Cannot process your request as customer account not found.",
            "request_id": "bfd8b9e6-45a8-4b41-a554-de6e435ffc36",
            "href": "NA",
            "developer_message": "Customer account not found.",
            "code": "RESOURCE_NOT_FOUND",
            "category": "USER_ERROR"
        }
    })
}

/// A server that reads one request, never answers, and reports when the client has it and when
/// the client closes the connection.
pub struct SilentServer {
    pub url: String,
    pub got_request: oneshot::Receiver<()>,
    pub closed: oneshot::Receiver<Instant>,
}

pub async fn silent_server() -> SilentServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (got_tx, got_request) = oneshot::channel();
    let (closed_tx, closed) = oneshot::channel();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).await.unwrap();
            seen.extend_from_slice(&buf[..n]);
        }
        let _ = got_tx.send(());
        // Read until the client goes away: EOF or reset.
        while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
        let _ = closed_tx.send(Instant::now());
    });
    SilentServer {
        url,
        got_request,
        closed,
    }
}

/// Answers every path after `delay_ms`: the documented customer with 200, Juspay's
/// customer-not-found body with any other status.
pub async fn customer_server(status: u16, delay_ms: u64) -> ScenarioServer {
    ScenarioServer::start_with("127.0.0.1:0", move |_, _| Answer {
        status,
        json: Some(if status == 200 {
            documented_customer()
        } else {
            customer_not_found()
        }),
        delay_ms,
        ..Answer::default()
    })
    .await
    .unwrap()
}
