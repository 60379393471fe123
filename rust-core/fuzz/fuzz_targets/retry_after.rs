//! Any `Retry-After` value at any clock: reading it never panics and never yields more than the
//! 24-hour cap, deciding whether to wait for it never overflows, and the error reports it in
//! milliseconds within the cap.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use juspay_customer::fuzzing::{error_from_answer, parse_retry_after, pause_fits};
use juspay_customer::MAX_RETRY_AFTER_MS;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u64, u64, u64)| {
    let (value, now_secs, elapsed_ms, deadline_ms) = input;
    // Any clock from 1970 to the year 9999.
    let now = UNIX_EPOCH + Duration::from_secs(now_secs % 253_402_300_800);
    let cap = Duration::from_millis(MAX_RETRY_AFTER_MS);
    if let Some(pause) = parse_retry_after(value, now) {
        assert!(pause <= cap, "{value:?} gave {pause:?}");
        let fits = pause_fits(
            pause,
            Duration::from_millis(elapsed_ms),
            Duration::from_millis(deadline_ms),
        );
        assert!(!fits || pause < Duration::from_millis(deadline_ms));
    }
    let error = error_from_answer(429, b"", Some(value));
    assert!(error.details().retry_after_ms.is_none_or(|ms| ms <= MAX_RETRY_AFTER_MS));
});
