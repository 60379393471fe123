//! Devices of one customer asking at the same time cost one Juspay call: the backend's core
//! client coalesces concurrent identical lookups (rust-core/tests/coalescing.rs has the rules).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use common::*;
use futures_util::future::join_all;
use juspay_sandbox::harness::ServerProcess;

const CUSTOMER: &str = r#"{"id":"cst_1","object":"customer","object_reference_id":"ref-1"}"#;

/// A stand-in for Juspay that answers every request with a customer after 300 ms, counting them.
fn slow_upstream() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let counted = counted.clone();
            thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                counted.fetch_add(1, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(300));
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                     connection: close\r\n\r\n{CUSTOMER}",
                    CUSTOMER.len()
                );
            });
        }
    });
    (url, requests)
}

/// The backend (no rate limit, plus `extra` settings) calling [`slow_upstream`], and its count
/// of Juspay calls.
fn backend_before_slow_upstream(extra: &[(&str, &str)]) -> (ServerProcess, Arc<AtomicUsize>) {
    let (upstream, juspay_calls) = slow_upstream();
    let mut env = vec![("LOOKUP_RATE_LIMIT", "off")];
    env.extend_from_slice(extra);
    (
        backend_for(&upstream, "sk_live_4b9e2d71c0aa", &env),
        juspay_calls,
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn twenty_devices_of_one_customer_asking_at_once_make_one_juspay_call() {
    let (backend, juspay_calls) = backend_before_slow_upstream(&[]);
    // Twenty devices, each with its own token for the same customer.
    let tokens: Vec<_> = (0..20)
        .map(|_| mint(SECRET, "cst_1", Some("ref-1"), in_15_minutes()))
        .collect();
    let answers = join_all(
        tokens
            .iter()
            .map(|token| lookup(backend.base_url(), "cst_1", Some(token), &[])),
    )
    .await;
    for answer in &answers {
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.json()["id"], "cst_1");
    }
    assert_eq!(juspay_calls.load(Ordering::SeqCst), 1);

    // Once that call has ended, the next lookup is a call of its own.
    let answer = lookup(backend.base_url(), "cst_1", Some(&tokens[0]), &[]).await;
    assert_eq!(answer.status, 200);
    assert_eq!(juspay_calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_upstream_coalesce_false_every_lookup_is_a_juspay_call_of_its_own() {
    let (backend, juspay_calls) = backend_before_slow_upstream(&[("UPSTREAM_COALESCE", "false")]);
    let token = mint(SECRET, "cst_1", Some("ref-1"), in_15_minutes());
    let answers =
        join_all((0..5).map(|_| lookup(backend.base_url(), "cst_1", Some(&token), &[]))).await;
    for answer in &answers {
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    assert_eq!(juspay_calls.load(Ordering::SeqCst), 5);
}
