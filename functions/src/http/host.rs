//! The host unit's word (实习单位证明): `POST /api/host-notes` (multipart: `unit`, `from`, `to`,
//! `note`, and 1–4 `photo`), `GET /api/host-notes/mine`; admins' `GET /api/admin/host-notes`,
//! `POST /api/admin/host-notes/{id}/review`, and `POST /api/admin/events/{event}/attendance`
//! (attendance confirmed by such a note or by the secretary). The rules are `crate::file::host`.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::copies::{form_fields, signed_url, too_large};
use super::extract::{Admin, Caller, JsonBody, member_id_field};
use super::joining::{names, person};
use super::{AppState, UPLOAD_LIMIT};
use crate::domain::MemberId;
use crate::domain::dues::Month;
use crate::error::{ApiError, ApiResult};
use crate::file::host::{self, Confirmation, HostError, HostNote, NoteForm, NoteStatus};
use crate::secretary::admin::Actor;

impl From<HostError> for ApiError {
    fn from(e: HostError) -> ApiError {
        match e {
            HostError::NotFound => ApiError::NotFound("没有这份实习单位证明".into()),
            HostError::Invalid(fields) => ApiError::Invalid(fields),
            HostError::Reviewed => ApiError::conflict("reviewed", "这份证明已经审核过了"),
            HostError::Photo(e) => e.into(),
            HostError::Failed(e) => ApiError::Internal(e),
        }
    }
}

#[derive(Serialize)]
pub struct PageView {
    thumb_url: String,
    url: String,
}

#[derive(Serialize)]
pub struct HostNoteView {
    at: String,
    from: Month,
    id: String,
    member_id: MemberId,
    name: String,
    note: String,
    pages: Vec<PageView>,
    reason: Option<String>,
    status: NoteStatus,
    status_label: &'static str,
    to: Month,
    unit: String,
}

fn view(state: &AppState, name: &str, n: HostNote) -> HostNoteView {
    HostNoteView {
        at: n.at.to_rfc3339(),
        from: n.from,
        id: n.id,
        member_id: n.member_id,
        name: name.to_string(),
        note: n.note,
        pages: n
            .pages
            .iter()
            .map(|p| PageView {
                thumb_url: signed_url(state, &p.thumb_key),
                url: signed_url(state, &p.photo_key),
            })
            .collect(),
        reason: n.reason,
        status_label: n.status.label(),
        status: n.status,
        to: n.to,
        unit: n.unit,
    }
}

#[derive(Serialize)]
pub struct HostNoteAnswer {
    host_note: HostNoteView,
}

#[derive(Serialize)]
pub struct HostNotesAnswer {
    host_notes: Vec<HostNoteView>,
}

pub async fn submit(
    State(state): State<AppState>,
    Caller(me): Caller,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<HostNoteAnswer>)> {
    let mut form = form_fields(multipart, "unit、from、to、note、photo").await?;
    let photos = form.files("photo");
    if photos.iter().map(Vec::len).sum::<usize>() > UPLOAD_LIMIT {
        return Err(too_large());
    }
    let fields = NoteForm::parse(
        form.text("unit").as_deref(),
        form.text("from").as_deref(),
        form.text("to").as_deref(),
        form.text("note").as_deref(),
        photos.len(),
    )
    .map_err(ApiError::Invalid)?;
    let note =
        host::submit(state.store.as_ref(), state.blobs.as_ref(), &me.id, fields, photos, state.clock.now())
            .await?;
    Ok((StatusCode::CREATED, Json(HostNoteAnswer { host_note: view(&state, &me.name, note) })))
}

pub async fn mine(State(state): State<AppState>, Caller(me): Caller) -> ApiResult<Json<HostNotesAnswer>> {
    let list = host::of_member(state.store.as_ref(), &me.id).await?;
    Ok(Json(HostNotesAnswer { host_notes: list.into_iter().map(|n| view(&state, &me.name, n)).collect() }))
}

pub async fn all(State(state): State<AppState>, Admin(_): Admin) -> ApiResult<Json<HostNotesAnswer>> {
    let names = names(&state).await?;
    let list = host::all(state.store.as_ref()).await?;
    Ok(Json(HostNotesAnswer {
        host_notes: list
            .into_iter()
            .map(|n| {
                let name = names.get(&n.member_id).cloned().unwrap_or_default();
                view(&state, &name, n)
            })
            .collect(),
    }))
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
) -> ApiResult<Json<HostNoteAnswer>> {
    let accept = match dto.decision.as_deref().map(str::trim) {
        Some("accept") => true,
        Some("reject") => false,
        _ => return Err(ApiError::field("decision", "请选择 accept（接收）或 reject（退回）")),
    };
    let actor = Actor(admin.id.to_string());
    let note =
        host::review(state.store.as_ref(), &actor, &id, accept, dto.reason.as_deref(), state.clock.now())
            .await?;
    let name = person(&state, note.member_id.as_str()).await.map(|m| m.name).unwrap_or_default();
    Ok(Json(HostNoteAnswer { host_note: view(&state, &name, note) }))
}

#[derive(Deserialize)]
pub struct ConfirmDto {
    member_id: Option<String>,
    host_note_id: Option<String>,
    note: Option<String>,
}

/// A confirmed attendance as the attendance list shows it.
#[derive(Serialize)]
pub struct ConfirmationView {
    at: String,
    basis: &'static str,
    basis_label: &'static str,
    by: String,
    event: String,
    host_note_id: Option<String>,
    member_id: MemberId,
    name: String,
    note: String,
}

pub(super) fn confirmation_view(
    names: &std::collections::HashMap<MemberId, String>,
    c: Confirmation,
) -> ConfirmationView {
    let name_of = |who: &str| {
        MemberId::parse(who).ok().and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| who.to_string())
    };
    let (basis, host_note_id) = match &c.basis {
        host::Basis::Host { host_note_id } => ("host", Some(host_note_id.clone())),
        host::Basis::Secretary => ("secretary", None),
    };
    ConfirmationView {
        at: c.at.to_rfc3339(),
        basis,
        basis_label: c.basis.label(),
        by: name_of(&c.by),
        event: c.event,
        host_note_id,
        name: name_of(c.member_id.as_str()),
        member_id: c.member_id,
        note: c.note,
    }
}

#[derive(Serialize)]
pub struct ConfirmationAnswer {
    confirmation: ConfirmationView,
}

/// `POST /api/admin/events/{event}/attendance`: a member's attendance confirmed without a sign-in.
pub async fn confirm(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(event): Path<String>,
    JsonBody(dto): JsonBody<ConfirmDto>,
) -> ApiResult<(StatusCode, Json<ConfirmationAnswer>)> {
    let catalog = state.catalog.get();
    let event = catalog.events.get(&event).ok_or_else(|| ApiError::NotFound("没有这个活动".into()))?;
    let member =
        member_id_field("member_id", dto.member_id.as_deref()).map_err(|e| ApiError::Invalid(vec![e]))?;
    let member = person(&state, member.as_str())
        .await
        .map_err(|_| ApiError::field("member_id", "名单中没有这位成员"))?;
    let actor = Actor(admin.id.to_string());
    let month = Month::of(event.opens.date_naive());
    let confirmation = host::confirm(
        state.store.as_ref(),
        &actor,
        &event.id,
        month,
        &member.id,
        dto.host_note_id.as_deref(),
        dto.note.as_deref(),
        state.clock.now(),
    )
    .await?;
    let names = names(&state).await?;
    Ok((
        StatusCode::CREATED,
        Json(ConfirmationAnswer { confirmation: confirmation_view(&names, confirmation) }),
    ))
}
