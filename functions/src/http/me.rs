//! `GET /api/me`: the caller's own summary. A member's progress is theirs, not a league table.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use serde_json::{Map, Value, json};

use super::AppState;
use super::copies::streak;
use super::extract::{Admin, Caller};
use crate::error::ApiResult;

pub async fn show(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<Value>> {
    let signins = state.store.signins_of_member(&me.id).await?.len();
    let notes = state.store.notes_of_member(&me.id).await?.len();
    let catalog = state.catalog.get();
    let today = state.clock.now().date_naive();
    let mut copies = Map::new();
    for campaign in catalog.campaigns.values() {
        let done: BTreeSet<u32> =
            state.store.copies_of(&me.id, &campaign.id).await?.iter().map(|c| c.day).collect();
        let now_day = campaign.day_of(today).min(i64::from(campaign.days));
        copies.insert(
            campaign.id.clone(),
            json!({ "days_done": done.len(), "streak": streak(&done, now_day) }),
        );
    }
    Ok(Json(json!({
        "member": { "id": me.id, "name": me.name, "role": me.role },
        "signins": signins,
        "notes": notes,
        "copies": copies,
    })))
}

/// `GET /api/admin/members` (admins): the roster in its order with each member's last activity.
pub async fn roster(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<Value>> {
    let members = crate::admin::overview(state.store.as_ref()).await?;
    Ok(Json(json!({ "members": members })))
}
