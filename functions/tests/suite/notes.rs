//! Study notes: plain text, reviewed before anyone else sees it, flagged words shown to the
//! reviewer.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

const PAGE: &str = "/theory/constitution/";

async fn post(h: &Harness, token: &str, body: &str) -> (StatusCode, serde_json::Value) {
    h.call("POST", "/api/notes", Some(token), Some(json!({"page": PAGE, "body": body}))).await
}

#[tokio::test]
async fn a_note_is_stored_as_plain_text_and_waits_for_review() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let text = "  <b>学习党章</b>，要把“四个意识”落实到实习岗位上。  ";
    let (status, b) = post(&h, &token, text).await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!(b["note"]["status"], "pending");
    assert_eq!(b["note"]["body"], text.trim(), "kept exactly, markup and all, as text");
    assert_eq!(b["note"]["page"], PAGE);
    let (_, public) = h.call("GET", &format!("/api/notes?page={PAGE}"), Some(&token), None).await;
    assert_eq!(public["notes"], json!([]), "not shown before review");
}

#[tokio::test]
async fn bodies_are_checked_and_pages_must_take_notes() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, b) = post(&h, &token, "太短了").await;
    assert_eq!((status, error_field(&b)), (StatusCode::UNPROCESSABLE_ENTITY, "body"));
    let (status, b) = post(&h, &token, &"长".repeat(5001)).await;
    assert_eq!((status, error_field(&b)), (StatusCode::UNPROCESSABLE_ENTITY, "body"));
    let (status, b) = h
        .call(
            "POST",
            "/api/notes",
            Some(&token),
            Some(json!({"page": "/notices/other/", "body": "这是一条足够长的学习心得内容。"})),
        )
        .await;
    assert_eq!((status, error_code(&b)), (StatusCode::NOT_FOUND, "not_found"));
    let (status, b) = h.call("POST", "/api/notes", Some(&token), Some(json!({"page": "theory"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["fields"].as_array().unwrap().len(), 2, "page and body both named: {b}");
}

#[tokio::test]
async fn approved_notes_show_newest_first_with_the_authors_name() {
    let h = Harness::new().await;
    let member = h.member_token().await;
    let other = h.login("m002", OTHER_CODE).await;
    let admin = h.admin_token().await;
    let (_, first) = post(&h, &member, "第一条心得：坚定理想信念。").await;
    h.clock.advance(chrono::Duration::minutes(1));
    let (_, second) = post(&h, &other, "第二条心得：实习中也要过好组织生活。").await;
    for note in [&first, &second] {
        let id = note["note"]["id"].as_str().unwrap();
        let (status, b) = h
            .call(
                "POST",
                &format!("/api/notes/{id}/review"),
                Some(&admin),
                Some(json!({"decision": "approve"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(b["note"]["status"], "approved");
    }
    let (status, b) = h.call("GET", &format!("/api/notes?page={PAGE}"), Some(&member), None).await;
    assert_eq!(status, StatusCode::OK);
    let notes = b["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["author"], "李四");
    assert_eq!(notes[1]["author"], "张三");
    assert!(notes[0].get("member_id").is_none(), "others see a name, not a member number");
}

#[tokio::test]
async fn a_rejection_needs_a_reason_that_the_author_sees() {
    let h = Harness::new().await;
    let member = h.member_token().await;
    let admin = h.admin_token().await;
    let (_, note) = post(&h, &member, "这是一条需要修改后再提交的心得。").await;
    let id = note["note"]["id"].as_str().unwrap();
    let path = format!("/api/notes/{id}/review");
    let (status, b) = h.call("POST", &path, Some(&admin), Some(json!({"decision": "reject"}))).await;
    assert_eq!((status, error_field(&b)), (StatusCode::UNPROCESSABLE_ENTITY, "reason"));
    let (status, b) = h.call("POST", &path, Some(&admin), Some(json!({"decision": "maybe"}))).await;
    assert_eq!((status, error_field(&b)), (StatusCode::UNPROCESSABLE_ENTITY, "decision"));
    let (status, _) = h
        .call(
            "POST",
            &path,
            Some(&admin),
            Some(json!({"decision": "reject", "reason": "请结合实习经历具体谈谈"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, mine) = h.call("GET", "/api/notes/mine", Some(&member), None).await;
    assert_eq!(mine["notes"][0]["status"], "rejected");
    assert_eq!(mine["notes"][0]["review_reason"], "请结合实习经历具体谈谈");
    let (status, _) = h
        .call("POST", "/api/notes/no-such-note/review", Some(&admin), Some(json!({"decision": "approve"})))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_moderation_queue_is_for_admins_and_shows_flagged_words() {
    let h = Harness::new().await;
    let member = h.member_token().await;
    post(&h, &member, "有人问我怎么翻 墙，我告诉他要遵守法律。").await;
    h.clock.advance(chrono::Duration::minutes(1));
    post(&h, &member, "第二条普通的学习心得内容。").await;
    let (status, b) = h.call("GET", "/api/notes?status=pending", Some(&member), None).await;
    assert_eq!((status, error_code(&b)), (StatusCode::FORBIDDEN, "forbidden"));
    let admin = h.admin_token().await;
    let (status, b) = h.call("GET", "/api/notes?status=pending", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    let queue = b["notes"].as_array().unwrap();
    assert_eq!(queue.len(), 2);
    assert_eq!(queue[0]["flagged_words"], json!(["翻墙"]));
    assert_eq!(queue[0]["author"], "张三");
    assert_eq!(queue[1]["flagged_words"], json!([]));
    let (status, _) = h.call("GET", "/api/notes?status=whatever", Some(&admin), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) =
        h.call("POST", "/api/notes/x/review", Some(&member), Some(json!({"decision": "approve"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_member_may_post_ten_notes_an_hour_then_is_told_when_to_come_back() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let posts = (0..25).map(|n| {
        let app = h.app.clone();
        let token = token.clone();
        tokio::spawn(async move {
            let request = axum::http::Request::post("/api/notes")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {token}"))
                .body(axum::body::Body::from(
                    json!({"page": PAGE, "body": format!("同一段学习心得反复提交第{n}次")}).to_string(),
                ))
                .unwrap();
            tower::ServiceExt::oneshot(app, request).await.unwrap()
        })
    });
    let mut statuses = Vec::new();
    for p in posts {
        let response = p.await.unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let retry: i64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=3600).contains(&retry), "Retry-After {retry}");
        }
        statuses.push(response.status());
    }
    let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    assert_eq!(created, 10, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count(), 15);
    let (_, mine) = h.call("GET", "/api/notes/mine", Some(&token), None).await;
    assert_eq!(mine["notes"].as_array().unwrap().len(), 10, "refused notes are not stored");
    let (status, b) = post(&h, &token, "一小时内第十一篇学习心得").await;
    assert_eq!((status, error_code(&b)), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    assert!(b["error"]["message"].as_str().unwrap().contains("分钟后再试"));
    let other = h.login("m002", OTHER_CODE).await;
    assert_eq!(post(&h, &other, "另一位党员不受影响的学习心得").await.0, StatusCode::CREATED);
    h.clock.advance(chrono::Duration::hours(1));
    assert_eq!(post(&h, &token, "一小时以后又可以提交学习心得").await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn invisible_characters_cannot_hide_a_word_from_the_reviewer() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, b) = post(&h, &token, "有人教我怎么翻\u{200B}墙\u{202E}看外网，我拒绝了").await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!(b["note"]["body"], "有人教我怎么翻墙看外网，我拒绝了", "stored without them");
    let admin = h.admin_token().await;
    let (_, queue) = h.call("GET", "/api/notes?status=pending", Some(&admin), None).await;
    assert_eq!(queue["notes"][0]["flagged_words"], json!(["翻墙"]), "{queue}");
}
