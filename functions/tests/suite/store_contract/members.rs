//! Members and their sessions: the roster, codes, session generations and the login throttle.

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset};
use zhibu_functions::domain::Role;
use zhibu_functions::store::{
    LockScope, LoginAttempt, LoginGate, LoginLimits, LoginOutcome, Member, MemberStore,
};

use crate::store_contract::{id, member, t};

against_every_adapter!();

/// An attempt with a nonce of its own.
pub fn attempt(who: &str, address: &str, at: DateTime<FixedOffset>) -> LoginAttempt {
    LoginAttempt {
        member_id: id(who),
        address: address.into(),
        at,
        nonce: uuid::Uuid::new_v4().simple().to_string(),
    }
}

async fn try_login(
    store: &dyn MemberStore,
    limits: &LoginLimits,
    who: &str,
    address: &str,
    at: DateTime<FixedOffset>,
) -> LoginGate {
    store.begin_login(&attempt(who, address, at), limits).await.unwrap()
}

/// Login attempts: recorded before the check, counted per id from an address, per address and
/// per id; a success forgets only its own address's failures; refused attempts leave nothing.
async fn logins_are_throttled(store: &dyn MemberStore) {
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
async fn sessions_end_on_demand(store: &dyn MemberStore) {
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

/// Parallel attempts cannot all pass the throttle: of many at once, at most the limit get a check.
async fn parallel_logins_respect_the_limit(store: Arc<dyn MemberStore>) {
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

/// Created with a code, updated without touching it, listed in roster order; logins throttled;
/// sessions ended on demand; a new code.
async fn conforms(store: Arc<dyn MemberStore>) {
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

    // A new code.
    assert!(store.set_code_hash(&id("m002"), "new-hash").await.unwrap());
    assert_eq!(store.member(&id("m002")).await.unwrap().unwrap().code_hash, "new-hash");
    assert!(!store.set_code_hash(&id("m404"), "x").await.unwrap());
}
