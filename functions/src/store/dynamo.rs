//! The production store: one DynamoDB table (single-table design) with three overloaded global
//! secondary indexes. The layout, also in the README:
//!
//! | record | pk | sk | gsi1 (by member) | gsi2 (by collection) | gsi3 |
//! |---|---|---|---|---|---|
//! | member | `MEMBER#<id>` | `MEMBER` | | `ROSTER` / `<order>` | |
//! | roster counter | `ROSTER` | `COUNTER` | | | |
//! | login failure | `MEMBER#<id>` | `FAIL#<unix>#<nonce>` (TTL `expires_at`) | | | |
//! | login failure by address | `ADDR#<address>` | `FAIL#<unix>#<nonce>` (TTL `expires_at`) | | | |
//! | quota | `MEMBER#<id>` | `QUOTA#<kind>#<window start>` (TTL `expires_at`) | | | |
//! | sign-in | `EVENT#<event>` | `SIGNIN#<member>` | `MEMBER#<id>` / `SIGNIN#<unix>#<event>` | | `LOCATED` / `<unix>#…` while it has a location |
//! | note | `NOTE#<id>` | `NOTE` | `MEMBER#<id>` / `NOTE#<unix>#<id>` | `NOTES#<status>` / `<unix>#<id>` | `PAGE#<page>#<status>` / `<unix>#<id>` |
//! | copy | `COPY#<campaign>#<member>` | `DAY#<day>` | `MEMBER#<id>` / `COPY#<campaign>#<day>` | `CAMPAIGN#<campaign>` / `<member>#<day>` | |
//! | photo key | `BLOB#<key>` | `BLOB` (→ the copy's pk/sk) | | | |
//! | idempotency key | `MEMBER#<id>` | `IDEM#<key>` (TTL `expires_at`) | | | |
//! | quiz answers | `QUIZ#<quiz>` | `ANSWER#<member>` | `MEMBER#<id>` / `QUIZ#<quiz>` | | |
//! | quiz reveal | `QUIZ#<quiz>` | `REVEALED` | | | |
//! | audit line | `AUDIT` | `<unix>#<uuid>` | | | |
//!
//! Uniqueness rules are conditional writes (a sign-in once per member per event, a member's code
//! never reset); replacing a copy (the copy and its photo-key items) is one transaction. Every
//! query follows `LastEvaluatedKey` through the SDK's paginators. Reads through the indexes are
//! eventually consistent, as DynamoDB's indexes are; reads by key are strongly consistent.

use std::collections::HashMap;

use anyhow::Context as _;
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, Delete, GlobalSecondaryIndex, KeySchemaElement,
    KeyType, PointInTimeRecoverySpecification, Projection, ProjectionType, Put, ReturnValue,
    ScalarAttributeType, SseSpecification, TableStatus, TimeToLiveSpecification, TransactWriteItem,
};
use chrono::{DateTime, FixedOffset};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{
    AuditEntry, Copy, IDEMPOTENCY_TTL_SECONDS, Idempotent, Inserted, KeptAnswer, LoginAttempt, LoginGate,
    LoginLimits, LoginOutcome, Member, MemberRecord, Note, QuizAnswers, QuizReveal, Quota, Signin, Store,
    StoreResult, idempotent_decision, login_gate, new_session_gen,
};
use crate::aws;
use crate::domain::{MemberId, NoteStatus};

type Item = HashMap<String, AttributeValue>;

/// The table's global secondary indexes; `zhibu admin init` and `deploy/template.yaml` create
/// exactly these (a test compares them).
pub const INDEXES: [&str; 3] = ["gsi1", "gsi2", "gsi3"];
/// The TTL attribute (epoch seconds) of records that expire by themselves.
pub const TTL_ATTRIBUTE: &str = "expires_at";
/// How long a failed login counts (the lock window is 15 minutes; a day is plenty).
const FAILURE_TTL_SECONDS: i64 = 86_400;
/// Optimistic retries when a concurrent writer changed the same copy.
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

    /// Creates the table with its indexes, TTL and point-in-time recovery, or checks an existing
    /// one; safe to run again. Returns true when the table was created.
    pub async fn ensure_table(&self) -> anyhow::Result<bool> {
        let created = match self.client.describe_table().table_name(&self.table).send().await {
            Ok(_) => false,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_not_found_exception()) => {
                self.create_table().await?;
                true
            }
            Err(e) => return Err(aws::error("describing the table", e)),
        };
        self.wait_until_active().await?;
        self.check_indexes().await?;
        let ttl = self
            .client
            .describe_time_to_live()
            .table_name(&self.table)
            .send()
            .await
            .map_err(|e| aws::error("reading the table's TTL", e))?;
        let enabled = ttl
            .time_to_live_description()
            .and_then(|d| d.attribute_name())
            .is_some_and(|a| a == TTL_ATTRIBUTE);
        if !enabled {
            self.client
                .update_time_to_live()
                .table_name(&self.table)
                .time_to_live_specification(
                    TimeToLiveSpecification::builder().attribute_name(TTL_ATTRIBUTE).enabled(true).build()?,
                )
                .send()
                .await
                .map_err(|e| aws::error("enabling the table's TTL", e))?;
        }
        self.client
            .update_continuous_backups()
            .table_name(&self.table)
            .point_in_time_recovery_specification(
                PointInTimeRecoverySpecification::builder().point_in_time_recovery_enabled(true).build()?,
            )
            .send()
            .await
            .map_err(|e| aws::error("enabling point-in-time recovery", e))?;
        Ok(created)
    }

    async fn create_table(&self) -> anyhow::Result<()> {
        let key = |name: &str, kind: KeyType| {
            KeySchemaElement::builder().attribute_name(name).key_type(kind).build()
        };
        let mut request = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .sse_specification(SseSpecification::builder().enabled(true).build())
            .key_schema(key("pk", KeyType::Hash)?)
            .key_schema(key("sk", KeyType::Range)?);
        for name in ["pk", "sk"].into_iter().chain(INDEXES.iter().flat_map(|i| [pk_of(i), sk_of(i)])) {
            request = request.attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(name)
                    .attribute_type(ScalarAttributeType::S)
                    .build()?,
            );
        }
        for index in INDEXES {
            request = request.global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name(index)
                    .key_schema(key(pk_of(index), KeyType::Hash)?)
                    .key_schema(key(sk_of(index), KeyType::Range)?)
                    .projection(Projection::builder().projection_type(ProjectionType::All).build())
                    .build()?,
            );
        }
        request.send().await.map_err(|e| aws::error("creating the table", e))?;
        Ok(())
    }

    async fn describe(&self) -> anyhow::Result<aws_sdk_dynamodb::types::TableDescription> {
        let out = self
            .client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
            .map_err(|e| aws::error("describing the table", e))?;
        out.table.context("DescribeTable answered without a table")
    }

    async fn wait_until_active(&self) -> anyhow::Result<()> {
        for _ in 0..120 {
            let table = self.describe().await?;
            if table.table_status() == Some(&TableStatus::Active) {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        anyhow::bail!("table {} did not become active within a minute", self.table)
    }

    /// An existing table made by hand must have the indexes the store queries.
    async fn check_indexes(&self) -> anyhow::Result<()> {
        let table = self.describe().await?;
        let have: Vec<&str> =
            table.global_secondary_indexes().iter().filter_map(|g| g.index_name()).collect();
        let missing: Vec<&str> = INDEXES.into_iter().filter(|i| !have.contains(i)).collect();
        anyhow::ensure!(
            missing.is_empty(),
            "table {} exists but lacks the indexes {missing:?}; it was not made by `zhibu admin init` or deploy/template.yaml",
            self.table
        );
        Ok(())
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

    async fn next_roster_order(&self) -> StoreResult<i64> {
        let out = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s("ROSTER"))
            .key("sk", s("COUNTER"))
            .update_expression("ADD #last :one")
            .expression_attribute_names("#last", "last")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(|e| aws::error("counting the roster", e))?;
        out.attributes()
            .and_then(|a| a.get("last"))
            .and_then(|v| v.as_n().ok())
            .and_then(|n| n.parse().ok())
            .context("the roster counter has no number")
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

    /// Writes a login attempt's failure records (by member and by address); returns their keys.
    async fn put_failure(&self, attempt: &LoginAttempt) -> StoreResult<Vec<(String, String)>> {
        let sk = format!("FAIL#{}#{}", unix(attempt.at), attempt.nonce);
        let mut keys = Vec::new();
        for pk in [member_pk(&attempt.member_id), address_pk(&attempt.address)] {
            let item = FailureItem {
                pk: pk.clone(),
                sk: sk.clone(),
                at: attempt.at,
                expires_at: attempt.at.timestamp() + FAILURE_TTL_SECONDS,
                address: attempt.address.clone(),
                nonce: attempt.nonce.clone(),
            };
            self.put_new(to_item(&item)?).await?;
            keys.push((pk, sk.clone()));
        }
        Ok(keys)
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

fn pk_of(index: &str) -> &'static str {
    match index {
        "gsi1" => "gsi1pk",
        "gsi2" => "gsi2pk",
        _ => "gsi3pk",
    }
}

fn sk_of(index: &str) -> &'static str {
    match index {
        "gsi1" => "gsi1sk",
        "gsi2" => "gsi2sk",
        _ => "gsi3sk",
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

/// Sort-key time: zero-padded Unix seconds, so string order is time order whatever the offset.
fn unix(at: DateTime<FixedOffset>) -> String {
    format!("{:012}", at.timestamp().max(0))
}

fn to_item<T: Serialize>(value: &T) -> StoreResult<Item> {
    serde_dynamo::to_item(value).context("encoding a DynamoDB item")
}

fn from_item<T: DeserializeOwned>(item: Item) -> StoreResult<T> {
    serde_dynamo::from_item(item).context("decoding a DynamoDB item")
}

fn member_pk(id: &MemberId) -> String {
    format!("MEMBER#{id}")
}

fn copy_pk(campaign: &str, member: &MemberId) -> String {
    format!("COPY#{campaign}#{member}")
}

fn day_sk(day: u32) -> String {
    format!("DAY#{day:04}")
}

#[derive(Serialize, Deserialize)]
struct MemberItem {
    pk: String,
    sk: String,
    gsi2pk: String,
    gsi2sk: String,
    #[serde(flatten)]
    member: Member,
    code_hash: String,
    roster_order: i64,
    /// Absent on items written before sessions could be ended: generation 0.
    #[serde(default)]
    session_gen: i64,
}

#[derive(Serialize, Deserialize)]
struct FailureItem {
    pk: String,
    sk: String,
    at: DateTime<FixedOffset>,
    expires_at: i64,
    #[serde(default)]
    address: String,
    #[serde(default)]
    nonce: String,
}

fn address_pk(address: &str) -> String {
    format!("ADDR#{address}")
}

#[derive(Serialize, Deserialize)]
struct SigninItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi3pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi3sk: Option<String>,
    #[serde(flatten)]
    signin: Signin,
}

impl SigninItem {
    fn new(signin: &Signin) -> SigninItem {
        let located = signin.location.is_some();
        SigninItem {
            pk: format!("EVENT#{}", signin.event),
            sk: format!("SIGNIN#{}", signin.member_id),
            gsi1pk: member_pk(&signin.member_id),
            gsi1sk: format!("SIGNIN#{}#{}", unix(signin.at), signin.event),
            gsi3pk: located.then(|| "LOCATED".to_string()),
            gsi3sk: located.then(|| format!("{}#{}#{}", unix(signin.at), signin.event, signin.member_id)),
            signin: signin.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct NoteItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    gsi2pk: String,
    gsi2sk: String,
    gsi3pk: String,
    gsi3sk: String,
    #[serde(flatten)]
    note: Note,
}

impl NoteItem {
    fn new(note: &Note) -> NoteItem {
        let order = format!("{}#{}", unix(note.at), note.id);
        NoteItem {
            pk: format!("NOTE#{}", note.id),
            sk: "NOTE".into(),
            gsi1pk: member_pk(&note.member_id),
            gsi1sk: format!("NOTE#{order}"),
            gsi2pk: format!("NOTES#{}", note.status.as_str()),
            gsi2sk: order.clone(),
            gsi3pk: format!("PAGE#{}#{}", note.page, note.status.as_str()),
            gsi3sk: order,
            note: note.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct CopyItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    gsi2pk: String,
    gsi2sk: String,
    #[serde(flatten)]
    copy: Copy,
}

impl CopyItem {
    fn new(copy: &Copy) -> CopyItem {
        CopyItem {
            pk: copy_pk(&copy.campaign, &copy.member_id),
            sk: day_sk(copy.day),
            gsi1pk: member_pk(&copy.member_id),
            gsi1sk: format!("COPY#{}#{:04}", copy.campaign, copy.day),
            gsi2pk: format!("CAMPAIGN#{}", copy.campaign),
            gsi2sk: format!("{}#{:04}", copy.member_id, copy.day),
            copy: copy.clone(),
        }
    }
}

/// Points a photo or thumbnail key at the copy that uses it.
#[derive(Serialize, Deserialize)]
struct BlobItem {
    pk: String,
    sk: String,
    copy_pk: String,
    copy_sk: String,
}

#[derive(Serialize, Deserialize)]
struct QuizAnswersItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    #[serde(flatten)]
    answers: QuizAnswers,
}

impl QuizAnswersItem {
    fn new(a: &QuizAnswers) -> QuizAnswersItem {
        QuizAnswersItem {
            pk: format!("QUIZ#{}", a.quiz),
            sk: format!("ANSWER#{}", a.member_id),
            gsi1pk: member_pk(&a.member_id),
            gsi1sk: format!("QUIZ#{}", a.quiz),
            answers: a.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct QuizRevealItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    reveal: QuizReveal,
}

/// Any item's key, for deleting what a query found.
#[derive(Deserialize)]
struct Keys {
    pk: String,
    sk: String,
}

#[derive(Serialize, Deserialize)]
struct AuditItem {
    pk: String,
    sk: String,
    #[serde(flatten)]
    entry: AuditEntry,
}

/// A request made with an `Idempotency-Key`: reserved, then answered.
#[derive(Serialize, Deserialize)]
struct IdempotencyItem {
    pk: String,
    sk: String,
    fingerprint: String,
    reserved_at: i64,
    expires_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    answer: Option<KeptAnswer>,
}

fn idempotency_sk(key: &str) -> String {
    format!("IDEM#{key}")
}

fn blob_pk(key: &str) -> String {
    format!("BLOB#{key}")
}

#[async_trait]
impl Store for DynamoStore {
    async fn upsert_member(&self, member: &Member, new_code_hash: &str) -> StoreResult<bool> {
        loop {
            // An existing member: name, role and profile change, the code never does.
            let update = self
                .client
                .update_item()
                .table_name(&self.table)
                .key("pk", s(member_pk(&member.id)))
                .key("sk", s("MEMBER"))
                .condition_expression("attribute_exists(pk)")
                .update_expression("SET #name = :name, #role = :role, profile = :profile")
                .return_values(ReturnValue::UpdatedOld)
                .expression_attribute_names("#name", "name")
                .expression_attribute_names("#role", "role")
                .expression_attribute_values(":name", s(&member.name))
                .expression_attribute_values(":role", s(member.role.as_str()))
                .expression_attribute_values(
                    ":profile",
                    serde_dynamo::to_attribute_value(&member.profile).context("encoding a profile")?,
                )
                .send()
                .await;
            match update {
                Ok(out) => {
                    // A changed role ends the member's sessions.
                    let old_role = out.attributes().and_then(|a| a.get("role")).and_then(|v| v.as_s().ok());
                    if old_role.is_some_and(|r| r != member.role.as_str()) {
                        self.end_sessions(&member.id).await?;
                    }
                    return Ok(false);
                }
                Err(e) if e.code() == Some("ConditionalCheckFailedException") => {}
                Err(e) => return Err(aws::error("updating a member", e)),
            }
            let order = self.next_roster_order().await?;
            let item = MemberItem {
                pk: member_pk(&member.id),
                sk: "MEMBER".into(),
                gsi2pk: "ROSTER".into(),
                gsi2sk: format!("{order:012}"),
                member: member.clone(),
                code_hash: new_code_hash.to_string(),
                roster_order: order,
                session_gen: new_session_gen(),
            };
            if self.put_new(to_item(&item)?).await? {
                return Ok(true);
            }
            // Another import created it in between: update that one instead.
        }
    }

    async fn member(&self, id: &MemberId) -> StoreResult<Option<MemberRecord>> {
        let item: Option<MemberItem> = self.get(member_pk(id), "MEMBER").await?;
        Ok(item.map(record))
    }

    async fn members(&self) -> StoreResult<Vec<MemberRecord>> {
        let items: Vec<MemberItem> = self.query_all(Query::index("gsi2", "ROSTER".into())).await?;
        Ok(items.into_iter().map(record).collect())
    }

    async fn begin_login(&self, attempt: &LoginAttempt, limits: &LoginLimits) -> StoreResult<LoginGate> {
        // Record first, then count what is recorded (strongly consistent reads by key): of any
        // number of parallel attempts, the k-th to be written sees at least k-1 others, so no
        // more than the limit can pass. A refused attempt takes its records back.
        let keys = self.put_failure(attempt).await?;
        let since = attempt.at.timestamp() - limits.window_seconds;
        let of_id: Vec<FailureItem> =
            self.query_all(Query::table(member_pk(&attempt.member_id)).begins_with("FAIL#")).await?;
        let of_address: Vec<FailureItem> =
            self.query_all(Query::table(address_pk(&attempt.address)).begins_with("FAIL#")).await?;
        // TTL deletion is lazy, and the window is narrower than the TTL: filter by time.
        let others = |f: &FailureItem| f.nonce != attempt.nonce && f.at.timestamp() > since;
        let of_id: Vec<(String, i64)> =
            of_id.iter().filter(|f| others(f)).map(|f| (f.address.clone(), f.at.timestamp())).collect();
        let of_address: Vec<i64> =
            of_address.iter().filter(|f| others(f)).map(|f| f.at.timestamp()).collect();
        let gate = login_gate(limits, attempt, &of_id, &of_address);
        if gate != LoginGate::Proceed {
            self.delete_keys(keys).await?;
        }
        Ok(gate)
    }

    async fn end_login(&self, attempt: &LoginAttempt, outcome: LoginOutcome) -> StoreResult<()> {
        let items: Vec<FailureItem> =
            self.query_all(Query::table(member_pk(&attempt.member_id)).begins_with("FAIL#")).await?;
        let mine = |f: &FailureItem| match outcome {
            LoginOutcome::Succeeded => f.address == attempt.address || f.nonce == attempt.nonce,
            LoginOutcome::NotChecked => f.nonce == attempt.nonce,
        };
        let mut keys: Vec<(String, String)> = Vec::new();
        for f in items.into_iter().filter(mine) {
            keys.push((address_pk(&f.address), f.sk.clone()));
            keys.push((f.pk, f.sk));
        }
        self.delete_keys(keys).await
    }

    async fn clear_login_failures(&self, id: &MemberId) -> StoreResult<()> {
        let items: Vec<FailureItem> =
            self.query_all(Query::table(member_pk(id)).begins_with("FAIL#")).await?;
        let mut keys: Vec<(String, String)> = Vec::new();
        for f in items {
            keys.push((address_pk(&f.address), f.sk.clone()));
            keys.push((f.pk, f.sk));
        }
        self.delete_keys(keys).await
    }

    async fn end_sessions(&self, id: &MemberId) -> StoreResult<bool> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(member_pk(id)))
            .key("sk", s("MEMBER"))
            .condition_expression("attribute_exists(pk)")
            .update_expression("SET session_gen = :gen")
            .expression_attribute_values(":gen", AttributeValue::N(new_session_gen().to_string()))
            .send()
            .await;
        written(result, "ending a member's sessions")
    }

    async fn take_quota(&self, id: &MemberId, quota: &Quota, at: DateTime<FixedOffset>) -> StoreResult<bool> {
        let window = quota.window_start(at);
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(member_pk(id)))
            .key("sk", s(format!("QUOTA#{}#{window:012}", quota.kind)))
            .condition_expression("attribute_not_exists(used) OR used < :limit")
            .update_expression("ADD used :one SET expires_at = :expires")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":limit", AttributeValue::N(quota.limit.to_string()))
            .expression_attribute_values(
                ":expires",
                AttributeValue::N((window + quota.window_seconds + FAILURE_TTL_SECONDS).to_string()),
            )
            .send()
            .await;
        written(result, "counting a quota")
    }

    async fn insert_signin(&self, signin: &Signin) -> StoreResult<Inserted<Signin>> {
        let item = SigninItem::new(signin);
        let (pk, sk) = (item.pk.clone(), item.sk.clone());
        if self.put_new(to_item(&item)?).await? {
            return Ok(Inserted::New(signin.clone()));
        }
        let existing: SigninItem = self.get(pk, &sk).await?.context("a sign-in vanished after a conflict")?;
        Ok(Inserted::Existing(existing.signin))
    }

    async fn signins_of_member(&self, id: &MemberId) -> StoreResult<Vec<Signin>> {
        let items: Vec<SigninItem> =
            self.query_all(Query::index("gsi1", member_pk(id)).begins_with("SIGNIN#")).await?;
        Ok(items.into_iter().map(|i| i.signin).collect())
    }

    async fn signins_of_event(&self, event: &str) -> StoreResult<Vec<Signin>> {
        let items: Vec<SigninItem> = self.query_all(Query::table(format!("EVENT#{event}"))).await?;
        let mut signins: Vec<Signin> = items.into_iter().map(|i| i.signin).collect();
        signins.sort_by_key(|s| s.at);
        Ok(signins)
    }

    async fn purge_locations_before(&self, cutoff: DateTime<FixedOffset>) -> StoreResult<usize> {
        let bound = unix(cutoff);
        let items: Vec<SigninItem> =
            self.query_all(Query::index("gsi3", "LOCATED".into()).below(&bound)).await?;
        let mut purged = 0;
        for item in items {
            let result = self
                .client
                .update_item()
                .table_name(&self.table)
                .key("pk", s(item.pk))
                .key("sk", s(item.sk))
                .condition_expression("attribute_exists(pk)")
                .update_expression("REMOVE gsi3pk, gsi3sk SET #location = :null")
                .expression_attribute_names("#location", "location")
                .expression_attribute_values(":null", AttributeValue::Null(true))
                .send()
                .await;
            if written(result, "removing a location")? {
                purged += 1;
            }
        }
        Ok(purged)
    }

    async fn insert_note(&self, note: &Note) -> StoreResult<()> {
        anyhow::ensure!(
            self.put_new(to_item(&NoteItem::new(note))?).await?,
            "note {} exists already",
            note.id
        );
        Ok(())
    }

    async fn note(&self, id: &str) -> StoreResult<Option<Note>> {
        let item: Option<NoteItem> = self.get(format!("NOTE#{id}"), "NOTE").await?;
        Ok(item.map(|i| i.note))
    }

    async fn notes_of_page(&self, page: &str, status: NoteStatus) -> StoreResult<Vec<Note>> {
        let pk = format!("PAGE#{page}#{}", status.as_str());
        let items: Vec<NoteItem> = self.query_all(Query::index("gsi3", pk).newest_first()).await?;
        Ok(items.into_iter().map(|i| i.note).collect())
    }

    async fn notes_of_member(&self, id: &MemberId) -> StoreResult<Vec<Note>> {
        let query = Query::index("gsi1", member_pk(id)).begins_with("NOTE#").newest_first();
        let items: Vec<NoteItem> = self.query_all(query).await?;
        Ok(items.into_iter().map(|i| i.note).collect())
    }

    async fn notes_with_status(&self, status: NoteStatus) -> StoreResult<Vec<Note>> {
        let items: Vec<NoteItem> =
            self.query_all(Query::index("gsi2", format!("NOTES#{}", status.as_str()))).await?;
        Ok(items.into_iter().map(|i| i.note).collect())
    }

    async fn review_note(
        &self,
        id: &str,
        status: NoteStatus,
        reason: Option<&str>,
        reviewer: &MemberId,
        at: DateTime<FixedOffset>,
    ) -> StoreResult<Option<Note>> {
        let Some(mut note) = self.note(id).await? else {
            return Ok(None);
        };
        note.status = status;
        note.review_reason = reason.map(str::to_string);
        note.reviewed_by = Some(reviewer.clone());
        note.reviewed_at = Some(at);
        // The whole item is rewritten so that the index keys follow the new status.
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_item(&NoteItem::new(&note))?))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await;
        Ok(written(result, "reviewing a note")?.then_some(note))
    }

    async fn put_copy(&self, copy: &Copy) -> StoreResult<Option<Copy>> {
        let item = CopyItem::new(copy);
        for _ in 0..TRANSACTION_ATTEMPTS {
            let previous: Option<CopyItem> = self.get(item.pk.clone(), &item.sk).await?;
            let previous = previous.map(|p| p.copy);
            // The copy is written only if it is still the one just read; its photo keys move with it.
            let condition = match &previous {
                Some(p) => ("photo_key = :seen", HashMap::from([(":seen".to_string(), s(&p.photo_key))])),
                None => ("attribute_not_exists(pk)", HashMap::new()),
            };
            let mut writes = vec![self.put(to_item(&item)?, Some(condition))?];
            let new_keys = [&copy.photo_key, &copy.thumb_key];
            for key in new_keys {
                let pointer = BlobItem {
                    pk: blob_pk(key),
                    sk: "BLOB".into(),
                    copy_pk: item.pk.clone(),
                    copy_sk: item.sk.clone(),
                };
                writes.push(self.put(to_item(&pointer)?, None)?);
            }
            if let Some(p) = &previous {
                for key in [&p.photo_key, &p.thumb_key] {
                    if !new_keys.contains(&key) {
                        writes.push(self.delete(blob_pk(key), "BLOB")?);
                    }
                }
            }
            let result = self.client.transact_write_items().set_transact_items(Some(writes)).send().await;
            match result {
                Ok(_) => return Ok(previous),
                Err(e) if e.as_service_error().is_some_and(|s| s.is_transaction_canceled_exception()) => {
                    // Someone replaced the same day at the same moment: read again and retry.
                    continue;
                }
                Err(e) => return Err(aws::error("storing a copy", e)),
            }
        }
        anyhow::bail!("the copy for day {} kept changing under concurrent uploads", copy.day)
    }

    async fn copies_of(&self, id: &MemberId, campaign: &str) -> StoreResult<Vec<Copy>> {
        let items: Vec<CopyItem> = self.query_all(Query::table(copy_pk(campaign, id))).await?;
        Ok(items.into_iter().map(|i| i.copy).collect())
    }

    async fn copies_of_campaign(&self, campaign: &str) -> StoreResult<Vec<Copy>> {
        let items: Vec<CopyItem> =
            self.query_all(Query::index("gsi2", format!("CAMPAIGN#{campaign}"))).await?;
        Ok(items.into_iter().map(|i| i.copy).collect())
    }

    async fn copies_of_member(&self, id: &MemberId) -> StoreResult<Vec<Copy>> {
        let items: Vec<CopyItem> =
            self.query_all(Query::index("gsi1", member_pk(id)).begins_with("COPY#")).await?;
        Ok(items.into_iter().map(|i| i.copy).collect())
    }

    async fn copy_by_key(&self, key: &str) -> StoreResult<Option<Copy>> {
        let Some(pointer) = self.get::<BlobItem>(blob_pk(key), "BLOB").await? else {
            return Ok(None);
        };
        let item: Option<CopyItem> = self.get(pointer.copy_pk, &pointer.copy_sk).await?;
        Ok(item.map(|i| i.copy).filter(|c| c.photo_key == key || c.thumb_key == key))
    }

    async fn insert_quiz_answers(&self, answers: &QuizAnswers) -> StoreResult<Inserted<QuizAnswers>> {
        let item = QuizAnswersItem::new(answers);
        let (pk, sk) = (item.pk.clone(), item.sk.clone());
        if self.put_new(to_item(&item)?).await? {
            return Ok(Inserted::New(answers.clone()));
        }
        let existing: QuizAnswersItem =
            self.get(pk, &sk).await?.context("quiz answers vanished after a conflict")?;
        Ok(Inserted::Existing(existing.answers))
    }

    async fn quiz_answers_of(&self, id: &MemberId, quiz: &str) -> StoreResult<Option<QuizAnswers>> {
        let item: Option<QuizAnswersItem> = self.get(format!("QUIZ#{quiz}"), &format!("ANSWER#{id}")).await?;
        Ok(item.map(|i| i.answers))
    }

    async fn quiz_answers(&self, quiz: &str) -> StoreResult<Vec<QuizAnswers>> {
        let items: Vec<QuizAnswersItem> =
            self.query_all(Query::table(format!("QUIZ#{quiz}")).begins_with("ANSWER#")).await?;
        Ok(items.into_iter().map(|i| i.answers).collect())
    }

    async fn reveal_quiz(&self, reveal: &QuizReveal) -> StoreResult<QuizReveal> {
        let item = QuizRevealItem {
            pk: format!("QUIZ#{}", reveal.quiz),
            sk: "REVEALED".into(),
            reveal: reveal.clone(),
        };
        self.put_new(to_item(&item)?).await?;
        self.quiz_reveal(&reveal.quiz).await?.context("a quiz reveal vanished")
    }

    async fn quiz_reveal(&self, quiz: &str) -> StoreResult<Option<QuizReveal>> {
        let item: Option<QuizRevealItem> = self.get(format!("QUIZ#{quiz}"), "REVEALED").await?;
        Ok(item.map(|i| i.reveal))
    }

    async fn quiz_answers_of_member(&self, id: &MemberId) -> StoreResult<Vec<QuizAnswers>> {
        let items: Vec<QuizAnswersItem> =
            self.query_all(Query::index("gsi1", member_pk(id)).begins_with("QUIZ#")).await?;
        Ok(items.into_iter().map(|i| i.answers).collect())
    }

    async fn set_code_hash(&self, id: &MemberId, code_hash: &str) -> StoreResult<bool> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(member_pk(id)))
            .key("sk", s("MEMBER"))
            .condition_expression("attribute_exists(pk)")
            .update_expression("SET code_hash = :hash, session_gen = :gen")
            .expression_attribute_values(":hash", s(code_hash))
            .expression_attribute_values(":gen", AttributeValue::N(new_session_gen().to_string()))
            .send()
            .await;
        written(result, "setting a code")
    }

    async fn remove_member(&self, id: &MemberId) -> StoreResult<bool> {
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(member_pk(id)))
            .key("sk", s("MEMBER"))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await;
        written(result, "removing a member")
    }

    async fn erase_member_records(&self, id: &MemberId) -> StoreResult<Vec<String>> {
        // The copies once: their item keys and the photo keys they point at.
        let copies: Vec<CopyItem> =
            self.query_all(Query::index("gsi1", member_pk(id)).begins_with("COPY#")).await?;
        let photos: Vec<String> =
            copies.iter().flat_map(|c| [c.copy.photo_key.clone(), c.copy.thumb_key.clone()]).collect();
        let mut keys: Vec<(String, String)> = copies.into_iter().map(|c| (c.pk, c.sk)).collect();
        keys.extend(photos.iter().map(|k| (blob_pk(k), "BLOB".to_string())));
        for prefix in ["SIGNIN#", "NOTE#", "QUIZ#"] {
            let found: Vec<Keys> =
                self.query_all(Query::index("gsi1", member_pk(id)).begins_with(prefix)).await?;
            keys.extend(found.into_iter().map(|k| (k.pk, k.sk)));
        }
        for prefix in ["FAIL#", "IDEM#", "QUOTA#"] {
            let found: Vec<Keys> = self.query_all(Query::table(member_pk(id)).begins_with(prefix)).await?;
            keys.extend(found.into_iter().map(|k| (k.pk, k.sk)));
        }
        self.delete_keys(keys).await?;
        Ok(photos)
    }

    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        let item = AuditItem {
            pk: "AUDIT".into(),
            // Time, then the writer's clock in nanoseconds (lines of one second stay in order),
            // then a uuid (writers on several machines never collide).
            sk: format!(
                "{}#{:020}#{}",
                unix(entry.at),
                chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default(),
                uuid::Uuid::new_v4().simple()
            ),
            entry: entry.clone(),
        };
        anyhow::ensure!(self.put_new(to_item(&item)?).await?, "an audit line with this key exists");
        Ok(())
    }

    async fn audit_log(&self) -> StoreResult<Vec<AuditEntry>> {
        let items: Vec<AuditItem> = self.query_all(Query::table("AUDIT".into())).await?;
        Ok(items.into_iter().map(|i| i.entry).collect())
    }

    async fn begin_idempotent(
        &self,
        member: &MemberId,
        key: &str,
        fingerprint: &str,
        now: DateTime<FixedOffset>,
    ) -> StoreResult<Idempotent> {
        let now = now.timestamp();
        let reservation = IdempotencyItem {
            pk: member_pk(member),
            sk: idempotency_sk(key),
            fingerprint: fingerprint.to_string(),
            reserved_at: now,
            expires_at: now + IDEMPOTENCY_TTL_SECONDS,
            answer: None,
        };
        for _ in 0..TRANSACTION_ATTEMPTS {
            let Some(found) = self.get::<IdempotencyItem>(member_pk(member), &idempotency_sk(key)).await?
            else {
                if self.put_new(to_item(&reservation)?).await? {
                    return Ok(Idempotent::Fresh);
                }
                continue;
            };
            let decision =
                idempotent_decision(fingerprint, &found.fingerprint, found.answer, found.reserved_at, now);
            if decision != Idempotent::Fresh {
                return Ok(decision);
            }
            // Expired or abandoned: take it over, unless someone else just did.
            let result = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(to_item(&reservation)?))
                .condition_expression("reserved_at = :seen")
                .expression_attribute_values(":seen", AttributeValue::N(found.reserved_at.to_string()))
                .send()
                .await;
            if written(result, "reserving an idempotency key")? {
                return Ok(Idempotent::Fresh);
            }
        }
        Ok(Idempotent::InProgress)
    }

    async fn finish_idempotent(
        &self,
        member: &MemberId,
        key: &str,
        answer: Option<&KeptAnswer>,
    ) -> StoreResult<()> {
        match answer {
            Some(answer) => {
                self.client
                    .update_item()
                    .table_name(&self.table)
                    .key("pk", s(member_pk(member)))
                    .key("sk", s(idempotency_sk(key)))
                    .condition_expression("attribute_exists(pk)")
                    .update_expression("SET answer = :answer")
                    .expression_attribute_values(
                        ":answer",
                        serde_dynamo::to_attribute_value(answer).context("encoding an answer")?,
                    )
                    .send()
                    .await
                    .map_err(|e| aws::error("keeping an answer", e))?;
                Ok(())
            }
            None => self.delete_keys(vec![(member_pk(member), idempotency_sk(key))]).await,
        }
    }
}

fn record(item: MemberItem) -> MemberRecord {
    MemberRecord {
        member: item.member,
        code_hash: item.code_hash,
        roster_order: item.roster_order,
        session_gen: item.session_gen,
    }
}
