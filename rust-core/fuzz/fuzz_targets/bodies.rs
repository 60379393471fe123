//! Any status and body bytes, as a hostile server would send them: the customer parser and the
//! error mapping never panic, a 2xx either is a customer (with Juspay's client auth token exactly
//! when it was asked for) or says why not in one of three fixed sentences, and every other status
//! maps to the code its status decides. The one-pass customer reading agrees with the reference
//! reading through a whole `serde_json::Value` on every body.
#![no_main]

use juspay_customer::fuzzing::{customer_from_body, customer_from_body_via_value, error_from_answer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, bool, &[u8])| {
    let (status, client_auth_token, body) = input;
    let customer = customer_from_body(body, client_auth_token);
    assert_eq!(customer, customer_from_body_via_value(body, client_auth_token));
    match customer {
        Ok(customer) => {
            // Asked for, the token is there and not empty; not asked, it is never read.
            assert_eq!(customer.juspay.is_some(), client_auth_token);
            assert!(customer
                .juspay
                .is_none_or(|j| !j.client_auth_token.is_empty()));
        }
        Err(why) => assert!(
            [
                "the response body is not valid JSON",
                "the response is not a customer object",
                "no usable client auth token in the response",
            ]
            .contains(&why),
            "{why}"
        ),
    }
    let status = 300 + status % 300;
    let error = error_from_answer(status, body, None);
    let want = match status {
        401 => &["UNAUTHORIZED"][..],
        403 => &["FORBIDDEN"],
        407 => &["NETWORK"],
        404 => &["CUSTOMER_NOT_FOUND", "ENDPOINT_NOT_FOUND"],
        429 => &["RATE_LIMITED"],
        500..=599 => &["SERVER_ERROR"],
        _ => &["INVALID_RESPONSE"],
    };
    let code = error.code();
    assert!(want.contains(&code.as_str()), "{status} gave {code}");
    assert_eq!(error.details().http_status, Some(status));
    assert!(!error.details().message.is_empty());
});
