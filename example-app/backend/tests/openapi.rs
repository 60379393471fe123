//! The OpenAPI document: the committed `openapi.json` is what the code generates, the running
//! backend serves its own, and every documented operation is a real route whose answers have a
//! documented status and body. (`scripts/test.d/65-backend-api.sh` fuzzes it with schemathesis.)

mod common;

use common::*;
use serde_json::Value;

const COMMITTED: &str = include_str!("../openapi.json");

#[test]
fn the_committed_document_is_what_the_code_generates() {
    assert!(
        COMMITTED.trim_end() == merchant_backend::openapi::document(),
        "example-app/backend/openapi.json is stale: regenerate it with\n  \
         cargo run -p merchant-backend -- --print-openapi > example-app/backend/openapi.json"
    );
    let document: Value = serde_json::from_str(COMMITTED).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_backend_serves_the_document_of_its_own_routes() {
    let with_sign_in = backend(&[("TOKEN_SECRET", SECRET)]);
    let base = with_sign_in.base_url();
    let served = http()
        .get(format!("{base}/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "application/json");
    assert_eq!(served.text().await.unwrap(), COMMITTED.trim_end());

    let document: Value = serde_json::from_str(COMMITTED).unwrap();
    let token = token_for(base, "customer").await;
    let mut operations = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            let url = format!("{base}{}", path.replace("{id}", "customer"));
            let request = match method.as_str() {
                "get" => http().get(url).bearer_auth(&token),
                "post" => http()
                    .post(url)
                    .header("content-type", "application/json")
                    .body(r#"{"customer_id": "customer"}"#),
                other => panic!("{other} {path}: a method the backend does not route"),
            };
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned());
            // The fallback's 404 has no body and no content type: not a route.
            assert!(
                content_type.is_some() && status != 405,
                "{method} {path}: {status}, not routed"
            );
            let documented = &operation["responses"][status.to_string()];
            assert!(
                documented.is_object(),
                "{method} {path}: {status} undocumented"
            );
            let content = documented["content"].as_object().unwrap();
            assert!(
                content.contains_key(content_type.as_deref().unwrap()),
                "{method} {path}: {content_type:?} not in {content:?}"
            );
        }
    }
    assert_eq!(operations, 5);

    // Without the demo sign-in, neither the route nor its documentation.
    let without = backend(&[("DEMO_SIGN_IN", "false")]);
    let served: Value = serde_json::from_str(
        &http()
            .get(format!("{}/openapi.json", without.base_url()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(served["paths"].get("/auth/device-token").is_none());
    assert!(served["paths"].get("/customers/{id}").is_some());
    assert_eq!(sign_in(without.base_url(), "customer").await.status, 404);
}
