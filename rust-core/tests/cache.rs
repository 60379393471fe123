//! The opt-in answer cache over a real socket: off by default, customers only, for at most its
//! TTL, per client, and never across device tokens.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{customer_server, Mode};
use juspay_customer::{
    ClientConfig, Credentials, CustomerClient, ExpiringToken, ExpiringTokenProvider, LookupOptions,
    TokenProviderError,
};
use juspay_scenario_server::ScenarioServer;

fn cached_client(server: &ScenarioServer, credentials: Credentials, ttl_ms: u64) -> CustomerClient {
    CustomerClient::new(ClientConfig {
        cache_ttl_ms: ttl_ms,
        ..ClientConfig::new(server.base_url(""), credentials)
    })
    .unwrap()
}

async fn look_up(client: &CustomerClient, id: &str) -> Result<String, String> {
    client
        .get_customer(id.into(), None, Default::default())
        .await
        .map(|c| c.id)
        .map_err(|e| e.code())
}

#[tokio::test]
async fn without_a_ttl_nothing_is_kept() {
    let server = customer_server(200, 0).await;
    let client = common::client(&server.base_url(""), Mode::DeviceToken.credentials());
    for _ in 0..3 {
        look_up(&client, "cst_1").await.unwrap();
    }
    assert_eq!(server.requests("").len(), 3);
}

#[tokio::test]
async fn a_customer_is_answered_from_memory_within_the_ttl_and_asked_again_after() {
    let server = customer_server(200, 0).await;
    let client = cached_client(&server, Mode::DeviceToken.credentials(), 300);
    for _ in 0..3 {
        assert_eq!(
            look_up(&client, "cst_1").await.unwrap(),
            "cst_tooedar2k7j1d60b"
        );
    }
    assert_eq!(server.requests("").len(), 1);
    // Another customer, or another option, is another entry (this answer has no client auth
    // token, so that lookup fails).
    look_up(&client, "cst_2").await.unwrap();
    let with_token = LookupOptions {
        client_auth_token: true,
    };
    let error = client
        .get_customer("cst_1".into(), None, with_token)
        .await
        .unwrap_err();
    assert_eq!(error.code(), "INVALID_RESPONSE");
    assert_eq!(server.requests("").len(), 3);
    tokio::time::sleep(Duration::from_millis(350)).await;
    look_up(&client, "cst_1").await.unwrap();
    assert_eq!(server.requests("").len(), 4);
}

#[tokio::test]
async fn errors_are_never_kept() {
    let server = customer_server(404, 0).await;
    let client = cached_client(&server, Mode::ApiKey.credentials(), 60_000);
    for _ in 0..3 {
        assert_eq!(
            look_up(&client, "cst_gone").await.unwrap_err(),
            "CUSTOMER_NOT_FOUND"
        );
    }
    assert_eq!(server.requests("").len(), 3);
}

#[tokio::test]
async fn each_client_has_its_own_cache() {
    // What the plugins do on setToken and configure: a new client, so nothing carries over.
    let server = customer_server(200, 0).await;
    let first = cached_client(&server, Mode::DeviceToken.credentials(), 60_000);
    look_up(&first, "cst_1").await.unwrap();
    let second = cached_client(&server, Mode::DeviceToken.credentials(), 60_000);
    look_up(&second, "cst_1").await.unwrap();
    assert_eq!(server.requests("").len(), 2);
}

#[test]
fn a_ttl_over_a_minute_is_refused() {
    let config = ClientConfig {
        cache_ttl_ms: 60_001,
        ..ClientConfig::new(
            "https://api.merchant.example",
            Mode::DeviceToken.credentials(),
        )
    };
    assert_eq!(
        CustomerClient::new(config).err().unwrap().to_string(),
        "INVALID_ARGUMENT: cache_ttl_ms must be between 0 and 60000, got 60001"
    );
}

/// "t1" expiring within the skew, so the next lookup asks for "t2", and so on.
#[derive(Default)]
struct Rotating {
    issued: AtomicUsize,
}

#[async_trait::async_trait]
impl ExpiringTokenProvider for Rotating {
    async fn token(&self, _force_refresh: bool) -> Result<ExpiringToken, TokenProviderError> {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        Ok(ExpiringToken {
            token: format!("t{n}"),
            // Past its early refresh time 500 ms from now.
            expires_at_ms: Some(now_ms + 1_500),
        })
    }
}

#[tokio::test]
async fn a_new_token_never_sees_an_answer_kept_under_the_old_one() {
    let server = customer_server(200, 0).await;
    let client = CustomerClient::new(ClientConfig {
        cache_ttl_ms: 60_000,
        refresh_skew_ms: 1_000,
        ..ClientConfig::new(
            server.base_url(""),
            Credentials::ExpiringTokenProvider {
                provider: Arc::new(Rotating::default()),
            },
        )
    })
    .unwrap();
    look_up(&client, "cst_1").await.unwrap();
    look_up(&client, "cst_1").await.unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    // The token was replaced before this lookup: the kept answer was t1's, so it is asked again.
    look_up(&client, "cst_1").await.unwrap();
    look_up(&client, "cst_1").await.unwrap();
    let sent: Vec<_> = server
        .requests("")
        .into_iter()
        .map(|r| r.headers["authorization"].clone())
        .collect();
    assert_eq!(sent, ["Bearer t1", "Bearer t2"]);
}
