//! Every error the emulator answers as Juspay would, each listed once with its status. Keys are
//! declared in the order of Juspay's documented samples, so bodies match them key for key.
//!
//! | status | when | body |
//! |---|---|---|
//! | 400 | `POST /customers` with a taken object_reference_id | `error_code: unique`, `ALREADY_EXISTS` |
//! | 400 | `POST /customers[/{id}]` with a bad field | `error_code: Invalid Request`, `INVALID_INPUT`, `error_info.fields` |
//! | 401 | wrong or missing API key, or an `x-merchantid` that is not the key's | `access_denied`, `UNAUTHORIZED` |
//! | 403 | client IP not on the allow-list | `error: true`, `BAD_ORIGIN` |
//! | 404 | no customer with that id or object_reference_id | `object_not_found`, `RESOURCE_NOT_FOUND` |
//! | 404 | unknown path or method | an HTML page, no Juspay body |
//!
//! Fault answers (5xx, 429, ...) are in `faults.rs`: they stand for failures in front of
//! Juspay, not for Juspay's own errors.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;

/// A Juspay error the emulator can answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JuspayError {
    Unauthorized,
    BadOrigin,
    CustomerNotFound,
    AlreadyExists,
    /// The fields that break a rule, in form order.
    InvalidInput(Vec<&'static str>),
}

/// The top-level keys of all of Juspay's error bodies, in the one order they all agree with.
#[derive(Serialize)]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_message: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<&'static str>,
    error_info: Info,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Info {
    /// The 401, 404 and 400 bodies.
    Standard {
        user_message: &'static str,
        request_id: String,
        href: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        fields: Option<Vec<Field>>,
        developer_message: &'static str,
        code: &'static str,
        category: &'static str,
    },
    /// The 403 body starts its `error_info` with `code`. Juspay's sample shows no request_id;
    /// the emulator adds one (last) so every error can be traced the same way.
    BadOrigin {
        code: &'static str,
        category: &'static str,
        user_message: &'static str,
        developer_message: &'static str,
        request_id: String,
    },
}

#[derive(Serialize)]
struct Field {
    field_name: &'static str,
    reason: &'static str,
}

const USER_ERROR: &str = "USER_ERROR";

impl JuspayError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::BadOrigin => StatusCode::FORBIDDEN,
            Self::CustomerNotFound => StatusCode::NOT_FOUND,
            Self::AlreadyExists | Self::InvalidInput(_) => StatusCode::BAD_REQUEST,
        }
    }

    fn body(&self, request_id: String) -> Body {
        let standard = |user_message, developer_message, code, fields| Info::Standard {
            user_message,
            request_id: request_id.clone(),
            href: "NA",
            fields,
            developer_message,
            code,
            category: USER_ERROR,
        };
        match self {
            Self::Unauthorized => Body {
                error: None,
                error_message: None,
                user_message: None,
                status: Some("error"),
                error_code: Some("access_denied"),
                error_info: standard(
                    "Unauthorized.",
                    "Invalid API Key. Please pass a valid and active api key.",
                    "UNAUTHORIZED",
                    None,
                ),
            },
            Self::BadOrigin => Body {
                error: Some(true),
                error_message: Some("Internal Server error.".into()),
                user_message: Some("Bad Origin."),
                status: None,
                error_code: None,
                error_info: Info::BadOrigin {
                    code: "BAD_ORIGIN",
                    category: USER_ERROR,
                    user_message: "Bad Origin.",
                    developer_message: "IP Verification Failed",
                    request_id: request_id.clone(),
                },
            },
            Self::CustomerNotFound => Body {
                error: None,
                error_message: Some("Cannot find what you are looking for".into()),
                user_message: None,
                status: Some("invalid_request_error"),
                error_code: Some("object_not_found"),
                error_info: standard(
                    "Cannot process your request as customer account not found.",
                    "Customer account not found.",
                    "RESOURCE_NOT_FOUND",
                    None,
                ),
            },
            Self::AlreadyExists => Body {
                error: None,
                error_message: Some(
                    "Customer with given object reference id already exist for your account."
                        .into(),
                ),
                user_message: None,
                status: Some("invalid_request_error"),
                error_code: Some("unique"),
                error_info: standard(
                    "Already exists.",
                    "Customer account with given object reference already exists.",
                    "ALREADY_EXISTS",
                    None,
                ),
            },
            Self::InvalidInput(fields) => Body {
                error: None,
                error_message: Some(format!(
                    "Wrong value in {}",
                    fields.first().copied().unwrap_or("request")
                )),
                user_message: None,
                status: Some("Invalid Request"),
                error_code: Some("Invalid Request"),
                error_info: standard(
                    "Invalid request params. Please verify your input.",
                    "Invalid request params",
                    "INVALID_INPUT",
                    Some(
                        fields
                            .iter()
                            .map(|&field_name| Field {
                                field_name,
                                reason: "Invalid value.",
                            })
                            .collect(),
                    ),
                ),
            },
        }
    }
}

impl IntoResponse for JuspayError {
    /// The body with a fresh request_id, as Juspay gives every error.
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body(uuid::Uuid::new_v4().to_string()))
            .expect("an error body serialises");
        json_response(self.status(), Bytes::from(body))
    }
}

/// A JSON answer; the body is already serialised.
pub(crate) fn json_response(status: StatusCode, body: Bytes) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// A 404 for a path or method the API does not have: HTML, as a web server in front of an API
/// gives it, never Juspay's object_not_found body (clients tell the two apart).
pub(crate) async fn unknown_path() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(error: JuspayError) -> String {
        String::from_utf8(serde_json::to_vec(&error.body("RID".into())).unwrap()).unwrap()
    }

    // The expected strings are Juspay's documented samples, minified, with request_id "RID".
    #[test]
    fn bodies_are_the_documented_samples_key_for_key() {
        assert_eq!(
            text(JuspayError::Unauthorized),
            r#"{"status":"error","error_code":"access_denied","error_info":{"user_message":"Unauthorized.","request_id":"RID","href":"NA","developer_message":"Invalid API Key. Please pass a valid and active api key.","code":"UNAUTHORIZED","category":"USER_ERROR"}}"#
        );
        assert_eq!(
            text(JuspayError::CustomerNotFound),
            r#"{"error_message":"Cannot find what you are looking for","status":"invalid_request_error","error_code":"object_not_found","error_info":{"user_message":"Cannot process your request as customer account not found.","request_id":"RID","href":"NA","developer_message":"Customer account not found.","code":"RESOURCE_NOT_FOUND","category":"USER_ERROR"}}"#
        );
        assert_eq!(
            text(JuspayError::BadOrigin),
            r#"{"error":true,"error_message":"Internal Server error.","user_message":"Bad Origin.","error_info":{"code":"BAD_ORIGIN","category":"USER_ERROR","user_message":"Bad Origin.","developer_message":"IP Verification Failed","request_id":"RID"}}"#
        );
        assert_eq!(
            text(JuspayError::AlreadyExists),
            r#"{"error_message":"Customer with given object reference id already exist for your account.","status":"invalid_request_error","error_code":"unique","error_info":{"user_message":"Already exists.","request_id":"RID","href":"NA","developer_message":"Customer account with given object reference already exists.","code":"ALREADY_EXISTS","category":"USER_ERROR"}}"#
        );
        assert_eq!(
            text(JuspayError::InvalidInput(vec![
                "mobile_number",
                "email_address"
            ])),
            r#"{"error_message":"Wrong value in mobile_number","status":"Invalid Request","error_code":"Invalid Request","error_info":{"user_message":"Invalid request params. Please verify your input.","request_id":"RID","href":"NA","fields":[{"field_name":"mobile_number","reason":"Invalid value."},{"field_name":"email_address","reason":"Invalid value."}],"developer_message":"Invalid request params","code":"INVALID_INPUT","category":"USER_ERROR"}}"#
        );
    }
}
