//! The records the store keeps — members, sign-ins, notes, copies, quiz answers and reveals,
//! audit lines, kept answers — as every adapter reads and writes them.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::domain::{MemberId, NoteStatus, Role, StoredLocation};

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
