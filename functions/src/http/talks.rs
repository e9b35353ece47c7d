//! Heart-to-heart talks (谈心谈话): a member's requests and talks (`/api/talks/…`) and the
//! reviewers' queue, records and yearly list (`/api/admin/talks`). A talk's record is seen by its
//! member and by reviewers only. The rules are `crate::file::talks`.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{Caller, JsonBody, Reviewer, both, member_id_field};
use super::joining::names;
use crate::domain::MemberId;
use crate::domain::talks::{TalkAsk, TalkHeld, TalkMode};
use crate::error::{ApiError, ApiResult};
use crate::file::talks::{self, MemberNote, RequestStatus, Talk, TalkError, TalkRequest};
use crate::secretary::admin::Actor;

impl From<TalkError> for ApiError {
    fn from(e: TalkError) -> ApiError {
        match e {
            TalkError::NotFound => ApiError::NotFound("没有这条谈话记录".into()),
            TalkError::Invalid(fields) => ApiError::Invalid(fields),
            TalkError::AlreadyRequested => {
                ApiError::conflict("already_requested", "你已有一条等待安排的谈话请求")
            }
            TalkError::RequestClosed => ApiError::conflict("closed", "这条谈话请求已经处理"),
            TalkError::Failed(e) => ApiError::Internal(e),
        }
    }
}

#[derive(Deserialize)]
pub struct AskDto {
    topic: Option<String>,
    preferred: Option<String>,
    mode: Option<String>,
}

#[derive(Deserialize)]
pub struct TalkDto {
    member_id: Option<String>,
    held_on: Option<String>,
    mode: Option<String>,
    topic: Option<String>,
    summary: Option<String>,
    follow_ups: Option<String>,
    request_id: Option<String>,
}

#[derive(Deserialize)]
pub struct NoteDto {
    body: Option<String>,
}

#[derive(Deserialize)]
pub struct NoFields {}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

#[derive(Serialize)]
pub struct RequestView {
    at: String,
    id: String,
    member_id: MemberId,
    mode: TalkMode,
    mode_label: &'static str,
    name: String,
    preferred: String,
    status: RequestStatus,
    topic: String,
}

#[derive(Serialize)]
pub struct NoteView {
    at: String,
    body: String,
}

#[derive(Serialize)]
pub struct TalkView {
    follow_ups: String,
    held_on: chrono::NaiveDate,
    id: String,
    member_id: MemberId,
    member_note: Option<NoteView>,
    mode: TalkMode,
    mode_label: &'static str,
    name: String,
    recorded_at: String,
    recorded_by: String,
    summary: String,
    topic: String,
}

fn name_of(names: &HashMap<MemberId, String>, who: &str) -> String {
    MemberId::parse(who).ok().and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| who.to_string())
}

fn request_view(names: &HashMap<MemberId, String>, r: TalkRequest) -> RequestView {
    RequestView {
        at: r.at.to_rfc3339(),
        id: r.id,
        mode: r.mode,
        mode_label: r.mode.label(),
        name: name_of(names, r.member_id.as_str()),
        member_id: r.member_id,
        preferred: r.preferred,
        status: r.status,
        topic: r.topic,
    }
}

fn talk_view(names: &HashMap<MemberId, String>, t: Talk) -> TalkView {
    TalkView {
        follow_ups: t.follow_ups,
        held_on: t.held_on,
        id: t.id,
        member_note: t.member_note.map(|MemberNote { at, body }| NoteView { at: at.to_rfc3339(), body }),
        mode: t.mode,
        mode_label: t.mode.label(),
        name: name_of(names, t.member_id.as_str()),
        member_id: t.member_id,
        recorded_at: t.recorded_at.to_rfc3339(),
        recorded_by: name_of(names, &t.recorded_by),
        summary: t.summary,
        topic: t.topic,
    }
}

#[derive(Serialize)]
pub struct RequestAnswer {
    request: RequestView,
}

#[derive(Serialize)]
pub struct TalkAnswer {
    talk: TalkView,
}

#[derive(Serialize)]
pub struct MineAnswer {
    requests: Vec<RequestView>,
    talks: Vec<TalkView>,
}

#[derive(Serialize)]
pub struct PersonRef {
    member_id: MemberId,
    name: String,
}

#[derive(Serialize)]
pub struct OverviewAnswer {
    open_requests: Vec<RequestView>,
    talks: Vec<TalkView>,
    without_talk: Vec<PersonRef>,
    year: i32,
}

pub async fn ask(
    State(state): State<AppState>,
    Caller(me): Caller,
    JsonBody(dto): JsonBody<AskDto>,
) -> ApiResult<(StatusCode, Json<RequestAnswer>)> {
    let ask = TalkAsk::parse(dto.topic.as_deref(), dto.preferred.as_deref(), dto.mode.as_deref())
        .map_err(ApiError::Invalid)?;
    let request = talks::request(state.store.as_ref(), &me.id, ask, state.clock.now()).await?;
    let names = names(&state).await?;
    Ok((StatusCode::CREATED, Json(RequestAnswer { request: request_view(&names, request) })))
}

pub async fn close_request(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<String>,
    JsonBody(NoFields {}): JsonBody<NoFields>,
) -> ApiResult<Json<RequestAnswer>> {
    let owner = (!me.role.reviews()).then_some(&me.id);
    let actor = Actor(me.id.to_string());
    let request = talks::close_request(state.store.as_ref(), &actor, owner, &id, state.clock.now()).await?;
    let names = names(&state).await?;
    Ok(Json(RequestAnswer { request: request_view(&names, request) }))
}

pub async fn mine(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<MineAnswer>> {
    let (requests, list) = talks::of_member(state.store.as_ref(), &me.id).await?;
    let names = names(&state).await?;
    Ok(Json(MineAnswer {
        requests: requests.into_iter().map(|r| request_view(&names, r)).collect(),
        talks: list.into_iter().map(|t| talk_view(&names, t)).collect(),
    }))
}

pub async fn note(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<String>,
    JsonBody(dto): JsonBody<NoteDto>,
) -> ApiResult<Json<TalkAnswer>> {
    let talk = talks::note(state.store.as_ref(), &me.id, &id, dto.body.as_deref(), state.clock.now()).await?;
    let names = names(&state).await?;
    Ok(Json(TalkAnswer { talk: talk_view(&names, talk) }))
}

pub async fn record(
    State(state): State<AppState>,
    Reviewer(reviewer): Reviewer,
    JsonBody(dto): JsonBody<TalkDto>,
) -> ApiResult<(StatusCode, Json<TalkAnswer>)> {
    let now = state.clock.now();
    let member = member_id_field("member_id", dto.member_id.as_deref());
    let held = TalkHeld::parse(
        dto.held_on.as_deref(),
        dto.mode.as_deref(),
        dto.topic.as_deref(),
        dto.summary.as_deref(),
        dto.follow_ups.as_deref(),
        now.date_naive(),
    );
    let (member, held) = both(member.map_err(|e| vec![e]), held)?;
    if state.store.member(&member).await?.is_none() {
        return Err(ApiError::field("member_id", "名单中没有这位成员"));
    }
    let request_id = dto.request_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let actor = Actor(reviewer.id.to_string());
    let talk = talks::record(state.store.as_ref(), &actor, &member, held, request_id, now).await?;
    let names = names(&state).await?;
    Ok((StatusCode::CREATED, Json(TalkAnswer { talk: talk_view(&names, talk) })))
}

pub async fn overview(
    State(state): State<AppState>,
    Reviewer(_): Reviewer,
    Query(query): Query<YearQuery>,
) -> ApiResult<Json<OverviewAnswer>> {
    let year = match query.year.as_deref().map(str::trim) {
        None | Some("") => state.clock.now().year(),
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| ApiError::field("year", "年份应形如 2026"))?,
    };
    let o = talks::overview(state.store.as_ref(), year).await?;
    let names = names(&state).await?;
    Ok(Json(OverviewAnswer {
        open_requests: o.open_requests.into_iter().map(|r| request_view(&names, r)).collect(),
        talks: o.talks.into_iter().map(|t| talk_view(&names, t)).collect(),
        without_talk: o
            .without_talk
            .into_iter()
            .map(|m| PersonRef { member_id: m.id, name: m.name })
            .collect(),
        year,
    }))
}
