//! Notes: by page and status, by member, the moderation queue, reviews.

use std::sync::Arc;

use zhibu_functions::domain::NoteStatus;
use zhibu_functions::store::NoteStore;

use crate::store_contract::{id, note, t};

against_every_adapter!();

/// By page and status newest first, by member, a queue oldest first, reviews.
async fn conforms(store: Arc<dyn NoteStore>) {
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
}
