//! The roster, session generations and the login throttle in SQLite: `members` and
//! `login_failures`.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, collect, json, member_id};
use crate::domain::{MemberId, Role};
use crate::store::{
    LoginAttempt, LoginGate, LoginLimits, LoginOutcome, Member, MemberRecord, MemberStore, StoreResult,
    login_gate, new_session_gen,
};

fn member_row(row: &rusqlite::Row) -> rusqlite::Result<MemberRecord> {
    let role: String = row.get("role")?;
    Ok(MemberRecord {
        member: Member {
            id: member_id(row.get("id")?)?,
            name: row.get("name")?,
            role: Role::parse(&role).unwrap_or(Role::Member),
            profile: json(&row.get::<_, String>("profile")?)?,
        },
        code_hash: row.get("code_hash")?,
        roster_order: row.get("roster_order")?,
        session_gen: row.get("session_gen")?,
    })
}

#[async_trait]
impl MemberStore for SqliteStore {
    async fn upsert_member(&self, member: &Member, new_code_hash: &str) -> StoreResult<bool> {
        let m = member.clone();
        let hash = new_code_hash.to_string();
        self.with(move |c| {
            let tx = c.transaction()?;
            let profile = serde_json::to_string(&m.profile).unwrap_or_else(|_| "{}".into());
            // A changed role ends the member's sessions.
            let updated = tx.execute(
                "UPDATE members SET name = ?2, role = ?3, profile = ?4,
                   session_gen = CASE WHEN role = ?3 THEN session_gen ELSE ?5 END
                 WHERE id = ?1",
                params![m.id.as_str(), m.name, m.role.as_str(), profile, new_session_gen()],
            )?;
            if updated == 0 {
                let order: i64 =
                    tx.query_row("SELECT COALESCE(MAX(roster_order), 0) + 1 FROM members", [], |r| r.get(0))?;
                tx.execute(
                    "INSERT INTO members (id, name, role, profile, code_hash, roster_order, session_gen)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![m.id.as_str(), m.name, m.role.as_str(), profile, hash, order, new_session_gen()],
                )?;
            }
            tx.commit()?;
            Ok(updated == 0)
        })
        .await
    }

    async fn member(&self, id: &MemberId) -> StoreResult<Option<MemberRecord>> {
        let id = id.clone();
        self.with(move |c| {
            c.query_row("SELECT * FROM members WHERE id = ?1", [id.as_str()], member_row).optional()
        })
        .await
    }

    async fn members(&self) -> StoreResult<Vec<MemberRecord>> {
        self.with(|c| {
            let mut st = c.prepare_cached("SELECT * FROM members ORDER BY roster_order")?;
            collect(st.query_map([], member_row)?)
        })
        .await
    }

    async fn set_code_hash(&self, id: &MemberId, code_hash: &str) -> StoreResult<bool> {
        let (id, hash) = (id.clone(), code_hash.to_string());
        self.with(move |c| {
            let changed = c.execute(
                "UPDATE members SET code_hash = ?2, session_gen = ?3 WHERE id = ?1",
                params![id.as_str(), hash, new_session_gen()],
            )?;
            Ok(changed == 1)
        })
        .await
    }

    async fn remove_member(&self, id: &MemberId) -> StoreResult<bool> {
        let id = id.clone();
        self.with(move |c| Ok(c.execute("DELETE FROM members WHERE id = ?1", [id.as_str()])? == 1)).await
    }

    async fn end_sessions(&self, id: &MemberId) -> StoreResult<bool> {
        let id = id.clone();
        self.with(move |c| {
            let changed = c.execute(
                "UPDATE members SET session_gen = ?2 WHERE id = ?1",
                params![id.as_str(), new_session_gen()],
            )?;
            Ok(changed == 1)
        })
        .await
    }

    async fn begin_login(&self, attempt: &LoginAttempt, limits: &LoginLimits) -> StoreResult<LoginGate> {
        let (a, limits) = (attempt.clone(), *limits);
        self.with(move |c| {
            let tx = c.transaction()?;
            let now = a.at.timestamp();
            // Old failures are of no use: keep the table small.
            tx.execute("DELETE FROM login_failures WHERE at_unix < ?1", [now - 86_400])?;
            let since = now - limits.window_seconds;
            let of_id = {
                let mut st = tx.prepare_cached(
                    "SELECT address, at_unix FROM login_failures WHERE member_id = ?1 AND at_unix > ?2",
                )?;
                collect(st.query_map(params![a.member_id.as_str(), since], |r| Ok((r.get(0)?, r.get(1)?)))?)?
            };
            let of_address = {
                let mut st = tx
                    .prepare_cached("SELECT at_unix FROM login_failures WHERE address = ?1 AND at_unix > ?2")?;
                collect(st.query_map(params![a.address, since], |r| r.get(0))?)?
            };
            let gate = login_gate(&limits, &a, &of_id, &of_address);
            if gate == LoginGate::Proceed {
                tx.execute(
                    "INSERT INTO login_failures (member_id, at, at_unix, address, nonce) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![a.member_id.as_str(), a.at.to_rfc3339(), now, a.address, a.nonce],
                )?;
            }
            tx.commit()?;
            Ok(gate)
        })
        .await
    }

    async fn end_login(&self, attempt: &LoginAttempt, outcome: LoginOutcome) -> StoreResult<()> {
        let a = attempt.clone();
        self.with(move |c| {
            let id = a.member_id.as_str();
            match outcome {
                LoginOutcome::Succeeded => c.execute(
                    "DELETE FROM login_failures WHERE member_id = ?1 AND (address = ?2 OR nonce = ?3)",
                    params![id, a.address, a.nonce],
                )?,
                LoginOutcome::NotChecked => c.execute(
                    "DELETE FROM login_failures WHERE member_id = ?1 AND nonce = ?2",
                    params![id, a.nonce],
                )?,
            };
            Ok(())
        })
        .await
    }

    async fn clear_login_failures(&self, id: &MemberId) -> StoreResult<()> {
        let id = id.clone();
        self.with(move |c| {
            c.execute("DELETE FROM login_failures WHERE member_id = ?1", [id.as_str()]).map(|_| ())
        })
        .await
    }
}
