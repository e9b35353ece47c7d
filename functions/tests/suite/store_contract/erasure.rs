//! Erasure: every record of one member, across the aggregates, naming the photos to delete;
//! then removal from the roster. Other members' records and the audit log stay.

use std::sync::Arc;

use chrono::Duration;
use zhibu_functions::domain::StoredLocation;
use zhibu_functions::store::{
    AuditEntry, Idempotent, KeptAnswer, LoginGate, LoginLimits, QuizAnswers, Quota, Signin, Store,
};

use crate::store_contract::documents::doc;
use crate::store_contract::members::attempt;
use crate::store_contract::{copy, id, member, note, t};

against_every_adapter!();

/// Two members with records of every kind, as the other modules make them.
async fn two_members_with_records(store: &dyn Store) {
    store.upsert_member(&member("m002", "李四"), "hash-2").await.unwrap();
    store.upsert_member(&member("m001", "张三"), "hash-1").await.unwrap();
    let signin = Signin {
        event: "e-1".into(),
        member_id: id("m001"),
        at: t("2026-12-09T19:00:00+08:00"),
        location: Some(StoredLocation {
            lat: 30.52,
            lon: 114.36,
            accuracy_m: 15.0,
            within_geofence: Some(true),
        }),
    };
    store.insert_signin(&signin).await.unwrap();
    store.insert_signin(&Signin { member_id: id("m002"), location: None, ..signin.clone() }).await.unwrap();
    store.insert_signin(&Signin { event: "e-3".into(), ..signin }).await.unwrap();
    store.insert_note(&note("n1", "/a/", "m001", "2026-12-01T08:00:00+08:00")).await.unwrap();
    store.insert_note(&note("n2", "/a/", "m002", "2026-12-02T08:00:00+08:00")).await.unwrap();
    store.insert_note(&note("n3", "/b/", "m001", "2026-12-03T08:00:00+08:00")).await.unwrap();
    // Three copies of m001 (the first photo of day 1 replaced), one of m002.
    store.put_copy(&copy("m001", 1, "a")).await.unwrap();
    store.put_copy(&copy("m001", 1, "b")).await.unwrap();
    store.put_copy(&copy("m001", 2, "c")).await.unwrap();
    store.put_copy(&copy("m002", 1, "d")).await.unwrap();
    let mut elsewhere = copy("m001", 5, "e");
    elsewhere.campaign = "another".into();
    store.put_copy(&elsewhere).await.unwrap();
    for (who, answers) in [("m001", vec![2, 1]), ("m002", vec![3, 2])] {
        let answers = QuizAnswers {
            quiz: "q-1".into(),
            member_id: id(who),
            answers,
            at: t("2026-12-05T10:00:00+08:00"),
        };
        store.insert_quiz_answers(&answers).await.unwrap();
    }
    // Documents of three kinds for m001 (one written twice), photos in two of them; one of m002's.
    for (kind, i, who, photos) in [
        ("report", "r-1", "m001", vec!["files/m001/r-1.jpg", "files/m001/r-1-2.jpg"]),
        ("talk", "t-1", "m001", vec![]),
        ("milestone", "m001:application", "m001", vec!["files/m001/application.jpg"]),
        ("report", "r-2", "m002", vec!["files/m002/r-2.jpg"]),
    ] {
        let mut d = doc(kind, i, who, 1, serde_json::json!({"title": "思想汇报"}));
        d.blob_keys = photos.into_iter().map(str::to_string).collect();
        assert!(store.put_document(&d).await.unwrap());
    }
    let second = doc("talk", "t-1", "m001", 2, serde_json::json!({"read": true}));
    assert!(store.put_document(&second).await.unwrap());
    for (n, action) in ["note.approve", "member.reset_code", "member.erase"].iter().enumerate() {
        let entry = AuditEntry {
            at: t("2026-12-10T09:00:00+08:00"),
            actor: "a001".into(),
            action: action.to_string(),
            target: format!("t{n}"),
            detail: String::new(),
        };
        store.append_audit(&entry).await.unwrap();
    }
}

/// Every record of a member goes, naming their photos; the roster entry goes with removal.
async fn conforms(store: Arc<dyn Store>) {
    two_members_with_records(store.as_ref()).await;
    // What m001 left behind besides: failed logins, a used quota, a kept answer.
    let limits = LoginLimits { window_seconds: 900, per_id_and_address: 3, per_address: 5, per_id: 4 };
    let t0 = t("2026-12-09T10:00:00+08:00");
    for minute in 0..3 {
        let failure = attempt("m001", "198.51.100.7", t0 + Duration::minutes(minute));
        assert_eq!(store.begin_login(&failure, &limits).await.unwrap(), LoginGate::Proceed);
    }
    let quota = Quota { kind: "notes", window_seconds: 3600, limit: 1 };
    assert!(store.take_quota(&id("m001"), &quota, t0).await.unwrap());
    assert_eq!(store.begin_idempotent(&id("m001"), "k1", "fp", t0).await.unwrap(), Idempotent::Fresh);
    let answer = KeptAnswer { status: 201, body: "{}".into() };
    store.finish_idempotent(&id("m001"), "k1", Some(&answer)).await.unwrap();

    let mut photos = store.erase_member_records(&id("m001")).await.unwrap();
    photos.sort();
    assert_eq!(
        photos.len(),
        9,
        "three copies, each a photo and a thumbnail, three documents' photos: {photos:?}"
    );
    for key in ["files/m001/application.jpg", "files/m001/r-1-2.jpg", "files/m001/r-1.jpg"] {
        assert!(photos.contains(&key.to_string()), "{key} in {photos:?}");
    }
    assert!(!photos.iter().any(|k| k.contains("m002")), "not another member's: {photos:?}");
    assert!(store.all_documents_of_member(&id("m001")).await.unwrap().is_empty());
    assert!(store.document("report", "r-1").await.unwrap().is_none());
    assert!(store.document("talk", "t-1").await.unwrap().is_none());
    assert_eq!(store.documents("talk").await.unwrap(), vec![], "gone from the lists by kind too");
    let kept = store.all_documents_of_member(&id("m002")).await.unwrap();
    assert_eq!(kept.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), vec!["r-2"], "others keep theirs");
    assert_eq!(store.documents("report").await.unwrap(), kept);
    assert!(store.signins_of_member(&id("m001")).await.unwrap().is_empty());
    assert!(store.notes_of_member(&id("m001")).await.unwrap().is_empty());
    assert!(store.copies_of_member(&id("m001")).await.unwrap().is_empty());
    assert!(store.quiz_answers_of_member(&id("m001")).await.unwrap().is_empty());
    for key in photos.iter().filter(|k| k.starts_with("copies/")) {
        assert!(store.copy_by_key(key).await.unwrap().is_none(), "{key}");
    }
    assert_eq!(store.signins_of_member(&id("m002")).await.unwrap().len(), 1, "others keep theirs");
    assert_eq!(store.copies_of_member(&id("m002")).await.unwrap().len(), 1, "others keep theirs");
    // The failed logins, the quota and the kept answer are gone too.
    let after = attempt("m001", "198.51.100.7", t0 + Duration::minutes(4));
    assert_eq!(store.begin_login(&after, &limits).await.unwrap(), LoginGate::Proceed);
    assert!(store.take_quota(&id("m001"), &quota, t0).await.unwrap());
    assert_eq!(store.begin_idempotent(&id("m001"), "k1", "other", t0).await.unwrap(), Idempotent::Fresh);

    assert!(store.remove_member(&id("m001")).await.unwrap());
    assert!(!store.remove_member(&id("m001")).await.unwrap());
    assert!(store.member(&id("m001")).await.unwrap().is_none());
    assert_eq!(store.members().await.unwrap().len(), 1);
    assert_eq!(store.audit_log().await.unwrap().len(), 3, "erasing a member leaves the audit log");
}
