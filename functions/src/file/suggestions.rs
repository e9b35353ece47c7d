//! Suggestions and complaints (意见建议): any member may write to the branch's admins about the
//! branch's work or about the site itself — signed, never anonymous — and reads the answer. The
//! national rules against formalism ask for exactly this channel.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{Change, Kept, update};
use crate::domain::talks::text_field;
use crate::domain::{FieldError, MemberId};
use crate::secretary::admin::{Actor, audit};
use crate::store::{AuditStore, DocumentStore, StoreResult};

/// What a suggestion is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Topic {
    /// The branch's work (组织生活、学习教育、党费 …).
    Branch,
    /// This website.
    Site,
}

impl Topic {
    pub fn parse(s: &str) -> Option<Topic> {
        match s.trim() {
            "branch" | "支部工作" => Some(Topic::Branch),
            "site" | "网站" => Some(Topic::Site),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Topic::Branch => "支部工作",
            Topic::Site => "网站",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub by: String,
    pub at: DateTime<FixedOffset>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub id: String,
    pub member_id: MemberId,
    pub topic: Topic,
    pub body: String,
    pub at: DateTime<FixedOffset>,
    pub answer: Option<Answer>,
}

impl Kept for Suggestion {
    const KIND: &'static str = "suggestion";

    fn id(&self) -> String {
        self.id.clone()
    }

    fn member(&self) -> &MemberId {
        &self.member_id
    }
}

pub const SUGGESTION_MIN_CHARS: usize = 5;
pub const SUGGESTION_MAX_CHARS: usize = 2000;

#[derive(Debug, thiserror::Error)]
pub enum SuggestionError {
    #[error("not found")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// Checks a suggestion's topic and text, every bad field at once.
pub fn parse(topic: Option<&str>, body: Option<&str>) -> Result<(Topic, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let topic = match topic.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(Topic::Branch),
        Some(t) => Topic::parse(t)
            .ok_or_else(|| errors.push(FieldError::new("topic", "类别应为支部工作或网站")))
            .ok(),
    };
    let body =
        text_field("body", body, SUGGESTION_MIN_CHARS, SUGGESTION_MAX_CHARS).map_err(|e| errors.push(e)).ok();
    match (topic, body) {
        (Some(t), Some(b)) => Ok((t, b)),
        _ => Err(errors),
    }
}

pub async fn send(
    store: &(impl DocumentStore + ?Sized),
    member: &MemberId,
    topic: Topic,
    body: String,
    now: DateTime<FixedOffset>,
) -> Result<Suggestion, SuggestionError> {
    let suggestion = Suggestion {
        id: uuid::Uuid::new_v4().simple().to_string(),
        member_id: member.clone(),
        topic,
        body,
        at: now,
        answer: None,
    };
    update(store, &suggestion.id, now, |_: Option<Suggestion>| {
        Ok::<_, SuggestionError>(Change::Put(suggestion.clone()))
    })
    .await?;
    Ok(suggestion)
}

/// An admin's answer (written again, it replaces the earlier one); audited.
pub async fn answer(
    store: &(impl DocumentStore + AuditStore + ?Sized),
    actor: &Actor,
    id: &str,
    body: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<Suggestion, SuggestionError> {
    let body =
        text_field("body", body, 1, SUGGESTION_MAX_CHARS).map_err(|e| SuggestionError::Invalid(vec![e]))?;
    let answered = update::<Suggestion, SuggestionError>(store, id, now, |current: Option<Suggestion>| {
        let mut s = current.ok_or(SuggestionError::NotFound)?;
        s.answer = Some(Answer { by: actor.0.clone(), at: now, body: body.clone() });
        Ok(Change::Put(s))
    })
    .await?
    .ok_or(SuggestionError::NotFound)?;
    audit(store, actor, now, "suggestion.answer", id, answered.member_id.to_string()).await?;
    Ok(answered)
}

/// A member's own suggestions, newest first.
pub async fn of_member(
    store: &(impl DocumentStore + ?Sized),
    member: &MemberId,
) -> StoreResult<Vec<Suggestion>> {
    let mut list = super::of_member::<Suggestion>(store, member).await?;
    list.sort_by_key(|s| std::cmp::Reverse(s.at));
    Ok(list)
}

/// Every suggestion: unanswered first (oldest first), then answered (newest first).
pub async fn all(store: &(impl DocumentStore + ?Sized)) -> StoreResult<Vec<Suggestion>> {
    let mut list = super::all::<Suggestion>(store).await?;
    list.sort_by_key(|s| {
        (s.answer.is_some(), if s.answer.is_some() { -s.at.timestamp() } else { s.at.timestamp() })
    });
    Ok(list)
}
