//! The days of a copy campaign (手抄党章): which day a date is, whether a day has come, and a
//! member's progress — days done and the streak, the run of consecutive days ending today (or
//! yesterday, while today is still to do). A member's own business, never a ranking.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::FieldError;
use crate::catalog::Campaign;

/// A day of a campaign, 1 to the campaign's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CampaignDay(u32);

impl CampaignDay {
    pub fn parse(s: &str, days: u32) -> Result<CampaignDay, FieldError> {
        match s.trim().parse::<u32>() {
            Ok(d) if (1..=days).contains(&d) => Ok(CampaignDay(d)),
            _ => Err(FieldError::new("day", format!("天数应为 1 到 {days} 之间的整数"))),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Whether the day has come on `date` (in the branch's zone): a copy may be handed in on
    /// its day or late, never ahead.
    pub fn has_come(self, campaign: &Campaign, date: NaiveDate) -> bool {
        i64::from(self.0) <= campaign.day_of(date)
    }
}

/// The campaign's day on `date` for counting a streak: after the last day, the last day.
/// (Before the first day it is below 1, and no streak runs.)
pub fn today(campaign: &Campaign, date: NaiveDate) -> i64 {
    campaign.day_of(date).min(i64::from(campaign.days))
}

/// The run of consecutive days ending today (or yesterday, while today is still to do).
pub fn streak(done: &BTreeSet<u32>, today: i64) -> u32 {
    let mut day = today.min(i64::from(u32::MAX));
    if day < 1 {
        return 0;
    }
    if !done.contains(&(day as u32)) {
        day -= 1;
    }
    let mut n = 0;
    while day >= 1 && done.contains(&(day as u32)) {
        n += 1;
        day -= 1;
    }
    n
}

/// A member's progress in a campaign on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub days_done: usize,
    pub streak: u32,
}

impl Progress {
    /// From the days the member has handed in (repeats count once).
    pub fn of(campaign: &Campaign, days: impl IntoIterator<Item = u32>, date: NaiveDate) -> Progress {
        let done: BTreeSet<u32> = days.into_iter().collect();
        Progress { days_done: done.len(), streak: streak(&done, today(campaign, date)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hundred_days() -> Campaign {
        Campaign {
            id: "constitution-100".into(),
            title: "手抄党章100天".into(),
            page: "/campaigns/copy/".into(),
            starts: date(2026, 12, 1),
            days: 100,
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn campaign_days_are_in_range() {
        assert_eq!(CampaignDay::parse("1", 100).unwrap().get(), 1);
        assert_eq!(CampaignDay::parse(" 100 ", 100).unwrap().get(), 100);
        assert!(CampaignDay::parse("0", 100).is_err());
        assert!(CampaignDay::parse("101", 100).is_err());
        assert_eq!(
            CampaignDay::parse("x", 100).unwrap_err(),
            FieldError::new("day", "天数应为 1 到 100 之间的整数")
        );
    }

    #[test]
    fn a_day_has_come_on_its_date_and_after() {
        let c = hundred_days();
        let ninth = CampaignDay::parse("9", 100).unwrap();
        assert!(ninth.has_come(&c, date(2026, 12, 9)), "today");
        assert!(ninth.has_come(&c, date(2027, 6, 1)), "late");
        assert!(!CampaignDay::parse("10", 100).unwrap().has_come(&c, date(2026, 12, 9)), "tomorrow");
    }

    #[test]
    fn today_is_capped_at_the_last_day() {
        let c = hundred_days();
        assert_eq!(today(&c, date(2026, 12, 9)), 9);
        assert_eq!(today(&c, date(2026, 11, 30)), 0);
        assert_eq!(today(&c, date(2027, 6, 1)), 100);
    }

    #[test]
    fn streak_counts_back_from_today_or_yesterday() {
        let done: BTreeSet<u32> = [1, 2, 4, 5, 6].into_iter().collect();
        assert_eq!(streak(&done, 6), 3);
        assert_eq!(streak(&done, 7), 3, "today not done yet: the run up to yesterday");
        assert_eq!(streak(&done, 8), 0);
        assert_eq!(streak(&done, 0), 0);
    }

    #[test]
    fn progress_counts_days_once_and_the_streak_to_today() {
        let c = hundred_days();
        let p = Progress::of(&c, [5, 7, 8, 9, 9], date(2026, 12, 9));
        assert_eq!(p, Progress { days_done: 4, streak: 3 });
        let after = Progress::of(&c, [99, 100], date(2027, 6, 1));
        assert_eq!(after, Progress { days_done: 2, streak: 2 }, "after the end the last day is today");
        assert_eq!(Progress::of(&c, [], date(2026, 11, 1)), Progress { days_done: 0, streak: 0 });
    }
}
