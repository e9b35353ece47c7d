//! Quotas in SQLite: `quotas`, one row per member, kind and window.

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset};
use rusqlite::params;

use super::SqliteStore;
use crate::domain::MemberId;
use crate::store::{Quota, QuotaStore, StoreResult};

#[async_trait]
impl QuotaStore for SqliteStore {
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
}
