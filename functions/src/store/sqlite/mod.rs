//! The embedded store: one SQLite file (WAL) under the data folder, with a file per aggregate
//! beside this one and the tables in `schema.sql`. rusqlite is synchronous, so every call runs on
//! tokio's blocking pool; one connection behind a mutex makes each call a transaction-sized
//! critical section, which is what the uniqueness rules need. This module owns opening the file
//! (its permissions, pragmas and schema) and the helpers the aggregates share.

mod audit;
mod copies;
mod documents;
mod erasure;
mod idempotency;
mod members;
mod notes;
mod quizzes;
mod quotas;
mod signins;

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use chrono::{DateTime, FixedOffset};
use rusqlite::Connection;

use super::StoreResult;
use crate::domain::MemberId;
use crate::private_files;

/// Every table and index, created if missing on every open.
const SCHEMA: &str = include_str!("schema.sql");

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

fn collect<T>(rows: impl Iterator<Item = rusqlite::Result<T>>) -> rusqlite::Result<Vec<T>> {
    rows.collect()
}
