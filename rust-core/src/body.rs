//! Reading Juspay's response bodies: the customer of a 2xx, and the fields of its three
//! documented error shapes (401 without `error_message`, 403 with a top-level `user_message`,
//! 404 with both), read leniently so an unexpected shape never hides the HTTP status.

use serde_json::Value;

use crate::customer::Customer;

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
}

impl NotACustomer {
    pub fn message(self) -> &'static str {
        match self {
            Self::NotJson => "the response body is not valid JSON",
            Self::WrongShape => "the response is not a customer object",
        }
    }
}

pub(crate) fn parse_customer(body: &[u8]) -> Result<Customer, NotACustomer> {
    let value: Value = serde_json::from_slice(body).map_err(|_| NotACustomer::NotJson)?;
    if let Some(object) = value.get("object") {
        if object.as_str() != Some("customer") {
            return Err(NotACustomer::WrongShape);
        }
    }
    serde_json::from_value(value).map_err(|_| NotACustomer::WrongShape)
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
    fn a_customer_needs_an_id_and_the_right_object() {
        assert!(parse_customer(br#"{"id":"cst_1","object":"customer"}"#).is_ok());
        assert_eq!(parse_customer(b"{"), Err(NotACustomer::NotJson));
        assert_eq!(parse_customer(b"[]"), Err(NotACustomer::WrongShape));
        assert_eq!(
            parse_customer(br#"{"status":"ok"}"#),
            Err(NotACustomer::WrongShape)
        );
        assert_eq!(
            parse_customer(br#"{"id":"ord_1","object":"order"}"#),
            Err(NotACustomer::WrongShape)
        );
    }
}
