//! Quotas in DynamoDB: one counter item per member, kind and window, counted by a conditional
//! update and expired by TTL.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, FixedOffset};

use super::keys::member_pk;
use super::{DynamoStore, FAILURE_TTL_SECONDS, s, written};
use crate::domain::MemberId;
use crate::store::{Quota, QuotaStore, StoreResult};

#[async_trait]
impl QuotaStore for DynamoStore {
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
}
