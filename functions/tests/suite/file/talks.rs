//! Talks: a member asks (one open request at a time); an admin or committee member records the
//! talk held, answering the request; the member reads the record (summary included) and adds a
//! note; nobody else sees it; the overview names who has had no talk this year.

use super::{Branch, on_every_store};
use crate::common::*;

use axum::http::StatusCode;
use serde_json::json;

async fn a_requested_talk_is_recorded_and_read_by_its_member_only(b: Branch) {
    let ask = json!({"topic": "实习期间如何参加组织生活", "preferred": "周末晚上", "mode": "视频"});
    let (status, body) = b.h.call("POST", "/api/talks/requests", Some(&b.author), Some(ask.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["request"]["mode"], "video");
    let request_id = body["request"]["id"].as_str().unwrap().to_string();
    let (status, body) = b.h.call("POST", "/api/talks/requests", Some(&b.author), Some(ask)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "already_requested"));

    let (status, _) = b.h.call("GET", "/api/admin/talks", Some(&b.contact), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, overview) = b.h.call("GET", "/api/admin/talks?year=2026", Some(&b.committee), None).await;
    assert_eq!(overview["open_requests"][0]["id"], request_id.as_str());
    assert_eq!(overview["open_requests"][0]["name"], "张三");
    let without: Vec<&str> = overview["without_talk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_id"].as_str().unwrap())
        .collect();
    assert_eq!(without, ["m001", "m002", "a001", "c001", "m005"], "roster order");

    let talk = json!({
        "member_id": "m001", "held_on": "2026-12-08", "mode": "video", "topic": "实习期间的组织生活",
        "summary": "了解了实习单位情况，约定每月参加线上党小组会。", "follow_ups": "下月初回访",
        "request_id": request_id,
    });
    let (status, _) = b.h.call("POST", "/api/admin/talks", Some(&b.contact), Some(talk.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "members do not record talks");
    let (status, body) = b.h.call("POST", "/api/admin/talks", Some(&b.committee), Some(talk.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let talk_id = body["talk"]["id"].as_str().unwrap().to_string();
    assert_eq!(body["talk"]["recorded_by"], "赵支委");
    let (status, body) = b.h.call("POST", "/api/admin/talks", Some(&b.admin), Some(talk)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "closed"), "a request is answered once");

    let (_, mine) = b.h.call("GET", "/api/talks/mine", Some(&b.author), None).await;
    assert_eq!(mine["requests"][0]["status"], "held");
    assert_eq!(mine["talks"][0]["summary"], "了解了实习单位情况，约定每月参加线上党小组会。");
    let (_, theirs) = b.h.call("GET", "/api/talks/mine", Some(&b.contact), None).await;
    assert_eq!(theirs["talks"], json!([]), "a contact person does not see the talks");
    let note = format!("/api/talks/{talk_id}/note");
    let (status, _) = b.h.call("POST", &note, Some(&b.bystander), Some(json!({"body": "我也想说"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) =
        b.h.call("POST", &note, Some(&b.author), Some(json!({"body": "谢谢支部的关心。"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["talk"]["member_note"]["body"], "谢谢支部的关心。");

    let (_, overview) = b.h.call("GET", "/api/admin/talks", Some(&b.admin), None).await;
    assert_eq!(overview["year"], 2026);
    assert_eq!(overview["open_requests"], json!([]));
    assert_eq!(overview["talks"][0]["member_note"]["body"], "谢谢支部的关心。");
    let without: Vec<&str> = overview["without_talk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_id"].as_str().unwrap())
        .collect();
    assert!(!without.contains(&"m001"));
    let (_, log) = b.h.call("GET", "/api/audit", Some(&b.admin), None).await;
    assert_eq!(log["entries"][0]["action"], "talk.record");
    // A new request may follow, and the member may withdraw it.
    let (status, body) =
        b.h.call("POST", "/api/talks/requests", Some(&b.author), Some(json!({"mode": "phone"}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let close = format!("/api/talks/requests/{}/close", body["request"]["id"].as_str().unwrap());
    let (status, _) = b.h.call("POST", &close, Some(&b.bystander), Some(json!({}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not someone else's request");
    let (status, body) = b.h.call("POST", &close, Some(&b.author), Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["request"]["status"], "closed");
}

async fn talk_records_are_checked_field_by_field(b: Branch) {
    let (status, body) =
        b.h.call(
            "POST",
            "/api/admin/talks",
            Some(&b.admin),
            Some(json!({"member_id": "m001", "held_on": "2026-12-31", "mode": "letter"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["held_on", "mode", "topic", "summary"]);
    let talk =
        json!({"member_id": "x9999", "held_on": "2026-12-01", "mode": "phone", "topic": "t", "summary": "s"});
    let (status, body) = b.h.call("POST", "/api/admin/talks", Some(&b.admin), Some(talk)).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "member_id"));
    let (status, body) = b.h.call("POST", "/api/talks/requests", Some(&b.author), Some(json!({}))).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "mode"));
}

on_every_store!(
    a_requested_talk_is_recorded_and_read_by_its_member_only,
    talk_records_are_checked_field_by_field
);
