//! Outcomes in the vectors' shape (`rust-core/tests/vectors/README.md`): what every platform
//! reports, so the Rust suites and the differential test compare the core's results with it.

use juspay_customer::{Customer, CustomerError};
use serde_json::{json, Value};

/// The customer in the SDK's cross-platform shape, as the vectors spell it.
pub fn customer_json(c: &Customer) -> Value {
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
        "juspay": c.juspay.as_ref().map(|j| json!({
            "clientAuthToken": j.client_auth_token,
            "clientAuthTokenExpiry": j.client_auth_token_expiry,
        })),
    })
}

/// The error as every platform reports it: `{ code, message, data }`.
pub fn error_json(e: &CustomerError) -> Value {
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
