//! The yearly democratic review (民主评议党员): `GET /api/reviews/{id}` (the round, my
//! self-assessment, the opinions I sent, my outcome), `POST /api/reviews/{id}/self`, `POST
//! /api/reviews/{id}/opinions`; admins' `GET /api/admin/reviews/{id}` (every participant, for the
//! page and the printed 民主测评表) and `POST /api/admin/reviews/{id}/outcomes`. There is no ballot
//! endpoint, by design: the 民主测评 is a secret ballot cast at the meeting.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{Admin, Caller, JsonBody, member_id_field};
use super::joining::names;
use crate::catalog::Review;
use crate::domain::MemberId;
use crate::error::{ApiError, ApiResult};
use crate::file::review::{self, Grade, Outcome, PeerOpinion, ReviewError, SelfAssessment, SelfStatus};
use crate::secretary::admin::Actor;

impl From<ReviewError> for ApiError {
    fn from(e: ReviewError) -> ApiError {
        match e {
            ReviewError::NotFound => ApiError::NotFound("没有这次民主评议".into()),
            ReviewError::Invalid(fields) => ApiError::Invalid(fields),
            ReviewError::NotOpen => ApiError::NotOpen("民主评议还没有开始".into()),
            ReviewError::Closed => ApiError::Closed("民主评议已经结束".into()),
            ReviewError::NotParticipant => {
                ApiError::conflict("not_participant", "民主评议由正式党员和预备党员参加")
            }
            ReviewError::Failed(e) => ApiError::Internal(e),
        }
    }
}

fn round_of(state: &AppState, id: &str) -> ApiResult<Review> {
    state.catalog.get().reviews.get(id).cloned().ok_or_else(|| ApiError::NotFound("没有这次民主评议".into()))
}

#[derive(Serialize)]
pub struct RoundView {
    closes: String,
    id: String,
    opens: String,
    page: String,
    state: &'static str,
    title: String,
    year: i32,
}

fn round_view(state: &AppState, r: &Review) -> RoundView {
    let now = state.clock.now();
    let phase = if now < r.opens {
        "not_open"
    } else if now < r.closes {
        "open"
    } else {
        "closed"
    };
    RoundView {
        closes: r.closes.to_rfc3339(),
        id: r.id.clone(),
        opens: r.opens.to_rfc3339(),
        page: r.page.clone(),
        state: phase,
        title: r.title.clone(),
        year: r.year,
    }
}

#[derive(Serialize)]
pub struct SelfView {
    body: String,
    status: SelfStatus,
    submitted_at: Option<String>,
    updated_at: String,
}

impl From<SelfAssessment> for SelfView {
    fn from(s: SelfAssessment) -> SelfView {
        SelfView {
            body: s.body,
            status: s.status,
            submitted_at: s.submitted_at.map(|t| t.to_rfc3339()),
            updated_at: s.updated_at.to_rfc3339(),
        }
    }
}

#[derive(Serialize)]
pub struct OpinionView {
    about: MemberId,
    about_name: String,
    at: String,
    body: String,
    by: MemberId,
    by_name: String,
    id: String,
}

fn opinion_view(names: &std::collections::HashMap<MemberId, String>, o: PeerOpinion) -> OpinionView {
    OpinionView {
        about_name: names.get(&o.about).cloned().unwrap_or_default(),
        about: o.about,
        at: o.at.to_rfc3339(),
        body: o.body,
        by_name: names.get(&o.member_id).cloned().unwrap_or_default(),
        by: o.member_id,
        id: o.id,
    }
}

#[derive(Serialize)]
pub struct OutcomeView {
    at: String,
    feedback: String,
    grade: Grade,
    grade_label: &'static str,
}

impl From<Outcome> for OutcomeView {
    fn from(o: Outcome) -> OutcomeView {
        OutcomeView {
            at: o.at.to_rfc3339(),
            feedback: o.feedback,
            grade_label: o.grade.label(),
            grade: o.grade,
        }
    }
}

#[derive(Serialize)]
pub struct MineAnswer {
    opinions_sent: Vec<OpinionView>,
    outcome: Option<OutcomeView>,
    /// Whether the caller takes part (full and probationary members).
    participant: bool,
    review: RoundView,
    #[serde(rename = "self")]
    self_assessment: Option<SelfView>,
}

pub async fn show(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<MineAnswer>> {
    let r = round_of(&state, &id)?;
    let store = state.store.as_ref();
    let names = names(&state).await?;
    let stage = crate::file::joining::road_of(store, &me).await?.stage;
    Ok(Json(MineAnswer {
        participant: review::takes_part(stage),
        opinions_sent: review::opinions_by(store, &r.id, &me.id)
            .await?
            .into_iter()
            .map(|o| opinion_view(&names, o))
            .collect(),
        outcome: review::outcome_of(store, &r.id, &me.id).await?.map(Into::into),
        review: round_view(&state, &r),
        self_assessment: review::self_of(store, &r.id, &me.id).await?.map(Into::into),
    }))
}

#[derive(Deserialize)]
pub struct SelfDto {
    body: Option<String>,
    submit: Option<bool>,
}

#[derive(Serialize)]
pub struct SelfAnswer {
    #[serde(rename = "self")]
    self_assessment: SelfView,
}

pub async fn save_self(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<String>,
    JsonBody(dto): JsonBody<SelfDto>,
) -> ApiResult<Json<SelfAnswer>> {
    let r = round_of(&state, &id)?;
    let saved = review::save_self(
        state.store.as_ref(),
        &r,
        &me,
        dto.body.as_deref(),
        dto.submit.unwrap_or(false),
        state.clock.now(),
    )
    .await?;
    Ok(Json(SelfAnswer { self_assessment: saved.into() }))
}

#[derive(Deserialize)]
pub struct OpinionDto {
    about: Option<String>,
    body: Option<String>,
}

#[derive(Serialize)]
pub struct OpinionAnswer {
    opinion: OpinionView,
}

pub async fn send_opinion(
    State(state): State<AppState>,
    Caller(me): Caller,
    Path(id): Path<String>,
    JsonBody(dto): JsonBody<OpinionDto>,
) -> ApiResult<(StatusCode, Json<OpinionAnswer>)> {
    let r = round_of(&state, &id)?;
    let about = member_id_field("about", dto.about.as_deref()).map_err(|e| ApiError::Invalid(vec![e]))?;
    let opinion =
        review::send_opinion(state.store.as_ref(), &r, &me, &about, dto.body.as_deref(), state.clock.now())
            .await?;
    let names = names(&state).await?;
    Ok((StatusCode::CREATED, Json(OpinionAnswer { opinion: opinion_view(&names, opinion) })))
}

#[derive(Serialize)]
pub struct ParticipantView {
    member_id: MemberId,
    name: String,
    opinions: Vec<OpinionView>,
    outcome: Option<OutcomeView>,
    #[serde(rename = "self")]
    self_assessment: Option<SelfView>,
}

#[derive(Serialize)]
pub struct GradeCount {
    count: usize,
    grade: Grade,
    label: &'static str,
}

#[derive(Serialize)]
pub struct RoundAnswer {
    /// 优秀 at most a third of the participants.
    excellent_limit: usize,
    grades: Vec<GradeCount>,
    participants: Vec<ParticipantView>,
    review: RoundView,
    warnings: Vec<String>,
}

fn warnings(excellent: usize, limit: usize) -> Vec<String> {
    if excellent > limit {
        vec![format!("评为优秀的有 {excellent} 人，超过参评党员的三分之一（{limit} 人），请核对测评结果")]
    } else {
        Vec::new()
    }
}

async fn round_answer(state: &AppState, r: &Review) -> ApiResult<RoundAnswer> {
    let participants = review::round(state.store.as_ref(), &r.id).await?;
    let names = names(state).await?;
    let limit = review::excellent_limit(participants.len());
    let count =
        |g: Grade| participants.iter().filter(|p| p.outcome.as_ref().is_some_and(|o| o.grade == g)).count();
    let grades: Vec<GradeCount> =
        Grade::ALL.into_iter().map(|g| GradeCount { count: count(g), grade: g, label: g.label() }).collect();
    Ok(RoundAnswer {
        excellent_limit: limit,
        warnings: warnings(count(Grade::Excellent), limit),
        grades,
        participants: participants
            .into_iter()
            .map(|p| ParticipantView {
                member_id: p.member.id,
                name: p.member.name,
                opinions: p.opinions.into_iter().map(|o| opinion_view(&names, o)).collect(),
                outcome: p.outcome.map(Into::into),
                self_assessment: p.self_assessment.map(Into::into),
            })
            .collect(),
        review: round_view(state, r),
    })
}

pub async fn round(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<RoundAnswer>> {
    let r = round_of(&state, &id)?;
    Ok(Json(round_answer(&state, &r).await?))
}

#[derive(Deserialize)]
pub struct OutcomeDto {
    member_id: Option<String>,
    grade: Option<String>,
    feedback: Option<String>,
}

#[derive(Serialize)]
pub struct OutcomeAnswer {
    member_id: MemberId,
    outcome: OutcomeView,
    warnings: Vec<String>,
}

pub async fn record_outcome(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    JsonBody(dto): JsonBody<OutcomeDto>,
) -> ApiResult<Json<OutcomeAnswer>> {
    let r = round_of(&state, &id)?;
    let member =
        member_id_field("member_id", dto.member_id.as_deref()).map_err(|e| ApiError::Invalid(vec![e]))?;
    if state.store.member(&member).await?.is_none() {
        return Err(ApiError::field("member_id", "名单中没有这位党员"));
    }
    let actor = Actor(admin.id.to_string());
    let now = state.clock.now();
    let outcome = review::record_outcome(
        state.store.as_ref(),
        &actor,
        &r,
        &member,
        dto.grade.as_deref(),
        dto.feedback.as_deref(),
        now,
    )
    .await?;
    let whole = round_answer(&state, &r).await?;
    Ok(Json(OutcomeAnswer { member_id: member, outcome: outcome.into(), warnings: whole.warnings }))
}
