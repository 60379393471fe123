//! The backend configured with a Juspay key and base URL, pointed at an emulator this test
//! starts (so the test can see what reached "Juspay"): the request it sends, the checks before
//! and after the call, what it makes of credential failures and of no answer, and its logs.

mod common;

use std::time::Duration;

use common::*;
use juspay_sandbox::Sandbox;
use serde_json::Value;

fn header<'a>(request: &'a Value, name: &str) -> Option<&'a str> {
    request["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h[0] == name)
        .and_then(|h| h[1].as_str())
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_key_it_calls_juspay_with_basic_auth_and_never_forwards_the_device_token() {
    let juspay = juspay(&[]).await;
    let backend = backend_for(&juspay.base_url(), KEY, &[]);
    let token = token_for(backend.base_url(), "user-10042").await;
    let answer = lookup(
        backend.base_url(),
        "cst_k3w8n1c5r7d2f6gb",
        Some(&token),
        &[],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);

    let requests = juspay_requests(&juspay).await;
    assert_eq!(requests.len(), 2, "sign-in and lookup");
    let last = &requests[1];
    assert_eq!(last["path"], "/customers/cst_k3w8n1c5r7d2f6gb");
    assert_eq!(header(last, "authorization"), Some("Basic [redacted]"));
    assert_eq!(header(last, "x-merchantid"), Some(MERCHANT));
    assert_eq!(header(last, "x-routing-id"), Some("cst_k3w8n1c5r7d2f6gb"));
    assert_eq!(header(last, "version"), Some("2019-05-07"));

    // A fault header from a device never reaches real Juspay.
    let answer = lookup(
        backend.base_url(),
        "user-10042",
        Some(&token),
        &[("x-sandbox-fault", "status=503")],
    )
    .await;
    assert_eq!(answer.status, 200);
    let requests = juspay_requests(&juspay).await;
    assert_eq!(requests[2]["path"], "/customers/user-10042");
    assert_eq!(header(&requests[2], "x-sandbox-fault"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_sign_in_is_off_by_default_with_a_real_key() {
    let juspay = juspay(&[]).await;
    let backend = backend(&[
        ("JUSPAY_API_KEY", KEY),
        ("JUSPAY_BASE_URL", &juspay.base_url()),
    ]);
    assert_eq!(sign_in(backend.base_url(), "customer").await.status, 404);
    // DEMO_SIGN_IN turns it on.
    let demo = backend_for(&juspay.base_url(), KEY, &[]);
    assert_eq!(sign_in(demo.base_url(), "customer").await.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn another_customer_is_refused_before_any_call_to_juspay() {
    let juspay = juspay(&[]).await;
    let backend = backend_for(&juspay.base_url(), KEY, &[]);
    let token = token_for(backend.base_url(), "user-10045").await;
    let before = juspay_requests(&juspay).await.len();
    for other in ["user-10044", "cst_b8v4s6a1z9x3c7hn"] {
        let answer = lookup(backend.base_url(), other, Some(&token), &[]).await;
        backend_error(&answer, 403, "access_denied", "FORBIDDEN");
    }
    assert_eq!(juspay_requests(&juspay).await.len(), before);
}

/// A merchant's object_reference_id may look like another customer's Juspay id. Asking for it,
/// Juspay answers with the customer whose id it is; the backend sees that the answer is not the
/// token's customer and withholds it.
#[tokio::test(flavor = "multi_thread")]
async fn juspays_answer_is_checked_against_the_token_before_it_is_returned() {
    let juspay = juspay(&[]).await;
    let created = http()
        .post(format!("{}/customers", juspay.base_url()))
        .basic_auth(KEY, Some(""))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("object_reference_id=cst_7hq2m9xk4v1p8zta&mobile_number=9000012345")
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    let created: Value = serde_json::from_str(&created.text().await.unwrap()).unwrap();

    let backend = backend_for(&juspay.base_url(), KEY, &[]);
    let token = mint(
        SECRET,
        created["id"].as_str().unwrap(),
        Some("cst_7hq2m9xk4v1p8zta"),
        in_15_minutes(),
    );
    let before = juspay_requests(&juspay).await.len();
    let answer = lookup(
        backend.base_url(),
        "cst_7hq2m9xk4v1p8zta",
        Some(&token),
        &[],
    )
    .await;
    backend_error(&answer, 403, "access_denied", "FORBIDDEN");
    assert!(!answer.body.contains("Priya") && !answer.body.contains("9876543210"));
    assert_eq!(
        juspay_requests(&juspay).await.len(),
        before + 1,
        "asked, then withheld"
    );

    // By its own Juspay id the token's customer is returned.
    let own = lookup(
        backend.base_url(),
        created["id"].as_str().unwrap(),
        Some(&token),
        &[],
    )
    .await;
    assert_eq!(own.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn juspay_refusing_the_backends_credentials_is_a_500_that_names_no_secret() {
    let juspay = juspay(&[]).await;
    let token = mint(
        SECRET,
        "cst_tooedar2k7j1d60b",
        Some("customer"),
        in_15_minutes(),
    );

    let wrong_key = backend_for(&juspay.base_url(), "sk_wrong_key_123456", &[]);
    let answer = lookup(wrong_key.base_url(), "customer", Some(&token), &[]).await;
    let info = backend_error(
        &answer,
        500,
        "backend_misconfigured",
        "UPSTREAM_AUTH_FAILED",
    );
    assert_eq!(
        info["developer_message"],
        "Juspay rejected the backend's credentials (HTTP 401): its operator must check \
         JUSPAY_API_KEY, JUSPAY_MERCHANT_ID and Juspay's IP allow-list."
    );
    assert_eq!(info["category"], "SERVER_ERROR");
    assert!(!answer.body.contains("sk_wrong_key_123456"));
    // Sign-in fails the same way.
    let signed_in = sign_in(wrong_key.base_url(), "customer").await;
    backend_error(
        &signed_in,
        500,
        "backend_misconfigured",
        "UPSTREAM_AUTH_FAILED",
    );
    wrong_key
        .output_once_it_has("Juspay rejected this backend's credentials")
        .unwrap();

    let wrong_merchant = backend(&[
        ("JUSPAY_API_KEY", KEY),
        ("JUSPAY_MERCHANT_ID", "not_our_merchant"),
        ("JUSPAY_BASE_URL", &juspay.base_url()),
        ("TOKEN_SECRET", SECRET),
    ]);
    let answer = lookup(wrong_merchant.base_url(), "customer", Some(&token), &[]).await;
    backend_error(
        &answer,
        500,
        "backend_misconfigured",
        "UPSTREAM_AUTH_FAILED",
    );

    // The backend's IP is not on the merchant's allow-list: Juspay's 403 BAD_ORIGIN.
    let fenced = juspay_with_allow_list().await;
    let backend = backend_for(&fenced.base_url(), KEY, &[]);
    let answer = lookup(backend.base_url(), "customer", Some(&token), &[]).await;
    let info = backend_error(
        &answer,
        500,
        "backend_misconfigured",
        "UPSTREAM_AUTH_FAILED",
    );
    assert!(info["developer_message"]
        .as_str()
        .unwrap()
        .contains("HTTP 403"));
    assert!(
        !answer.body.contains("Bad Origin"),
        "Juspay's body stays with the backend"
    );

    // A base URL with a wrong path: 404 without Juspay's body.
    let backend = backend_for(&format!("{}/v2", juspay.base_url()), KEY, &[]);
    let answer = lookup(backend.base_url(), "customer", Some(&token), &[]).await;
    backend_error(&answer, 500, "backend_misconfigured", "UPSTREAM_NOT_FOUND");
}

async fn juspay_with_allow_list() -> Sandbox {
    juspay(&["192.0.2.44"]).await
}

#[tokio::test(flavor = "multi_thread")]
async fn no_answer_from_juspay_is_502_a_slow_one_504_and_its_own_errors_pass_through() {
    let token = mint(
        SECRET,
        "cst_tooedar2k7j1d60b",
        Some("customer"),
        in_15_minutes(),
    );

    // Nothing listens on the port any more.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let backend = backend_for(&closed_url, KEY, &[]);
    let answer = lookup(backend.base_url(), "customer", Some(&token), &[]).await;
    let info = backend_error(&answer, 502, "bad_gateway", "UPSTREAM_UNREACHABLE");
    assert_eq!(info["developer_message"], "Juspay could not be reached.");

    let juspay = juspay(&[]).await;
    let backend = backend_for(&juspay.base_url(), KEY, &[("UPSTREAM_DEADLINE", "500ms")]);
    set_fault(&juspay, r#"{"fault":"delay=2000","times":1}"#).await;
    let answer = lookup(backend.base_url(), "customer", Some(&token), &[]).await;
    backend_error(&answer, 504, "gateway_timeout", "UPSTREAM_TIMEOUT");

    // A 503 from in front of Juspay, after the backend's one retry (UPSTREAM_RETRIES, default
    // 1): its HTML page becomes the backend's own error in Juspay's shape, with the status.
    juspay_clear(&juspay).await;
    set_fault(&juspay, r#"{"fault":"status=503"}"#).await;
    let before = juspay_requests(&juspay).await.len();
    let answer = lookup(backend.base_url(), "customer", Some(&token), &[]).await;
    let info = backend_error(&answer, 503, "upstream_error", "UPSTREAM_ERROR");
    assert_eq!(
        info["developer_message"],
        "Juspay answered HTTP 503 without a Juspay error body."
    );
    assert_eq!(answer.headers["content-type"], "application/json");
    assert_eq!(juspay_requests(&juspay).await.len(), before + 2);
    juspay_clear(&juspay).await;

    // Juspay's 404 for a customer it no longer has, with its own request_id.
    let gone = mint(
        SECRET,
        "cst_gone000000000000",
        Some("gone-1"),
        in_15_minutes(),
    );
    let answer = lookup(backend.base_url(), "gone-1", Some(&gone), &[]).await;
    assert_eq!(answer.status, 404);
    let body = answer.json();
    assert_eq!(body["error_code"], "object_not_found");
    assert_ne!(
        body["error_info"]["request_id"].as_str(),
        answer.headers["x-request-id"].to_str().ok(),
        "Juspay's request id, not the backend's"
    );
}

async fn set_fault(sandbox: &Sandbox, body: &str) {
    let response = control(reqwest::Method::POST, sandbox, "/__sandbox/faults")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn juspay_clear(sandbox: &Sandbox) {
    control(reqwest::Method::DELETE, sandbox, "/__sandbox/faults")
        .send()
        .await
        .unwrap();
}

/// With debug logs on, after sign-ins, lookups, refusals and failures: no API key, no token, no
/// email address or mobile number in anything the backend printed, and no key in any answer.
#[tokio::test(flavor = "multi_thread")]
async fn no_key_token_email_or_mobile_in_its_logs_and_no_key_in_its_answers() {
    let juspay = juspay(&[]).await;
    let mut backend = backend_for(&juspay.base_url(), KEY, &[("RUST_LOG", "debug")]);
    let base = backend.base_url().to_owned();
    let mut answers = Vec::new();

    let signed_in = sign_in(&base, "customer-id-007").await;
    let token = signed_in.json()["token"].as_str().unwrap().to_owned();
    answers.push(signed_in);
    answers.push(lookup(&base, "customer-id-007", Some(&token), &[]).await);
    answers.push(lookup(&base, "cst_7hq2m9xk4v1p8zta", Some(&token), &[]).await);
    answers.push(lookup(&base, "user-10043", Some(&token), &[]).await);
    answers.push(lookup(&base, "customer-id-007", Some("forged.token.value"), &[]).await);
    answers.push(sign_in(&base, "nobody-here").await);
    set_fault(&juspay, r#"{"fault":"malformed","times":1}"#).await;
    answers.push(lookup(&base, "customer-id-007", Some(&token), &[]).await);
    assert_eq!(answers[1].body, answers[2].body);
    assert!(
        answers[1].body.contains("priya.raghavan@example.com"),
        "the device gets its data"
    );

    let wrong_key = backend_for(
        &juspay.base_url(),
        "sk_other_key_000111",
        &[("RUST_LOG", "debug")],
    );
    answers.push(lookup(wrong_key.base_url(), "customer-id-007", Some(&token), &[]).await);

    let exit = tokio::task::spawn_blocking(move || {
        let exit = backend.terminate(Duration::from_secs(15));
        (exit, backend.output())
    })
    .await
    .unwrap();
    let output = format!("{}\n{}", exit.1, wrong_key.output());
    assert!(exit.0.unwrap().success());
    assert!(output.contains("DEBUG"), "debug logging was on:\n{output}");
    assert!(output.contains("request_id="), "{output}");
    for secret in [
        KEY,
        "sk_other_key_000111",
        SECRET,
        token.as_str(),
        token.split('.').nth(2).unwrap(),
        "priya.raghavan@example.com",
        "9876543210",
        "weiling.tan@example.com",
        "91234567",
    ] {
        assert!(
            !output.contains(secret),
            "{secret:?} in the logs:\n{output}"
        );
    }
    for answer in &answers {
        assert!(!answer.body.contains(KEY) && !answer.body.contains("sk_other_key_000111"));
        for value in answer.headers.values() {
            assert!(!value.to_str().unwrap_or_default().contains(KEY));
        }
    }
}
