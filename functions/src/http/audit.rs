//! The audit log through the API: every admin action is written here (who, what, when), and
//! admins can read it (`GET /api/audit`); nothing changes or removes a line.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::AppState;
use super::extract::Admin;
use crate::admin::{Actor, audit};
use crate::error::ApiResult;

/// Writes one line for an admin's action through the API (the actor is their member id).
pub async fn record(
    state: &AppState,
    actor: &crate::domain::MemberId,
    action: &str,
    target: &str,
    detail: &str,
) -> ApiResult<()> {
    let actor = Actor(actor.to_string());
    audit(state.store.as_ref(), &actor, state.clock.now(), action, target, detail.to_string()).await?;
    Ok(())
}

/// `GET /api/audit` (admins): the whole log, newest first.
pub async fn list(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<Value>> {
    let mut log = state.store.audit_log().await?;
    log.reverse();
    let entries: Vec<Value> = log
        .iter()
        .map(|e| {
            json!({ "at": e.at.to_rfc3339(), "actor": e.actor, "action": e.action, "target": e.target, "detail": e.detail })
        })
        .collect();
    Ok(Json(json!({ "entries": entries })))
}
