//! Notes in SQLite: `notes`, indexed by page and status, by member and by status.

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, collect, json, member_id, time};
use crate::domain::{MemberId, NoteStatus};
use crate::store::{Note, NoteStore, StoreResult};

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

#[async_trait]
impl NoteStore for SqliteStore {
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
}
