//! Any string as a customer id: the rules hold, nothing panics, and an accepted id becomes
//! exactly one path segment of unreserved characters and `%XX` that decodes back to the id.
#![no_main]

use juspay_customer::fuzzing::encode_customer_id;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|id: &str| {
    let chars = id.chars().count();
    match encode_customer_id(id) {
        Ok(segment) => {
            assert!((1..=300).contains(&chars) && id != "." && id != "..");
            let bytes = segment.as_bytes();
            let mut decoded = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                let b = bytes[i];
                if b == b'%' {
                    let hex = &segment[i + 1..i + 3];
                    assert!(hex.bytes().all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(&h)));
                    decoded.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 3;
                } else {
                    assert!(b.is_ascii_alphanumeric() || b"-._~".contains(&b), "{segment}");
                    decoded.push(b);
                    i += 1;
                }
            }
            assert_eq!(decoded, id.as_bytes());
        }
        Err(e) => {
            assert_eq!(e.code(), "INVALID_ARGUMENT");
            assert!(chars == 0 || chars > 300 || id == "." || id == "..");
        }
    }
});
