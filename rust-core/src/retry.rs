//! When to try again: exponential backoff with jitter, and the server's `Retry-After`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The first backoff's ceiling; each retry doubles it, up to [`MAX_DELAY_MS`].
pub(crate) const BASE_DELAY_MS: u64 = 200;
/// The longest backoff between two attempts (a server's `Retry-After` may ask for more).
pub(crate) const MAX_DELAY_MS: u64 = 5_000;
const BASE_DELAY: Duration = Duration::from_millis(BASE_DELAY_MS);
const MAX_DELAY: Duration = Duration::from_millis(MAX_DELAY_MS);

/// The longest `Retry-After` taken as sent, in milliseconds (24 hours). A server may announce
/// any number of seconds, or a date centuries ahead; a longer wait is reported as this one, so
/// time arithmetic never overflows and every platform reports the same `retry_after_ms`.
pub const MAX_RETRY_AFTER_MS: u64 = 86_400_000;
const MAX_RETRY_AFTER: Duration = Duration::from_millis(MAX_RETRY_AFTER_MS);

/// The pause before retry number `retry` (0 for the first retry): 200 ms doubling up to 5 s,
/// drawn uniformly from the upper half so clients that failed together do not retry together.
pub(crate) fn backoff(retry: u32) -> Duration {
    let ceiling = BASE_DELAY
        .saturating_mul(1u32.checked_shl(retry).unwrap_or(u32::MAX))
        .min(MAX_DELAY);
    let half = ceiling / 2;
    half + half.mul_f64(fastrand::f64())
}

/// Statuses worth another attempt: rate limiting and gateway errors. Other 5xx are not retried:
/// the server got the request and failed on it.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Whether a pause still fits in a lookup's deadline, `elapsed` into it. A duration comparison,
/// not `now + pause`: the server picks the pause, and an `Instant` addition with a huge one
/// overflows.
pub(crate) fn pause_fits(pause: Duration, elapsed: Duration, deadline: Duration) -> bool {
    pause < deadline.saturating_sub(elapsed)
}

/// `Retry-After` as delay-seconds or an HTTP date, at most [`MAX_RETRY_AFTER_MS`]; a date in
/// the past means "now". `None` when absent, sent more than once, or not in either form (a sign,
/// a fraction, a bad date).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let mut values = headers.get_all(RETRY_AFTER).iter();
    let value = values.next()?;
    if values.next().is_some() {
        // Two answers to one question: trust neither (fetch, too, joins them into one unreadable
        // value).
        return None;
    }
    parse_retry_after(value.to_str().ok()?, SystemTime::now())
}

/// The grammar of [`retry_after`] for one header value, with `now` given.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim_matches([' ', '\t']);
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Any run of digits is valid delay-seconds, however long: beyond u64 it is simply huge.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds.min(MAX_RETRY_AFTER.as_secs())));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    let wait = when.duration_since(now).unwrap_or(Duration::ZERO);
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn only_429_and_gateway_errors_are_retried() {
        let retried: Vec<u16> = [400, 401, 403, 404, 429, 500, 501, 502, 503, 504, 505]
            .into_iter()
            .filter(|s| is_retryable_status(*s))
            .collect();
        assert_eq!(retried, [429, 502, 503, 504]);
    }

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        for _ in 0..100 {
            let first = backoff(0);
            assert!(first >= Duration::from_millis(100) && first <= Duration::from_millis(200));
            let third = backoff(2);
            assert!(third >= Duration::from_millis(400) && third <= Duration::from_millis(800));
            assert!(backoff(40) <= MAX_DELAY);
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        h.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        let d = retry_after(&h).unwrap();
        assert!(
            d > Duration::from_secs(100) && d <= Duration::from_secs(120),
            "{d:?}"
        );
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn retry_after_is_capped_and_refuses_what_is_not_delay_seconds() {
        let now = SystemTime::now();
        let cap = Some(MAX_RETRY_AFTER);
        for huge in [
            "86401",
            "18446744073709551615",
            "9223372036854775807",
            "99999999999999999999999999999999",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            assert_eq!(parse_retry_after(huge, now), cap, "{huge}");
        }
        assert_eq!(
            parse_retry_after("86400", now),
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(
            parse_retry_after(" 007\t", now),
            Some(Duration::from_secs(7))
        );
        for garbage in ["-1", "+5", "1.5", "1e3", "", " ", "0x10", "1 2", "١"] {
            assert_eq!(parse_retry_after(garbage, now), None, "{garbage:?}");
        }
    }

    #[test]
    fn retry_after_sent_twice_is_ignored() {
        let mut h = HeaderMap::new();
        h.append(RETRY_AFTER, HeaderValue::from_static("1"));
        h.append(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&h), None);
    }
}
