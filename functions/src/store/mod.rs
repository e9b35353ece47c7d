//! The store, cut along its aggregates: members (with their sessions and login throttle),
//! quotas, sign-ins, notes, copies, quizzes, the audit log, idempotency keys, the documents of a
//! member's file (joining record, thought reports, talks: [`DocumentStore`]), and the erasure of a
//! member's records. Each is a trait; [`Store`] is all of them at once (what the router's
//! state and the command line hold), and a function that needs one or two takes just those,
//! e.g. `store: &(impl NoteStore + ?Sized)`. Callers bring the traits into scope with
//! `use crate::store::prelude::*;`.
//!
//! Two adapters implement every trait — SQLite for one machine (feature `sqlite`, a folder per
//! aggregate in `sqlite/`), DynamoDB (feature `aws`, the same in `dynamo/`); backend details (SQL,
//! item keys) stay inside the adapter, and one contract suite (`tests/suite/store_contract/`, a module
//! per aggregate) runs against each. A new kind of record is a trait here, a file in each
//! adapter, a module of the contract suite, a bound on [`Store`], and its deletion in
//! [`ErasureStore::erase_member_records`].

#[cfg(feature = "aws")]
pub mod dynamo;
mod records;
mod rules;
#[cfg(feature = "sqlite")]
pub mod sqlite;

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset};

pub use records::{
    AuditEntry, CONTACTS_COLUMN, Copy, Document, Inserted, KeptAnswer, MOBILE_COLUMN, Member, MemberData,
    MemberRecord, Note, QuizAnswers, QuizReveal, STAGE_COLUMN, Signin,
};
pub use rules::{
    IDEMPOTENCY_LEASE_SECONDS, IDEMPOTENCY_TTL_SECONDS, Idempotent, LockScope, LoginAttempt, LoginGate,
    LoginLimits, LoginOutcome, Quota, UNKNOWN_ADDRESS, check_document_keys, idempotent_decision, login_gate,
    new_session_gen,
};

use crate::domain::{MemberId, NoteStatus};

pub type StoreResult<T> = anyhow::Result<T>;

/// Every store trait, for `use crate::store::prelude::*;` wherever store methods are called.
pub mod prelude {
    pub use super::{
        AuditStore, CopyStore, DocumentStore, ErasureStore, IdempotencyStore, MemberStore, NoteStore,
        QuizStore, QuotaStore, SigninStore, Store,
    };
}

/// The whole store: every aggregate. Implemented by every type that implements them all.
pub trait Store:
    MemberStore
    + QuotaStore
    + SigninStore
    + NoteStore
    + CopyStore
    + QuizStore
    + DocumentStore
    + AuditStore
    + IdempotencyStore
    + ErasureStore
{
}

impl<T> Store for T where
    T: MemberStore
        + QuotaStore
        + SigninStore
        + NoteStore
        + CopyStore
        + QuizStore
        + DocumentStore
        + AuditStore
        + IdempotencyStore
        + ErasureStore
        + ?Sized
{
}

/// The roster, each member's session generation and the login throttle.
#[async_trait]
pub trait MemberStore: Send + Sync {
    /// Adds a member with this code hash, or updates the name, role and profile of an existing
    /// one and never touches its code (a changed role ends the member's sessions). True when the
    /// member is new.
    async fn upsert_member(&self, member: &Member, new_code_hash: &str) -> StoreResult<bool>;
    async fn member(&self, id: &MemberId) -> StoreResult<Option<MemberRecord>>;
    /// Every member, in roster order.
    async fn members(&self) -> StoreResult<Vec<MemberRecord>>;
    /// Gives a member a new access code (the old one stops working, and so does every session
    /// made with it). False for an unknown id.
    async fn set_code_hash(&self, id: &MemberId, code_hash: &str) -> StoreResult<bool>;
    /// Removes a member from the roster (they can no longer log in); their records stay until
    /// [`ErasureStore::erase_member_records`]. False for an unknown id.
    async fn remove_member(&self, id: &MemberId) -> StoreResult<bool>;
    /// Ends every session of a member (a new session generation). False for an unknown id.
    async fn end_sessions(&self, id: &MemberId) -> StoreResult<bool>;

    /// Records a login attempt as a failure *before* its code is checked, unless the throttle
    /// ([`login_gate`]) refuses it; checking and recording are one step, so parallel attempts
    /// cannot all pass the check.
    async fn begin_login(&self, attempt: &LoginAttempt, limits: &LoginLimits) -> StoreResult<LoginGate>;
    /// After the check: a right code forgets the member's failures from this address (the
    /// attempt included; failures from elsewhere keep counting against the id); an attempt that
    /// was never checked (no free slot) forgets just itself. A wrong code leaves the failure.
    async fn end_login(&self, attempt: &LoginAttempt, outcome: LoginOutcome) -> StoreResult<()>;
    /// Forgets every failed login of a member (after a new code).
    async fn clear_login_failures(&self, id: &MemberId) -> StoreResult<()>;
}

/// Fixed-window quotas of members' submissions (notes an hour).
#[async_trait]
pub trait QuotaStore: Send + Sync {
    /// Counts one submission against a member's quota in the current window; false (and nothing
    /// counted) when the window's limit is reached. Atomic, so parallel requests cannot exceed it.
    async fn take_quota(&self, id: &MemberId, quota: &Quota, at: DateTime<FixedOffset>) -> StoreResult<bool>;
}

/// Sign-ins to events, and the retention of their locations.
#[async_trait]
pub trait SigninStore: Send + Sync {
    /// At most one sign-in per member per event, enforced by the store itself.
    async fn insert_signin(&self, signin: &Signin) -> StoreResult<Inserted<Signin>>;
    async fn signins_of_member(&self, id: &MemberId) -> StoreResult<Vec<Signin>>;
    async fn signins_of_event(&self, event: &str) -> StoreResult<Vec<Signin>>;
    /// Removes the (coarse) location of every sign-in made before `cutoff`: the retention rule
    /// for personal data. Returns how many sign-ins lost their location.
    async fn purge_locations_before(&self, cutoff: DateTime<FixedOffset>) -> StoreResult<usize>;
}

/// Study notes and their review.
#[async_trait]
pub trait NoteStore: Send + Sync {
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
}

/// Handwritten copies: one photo per member, campaign and day.
#[async_trait]
pub trait CopyStore: Send + Sync {
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

/// Quiz rounds: members' answers and admins' early reveals.
#[async_trait]
pub trait QuizStore: Send + Sync {
    /// A member's answers are kept once per quiz: the first answer stands.
    async fn insert_quiz_answers(&self, answers: &QuizAnswers) -> StoreResult<Inserted<QuizAnswers>>;
    async fn quiz_answers_of(&self, id: &MemberId, quiz: &str) -> StoreResult<Option<QuizAnswers>>;
    /// Every member's answers to a quiz (for the anonymous distribution).
    async fn quiz_answers(&self, quiz: &str) -> StoreResult<Vec<QuizAnswers>>;
    /// Every quiz a member answered.
    async fn quiz_answers_of_member(&self, id: &MemberId) -> StoreResult<Vec<QuizAnswers>>;
    /// Records the first reveal of a quiz's results; returns the reveal that stands.
    async fn reveal_quiz(&self, reveal: &QuizReveal) -> StoreResult<QuizReveal>;
    async fn quiz_reveal(&self, quiz: &str) -> StoreResult<Option<QuizReveal>>;
}

/// The documents of a member's file — the joining record's milestones, thought reports, talks and
/// talk requests (and whatever kind comes next) — each a JSON body under a kind and an id, owned
/// by one member, with a version for optimistic concurrency: a write names the version it
/// replaces, so two admins (or an author withdrawing while a contact person marks it read)
/// cannot both win. The typed layer over it is `crate::file`; the store only keeps, lists and
/// compares versions.
#[async_trait]
pub trait DocumentStore: Send + Sync {
    async fn document(&self, kind: &str, id: &str) -> StoreResult<Option<Document>>;
    /// Every document of a kind, by id.
    async fn documents(&self, kind: &str) -> StoreResult<Vec<Document>>;
    /// A member's documents of a kind, by id.
    async fn documents_of_member(&self, kind: &str, member: &MemberId) -> StoreResult<Vec<Document>>;
    /// Every document of a member, whatever its kind, by kind and id (export, migration).
    async fn all_documents_of_member(&self, member: &MemberId) -> StoreResult<Vec<Document>>;
    /// Writes `doc` if the stored version is `doc.version - 1` — or, for `doc.version == 1`, if
    /// there is none. False (nothing written) when someone else wrote in between. An error for a
    /// kind or id outside their patterns ([`Document`], [`check_document_keys`]) or a version 0.
    async fn put_document(&self, doc: &Document) -> StoreResult<bool>;
    /// Deletes a document if its stored version is `version`. False otherwise.
    async fn delete_document(&self, kind: &str, id: &str, version: u64) -> StoreResult<bool>;
    /// Writes `doc` as it is, version included, if there is no document with its kind and id
    /// (migration, restore); false when there is. Refuses what [`DocumentStore::put_document`]
    /// refuses.
    async fn import_document(&self, doc: &Document) -> StoreResult<bool>;
}

/// The audit log: appended to, read whole, never changed.
#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// The whole audit log, oldest first.
    async fn audit_log(&self) -> StoreResult<Vec<AuditEntry>>;
}

/// Requests made with an `Idempotency-Key`: reserved, then answered (or released).
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Reserves `key` for `member`'s request with this fingerprint, or says what the key was
    /// used for: the same request (kept answer, or still in progress) or a different one.
    /// Records older than [`IDEMPOTENCY_TTL_SECONDS`] are forgotten, reservations left without
    /// an answer for [`IDEMPOTENCY_LEASE_SECONDS`] are taken over.
    async fn begin_idempotent(
        &self,
        member: &MemberId,
        key: &str,
        fingerprint: &str,
        now: DateTime<FixedOffset>,
    ) -> StoreResult<Idempotent>;
    /// Keeps the answer to a reserved request, or (None) releases the key so a retry runs again.
    async fn finish_idempotent(
        &self,
        member: &MemberId,
        key: &str,
        answer: Option<&KeptAnswer>,
    ) -> StoreResult<()>;
}

/// Erasure: a member's records across every aggregate, in one call (on SQLite, one transaction).
#[async_trait]
pub trait ErasureStore: Send + Sync {
    /// Deletes every record of a member: sign-ins, notes, copies, quiz answers, documents,
    /// failed logins, quotas, idempotency records (the roster entry goes with
    /// [`MemberStore::remove_member`]; the audit log stays). Returns the photo keys (of copies
    /// and of documents' `blob_keys`) that the caller must delete from the blobs.
    async fn erase_member_records(&self, id: &MemberId) -> StoreResult<Vec<String>>;
}
