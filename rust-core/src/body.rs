//! Reading Juspay's response bodies: the customer of a 2xx, and the fields of its three
//! documented error shapes (401 without `error_message`, 403 with a top-level `user_message`,
//! 404 with both), read leniently so an unexpected shape never hides the HTTP status.

use serde::de::IgnoredAny;
use serde_json::Value;

use crate::customer::{Customer, JuspayClientAuth};

/// The fields of a Juspay error body that callers can act on. All optional: 429 and 5xx bodies
/// are not documented and may be anything, including HTML.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct JuspayErrorFields {
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub error_info_code: Option<String>,
    pub user_message: Option<String>,
    pub developer_message: Option<String>,
    pub request_id: Option<String>,
}

impl JuspayErrorFields {
    pub fn parse(body: &[u8]) -> Self {
        let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(body) else {
            return Self::default();
        };
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let info = top.get("error_info").and_then(Value::as_object);
        let info_text = |key: &str| text(info.and_then(|i| i.get(key)));
        Self {
            error_code: text(top.get("error_code")),
            error_message: text(top.get("error_message")),
            error_info_code: info_text("code"),
            user_message: info_text("user_message").or_else(|| text(top.get("user_message"))),
            developer_message: info_text("developer_message"),
            request_id: info_text("request_id"),
        }
    }

    /// Juspay's "no such customer" body, as opposed to a 404 for a wrong path.
    pub fn is_object_not_found(&self) -> bool {
        self.error_code.as_deref() == Some("object_not_found")
            || self.error_info_code.as_deref() == Some("RESOURCE_NOT_FOUND")
    }

    /// The most useful sentence Juspay sent, developer-facing first. `error_message` comes last:
    /// on the 403 it says "Internal Server error.", which misleads.
    pub fn best_message(&self) -> Option<&str> {
        self.developer_message
            .as_deref()
            .or(self.user_message.as_deref())
            .or(self.error_message.as_deref())
    }
}

/// Why a 2xx body is not a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotACustomer {
    NotJson,
    WrongShape,
    /// A client auth token was asked for and the answer has none that is usable.
    NoClientAuthToken,
}

impl NotACustomer {
    pub fn message(self) -> &'static str {
        match self {
            Self::NotJson => "the response body is not valid JSON",
            Self::WrongShape => "the response is not a customer object",
            Self::NoClientAuthToken => "no usable client auth token in the response",
        }
    }
}

/// Reads a 2xx body straight into [`Customer`] (a `serde_json::Value` round trip cost more than
/// the rest of the parse): unknown keys ignored, optional fields may be missing or `null`, `id`
/// required, and `object`, when given, must be `customer`.
///
/// `juspay` is read only when `client_auth_token` was asked for, and then it must hold one: a
/// caller that asked needs the token for Juspay's SDK, and a null there would hide a backend
/// that dropped it. Not asked, `juspay` is `None` whatever the body says.
pub(crate) fn parse_customer(
    body: &[u8],
    client_auth_token: bool,
) -> Result<Customer, NotACustomer> {
    let mut customer = parse_customer_fields(body)?;
    if client_auth_token {
        customer.juspay = Some(parse_client_auth(body).ok_or(NotACustomer::NoClientAuthToken)?);
    }
    Ok(customer)
}

/// `juspay` as an object with a non-empty string `client_auth_token` and, when present and not
/// null, a string `client_auth_token_expiry`.
fn parse_client_auth(body: &[u8]) -> Option<JuspayClientAuth> {
    #[derive(serde::Deserialize)]
    struct Outer {
        juspay: Option<Value>,
    }
    let Value::Object(juspay) = serde_json::from_slice::<Outer>(body).ok()?.juspay? else {
        return None;
    };
    let token = juspay.get("client_auth_token")?.as_str()?;
    let expiry = match juspay.get("client_auth_token_expiry") {
        None | Some(Value::Null) => None,
        Some(Value::String(expiry)) => Some(expiry.clone()),
        Some(_) => return None,
    };
    (!token.is_empty()).then(|| JuspayClientAuth {
        client_auth_token: token.to_owned(),
        client_auth_token_expiry: expiry,
    })
}

fn parse_customer_fields(body: &[u8]) -> Result<Customer, NotACustomer> {
    match serde_json::from_slice::<Customer>(body) {
        Ok(customer) if customer.object.as_deref().is_none_or(|o| o == "customer") => Ok(customer),
        Ok(_) => Err(NotACustomer::WrongShape),
        // A shape error can come before a syntax error further on: a body that is not JSON at
        // all is NotJson whatever else is wrong with it.
        Err(e) if e.is_data() && serde_json::from_slice::<IgnoredAny>(body).is_ok() => {
            Err(NotACustomer::WrongShape)
        }
        Err(_) => Err(NotACustomer::NotJson),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_403_with_its_top_level_user_message() {
        let f = JuspayErrorFields::parse(
            br#"{"error":true,"error_message":"Internal Server error.","user_message":"Bad Origin.","error_info":{"code":"BAD_ORIGIN","category":"USER_ERROR","user_message":"Bad Origin.","developer_message":"IP Verification Failed"}}"#,
        );
        assert_eq!(f.error_info_code.as_deref(), Some("BAD_ORIGIN"));
        assert_eq!(f.user_message.as_deref(), Some("Bad Origin."));
        assert_eq!(f.best_message(), Some("IP Verification Failed"));
        assert!(!f.is_object_not_found());
    }

    #[test]
    fn non_json_and_odd_types_give_empty_fields() {
        assert_eq!(
            JuspayErrorFields::parse(b"<html>"),
            JuspayErrorFields::default()
        );
        assert_eq!(
            JuspayErrorFields::parse(br#"{"error_code":5,"error_info":"x"}"#),
            JuspayErrorFields::default()
        );
    }

    #[test]
    fn every_body_shape_is_a_customer_or_says_why_not() {
        use NotACustomer::{NotJson, WrongShape};
        let ok = |body: &str| parse_customer(body.as_bytes(), false).map(|c| c.id);
        assert_eq!(
            ok(
                r#"{"object_reference_id":"customer","object":"customer","mobile_number":"99999999","mobile_country_code":"65","last_updated":"2020-03-17T14:29:17Z","last_name":"al","id":"cst_tooedar2k7j1d60b","first_name":"name","email_address":"test@juspay.in","date_created":"2020-03-17T14:29:17Z"}"#
            ),
            Ok("cst_tooedar2k7j1d60b".into())
        );
        for (body, want) in [
            (r#"{"id":"cst_1"}"#, Ok("cst_1")),
            (
                r#"{"id":"cst_1","object":null,"first_name":null}"#,
                Ok("cst_1"),
            ),
            (
                r#"{"id":"cst_1","extra":[1,2,{"x":null}],"juspay":{"client_auth_token":"t"}}"#,
                Ok("cst_1"),
            ),
            (r#"{"i\u0064":"c\u0073t_\"1"}"#, Ok("cst_\"1")),
            (r#"{"id":"cst_1","object":5}"#, Err(WrongShape)),
            (r#"{"id":"cst_1","object":"order"}"#, Err(WrongShape)),
            (r#"{"id":"cst_1","id":"cst_2"}"#, Err(WrongShape)),
            (r#"{"id":null}"#, Err(WrongShape)),
            (r#"{"id":5}"#, Err(WrongShape)),
            (r#"{"id":"cst_1","first_name":5}"#, Err(WrongShape)),
            (r#"[{"id":"cst_1"}]"#, Err(WrongShape)),
            (r#""cst_1""#, Err(WrongShape)),
            ("null", Err(WrongShape)),
            (r#"{"id": 5, garbage"#, Err(NotJson)),
            (r#"{"id":"cst_1"} trailing"#, Err(NotJson)),
            (r#"{"id":"cst_1""#, Err(NotJson)),
            ("", Err(NotJson)),
            ("<html>", Err(NotJson)),
        ] {
            assert_eq!(ok(body), want.map(str::to_owned), "{body}");
        }
    }

    #[test]
    fn a_customer_needs_an_id_and_the_right_object() {
        let parse = |body: &[u8]| parse_customer(body, false);
        assert!(parse(br#"{"id":"cst_1","object":"customer"}"#).is_ok());
        assert_eq!(parse(b"{"), Err(NotACustomer::NotJson));
        assert_eq!(parse(b"[]"), Err(NotACustomer::WrongShape));
        assert_eq!(parse(br#"{"status":"ok"}"#), Err(NotACustomer::WrongShape));
        assert_eq!(
            parse(br#"{"id":"ord_1","object":"order"}"#),
            Err(NotACustomer::WrongShape)
        );
    }

    #[test]
    fn the_client_auth_token_is_read_only_when_asked_and_then_required() {
        let auth = |body: &str, asked: bool| {
            parse_customer(body.as_bytes(), asked).map(|c| {
                c.juspay
                    .map(|j| (j.client_auth_token, j.client_auth_token_expiry))
            })
        };
        let good = r#"{"id":"cst_1","juspay":{"client_auth_token":"tkn_1","client_auth_token_expiry":"2026-01-01T00:15:00Z"}}"#;
        assert_eq!(
            auth(good, true),
            Ok(Some(("tkn_1".into(), Some("2026-01-01T00:15:00Z".into()))))
        );
        assert_eq!(auth(good, false), Ok(None));
        assert_eq!(
            auth(r#"{"id":"cst_1","juspay":{"client_auth_token":"t"}}"#, true),
            Ok(Some(("t".into(), None)))
        );
        for body in [
            r#"{"id":"cst_1"}"#,
            r#"{"id":"cst_1","juspay":null}"#,
            r#"{"id":"cst_1","juspay":"tkn_1"}"#,
            r#"{"id":"cst_1","juspay":{}}"#,
            r#"{"id":"cst_1","juspay":{"client_auth_token":5}}"#,
            r#"{"id":"cst_1","juspay":{"client_auth_token":""}}"#,
            r#"{"id":"cst_1","juspay":{"client_auth_token":"t","client_auth_token_expiry":900}}"#,
        ] {
            assert_eq!(
                auth(body, true),
                Err(NotACustomer::NoClientAuthToken),
                "{body}"
            );
            assert_eq!(auth(body, false), Ok(None), "{body}");
        }
        // A body that is not a customer says so first.
        assert_eq!(
            auth(r#"{"juspay":{}}"#, true),
            Err(NotACustomer::WrongShape)
        );
    }
}
