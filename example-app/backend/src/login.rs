//! The demo sign-in: where the merchant's real login plugs in.
//!
//! `POST /auth/device-token` must answer only a caller who has proved who they are. In this demo
//! the caller just names a customer (`{"customer_id": "…"}`, either id form), so anyone can get a
//! token for anyone: that is why the route is on by default only with the embedded emulator
//! (DEMO_SIGN_IN turns it on or off). A real backend replaces [`authenticate`] with its own
//! check (its session cookie, an OAuth access token, ...) and returns the customer id it keeps
//! for that user; everything after it (the Juspay lookup, the token) stays as it is.

use serde::Deserialize;

use crate::errors::ApiError;

/// Who signed in: the Juspay customer (id or object_reference_id) they may look up.
pub struct SignedIn {
    pub customer_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoSignIn {
    customer_id: String,
}

/// Demo only: trusts the customer id in the body. Replace with the merchant's login.
pub fn authenticate(body: &[u8]) -> Result<SignedIn, ApiError> {
    let request: DemoSignIn = serde_json::from_slice(body).map_err(|_| {
        ApiError::InvalidRequest(
            "Send {\"customer_id\": \"<Juspay id or object_reference_id>\"}.".into(),
        )
    })?;
    Ok(SignedIn {
        customer_id: request.customer_id,
    })
}
