//! Reading Juspay's response bodies: the customer of a 2xx, and the fields of its three
//! documented error shapes (401 without `error_message`, 403 with a top-level `user_message`,
//! 404 with both), read leniently so an unexpected shape never hides the HTTP status.

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

    /// The most useful sentence Juspay sent, developer-facing first; an empty one is no sentence.
    /// `error_message` comes last: on the 403 it says "Internal Server error.", which misleads.
    pub fn best_message(&self) -> Option<&str> {
        [
            &self.developer_message,
            &self.user_message,
            &self.error_message,
        ]
        .into_iter()
        .find_map(|m| m.as_deref().filter(|m| !m.is_empty()))
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

/// Reads a 2xx body as a customer: JSON (as strict as [`serde_json::Value`]: no lone surrogate
/// escapes, no number beyond `f64`, nesting within serde_json's limit), an object whose `id` is a
/// string, whose `object`, unless absent or null, is `customer`, and whose other documented
/// fields are absent, null or strings; unknown keys ignored; of a key sent twice, the last counts.
/// These are exactly the rules of the web implementation, which reads with `JSON.parse`: a
/// derived `Deserialize` would differ (it takes `["id"]` as a customer, refuses repeated keys
/// and skips unknown values without checking them).
///
/// `juspay` is read only when `client_auth_token` was asked for, and then it must hold one: a
/// caller that asked needs the token for Juspay's SDK, and a null there would hide a backend
/// that dropped it. Not asked, `juspay` is `None` whatever the body says.
pub(crate) fn parse_customer(
    body: &[u8],
    client_auth_token: bool,
) -> Result<Customer, NotACustomer> {
    // The common case, an object, is read in one pass into the customer's slots. Anything else,
    // or any error, is decided by the reference reading below, so both give the same answer.
    match serde_json::from_slice::<Slots>(body) {
        Ok(slots) => slots.into_customer(client_auth_token),
        Err(_) => parse_customer_via_value(body, client_auth_token),
    }
}

/// The reference reading: the whole body as a [`Value`], then its fields.
pub(crate) fn parse_customer_via_value(
    body: &[u8],
    client_auth_token: bool,
) -> Result<Customer, NotACustomer> {
    let Value::Object(mut json) =
        serde_json::from_slice::<Value>(body).map_err(|_| NotACustomer::NotJson)?
    else {
        return Err(NotACustomer::WrongShape);
    };
    let mut slots = Slots::default();
    for (i, key) in FIELDS.iter().enumerate() {
        slots.values[i] = json.remove(*key);
    }
    slots.into_customer(client_auth_token)
}

/// The keys the customer is read from, in [`Slots::values`]' order.
const FIELDS: [&str; 11] = [
    "id",
    "object",
    "object_reference_id",
    "first_name",
    "last_name",
    "email_address",
    "mobile_number",
    "mobile_country_code",
    "date_created",
    "last_updated",
    "juspay",
];

/// The values of a JSON object under [`FIELDS`], the last of a repeated key; every other value
/// is parsed (so checked as strictly as a [`Value`]) and dropped. Deserializes from an object
/// only: what is not one fails, and [`parse_customer`] falls back to the reference reading.
#[derive(Default)]
struct Slots {
    values: [Option<Value>; FIELDS.len()],
}

impl Slots {
    fn into_customer(self, client_auth_token: bool) -> Result<Customer, NotACustomer> {
        let [id, object, object_reference_id, first_name, last_name, email_address, mobile_number, mobile_country_code, date_created, last_updated, juspay] =
            self.values;
        let field = |value: Option<Value>| match value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(NotACustomer::WrongShape),
        };
        let mut customer = Customer {
            id: field(id)?.ok_or(NotACustomer::WrongShape)?,
            object: field(object)?,
            object_reference_id: field(object_reference_id)?,
            first_name: field(first_name)?,
            last_name: field(last_name)?,
            email_address: field(email_address)?,
            mobile_number: field(mobile_number)?,
            mobile_country_code: field(mobile_country_code)?,
            date_created: field(date_created)?,
            last_updated: field(last_updated)?,
            juspay: None,
        };
        if customer.object.as_deref().is_some_and(|o| o != "customer") {
            return Err(NotACustomer::WrongShape);
        }
        if client_auth_token {
            customer.juspay = Some(
                juspay
                    .and_then(client_auth)
                    .ok_or(NotACustomer::NoClientAuthToken)?,
            );
        }
        Ok(customer)
    }
}

impl<'de> serde::Deserialize<'de> for Slots {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(SlotsVisitor)
    }
}

struct SlotsVisitor;

impl<'de> serde::de::Visitor<'de> for SlotsVisitor {
    type Value = Slots;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Slots, A::Error> {
        let mut slots = Slots::default();
        while let Some(Key(slot)) = map.next_key()? {
            let value: Value = map.next_value()?;
            if let Some(i) = slot {
                slots.values[i] = Some(value);
            }
        }
        Ok(slots)
    }
}

/// An object key: the index of its slot, if it has one. Read without allocating.
struct Key(Option<usize>);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E>(self, key: &str) -> Result<Key, E> {
                Ok(Key(FIELDS.iter().position(|field| *field == key)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// `juspay` as an object with a non-empty string `client_auth_token` and, when present and not
/// null, a string `client_auth_token_expiry`.
fn client_auth(juspay: Value) -> Option<JuspayClientAuth> {
    let Value::Object(mut juspay) = juspay else {
        return None;
    };
    let Some(Value::String(token)) = juspay.remove("client_auth_token") else {
        return None;
    };
    let expiry = match juspay.remove("client_auth_token_expiry") {
        None | Some(Value::Null) => None,
        Some(Value::String(expiry)) => Some(expiry),
        Some(_) => return None,
    };
    (!token.is_empty()).then_some(JuspayClientAuth {
        client_auth_token: token,
        client_auth_token_expiry: expiry,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Objects built from the keys the reader looks for (some escaped, some repeated), unknown
    /// keys and values of every type; and, shuffled, bytes of them that are rarely valid JSON.
    fn bodies() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let key = prop_oneof![
            proptest::sample::select(FIELDS.to_vec()).prop_map(|k| format!("{k:?}")),
            Just(r#""i\u0064""#.to_owned()),
            Just(r#""ob\u006aect""#.to_owned()),
            Just(r#""unknown""#.to_owned()),
        ];
        let value = prop_oneof![
            Just("null".to_owned()),
            Just(r#""customer""#.to_owned()),
            Just(r#""cst_1""#.to_owned()),
            Just(r#""""#.to_owned()),
            Just("1e400".to_owned()),
            Just("12".to_owned()),
            Just("true".to_owned()),
            Just(r#"["id"]"#.to_owned()),
            Just(r#""\ud800""#.to_owned()),
            Just(
                r#"{"client_auth_token":"tkn","client_auth_token_expiry":"2026-12-01"}"#.to_owned()
            ),
            Just(r#"{"client_auth_token":""}"#.to_owned()),
        ];
        let object = proptest::collection::vec((key, value), 0..8).prop_map(|pairs| {
            let members: Vec<_> = pairs.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            format!("{{{}}}", members.join(","))
        });
        prop_oneof![
            4 => object.clone(),
            1 => object.clone().prop_map(|o| format!("[{o}]")),
            1 => (object, any::<u8>(), any::<usize>()).prop_map(|(o, b, at)| {
                let mut bytes = o.into_bytes();
                let at = at % (bytes.len() + 1);
                bytes.insert(at, b);
                String::from_utf8_lossy(&bytes).into_owned()
            }),
        ]
    }

    proptest::proptest! {
        #[test]
        fn the_one_pass_reading_agrees_with_the_reference_reading(body in bodies(), token: bool) {
            let fast = parse_customer(body.as_bytes(), token);
            let reference = parse_customer_via_value(body.as_bytes(), token);
            proptest::prop_assert!(fast == reference, "{body}: {:?} vs {:?}",
                fast.as_ref().map(|c| &c.id), reference.as_ref().map(|c| &c.id));
        }
    }

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
    fn an_empty_message_gives_way_to_the_next() {
        let f = JuspayErrorFields::parse(
            br#"{"error_message":"Oops","error_info":{"developer_message":"","user_message":""}}"#,
        );
        assert_eq!(f.developer_message.as_deref(), Some(""));
        assert_eq!(f.best_message(), Some("Oops"));
        assert_eq!(
            JuspayErrorFields::parse(br#"{"error_message":""}"#).best_message(),
            None
        );
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
            (r#"{"id":"cst_1","id":"cst_2"}"#, Ok("cst_2")),
            (r#"{"id":5,"id":"cst_2"}"#, Ok("cst_2")),
            (r#"["cst_1",null]"#, Err(WrongShape)),
            (r#"{"id":"cst_1","extra":"\ud800"}"#, Err(NotJson)),
            (r#"{"id":"cst_1","\udc00":1}"#, Err(NotJson)),
            (r#"{"id":"cst_\ud83d\ude00"}"#, Ok("cst_😀")),
            (r#"{"id":"cst_1","n":1e999}"#, Err(NotJson)),
            (
                r#"{"id":"cst_1","n":1e-999,"m":123456789012345678901234567890}"#,
                Ok("cst_1"),
            ),
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
    fn nesting_deeper_than_serde_json_allows_is_not_json() {
        let nested = |depth: usize| {
            format!(
                r#"{{"id":"cst_1","x":{}{}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            )
        };
        // 127 levels (the object and 126 arrays) parse; 128 do not. The web implementation
        // checks the same depth.
        assert!(parse_customer(nested(126).as_bytes(), false).is_ok());
        assert_eq!(
            parse_customer(nested(127).as_bytes(), false),
            Err(NotACustomer::NotJson)
        );
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
