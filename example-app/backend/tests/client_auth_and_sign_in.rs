//! Juspay's client auth token through the backend, and sign-in as Juspay's guides do it:
//! get-or-create of the user's customer, once however many first sign-ins race, and a token only
//! for a customer that is the signed-in user's.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use futures_util::future::join_all;
use juspay_customer::{ClientConfig, Credentials, CustomerClient, LookupOptions};
use serde_json::{json, Value};

async fn post_sign_in(base: &str, body: Value) -> Answer {
    let response = http()
        .post(format!("{base}/auth/device-token"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

fn expiry_from_now(value: &Value) -> Duration {
    let expiry = humantime::parse_rfc3339(value.as_str().unwrap()).unwrap();
    expiry.duration_since(SystemTime::now()).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_client_auth_token_is_passed_on_for_the_own_customer_only_and_never_logged() {
    let mut backend = backend(&[("RUST_LOG", "debug")]);
    let base = backend.base_url().to_owned();
    let base = base.as_str();
    let token = token_for(base, "user-10042").await;
    let query = "?options.get_client_auth_token=true";
    let mut client_auths = Vec::new();

    for id in ["user-10042", "cst_k3w8n1c5r7d2f6gb"] {
        let answer = lookup(base, &format!("{id}{query}&extra=1"), Some(&token), &[]).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.headers["cache-control"], "no-store");
        let body = answer.json();
        assert_eq!(body["id"], "cst_k3w8n1c5r7d2f6gb");
        let client_auth = body["juspay"]["client_auth_token"].as_str().unwrap();
        assert!(!client_auth.is_empty());
        // The emulator's token lives 15 minutes.
        let ttl = expiry_from_now(&body["juspay"]["client_auth_token_expiry"]);
        assert!(
            ttl > Duration::from_secs(14 * 60) && ttl <= Duration::from_secs(15 * 60),
            "{ttl:?}"
        );
        client_auths.push(client_auth.to_owned());
    }

    // Not asked (or asked with anything but `true`): Juspay gives none.
    for path in [
        "user-10042",
        "user-10042?options.get_client_auth_token=false",
    ] {
        let answer = lookup(base, path, Some(&token), &[]).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert!(answer.json().get("juspay").is_none(), "{}", answer.body);
    }

    // Another customer's token is refused before Juspay is asked.
    let other = lookup(base, &format!("user-10043{query}"), Some(&token), &[]).await;
    backend_error(&other, 403, "access_denied", "FORBIDDEN");
    assert!(other.json().get("juspay").is_none());

    // Every line is written once the process has exited.
    assert!(backend
        .terminate(Duration::from_secs(15))
        .unwrap()
        .success());
    let log = backend.output();
    assert!(
        log.contains("Juspay answered with a customer"),
        "debug logs are on:\n{log}"
    );
    for client_auth in client_auths {
        assert!(!log.contains(&client_auth), "the token is in the log");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_core_in_device_mode_gets_the_client_auth_token_and_never_prints_it() {
    let backend = backend(&[]);
    let base = backend.base_url();
    let token = token_for(base, "customer-id-007").await;
    let device =
        CustomerClient::new(ClientConfig::new(base, Credentials::DeviceToken { token })).unwrap();

    let customer = device
        .get_customer(
            "customer-id-007".into(),
            None,
            LookupOptions {
                client_auth_token: true,
            },
        )
        .await
        .unwrap();
    let auth = customer.juspay.clone().expect("a client auth token");
    assert!(!auth.client_auth_token.is_empty());
    let ttl = expiry_from_now(&json!(auth.client_auth_token_expiry.unwrap()));
    assert!(ttl > Duration::from_secs(14 * 60), "{ttl:?}");
    assert!(!format!("{customer:?} {customer}").contains(&auth.client_auth_token));

    let without = device
        .get_customer("customer-id-007".into(), None, LookupOptions::default())
        .await
        .unwrap();
    assert_eq!(without.juspay, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_sign_in_creates_the_customer_and_later_ones_get_it() {
    let mut backend = backend(&[]);
    let base = backend.base_url().to_owned();
    let base = base.as_str();
    let new_user = json!({
        "user_id": "merchant-user-501",
        "first_name": "Ada",
        "mobile_number": "9876501234",
        "mobile_country_code": "91",
        "email_address": "ada@example.com",
    });
    let first = post_sign_in(base, new_user.clone()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let first = first.json();
    let juspay_id = first["customer_id"].as_str().unwrap().to_owned();
    assert!(juspay_id.starts_with("cst_"), "{juspay_id}");
    assert_eq!(first["object_reference_id"], "merchant-user-501");

    // Juspay now has it, with the profile it was given.
    let token = first["token"].as_str().unwrap();
    let customer = lookup(base, "merchant-user-501", Some(token), &[])
        .await
        .json();
    assert_eq!(customer["id"], juspay_id.as_str());
    assert_eq!(customer["first_name"], "Ada");

    let again = post_sign_in(base, new_user).await.json();
    assert_eq!(again["customer_id"], juspay_id.as_str());
    // Every line is written once the process has exited.
    assert!(backend
        .terminate(Duration::from_secs(15))
        .unwrap()
        .success());
    let log = backend.output();
    assert!(!log.contains("9876501234"), "a mobile number in the log");
    assert!(!log.contains("ada@example.com"), "an email in the log");
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_first_sign_ins_of_one_user_create_one_customer() {
    let backend = backend(&[]);
    let base = backend.base_url();
    let body = json!({ "user_id": "merchant-user-777", "mobile_number": "9876507777" });
    let answers = join_all((0..8).map(|_| post_sign_in(base, body.clone()))).await;
    let ids: Vec<String> = answers
        .iter()
        .map(|a| {
            assert_eq!(a.status, 200, "{}", a.body);
            a.json()["customer_id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert!(ids.iter().all(|id| id == &ids[0]), "{ids:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_passes_juspays_refusals_and_does_not_recreate_a_stored_id() {
    let backend = backend(&[]);
    let base = backend.base_url();
    // Juspay requires a mobile number to create a customer: its 400 reaches the device.
    let no_mobile = post_sign_in(base, json!({ "user_id": "merchant-user-9" })).await;
    assert_eq!(no_mobile.status, 400, "{}", no_mobile.body);
    assert_eq!(no_mobile.json()["error_info"]["code"], "INVALID_INPUT");

    // A Juspay id the merchant stored that Juspay no longer has: Juspay's 404, nothing created.
    let gone = sign_in(base, "cst_gone000000000000").await;
    assert_eq!(gone.status, 404, "{}", gone.body);
    assert_eq!(gone.json()["error_code"], "object_not_found");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_whose_id_is_another_customers_juspay_id_gets_no_token_for_that_customer() {
    // Customer B's object_reference_id is customer A's Juspay id. Juspay answers
    // GET /customers/cst_a… with A, which is not the user "cst_a…"'s customer.
    let seed = std::env::temp_dir().join(format!("collision-seed-{}.json", std::process::id()));
    let a_id = "cst_a1a1a1a1a1a1a1a1";
    std::fs::write(
        &seed,
        json!([
            { "id": a_id, "object_reference_id": "user-a", "mobile_number": "9000000001" },
            { "id": "cst_b2b2b2b2b2b2b2b2", "object_reference_id": a_id, "mobile_number": "9000000002" },
        ])
        .to_string(),
    )
    .unwrap();
    let backend = backend(&[("SANDBOX_SEED", seed.to_str().unwrap())]);
    let base = backend.base_url();

    let collided = post_sign_in(base, json!({ "user_id": a_id })).await;
    let info = backend_error(&collided, 409, "identity_mismatch", "CUSTOMER_MISMATCH");
    assert!(collided.json().get("token").is_none());
    assert!(info["developer_message"]
        .as_str()
        .unwrap()
        .contains("another user"));

    // A's own user, by the merchant's id or by the Juspay id the merchant stored, is served.
    for body in [
        json!({ "user_id": "user-a" }),
        json!({ "customer_id": a_id }),
    ] {
        let answer = post_sign_in(base, body).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.json()["customer_id"], a_id);
    }
    // B's user with its stored Juspay id is B, whatever its object_reference_id looks like.
    let b = post_sign_in(
        base,
        json!({ "user_id": a_id, "juspay_customer_id": "cst_b2b2b2b2b2b2b2b2" }),
    )
    .await;
    assert_eq!(b.status, 200, "{}", b.body);
    assert_eq!(b.json()["customer_id"], "cst_b2b2b2b2b2b2b2b2");
    let _ = std::fs::remove_file(&seed);
}
