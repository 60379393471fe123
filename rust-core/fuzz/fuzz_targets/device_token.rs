//! Any string as a device token presented to the reference backend: verification never panics
//! and refuses everything not signed with the backend's key. A token the backend mints for a
//! fuzzed customer, at any clock and any TTL the configuration allows, verifies until it expires
//! and names exactly that customer, on an instance that signs with the key and on one that
//! rotated away from it (TOKEN_SECRET_PREVIOUS), never on one without the key.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use juspay_customer::Customer;
use libfuzzer_sys::fuzz_target;
use merchant_backend::tokens::{issue, verify, Claims, TokenError, TokenKey, TokenKeys};

fuzz_target!(|input: (&str, &str, Option<&str>, u64, u32)| {
    let (token, id, reference, now_secs, ttl_secs) = input;
    let key = TokenKey::new(&[7u8; 32]).unwrap();
    let other = TokenKey::new(&[8u8; 32]).unwrap();
    let signing = TokenKeys::from(key.clone());
    let rotated = TokenKeys::new(other.clone(), Some(key.clone())).unwrap();
    // Any clock from 1970 to the year 9999.
    let now = UNIX_EPOCH + Duration::from_secs(now_secs % 253_402_300_800);
    // A fuzzer cannot forge an HMAC-SHA256: whatever it sends must be refused.
    assert!(verify(&signing, token, now).is_err(), "accepted {token:?}");
    assert!(verify(&rotated, token, now).is_err(), "accepted {token:?}");

    // TOKEN_TTL is 1 s to 24 h (config.rs); Juspay's ids are at most 300 characters.
    let ttl = Duration::from_secs(1 + u64::from(ttl_secs) % 86_400);
    let juspay_id = |s: &str| s.chars().take(300).collect::<String>();
    let (id, reference) = (juspay_id(id), reference.map(juspay_id));
    let customer: Customer = serde_json::from_value(serde_json::json!({
        "id": id,
        "object_reference_id": reference,
    }))
    .unwrap();
    let claims = Claims::for_customer(&customer, now, ttl);
    let minted = issue(&key, &claims);
    for keys in [&signing, &rotated] {
        let verified = verify(keys, &minted, now).expect("a fresh token verifies");
        assert!(verified.owns(&customer) && verified.names(&id));
        assert_eq!(
            verify(keys, &minted, claims.expires_at()),
            Err(TokenError::Expired)
        );
    }
    assert_eq!(
        verify(&TokenKeys::from(other), &minted, now),
        Err(TokenError::UnknownKey)
    );
});
