//! Bad requests get a clear 4xx with the contract's JSON body, never a 5xx.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_body_without_json_content_type_is_415() {
    let h = Harness::new().await;
    let req = Request::builder()
        .method("POST")
        .uri("/api/session")
        .body(Body::from(json!({"member_id": "m001", "code": MEMBER_CODE}).to_string()))
        .unwrap();
    let (status, body, _) = h.send(req).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error_code(&body), "unsupported_media_type");
}

#[tokio::test]
async fn a_body_over_64_kib_is_413() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let big = "党".repeat(30_000);
    let (status, body) = h
        .call("POST", "/api/notes", Some(&token), Some(json!({"page": "/theory/constitution/", "body": big})))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(&body), "too_large");
}

#[tokio::test]
async fn malformed_json_is_400_and_a_wrong_type_names_the_field() {
    let h = Harness::new().await;
    let req = Request::builder()
        .method("POST")
        .uri("/api/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"member_id\": "))
        .unwrap();
    let (status, body, _) = h.send(req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["message"].is_string());
    let token = h.member_token().await;
    let (status, body) = h
        .call(
            "POST",
            "/api/signins",
            Some(&token),
            Some(json!({"event": "2026-12-09-remembrance", "consent_location": "yes"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_field(&body), "consent_location");
}

#[tokio::test]
async fn an_unknown_endpoint_is_a_json_404() {
    let h = Harness::new().await;
    let (status, body) = h.call("GET", "/api/nothing-here", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "not_found");
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let h = Harness::new().await;
    let req =
        Request::builder().uri("/api/me").header("x-request-id", "abc-123").body(Body::empty()).unwrap();
    let (_, _, headers) = h.send(req).await;
    assert_eq!(headers["x-request-id"], "abc-123");
    let (_, _, headers) = h.send(Request::builder().uri("/api/me").body(Body::empty()).unwrap()).await;
    assert_eq!(headers["x-request-id"].len(), 32, "made when none is given");
}

#[tokio::test]
async fn a_method_an_endpoint_does_not_take_is_a_json_405() {
    let h = Harness::new().await;
    for (method, path, allow) in [("GET", "/api/session", "POST"), ("DELETE", "/api/notes", "GET,HEAD,POST")]
    {
        let req = Request::builder().method(method).uri(path).body(Body::empty()).unwrap();
        let (status, body, headers) = h.send(req).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_eq!(error_code(&body), "method_not_allowed", "{method} {path}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("请求方式"), "{body}");
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
        let mut allowed: Vec<&str> =
            headers[header::ALLOW].to_str().unwrap().split(',').map(str::trim).collect();
        allowed.sort_unstable();
        assert_eq!(allowed.join(","), allow, "{method} {path}: the Allow header stays");
    }
}

#[tokio::test]
async fn a_path_that_is_not_utf8_is_a_json_400() {
    let h = Harness::new().await;
    let admin = h.admin_token().await;
    let member = h.member_token().await;
    for (path, token) in [
        ("/api/photos/%FF%FE", None),
        ("/api/events/%FF/signins", Some(&admin)),
        ("/api/quizzes/%C3%28", Some(&member)),
        ("/api/campaigns/%E5%85/progress", Some(&admin)),
    ] {
        let mut req = Request::builder().uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let (status, body, headers) = h.send(req.body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(error_code(&body), "bad_request", "{path}: {body}");
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"), "{path}");
        assert!(headers.contains_key("x-request-id"), "{path}: still tagged");
    }
}
