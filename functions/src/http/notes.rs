//! Study notes (学习心得): plain text kept as written (never interpreted as HTML here — the
//! pages render it as text), reviewed before anyone else sees it.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::AppState;
use super::extract::{Admin, Caller, JsonBody, query};
use super::idempotency::IdempotencyKey;
use crate::domain::{NoteBody, NoteStatus, Role, page_path};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::store::{Member, Note, Quota};

/// A member may post this many notes an hour: plenty for real writing, and a bound on what a
/// script (or a stuck phone) can pour into the moderation queue.
pub const NOTE_QUOTA: Quota = Quota { kind: "notes", window_seconds: 3600, limit: 10 };

#[derive(Deserialize)]
pub struct NoteDto {
    page: Option<String>,
    body: Option<String>,
}

/// A note as its author sees it (with status and the reviewer's reason).
fn own(note: &Note) -> Value {
    json!({
        "id": note.id,
        "page": note.page,
        "body": note.body,
        "status": note.status,
        "at": note.at.to_rfc3339(),
        "review_reason": note.review_reason,
    })
}

pub async fn create(
    State(state): State<AppState>,
    Caller(me): Caller,
    key: Option<Extension<IdempotencyKey>>,
    JsonBody(dto): JsonBody<NoteDto>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut errors = Vec::new();
    let page = match dto.page.as_deref() {
        Some(p) => page_path(p).map_err(|e| errors.push(e)).ok(),
        None => {
            errors.push(FieldError::new("page", "缺少页面路径"));
            None
        }
    };
    let body = match dto.body.as_deref() {
        Some(b) => NoteBody::parse(b).map_err(|e| errors.push(e)).ok(),
        None => {
            errors.push(FieldError::new("body", "请填写心得内容"));
            None
        }
    };
    let (Some(page), Some(body)) = (page, body) else { return Err(ApiError::Invalid(errors)) };
    if !state.catalog.get().note_pages.contains_key(&page) {
        return Err(ApiError::NotFound("这个页面不接收学习心得".into()));
    }
    let flagged_words = state.words.find(body.as_str());
    // With an Idempotency-Key the id comes from it, so even a retry that outlived its
    // reservation (a crash mid-request) finds the note instead of writing a second one.
    let id = match &key {
        Some(Extension(IdempotencyKey(k))) => {
            let digest = Sha256::digest(format!("{}\n{k}", me.id).as_bytes());
            format!("{digest:x}")[..32].to_string()
        }
        None => uuid::Uuid::new_v4().simple().to_string(),
    };
    if key.is_some()
        && let Some(existing) = state.store.note(&id).await?
    {
        return Ok((StatusCode::CREATED, Json(json!({ "note": own(&existing) }))));
    }
    let now = state.clock.now();
    if !state.store.take_quota(&me.id, &NOTE_QUOTA, now).await? {
        let ends = NOTE_QUOTA.window_start(now) + NOTE_QUOTA.window_seconds;
        let retry_after_secs = (ends - now.timestamp()).max(1) as u64;
        return Err(ApiError::RateLimited { retry_after_secs, what: "提交心得过于频繁" });
    }
    let note = Note {
        id,
        page,
        member_id: me.id,
        body: body.into_string(),
        status: NoteStatus::Pending,
        at: now,
        flagged_words,
        review_reason: None,
        reviewed_by: None,
        reviewed_at: None,
    };
    state.store.insert_note(&note).await?;
    Ok((StatusCode::CREATED, Json(json!({ "note": own(&note) }))))
}

/// `GET /api/notes?page=/x/` (approved notes of a page, by author name) or, for admins,
/// `GET /api/notes?status=pending` (the moderation queue, with matched sensitive words).
pub async fn list(
    State(state): State<AppState>,
    Caller(me): Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let q = query(raw.as_deref());
    if let Some(status) = q.get("status") {
        if me.role != Role::Admin {
            return Err(ApiError::Forbidden);
        }
        let status = NoteStatus::parse(status)
            .ok_or_else(|| ApiError::field("status", "状态应为 pending、approved 或 rejected"))?;
        let notes = state.store.notes_with_status(status).await?;
        let members = names(&state).await?;
        let list: Vec<Value> = notes
            .iter()
            .map(|n| {
                json!({
                    "id": n.id, "page": n.page, "body": n.body, "status": n.status, "at": n.at.to_rfc3339(),
                    "member_id": n.member_id, "author": members.get(n.member_id.as_str()).cloned().unwrap_or_default(),
                    "flagged_words": n.flagged_words, "review_reason": n.review_reason,
                })
            })
            .collect();
        return Ok(Json(json!({ "notes": list })));
    }
    let page = q.get("page").ok_or_else(|| ApiError::field("page", "请指定页面（page）或状态（status）"))?;
    let page = page_path(page).map_err(|e| ApiError::Invalid(vec![e]))?;
    if !state.catalog.get().note_pages.contains_key(&page) {
        return Err(ApiError::NotFound("这个页面不接收学习心得".into()));
    }
    let notes = state.store.notes_of_page(&page, NoteStatus::Approved).await?;
    let members = names(&state).await?;
    let list: Vec<Value> = notes
        .iter()
        .map(|n| {
            json!({
                "id": n.id, "page": n.page, "body": n.body, "at": n.at.to_rfc3339(),
                "author": members.get(n.member_id.as_str()).cloned().unwrap_or_default(),
            })
        })
        .collect();
    Ok(Json(json!({ "notes": list })))
}

async fn names(state: &AppState) -> ApiResult<std::collections::HashMap<String, String>> {
    Ok(state
        .store
        .members()
        .await?
        .into_iter()
        .map(|m| (m.member.id.as_str().to_string(), m.member.name))
        .collect())
}

pub async fn mine(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<Value>> {
    let notes = state.store.notes_of_member(&me.id).await?;
    Ok(Json(json!({ "notes": notes.iter().map(own).collect::<Vec<_>>() })))
}

#[derive(Deserialize)]
pub struct ReviewDto {
    decision: Option<String>,
    reason: Option<String>,
}

pub async fn review(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    JsonBody(dto): JsonBody<ReviewDto>,
) -> ApiResult<Json<Value>> {
    let reviewer: Member = admin;
    let mut errors = Vec::new();
    let status = match dto.decision.as_deref() {
        Some("approve") => Some(NoteStatus::Approved),
        Some("reject") => Some(NoteStatus::Rejected),
        _ => {
            errors.push(FieldError::new("decision", "请选择 approve（通过）或 reject（退回）"));
            None
        }
    };
    let reason = dto.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    if status == Some(NoteStatus::Rejected) && reason.is_none() {
        errors.push(FieldError::new("reason", "退回时请写明理由，作者会看到"));
    }
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        errors.push(FieldError::new("reason", "理由最多 500 字"));
    }
    let Some(status) = status.filter(|_| errors.is_empty()) else { return Err(ApiError::Invalid(errors)) };
    let note = state
        .store
        .review_note(&id, status, reason.as_deref(), &reviewer.id, state.clock.now())
        .await?
        .ok_or_else(|| ApiError::NotFound("没有这条心得".into()))?;
    let action = if status == NoteStatus::Approved { "note.approve" } else { "note.reject" };
    super::audit::record(&state, &reviewer.id, action, &note.id, reason.as_deref().unwrap_or("")).await?;
    Ok(Json(json!({ "note": own(&note) })))
}
