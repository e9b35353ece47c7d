//! The roster, session generations and the login throttle in DynamoDB: member items (listed
//! in roster order through `gsi2`), the roster counter, and failed logins under the member and
//! under the address, which expire by TTL.

use anyhow::Context as _;
use async_trait::async_trait;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::keys::{address_pk, member_pk, unix};
use super::{DynamoStore, FAILURE_TTL_SECONDS, Query, s, to_item, written};
use crate::aws;
use crate::domain::MemberId;
use crate::store::{
    LoginAttempt, LoginGate, LoginLimits, LoginOutcome, Member, MemberRecord, MemberStore, StoreResult,
    login_gate, new_session_gen,
};

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

fn record(item: MemberItem) -> MemberRecord {
    MemberRecord {
        member: item.member,
        code_hash: item.code_hash,
        roster_order: item.roster_order,
        session_gen: item.session_gen,
    }
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

impl DynamoStore {
    /// Updates an existing member item (false for an unknown id), always with a fresh session
    /// generation (`:gen`) and, when given, a new code hash (`:hash`).
    async fn update_member(
        &self,
        id: &MemberId,
        expression: &str,
        code_hash: Option<&str>,
        what: &str,
    ) -> StoreResult<bool> {
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(member_pk(id)))
            .key("sk", s("MEMBER"))
            .condition_expression("attribute_exists(pk)")
            .update_expression(expression)
            .expression_attribute_values(":gen", AttributeValue::N(new_session_gen().to_string()));
        if let Some(hash) = code_hash {
            request = request.expression_attribute_values(":hash", s(hash));
        }
        written(request.send().await, what)
    }

    /// Deletes a member's failed logins that `which` picks, with their copies under the address.
    async fn forget_failures(&self, id: &MemberId, which: impl Fn(&FailureItem) -> bool) -> StoreResult<()> {
        let items: Vec<FailureItem> =
            self.query_all(Query::table(member_pk(id)).begins_with("FAIL#")).await?;
        let mut keys: Vec<(String, String)> = Vec::new();
        for f in items.into_iter().filter(|f| which(f)) {
            keys.push((address_pk(&f.address), f.sk.clone()));
            keys.push((f.pk, f.sk));
        }
        self.delete_keys(keys).await
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
}

#[async_trait]
impl MemberStore for DynamoStore {
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

    async fn set_code_hash(&self, id: &MemberId, code_hash: &str) -> StoreResult<bool> {
        self.update_member(id, "SET code_hash = :hash, session_gen = :gen", Some(code_hash), "setting a code")
            .await
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

    async fn end_sessions(&self, id: &MemberId) -> StoreResult<bool> {
        self.update_member(id, "SET session_gen = :gen", None, "ending a member's sessions").await
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
        self.forget_failures(&attempt.member_id, |f| match outcome {
            LoginOutcome::Succeeded => f.address == attempt.address || f.nonce == attempt.nonce,
            LoginOutcome::NotChecked => f.nonce == attempt.nonce,
        })
        .await
    }

    async fn clear_login_failures(&self, id: &MemberId) -> StoreResult<()> {
        self.forget_failures(id, |_| true).await
    }
}
