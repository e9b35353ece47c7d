//! The host unit's word: an intern uploads the signed note (1–4 photos) for a period; an admin
//! accepts it and may then confirm the intern's attendance at an event in that period — the
//! equal path for those who decline location — or confirm it on their own word.

use super::{Branch, on_every_store};
use crate::common::*;

use axum::http::StatusCode;
use serde_json::json;

const EVENT: &str = "2026-12-online-study";

async fn note(
    b: &Branch,
    token: &str,
    from: &str,
    to: &str,
    photos: usize,
) -> (StatusCode, serde_json::Value) {
    let fields: [(&str, &[u8]); 3] =
        [("unit", "某某公司党支部".as_bytes()), ("from", from.as_bytes()), ("to", to.as_bytes())];
    let mut boundary_fields: Vec<(&str, &[u8])> = fields.to_vec();
    let extra: Vec<Vec<u8>> = (1..photos).map(|_| png(40, 40)).collect();
    for p in &extra {
        boundary_fields.push(("photo", p));
    }
    b.h.multipart(token, "/api/host-notes", &boundary_fields, &png(80, 60), "letter.png").await
}

async fn an_accepted_note_confirms_attendance(b: Branch) {
    let (status, body) = note(&b, &b.contact, "2026-11", "2026-12", 2).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let host = &body["host_note"];
    assert_eq!((host["status"].clone(), host["pages"].as_array().unwrap().len()), (json!("submitted"), 2));
    let id = host["id"].as_str().unwrap().to_string();
    let (status, body) = note(&b, &b.contact, "2026-12", "2026-11", 1).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "to"));
    let (status, body) = note(&b, &b.contact, "2026-11", "2026-12", 5).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "photo"), "at most four");
    let before = b.h.state.blobs.keys().await.unwrap().len();
    let fields: [(&str, &[u8]); 4] =
        [("unit", "某单位".as_bytes()), ("from", b"2026-11"), ("to", b"2026-12"), ("photo", &png(30, 30))];
    let (status, _) =
        b.h.multipart(&b.contact, "/api/host-notes", &fields, b"%PDF not a photo", "x.jpg").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(b.h.state.blobs.keys().await.unwrap().len(), before, "a refused note leaves no photo behind");

    // Not accepted yet: it confirms nothing.
    let confirm = format!("/api/admin/events/{EVENT}/attendance");
    let by_note = json!({"member_id": "m002", "host_note_id": id});
    let (status, body) = b.h.call("POST", &confirm, Some(&b.admin), Some(by_note.clone())).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "host_note_id"));
    let review = format!("/api/admin/host-notes/{id}/review");
    let (status, _) = b.h.call("POST", &review, Some(&b.contact), Some(json!({"decision": "accept"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = b.h.call("POST", &review, Some(&b.admin), Some(json!({"decision": "accept"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["host_note"]["status"], "accepted");
    let (_, mine) = b.h.call("GET", "/api/host-notes/mine", Some(&b.contact), None).await;
    assert_eq!(mine["host_notes"][0]["status_label"], "已接收");
    let (_, others) = b.h.call("GET", "/api/host-notes/mine", Some(&b.bystander), None).await;
    assert_eq!(others["host_notes"], json!([]));

    // Someone else's note does not confirm m005.
    let (status, _) =
        b.h.call("POST", &confirm, Some(&b.admin), Some(json!({"member_id": "m005", "host_note_id": id})))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = b.h.call("POST", &confirm, Some(&b.admin), Some(by_note)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["confirmation"]["basis_label"], "实习单位证明");
    // The secretary's own word needs a note of how.
    let (status, body) = b.h.call("POST", &confirm, Some(&b.admin), Some(json!({"member_id": "m005"}))).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "note"));
    let (status, _) =
        b.h.call(
            "POST",
            &confirm,
            Some(&b.admin),
            Some(json!({"member_id": "m005", "note": "在会场参加，未用手机签到"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let (_, attendance) =
        b.h.call("GET", &format!("/api/events/{EVENT}/signins"), Some(&b.admin), None).await;
    let confirmed: Vec<&str> = attendance["confirmed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["member_id"].as_str().unwrap())
        .collect();
    assert_eq!(confirmed.len(), 2, "{attendance}");
    let absent: Vec<&str> =
        attendance["absent"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(!absent.contains(&"m002") && !absent.contains(&"m005") && absent.contains(&"m001"), "{absent:?}");
    let (_, log) = b.h.call("GET", "/api/audit", Some(&b.admin), None).await;
    let actions: Vec<&str> =
        log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions[..3], ["attendance.confirm", "attendance.confirm", "host_note.accept"]);
}

async fn a_note_that_does_not_cover_the_event_or_was_rejected_confirms_nothing(b: Branch) {
    let (_, body) = note(&b, &b.contact, "2026-09", "2026-10", 1).await;
    let early = body["host_note"]["id"].as_str().unwrap().to_string();
    b.h.call(
        "POST",
        &format!("/api/admin/host-notes/{early}/review"),
        Some(&b.admin),
        Some(json!({"decision": "accept"})),
    )
    .await;
    let (_, body) = note(&b, &b.contact, "2026-12", "2026-12", 1).await;
    let rejected = body["host_note"]["id"].as_str().unwrap().to_string();
    let review = format!("/api/admin/host-notes/{rejected}/review");
    let (status, body) = b.h.call("POST", &review, Some(&b.admin), Some(json!({"decision": "reject"}))).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "reason"));
    b.h.call(
        "POST",
        &review,
        Some(&b.admin),
        Some(json!({"decision": "reject", "reason": "缺少党组织盖章"})),
    )
    .await;
    let confirm = format!("/api/admin/events/{EVENT}/attendance");
    for id in [early, rejected] {
        let (status, body) = b
            .h
            .call("POST", &confirm, Some(&b.admin), Some(json!({"member_id": "m002", "host_note_id": id})))
            .await;
        assert_eq!(
            (status, error_field(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "host_note_id"),
            "{body}"
        );
    }
    let (status, _) =
        b.h.call(
            "POST",
            "/api/admin/events/no-such-event/attendance",
            Some(&b.admin),
            Some(json!({"member_id": "m002"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

on_every_store!(
    an_accepted_note_confirms_attendance,
    a_note_that_does_not_cover_the_event_or_was_rejected_confirms_nothing,
);
