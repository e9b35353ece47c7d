//! Suggestions and complaints: signed, sent to the admins, answered, the answer read by the
//! member who wrote — and by nobody else among the members.

use super::{Branch, on_every_store};
use crate::common::*;

use axum::http::StatusCode;
use serde_json::json;

async fn a_suggestion_is_answered_and_the_answer_read(b: Branch) {
    let (status, _) = b.h.call("POST", "/api/suggestions", None, Some(json!({"body": "匿名意见"}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "never anonymous");
    let (status, body) =
        b.h.call("POST", "/api/suggestions", Some(&b.author), Some(json!({"body": "短"}))).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "body"));
    let (status, body) =
        b.h.call(
            "POST",
            "/api/suggestions",
            Some(&b.author),
            Some(json!({"topic": "site", "body": "手机上上传照片有时很慢，希望改进。"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["suggestion"]["topic_label"], "网站");
    let id = body["suggestion"]["id"].as_str().unwrap().to_string();
    let (status, _) = b.h.call("GET", "/api/admin/suggestions", Some(&b.author), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, all) = b.h.call("GET", "/api/admin/suggestions", Some(&b.admin), None).await;
    assert_eq!(
        (all["suggestions"][0]["id"].clone(), all["suggestions"][0]["name"].clone()),
        (json!(id), json!("张三"))
    );
    let answer = format!("/api/admin/suggestions/{id}/answer");
    let (status, body) = b.h.call("POST", &answer, Some(&b.admin), Some(json!({"body": ""}))).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "body"));
    let (status, body) = b
        .h
        .call("POST", &answer, Some(&b.admin), Some(json!({"body": "已把照片在手机上先压缩，谢谢反映。"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, mine) = b.h.call("GET", "/api/suggestions/mine", Some(&b.author), None).await;
    assert_eq!(mine["suggestions"][0]["answer"]["by"], "王书记");
    let (_, theirs) = b.h.call("GET", "/api/suggestions/mine", Some(&b.contact), None).await;
    assert_eq!(theirs["suggestions"], json!([]));
    let (status, _) =
        b.h.call("POST", "/api/admin/suggestions/nope/answer", Some(&b.admin), Some(json!({"body": "x"})))
            .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, log) = b.h.call("GET", "/api/audit", Some(&b.admin), None).await;
    assert_eq!(log["entries"][0]["action"], "suggestion.answer");
}

async fn a_few_suggestions_an_hour(b: Branch) {
    for n in 0..5 {
        let (status, _) =
            b.h.call(
                "POST",
                "/api/suggestions",
                Some(&b.author),
                Some(json!({"body": format!("第 {n} 条意见建议内容")})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, _) =
        b.h.call("POST", "/api/suggestions", Some(&b.author), Some(json!({"body": "第六条意见建议内容"})))
            .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

on_every_store!(a_suggestion_is_answered_and_the_answer_read, a_few_suggestions_an_hour);
