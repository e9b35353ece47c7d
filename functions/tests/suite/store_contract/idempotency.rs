//! Idempotency keys: reserved once, answered, replayed.

use std::sync::Arc;

use chrono::Duration;
use zhibu_functions::store::{IdempotencyStore, Idempotent, KeptAnswer};

use crate::store_contract::{id, t};

against_every_adapter!();

/// Reserved once, answered, replayed; per member; forgotten after a day.
async fn conforms(store: Arc<dyn IdempotencyStore>) {
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
}
