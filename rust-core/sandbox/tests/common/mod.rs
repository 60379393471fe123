//! Helpers shared by the emulator's integration tests.
#![allow(dead_code)]

use std::process::Command;

use base64::Engine as _;
use juspay_customer::{ClientConfig, Credentials, CustomerClient};
use juspay_sandbox::harness::ServerProcess;

pub const KEY: &str = "test_key_7d1e0a";
pub const MERCHANT: &str = "test_merchant";
/// The control key the tests start the emulator with (`--control-key`).
pub const CONTROL_KEY: &str = "test_control_key_51c2";

/// Juspay's documented sample customer (the page's 200), minified, keys in the page's order.
pub const DOCUMENTED_200: &str = r#"{"object_reference_id":"customer","object":"customer","mobile_number":"99999999","mobile_country_code":"65","last_updated":"2020-03-17T14:29:17Z","last_name":"al","id":"cst_tooedar2k7j1d60b","first_name":"name","email_address":"test@juspay.in","date_created":"2020-03-17T14:29:17Z"}"#;

/// The emulator binary's command line on a free loopback port with the test key.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_juspay-sandbox"));
    command.args([
        "--listen",
        "127.0.0.1:0",
        "--api-key",
        KEY,
        "--merchant-id",
        MERCHANT,
        "--control-key",
        CONTROL_KEY,
    ]);
    command
}

/// A request to one of the control endpoints (`/__sandbox/*`), with the control key.
pub fn control(method: reqwest::Method, url: String) -> reqwest::RequestBuilder {
    http()
        .request(method, url)
        .header(juspay_sandbox::CONTROL_KEY_HEADER, CONTROL_KEY)
}

/// The emulator on a free loopback port with the test key, plus `extra` flags.
pub fn start(extra: &[&str]) -> ServerProcess {
    let mut command = command();
    command.args(extra);
    ServerProcess::spawn(command).expect("the emulator starts")
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// `Basic base64(credentials)`.
pub fn basic(credentials: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(credentials)
    )
}

/// The core in server mode against `base_url`.
pub fn core_client(base_url: &str, deadline_ms: u64, max_retries: u32) -> CustomerClient {
    let mut config = ClientConfig::new(
        base_url,
        Credentials::ApiKey {
            api_key: KEY.into(),
            merchant_id: Some(MERCHANT.into()),
            api_version: None,
        },
    );
    config.deadline_ms = deadline_ms;
    config.max_retries = max_retries;
    CustomerClient::new(config).expect("valid config")
}

/// A GET with the test key, the way the core sends it.
pub async fn get(base_url: &str, path: &str) -> (u16, String) {
    let response = http()
        .get(format!("{base_url}{path}"))
        .header("authorization", basic(&format!("{KEY}:")))
        .header("x-merchantid", MERCHANT)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// A form POST with the test key.
pub async fn post_form(base_url: &str, path: &str, form: &str) -> (u16, String) {
    let response = http()
        .post(format!("{base_url}{path}"))
        .header("authorization", basic(&format!("{KEY}:")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Replaces the body's `"request_id":"<uuid>"` with `"request_id":"RID"`, checking it is a
/// UUID, and returns the body and the id.
pub fn with_rid(body: &str) -> (String, String) {
    let key = r#""request_id":""#;
    let start = body.find(key).expect("the body has a request_id") + key.len();
    let end = start + body[start..].find('"').unwrap();
    let id = body[start..end].to_owned();
    assert!(
        uuid::Uuid::parse_str(&id).is_ok(),
        "request_id {id:?} is not a UUID"
    );
    (format!("{}RID{}", &body[..start], &body[end..]), id)
}

/// The requests the emulator logged (`GET /__sandbox/requests`).
pub async fn logged_requests(base_url: &str) -> Vec<serde_json::Value> {
    let text = control(
        reqwest::Method::GET,
        format!("{base_url}/__sandbox/requests"),
    )
    .send()
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    serde_json::from_str(&text).unwrap()
}
