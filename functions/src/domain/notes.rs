//! Study notes' text and review: the body (10–5000 visible characters, plain text, invisible
//! characters removed), the page it belongs to, a note's moderation state, a reviewer's
//! decision, and the id a note takes from its `Idempotency-Key`.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{FieldError, MemberId};

/// A study note's text: 10–5000 characters after trimming; plain text, never HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteBody(String);

pub const NOTE_MIN_CHARS: usize = 10;
pub const NOTE_MAX_CHARS: usize = 5000;
/// The longest reason a reviewer may give.
pub const REASON_MAX_CHARS: usize = 500;

impl NoteBody {
    /// Invisible characters (zero-width, bidi controls) are removed first: they hide text from
    /// the reviewer and the sensitive-word list, and reorder what readers see.
    pub fn parse(s: &str) -> Result<NoteBody, FieldError> {
        let visible = strip_invisible(s);
        let trimmed = visible.trim();
        let n = trimmed.chars().count();
        if n < NOTE_MIN_CHARS {
            return Err(FieldError::new("body", format!("心得至少 {NOTE_MIN_CHARS} 个字，现在是 {n} 个字")));
        }
        if n > NOTE_MAX_CHARS {
            return Err(FieldError::new("body", format!("心得最多 {NOTE_MAX_CHARS} 个字，现在是 {n} 个字")));
        }
        if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            return Err(FieldError::new("body", "心得中含有无法显示的控制字符"));
        }
        Ok(NoteBody(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Characters that show nothing themselves but hide or reorder text: zero-width spaces and
/// joiners, the word joiner, the byte-order mark, the soft hyphen, and bidirectional controls.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// The text without [`is_invisible`] characters.
pub fn strip_invisible(s: &str) -> String {
    s.chars().filter(|c| !is_invisible(*c)).collect()
}

/// A site path that takes notes, e.g. `/theory/constitution/`.
pub fn page_path(s: &str) -> Result<String, FieldError> {
    let ok =
        s.starts_with('/') && s.ends_with('/') && s.len() <= 300 && !s.contains("..") && !s.contains('?');
    if ok {
        Ok(s.to_string())
    } else {
        Err(FieldError::new("page", "页面路径应形如 /theory/article/"))
    }
}

/// A note as submitted, checked: the page it is about and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteDraft {
    pub page: String,
    pub body: NoteBody,
}

impl NoteDraft {
    /// Both fields, every problem at once.
    pub fn parse(page: Option<&str>, body: Option<&str>) -> Result<NoteDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let page = match page {
            Some(p) => page_path(p).map_err(|e| errors.push(e)).ok(),
            None => {
                errors.push(FieldError::new("page", "缺少页面路径"));
                None
            }
        };
        let body = match body {
            Some(b) => NoteBody::parse(b).map_err(|e| errors.push(e)).ok(),
            None => {
                errors.push(FieldError::new("body", "请填写心得内容"));
                None
            }
        };
        match (page, body) {
            (Some(page), Some(body)) => Ok(NoteDraft { page, body }),
            _ => Err(errors),
        }
    }
}

/// The id of a note submitted with an `Idempotency-Key`: derived from the member and the key,
/// so even a retry that outlived its reservation (a crash mid-request) finds the note instead
/// of writing a second one.
pub fn note_id_for_key(member: &MemberId, key: &str) -> String {
    let digest = Sha256::digest(format!("{member}\n{key}").as_bytes());
    format!("{digest:x}")[..32].to_string()
}

/// Moderation state of a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteStatus {
    Pending,
    Approved,
    Rejected,
}

impl NoteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteStatus::Pending => "pending",
            NoteStatus::Approved => "approved",
            NoteStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<NoteStatus> {
        match s {
            "pending" => Some(NoteStatus::Pending),
            "approved" => Some(NoteStatus::Approved),
            "rejected" => Some(NoteStatus::Rejected),
            _ => None,
        }
    }
}

/// A reviewer's decision, checked: approve, or reject with a reason the author reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub status: NoteStatus,
    /// Trimmed; never empty.
    pub reason: Option<String>,
}

impl Review {
    /// `decision` is `approve` or `reject`; a rejection needs a reason, and a reason is at most
    /// [`REASON_MAX_CHARS`] characters. Every problem at once.
    pub fn parse(decision: Option<&str>, reason: Option<&str>) -> Result<Review, Vec<FieldError>> {
        let mut errors = Vec::new();
        let status = match decision {
            Some("approve") => Some(NoteStatus::Approved),
            Some("reject") => Some(NoteStatus::Rejected),
            _ => {
                errors.push(FieldError::new("decision", "请选择 approve（通过）或 reject（退回）"));
                None
            }
        };
        let reason = reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
        if status == Some(NoteStatus::Rejected) && reason.is_none() {
            errors.push(FieldError::new("reason", "退回时请写明理由，作者会看到"));
        }
        if reason.as_ref().is_some_and(|r| r.chars().count() > REASON_MAX_CHARS) {
            errors.push(FieldError::new("reason", format!("理由最多 {REASON_MAX_CHARS} 字")));
        }
        match status {
            Some(status) if errors.is_empty() => Ok(Review { status, reason }),
            _ => Err(errors),
        }
    }

    /// The audit log's verb for it.
    pub fn action(&self) -> &'static str {
        if self.status == NoteStatus::Approved { "note.approve" } else { "note.reject" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_bodies_are_trimmed_and_counted_in_characters() {
        assert!(NoteBody::parse("  学习党章的体会很深  ").is_err(), "9 characters after trimming");
        assert_eq!(NoteBody::parse("  学习党章的体会很深刻  ").unwrap().as_str(), "学习党章的体会很深刻");
        assert!(NoteBody::parse(&"党".repeat(5000)).is_ok());
        assert!(NoteBody::parse(&"党".repeat(5001)).is_err());
        assert!(NoteBody::parse("<script>alert(1)</script>").is_ok(), "kept as text, never interpreted");
        assert!(NoteBody::parse("控制字符\u{0007}在这里出现了").is_err());
        assert_eq!(
            NoteBody::parse("学习\u{200B}党章\u{202E}的体会\u{2066}很深刻\u{FEFF}").unwrap().as_str(),
            "学习党章的体会很深刻",
            "zero-width and bidi controls are removed"
        );
        assert!(
            NoteBody::parse("\u{200B}".repeat(20).as_str()).is_err(),
            "invisible characters do not count"
        );
    }

    #[test]
    fn page_paths_are_checked() {
        assert!(page_path("/theory/a/").is_ok());
        assert!(page_path("theory/a").is_err());
        assert!(page_path("/../etc/").is_err());
    }

    #[test]
    fn a_draft_names_every_bad_field() {
        let errors = NoteDraft::parse(Some("theory"), None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["page", "body"]);
        let draft = NoteDraft::parse(Some("/a/"), Some(" 学习党章的体会很深刻 ")).unwrap();
        assert_eq!((draft.page.as_str(), draft.body.as_str()), ("/a/", "学习党章的体会很深刻"));
    }

    #[test]
    fn a_rejection_needs_a_reason_of_at_most_500_characters() {
        let approve = Review::parse(Some("approve"), Some("  ")).unwrap();
        assert_eq!(
            (approve.status, approve.reason.as_deref(), approve.action()),
            (NoteStatus::Approved, None, "note.approve")
        );
        let reject = Review::parse(Some("reject"), Some(" 请具体一些 ")).unwrap();
        assert_eq!((reject.reason.as_deref(), reject.action()), (Some("请具体一些"), "note.reject"));
        let errors = Review::parse(Some("reject"), Some(" ")).unwrap_err();
        assert_eq!(errors, [FieldError::new("reason", "退回时请写明理由，作者会看到")]);
        let errors = Review::parse(Some("maybe"), Some(&"字".repeat(501))).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["decision", "reason"]);
        assert!(Review::parse(Some("approve"), Some(&"字".repeat(500))).is_ok());
    }

    #[test]
    fn a_keyed_note_id_depends_on_member_and_key_only() {
        let (m1, m2) = (MemberId::parse("m001").unwrap(), MemberId::parse("m002").unwrap());
        assert_eq!(note_id_for_key(&m1, "k1"), note_id_for_key(&m1, "k1"));
        assert_ne!(note_id_for_key(&m1, "k1"), note_id_for_key(&m2, "k1"));
        assert_eq!(note_id_for_key(&m1, "k1").len(), 32);
    }
}
