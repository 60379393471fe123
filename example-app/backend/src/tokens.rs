//! Device tokens: short-lived, naming one customer, signed with the backend's secret.
//!
//! A token is a standard JWT (HS256), so other services of the merchant can check it with any
//! JWT library:
//!
//! ```text
//! base64url({"alg":"HS256","typ":"JWT"}) . base64url(claims) . base64url(HMAC-SHA256(secret, first two parts))
//! claims: {"sub":"cst_…","object_reference_id":"…","aud":"juspay-customer-lookup","iat":…,"exp":…}
//! ```
//!
//! The customer is named both ways: `sub` is Juspay's id and `object_reference_id` the merchant's,
//! both taken from Juspay's answer at sign-in, so a device may ask by either. Verification
//! accepts exactly this header (no `alg` choice for an attacker), checks the signature in
//! constant time before reading the claims, then the audience and the expiry.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use juspay_customer::Customer;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// `base64url({"alg":"HS256","typ":"JWT"})`: the only header issued or accepted.
const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
/// Keeps tokens for other purposes signed with the same secret from passing as device tokens.
pub const AUDIENCE: &str = "juspay-customer-lookup";
/// Anything longer is not one of ours; refused before any work. Our own tokens stay under it for
/// any customer Juspay can have: both ids at Juspay's 300 characters, each escaped to six bytes
/// of JSON (`\u0001`), make about 5,000 bytes of token. (4,096 was too small for that: the
/// `device_token` fuzz target found a token the backend issued and then refused.)
const MAX_TOKEN_LEN: usize = 8192;
/// Shortest secret accepted: HMAC-SHA256 wants at least 256 bits of key.
pub const MIN_SECRET_LEN: usize = 32;

/// The signing secret. `Debug` never shows it.
#[derive(Clone)]
pub struct TokenKey(Vec<u8>);

impl TokenKey {
    /// A key from the configured secret (at least [`MIN_SECRET_LEN`] bytes).
    pub fn new(secret: &[u8]) -> Result<Self, String> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(format!(
                "TOKEN_SECRET must be at least {MIN_SECRET_LEN} bytes, got {}",
                secret.len()
            ));
        }
        Ok(Self(secret.to_vec()))
    }

    /// A random key for this process only.
    pub fn random() -> Self {
        let mut secret = vec![0u8; 32];
        getrandom::fill(&mut secret).expect("the operating system has a random source");
        Self(secret)
    }

    fn mac(&self) -> HmacSha256 {
        HmacSha256::new_from_slice(&self.0).expect("HMAC takes keys of any length")
    }
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenKey([redacted])")
    }
}

/// What a device token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Juspay's customer id (`cst_…`).
    pub sub: String,
    /// The merchant's id for the same customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_reference_id: Option<String>,
    pub aud: String,
    /// Issued at, seconds since the Unix epoch.
    pub iat: u64,
    /// Expires at, seconds since the Unix epoch.
    pub exp: u64,
}

impl Claims {
    /// Claims for `customer`, valid for at least `ttl` from `now`. `exp` is in whole seconds and
    /// rounded up: rounded down, a token issued late in a second would lose up to a second of its
    /// life (all of it with a TTL of one second).
    pub fn for_customer(customer: &Customer, now: SystemTime, ttl: Duration) -> Self {
        let until = (now + ttl.max(Duration::from_secs(1)))
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Self {
            sub: customer.id.clone(),
            object_reference_id: customer.object_reference_id.clone(),
            aud: AUDIENCE.into(),
            iat: unix_seconds(now),
            exp: until.as_secs() + u64::from(until.subsec_nanos() > 0),
        }
    }

    /// Whether `requested` (a path's customer id) is this token's customer, by either id.
    pub fn names(&self, requested: &str) -> bool {
        requested == self.sub || self.object_reference_id.as_deref() == Some(requested)
    }

    /// Whether Juspay's `customer` is this token's customer: its id and its
    /// object_reference_id must both agree.
    pub fn owns(&self, customer: &Customer) -> bool {
        customer.id == self.sub
            && (self.object_reference_id.is_none()
                || customer.object_reference_id == self.object_reference_id)
    }

    /// When it expires.
    pub fn expires_at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.exp)
    }
}

/// Why a token was refused. Callers answer all of them with 401; the kinds differ only in the
/// developer message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not three base64url parts with our header, or claims that do not parse.
    Malformed,
    /// The signature does not match: tampered, or signed with another secret.
    BadSignature,
    /// For another audience.
    WrongAudience,
    Expired,
}

/// Signs `claims` into a token.
pub fn issue(key: &TokenKey, claims: &Claims) -> String {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialise"));
    let signing_input = format!("{HEADER}.{payload}");
    let mut mac = key.mac();
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// Checks `token` and returns its claims.
pub fn verify(key: &TokenKey, token: &str, now: SystemTime) -> Result<Claims, TokenError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    if header != HEADER {
        return Err(TokenError::Malformed);
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenError::Malformed)?;
    let mut mac = key.mac();
    mac.update(header.as_bytes());
    mac.update(b".");
    mac.update(payload.as_bytes());
    mac.verify_slice(&signature)
        .map_err(|_| TokenError::BadSignature)?;
    let claims: Claims = URL_SAFE_NO_PAD
        .decode(payload)
        .ok()
        .and_then(|json| serde_json::from_slice(&json).ok())
        .ok_or(TokenError::Malformed)?;
    if claims.aud != AUDIENCE {
        return Err(TokenError::WrongAudience);
    }
    if unix_seconds(now) >= claims.exp {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

fn unix_seconds(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> TokenKey {
        TokenKey::new(&[byte; 32]).unwrap()
    }

    fn claims(now: SystemTime) -> Claims {
        Claims {
            sub: "cst_7hq2m9xk4v1p8zta".into(),
            object_reference_id: Some("customer-id-007".into()),
            aud: AUDIENCE.into(),
            iat: unix_seconds(now),
            exp: unix_seconds(now) + 900,
        }
    }

    #[test]
    fn a_token_for_the_longest_ids_juspay_allows_still_verifies() {
        let now = SystemTime::now();
        let worst = "\u{1}".repeat(300);
        let claims = Claims {
            sub: worst.clone(),
            object_reference_id: Some(worst),
            ..claims(now)
        };
        let token = issue(&key(1), &claims);
        assert!(
            token.len() > 4096 && token.len() <= MAX_TOKEN_LEN,
            "{}",
            token.len()
        );
        assert_eq!(verify(&key(1), &token, now), Ok(claims));
    }

    #[test]
    fn a_token_round_trips_until_it_expires() {
        let now = SystemTime::now();
        let token = issue(&key(1), &claims(now));
        assert!(token.starts_with("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));
        assert_eq!(verify(&key(1), &token, now), Ok(claims(now)));
        let almost = now + Duration::from_secs(899);
        assert!(verify(&key(1), &token, almost).is_ok());
        let expired = now + Duration::from_secs(900);
        assert_eq!(verify(&key(1), &token, expired), Err(TokenError::Expired));
    }

    #[test]
    fn tampering_another_key_and_other_shapes_are_refused() {
        let now = SystemTime::now();
        let token = issue(&key(1), &claims(now));
        assert_eq!(verify(&key(2), &token, now), Err(TokenError::BadSignature));

        // Someone else's customer in the claims, the signature kept.
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let mut other = claims(now);
        other.sub = "cst_k3w8n1c5r7d2f6gb".into();
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&other).unwrap());
        let forged = format!("{HEADER}.{forged_payload}.{signature}");
        assert_eq!(verify(&key(1), &forged, now), Err(TokenError::BadSignature));
        assert!(signing_input.starts_with(HEADER));

        // alg "none" with no signature.
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
            forged_payload
        );
        assert_eq!(verify(&key(1), &none, now), Err(TokenError::Malformed));

        for junk in [
            "",
            "a.b",
            "a.b.c.d",
            &format!("{HEADER}.!!.x"),
            &"a".repeat(5000),
        ] {
            assert!(verify(&key(1), junk, now).is_err(), "{junk}");
        }

        let mut foreign = claims(now);
        foreign.aud = "another-service".into();
        assert_eq!(
            verify(&key(1), &issue(&key(1), &foreign), now),
            Err(TokenError::WrongAudience)
        );
    }

    #[test]
    fn a_token_names_its_customer_by_either_id_and_owns_only_that_customer() {
        let c = claims(SystemTime::now());
        assert!(c.names("cst_7hq2m9xk4v1p8zta") && c.names("customer-id-007"));
        assert!(!c.names("cst_k3w8n1c5r7d2f6gb") && !c.names("user-10042"));

        let customer = |id: &str, reference: &str| -> Customer {
            serde_json::from_value(serde_json::json!({"id": id, "object_reference_id": reference}))
                .unwrap()
        };
        assert!(c.owns(&customer("cst_7hq2m9xk4v1p8zta", "customer-id-007")));
        assert!(!c.owns(&customer("cst_k3w8n1c5r7d2f6gb", "customer-id-007")));
        assert!(!c.owns(&customer("cst_7hq2m9xk4v1p8zta", "user-10042")));
    }

    #[test]
    fn short_secrets_are_refused_and_debug_hides_the_key() {
        assert_eq!(
            TokenKey::new(b"short").unwrap_err(),
            "TOKEN_SECRET must be at least 32 bytes, got 5"
        );
        let shown = format!("{:?}", TokenKey::new(&[b'z'; 40]).unwrap());
        assert!(!shown.contains("zzz"), "{shown}");
    }

    #[test]
    fn a_token_lives_at_least_its_ttl_even_when_issued_late_in_a_second() {
        let customer = Customer {
            id: "cst_1".into(),
            object: None,
            object_reference_id: Some("ref-1".into()),
            first_name: None,
            last_name: None,
            email_address: None,
            mobile_number: None,
            mobile_country_code: None,
            date_created: None,
            last_updated: None,
            juspay: None,
        };
        let late = UNIX_EPOCH + Duration::from_millis(1_000_999);
        let claims = Claims::for_customer(&customer, late, Duration::from_secs(1));
        assert_eq!((claims.iat, claims.exp), (1_000, 1_002));
        let key = key(1);
        let token = issue(&key, &claims);
        assert!(verify(&key, &token, late + Duration::from_millis(999)).is_ok());
        assert_eq!(
            verify(&key, &token, UNIX_EPOCH + Duration::from_secs(1_002)),
            Err(TokenError::Expired)
        );
    }
}
