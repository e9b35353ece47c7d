//! Erasing a member's records in SQLite: one transaction over every table that names them
//! (`secure_delete` overwrites the rows), naming the photos of their copies and documents.

use super::{SqliteStore, collect, json};
use crate::domain::MemberId;
use crate::store::{ErasureStore, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl ErasureStore for SqliteStore {
    async fn erase_member_records(&self, id: &MemberId) -> StoreResult<Vec<String>> {
        let id = id.clone();
        self.with(move |c| {
            let tx = c.transaction()?;
            let mut keys: Vec<String> = {
                let mut st = tx.prepare("SELECT photo_key, thumb_key FROM copies WHERE member_id = ?1")?;
                let pairs = collect(st.query_map([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?)?;
                pairs.into_iter().flat_map(|(p, t): (String, String)| [p, t]).collect()
            };
            {
                let mut st = tx.prepare("SELECT blob_keys FROM documents WHERE member_id = ?1")?;
                for listed in collect(st.query_map([id.as_str()], |r| r.get::<_, String>(0))?)? {
                    keys.extend(json::<Vec<String>>(&listed)?);
                }
            }
            for table in [
                "signins",
                "notes",
                "copies",
                "quiz_answers",
                "documents",
                "login_failures",
                "quotas",
                "idempotency",
            ] {
                tx.execute(&format!("DELETE FROM {table} WHERE member_id = ?1"), [id.as_str()])?;
            }
            tx.commit()?;
            Ok(keys)
        })
        .await
    }
}
