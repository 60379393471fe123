//! The backend as a device sees it, with no Juspay key (the embedded emulator): sign-in, tokens,
//! scoping to one customer, CORS, faults end to end, and the core in device mode reading the
//! backend's answers.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use juspay_customer::{ClientConfig, Credentials, CustomerClient};
use juspay_sandbox::demo_customers;

/// What the emulator sends for demo customer `reference`: the body the backend must pass on.
fn emulator_body(reference: &str) -> String {
    let customer = demo_customers()
        .into_iter()
        .find(|c| c.object_reference_id == reference)
        .unwrap();
    serde_json::to_string(&customer).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_environment_a_signed_in_device_reads_its_customer_by_either_id() {
    let backend = backend(&[]);
    let base = backend.base_url();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    let signed_in = sign_in(base, "customer-id-007").await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.body);
    let issued = signed_in.json();
    assert_eq!(issued["customer_id"], "cst_7hq2m9xk4v1p8zta");
    assert_eq!(issued["object_reference_id"], "customer-id-007");
    let expires = humantime::parse_rfc3339(issued["expires_at"].as_str().unwrap()).unwrap();
    let ttl = expires.duration_since(SystemTime::now()).unwrap();
    assert!(
        // TOKEN_TTL from now, `exp` rounded up to the next whole second.
        ttl > Duration::from_secs(14 * 60) && ttl <= Duration::from_secs(15 * 60 + 1),
        "{ttl:?}"
    );
    let token = issued["token"].as_str().unwrap();

    for id in ["customer-id-007", "cst_7hq2m9xk4v1p8zta"] {
        let answer = lookup(base, id, Some(token), &[]).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.body, emulator_body("customer-id-007"), "unchanged");
        assert_eq!(answer.headers["content-type"], "application/json");
        let request_id = answer.headers["x-request-id"].to_str().unwrap();
        assert!(uuid::Uuid::parse_str(request_id).is_ok());
    }

    // Signing in by Juspay's id gives a token for the same customer.
    let by_id = sign_in(base, "cst_7hq2m9xk4v1p8zta").await.json();
    assert_eq!(by_id["object_reference_id"], "customer-id-007");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_for_one_customer_cannot_read_another_by_either_id() {
    let backend = backend(&[]);
    let base = backend.base_url();
    let token = token_for(base, "user-10042").await;
    assert_eq!(
        lookup(base, "user-10042", Some(&token), &[]).await.status,
        200
    );
    for other in [
        "user-10043",
        "cst_p5t9y2e6u3j8l1qm",
        "customer",
        "cst_tooedar2k7j1d60b",
        // The right customer's id with a byte more, or percent-encoded beyond UTF-8.
        "user-100421",
        "%FF",
    ] {
        let answer = lookup(base, other, Some(&token), &[]).await;
        let info = backend_error(&answer, 403, "access_denied", "FORBIDDEN");
        assert_eq!(
            info["developer_message"],
            "The device token is scoped to another customer."
        );
        assert!(
            !answer.body.contains("Wei Ling") && !answer.body.contains("@"),
            "{}",
            answer.body
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_malformed_tampered_foreign_and_expired_tokens_get_juspays_401() {
    let backend = backend(&[("TOKEN_SECRET", SECRET)]);
    let base = backend.base_url();
    let token = token_for(base, "user-10044").await;

    let missing = lookup(base, "user-10044", None, &[]).await;
    let info = backend_error(&missing, 401, "access_denied", "UNAUTHORIZED");
    assert_eq!(
        info["developer_message"],
        "Send the device token as `Authorization: Bearer <token>`."
    );
    assert_eq!(info["user_message"], "Unauthorized.");
    assert_eq!(info["category"], "USER_ERROR");
    assert_eq!(
        missing.headers["www-authenticate"],
        r#"Bearer error="invalid_token""#
    );

    // Flip one character of the claims: the signature no longer matches.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let flipped = if parts[1].ends_with('A') { 'B' } else { 'A' };
    parts[1].pop();
    parts[1].push(flipped);
    let tampered = parts.join(".");
    let expired = mint(
        SECRET,
        "cst_b8v4s6a1z9x3c7hn",
        Some("user-10044"),
        SystemTime::now() - Duration::from_secs(1),
    );
    let foreign = mint(
        OTHER_SECRET,
        "cst_b8v4s6a1z9x3c7hn",
        Some("user-10044"),
        in_15_minutes(),
    );
    for (bad, message) in [
        ("not-a-token", "The device token is not valid."),
        (tampered.as_str(), "The device token is not valid."),
        (foreign.as_str(), "The device token is not valid."),
        (expired.as_str(), "The device token has expired."),
    ] {
        let answer = lookup(base, "user-10044", Some(bad), &[]).await;
        let info = backend_error(&answer, 401, "access_denied", "UNAUTHORIZED");
        assert_eq!(info["developer_message"], message, "{bad}");
    }
    let basic = lookup(
        base,
        "user-10044",
        None,
        &[("authorization", "Basic dXNlcjo=")],
    )
    .await;
    backend_error(&basic, 401, "access_denied", "UNAUTHORIZED");

    // A token minted outside the backend with the same secret works: the format is the contract.
    let minted = mint(
        SECRET,
        "cst_b8v4s6a1z9x3c7hn",
        Some("user-10044"),
        in_15_minutes(),
    );
    assert_eq!(
        lookup(base, "user-10044", Some(&minted), &[]).await.status,
        200
    );
    // 401 comes before 403: an expired token for another customer is still 401.
    assert_eq!(
        lookup(base, "user-10042", Some(&expired), &[]).await.status,
        401
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_expire_after_token_ttl() {
    // Expiry has one-second resolution: 2 s leaves the first lookup well inside it.
    let backend = backend(&[("TOKEN_TTL", "2s")]);
    let base = backend.base_url();
    let token = token_for(base, "user-10045").await;
    assert_eq!(
        lookup(base, "user-10045", Some(&token), &[]).await.status,
        200
    );
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    let answer = lookup(base, "user-10045", Some(&token), &[]).await;
    let info = backend_error(&answer, 401, "access_denied", "UNAUTHORIZED");
    assert_eq!(info["developer_message"], "The device token has expired.");
}

#[tokio::test(flavor = "multi_thread")]
async fn instances_sharing_token_secret_accept_each_others_tokens() {
    let first = backend(&[("TOKEN_SECRET", SECRET)]);
    let second = backend(&[("TOKEN_SECRET", SECRET)]);
    let stranger = backend(&[("TOKEN_SECRET", OTHER_SECRET)]);
    let token = token_for(first.base_url(), "customer").await;
    let answer = lookup(second.base_url(), "cst_tooedar2k7j1d60b", Some(&token), &[]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body, emulator_body("customer"));
    assert_eq!(
        lookup(stranger.base_url(), "customer", Some(&token), &[])
            .await
            .status,
        401
    );

    // Without TOKEN_SECRET each process has its own random secret, and says so.
    let lone = backend(&[]);
    let token = token_for(lone.base_url(), "customer").await;
    let other = backend(&[]);
    assert_eq!(
        lookup(other.base_url(), "customer", Some(&token), &[])
            .await
            .status,
        401
    );
    lone.output_once_it_has("TOKEN_SECRET is not set").unwrap();
}

/// The rotation the README describes, with one real process per stage of it: tokens minted
/// before it keep working on instances that rotated, tokens minted after work on every instance
/// of the fleet at any point of the roll-out, and only dropping the old secret (a TOKEN_TTL after
/// step 2) ends the old tokens.
#[tokio::test(flavor = "multi_thread")]
async fn a_secret_rotation_keeps_every_token_working_across_the_fleet() {
    let before = backend(&[("TOKEN_SECRET", SECRET)]);
    // Step 1: the new secret is accepted everywhere, not yet used to sign.
    let learning = backend(&[
        ("TOKEN_SECRET", SECRET),
        ("TOKEN_SECRET_PREVIOUS", NEXT_SECRET),
    ]);
    // Step 2: instances sign with the new secret and still accept the old one.
    let rotated = backend(&[
        ("TOKEN_SECRET", NEXT_SECRET),
        ("TOKEN_SECRET_PREVIOUS", SECRET),
    ]);
    // Step 3: the old secret is gone.
    let done = backend(&[("TOKEN_SECRET", NEXT_SECRET)]);

    let status = |base: String, token: String| async move {
        let answer = lookup(&base, "customer", Some(&token), &[]).await;
        if answer.status == 200 {
            assert_eq!(answer.body, emulator_body("customer"));
        }
        answer.status
    };
    let old_token = token_for(before.base_url(), "customer").await;
    let step_1_token = token_for(learning.base_url(), "customer").await;
    let new_token = token_for(rotated.base_url(), "customer").await;
    for (token, instances, expected) in [
        (&old_token, [&before, &learning, &rotated], 200),
        (&step_1_token, [&before, &learning, &rotated], 200),
        (&new_token, [&learning, &rotated, &done], 200),
        (&old_token, [&done, &done, &done], 401),
        // Why step 1 comes first: an instance that never learned the new secret refuses its tokens.
        (&new_token, [&before, &before, &before], 401),
    ] {
        for instance in instances {
            assert_eq!(
                status(instance.base_url().to_owned(), token.clone()).await,
                expected,
                "on {}",
                instance.base_url()
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_passes_juspays_not_found_and_refuses_bad_requests() {
    let backend = backend(&[]);
    let base = backend.base_url();
    // A Juspay id the merchant stored (`cst_…`) is not created again when Juspay lacks it.
    let unknown = sign_in(base, "cst_nobody0000000000").await;
    assert_eq!(unknown.status, 404);
    let body = unknown.json();
    assert_eq!(body["error_code"], "object_not_found");
    assert_eq!(body["error_info"]["code"], "RESOURCE_NOT_FOUND");

    let garbage = http()
        .post(format!("{base}/auth/device-token"))
        .body("customer_id=customer")
        .send()
        .await
        .unwrap();
    let garbage = Answer {
        status: garbage.status().as_u16(),
        headers: garbage.headers().clone(),
        body: garbage.text().await.unwrap(),
    };
    backend_error(&garbage, 400, "invalid_request", "INVALID_INPUT");

    let too_long = sign_in(base, &"x".repeat(301)).await;
    let info = backend_error(&too_long, 400, "invalid_request", "INVALID_INPUT");
    assert_eq!(
        info["developer_message"],
        "customer_id must be at most 300 characters, got 301"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn fault_switches_reach_the_embedded_emulator_end_to_end() {
    let backend = try_backend(
        &[("SANDBOX_FAULTS", "true")],
        &["--upstream-deadline", "1s"],
    )
    .unwrap();
    let base = backend.base_url();
    let token = token_for(base, "customer").await;
    let with_fault = |fault: &'static str| {
        let token = token.clone();
        async move {
            lookup(
                base,
                "customer",
                Some(&token),
                &[("x-sandbox-fault", fault)],
            )
            .await
        }
    };

    // A gateway's HTML error pages become the backend's errors in Juspay's shape, with their
    // status and Retry-After.
    let unavailable = with_fault("status=503").await;
    backend_error(&unavailable, 503, "upstream_error", "UPSTREAM_ERROR");
    assert_eq!(unavailable.headers["content-type"], "application/json");
    let limited = with_fault("rate-limit=30").await;
    backend_error(&limited, 429, "upstream_error", "UPSTREAM_ERROR");
    assert_eq!(limited.headers["retry-after"], "30");

    // No usable answer: the backend's own errors.
    backend_error(
        &with_fault("reset").await,
        502,
        "bad_gateway",
        "UPSTREAM_UNREACHABLE",
    );
    backend_error(
        &with_fault("malformed").await,
        502,
        "bad_gateway",
        "UPSTREAM_INVALID_RESPONSE",
    );
    backend_error(
        &with_fault("oversized").await,
        502,
        "bad_gateway",
        "UPSTREAM_INVALID_RESPONSE",
    );
    backend_error(
        &with_fault("delay=3000").await,
        504,
        "gateway_timeout",
        "UPSTREAM_TIMEOUT",
    );
    let info = backend_error(
        &with_fault("explode").await,
        400,
        "invalid_request",
        "INVALID_INPUT",
    );
    assert!(info["developer_message"]
        .as_str()
        .unwrap()
        .contains("x-sandbox-fault"));
    // A fault asking the emulator for more than it builds is refused, not acted out.
    backend_error(
        &with_fault("oversized=16777216").await,
        400,
        "invalid_request",
        "INVALID_INPUT",
    );

    // Faults that only slow things down still give the customer.
    let slow = with_fault("slow-body=200").await;
    assert_eq!((slow.status, slow.body), (200, emulator_body("customer")));
    // And the scope check comes before any fault.
    let other = lookup(
        base,
        "user-10042",
        Some(&token),
        &[("x-sandbox-fault", "reset")],
    )
    .await;
    assert_eq!(other.status, 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_sandbox_faults_a_fault_header_is_ignored() {
    let backend = backend(&[]);
    let base = backend.base_url();
    let token = token_for(base, "customer").await;
    for fault in ["status=503", "reset", "oversized=1048576", "explode"] {
        let answer = lookup(
            base,
            "customer",
            Some(&token),
            &[("x-sandbox-fault", fault)],
        )
        .await;
        assert_eq!(
            (answer.status, answer.body),
            (200, emulator_body("customer")),
            "{fault}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_core_in_device_mode_reads_the_backends_answers() {
    let backend = backend(&[("TOKEN_SECRET", SECRET)]);
    let base = backend.base_url();
    let device = |token: String| {
        CustomerClient::new(ClientConfig::new(base, Credentials::DeviceToken { token })).unwrap()
    };
    let token = token_for(base, "user-10043").await;

    let customer = device(token.clone())
        .get_customer("user-10043".into(), None, Default::default())
        .await
        .unwrap();
    assert_eq!(customer.id, "cst_p5t9y2e6u3j8l1qm");
    assert_eq!(customer.first_name.as_deref(), Some("Wei Ling"));
    assert_eq!(
        customer.email_address.as_deref(),
        Some("weiling.tan@example.com")
    );

    let forbidden = device(token)
        .get_customer("user-10042".into(), None, Default::default())
        .await
        .unwrap_err();
    assert_eq!(forbidden.code(), "FORBIDDEN");
    assert_eq!(
        forbidden.details().developer_message.as_deref(),
        Some("The device token is scoped to another customer.")
    );

    let expired = mint(
        SECRET,
        "cst_p5t9y2e6u3j8l1qm",
        Some("user-10043"),
        SystemTime::now() - Duration::from_secs(5),
    );
    let unauthorized = device(expired)
        .get_customer("user-10043".into(), None, Default::default())
        .await
        .unwrap_err();
    assert_eq!(unauthorized.code(), "UNAUTHORIZED");
    assert_eq!(
        unauthorized.details().error_info_code.as_deref(),
        Some("UNAUTHORIZED")
    );

    // A token for a customer Juspay no longer has: Juspay's 404, with Juspay's request id.
    let gone = mint(
        SECRET,
        "cst_gone000000000000",
        Some("gone-1"),
        in_15_minutes(),
    );
    let not_found = device(gone)
        .get_customer("gone-1".into(), None, Default::default())
        .await
        .unwrap_err();
    assert_eq!(not_found.code(), "CUSTOMER_NOT_FOUND");
    assert!(not_found.details().request_id.is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn cors_admits_the_configured_origins_only() {
    let backend = backend(&[]);
    let base = backend.base_url();
    let preflight = |origin: &'static str| {
        http()
            .request(
                reqwest::Method::OPTIONS,
                format!("{base}/customers/customer"),
            )
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header(
                "access-control-request-headers",
                "authorization,x-sandbox-fault",
            )
            .send()
    };
    let allowed = preflight("http://localhost:5173").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    let allowed_headers = allowed.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap();
    assert!(
        allowed_headers.contains("authorization") && allowed_headers.contains("x-sandbox-fault")
    );
    let refused = preflight("http://evil.example").await.unwrap();
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    // Errors carry CORS headers too, so a web app can read them, including the request id.
    let error = http()
        .get(format!("{base}/customers/customer"))
        .header("origin", "http://127.0.0.1:5173")
        .send()
        .await
        .unwrap();
    assert_eq!(error.status(), 401);
    assert_eq!(
        error.headers()["access-control-allow-origin"],
        "http://127.0.0.1:5173"
    );
    let exposed = error.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap();
    assert!(exposed.contains("x-request-id"), "{exposed}");

    // CORS_ORIGINS replaces the defaults.
    let configured =
        common::backend(&[("CORS_ORIGINS", "https://shop.example,http://10.0.2.2:8080")]);
    let response = http()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/healthz", configured.base_url()),
        )
        .header("origin", "http://10.0.2.2:8080")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "http://10.0.2.2:8080"
    );
    let response = http()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/healthz", configured.base_url()),
        )
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn healthz_answers_and_unknown_paths_are_plain_404s() {
    let backend = backend(&[]);
    let health = http()
        .get(format!("{}/healthz", backend.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), r#"{"status":"ok"}"#);
    for path in ["/", "/customers", "/customers/a/b", "/auth/token"] {
        let response = http()
            .get(format!("{}{path}", backend.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.text().await.unwrap(), "", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_lets_a_lookup_in_flight_finish_and_stops() {
    let mut backend = backend(&[("SANDBOX_FAULTS", "true")]);
    let base = backend.base_url().to_owned();
    let token = token_for(&base, "customer").await;
    let in_flight = tokio::spawn(async move {
        lookup(
            &base,
            "customer",
            Some(&token),
            &[("x-sandbox-fault", "delay=800")],
        )
        .await
        .status
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let status = tokio::task::spawn_blocking(move || {
        let status = backend.terminate(Duration::from_secs(15));
        (status, backend.output())
    })
    .await
    .unwrap();
    assert_eq!(in_flight.await.unwrap(), 200);
    let (exit, output) = status;
    assert!(exit.unwrap().success(), "{output}");
    assert!(output.contains("stopping"), "{output}");
}
