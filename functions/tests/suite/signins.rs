//! Sign-ins: per event, within its window, location only with consent and kept coarse, once.

#![allow(clippy::unwrap_used)]

use crate::common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

const ON_SITE: &str = "2026-12-09-remembrance";
const ONLINE: &str = "2026-12-online-study";

fn at_the_venue() -> serde_json::Value {
    json!({"lat": 30.52123, "lon": 114.36234, "accuracy_m": 15.4})
}

#[tokio::test]
async fn a_sign_in_is_created_once_and_repeats_return_the_stored_record() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let body = json!({"event": ON_SITE, "consent_location": true, "location": at_the_venue()});
    let (status, first) = h.call("POST", "/api/signins", Some(&token), Some(body.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["signin"]["member_id"], "m001");
    assert_eq!(first["signin"]["at"], "2026-12-09T19:30:00+08:00");
    assert_eq!(
        first["signin"]["location"],
        json!({"lat": 30.52, "lon": 114.36, "accuracy_m": 15.0, "within_geofence": true})
    );
    h.clock.advance(chrono::Duration::minutes(5));
    let (status, again) = h.call("POST", "/api/signins", Some(&token), Some(body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, first, "the stored record, unchanged");
    let (_, mine) = h.call("GET", "/api/signins", Some(&token), None).await;
    assert_eq!(mine["signins"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn fifty_concurrent_duplicate_sign_ins_give_exactly_one_record() {
    let h = Arc::new(Harness::new().await);
    let token = h.member_token().await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (h, token) = (h.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            h.call(
                "POST",
                "/api/signins",
                Some(&token),
                Some(json!({"event": ONLINE, "consent_location": false})),
            )
            .await
            .0
        }));
    }
    let mut created = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created, 1);
    let signins = h.state.store.signins_of_event(ONLINE).await.unwrap();
    assert_eq!(signins.len(), 1);
}

#[tokio::test]
async fn outside_the_window_is_409_not_open_or_closed() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let body = json!({"event": ON_SITE, "consent_location": true, "location": at_the_venue()});
    h.clock.set("2026-12-09T06:59:59+08:00");
    let (status, b) = h.call("POST", "/api/signins", Some(&token), Some(body.clone())).await;
    assert_eq!((status, error_code(&b)), (StatusCode::CONFLICT, "not_open"));
    h.clock.set("2026-12-09T22:00:01+08:00");
    let (status, b) = h.call("POST", "/api/signins", Some(&token), Some(body)).await;
    assert_eq!((status, error_code(&b)), (StatusCode::CONFLICT, "closed"));
}

#[tokio::test]
async fn windows_are_in_the_branchs_zone_whatever_the_client_sends() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    // 23:30 UTC on the 8th is 07:30 on the 9th in Beijing: open.
    h.clock.set("2026-12-08T23:30:00+00:00");
    let (status, b) = h
        .call("POST", "/api/signins", Some(&token), Some(json!({"event": ONLINE, "consent_location": false})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
}

#[tokio::test]
async fn an_unknown_event_is_404() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, b) = h
        .call(
            "POST",
            "/api/signins",
            Some(&token),
            Some(json!({"event": "no-such-event", "consent_location": false})),
        )
        .await;
    assert_eq!((status, error_code(&b)), (StatusCode::NOT_FOUND, "not_found"));
}

#[tokio::test]
async fn a_location_without_consent_is_refused_and_nothing_is_stored() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, b) = h
        .call(
            "POST",
            "/api/signins",
            Some(&token),
            Some(json!({"event": ONLINE, "consent_location": false, "location": at_the_venue()})),
        )
        .await;
    assert_eq!((status, error_field(&b)), (StatusCode::UNPROCESSABLE_ENTITY, "location"));
    assert!(h.state.store.signins_of_event(ONLINE).await.unwrap().is_empty());
}

#[tokio::test]
async fn bad_coordinates_name_every_bad_field() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, b) = h
        .call(
            "POST",
            "/api/signins",
            Some(&token),
            Some(json!({"event": ONLINE, "consent_location": true, "location": {"lat": 120.0, "lon": 114.0, "accuracy_m": -3}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        b["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["location.lat", "location.accuracy_m"]);
}

#[tokio::test]
async fn outside_the_geofence_is_422_with_the_distance() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    // About 2 km north of the venue.
    let far = json!({"lat": 30.54, "lon": 114.36, "accuracy_m": 20});
    let (status, b) = h
        .call(
            "POST",
            "/api/signins",
            Some(&token),
            Some(json!({"event": ON_SITE, "consent_location": true, "location": far})),
        )
        .await;
    assert_eq!((status, error_field(&b)), (StatusCode::UNPROCESSABLE_ENTITY, "location"));
    assert!(b["error"]["message"].as_str().unwrap().contains("约 2.2 公里，不在签到范围"));
}

#[tokio::test]
async fn an_on_site_event_without_location_points_to_the_secretary() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, b) = h
        .call(
            "POST",
            "/api/signins",
            Some(&token),
            Some(json!({"event": ON_SITE, "consent_location": false})),
        )
        .await;
    assert_eq!((status, error_field(&b)), (StatusCode::UNPROCESSABLE_ENTITY, "location"));
    assert!(b["error"]["message"].as_str().unwrap().contains("支部书记"));
}

#[tokio::test]
async fn an_event_without_geofence_takes_sign_ins_without_location() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, b) = h
        .call(
            "POST",
            "/api/signins",
            Some(&token),
            Some(json!({"event": ONLINE, "consent_location": false, "location": null})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!(b["signin"]["location"], serde_json::Value::Null);
    let (status, b) = h
        .call(
            "POST",
            "/api/signins",
            Some(&h.login("m002", OTHER_CODE).await),
            Some(json!({"event": ONLINE, "consent_location": true, "location": at_the_venue()})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(b["signin"]["location"]["within_geofence"], serde_json::Value::Null);
}

#[tokio::test]
async fn members_see_only_their_own_sign_ins_and_admins_see_attendance() {
    let h = Harness::new().await;
    let member = h.member_token().await;
    let other = h.login("m002", OTHER_CODE).await;
    h.call("POST", "/api/signins", Some(&member), Some(json!({"event": ONLINE, "consent_location": false})))
        .await;
    let (_, theirs) = h.call("GET", "/api/signins", Some(&other), None).await;
    assert_eq!(theirs["signins"], json!([]));
    let path = format!("/api/events/{ONLINE}/signins");
    let (status, b) = h.call("GET", &path, Some(&member), None).await;
    assert_eq!((status, error_code(&b)), (StatusCode::FORBIDDEN, "forbidden"));
    let (status, b) = h.call("GET", &path, Some(&h.admin_token().await), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(b["signins"].as_array().unwrap().len(), 1);
    assert_eq!(b["absent"], json!(["m002", "a001"]));
    let (status, _) =
        h.call("GET", "/api/events/no-such-event/signins", Some(&h.admin_token().await), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
