//! Retention of personal data: a sign-in's coarse location is kept for a configurable number of
//! days (default 180; China's PIPL treats location as sensitive), then removed while the
//! attendance itself stays. Run daily by the scheduled Lambda function (`zhibu-retention`).

use anyhow::Context as _;
use chrono::{DateTime, Duration, FixedOffset};

use crate::store::SigninStore;

pub const DEFAULT_LOCATION_DAYS: u32 = 180;

/// `ZHIBU_LOCATION_RETENTION_DAYS`, or the default.
pub fn location_days_from_env() -> anyhow::Result<u32> {
    location_days(std::env::var("ZHIBU_LOCATION_RETENTION_DAYS").ok().as_deref())
}

fn location_days(setting: Option<&str>) -> anyhow::Result<u32> {
    match setting {
        Some(v) if !v.trim().is_empty() => {
            let days: u32 = v.trim().parse().with_context(|| {
                format!("ZHIBU_LOCATION_RETENTION_DAYS must be a whole number of days, not {v:?}")
            })?;
            anyhow::ensure!(days >= 1, "ZHIBU_LOCATION_RETENTION_DAYS must be at least 1");
            Ok(days)
        }
        _ => Ok(DEFAULT_LOCATION_DAYS),
    }
}

/// Removes locations older than `days` before `now`; returns how many sign-ins lost theirs.
pub async fn purge_locations(
    store: &(impl SigninStore + ?Sized),
    now: DateTime<FixedOffset>,
    days: u32,
) -> anyhow::Result<usize> {
    store.purge_locations_before(now - Duration::days(i64::from(days))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retention_period_is_read_with_a_default() {
        assert_eq!(location_days(None).unwrap(), 180);
        assert_eq!(location_days(Some(" ")).unwrap(), 180);
        assert_eq!(location_days(Some("30")).unwrap(), 30);
        assert!(location_days(Some("0")).is_err());
        let e = location_days(Some("半年")).unwrap_err().to_string();
        assert!(e.contains("ZHIBU_LOCATION_RETENTION_DAYS"), "{e}");
    }
}
