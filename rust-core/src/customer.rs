//! The customer as Juspay returns it.

use std::fmt;

use serde::Deserialize;

/// A Juspay customer: every field of the documented 200 response. Fields Juspay may omit are
/// optional; fields it adds later are ignored. Dates are kept as Juspay sends them (ISO 8601,
/// e.g. `2020-03-17T14:29:17Z`).
///
/// Its `Debug` and `Display` output never shows the email address, mobile number or client auth
/// token, and uniffi
/// carries that into Kotlin's `toString()` and Swift's `description`/`debugDescription`, which
/// would otherwise print every field.
#[derive(Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct Customer {
    /// Juspay's id for the customer, e.g. `cst_tooedar2k7j1d60b`.
    pub id: String,
    /// Always `customer` when present.
    #[serde(default)]
    pub object: Option<String>,
    /// The merchant's own id for the customer.
    #[serde(default)]
    pub object_reference_id: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    /// Personal data: never log it.
    #[serde(default)]
    pub email_address: Option<String>,
    /// Personal data: never log it.
    #[serde(default)]
    pub mobile_number: Option<String>,
    #[serde(default)]
    pub mobile_country_code: Option<String>,
    #[serde(default)]
    pub date_created: Option<String>,
    #[serde(default)]
    pub last_updated: Option<String>,
    /// Juspay's client auth token, only when the lookup asked for it
    /// ([`LookupOptions::client_auth_token`](crate::LookupOptions)); `None` otherwise, whatever
    /// the answer carried.
    #[serde(skip)]
    #[uniffi(default = None)]
    pub juspay: Option<JuspayClientAuth>,
}

/// What Juspay's client SDK on the device authenticates with: a short-lived (about 15 minutes),
/// customer-scoped bearer credential, returned by Get Customer with
/// `options.get_client_auth_token=true`. It is meant for the device (unlike the API key), but it
/// is still a credential: its `Debug` and `Display` output (Kotlin's `toString()`, Swift's
/// `description`) never show it.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct JuspayClientAuth {
    /// Pass it to Juspay's SDK; never log it.
    pub client_auth_token: String,
    /// When the token expires, as Juspay sends it (ISO 8601); `None` when it sent none.
    #[uniffi(default = None)]
    pub client_auth_token_expiry: Option<String>,
}

impl fmt::Debug for JuspayClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JuspayClientAuth")
            .field("client_auth_token", &"[redacted]")
            .field("client_auth_token_expiry", &self.client_auth_token_expiry)
            .finish()
    }
}

impl fmt::Display for JuspayClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl fmt::Debug for Customer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "[redacted]");
        f.debug_struct("Customer")
            .field("id", &self.id)
            .field("object", &self.object)
            .field("object_reference_id", &self.object_reference_id)
            .field("first_name", &self.first_name)
            .field("last_name", &self.last_name)
            .field("email_address", &redacted(&self.email_address))
            .field("mobile_number", &redacted(&self.mobile_number))
            .field("mobile_country_code", &self.mobile_country_code)
            .field("date_created", &self.date_created)
            .field("last_updated", &self.last_updated)
            .field("juspay", &self.juspay)
            .finish()
    }
}

impl fmt::Display for Customer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact_email_and_mobile() {
        let c: Customer = serde_json::from_str(
            r#"{"id":"cst_1","email_address":"jane@example.com","mobile_number":"99999999","first_name":"Jane"}"#,
        )
        .unwrap();
        let shown = format!("{c:?} {c}");
        assert!(!shown.contains("jane@example.com"), "{shown}");
        assert!(!shown.contains("99999999"), "{shown}");
        assert!(
            shown.contains("Jane") && shown.contains("[redacted]"),
            "{shown}"
        );
    }

    #[test]
    fn debug_and_display_redact_the_client_auth_token() {
        let c = Customer {
            juspay: Some(JuspayClientAuth {
                client_auth_token: "tkn_secret_1".into(),
                client_auth_token_expiry: Some("2026-01-01T00:15:00Z".into()),
            }),
            ..serde_json::from_str(r#"{"id":"cst_1"}"#).unwrap()
        };
        let auth = c.juspay.clone().unwrap();
        let shown = format!("{c:?} {c} {auth:?} {auth}");
        assert!(!shown.contains("tkn_secret_1"), "{shown}");
        assert!(shown.contains("2026-01-01T00:15:00Z"), "{shown}");
    }
}
