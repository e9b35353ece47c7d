//! The rules every adapter applies the same way, kept out of the adapters so they cannot drift:
//! session generations, the login throttle's decision, quotas' windows, what an
//! `Idempotency-Key` finds and which documents' keys are acceptable.

use chrono::{DateTime, FixedOffset};

use super::{Document, KeptAnswer};
use crate::domain::MemberId;

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
    /// Recorded (as a failure until [`MemberStore::end_login`](super::MemberStore::end_login)):
    /// check the code.
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

/// Refuses a document's kind or id outside their patterns: `kind` `[a-z_]{1,32}`, `id`
/// `[A-Za-z0-9_:.-]{1,128}` (never a `#`, DynamoDB's separator in keys).
pub fn check_document_keys(kind: &str, id: &str) -> anyhow::Result<()> {
    let kind_ok = (1..=32).contains(&kind.len()) && kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    anyhow::ensure!(kind_ok, "a document's kind is 1 to 32 of a-z and _, not {kind:?}");
    let id_ok = (1..=128).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-'));
    anyhow::ensure!(id_ok, "a document's id is 1 to 128 of A-Z, a-z, 0-9, _, :, . and -, not {id:?}");
    Ok(())
}

/// Refuses a document no adapter may write: keys outside their patterns
/// ([`check_document_keys`]), or a version that is not a count of writes (1 up to `i64::MAX`,
/// what SQLite's integers hold).
pub fn check_document(doc: &Document) -> anyhow::Result<()> {
    check_document_keys(&doc.kind, &doc.id)?;
    anyhow::ensure!(
        (1..=i64::MAX as u64).contains(&doc.version),
        "document {}/{}: a version counts writes from 1, not {}",
        doc.kind,
        doc.id,
        doc.version
    );
    Ok(())
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

    #[test]
    fn document_keys_follow_their_patterns() {
        for (kind, id) in
            [("report", "r-2026:01.a_B"), ("talk_request", "x"), (&"k".repeat(32)[..], &"9".repeat(128)[..])]
        {
            assert!(check_document_keys(kind, id).is_ok(), "{kind} {id}");
        }
        for (kind, id) in [
            ("", "x"),
            ("Report", "x"),
            ("re-port", "x"),
            ("报告", "x"),
            (&"k".repeat(33)[..], "x"),
            ("report", ""),
            ("report", "a#b"),
            ("report", "a b"),
            ("report", "a/b"),
            ("report", "报告"),
            ("report", &"9".repeat(129)[..]),
        ] {
            assert!(check_document_keys(kind, id).is_err(), "{kind:?} {id:?}");
        }
    }
}
