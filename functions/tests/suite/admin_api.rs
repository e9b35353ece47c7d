//! The admin side of the API: every admin endpoint refuses members (403) and anonymous callers
//! (401); the roster with last activity, the events with counts, attendance with distances.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

/// Every endpoint that only admins may call, with a body where it takes one.
const ADMIN_ONLY: &[(&str, &str)] = &[
    ("GET", "/api/admin/members"),
    ("GET", "/api/audit"),
    ("GET", "/api/events"),
    ("GET", "/api/events/2026-12-09-remembrance/signins"),
    ("GET", "/api/notes?status=pending"),
    ("POST", "/api/notes/n1/review"),
    ("GET", "/api/campaigns/constitution-100/progress"),
    ("POST", "/api/quizzes/2026-12-regulations/reveal"),
];

#[tokio::test]
async fn members_are_refused_every_admin_endpoint() {
    let h = Harness::new().await;
    let member = h.member_token().await;
    for (method, path) in ADMIN_ONLY {
        let body = (*method == "POST").then(|| json!({"decision": "approve"}));
        let (status, answer) = h.call(method, path, Some(&member), body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {answer}");
        assert_eq!(error_code(&answer), "forbidden");
        let (status, _) = h.call(method, path, None, body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} without a token");
    }
    assert!(h.state.store.audit_log().await.unwrap().is_empty(), "refused calls change nothing");
}

#[tokio::test]
async fn admins_see_the_roster_events_and_attendance_with_distances() {
    let h = Harness::new().await;
    let member = h.member_token().await;
    let signin = json!({"event": "2026-12-09-remembrance", "consent_location": true,
                        "location": {"lat": 30.5212, "lon": 114.3611, "accuracy_m": 15}});
    let (status, body) = h.call("POST", "/api/signins", Some(&member), Some(signin)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let admin = h.admin_token().await;

    let (_, roster) = h.call("GET", "/api/admin/members", Some(&admin), None).await;
    let members = roster["members"].as_array().unwrap();
    assert_eq!(members.len(), 3);
    assert_eq!(members[0]["id"], "m001");
    assert_eq!(members[0]["last_activity"], "2026-12-09T19:30:00+08:00");
    assert!(members[1]["last_activity"].is_null());

    let (_, events) = h.call("GET", "/api/events", Some(&admin), None).await;
    let remembrance =
        events["events"].as_array().unwrap().iter().find(|e| e["id"] == "2026-12-09-remembrance").unwrap();
    assert_eq!((remembrance["onsite"].as_bool(), remembrance["signed_in"].as_u64()), (Some(true), Some(1)));

    let (_, attendance) =
        h.call("GET", "/api/events/2026-12-09-remembrance/signins", Some(&admin), None).await;
    let first = &attendance["signins"][0];
    assert_eq!(first["name"], "张三");
    // Stored coarse as (30.52, 114.36): the centre itself.
    assert_eq!(first["distance_m"], 0.0);
    assert_eq!(attendance["absent"], json!(["m002", "a001"]));
}

#[tokio::test]
async fn admins_see_a_quiz_distribution_before_revealing_it_members_do_not() {
    let h = Harness::new().await;
    let member = h.member_token().await;
    h.call(
        "POST",
        "/api/quizzes/2026-12-regulations/answers",
        Some(&member),
        Some(json!({"answers": [2, 1]})),
    )
    .await;
    let (_, seen) = h.call("GET", "/api/quizzes/2026-12-regulations", Some(&member), None).await;
    assert!(seen["results"].is_null());
    let admin = h.admin_token().await;
    let (_, seen) = h.call("GET", "/api/quizzes/2026-12-regulations", Some(&admin), None).await;
    assert_eq!(seen["results"]["respondents"], 1);
    assert_eq!(seen["quiz"]["revealed"], false);
}
