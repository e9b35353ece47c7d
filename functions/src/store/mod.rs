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
    /// The member's session generation: carried in every token and compared on every request,
    /// so replacing it ends every session at once (logout, a new code, a role change). A new
    /// member gets a random one, so a removed and re-imported member's old tokens stay dead.
    pub session_gen: i64,
}

/// A fresh session generation (random, so it never repeats an earlier one).
pub fn new_session_gen() -> i64 {
    use rand::Rng as _;
    rand::rng().random_range(1..i64::MAX)
}

/// The address of a client whose address is not known: the per-address limit does not apply to
/// it, and "per id from this address" becomes "per id" (the contract's 5 failures).
pub const UNKNOWN_ADDRESS: &str = "unknown";

/// One login attempt, recorded before its code is checked.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginAttempt {
    pub member_id: MemberId,
    /// The client's address (IP), as the HTTP edge determined it.
    pub address: String,
    pub at: DateTime<FixedOffset>,
    /// Unique per attempt, so the adapter can tell its own record from others.
    pub nonce: String,
}

/// The login throttle: failed attempts counted in a sliding window, per member id from one
/// address (the contract's "5 failures for one id"), per address whatever the id, and per id
/// from everywhere at a much higher threshold — so someone guessing from elsewhere cannot lock
/// a member out, and a distributed guess still stops long before a code could be found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoginLimits {
    pub window_seconds: i64,
    pub per_id_and_address: usize,
    pub per_address: usize,
    pub per_id: usize,
}

impl LoginLimits {
    pub const DEFAULT: LoginLimits =
        LoginLimits { window_seconds: 15 * 60, per_id_and_address: 5, per_address: 20, per_id: 50 };
}

/// What the throttle says about an attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum LoginGate {
    /// Recorded (as a failure until [`Store::end_login`]): check the code.
    Proceed,
    /// Too many failures: nothing recorded; try again after this many seconds.
    Locked { retry_after_secs: u64, scope: LockScope },
}

/// How a recorded login attempt ended, when it was not a wrong code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    Succeeded,
    NotChecked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockScope {
    IdFromAddress,
    Address,
    Id,
}

impl LockScope {
    pub fn as_str(self) -> &'static str {
        match self {
            LockScope::IdFromAddress => "id_from_address",
            LockScope::Address => "address",
            LockScope::Id => "id",
        }
    }
}

/// The throttle's decision from the failures already recorded in the window (not counting the
/// attempt itself), the same for every adapter. `of_id` holds the member's failures with their
/// addresses, `of_address` the address's failures (any id); both oldest first.
pub fn login_gate(
    limits: &LoginLimits,
    attempt: &LoginAttempt,
    of_id: &[(String, i64)],
    of_address: &[i64],
) -> LoginGate {
    let since = attempt.at.timestamp() - limits.window_seconds;
    let from_here: Vec<i64> =
        of_id.iter().filter(|(a, at)| *a == attempt.address && *at > since).map(|(_, at)| *at).collect();
    let anywhere: Vec<i64> = of_id.iter().map(|(_, at)| *at).filter(|at| *at > since).collect();
    let address: Vec<i64> = if attempt.address == UNKNOWN_ADDRESS {
        Vec::new()
    } else {
        of_address.iter().copied().filter(|at| *at > since).collect()
    };
    let checks = [
        (LockScope::IdFromAddress, from_here, limits.per_id_and_address),
        (LockScope::Address, address, limits.per_address),
        (LockScope::Id, anywhere, limits.per_id),
    ];
    for (scope, mut times, limit) in checks {
        if limit > 0 && times.len() >= limit {
            times.sort_unstable();
            // Unlocks when the oldest failure that keeps the count at the limit leaves the window.
            let unlock = times[times.len() - limit] + limits.window_seconds;
            let retry_after_secs = (unlock - attempt.at.timestamp()).max(1) as u64;
            return LoginGate::Locked { retry_after_secs, scope };
        }
    }
    LoginGate::Proceed
}

/// A fixed-window quota of a member's submissions of one kind (e.g. notes per hour).
#[derive(Debug, Clone, PartialEq)]
pub struct Quota {
    /// What is counted: `notes`, ...
    pub kind: &'static str,
    pub window_seconds: i64,
    pub limit: u32,
}

impl Quota {
    /// The start of the window that `at` falls in.
    pub fn window_start(&self, at: DateTime<FixedOffset>) -> i64 {
        at.timestamp().div_euclid(self.window_seconds) * self.window_seconds
    }
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

/// A member's answers to a quiz round: 1-based options, one per question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizAnswers {
    pub quiz: String,
    pub member_id: MemberId,
    pub answers: Vec<u32>,
    pub at: DateTime<FixedOffset>,
}

/// An admin's reveal of a quiz round's results before it closes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizReveal {
    pub quiz: String,
    pub by: MemberId,
    pub at: DateTime<FixedOffset>,
}

/// One line of the audit log: who did what to whom, when. Written by every admin action (the
/// API's reviews and reveals, the command line's roster and data commands); there is no way to
/// change or remove a line through the tools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<FixedOffset>,
    /// A member id (an admin through the API) or `cli:<user>` (the command line).
    pub actor: String,
    /// A short verb: `note.approve`, `member.reset_code`, `member.erase`, ...
    pub action: String,
    /// What it was done to (a note id, a member id, a quiz id).
    pub target: String,
    pub detail: String,
}

/// Everything the store holds about one member (for `members export` and erasure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberData {
    pub member: Member,
    pub signins: Vec<Signin>,
    pub notes: Vec<Note>,
    pub copies: Vec<Copy>,
    pub quiz_answers: Vec<QuizAnswers>,
}

/// The answer kept for a request made with an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptAnswer {
    pub status: u16,
    pub body: String,
}

/// What a request with an `Idempotency-Key` finds.
#[derive(Debug, Clone, PartialEq)]
pub enum Idempotent {
    /// The key is now reserved for this request: process it, then keep its answer.
    Fresh,
    /// The key was used for the same request before: answer this again.
    Replay(KeptAnswer),
    /// The same request is being processed right now.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

/// How long an answer is kept for replays.
pub const IDEMPOTENCY_TTL_SECONDS: i64 = 86_400;
/// A reservation without an answer after this long was abandoned (a crash): it is taken over.
pub const IDEMPOTENCY_LEASE_SECONDS: i64 = 60;

#[async_trait]
pub trait Store: Send + Sync {
    /// Adds a member with this code hash, or updates the name, role and profile of an existing
    /// one and never touches its code (a changed role ends the member's sessions). True when the
    /// member is new.
    async fn upsert_member(&self, member: &Member, new_code_hash: &str) -> StoreResult<bool>;
    async fn member(&self, id: &MemberId) -> StoreResult<Option<MemberRecord>>;
    /// Every member, in roster order.
    async fn members(&self) -> StoreResult<Vec<MemberRecord>>;

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
    /// Ends every session of a member (a new session generation). False for an unknown id.
    async fn end_sessions(&self, id: &MemberId) -> StoreResult<bool>;
    /// Counts one submission against a member's quota in the current window; false (and nothing
    /// counted) when the window's limit is reached. Atomic, so parallel requests cannot exceed it.
    async fn take_quota(&self, id: &MemberId, quota: &Quota, at: DateTime<FixedOffset>) -> StoreResult<bool>;

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

    /// A member's answers are kept once per quiz: the first answer stands.
    async fn insert_quiz_answers(&self, answers: &QuizAnswers) -> StoreResult<Inserted<QuizAnswers>>;
    async fn quiz_answers_of(&self, id: &MemberId, quiz: &str) -> StoreResult<Option<QuizAnswers>>;
    /// Every member's answers to a quiz (for the anonymous distribution).
    async fn quiz_answers(&self, quiz: &str) -> StoreResult<Vec<QuizAnswers>>;
    /// Records the first reveal of a quiz's results; returns the reveal that stands.
    async fn reveal_quiz(&self, reveal: &QuizReveal) -> StoreResult<QuizReveal>;
    async fn quiz_reveal(&self, quiz: &str) -> StoreResult<Option<QuizReveal>>;

    /// Every quiz a member answered.
    async fn quiz_answers_of_member(&self, id: &MemberId) -> StoreResult<Vec<QuizAnswers>>;

    /// Gives a member a new access code (the old one stops working, and so does every session
    /// made with it). False for an unknown id.
    async fn set_code_hash(&self, id: &MemberId, code_hash: &str) -> StoreResult<bool>;
    /// Removes a member from the roster (they can no longer log in); their records stay until
    /// [`Store::erase_member`]. False for an unknown id.
    async fn remove_member(&self, id: &MemberId) -> StoreResult<bool>;
    /// Deletes every record of a member: sign-ins, notes, copies, quiz answers, failed logins,
    /// quotas, idempotency records. Returns the photo keys that the caller must delete from the blobs.
    async fn erase_member_records(&self, id: &MemberId) -> StoreResult<Vec<String>>;

    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// The whole audit log, oldest first.
    async fn audit_log(&self) -> StoreResult<Vec<AuditEntry>>;

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

/// The decision for a found idempotency record, the same for every adapter.
pub fn idempotent_decision(
    fingerprint: &str,
    found_fingerprint: &str,
    answer: Option<KeptAnswer>,
    reserved_at: i64,
    now: i64,
) -> Idempotent {
    if reserved_at < now - IDEMPOTENCY_TTL_SECONDS {
        Idempotent::Fresh
    } else if fingerprint != found_fingerprint {
        Idempotent::Mismatch
    } else if let Some(answer) = answer {
        Idempotent::Replay(answer)
    } else if reserved_at < now - IDEMPOTENCY_LEASE_SECONDS {
        Idempotent::Fresh
    } else {
        Idempotent::InProgress
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(address: &str) -> LoginAttempt {
        LoginAttempt {
            member_id: MemberId::parse("m001").expect("valid id"),
            address: address.into(),
            at: DateTime::parse_from_rfc3339("2026-12-09T10:00:00+08:00").expect("valid time"),
            nonce: "n".into(),
        }
    }

    #[test]
    fn an_unknown_address_is_not_one_client() {
        let now = attempt(UNKNOWN_ADDRESS).at.timestamp();
        let many: Vec<i64> = (1..=30).map(|s| now - s).collect();
        let limits = LoginLimits::DEFAULT;
        assert_eq!(login_gate(&limits, &attempt(UNKNOWN_ADDRESS), &[], &many), LoginGate::Proceed);
        assert!(matches!(
            login_gate(&limits, &attempt("198.51.100.1"), &[], &many),
            LoginGate::Locked { scope: LockScope::Address, .. }
        ));
        let five: Vec<(String, i64)> = (1..=5).map(|s| (UNKNOWN_ADDRESS.to_string(), now - s)).collect();
        assert!(matches!(
            login_gate(&limits, &attempt(UNKNOWN_ADDRESS), &five, &[]),
            LoginGate::Locked { scope: LockScope::IdFromAddress, .. }
        ));
    }
}
