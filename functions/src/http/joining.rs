//! The joining record (发展党员纪实): `GET /api/joining/mine`, `GET|POST
//! /api/members/{id}/joining`, `DELETE /api/members/{id}/joining/{milestone}` and `GET
//! /api/admin/joining`. The rules are `crate::domain::joining` and `crate::file::joining`; here
//! who may see what (the person, their contact persons and reviewers; anyone else 404) and the
//! answers' shape.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{Admin, Caller, JsonBody, Reviewer};
use crate::domain::joining::{Dated, Milestone, Road, Stage, Warning};
use crate::domain::{MemberId, Quarter};
use crate::error::{ApiError, ApiResult};
use crate::file::{access, joining};
use crate::secretary::admin::Actor;
use crate::store::Member;

#[derive(Deserialize)]
pub struct MilestoneDto {
    milestone: Option<String>,
    date: Option<String>,
    note: Option<String>,
}

#[derive(Serialize)]
pub struct PersonRef {
    id: MemberId,
    name: String,
}

#[derive(Serialize)]
pub struct NextView {
    label: &'static str,
    milestone: Milestone,
    needs: &'static str,
}

#[derive(Serialize)]
pub struct StepView {
    date: Option<NaiveDate>,
    label: &'static str,
    milestone: Milestone,
    needs: &'static str,
    note: String,
    stage: Stage,
    stage_label: &'static str,
}

/// A person's road; the warnings only for reviewers.
#[derive(Serialize)]
pub struct RoadView {
    contacts: Vec<PersonRef>,
    member_id: MemberId,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing_reports: Option<Vec<Quarter>>,
    mobile: bool,
    name: String,
    next: Option<NextView>,
    probation_ends: Option<NaiveDate>,
    stage: Option<Stage>,
    stage_label: &'static str,
    steps: Vec<StepView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warnings: Option<Vec<Warning>>,
}

#[derive(Serialize)]
pub struct JoiningAnswer {
    joining: RoadView,
}

#[derive(Serialize)]
pub struct PeopleAnswer {
    people: Vec<RoadView>,
}

/// Everyone's name by id (contacts and authors are shown by name).
pub(super) async fn names(state: &AppState) -> ApiResult<HashMap<MemberId, String>> {
    Ok(state.store.members().await?.into_iter().map(|m| (m.member.id, m.member.name)).collect())
}

/// The person a path names; an id that is not a member's is simply not found.
pub(super) async fn person(state: &AppState, id: &str) -> ApiResult<Member> {
    let not_found = || ApiError::NotFound("没有这位成员的记录".into());
    let id = MemberId::parse(id).map_err(|_| not_found())?;
    Ok(state.store.member(&id).await?.ok_or_else(not_found)?.member)
}

pub(super) fn stage_label(stage: Option<Stage>) -> &'static str {
    stage.map(Stage::label).unwrap_or("")
}

fn view(
    member: &Member,
    road: Road,
    names: &HashMap<MemberId, String>,
    review: Option<(Vec<Warning>, Vec<Quarter>)>,
) -> RoadView {
    let (warnings, missing_reports) = match review {
        Some((w, m)) => (Some(w), Some(m)),
        None => (None, None),
    };
    RoadView {
        contacts: member
            .contacts()
            .into_iter()
            .map(|id| PersonRef { name: names.get(&id).cloned().unwrap_or_default(), id })
            .collect(),
        member_id: member.id.clone(),
        missing_reports,
        mobile: member.mobile(),
        name: member.name.clone(),
        next: road.next.map(|m| NextView { label: m.label(), milestone: m, needs: m.needs() }),
        probation_ends: road.probation_ends,
        stage: road.stage,
        stage_label: stage_label(road.stage),
        steps: road
            .steps
            .into_iter()
            .map(|s| StepView {
                date: s.date,
                label: s.milestone.label(),
                milestone: s.milestone,
                needs: s.milestone.needs(),
                note: s.note,
                stage: s.milestone.stage(),
                stage_label: s.milestone.stage().label(),
            })
            .collect(),
        warnings,
    }
}

/// The road of `member` as `viewer` may see it: reviewers get the warnings too.
async fn road_for(state: &AppState, viewer: &Member, member: &Member) -> ApiResult<RoadView> {
    let names = names(state).await?;
    if !viewer.role.reviews() {
        let road = joining::road_of(state.store.as_ref(), member).await?;
        return Ok(view(member, road, &names, None));
    }
    let today = state.clock.now().date_naive();
    let people = joining::overview(state.store.as_ref(), today).await?;
    match people.into_iter().find(|p| p.member.id == member.id) {
        Some(p) => Ok(view(member, p.road, &names, Some((p.warnings, p.missing_reports)))),
        None => {
            let road = joining::road_of(state.store.as_ref(), member).await?;
            Ok(view(member, road, &names, Some((Vec::new(), Vec::new()))))
        }
    }
}

pub async fn mine(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<JoiningAnswer>> {
    let names = names(&state).await?;
    let road = joining::road_of(state.store.as_ref(), &me).await?;
    Ok(Json(JoiningAnswer { joining: view(&me, road, &names, None) }))
}

pub async fn show(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<JoiningAnswer>> {
    let member = person(&state, &id).await?;
    if !access::may_read_reports(&viewer, &member) {
        return Err(ApiError::NotFound("没有这位成员的记录".into()));
    }
    Ok(Json(JoiningAnswer { joining: road_for(&state, &viewer, &member).await? }))
}

pub async fn record(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    JsonBody(dto): JsonBody<MilestoneDto>,
) -> ApiResult<Json<JoiningAnswer>> {
    let member = person(&state, &id).await?;
    let dated = Dated::parse(dto.milestone.as_deref(), dto.date.as_deref(), dto.note.as_deref())
        .map_err(ApiError::Invalid)?;
    let now = state.clock.now();
    if dated.date > now.date_naive() {
        return Err(ApiError::field("date", "日期不能晚于今天"));
    }
    joining::record_milestone(state.store.as_ref(), &Actor(admin.id.to_string()), &member.id, dated, now)
        .await?;
    Ok(Json(JoiningAnswer { joining: road_for(&state, &admin, &member).await? }))
}

pub async fn remove(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path((id, milestone)): Path<(String, String)>,
) -> ApiResult<Json<JoiningAnswer>> {
    let member = person(&state, &id).await?;
    let not_recorded = || ApiError::NotFound("没有记录这个节点".into());
    let milestone = Milestone::parse(&milestone).ok_or_else(not_recorded)?;
    let actor = Actor(admin.id.to_string());
    if !joining::remove_milestone(state.store.as_ref(), &actor, &member.id, milestone, state.clock.now())
        .await?
    {
        return Err(not_recorded());
    }
    Ok(Json(JoiningAnswer { joining: road_for(&state, &admin, &member).await? }))
}

/// Everyone on the road, in roster order, with their warnings.
pub async fn overview(State(state): State<AppState>, Reviewer(_): Reviewer) -> ApiResult<Json<PeopleAnswer>> {
    let names = names(&state).await?;
    let today = state.clock.now().date_naive();
    let people = joining::overview(state.store.as_ref(), today).await?;
    let people = people
        .into_iter()
        .map(|p| view(&p.member, p.road, &names, Some((p.warnings, p.missing_reports))))
        .collect();
    Ok(Json(PeopleAnswer { people }))
}
