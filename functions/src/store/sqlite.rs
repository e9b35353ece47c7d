//! The embedded store: one SQLite file (WAL) under the data folder. rusqlite is synchronous, so
//! every call runs on tokio's blocking pool; one connection behind a mutex makes each call a
//! transaction-sized critical section, which is what the uniqueness rules need.

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use async_trait::async_trait;
use chrono::{DateTime, FixedOffset};
use rusqlite::{Connection, OptionalExtension, params};

use super::{
    AuditEntry, Copy, IDEMPOTENCY_TTL_SECONDS, Idempotent, Inserted, KeptAnswer, LoginAttempt, LoginGate,
    LoginLimits, LoginOutcome, Member, MemberRecord, Note, QuizAnswers, QuizReveal, Quota, Signin, Store,
    StoreResult, idempotent_decision, login_gate, new_session_gen,
};
use crate::domain::{MemberId, NoteStatus, Role};
use crate::private_files;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS members (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    profile TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    roster_order INTEGER NOT NULL,
    session_gen INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS login_failures (
    member_id TEXT NOT NULL,
    at TEXT NOT NULL,
    at_unix INTEGER NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    nonce TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS login_failures_member ON login_failures (member_id, at_unix);
CREATE TABLE IF NOT EXISTS quotas (
    member_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (member_id, kind, window_start)
);
CREATE TABLE IF NOT EXISTS signins (
    event TEXT NOT NULL,
    member_id TEXT NOT NULL,
    at TEXT NOT NULL,
    location TEXT,
    PRIMARY KEY (event, member_id)
);
CREATE INDEX IF NOT EXISTS signins_member ON signins (member_id);
CREATE TABLE IF NOT EXISTS notes (
    id TEXT PRIMARY KEY,
    page TEXT NOT NULL,
    member_id TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    at_unix INTEGER NOT NULL,
    flagged_words TEXT NOT NULL,
    review_reason TEXT,
    reviewed_by TEXT,
    reviewed_at TEXT
);
CREATE INDEX IF NOT EXISTS notes_page ON notes (page, status, at_unix);
CREATE INDEX IF NOT EXISTS notes_member ON notes (member_id, at_unix);
CREATE INDEX IF NOT EXISTS notes_status ON notes (status, at_unix);
CREATE TABLE IF NOT EXISTS copies (
    campaign TEXT NOT NULL,
    member_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    photo_key TEXT NOT NULL,
    thumb_key TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (campaign, member_id, day)
);
CREATE TABLE IF NOT EXISTS idempotency (
    member_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    at_unix INTEGER NOT NULL,
    PRIMARY KEY (member_id, key)
);
CREATE TABLE IF NOT EXISTS quiz_answers (
    quiz TEXT NOT NULL,
    member_id TEXT NOT NULL,
    answers TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (quiz, member_id)
);
CREATE TABLE IF NOT EXISTS quiz_reveals (
    quiz TEXT PRIMARY KEY,
    by_member TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
-- The audit log is append-only, in the database itself too.
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE INDEX IF NOT EXISTS copies_photo ON copies (photo_key);
CREATE INDEX IF NOT EXISTS copies_thumb ON copies (thumb_key);
";

/// Columns added after the first release, for files made by it: (table, column, definition).
const ADDED_COLUMNS: [(&str, &str, &str); 3] = [
    ("members", "session_gen", "INTEGER NOT NULL DEFAULT 0"),
    ("login_failures", "address", "TEXT NOT NULL DEFAULT ''"),
    ("login_failures", "nonce", "TEXT NOT NULL DEFAULT ''"),
];
/// Indexes on added columns, made once the columns exist.
const ADDED_INDEXES: &str = "
CREATE INDEX IF NOT EXISTS login_failures_address ON login_failures (address, at_unix);
";

fn add_missing_columns(conn: &Connection) -> rusqlite::Result<()> {
    for (table, column, definition) in ADDED_COLUMNS {
        let mut st = conn.prepare(&format!("SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?1"))?;
        if !st.exists([column])? {
            conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {definition}"))?;
        }
    }
    conn.execute_batch(ADDED_INDEXES)
}

#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file.
    pub fn open(path: &Path) -> anyhow::Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            private_files::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        // Members' data: the file (and so its WAL and shared-memory files) is the owner's only.
        private_files::touch(path).with_context(|| format!("cannot create {}", path.display()))?;
        for extra in ["-wal", "-shm", "-journal"] {
            let mut name = path.as_os_str().to_owned();
            name.push(extra);
            let file = std::path::PathBuf::from(name);
            if file.exists() {
                private_files::restrict(&file, 0o600)
                    .with_context(|| format!("cannot restrict {}", file.display()))?;
            }
        }
        let conn = Connection::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted rows are overwritten, not left in free pages: an erased member's notes and
        // locations do not linger in the file.
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA).context("creating the schema")?;
        add_missing_columns(&conn).context("updating the schema")?;
        Ok(SqliteStore { conn: Arc::new(Mutex::new(conn)) })
    }

    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> StoreResult<T> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .context("the store's worker stopped")?
        .context("SQLite")
    }
}

fn time(s: String) -> rusqlite::Result<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(&s).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn member_id(s: String) -> rusqlite::Result<MemberId> {
    MemberId::parse(&s).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.message.into()))
}

fn member_row(row: &rusqlite::Row) -> rusqlite::Result<MemberRecord> {
    let role: String = row.get("role")?;
    Ok(MemberRecord {
        member: Member {
            id: member_id(row.get("id")?)?,
            name: row.get("name")?,
            role: Role::parse(&role).unwrap_or(Role::Member),
            profile: json(&row.get::<_, String>("profile")?)?,
        },
        code_hash: row.get("code_hash")?,
        roster_order: row.get("roster_order")?,
        session_gen: row.get("session_gen")?,
    })
}

fn signin_row(row: &rusqlite::Row) -> rusqlite::Result<Signin> {
    let location: Option<String> = row.get("location")?;
    Ok(Signin {
        event: row.get("event")?,
        member_id: member_id(row.get("member_id")?)?,
        at: time(row.get("at")?)?,
        location: location.map(|l| json(&l)).transpose()?,
    })
}

fn note_row(row: &rusqlite::Row) -> rusqlite::Result<Note> {
    let status: String = row.get("status")?;
    let reviewed_by: Option<String> = row.get("reviewed_by")?;
    let reviewed_at: Option<String> = row.get("reviewed_at")?;
    Ok(Note {
        id: row.get("id")?,
        page: row.get("page")?,
        member_id: member_id(row.get("member_id")?)?,
        body: row.get("body")?,
        status: NoteStatus::parse(&status).unwrap_or(NoteStatus::Pending),
        at: time(row.get("at")?)?,
        flagged_words: json(&row.get::<_, String>("flagged_words")?)?,
        review_reason: row.get("review_reason")?,
        reviewed_by: reviewed_by.map(member_id).transpose()?,
        reviewed_at: reviewed_at.map(time).transpose()?,
    })
}

fn copy_row(row: &rusqlite::Row) -> rusqlite::Result<Copy> {
    Ok(Copy {
        campaign: row.get("campaign")?,
        member_id: member_id(row.get("member_id")?)?,
        day: row.get("day")?,
        photo_key: row.get("photo_key")?,
        thumb_key: row.get("thumb_key")?,
        width: row.get("width")?,
        height: row.get("height")?,
        bytes: row.get::<_, i64>("bytes")? as u64,
        at: time(row.get("at")?)?,
    })
}

fn quiz_answers_row(row: &rusqlite::Row) -> rusqlite::Result<QuizAnswers> {
    Ok(QuizAnswers {
        quiz: row.get("quiz")?,
        member_id: member_id(row.get("member_id")?)?,
        answers: json(&row.get::<_, String>("answers")?)?,
        at: time(row.get("at")?)?,
    })
}

fn quiz_reveal_row(row: &rusqlite::Row) -> rusqlite::Result<QuizReveal> {
    Ok(QuizReveal {
        quiz: row.get("quiz")?,
        by: member_id(row.get("by_member")?)?,
        at: time(row.get("at")?)?,
    })
}

fn collect<T>(rows: impl Iterator<Item = rusqlite::Result<T>>) -> rusqlite::Result<Vec<T>> {
    rows.collect()
}

#[async_trait]
impl Store for SqliteStore {
    async fn upsert_member(&self, member: &Member, new_code_hash: &str) -> StoreResult<bool> {
        let m = member.clone();
        let hash = new_code_hash.to_string();
        self.with(move |c| {
            let tx = c.transaction()?;
            let profile = serde_json::to_string(&m.profile).unwrap_or_else(|_| "{}".into());
            // A changed role ends the member's sessions.
            let updated = tx.execute(
                "UPDATE members SET name = ?2, role = ?3, profile = ?4,
                   session_gen = CASE WHEN role = ?3 THEN session_gen ELSE ?5 END
                 WHERE id = ?1",
                params![m.id.as_str(), m.name, m.role.as_str(), profile, new_session_gen()],
            )?;
            if updated == 0 {
                let order: i64 =
                    tx.query_row("SELECT COALESCE(MAX(roster_order), 0) + 1 FROM members", [], |r| r.get(0))?;
                tx.execute(
                    "INSERT INTO members (id, name, role, profile, code_hash, roster_order, session_gen)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![m.id.as_str(), m.name, m.role.as_str(), profile, hash, order, new_session_gen()],
                )?;
            }
            tx.commit()?;
            Ok(updated == 0)
        })
        .await
    }

    async fn member(&self, id: &MemberId) -> StoreResult<Option<MemberRecord>> {
        let id = id.clone();
        self.with(move |c| {
            c.query_row("SELECT * FROM members WHERE id = ?1", [id.as_str()], member_row).optional()
        })
        .await
    }

    async fn members(&self) -> StoreResult<Vec<MemberRecord>> {
        self.with(|c| {
            let mut st = c.prepare_cached("SELECT * FROM members ORDER BY roster_order")?;
            collect(st.query_map([], member_row)?)
        })
        .await
    }

    async fn begin_login(&self, attempt: &LoginAttempt, limits: &LoginLimits) -> StoreResult<LoginGate> {
        let (a, limits) = (attempt.clone(), *limits);
        self.with(move |c| {
            let tx = c.transaction()?;
            let now = a.at.timestamp();
            // Old failures are of no use: keep the table small.
            tx.execute("DELETE FROM login_failures WHERE at_unix < ?1", [now - 86_400])?;
            let since = now - limits.window_seconds;
            let of_id = {
                let mut st = tx.prepare_cached(
                    "SELECT address, at_unix FROM login_failures WHERE member_id = ?1 AND at_unix > ?2",
                )?;
                collect(st.query_map(params![a.member_id.as_str(), since], |r| Ok((r.get(0)?, r.get(1)?)))?)?
            };
            let of_address = {
                let mut st = tx
                    .prepare_cached("SELECT at_unix FROM login_failures WHERE address = ?1 AND at_unix > ?2")?;
                collect(st.query_map(params![a.address, since], |r| r.get(0))?)?
            };
            let gate = login_gate(&limits, &a, &of_id, &of_address);
            if gate == LoginGate::Proceed {
                tx.execute(
                    "INSERT INTO login_failures (member_id, at, at_unix, address, nonce) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![a.member_id.as_str(), a.at.to_rfc3339(), now, a.address, a.nonce],
                )?;
            }
            tx.commit()?;
            Ok(gate)
        })
        .await
    }

    async fn end_login(&self, attempt: &LoginAttempt, outcome: LoginOutcome) -> StoreResult<()> {
        let a = attempt.clone();
        self.with(move |c| {
            let id = a.member_id.as_str();
            match outcome {
                LoginOutcome::Succeeded => c.execute(
                    "DELETE FROM login_failures WHERE member_id = ?1 AND (address = ?2 OR nonce = ?3)",
                    params![id, a.address, a.nonce],
                )?,
                LoginOutcome::NotChecked => c.execute(
                    "DELETE FROM login_failures WHERE member_id = ?1 AND nonce = ?2",
                    params![id, a.nonce],
                )?,
            };
            Ok(())
        })
        .await
    }

    async fn clear_login_failures(&self, id: &MemberId) -> StoreResult<()> {
        let id = id.clone();
        self.with(move |c| {
            c.execute("DELETE FROM login_failures WHERE member_id = ?1", [id.as_str()]).map(|_| ())
        })
        .await
    }

    async fn end_sessions(&self, id: &MemberId) -> StoreResult<bool> {
        let id = id.clone();
        self.with(move |c| {
            let changed = c.execute(
                "UPDATE members SET session_gen = ?2 WHERE id = ?1",
                params![id.as_str(), new_session_gen()],
            )?;
            Ok(changed == 1)
        })
        .await
    }

    async fn take_quota(&self, id: &MemberId, quota: &Quota, at: DateTime<FixedOffset>) -> StoreResult<bool> {
        let (id, kind, limit, window) = (id.clone(), quota.kind, quota.limit, quota.window_start(at));
        self.with(move |c| {
            let tx = c.transaction()?;
            tx.execute(
                "DELETE FROM quotas WHERE member_id = ?1 AND kind = ?2 AND window_start < ?3",
                params![id.as_str(), kind, window],
            )?;
            let taken = tx.execute(
                "INSERT INTO quotas (member_id, kind, window_start, used) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT (member_id, kind, window_start) DO UPDATE SET used = used + 1 WHERE used < ?4",
                params![id.as_str(), kind, window, limit],
            )?;
            tx.commit()?;
            Ok(taken == 1)
        })
        .await
    }

    async fn insert_signin(&self, signin: &Signin) -> StoreResult<Inserted<Signin>> {
        let s = signin.clone();
        self.with(move |c| {
            let location = s.location.map(|l| serde_json::to_string(&l).unwrap_or_default());
            let inserted = c.execute(
                "INSERT INTO signins (event, member_id, at, location) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (event, member_id) DO NOTHING",
                params![s.event, s.member_id.as_str(), s.at.to_rfc3339(), location],
            )?;
            if inserted == 1 {
                return Ok(Inserted::New(s));
            }
            let existing = c.query_row(
                "SELECT * FROM signins WHERE event = ?1 AND member_id = ?2",
                params![s.event, s.member_id.as_str()],
                signin_row,
            )?;
            Ok(Inserted::Existing(existing))
        })
        .await
    }

    async fn signins_of_member(&self, id: &MemberId) -> StoreResult<Vec<Signin>> {
        let id = id.clone();
        self.with(move |c| {
            let mut st = c.prepare_cached("SELECT * FROM signins WHERE member_id = ?1 ORDER BY at")?;
            collect(st.query_map([id.as_str()], signin_row)?)
        })
        .await
    }

    async fn signins_of_event(&self, event: &str) -> StoreResult<Vec<Signin>> {
        let event = event.to_string();
        self.with(move |c| {
            let mut st = c.prepare_cached("SELECT * FROM signins WHERE event = ?1 ORDER BY at")?;
            collect(st.query_map([event], signin_row)?)
        })
        .await
    }

    async fn purge_locations_before(&self, cutoff: DateTime<FixedOffset>) -> StoreResult<usize> {
        // `at` is RFC 3339 with its own offset, so compare instants, not strings.
        self.with(move |c| {
            let mut st =
                c.prepare_cached("SELECT event, member_id, at FROM signins WHERE location IS NOT NULL")?;
            let rows: Vec<(String, String, String)> =
                collect(st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)?;
            let tx = c.unchecked_transaction()?;
            let mut purged = 0;
            for (event, member, at) in rows {
                if time(at)? < cutoff {
                    purged += tx.execute(
                        "UPDATE signins SET location = NULL WHERE event = ?1 AND member_id = ?2",
                        params![event, member],
                    )?;
                }
            }
            tx.commit()?;
            Ok(purged)
        })
        .await
    }

    async fn insert_note(&self, note: &Note) -> StoreResult<()> {
        let n = note.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO notes (id, page, member_id, body, status, at, at_unix, flagged_words, review_reason, reviewed_by, reviewed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    n.id,
                    n.page,
                    n.member_id.as_str(),
                    n.body,
                    n.status.as_str(),
                    n.at.to_rfc3339(),
                    n.at.timestamp(),
                    serde_json::to_string(&n.flagged_words).unwrap_or_else(|_| "[]".into()),
                    n.review_reason,
                    n.reviewed_by.as_ref().map(|m| m.as_str().to_string()),
                    n.reviewed_at.map(|t| t.to_rfc3339()),
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn note(&self, id: &str) -> StoreResult<Option<Note>> {
        let id = id.to_string();
        self.with(move |c| c.query_row("SELECT * FROM notes WHERE id = ?1", [id], note_row).optional()).await
    }

    async fn notes_of_page(&self, page: &str, status: NoteStatus) -> StoreResult<Vec<Note>> {
        let page = page.to_string();
        self.with(move |c| {
            let mut st = c.prepare_cached(
                "SELECT * FROM notes WHERE page = ?1 AND status = ?2 ORDER BY at_unix DESC, id DESC",
            )?;
            collect(st.query_map(params![page, status.as_str()], note_row)?)
        })
        .await
    }

    async fn notes_of_member(&self, id: &MemberId) -> StoreResult<Vec<Note>> {
        let id = id.clone();
        self.with(move |c| {
            let mut st =
                c.prepare_cached("SELECT * FROM notes WHERE member_id = ?1 ORDER BY at_unix DESC, id DESC")?;
            collect(st.query_map([id.as_str()], note_row)?)
        })
        .await
    }

    async fn notes_with_status(&self, status: NoteStatus) -> StoreResult<Vec<Note>> {
        self.with(move |c| {
            let mut st = c.prepare_cached("SELECT * FROM notes WHERE status = ?1 ORDER BY at_unix, id")?;
            collect(st.query_map([status.as_str()], note_row)?)
        })
        .await
    }

    async fn review_note(
        &self,
        id: &str,
        status: NoteStatus,
        reason: Option<&str>,
        reviewer: &MemberId,
        at: DateTime<FixedOffset>,
    ) -> StoreResult<Option<Note>> {
        let (id, reason, reviewer) = (id.to_string(), reason.map(str::to_string), reviewer.clone());
        self.with(move |c| {
            let n = c.execute(
                "UPDATE notes SET status = ?2, review_reason = ?3, reviewed_by = ?4, reviewed_at = ?5 WHERE id = ?1",
                params![id, status.as_str(), reason, reviewer.as_str(), at.to_rfc3339()],
            )?;
            if n == 0 {
                return Ok(None);
            }
            c.query_row("SELECT * FROM notes WHERE id = ?1", [id], note_row).optional()
        })
        .await
    }

    async fn put_copy(&self, copy: &Copy) -> StoreResult<Option<Copy>> {
        let k = copy.clone();
        self.with(move |c| {
            let tx = c.transaction()?;
            let previous = tx
                .query_row(
                    "SELECT * FROM copies WHERE campaign = ?1 AND member_id = ?2 AND day = ?3",
                    params![k.campaign, k.member_id.as_str(), k.day],
                    copy_row,
                )
                .optional()?;
            tx.execute(
                "INSERT INTO copies (campaign, member_id, day, photo_key, thumb_key, width, height, bytes, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (campaign, member_id, day) DO UPDATE SET
                   photo_key = excluded.photo_key, thumb_key = excluded.thumb_key, width = excluded.width,
                   height = excluded.height, bytes = excluded.bytes, at = excluded.at",
                params![
                    k.campaign,
                    k.member_id.as_str(),
                    k.day,
                    k.photo_key,
                    k.thumb_key,
                    k.width,
                    k.height,
                    k.bytes as i64,
                    k.at.to_rfc3339()
                ],
            )?;
            tx.commit()?;
            Ok(previous)
        })
        .await
    }

    async fn copies_of(&self, id: &MemberId, campaign: &str) -> StoreResult<Vec<Copy>> {
        let (id, campaign) = (id.clone(), campaign.to_string());
        self.with(move |c| {
            let mut st =
                c.prepare_cached("SELECT * FROM copies WHERE member_id = ?1 AND campaign = ?2 ORDER BY day")?;
            collect(st.query_map(params![id.as_str(), campaign], copy_row)?)
        })
        .await
    }

    async fn copies_of_campaign(&self, campaign: &str) -> StoreResult<Vec<Copy>> {
        let campaign = campaign.to_string();
        self.with(move |c| {
            let mut st =
                c.prepare_cached("SELECT * FROM copies WHERE campaign = ?1 ORDER BY member_id, day")?;
            collect(st.query_map([campaign], copy_row)?)
        })
        .await
    }

    async fn copies_of_member(&self, id: &MemberId) -> StoreResult<Vec<Copy>> {
        let id = id.clone();
        self.with(move |c| {
            let mut st =
                c.prepare_cached("SELECT * FROM copies WHERE member_id = ?1 ORDER BY campaign, day")?;
            collect(st.query_map([id.as_str()], copy_row)?)
        })
        .await
    }

    async fn copy_by_key(&self, key: &str) -> StoreResult<Option<Copy>> {
        let key = key.to_string();
        self.with(move |c| {
            c.query_row("SELECT * FROM copies WHERE photo_key = ?1 OR thumb_key = ?1", [key], copy_row)
                .optional()
        })
        .await
    }

    async fn insert_quiz_answers(&self, answers: &QuizAnswers) -> StoreResult<Inserted<QuizAnswers>> {
        let a = answers.clone();
        self.with(move |c| {
            let inserted = c.execute(
                "INSERT INTO quiz_answers (quiz, member_id, answers, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (quiz, member_id) DO NOTHING",
                params![
                    a.quiz,
                    a.member_id.as_str(),
                    serde_json::to_string(&a.answers).unwrap_or_default(),
                    a.at.to_rfc3339()
                ],
            )?;
            if inserted == 1 {
                return Ok(Inserted::New(a));
            }
            let existing = c.query_row(
                "SELECT * FROM quiz_answers WHERE quiz = ?1 AND member_id = ?2",
                params![a.quiz, a.member_id.as_str()],
                quiz_answers_row,
            )?;
            Ok(Inserted::Existing(existing))
        })
        .await
    }

    async fn quiz_answers_of(&self, id: &MemberId, quiz: &str) -> StoreResult<Option<QuizAnswers>> {
        let (id, quiz) = (id.clone(), quiz.to_string());
        self.with(move |c| {
            c.query_row(
                "SELECT * FROM quiz_answers WHERE quiz = ?1 AND member_id = ?2",
                params![quiz, id.as_str()],
                quiz_answers_row,
            )
            .optional()
        })
        .await
    }

    async fn quiz_answers(&self, quiz: &str) -> StoreResult<Vec<QuizAnswers>> {
        let quiz = quiz.to_string();
        self.with(move |c| {
            let mut st = c.prepare_cached("SELECT * FROM quiz_answers WHERE quiz = ?1 ORDER BY member_id")?;
            collect(st.query_map([quiz], quiz_answers_row)?)
        })
        .await
    }

    async fn reveal_quiz(&self, reveal: &QuizReveal) -> StoreResult<QuizReveal> {
        let r = reveal.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO quiz_reveals (quiz, by_member, at) VALUES (?1, ?2, ?3) ON CONFLICT (quiz) DO NOTHING",
                params![r.quiz, r.by.as_str(), r.at.to_rfc3339()],
            )?;
            c.query_row("SELECT * FROM quiz_reveals WHERE quiz = ?1", [r.quiz], quiz_reveal_row)
        })
        .await
    }

    async fn quiz_reveal(&self, quiz: &str) -> StoreResult<Option<QuizReveal>> {
        let quiz = quiz.to_string();
        self.with(move |c| {
            c.query_row("SELECT * FROM quiz_reveals WHERE quiz = ?1", [quiz], quiz_reveal_row).optional()
        })
        .await
    }

    async fn quiz_answers_of_member(&self, id: &MemberId) -> StoreResult<Vec<QuizAnswers>> {
        let id = id.clone();
        self.with(move |c| {
            let mut st = c.prepare_cached("SELECT * FROM quiz_answers WHERE member_id = ?1 ORDER BY quiz")?;
            collect(st.query_map([id.as_str()], quiz_answers_row)?)
        })
        .await
    }

    async fn set_code_hash(&self, id: &MemberId, code_hash: &str) -> StoreResult<bool> {
        let (id, hash) = (id.clone(), code_hash.to_string());
        self.with(move |c| {
            let changed = c.execute(
                "UPDATE members SET code_hash = ?2, session_gen = ?3 WHERE id = ?1",
                params![id.as_str(), hash, new_session_gen()],
            )?;
            Ok(changed == 1)
        })
        .await
    }

    async fn remove_member(&self, id: &MemberId) -> StoreResult<bool> {
        let id = id.clone();
        self.with(move |c| Ok(c.execute("DELETE FROM members WHERE id = ?1", [id.as_str()])? == 1)).await
    }

    async fn erase_member_records(&self, id: &MemberId) -> StoreResult<Vec<String>> {
        let id = id.clone();
        self.with(move |c| {
            let tx = c.transaction()?;
            let keys: Vec<String> = {
                let mut st = tx.prepare("SELECT photo_key, thumb_key FROM copies WHERE member_id = ?1")?;
                let pairs = collect(st.query_map([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?)?;
                pairs.into_iter().flat_map(|(p, t): (String, String)| [p, t]).collect()
            };
            for table in
                ["signins", "notes", "copies", "quiz_answers", "login_failures", "quotas", "idempotency"]
            {
                tx.execute(&format!("DELETE FROM {table} WHERE member_id = ?1"), [id.as_str()])?;
            }
            tx.commit()?;
            Ok(keys)
        })
        .await
    }

    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        let e = entry.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![e.at.to_rfc3339(), e.actor, e.action, e.target, e.detail],
            )?;
            Ok(())
        })
        .await
    }

    async fn audit_log(&self) -> StoreResult<Vec<AuditEntry>> {
        self.with(|c| {
            let mut st =
                c.prepare_cached("SELECT at, actor, action, target, detail FROM audit_log ORDER BY seq")?;
            collect(st.query_map([], |r| {
                Ok(AuditEntry {
                    at: time(r.get(0)?)?,
                    actor: r.get(1)?,
                    action: r.get(2)?,
                    target: r.get(3)?,
                    detail: r.get(4)?,
                })
            })?)
        })
        .await
    }

    async fn begin_idempotent(
        &self,
        member: &MemberId,
        key: &str,
        fingerprint: &str,
        now: DateTime<FixedOffset>,
    ) -> StoreResult<Idempotent> {
        let (member, key, fingerprint) = (member.clone(), key.to_string(), fingerprint.to_string());
        let now = now.timestamp();
        self.with(move |c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM idempotency WHERE at_unix < ?1", [now - IDEMPOTENCY_TTL_SECONDS])?;
            let found = tx
                .query_row(
                    "SELECT fingerprint, status, body, at_unix FROM idempotency WHERE member_id = ?1 AND key = ?2",
                    params![member.as_str(), key],
                    |r| {
                        let answer = match (r.get::<_, Option<u16>>(1)?, r.get::<_, Option<String>>(2)?) {
                            (Some(status), Some(body)) => Some(KeptAnswer { status, body }),
                            _ => None,
                        };
                        Ok((r.get::<_, String>(0)?, answer, r.get::<_, i64>(3)?))
                    },
                )
                .optional()?;
            let decision = match found {
                None => Idempotent::Fresh,
                Some((found, answer, at)) => idempotent_decision(&fingerprint, &found, answer, at, now),
            };
            if decision == Idempotent::Fresh {
                tx.execute(
                    "INSERT INTO idempotency (member_id, key, fingerprint, status, body, at_unix)
                     VALUES (?1, ?2, ?3, NULL, NULL, ?4)
                     ON CONFLICT (member_id, key) DO UPDATE SET
                       fingerprint = excluded.fingerprint, status = NULL, body = NULL, at_unix = excluded.at_unix",
                    params![member.as_str(), key, fingerprint, now],
                )?;
            }
            tx.commit()?;
            Ok(decision)
        })
        .await
    }

    async fn finish_idempotent(
        &self,
        member: &MemberId,
        key: &str,
        answer: Option<&KeptAnswer>,
    ) -> StoreResult<()> {
        let (member, key, answer) = (member.clone(), key.to_string(), answer.cloned());
        self.with(move |c| {
            match answer {
                Some(a) => c.execute(
                    "UPDATE idempotency SET status = ?3, body = ?4 WHERE member_id = ?1 AND key = ?2",
                    params![member.as_str(), key, a.status, a.body],
                )?,
                None => c.execute(
                    "DELETE FROM idempotency WHERE member_id = ?1 AND key = ?2",
                    params![member.as_str(), key],
                )?,
            };
            Ok(())
        })
        .await
    }
}
