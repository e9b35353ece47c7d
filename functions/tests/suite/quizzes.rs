//! Quiz rounds (测一测): answered alone while open; the anonymous distribution and the official
//! answers with their sources once the round closes or an admin reveals it. No scores.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

const QUIZ: &str = "/api/quizzes/2026-12-regulations";

#[tokio::test]
async fn a_member_answers_once_and_sees_nothing_of_others_while_the_round_is_open() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, body) = h.call("GET", QUIZ, Some(&token), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["quiz"]["state"], "open");
    assert_eq!(body["quiz"]["questions"], 2);
    assert!(body["mine"].is_null() && body["results"].is_null());
    assert!(!body.to_string().contains("第十一条"), "no sources or answers before the results: {body}");

    let (status, first) =
        h.call("POST", &format!("{QUIZ}/answers"), Some(&token), Some(json!({"answers": [1, 2]}))).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["answers"], json!([1, 2]));
    let (status, again) =
        h.call("POST", &format!("{QUIZ}/answers"), Some(&token), Some(json!({"answers": [2, 2]}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["answers"], json!([1, 2]), "the first answer stands");
    let (_, body) = h.call("GET", QUIZ, Some(&token), None).await;
    assert_eq!(body["mine"]["answers"], json!([1, 2]));
    assert!(body["results"].is_null());
}

#[tokio::test]
async fn answers_are_checked_field_by_field() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let path = format!("{QUIZ}/answers");
    let (status, body) = h.call("POST", &path, Some(&token), Some(json!({"answers": [1]}))).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "answers"));
    let (status, body) = h.call("POST", &path, Some(&token), Some(json!({"answers": [null, 3]}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["answers[0]", "answers[1]"]);
    let (status, body) = h.call("POST", &path, Some(&token), Some(json!({"answers": "1,2"}))).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "answers"));
    let (status, _) = h
        .call("POST", "/api/quizzes/no-such-quiz/answers", Some(&token), Some(json!({"answers": [1]})))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = h.call("GET", QUIZ, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_admin_reveals_the_distribution_and_the_key_after_the_discussion() {
    let h = Harness::new().await;
    let (a, b) = (h.member_token().await, h.login("m002", OTHER_CODE).await);
    h.call("POST", &format!("{QUIZ}/answers"), Some(&a), Some(json!({"answers": [2, 2]}))).await;
    h.call("POST", &format!("{QUIZ}/answers"), Some(&b), Some(json!({"answers": [1, 2]}))).await;
    let (status, _) = h.call("POST", &format!("{QUIZ}/reveal"), Some(&a), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "members cannot reveal");

    let admin = h.admin_token().await;
    let (status, body) = h.call("POST", &format!("{QUIZ}/reveal"), Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["quiz"]["revealed"], true);
    let (_, body) = h.call("GET", QUIZ, Some(&a), None).await;
    let results = &body["results"];
    assert_eq!(results["respondents"], 2);
    assert_eq!(results["questions"][0]["counts"], json!([1, 1, 0]));
    assert_eq!(results["questions"][1]["counts"], json!([0, 2]));
    assert_eq!(results["questions"][0]["answer"], 2);
    assert_eq!(results["questions"][0]["source"], "《中国共产党支部工作条例（试行）》第十一条");
    assert_eq!(body["mine"]["answers"], json!([2, 2]), "one's own answers beside the key");
    assert!(!body.to_string().contains("m002"), "the distribution is anonymous");
    // After the reveal, nobody answers any more.
    let late = h.login("a001", ADMIN_CODE).await;
    let (status, body) =
        h.call("POST", &format!("{QUIZ}/answers"), Some(&late), Some(json!({"answers": [2, 2]}))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "closed"));
}

#[tokio::test]
async fn the_window_decides_before_it_opens_and_after_it_closes() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    h.clock.set("2026-11-30T12:00:00+08:00");
    let (status, body) =
        h.call("POST", &format!("{QUIZ}/answers"), Some(&token), Some(json!({"answers": [1, 1]}))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "not_open"));
    h.clock.set("2026-12-11T08:00:00+08:00");
    let (status, body) =
        h.call("POST", &format!("{QUIZ}/answers"), Some(&token), Some(json!({"answers": [1, 1]}))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "closed"));
    let (_, body) = h.call("GET", QUIZ, Some(&token), None).await;
    assert_eq!(body["quiz"]["state"], "closed");
    assert_eq!(body["results"]["respondents"], 0, "closed rounds show their (empty) results");
}

#[tokio::test]
async fn admin_actions_are_in_the_audit_log_which_only_admins_read() {
    let h = Harness::new().await;
    let member = h.member_token().await;
    let (_, posted) = h
        .call(
            "POST",
            "/api/notes",
            Some(&member),
            Some(json!({"page": "/theory/constitution/", "body": "学习党章的一点体会。"})),
        )
        .await;
    let id = posted["note"]["id"].as_str().unwrap().to_string();
    let admin = h.admin_token().await;
    h.call(
        "POST",
        &format!("/api/notes/{id}/review"),
        Some(&admin),
        Some(json!({"decision": "reject", "reason": "请结合实习经历"})),
    )
    .await;
    h.call("POST", &format!("{QUIZ}/reveal"), Some(&admin), None).await;
    h.call("POST", &format!("{QUIZ}/reveal"), Some(&admin), None).await;
    let (status, _) = h.call("GET", "/api/audit", Some(&member), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, log) = h.call("GET", "/api/audit", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<(String, String, String)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().into(),
                e["action"].as_str().unwrap().into(),
                e["target"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("a001".into(), "quiz.reveal".into(), "2026-12-regulations".into()),
            ("a001".into(), "note.reject".into(), id),
        ],
        "newest first, one line per action (a second reveal changes nothing)"
    );
    assert_eq!(log["entries"][1]["detail"], "请结合实习经历");
}
