//! When to try again: exponential backoff with jitter, and the server's `Retry-After`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

const BASE_DELAY: Duration = Duration::from_millis(200);
const MAX_DELAY: Duration = Duration::from_secs(5);

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

/// `Retry-After` as delay-seconds or an HTTP date; a date in the past means "now".
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
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
}
