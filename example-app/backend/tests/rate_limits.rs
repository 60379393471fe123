//! The backend's rate limits, through the real process: lookups per device token's customer and
//! sign-ins per client address, refused with 429 in Juspay's error shape and `Retry-After`
//! before Juspay is called, on by default, configurable, and read by the core as RATE_LIMITED.

mod common;

use std::time::Instant;

use common::*;
use futures_util::future::join_all;
use juspay_customer::{ClientConfig, Credentials, CustomerClient};
use juspay_sandbox::Sandbox;

/// Lookups of customers that reached the emulator (sign-ins' Get Customer included).
async fn juspay_lookups(juspay: &Sandbox) -> usize {
    juspay_requests(juspay)
        .await
        .iter()
        .filter(|r| r["method"] == "GET" && r["path"].as_str().unwrap().starts_with("/customers/"))
        .count()
}

fn retry_after(answer: &Answer) -> u64 {
    answer.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// The issue's case: 300 lookups with one token used to be 300 calls to Juspay. With the
/// defaults (5 a second, 20 at once) most are refused before Juspay is called.
#[tokio::test(flavor = "multi_thread")]
async fn by_default_one_token_cannot_spend_the_merchants_juspay_quota() {
    let juspay = juspay(&[]).await;
    let backend = backend_for(&juspay.base_url(), KEY, &[]);
    let base = backend.base_url();
    let token = token_for(base, "user-10042").await;
    let before = juspay_lookups(&juspay).await;

    let started = Instant::now();
    let mut answers = Vec::new();
    for _ in 0..30 {
        answers
            .extend(join_all((0..10).map(|_| lookup(base, "user-10042", Some(&token), &[]))).await);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let served = answers.iter().filter(|a| a.status == 200).count();
    let limited: Vec<&Answer> = answers.iter().filter(|a| a.status == 429).collect();
    assert_eq!(served + limited.len(), 300);
    // The burst is served at once; beyond it, about 5 a second.
    let allowed = 20 + (5.0 * elapsed).ceil() as usize;
    assert!(
        (20..=allowed).contains(&served),
        "{served} served in {elapsed:.1}s"
    );
    for answer in &limited {
        assert_eq!(retry_after(answer), 1, "{:?}", answer.headers);
    }
    let info = backend_error(limited[0], 429, "too_many_requests", "RATE_LIMITED");
    assert_eq!(
        info["user_message"],
        "Too many requests. Please try again later."
    );
    assert_eq!(info["category"], "USER_ERROR");
    // Every Juspay call was a served lookup; concurrent served lookups of the one customer
    // share a call (tests/coalescing.rs), so there may be fewer calls than served lookups.
    let calls = juspay_lookups(&juspay).await - before;
    assert!(
        (1..=served).contains(&calls),
        "{calls} Juspay calls for {served} served"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lookup_limit_is_per_customer_and_the_core_reads_it_as_rate_limited() {
    let juspay = juspay(&[]).await;
    let backend = backend_for(
        &juspay.base_url(),
        KEY,
        &[("LOOKUP_RATE_LIMIT", "1/h"), ("LOOKUP_BURST", "2")],
    );
    let base = backend.base_url();
    let token = token_for(base, "user-10042").await;
    for _ in 0..2 {
        assert_eq!(
            lookup(base, "cst_k3w8n1c5r7d2f6gb", Some(&token), &[])
                .await
                .status,
            200
        );
    }
    let before = juspay_lookups(&juspay).await;
    let refused = lookup(base, "user-10042", Some(&token), &[]).await;
    let info = backend_error(&refused, 429, "too_many_requests", "RATE_LIMITED");
    let wait = retry_after(&refused);
    assert!((3500..=3600).contains(&wait), "{wait}");
    assert_eq!(
        info["developer_message"],
        format!(
            "Too many lookups of this customer for the backend's rate limit: retry after {wait} s."
        )
    );
    // A fresh token for the same customer shares the customer's budget.
    let again = token_for(base, "user-10042").await;
    assert_eq!(
        lookup(base, "user-10042", Some(&again), &[]).await.status,
        429
    );
    assert_eq!(
        juspay_lookups(&juspay).await,
        before + 1,
        "only the sign-in reached Juspay"
    );
    // Another customer has its own.
    let other = token_for(base, "user-10043").await;
    assert_eq!(
        lookup(base, "user-10043", Some(&other), &[]).await.status,
        200
    );
    // A refused token is refused before the limit is looked at: a 401, not a 429.
    assert_eq!(
        lookup(base, "user-10042", Some("x.y.z"), &[]).await.status,
        401
    );

    let device =
        CustomerClient::new(ClientConfig::new(base, Credentials::DeviceToken { token })).unwrap();
    let error = device
        .get_customer("user-10042".into(), None, Default::default())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "RATE_LIMITED");
    let details = error.details();
    assert_eq!(details.http_status, Some(429));
    assert_eq!(details.error_info_code.as_deref(), Some("RATE_LIMITED"));
    assert!(
        details.retry_after_ms.is_some_and(|ms| ms >= 3_500_000),
        "{details:?}"
    );
}

async fn sign_in_from(base: &str, forwarded_for: Option<&str>) -> Answer {
    let mut request = http()
        .post(format!("{base}/auth/device-token"))
        .header("content-type", "application/json")
        .body(r#"{"customer_id": "customer"}"#);
    if let Some(addresses) = forwarded_for {
        request = request.header("x-forwarded-for", addresses);
    }
    let response = request.send().await.unwrap();
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_ins_are_limited_per_client_address_behind_trusted_proxies_too() {
    let limit = [("SIGN_IN_RATE_LIMIT", "1/h"), ("SIGN_IN_BURST", "2")];
    let direct = backend(&limit);
    for _ in 0..2 {
        assert_eq!(sign_in_from(direct.base_url(), None).await.status, 200);
    }
    let refused = sign_in_from(direct.base_url(), Some("198.51.100.9")).await;
    let info = backend_error(&refused, 429, "too_many_requests", "RATE_LIMITED");
    assert!(info["developer_message"]
        .as_str()
        .unwrap()
        .starts_with("Too many sign-ins from this address"));
    assert!(retry_after(&refused) >= 3500);

    // Behind one proxy, the client is the address the proxy appended, whatever the client wrote
    // before it.
    let proxied = backend(&[limit[0], limit[1], ("FORWARDED_HOPS", "1")]);
    let base = proxied.base_url();
    for _ in 0..2 {
        assert_eq!(sign_in_from(base, Some("198.51.100.1")).await.status, 200);
    }
    assert_eq!(
        sign_in_from(base, Some("10.9.9.9, 198.51.100.1"))
            .await
            .status,
        429
    );
    assert_eq!(sign_in_from(base, Some("198.51.100.2")).await.status, 200);
    assert_eq!(
        sign_in_from(base, Some("198.51.100.1, 198.51.100.3"))
            .await
            .status,
        200
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn limits_can_be_switched_off_with_a_warning_and_bad_values_stop_the_start() {
    let backend = backend(&[("LOOKUP_RATE_LIMIT", "off"), ("SIGN_IN_RATE_LIMIT", "off")]);
    let base = backend.base_url();
    let signed_in = join_all((0..40).map(|_| sign_in(base, "customer"))).await;
    assert!(signed_in.iter().all(|a| a.status == 200));
    let token = signed_in[0].json()["token"].as_str().unwrap().to_owned();
    let looked_up = join_all((0..60).map(|_| lookup(base, "customer", Some(&token), &[]))).await;
    assert!(looked_up.iter().all(|a| a.status == 200));
    backend
        .output_once_it_has("LOOKUP_RATE_LIMIT is off: one device token can spend")
        .unwrap();

    for (name, value) in [
        ("LOOKUP_RATE_LIMIT", "fast"),
        ("LOOKUP_RATE_LIMIT", "0/s"),
        ("SIGN_IN_RATE_LIMIT", "5/d"),
        ("LOOKUP_BURST", "0"),
        ("FORWARDED_HOPS", "11"),
    ] {
        let refused = try_backend(&[(name, value)], &[]).err();
        assert!(
            refused.as_deref().is_some_and(|e| e.contains(value)),
            "{name}={value}: {refused:?}"
        );
    }
}
