-- The SQLite store's tables (functions/src/store/sqlite/mod.rs runs it on every open; every
-- statement is IF NOT EXISTS). Columns added after the first release are also added there.
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
-- The documents of members' files: `blob_keys` a JSON array of photo keys, `body` the JSON record.
CREATE TABLE IF NOT EXISTS documents (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    at TEXT NOT NULL,
    blob_keys TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS documents_member ON documents (member_id, kind, id);
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
