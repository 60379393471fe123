//! Writes the contract file: what every platform must agree on, taken from the core itself (its
//! error codes and which are retryable, the keys of a rejection's data and of a customer, its
//! bounds and defaults). Two generated files carry it:
//! - `rust-core/contract/core-contract.json`, for the contract test and anyone else reading it;
//! - `src-ts/generated/core-contract.ts`, which the web implementation imports, and whose
//!   `satisfies` clauses make TypeScript refuse `definitions.ts` types that disagree.
//!
//! The test fails when a committed file is stale, as `scripts/generate-bindings.sh --check`
//! does for the bindings; `JUSPAY_UPDATE_CONTRACT=1 cargo test -p juspay-customer contract`
//! rewrites them.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::body::parse_customer;
use crate::constants::{core_constants, CoreConstants};
use crate::customer::{Customer, JuspayClientAuth};
use crate::error::{every_variant, ErrorDetails, ERROR_CODES};

const JSON_FILE: &str = "contract/core-contract.json";
const TS_FILE: &str = "../src-ts/generated/core-contract.ts";
const REGENERATE: &str = "JUSPAY_UPDATE_CONTRACT=1 cargo test -p juspay-customer contract";

/// The field names of a struct, as written: the pattern has no `..`, so adding a field to the
/// struct fails to compile here until it is listed.
macro_rules! field_names {
    ($value:expr, $type:ident { $($field:ident),* $(,)? }) => {{
        let $type { $($field: _),* } = $value;
        vec![$(stringify!($field)),*]
    }};
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

fn customer_fields() -> Vec<&'static str> {
    let customer = parse_customer(br#"{"id":"cst_1"}"#, false).expect("a minimal customer");
    field_names!(
        &customer,
        Customer {
            id,
            object,
            object_reference_id,
            first_name,
            last_name,
            email_address,
            mobile_number,
            mobile_country_code,
            date_created,
            last_updated,
            juspay,
        }
    )
}

fn client_auth_fields() -> Vec<&'static str> {
    let auth = JuspayClientAuth {
        client_auth_token: String::new(),
        client_auth_token_expiry: None,
    };
    field_names!(
        &auth,
        JuspayClientAuth {
            client_auth_token,
            client_auth_token_expiry,
        }
    )
}

/// `CustomerErrorData`'s keys: the details field by field in camelCase, but `message` (the
/// error's own), `http_status` as `status`, and `retryable` from the code.
fn error_data_keys() -> Vec<String> {
    let details = ErrorDetails::message("m");
    let fields = field_names!(
        &details,
        ErrorDetails {
            message,
            http_status,
            error_code,
            error_info_code,
            user_message,
            developer_message,
            request_id,
            retry_after_ms,
        }
    );
    let mut keys: Vec<String> = fields
        .into_iter()
        .filter(|f| *f != "message")
        .map(|f| {
            if f == "http_status" {
                "status".into()
            } else {
                camel(f)
            }
        })
        .collect();
    keys.push("retryable".into());
    keys
}

fn camel_keys(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map.into_iter().map(|(k, v)| (camel(&k), v)).collect(),
        _ => unreachable!("constants serialise as an object"),
    }
}

/// Every constant: the pattern names each field, so a new one does not compile until it is here.
fn constants() -> Map<String, Value> {
    let CoreConstants {
        max_timeout_ms,
        max_retries,
        default_connect_timeout_ms,
        default_deadline_ms,
        default_max_retries,
        default_refresh_skew_ms,
        max_customer_id_chars,
        max_body_bytes,
        max_retry_after_ms,
        retry_base_delay_ms,
        retry_max_delay_ms,
        max_cache_ttl_ms,
        cancelled_message,
    } = core_constants();
    camel_keys(json!({
        "max_timeout_ms": max_timeout_ms,
        "max_retries": max_retries,
        "default_connect_timeout_ms": default_connect_timeout_ms,
        "default_deadline_ms": default_deadline_ms,
        "default_max_retries": default_max_retries,
        "default_refresh_skew_ms": default_refresh_skew_ms,
        "max_customer_id_chars": max_customer_id_chars,
        "max_body_bytes": max_body_bytes,
        "max_retry_after_ms": max_retry_after_ms,
        "retry_base_delay_ms": retry_base_delay_ms,
        "retry_max_delay_ms": retry_max_delay_ms,
        "max_cache_ttl_ms": max_cache_ttl_ms,
        "cancelled_message": cancelled_message,
    }))
}

fn contract() -> Value {
    let codes: Vec<Value> = every_variant()
        .iter()
        .map(|e| json!({ "code": e.code(), "retryable": e.is_retryable() }))
        .collect();
    json!({
        "$comment": format!("Generated from the Rust core by rust-core/src/contract.rs: do not edit. Regenerate: {REGENERATE}"),
        "errorCodes": codes,
        "errorDataKeys": error_data_keys(),
        "customerKeys": customer_fields().into_iter().map(camel).collect::<Vec<_>>(),
        "clientAuthKeys": client_auth_fields().into_iter().map(camel).collect::<Vec<_>>(),
        "constants": constants(),
    })
}

/// An object literal of `key: value` lines, one per entry, which prettier keeps as written.
fn ts_object(entries: impl IntoIterator<Item = (String, String)>) -> String {
    let mut out = String::from("{\n");
    for (key, value) in entries {
        writeln!(out, "  {key}: {value},").unwrap();
    }
    out.push('}');
    out
}

fn ts_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        other => other.to_string(),
    }
}

fn typescript(contract: &Value) -> String {
    let keys = |name: &str| -> Vec<(String, String)> {
        contract[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| (k.as_str().unwrap().to_owned(), "true".to_owned()))
            .collect()
    };
    let retryable = contract["errorCodes"].as_array().unwrap().iter().map(|c| {
        (
            c["code"].as_str().unwrap().to_owned(),
            c["retryable"].to_string(),
        )
    });
    let mut constants = String::new();
    for (name, value) in contract["constants"].as_object().unwrap() {
        writeln!(
            constants,
            "export const {} = {};",
            screaming(name),
            ts_value(value)
        )
        .unwrap();
    }
    format!(
        "\
// Generated from the Rust core by rust-core/src/contract.rs: do not edit.
// Regenerate: {REGENERATE}
// The `satisfies` clauses make the compiler refuse a definitions.ts type that differs from the core.
import type {{ Customer, CustomerErrorCode, CustomerErrorData, JuspayClientAuth }} from '../definitions';

/** Whether each error code is retryable, in the order of the README's error table. */
export const RETRYABLE = {retryable} as const satisfies Readonly<Record<CustomerErrorCode, boolean>>;

/** Every key of a rejection's `data`. */
export const ERROR_DATA_KEYS = {data} as const satisfies Readonly<Record<keyof CustomerErrorData, true>>;

/** Every key of a customer. */
export const CUSTOMER_KEYS = {customer} as const satisfies Readonly<Record<keyof Customer, true>>;

/** Every key of Juspay's client auth token. */
export const CLIENT_AUTH_KEYS = {auth} as const satisfies Readonly<Record<keyof JuspayClientAuth, true>>;

// The core's bounds, defaults and fixed words (`core_constants()` in the bindings), one constant
// each so the bundler keeps only those used.
{constants}",
        retryable = ts_object(retryable),
        data = ts_object(keys("errorDataKeys")),
        customer = ts_object(keys("customerKeys")),
        auth = ts_object(keys("clientAuthKeys")),
    )
}

/// `maxTimeoutMs` as `MAX_TIMEOUT_MS`.
fn screaming(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn check_or_update(relative: &str, expected: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    if std::env::var_os("JUSPAY_UPDATE_CONTRACT").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, expected).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{} is stale (or missing): regenerate it with `{REGENERATE}` and commit it",
        path.display()
    );
}

#[test]
fn committed_contract_files_are_what_the_core_says() {
    let contract = contract();
    let json = serde_json::to_string_pretty(&contract).unwrap() + "\n";
    check_or_update(JSON_FILE, &json);
    check_or_update(TS_FILE, &typescript(&contract));
}

#[test]
fn the_contract_lists_every_code_once_in_table_order() {
    let contract = contract();
    let codes: Vec<&str> = contract["errorCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ERROR_CODES);
}

#[test]
fn camel_case_is_what_typescript_names() {
    assert_eq!(camel("client_auth_token_expiry"), "clientAuthTokenExpiry");
    assert_eq!(camel("id"), "id");
    assert_eq!(screaming("maxRetryAfterMs"), "MAX_RETRY_AFTER_MS");
}
