//! Restart the functions and everything submitted is still there.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_restart_keeps_members_sign_ins_notes_and_photos() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    h.call(
        "POST",
        "/api/signins",
        Some(&token),
        Some(json!({"event": "2026-12-online-study", "consent_location": false})),
    )
    .await;
    h.call(
        "POST",
        "/api/notes",
        Some(&token),
        Some(json!({"page": "/theory/constitution/", "body": "重启之后这条心得应该还在。"})),
    )
    .await;
    let (status, _) = h.upload(&token, "constitution-100", "1", &png(200, 100), "a.png").await;
    assert_eq!(status, StatusCode::CREATED);
    let dir = h.dir;
    let clock = h.clock;
    drop(h.app);
    drop(h.state);

    // A new process over the same data folder.
    let state = state_in(dir.path(), clock.clone());
    let restarted = Harness { app: zhibu_functions::http::router(state.clone()), state, clock, dir };
    let token = restarted.member_token().await;
    let (_, signins) = restarted.call("GET", "/api/signins", Some(&token), None).await;
    assert_eq!(signins["signins"].as_array().unwrap().len(), 1);
    let (_, notes) = restarted.call("GET", "/api/notes/mine", Some(&token), None).await;
    assert_eq!(notes["notes"][0]["body"], "重启之后这条心得应该还在。");
    let (_, copies) =
        restarted.call("GET", "/api/copies?campaign=constitution-100", Some(&token), None).await;
    assert_eq!(copies["days_done"], 1);
    assert_eq!(restarted.blob_count(), 2);
}
