//! The audit log through the API: every admin action is written here (who, what, when), and
//! admins can read it (`GET /api/audit`); nothing changes or removes a line.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::AppState;
use super::extract::Admin;
use crate::error::ApiResult;
use crate::store::AuditEntry;

/// Writes one line for an admin's action through the API.
pub async fn record(
    state: &AppState,
    actor: &crate::domain::MemberId,
    action: &str,
    target: &str,
    detail: &str,
) -> ApiResult<()> {
    let entry = AuditEntry {
        at: state.clock.now(),
        actor: actor.to_string(),
        action: action.to_string(),
        target: target.to_string(),
        detail: detail.to_string(),
    };
    state.store.append_audit(&entry).await?;
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
