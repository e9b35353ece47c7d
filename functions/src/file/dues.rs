//! The dues ledger (党费台账): each member's monthly amount with its history, the payments they
//! report (with an optional photo of the receipt) and admins confirm or reject, payments admins
//! record directly (cash at a meeting), and the ledger read from them — the member's own year,
//! the branch's members × months in roster order, who is two or more months behind, and a
//! name-free summary for a group. It records and reminds; it never takes money.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::pages::{self, KeepError, Page};
use super::{Change, Kept, update};
use crate::blobs::Blobs;
use crate::domain::dues::{self, Covered, LedgerMonth, Month, MonthState, PayMethod, PaymentForm};
use crate::domain::joining::{Milestone, Stage};
use crate::domain::{FieldError, MemberId};
use crate::photos::PhotoError;
use crate::secretary::admin::{Actor, audit};
use crate::store::{AuditStore, DocumentStore, Member, MemberStore, StoreResult};

/// One amount of a member's history: from `from` on, `fen` a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub from: Month,
    pub fen: u32,
    pub note: String,
    pub set_by: String,
    pub set_at: DateTime<FixedOffset>,
}

/// A member's amounts over time (none set: the student rate, 20 fen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuesRates {
    pub member_id: MemberId,
    /// By `from`, one per month.
    pub rates: Vec<Rate>,
}

impl Kept for DuesRates {
    const KIND: &'static str = "dues_rates";

    fn id(&self) -> String {
        self.member_id.to_string()
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentStatus {
    Pending,
    Confirmed,
    Rejected,
}

impl PaymentStatus {
    pub fn label(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "待确认",
            PaymentStatus::Confirmed => "已确认",
            PaymentStatus::Rejected => "未通过",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub id: String,
    pub member_id: MemberId,
    pub months: Vec<Month>,
    pub amount_fen: u32,
    /// What the months come to at the member's rates, when it was reported.
    pub expected_fen: u32,
    pub method: PayMethod,
    pub note: String,
    pub receipt: Option<Page>,
    pub status: PaymentStatus,
    /// The member themself, or the admin who recorded it directly.
    pub recorded_by: String,
    pub at: DateTime<FixedOffset>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
    pub reason: Option<String>,
}

impl Kept for Payment {
    const KIND: &'static str = "dues_payment";

    fn id(&self) -> String {
        self.id.clone()
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }

    fn blob_keys(&self) -> Vec<String> {
        self.receipt.iter().flat_map(Page::keys).collect()
    }
}

/// Why a dues action was refused.
#[derive(Debug, thiserror::Error)]
pub enum DuesError {
    #[error("not found")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    /// A month already paid or waiting for confirmation.
    #[error("{0} is covered already")]
    AlreadyCovered(Month),
    /// The payment has been confirmed or rejected already.
    #[error("the payment is reviewed")]
    Reviewed,
    #[error(transparent)]
    Photo(#[from] PhotoError),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl From<KeepError> for DuesError {
    fn from(e: KeepError) -> DuesError {
        match e {
            KeepError::Photo(e) => DuesError::Photo(e),
            KeepError::Failed(e) => DuesError::Failed(e),
        }
    }
}

type DuesResult<T> = Result<T, DuesError>;

async fn rates_of(
    store: &(impl DocumentStore + ?Sized),
    member: &MemberId,
) -> StoreResult<Vec<(Month, u32)>> {
    let rates = super::load::<DuesRates>(store, member.as_str()).await?;
    Ok(rates.map(|r| r.value.rates.iter().map(|r| (r.from, r.fen)).collect()).unwrap_or_default())
}

/// The rate history of a member.
pub async fn history(store: &(impl DocumentStore + ?Sized), member: &MemberId) -> StoreResult<Vec<Rate>> {
    Ok(super::load::<DuesRates>(store, member.as_str()).await?.map(|r| r.value.rates).unwrap_or_default())
}

/// Sets a member's monthly amount from `from` on (replacing one set for the same month) and
/// audits it.
pub async fn set_rate(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    actor: &Actor,
    member: &MemberId,
    from: Month,
    fen: u32,
    note: &str,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<()> {
    let rate = Rate { from, fen, note: note.to_string(), set_by: actor.0.clone(), set_at: now };
    update(store, member.as_str(), now, |current: Option<DuesRates>| {
        let mut rates = current.unwrap_or_else(|| DuesRates { member_id: member.clone(), rates: Vec::new() });
        rates.rates.retain(|r| r.from != from);
        rates.rates.push(rate.clone());
        rates.rates.sort_by_key(|r| r.from);
        Ok::<_, anyhow::Error>(Change::Put(rates))
    })
    .await?;
    audit(
        store,
        actor,
        now,
        "dues.rate",
        member.as_str(),
        format!("{from} 起每月 {} 元", dues::yuan(fen.into())),
    )
    .await
}

async fn payments_of(store: &(impl DocumentStore + ?Sized), member: &MemberId) -> StoreResult<Vec<Payment>> {
    let mut list = super::of_member::<Payment>(store, member).await?;
    list.sort_by_key(|p| std::cmp::Reverse(p.at));
    Ok(list)
}

fn covered(payments: &[Payment]) -> Vec<Covered> {
    payments
        .iter()
        .filter(|p| p.status != PaymentStatus::Rejected)
        .map(|p| Covered {
            months: p.months.clone(),
            confirmed: p.status == PaymentStatus::Confirmed,
            method: p.method,
        })
        .collect()
}

/// A month of the form that a standing payment (waiting or confirmed) covers already.
fn already_covered(payments: &[Payment], form: &PaymentForm) -> Option<Month> {
    let standing: Vec<&Payment> = payments.iter().filter(|p| p.status != PaymentStatus::Rejected).collect();
    form.months.iter().copied().find(|m| standing.iter().any(|p| p.months.contains(m)))
}

async fn new_payment(
    store: &(impl DocumentStore + ?Sized),
    member: &MemberId,
    form: PaymentForm,
    status: PaymentStatus,
    recorded_by: &str,
    now: DateTime<FixedOffset>,
) -> DuesResult<Payment> {
    let existing = payments_of(store, member).await?;
    if let Some(month) = already_covered(&existing, &form) {
        return Err(DuesError::AlreadyCovered(month));
    }
    let rates = rates_of(store, member).await?;
    let expected_fen = form.months.iter().map(|m| dues::amount_for(&rates, *m)).sum();
    let confirmed = status == PaymentStatus::Confirmed;
    let payment = Payment {
        id: uuid::Uuid::new_v4().simple().to_string(),
        member_id: member.clone(),
        months: form.months,
        amount_fen: form.amount_fen,
        expected_fen,
        method: form.method,
        note: form.note,
        receipt: None,
        status,
        recorded_by: recorded_by.to_string(),
        at: now,
        reviewed_by: confirmed.then(|| recorded_by.to_string()),
        reviewed_at: confirmed.then_some(now),
        reason: None,
    };
    update(store, &payment.id, now, |_: Option<Payment>| Ok::<_, DuesError>(Change::Put(payment.clone())))
        .await?;
    Ok(payment)
}

/// A member reports a payment; it waits for an admin's confirmation.
pub async fn report(
    store: &(impl DocumentStore + ?Sized),
    member: &MemberId,
    form: PaymentForm,
    now: DateTime<FixedOffset>,
) -> DuesResult<Payment> {
    new_payment(store, member, form, PaymentStatus::Pending, member.as_str(), now).await
}

/// An admin records a payment made to them (cash at a meeting): confirmed at once, audited.
pub async fn record(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    actor: &Actor,
    member: &MemberId,
    form: PaymentForm,
    now: DateTime<FixedOffset>,
) -> DuesResult<Payment> {
    let payment = new_payment(store, member, form, PaymentStatus::Confirmed, &actor.0, now).await?;
    audit(store, actor, now, "dues.record", member.as_str(), describe(&payment)).await?;
    Ok(payment)
}

fn describe(p: &Payment) -> String {
    let months: Vec<String> = p.months.iter().map(Month::to_string).collect();
    format!("{} 元，{}，{}", dues::yuan(p.amount_fen.into()), months.join("、"), p.method.label())
}

/// Attaches (or replaces) the receipt's photo of the member's own payment while it waits.
pub async fn attach_receipt(
    store: &(impl DocumentStore + ?Sized),
    blobs: &dyn Blobs,
    member: &MemberId,
    id: &str,
    photo: Vec<u8>,
    now: DateTime<FixedOffset>,
) -> DuesResult<Payment> {
    match super::load::<Payment>(store, id).await? {
        Some(p) if p.value.member_id == *member => {
            if p.value.status != PaymentStatus::Pending {
                return Err(DuesError::Reviewed);
            }
        }
        _ => return Err(DuesError::NotFound),
    }
    let page = pages::keep(blobs, &format!("dues/{member}/{id}"), photo).await?;
    let mut replaced = None;
    let written = update(store, id, now, |current: Option<Payment>| {
        let mut payment = current.filter(|p| p.member_id == *member).ok_or(DuesError::NotFound)?;
        if payment.status != PaymentStatus::Pending {
            return Err(DuesError::Reviewed);
        }
        replaced = payment.receipt.replace(page.clone());
        Ok(Change::Put(payment))
    })
    .await;
    match written {
        Ok(payment) => {
            if let Some(old) = replaced {
                pages::remove(blobs, &old).await;
            }
            payment.ok_or(DuesError::NotFound)
        }
        Err(e) => {
            pages::remove(blobs, &page).await;
            Err(e)
        }
    }
}

/// The member takes back a payment report that waits (a mistake), with its receipt.
pub async fn withdraw(
    store: &(impl DocumentStore + ?Sized),
    blobs: &dyn Blobs,
    member: &MemberId,
    id: &str,
    now: DateTime<FixedOffset>,
) -> DuesResult<()> {
    let mut receipt = None;
    update(store, id, now, |current: Option<Payment>| {
        let payment = current.filter(|p| p.member_id == *member).ok_or(DuesError::NotFound)?;
        if payment.status != PaymentStatus::Pending {
            return Err(DuesError::Reviewed);
        }
        receipt = payment.receipt.clone();
        Ok(Change::<Payment>::Delete)
    })
    .await?;
    if let Some(page) = receipt {
        pages::remove(blobs, &page).await;
    }
    Ok(())
}

/// An admin confirms or rejects (with a reason) a payment that waits; audited.
pub async fn review(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    actor: &Actor,
    id: &str,
    confirm: bool,
    reason: Option<&str>,
    now: DateTime<FixedOffset>,
) -> DuesResult<Payment> {
    let reason = match (confirm, reason.map(str::trim).filter(|r| !r.is_empty())) {
        (false, None) => {
            return Err(DuesError::Invalid(vec![FieldError::new("reason", "不通过时请写明原因")]));
        }
        (_, r) => r.map(str::to_string),
    };
    if let Some(r) = &reason
        && r.chars().count() > 200
    {
        return Err(DuesError::Invalid(vec![FieldError::new("reason", "原因最多 200 个字")]));
    }
    let payment = update(store, id, now, |current: Option<Payment>| {
        let mut payment = current.ok_or(DuesError::NotFound)?;
        if payment.status != PaymentStatus::Pending {
            return Err(DuesError::Reviewed);
        }
        payment.status = if confirm { PaymentStatus::Confirmed } else { PaymentStatus::Rejected };
        payment.reviewed_by = Some(actor.0.clone());
        payment.reviewed_at = Some(now);
        payment.reason = reason.clone();
        Ok(Change::Put(payment))
    })
    .await?
    .ok_or(DuesError::NotFound)?;
    let action = if confirm { "dues.confirm" } else { "dues.reject" };
    let detail =
        format!("{}{}", describe(&payment), reason.map(|r| format!("；原因：{r}")).unwrap_or_default());
    audit(store, actor, now, action, payment.member_id.as_str(), detail).await?;
    Ok(payment)
}

/// Whether a person pays dues: full and probationary members (a roster without stages is a
/// roster of members).
pub fn pays_dues(stage: Option<Stage>) -> bool {
    matches!(stage, None | Some(Stage::Probationary | Stage::Full))
}

/// From which month a person's dues run: the month of their approval as a probationary member,
/// where the joining record has it; else the first month an admin set an amount from (a branch
/// starts its ledger by setting each member's amount from a month on); neither known, every month
/// counts.
async fn since(store: &(impl DocumentStore + ?Sized), member: &MemberId) -> StoreResult<Option<Month>> {
    let record = super::joining::record_of(store, member).await?;
    let approved = record.iter().find(|d| d.milestone == Milestone::Approved).map(|d| Month::of(d.date));
    let first_rate = history(store, member).await?.iter().map(|r| r.from).min();
    Ok(approved.or(first_rate))
}

/// A member's year of the ledger.
#[derive(Debug, Clone, Serialize)]
pub struct Year {
    pub member: Member,
    pub year: i32,
    pub rate_fen: u32,
    pub months: Vec<LedgerMonth>,
    /// Months of the year unpaid after their due date, and what they come to.
    pub overdue: Vec<Month>,
    pub arrears_fen: u64,
    /// Months in a row behind, up to today (across years).
    pub months_behind: u32,
    pub payments: Vec<Payment>,
}

pub async fn year_of(
    store: &(impl DocumentStore + ?Sized),
    member: &Member,
    year: i32,
    today: NaiveDate,
) -> StoreResult<Year> {
    let rates = rates_of(store, &member.id).await?;
    let payments = payments_of(store, &member.id).await?;
    let standing = covered(&payments);
    let since = since(store, &member.id).await?;
    let months = dues::ledger(year, since, &rates, &standing, today);
    let overdue: Vec<Month> =
        months.iter().filter(|m| m.state == MonthState::Overdue).map(|m| m.month).collect();
    let arrears_fen =
        months.iter().filter(|m| m.state == MonthState::Overdue).map(|m| u64::from(m.due_fen)).sum();
    Ok(Year {
        member: member.clone(),
        year,
        rate_fen: dues::amount_for(&rates, Month::of(today)),
        months,
        overdue,
        arrears_fen,
        months_behind: dues::months_behind(since, &rates, &standing, today),
        payments: payments
            .into_iter()
            .filter(|p| p.months.iter().any(|m| m.year == year) || p.status == PaymentStatus::Pending)
            .collect(),
    })
}

/// Every member who pays dues, in roster order, with their year.
pub async fn branch_year(
    store: &(impl MemberStore + DocumentStore + ?Sized),
    year: i32,
    today: NaiveDate,
) -> anyhow::Result<Vec<Year>> {
    let mut rows = Vec::new();
    for (member, stage) in super::joining::roster_with_stages(store).await? {
        if !pays_dues(stage) {
            continue;
        }
        rows.push(year_of(store, &member, year, today).await?);
    }
    Ok(rows)
}

/// Payments waiting for confirmation, oldest first.
pub async fn pending(store: &(impl DocumentStore + ?Sized)) -> StoreResult<Vec<Payment>> {
    let mut list: Vec<Payment> = super::all::<Payment>(store)
        .await?
        .into_iter()
        .filter(|p| p.status == PaymentStatus::Pending)
        .collect();
    list.sort_by_key(|p| p.at);
    Ok(list)
}

/// The summary a notifier may post to a group: counts only, never a name or an amount.
pub fn group_summary(rows: &[Year], pending: usize, today: NaiveDate) -> String {
    let behind = rows.iter().filter(|r| r.months_behind >= 1).count();
    let two_or_more = rows.iter().filter(|r| r.months_behind >= 2).count();
    let mut text =
        format!("【党费提醒】截至{}月{}日，", chrono::Datelike::month(&today), chrono::Datelike::day(&today));
    if behind == 0 {
        text.push_str("支部全体党员党费均已按时交纳，谢谢大家。");
    } else {
        text.push_str(&format!("有 {behind} 位同志还有到期党费未交"));
        if two_or_more > 0 {
            text.push_str(&format!("（其中 {two_or_more} 位已两个月以上）"));
        }
        text.push_str("。请登录支部网站“我的党费”查看并报告交纳情况；在实习单位交纳的，请上传收据。");
    }
    if pending > 0 {
        text.push_str(&format!("另有 {pending} 笔交纳等待支部确认。"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_group_summary_names_no_one_and_no_amount() {
        let member = Member {
            id: MemberId::parse("m001").unwrap(),
            name: "张三".into(),
            role: crate::domain::Role::Member,
            profile: Default::default(),
        };
        let row = |behind| Year {
            member: member.clone(),
            year: 2026,
            rate_fen: 20,
            months: vec![],
            overdue: vec![],
            arrears_fen: 60,
            months_behind: behind,
            payments: vec![],
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let text = group_summary(&[row(3), row(1), row(0)], 2, today);
        assert!(
            text.contains("有 2 位同志") && text.contains("其中 1 位") && text.contains("2 笔"),
            "{text}"
        );
        assert!(!text.contains("张三") && !text.contains("m001") && !text.contains("0.60"), "{text}");
        assert!(group_summary(&[row(0)], 0, today).contains("均已按时交纳"));
    }
}
