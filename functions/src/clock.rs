//! The time, in the branch's zone. A trait so tests can stand at any moment of an event's window.

use std::sync::Mutex;

use chrono::{DateTime, FixedOffset, Utc};

/// Asia/Shanghai: UTC+8 all year (China keeps no daylight saving time).
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The real time.
pub struct SystemClock;

impl Clock for SystemClock {
    /// Whole seconds: what is stored and shown needs no more, and tokens count in seconds.
    fn now(&self) -> DateTime<FixedOffset> {
        let now = Utc::now();
        let whole = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        whole.with_timezone(&china())
    }
}

/// A clock that stays where a test puts it.
pub struct FixedClock(Mutex<DateTime<FixedOffset>>);

impl FixedClock {
    pub fn at(rfc3339: &str) -> FixedClock {
        let t = DateTime::parse_from_rfc3339(rfc3339).expect("tests give valid times");
        FixedClock(Mutex::new(t))
    }

    pub fn set(&self, rfc3339: &str) {
        let t = DateTime::parse_from_rfc3339(rfc3339).expect("tests give valid times");
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = t;
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<FixedOffset> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_clock_is_in_beijing_time_to_the_second() {
        let now = SystemClock.now();
        assert_eq!(now.offset().local_minus_utc(), 8 * 3600);
        assert_eq!(now.timestamp_subsec_nanos(), 0);
    }
}
