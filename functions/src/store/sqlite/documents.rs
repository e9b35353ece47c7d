//! Documents in SQLite: `documents`, keyed by kind and id, indexed by member. The version check
//! is the write itself (an `INSERT` that finds the key taken, an `UPDATE` that names the version
//! it replaces), so two writers of the same version cannot both succeed.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, collect, json, member_id, time};
use crate::domain::MemberId;
use crate::store::rules::check_document;
use crate::store::{Document, DocumentStore, StoreResult};

fn document_row(row: &rusqlite::Row) -> rusqlite::Result<Document> {
    let version: i64 = row.get("version")?;
    Ok(Document {
        kind: row.get("kind")?,
        id: row.get("id")?,
        member_id: member_id(row.get("member_id")?)?,
        version: u64::try_from(version).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
        at: time(row.get("at")?)?,
        blob_keys: json(&row.get::<_, String>("blob_keys")?)?,
        body: json(&row.get::<_, String>("body")?)?,
    })
}

/// The columns of a document after its key, as `?3` … `?7`.
fn columns(doc: &Document) -> StoreResult<(String, i64, String, String, String)> {
    Ok((
        doc.member_id.as_str().to_string(),
        i64::try_from(doc.version)?,
        doc.at.to_rfc3339(),
        serde_json::to_string(&doc.blob_keys)?,
        serde_json::to_string(&doc.body)?,
    ))
}

const INSERT: &str = "INSERT INTO documents (kind, id, member_id, version, at, blob_keys, body)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (kind, id) DO NOTHING";

#[async_trait]
impl DocumentStore for SqliteStore {
    async fn document(&self, kind: &str, id: &str) -> StoreResult<Option<Document>> {
        let (kind, id) = (kind.to_string(), id.to_string());
        self.with(move |c| {
            c.query_row("SELECT * FROM documents WHERE kind = ?1 AND id = ?2", [kind, id], document_row)
                .optional()
        })
        .await
    }

    async fn documents(&self, kind: &str) -> StoreResult<Vec<Document>> {
        let kind = kind.to_string();
        self.with(move |c| {
            let mut st = c.prepare_cached("SELECT * FROM documents WHERE kind = ?1 ORDER BY id")?;
            collect(st.query_map([kind], document_row)?)
        })
        .await
    }

    async fn documents_of_member(&self, kind: &str, member: &MemberId) -> StoreResult<Vec<Document>> {
        let (kind, member) = (kind.to_string(), member.clone());
        self.with(move |c| {
            let mut st =
                c.prepare_cached("SELECT * FROM documents WHERE member_id = ?1 AND kind = ?2 ORDER BY id")?;
            collect(st.query_map(params![member.as_str(), kind], document_row)?)
        })
        .await
    }

    async fn all_documents_of_member(&self, member: &MemberId) -> StoreResult<Vec<Document>> {
        let member = member.clone();
        self.with(move |c| {
            let mut st =
                c.prepare_cached("SELECT * FROM documents WHERE member_id = ?1 ORDER BY kind, id")?;
            collect(st.query_map([member.as_str()], document_row)?)
        })
        .await
    }

    async fn put_document(&self, doc: &Document) -> StoreResult<bool> {
        check_document(doc)?;
        let (kind, id) = (doc.kind.clone(), doc.id.clone());
        let (member, version, at, blob_keys, body) = columns(doc)?;
        self.with(move |c| {
            let n = if version == 1 {
                c.execute(INSERT, params![kind, id, member, version, at, blob_keys, body])?
            } else {
                c.execute(
                    "UPDATE documents SET member_id = ?3, version = ?4, at = ?5, blob_keys = ?6, body = ?7
                     WHERE kind = ?1 AND id = ?2 AND version = ?4 - 1",
                    params![kind, id, member, version, at, blob_keys, body],
                )?
            };
            Ok(n == 1)
        })
        .await
    }

    async fn delete_document(&self, kind: &str, id: &str, version: u64) -> StoreResult<bool> {
        let (kind, id) = (kind.to_string(), id.to_string());
        // No stored version is above i64::MAX, so such a version deletes nothing.
        let Ok(version) = i64::try_from(version) else {
            return Ok(false);
        };
        self.with(move |c| {
            let n = c.execute(
                "DELETE FROM documents WHERE kind = ?1 AND id = ?2 AND version = ?3",
                params![kind, id, version],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn import_document(&self, doc: &Document) -> StoreResult<bool> {
        check_document(doc)?;
        let (kind, id) = (doc.kind.clone(), doc.id.clone());
        let (member, version, at, blob_keys, body) = columns(doc)?;
        self.with(move |c| {
            Ok(c.execute(INSERT, params![kind, id, member, version, at, blob_keys, body])? == 1)
        })
        .await
    }
}
