//! Quotas: a member's submissions counted per fixed window.

use std::sync::Arc;

use zhibu_functions::store::{Quota, QuotaStore};

use crate::store_contract::{id, t};

against_every_adapter!();

/// A quota admits exactly its limit per window, even for parallel requests.
async fn conforms(store: Arc<dyn QuotaStore>) {
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
