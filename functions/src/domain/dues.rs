//! Party dues (党费, the 2008 rules): months, amounts in fen, how a payment was made, the rates
//! of the 2008 table, and the ledger — for each month of a year, what was due and whether it is
//! paid, reported, paid at the host organisation, exempt or overdue. The site records and
//! reminds; it never takes money.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::FieldError;

/// A calendar month, `2026-10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    pub fn parse(s: &str) -> Option<Month> {
        let s = s.trim();
        let (y, m) = s.split_once('-')?;
        let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        (y.len() == 4 && m.len() == 2 && (2000..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }

    /// The twelve months of a year.
    pub fn of_year(year: i32) -> Vec<Month> {
        (1..=12).map(|month| Month { year, month }).collect()
    }

    /// The day after which an unpaid month counts as behind: the 10th of the following month.
    pub fn due_by(self) -> NaiveDate {
        let next = self.next();
        NaiveDate::from_ymd_opt(next.year, next.month, 10).unwrap_or(NaiveDate::MAX)
    }

    /// `2026年10月`.
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let s = String::deserialize(d)?;
        Month::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a month: {s}")))
    }
}

/// A required month field.
pub fn month_field(field: &str, s: Option<&str>) -> Result<Month, FieldError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Err(FieldError::new(field, "请选择月份")),
        Some(s) => Month::parse(s).ok_or_else(|| FieldError::new(field, "月份应形如 2026-10")),
    }
}

/// The student rate: 0.2 yuan a month.
pub const STUDENT_FEN: u32 = 20;
/// The most a single payment may be (a bound against typos: 100,000 yuan).
pub const MAX_PAYMENT_FEN: u32 = 10_000_000;
/// Months one payment may cover (a year in advance at most).
pub const MAX_MONTHS_PER_PAYMENT: usize = 12;

/// A monthly amount from the 2008 table for a wage earner, by after-tax monthly wage in yuan:
/// ≤3000 0.5%, 3000–5000 1%, 5000–10000 1.5%, above 10000 2% — in fen, rounded to the fen.
pub fn rate_for_wage(wage_yuan: u32) -> u32 {
    let permille = match wage_yuan {
        0..=3000 => 5,
        3001..=5000 => 10,
        5001..=10000 => 15,
        _ => 20,
    };
    // wage (yuan) × 100 fen × permille / 1000
    ((u64::from(wage_yuan) * 100 * permille + 500) / 1000) as u32
}

/// `0.20` yuan.
pub fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// How a payment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PayMethod {
    /// 微信转账给支部
    Wechat,
    /// 现金
    Cash,
    /// 银行转账
    Bank,
    /// 由实习单位党组织收取 (a holder of the 流动党员活动证 pays at the host organisation)
    Host,
}

impl PayMethod {
    pub const ALL: [PayMethod; 4] = [PayMethod::Wechat, PayMethod::Cash, PayMethod::Bank, PayMethod::Host];

    pub fn parse(s: &str) -> Option<PayMethod> {
        let s = s.trim();
        PayMethod::ALL.into_iter().find(|m| s == m.as_str() || s == m.label())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PayMethod::Wechat => "wechat",
            PayMethod::Cash => "cash",
            PayMethod::Bank => "bank",
            PayMethod::Host => "host",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PayMethod::Wechat => "微信转账给支部",
            PayMethod::Cash => "现金",
            PayMethod::Bank => "银行转账",
            PayMethod::Host => "由实习单位党组织收取",
        }
    }
}

/// A payment as reported or recorded: the months it covers (distinct, sorted), the amount, how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentForm {
    pub months: Vec<Month>,
    pub amount_fen: u32,
    pub method: PayMethod,
    pub note: String,
}

impl PaymentForm {
    pub fn parse(
        months: Option<&[String]>,
        amount_fen: Option<i64>,
        method: Option<&str>,
        note: Option<&str>,
    ) -> Result<PaymentForm, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut parsed = Vec::new();
        match months {
            None | Some([]) => errors.push(FieldError::new("months", "请选择这笔党费所交的月份")),
            Some(list) if list.len() > MAX_MONTHS_PER_PAYMENT => {
                errors.push(FieldError::new("months", format!("一次最多交 {MAX_MONTHS_PER_PAYMENT} 个月")))
            }
            Some(list) => {
                for (i, m) in list.iter().enumerate() {
                    match Month::parse(m) {
                        Some(m) => parsed.push(m),
                        None => errors.push(FieldError::new(format!("months[{i}]"), "月份应形如 2026-10")),
                    }
                }
                parsed.sort();
                parsed.dedup();
            }
        }
        let amount = match amount_fen {
            None => {
                errors.push(FieldError::new("amount_fen", "请填写金额（以分为单位）"));
                None
            }
            Some(a) if a <= 0 || a > i64::from(MAX_PAYMENT_FEN) => {
                errors.push(FieldError::new("amount_fen", "金额应为大于 0 的整数（分）"));
                None
            }
            Some(a) => Some(a as u32),
        };
        let method = match method.map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                errors.push(FieldError::new("method", "请选择交纳方式"));
                None
            }
            Some(s) => PayMethod::parse(s)
                .ok_or_else(|| {
                    errors.push(FieldError::new(
                        "method",
                        "交纳方式应为微信转账、现金、银行转账或由实习单位党组织收取",
                    ))
                })
                .ok(),
        };
        let note = super::talks::text_field("note", note, 0, 200).map_err(|e| errors.push(e)).ok();
        match (amount, method, note) {
            (Some(amount_fen), Some(method), Some(note)) if errors.is_empty() => {
                Ok(PaymentForm { months: parsed, amount_fen, method, note })
            }
            _ => Err(errors),
        }
    }
}

/// Where a month of the ledger stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MonthState {
    /// Not a dues month for this person (before they became a Party member).
    None,
    /// An amount of zero is set: exempt (减免).
    Exempt,
    /// Paid to the branch, confirmed.
    Confirmed,
    /// Paid at the host organisation (流动党员活动证), confirmed.
    Elsewhere,
    /// Reported by the member, waiting for confirmation.
    Reported,
    /// Unpaid, not yet behind (the month is running or its 10th has not passed).
    Open,
    /// Unpaid after the 10th of the following month.
    Overdue,
}

impl MonthState {
    pub fn label(self) -> &'static str {
        match self {
            MonthState::None => "",
            MonthState::Exempt => "免交",
            MonthState::Confirmed => "已交",
            MonthState::Elsewhere => "在实习单位交纳",
            MonthState::Reported => "待确认",
            MonthState::Open => "未到期",
            MonthState::Overdue => "未交",
        }
    }

    pub fn is_paid(self) -> bool {
        matches!(self, MonthState::Confirmed | MonthState::Elsewhere)
    }
}

/// A month's amount from a rate history: the latest rate whose `from` is not after the month;
/// [`STUDENT_FEN`] where no rate is set.
pub fn amount_for(rates: &[(Month, u32)], month: Month) -> u32 {
    rates
        .iter()
        .filter(|(from, _)| *from <= month)
        .max_by_key(|(from, _)| *from)
        .map(|(_, fen)| *fen)
        .unwrap_or(STUDENT_FEN)
}

/// What the ledger needs to know of a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Covered {
    pub months: Vec<Month>,
    pub confirmed: bool,
    pub method: PayMethod,
}

/// One month of a person's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerMonth {
    pub month: Month,
    pub due_fen: u32,
    pub state: MonthState,
}

/// The months of `year` for a person whose dues start at `since` (their approval as probationary
/// member, or none: the whole year), as of `today`.
pub fn ledger(
    year: i32,
    since: Option<Month>,
    rates: &[(Month, u32)],
    payments: &[Covered],
    today: NaiveDate,
) -> Vec<LedgerMonth> {
    Month::of_year(year)
        .into_iter()
        .map(|month| {
            let due_fen = amount_for(rates, month);
            let covering = payments.iter().filter(|p| p.months.contains(&month));
            let confirmed = covering.clone().find(|p| p.confirmed);
            // A month paid is paid, even one before the ledger's start.
            let state = if let Some(p) = confirmed {
                if p.method == PayMethod::Host { MonthState::Elsewhere } else { MonthState::Confirmed }
            } else if since.is_some_and(|s| month < s) {
                MonthState::None
            } else if due_fen == 0 {
                MonthState::Exempt
            } else if covering.clone().next().is_some() {
                MonthState::Reported
            } else if today > month.due_by() {
                MonthState::Overdue
            } else {
                MonthState::Open
            };
            LedgerMonth { month, due_fen: if state == MonthState::None { 0 } else { due_fen }, state }
        })
        .collect()
}

/// How many months in a row, ending with the latest month whose due date has passed, are unpaid
/// (reported payments count as paid for this: the member has done their part).
pub fn months_behind(
    since: Option<Month>,
    rates: &[(Month, u32)],
    payments: &[Covered],
    today: NaiveDate,
) -> u32 {
    let mut month = Month::of(today).previous();
    if today <= month.due_by() {
        month = month.previous();
    }
    let mut behind = 0;
    while since.is_none_or(|s| month >= s) && behind < 24 {
        let paid = payments.iter().any(|p| p.months.contains(&month));
        if paid || amount_for(rates, month) == 0 {
            break;
        }
        behind += 1;
        month = month.previous();
    }
    behind
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn months_parse_print_and_fall_due_on_the_tenth_of_the_next() {
        assert_eq!(m("2026-10").to_string(), "2026-10");
        assert_eq!(m("2026-12").next(), m("2027-01"));
        assert_eq!(m("2026-01").previous(), m("2025-12"));
        assert_eq!(m("2026-10").due_by(), d("2026-11-10"));
        assert_eq!(m("2026-12").due_by(), d("2027-01-10"));
        for bad in ["2026-13", "2026-1", "26-10", "2026/10", "", "2026-00"] {
            assert!(Month::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_2008_table_in_fen() {
        assert_eq!(rate_for_wage(2000), 1000, "0.5% of 2000 yuan is 10 yuan");
        assert_eq!(rate_for_wage(3000), 1500);
        assert_eq!(rate_for_wage(4500), 4500, "1%");
        assert_eq!(rate_for_wage(8000), 12000, "1.5%");
        assert_eq!(rate_for_wage(12000), 24000, "2%");
        assert_eq!(yuan(20), "0.20");
        assert_eq!(yuan(12345), "123.45");
    }

    #[test]
    fn the_latest_rate_applies_from_its_month_on() {
        let rates = [(m("2026-01"), 20), (m("2026-07"), 4500), (m("2026-10"), 0)];
        assert_eq!(amount_for(&rates, m("2025-12")), STUDENT_FEN);
        assert_eq!(amount_for(&rates, m("2026-06")), 20);
        assert_eq!(amount_for(&rates, m("2026-07")), 4500);
        assert_eq!(amount_for(&rates, m("2026-11")), 0);
    }

    #[test]
    fn the_ledger_tells_each_month_apart() {
        let payments = [
            Covered { months: vec![m("2026-01"), m("2026-02")], confirmed: true, method: PayMethod::Wechat },
            Covered { months: vec![m("2026-03")], confirmed: true, method: PayMethod::Host },
            Covered { months: vec![m("2026-04")], confirmed: false, method: PayMethod::Cash },
        ];
        let rates = [(m("2026-09"), 0), (m("2026-10"), 20)];
        let months = ledger(2026, Option::None, &rates, &payments, d("2026-11-30"));
        let states: Vec<MonthState> = months.iter().map(|l| l.state).collect();
        use MonthState::*;
        assert_eq!(
            states,
            [
                Confirmed, Confirmed, Elsewhere, Reported, Overdue, Overdue, Overdue, Overdue, Exempt,
                Overdue, Open, Open
            ]
        );
        let since = ledger(2026, Some(m("2026-06")), &[], &[], d("2026-11-30"));
        assert_eq!(since[4].state, None);
        assert_eq!(since[4].due_fen, 0);
        assert_eq!(since[5].state, Overdue);
    }

    #[test]
    fn months_behind_counts_back_from_the_latest_month_due() {
        let paid = |months: &[&str]| Covered {
            months: months.iter().map(|s| m(s)).collect(),
            confirmed: true,
            method: PayMethod::Cash,
        };
        // On 30 November, October is due (10 November passed); paid up to August: 2 behind.
        assert_eq!(months_behind(None, &[], &[paid(&["2026-08"])], d("2026-11-30")), 2);
        // On 5 November, October is not yet due: 1 behind.
        assert_eq!(months_behind(None, &[], &[paid(&["2026-08"])], d("2026-11-05")), 1);
        assert_eq!(months_behind(None, &[], &[paid(&["2026-10"])], d("2026-11-30")), 0);
        // A member since September owes at most September and October.
        assert_eq!(months_behind(Some(m("2026-09")), &[], &[], d("2026-11-30")), 2);
    }

    #[test]
    fn payments_are_checked_field_by_field() {
        let months = vec!["2026-10".to_string(), "2026-13".to_string()];
        let errors = PaymentForm::parse(Some(&months), Some(0), Some("支付宝"), None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["months[1]", "amount_fen", "method"]);
        let months = vec!["2026-11".to_string(), "2026-10".to_string(), "2026-10".to_string()];
        let ok = PaymentForm::parse(Some(&months), Some(40), Some("微信转账给支部"), Some("")).unwrap();
        assert_eq!(ok.months, [m("2026-10"), m("2026-11")]);
        assert_eq!(ok.method, PayMethod::Wechat);
    }
}
