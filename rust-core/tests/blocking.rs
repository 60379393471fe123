//! The blocking entry point, as Kotlin's `Dispatchers.IO` and Swift threads call it: on plain
//! threads outside any runtime, over real sockets; the servers run on a runtime of their own.

// The lookups return the core's errors by value, as its API does.
#![allow(clippy::result_large_err)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{client, customer_server, silent_server, Mode};
use juspay_customer::{CancellationToken, ClientConfig, CustomerClient};

/// The test servers' runtime; lookups run on other threads.
fn servers() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn threads_look_up_concurrently_through_one_client() {
    let runtime = servers();
    let server = runtime.block_on(customer_server(200, 20));
    let client = Arc::new(client(&server.base_url(""), Mode::ApiKey.credentials()));
    let lookups: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || {
                client.get_customer_blocking(
                    "cst_tooedar2k7j1d60b".into(),
                    None,
                    Default::default(),
                )
            })
        })
        .collect();
    for lookup in lookups {
        assert_eq!(lookup.join().unwrap().unwrap().id, "cst_tooedar2k7j1d60b");
    }
}

#[test]
fn a_cancel_from_another_thread_ends_the_lookup_within_100_ms_and_closes_its_connection() {
    let runtime = servers();
    let server = runtime.block_on(silent_server());
    let client = Arc::new(client(&server.url, Mode::DeviceToken.credentials()));
    let token = Arc::new(CancellationToken::new());
    let lookup = std::thread::spawn({
        let (client, token) = (client.clone(), token.clone());
        move || {
            let result =
                client.get_customer_blocking("cst_1".into(), Some(token), Default::default());
            (result, Instant::now())
        }
    });
    runtime.block_on(server.got_request).unwrap();
    let cancelled_at = Instant::now();
    token.cancel();
    let (result, ended_at) = lookup.join().unwrap();
    assert_eq!(
        result.unwrap_err().to_string(),
        "CANCELLED: the lookup was cancelled"
    );
    let took = ended_at - cancelled_at;
    assert!(
        took < Duration::from_millis(100),
        "ended {took:?} after cancel"
    );
    let closed_after = runtime.block_on(server.closed).unwrap() - cancelled_at;
    assert!(
        closed_after < Duration::from_millis(100),
        "closed {closed_after:?} after cancel"
    );
}

#[test]
fn a_slow_server_gives_timeout_within_the_deadline_plus_100_ms() {
    let runtime = servers();
    let server = runtime.block_on(silent_server());
    let config = ClientConfig {
        deadline_ms: 300,
        ..ClientConfig::new(&server.url, Mode::ApiKey.credentials())
    };
    let started = Instant::now();
    let error = Arc::new(CustomerClient::new(config).unwrap())
        .get_customer_blocking("cst_1".into(), None, Default::default())
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(
        error.to_string(),
        "TIMEOUT: no answer within the 300 ms deadline"
    );
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_millis(400),
        "{took:?}"
    );
}

#[test]
fn inside_a_runtime_it_refuses_rather_than_park_a_runtime_thread() {
    let runtime = servers();
    let server = runtime.block_on(customer_server(200, 0));
    let client = Arc::new(client(&server.base_url(""), Mode::ApiKey.credentials()));
    let error = runtime
        .block_on(async { client.get_customer_blocking("cst_1".into(), None, Default::default()) })
        .unwrap_err();
    assert_eq!(error.code_str(), "INVALID_ARGUMENT");
    assert!(error.to_string().contains("await get_customer"), "{error}");
}
