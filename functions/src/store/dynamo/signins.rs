//! Sign-ins in DynamoDB: one item per event and member (a conditional put keeps it unique), by
//! member through `gsi1`, and while it has a location in the sparse index `gsi3` (`LOCATED`),
//! which is what the retention job reads.

use anyhow::Context as _;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::keys::{member_pk, unix};
use super::{DynamoStore, Query, s, to_item, written};
use crate::domain::MemberId;
use crate::store::{Inserted, Signin, SigninStore, StoreResult};

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

#[async_trait]
impl SigninStore for DynamoStore {
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
}
