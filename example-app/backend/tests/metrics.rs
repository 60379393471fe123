//! `GET /metrics` after real traffic through the backend process: the series each kind of
//! answer adds, in Prometheus' text format, and nothing of a customer, a token or the key in it.

mod common;

use std::time::{Duration, SystemTime};

use common::*;

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_requests_juspay_calls_refusals_and_limits_without_personal_data() {
    let juspay = juspay(&[]).await;
    let backend = backend_for(
        &juspay.base_url(),
        KEY,
        &[("LOOKUP_RATE_LIMIT", "1/h"), ("LOOKUP_BURST", "2")],
    );
    let base = backend.base_url();
    // Wei Ling Tan: an email address and a mobile number at Juspay.
    let token = token_for(base, "user-10043").await;
    let mut mobile = String::new();
    for _ in 0..2 {
        let answer = lookup(base, "user-10043", Some(&token), &[]).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert!(answer.body.contains("weiling.tan@example.com"));
        mobile = answer.json()["mobile_number"].as_str().unwrap().to_owned();
    }
    assert_eq!(
        lookup(base, "user-10043", Some(&token), &[]).await.status,
        429
    );
    assert_eq!(
        lookup(base, "user-10042", Some(&token), &[]).await.status,
        403
    );
    assert_eq!(lookup(base, "user-10043", None, &[]).await.status, 401);
    assert_eq!(
        lookup(base, "user-10043", Some("a.b.c"), &[]).await.status,
        401
    );
    let expired = mint(
        SECRET,
        "cst_p5t9y2e6u3j8l1qm",
        Some("user-10043"),
        SystemTime::now() - Duration::from_secs(5),
    );
    assert_eq!(
        lookup(base, "user-10043", Some(&expired), &[]).await.status,
        401
    );
    let foreign = mint(OTHER_SECRET, "cst_p5t9y2e6u3j8l1qm", None, in_15_minutes());
    assert_eq!(
        lookup(base, "user-10043", Some(&foreign), &[]).await.status,
        401
    );
    let unrouted = http()
        .get(format!("{base}/nothing/weiling.tan@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(unrouted.status(), 404);

    let scrape = http().get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(scrape.status(), 200);
    assert_eq!(
        scrape.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = scrape.text().await.unwrap();

    let requests = |route: &str, status: &str| {
        metric_value(
            &text,
            "backend_http_requests_total",
            &[("method", "GET"), ("route", route), ("status", status)],
        )
    };
    assert_eq!(requests("/customers/{id}", "200"), Some(2.0), "{text}");
    assert_eq!(requests("/customers/{id}", "429"), Some(1.0));
    assert_eq!(requests("/customers/{id}", "403"), Some(1.0));
    assert_eq!(requests("/customers/{id}", "401"), Some(4.0));
    assert_eq!(requests("(unrouted)", "404"), Some(1.0));
    assert_eq!(
        metric_value(
            &text,
            "backend_http_requests_total",
            &[
                ("method", "POST"),
                ("route", "/auth/device-token"),
                ("status", "200")
            ]
        ),
        Some(1.0)
    );
    let lookups = [("method", "GET"), ("route", "/customers/{id}")];
    assert_eq!(
        metric_value(
            &text,
            "backend_http_request_duration_seconds_count",
            &lookups
        ),
        Some(8.0)
    );
    let mut infinite = lookups.to_vec();
    infinite.push(("le", "+Inf"));
    assert_eq!(
        metric_value(
            &text,
            "backend_http_request_duration_seconds_bucket",
            &infinite
        ),
        Some(8.0)
    );
    // The sign-in's Get Customer and the two lookups; the refused ones never reached Juspay.
    assert_eq!(
        metric_value(
            &text,
            "backend_juspay_request_duration_seconds_count",
            &[("operation", "get_customer"), ("status", "200")]
        ),
        Some(3.0)
    );
    for (reason, count) in [
        ("missing", 1.0),
        ("malformed", 1.0),
        ("expired", 1.0),
        ("unknown_key", 1.0),
    ] {
        assert_eq!(
            metric_value(&text, "backend_token_refusals_total", &[("reason", reason)]),
            Some(count),
            "{reason}"
        );
    }
    assert_eq!(
        metric_value(&text, "backend_rate_limited_total", &[("limit", "lookups")]),
        Some(1.0)
    );
    for line in text.lines().filter(|l| l.starts_with("# HELP")) {
        assert!(line.len() > "# HELP x ".len(), "{line}");
    }

    for secret in [
        token.as_str(),
        &expired,
        &foreign,
        KEY,
        SECRET,
        "user-10043",
        "cst_p5t9y2e6u3j8l1qm",
        "user-10042",
        "weiling",
        "example.com",
        "Wei Ling",
        &mobile,
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

/// METRICS_LISTEN: `/metrics` on an address of its own (for the scraper only), gone from the
/// API's address and from its OpenAPI document, still counting the API's traffic.
#[tokio::test(flavor = "multi_thread")]
async fn with_metrics_listen_the_metrics_are_only_on_their_own_address() {
    let backend = backend(&[("METRICS_LISTEN", "127.0.0.1:0")]);
    let base = backend.base_url();
    let metrics = metrics_url(&backend);
    assert_ne!(metrics, format!("{base}/metrics"));
    token_for(base, "customer").await;

    let on_api = http().get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(on_api.status(), 404);
    let document: serde_json::Value = serde_json::from_str(
        &http()
            .get(format!("{base}/openapi.json"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(document["paths"].get("/metrics").is_none());
    assert!(document["paths"].get("/healthz").is_some());

    let text = scrape(&metrics).await;
    let requests = |route: &str, status: &str, method: &str| {
        metric_value(
            &text,
            "backend_http_requests_total",
            &[("method", method), ("route", route), ("status", status)],
        )
    };
    assert_eq!(requests("/auth/device-token", "200", "POST"), Some(1.0));
    assert_eq!(requests("(unrouted)", "404", "GET"), Some(1.0));
    // The metrics address serves nothing else.
    let origin = metrics.trim_end_matches("/metrics");
    for path in ["/healthz", "/openapi.json", "/customers/customer"] {
        let answer = http().get(format!("{origin}{path}")).send().await.unwrap();
        assert_eq!(answer.status(), 404, "{path}");
    }
}
