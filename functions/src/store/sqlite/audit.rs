//! The audit log in SQLite: `audit_log`, whose triggers refuse `UPDATE` and `DELETE`.

use async_trait::async_trait;
use rusqlite::params;

use super::{SqliteStore, collect, time};
use crate::store::{AuditEntry, AuditStore, StoreResult};

#[async_trait]
impl AuditStore for SqliteStore {
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
}
