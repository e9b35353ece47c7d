//! Thought reports (思想汇报): one report per person and quarter. The author saves a draft
//! (typed text, photographed pages, or both) as often as they like, submits it, and may withdraw
//! it only until someone else has opened it. Those who may read it (see [`super::access`]) open
//! it — the first opening is kept, and every opening by someone other than the author is written
//! to the audit log — mark it read (已阅) and comment; the author answers each comment once.

use chrono::{DateTime, FixedOffset, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::pages::{self, KeepError, Page};
use super::{Change, Kept, update};
use crate::blobs::Blobs;
use crate::domain::reports::{self as rules, ReportText, check_complete, comment_text, quarter_open};
use crate::domain::{FieldError, MemberId, Quarter};
use crate::photos::PhotoError;
use crate::secretary::admin::{Actor, audit};
use crate::store::{AuditStore, DocumentStore, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportStatus {
    Draft,
    Submitted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub at: DateTime<FixedOffset>,
    pub body: String,
}

/// A reader's comment (批阅意见), with the author's one reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub by: MemberId,
    pub at: DateTime<FixedOffset>,
    pub body: String,
    pub reply: Option<Reply>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub member_id: MemberId,
    pub quarter: Quarter,
    pub title: String,
    pub body: String,
    pub pages: Vec<Page>,
    pub status: ReportStatus,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    pub submitted_at: Option<DateTime<FixedOffset>>,
    /// The first reader other than the author to open the submitted report; from then on it
    /// cannot be withdrawn.
    pub opened_by: Option<MemberId>,
    pub opened_at: Option<DateTime<FixedOffset>>,
    /// Marked read (已阅) by a contact person, an admin or a committee member.
    pub read_by: Option<MemberId>,
    pub read_at: Option<DateTime<FixedOffset>>,
    pub comments: Vec<Comment>,
}

impl Kept for Report {
    const KIND: &'static str = "report";

    fn id(&self) -> String {
        report_id(&self.member_id, self.quarter)
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }

    fn blob_keys(&self) -> Vec<String> {
        self.pages.iter().flat_map(Page::keys).collect()
    }
}

impl Report {
    /// Submits the report as it stands, if it is whole ([`check_complete`]).
    fn submit(&mut self, now: DateTime<FixedOffset>) -> ReportResult<()> {
        let text = ReportText { title: self.title.clone(), body: self.body.clone() };
        check_complete(&text, self.pages.len()).map_err(ReportError::Invalid)?;
        self.status = ReportStatus::Submitted;
        self.submitted_at = Some(now);
        Ok(())
    }
}

pub fn report_id(member: &MemberId, quarter: Quarter) -> String {
    format!("{member}:{quarter}")
}

/// Why a report action was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("no such report")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    /// A quarter still to come.
    #[error("quarter {0} has not begun")]
    QuarterNotOpen(Quarter),
    /// Submitted: withdraw it first to change it.
    #[error("the report is submitted")]
    Submitted,
    /// Someone has opened it: it can no longer be withdrawn.
    #[error("the report has been read")]
    AlreadyRead,
    #[error("the comment has been answered")]
    AlreadyReplied,
    #[error("too many pages")]
    TooManyPages,
    #[error(transparent)]
    Photo(#[from] PhotoError),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl From<KeepError> for ReportError {
    fn from(e: KeepError) -> ReportError {
        match e {
            KeepError::Photo(e) => ReportError::Photo(e),
            KeepError::Failed(e) => ReportError::Failed(e),
        }
    }
}

type ReportResult<T> = Result<T, ReportError>;

fn fresh(member: &MemberId, quarter: Quarter, now: DateTime<FixedOffset>) -> Report {
    Report {
        member_id: member.clone(),
        quarter,
        title: String::new(),
        body: String::new(),
        pages: Vec::new(),
        status: ReportStatus::Draft,
        created_at: now,
        updated_at: now,
        submitted_at: None,
        opened_by: None,
        opened_at: None,
        read_by: None,
        read_at: None,
        comments: Vec::new(),
    }
}

/// The author's draft, made if there is none; refused once submitted.
fn draft_of(
    current: Option<Report>,
    member: &MemberId,
    quarter: Quarter,
    now: DateTime<FixedOffset>,
) -> ReportResult<Report> {
    let report = current.unwrap_or_else(|| fresh(member, quarter, now));
    if report.status == ReportStatus::Submitted {
        return Err(ReportError::Submitted);
    }
    Ok(report)
}

fn written(report: Option<Report>) -> ReportResult<Report> {
    report.ok_or(ReportError::NotFound)
}

/// Saves the author's title and text (a new draft, or the draft changed); with `submit`, also
/// submits it, which needs the whole report ([`check_complete`]).
pub async fn save(
    store: &(impl DocumentStore + ?Sized),
    author: &MemberId,
    quarter: Quarter,
    text: ReportText,
    submit: bool,
    now: DateTime<FixedOffset>,
) -> ReportResult<(Report, bool)> {
    if !quarter_open(quarter, now.date_naive()) {
        return Err(ReportError::QuarterNotOpen(quarter));
    }
    let mut created = false;
    let report =
        update::<Report, ReportError>(store, &report_id(author, quarter), now, |current: Option<Report>| {
            created = current.is_none();
            let mut report = draft_of(current, author, quarter, now)?;
            report.title = text.title.clone();
            report.body = text.body.clone();
            report.updated_at = now;
            if submit {
                report.submit(now)?;
            }
            Ok(Change::Put(report))
        })
        .await?;
    Ok((written(report)?, created))
}

/// Submits the author's draft as it stands.
pub async fn submit(
    store: &(impl DocumentStore + ?Sized),
    author: &MemberId,
    quarter: Quarter,
    now: DateTime<FixedOffset>,
) -> ReportResult<Report> {
    let report =
        update::<Report, ReportError>(store, &report_id(author, quarter), now, |current: Option<Report>| {
            let mut report = current.ok_or(ReportError::NotFound)?;
            if report.status == ReportStatus::Submitted {
                return Ok(Change::Put(report));
            }
            report.submit(now)?;
            report.updated_at = now;
            Ok(Change::Put(report))
        })
        .await?;
    written(report)
}

/// Adds a photographed page to the author's draft (made if there is none): the photo is judged
/// by its bytes and re-encoded, stored, then the draft records it; if the draft cannot take it,
/// the stored photo is removed again.
pub async fn add_page(
    store: &(impl DocumentStore + ?Sized),
    blobs: &dyn Blobs,
    author: &MemberId,
    quarter: Quarter,
    photo: Vec<u8>,
    now: DateTime<FixedOffset>,
) -> ReportResult<Report> {
    if !quarter_open(quarter, now.date_naive()) {
        return Err(ReportError::QuarterNotOpen(quarter));
    }
    // Refuse early what would be refused anyway, before decoding anything.
    if let Some(existing) = super::load::<Report>(store, &report_id(author, quarter)).await? {
        if existing.value.status == ReportStatus::Submitted {
            return Err(ReportError::Submitted);
        }
        if existing.value.pages.len() >= rules::REPORT_MAX_PAGES {
            return Err(ReportError::TooManyPages);
        }
    }
    let page = pages::keep(blobs, &format!("reports/{author}/{quarter}"), photo).await?;
    let stored =
        update::<Report, ReportError>(store, &report_id(author, quarter), now, |current: Option<Report>| {
            let mut report = draft_of(current, author, quarter, now)?;
            if report.pages.len() >= rules::REPORT_MAX_PAGES {
                return Err(ReportError::TooManyPages);
            }
            report.pages.push(page.clone());
            report.updated_at = now;
            Ok(Change::Put(report))
        })
        .await;
    match stored {
        Ok(report) => written(report),
        Err(e) => {
            pages::remove(blobs, &page).await;
            Err(e)
        }
    }
}

/// Removes page `number` (1-based) from the author's draft, then its photos.
pub async fn remove_page(
    store: &(impl DocumentStore + ?Sized),
    blobs: &dyn Blobs,
    author: &MemberId,
    quarter: Quarter,
    number: usize,
    now: DateTime<FixedOffset>,
) -> ReportResult<Report> {
    let mut removed = None;
    let report =
        update::<Report, ReportError>(store, &report_id(author, quarter), now, |current: Option<Report>| {
            let mut report = current.ok_or(ReportError::NotFound)?;
            if report.status == ReportStatus::Submitted {
                return Err(ReportError::Submitted);
            }
            if number == 0 || number > report.pages.len() {
                return Err(ReportError::NotFound);
            }
            removed = Some(report.pages.remove(number - 1));
            report.updated_at = now;
            Ok(Change::Put(report))
        })
        .await?;
    if let Some(page) = removed {
        pages::remove(blobs, &page).await;
    }
    written(report)
}

/// Throws the author's draft away (with its photos). A submitted report is withdrawn first.
pub async fn discard(
    store: &(impl DocumentStore + ?Sized),
    blobs: &dyn Blobs,
    author: &MemberId,
    quarter: Quarter,
    now: DateTime<FixedOffset>,
) -> ReportResult<()> {
    let mut removed = Vec::new();
    update::<Report, ReportError>(store, &report_id(author, quarter), now, |current: Option<Report>| {
        let report = current.ok_or(ReportError::NotFound)?;
        if report.status == ReportStatus::Submitted {
            return Err(ReportError::Submitted);
        }
        removed = report.pages.clone();
        Ok(Change::<Report>::Delete)
    })
    .await?;
    for page in &removed {
        pages::remove(blobs, page).await;
    }
    Ok(())
}

/// Takes a submitted report back to a draft, if nobody else has opened it yet.
pub async fn withdraw(
    store: &(impl DocumentStore + ?Sized),
    author: &MemberId,
    quarter: Quarter,
    now: DateTime<FixedOffset>,
) -> ReportResult<Report> {
    let report =
        update::<Report, ReportError>(store, &report_id(author, quarter), now, |current: Option<Report>| {
            let mut report = current.ok_or(ReportError::NotFound)?;
            if report.status == ReportStatus::Draft {
                return Ok(Change::Put(report));
            }
            if report.opened_by.is_some() {
                return Err(ReportError::AlreadyRead);
            }
            report.status = ReportStatus::Draft;
            report.submitted_at = None;
            report.updated_at = now;
            Ok(Change::Put(report))
        })
        .await?;
    written(report)
}

/// The author's own report of a quarter, draft or submitted.
pub async fn own(
    store: &(impl DocumentStore + ?Sized),
    author: &MemberId,
    quarter: Quarter,
) -> ReportResult<Report> {
    let found = super::load::<Report>(store, &report_id(author, quarter)).await?;
    found.map(|v| v.value).ok_or(ReportError::NotFound)
}

/// Every report of the author, drafts included, oldest quarter first.
pub async fn all_own(store: &(impl DocumentStore + ?Sized), author: &MemberId) -> StoreResult<Vec<Report>> {
    let mut reports = super::of_member::<Report>(store, author).await?;
    reports.sort_by_key(|r| r.quarter);
    Ok(reports)
}

/// A submitted report opened by someone other than its author (whose right to read it the
/// caller has checked): the first opening is kept (no withdrawing after it), and the reading is
/// written to the audit log. Drafts are the author's alone: not found.
pub async fn open(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    reader: &MemberId,
    author: &MemberId,
    quarter: Quarter,
    now: DateTime<FixedOffset>,
) -> ReportResult<Report> {
    let id = report_id(author, quarter);
    let current = super::load::<Report>(store, &id).await?.map(|v| v.value);
    let report = match current {
        Some(r) if r.status == ReportStatus::Submitted => r,
        _ => return Err(ReportError::NotFound),
    };
    let report = keep_first_opening(store, report, reader, now).await?;
    audit(store, &Actor(reader.to_string()), now, "report.view", &id, String::new()).await?;
    Ok(report)
}

/// A person's submitted reports opened together (the series, for the paper file), each kept as
/// opened and the reading written once to the audit log.
pub async fn open_series(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    reader: &MemberId,
    author: &MemberId,
    now: DateTime<FixedOffset>,
) -> ReportResult<Vec<Report>> {
    let mut series = Vec::new();
    for report in all_own(store, author).await? {
        if report.status != ReportStatus::Submitted {
            continue;
        }
        series.push(keep_first_opening(store, report, reader, now).await?);
    }
    audit(
        store,
        &Actor(reader.to_string()),
        now,
        "report.view_series",
        author.as_str(),
        format!("{} 篇", series.len()),
    )
    .await?;
    Ok(series)
}

/// Keeps `reader` as the first to open a submitted report, unless someone opened it before.
async fn keep_first_opening(
    store: &(impl DocumentStore + ?Sized),
    report: Report,
    reader: &MemberId,
    now: DateTime<FixedOffset>,
) -> ReportResult<Report> {
    if report.opened_by.is_some() {
        return Ok(report);
    }
    let first = |r: &mut Report| {
        r.opened_by = Some(reader.clone());
        r.opened_at = Some(now);
    };
    written(mark(store, &report.id(), now, |r| r.opened_by.is_none(), first).await?)
}

/// Changes a submitted report (`change` runs only while `needed` says so).
async fn mark(
    store: &(impl DocumentStore + ?Sized),
    id: &str,
    now: DateTime<FixedOffset>,
    needed: impl Fn(&Report) -> bool,
    change: impl Fn(&mut Report),
) -> ReportResult<Option<Report>> {
    update::<Report, ReportError>(store, id, now, |current: Option<Report>| {
        let mut report =
            current.filter(|r| r.status == ReportStatus::Submitted).ok_or(ReportError::NotFound)?;
        if needed(&report) {
            change(&mut report);
        }
        Ok(Change::Put(report))
    })
    .await
}

/// Marks a submitted report read (已阅) — which also counts as opening it — and audits it.
pub async fn mark_read(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    reader: &MemberId,
    author: &MemberId,
    quarter: Quarter,
    now: DateTime<FixedOffset>,
) -> ReportResult<Report> {
    let id = report_id(author, quarter);
    let report = mark(
        store,
        &id,
        now,
        |r| r.read_by.is_none(),
        |r| {
            r.read_by = Some(reader.clone());
            r.read_at = Some(now);
            if r.opened_by.is_none() {
                r.opened_by = Some(reader.clone());
                r.opened_at = Some(now);
            }
        },
    )
    .await?;
    audit(store, &Actor(reader.to_string()), now, "report.read", &id, String::new()).await?;
    written(report)
}

/// Adds a reader's comment (批阅意见) to a submitted report; the report counts as read.
pub async fn comment(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    reader: &MemberId,
    author: &MemberId,
    quarter: Quarter,
    body: Option<&str>,
    now: DateTime<FixedOffset>,
) -> ReportResult<Report> {
    let body = comment_text("body", body).map_err(|e| ReportError::Invalid(vec![e]))?;
    let id = report_id(author, quarter);
    let report = update::<Report, ReportError>(store, &id, now, |current: Option<Report>| {
        let mut report =
            current.filter(|r| r.status == ReportStatus::Submitted).ok_or(ReportError::NotFound)?;
        report.comments.push(Comment { by: reader.clone(), at: now, body: body.clone(), reply: None });
        if report.read_by.is_none() {
            report.read_by = Some(reader.clone());
            report.read_at = Some(now);
        }
        if report.opened_by.is_none() {
            report.opened_by = Some(reader.clone());
            report.opened_at = Some(now);
        }
        Ok(Change::Put(report))
    })
    .await?;
    let count = report.as_ref().map(|r| r.comments.len()).unwrap_or(0);
    audit(store, &Actor(reader.to_string()), now, "report.comment", &id, format!("第 {count} 条意见"))
        .await?;
    written(report)
}

/// The author's one answer to comment `number` (1-based).
pub async fn reply(
    store: &(impl DocumentStore + ?Sized),
    author: &MemberId,
    quarter: Quarter,
    number: usize,
    body: Option<&str>,
    now: DateTime<FixedOffset>,
) -> ReportResult<Report> {
    let body = comment_text("body", body).map_err(|e| ReportError::Invalid(vec![e]))?;
    let report =
        update::<Report, ReportError>(store, &report_id(author, quarter), now, |current: Option<Report>| {
            let mut report = current.ok_or(ReportError::NotFound)?;
            let comment = number
                .checked_sub(1)
                .and_then(|i| report.comments.get_mut(i))
                .ok_or(ReportError::NotFound)?;
            if comment.reply.is_some() {
                return Err(ReportError::AlreadyReplied);
            }
            comment.reply = Some(Reply { at: now, body: body.clone() });
            Ok(Change::Put(report))
        })
        .await?;
    written(report)
}

/// Where the overview starts looking for missing reports when the record has no application
/// date: a year back.
pub fn default_since(today: NaiveDate) -> NaiveDate {
    today.checked_sub_months(Months::new(12)).unwrap_or(today)
}

/// The ended quarters since `since`, at most [`super::joining::REPORT_WINDOW_QUARTERS`] of them.
pub fn due_quarters_since(since: NaiveDate, today: NaiveDate) -> Vec<Quarter> {
    rules::due_quarters(since, today, super::joining::REPORT_WINDOW_QUARTERS)
}

/// Where a person's report of a quarter stands, as the secretary sees it (a draft is the
/// author's own business: it shows as missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuarterState {
    Missing,
    Submitted,
    Read,
}

impl QuarterState {
    pub fn label(self) -> &'static str {
        match self {
            QuarterState::Missing => "未提交",
            QuarterState::Submitted => "已提交",
            QuarterState::Read => "已阅",
        }
    }
}

/// One person's row of a quarter.
#[derive(Debug, Clone, Serialize)]
pub struct QuarterRow {
    pub member: crate::store::Member,
    pub stage: Option<crate::domain::Stage>,
    pub state: QuarterState,
    pub submitted_at: Option<DateTime<FixedOffset>>,
    pub comments: usize,
}

/// Everyone who writes quarterly reports (every stage before 正式党员, by their record), in roster
/// order, with where their report of `quarter` stands. No ranking: the roster's order.
pub async fn quarter_rows(
    store: &(impl crate::store::MemberStore + DocumentStore + ?Sized),
    quarter: Quarter,
) -> anyhow::Result<Vec<QuarterRow>> {
    let reports = super::all::<Report>(store).await?;
    let mut rows = Vec::new();
    for (member, stage) in super::joining::roster_with_stages(store).await? {
        if !stage.is_some_and(|s| s.reports_quarterly()) {
            continue;
        }
        let report = reports.iter().find(|r| {
            r.member_id == member.id && r.quarter == quarter && r.status == ReportStatus::Submitted
        });
        let state = match report {
            None => QuarterState::Missing,
            Some(r) if r.read_by.is_some() => QuarterState::Read,
            Some(_) => QuarterState::Submitted,
        };
        rows.push(QuarterRow {
            member,
            stage,
            state,
            submitted_at: report.and_then(|r| r.submitted_at),
            comments: report.map(|r| r.comments.len()).unwrap_or(0),
        });
    }
    Ok(rows)
}
