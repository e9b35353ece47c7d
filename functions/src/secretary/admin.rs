//! The secretary's and instructor's actions on the roster and on members' data, shared by the
//! command line and the API. Every action that changes something writes an audit line.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::auth;
use crate::blobs::Blobs;
use crate::domain::MemberId;
use crate::store::{
    AuditEntry, AuditStore, CopyStore, DocumentStore, ErasureStore, MemberData, MemberRecord, MemberStore,
    NoteStore, QuizStore, SigninStore,
};

/// Who did it: an admin's member id, or `cli:<user>` for the command line.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

impl Actor {
    /// The command line's actor: the operating-system user running it.
    pub fn command_line() -> Actor {
        let user =
            std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown".into());
        Actor(format!("cli:{user}"))
    }
}

/// Writes one line of the audit log.
pub async fn audit(
    store: &(impl AuditStore + ?Sized),
    actor: &Actor,
    at: DateTime<FixedOffset>,
    action: &str,
    target: &str,
    detail: String,
) -> anyhow::Result<()> {
    let entry =
        AuditEntry { at, actor: actor.0.clone(), action: action.into(), target: target.into(), detail };
    store.append_audit(&entry).await
}

/// A member in the roster with their last activity (the latest sign-in, note or copy).
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub id: String,
    pub name: String,
    pub role: String,
    pub last_activity: Option<DateTime<FixedOffset>>,
}

/// The roster in its order, each with their last activity.
pub async fn overview(
    store: &(impl MemberStore + SigninStore + NoteStore + CopyStore + ?Sized),
) -> anyhow::Result<Vec<Overview>> {
    let mut list = Vec::new();
    for MemberRecord { member, .. } in store.members().await? {
        let signins = store.signins_of_member(&member.id).await?;
        let notes = store.notes_of_member(&member.id).await?;
        let copies = store.copies_of_member(&member.id).await?;
        let last = signins
            .iter()
            .map(|s| s.at)
            .chain(notes.iter().map(|n| n.at))
            .chain(copies.iter().map(|c| c.at))
            .max();
        list.push(Overview {
            id: member.id.to_string(),
            name: member.name,
            role: member.role.as_str().into(),
            last_activity: last,
        });
    }
    Ok(list)
}

/// Gives a member a new access code and returns it (shown once; the old code stops working).
pub async fn reset_code(
    store: &(impl MemberStore + AuditStore + ?Sized),
    actor: &Actor,
    id: &MemberId,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<String> {
    anyhow::ensure!(store.member(id).await?.is_some(), "no member {id} in the roster");
    let code = auth::new_access_code();
    let hash = {
        let code = code.clone();
        tokio::task::spawn_blocking(move || auth::hash_code(&code)).await??
    };
    store.set_code_hash(id, &hash).await?;
    store.clear_login_failures(id).await?;
    audit(store, actor, now, "member.reset_code", id.as_str(), String::new()).await?;
    Ok(code)
}

/// Ends every session of a member (a lost phone, a suspected leak): their tokens stop working at
/// once, everywhere; their code stays. False for an unknown id.
pub async fn end_sessions(
    store: &(impl MemberStore + AuditStore + ?Sized),
    actor: &Actor,
    id: &MemberId,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<bool> {
    if !store.end_sessions(id).await? {
        return Ok(false);
    }
    audit(store, actor, now, "member.logout", id.as_str(), String::new()).await?;
    Ok(true)
}

/// Everything the store and the blobs hold about a member.
pub async fn export(
    store: &(impl MemberStore + SigninStore + NoteStore + CopyStore + QuizStore + DocumentStore + ?Sized),
    id: &MemberId,
) -> anyhow::Result<MemberData> {
    let record = store.member(id).await?.ok_or_else(|| anyhow::anyhow!("no member {id} in the roster"))?;
    Ok(MemberData {
        member: record.member,
        signins: store.signins_of_member(id).await?,
        notes: store.notes_of_member(id).await?,
        copies: store.copies_of_member(id).await?,
        quiz_answers: store.quiz_answers_of_member(id).await?,
        documents: store.all_documents_of_member(id).await?,
    })
}

/// Writes the audit line of an export (the data went to `to`).
pub async fn exported(
    store: &(impl AuditStore + ?Sized),
    actor: &Actor,
    id: &MemberId,
    to: &str,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<()> {
    audit(store, actor, now, "member.export", id.as_str(), format!("导出到 {to}")).await
}

/// What a removal did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub from_roster: bool,
    /// Photos deleted (with `erase`).
    pub photos: usize,
}

/// Removes a member from the roster; with `erase`, also deletes every record and photo of theirs.
pub async fn remove(
    store: &(impl MemberStore + ErasureStore + AuditStore + ?Sized),
    blobs: &dyn Blobs,
    actor: &Actor,
    id: &MemberId,
    erase: bool,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<Removed> {
    let mut photos = 0;
    if erase {
        // Records first, photos second: a crash in between leaves orphan photos (harmless and
        // found by running the same command again), never records pointing at nothing.
        let keys = store.erase_member_records(id).await?;
        for key in &keys {
            blobs.delete(key).await?;
        }
        photos = keys.len();
        // Photos that a crashed erase already forgot: copies (`copies/<campaign>/<member>/…`)
        // and report pages (`reports/<member>/<quarter>/…`).
        for key in blobs.keys().await? {
            let parts: Vec<&str> = key.split('/').collect();
            let copy = parts.len() == 4 && parts[0] == "copies" && parts[2] == id.as_str();
            let page = parts.len() == 4 && parts[0] == "reports" && parts[1] == id.as_str();
            if copy || page {
                blobs.delete(&key).await?;
                photos += 1;
            }
        }
    }
    let from_roster = store.remove_member(id).await?;
    anyhow::ensure!(from_roster || erase, "no member {id} in the roster");
    let action = if erase { "member.erase" } else { "member.remove" };
    audit(
        store,
        actor,
        now,
        action,
        id.as_str(),
        if erase { format!("删除照片 {photos} 张") } else { String::new() },
    )
    .await?;
    Ok(Removed { from_roster, photos })
}

/// Removes sign-in locations older than `days` (the retention rule) and logs it.
pub async fn purge(
    store: &(impl SigninStore + AuditStore + ?Sized),
    actor: &Actor,
    days: u32,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<usize> {
    let purged = super::retention::purge_locations(store, now, days).await?;
    audit(
        store,
        actor,
        now,
        "data.purge_locations",
        "signins",
        format!("清除超过 {days} 天的位置 {purged} 条"),
    )
    .await?;
    Ok(purged)
}
