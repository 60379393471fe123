//! Hostile peers on both sides of the backend. Devices: half-sent headers, idle kept-alive
//! connections, trickled and huge bodies, more connections than allowed, two Authorization
//! headers (raw sockets against the real process). Juspay: error bodies that echo the request's
//! credentials, odd content types, bodies without Juspay's shape (a scripted upstream on
//! loopback). And what every answer carries: no-store, nosniff, JSON.

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::*;
use juspay_customer::{ClientConfig, Credentials, CustomerClient};
use juspay_sandbox::harness::{connect, read_response, read_until_closed, ServerProcess};

const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nhost: backend\r\n\r\n";

fn assert_about(waited: Duration, limit: Duration, what: &str) {
    assert!(
        waited >= limit.mul_f32(0.9) && waited < limit + Duration::from_secs(2),
        "{what} after {waited:?}, expected about {limit:?}"
    );
}

#[test]
fn half_sent_headers_and_idle_connections_are_closed_after_header_timeout() {
    let backend = backend(&[("HEADER_TIMEOUT", "1s")]);

    let mut half = connect(&backend);
    half.write_all(b"GET /healthz HTTP/1.1\r\nhost: back")
        .unwrap();
    let (_, waited) = read_until_closed(&mut half);
    assert_about(waited, Duration::from_secs(1), "half-sent headers closed");

    let mut idle = connect(&backend);
    idle.write_all(HEALTHZ).unwrap();
    assert!(read_response(&mut idle).starts_with("HTTP/1.1 200 OK"));
    let (more, waited) = read_until_closed(&mut idle);
    assert_eq!(more, "");
    assert_about(
        waited,
        Duration::from_secs(1),
        "idle kept-alive connection closed",
    );
}

#[test]
fn a_trickled_body_gets_408_and_a_huge_one_413_at_once_in_juspays_shape() {
    let backend = backend(&[("BODY_TIMEOUT", "1s")]);

    let mut trickle = connect(&backend);
    trickle
        .write_all(
            b"POST /auth/device-token HTTP/1.1\r\nhost: backend\r\n\
              content-type: application/json\r\ncontent-length: 500\r\n\r\n{",
        )
        .unwrap();
    let started = Instant::now();
    let mut writer = trickle.try_clone().unwrap();
    let trickling = thread::spawn(move || {
        for _ in 0..100 {
            if writer.write_all(b" ").is_err() {
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
    });
    let (answer, _) = read_until_closed(&mut trickle);
    assert_about(
        started.elapsed(),
        Duration::from_secs(1),
        "trickled body cut off",
    );
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.contains(r#""error_code":"request_timeout""#),
        "{answer}"
    );
    assert!(answer.contains(r#""code":"REQUEST_TIMEOUT""#), "{answer}");
    trickling.join().unwrap();

    // 10 GB announced, one byte sent.
    let mut huge = connect(&backend);
    let started = Instant::now();
    huge.write_all(
        b"POST /auth/device-token HTTP/1.1\r\nhost: backend\r\n\
          content-type: application/json\r\ncontent-length: 10000000000\r\n\r\n{",
    )
    .unwrap();
    let (answer, _) = read_until_closed(&mut huge);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "413 after {took:?}");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let body = &answer[answer.find("\r\n\r\n").unwrap() + 4..];
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["error_code"], "payload_too_large");
    assert_eq!(body["error_info"]["code"], "PAYLOAD_TOO_LARGE");
    assert!(
        answer.contains("content-type: application/json\r\n"),
        "{answer}"
    );
    println!("10 GB announced body: 413 in {took:?}");
}

#[test]
fn over_max_connections_new_ones_wait_while_served_ones_are_answered() {
    let backend = backend(&[("MAX_CONNECTIONS", "3"), ("HEADER_TIMEOUT", "30s")]);

    let mut kept = connect(&backend);
    kept.write_all(HEALTHZ).unwrap();
    assert!(read_response(&mut kept).starts_with("HTTP/1.1 200 OK"));
    let idle: Vec<TcpStream> = (0..2).map(|_| connect(&backend)).collect();
    thread::sleep(Duration::from_millis(200));

    let mut waiting = connect(&backend);
    waiting.write_all(HEALTHZ).unwrap();
    waiting
        .set_read_timeout(Some(Duration::from_millis(700)))
        .unwrap();
    let early = waiting.read(&mut [0u8; 1]);
    assert!(
        matches!(&early, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "a connection over the cap was answered: {early:?}"
    );

    let started = Instant::now();
    kept.write_all(HEALTHZ).unwrap();
    assert!(read_response(&mut kept).starts_with("HTTP/1.1 200 OK"));
    assert!(started.elapsed() < Duration::from_secs(1));

    drop(idle);
    waiting
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    assert!(read_response(&mut waiting).starts_with("HTTP/1.1 200 OK"));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_authorization_headers_are_refused_in_juspays_shape() {
    let backend = backend(&[]);
    let base = backend.base_url();
    let token = token_for(base, "customer").await;
    let request = http()
        .get(format!("{base}/customers/customer"))
        .header("authorization", format!("Bearer {token}"))
        .header("authorization", "Bearer something-else")
        .send()
        .await
        .unwrap();
    let answer = Answer {
        status: request.status().as_u16(),
        headers: request.headers().clone(),
        body: request.text().await.unwrap(),
    };
    let info = backend_error(&answer, 400, "invalid_request", "INVALID_INPUT");
    assert_eq!(
        info["developer_message"],
        "Send one Authorization header, not several."
    );
    // One is fine.
    assert_eq!(
        lookup(base, "customer", Some(&token), &[]).await.status,
        200
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_answer_says_no_store_and_nosniff() {
    let backend = backend(&[]);
    let base = backend.base_url();
    let signed_in = sign_in(base, "customer").await;
    let token = token_for(base, "customer").await;
    let answers = [
        signed_in,
        lookup(base, "customer", Some(&token), &[]).await,
        lookup(base, "customer", None, &[]).await,
        lookup(base, "user-10042", Some(&token), &[]).await,
        sign_in(base, "nobody-here").await,
    ];
    for answer in &answers {
        assert_eq!(
            answer.headers["cache-control"], "no-store",
            "{}",
            answer.body
        );
        assert_eq!(answer.headers["x-content-type-options"], "nosniff");
        assert_eq!(answer.headers["content-type"], "application/json");
    }
    let health = http().get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.headers()["cache-control"], "no-store");
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_variables_count_as_unset() {
    let empty = [
        "JUSPAY_API_KEY",
        "JUSPAY_BASE_URL",
        "JUSPAY_MERCHANT_ID",
        "TOKEN_SECRET",
        "TOKEN_SECRET_PREVIOUS",
        "TOKEN_TTL",
        "CORS_ORIGINS",
        "DEMO_SIGN_IN",
        "SANDBOX_SEED",
        "SANDBOX_FAULTS",
        "UPSTREAM_DEADLINE",
        "UPSTREAM_RETRIES",
        "HEADER_TIMEOUT",
        "BODY_TIMEOUT",
        "MAX_BODY_BYTES",
        "MAX_CONNECTIONS",
    ]
    .map(|name| (name, ""));
    // BACKEND_LISTEN empty too: the harness's --listen flag still applies.
    let mut env = empty.to_vec();
    env.push(("BACKEND_LISTEN", ""));
    let backend = try_backend(&env, &[]).expect("starts with every variable empty");
    let base = backend.base_url();
    // The defaults: the embedded emulator with the demo sign-in, the default CORS origins.
    let token = token_for(base, "customer-id-007").await;
    assert_eq!(
        lookup(base, "customer-id-007", Some(&token), &[])
            .await
            .status,
        200
    );
    let preflight = http()
        .request(reqwest::Method::OPTIONS, format!("{base}/customers/x"))
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
}

/// A stand-in for Juspay that answers every request with `status`, `content_type` and `body`,
/// where `{auth}` in the body becomes the request's Authorization header (as an upstream that
/// echoes request headers in its errors would).
fn scripted_upstream(
    status: &'static str,
    content_type: &'static str,
    body: &'static str,
) -> String {
    scripted_upstream_with(status, content_type, "", body)
}

/// [`scripted_upstream`] with `headers` (whole lines, each ending in CRLF) added to its answers.
fn scripted_upstream_with(
    status: &'static str,
    content_type: &'static str,
    headers: &'static str,
    body: &'static str,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut auth = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("authorization:") {
                    auth = line[line.len() - value.len()..].trim().to_owned();
                }
            }
            let body = body.replace("{auth}", &auth);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\n{headers}content-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

const KEY: &str = "sk_live_4b9e2d71c0aa";

/// What a device that looks `customer_id` up through `backend` with `token` is told.
async fn device_lookup_error(
    backend: &ServerProcess,
    token: String,
    customer_id: &str,
) -> juspay_customer::CustomerError {
    let device = CustomerClient::new(ClientConfig::new(
        backend.base_url(),
        Credentials::DeviceToken { token },
    ))
    .unwrap();
    device
        .get_customer(customer_id.into(), None, Default::default())
        .await
        .unwrap_err()
}

fn backend_before(upstream: &str) -> ServerProcess {
    backend(&[
        ("JUSPAY_API_KEY", KEY),
        ("JUSPAY_BASE_URL", upstream),
        ("TOKEN_SECRET", SECRET),
        ("UPSTREAM_RETRIES", "0"),
    ])
}

fn no_key_in(answer: &Answer) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:"));
    let all = format!("{:?}{}", answer.headers, answer.body);
    assert!(!all.contains(KEY) && !all.contains(&basic), "{all}");
    assert!(!all.to_ascii_lowercase().contains("basic "), "{all}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upstream_error_echoing_the_key_reaches_the_device_without_it() {
    let token = mint(SECRET, "cst_1", Some("ref-1"), in_15_minutes());

    // Juspay-shaped, with the request's Authorization echoed in a message and an extra key.
    let upstream = scripted_upstream(
        "500 Internal Server Error",
        "text/html; charset=utf-7",
        r#"{"status":"error","error_code":"internal_error","echo":{"authorization":"{auth}"},"error_info":{"user_message":"Something broke.","request_id":"5c1d9e0a-77f3-4a55-a0d1-9b7b1a3c2e10","developer_message":"Bad header Authorization: {auth}","code":"INTERNAL","category":"SERVER_ERROR"}}"#,
    );
    let backend = backend_before(&upstream);
    let answer = lookup(backend.base_url(), "ref-1", Some(&token), &[]).await;
    assert_eq!(answer.status, 500);
    assert_eq!(answer.headers["content-type"], "application/json");
    no_key_in(&answer);
    assert_eq!(
        answer.body,
        r#"{"status":"error","error_code":"internal_error","error_info":{"user_message":"Something broke.","request_id":"5c1d9e0a-77f3-4a55-a0d1-9b7b1a3c2e10","developer_message":"[redacted]","code":"INTERNAL","category":"SERVER_ERROR"}}"#
    );

    // Not Juspay's shape at all: the backend's own error, with the status.
    let upstream = scripted_upstream(
        "503 Service Unavailable",
        "text/html; charset=utf-7",
        "<html>+ADw-script+AD4-alert(1)+ADw-/script+AD4- {auth}</html>",
    );
    let backend = backend_before(&upstream);
    let answer = lookup(backend.base_url(), "ref-1", Some(&token), &[]).await;
    backend_error(&answer, 503, "upstream_error", "UPSTREAM_ERROR");
    assert_eq!(answer.headers["content-type"], "application/json");
    no_key_in(&answer);
}

#[tokio::test(flavor = "multi_thread")]
async fn juspays_not_found_still_reads_as_customer_not_found_once_rebuilt() {
    let upstream = scripted_upstream(
        "404 Not Found",
        "text/plain",
        r#"{"error_message":"Cannot find what you are looking for","status":"invalid_request_error","error_code":"object_not_found","debug":"{auth}","error_info":{"user_message":"Cannot process your request as customer account not found.","request_id":"0a1b2c3d","href":"NA","developer_message":"Customer account not found.","code":"RESOURCE_NOT_FOUND","category":"USER_ERROR"}}"#,
    );
    let backend = backend_before(&upstream);
    let token = mint(SECRET, "cst_1", Some("ref-1"), in_15_minutes());
    let answer = lookup(backend.base_url(), "ref-1", Some(&token), &[]).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.headers["content-type"], "application/json");
    no_key_in(&answer);
    assert!(!answer.body.contains("debug"), "{}", answer.body);

    let error = device_lookup_error(&backend, token, "ref-1").await;
    assert_eq!(error.code(), "CUSTOMER_NOT_FOUND");
    assert_eq!(error.details().request_id.as_deref(), Some("0a1b2c3d"));
    assert_eq!(
        error.details().error_code.as_deref(),
        Some("object_not_found")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_huge_retry_after_from_juspay_reaches_the_device_as_a_429_capped_at_a_day() {
    // The core once panicked here ("overflow when adding duration to instant"), in the backend
    // and on the device alike: the device got a closed connection instead of an answer.
    let upstream = scripted_upstream_with(
        "429 Too Many Requests",
        "text/plain",
        "retry-after: 18446744073709551615\r\n",
        "slow down",
    );
    let backend = backend_before(&upstream);
    let token = mint(SECRET, "cst_1", Some("ref-1"), in_15_minutes());
    let answer = lookup(backend.base_url(), "ref-1", Some(&token), &[]).await;
    assert_eq!(answer.status, 429);
    no_key_in(&answer);

    let error = device_lookup_error(&backend, token, "ref-1").await;
    assert_eq!(error.code(), "RATE_LIMITED");
    assert_eq!(
        error.details().retry_after_ms,
        Some(juspay_customer::MAX_RETRY_AFTER_MS)
    );
}
