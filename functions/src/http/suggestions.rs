//! Suggestions and complaints (意见建议): `POST /api/suggestions` (signed, a few an hour), `GET
//! /api/suggestions/mine` (with the answers), and the admins' `GET /api/admin/suggestions` and
//! `POST /api/admin/suggestions/{id}/answer`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{Admin, Caller, JsonBody};
use super::joining::names;
use crate::domain::MemberId;
use crate::error::{ApiError, ApiResult};
use crate::file::suggestions::{self, Suggestion, SuggestionError, Topic};
use crate::secretary::admin::Actor;
use crate::store::Quota;

/// Suggestions a member may send an hour.
pub const SUGGESTION_QUOTA: Quota = Quota { kind: "suggestions", window_seconds: 3600, limit: 5 };

impl From<SuggestionError> for ApiError {
    fn from(e: SuggestionError) -> ApiError {
        match e {
            SuggestionError::NotFound => ApiError::NotFound("没有这条意见建议".into()),
            SuggestionError::Invalid(fields) => ApiError::Invalid(fields),
            SuggestionError::Failed(e) => ApiError::Internal(e),
        }
    }
}

#[derive(Deserialize)]
pub struct SuggestionDto {
    topic: Option<String>,
    body: Option<String>,
}

#[derive(Deserialize)]
pub struct AnswerDto {
    body: Option<String>,
}

#[derive(Serialize)]
pub struct AnswerView {
    at: String,
    body: String,
    by: String,
}

#[derive(Serialize)]
pub struct SuggestionView {
    answer: Option<AnswerView>,
    at: String,
    body: String,
    id: String,
    member_id: MemberId,
    name: String,
    topic: Topic,
    topic_label: &'static str,
}

fn view(names: &std::collections::HashMap<MemberId, String>, s: Suggestion) -> SuggestionView {
    let name_of = |who: &str| {
        MemberId::parse(who).ok().and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| who.to_string())
    };
    SuggestionView {
        answer: s.answer.map(|a| AnswerView { at: a.at.to_rfc3339(), by: name_of(&a.by), body: a.body }),
        at: s.at.to_rfc3339(),
        body: s.body,
        id: s.id,
        name: name_of(s.member_id.as_str()),
        member_id: s.member_id,
        topic_label: s.topic.label(),
        topic: s.topic,
    }
}

#[derive(Serialize)]
pub struct SuggestionAnswer {
    suggestion: SuggestionView,
}

#[derive(Serialize)]
pub struct SuggestionsAnswer {
    suggestions: Vec<SuggestionView>,
}

pub async fn send(
    State(state): State<AppState>,
    Caller(me): Caller,
    JsonBody(dto): JsonBody<SuggestionDto>,
) -> ApiResult<(StatusCode, Json<SuggestionAnswer>)> {
    let (topic, body) =
        suggestions::parse(dto.topic.as_deref(), dto.body.as_deref()).map_err(ApiError::Invalid)?;
    let now = state.clock.now();
    if !state.store.take_quota(&me.id, &SUGGESTION_QUOTA, now).await? {
        let ends = SUGGESTION_QUOTA.window_start(now) + SUGGESTION_QUOTA.window_seconds;
        let retry_after_secs = (ends - now.timestamp()).max(1) as u64;
        return Err(ApiError::RateLimited { retry_after_secs, what: "提交意见建议过于频繁" });
    }
    let suggestion = suggestions::send(state.store.as_ref(), &me.id, topic, body, now).await?;
    let names = names(&state).await?;
    Ok((StatusCode::CREATED, Json(SuggestionAnswer { suggestion: view(&names, suggestion) })))
}

pub async fn mine(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<SuggestionsAnswer>> {
    let list = suggestions::of_member(state.store.as_ref(), &me.id).await?;
    let names = names(&state).await?;
    Ok(Json(SuggestionsAnswer { suggestions: list.into_iter().map(|s| view(&names, s)).collect() }))
}

pub async fn all(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<SuggestionsAnswer>> {
    let list = suggestions::all(state.store.as_ref()).await?;
    let names = names(&state).await?;
    Ok(Json(SuggestionsAnswer { suggestions: list.into_iter().map(|s| view(&names, s)).collect() }))
}

pub async fn answer(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    JsonBody(dto): JsonBody<AnswerDto>,
) -> ApiResult<Json<SuggestionAnswer>> {
    let actor = Actor(admin.id.to_string());
    let answered =
        suggestions::answer(state.store.as_ref(), &actor, &id, dto.body.as_deref(), state.clock.now())
            .await?;
    let names = names(&state).await?;
    Ok(Json(SuggestionAnswer { suggestion: view(&names, answered) }))
}
