//! What a caller may ask of one lookup beyond the customer id.

/// Options of one lookup. `LookupOptions::default()` (Kotlin `LookupOptions()`, Swift
/// `LookupOptions()`) asks for nothing more than the customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct LookupOptions {
    /// Ask for Juspay's client auth token (sent as `?options.get_client_auth_token=true`): the
    /// customer then has `juspay` with the token Juspay's client SDK authenticates with, and an
    /// answer without a usable token is INVALID_RESPONSE. Without it, `juspay` is `None`.
    #[uniffi(default = false)]
    pub client_auth_token: bool,
}

/// The query that asks Juspay for a client auth token, as Juspay documents it.
pub const CLIENT_AUTH_TOKEN_QUERY: &str = "options.get_client_auth_token=true";
