//! The store contract: a module per aggregate (members and sessions, quotas, sign-ins, notes,
//! copies, quizzes, documents, the audit log, idempotency keys, erasure), each asserting the
//! rules of its trait's documentation against every adapter — SQLite, DynamoDB on moto's server
//! (started by `tests/run.sh`), and DynamoDB answering two items a page, so that every list must
//! follow `LastEvaluatedKey` — on a fresh store each. Each module's `conforms` takes only its
//! trait.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use zhibu_functions::domain::{MemberId, NoteStatus, Role};
use zhibu_functions::store::sqlite::SqliteStore;
use zhibu_functions::store::{Copy, Member, MemberStore, Note, Store};

#[cfg(feature = "aws")]
use crate::servers;

/// The tests of one aggregate: its `conforms` against each adapter.
macro_rules! against_every_adapter {
    () => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn on_sqlite() {
            let (store, _dir) = crate::store_contract::adapters::sqlite();
            conforms(store).await;
        }

        #[cfg(feature = "aws")]
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn on_dynamodb() {
            let Some(store) = crate::store_contract::adapters::dynamodb("contract", None).await else {
                return;
            };
            conforms(store).await;
        }

        /// Every list follows DynamoDB's pages (here two items each) instead of stopping at the first.
        #[cfg(feature = "aws")]
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn on_dynamodb_two_items_a_page() {
            let Some(store) = crate::store_contract::adapters::dynamodb("paged", Some(2)).await else {
                return;
            };
            conforms(store).await;
        }
    };
}

mod audit;
mod copies;
mod documents;
mod erasure;
mod idempotency;
mod members;
mod notes;
mod quizzes;
mod quotas;
mod signins;

/// A fresh store of each kind.
mod adapters {
    use super::*;

    /// A store in a new temporary folder (kept as long as the folder).
    pub fn sqlite() -> (Arc<dyn Store>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("zhibu.sqlite")).unwrap();
        (Arc::new(store), dir)
    }

    /// A store on a new table of moto's server; `None` when the server is not configured.
    #[cfg(feature = "aws")]
    pub async fn dynamodb(prefix: &str, page_size: Option<i32>) -> Option<Arc<dyn Store>> {
        use zhibu_functions::store::dynamo::DynamoStore;
        let config = crate::servers::dynamodb().await?;
        let mut store = DynamoStore::new(&config, &crate::servers::unique(prefix));
        if let Some(items) = page_size {
            store = store.with_page_size(items);
        }
        assert!(store.ensure_table().await.unwrap(), "the table is created");
        Some(Arc::new(store))
    }
}

pub fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

pub fn id(s: &str) -> MemberId {
    MemberId::parse(s).unwrap()
}

pub fn member(i: &str, name: &str) -> Member {
    Member {
        id: id(i),
        name: name.into(),
        role: Role::Member,
        profile: [("class".to_string(), "2022级".to_string())].into(),
    }
}

pub fn note(n: &str, page: &str, who: &str, at: &str) -> Note {
    Note {
        id: n.into(),
        page: page.into(),
        member_id: id(who),
        body: format!("心得 {n}"),
        status: NoteStatus::Pending,
        at: t(at),
        flagged_words: vec![],
        review_reason: None,
        reviewed_by: None,
        reviewed_at: None,
    }
}

pub fn copy(who: &str, day: u32, key: &str) -> Copy {
    Copy {
        campaign: "constitution-100".into(),
        member_id: id(who),
        day,
        photo_key: format!("copies/{key}.jpg"),
        thumb_key: format!("copies/{key}-thumb.jpg"),
        width: 2000,
        height: 1500,
        bytes: 1234,
        at: t("2026-12-01T08:00:00+08:00"),
    }
}

#[cfg(feature = "aws")]
#[tokio::test]
async fn the_dynamodb_table_is_created_once_and_then_found() {
    use zhibu_functions::store::dynamo::DynamoStore;
    let Some(config) = servers::dynamodb().await else { return };
    let store = DynamoStore::new(&config, &servers::unique("contract"));
    assert!(store.ensure_table().await.unwrap(), "the table is created");
    assert!(!store.ensure_table().await.unwrap(), "and found the second time");
}

/// An SDK error is kept, typed, as the cause of the store's error, under what was being done.
#[cfg(feature = "aws")]
#[tokio::test]
async fn an_sdk_error_stays_the_cause() {
    use aws_sdk_dynamodb::error::SdkError;
    use aws_sdk_dynamodb::operation::get_item::GetItemError;
    use zhibu_functions::store::dynamo::DynamoStore;
    let Some(config) = servers::dynamodb().await else { return };
    let store = DynamoStore::new(&config, &servers::unique("missing"));
    let error = store.member(&id("m001")).await.unwrap_err();
    let chain = format!("{error:#}");
    assert!(chain.starts_with("reading an item: "), "{chain}");
    assert!(chain.contains("ResourceNotFoundException"), "{chain}");
    let cause = error.downcast_ref::<SdkError<GetItemError, aws_sdk_dynamodb::config::http::HttpResponse>>();
    assert!(cause.is_some_and(|e| e.as_service_error().is_some_and(|s| s.is_resource_not_found_exception())));
}

/// Members' data is the server user's only: the database file, its WAL and shared-memory files
/// and its folder, even in a file made by an earlier release with looser permissions.
#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("data/zhibu.sqlite");
    let store = SqliteStore::open(&path).unwrap();
    store.upsert_member(&member("m001", "张三"), "hash").await.unwrap();
    assert_eq!(mode(&tmp.path().join("data")), 0o700);
    for file in ["zhibu.sqlite", "zhibu.sqlite-wal", "zhibu.sqlite-shm"] {
        assert_eq!(mode(&tmp.path().join("data").join(file)), 0o600, "{file}");
    }
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let _again = SqliteStore::open(&path).unwrap();
    assert_eq!(mode(&path), 0o600, "an older, looser file is narrowed on opening");
}
