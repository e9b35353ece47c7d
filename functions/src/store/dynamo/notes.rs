//! Notes in DynamoDB: one item per note, by member (`gsi1`), by status for the moderation queue
//! (`gsi2`) and by page and status (`gsi3`); a review rewrites the item so its index keys follow.

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::keys::{member_pk, unix};
use super::{DynamoStore, Query, to_item, written};
use crate::domain::{MemberId, NoteStatus};
use crate::store::{Note, NoteStore, StoreResult};

#[derive(Serialize, Deserialize)]
struct NoteItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    gsi2pk: String,
    gsi2sk: String,
    gsi3pk: String,
    gsi3sk: String,
    #[serde(flatten)]
    note: Note,
}

impl NoteItem {
    fn new(note: &Note) -> NoteItem {
        let order = format!("{}#{}", unix(note.at), note.id);
        NoteItem {
            pk: format!("NOTE#{}", note.id),
            sk: "NOTE".into(),
            gsi1pk: member_pk(&note.member_id),
            gsi1sk: format!("NOTE#{order}"),
            gsi2pk: format!("NOTES#{}", note.status.as_str()),
            gsi2sk: order.clone(),
            gsi3pk: format!("PAGE#{}#{}", note.page, note.status.as_str()),
            gsi3sk: order,
            note: note.clone(),
        }
    }
}

#[async_trait]
impl NoteStore for DynamoStore {
    async fn insert_note(&self, note: &Note) -> StoreResult<()> {
        anyhow::ensure!(
            self.put_new(to_item(&NoteItem::new(note))?).await?,
            "note {} exists already",
            note.id
        );
        Ok(())
    }

    async fn note(&self, id: &str) -> StoreResult<Option<Note>> {
        let item: Option<NoteItem> = self.get(format!("NOTE#{id}"), "NOTE").await?;
        Ok(item.map(|i| i.note))
    }

    async fn notes_of_page(&self, page: &str, status: NoteStatus) -> StoreResult<Vec<Note>> {
        let pk = format!("PAGE#{page}#{}", status.as_str());
        let items: Vec<NoteItem> = self.query_all(Query::index("gsi3", pk).newest_first()).await?;
        Ok(items.into_iter().map(|i| i.note).collect())
    }

    async fn notes_of_member(&self, id: &MemberId) -> StoreResult<Vec<Note>> {
        let query = Query::index("gsi1", member_pk(id)).begins_with("NOTE#").newest_first();
        let items: Vec<NoteItem> = self.query_all(query).await?;
        Ok(items.into_iter().map(|i| i.note).collect())
    }

    async fn notes_with_status(&self, status: NoteStatus) -> StoreResult<Vec<Note>> {
        let items: Vec<NoteItem> =
            self.query_all(Query::index("gsi2", format!("NOTES#{}", status.as_str()))).await?;
        Ok(items.into_iter().map(|i| i.note).collect())
    }

    async fn review_note(
        &self,
        id: &str,
        status: NoteStatus,
        reason: Option<&str>,
        reviewer: &MemberId,
        at: DateTime<FixedOffset>,
    ) -> StoreResult<Option<Note>> {
        let Some(mut note) = self.note(id).await? else {
            return Ok(None);
        };
        note.status = status;
        note.review_reason = reason.map(str::to_string);
        note.reviewed_by = Some(reviewer.clone());
        note.reviewed_at = Some(at);
        // The whole item is rewritten so that the index keys follow the new status.
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&NoteItem::new(&note))?))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await;
        Ok(written(result, "reviewing a note")?.then_some(note))
    }
}
