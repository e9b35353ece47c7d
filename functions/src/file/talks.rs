//! Heart-to-heart talks (谈心谈话): a member asks for one (one open request at a time), an admin
//! or committee member records a talk held — closing the request it answers — and the member
//! reads the record of their own talks and may add a note of their own. The overview lists the
//! open requests and who has had no talk in a year (the rule: at least once a year per member).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Change, Kept, update};
use crate::domain::talks::{TalkAsk, TalkHeld, TalkMode, text_field};
use crate::domain::{FieldError, MemberId};
use crate::secretary::admin::{Actor, audit};
use crate::store::{AuditStore, DocumentStore, Member, MemberStore, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    /// Waiting for a talk.
    Open,
    /// A talk was held and recorded for it.
    Held,
    /// Closed without a recorded talk (e.g. withdrawn by the member, or settled otherwise).
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkRequest {
    pub id: String,
    pub member_id: MemberId,
    pub topic: String,
    pub preferred: String,
    pub mode: TalkMode,
    pub at: DateTime<FixedOffset>,
    pub status: RequestStatus,
    pub handled_by: Option<String>,
    pub handled_at: Option<DateTime<FixedOffset>>,
    pub talk_id: Option<String>,
}

impl Kept for TalkRequest {
    const KIND: &'static str = "talk_request";

    fn id(&self) -> String {
        self.id.clone()
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }
}

/// The member's own note on the record of their talk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberNote {
    pub at: DateTime<FixedOffset>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Talk {
    pub id: String,
    pub member_id: MemberId,
    pub held_on: NaiveDate,
    pub mode: TalkMode,
    pub topic: String,
    pub summary: String,
    pub follow_ups: String,
    /// The admin or committee member who held it (a member id, or `cli:<user>`).
    pub recorded_by: String,
    pub recorded_at: DateTime<FixedOffset>,
    pub request_id: Option<String>,
    pub member_note: Option<MemberNote>,
}

impl Kept for Talk {
    const KIND: &'static str = "talk";

    fn id(&self) -> String {
        self.id.clone()
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }
}

/// Why a talk action was refused.
#[derive(Debug, thiserror::Error)]
pub enum TalkError {
    #[error("not found")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    /// The member already has a request waiting.
    #[error("a request is open already")]
    AlreadyRequested,
    /// The request is no longer open.
    #[error("the request is closed")]
    RequestClosed,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// A member asks for a talk; one open request at a time.
pub async fn request(
    store: &(impl DocumentStore + ?Sized),
    member: &MemberId,
    ask: TalkAsk,
    now: DateTime<FixedOffset>,
) -> Result<TalkRequest, TalkError> {
    let open = super::of_member::<TalkRequest>(store, member).await?;
    if open.iter().any(|r| r.status == RequestStatus::Open) {
        return Err(TalkError::AlreadyRequested);
    }
    let request = TalkRequest {
        id: new_id(),
        member_id: member.clone(),
        topic: ask.topic,
        preferred: ask.preferred,
        mode: ask.mode,
        at: now,
        status: RequestStatus::Open,
        handled_by: None,
        handled_at: None,
        talk_id: None,
    };
    update(store, &request.id, now, |_: Option<TalkRequest>| {
        Ok::<_, TalkError>(Change::Put(request.clone()))
    })
    .await?;
    Ok(request)
}

/// Closes an open request: by the member who made it (withdrawn), or by an admin or committee
/// member (settled without a recorded talk; audited).
pub async fn close_request(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    actor: &Actor,
    by_owner: Option<&MemberId>,
    id: &str,
    now: DateTime<FixedOffset>,
) -> Result<TalkRequest, TalkError> {
    let closed = update::<TalkRequest, TalkError>(store, id, now, |current: Option<TalkRequest>| {
        let mut request = current.ok_or(TalkError::NotFound)?;
        if by_owner.is_some_and(|owner| *owner != request.member_id) {
            return Err(TalkError::NotFound);
        }
        if request.status != RequestStatus::Open {
            return Err(TalkError::RequestClosed);
        }
        request.status = RequestStatus::Closed;
        request.handled_by = Some(actor.0.clone());
        request.handled_at = Some(now);
        Ok(Change::Put(request))
    })
    .await?
    .ok_or(TalkError::NotFound)?;
    if by_owner.is_none() {
        audit(store, actor, now, "talk.close_request", id, closed.member_id.to_string()).await?;
    }
    Ok(closed)
}

/// Records a talk held with `member` (answering their open request `request_id`, if given, which
/// is then closed) and audits it.
pub async fn record(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    actor: &Actor,
    member: &MemberId,
    held: TalkHeld,
    request_id: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<Talk, TalkError> {
    let talk = Talk {
        id: new_id(),
        member_id: member.clone(),
        held_on: held.held_on,
        mode: held.mode,
        topic: held.topic,
        summary: held.summary,
        follow_ups: held.follow_ups,
        recorded_by: actor.0.clone(),
        recorded_at: now,
        request_id: request_id.map(str::to_string),
        member_note: None,
    };
    if let Some(id) = request_id {
        update::<TalkRequest, TalkError>(store, id, now, |current: Option<TalkRequest>| {
            let mut request = current.filter(|r| r.member_id == *member).ok_or_else(|| {
                TalkError::Invalid(vec![FieldError::new("request_id", "没有这位党员的这条谈话请求")])
            })?;
            if request.status != RequestStatus::Open {
                return Err(TalkError::RequestClosed);
            }
            request.status = RequestStatus::Held;
            request.handled_by = Some(actor.0.clone());
            request.handled_at = Some(now);
            request.talk_id = Some(talk.id.clone());
            Ok(Change::Put(request))
        })
        .await?;
    }
    update(store, &talk.id, now, |_: Option<Talk>| Ok::<_, TalkError>(Change::Put(talk.clone()))).await?;
    audit(store, actor, now, "talk.record", member.as_str(), format!("{} {}", talk.held_on, talk.topic))
        .await?;
    Ok(talk)
}

/// The member's note on the record of one of their own talks (written again, it replaces the
/// earlier one).
pub async fn note(
    store: &(impl DocumentStore + ?Sized),
    member: &MemberId,
    talk_id: &str,
    body: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<Talk, TalkError> {
    let body = text_field("body", body, 1, 1000).map_err(|e| TalkError::Invalid(vec![e]))?;
    update::<Talk, TalkError>(store, talk_id, now, |current: Option<Talk>| {
        let mut talk = current.filter(|t| t.member_id == *member).ok_or(TalkError::NotFound)?;
        talk.member_note = Some(MemberNote { at: now, body: body.clone() });
        Ok(Change::Put(talk))
    })
    .await?
    .ok_or(TalkError::NotFound)
}

/// A member's requests and talks, newest first.
pub async fn of_member(
    store: &(impl DocumentStore + ?Sized),
    member: &MemberId,
) -> StoreResult<(Vec<TalkRequest>, Vec<Talk>)> {
    let mut requests = super::of_member::<TalkRequest>(store, member).await?;
    requests.sort_by_key(|r| std::cmp::Reverse(r.at));
    let mut talks = super::of_member::<Talk>(store, member).await?;
    talks.sort_by_key(|t| std::cmp::Reverse((t.held_on, t.recorded_at)));
    Ok((requests, talks))
}

/// The branch's talks as the secretary sees them.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    /// Requests waiting for a talk, oldest first.
    pub open_requests: Vec<TalkRequest>,
    /// Talks held in `year`, newest first.
    pub talks: Vec<Talk>,
    /// Members (roster order) without a talk held in `year`.
    pub without_talk: Vec<Member>,
}

pub async fn overview(
    store: &(impl MemberStore + DocumentStore + ?Sized),
    year: i32,
) -> anyhow::Result<Overview> {
    let mut open_requests: Vec<TalkRequest> = super::all::<TalkRequest>(store)
        .await?
        .into_iter()
        .filter(|r| r.status == RequestStatus::Open)
        .collect();
    open_requests.sort_by_key(|r| r.at);
    let mut talks: Vec<Talk> =
        super::all::<Talk>(store).await?.into_iter().filter(|t| t.held_on.year() == year).collect();
    talks.sort_by_key(|t| std::cmp::Reverse((t.held_on, t.recorded_at)));
    let without_talk = store
        .members()
        .await?
        .into_iter()
        .map(|r| r.member)
        .filter(|m| !talks.iter().any(|t| t.member_id == m.id))
        .collect();
    Ok(Overview { open_requests, talks, without_talk })
}
