//! Device tokens: short-lived, naming one customer, signed with the backend's secret.
//!
//! A token is a standard JWT (HS256, made by the `jsonwebtoken` crate), so other
//! services of the merchant can check it with any JWT library:
//!
//! ```text
//! header: {"typ":"JWT","alg":"HS256","kid":"<key id>"}
//! claims: {"sub":"cst_…","object_reference_id":"…","aud":"juspay-customer-lookup","iat":…,"exp":…}
//! ```
//!
//! The customer is named both ways: `sub` is Juspay's id and `object_reference_id` the merchant's,
//! both taken from Juspay's answer at sign-in, so a device may ask by either.
//!
//! `kid` names the secret that signed it (a hash of the secret, the same on every instance with
//! that secret), so an instance that accepts two secrets during a rotation (TOKEN_SECRET and
//! TOKEN_SECRET_PREVIOUS) knows which one to check, and never tries a token against both.
//!
//! Verification refuses anything over [`MAX_TOKEN_LEN`] before decoding it, accepts exactly the
//! header above (one algorithm: no `alg` choice for an attacker, no `jku`/`jwk`/`x5u` to follow),
//! checks the signature (the `hmac` crate's constant-time comparison) before reading the claims,
//! then the audience, and the expiry against the given clock.
//!
//! It runs on every lookup, so it does the least work that checks all of that: a header as this
//! backend issues it is recognised by its bytes (anything else is decoded and compared field by
//! field, as `jsonwebtoken` reads it), the HMAC starts from a keyed state made once per key, and
//! the claims are read once, straight into [`Claims`]. `jsonwebtoken::decode` made the same
//! checks in 2.3 times the instructions (65k against 29k per token under callgrind; it decodes
//! the header twice, keys a new HMAC and reads the claims twice); a property test holds this to
//! its answers.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use juspay_customer::Customer;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The only algorithm issued or accepted.
const ALGORITHM: Algorithm = Algorithm::HS256;
/// Keeps tokens for other purposes signed with the same secret from passing as device tokens.
pub const AUDIENCE: &str = "juspay-customer-lookup";
/// Anything longer is not one of ours; refused before any work. Our own tokens stay under it for
/// any customer Juspay can have: both ids at Juspay's 300 characters, each escaped to six bytes
/// of JSON (`\u0001`), make about 5,000 bytes of token. (4,096 was too small for that: the
/// `device_token` fuzz target found a token the backend issued and then refused.)
pub const MAX_TOKEN_LEN: usize = 8192;
/// Shortest secret accepted: HMAC-SHA256 wants at least 256 bits of key.
pub const MIN_SECRET_LEN: usize = 32;
/// Characters of the key id: 96 bits of a hash of the secret, enough to tell secrets apart and
/// nothing to learn the secret from.
const KID_LEN: usize = 16;

/// One signing secret and its key id. `Debug` never shows the secret.
#[derive(Clone)]
pub struct TokenKey {
    kid: String,
    encoding: EncodingKey,
    /// HMAC-SHA256 keyed with the secret, cloned for each token checked.
    mac: Hmac<Sha256>,
    /// The first part of every token this key issues: the header, encoded.
    encoded_header: String,
}

impl TokenKey {
    /// A key from a configured secret (at least [`MIN_SECRET_LEN`] bytes).
    pub fn new(secret: &[u8]) -> Result<Self, String> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(format!(
                "TOKEN_SECRET must be at least {MIN_SECRET_LEN} bytes, got {}",
                secret.len()
            ));
        }
        Ok(Self::from_secret(secret))
    }

    /// A random key for this process only.
    pub fn random() -> Self {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).expect("the operating system has a random source");
        Self::from_secret(&secret)
    }

    fn from_secret(secret: &[u8]) -> Self {
        // Domain-separated, so the id is no HMAC or hash anyone else computes with the secret.
        let digest = Sha256::new()
            .chain_update(b"merchant-backend token key id\0")
            .chain_update(secret)
            .finalize();
        let mut kid = URL_SAFE_NO_PAD.encode(digest);
        kid.truncate(KID_LEN);
        let encoding = EncodingKey::from_secret(secret);
        // Taken from a token the library signs, so it is byte for byte what `issue` sends.
        let sample = jsonwebtoken::encode(&header(&kid), &serde_json::json!({}), &encoding)
            .expect("an HMAC key signs any claims");
        let encoded_header = sample.split('.').next().unwrap_or_default().to_owned();
        Self {
            kid,
            encoding,
            mac: Hmac::new_from_slice(secret).expect("HMAC takes a key of any length"),
            encoded_header,
        }
    }

    /// The key id tokens signed with this key carry in their header.
    pub fn kid(&self) -> &str {
        &self.kid
    }
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenKey({}, [redacted])", self.kid)
    }
}

/// The keys an instance checks tokens with: the one it signs with (TOKEN_SECRET) and, during a
/// rotation, the one it signed with before (TOKEN_SECRET_PREVIOUS), accepted until its tokens
/// expire.
#[derive(Debug, Clone)]
pub struct TokenKeys {
    signing: TokenKey,
    previous: Option<TokenKey>,
}

impl TokenKeys {
    pub fn new(signing: TokenKey, previous: Option<TokenKey>) -> Result<Self, String> {
        if previous.as_ref().is_some_and(|p| p.kid == signing.kid) {
            return Err("TOKEN_SECRET_PREVIOUS is the same secret as TOKEN_SECRET".into());
        }
        Ok(Self { signing, previous })
    }

    /// The key new tokens are signed with.
    pub fn signing(&self) -> &TokenKey {
        &self.signing
    }

    /// The signing key, then the previous one.
    fn all(&self) -> impl Iterator<Item = &TokenKey> {
        std::iter::once(&self.signing).chain(&self.previous)
    }

    fn by_encoded_header(&self, encoded: &str) -> Option<&TokenKey> {
        self.all().find(|key| key.encoded_header == encoded)
    }

    fn by_kid(&self, kid: &str) -> Option<&TokenKey> {
        self.all().find(|key| key.kid == kid)
    }
}

impl From<TokenKey> for TokenKeys {
    fn from(signing: TokenKey) -> Self {
        Self {
            signing,
            previous: None,
        }
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
/// developer message and the refusal metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Too long, not a JWT, not exactly our header, or claims that do not parse.
    Malformed,
    /// Our header, but a `kid` this instance has no key for: signed with a secret it was never
    /// given, or one rotated out.
    UnknownKey,
    /// The signature does not match: tampered, or forged with a copied `kid`.
    BadSignature,
    /// For another audience.
    WrongAudience,
    Expired,
}

impl TokenError {
    /// A short name, for logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::UnknownKey => "unknown_key",
            Self::BadSignature => "bad_signature",
            Self::WrongAudience => "wrong_audience",
            Self::Expired => "expired",
        }
    }
}

/// The header of every token signed with the key `kid` names.
fn header(kid: &str) -> Header {
    Header {
        kid: Some(kid.to_owned()),
        ..Header::new(ALGORITHM)
    }
}

/// Signs `claims` into a token with `key`.
pub fn issue(key: &TokenKey, claims: &Claims) -> String {
    jsonwebtoken::encode(&header(&key.kid), claims, &key.encoding)
        .expect("an HMAC key signs any claims")
}

/// Checks `token` against `keys` at `now` and returns its claims.
pub fn verify(keys: &TokenKeys, token: &str, now: SystemTime) -> Result<Claims, TokenError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let key = match keys.by_encoded_header(header) {
        Some(key) => key,
        None => key_of_decoded_header(keys, header)?,
    };
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenError::Malformed)?;
    let mut mac = key.mac.clone();
    mac.update(&token.as_bytes()[..header.len() + 1 + payload.len()]);
    mac.verify_slice(&signature)
        .map_err(|_| TokenError::BadSignature)?;
    // Only now, with the signature checked, are the claims read.
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

/// The key for a header that is not byte for byte one this backend issues: it must still decode
/// to exactly our header, field by field, and name a key this instance has.
fn key_of_decoded_header<'k>(
    keys: &'k TokenKeys,
    encoded: &str,
) -> Result<&'k TokenKey, TokenError> {
    let json = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| TokenError::Malformed)?;
    let presented: Header = serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)?;
    let kid = presented.kid.as_deref().ok_or(TokenError::Malformed)?;
    let key = keys.by_kid(kid).ok_or(TokenError::UnknownKey)?;
    // Exactly the header we issue: any other field (a `jku` to fetch, a `crit` to honour, ...)
    // is not ours.
    if presented != header(&key.kid) {
        return Err(TokenError::Malformed);
    }
    Ok(key)
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

    fn keys(byte: u8) -> TokenKeys {
        key(byte).into()
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

    fn b64(json: &serde_json::Value) -> String {
        URL_SAFE_NO_PAD.encode(json.to_string())
    }

    /// A token with any header and claims, signed with `key`'s secret.
    fn signed(key: &TokenKey, header: &serde_json::Value, claims: &serde_json::Value) -> String {
        let input = format!("{}.{}", b64(header), b64(claims));
        let signature =
            jsonwebtoken::crypto::sign(input.as_bytes(), &key.encoding, ALGORITHM).unwrap();
        format!("{input}.{signature}")
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
        assert_eq!(verify(&keys(1), &token, now), Ok(claims));
    }

    #[test]
    fn a_token_round_trips_until_it_expires_with_exactly_our_header() {
        let now = SystemTime::now();
        let token = issue(&key(1), &claims(now));
        let header = URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&header).unwrap(),
            serde_json::json!({"typ": "JWT", "alg": "HS256", "kid": key(1).kid()})
        );
        assert_eq!(key(1).kid().len(), KID_LEN);
        assert_ne!(key(1).kid(), key(2).kid());
        assert_eq!(verify(&keys(1), &token, now), Ok(claims(now)));
        let almost = now + Duration::from_secs(899);
        assert!(verify(&keys(1), &token, almost).is_ok());
        let expired = now + Duration::from_secs(900);
        assert_eq!(verify(&keys(1), &token, expired), Err(TokenError::Expired));
    }

    #[test]
    fn tampering_other_keys_other_headers_and_other_shapes_are_refused() {
        let now = SystemTime::now();
        let token = issue(&key(1), &claims(now));
        assert_eq!(verify(&keys(2), &token, now), Err(TokenError::UnknownKey));

        // Someone else's customer in the claims, the header and signature kept.
        let mut parts = token.split('.');
        let (header, _, signature) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let mut other = claims(now);
        other.sub = "cst_k3w8n1c5r7d2f6gb".into();
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&other).unwrap());
        let forged = format!("{header}.{forged_payload}.{signature}");
        assert_eq!(
            verify(&keys(1), &forged, now),
            Err(TokenError::BadSignature)
        );

        // Key 1's kid copied onto a token signed with another secret.
        let claims_json = serde_json::to_value(claims(now)).unwrap();
        let ours = serde_json::json!({"typ": "JWT", "alg": "HS256", "kid": key(1).kid()});
        let copied_kid = signed(&key(2), &ours, &claims_json);
        assert_eq!(
            verify(&keys(1), &copied_kid, now),
            Err(TokenError::BadSignature)
        );
        assert!(verify(&keys(1), &signed(&key(1), &ours, &claims_json), now).is_ok());

        // Signed with the right secret, but not exactly our header: refused all the same.
        for header in [
            serde_json::json!({"typ": "JWT", "alg": "HS256"}),
            serde_json::json!({"alg": "HS256", "kid": key(1).kid()}),
            serde_json::json!({"typ": "JWT", "alg": "HS512", "kid": key(1).kid()}),
            serde_json::json!({"typ": "JWT", "alg": "HS256", "kid": key(1).kid(), "jku": "https://evil.example/keys"}),
            serde_json::json!({"typ": "JWT", "alg": "HS256", "kid": key(1).kid(), "x": "y"}),
        ] {
            let token = signed(&key(1), &header, &claims_json);
            assert_eq!(
                verify(&keys(1), &token, now),
                Err(TokenError::Malformed),
                "{header}"
            );
        }

        // alg "none" with no signature.
        let none = format!(
            "{}.{}.",
            b64(&serde_json::json!({"alg": "none", "typ": "JWT", "kid": key(1).kid()})),
            forged_payload
        );
        assert_eq!(verify(&keys(1), &none, now), Err(TokenError::Malformed));

        for junk in [
            "",
            "a.b",
            "a.b.c.d",
            &format!("{header}.!!.x"),
            &format!("{header}.{forged_payload}.{signature}.{signature}"),
            &"a".repeat(5000),
        ] {
            assert!(verify(&keys(1), junk, now).is_err(), "{junk}");
        }

        // Properly signed but over the size limit: refused before decoding.
        let huge = Claims {
            sub: "x".repeat(MAX_TOKEN_LEN),
            ..claims(now)
        };
        assert_eq!(
            verify(&keys(1), &issue(&key(1), &huge), now),
            Err(TokenError::Malformed)
        );

        let mut foreign = claims(now);
        foreign.aud = "another-service".into();
        assert_eq!(
            verify(&keys(1), &issue(&key(1), &foreign), now),
            Err(TokenError::WrongAudience)
        );
        let mut no_exp = claims_json.clone();
        no_exp.as_object_mut().unwrap().remove("exp");
        assert_eq!(
            verify(&keys(1), &signed(&key(1), &ours, &no_exp), now),
            Err(TokenError::Malformed)
        );
    }

    #[test]
    fn a_rotation_keeps_old_tokens_until_they_expire_and_new_ones_work_everywhere() {
        let now = SystemTime::now();
        let (old, new) = (key(1), key(2));
        // Step 1: every instance learns the new secret but still signs with the old one.
        let learning = TokenKeys::new(old.clone(), Some(new.clone())).unwrap();
        // Step 2: instances switch to signing with the new one, the old one kept.
        let rotated = TokenKeys::new(new.clone(), Some(old.clone())).unwrap();
        // Step 3, a TOKEN_TTL later: the old one dropped.
        let done = TokenKeys::from(new.clone());

        let before = issue(learning.signing(), &claims(now));
        let after = issue(rotated.signing(), &claims(now));
        for keys in [&learning, &rotated] {
            assert_eq!(verify(keys, &before, now), Ok(claims(now)));
        }
        for keys in [&learning, &rotated, &done] {
            assert_eq!(verify(keys, &after, now), Ok(claims(now)));
        }
        assert_eq!(verify(&done, &before, now), Err(TokenError::UnknownKey));
        assert_eq!(
            verify(&rotated, &before, now + Duration::from_secs(900)),
            Err(TokenError::Expired)
        );
        assert_eq!(
            TokenKeys::new(key(3), Some(key(3))).unwrap_err(),
            "TOKEN_SECRET_PREVIOUS is the same secret as TOKEN_SECRET"
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
        let key = TokenKey::new(&[b'z'; 40]).unwrap();
        for shown in [
            format!("{key:?}"),
            format!(
                "{:?}",
                TokenKeys::new(key.clone(), Some(TokenKey::random()))
            ),
        ] {
            assert!(
                !shown.contains("zzz") && !shown.contains("122, 122"),
                "{shown}"
            );
            assert!(shown.contains(key.kid()), "{shown}");
        }
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
        let keys = TokenKeys::from(key);
        assert!(verify(&keys, &token, late + Duration::from_millis(999)).is_ok());
        assert_eq!(
            verify(&keys, &token, UNIX_EPOCH + Duration::from_secs(1_002)),
            Err(TokenError::Expired)
        );
    }

    /// The checks as `jsonwebtoken::decode` made them before `verify` made them itself: the
    /// oracle `verify` is held to. `secrets` are the secrets of `keys`, in any order.
    fn verify_with_jsonwebtoken(
        keys: &TokenKeys,
        secrets: &[&[u8]],
        token: &str,
        now: SystemTime,
    ) -> Result<Claims, TokenError> {
        use jsonwebtoken::errors::ErrorKind;
        use jsonwebtoken::{DecodingKey, Validation};
        if token.len() > MAX_TOKEN_LEN {
            return Err(TokenError::Malformed);
        }
        let presented = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        let kid = presented.kid.as_deref().ok_or(TokenError::Malformed)?;
        let key = keys.by_kid(kid).ok_or(TokenError::UnknownKey)?;
        if presented != header(&key.kid) {
            return Err(TokenError::Malformed);
        }
        let secret = secrets
            .iter()
            .find(|s| TokenKey::new(s).unwrap().kid == key.kid)
            .expect("the secret of every key");
        let mut validation = Validation::new(ALGORITHM);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["sub", "aud", "exp"]);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.leeway = 0;
        let claims =
            jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
                .map_err(|e| match e.kind() {
                    ErrorKind::InvalidSignature => TokenError::BadSignature,
                    ErrorKind::InvalidAudience => TokenError::WrongAudience,
                    _ => TokenError::Malformed,
                })?
                .claims;
        if unix_seconds(now) >= claims.exp {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }

    /// Claims as JSON, well formed or not: what a token signed with the right secret can carry.
    fn any_claims() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let text = || prop_oneof![Just(AUDIENCE.to_owned()), "[a-z_\\\\\"\u{1}-\u{7f}é]{0,12}"];
        let field = |name: &'static str, value: BoxedStrategy<serde_json::Value>| {
            proptest::option::weighted(0.9, value).prop_map(move |v| (name, v))
        };
        let number = || {
            prop_oneof![
                (0u64..4_000_000_000).prop_map(serde_json::Value::from),
                Just(serde_json::json!(-1)),
                Just(serde_json::json!(1.5)),
                Just(serde_json::json!(u64::MAX)),
            ]
            .boxed()
        };
        let string_or_other = move || {
            prop_oneof![
                4 => text().prop_map(serde_json::Value::from),
                1 => Just(serde_json::json!(null)),
                1 => Just(serde_json::json!(7)),
                1 => Just(serde_json::json!([AUDIENCE])),
            ]
            .boxed()
        };
        (
            field("sub", string_or_other()),
            field("object_reference_id", string_or_other()),
            field("aud", string_or_other()),
            field("iat", number()),
            field("exp", number()),
            proptest::option::of(text()),
        )
            .prop_map(|fields| {
                let (sub, reference, aud, iat, exp, extra) = fields;
                let mut map = serde_json::Map::new();
                for (name, value) in [sub, reference, aud, iat, exp] {
                    if let Some(value) = value {
                        map.insert(name.to_owned(), value);
                    }
                }
                if let Some(extra) = extra {
                    map.insert("extra".to_owned(), extra.into());
                }
                serde_json::Value::Object(map)
            })
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]

        /// Any token: signed with either key or a foreign one, under our header or another, with
        /// any claims, then perhaps damaged at one byte or cut short; at any clock. `verify`
        /// answers exactly as `jsonwebtoken::decode` did, on an instance with one key and on one
        /// in a rotation.
        #[test]
        fn verify_answers_as_jsonwebtoken_did(
            signer in 1u8..=3,
            header_kind in 0usize..5,
            claims in any_claims(),
            damage in proptest::option::weighted(0.3, (proptest::num::usize::ANY, 0u8..128)),
            cut in proptest::option::weighted(0.1, proptest::num::usize::ANY),
            now_secs in 0u64..4_000_000_000,
        ) {
            let signing = key(signer);
            let kid = signing.kid().to_owned();
            let header = match header_kind {
                // As issued: the fast path.
                0 | 1 => None,
                2 => Some(serde_json::json!({"alg": "HS256", "kid": kid, "typ": "JWT"})),
                3 => Some(serde_json::json!({"typ": "JWT", "alg": "HS256", "kid": key(1).kid()})),
                _ => Some(serde_json::json!({"typ": "JWT", "alg": "HS256", "kid": kid, "cty": "x"})),
            };
            let mut token = match header {
                None => {
                    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
                    let input = format!("{}.{payload}", signing.encoded_header);
                    let signature =
                        jsonwebtoken::crypto::sign(input.as_bytes(), &signing.encoding, ALGORITHM).unwrap();
                    format!("{input}.{signature}")
                }
                Some(header) => signed(&signing, &header, &claims),
            }
            .into_bytes();
            if let Some((at, byte)) = damage {
                let at = at % token.len();
                token[at] = byte;
            }
            if let Some(cut) = cut {
                token.truncate(cut % (token.len() + 1));
            }
            let token = String::from_utf8_lossy(&token).into_owned();
            let now = UNIX_EPOCH + Duration::from_secs(now_secs);
            let one = keys(1);
            let rotation = TokenKeys::new(key(2), Some(key(1))).unwrap();
            let secrets: [&[u8]; 2] = [&[1; 32], &[2; 32]];
            for keys in [&one, &rotation] {
                proptest::prop_assert_eq!(
                    verify(keys, &token, now),
                    verify_with_jsonwebtoken(keys, &secrets, &token, now),
                    "{}", token
                );
            }
        }
    }
}
