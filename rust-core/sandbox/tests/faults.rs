//! Every fault switch, in each of its three forms, against the Rust core: each must produce the
//! error code the core's shared vectors give for the same failure.

mod common;

use std::time::{Duration, Instant};

use common::*;
use juspay_customer::CustomerError;
use juspay_sandbox::{Fault, Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn sandbox() -> Sandbox {
    let mut config = SandboxConfig::new(KEY, MERCHANT);
    config.control_key = Some(CONTROL_KEY.into());
    Sandbox::start(config).await.expect("the emulator starts")
}

fn fault(text: &str) -> Fault {
    text.parse().unwrap()
}

/// The lookup through the core with a base URL that carries `fault` (the core sends no custom
/// headers), and how many requests the emulator saw.
async fn lookup_with_fault(
    sandbox: &Sandbox,
    fault_text: &str,
    deadline_ms: u64,
) -> (Result<juspay_customer::Customer, CustomerError>, usize) {
    let client = core_client(
        &sandbox.base_url_with_fault(&fault(fault_text)),
        deadline_ms,
        2,
    );
    let result = client
        .get_customer("customer".into(), None, Default::default())
        .await;
    (result, logged_requests(&sandbox.base_url()).await.len())
}

async fn set_server_fault(sandbox: &Sandbox, body: &str) -> (u16, String) {
    let response = control(
        reqwest::Method::POST,
        format!("{}/__sandbox/faults", sandbox.base_url()),
    )
    .body(body.to_owned())
    .send()
    .await
    .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn status_503_is_server_error_after_the_retries() {
    let sandbox = sandbox().await;
    let (result, requests) = lookup_with_fault(&sandbox, "status=503", 5_000).await;
    let error = result.unwrap_err();
    assert_eq!(
        error.to_string(),
        "SERVER_ERROR: the server failed (HTTP 503)"
    );
    assert_eq!(error.details().http_status, Some(503));
    assert!(error.is_retryable());
    assert_eq!(requests, 3, "the first attempt and two retries");
}

#[tokio::test]
async fn status_500_is_server_error_without_retries() {
    let sandbox = sandbox().await;
    let (result, requests) = lookup_with_fault(&sandbox, "status=500", 5_000).await;
    assert_eq!(result.unwrap_err().code(), "SERVER_ERROR");
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn a_server_fault_for_one_request_is_retried_through() {
    let sandbox = sandbox().await;
    assert_eq!(
        set_server_fault(&sandbox, r#"{"fault":"status=503","times":1}"#).await,
        (200, r#"{"fault":"status=503","remaining":1}"#.into())
    );
    let customer = core_client(&sandbox.base_url(), 5_000, 2)
        .get_customer("cst_tooedar2k7j1d60b".into(), None, Default::default())
        .await
        .unwrap();
    assert_eq!(customer.object_reference_id.as_deref(), Some("customer"));
    assert_eq!(logged_requests(&sandbox.base_url()).await.len(), 2);
    let state = control(
        reqwest::Method::GET,
        format!("{}/__sandbox/faults", sandbox.base_url()),
    )
    .send()
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    assert_eq!(state, r#"{"fault":null,"remaining":null}"#);
}

#[tokio::test]
async fn rate_limit_is_retried_after_retry_after_then_reported_with_it() {
    let sandbox = sandbox().await;
    // Every request limited: RATE_LIMITED after the retries, carrying Retry-After.
    let started = Instant::now();
    let (result, requests) = lookup_with_fault(&sandbox, "rate-limit=1", 5_000).await;
    let error = result.unwrap_err();
    assert_eq!(error.code(), "RATE_LIMITED");
    assert_eq!(error.details().retry_after_ms, Some(1_000));
    assert_eq!(requests, 3);
    assert!(
        started.elapsed() >= Duration::from_millis(1_900),
        "it waited as told"
    );

    // One limited request: the core waits the second and succeeds.
    set_server_fault(&sandbox, r#"{"fault":"rate-limit=1","times":1}"#).await;
    let started = Instant::now();
    let customer = core_client(&sandbox.base_url(), 5_000, 2)
        .get_customer("customer".into(), None, Default::default())
        .await
        .unwrap();
    assert_eq!(customer.id, "cst_tooedar2k7j1d60b");
    assert!(started.elapsed() >= Duration::from_millis(950));
}

#[tokio::test]
async fn a_reset_is_network_and_is_a_real_tcp_rst() {
    let sandbox = sandbox().await;
    let (result, requests) = lookup_with_fault(&sandbox, "reset", 5_000).await;
    let error = result.unwrap_err();
    assert_eq!(error.code(), "NETWORK");
    assert_eq!(error.details().http_status, None);
    assert_eq!(
        requests, 1,
        "a reset after the request was sent is not retried"
    );

    // On the wire: the read fails with ECONNRESET, not a clean end of stream.
    let mut stream = tokio::net::TcpStream::connect(sandbox.addr())
        .await
        .unwrap();
    let request = format!(
        "GET /customers/customer HTTP/1.1\r\nhost: sandbox\r\nauthorization: {}\r\nx-sandbox-fault: reset\r\n\r\n",
        basic(KEY)
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut buffer = [0u8; 64];
    let read = stream.read(&mut buffer).await;
    assert_eq!(
        read.map_err(|e| e.kind()),
        Err(std::io::ErrorKind::ConnectionReset)
    );
}

#[tokio::test]
async fn a_malformed_body_is_invalid_response() {
    let sandbox = sandbox().await;
    let error = lookup_with_fault(&sandbox, "malformed", 5_000)
        .await
        .0
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "INVALID_RESPONSE: the response body is not valid JSON"
    );
    assert_eq!(error.details().http_status, Some(200));
}

#[tokio::test]
async fn an_oversized_body_is_invalid_response() {
    let sandbox = sandbox().await;
    let error = lookup_with_fault(&sandbox, "oversized", 5_000)
        .await
        .0
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "INVALID_RESPONSE: the response body exceeds 65536 bytes"
    );

    // What was cut off is a customer that would have parsed, sent in chunks.
    let response = http()
        .get(format!(
            "{}/customers/cst_tooedar2k7j1d60b",
            sandbox.base_url()
        ))
        .header("x-sandbox-fault", "oversized=80000")
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("content-length").is_none());
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len(), 80_000);
    let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(parsed["id"], "cst_tooedar2k7j1d60b");
}

#[tokio::test]
async fn a_slow_body_beyond_the_deadline_is_timeout_and_within_it_arrives_whole() {
    let sandbox = sandbox().await;
    let error = lookup_with_fault(&sandbox, "slow-body=3000", 500)
        .await
        .0
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "TIMEOUT: no answer within the 500 ms deadline"
    );

    let customer = lookup_with_fault(&sandbox, "slow-body=300", 5_000)
        .await
        .0
        .unwrap();
    assert_eq!(customer.id, "cst_tooedar2k7j1d60b");

    // The headers come at once; the body trickles after them.
    let started = Instant::now();
    let mut response = http()
        .get(format!("{}/customers/customer", sandbox.base_url()))
        .header("authorization", basic(KEY))
        .header("x-sandbox-fault", "slow-body=1500")
        .send()
        .await
        .unwrap();
    let headers_after = started.elapsed();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.unwrap() {
        body.extend_from_slice(&chunk);
    }
    let body_after = started.elapsed();
    assert_eq!(body, DOCUMENTED_200.as_bytes());
    assert!(
        headers_after < Duration::from_millis(1_000) && body_after >= Duration::from_millis(1_400),
        "headers after {headers_after:?}, body after {body_after:?}"
    );
}

#[tokio::test]
async fn a_delay_beyond_the_deadline_is_timeout_and_within_it_is_just_slow() {
    let sandbox = sandbox().await;
    let error = lookup_with_fault(&sandbox, "delay=3000", 500)
        .await
        .0
        .unwrap_err();
    assert_eq!(error.code(), "TIMEOUT");
    let customer = lookup_with_fault(&sandbox, "delay=100", 5_000)
        .await
        .0
        .unwrap();
    assert_eq!(customer.id, "cst_tooedar2k7j1d60b");
}

#[tokio::test]
async fn the_header_form_wins_over_the_path_form_and_faults_act_before_auth() {
    let sandbox = sandbox().await;
    let fault_base = sandbox.base_url_with_fault(&fault("status=503"));
    let response = http()
        .get(format!("{fault_base}/customers/customer"))
        .header("x-sandbox-fault", "status=502")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502, "no key sent: the fault comes first");
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );

    let response = http()
        .get(format!("{fault_base}/customers/customer"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);

    let limited = http()
        .get(format!("{}/customers/customer", sandbox.base_url()))
        .header("x-sandbox-fault", "rate-limit=7")
        .send()
        .await
        .unwrap();
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "7");

    // delay alone wraps the normal answer, auth included.
    let delayed = http()
        .get(format!("{}/customers/customer", sandbox.base_url()))
        .header("x-sandbox-fault", "delay=10")
        .send()
        .await
        .unwrap();
    assert_eq!(delayed.status(), 401);
}

#[tokio::test]
async fn bad_faults_are_refused_and_the_server_switch_can_be_read_and_cleared() {
    let sandbox = sandbox().await;
    let response = http()
        .get(format!("{}/customers/customer", sandbox.base_url()))
        .header("x-sandbox-fault", "explode")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.text().await.unwrap(),
        "juspay-sandbox: bad fault: unknown fault \"explode\"\n"
    );
    let bad_path = http()
        .get(format!(
            "{}/__sandbox/fault/status=99/customers/customer",
            sandbox.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_path.status(), 400);

    let (status, body) = set_server_fault(&sandbox, r#"{"fault":"teapot"}"#).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(set_server_fault(&sandbox, r#"{"times":1}"#).await.0, 400);

    assert_eq!(
        set_server_fault(&sandbox, r#"{"fault":"delay=5, status=504"}"#).await,
        (
            200,
            r#"{"fault":"delay=5,status=504","remaining":null}"#.into()
        )
    );
    assert_eq!(get(&sandbox.base_url(), "/customers/customer").await.0, 504);
    assert_eq!(get(&sandbox.base_url(), "/customers/customer").await.0, 504);
    let cleared = control(
        reqwest::Method::DELETE,
        format!("{}/__sandbox/faults", sandbox.base_url()),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(
        cleared.text().await.unwrap(),
        r#"{"fault":null,"remaining":null}"#
    );
    assert_eq!(get(&sandbox.base_url(), "/customers/customer").await.0, 200);
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish_and_then_refuses_connections() {
    let sandbox = sandbox().await;
    let base = sandbox.base_url();
    let in_flight = tokio::spawn({
        let base = base.clone();
        async move {
            http()
                .get(format!("{base}/customers/customer"))
                .header("authorization", basic(KEY))
                .header("x-sandbox-fault", "delay=300")
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let addr = sandbox.addr();
    sandbox.shutdown().await;
    assert_eq!(in_flight.await.unwrap().unwrap(), 200);
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
