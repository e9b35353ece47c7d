//! Copies in DynamoDB: one item per member, campaign and day, by campaign (`gsi2`) and by member
//! (`gsi1`), and a pointer item per photo key (`BLOB#<key>`) so a photo finds its copy. A copy
//! and its pointers are replaced in one transaction.

use std::collections::HashMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::keys::{blob_pk, copy_pk, day_sk, member_pk};
use super::{DynamoStore, Query, TRANSACTION_ATTEMPTS, s, to_item};
use crate::aws;
use crate::domain::MemberId;
use crate::store::{Copy, CopyStore, StoreResult};

#[derive(Serialize, Deserialize)]
pub(super) struct CopyItem {
    pub(super) pk: String,
    pub(super) sk: String,
    gsi1pk: String,
    gsi1sk: String,
    gsi2pk: String,
    gsi2sk: String,
    #[serde(flatten)]
    pub(super) copy: Copy,
}

impl CopyItem {
    fn new(copy: &Copy) -> CopyItem {
        CopyItem {
            pk: copy_pk(&copy.campaign, &copy.member_id),
            sk: day_sk(copy.day),
            gsi1pk: member_pk(&copy.member_id),
            gsi1sk: format!("COPY#{}#{:04}", copy.campaign, copy.day),
            gsi2pk: format!("CAMPAIGN#{}", copy.campaign),
            gsi2sk: format!("{}#{:04}", copy.member_id, copy.day),
            copy: copy.clone(),
        }
    }
}

/// Points a photo or thumbnail key at the copy that uses it.
#[derive(Serialize, Deserialize)]
struct BlobItem {
    pk: String,
    sk: String,
    copy_pk: String,
    copy_sk: String,
}

#[async_trait]
impl CopyStore for DynamoStore {
    async fn put_copy(&self, copy: &Copy) -> StoreResult<Option<Copy>> {
        let item = CopyItem::new(copy);
        for _ in 0..TRANSACTION_ATTEMPTS {
            let previous: Option<CopyItem> = self.get(item.pk.clone(), &item.sk).await?;
            let previous = previous.map(|p| p.copy);
            // The copy is written only if it is still the one just read; its photo keys move with it.
            let condition = match &previous {
                Some(p) => ("photo_key = :seen", HashMap::from([(":seen".to_string(), s(&p.photo_key))])),
                None => ("attribute_not_exists(pk)", HashMap::new()),
            };
            let mut writes = vec![self.put(to_item(&item)?, Some(condition))?];
            let new_keys = [&copy.photo_key, &copy.thumb_key];
            for key in new_keys {
                let pointer = BlobItem {
                    pk: blob_pk(key),
                    sk: "BLOB".into(),
                    copy_pk: item.pk.clone(),
                    copy_sk: item.sk.clone(),
                };
                writes.push(self.put(to_item(&pointer)?, None)?);
            }
            if let Some(p) = &previous {
                for key in [&p.photo_key, &p.thumb_key] {
                    if !new_keys.contains(&key) {
                        writes.push(self.delete(blob_pk(key), "BLOB")?);
                    }
                }
            }
            let result = self.client.transact_write_items().set_transact_items(Some(writes)).send().await;
            match result {
                Ok(_) => return Ok(previous),
                Err(e) if e.as_service_error().is_some_and(|s| s.is_transaction_canceled_exception()) => {
                    // Someone replaced the same day at the same moment: read again and retry.
                    continue;
                }
                Err(e) => return Err(aws::error("storing a copy", e)),
            }
        }
        anyhow::bail!("the copy for day {} kept changing under concurrent uploads", copy.day)
    }

    async fn copies_of(&self, id: &MemberId, campaign: &str) -> StoreResult<Vec<Copy>> {
        let items: Vec<CopyItem> = self.query_all(Query::table(copy_pk(campaign, id))).await?;
        Ok(items.into_iter().map(|i| i.copy).collect())
    }

    async fn copies_of_campaign(&self, campaign: &str) -> StoreResult<Vec<Copy>> {
        let items: Vec<CopyItem> =
            self.query_all(Query::index("gsi2", format!("CAMPAIGN#{campaign}"))).await?;
        Ok(items.into_iter().map(|i| i.copy).collect())
    }

    async fn copies_of_member(&self, id: &MemberId) -> StoreResult<Vec<Copy>> {
        let items: Vec<CopyItem> =
            self.query_all(Query::index("gsi1", member_pk(id)).begins_with("COPY#")).await?;
        Ok(items.into_iter().map(|i| i.copy).collect())
    }

    async fn copy_by_key(&self, key: &str) -> StoreResult<Option<Copy>> {
        let Some(pointer) = self.get::<BlobItem>(blob_pk(key), "BLOB").await? else {
            return Ok(None);
        };
        let item: Option<CopyItem> = self.get(pointer.copy_pk, &pointer.copy_sk).await?;
        Ok(item.map(|i| i.copy).filter(|c| c.photo_key == key || c.thumb_key == key))
    }
}
