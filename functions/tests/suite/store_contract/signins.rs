//! Sign-ins: once per member per event, and the retention of their locations.

use std::sync::Arc;

use chrono::Duration;
use zhibu_functions::domain::StoredLocation;
use zhibu_functions::store::{Inserted, Signin, SigninStore};

use crate::store_contract::{id, t};

against_every_adapter!();

/// Once per member per event, even under concurrent repeats; by event and by member; locations
/// older than the cutoff go while the attendance stays.
async fn conforms(store: Arc<dyn SigninStore>) {
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
}
