//! Device tokens with an expiry: the next one is fetched shortly before the expiry, once for
//! all concurrent lookups, without paying a 401 first.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::documented_customer;
use futures_util::future::join_all;
use juspay_customer::{
    ClientConfig, Credentials, CustomerClient, ExpiringToken, ExpiringTokenProvider,
    TokenProviderError,
};
use juspay_scenario_server::{Answer, ScenarioServer};

const SKEW_MS: u64 = 1_000;

/// Hands out `t1` expiring 200 ms after the skew starts, then `t2` expiring in an hour (or an
/// error, when `refresh_fails`); records every `force_refresh` it was asked with.
struct Expiring {
    asked: Mutex<Vec<bool>>,
    refresh_fails: bool,
}

fn unix_ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH).unwrap().as_millis() as i64
}

#[async_trait::async_trait]
impl ExpiringTokenProvider for Expiring {
    async fn token(&self, force_refresh: bool) -> Result<ExpiringToken, TokenProviderError> {
        tokio::time::sleep(Duration::from_millis(30)).await;
        let first = {
            let mut asked = self.asked.lock().unwrap();
            asked.push(force_refresh);
            asked.len() == 1
        };
        let now = SystemTime::now();
        match (first, self.refresh_fails) {
            (true, _) => Ok(ExpiringToken {
                token: "t1".into(),
                expires_at_ms: Some(unix_ms(now + Duration::from_millis(SKEW_MS + 200))),
            }),
            (false, false) => Ok(ExpiringToken {
                token: "t2".into(),
                expires_at_ms: Some(unix_ms(now + Duration::from_secs(3600))),
            }),
            (false, true) => Err(TokenProviderError::Unavailable {
                reason: "backend down".into(),
            }),
        }
    }
}

async fn run(refresh_fails: bool) -> (Vec<bool>, Vec<String>) {
    // Accepts every token: any 401-driven refresh would show up as a second request per lookup.
    let server = ScenarioServer::start_with("127.0.0.1:0", |_, _| Answer {
        json: Some(documented_customer()),
        ..Answer::default()
    })
    .await
    .unwrap();
    let provider = Arc::new(Expiring {
        asked: Mutex::default(),
        refresh_fails,
    });
    // Coalescing off: each concurrent lookup sends its own request, so the test sees that they
    // share the one early refresh.
    let client = CustomerClient::new(ClientConfig {
        refresh_skew_ms: SKEW_MS,
        coalesce_lookups: false,
        ..ClientConfig::new(
            server.base_url(""),
            Credentials::ExpiringTokenProvider {
                provider: provider.clone(),
            },
        )
    })
    .unwrap();
    let lookup = || client.get_customer("cst_1".into(), None, Default::default());
    lookup().await.unwrap();
    lookup().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    for result in join_all((0..5).map(|_| lookup())).await {
        result.unwrap();
    }
    lookup().await.unwrap();
    let sent = server
        .requests("")
        .into_iter()
        .map(|r| r.headers["authorization"].clone())
        .collect();
    let asked = provider.asked.lock().unwrap().clone();
    (asked, sent)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_token_is_fetched_once_shortly_before_expiry_without_a_401() {
    let (asked, sent) = run(false).await;
    assert_eq!(asked, [false, true]);
    let mut want = vec!["Bearer t1".to_owned(); 2];
    want.extend(vec!["Bearer t2".to_owned(); 6]);
    assert_eq!(sent, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_early_refresh_leaves_the_lookups_on_the_current_token() {
    let (asked, sent) = run(true).await;
    // Each lookup past the refresh time tries once (concurrent ones share a try).
    assert_eq!(asked.first(), Some(&false));
    assert!(asked[1..].iter().all(|forced| *forced), "{asked:?}");
    assert!(asked.len() >= 3 && asked.len() <= 8, "{asked:?}");
    assert_eq!(sent, vec!["Bearer t1".to_owned(); 8]);
}

#[test]
fn an_expiring_token_prints_without_its_token() {
    let token = ExpiringToken {
        token: "tok_SECRET".into(),
        expires_at_ms: Some(1),
    };
    assert!(!format!("{token:?}").contains("SECRET"));
}

#[test]
fn a_skew_beyond_ten_minutes_is_refused() {
    let config = ClientConfig {
        refresh_skew_ms: 600_001,
        ..ClientConfig::new(
            "https://api.merchant.example",
            Credentials::DeviceToken { token: "t".into() },
        )
    };
    let error = CustomerClient::new(config).err().unwrap();
    assert_eq!(
        error.to_string(),
        "INVALID_ARGUMENT: refresh_skew_ms must be between 0 and 600000, got 600001"
    );
}
