//! The store contract: one generic suite that every `Store` adapter must pass, run against
//! SQLite and against DynamoDB (moto's server, started by `tests/run.sh`).

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset};
use zhibu_functions::domain::{MemberId, NoteStatus, Role, StoredLocation};
use zhibu_functions::store::sqlite::SqliteStore;
use zhibu_functions::store::{
    AuditEntry, Copy, Idempotent, Inserted, KeptAnswer, LockScope, LoginAttempt, LoginGate, LoginLimits,
    LoginOutcome, Member, Note, QuizAnswers, QuizReveal, Quota, Signin, Store,
};

#[cfg(feature = "aws")]
mod servers;

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn id(s: &str) -> MemberId {
    MemberId::parse(s).unwrap()
}

fn member(i: &str, name: &str) -> Member {
    Member {
        id: id(i),
        name: name.into(),
        role: Role::Member,
        profile: [("class".to_string(), "2022级".to_string())].into(),
    }
}

fn note(n: &str, page: &str, who: &str, at: &str) -> Note {
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

fn copy(who: &str, day: u32, key: &str) -> Copy {
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

fn attempt(who: &str, address: &str, at: DateTime<FixedOffset>) -> LoginAttempt {
    LoginAttempt {
        member_id: id(who),
        address: address.into(),
        at,
        nonce: uuid::Uuid::new_v4().simple().to_string(),
    }
}

async fn try_login(
    store: &dyn Store,
    limits: &LoginLimits,
    who: &str,
    address: &str,
    at: DateTime<FixedOffset>,
) -> LoginGate {
    store.begin_login(&attempt(who, address, at), limits).await.unwrap()
}

/// Login attempts: recorded before the check, counted per id from an address, per address and
/// per id; a success forgets only its own address's failures; refused attempts leave nothing.
async fn logins_are_throttled(store: &dyn Store) {
    let limits = LoginLimits { window_seconds: 900, per_id_and_address: 3, per_address: 5, per_id: 4 };
    let t0 = t("2026-12-09T10:00:00+08:00");
    for minute in 0..3 {
        let gate = try_login(store, &limits, "m001", "198.51.100.7", t0 + Duration::minutes(minute)).await;
        assert_eq!(gate, LoginGate::Proceed);
    }
    let locked = try_login(store, &limits, "m001", "198.51.100.7", t0 + Duration::minutes(5)).await;
    assert_eq!(
        locked,
        LoginGate::Locked { retry_after_secs: 10 * 60, scope: LockScope::IdFromAddress },
        "the oldest counted failure leaves the window 10 minutes later"
    );
    // The same id from elsewhere still gets its check; a success there forgets only that address.
    let elsewhere = attempt("m001", "203.0.113.20", t0 + Duration::minutes(6));
    assert_eq!(store.begin_login(&elsewhere, &limits).await.unwrap(), LoginGate::Proceed);
    store.end_login(&elsewhere, LoginOutcome::Succeeded).await.unwrap();
    let again = try_login(store, &limits, "m001", "198.51.100.7", t0 + Duration::minutes(7)).await;
    assert!(matches!(again, LoginGate::Locked { .. }), "the attacker's failures still count");
    // An attempt never checked takes only itself back.
    let unchecked = attempt("m001", "203.0.113.20", t0 + Duration::minutes(8));
    assert_eq!(store.begin_login(&unchecked, &limits).await.unwrap(), LoginGate::Proceed);
    store.end_login(&unchecked, LoginOutcome::NotChecked).await.unwrap();
    // Failures from many addresses lock the id itself at its higher threshold (3 + 1 = 4).
    let from_third = attempt("m001", "192.0.2.30", t0 + Duration::minutes(9));
    assert_eq!(store.begin_login(&from_third, &limits).await.unwrap(), LoginGate::Proceed);
    let id_locked = try_login(store, &limits, "m001", "192.0.2.31", t0 + Duration::minutes(9)).await;
    assert!(matches!(id_locked, LoginGate::Locked { scope: LockScope::Id, .. }));
    // One address trying many ids is stopped too (5 failures whatever the id).
    for (n, who) in ["m011", "m012", "m013", "m014", "m015"].into_iter().enumerate() {
        let at = t0 + Duration::minutes(n as i64);
        assert_eq!(try_login(store, &limits, who, "192.0.2.99", at).await, LoginGate::Proceed);
    }
    let spray = try_login(store, &limits, "m016", "192.0.2.99", t0 + Duration::minutes(6)).await;
    assert!(matches!(spray, LoginGate::Locked { scope: LockScope::Address, .. }));
    // The window slides: 15 minutes after the first failures, m001 may try again from there.
    let later = try_login(store, &limits, "m001", "198.51.100.7", t0 + Duration::minutes(25)).await;
    assert_eq!(later, LoginGate::Proceed);
    // A new code forgets every failure.
    for minute in 0..3 {
        let at = t0 + Duration::minutes(26 + minute);
        store.begin_login(&attempt("m002", "198.51.100.7", at), &limits).await.unwrap();
    }
    store.clear_login_failures(&id("m002")).await.unwrap();
    let cleared = try_login(store, &limits, "m002", "198.51.100.7", t0 + Duration::minutes(30)).await;
    assert_eq!(cleared, LoginGate::Proceed);
}

/// A member's session generation changes when their sessions end, their code or role changes,
/// and never otherwise; a re-imported member does not get their old generation back.
async fn sessions_end_on_demand(store: &dyn Store) {
    let generation =
        |who: &'static str| async move { store.member(&id(who)).await.unwrap().unwrap().session_gen };
    let first = generation("m002").await;
    assert_ne!(first, 0, "a new member gets a random generation");
    assert!(store.end_sessions(&id("m002")).await.unwrap());
    let second = generation("m002").await;
    assert_ne!(second, first);
    assert!(!store.end_sessions(&id("m404")).await.unwrap());
    store.upsert_member(&member("m002", "李四新"), "ignored").await.unwrap();
    assert_eq!(generation("m002").await, second, "a new name keeps the sessions");
    let admin = Member { role: Role::Admin, ..member("m002", "李四新") };
    store.upsert_member(&admin, "ignored").await.unwrap();
    let third = generation("m002").await;
    assert_ne!(third, second, "a new role ends them");
    store.upsert_member(&member("m002", "李四新"), "ignored").await.unwrap();
    assert_ne!(generation("m002").await, third, "and so does losing it");
    let before_code = generation("m002").await;
    assert!(store.set_code_hash(&id("m002"), "hash-2").await.unwrap());
    assert_ne!(generation("m002").await, before_code, "a new code ends them");
    store.upsert_member(&member("m099", "临时"), "h").await.unwrap();
    let removed = generation("m099").await;
    assert!(store.remove_member(&id("m099")).await.unwrap());
    store.upsert_member(&member("m099", "临时"), "h").await.unwrap();
    assert_ne!(generation("m099").await, removed, "re-importing does not revive old sessions");
    assert!(store.remove_member(&id("m099")).await.unwrap());
}

/// A quota admits exactly its limit per window, even for parallel requests.
async fn quotas_hold_under_concurrency(store: Arc<dyn Store>) {
    let quota = Quota { kind: "notes", window_seconds: 3600, limit: 3 };
    let at = t("2026-12-09T10:10:00+08:00");
    let tries = (0..12).map(|_| {
        let store = store.clone();
        let quota = quota.clone();
        tokio::spawn(async move { store.take_quota(&id("m001"), &quota, at).await.unwrap() })
    });
    let mut taken = 0;
    for t in tries {
        taken += usize::from(t.await.unwrap());
    }
    assert_eq!(taken, 3, "exactly the limit is admitted");
    assert!(store.take_quota(&id("m002"), &quota, at).await.unwrap(), "quotas are per member");
    let next_window = t("2026-12-09T11:00:00+08:00");
    assert!(store.take_quota(&id("m001"), &quota, next_window).await.unwrap(), "a new window starts afresh");
}

/// Parallel attempts cannot all pass the throttle: of many at once, at most the limit get a check.
async fn parallel_logins_respect_the_limit(store: Arc<dyn Store>) {
    let at = t("2026-12-09T12:00:00+08:00");
    let tries = (0..30).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            store.begin_login(&attempt("m777", "198.51.100.77", at), &LoginLimits::DEFAULT).await.unwrap()
        })
    });
    let mut passed = 0;
    for t in tries {
        passed += usize::from(t.await.unwrap() == LoginGate::Proceed);
    }
    assert!(passed <= 5, "{passed} of 30 parallel attempts got a check");
}

/// The suite: every rule of the `Store` trait's documentation, against any adapter.
async fn conforms(store: Arc<dyn Store>) {
    // Members: created with a code, updated without touching it, listed in roster order.
    assert!(store.upsert_member(&member("m002", "李四"), "hash-2").await.unwrap());
    assert!(store.upsert_member(&member("m001", "张三"), "hash-1").await.unwrap());
    assert!(!store.upsert_member(&member("m002", "李四新"), "other-hash").await.unwrap());
    let m2 = store.member(&id("m002")).await.unwrap().unwrap();
    assert_eq!(
        (m2.member.name.as_str(), m2.code_hash.as_str()),
        ("李四新", "hash-2"),
        "a re-import never resets a code"
    );
    assert_eq!(m2.member.profile["class"], "2022级");
    assert!(store.member(&id("m404")).await.unwrap().is_none());
    let order: Vec<String> = store.members().await.unwrap().iter().map(|m| m.member.id.to_string()).collect();
    assert_eq!(order, vec!["m002", "m001"], "roster order is import order");

    logins_are_throttled(store.as_ref()).await;
    parallel_logins_respect_the_limit(store.clone()).await;
    sessions_end_on_demand(store.as_ref()).await;
    quotas_hold_under_concurrency(store.clone()).await;

    // Sign-ins: once per member per event, even under concurrent repeats.
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
    let mut tasks = Vec::new();
    for n in 0..20 {
        let (store, mut s) = (store.clone(), signin.clone());
        s.at += Duration::seconds(n);
        tasks.push(tokio::spawn(async move { store.insert_signin(&s).await.unwrap() }));
    }
    let mut new = 0;
    for task in tasks {
        match task.await.unwrap() {
            Inserted::New(_) => new += 1,
            Inserted::Existing(s) => assert_eq!(s.member_id, id("m001")),
        }
    }
    assert_eq!(new, 1);
    let other = Signin { member_id: id("m002"), location: None, ..signin.clone() };
    assert_eq!(store.insert_signin(&other).await.unwrap(), Inserted::New(other.clone()));
    assert_eq!(store.signins_of_event("e-1").await.unwrap().len(), 2);
    assert_eq!(store.signins_of_member(&id("m002")).await.unwrap(), vec![other]);
    assert!(store.signins_of_event("e-2").await.unwrap().is_empty());

    // Retention: locations older than the cutoff go, the attendance stays.
    let later = Signin { event: "e-3".into(), at: t("2027-06-01T09:00:00+08:00"), ..signin.clone() };
    store.insert_signin(&later).await.unwrap();
    assert_eq!(store.purge_locations_before(t("2026-12-01T00:00:00+08:00")).await.unwrap(), 0);
    // 2027-01-01 in UTC+8 is 2026-12-31T16:00Z: instants are compared, not strings.
    assert_eq!(store.purge_locations_before(t("2026-12-31T16:00:00Z")).await.unwrap(), 1);
    assert_eq!(store.purge_locations_before(t("2026-12-31T16:00:00Z")).await.unwrap(), 0, "purging twice");
    let e1 = store.signins_of_event("e-1").await.unwrap();
    assert_eq!(e1.len(), 2, "attendance is kept");
    assert!(e1.iter().all(|s| s.location.is_none()), "{e1:?}");
    assert!(store.signins_of_event("e-3").await.unwrap()[0].location.is_some(), "recent locations stay");

    // Notes: by page and status newest first, by member, a queue oldest first, reviews.
    store.insert_note(&note("n1", "/a/", "m001", "2026-12-01T08:00:00+08:00")).await.unwrap();
    store.insert_note(&note("n2", "/a/", "m002", "2026-12-02T08:00:00+08:00")).await.unwrap();
    store.insert_note(&note("n3", "/b/", "m001", "2026-12-03T08:00:00+08:00")).await.unwrap();
    let queue: Vec<String> =
        store.notes_with_status(NoteStatus::Pending).await.unwrap().into_iter().map(|n| n.id).collect();
    assert_eq!(queue, vec!["n1", "n2", "n3"]);
    for n in ["n1", "n2"] {
        let reviewed = store
            .review_note(n, NoteStatus::Approved, None, &id("m002"), t("2026-12-04T08:00:00+08:00"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(reviewed.status, NoteStatus::Approved);
        assert_eq!(reviewed.reviewed_by, Some(id("m002")));
    }
    let page: Vec<String> =
        store.notes_of_page("/a/", NoteStatus::Approved).await.unwrap().into_iter().map(|n| n.id).collect();
    assert_eq!(page, vec!["n2", "n1"]);
    let rejected = store
        .review_note("n3", NoteStatus::Rejected, Some("请补充"), &id("m002"), t("2026-12-04T09:00:00+08:00"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rejected.review_reason.as_deref(), Some("请补充"));
    let mine: Vec<String> =
        store.notes_of_member(&id("m001")).await.unwrap().into_iter().map(|n| n.id).collect();
    assert_eq!(mine, vec!["n3", "n1"]);
    assert!(
        store
            .review_note("n404", NoteStatus::Approved, None, &id("m002"), t("2026-12-04T09:00:00+08:00"))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.note("n1").await.unwrap().unwrap().body, "心得 n1");

    // Copies: one per member, campaign and day; a replacement returns what it replaced.
    assert_eq!(store.put_copy(&copy("m001", 1, "a")).await.unwrap(), None);
    let replaced = store.put_copy(&copy("m001", 1, "b")).await.unwrap().unwrap();
    assert_eq!(replaced.photo_key, "copies/a.jpg");
    store.put_copy(&copy("m001", 2, "c")).await.unwrap();
    store.put_copy(&copy("m002", 1, "d")).await.unwrap();
    let days: Vec<u32> =
        store.copies_of(&id("m001"), "constitution-100").await.unwrap().iter().map(|c| c.day).collect();
    assert_eq!(days, vec![1, 2]);
    assert_eq!(store.copies_of_campaign("constitution-100").await.unwrap().len(), 3);
    let mut elsewhere = copy("m001", 5, "e");
    elsewhere.campaign = "another".into();
    store.put_copy(&elsewhere).await.unwrap();
    let all: Vec<(String, u32)> =
        store.copies_of_member(&id("m001")).await.unwrap().into_iter().map(|c| (c.campaign, c.day)).collect();
    assert_eq!(
        all,
        vec![("another".into(), 5), ("constitution-100".into(), 1), ("constitution-100".into(), 2)]
    );
    assert!(
        store.copy_by_key("copies/a.jpg").await.unwrap().is_none(),
        "the replaced photo is no longer referenced"
    );
    assert_eq!(store.copy_by_key("copies/b-thumb.jpg").await.unwrap().unwrap().day, 1);

    // Quiz answers: the first stands; every member's for the distribution; one reveal.
    let answers = |who: &str, a: Vec<u32>| QuizAnswers {
        quiz: "q-1".into(),
        member_id: id(who),
        answers: a,
        at: t("2026-12-05T10:00:00+08:00"),
    };
    assert_eq!(
        store.insert_quiz_answers(&answers("m001", vec![2, 1])).await.unwrap(),
        Inserted::New(answers("m001", vec![2, 1]))
    );
    assert_eq!(
        store.insert_quiz_answers(&answers("m001", vec![1, 1])).await.unwrap(),
        Inserted::Existing(answers("m001", vec![2, 1]))
    );
    store.insert_quiz_answers(&answers("m002", vec![3, 2])).await.unwrap();
    assert_eq!(store.quiz_answers_of(&id("m002"), "q-1").await.unwrap().unwrap().answers, vec![3, 2]);
    assert!(store.quiz_answers_of(&id("m002"), "q-2").await.unwrap().is_none());
    assert_eq!(store.quiz_answers("q-1").await.unwrap().len(), 2);
    assert!(store.quiz_reveal("q-1").await.unwrap().is_none());
    let reveal = QuizReveal { quiz: "q-1".into(), by: id("m002"), at: t("2026-12-06T10:00:00+08:00") };
    assert_eq!(store.reveal_quiz(&reveal).await.unwrap(), reveal);
    let again = QuizReveal { at: t("2026-12-07T10:00:00+08:00"), ..reveal.clone() };
    assert_eq!(store.reveal_quiz(&again).await.unwrap(), reveal, "the first reveal stands");

    assert_eq!(store.quiz_answers_of_member(&id("m001")).await.unwrap(), vec![answers("m001", vec![2, 1])]);

    // Idempotency keys: reserved once, answered, replayed; per member; forgotten after a day.
    let now = t("2026-12-09T20:00:00+08:00");
    let (m1, m2) = (id("m001"), id("m002"));
    assert_eq!(store.begin_idempotent(&m1, "k1", "fp", now).await.unwrap(), Idempotent::Fresh);
    assert_eq!(store.begin_idempotent(&m1, "k1", "fp", now).await.unwrap(), Idempotent::InProgress);
    assert_eq!(store.begin_idempotent(&m2, "k1", "fp", now).await.unwrap(), Idempotent::Fresh, "per member");
    let answer = KeptAnswer { status: 201, body: "{\"ok\":true}".into() };
    store.finish_idempotent(&m1, "k1", Some(&answer)).await.unwrap();
    let later = now + Duration::hours(2);
    assert_eq!(store.begin_idempotent(&m1, "k1", "fp", later).await.unwrap(), Idempotent::Replay(answer));
    assert_eq!(store.begin_idempotent(&m1, "k1", "other", later).await.unwrap(), Idempotent::Mismatch);
    // A reservation abandoned without an answer is taken over after the lease; a released
    // one at once.
    assert_eq!(
        store.begin_idempotent(&m2, "k1", "fp", now + Duration::seconds(30)).await.unwrap(),
        Idempotent::InProgress
    );
    assert_eq!(
        store.begin_idempotent(&m2, "k1", "fp", now + Duration::seconds(61)).await.unwrap(),
        Idempotent::Fresh
    );
    store.finish_idempotent(&m2, "k1", None).await.unwrap();
    assert_eq!(
        store.begin_idempotent(&m2, "k1", "fp", now + Duration::seconds(62)).await.unwrap(),
        Idempotent::Fresh
    );

    // The audit log: appended in order, read whole.
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
    let actions: Vec<String> = store.audit_log().await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, vec!["note.approve", "member.reset_code", "member.erase"]);

    // A new code; removal from the roster; erasure of every record, naming the photos to delete.
    assert!(store.set_code_hash(&id("m002"), "new-hash").await.unwrap());
    assert_eq!(store.member(&id("m002")).await.unwrap().unwrap().code_hash, "new-hash");
    assert!(!store.set_code_hash(&id("m404"), "x").await.unwrap());
    let mut photos = store.erase_member_records(&id("m001")).await.unwrap();
    photos.sort();
    assert_eq!(photos.len(), 6, "three copies, each a photo and a thumbnail: {photos:?}");
    assert!(store.signins_of_member(&id("m001")).await.unwrap().is_empty());
    assert!(store.notes_of_member(&id("m001")).await.unwrap().is_empty());
    assert!(store.copies_of_member(&id("m001")).await.unwrap().is_empty());
    assert!(store.quiz_answers_of_member(&id("m001")).await.unwrap().is_empty());
    assert!(store.copy_by_key(&photos[0]).await.unwrap().is_none());
    assert_eq!(store.signins_of_member(&id("m002")).await.unwrap().len(), 1, "others keep theirs");
    assert!(store.remove_member(&id("m001")).await.unwrap());
    assert!(!store.remove_member(&id("m001")).await.unwrap());
    assert!(store.member(&id("m001")).await.unwrap().is_none());
    assert_eq!(store.members().await.unwrap().len(), 1);
    assert_eq!(store.audit_log().await.unwrap().len(), 3, "erasing a member leaves the audit log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_store_conforms() {
    let dir = tempfile::tempdir().unwrap();
    conforms(Arc::new(SqliteStore::open(&dir.path().join("zhibu.sqlite")).unwrap())).await;
}

#[cfg(feature = "aws")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_store_conforms() {
    use zhibu_functions::store::dynamo::DynamoStore;
    let Some(config) = servers::dynamodb().await else { return };
    let store = DynamoStore::new(&config, &servers::unique("contract"));
    assert!(store.ensure_table().await.unwrap(), "the table is created");
    assert!(!store.ensure_table().await.unwrap(), "and found the second time");
    conforms(Arc::new(store)).await;
}

/// Every list follows DynamoDB's pages (here two items each) instead of stopping at the first.
#[cfg(feature = "aws")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_store_conforms_one_small_page_at_a_time() {
    use zhibu_functions::store::dynamo::DynamoStore;
    let Some(config) = servers::dynamodb().await else { return };
    let store = DynamoStore::new(&config, &servers::unique("paged")).with_page_size(2);
    store.ensure_table().await.unwrap();
    conforms(Arc::new(store)).await;
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
