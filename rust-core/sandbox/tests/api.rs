//! The emulator binary, run as a real process, against what Juspay documents: the bodies key
//! for key, the API page's curl request, the request Juspay's Node SDK sends, auth rules,
//! create/update, seeds, path decoding, and its logs.

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;
use juspay_sandbox::harness::ServerProcess;

const DOCUMENTED_401: &str = r#"{"status":"error","error_code":"access_denied","error_info":{"user_message":"Unauthorized.","request_id":"RID","href":"NA","developer_message":"Invalid API Key. Please pass a valid and active api key.","code":"UNAUTHORIZED","category":"USER_ERROR"}}"#;
const DOCUMENTED_404: &str = r#"{"error_message":"Cannot find what you are looking for","status":"invalid_request_error","error_code":"object_not_found","error_info":{"user_message":"Cannot process your request as customer account not found.","request_id":"RID","href":"NA","developer_message":"Customer account not found.","code":"RESOURCE_NOT_FOUND","category":"USER_ERROR"}}"#;
// The documented 403, with the request_id the emulator adds at the end of error_info.
const DOCUMENTED_403: &str = r#"{"error":true,"error_message":"Internal Server error.","user_message":"Bad Origin.","error_info":{"code":"BAD_ORIGIN","category":"USER_ERROR","user_message":"Bad Origin.","developer_message":"IP Verification Failed","request_id":"RID"}}"#;

/// The API page's sample request, run with curl as written (base URL, key and merchant
/// replaced). Where curl is missing, the same request goes through reqwest.
#[tokio::test]
async fn the_api_pages_curl_request_gets_the_documented_200() {
    let sandbox = start(&[]);
    let url = format!("{}/customers/cst_tooedar2k7j1d60b", sandbox.base_url());
    let curl = Command::new("curl")
        .args(["-sS", "-X", "GET", &url, "-u", &format!("{KEY}:")])
        .args(["-H", &format!("x-merchantid: {MERCHANT}")])
        .args(["-H", "Content-Type: application/x-www-form-urlencoded"])
        .output();
    let body = match curl {
        Ok(out) => {
            assert!(out.status.success(), "{out:?}");
            String::from_utf8(out.stdout).unwrap()
        }
        Err(e) => {
            eprintln!("curl not runnable ({e}); sending the same request with reqwest");
            http()
                .get(&url)
                .basic_auth(KEY, Some(""))
                .header("x-merchantid", MERCHANT)
                .header("content-type", "application/x-www-form-urlencoded")
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    assert_eq!(body, DOCUMENTED_200);

    // The same customer by the merchant's object_reference_id.
    assert_eq!(
        get(sandbox.base_url(), "/customers/customer").await,
        (200, DOCUMENTED_200.into())
    );
}

/// Juspay's Node SDK (expresscheckout-nodejs) encodes the key without the colon and sends
/// `version` and `x-merchantid`.
#[tokio::test]
async fn a_request_shaped_like_the_node_sdks_is_answered_as_documented() {
    let sandbox = start(&[]);
    let send = |authorization: String| {
        http()
            .get(format!(
                "{}/customers/cst_tooedar2k7j1d60b",
                sandbox.base_url()
            ))
            .header("authorization", authorization)
            .header("version", "2019-05-07")
            .header("x-merchantid", MERCHANT)
            .header("content-type", "application/x-www-form-urlencoded")
            .send()
    };
    let response = send(basic(KEY)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "the SDK parses JSON"
    );
    assert_eq!(response.text().await.unwrap(), DOCUMENTED_200);

    // A password is never part of Juspay's Basic auth.
    let response = send(basic(&format!("{KEY}:password"))).await.unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn the_documented_401_and_404_bodies_key_for_key_each_with_a_fresh_request_id() {
    let sandbox = start(&[]);
    let wrong_key = || {
        http()
            .get(format!("{}/customers/customer", sandbox.base_url()))
            .header("authorization", basic("not-the-key:"))
            .send()
    };
    let first = wrong_key().await.unwrap();
    assert_eq!(first.status(), 401);
    let (first_body, first_id) = with_rid(&first.text().await.unwrap());
    assert_eq!(first_body, DOCUMENTED_401);
    let (_, second_id) = with_rid(&wrong_key().await.unwrap().text().await.unwrap());
    assert_ne!(first_id, second_id);

    // No Authorization at all, and a Bearer token, are the same 401.
    let none = http()
        .get(format!("{}/customers/customer", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(with_rid(&none.text().await.unwrap()).0, DOCUMENTED_401);

    let (status, body) = get(sandbox.base_url(), "/customers/cst_doesnotexist0000").await;
    assert_eq!(status, 404);
    assert_eq!(with_rid(&body).0, DOCUMENTED_404);
}

#[tokio::test]
async fn an_x_merchantid_that_is_not_the_keys_merchant_is_refused() {
    let sandbox = start(&[]);
    let with_merchant = |merchant: Option<&str>| {
        let mut request = http()
            .get(format!("{}/customers/customer", sandbox.base_url()))
            .header("authorization", basic(&format!("{KEY}:")));
        if let Some(m) = merchant {
            request = request.header("x-merchantid", m);
        }
        request.send()
    };
    assert_eq!(with_merchant(None).await.unwrap().status(), 200);
    assert_eq!(with_merchant(Some(MERCHANT)).await.unwrap().status(), 200);
    let other = with_merchant(Some("another_merchant")).await.unwrap();
    assert_eq!(other.status(), 401);
    assert_eq!(with_rid(&other.text().await.unwrap()).0, DOCUMENTED_401);
}

#[tokio::test]
async fn a_client_ip_off_the_allow_list_gets_the_documented_403() {
    let refusing = start(&["--allow-ip", "192.0.2.10"]);
    let (status, body) = get(refusing.base_url(), "/customers/customer").await;
    assert_eq!(status, 403);
    assert_eq!(with_rid(&body).0, DOCUMENTED_403);
    // The key is checked first: a wrong key is still a 401.
    let wrong = http()
        .get(format!("{}/customers/customer", refusing.base_url()))
        .header("authorization", basic("nope:"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);

    let admitting = start(&["--allow-ip", "192.0.2.10", "--allow-ip", "127.0.0.1"]);
    assert_eq!(
        get(admitting.base_url(), "/customers/customer").await,
        (200, DOCUMENTED_200.into())
    );

    // Through the core: FORBIDDEN with Juspay's fields.
    let error = core_client(refusing.base_url(), 5_000, 0)
        .get_customer("customer".into(), None, Default::default())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "FORBIDDEN");
    assert_eq!(
        error.details().error_info_code.as_deref(),
        Some("BAD_ORIGIN")
    );
}

#[tokio::test]
async fn unknown_paths_are_404_without_a_juspay_body() {
    let sandbox = start(&[]);
    for path in [
        "/",
        "/customer/customer",
        "/customers",
        "/customers/",
        "/customers/a/b",
        "/v1/customers/customer",
    ] {
        let (status, body) = get(sandbox.base_url(), path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("object_not_found") && body.contains("Not Found"),
            "{path}: {body}"
        );
    }
    let response = http()
        .delete(format!("{}/customers/customer", sandbox.base_url()))
        .header("authorization", basic(&format!("{KEY}:")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);

    // A client pointed at a wrong base URL reports it as such, not as a missing customer.
    let error = core_client(&format!("{}/v1", sandbox.base_url()), 5_000, 0)
        .get_customer("customer".into(), None, Default::default())
        .await
        .unwrap_err();
    assert_eq!(error.code(), "ENDPOINT_NOT_FOUND");
}

#[tokio::test]
async fn the_path_segment_is_percent_decoded_exactly_once() {
    let sandbox = start(&[]);
    let base = sandbox.base_url();
    let (status, created) = post_form(
        base,
        "/customers",
        "object_reference_id=a%2Fb&mobile_number=98765432",
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let created: serde_json::Value = serde_json::from_str(&created).unwrap();
    assert_eq!(created["object_reference_id"], "a/b");

    let (status, body) = get(base, "/customers/a%2Fb").await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        created
    );
    // Decoded twice, this would also be a/b.
    assert_eq!(get(base, "/customers/a%252Fb").await.0, 404);

    // The core encodes `a/b` as one segment and gets the same customer.
    let customer = core_client(base, 5_000, 0)
        .get_customer("a/b".into(), None, Default::default())
        .await
        .unwrap();
    assert_eq!(customer.object_reference_id.as_deref(), Some("a/b"));
    assert_eq!(customer.id, created["id"]);
    let logged = logged_requests(base).await;
    assert_eq!(logged.last().unwrap()["path"], "/customers/a%2Fb");

    // Non-ASCII ids round-trip too.
    assert_eq!(
        post_form(
            base,
            "/customers",
            "object_reference_id=%E9%A1%A7%E5%AE%A2-1&mobile_number=98765432"
        )
        .await
        .0,
        200
    );
    let customer = core_client(base, 5_000, 0)
        .get_customer("顧客-1".into(), None, Default::default())
        .await
        .unwrap();
    assert_eq!(customer.object_reference_id.as_deref(), Some("顧客-1"));
}

#[tokio::test]
async fn created_customers_are_found_by_both_ids_and_duplicates_and_bad_fields_are_refused() {
    let sandbox = start(&[]);
    let base = sandbox.base_url();
    let form = "object_reference_id=shop-user-981&mobile_number=9812345670&mobile_country_code=91\
                &email_address=meera.iyer%40example.com&first_name=Meera&last_name=Iyer";
    let (status, body) = post_form(base, "/customers", form).await;
    assert_eq!(status, 200, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("cst_") && id.len() == 20, "{id}");
    assert_eq!(created["object"], "customer");
    assert_eq!(created["email_address"], "meera.iyer@example.com");
    assert_eq!(created["date_created"], created["last_updated"]);
    assert!(humantime::parse_rfc3339(created["date_created"].as_str().unwrap()).is_ok());
    assert!(created.get("juspay").is_none());

    assert_eq!(
        get(base, &format!("/customers/{id}")).await,
        (200, body.clone())
    );
    assert_eq!(get(base, "/customers/shop-user-981").await, (200, body));

    let (status, duplicate) = post_form(base, "/customers", form).await;
    assert_eq!(status, 400);
    assert_eq!(
        with_rid(&duplicate).0,
        r#"{"error_message":"Customer with given object reference id already exist for your account.","status":"invalid_request_error","error_code":"unique","error_info":{"user_message":"Already exists.","request_id":"RID","href":"NA","developer_message":"Customer account with given object reference already exists.","code":"ALREADY_EXISTS","category":"USER_ERROR"}}"#
    );

    let (status, invalid) = post_form(
        base,
        "/customers",
        "object_reference_id=shop-user-982&mobile_number=&email_address=not-an-email",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        with_rid(&invalid).0,
        r#"{"error_message":"Wrong value in mobile_number","status":"Invalid Request","error_code":"Invalid Request","error_info":{"user_message":"Invalid request params. Please verify your input.","request_id":"RID","href":"NA","fields":[{"field_name":"mobile_number","reason":"Invalid value."},{"field_name":"email_address","reason":"Invalid value."}],"developer_message":"Invalid request params","code":"INVALID_INPUT","category":"USER_ERROR"}}"#
    );
    assert_eq!(get(base, "/customers/shop-user-982").await.0, 404);

    // Creating needs the key like everything else.
    let anonymous = http()
        .post(format!("{base}/customers"))
        .body("object_reference_id=x1&mobile_number=98765432")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn a_client_auth_token_comes_with_the_customer_when_asked_for() {
    let sandbox = start(&[]);
    let (status, body) = get(
        sandbox.base_url(),
        "/customers/customer?options.get_client_auth_token=true",
    )
    .await;
    assert_eq!(status, 200);
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["id"], "cst_tooedar2k7j1d60b");
    let token = value["juspay"]["client_auth_token"].as_str().unwrap();
    assert!(token.starts_with("tkn_"), "{token}");
    let expiry = humantime::parse_rfc3339(
        value["juspay"]["client_auth_token_expiry"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert!(expiry > std::time::SystemTime::now() + Duration::from_secs(14 * 60));
    // The core ignores the extra object.
    let customer = core_client(sandbox.base_url(), 5_000, 0)
        .get_customer("customer".into(), None, Default::default())
        .await
        .unwrap();
    assert_eq!(customer.first_name.as_deref(), Some("name"));
}

#[tokio::test]
async fn an_update_changes_the_given_fields_and_last_updated() {
    let sandbox = start(&[]);
    let base = sandbox.base_url();
    let (status, body) = post_form(
        base,
        "/customers/user-10042",
        "first_name=Aarav+K&object_reference_id=ignored",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let updated: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(updated["first_name"], "Aarav K");
    assert_eq!(updated["last_name"], "Mehta");
    assert_eq!(updated["object_reference_id"], "user-10042");
    assert_eq!(updated["date_created"], "2024-08-29T14:02:11Z");
    assert_ne!(updated["last_updated"], "2024-08-29T14:02:11Z");
    assert_eq!(
        get(base, "/customers/cst_k3w8n1c5r7d2f6gb").await,
        (200, body)
    );
    assert_eq!(
        post_form(base, "/customers/user-10042", "mobile_number=abc")
            .await
            .0,
        400
    );
    assert_eq!(
        post_form(base, "/customers/nobody", "first_name=X").await.0,
        404
    );
}

#[tokio::test]
async fn a_seed_file_replaces_the_demo_customers() {
    let path = std::env::temp_dir().join(format!("sandbox-seed-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(
        &path,
        r#"[{"id":"cst_seeded0000000001","object_reference_id":"seed-1","first_name":"Lakshmi","last_name":"Nair",
            "email_address":"lakshmi@example.com","mobile_number":"9000000001","mobile_country_code":"91",
            "date_created":"2023-05-01T10:00:00Z"},
           {"object_reference_id":"seed-2","mobile_number":"9000000002"}]"#,
    )
    .unwrap();
    let sandbox = start(&["--seed", path.to_str().unwrap()]);
    let (status, body) = get(sandbox.base_url(), "/customers/seed-1").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        r#"{"object_reference_id":"seed-1","object":"customer","mobile_number":"9000000001","mobile_country_code":"91","last_updated":"2023-05-01T10:00:00Z","last_name":"Nair","id":"cst_seeded0000000001","first_name":"Lakshmi","email_address":"lakshmi@example.com","date_created":"2023-05-01T10:00:00Z"}"#
    );
    assert_eq!(get(sandbox.base_url(), "/customers/seed-2").await.0, 200);
    assert_eq!(get(sandbox.base_url(), "/customers/customer").await.0, 404);

    std::fs::write(
        &path,
        r#"[{"object_reference_id":"a"},{"object_reference_id":"a"}]"#,
    )
    .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_juspay-sandbox"));
    command.args(["--seed", path.to_str().unwrap()]);
    let refused = ServerProcess::spawn(command)
        .err()
        .expect("a bad seed stops it");
    assert!(refused.contains("share the id"), "{refused}");
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn the_request_log_shows_headers_but_never_the_key() {
    let sandbox = start(&[]);
    let base = sandbox.base_url();
    post_form(
        base,
        "/customers",
        "object_reference_id=log-1&mobile_number=98765432&email_address=log%40example.com",
    )
    .await;
    core_client(base, 5_000, 0)
        .get_customer("log-1".into(), None, Default::default())
        .await
        .unwrap();
    let logged = logged_requests(base).await;
    assert_eq!(logged.len(), 2);
    assert_eq!(logged[0]["method"], "POST");
    let get = &logged[1];
    assert_eq!(get["path"], "/customers/log-1");
    let header = |name: &str| {
        get["headers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h[0] == name)
            .map(|h| h[1].as_str().unwrap().to_owned())
    };
    assert_eq!(header("authorization").as_deref(), Some("Basic [redacted]"));
    assert_eq!(header("x-merchantid").as_deref(), Some(MERCHANT));
    assert_eq!(header("x-routing-id").as_deref(), Some("log-1"));
    assert_eq!(header("version").as_deref(), Some("2019-05-07"));
    let text = serde_json::to_string(&logged).unwrap();
    assert!(
        !text.contains(KEY) && !text.contains("log@example.com"),
        "{text}"
    );

    let cleared = control(
        reqwest::Method::DELETE,
        format!("{base}/__sandbox/requests"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(cleared.status(), 204);
    assert!(logged_requests(base).await.is_empty());
}

/// With debug logging on, nothing it prints holds the key, an email address or a mobile number;
/// and SIGTERM stops it cleanly.
#[tokio::test]
async fn its_logs_hold_no_key_or_personal_data_and_sigterm_stops_it() {
    let mut command = command();
    command.env("RUST_LOG", "debug");
    let mut sandbox = ServerProcess::spawn(command).unwrap();
    let base = sandbox.base_url().to_owned();
    post_form(
        &base,
        "/customers",
        "object_reference_id=pii-1&mobile_number=9988776655&email_address=pii.person%40example.com",
    )
    .await;
    get(&base, "/customers/pii-1").await;
    get(&base, "/customers/user-10043").await;
    http()
        .get(format!("{base}/customers/pii-1"))
        .header("x-sandbox-fault", "slow-body=50")
        .header("authorization", basic(&format!("{KEY}:")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let status = sandbox.terminate(Duration::from_secs(10)).unwrap();
    assert!(status.success(), "{status:?}");
    let output = sandbox.output();
    assert!(
        output.contains("customer request answered"),
        "debug logs are on:\n{output}"
    );
    for secret in [
        KEY,
        "9988776655",
        "pii.person@example.com",
        "91234567",
        "weiling.tan@example.com",
    ] {
        assert!(!output.contains(secret), "{secret} in:\n{output}");
    }
}
