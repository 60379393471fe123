//! Helpers shared by the integration tests.
#![allow(dead_code)]

use juspay_customer::{ClientConfig, Credentials, Customer, CustomerClient, CustomerError};
use serde_json::{json, Value};

pub const API_KEY: &str = "test_api_key_5f1c";
pub const MERCHANT_ID: &str = "test_merchant";
pub const DEVICE_TOKEN: &str = "device-token-abc";

/// The two ways to call: a device with its token, or a server with the API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    DeviceToken,
    ApiKey,
}

impl Mode {
    pub fn credentials(self) -> Credentials {
        match self {
            Mode::DeviceToken => Credentials::DeviceToken {
                token: DEVICE_TOKEN.into(),
            },
            Mode::ApiKey => Credentials::ApiKey {
                api_key: API_KEY.into(),
                merchant_id: Some(MERCHANT_ID.into()),
                api_version: None,
            },
        }
    }
}

pub fn client(base_url: &str, credentials: Credentials) -> CustomerClient {
    CustomerClient::new(ClientConfig::new(base_url, credentials)).expect("valid config")
}

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

/// Juspay's documented 200 body.
pub fn documented_customer() -> Value {
    json!({
        "object_reference_id": "customer",
        "object": "customer",
        "mobile_number": "99999999",
        "mobile_country_code": "65",
        "last_updated": "2020-03-17T14:29:17Z",
        "last_name": "al",
        "id": "cst_tooedar2k7j1d60b",
        "first_name": "name",
        "email_address": "test@juspay.in",
        "date_created": "2020-03-17T14:29:17Z"
    })
}

/// Juspay's documented 401 body.
pub fn documented_401() -> Value {
    json!({
        "status": "error",
        "error_code": "access_denied",
        "error_info": {
            "user_message": "Unauthorized.",
            "request_id": "b2e0fd33-7655-4778-83a8-5179ed21b0b7",
            "href": "NA",
            "developer_message": "Invalid API Key. Please pass a valid and active api key.",
            "code": "UNAUTHORIZED",
            "category": "USER_ERROR"
        }
    })
}
