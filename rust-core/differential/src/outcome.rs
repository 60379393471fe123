//! One lookup through the Rust core, and its outcome in the shape every platform reports: the
//! customer in camelCase, or `{ code, message, data }`.

use juspay_customer::{ClientConfig, Credentials, Customer, CustomerClient, CustomerError};
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
        Ok(client) => client.get_customer(case.customer_id.clone(), None).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(customer) => json!({ "customer": customer_json(&customer) }),
        Err(error) => json!({ "error": error_json(&error) }),
    }
}

fn customer_json(c: &Customer) -> Value {
    json!({
        "id": c.id,
        "object": c.object,
        "objectReferenceId": c.object_reference_id,
        "firstName": c.first_name,
        "lastName": c.last_name,
        "emailAddress": c.email_address,
        "mobileNumber": c.mobile_number,
        "mobileCountryCode": c.mobile_country_code,
        "dateCreated": c.date_created,
        "lastUpdated": c.last_updated,
    })
}

fn error_json(e: &CustomerError) -> Value {
    let d = e.details();
    json!({
        "code": e.code(),
        "message": d.message,
        "data": {
            "status": d.http_status,
            "errorCode": d.error_code,
            "errorInfoCode": d.error_info_code,
            "userMessage": d.user_message,
            "developerMessage": d.developer_message,
            "requestId": d.request_id,
            "retryable": e.is_retryable(),
            "retryAfterMs": d.retry_after_ms,
        }
    })
}
