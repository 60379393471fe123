//! The customer as Juspay returns it.

use std::fmt;

use serde::Deserialize;

/// A Juspay customer: every field of the documented 200 response. Fields Juspay may omit are
/// optional; fields it adds later are ignored. Dates are kept as Juspay sends them (ISO 8601,
/// e.g. `2020-03-17T14:29:17Z`).
///
/// Its `Debug` and `Display` output never shows the email address or mobile number, and uniffi
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
}
