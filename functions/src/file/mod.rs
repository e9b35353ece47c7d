//! A member's file (档案) — their joining record, thought reports, talks and talk requests — as
//! typed records over the store's versioned documents ([`DocumentStore`]), with the branch's
//! rules for each: who may read and write what, and in which order things may happen. Shared by
//! the API and the command line; each change goes through [`update`], which retries when someone
//! else wrote the same record in between, so rules like "withdraw only until read" hold under
//! concurrency on every store.
//!
//! [`access`] says who may see whose file; [`joining`], [`reports`] and [`talks`] own their
//! records and rules.

pub mod access;
pub mod dues;
pub mod host;
pub mod joining;
pub mod pages;
pub mod reports;
pub mod review;
pub mod suggestions;
pub mod talks;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::MemberId;
use crate::store::{Document, DocumentStore, StoreResult};

/// A record kept as a document.
pub trait Kept: Serialize + DeserializeOwned + Clone + Send + Sync {
    const KIND: &'static str;
    fn id(&self) -> String;
    fn member(&self) -> &MemberId;
    /// Photo keys the record refers to (removed with it when a member is erased).
    fn blob_keys(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A record as stored, with its version.
#[derive(Debug, Clone)]
pub struct Versioned<T> {
    pub version: u64,
    pub value: T,
}

fn decode<T: Kept>(doc: Document) -> StoreResult<Versioned<T>> {
    let value = serde_json::from_value(doc.body)
        .map_err(|e| anyhow::anyhow!("stored {} {} cannot be read: {e}", doc.kind, doc.id))?;
    Ok(Versioned { version: doc.version, value })
}

pub async fn load<T: Kept>(
    store: &(impl DocumentStore + ?Sized),
    id: &str,
) -> StoreResult<Option<Versioned<T>>> {
    store.document(T::KIND, id).await?.map(decode).transpose()
}

pub async fn all<T: Kept>(store: &(impl DocumentStore + ?Sized)) -> StoreResult<Vec<T>> {
    let docs = store.documents(T::KIND).await?;
    docs.into_iter().map(|d| decode(d).map(|v: Versioned<T>| v.value)).collect()
}

pub async fn of_member<T: Kept>(
    store: &(impl DocumentStore + ?Sized),
    member: &MemberId,
) -> StoreResult<Vec<T>> {
    let docs = store.documents_of_member(T::KIND, member).await?;
    docs.into_iter().map(|d| decode(d).map(|v: Versioned<T>| v.value)).collect()
}

/// How many times [`update`] reads again after losing a race.
const ATTEMPTS: usize = 8;

/// What a change decided.
pub enum Change<T> {
    /// Write this (a new version).
    Put(T),
    /// Delete the record.
    Delete,
}

/// Reads the record `id`, lets `decide` choose what becomes of it (or refuse, with its own error),
/// and writes that if nobody wrote in between — else reads again and asks again. Returns what was
/// written (None for a deletion).
pub async fn update<T: Kept, E: From<anyhow::Error>>(
    store: &(impl DocumentStore + ?Sized),
    id: &str,
    at: DateTime<FixedOffset>,
    mut decide: impl FnMut(Option<T>) -> Result<Change<T>, E>,
) -> Result<Option<T>, E> {
    for _ in 0..ATTEMPTS {
        let current: Option<Versioned<T>> = load(store, id).await?;
        let version = current.as_ref().map(|c| c.version).unwrap_or(0);
        match decide(current.map(|c| c.value))? {
            Change::Put(value) => {
                if value.id() != id {
                    let e = anyhow::anyhow!("a record cannot change its id ({id} → {})", value.id());
                    return Err(e.into());
                }
                let doc = Document {
                    kind: T::KIND.to_string(),
                    id: id.to_string(),
                    member_id: value.member().clone(),
                    version: version + 1,
                    at,
                    blob_keys: value.blob_keys(),
                    body: serde_json::to_value(&value).map_err(anyhow::Error::from)?,
                };
                if store.put_document(&doc).await? {
                    return Ok(Some(value));
                }
            }
            Change::Delete => {
                if version == 0 || store.delete_document(T::KIND, id, version).await? {
                    return Ok(None);
                }
            }
        }
    }
    Err(anyhow::anyhow!("{} {id} kept changing while it was being written; try again", T::KIND).into())
}
