//! Deadline, cancellation, retries of connect failures, and connection reuse, over real sockets.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{client, documented_customer, silent_server, Mode};
use futures_util::future::join_all;
use juspay_customer::{CancellationToken, ClientConfig, CustomerClient};
use juspay_scenario_server::{Answer, ScenarioServer};
use tokio::net::TcpListener;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_lookup_ends_within_100_ms_and_its_connection_closes() {
    let server = silent_server().await;
    let client = Arc::new(client(&server.url, Mode::DeviceToken.credentials()));
    let token = Arc::new(CancellationToken::new());
    let lookup = tokio::spawn({
        let (client, token) = (client.clone(), token.clone());
        async move {
            let result = client
                .get_customer("cst_1".into(), Some(token), Default::default())
                .await;
            (result, Instant::now())
        }
    });
    server.got_request.await.unwrap();

    let cancelled_at = Instant::now();
    token.cancel();
    let (result, ended_at) = lookup.await.unwrap();
    let error = result.unwrap_err();
    assert_eq!(error.to_string(), "CANCELLED: the lookup was cancelled");
    assert!(!error.is_retryable());
    let took = ended_at - cancelled_at;
    assert!(
        took < Duration::from_millis(100),
        "ended {took:?} after cancel"
    );
    let closed_after = server.closed.await.unwrap() - cancelled_at;
    assert!(
        closed_after < Duration::from_millis(100),
        "server saw the connection close {closed_after:?} after cancel"
    );
}

#[tokio::test]
async fn an_already_cancelled_token_sends_nothing() {
    let server = ScenarioServer::start_with("127.0.0.1:0", |_, _| Answer::default())
        .await
        .unwrap();
    let token = Arc::new(CancellationToken::new());
    token.cancel();
    assert!(token.is_cancelled());
    let error = client(&server.base_url(""), Mode::ApiKey.credentials())
        .get_customer("cst_1".into(), Some(token), Default::default())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "CANCELLED");
    assert_eq!(server.connections(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_cancels_every_lookup_it_was_given() {
    let server = ScenarioServer::start_with("127.0.0.1:0", |_, _| Answer {
        delay_ms: 10_000,
        ..Answer::default()
    })
    .await
    .unwrap();
    let client = Arc::new(client(
        &server.base_url(""),
        Mode::DeviceToken.credentials(),
    ));
    let token = Arc::new(CancellationToken::new());
    let lookups: Vec<_> = (0..3)
        .map(|i| {
            let (client, token) = (client.clone(), token.clone());
            tokio::spawn(async move {
                client
                    .get_customer(format!("cst_{i}"), Some(token), Default::default())
                    .await
            })
        })
        .collect();
    while server.requests("").len() < 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    token.cancel();
    for result in join_all(lookups).await {
        assert_eq!(result.unwrap().unwrap_err().code(), "CANCELLED");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_lookup_closes_its_connection() {
    // What a cancelled Kotlin coroutine does: uniffi drops the Rust future.
    let server = silent_server().await;
    let client = client(&server.url, Mode::DeviceToken.credentials());
    let lookup = client.get_customer("cst_1".into(), None, Default::default());
    let got_request = server.got_request;
    let dropped_at = tokio::select! {
        _ = lookup => panic!("the silent server never answers"),
        _ = got_request => Instant::now(),
    };
    let closed_after = server.closed.await.unwrap() - dropped_at;
    assert!(
        closed_after < Duration::from_millis(100),
        "{closed_after:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_server_gives_timeout_within_the_deadline_plus_100_ms() {
    let server = silent_server().await;
    let config = ClientConfig {
        deadline_ms: 300,
        ..ClientConfig::new(&server.url, Mode::ApiKey.credentials())
    };
    let started = Instant::now();
    let error = CustomerClient::new(config)
        .unwrap()
        .get_customer("cst_1".into(), None, Default::default())
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(
        error.to_string(),
        "TIMEOUT: no answer within the 300 ms deadline"
    );
    assert!(error.is_retryable());
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_millis(400),
        "{took:?}"
    );
}

#[tokio::test]
async fn connect_failures_are_retried_then_reported_as_network() {
    // A port that was just free: connecting is refused.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = Instant::now();
    let error = client(
        &format!("http://127.0.0.1:{port}"),
        Mode::DeviceToken.credentials(),
    )
    .get_customer("cst_1".into(), None, Default::default())
    .await
    .unwrap_err();
    assert_eq!(error.code(), "NETWORK");
    assert!(
        error
            .details()
            .message
            .starts_with("could not connect to the server"),
        "{error}"
    );
    assert!(!error.to_string().contains("cst_1"), "no URL in messages");
    // Two retries pause at least 100 ms and 200 ms.
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn sequential_lookups_reuse_one_connection() {
    let server = ScenarioServer::start_with("127.0.0.1:0", |_, _| Answer {
        json: Some(documented_customer()),
        ..Answer::default()
    })
    .await
    .unwrap();
    let client = client(&server.base_url(""), Mode::ApiKey.credentials());
    for _ in 0..5 {
        client
            .get_customer("cst_1".into(), None, Default::default())
            .await
            .unwrap();
    }
    assert_eq!(server.requests("").len(), 5);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_body_that_arrives_in_several_chunks_is_read_whole() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let mut customer = documented_customer();
    customer["first_name"] = "a".repeat(30_000).into();
    let body = customer.to_string().into_bytes();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).await.unwrap();
            seen.extend_from_slice(&buf[..n]);
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        // Written in pieces with pauses, so the client reads more than one chunk.
        for piece in body.chunks(7_000) {
            stream.write_all(piece).await.unwrap();
            stream.flush().await.unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let _ = stream.read(&mut buf).await;
    });
    let found = client(&url, Mode::ApiKey.credentials())
        .get_customer("cst_tooedar2k7j1d60b".into(), None, Default::default())
        .await
        .unwrap();
    assert_eq!(
        found.first_name.as_deref(),
        Some("a".repeat(30_000).as_str())
    );
    assert_eq!(found.id, "cst_tooedar2k7j1d60b");
}
