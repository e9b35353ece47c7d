//! Copies: one per member, campaign and day, found again by their photo keys.

use std::sync::Arc;

use zhibu_functions::store::CopyStore;

use crate::store_contract::{copy, id};

against_every_adapter!();

/// One per member, campaign and day; a replacement returns what it replaced.
async fn conforms(store: Arc<dyn CopyStore>) {
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
}
