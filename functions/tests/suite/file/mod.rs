//! The member's file through the API — the joining record, thought reports, talks, dues, the
//! democratic review, the host unit's notes and suggestions — on a
//! branch with an activist (m001 张三) whose contact person is m002 李四, a committee member
//! (c001 赵支委), a bystander (m005 钱七) and the secretary (a001). Every test runs on SQLite and,
//! where `tests/run.sh` started moto, on DynamoDB: the rules live above the store, but their
//! conditional writes are the store's.

use crate::common;

use std::sync::Arc;

use common::*;
use zhibu_functions::auth::hash_code;
use zhibu_functions::domain::Role;

mod dues;
mod host;
mod joining;
mod reports;
mod review;
mod suggestions;
mod talks;

pub const COMMITTEE_CODE: &str = "STUVW23456";
pub const BYSTANDER_CODE: &str = "XYZAB23456";

/// The branch's tokens.
pub struct Branch {
    pub h: Harness,
    /// m001, an activist whose contact person is m002.
    pub author: String,
    /// m002, a full member.
    pub contact: String,
    pub committee: String,
    /// m005, a member with no relation to m001.
    pub bystander: String,
    pub admin: String,
}

fn with_profile(
    mut m: zhibu_functions::store::Member,
    pairs: &[(&str, &str)],
) -> zhibu_functions::store::Member {
    for (k, v) in pairs {
        m.profile.insert(k.to_string(), v.to_string());
    }
    m
}

pub async fn branch(h: Harness) -> Branch {
    let store = h.state.store.clone();
    let author =
        with_profile(member("m001", "张三", Role::Member), &[("stage", "activist"), ("contacts", "m002")]);
    store.upsert_member(&author, "").await.unwrap();
    let contact = with_profile(member("m002", "李四", Role::Member), &[("stage", "full")]);
    store.upsert_member(&contact, "").await.unwrap();
    for (m, code) in [
        (member("c001", "赵支委", Role::Committee), COMMITTEE_CODE),
        (member("m005", "钱七", Role::Member), BYSTANDER_CODE),
    ] {
        store.upsert_member(&m, &hash_code(code).unwrap()).await.unwrap();
    }
    Branch {
        author: h.member_token().await,
        contact: h.login("m002", OTHER_CODE).await,
        committee: h.login("c001", COMMITTEE_CODE).await,
        bystander: h.login("m005", BYSTANDER_CODE).await,
        admin: h.admin_token().await,
        h,
    }
}

/// A branch on SQLite.
pub async fn on_sqlite() -> Branch {
    branch(Harness::new().await).await
}

/// A branch on DynamoDB (moto) with S3 (s3s-fs), when the test command started them.
#[cfg(feature = "aws")]
pub async fn on_dynamodb() -> Option<Branch> {
    use crate::servers;
    use zhibu_functions::blobs::s3::S3Blobs;
    use zhibu_functions::store::dynamo::DynamoStore;
    let dynamodb = servers::dynamodb().await?;
    let s3 = servers::s3s_fs().await?;
    let store = DynamoStore::new(&dynamodb, &servers::unique("file"));
    store.ensure_table().await.unwrap();
    let blobs = S3Blobs::new(&s3, &servers::unique("photos"), "photos");
    blobs.ensure_bucket().await.unwrap();
    Some(branch(Harness::on(Arc::new(store), Arc::new(blobs)).await).await)
}

/// Runs each named `async fn(Branch)` on SQLite and on DynamoDB.
macro_rules! on_every_store {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(crate::file::on_sqlite().await).await;
                }
            )*
        }
        #[cfg(feature = "aws")]
        mod dynamodb {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(branch) = crate::file::on_dynamodb().await else { return };
                    super::$name(branch).await;
                }
            )*
        }
    };
}
pub(crate) use on_every_store;
