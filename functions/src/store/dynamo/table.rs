//! The table itself: created with its indexes (on demand, encrypted), TTL and point-in-time
//! recovery by `zhibu admin init`, or an existing one checked. `deploy/template.yaml` declares
//! the same (a test compares them).

use anyhow::Context as _;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
    PointInTimeRecoverySpecification, Projection, ProjectionType, ScalarAttributeType, SseSpecification,
    TableStatus, TimeToLiveSpecification,
};

use super::DynamoStore;
use crate::aws;

/// The table's global secondary indexes; `zhibu admin init` and `deploy/template.yaml` create
/// exactly these (a test compares them).
pub const INDEXES: [&str; 3] = ["gsi1", "gsi2", "gsi3"];
/// The TTL attribute (epoch seconds) of records that expire by themselves.
pub const TTL_ATTRIBUTE: &str = "expires_at";

impl DynamoStore {
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
}

pub(super) fn pk_of(index: &str) -> &'static str {
    match index {
        "gsi1" => "gsi1pk",
        "gsi2" => "gsi2pk",
        _ => "gsi3pk",
    }
}

pub(super) fn sk_of(index: &str) -> &'static str {
    match index {
        "gsi1" => "gsi1sk",
        "gsi2" => "gsi2sk",
        _ => "gsi3sk",
    }
}
