//! The audit log in DynamoDB: one partition (`AUDIT`), lines in time order, each written only if
//! its key is new; nothing updates or deletes them.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::keys::unix;
use super::{DynamoStore, Query, to_item};
use crate::store::{AuditEntry, AuditStore, StoreResult};

#[derive(Serialize, Deserialize)]
struct AuditItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    entry: AuditEntry,
}

#[async_trait]
impl AuditStore for DynamoStore {
    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        let item = AuditItem {
            pk: "AUDIT".into(),
            // Time, then the writer's clock in nanoseconds (lines of one second stay in order),
            // then a uuid (writers on several machines never collide).
            sk: format!(
                "{}#{:020}#{}",
                unix(entry.at),
                chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default(),
                uuid::Uuid::new_v4().simple()
            ),
            entry: entry.clone(),
        };
        anyhow::ensure!(self.put_new(to_item(&item)?).await?, "an audit line with this key exists");
        Ok(())
    }

    async fn audit_log(&self) -> StoreResult<Vec<AuditEntry>> {
        let items: Vec<AuditItem> = self.query_all(Query::table("AUDIT".into())).await?;
        Ok(items.into_iter().map(|i| i.entry).collect())
    }
}
