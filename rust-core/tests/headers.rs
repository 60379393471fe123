//! Each credential kind sends exactly its documented headers and never the other's.

mod common;

use std::collections::BTreeSet;

use common::{client, documented_customer, API_KEY, DEVICE_TOKEN, MERCHANT_ID};
use juspay_customer::Credentials;
use juspay_scenario_server::{Answer, RecordedRequest, ScenarioServer};

async fn headers_sent(credentials: Credentials, customer_id: &str) -> RecordedRequest {
    let server = ScenarioServer::start_with("127.0.0.1:0", |_, _| Answer {
        status: 200,
        json: Some(documented_customer()),
        ..Answer::default()
    })
    .await
    .unwrap();
    client(&server.base_url(""), credentials)
        .get_customer(customer_id.into(), None, Default::default())
        .await
        .expect("lookup succeeds");
    let mut requests = server.requests("");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn names(request: &RecordedRequest) -> BTreeSet<&str> {
    request.headers.keys().map(String::as_str).collect()
}

#[tokio::test]
async fn api_key_sends_basic_auth_merchant_routing_version_and_content_type() {
    let request = headers_sent(
        Credentials::ApiKey {
            api_key: API_KEY.into(),
            merchant_id: Some(MERCHANT_ID.into()),
            api_version: None,
        },
        "customer-id-007",
    )
    .await;
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/customers/customer-id-007");
    assert_eq!(
        names(&request),
        BTreeSet::from([
            "accept",
            "authorization",
            "content-type",
            "host",
            "user-agent",
            "version",
            "x-merchantid",
            "x-routing-id",
        ])
    );
    let h = &request.headers;
    // base64("test_api_key_5f1c:"): the key as user name, an empty password.
    assert_eq!(h["authorization"], "Basic dGVzdF9hcGlfa2V5XzVmMWM6");
    assert_eq!(h["x-merchantid"], MERCHANT_ID);
    assert_eq!(h["x-routing-id"], "customer-id-007");
    assert_eq!(h["version"], "2019-05-07");
    assert_eq!(h["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(h["accept"], "application/json");
    assert!(h["user-agent"].starts_with("juspay-customer/"));
}

#[tokio::test]
async fn api_key_without_merchant_id_omits_the_header_and_uses_a_configured_version() {
    let request = headers_sent(
        Credentials::ApiKey {
            api_key: API_KEY.into(),
            merchant_id: None,
            api_version: Some("2023-06-30".into()),
        },
        "a/b é",
    )
    .await;
    assert!(!request.headers.contains_key("x-merchantid"));
    assert_eq!(request.headers["version"], "2023-06-30");
    // The routing id is the encoded segment: stable, and always a valid header value.
    assert_eq!(request.headers["x-routing-id"], "a%2Fb%20%C3%A9");
}

#[tokio::test]
async fn device_token_sends_bearer_and_nothing_of_the_api_key_mode() {
    let request = headers_sent(
        Credentials::DeviceToken {
            token: DEVICE_TOKEN.into(),
        },
        "cst_tooedar2k7j1d60b",
    )
    .await;
    assert_eq!(
        names(&request),
        BTreeSet::from(["accept", "authorization", "host", "user-agent"])
    );
    assert_eq!(
        request.headers["authorization"],
        format!("Bearer {DEVICE_TOKEN}")
    );
}
