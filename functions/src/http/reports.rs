//! Thought reports (思想汇报). The author's side under `/api/reports/mine` (drafts, pages,
//! submit, withdraw, discard, replies); readers' side under `/api/members/{id}/reports` (the
//! person, their contact persons and reviewers: everyone else gets 404) and `/api/reports/assigned`
//! (the people the caller is a contact for); reviewers' quarter overview at `/api/admin/reports`.
//! The rules are `crate::file::reports`.

use std::collections::HashMap;

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::copies::{form_fields, signed_url, too_large};
use super::extract::{Caller, JsonBody, Reviewer, both};
use super::joining::{names, person, stage_label};
use super::{AppState, UPLOAD_LIMIT};
use crate::domain::reports::ReportText;
use crate::domain::{MemberId, Quarter, Stage};
use crate::error::{ApiError, ApiResult};
use crate::file::reports::{self, QuarterState, Report, ReportError, ReportStatus};
use crate::file::{access, joining};
use crate::store::Member;

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> ApiError {
        match e {
            ReportError::NotFound => not_found(),
            ReportError::Invalid(fields) => ApiError::Invalid(fields),
            ReportError::QuarterNotOpen(q) => ApiError::NotOpen(format!("{}还没有开始", q.label())),
            ReportError::Submitted => ApiError::conflict("submitted", "这篇思想汇报已提交；要修改，请先撤回"),
            ReportError::AlreadyRead => {
                ApiError::conflict("already_read", "已有人阅读了这篇思想汇报，不能再撤回")
            }
            ReportError::AlreadyReplied => ApiError::conflict("already_replied", "每条意见只能回复一次"),
            ReportError::TooManyPages => ApiError::field(
                "photo",
                format!("手写稿照片最多 {} 张", crate::domain::reports::REPORT_MAX_PAGES),
            ),
            ReportError::Photo(e) => e.into(),
            ReportError::Failed(e) => ApiError::Internal(e),
        }
    }
}

fn not_found() -> ApiError {
    ApiError::NotFound("没有这篇思想汇报".into())
}

fn quarter_in_path(s: &str) -> ApiResult<Quarter> {
    Quarter::parse(s).ok_or_else(not_found)
}

#[derive(Deserialize)]
pub struct SaveDto {
    quarter: Option<String>,
    title: Option<String>,
    body: Option<String>,
    submit: Option<bool>,
}

#[derive(Deserialize)]
pub struct BodyDto {
    body: Option<String>,
}

/// An empty JSON object (actions without fields still take JSON, like every POST).
#[derive(Deserialize)]
pub struct NoFields {}

#[derive(Deserialize)]
pub struct QuarterQuery {
    quarter: Option<String>,
}

#[derive(Serialize)]
pub struct PageView {
    height: u32,
    number: usize,
    thumb_url: String,
    url: String,
    width: u32,
}

#[derive(Serialize)]
pub struct ReplyView {
    at: String,
    body: String,
}

#[derive(Serialize)]
pub struct CommentView {
    at: String,
    body: String,
    by: String,
    by_id: MemberId,
    number: usize,
    reply: Option<ReplyView>,
}

#[derive(Serialize)]
pub struct ReportView {
    author: String,
    body: String,
    comments: Vec<CommentView>,
    created_at: String,
    member_id: MemberId,
    opened: bool,
    pages: Vec<PageView>,
    quarter: Quarter,
    quarter_label: String,
    read_at: Option<String>,
    read_by: Option<String>,
    status: ReportStatus,
    submitted_at: Option<String>,
    title: String,
    updated_at: String,
    withdrawable: bool,
}

fn view(state: &AppState, names: &HashMap<MemberId, String>, r: Report) -> ReportView {
    let name = |id: &MemberId| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    ReportView {
        author: name(&r.member_id),
        body: r.body,
        comments: r
            .comments
            .into_iter()
            .enumerate()
            .map(|(i, c)| CommentView {
                at: c.at.to_rfc3339(),
                body: c.body,
                by: name(&c.by),
                by_id: c.by,
                number: i + 1,
                reply: c.reply.map(|r| ReplyView { at: r.at.to_rfc3339(), body: r.body }),
            })
            .collect(),
        created_at: r.created_at.to_rfc3339(),
        opened: r.opened_by.is_some(),
        pages: r
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| PageView {
                height: p.height,
                number: i + 1,
                thumb_url: signed_url(state, &p.thumb_key),
                url: signed_url(state, &p.photo_key),
                width: p.width,
            })
            .collect(),
        quarter_label: r.quarter.label(),
        quarter: r.quarter,
        read_at: r.read_at.map(|t| t.to_rfc3339()),
        read_by: r.read_by.as_ref().map(name),
        withdrawable: r.status == ReportStatus::Submitted && r.opened_by.is_none(),
        status: r.status,
        submitted_at: r.submitted_at.map(|t| t.to_rfc3339()),
        title: r.title,
        updated_at: r.updated_at.to_rfc3339(),
        member_id: r.member_id,
    }
}

#[derive(Serialize)]
pub struct ReportAnswer {
    report: ReportView,
}

#[derive(Serialize)]
pub struct ReportsAnswer {
    reports: Vec<ReportView>,
}

#[derive(Serialize)]
pub struct Deleted {
    deleted: bool,
}

async fn one(state: &AppState, report: Report) -> ApiResult<Json<ReportAnswer>> {
    let names = names(state).await?;
    Ok(Json(ReportAnswer { report: view(state, &names, report) }))
}

// The author's side.

pub async fn mine(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<ReportsAnswer>> {
    let names = names(&state).await?;
    let reports = reports::all_own(state.store.as_ref(), &me.id).await?;
    Ok(Json(ReportsAnswer { reports: reports.into_iter().map(|r| view(&state, &names, r)).collect() }))
}

pub async fn save(
    State(state): State<AppState>,
    Caller(me): Caller,
    JsonBody(dto): JsonBody<SaveDto>,
) -> ApiResult<(StatusCode, Json<ReportAnswer>)> {
    let quarter = Quarter::field(dto.quarter.as_deref()).map_err(|e| vec![e]);
    let (quarter, text) = both(quarter, ReportText::parse(dto.title.as_deref(), dto.body.as_deref()))?;
    let now = state.clock.now();
    let (report, created) =
        reports::save(state.store.as_ref(), &me.id, quarter, text, dto.submit.unwrap_or(false), now).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, one(&state, report).await?))
}

pub async fn own(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(quarter): Path<String>,
) -> ApiResult<Json<ReportAnswer>> {
    let report = reports::own(state.store.as_ref(), &me.id, quarter_in_path(&quarter)?).await?;
    one(&state, report).await
}

pub async fn submit(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(quarter): Path<String>,
    JsonBody(NoFields {}): JsonBody<NoFields>,
) -> ApiResult<Json<ReportAnswer>> {
    let quarter = quarter_in_path(&quarter)?;
    let report = reports::submit(state.store.as_ref(), &me.id, quarter, state.clock.now()).await?;
    one(&state, report).await
}

pub async fn add_page(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(quarter): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<ReportAnswer>)> {
    let quarter = quarter_in_path(&quarter)?;
    let mut form = form_fields(multipart, "photo").await?;
    let photo = form.file("photo").ok_or_else(|| ApiError::field("photo", "请选择照片"))?;
    if photo.len() > UPLOAD_LIMIT {
        return Err(too_large());
    }
    let report = reports::add_page(
        state.store.as_ref(),
        state.blobs.as_ref(),
        &me.id,
        quarter,
        photo,
        state.clock.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, one(&state, report).await?))
}

pub async fn remove_page(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path((quarter, number)): Path<(String, String)>,
) -> ApiResult<Json<ReportAnswer>> {
    let quarter = quarter_in_path(&quarter)?;
    let number = number.parse::<usize>().map_err(|_| ApiError::NotFound("没有这一页".into()))?;
    let now = state.clock.now();
    let report =
        reports::remove_page(state.store.as_ref(), state.blobs.as_ref(), &me.id, quarter, number, now)
            .await?;
    one(&state, report).await
}

pub async fn withdraw(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(quarter): Path<String>,
    JsonBody(NoFields {}): JsonBody<NoFields>,
) -> ApiResult<Json<ReportAnswer>> {
    let quarter = quarter_in_path(&quarter)?;
    let report = reports::withdraw(state.store.as_ref(), &me.id, quarter, state.clock.now()).await?;
    one(&state, report).await
}

pub async fn discard(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(quarter): Path<String>,
) -> ApiResult<Json<Deleted>> {
    let quarter = quarter_in_path(&quarter)?;
    reports::discard(state.store.as_ref(), state.blobs.as_ref(), &me.id, quarter, state.clock.now()).await?;
    Ok(Json(Deleted { deleted: true }))
}

pub async fn reply(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path((quarter, number)): Path<(String, String)>,
    JsonBody(dto): JsonBody<BodyDto>,
) -> ApiResult<Json<ReportAnswer>> {
    let quarter = quarter_in_path(&quarter)?;
    let number = number.parse::<usize>().map_err(|_| ApiError::NotFound("没有这条意见".into()))?;
    let now = state.clock.now();
    let report =
        reports::reply(state.store.as_ref(), &me.id, quarter, number, dto.body.as_deref(), now).await?;
    one(&state, report).await
}

// The readers' side.

/// The person a reader names, if the reader may read their reports (else 404, like a report
/// that does not exist).
async fn readable(state: &AppState, reader: &Member, id: &str) -> ApiResult<Member> {
    let author = person(state, id).await.map_err(|_| not_found())?;
    if access::may_read_reports(reader, &author) { Ok(author) } else { Err(not_found()) }
}

async fn reviewable(state: &AppState, reader: &Member, id: &str) -> ApiResult<Member> {
    let author = readable(state, reader, id).await?;
    if access::may_review_reports(reader, &author) { Ok(author) } else { Err(not_found()) }
}

#[derive(Serialize)]
pub struct AuthorView {
    id: MemberId,
    name: String,
    stage: Option<Stage>,
    stage_label: &'static str,
}

#[derive(Serialize)]
pub struct SeriesAnswer {
    member: AuthorView,
    reports: Vec<ReportView>,
}

pub async fn series(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<SeriesAnswer>> {
    let author = readable(&state, &reader, &id).await?;
    let store = state.store.as_ref();
    let list = if author.id == reader.id {
        reports::all_own(store, &author.id)
            .await?
            .into_iter()
            .filter(|r| r.status == ReportStatus::Submitted)
            .collect()
    } else {
        reports::open_series(store, &reader.id, &author.id, state.clock.now()).await?
    };
    let names = names(&state).await?;
    let stage = joining::road_of(store, &author).await?.stage;
    Ok(Json(SeriesAnswer {
        member: AuthorView { id: author.id, name: author.name, stage, stage_label: stage_label(stage) },
        reports: list.into_iter().map(|r| view(&state, &names, r)).collect(),
    }))
}

pub async fn show(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path((id, quarter)): Path<(String, String)>,
) -> ApiResult<Json<ReportAnswer>> {
    let author = readable(&state, &reader, &id).await?;
    let quarter = quarter_in_path(&quarter)?;
    let report = if author.id == reader.id {
        reports::own(state.store.as_ref(), &author.id, quarter).await?
    } else {
        reports::open(state.store.as_ref(), &reader.id, &author.id, quarter, state.clock.now()).await?
    };
    one(&state, report).await
}

pub async fn mark_read(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path((id, quarter)): Path<(String, String)>,
    JsonBody(NoFields {}): JsonBody<NoFields>,
) -> ApiResult<Json<ReportAnswer>> {
    let author = reviewable(&state, &reader, &id).await?;
    let quarter = quarter_in_path(&quarter)?;
    let report =
        reports::mark_read(state.store.as_ref(), &reader.id, &author.id, quarter, state.clock.now()).await?;
    one(&state, report).await
}

pub async fn comment(
    State(state): State<AppState>,
    Caller(reader): Caller,
    Path((id, quarter)): Path<(String, String)>,
    JsonBody(dto): JsonBody<BodyDto>,
) -> ApiResult<(StatusCode, Json<ReportAnswer>)> {
    let author = reviewable(&state, &reader, &id).await?;
    let quarter = quarter_in_path(&quarter)?;
    let now = state.clock.now();
    let report =
        reports::comment(state.store.as_ref(), &reader.id, &author.id, quarter, dto.body.as_deref(), now)
            .await?;
    Ok((StatusCode::CREATED, one(&state, report).await?))
}

/// A submitted report in a list: what it is, not what it says (listing does not open it).
#[derive(Serialize)]
pub struct ReportSummary {
    comments: usize,
    quarter: Quarter,
    quarter_label: String,
    read: bool,
    submitted_at: Option<String>,
    title: String,
}

#[derive(Serialize)]
pub struct AssignedPerson {
    member_id: MemberId,
    name: String,
    reports: Vec<ReportSummary>,
    stage: Option<Stage>,
    stage_label: &'static str,
}

#[derive(Serialize)]
pub struct AssignedAnswer {
    people: Vec<AssignedPerson>,
}

/// The people the caller is a contact person for, in roster order, with their submitted reports
/// listed (not opened: reading one is `GET /api/members/{id}/reports/{quarter}`).
pub async fn assigned(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<AssignedAnswer>> {
    let store = state.store.as_ref();
    let mut people = Vec::new();
    for record in store.members().await? {
        let member = record.member;
        if !member.contacts().contains(&me.id) {
            continue;
        }
        let list = reports::all_own(store, &member.id).await?;
        let stage = joining::road_of(store, &member).await?.stage;
        people.push(AssignedPerson {
            member_id: member.id,
            name: member.name,
            reports: list
                .into_iter()
                .filter(|r| r.status == ReportStatus::Submitted)
                .map(|r| ReportSummary {
                    comments: r.comments.len(),
                    quarter: r.quarter,
                    quarter_label: r.quarter.label(),
                    read: r.read_by.is_some(),
                    submitted_at: r.submitted_at.map(|t| t.to_rfc3339()),
                    title: r.title,
                })
                .collect(),
            stage,
            stage_label: stage_label(stage),
        });
    }
    Ok(Json(AssignedAnswer { people }))
}

#[derive(Serialize)]
pub struct QuarterRowView {
    comments: usize,
    member_id: MemberId,
    name: String,
    stage: Option<Stage>,
    stage_label: &'static str,
    state: QuarterState,
    state_label: &'static str,
    submitted_at: Option<String>,
}

#[derive(Serialize)]
pub struct QuarterAnswer {
    quarter: Quarter,
    quarter_label: String,
    rows: Vec<QuarterRowView>,
}

/// Per person and quarter: missing, submitted or read — roster order, no ranking.
pub async fn quarter(
    State(state): State<AppState>,
    Reviewer(_): Reviewer,
    Query(query): Query<QuarterQuery>,
) -> ApiResult<Json<QuarterAnswer>> {
    let quarter = match query.quarter.as_deref() {
        None | Some("") => Quarter::of(state.clock.now().date_naive()),
        Some(q) => Quarter::field(Some(q)).map_err(|e| ApiError::Invalid(vec![e]))?,
    };
    let rows = reports::quarter_rows(state.store.as_ref(), quarter).await?;
    Ok(Json(QuarterAnswer {
        quarter,
        quarter_label: quarter.label(),
        rows: rows
            .into_iter()
            .map(|r| QuarterRowView {
                comments: r.comments,
                member_id: r.member.id,
                name: r.member.name,
                stage: r.stage,
                stage_label: stage_label(r.stage),
                state: r.state,
                state_label: r.state.label(),
                submitted_at: r.submitted_at.map(|t| t.to_rfc3339()),
            })
            .collect(),
    }))
}
