//! The democratic review: full and probationary members write their self-assessment (draft,
//! submit, edit until the round closes), send signed opinions about a named member that only
//! admins read, and read the outcome admins record after the meeting. There is no ballot.

use super::{Branch, on_every_store};
use crate::common::*;

use axum::http::StatusCode;
use serde_json::json;

const ROUND: &str = "/api/reviews/2026-review";

async fn self_assessments_opinions_and_outcomes(b: Branch) {
    let (status, mine) = b.h.call("GET", ROUND, Some(&b.contact), None).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["review"]["state"], "open");
    assert_eq!(mine["self"], json!(null));
    assert_eq!(mine["participant"], true);
    let (_, activist) = b.h.call("GET", ROUND, Some(&b.author), None).await;
    assert_eq!(activist["participant"], false);
    let self_path = format!("{ROUND}/self");
    let (status, body) =
        b.h.call("POST", &self_path, Some(&b.contact), Some(json!({"body": "先写个开头"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["self"]["status"], "draft");
    let (status, body) =
        b.h.call("POST", &self_path, Some(&b.contact), Some(json!({"body": "太短", "submit": true}))).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "body"));
    let text = "一年来我坚持学习党的创新理论，在实习岗位上发挥党员先锋模范作用。".repeat(8);
    let (status, body) =
        b.h.call("POST", &self_path, Some(&b.contact), Some(json!({"body": text, "submit": true}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["self"]["status"], "submitted");
    let (status, _) =
        b.h.call("POST", &self_path, Some(&b.contact), Some(json!({"body": format!("{text}补充。")}))).await;
    assert_eq!(status, StatusCode::OK, "editable until the round closes");
    let (status, body) = b.h.call("POST", &self_path, Some(&b.author), Some(json!({"body": "x"}))).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::CONFLICT, "not_participant"),
        "an activist does not take part"
    );

    // Opinions: signed, about a participant other than oneself, read by admins only.
    let opinions = format!("{ROUND}/opinions");
    let (status, body) =
        b.h.call(
            "POST",
            &opinions,
            Some(&b.contact),
            Some(json!({"about": "m005", "body": "希望钱七同志多参加线上组织生活。"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    for (about, why) in [("m002", "oneself"), ("m001", "not a participant"), ("x9999", "not on the roster")] {
        let (status, body) =
            b.h.call(
                "POST",
                &opinions,
                Some(&b.contact),
                Some(json!({"about": about, "body": "这是一条足够长的意见内容。"})),
            )
            .await;
        assert_eq!(
            (status, error_field(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "about"),
            "{why}: {body}"
        );
    }
    let (_, theirs) = b.h.call("GET", ROUND, Some(&b.bystander), None).await;
    assert_eq!(theirs["opinions_sent"], json!([]), "the member concerned never sees it: {theirs}");
    let (_, sent) = b.h.call("GET", ROUND, Some(&b.contact), None).await;
    assert_eq!(sent["opinions_sent"][0]["about_name"], "钱七");
    let (status, _) = b.h.call("GET", "/api/admin/reviews/2026-review", Some(&b.committee), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "admins only");
    let (_, round) = b.h.call("GET", "/api/admin/reviews/2026-review", Some(&b.admin), None).await;
    let ids: Vec<&str> =
        round["participants"].as_array().unwrap().iter().map(|p| p["member_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["m002", "a001", "c001", "m005"]);
    assert_eq!(round["excellent_limit"], 1, "a third of four");
    assert_eq!(round["participants"][3]["opinions"][0]["by_name"], "李四");
    assert_eq!(round["participants"][0]["self"]["status"], "submitted");

    // Outcomes after the meeting; more than a third 优秀 is a warning.
    let outcomes = "/api/admin/reviews/2026-review/outcomes";
    let (status, body) =
        b.h.call(
            "POST",
            outcomes,
            Some(&b.admin),
            Some(json!({"member_id": "m002", "grade": "优秀", "feedback": "表现突出"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["warnings"], json!([]));
    let (_, body) =
        b.h.call("POST", outcomes, Some(&b.admin), Some(json!({"member_id": "m005", "grade": "excellent"})))
            .await;
    assert_eq!(body["warnings"].as_array().unwrap().len(), 1, "{body}");
    let (status, body) =
        b.h.call("POST", outcomes, Some(&b.admin), Some(json!({"member_id": "m005", "grade": "良好"}))).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "grade"));
    let (_, mine) = b.h.call("GET", ROUND, Some(&b.contact), None).await;
    assert_eq!(
        (mine["outcome"]["grade_label"].clone(), mine["outcome"]["feedback"].clone()),
        (json!("优秀"), json!("表现突出"))
    );
    let (_, log) = b.h.call("GET", "/api/audit", Some(&b.admin), None).await;
    assert_eq!(log["entries"][0]["action"], "review.outcome");
}

async fn there_is_no_ballot_and_the_window_holds(b: Branch) {
    for method in ["GET", "POST"] {
        let (status, body) =
            b.h.call(method, &format!("{ROUND}/ballot"), Some(&b.contact), Some(json!({"grades": {}}))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "the 民主测评 is a secret ballot at the meeting: {body}");
    }
    let (status, _) = b.h.call("GET", "/api/reviews/2025-review", Some(&b.contact), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    b.h.clock.set("2026-12-21T08:00:00+08:00");
    let late = b.h.login("m002", OTHER_CODE).await;
    let (status, body) =
        b.h.call("POST", &format!("{ROUND}/self"), Some(&late), Some(json!({"body": "迟到的自评"}))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "closed"));
    b.h.clock.set("2026-11-30T08:00:00+08:00");
    let early = b.h.login("m002", OTHER_CODE).await;
    let (status, body) =
        b.h.call("POST", &format!("{ROUND}/self"), Some(&early), Some(json!({"body": "早到的自评"}))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "not_open"));
}

on_every_store!(self_assessments_opinions_and_outcomes, there_is_no_ballot_and_the_window_holds);
