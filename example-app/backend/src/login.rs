//! The demo sign-in: where the merchant's real login plugs in.
//!
//! `POST /auth/device-token` must answer only a caller who has proved who they are. In this demo
//! the caller just names a user, so anyone can get a token for anyone: that is why the route is
//! on by default only with the embedded emulator (DEMO_SIGN_IN turns it on or off). A real
//! backend replaces [`authenticate`] with its own check (its session cookie, an OAuth access
//! token, ...) and returns the user from its own database; everything after it (get-or-create at
//! Juspay, the identity check, the token) stays as it is.

use std::fmt;

use serde::Deserialize;

use crate::errors::ApiError;

/// The merchant's signed-in user: what the backend knows about them, not what the device says.
pub struct MerchantUser {
    /// The merchant's own id for the user: Juspay's `object_reference_id` of their customer.
    pub id: String,
    /// Juspay's id (`cst_…`) of their customer, when the merchant stored it after creating it.
    pub juspay_customer_id: Option<String>,
    /// What Create Customer is given when Juspay does not know the user yet.
    pub profile: Profile,
}

/// The fields Juspay's Create Customer takes besides `object_reference_id`. Juspay requires
/// `mobile_number`; the others may be left out.
#[derive(Default)]
pub struct Profile {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Personal data: never log it.
    pub email_address: Option<String>,
    /// Personal data: never log it.
    pub mobile_number: Option<String>,
    pub mobile_country_code: Option<String>,
}

impl MerchantUser {
    /// The id to ask Juspay for: the stored Juspay id if there is one, else the merchant's.
    pub fn lookup_id(&self) -> &str {
        self.juspay_customer_id.as_deref().unwrap_or(&self.id)
    }

    /// Whether Juspay's customer is this user's: its `object_reference_id` is the merchant's id,
    /// or its `id` is the Juspay id the merchant stored. Juspay reads `GET /customers/{x}` as
    /// either id, so a user whose merchant id looks like someone else's `cst_` id would otherwise
    /// be answered with that other customer.
    pub fn owns(&self, customer: &juspay_customer::Customer) -> bool {
        customer.object_reference_id.as_deref() == Some(self.id.as_str())
            || self.juspay_customer_id.as_deref() == Some(customer.id.as_str())
    }
}

/// Shows the ids, never the profile (it holds personal data).
impl fmt::Debug for MerchantUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MerchantUser")
            .field("id", &self.id)
            .field("juspay_customer_id", &self.juspay_customer_id)
            .finish_non_exhaustive()
    }
}

/// The demo's sign-in body. `customer_id` is the short form the example app sends: a Juspay id
/// (`cst_…`) stands for a user whose Juspay id the merchant stored, anything else for the
/// merchant's own user id. `user_id` (with `juspay_customer_id` and profile fields) says it
/// explicitly.
/// The demo sign-in's body: `customer_id` alone, or `user_id` with the optional rest.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DemoSignIn {
    customer_id: Option<String>,
    user_id: Option<String>,
    juspay_customer_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    email_address: Option<String>,
    mobile_number: Option<String>,
    mobile_country_code: Option<String>,
}

const USAGE: &str = "Send {\"customer_id\": \"<Juspay id or object_reference_id>\"}, or \
    {\"user_id\": \"<object_reference_id>\"} with optional juspay_customer_id, first_name, \
    last_name, email_address, mobile_number and mobile_country_code.";

/// Demo only: trusts the user named in the body. Replace with the merchant's login.
pub fn authenticate(body: &[u8]) -> Result<MerchantUser, ApiError> {
    let invalid = || ApiError::InvalidRequest(USAGE.into());
    let request: DemoSignIn = serde_json::from_slice(body).map_err(|_| invalid())?;
    let profile = Profile {
        first_name: request.first_name,
        last_name: request.last_name,
        email_address: request.email_address,
        mobile_number: request.mobile_number,
        mobile_country_code: request.mobile_country_code,
    };
    match (request.customer_id, request.user_id) {
        (Some(id), None) if request.juspay_customer_id.is_none() => Ok(MerchantUser {
            juspay_customer_id: id.starts_with("cst_").then(|| id.clone()),
            id,
            profile,
        }),
        (None, Some(id)) => Ok(MerchantUser {
            id,
            juspay_customer_id: request.juspay_customer_id,
            profile,
        }),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(id: &str, reference: Option<&str>) -> juspay_customer::Customer {
        let mut c: juspay_customer::Customer =
            serde_json::from_value(serde_json::json!({ "id": id })).unwrap();
        c.object_reference_id = reference.map(str::to_owned);
        c
    }

    #[test]
    fn a_user_owns_the_customer_with_its_id_or_its_stored_juspay_id() {
        let user = authenticate(br#"{"user_id":"cst_a"}"#).unwrap();
        assert!(user.juspay_customer_id.is_none());
        // Juspay answers GET /customers/cst_a with the customer whose id is cst_a: not this
        // user's, whose object_reference_id is cst_a.
        assert!(!user.owns(&customer("cst_a", Some("user-9"))));
        assert!(user.owns(&customer("cst_b", Some("cst_a"))));

        let stored = authenticate(br#"{"customer_id":"cst_a"}"#).unwrap();
        assert_eq!(stored.lookup_id(), "cst_a");
        assert!(stored.owns(&customer("cst_a", Some("user-9"))));
        assert!(!stored.owns(&customer("cst_b", None)));
    }

    #[test]
    fn the_body_names_one_user() {
        for bad in [
            &br#"{}"#[..],
            br#"{"customer_id":"a","user_id":"b"}"#,
            br#"{"customer_id":"a","juspay_customer_id":"cst_b"}"#,
            br#"{"customer_id":"a","password":"x"}"#,
            b"customer_id=a",
        ] {
            assert!(
                authenticate(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let user =
            authenticate(br#"{"user_id":"u-1","mobile_number":"9876543210","first_name":"A"}"#)
                .unwrap();
        assert_eq!(user.profile.mobile_number.as_deref(), Some("9876543210"));
        assert!(!format!("{user:?}").contains("9876543210"));
    }
}
