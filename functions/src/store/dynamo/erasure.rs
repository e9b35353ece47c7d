//! Erasing a member's records in DynamoDB: everything found under the member in the table
//! (failed logins, idempotency keys, quotas) and through `gsi1` (sign-ins, notes, copies, quiz
//! answers, documents), with the copies' photo-key items; it names the photos of the copies and
//! of the documents' `blob_keys`.

use async_trait::async_trait;

use super::copies::CopyItem;
use super::documents::DocumentItem;
use super::keys::{Keys, blob_pk, member_pk};
use super::{DynamoStore, Query};
use crate::domain::MemberId;
use crate::store::{ErasureStore, StoreResult};

#[async_trait]
impl ErasureStore for DynamoStore {
    async fn erase_member_records(&self, id: &MemberId) -> StoreResult<Vec<String>> {
        // The copies once: their item keys and the photo keys they point at.
        let copies: Vec<CopyItem> =
            self.query_all(Query::index("gsi1", member_pk(id)).begins_with("COPY#")).await?;
        let mut photos: Vec<String> =
            copies.iter().flat_map(|c| [c.copy.photo_key.clone(), c.copy.thumb_key.clone()]).collect();
        let mut keys: Vec<(String, String)> = copies.into_iter().map(|c| (c.pk, c.sk)).collect();
        keys.extend(photos.iter().map(|k| (blob_pk(k), "BLOB".to_string())));
        // The documents, and the photos they refer to.
        let documents: Vec<DocumentItem> =
            self.query_all(Query::index("gsi1", member_pk(id)).begins_with("DOC#")).await?;
        for d in documents {
            photos.extend(d.blob_keys);
            keys.push((d.pk, d.sk));
        }
        for prefix in ["SIGNIN#", "NOTE#", "QUIZ#"] {
            let found: Vec<Keys> =
                self.query_all(Query::index("gsi1", member_pk(id)).begins_with(prefix)).await?;
            keys.extend(found.into_iter().map(|k| (k.pk, k.sk)));
        }
        for prefix in ["FAIL#", "IDEM#", "QUOTA#"] {
            let found: Vec<Keys> = self.query_all(Query::table(member_pk(id)).begins_with(prefix)).await?;
            keys.extend(found.into_iter().map(|k| (k.pk, k.sk)));
        }
        self.delete_keys(keys).await?;
        Ok(photos)
    }
}
