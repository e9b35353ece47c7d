//! `Idempotency-Key`: a submission resent (an offline queue flushing, a flaky connection) is
//! answered again and never recorded twice.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use common::*;
use serde_json::{Value, json};
use zhibu_functions::clock::Clock as _;
use zhibu_functions::domain::MemberId;
use zhibu_functions::http::idempotency::fingerprint;
use zhibu_functions::store::Idempotent;

async fn post(
    h: &Harness,
    path: &str,
    token: &str,
    key: Option<&str>,
    body: Value,
) -> (StatusCode, Value, HeaderMap) {
    let mut request = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(k) = key {
        request = request.header("Idempotency-Key", k);
    }
    h.send(request.body(Body::from(body.to_string())).unwrap()).await
}

fn note(text: &str) -> Value {
    json!({"page": "/theory/constitution/", "body": text})
}

async fn notes_of(h: &Harness, who: &str) -> usize {
    h.state.store.notes_of_member(&MemberId::parse(who).unwrap()).await.unwrap().len()
}

#[tokio::test]
async fn a_resent_note_is_answered_again_and_kept_once() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let body = note("离线时写下的学习心得，恢复网络后发送。");
    let (status, first, headers) = post(&h, "/api/notes", &token, Some("9f1c-offline-1"), body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert!(headers.get("idempotent-replayed").is_none());
    for _ in 0..3 {
        let (status, again, headers) =
            post(&h, "/api/notes", &token, Some("9f1c-offline-1"), body.clone()).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(again, first, "the same answer, byte for byte");
        assert_eq!(headers.get("idempotent-replayed").unwrap(), "true");
    }
    assert_eq!(notes_of(&h, "m001").await, 1);
    // Without a key, two posts are two notes (nothing changes for clients that send none).
    post(&h, "/api/notes", &token, None, body.clone()).await;
    assert_eq!(notes_of(&h, "m001").await, 2);
}

#[tokio::test]
async fn a_key_belongs_to_one_member_and_one_request() {
    let h = Harness::new().await;
    let (mine, theirs) = (h.member_token().await, h.login("m002", OTHER_CODE).await);
    let (s1, _, _) = post(&h, "/api/notes", &mine, Some("same-key"), note("第一位同志的学习心得。")).await;
    let (s2, _, _) = post(&h, "/api/notes", &theirs, Some("same-key"), note("第二位同志的学习心得。")).await;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!((notes_of(&h, "m001").await, notes_of(&h, "m002").await), (1, 1));

    let (status, body, _) =
        post(&h, "/api/notes", &mine, Some("same-key"), note("换了内容的另一份心得。")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_field(&body), "Idempotency-Key");
    for bad in ["has space", "中文键", &"x".repeat(101)] {
        let (status, body, _) =
            post(&h, "/api/notes", &mine, Some(bad), note("这是一份正常的学习心得。")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(error_field(&body), "Idempotency-Key");
    }
    assert_eq!(notes_of(&h, "m001").await, 1, "refused requests record nothing");
}

#[tokio::test]
async fn a_client_error_is_replayed_too_and_a_missing_token_is_not_kept() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, first, _) = post(&h, "/api/notes", &token, Some("short-1"), note("太短")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, again, headers) = post(&h, "/api/notes", &token, Some("short-1"), note("太短")).await;
    assert_eq!((status, &again), (StatusCode::UNPROCESSABLE_ENTITY, &first));
    assert_eq!(headers.get("idempotent-replayed").unwrap(), "true");
    let (status, _, _) =
        post(&h, "/api/notes", "not-a-token", Some("short-1"), note("这是一份正常的学习心得。")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_same_request_still_running_is_409_with_retry_after() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let body = note("正在发送中的一份学习心得。");
    let request = Request::post("/api/notes")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::empty())
        .unwrap();
    let fp = fingerprint(&request.into_parts().0, body.to_string().as_bytes());
    let m1 = MemberId::parse("m001").unwrap();
    assert_eq!(
        h.state.store.begin_idempotent(&m1, "busy-1", &fp, h.clock.now()).await.unwrap(),
        Idempotent::Fresh
    );
    let (status, answer, headers) = post(&h, "/api/notes", &token, Some("busy-1"), body.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(error_code(&answer), "in_progress");
    assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "1");
    assert_eq!(notes_of(&h, "m001").await, 0);
}

#[tokio::test]
async fn a_retry_after_a_lost_answer_finds_the_note_instead_of_writing_another() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let body = note("网络中断前已经发出的学习心得。");
    let (status, first, _) = post(&h, "/api/notes", &token, Some("crash-1"), body.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    // The process died after writing the note, before keeping its answer.
    let m1 = MemberId::parse("m001").unwrap();
    h.state.store.finish_idempotent(&m1, "crash-1", None).await.unwrap();
    let (status, second, headers) = post(&h, "/api/notes", &token, Some("crash-1"), body).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(headers.get("idempotent-replayed").is_none(), "processed again");
    assert_eq!(second["note"]["id"], first["note"]["id"]);
    assert_eq!(notes_of(&h, "m001").await, 1);
}

#[tokio::test]
async fn a_resent_photo_with_a_new_multipart_boundary_is_the_same_upload() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let photo = png(400, 300);
    let mut answers = Vec::new();
    for boundary in ["first-boundary-1", "second-boundary-2"] {
        let mut body = Vec::new();
        for (name, value) in [("campaign", "constitution-100"), ("day", "3")] {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(&photo);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post("/api/copies")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .header("Idempotency-Key", "photo-day-3")
            .body(Body::from(body))
            .unwrap();
        answers.push(h.send(request).await);
    }
    assert_eq!(answers[0].0, StatusCode::CREATED, "{}", answers[0].1);
    assert_eq!(answers[1].0, StatusCode::CREATED);
    assert_eq!(answers[1].2.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(h.blob_count(), 2, "one photo and its thumbnail, stored once");
}

#[tokio::test]
async fn an_oversized_json_body_is_refused_before_it_is_buffered_or_kept() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    // 100 KiB: over the JSON limit (64 KiB), far under the upload limit the guard once used.
    let (status, body, _) = post(&h, "/api/notes", &token, Some("big-1"), note(&"长".repeat(35_000))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"));
    assert!(body["error"]["message"].as_str().unwrap().contains("64 KB"), "{body}");
    // Nothing was reserved or kept for the key: a real note may still use it.
    let (status, body, _) =
        post(&h, "/api/notes", &token, Some("big-1"), note("学习党章的体会一篇，认真写的")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}
