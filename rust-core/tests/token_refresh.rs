//! Device tokens from an app-implemented provider: cached, refreshed exactly once per rejection,
//! and shared by concurrent lookups.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{client, documented_401, documented_customer};
use futures_util::future::join_all;
use juspay_customer::{
    ClientConfig, Credentials, CustomerClient, TokenProvider, TokenProviderError,
};
use juspay_scenario_server::{Answer, ScenarioServer};

/// Hands out "stale" until asked to refresh, then "fresh"; counts both kinds of call.
#[derive(Default)]
struct CountingProvider {
    plain: AtomicUsize,
    forced: AtomicUsize,
    /// Refreshes that fail before one succeeds.
    failing_refreshes: AtomicUsize,
}

#[async_trait::async_trait]
impl TokenProvider for CountingProvider {
    async fn token(&self, force_refresh: bool) -> Result<String, TokenProviderError> {
        // Slow enough that concurrent lookups overlap while a token is being fetched.
        tokio::time::sleep(Duration::from_millis(50)).await;
        if !force_refresh {
            self.plain.fetch_add(1, Ordering::SeqCst);
            return Ok("stale".into());
        }
        self.forced.fetch_add(1, Ordering::SeqCst);
        let failing = self.failing_refreshes.load(Ordering::SeqCst);
        if failing > 0 {
            self.failing_refreshes.store(failing - 1, Ordering::SeqCst);
            return Err(TokenProviderError::Unavailable {
                reason: "backend unreachable".into(),
            });
        }
        Ok("fresh".into())
    }
}

/// A backend that accepts only the fresh token (or none at all, when `accept_fresh` is false).
async fn backend(accept_fresh: bool) -> ScenarioServer {
    ScenarioServer::start_with("127.0.0.1:0", move |request, _| {
        if accept_fresh && request.headers["authorization"] == "Bearer fresh" {
            Answer {
                json: Some(documented_customer()),
                ..Answer::default()
            }
        } else {
            Answer {
                status: 401,
                json: Some(documented_401()),
                ..Answer::default()
            }
        }
    })
    .await
    .unwrap()
}

/// Coalescing off: these tests are about concurrent lookups sharing a token, each with its own
/// request (coalescing is tested in coalescing.rs).
fn provider_client(server: &ScenarioServer, provider: Arc<CountingProvider>) -> CustomerClient {
    CustomerClient::new(ClientConfig {
        coalesce_lookups: false,
        ..ClientConfig::new(server.base_url(""), Credentials::TokenProvider { provider })
    })
    .unwrap()
}

fn authorizations(server: &ScenarioServer) -> Vec<String> {
    server
        .requests("")
        .into_iter()
        .map(|r| r.headers["authorization"].clone())
        .collect()
}

#[tokio::test]
async fn a_rejected_token_is_refreshed_once_and_the_lookup_retried_once() {
    let server = backend(true).await;
    let provider = Arc::new(CountingProvider::default());
    let client = provider_client(&server, provider.clone());

    let customer = client
        .get_customer("cst_tooedar2k7j1d60b".into(), None, Default::default())
        .await
        .unwrap();
    assert_eq!(customer.id, "cst_tooedar2k7j1d60b");
    assert_eq!(provider.plain.load(Ordering::SeqCst), 1);
    assert_eq!(provider.forced.load(Ordering::SeqCst), 1);
    assert_eq!(authorizations(&server), ["Bearer stale", "Bearer fresh"]);

    // The fresh token is cached: the next lookup asks the provider nothing.
    client
        .get_customer("cst_tooedar2k7j1d60b".into(), None, Default::default())
        .await
        .unwrap();
    assert_eq!(provider.plain.load(Ordering::SeqCst), 1);
    assert_eq!(provider.forced.load(Ordering::SeqCst), 1);
    assert_eq!(server.requests("").len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_concurrent_lookups_with_an_expired_token_cause_one_refresh() {
    let server = backend(true).await;
    let provider = Arc::new(CountingProvider::default());
    let client = Arc::new(provider_client(&server, provider.clone()));

    let lookups = (0..8).map(|_| {
        let client = client.clone();
        async move {
            client
                .get_customer("cst_tooedar2k7j1d60b".into(), None, Default::default())
                .await
        }
    });
    for result in join_all(lookups).await {
        assert_eq!(result.unwrap().id, "cst_tooedar2k7j1d60b");
    }
    assert_eq!(provider.plain.load(Ordering::SeqCst), 1, "one first fetch");
    assert_eq!(provider.forced.load(Ordering::SeqCst), 1, "one refresh");
    let sent = authorizations(&server);
    // All eight really were rejected before the one refresh, then all eight retried.
    assert_eq!(sent.iter().filter(|a| *a == "Bearer stale").count(), 8);
    assert_eq!(sent.iter().filter(|a| *a == "Bearer fresh").count(), 8);
}

#[tokio::test]
async fn a_token_still_rejected_after_the_refresh_is_unauthorized_with_the_servers_details() {
    let server = backend(false).await;
    let provider = Arc::new(CountingProvider::default());
    let error = provider_client(&server, provider.clone())
        .get_customer("cst_tooedar2k7j1d60b".into(), None, Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "UNAUTHORIZED: Invalid API Key. Please pass a valid and active api key."
    );
    assert_eq!(error.details().http_status, Some(401));
    assert_eq!(provider.forced.load(Ordering::SeqCst), 1, "no refresh loop");
    assert_eq!(server.requests("").len(), 2);
}

#[tokio::test]
async fn a_failed_refresh_is_reported_and_the_next_lookup_asks_again() {
    let server = backend(true).await;
    let provider = Arc::new(CountingProvider::default());
    provider.failing_refreshes.store(1, Ordering::SeqCst);
    let client = provider_client(&server, provider.clone());

    let error = client
        .get_customer("cst_tooedar2k7j1d60b".into(), None, Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "NETWORK: token provider: backend unreachable"
    );
    assert!(error.is_retryable());

    client
        .get_customer("cst_tooedar2k7j1d60b".into(), None, Default::default())
        .await
        .expect("the second refresh succeeds");
    assert_eq!(provider.forced.load(Ordering::SeqCst), 2);
}

/// A provider that always fails or returns something unusable.
struct Broken(Result<&'static str, TokenProviderError>);

#[async_trait::async_trait]
impl TokenProvider for Broken {
    async fn token(&self, _force_refresh: bool) -> Result<String, TokenProviderError> {
        self.0.clone().map(str::to_owned)
    }
}

#[tokio::test]
async fn provider_failures_become_errors_before_any_request() {
    let server = backend(true).await;
    let cases = [
        (
            Err(TokenProviderError::Unauthorized {
                reason: "signed out".into(),
            }),
            "UNAUTHORIZED: token provider: signed out",
        ),
        (
            Err(TokenProviderError::Unavailable {
                reason: "offline".into(),
            }),
            "NETWORK: token provider: offline",
        ),
        (
            Ok(""),
            "UNAUTHORIZED: the token provider's token must not be empty",
        ),
        (
            Ok("line\nbreak"),
            "UNAUTHORIZED: the token provider's token must be printable ASCII without line breaks",
        ),
        // What a Kotlin or Swift provider throwing an undeclared exception arrives as.
        (
            Err(uniffi::UnexpectedUniFFICallbackError::new("IllegalStateException: boom").into()),
            "UNAUTHORIZED: token provider: unexpected error: IllegalStateException: boom",
        ),
    ];
    for (answer, want) in cases {
        let credentials = Credentials::TokenProvider {
            provider: Arc::new(Broken(answer)),
        };
        let error = client(&server.base_url(""), credentials)
            .get_customer("cst_tooedar2k7j1d60b".into(), None, Default::default())
            .await
            .unwrap_err();
        assert_eq!(error.to_string(), want);
    }
    assert!(server.requests("").is_empty());
}
