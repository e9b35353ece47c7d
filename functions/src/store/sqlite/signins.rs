//! Sign-ins in SQLite: `signins`, one row per event and member.

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset};
use rusqlite::params;

use super::{SqliteStore, collect, json, member_id, time};
use crate::domain::MemberId;
use crate::store::{Inserted, Signin, SigninStore, StoreResult};

fn signin_row(row: &rusqlite::Row) -> rusqlite::Result<Signin> {
    let location: Option<String> = row.get("location")?;
    Ok(Signin {
        event: row.get("event")?,
        member_id: member_id(row.get("member_id")?)?,
        at: time(row.get("at")?)?,
        location: location.map(|l| json(&l)).transpose()?,
    })
}

#[async_trait]
impl SigninStore for SqliteStore {
    async fn insert_signin(&self, signin: &Signin) -> StoreResult<Inserted<Signin>> {
        let s = signin.clone();
        self.with(move |c| {
            let location = s.location.map(|l| serde_json::to_string(&l).unwrap_or_default());
            let inserted = c.execute(
                "INSERT INTO signins (event, member_id, at, location) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (event, member_id) DO NOTHING",
                params![s.event, s.member_id.as_str(), s.at.to_rfc3339(), location],
            )?;
            if inserted == 1 {
                return Ok(Inserted::New(s));
            }
            let existing = c.query_row(
                "SELECT * FROM signins WHERE event = ?1 AND member_id = ?2",
                params![s.event, s.member_id.as_str()],
                signin_row,
            )?;
            Ok(Inserted::Existing(existing))
        })
        .await
    }

    async fn signins_of_member(&self, id: &MemberId) -> StoreResult<Vec<Signin>> {
        let id = id.clone();
        self.with(move |c| {
            let mut st = c.prepare_cached("SELECT * FROM signins WHERE member_id = ?1 ORDER BY at")?;
            collect(st.query_map([id.as_str()], signin_row)?)
        })
        .await
    }

    async fn signins_of_event(&self, event: &str) -> StoreResult<Vec<Signin>> {
        let event = event.to_string();
        self.with(move |c| {
            let mut st = c.prepare_cached("SELECT * FROM signins WHERE event = ?1 ORDER BY at")?;
            collect(st.query_map([event], signin_row)?)
        })
        .await
    }

    async fn purge_locations_before(&self, cutoff: DateTime<FixedOffset>) -> StoreResult<usize> {
        // `at` is RFC 3339 with its own offset, so compare instants, not strings.
        self.with(move |c| {
            let mut st =
                c.prepare_cached("SELECT event, member_id, at FROM signins WHERE location IS NOT NULL")?;
            let rows: Vec<(String, String, String)> =
                collect(st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)?;
            let tx = c.unchecked_transaction()?;
            let mut purged = 0;
            for (event, member, at) in rows {
                if time(at)? < cutoff {
                    purged += tx.execute(
                        "UPDATE signins SET location = NULL WHERE event = ?1 AND member_id = ?2",
                        params![event, member],
                    )?;
                }
            }
            tx.commit()?;
            Ok(purged)
        })
        .await
    }
}
