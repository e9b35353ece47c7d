//! The audit log through the API: every admin action is written here (who, what, when), and
//! admins can read it (`GET /api/audit`); nothing changes or removes a line.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use super::AppState;
use super::extract::Admin;
use crate::domain::MemberId;
use crate::error::ApiResult;
use crate::secretary::admin::{Actor, audit};
use crate::store::AuditEntry;

/// One line of the log.
#[derive(Serialize)]
pub struct EntryView {
    action: String,
    actor: String,
    at: String,
    detail: String,
    target: String,
}

impl From<AuditEntry> for EntryView {
    fn from(e: AuditEntry) -> EntryView {
        EntryView {
            action: e.action,
            actor: e.actor,
            at: e.at.to_rfc3339(),
            detail: e.detail,
            target: e.target,
        }
    }
}

/// `GET /api/audit`.
#[derive(Serialize)]
pub struct AuditAnswer {
    entries: Vec<EntryView>,
}

/// Writes one line for an admin's action through the API (the actor is their member id).
pub async fn record(
    state: &AppState,
    actor: &MemberId,
    action: &str,
    target: &str,
    detail: &str,
) -> ApiResult<()> {
    let actor = Actor(actor.to_string());
    audit(state.store.as_ref(), &actor, state.clock.now(), action, target, detail.to_string()).await?;
    Ok(())
}

/// `GET /api/audit` (admins): the whole log, newest first.
pub async fn list(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<AuditAnswer>> {
    let log = state.store.audit_log().await?;
    Ok(Json(AuditAnswer { entries: log.into_iter().rev().map(Into::into).collect() }))
}
