//! Lookup deadlines on a coarse grid. A tokio timer that is due before every other timer of the
//! runtime wakes the runtime's driver thread when it is set (one syscall and one thread wake-up
//! per lookup, the largest cost the core added over a bare reqwest GET). Rounded up to a grid
//! shared by the whole process, the deadlines of the lookups started within one step share one
//! due time, so the driver is woken once per step, not once per lookup.

use std::sync::OnceLock;
use std::time::Duration;

use tokio::time::Instant;

/// The grid's step: a lookup times out at most this much after its deadline.
pub(crate) const STEP: Duration = Duration::from_millis(25);

/// `now + deadline`, rounded up to the grid. Never earlier than `now + deadline`.
pub(crate) fn coarse(now: Instant, deadline: Duration) -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    let origin = *ORIGIN.get_or_init(Instant::now);
    let exact = now + deadline;
    match exact.checked_duration_since(origin) {
        Some(since) => {
            let step = STEP.as_nanos();
            let rounded = since.as_nanos().div_ceil(step) * step;
            u64::try_from(rounded)
                .ok()
                .and_then(|nanos| origin.checked_add(Duration::from_nanos(nanos)))
                .unwrap_or(exact)
        }
        // Only under a test's mocked clock, which may start before the origin was taken.
        None => exact,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lookups_started_within_one_step_share_at_most_two_due_times() {
        let now = Instant::now();
        let mut due: Vec<_> = (0..STEP.as_micros() as u64)
            .step_by(100)
            .map(|us| coarse(now + Duration::from_micros(us), Duration::from_secs(30)))
            .collect();
        due.dedup();
        assert!(due.len() <= 2, "{} due times", due.len());
    }

    proptest! {
        #[test]
        fn never_early_and_at_most_one_step_late(offset_us in 0u64..10_000_000, deadline_ms in 1u64..=600_000) {
            let now = Instant::now() + Duration::from_micros(offset_us);
            let deadline = Duration::from_millis(deadline_ms);
            let due = coarse(now, deadline);
            prop_assert!(due >= now + deadline);
            prop_assert!(due - (now + deadline) <= STEP);
        }
    }
}
