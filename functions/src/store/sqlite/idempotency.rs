//! Idempotency keys in SQLite: `idempotency`, one row per member and key.

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use crate::domain::MemberId;
use crate::store::{
    IDEMPOTENCY_TTL_SECONDS, IdempotencyStore, Idempotent, KeptAnswer, StoreResult, idempotent_decision,
};

#[async_trait]
impl IdempotencyStore for SqliteStore {
    async fn begin_idempotent(
        &self,
        member: &MemberId,
        key: &str,
        fingerprint: &str,
        now: DateTime<FixedOffset>,
    ) -> StoreResult<Idempotent> {
        let (member, key, fingerprint) = (member.clone(), key.to_string(), fingerprint.to_string());
        let now = now.timestamp();
        self.with(move |c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM idempotency WHERE at_unix < ?1", [now - IDEMPOTENCY_TTL_SECONDS])?;
            let found = tx
                .query_row(
                    "SELECT fingerprint, status, body, at_unix FROM idempotency WHERE member_id = ?1 AND key = ?2",
                    params![member.as_str(), key],
                    |r| {
                        let answer = match (r.get::<_, Option<u16>>(1)?, r.get::<_, Option<String>>(2)?) {
                            (Some(status), Some(body)) => Some(KeptAnswer { status, body }),
                            _ => None,
                        };
                        Ok((r.get::<_, String>(0)?, answer, r.get::<_, i64>(3)?))
                    },
                )
                .optional()?;
            let decision = match found {
                None => Idempotent::Fresh,
                Some((found, answer, at)) => idempotent_decision(&fingerprint, &found, answer, at, now),
            };
            if decision == Idempotent::Fresh {
                tx.execute(
                    "INSERT INTO idempotency (member_id, key, fingerprint, status, body, at_unix)
                     VALUES (?1, ?2, ?3, NULL, NULL, ?4)
                     ON CONFLICT (member_id, key) DO UPDATE SET
                       fingerprint = excluded.fingerprint, status = NULL, body = NULL, at_unix = excluded.at_unix",
                    params![member.as_str(), key, fingerprint, now],
                )?;
            }
            tx.commit()?;
            Ok(decision)
        })
        .await
    }

    async fn finish_idempotent(
        &self,
        member: &MemberId,
        key: &str,
        answer: Option<&KeptAnswer>,
    ) -> StoreResult<()> {
        let (member, key, answer) = (member.clone(), key.to_string(), answer.cloned());
        self.with(move |c| {
            match answer {
                Some(a) => c.execute(
                    "UPDATE idempotency SET status = ?3, body = ?4 WHERE member_id = ?1 AND key = ?2",
                    params![member.as_str(), key, a.status, a.body],
                )?,
                None => c.execute(
                    "DELETE FROM idempotency WHERE member_id = ?1 AND key = ?2",
                    params![member.as_str(), key],
                )?,
            };
            Ok(())
        })
        .await
    }
}
