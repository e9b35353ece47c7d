//! Sessions: codes, tokens, the login lock, and that nothing answers without a token.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::json;

/// m001's login with the right code, as a raw request (to read headers, or to send elsewhere).
fn right_code_request() -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri("/api/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"member_id": "m001", "code": MEMBER_CODE}).to_string()))
        .unwrap()
}

#[tokio::test]
async fn a_member_logs_in_with_id_and_code_and_gets_a_seven_day_token() {
    let h = Harness::new().await;
    let (status, body) =
        h.call("POST", "/api/session", None, Some(json!({"member_id": "m001", "code": "abcde-23456"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["member"], json!({"id": "m001", "name": "张三", "role": "member"}));
    assert_eq!(body["expires_at"], "2026-12-16T19:30:00+08:00");
    assert!(body["token"].as_str().unwrap().split('.').count() == 3);
}

#[tokio::test]
async fn wrong_id_and_wrong_code_get_the_same_answer() {
    let h = Harness::new().await;
    let (s1, b1) =
        h.call("POST", "/api/session", None, Some(json!({"member_id": "m001", "code": "WRONG23456"}))).await;
    let (s2, b2) =
        h.call("POST", "/api/session", None, Some(json!({"member_id": "nobody", "code": MEMBER_CODE}))).await;
    assert_eq!((s1, s2), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert_eq!(b1, b2);
    assert_eq!(error_code(&b1), "unauthorized");
}

#[tokio::test]
async fn five_failures_in_fifteen_minutes_lock_the_id() {
    let h = Harness::new().await;
    for _ in 0..5 {
        let (s, _) = h
            .call("POST", "/api/session", None, Some(json!({"member_id": "m001", "code": "WRONG23456"})))
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        h.clock.advance(chrono::Duration::minutes(1));
    }
    let req = right_code_request();
    let (status, body, headers) = h.send(req).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "even the right code is refused while locked");
    assert_eq!(error_code(&body), "rate_limited");
    let retry: u64 = headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert_eq!(retry, 10 * 60, "the oldest failure leaves the window 10 minutes from now");
    // Other members are not affected.
    h.login("m002", OTHER_CODE).await;
    h.clock.advance(chrono::Duration::minutes(11));
    h.login("m001", MEMBER_CODE).await;
}

#[tokio::test]
async fn the_lock_lives_in_the_store_and_holds_for_another_instance() {
    let h = Harness::new().await;
    for _ in 0..5 {
        h.call("POST", "/api/session", None, Some(json!({"member_id": "m001", "code": "WRONG23456"}))).await;
    }
    // A second router over the same database, as a second Lambda instance would be.
    let other = zhibu_functions::http::router(state_in(h.dir.path(), h.clock.clone()));
    let req = right_code_request();
    let response = tower::ServiceExt::oneshot(other, req).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn missing_fields_are_all_named() {
    let h = Harness::new().await;
    let (status, body) = h.call("POST", "/api/session", None, Some(json!({"member_id": "x"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["member_id", "code"]);
}

#[tokio::test]
async fn every_endpoint_but_the_session_needs_a_token() {
    let h = Harness::new().await;
    for (method, path) in [
        ("GET", "/api/me"),
        ("GET", "/api/signins"),
        ("POST", "/api/signins"),
        ("GET", "/api/events/2026-12-09-remembrance/signins"),
        ("POST", "/api/notes"),
        ("GET", "/api/notes?page=/theory/constitution/"),
        ("GET", "/api/notes/mine"),
        ("POST", "/api/notes/x/review"),
        ("GET", "/api/copies?campaign=constitution-100"),
        ("GET", "/api/campaigns/constitution-100/progress"),
    ] {
        let body = (method == "POST").then(|| json!({}));
        let (status, body) = h.call(method, path, None, body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}: {body}");
        assert_eq!(error_code(&body), "unauthorized");
    }
}

#[tokio::test]
async fn expired_forged_and_foreign_tokens_are_refused() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    assert_eq!(h.call("GET", "/api/me", Some(&token), None).await.0, StatusCode::OK);
    let forged = format!("{}x", &token[..token.len() - 1]);
    assert_eq!(h.call("GET", "/api/me", Some(&forged), None).await.0, StatusCode::UNAUTHORIZED);
    let foreign =
        zhibu_functions::auth::TokenKey::new(&[1u8; 32]).unwrap().sign(&zhibu_functions::auth::Claims {
            sub: zhibu_functions::domain::MemberId::parse("a001").unwrap(),
            role: zhibu_functions::domain::Role::Admin,
            iat: 0,
            exp: i64::MAX,
        });
    assert_eq!(h.call("GET", "/api/me", Some(&foreign), None).await.0, StatusCode::UNAUTHORIZED);
    h.clock.advance(chrono::Duration::days(7));
    let (status, body) = h.call("GET", "/api/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"]["message"].as_str().unwrap().contains("过期"));
}

#[tokio::test]
async fn me_shows_only_the_callers_own_summary() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, body) = h.call("GET", "/api/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["member"]["id"], "m001");
    assert_eq!(body["signins"], 0);
    assert_eq!(body["copies"]["constitution-100"], json!({"days_done": 0, "streak": 0}));
}
