//! Copies in SQLite: `copies`, one row per campaign, member and day, indexed by photo key.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, collect, member_id, time};
use crate::domain::MemberId;
use crate::store::{Copy, CopyStore, StoreResult};

fn copy_row(row: &rusqlite::Row) -> rusqlite::Result<Copy> {
    Ok(Copy {
        campaign: row.get("campaign")?,
        member_id: member_id(row.get("member_id")?)?,
        day: row.get("day")?,
        photo_key: row.get("photo_key")?,
        thumb_key: row.get("thumb_key")?,
        width: row.get("width")?,
        height: row.get("height")?,
        bytes: row.get::<_, i64>("bytes")? as u64,
        at: time(row.get("at")?)?,
    })
}

#[async_trait]
impl CopyStore for SqliteStore {
    async fn put_copy(&self, copy: &Copy) -> StoreResult<Option<Copy>> {
        let k = copy.clone();
        self.with(move |c| {
            let tx = c.transaction()?;
            let previous = tx
                .query_row(
                    "SELECT * FROM copies WHERE campaign = ?1 AND member_id = ?2 AND day = ?3",
                    params![k.campaign, k.member_id.as_str(), k.day],
                    copy_row,
                )
                .optional()?;
            tx.execute(
                "INSERT INTO copies (campaign, member_id, day, photo_key, thumb_key, width, height, bytes, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (campaign, member_id, day) DO UPDATE SET
                   photo_key = excluded.photo_key, thumb_key = excluded.thumb_key, width = excluded.width,
                   height = excluded.height, bytes = excluded.bytes, at = excluded.at",
                params![
                    k.campaign,
                    k.member_id.as_str(),
                    k.day,
                    k.photo_key,
                    k.thumb_key,
                    k.width,
                    k.height,
                    k.bytes as i64,
                    k.at.to_rfc3339()
                ],
            )?;
            tx.commit()?;
            Ok(previous)
        })
        .await
    }

    async fn copies_of(&self, id: &MemberId, campaign: &str) -> StoreResult<Vec<Copy>> {
        let (id, campaign) = (id.clone(), campaign.to_string());
        self.with(move |c| {
            let mut st =
                c.prepare_cached("SELECT * FROM copies WHERE member_id = ?1 AND campaign = ?2 ORDER BY day")?;
            collect(st.query_map(params![id.as_str(), campaign], copy_row)?)
        })
        .await
    }

    async fn copies_of_campaign(&self, campaign: &str) -> StoreResult<Vec<Copy>> {
        let campaign = campaign.to_string();
        self.with(move |c| {
            let mut st =
                c.prepare_cached("SELECT * FROM copies WHERE campaign = ?1 ORDER BY member_id, day")?;
            collect(st.query_map([campaign], copy_row)?)
        })
        .await
    }

    async fn copies_of_member(&self, id: &MemberId) -> StoreResult<Vec<Copy>> {
        let id = id.clone();
        self.with(move |c| {
            let mut st =
                c.prepare_cached("SELECT * FROM copies WHERE member_id = ?1 ORDER BY campaign, day")?;
            collect(st.query_map([id.as_str()], copy_row)?)
        })
        .await
    }

    async fn copy_by_key(&self, key: &str) -> StoreResult<Option<Copy>> {
        let key = key.to_string();
        self.with(move |c| {
            c.query_row("SELECT * FROM copies WHERE photo_key = ?1 OR thumb_key = ?1", [key], copy_row)
                .optional()
        })
        .await
    }
}
