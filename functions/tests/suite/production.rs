//! The production path end to end: the same router over the DynamoDB store (moto's server) and
//! S3 blobs (s3s-fs, which checks signatures) — log in, sign in once under concurrent repeats,
//! post and review a note, upload and replace a photo and fetch it through its signed URL.

#![cfg(feature = "aws")]
#![allow(clippy::unwrap_used)]

use crate::common;
use crate::servers;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::json;
use zhibu_functions::blobs::s3::S3Blobs;
use zhibu_functions::store::dynamo::DynamoStore;

async fn harness() -> Option<Harness> {
    let dynamodb = servers::dynamodb().await?;
    let s3 = servers::s3s_fs().await?;
    let store = DynamoStore::new(&dynamodb, &servers::unique("api"));
    store.ensure_table().await.unwrap();
    let blobs = S3Blobs::new(&s3, &servers::unique("photos"), "photos");
    blobs.ensure_bucket().await.unwrap();
    Some(Harness::on(Arc::new(store), Arc::new(blobs)).await)
}

async fn get_status(h: &Harness, url: &str) -> StatusCode {
    let request = Request::get(url).body(Body::empty()).unwrap();
    tower::ServiceExt::oneshot(h.app.clone(), request).await.unwrap().status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_use_the_api_on_dynamodb_and_s3() {
    let Some(h) = harness().await else { return };

    // Sessions: a wrong code is 401, five of them lock the id.
    for _ in 0..5 {
        let (status, _) = h
            .call("POST", "/api/session", None, Some(json!({"member_id": "m002", "code": "WRONG23456"})))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) =
        h.call("POST", "/api/session", None, Some(json!({"member_id": "m002", "code": OTHER_CODE}))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let token = h.member_token().await;

    // Sign-in: ten concurrent repeats, one record.
    let body = json!({"event": "2026-12-online-study", "consent_location": false, "location": null});
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (app, token, body) = (h.app.clone(), token.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let request = Request::post("/api/signins")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap();
            tower::ServiceExt::oneshot(app, request).await.unwrap().status()
        }));
    }
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created, 1);
    let (_, mine) = h.call("GET", "/api/signins", Some(&token), None).await;
    assert_eq!(mine["signins"].as_array().unwrap().len(), 1);

    // A note waits for review, then shows on its page.
    let (status, posted) = h
        .call(
            "POST",
            "/api/notes",
            Some(&token),
            Some(json!({"page": "/theory/constitution/", "body": "学习党章，体会党员的权利和义务。"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{posted}");
    let id = posted["note"]["id"].as_str().unwrap();
    let admin = h.admin_token().await;
    let (_, queue) = h.call("GET", "/api/notes?status=pending", Some(&admin), None).await;
    assert_eq!(queue["notes"][0]["id"], id);
    let (status, _) = h
        .call("POST", &format!("/api/notes/{id}/review"), Some(&admin), Some(json!({"decision": "approve"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = h.call("GET", "/api/notes?page=/theory/constitution/", Some(&token), None).await;
    assert_eq!(page["notes"][0]["id"], id);

    // A photo: stored, served through its signed URL, replaced atomically.
    let (status, first) = h.upload(&token, "constitution-100", "2", &png(800, 600), "a.png").await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let first_url = first["copy"]["url"].as_str().unwrap().to_string();
    assert_eq!(get_status(&h, &first_url).await, StatusCode::OK);
    let (status, second) = h.upload(&token, "constitution-100", "2", &png(600, 800), "b.png").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(get_status(&h, second["copy"]["url"].as_str().unwrap()).await, StatusCode::OK);
    assert_eq!(get_status(&h, &first_url).await, StatusCode::NOT_FOUND, "the replaced photo is gone");
    assert_eq!(h.state.blobs.keys().await.unwrap().len(), 2, "one photo and its thumbnail");
    let (_, progress) = h.call("GET", "/api/copies?campaign=constitution-100", Some(&token), None).await;
    assert_eq!(progress["days_done"], 1);
}
