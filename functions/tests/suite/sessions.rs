//! Sessions: codes, tokens, the login lock, and that nothing answers without a token.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::json;
use zhibu_functions::clock::Clock as _;
use zhibu_functions::domain::Role;

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
            sgen: 0,
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

fn login_from(address: &str, id: &str, code: &str) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri("/api/session")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-test-client", address)
        .body(Body::from(json!({"member_id": id, "code": code}).to_string()))
        .unwrap()
}

#[tokio::test]
async fn logging_out_ends_the_session_on_every_device() {
    let h = Harness::new().await;
    let phone = h.member_token().await;
    h.clock.advance(chrono::Duration::seconds(1));
    let laptop = h.member_token().await;
    let (status, body) = h.call("POST", "/api/session/logout", Some(&phone), None).await;
    assert_eq!((status, &body), (StatusCode::OK, &json!({"ended": true})));
    for token in [&phone, &laptop] {
        let (status, body) = h.call("GET", "/api/me", Some(token), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("失效"));
    }
    let fresh = h.member_token().await;
    assert_eq!(
        h.call("GET", "/api/me", Some(&fresh), None).await.0,
        StatusCode::OK,
        "logging in again works"
    );
}

#[tokio::test]
async fn a_new_code_ends_every_session_made_with_the_old_one() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let actor = zhibu_functions::admin::Actor("cli:test".into());
    let id = zhibu_functions::domain::MemberId::parse("m001").unwrap();
    zhibu_functions::admin::reset_code(h.state.store.as_ref(), &actor, &id, h.clock.now()).await.unwrap();
    assert_eq!(h.call("GET", "/api/me", Some(&token), None).await.0, StatusCode::UNAUTHORIZED);
    let note = json!({"page": "/theory/constitution/", "body": "旧的登录不能再提交任何心得内容"});
    assert_eq!(h.call("POST", "/api/notes", Some(&token), Some(note)).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_removed_and_reimported_member_does_not_get_old_sessions_back() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let id = zhibu_functions::domain::MemberId::parse("m001").unwrap();
    assert!(h.state.store.remove_member(&id).await.unwrap());
    h.state.store.upsert_member(&member("m001", "张三", Role::Member), "new-hash").await.unwrap();
    assert_eq!(h.call("GET", "/api/me", Some(&token), None).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_role_change_ends_sessions_and_admins_get_twelve_hours() {
    let h = Harness::new().await;
    let (status, body) =
        h.call("POST", "/api/session", None, Some(json!({"member_id": "a001", "code": ADMIN_CODE}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["expires_at"], "2026-12-10T07:30:00+08:00", "an admin session lasts 12 hours");
    let admin = body["token"].as_str().unwrap().to_string();
    h.state.store.upsert_member(&member("a001", "王书记", Role::Member), "").await.unwrap();
    assert_eq!(h.call("GET", "/api/me", Some(&admin), None).await.0, StatusCode::UNAUTHORIZED);
    let h = Harness::new().await;
    let admin = h.admin_token().await;
    h.clock.advance(chrono::Duration::hours(12));
    assert_eq!(h.call("GET", "/api/me", Some(&admin), None).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_admin_can_log_a_member_out_everywhere_and_members_cannot() {
    let h = Harness::new().await;
    let member = h.member_token().await;
    let other = h.login("m002", OTHER_CODE).await;
    let admin = h.admin_token().await;
    let (status, body) = h.call("POST", "/api/admin/members/m001/logout", Some(&other), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
    assert_eq!(h.call("GET", "/api/me", Some(&member), None).await.0, StatusCode::OK);
    let (status, _) = h.call("POST", "/api/admin/members/m001/logout", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h.call("GET", "/api/me", Some(&member), None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(h.call("GET", "/api/me", Some(&other), None).await.0, StatusCode::OK, "others stay in");
    let (status, body) = h.call("POST", "/api/admin/members/m404/logout", Some(&admin), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::NOT_FOUND, "not_found"));
    let log = h.state.store.audit_log().await.unwrap();
    assert!(log.iter().any(|e| e.action == "member.logout" && e.target == "m001" && e.actor == "a001"));
}

#[tokio::test]
async fn parallel_wrong_codes_cannot_pass_the_lockout() {
    let h = Harness::new().await;
    let attempts = (0..40).map(|_| {
        let app = h.app.clone();
        tokio::spawn(async move {
            let response = tower::ServiceExt::oneshot(app, login_from("198.51.100.9", "m001", "WRONG23456"));
            response.await.unwrap().status()
        })
    });
    let mut statuses = Vec::new();
    for a in attempts {
        statuses.push(a.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    assert!(checked <= 5, "{checked} of 40 parallel wrong codes were checked");
    assert!(
        statuses.iter().all(|s| [
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::SERVICE_UNAVAILABLE
        ]
        .contains(s)),
        "{statuses:?}"
    );
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS));
}

#[tokio::test]
async fn someone_guessing_elsewhere_cannot_lock_a_member_out() {
    let h = Harness::new().await;
    for _ in 0..5 {
        let (status, _, _) = h.send(login_from("198.51.100.9", "m001", "WRONG23456")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _, _) = h.send(login_from("198.51.100.9", "m001", MEMBER_CODE)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the guessing address is locked out");
    let (status, body, _) = h.send(login_from("203.0.113.5", "m001", MEMBER_CODE)).await;
    assert_eq!(status, StatusCode::OK, "the member, elsewhere, is not: {body}");
}

#[tokio::test]
async fn code_checks_are_bounded_and_a_full_queue_answers_busy() {
    let h = Harness::new().await;
    // Every slot taken (as by a flood of checks in progress): a login waits, then is told to retry.
    let _held = h.state.code_checks.clone().acquire_many_owned(2).await.unwrap();
    let (status, body, headers) = h.send(login_from("198.51.100.10", "m001", MEMBER_CODE)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::SERVICE_UNAVAILABLE, "busy"));
    assert!(headers.contains_key(header::RETRY_AFTER));
    drop(_held);
    // The refused attempt was never checked, so it does not count as a failure.
    for _ in 0..4 {
        h.send(login_from("198.51.100.10", "m001", "WRONG23456")).await;
    }
    let (status, _, _) = h.send(login_from("198.51.100.10", "m001", MEMBER_CODE)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_login_answer_is_never_kept_for_replay() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let request = || {
        Request::builder()
            .method("POST")
            .uri("/api/session")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header("idempotency-key", "login-key-1")
            .body(Body::from(json!({"member_id": "m001", "code": MEMBER_CODE}).to_string()))
            .unwrap()
    };
    let (first, _, _) = h.send(request()).await;
    let (second, _, headers) = h.send(request()).await;
    assert_eq!((first, second), (StatusCode::OK, StatusCode::OK));
    assert!(!headers.contains_key("idempotent-replayed"), "a fresh login, not a replayed token");
}
