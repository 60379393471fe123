//! Helpers shared by the backend's integration tests: the backend binary as a real process, an
//! HTTP client, and the token and body checks every test makes.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use juspay_sandbox::harness::{ServerProcess, LOG_TIMEOUT};
use juspay_sandbox::{Sandbox, SandboxConfig};
use merchant_backend::tokens::{issue, Claims, TokenKey, AUDIENCE};
use serde_json::Value;

pub const SECRET: &str = "test-secret-0123456789abcdef-0123456789";
pub const OTHER_SECRET: &str = "another-secret-0123456789abcdef-98765";
pub const NEXT_SECRET: &str = "the-next-secret-0123456789abcdef-24680";

/// Every variable the backend reads, so the caller's environment cannot leak in.
const BACKEND_VARS: &[&str] = &[
    "JUSPAY_API_KEY",
    "JUSPAY_MERCHANT_ID",
    "JUSPAY_BASE_URL",
    "TOKEN_SECRET",
    "TOKEN_SECRET_PREVIOUS",
    "TOKEN_TTL",
    "CORS_ORIGINS",
    "DEMO_SIGN_IN",
    "SANDBOX_SEED",
    "UPSTREAM_DEADLINE",
    "UPSTREAM_RETRIES",
    "BACKEND_LISTEN",
    "SANDBOX_FAULTS",
    "HEADER_TIMEOUT",
    "BODY_TIMEOUT",
    "MAX_BODY_BYTES",
    "MAX_CONNECTIONS",
    "LOOKUP_RATE_LIMIT",
    "LOOKUP_BURST",
    "SIGN_IN_RATE_LIMIT",
    "SIGN_IN_BURST",
    "FORWARDED_HOPS",
    "RATE_LIMIT_REDIS_URL",
    "RATE_LIMIT_REDIS_TIMEOUT",
    "METRICS_LISTEN",
    "RUST_LOG",
];

/// The backend binary on a free loopback port with exactly `env` set.
pub fn backend(env: &[(&str, &str)]) -> ServerProcess {
    try_backend(env, &[]).expect("the backend starts")
}

pub fn try_backend(env: &[(&str, &str)], flags: &[&str]) -> Result<ServerProcess, String> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_merchant-backend"));
    for var in BACKEND_VARS {
        command.env_remove(var);
    }
    command
        .args(["--listen", "127.0.0.1:0"])
        .args(flags)
        .envs(env.iter().copied());
    ServerProcess::spawn(command)
}

/// `http://HOST:PORT/metrics` of a backend started with METRICS_LISTEN, from its log line.
pub fn metrics_url(backend: &ServerProcess) -> String {
    const LINE: &str = "metrics listening on http://";
    let started = Instant::now();
    loop {
        let output = backend.output();
        // The whole line: logs may arrive in pieces.
        if let Some((address, _)) = output
            .split_once(LINE)
            .and_then(|(_, rest)| rest.split_once('\n'))
        {
            let addr: String = address
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || ".:[]".contains(*c))
                .collect();
            return format!("http://{addr}/metrics");
        }
        assert!(
            started.elapsed() < LOG_TIMEOUT,
            "no `{LINE}` line in:\n{output}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One sample line: `name{k="v",...} value`. Comments and blank lines are skipped; a line that
/// does not parse fails the test (the format is the point).
pub fn samples(text: &str) -> Vec<(String, BTreeMap<String, String>, f64)> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
            let value: f64 = value.parse().unwrap_or_else(|_| panic!("{line}"));
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => (name, rest.strip_suffix('}').unwrap()),
                None => (series, ""),
            };
            let labels = labels
                .split("\",")
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once("=\"").unwrap_or_else(|| panic!("{line}"));
                    (key.to_owned(), value.trim_end_matches('"').to_owned())
                })
                .collect();
            (name.to_owned(), labels, value)
        })
        .collect()
}

pub fn metric_value(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples(text)
        .into_iter()
        .find(|(n, l, _)| {
            n == name
                && l.len() == labels.len()
                && labels
                    .iter()
                    .all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|(_, _, v)| v)
}

pub async fn scrape(url: &str) -> String {
    let response = http().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn answer(response: reqwest::Response) -> Answer {
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap(),
    }
}

/// `POST /auth/device-token` with `{"customer_id": id}`.
pub async fn sign_in(base_url: &str, customer_id: &str) -> Answer {
    let response = http()
        .post(format!("{base_url}/auth/device-token"))
        .header("content-type", "application/json")
        .body(serde_json::json!({ "customer_id": customer_id }).to_string())
        .send()
        .await
        .unwrap();
    answer(response).await
}

/// Signs in and returns the token.
pub async fn token_for(base_url: &str, customer_id: &str) -> String {
    let signed_in = sign_in(base_url, customer_id).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.body);
    signed_in.json()["token"].as_str().unwrap().to_owned()
}

/// `GET /customers/{path_id}` (already encoded) with `Authorization: Bearer token` when given,
/// plus `extra` headers.
pub async fn lookup(
    base_url: &str,
    path_id: &str,
    token: Option<&str>,
    extra: &[(&str, &str)],
) -> Answer {
    let mut request = http().get(format!("{base_url}/customers/{path_id}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    answer(request.send().await.unwrap()).await
}

/// A token signed with `secret` outside the backend, for customers or expiries sign-in would not
/// give.
pub fn mint(secret: &str, sub: &str, reference: Option<&str>, exp: SystemTime) -> String {
    let unix = |t: SystemTime| t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
    let claims = Claims {
        sub: sub.into(),
        object_reference_id: reference.map(str::to_owned),
        aud: AUDIENCE.into(),
        iat: unix(SystemTime::now()) - 60,
        exp: unix(exp),
    };
    issue(&TokenKey::new(secret.as_bytes()).unwrap(), &claims)
}

pub fn in_15_minutes() -> SystemTime {
    SystemTime::now() + Duration::from_secs(900)
}

/// An emulator the test starts and controls: the backend's "Juspay" in tests that must see what
/// reached it.
pub const KEY: &str = "sk_sandbox_9f8e7d6c5b4a";
pub const MERCHANT: &str = "shop_merchant";

pub const CONTROL_KEY: &str = "control_key_for_these_tests";

pub async fn juspay(allowed_ips: &[&str]) -> Sandbox {
    let mut config = SandboxConfig::new(KEY, MERCHANT);
    config.control_key = Some(CONTROL_KEY.into());
    config.allowed_ips = allowed_ips.iter().map(|ip| ip.parse().unwrap()).collect();
    Sandbox::start(config).await.unwrap()
}

/// The backend with JUSPAY_* pointing at `base_url`, the demo sign-in on, and `extra` env.
pub fn backend_for(base_url: &str, api_key: &str, extra: &[(&str, &str)]) -> ServerProcess {
    let mut env = vec![
        ("JUSPAY_API_KEY", api_key),
        ("JUSPAY_MERCHANT_ID", MERCHANT),
        ("JUSPAY_BASE_URL", base_url),
        ("TOKEN_SECRET", SECRET),
        ("DEMO_SIGN_IN", "true"),
    ];
    env.extend_from_slice(extra);
    backend(&env)
}

/// A request to the emulator's control endpoints, with its control key.
pub fn control(method: reqwest::Method, sandbox: &Sandbox, path: &str) -> reqwest::RequestBuilder {
    http()
        .request(method, format!("{}{path}", sandbox.base_url()))
        .header(juspay_sandbox::CONTROL_KEY_HEADER, CONTROL_KEY)
}

pub async fn juspay_requests(sandbox: &Sandbox) -> Vec<Value> {
    let text = control(reqwest::Method::GET, sandbox, "/__sandbox/requests")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Checks `answer` is one of the backend's errors: Juspay's 401 shape, keys in Juspay's order,
/// `request_id` equal to the `x-request-id` header. Returns `error_info`.
pub fn backend_error(answer: &Answer, status: u16, error_code: &str, code: &str) -> Value {
    assert_eq!(answer.status, status, "{}", answer.body);
    let request_id = answer.headers["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(request_id).is_ok());
    let prefix =
        format!(r#"{{"status":"error","error_code":"{error_code}","error_info":{{"user_message":"#);
    assert!(answer.body.starts_with(&prefix), "{}", answer.body);
    let body = answer.json();
    let info = body["error_info"].clone();
    let keys: Vec<&str> = info
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = vec![
        "user_message",
        "request_id",
        "href",
        "developer_message",
        "code",
        "category",
    ];
    sorted.sort_unstable();
    assert_eq!(keys, sorted, "error_info has exactly Juspay's keys");
    assert_eq!(info["request_id"], request_id);
    assert_eq!(info["code"], code);
    assert_eq!(info["href"], "NA");
    info
}
