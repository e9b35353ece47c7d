//! The production store: one DynamoDB table (single-table design) with three overloaded global
//! secondary indexes. Every item's keys are listed in `keys.rs` (and in the README); the table
//! itself (indexes, TTL, backups) is made by `table.rs`; each aggregate's items and operations
//! are in a file of their own. This module owns the client and the operations they share: reads
//! by key, queries that follow every page, conditional puts, deletes and transaction parts.
//!
//! Uniqueness rules are conditional writes (a sign-in once per member per event, a member's code
//! never reset); replacing a copy (the copy and its photo-key items) is one transaction. Every
//! query follows `LastEvaluatedKey` through the SDK's paginators. Reads through the indexes are
//! eventually consistent, as DynamoDB's indexes are; reads by key are strongly consistent.

mod audit;
mod copies;
mod documents;
mod erasure;
mod idempotency;
mod keys;
mod members;
mod notes;
mod quizzes;
mod quotas;
mod signins;
mod table;

use std::collections::HashMap;

use anyhow::Context as _;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use table::{INDEXES, TTL_ATTRIBUTE};

use super::StoreResult;
use crate::aws;
use table::{pk_of, sk_of};

type Item = HashMap<String, AttributeValue>;

/// How long a failed login counts (the lock window is 15 minutes; a day is plenty); also how
/// long a quota's counter outlives its window.
const FAILURE_TTL_SECONDS: i64 = 86_400;
/// Optimistic retries when a concurrent writer changed the same item.
const TRANSACTION_ATTEMPTS: usize = 5;

#[derive(Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
    /// Items per query page; DynamoDB's own limit (1 MB) when unset.
    page_size: Option<i32>,
}

impl DynamoStore {
    pub fn new(config: &aws::SdkConfig, table: &str) -> DynamoStore {
        DynamoStore { client: Client::new(config), table: table.to_string(), page_size: None }
    }

    /// Smaller query pages: for tests that prove every list follows `LastEvaluatedKey`.
    pub fn with_page_size(self, items: i32) -> DynamoStore {
        DynamoStore { page_size: Some(items), ..self }
    }

    async fn query_all<T: DeserializeOwned>(&self, q: Query<'_>) -> StoreResult<Vec<T>> {
        let mut request = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name(q.index.map(str::to_string))
            .set_limit(self.page_size)
            .scan_index_forward(q.forward)
            .expression_attribute_values(":pk", s(q.pk));
        let (pk, sk) = match q.index {
            Some(index) => (pk_of(index), sk_of(index)),
            None => ("pk", "sk"),
        };
        let mut condition = format!("{pk} = :pk");
        match q.sk {
            SkCondition::Any => {}
            SkCondition::BeginsWith(prefix) => {
                condition.push_str(&format!(" AND begins_with({sk}, :sk)"));
                request = request.expression_attribute_values(":sk", s(prefix));
            }
            SkCondition::Below(bound) => {
                condition.push_str(&format!(" AND {sk} < :sk"));
                request = request.expression_attribute_values(":sk", s(bound));
            }
        }
        if q.index.is_none() {
            request = request.consistent_read(true);
        }
        let items: Vec<Item> = request
            .key_condition_expression(condition)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| aws::error("querying the table", e))?;
        items.into_iter().map(from_item).collect()
    }

    async fn get<T: DeserializeOwned>(&self, pk: String, sk: &str) -> StoreResult<Option<T>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| aws::error("reading an item", e))?;
        out.item.map(from_item).transpose()
    }

    /// Puts an item unless one with its key exists; false when it existed.
    async fn put_new(&self, item: Item) -> StoreResult<bool> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        written(result, "writing an item")
    }

    async fn delete_keys(&self, keys: Vec<(String, String)>) -> StoreResult<()> {
        for (pk, sk) in keys {
            self.client
                .delete_item()
                .table_name(&self.table)
                .key("pk", s(pk))
                .key("sk", s(sk))
                .send()
                .await
                .map_err(|e| aws::error("deleting an item", e))?;
        }
        Ok(())
    }

    fn put(&self, item: Item, condition: Option<(&str, Item)>) -> anyhow::Result<TransactWriteItem> {
        let mut put = Put::builder().table_name(&self.table).set_item(Some(item));
        if let Some((expression, values)) = condition {
            put = put.condition_expression(expression);
            if !values.is_empty() {
                put = put.set_expression_attribute_values(Some(values));
            }
        }
        Ok(TransactWriteItem::builder().put(put.build()?).build())
    }

    fn delete(&self, pk: String, sk: &str) -> anyhow::Result<TransactWriteItem> {
        let delete = Delete::builder().table_name(&self.table).key("pk", s(pk)).key("sk", s(sk)).build()?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }
}

/// One key-condition query: a partition, optionally narrowed by the sort key.
struct Query<'a> {
    index: Option<&'static str>,
    pk: String,
    sk: SkCondition<'a>,
    forward: bool,
}

enum SkCondition<'a> {
    Any,
    BeginsWith(&'a str),
    Below(&'a str),
}

impl<'a> Query<'a> {
    fn table(pk: String) -> Query<'a> {
        Query { index: None, pk, sk: SkCondition::Any, forward: true }
    }

    fn index(index: &'static str, pk: String) -> Query<'a> {
        Query { index: Some(index), pk, sk: SkCondition::Any, forward: true }
    }

    fn begins_with(self, prefix: &'a str) -> Query<'a> {
        Query { sk: SkCondition::BeginsWith(prefix), ..self }
    }

    fn below(self, bound: &'a str) -> Query<'a> {
        Query { sk: SkCondition::Below(bound), ..self }
    }

    fn newest_first(self) -> Query<'a> {
        Query { forward: false, ..self }
    }
}

/// The outcome of a conditional write: true when it was written, false when its condition did
/// not hold (`ConditionalCheckFailedException`); any other error is an error.
fn written<T, E>(
    result: Result<T, aws_sdk_dynamodb::error::SdkError<E, aws_sdk_dynamodb::config::http::HttpResponse>>,
    what: &str,
) -> StoreResult<bool>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match result {
        Ok(_) => Ok(true),
        Err(e) if e.code() == Some("ConditionalCheckFailedException") => Ok(false),
        Err(e) => Err(aws::error(what, e)),
    }
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn to_item<T: Serialize>(value: &T) -> StoreResult<Item> {
    serde_dynamo::to_item(value).context("encoding a DynamoDB item")
}

fn from_item<T: DeserializeOwned>(item: Item) -> StoreResult<T> {
    serde_dynamo::from_item(item).context("decoding a DynamoDB item")
}
