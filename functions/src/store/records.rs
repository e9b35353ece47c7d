//! The records the store keeps — members, sign-ins, notes, copies, quiz answers and reveals,
//! audit lines, kept answers — as every adapter reads and writes them.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::domain::{MemberId, NoteStatus, Role, Stage, StoredLocation};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: MemberId,
    pub name: String,
    pub role: Role,
    /// Further roster columns, kept as given.
    pub profile: BTreeMap<String, String>,
}

/// The roster columns of the joining record, kept among the profile fields as the import
/// normalised them (`stage` by its ASCII name, `contacts` as `id;id`, `mobile` as `yes`).
pub const STAGE_COLUMN: &str = "stage";
pub const CONTACTS_COLUMN: &str = "contacts";
pub const MOBILE_COLUMN: &str = "mobile";

impl Member {
    /// The roster's stage (申请人 … 正式党员), if it gives one; the joining record may have moved
    /// the person on since (`crate::domain::joining::road`).
    pub fn stage(&self) -> Option<Stage> {
        self.profile.get(STAGE_COLUMN).and_then(|s| Stage::parse(s))
    }

    /// The person's contact persons (培养联系人): one or two members.
    pub fn contacts(&self) -> Vec<MemberId> {
        let column = self.profile.get(CONTACTS_COLUMN).map(String::as_str).unwrap_or("");
        column.split(';').filter_map(|id| MemberId::parse(id.trim()).ok()).collect()
    }

    /// Whether the member is away with a 流动党员活动证 (on placement).
    pub fn mobile(&self) -> bool {
        self.profile.get(MOBILE_COLUMN).is_some_and(|v| v == "yes")
    }
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

/// One document of a member's file (see [`super::DocumentStore`]): a JSON body of a kind, under
/// an id unique within the kind, owned by `member_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// What it is: `milestone`, `report`, `talk`, `talk_request`, … (`[a-z_]{1,32}`).
    pub kind: String,
    /// Unique within the kind: `[A-Za-z0-9_:.-]{1,128}` (never a `#`, DynamoDB's separator).
    pub id: String,
    pub member_id: MemberId,
    /// 1 for the first write, one more for each write after it.
    pub version: u64,
    pub at: DateTime<FixedOffset>,
    /// Photo keys the document refers to (deleted with it on erasure).
    pub blob_keys: Vec<String>,
    /// The typed record. (Adapters keep it as JSON text.)
    pub body: serde_json::Value,
}

/// Everything the store holds about one member (for `members export` and erasure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberData {
    pub member: Member,
    pub signins: Vec<Signin>,
    pub notes: Vec<Note>,
    pub copies: Vec<Copy>,
    pub quiz_answers: Vec<QuizAnswers>,
    /// Their file: joining record, thought reports, talks.
    #[serde(default)]
    pub documents: Vec<Document>,
}

/// The answer kept for a request made with an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptAnswer {
    pub status: u16,
    pub body: String,
}
