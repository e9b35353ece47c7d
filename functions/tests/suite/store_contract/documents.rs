//! Documents: JSON bodies under a kind and an id, each write naming the version it replaces, so
//! of two writers of the same version only the first wins; listed by kind and by member.

use std::sync::Arc;

use serde_json::{Value, json};
use zhibu_functions::store::{Document, DocumentStore};

use crate::store_contract::{id, t};

against_every_adapter!();

/// A document of `kind` and `id` owned by `who`, at `version`, with this body.
pub fn doc(kind: &str, i: &str, who: &str, version: u64, body: Value) -> Document {
    Document {
        kind: kind.into(),
        id: i.into(),
        member_id: id(who),
        version,
        at: t("2026-12-09T10:00:00+08:00"),
        blob_keys: vec![],
        body,
    }
}

/// (kind, id) of each document, in the order given.
fn keys(docs: &[Document]) -> Vec<(&str, &str)> {
    docs.iter().map(|d| (d.kind.as_str(), d.id.as_str())).collect()
}

async fn conforms(store: Arc<dyn DocumentStore>) {
    versions(store.as_ref()).await;
    lists(store.as_ref()).await;
    bodies(store.as_ref()).await;
    bad_keys(store.as_ref()).await;
    imports(store.as_ref()).await;
}

/// The first write is version 1; each later write names the version it replaces, so a second
/// writer of the same version gets false and changes nothing; a delete names the version too.
async fn versions(store: &dyn DocumentStore) {
    assert_eq!(store.document("report", "r1").await.unwrap(), None);
    let first = doc("report", "r1", "m001", 1, json!({"title": "第一季度思想汇报"}));
    assert!(
        !store.put_document(&doc("report", "r1", "m001", 2, json!({}))).await.unwrap(),
        "no version 1 yet"
    );
    assert_eq!(store.document("report", "r1").await.unwrap(), None, "nothing was written");

    assert!(store.put_document(&first).await.unwrap(), "the first write is version 1");
    assert_eq!(store.document("report", "r1").await.unwrap(), Some(first.clone()));
    let rival = doc("report", "r1", "m001", 1, json!({"title": "另一份"}));
    assert!(!store.put_document(&rival).await.unwrap(), "a second version 1 of the same id");
    assert_eq!(store.document("report", "r1").await.unwrap(), Some(first.clone()), "the first stands");

    let read = Document {
        version: 2,
        body: json!({"title": "第一季度思想汇报", "read_by": "m002"}),
        ..first.clone()
    };
    assert!(store.put_document(&read).await.unwrap(), "version 2 replaces version 1");
    assert_eq!(store.document("report", "r1").await.unwrap(), Some(read.clone()));
    let withdrawn = Document { version: 2, body: json!({"withdrawn": true}), ..first.clone() };
    assert!(!store.put_document(&withdrawn).await.unwrap(), "a second writer of version 2 is stale");
    assert!(!store.put_document(&Document { version: 4, ..withdrawn.clone() }).await.unwrap(), "no skipping");
    assert_eq!(
        store.document("report", "r1").await.unwrap(),
        Some(read.clone()),
        "the first writer's stands"
    );
    let third = Document { version: 3, at: t("2026-12-10T09:30:00+08:00"), ..withdrawn };
    assert!(store.put_document(&third).await.unwrap(), "version 3 after reading version 2");
    assert_eq!(store.document("report", "r1").await.unwrap(), Some(third.clone()));

    for stale in [1, 2, 4] {
        assert!(!store.delete_document("report", "r1", stale).await.unwrap(), "not version {stale}");
    }
    assert_eq!(store.document("report", "r1").await.unwrap(), Some(third), "a stale delete leaves it");
    assert!(!store.delete_document("talk", "r1", 3).await.unwrap(), "another kind, same id: nothing");
    assert!(!store.delete_document("report", "nothing", 1).await.unwrap());
    assert!(store.delete_document("report", "r1", 3).await.unwrap(), "the stored version deletes it");
    assert_eq!(store.document("report", "r1").await.unwrap(), None);
    assert!(!store.delete_document("report", "r1", 3).await.unwrap(), "deleted once");
    assert!(store.put_document(&first).await.unwrap(), "after a delete, version 1 starts again");
    assert!(store.delete_document("report", "r1", 1).await.unwrap());
}

/// By kind and by member, each by id (and by kind, then id, across kinds), never mixing kinds
/// (even one whose name starts with another's) or members.
async fn lists(store: &dyn DocumentStore) {
    for (kind, i, who) in [
        ("report", "r-c", "m001"),
        ("talk_request", "t-0", "m001"),
        ("report", "r-a", "m002"),
        ("talk", "t-2", "m001"),
        ("report", "r-d", "m001"),
        ("talk", "t-1", "m002"),
        ("report", "r-b", "m001"),
        ("talk", "t-3", "m001"),
    ] {
        assert!(store.put_document(&doc(kind, i, who, 1, json!({"n": i}))).await.unwrap());
    }
    let reports = store.documents("report").await.unwrap();
    assert_eq!(
        keys(&reports),
        vec![("report", "r-a"), ("report", "r-b"), ("report", "r-c"), ("report", "r-d")],
        "every report, by id"
    );
    assert_eq!(reports[0].body, json!({"n": "r-a"}));
    assert_eq!(
        keys(&store.documents("talk").await.unwrap()),
        vec![("talk", "t-1"), ("talk", "t-2"), ("talk", "t-3")]
    );
    assert_eq!(keys(&store.documents("talk_request").await.unwrap()), vec![("talk_request", "t-0")]);
    assert!(store.documents("milestone").await.unwrap().is_empty());

    let mine = store.documents_of_member("report", &id("m001")).await.unwrap();
    assert_eq!(keys(&mine), vec![("report", "r-b"), ("report", "r-c"), ("report", "r-d")]);
    assert!(mine.iter().all(|d| d.member_id == id("m001")));
    assert_eq!(
        keys(&store.documents_of_member("talk", &id("m001")).await.unwrap()),
        vec![("talk", "t-2"), ("talk", "t-3")],
        "not the talk request, whose kind starts with `talk`"
    );
    assert_eq!(
        keys(&store.documents_of_member("report", &id("m002")).await.unwrap()),
        vec![("report", "r-a")]
    );
    assert!(store.documents_of_member("talk_request", &id("m002")).await.unwrap().is_empty());
    assert!(store.documents_of_member("report", &id("m003")).await.unwrap().is_empty());

    assert_eq!(
        keys(&store.all_documents_of_member(&id("m001")).await.unwrap()),
        vec![
            ("report", "r-b"),
            ("report", "r-c"),
            ("report", "r-d"),
            ("talk", "t-2"),
            ("talk", "t-3"),
            ("talk_request", "t-0"),
        ],
        "every kind, by kind and id"
    );
    assert_eq!(
        keys(&store.all_documents_of_member(&id("m002")).await.unwrap()),
        vec![("report", "r-a"), ("talk", "t-1")]
    );
    assert!(store.all_documents_of_member(&id("m003")).await.unwrap().is_empty());
}

/// A body comes back equal to what was written: nesting, Chinese text, numbers of every sort,
/// empty objects and lists, nulls; and so do the blob keys and the time with its offset.
async fn bodies(store: &dyn DocumentStore) {
    let body = json!({
        "title": "关于学习党的二十大精神的思想汇报",
        "text": "一、提高政治站位。\n二、联系实际——\"知行合一\"。",
        "stage": "入党积极分子",
        "numbers": {"int": 42, "negative": -7, "zero": 0, "float": 3.25, "big": 9_007_199_254_740_993_u64},
        "nested": {"a": {"b": {"c": [1, {"d": "深"}, [], {}]}}},
        "empty": {},
        "none": null,
        "flags": [true, false],
        "milestones": [{"on": "2026-03-01", "what": "递交入党申请书"}],
    });
    let mut written = doc("milestone", "m001:application", "m001", 1, body);
    written.blob_keys = vec!["files/m001/application-1.jpg".into(), "files/m001/application-2.jpg".into()];
    written.at = t("2026-03-01T09:15:30-05:00");
    assert!(store.put_document(&written).await.unwrap());
    let read = store.document("milestone", "m001:application").await.unwrap().unwrap();
    assert_eq!(read, written);
    assert_eq!(read.body["numbers"]["big"].as_u64(), Some(9_007_199_254_740_993));
    assert_eq!(read.at.offset().local_minus_utc(), -5 * 3600, "the offset is kept");
    assert_eq!(store.documents_of_member("milestone", &id("m001")).await.unwrap(), vec![written.clone()]);
    // A plain string or number is a body too.
    let plain = doc("milestone", "m001:plain", "m001", 1, json!("只是一段话"));
    assert!(store.put_document(&plain).await.unwrap());
    assert_eq!(store.document("milestone", "m001:plain").await.unwrap(), Some(plain));
}

/// A kind or an id outside its pattern, or a version 0, is an error, and nothing is written.
async fn bad_keys(store: &dyn DocumentStore) {
    let long_kind = "k".repeat(33);
    let long_id = "9".repeat(129);
    for (kind, i) in [
        ("", "x"),
        ("Report", "x"),
        ("re-port", "x"),
        ("re#port", "x"),
        ("思想汇报", "x"),
        (long_kind.as_str(), "x"),
        ("report", ""),
        ("report", "a#b"),
        ("report", "a b"),
        ("report", "a/b"),
        ("report", "汇报"),
        ("report", long_id.as_str()),
    ] {
        let bad = doc(kind, i, "m001", 1, json!({}));
        assert!(store.put_document(&bad).await.is_err(), "put {kind:?} {i:?}");
        assert!(store.import_document(&bad).await.is_err(), "import {kind:?} {i:?}");
    }
    let zero = doc("report", "zero", "m001", 0, json!({}));
    assert!(store.put_document(&zero).await.is_err(), "a version 0");
    assert!(store.import_document(&zero).await.is_err(), "a version 0");
    assert_eq!(store.document("report", "zero").await.unwrap(), None);
    assert_eq!(store.documents("report").await.unwrap().len(), 4, "only the four reports of `lists`");
    // The widest keys the patterns allow.
    let (kind, i) = ("k".repeat(32), format!("Az09_:.-{}", "9".repeat(120)));
    let widest = doc(&kind, &i, "m001", 1, json!({}));
    assert!(store.put_document(&widest).await.unwrap());
    assert_eq!(store.document(&kind, &i).await.unwrap(), Some(widest));
}

/// An import writes a document as it is, version included, only where there is none.
async fn imports(store: &dyn DocumentStore) {
    let imported = doc("talk", "t-9", "m002", 5, json!({"topic": "谈心谈话", "notes": ["按时交党费"]}));
    assert!(store.import_document(&imported).await.unwrap(), "a missing document is imported at version 5");
    assert_eq!(store.document("talk", "t-9").await.unwrap(), Some(imported.clone()));
    let other = doc("talk", "t-9", "m002", 1, json!({"topic": "另一次"}));
    assert!(!store.import_document(&other).await.unwrap(), "never over an existing one");
    assert!(!store.import_document(&Document { version: 7, ..other.clone() }).await.unwrap());
    assert!(!store.put_document(&other).await.unwrap(), "nor a version 1 over it");
    assert_eq!(store.document("talk", "t-9").await.unwrap(), Some(imported.clone()));
    let next = Document { version: 6, body: json!({"topic": "谈心谈话", "done": true}), ..imported };
    assert!(store.put_document(&next).await.unwrap(), "writes go on from the imported version");
    assert_eq!(store.document("talk", "t-9").await.unwrap(), Some(next));
    assert_eq!(
        keys(&store.documents_of_member("talk", &id("m002")).await.unwrap()),
        vec![("talk", "t-1"), ("talk", "t-9")],
        "imported documents are listed like the others"
    );
}
