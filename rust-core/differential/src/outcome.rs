//! One lookup through the Rust core, and its outcome in the shape every platform reports: the
//! customer in camelCase, or `{ code, message, data }`.

use juspay_customer::{ClientConfig, Credentials, CustomerClient, LookupOptions};
use juspay_scenario_server::shape::{customer_json, error_json};
use serde_json::{json, Value};

use crate::cases::Case;

/// Both sides use this deadline and no retries, so each case is exactly one answer.
pub const LOOKUP_DEADLINE_MS: u64 = 5_000;
pub const TOKEN: &str = "differential-device-token";

pub async fn core_outcome(base_url: String, case: &Case) -> Value {
    let config = ClientConfig {
        deadline_ms: LOOKUP_DEADLINE_MS,
        max_retries: 0,
        ..ClientConfig::new(
            &base_url,
            Credentials::DeviceToken {
                token: TOKEN.into(),
            },
        )
    };
    let result = match CustomerClient::new(config) {
        Ok(client) => {
            let options = LookupOptions {
                client_auth_token: case.client_auth_token,
            };
            client
                .get_customer(case.customer_id.clone(), None, options)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(customer) => json!({ "customer": customer_json(&customer) }),
        Err(error) => json!({ "error": error_json(&error) }),
    }
}
