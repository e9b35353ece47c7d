//! Idempotency keys in DynamoDB: one item per member and key, reserved by a conditional put,
//! taken over (when expired or abandoned) by a put conditional on the reservation seen, and
//! expired by TTL.

use anyhow::Context as _;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::keys::{idempotency_sk, member_pk};
use super::{DynamoStore, TRANSACTION_ATTEMPTS, s, to_item, written};
use crate::aws;
use crate::domain::MemberId;
use crate::store::{
    IDEMPOTENCY_TTL_SECONDS, IdempotencyStore, Idempotent, KeptAnswer, StoreResult, idempotent_decision,
};

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

#[async_trait]
impl IdempotencyStore for DynamoStore {
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
