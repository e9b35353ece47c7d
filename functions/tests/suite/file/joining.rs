//! The joining record: admins record dated milestones (by key or Chinese name); the stage follows;
//! the person reads their own timeline, their contact persons and reviewers read it too, anyone
//! else gets 404; the rules become warnings for reviewers; every write is audited.

use super::{Branch, on_every_store};
use crate::common::*;

use axum::http::StatusCode;
use serde_json::{Value, json};

async fn record(b: &Branch, token: &str, milestone: &str, date: &str) -> (StatusCode, Value) {
    let body = json!({"milestone": milestone, "date": date, "note": ""});
    b.h.call("POST", "/api/members/m001/joining", Some(token), Some(body)).await
}

fn warning_codes(road: &Value) -> Vec<String> {
    road["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_string()).collect()
}

async fn admins_record_milestones_and_the_stage_follows(b: Branch) {
    let (_, mine) = b.h.call("GET", "/api/joining/mine", Some(&b.author), None).await;
    assert_eq!(mine["joining"]["stage"], "activist", "the roster's stage before anything is recorded");
    assert_eq!(mine["joining"]["next"]["milestone"], "activist");
    assert_eq!(mine["joining"]["contacts"], json!([{"id": "m002", "name": "李四"}]));
    assert!(mine["joining"].get("warnings").is_none(), "warnings are for reviewers");
    assert_eq!(mine["joining"]["steps"].as_array().unwrap().len(), 19);

    for token in [&b.author, &b.contact, &b.committee] {
        let (status, body) = record(&b, token, "确定为积极分子", "2025-10-10").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only admins write the record: {body}");
    }
    for (milestone, date) in [
        ("递交入党申请书", "2025-03-01"),
        ("first_talk", "2025-03-20"),
        ("确定为积极分子", "2025-10-10"),
        ("candidate", "2026-10-20"),
    ] {
        let (status, body) = record(&b, &b.admin, milestone, date).await;
        assert_eq!(status, StatusCode::OK, "{milestone}: {body}");
    }
    let (_, mine) = b.h.call("GET", "/api/joining/mine", Some(&b.author), None).await;
    let road = &mine["joining"];
    assert_eq!((road["stage"].clone(), road["stage_label"].clone()), (json!("candidate"), json!("发展对象")));
    assert_eq!(road["next"]["milestone"], "political_review");
    assert_eq!(road["steps"][2]["date"], "2025-10-10");
    assert_eq!(road["steps"][2]["label"], "确定为积极分子");

    // Contact persons and reviewers read it; a bystander is told there is nothing.
    let (status, _) = b.h.call("GET", "/api/members/m001/joining", Some(&b.contact), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = b.h.call("GET", "/api/members/m001/joining", Some(&b.bystander), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = b.h.call("GET", "/api/members/nobody/joining", Some(&b.admin), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Corrected by recording it again; removed when recorded by mistake.
    let (_, body) = record(&b, &b.admin, "candidate", "2026-10-21").await;
    assert_eq!(body["joining"]["steps"][5]["date"], "2026-10-21");
    let (status, body) =
        b.h.call("DELETE", "/api/members/m001/joining/candidate", Some(&b.admin), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["joining"]["stage"], "activist");
    let (status, _) = b.h.call("DELETE", "/api/members/m001/joining/candidate", Some(&b.admin), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, log) = b.h.call("GET", "/api/audit", Some(&b.admin), None).await;
    let actions: Vec<&str> =
        log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "joining.record").count(), 5);
    assert_eq!(actions[0], "joining.remove");
}

async fn bad_milestones_are_refused_with_the_field(b: Branch) {
    let (status, body) = record(&b, &b.admin, "转正", "2026-13-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["milestone", "date"]);
    let (status, body) = record(&b, &b.admin, "递交入党申请书", "2027-01-01").await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "date"), "not in the future");
}

async fn the_rules_become_warnings_for_reviewers(b: Branch) {
    // An activist chosen as candidate before a year of education, a talk dated before the
    // application, and (today is 2026-12-09) quarters since the application without a report.
    for (milestone, date) in [
        ("applied", "2026-03-01"),
        ("first_talk", "2026-02-20"),
        ("activist", "2026-04-01"),
        ("candidate", "2026-10-01"),
    ] {
        let (status, body) = record(&b, &b.admin, milestone, date).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, _) = b.h.call("GET", "/api/admin/joining", Some(&b.contact), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, all) = b.h.call("GET", "/api/admin/joining", Some(&b.committee), None).await;
    let people = all["people"].as_array().unwrap();
    assert_eq!(people.len(), 1, "only people on the road: {all}");
    let codes = warning_codes(&people[0]);
    assert!(codes.contains(&"early_candidate".to_string()), "{codes:?}");
    assert!(codes.contains(&"out_of_order".to_string()), "{codes:?}");
    assert_eq!(people[0]["missing_reports"], json!(["2026Q1", "2026Q2", "2026Q3"]));
    // A report for Q2 clears that quarter.
    let body = json!({"quarter": "2026Q2", "title": "第二季度思想汇报", "body": "认真学习。".repeat(50), "submit": true});
    let (status, answer) = b.h.call("POST", "/api/reports/mine", Some(&b.author), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (_, road) = b.h.call("GET", "/api/members/m001/joining", Some(&b.admin), None).await;
    assert_eq!(road["joining"]["missing_reports"], json!(["2026Q1", "2026Q3"]));

    // A probation ending within 30 days without a 转正申请.
    let (status, _) = record(&b, &b.admin, "approved", "2025-12-20").await;
    assert_eq!(status, StatusCode::OK);
    let (_, road) = b.h.call("GET", "/api/members/m001/joining", Some(&b.admin), None).await;
    assert_eq!(road["joining"]["probation_ends"], "2026-12-20");
    assert!(warning_codes(&road["joining"]).contains(&"probation_ending".to_string()), "{road}");
    record(&b, &b.admin, "转正申请", "2026-12-01").await;
    let (_, road) = b.h.call("GET", "/api/members/m001/joining", Some(&b.admin), None).await;
    assert!(!warning_codes(&road["joining"]).contains(&"probation_ending".to_string()));
}

on_every_store!(
    admins_record_milestones_and_the_stage_follows,
    bad_milestones_are_refused_with_the_field,
    the_rules_become_warnings_for_reviewers,
);
