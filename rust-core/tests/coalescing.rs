//! Concurrent identical lookups share one request over a real socket: each caller gets the
//! answer or the error, may leave on its own, and the request ends only when all have left.

mod common;

use std::future::{poll_fn, Future};
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use common::{client, customer_server, silent_server, Mode, SilentServer};
use futures_util::future::join_all;
use juspay_customer::{
    CancellationToken, ClientConfig, Customer, CustomerClient, CustomerError, LookupOptions,
};
use tokio::task::JoinHandle;

/// Spawns `lookup` after polling it once here, so it has joined (or started) the shared request
/// when this returns: the tests then act on a known set of waiters, not on when the scheduler
/// got to each task (on a loaded machine, a task spawned last could join after the others left).
async fn spawn_joined<F>(lookup: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let mut lookup = Box::pin(lookup);
    poll_fn(|cx| {
        assert!(
            lookup.as_mut().poll(cx).is_pending(),
            "a lookup ended at its first poll"
        );
        Poll::Ready(())
    })
    .await;
    tokio::spawn(lookup)
}

async fn lookups(
    client: &Arc<CustomerClient>,
    ids: impl Iterator<Item = String>,
    options: LookupOptions,
) -> Vec<JoinHandle<Result<Customer, CustomerError>>> {
    let mut waits = Vec::new();
    for id in ids {
        let client = client.clone();
        waits.push(spawn_joined(async move { client.get_customer(id, None, options).await }).await);
    }
    waits
}

/// One lookup of `id` per token, each cancellable by its own; each gives its result and when it
/// ended.
async fn cancellable_lookups(
    client: &Arc<CustomerClient>,
    tokens: &[Arc<CancellationToken>],
    id: &str,
) -> Vec<JoinHandle<(Result<Customer, CustomerError>, Instant)>> {
    let mut waits = Vec::new();
    for token in tokens {
        let (client, token, id) = (client.clone(), token.clone(), id.to_owned());
        waits.push(
            spawn_joined(async move {
                let result = client
                    .get_customer(id, Some(token), Default::default())
                    .await;
                (result, Instant::now())
            })
            .await,
        );
    }
    waits
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_identical_lookups_send_one_request() {
    let server = customer_server(200, 200).await;
    for mode in [Mode::DeviceToken, Mode::ApiKey] {
        let before = server.requests("").len();
        let client = Arc::new(client(&server.base_url(""), mode.credentials()));
        let ids = std::iter::repeat_n("cst_tooedar2k7j1d60b".to_owned(), 50);
        for result in join_all(lookups(&client, ids, Default::default()).await).await {
            assert_eq!(result.unwrap().unwrap().id, "cst_tooedar2k7j1d60b");
        }
        assert_eq!(server.requests("").len() - before, 1, "{mode:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_reaches_every_waiter() {
    let server = customer_server(404, 200).await;
    let client = Arc::new(client(
        &server.base_url(""),
        Mode::DeviceToken.credentials(),
    ));
    let ids = std::iter::repeat_n("cst_gone".to_owned(), 50);
    for result in join_all(lookups(&client, ids, Default::default()).await).await {
        assert_eq!(result.unwrap().unwrap_err().code(), "CUSTOMER_NOT_FOUND");
    }
    assert_eq!(server.requests("").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn different_customers_or_options_are_different_requests() {
    let server = customer_server(200, 100).await;
    let client = Arc::new(client(
        &server.base_url(""),
        Mode::DeviceToken.credentials(),
    ));
    let plain = lookups(
        &client,
        (0..5).map(|i| format!("cst_{i}")),
        Default::default(),
    )
    .await;
    // A client auth token is asked with another URL: not the same request.
    let with_token = lookups(
        &client,
        (0..5).map(|i| format!("cst_{i}")),
        LookupOptions {
            client_auth_token: true,
        },
    )
    .await;
    join_all(plain.into_iter().chain(with_token)).await;
    assert_eq!(server.requests("").len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_coalescing_off_every_lookup_sends_its_own_request() {
    let server = customer_server(200, 100).await;
    let config = ClientConfig {
        coalesce_lookups: false,
        ..ClientConfig::new(server.base_url(""), Mode::DeviceToken.credentials())
    };
    let client = Arc::new(CustomerClient::new(config).unwrap());
    let ids = std::iter::repeat_n("cst_tooedar2k7j1d60b".to_owned(), 10);
    join_all(lookups(&client, ids, Default::default()).await).await;
    assert_eq!(server.requests("").len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_that_cancels_leaves_alone_and_the_others_get_the_answer() {
    let server = customer_server(200, 400).await;
    let client = Arc::new(client(
        &server.base_url(""),
        Mode::DeviceToken.credentials(),
    ));
    let tokens: Vec<_> = (0..3).map(|_| Arc::new(CancellationToken::new())).collect();
    let waits = cancellable_lookups(&client, &tokens, "cst_tooedar2k7j1d60b").await;
    while server.requests("").is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let cancelled_at = Instant::now();
    tokens[0].cancel();
    tokens[1].cancel();
    let outcomes: Vec<_> = join_all(waits)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    for (result, ended) in &outcomes[..2] {
        assert_eq!(result.as_ref().unwrap_err().code(), "CANCELLED");
        assert!(*ended - cancelled_at < Duration::from_millis(100));
    }
    assert_eq!(outcomes[2].0.as_ref().unwrap().id, "cst_tooedar2k7j1d60b");
    assert_eq!(server.requests("").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_is_cancelled_when_the_last_waiter_leaves() {
    let SilentServer {
        url,
        got_request,
        mut closed,
    } = silent_server().await;
    let client = Arc::new(client(&url, Mode::DeviceToken.credentials()));
    let tokens: Vec<_> = (0..3).map(|_| Arc::new(CancellationToken::new())).collect();
    let waits = cancellable_lookups(&client, &tokens, "cst_1").await;
    got_request.await.unwrap();
    tokens[0].cancel();
    tokens[1].cancel();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        closed.try_recv().is_err(),
        "one waiter is left: the connection stays open"
    );
    let last_left = Instant::now();
    tokens[2].cancel();
    for result in join_all(waits).await {
        assert_eq!(result.unwrap().0.unwrap_err().code(), "CANCELLED");
    }
    let closed_after = closed.await.unwrap() - last_left;
    assert!(
        closed_after < Duration::from_millis(100),
        "{closed_after:?}"
    );
}
