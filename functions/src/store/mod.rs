//! The store: members, login failures, sign-ins, notes and copies. One trait, two adapters
//! (SQLite for one machine, DynamoDB with the `aws` feature); backend details (SQL, item keys)
//! stay inside the adapter, and one contract suite (`tests/store_contract.rs`) runs against each.

#[cfg(feature = "aws")]
pub mod dynamo;
pub mod sqlite;

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::domain::{MemberId, NoteStatus, Role, StoredLocation};

pub type StoreResult<T> = anyhow::Result<T>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: MemberId,
    pub name: String,
    pub role: Role,
    /// Further roster columns, kept as given.
    pub profile: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberRecord {
    pub member: Member,
    pub code_hash: String,
    /// Position in the roster, for lists in roster order.
    pub roster_order: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signin {
    pub event: String,
    pub member_id: MemberId,
    pub at: DateTime<FixedOffset>,
    pub location: Option<StoredLocation>,
}

/// The outcome of a write that happens at most once.
#[derive(Debug, Clone, PartialEq)]
pub enum Inserted<T> {
    New(T),
    /// It was there already; this is what is stored.
    Existing(T),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: String,
    pub page: String,
    pub member_id: MemberId,
    pub body: String,
    pub status: NoteStatus,
    pub at: DateTime<FixedOffset>,
    /// Sensitive words found in the body (the note waits for a reviewer either way).
    pub flagged_words: Vec<String>,
    pub review_reason: Option<String>,
    pub reviewed_by: Option<MemberId>,
    pub reviewed_at: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Copy {
    pub campaign: String,
    pub member_id: MemberId,
    pub day: u32,
    pub photo_key: String,
    pub thumb_key: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub at: DateTime<FixedOffset>,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// Adds a member with this code hash, or updates the name, role and profile of an existing
    /// one and never touches its code. True when the member is new.
    async fn upsert_member(&self, member: &Member, new_code_hash: &str) -> StoreResult<bool>;
    async fn member(&self, id: &MemberId) -> StoreResult<Option<MemberRecord>>;
    /// Every member, in roster order.
    async fn members(&self) -> StoreResult<Vec<MemberRecord>>;

    async fn record_login_failure(&self, id: &MemberId, at: DateTime<FixedOffset>) -> StoreResult<()>;
    /// Failed logins of `id` at or after `since`, oldest first.
    async fn login_failures_since(
        &self,
        id: &MemberId,
        since: DateTime<FixedOffset>,
    ) -> StoreResult<Vec<DateTime<FixedOffset>>>;
    async fn clear_login_failures(&self, id: &MemberId) -> StoreResult<()>;

    /// At most one sign-in per member per event, enforced by the store itself.
    async fn insert_signin(&self, signin: &Signin) -> StoreResult<Inserted<Signin>>;
    async fn signins_of_member(&self, id: &MemberId) -> StoreResult<Vec<Signin>>;
    async fn signins_of_event(&self, event: &str) -> StoreResult<Vec<Signin>>;
    /// Removes the (coarse) location of every sign-in made before `cutoff`: the retention rule
    /// for personal data. Returns how many sign-ins lost their location.
    async fn purge_locations_before(&self, cutoff: DateTime<FixedOffset>) -> StoreResult<usize>;

    async fn insert_note(&self, note: &Note) -> StoreResult<()>;
    async fn note(&self, id: &str) -> StoreResult<Option<Note>>;
    /// Notes of a page with a status, newest first.
    async fn notes_of_page(&self, page: &str, status: NoteStatus) -> StoreResult<Vec<Note>>;
    async fn notes_of_member(&self, id: &MemberId) -> StoreResult<Vec<Note>>;
    /// Notes with a status, oldest first (a queue).
    async fn notes_with_status(&self, status: NoteStatus) -> StoreResult<Vec<Note>>;
    async fn review_note(
        &self,
        id: &str,
        status: NoteStatus,
        reason: Option<&str>,
        reviewer: &MemberId,
        at: DateTime<FixedOffset>,
    ) -> StoreResult<Option<Note>>;

    /// Stores a copy, replacing the one for the same member, campaign and day in one step;
    /// returns the replaced one so its photos can be removed afterwards.
    async fn put_copy(&self, copy: &Copy) -> StoreResult<Option<Copy>>;
    async fn copies_of(&self, id: &MemberId, campaign: &str) -> StoreResult<Vec<Copy>>;
    async fn copies_of_campaign(&self, campaign: &str) -> StoreResult<Vec<Copy>>;
    /// Every copy of a member, by campaign and day.
    async fn copies_of_member(&self, id: &MemberId) -> StoreResult<Vec<Copy>>;
    /// Whether any stored copy refers to this photo or thumbnail key (for serving photos).
    async fn copy_by_key(&self, key: &str) -> StoreResult<Option<Copy>>;
}
