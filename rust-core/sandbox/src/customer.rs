//! The customer as Juspay stores and returns it, the rules its fields follow, and seed files.

use std::fmt;
use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// A Juspay customer. Fields are declared in the order of the documented 200 body, so the JSON
/// the emulator sends has the documented key order too.
///
/// `Debug` never shows the email address or mobile number.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub object_reference_id: String,
    pub object: String,
    pub mobile_number: Option<String>,
    pub mobile_country_code: Option<String>,
    pub last_updated: String,
    pub last_name: Option<String>,
    pub id: String,
    pub first_name: Option<String>,
    pub email_address: Option<String>,
    pub date_created: String,
}

impl fmt::Debug for Customer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "[redacted]");
        f.debug_struct("Customer")
            .field("id", &self.id)
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

/// The fields a client may set, as `POST /customers` (create) and `POST /customers/{id}`
/// (update) take them, form-encoded.
#[derive(Default)]
pub(crate) struct CustomerFields {
    pub object_reference_id: Option<String>,
    pub mobile_number: Option<String>,
    pub mobile_country_code: Option<String>,
    pub email_address: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// `options.get_client_auth_token=true`
    pub wants_client_auth_token: bool,
}

impl CustomerFields {
    /// Reads a form body. Unknown keys are ignored, as Juspay does; an empty value counts as
    /// given (and is then invalid where the field needs a value).
    pub fn from_form(body: &[u8]) -> Self {
        let mut fields = Self::default();
        for (key, value) in form_urlencoded::parse(body) {
            let value = Some(value.into_owned());
            match key.as_ref() {
                "object_reference_id" => fields.object_reference_id = value,
                "mobile_number" => fields.mobile_number = value,
                "mobile_country_code" => fields.mobile_country_code = value,
                "email_address" => fields.email_address = value,
                "first_name" => fields.first_name = value,
                "last_name" => fields.last_name = value,
                "options.get_client_auth_token" => {
                    fields.wants_client_auth_token = value.as_deref() == Some("true")
                }
                _ => {}
            }
        }
        fields
    }

    /// The names of the fields that break a rule, in form order. For a create,
    /// `object_reference_id` and `mobile_number` are required.
    pub fn invalid_fields(&self, creating: bool) -> Vec<&'static str> {
        // (name, value, rule, required)
        type Check<'a> = (&'static str, &'a Option<String>, fn(&str) -> bool, bool);
        let checks: [Check; 6] = [
            (
                "object_reference_id",
                &self.object_reference_id,
                valid_reference,
                creating,
            ),
            ("mobile_number", &self.mobile_number, valid_mobile, creating),
            (
                "mobile_country_code",
                &self.mobile_country_code,
                valid_country_code,
                false,
            ),
            ("email_address", &self.email_address, valid_email, false),
            ("first_name", &self.first_name, valid_name, false),
            ("last_name", &self.last_name, valid_name, false),
        ];
        checks
            .into_iter()
            .filter(|(_, value, valid, required)| match value {
                Some(v) => !valid(v),
                None => *required,
            })
            .map(|(name, ..)| name)
            .collect()
    }

    /// A new customer from valid fields (call [`invalid_fields`](Self::invalid_fields) first).
    pub fn into_customer(self, id: String, now: &str) -> Customer {
        Customer {
            object_reference_id: self.object_reference_id.unwrap_or_default(),
            object: "customer".into(),
            mobile_number: self.mobile_number,
            mobile_country_code: self.mobile_country_code,
            last_updated: now.into(),
            last_name: self.last_name,
            id,
            first_name: self.first_name,
            email_address: self.email_address,
            date_created: now.into(),
        }
    }

    /// Applies an update: given fields replace the stored ones; the object_reference_id and id
    /// never change.
    pub fn apply_to(self, customer: &mut Customer, now: &str) {
        let replace = |slot: &mut Option<String>, value: Option<String>| {
            if value.is_some() {
                *slot = value;
            }
        };
        replace(&mut customer.mobile_number, self.mobile_number);
        replace(&mut customer.mobile_country_code, self.mobile_country_code);
        replace(&mut customer.email_address, self.email_address);
        replace(&mut customer.first_name, self.first_name);
        replace(&mut customer.last_name, self.last_name);
        customer.last_updated = now.into();
    }
}

/// The merchant's id for a customer: also a path segment of Get Customer, so the same 1..=300
/// characters. (Some of Juspay's pages ask for at least 8; the emulator does not, so short
/// ids such as `a/b` can be tried.)
fn valid_reference(v: &str) -> bool {
    let chars = v.chars().count();
    (1..=300).contains(&chars) && !v.chars().any(char::is_control)
}

/// Digits only, without `+` or country code, as Juspay asks.
fn valid_mobile(v: &str) -> bool {
    (4..=15).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit())
}

/// Digits only, "no need to prefix +".
fn valid_country_code(v: &str) -> bool {
    (1..=4).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit())
}

/// Juspay's rule: letters, digits and ``!#$%&'*+-/=?^_.{|}~` `` with one `@`; `_` and `.` may
/// not start or end the local part.
fn valid_email(v: &str) -> bool {
    const SPECIAL: &str = "!#$%&'*+-/=?^_.{|}~`";
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    let allowed = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || SPECIAL.contains(c))
    };
    let edge = |c: Option<char>| matches!(c, Some('_' | '.'));
    v.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && allowed(local)
        && allowed(domain)
        && !edge(local.chars().next())
        && !edge(local.chars().last())
}

/// Juspay allows letters, digits and `().-_`; the emulator also allows spaces, which real names
/// ("Wei Ling") need.
fn valid_name(v: &str) -> bool {
    let chars = v.chars().count();
    (1..=255).contains(&chars)
        && v.chars()
            .all(|c| c.is_alphanumeric() || " ().-_".contains(c))
}

/// Now, as Juspay writes dates: `2020-03-17T14:29:17Z`.
pub(crate) fn timestamp(at: SystemTime) -> String {
    humantime::format_rfc3339_seconds(at).to_string()
}

/// A customer in a seed file: the 200 body's fields; `id` (generated when absent), `object` and
/// the dates may be left out.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedCustomer {
    object_reference_id: String,
    #[serde(default)]
    object: Option<String>,
    #[serde(default)]
    mobile_number: Option<String>,
    #[serde(default)]
    mobile_country_code: Option<String>,
    #[serde(default)]
    last_updated: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    email_address: Option<String>,
    #[serde(default)]
    date_created: Option<String>,
}

/// Reads a seed file: a JSON array of customers in the shape Get Customer returns. Each is
/// checked with the rules of `POST /customers` (except that `mobile_number` may be absent).
pub fn load_seed(path: &Path) -> Result<Vec<Customer>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_seed(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub(crate) fn parse_seed(text: &str) -> Result<Vec<Customer>, String> {
    let seeds: Vec<SeedCustomer> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let now = timestamp(SystemTime::now());
    seeds
        .into_iter()
        .enumerate()
        .map(|(i, seed)| {
            if seed.object.as_deref().is_some_and(|o| o != "customer") {
                return Err(format!("customer {i}: object must be \"customer\""));
            }
            let fields = CustomerFields {
                object_reference_id: Some(seed.object_reference_id),
                mobile_number: seed.mobile_number,
                mobile_country_code: seed.mobile_country_code,
                email_address: seed.email_address,
                first_name: seed.first_name,
                last_name: seed.last_name,
                wants_client_auth_token: false,
            };
            let invalid = fields.invalid_fields(false);
            if let Some(field) = invalid.first() {
                return Err(format!("customer {i}: invalid {field}"));
            }
            let id = match seed.id {
                Some(id) if valid_reference(&id) => id,
                Some(_) => return Err(format!("customer {i}: invalid id")),
                None => new_customer_id(),
            };
            let mut customer = fields.into_customer(id, &now);
            if let Some(created) = seed.date_created {
                customer.date_created = created;
            }
            customer.last_updated = seed
                .last_updated
                .unwrap_or_else(|| customer.date_created.clone());
            Ok(customer)
        })
        .collect()
}

/// A fresh Juspay-style id: `cst_` and 16 lowercase letters and digits.
pub(crate) fn new_customer_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let tail: String = (0..16)
        .map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char)
        .collect();
    format!("cst_{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_are_checked_with_juspays_rules() {
        let fields = CustomerFields::from_form(
            b"object_reference_id=ref-1&mobile_number=9876543210&email_address=a.b%2Bc%40example.com&first_name=Wei+Ling&last_name=Tan&mobile_country_code=65",
        );
        assert!(fields.invalid_fields(true).is_empty());
        assert_eq!(fields.email_address.as_deref(), Some("a.b+c@example.com"));

        let fields = CustomerFields::from_form(
            b"object_reference_id=&mobile_number=-1&email_address=.a%40example.com&first_name=R2%3CD2",
        );
        assert_eq!(
            fields.invalid_fields(true),
            [
                "object_reference_id",
                "mobile_number",
                "email_address",
                "first_name"
            ]
        );
        assert_eq!(
            CustomerFields::from_form(b"first_name=Ann").invalid_fields(true),
            ["object_reference_id", "mobile_number"]
        );
        assert!(CustomerFields::from_form(b"first_name=Ann")
            .invalid_fields(false)
            .is_empty());
    }

    #[test]
    fn emails_follow_the_documented_rule() {
        for ok in ["test@juspay.in", "a_b@x.co", "o'neil+tag@example.com"] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "", "plain", "_a@x.co", "a.@x.co", "a@x", "a@.x.co", "a b@x.co", "a@b@x.co",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn debug_redacts_email_and_mobile() {
        let c = &parse_seed(
            r#"[{"object_reference_id":"r1","email_address":"jane@example.com","mobile_number":"98765432"}]"#,
        )
        .unwrap()[0];
        let shown = format!("{c:?}");
        assert!(!shown.contains("jane@example.com") && !shown.contains("98765432"));
        assert!(shown.contains("[redacted]") && shown.contains("r1"));
    }

    #[test]
    fn seeds_get_ids_and_dates_and_bad_seeds_are_refused() {
        let c = &parse_seed(r#"[{"object_reference_id":"r1"}]"#).unwrap()[0];
        assert!(c.id.starts_with("cst_") && c.id.len() == 20, "{}", c.id);
        assert_eq!(c.date_created, c.last_updated);
        assert_eq!(c.object, "customer");
        assert_eq!(
            parse_seed(r#"[{"object_reference_id":"r1","mobile_number":"12x"}]"#).unwrap_err(),
            "customer 0: invalid mobile_number"
        );
        assert!(
            parse_seed(r#"[{"object_reference_id":"r1","nickname":"x"}]"#)
                .unwrap_err()
                .contains("unknown field")
        );
    }
}
