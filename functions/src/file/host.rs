//! The host unit's word (实习单位证明) and attendance confirmed without a sign-in. An intern
//! uploads the host organisation's note on their attendance and performance for a period (photos
//! of the signed letter, 1–4); an admin accepts or rejects it. An admin may then record a
//! member's attendance at an event as confirmed — by such an accepted note, or by the secretary
//! themself (they were there) — which is the equal path for members who decline location.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::pages::{self, KeepError, Page};
use super::{Change, Kept, update};
use crate::blobs::Blobs;
use crate::domain::dues::Month;
use crate::domain::talks::text_field;
use crate::domain::{FieldError, MemberId};
use crate::photos::PhotoError;
use crate::secretary::admin::{Actor, audit};
use crate::store::{AuditStore, DocumentStore, StoreResult};

/// Photos of one note.
pub const MAX_HOST_PAGES: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteStatus {
    Submitted,
    Accepted,
    Rejected,
}

impl NoteStatus {
    pub fn label(self) -> &'static str {
        match self {
            NoteStatus::Submitted => "待审核",
            NoteStatus::Accepted => "已接收",
            NoteStatus::Rejected => "未通过",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostNote {
    pub id: String,
    pub member_id: MemberId,
    /// The host organisation (实习单位党组织).
    pub unit: String,
    pub from: Month,
    pub to: Month,
    pub note: String,
    pub pages: Vec<Page>,
    pub at: DateTime<FixedOffset>,
    pub status: NoteStatus,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
    pub reason: Option<String>,
}

impl Kept for HostNote {
    const KIND: &'static str = "host_note";

    fn id(&self) -> String {
        self.id.clone()
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }

    fn blob_keys(&self) -> Vec<String> {
        self.pages.iter().flat_map(Page::keys).collect()
    }
}

/// On what ground an attendance was confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "lowercase")]
pub enum Basis {
    /// An accepted note of the host unit.
    Host { host_note_id: String },
    /// The secretary's own word (the member was at the meeting without signing in).
    Secretary,
}

impl Basis {
    pub fn label(&self) -> &'static str {
        match self {
            Basis::Host { .. } => "实习单位证明",
            Basis::Secretary => "支部确认",
        }
    }
}

/// A member's attendance at an event, confirmed by an admin instead of a sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub event: String,
    pub member_id: MemberId,
    #[serde(flatten)]
    pub basis: Basis,
    pub note: String,
    pub by: String,
    pub at: DateTime<FixedOffset>,
}

impl Kept for Confirmation {
    const KIND: &'static str = "attendance";

    fn id(&self) -> String {
        confirmation_id(&self.event, &self.member_id)
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }
}

fn confirmation_id(event: &str, member: &MemberId) -> String {
    format!("{event}:{member}")
}

#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("not found")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("reviewed already")]
    Reviewed,
    #[error(transparent)]
    Photo(#[from] PhotoError),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl From<KeepError> for HostError {
    fn from(e: KeepError) -> HostError {
        match e {
            KeepError::Photo(e) => HostError::Photo(e),
            KeepError::Failed(e) => HostError::Failed(e),
        }
    }
}

/// A note's fields as a form gives them, checked (the photos are checked by [`submit`]).
pub struct NoteForm {
    pub unit: String,
    pub from: Month,
    pub to: Month,
    pub note: String,
}

impl NoteForm {
    pub fn parse(
        unit: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
        note: Option<&str>,
        photos: usize,
    ) -> Result<NoteForm, Vec<FieldError>> {
        let mut errors = Vec::new();
        let unit = text_field("unit", unit, 1, 100).map_err(|e| errors.push(e)).ok();
        let from = crate::domain::dues::month_field("from", from).map_err(|e| errors.push(e)).ok();
        let to = crate::domain::dues::month_field("to", to).map_err(|e| errors.push(e)).ok();
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push(FieldError::new("to", "结束月份不能早于开始月份"));
        }
        let note = text_field("note", note, 0, 200).map_err(|e| errors.push(e)).ok();
        if photos == 0 {
            errors.push(FieldError::new("photo", "请上传证明的照片"));
        } else if photos > MAX_HOST_PAGES {
            errors.push(FieldError::new("photo", format!("证明照片最多 {MAX_HOST_PAGES} 张")));
        }
        match (unit, from, to, note) {
            (Some(unit), Some(from), Some(to), Some(note)) if errors.is_empty() => {
                Ok(NoteForm { unit, from, to, note })
            }
            _ => Err(errors),
        }
    }
}

/// Keeps the photos (every one judged by its bytes and re-encoded) and records the note; a photo
/// refused leaves nothing behind.
pub async fn submit(
    store: &(impl DocumentStore + ?Sized),
    blobs: &dyn Blobs,
    member: &MemberId,
    form: NoteForm,
    photos: Vec<Vec<u8>>,
    now: DateTime<FixedOffset>,
) -> Result<HostNote, HostError> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let mut kept: Vec<Page> = Vec::new();
    for photo in photos {
        match pages::keep(blobs, &format!("host/{member}/{id}"), photo).await {
            Ok(page) => kept.push(page),
            Err(e) => {
                for page in &kept {
                    pages::remove(blobs, page).await;
                }
                return Err(e.into());
            }
        }
    }
    let note = HostNote {
        id: id.clone(),
        member_id: member.clone(),
        unit: form.unit,
        from: form.from,
        to: form.to,
        note: form.note,
        pages: kept.clone(),
        at: now,
        status: NoteStatus::Submitted,
        reviewed_by: None,
        reviewed_at: None,
        reason: None,
    };
    let written =
        update(store, &id, now, |_: Option<HostNote>| Ok::<_, HostError>(Change::Put(note.clone()))).await;
    if let Err(e) = written {
        for page in &kept {
            pages::remove(blobs, page).await;
        }
        return Err(e);
    }
    Ok(note)
}

/// An admin accepts a note, or rejects it with a reason; audited.
pub async fn review(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    actor: &Actor,
    id: &str,
    accept: bool,
    reason: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<HostNote, HostError> {
    let reason =
        text_field("reason", reason, usize::from(!accept), 200).map_err(|e| HostError::Invalid(vec![e]))?;
    let reviewed = update(store, id, now, |current: Option<HostNote>| {
        let mut note = current.ok_or(HostError::NotFound)?;
        if note.status != NoteStatus::Submitted {
            return Err(HostError::Reviewed);
        }
        note.status = if accept { NoteStatus::Accepted } else { NoteStatus::Rejected };
        note.reviewed_by = Some(actor.0.clone());
        note.reviewed_at = Some(now);
        note.reason = (!reason.is_empty()).then(|| reason.clone());
        Ok(Change::Put(note))
    })
    .await?
    .ok_or(HostError::NotFound)?;
    let action = if accept { "host_note.accept" } else { "host_note.reject" };
    let detail = format!("{} {}–{}", reviewed.unit, reviewed.from, reviewed.to);
    audit(store, actor, now, action, reviewed.member_id.as_str(), detail).await?;
    Ok(reviewed)
}

pub async fn of_member(
    store: &(impl DocumentStore + ?Sized),
    member: &MemberId,
) -> StoreResult<Vec<HostNote>> {
    let mut list = super::of_member::<HostNote>(store, member).await?;
    list.sort_by_key(|n| std::cmp::Reverse(n.at));
    Ok(list)
}

/// Every note: waiting ones first (oldest first), then the rest (newest first).
pub async fn all(store: &(impl DocumentStore + ?Sized)) -> StoreResult<Vec<HostNote>> {
    let mut list = super::all::<HostNote>(store).await?;
    list.sort_by_key(|n| {
        let waiting = n.status == NoteStatus::Submitted;
        (!waiting, if waiting { n.at.timestamp() } else { -n.at.timestamp() })
    });
    Ok(list)
}

/// Records `member`'s attendance at `event` (which opened in `event_month`) as confirmed: by
/// their accepted host note covering that month, or by the secretary (a note saying how is then
/// required). Audited. Confirming again replaces the earlier confirmation.
#[allow(clippy::too_many_arguments)]
pub async fn confirm(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    actor: &Actor,
    event: &str,
    event_month: Month,
    member: &MemberId,
    host_note_id: Option<&str>,
    note: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<Confirmation, HostError> {
    let basis = match host_note_id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => {
            let found = super::load::<HostNote>(store, id).await?.map(|v| v.value);
            let Some(host) = found.filter(|n| n.member_id == *member) else {
                return Err(HostError::Invalid(vec![FieldError::new(
                    "host_note_id",
                    "这位党员没有这份实习单位证明",
                )]));
            };
            if host.status != NoteStatus::Accepted {
                return Err(HostError::Invalid(vec![FieldError::new(
                    "host_note_id",
                    "这份证明还没有被接收",
                )]));
            }
            if !(host.from..=host.to).contains(&event_month) {
                return Err(HostError::Invalid(vec![FieldError::new(
                    "host_note_id",
                    format!("这份证明的期间（{}–{}）不包括活动所在的月份 {event_month}", host.from, host.to),
                )]));
            }
            Basis::Host { host_note_id: host.id }
        }
        None => Basis::Secretary,
    };
    let min = usize::from(basis == Basis::Secretary);
    let note = text_field("note", note, min, 200).map_err(|e| HostError::Invalid(vec![e]))?;
    let confirmation = Confirmation {
        event: event.to_string(),
        member_id: member.clone(),
        basis,
        note,
        by: actor.0.clone(),
        at: now,
    };
    update(store, &confirmation.id(), now, |_: Option<Confirmation>| {
        Ok::<_, HostError>(Change::Put(confirmation.clone()))
    })
    .await?;
    let detail = format!(
        "{}{}",
        confirmation.basis.label(),
        if confirmation.note.is_empty() { String::new() } else { format!("：{}", confirmation.note) }
    );
    audit(store, actor, now, "attendance.confirm", &confirmation.id(), detail).await?;
    Ok(confirmation)
}

/// The confirmed attendances of an event.
pub async fn confirmed_at(
    store: &(impl DocumentStore + ?Sized),
    event: &str,
) -> StoreResult<Vec<Confirmation>> {
    Ok(super::all::<Confirmation>(store).await?.into_iter().filter(|c| c.event == event).collect())
}
