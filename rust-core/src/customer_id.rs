//! The customer id rules, checked before any network I/O, and its encoding as one path segment.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::CustomerError;

/// Juspay's documented maximum length of a customer id, in characters (Unicode scalar values).
pub const MAX_CUSTOMER_ID_CHARS: usize = 300;

/// Everything but RFC 3986 "unreserved" characters is percent-encoded, so `/`, `?`, `#`, `%`,
/// spaces and non-ASCII can never change the request's path, query or fragment. TypeScript gets
/// the same bytes from `encodeURIComponent` plus escaping `!'()*`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Checks `id` and returns it as one percent-encoded path segment.
pub(crate) fn encode_customer_id(id: &str) -> Result<String, CustomerError> {
    let chars = id.chars().count();
    if chars == 0 {
        return Err(CustomerError::invalid_argument(
            "customer_id must not be empty",
        ));
    }
    if chars > MAX_CUSTOMER_ID_CHARS {
        return Err(CustomerError::invalid_argument(format!(
            "customer_id must be at most {MAX_CUSTOMER_ID_CHARS} characters, got {chars}"
        )));
    }
    // Even encoded, "." and ".." are dot-segments that URL normalisation removes.
    if id == "." || id == ".." {
        return Err(CustomerError::invalid_argument(
            "customer_id must not be \".\" or \"..\"",
        ));
    }
    // Through `Cow`, not `Display`: one exact allocation, without the formatter.
    Ok(Cow::from(utf8_percent_encode(id, SEGMENT)).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_are_encoded() {
        for (id, segment) in [
            ("cst_abc-1.2~x", "cst_abc-1.2~x"),
            ("a/b", "a%2Fb"),
            ("?x", "%3Fx"),
            ("#", "%23"),
            ("%2e%2e", "%252e%252e"),
            ("a b", "a%20b"),
            ("é😀", "%C3%A9%F0%9F%98%80"),
            ("...", "..."),
            ("!'()*", "%21%27%28%29%2A"),
        ] {
            assert_eq!(encode_customer_id(id).unwrap(), segment, "{id}");
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(encode_customer_id(&"😀".repeat(300)).is_ok());
        assert_eq!(
            encode_customer_id(&"a".repeat(301))
                .unwrap_err()
                .to_string(),
            "INVALID_ARGUMENT: customer_id must be at most 300 characters, got 301"
        );
    }
}
