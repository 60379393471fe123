//! A panic inside a lookup is reported truthfully, as INTERNAL with the panic's message, not as
//! the server's fault nor as the bindings' generic error; the client keeps working afterwards
//! (before, a panicking token provider left its shared fetch poisoned, and every later lookup
//! of that client failed).

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::documented_customer;
use juspay_customer::{
    ClientConfig, Credentials, CustomerClient, CustomerError, TokenProvider, TokenProviderError,
};
use juspay_scenario_server::{Answer, ScenarioServer};

/// Panics on its first call (a bug in app code written in Rust, or in the core's own path to it),
/// then hands out a token.
#[derive(Default)]
struct PanicsOnce {
    panicked: AtomicBool,
}

#[async_trait::async_trait]
impl TokenProvider for PanicsOnce {
    async fn token(&self, _force_refresh: bool) -> Result<String, TokenProviderError> {
        if !self.panicked.swap(true, Ordering::SeqCst) {
            panic!("provider bug: index out of bounds");
        }
        Ok("t".into())
    }
}

#[tokio::test]
async fn a_panic_in_a_lookup_is_internal_and_the_client_keeps_working() {
    let server = ScenarioServer::start_with("127.0.0.1:0", |_, _| Answer {
        json: Some(documented_customer()),
        ..Answer::default()
    })
    .await
    .unwrap();
    let client = CustomerClient::new(ClientConfig::new(
        server.base_url(""),
        Credentials::TokenProvider {
            provider: Arc::new(PanicsOnce::default()),
        },
    ))
    .unwrap();

    let error = client
        .get_customer("cst_1".into(), None, Default::default())
        .await
        .unwrap_err();
    assert!(matches!(error, CustomerError::Internal { .. }), "{error:?}");
    assert_eq!(error.code(), "INTERNAL");
    assert!(!error.is_retryable());
    assert_eq!(
        error.details().message,
        "internal error: provider bug: index out of bounds"
    );
    assert!(server.requests("").is_empty(), "no request was sent");

    let customer = client
        .get_customer("cst_1".into(), None, Default::default())
        .await
        .expect("the next lookup works");
    assert_eq!(customer.id, "cst_tooedar2k7j1d60b");
}
