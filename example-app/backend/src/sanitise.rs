//! What crosses the trust boundary between Juspay and the device, and the headers that make
//! every answer unambiguous.
//!
//! Juspay's error answers are rebuilt from the fields of its documented error shapes, the ones
//! clients read (the core maps `error_code`, `error_info.code`, the messages and `request_id`
//! to its error codes): anything else in the body (an echoed request header, a debug dump)
//! never reaches the device, nor does any text holding the backend's API key. An error answer
//! without Juspay's shape (a gateway's HTML page) becomes the backend's own UPSTREAM_ERROR with
//! Juspay's status. Every answer is `application/json`, whatever Juspay said its body was.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::errors::ApiError;

/// Longest text kept from one field of Juspay's error body.
const MAX_TEXT_CHARS: usize = 1000;
/// Most `error_info.fields` entries kept.
const MAX_FIELDS: usize = 50;

/// Texts that must never reach a device: the API key and the ways it is sent (`key:` and `key`
/// base64-encoded for Basic auth).
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    pub fn new(api_key: &str) -> Self {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let secrets = [
            api_key.to_owned(),
            b64(&format!("{api_key}:")),
            b64(api_key),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
        Self { secrets }
    }

    /// `text`, cut to [`MAX_TEXT_CHARS`], or `[redacted]` when it holds a secret.
    fn clean(&self, text: &str) -> String {
        if self.secrets.iter().any(|s| text.contains(s.as_str())) {
            return "[redacted]".into();
        }
        text.chars().take(MAX_TEXT_CHARS).collect()
    }
}

/// The keys of Juspay's error bodies, in the order of its documented samples. Every error the
/// backend answers has this shape: Juspay's rebuilt, and the backend's own (`errors.rs`), which
/// always has `status`, `error_code` and `error_info` with its six texts.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_info: Option<ErrorInfo>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    user_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<Vec<Field>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    developer_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Field {
    field_name: String,
    reason: String,
}

/// Juspay's error answer (`status` not 2xx) as the device gets it: rebuilt from the known fields
/// when the body has Juspay's shape (an `error_code`, or an `error_info` with a `code`), the
/// backend's UPSTREAM_ERROR otherwise. A well-formed Retry-After is kept either way.
pub fn upstream_error(
    status: StatusCode,
    body: &[u8],
    retry_after: Option<&HeaderValue>,
    redactor: &Redactor,
) -> Response {
    let retry_after = retry_after.filter(|v| well_formed_retry_after(v)).cloned();
    let top = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(top)) => Some(top),
        _ => None,
    };
    let Some(rebuilt) = top.as_ref().and_then(|top| juspay_shaped(top, redactor)) else {
        let juspay_request_id = top
            .as_ref()
            .and_then(|top| text(top.get("error_info")?.get("request_id")))
            .map(|id| redactor.clean(id))
            .filter(|id| plausible_request_id(id));
        return ApiError::UpstreamError {
            status,
            juspay_request_id,
            retry_after,
        }
        .into_response();
    };
    let mut response = (
        status,
        serde_json::to_vec(&rebuilt).expect("strings and booleans serialise"),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(retry_after) = retry_after {
        headers.insert(header::RETRY_AFTER, retry_after);
    }
    response
}

fn text(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str)
}

fn juspay_shaped(top: &Map<String, Value>, redactor: &Redactor) -> Option<ErrorBody> {
    let info = top.get("error_info").and_then(Value::as_object);
    let info_code = info.and_then(|i| text(i.get("code")));
    let error_code = text(top.get("error_code"));
    if error_code.is_none() && info_code.is_none() {
        return None;
    }
    let clean = |v: Option<&Value>| text(v).map(|t| redactor.clean(t));
    let error_info = info.map(|info| ErrorInfo {
        user_message: clean(info.get("user_message")),
        request_id: clean(info.get("request_id")).filter(|id| plausible_request_id(id)),
        href: clean(info.get("href")),
        fields: info.get("fields").and_then(Value::as_array).map(|fields| {
            fields
                .iter()
                .filter_map(|f| {
                    Some(Field {
                        field_name: clean(f.get("field_name"))?,
                        reason: clean(f.get("reason"))?,
                    })
                })
                .take(MAX_FIELDS)
                .collect()
        }),
        developer_message: clean(info.get("developer_message")),
        code: clean(info.get("code")),
        category: clean(info.get("category")),
    });
    Some(ErrorBody {
        error: top.get("error").and_then(Value::as_bool),
        error_message: clean(top.get("error_message")),
        user_message: clean(top.get("user_message")),
        status: clean(top.get("status")),
        error_code: clean(top.get("error_code")),
        error_info,
    })
}

/// Juspay's request ids are UUIDs or short hex ids; anything else is not passed on as one.
fn plausible_request_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

/// `Retry-After` is delta-seconds or an HTTP date; anything else is dropped.
fn well_formed_retry_after(value: &HeaderValue) -> bool {
    let Ok(text) = value.to_str() else {
        return false;
    };
    (!text.is_empty() && text.len() <= 10 && text.bytes().all(|b| b.is_ascii_digit()))
        || httpdate::parse_http_date(text).is_ok()
}

/// Juspay's 2xx customer as the device gets it: the body the core already read as a customer,
/// as JSON whatever Content-Type Juspay gave it.
pub fn upstream_customer(status: StatusCode, body: bytes::Bytes) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Middleware: a request with more than one `Authorization` header is refused, because servers
/// and proxies disagree on which one counts (this one would read the first, others the last).
pub async fn one_authorization(request: Request, next: Next) -> Response {
    if request
        .headers()
        .get_all(header::AUTHORIZATION)
        .iter()
        .count()
        > 1
    {
        return ApiError::InvalidRequest("Send one Authorization header, not several.".into())
            .into_response();
    }
    next.run(request).await
}

/// Layers for every answer: nothing stores it (answers carry customers' personal data and
/// device tokens), and no browser second-guesses its Content-Type.
pub fn no_store() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))
}

pub fn no_sniff() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> (StatusCode, Option<ApiError>, String) {
        let status = response.status();
        let error = response.extensions().get::<ApiError>().cloned();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, error, String::from_utf8(bytes.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn juspays_documented_404_comes_through_byte_for_byte() {
        let documented = r#"{"error_message":"Cannot find what you are looking for","status":"invalid_request_error","error_code":"object_not_found","error_info":{"user_message":"Cannot process your request as customer account not found.","request_id":"bfd8b9e6-1d5d-4a4e-9d2c-3d1b0b2f9a11","href":"NA","developer_message":"Customer account not found.","code":"RESOURCE_NOT_FOUND","category":"USER_ERROR"}}"#;
        let response = upstream_error(
            StatusCode::NOT_FOUND,
            documented.as_bytes(),
            None,
            &Redactor::new("sk_test_5e0f1c2d"),
        );
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(
            body_of(response).await,
            (StatusCode::NOT_FOUND, None, documented.to_owned())
        );
    }

    #[tokio::test]
    async fn only_known_fields_pass_and_no_text_holding_the_key() {
        let key = "sk_live_8f3a";
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{key}:"));
        let body = format!(
            r#"{{"status":"error","error_code":"access_denied","headers":{{"authorization":"Basic {basic}"}},
               "error_info":{{"code":"UNAUTHORIZED","developer_message":"got Authorization: Basic {basic}",
               "request_id":"<script>","fields":[{{"field_name":"a","reason":"b","extra":1}}],"debug":"{key}"}}}}"#
        );
        let (status, error, text) = body_of(upstream_error(
            StatusCode::BAD_REQUEST,
            body.as_bytes(),
            None,
            &Redactor::new(key),
        ))
        .await;
        assert_eq!((status, error), (StatusCode::BAD_REQUEST, None));
        assert_eq!(
            text,
            r#"{"status":"error","error_code":"access_denied","error_info":{"fields":[{"field_name":"a","reason":"b"}],"developer_message":"[redacted]","code":"UNAUTHORIZED"}}"#
        );
    }

    #[tokio::test]
    async fn a_body_without_juspays_shape_is_the_backends_upstream_error() {
        let retry = HeaderValue::from_static("30");
        for body in [
            &b"<html><body>503 Service Unavailable</body></html>"[..],
            br#"{"message":"upstream connect error","error_info":{"request_id":"abc-123"}}"#,
            b"",
        ] {
            let response = upstream_error(
                StatusCode::SERVICE_UNAVAILABLE,
                body,
                Some(&retry),
                &Redactor::new("sk_test_5e0f1c2d"),
            );
            let (status, error, _) = body_of(response).await;
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
            let Some(ApiError::UpstreamError {
                status,
                juspay_request_id,
                retry_after,
            }) = error
            else {
                panic!("not an upstream error")
            };
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(retry_after, Some(retry.clone()));
            let expected = body.starts_with(b"{").then(|| "abc-123".to_owned());
            assert_eq!(juspay_request_id, expected);
        }
    }

    #[test]
    fn retry_after_must_be_seconds_or_a_date() {
        for (value, ok) in [
            ("30", true),
            ("0", true),
            ("Wed, 21 Oct 2015 07:28:00 GMT", true),
            ("-1", false),
            ("99999999999", false),
            ("soon", false),
            ("", false),
        ] {
            assert_eq!(
                well_formed_retry_after(&HeaderValue::from_static(value)),
                ok,
                "{value}"
            );
        }
    }
}
