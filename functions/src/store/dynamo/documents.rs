//! Documents in DynamoDB: one item per kind and id, by member (`gsi1`) and by kind (`gsi2`). The
//! body is kept as JSON text, not a map, so it comes back exactly as written (numbers, nesting,
//! empty objects). Versions are conditional writes: the first requires no item, each later one
//! the version it replaces.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::keys::member_pk;
use super::{DynamoStore, Item, Query, s, to_item, written};
use crate::domain::MemberId;
use crate::store::rules::check_document;
use crate::store::{Document, DocumentStore, StoreResult};

fn document_pk(kind: &str, id: &str) -> String {
    format!("DOC#{kind}#{id}")
}

const DOCUMENT_SK: &str = "DOC";

#[derive(Serialize, Deserialize)]
pub(super) struct DocumentItem {
    pub(super) pk: String,
    pub(super) sk: String,
    gsi1pk: String,
    gsi1sk: String,
    gsi2pk: String,
    gsi2sk: String,
    kind: String,
    id: String,
    member_id: MemberId,
    version: u64,
    at: DateTime<FixedOffset>,
    pub(super) blob_keys: Vec<String>,
    /// The body as JSON text.
    body: String,
}

impl DocumentItem {
    fn new(doc: &Document) -> StoreResult<DocumentItem> {
        let key = document_pk(&doc.kind, &doc.id);
        Ok(DocumentItem {
            pk: key.clone(),
            sk: DOCUMENT_SK.into(),
            gsi1pk: member_pk(&doc.member_id),
            gsi1sk: key,
            gsi2pk: format!("DOCS#{}", doc.kind),
            gsi2sk: doc.id.clone(),
            kind: doc.kind.clone(),
            id: doc.id.clone(),
            member_id: doc.member_id.clone(),
            version: doc.version,
            at: doc.at,
            blob_keys: doc.blob_keys.clone(),
            body: serde_json::to_string(&doc.body)?,
        })
    }

    fn document(self) -> StoreResult<Document> {
        Ok(Document {
            kind: self.kind,
            id: self.id,
            member_id: self.member_id,
            version: self.version,
            at: self.at,
            blob_keys: self.blob_keys,
            body: serde_json::from_str(&self.body)?,
        })
    }
}

/// Items to documents, sorted by kind and id (whatever order the index returned them in).
fn documents(items: Vec<DocumentItem>) -> StoreResult<Vec<Document>> {
    let mut docs = items.into_iter().map(DocumentItem::document).collect::<StoreResult<Vec<_>>>()?;
    docs.sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
    Ok(docs)
}

fn version_is(version: u64) -> (HashMap<String, String>, Item) {
    (
        HashMap::from([("#version".to_string(), "version".to_string())]),
        HashMap::from([(":version".to_string(), AttributeValue::N(version.to_string()))]),
    )
}

impl DynamoStore {
    /// Puts a document's item unless another write got there first: with `after`, only over that
    /// version; without, only where there is none.
    async fn put_document_item(&self, doc: &Document, after: Option<u64>) -> StoreResult<bool> {
        check_document(doc)?;
        let request =
            self.client.put_item().table_name(&self.table).set_item(Some(to_item(&DocumentItem::new(doc)?)?));
        let request = match after {
            None => request.condition_expression("attribute_not_exists(pk)"),
            Some(previous) => {
                let (names, values) = version_is(previous);
                request
                    .condition_expression("#version = :version")
                    .set_expression_attribute_names(Some(names))
                    .set_expression_attribute_values(Some(values))
            }
        };
        written(request.send().await, "writing a document")
    }
}

#[async_trait]
impl DocumentStore for DynamoStore {
    async fn document(&self, kind: &str, id: &str) -> StoreResult<Option<Document>> {
        let item: Option<DocumentItem> = self.get(document_pk(kind, id), DOCUMENT_SK).await?;
        item.map(DocumentItem::document).transpose()
    }

    async fn documents(&self, kind: &str) -> StoreResult<Vec<Document>> {
        documents(self.query_all(Query::index("gsi2", format!("DOCS#{kind}"))).await?)
    }

    async fn documents_of_member(&self, kind: &str, member: &MemberId) -> StoreResult<Vec<Document>> {
        let prefix = format!("DOC#{kind}#");
        documents(self.query_all(Query::index("gsi1", member_pk(member)).begins_with(&prefix)).await?)
    }

    async fn all_documents_of_member(&self, member: &MemberId) -> StoreResult<Vec<Document>> {
        documents(self.query_all(Query::index("gsi1", member_pk(member)).begins_with("DOC#")).await?)
    }

    async fn put_document(&self, doc: &Document) -> StoreResult<bool> {
        let after = (doc.version > 1).then(|| doc.version - 1);
        self.put_document_item(doc, after).await
    }

    async fn delete_document(&self, kind: &str, id: &str, version: u64) -> StoreResult<bool> {
        let (names, values) = version_is(version);
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(document_pk(kind, id)))
            .key("sk", s(DOCUMENT_SK))
            .condition_expression("#version = :version")
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .send()
            .await;
        written(result, "deleting a document")
    }

    async fn import_document(&self, doc: &Document) -> StoreResult<bool> {
        self.put_document_item(doc, None).await
    }
}
