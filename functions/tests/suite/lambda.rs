//! The Lambda entry point: a real function-URL / API Gateway v2 event, as Lambda delivers it,
//! goes through `lambda_http`'s translation into the very same router.

#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

fn event(method: &str, path: &str, query: &str, token: Option<&str>, body: Option<&str>) -> String {
    let mut headers = json!({"content-type": "application/json", "host": "abc.lambda-url.cn-north-1.on.amazonwebservices.com.cn"});
    if let Some(t) = token {
        headers["authorization"] = json!(format!("Bearer {t}"));
    }
    json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
        "queryStringParameters": if query.is_empty() { Value::Null } else {
            let (k, v) = query.split_once('=').unwrap();
            json!({ k: v })
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc",
            "domainName": "abc.lambda-url.cn-north-1.on.amazonwebservices.com.cn",
            "domainPrefix": "abc",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.7", "userAgent": "WeChat"},
            "requestId": "req-1",
            "routeKey": "$default",
            "stage": "$default",
            "time": "09/Dec/2026:11:30:00 +0000",
            "timeEpoch": 1796815800000i64
        },
        "body": body,
        "isBase64Encoded": false
    })
    .to_string()
}

async fn through_lambda(h: &Harness, event_json: &str) -> (u16, Value) {
    let request = lambda_http::request::from_str(event_json).unwrap();
    let (parts, body) = request.into_parts();
    let request = axum::http::Request::from_parts(parts, axum::body::Body::from(body.to_vec()));
    let response = h.app.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn a_function_url_event_logs_in_and_reads_through_the_same_router() {
    let h = Harness::new().await;
    let login = json!({"member_id": "m001", "code": MEMBER_CODE}).to_string();
    let (status, body) = through_lambda(&h, &event("POST", "/api/session", "", None, Some(&login))).await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().unwrap().to_string();
    let (status, body) = through_lambda(&h, &event("GET", "/api/me", "", Some(&token), None)).await;
    assert_eq!(status, 200);
    assert_eq!(body["member"]["name"], "张三");
    let (status, body) =
        through_lambda(&h, &event("GET", "/api/notes", "page=/theory/constitution/", Some(&token), None))
            .await;
    assert_eq!(status, 200, "query strings reach the handlers through the URI: {body}");
    assert_eq!(body["notes"], json!([]));
}

#[tokio::test]
async fn a_bad_request_through_lambda_is_the_same_4xx() {
    let h = Harness::new().await;
    let (status, body) =
        through_lambda(&h, &event("POST", "/api/session", "", None, Some("{not json"))).await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), "bad_request");
}
