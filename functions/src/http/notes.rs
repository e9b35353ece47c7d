//! Study notes (学习心得): `POST /api/notes`, `GET /api/notes?page=` (approved notes of a page,
//! by author name), `GET /api/notes?status=` (admins: the moderation queue), `GET
//! /api/notes/mine` and `POST /api/notes/{id}/review`. Plain text kept as written (never
//! interpreted as HTML here — the pages render it as text), reviewed before anyone else sees it.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{Admin, Caller, JsonBody};
use super::idempotency::IdempotencyKey;
use crate::domain::{MemberId, NoteDraft, NoteStatus, Review, Role, note_id_for_key, page_path};
use crate::error::{ApiError, ApiResult};
use crate::store::{Note, Quota};

/// A member may post this many notes an hour: plenty for real writing, and a bound on what a
/// script (or a stuck phone) can pour into the moderation queue.
pub const NOTE_QUOTA: Quota = Quota { kind: "notes", window_seconds: 3600, limit: 10 };

#[derive(Deserialize)]
pub struct NoteDto {
    page: Option<String>,
    body: Option<String>,
}

#[derive(Deserialize)]
pub struct ReviewDto {
    decision: Option<String>,
    reason: Option<String>,
}

/// `GET /api/notes`'s query: a page, or (admins) a status.
#[derive(Deserialize)]
pub struct NotesQuery {
    page: Option<String>,
    status: Option<String>,
}

/// A note as its author sees it, with status and the reviewer's reason.
#[derive(Serialize)]
pub struct OwnNote {
    at: String,
    body: String,
    id: String,
    page: String,
    review_reason: Option<String>,
    status: NoteStatus,
}

impl From<Note> for OwnNote {
    fn from(n: Note) -> OwnNote {
        OwnNote {
            at: n.at.to_rfc3339(),
            body: n.body,
            id: n.id,
            page: n.page,
            review_reason: n.review_reason,
            status: n.status,
        }
    }
}

/// An approved note on its page, by its author's name (not their member number).
#[derive(Serialize)]
pub struct PublicNote {
    at: String,
    author: String,
    body: String,
    id: String,
    page: String,
}

/// A note in the moderation queue: its author by id and name, with the matched sensitive words.
#[derive(Serialize)]
pub struct QueuedNote {
    at: String,
    author: String,
    body: String,
    flagged_words: Vec<String>,
    id: String,
    member_id: MemberId,
    page: String,
    review_reason: Option<String>,
    status: NoteStatus,
}

/// `POST /api/notes` and a review: the one note.
#[derive(Serialize)]
pub struct NoteAnswer {
    note: OwnNote,
}

/// Every list of notes.
#[derive(Serialize)]
pub struct NotesAnswer<T> {
    notes: Vec<T>,
}

pub async fn create(
    State(state): State<AppState>,
    Caller(me): Caller,
    key: Option<Extension<IdempotencyKey>>,
    JsonBody(dto): JsonBody<NoteDto>,
) -> ApiResult<(StatusCode, Json<NoteAnswer>)> {
    let NoteDraft { page, body } =
        NoteDraft::parse(dto.page.as_deref(), dto.body.as_deref()).map_err(ApiError::Invalid)?;
    if !state.catalog.get().note_pages.contains_key(&page) {
        return Err(ApiError::NotFound("这个页面不接收学习心得".into()));
    }
    let flagged_words = state.words.find(body.as_str());
    let id = match &key {
        Some(Extension(IdempotencyKey(k))) => note_id_for_key(&me.id, k),
        None => uuid::Uuid::new_v4().simple().to_string(),
    };
    if key.is_some()
        && let Some(existing) = state.store.note(&id).await?
    {
        return Ok((StatusCode::CREATED, Json(NoteAnswer { note: existing.into() })));
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
    Ok((StatusCode::CREATED, Json(NoteAnswer { note: note.into() })))
}

/// `GET /api/notes?page=/x/` (approved notes of a page, newest first, by author name) or, for
/// admins, `GET /api/notes?status=pending` (the moderation queue, with matched sensitive words).
pub async fn list(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(query): Query<NotesQuery>,
) -> ApiResult<Response> {
    if let Some(status) = query.status {
        if me.role != Role::Admin {
            return Err(ApiError::Forbidden);
        }
        let status = NoteStatus::parse(&status)
            .ok_or_else(|| ApiError::field("status", "状态应为 pending、approved 或 rejected"))?;
        let notes = state.store.notes_with_status(status).await?;
        let names = names(&state).await?;
        let queue: Vec<QueuedNote> = notes
            .into_iter()
            .map(|n| QueuedNote {
                at: n.at.to_rfc3339(),
                author: names.get(n.member_id.as_str()).cloned().unwrap_or_default(),
                body: n.body,
                flagged_words: n.flagged_words,
                id: n.id,
                member_id: n.member_id,
                page: n.page,
                review_reason: n.review_reason,
                status: n.status,
            })
            .collect();
        return Ok(Json(NotesAnswer { notes: queue }).into_response());
    }
    let page = query.page.ok_or_else(|| ApiError::field("page", "请指定页面（page）或状态（status）"))?;
    let page = page_path(&page).map_err(|e| ApiError::Invalid(vec![e]))?;
    if !state.catalog.get().note_pages.contains_key(&page) {
        return Err(ApiError::NotFound("这个页面不接收学习心得".into()));
    }
    let notes = state.store.notes_of_page(&page, NoteStatus::Approved).await?;
    let names = names(&state).await?;
    let public: Vec<PublicNote> = notes
        .into_iter()
        .map(|n| PublicNote {
            at: n.at.to_rfc3339(),
            author: names.get(n.member_id.as_str()).cloned().unwrap_or_default(),
            body: n.body,
            id: n.id,
            page: n.page,
        })
        .collect();
    Ok(Json(NotesAnswer { notes: public }).into_response())
}

async fn names(state: &AppState) -> ApiResult<HashMap<String, String>> {
    Ok(state
        .store
        .members()
        .await?
        .into_iter()
        .map(|m| (m.member.id.as_str().to_string(), m.member.name))
        .collect())
}

pub async fn mine(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> ApiResult<Json<NotesAnswer<OwnNote>>> {
    let notes = state.store.notes_of_member(&me.id).await?;
    Ok(Json(NotesAnswer { notes: notes.into_iter().map(Into::into).collect() }))
}

pub async fn review(
    State(state): State<AppState>,
    Admin(reviewer): Admin,
    Path(id): Path<String>,
    JsonBody(dto): JsonBody<ReviewDto>,
) -> ApiResult<Json<NoteAnswer>> {
    let review = Review::parse(dto.decision.as_deref(), dto.reason.as_deref()).map_err(ApiError::Invalid)?;
    let reason = review.reason.as_deref();
    let note = state
        .store
        .review_note(&id, review.status, reason, &reviewer.id, state.clock.now())
        .await?
        .ok_or_else(|| ApiError::NotFound("没有这条心得".into()))?;
    super::audit::record(&state, &reviewer.id, review.action(), &note.id, reason.unwrap_or("")).await?;
    Ok(Json(NoteAnswer { note: note.into() }))
}
