//! `GET /api/me` (the caller's own summary: a member's progress is theirs, not a league table)
//! and `GET /api/admin/members` (admins: the roster with each member's last activity).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::AppState;
use super::extract::{Admin, Caller};
use super::session::MemberView;
use crate::domain::Progress;
use crate::error::ApiResult;
use crate::secretary::admin::{Overview, overview};

/// `GET /api/me`: who the caller is, how many sign-ins and notes, and each campaign's progress.
#[derive(Serialize)]
pub struct MeAnswer {
    /// By campaign id.
    copies: BTreeMap<String, Progress>,
    member: MemberView,
    notes: usize,
    signins: usize,
}

/// A member of the roster with their last activity.
#[derive(Serialize)]
pub struct RosterRow {
    id: String,
    last_activity: Option<DateTime<FixedOffset>>,
    name: String,
    role: String,
}

impl From<Overview> for RosterRow {
    fn from(o: Overview) -> RosterRow {
        RosterRow { id: o.id, last_activity: o.last_activity, name: o.name, role: o.role }
    }
}

/// `GET /api/admin/members`, in roster order.
#[derive(Serialize)]
pub struct RosterAnswer {
    members: Vec<RosterRow>,
}

pub async fn show(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<MeAnswer>> {
    let signins = state.store.signins_of_member(&me.id).await?.len();
    let notes = state.store.notes_of_member(&me.id).await?.len();
    let catalog = state.catalog.get();
    let today = state.clock.now().date_naive();
    let mut copies = BTreeMap::new();
    for campaign in catalog.campaigns.values() {
        let days = state.store.copies_of(&me.id, &campaign.id).await?.into_iter().map(|c| c.day);
        copies.insert(campaign.id.clone(), Progress::of(campaign, days, today));
    }
    Ok(Json(MeAnswer { copies, member: me.into(), notes, signins }))
}

pub async fn roster(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<RosterAnswer>> {
    let members = overview(state.store.as_ref()).await?;
    Ok(Json(RosterAnswer { members: members.into_iter().map(Into::into).collect() }))
}
