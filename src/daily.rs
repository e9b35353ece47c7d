//! The daily jobs of `zhibu run`, without cron: once a day at a set time (the branch's zone,
//! +08:00) the sign-in locations past the retention period are removed — the same purge as
//! `zhibu admin purge` and the scheduled function on AWS, audited as `scheduler:retention`.
//!
//! The wait is taken in steps of at most a minute against the clock, so a machine that slept,
//! or a clock set by a test, is noticed within a minute.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveTime, TimeDelta};
use zhibu_functions::clock::Clock;
use zhibu_functions::store::Store;

/// The next moment at `at` strictly after `now`.
pub fn next_run(now: DateTime<FixedOffset>, at: NaiveTime) -> DateTime<FixedOffset> {
    let today = now.date_naive().and_time(at);
    let candidate = today.and_local_timezone(*now.offset()).single().unwrap_or(now);
    if candidate > now { candidate } else { candidate + TimeDelta::days(1) }
}

/// Runs the purge every day at `at`, until the task is dropped.
pub async fn run(store: Arc<dyn Store>, clock: Arc<dyn Clock>, at: NaiveTime, days: u32) {
    let mut next = next_run(clock.now(), at);
    eprintln!("Daily: sign-in locations older than {days} days are removed every day at {at} (next {next})");
    loop {
        let now = clock.now();
        if now < next {
            let wait = (next - now).to_std().unwrap_or_default().min(Duration::from_secs(60));
            tokio::time::sleep(wait.max(Duration::from_millis(50))).await;
            continue;
        }
        let actor = zhibu_functions::admin::Actor("scheduler:retention".into());
        match zhibu_functions::admin::purge(store.as_ref(), &actor, days, now).await {
            Ok(purged) => eprintln!(
                "Daily: removed the location of {purged} sign-ins older than {days} days (attendance is kept)"
            ),
            Err(e) => eprintln!("Daily: the location purge failed, trying again tomorrow: {e:#}"),
        }
        next = next_run(now, at);
    }
}

/// The real clock, or — for tests only — one that started at `ZHIBU_TEST_CLOCK_START`
/// (RFC 3339) when the process did and runs at the real speed.
pub struct OffsetClock {
    offset: TimeDelta,
}

impl OffsetClock {
    pub fn starting_at(start: DateTime<FixedOffset>) -> OffsetClock {
        OffsetClock { offset: start.signed_duration_since(zhibu_functions::clock::SystemClock.now()) }
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<FixedOffset> {
        zhibu_functions::clock::SystemClock.now() + self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn the_next_run_is_today_if_still_ahead_else_tomorrow() {
        let at = NaiveTime::from_hms_opt(3, 0, 0).unwrap();
        assert_eq!(next_run(t("2026-12-01T02:59:59+08:00"), at), t("2026-12-01T03:00:00+08:00"));
        assert_eq!(next_run(t("2026-12-01T03:00:00+08:00"), at), t("2026-12-02T03:00:00+08:00"));
        assert_eq!(next_run(t("2026-12-31T23:00:00+08:00"), at), t("2027-01-01T03:00:00+08:00"));
    }

    #[test]
    fn an_offset_clock_starts_where_it_is_told_and_runs_on() {
        let clock = OffsetClock::starting_at(t("2030-01-01T02:59:58+08:00"));
        let now = clock.now();
        assert!(now >= t("2030-01-01T02:59:58+08:00") && now < t("2030-01-01T03:00:08+08:00"), "{now}");
    }
}
