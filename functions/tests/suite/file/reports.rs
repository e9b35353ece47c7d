//! Thought reports: drafts are the author's; submitting needs a title and 200 characters or a
//! photographed page; the author, their contact persons and reviewers read it, anyone else gets
//! the same 404 as for a report that does not exist; every reading by someone else is audited;
//! withdrawing works until someone has opened it; each comment is answered once.

use super::{Branch, on_every_store};
use crate::common::*;

use axum::http::StatusCode;
use serde_json::{Value, json};

const TEXT: &str = "本季度我在实习单位认真学习党章和习近平新时代中国特色社会主义思想，";

fn long_text() -> String {
    TEXT.repeat(8)
}

async fn save(b: &Branch, body: Value) -> (StatusCode, Value) {
    b.h.call("POST", "/api/reports/mine", Some(&b.author), Some(body)).await
}

async fn submitted(b: &Branch) {
    let (status, body) = save(
        b,
        json!({"quarter": "2026Q4", "title": "第四季度思想汇报", "body": long_text(), "submit": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["report"]["status"], "submitted");
}

async fn audit_actions(b: &Branch) -> Vec<(String, String, String)> {
    let (_, log) = b.h.call("GET", "/api/audit", Some(&b.admin), None).await;
    log["entries"]
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
        .collect()
}

async fn a_draft_is_the_authors_alone_until_submitted_whole(b: Branch) {
    let (status, body) = save(&b, json!({"quarter": "2026Q4", "body": "刚开始写"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["report"]["status"], "draft");
    let (status, again) =
        save(&b, json!({"quarter": "2026Q4", "title": "第四季度", "body": "又写了几句"})).await;
    assert_eq!(status, StatusCode::OK, "the same draft, saved again: {again}");
    assert_eq!(again["report"]["body"], "又写了几句");
    // Nobody else sees a draft: not the contact person, not the secretary.
    for token in [&b.contact, &b.admin, &b.committee] {
        let (status, body) = b.h.call("GET", "/api/members/m001/reports/2026Q4", Some(token), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
    // Submitting checks the whole report and names what is missing.
    let (status, body) =
        b.h.call("POST", "/api/reports/mine/2026Q4/submit", Some(&b.author), Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_field(&body), "body", "{body}");
    let (status, body) =
        save(&b, json!({"quarter": "2026Q4", "title": "", "body": long_text(), "submit": true})).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "title"));
    let (_, still) = b.h.call("GET", "/api/reports/mine/2026Q4", Some(&b.author), None).await;
    assert_eq!(still["report"]["status"], "draft", "a refused submission changes nothing");
    let (status, body) =
        save(&b, json!({"quarter": "2026Q4", "title": "第四季度思想汇报", "body": long_text()})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) =
        b.h.call("POST", "/api/reports/mine/2026Q4/submit", Some(&b.author), Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["report"]["status"], "submitted");
    assert_eq!(body["report"]["withdrawable"], true);
    // Submitted: changing it needs a withdrawal first.
    let (status, body) = save(&b, json!({"quarter": "2026Q4", "title": "改", "body": long_text()})).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "submitted"));
}

async fn quarters_to_come_and_bad_fields_are_refused(b: Branch) {
    let (status, body) = save(&b, json!({"quarter": "2027Q1", "title": "t", "body": long_text()})).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "not_open"), "{body}");
    let (status, body) = save(&b, json!({"quarter": "2026Q5", "body": "x".repeat(10_001)})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["quarter", "body"], "{body}");
    let (status, _) = b.h.call("GET", "/api/reports/mine", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "never anonymous");
}

async fn others_get_the_same_404_and_every_reading_is_audited(b: Branch) {
    submitted(&b).await;
    let (status, missing) =
        b.h.call("GET", "/api/members/m001/reports/2026Q3", Some(&b.bystander), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, existing) =
        b.h.call("GET", "/api/members/m001/reports/2026Q4", Some(&b.bystander), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(existing, missing, "an existing report looks exactly like a missing one");
    let (status, _) = b.h.call("GET", "/api/members/m001/reports", Some(&b.bystander), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = b.h.call("GET", "/api/members/m001/joining", Some(&b.bystander), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The author's own reading is not an audit event; everyone else's is.
    let (status, _) = b.h.call("GET", "/api/members/m001/reports/2026Q4", Some(&b.author), None).await;
    assert_eq!(status, StatusCode::OK);
    for token in [&b.contact, &b.committee, &b.admin] {
        let (status, body) = b.h.call("GET", "/api/members/m001/reports/2026Q4", Some(token), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["report"]["author"], "张三");
        assert_eq!(body["report"]["body"], long_text());
    }
    let (status, series) = b.h.call("GET", "/api/members/m001/reports", Some(&b.contact), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(series["member"]["stage"], "activist");
    assert_eq!(series["reports"].as_array().unwrap().len(), 1);
    let views: Vec<_> = audit_actions(&b)
        .await
        .into_iter()
        .filter(|(_, action, _)| action.starts_with("report.view"))
        .collect();
    let who: Vec<&str> = views.iter().map(|(actor, _, _)| actor.as_str()).collect();
    assert_eq!(who, ["m002", "a001", "c001", "m002"], "newest first: {views:?}");
    assert!(views.iter().all(|(_, _, target)| target.starts_with("m001")), "{views:?}");
}

async fn a_report_is_withdrawn_only_until_someone_opens_it(b: Branch) {
    submitted(&b).await;
    let (status, body) =
        b.h.call("POST", "/api/reports/mine/2026Q4/withdraw", Some(&b.author), Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["report"]["status"], "draft");
    let (status, _) = b.h.call("GET", "/api/members/m001/reports/2026Q4", Some(&b.contact), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "withdrawn: a draft again");
    let (status, _) =
        b.h.call("POST", "/api/reports/mine/2026Q4/submit", Some(&b.author), Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK);
    // Listing the people one is contact for does not open their reports.
    let (_, assigned) = b.h.call("GET", "/api/reports/assigned", Some(&b.contact), None).await;
    assert_eq!(assigned["people"][0]["member_id"], "m001", "{assigned}");
    assert_eq!(assigned["people"][0]["reports"][0]["quarter"], "2026Q4");
    let (_, own) = b.h.call("GET", "/api/reports/mine/2026Q4", Some(&b.author), None).await;
    assert_eq!(own["report"]["withdrawable"], true);
    // Opened by the contact person: no withdrawing any more.
    b.h.call("GET", "/api/members/m001/reports/2026Q4", Some(&b.contact), None).await;
    let (status, body) =
        b.h.call("POST", "/api/reports/mine/2026Q4/withdraw", Some(&b.author), Some(json!({}))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "already_read"), "{body}");
    let (_, own) = b.h.call("GET", "/api/reports/mine/2026Q4", Some(&b.author), None).await;
    assert_eq!(
        (own["report"]["withdrawable"].clone(), own["report"]["opened"].clone()),
        (json!(false), json!(true))
    );
    let (status, body) = b.h.call("DELETE", "/api/reports/mine/2026Q4", Some(&b.author), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "submitted"));
}

async fn readers_comment_and_the_author_answers_each_comment_once(b: Branch) {
    submitted(&b).await;
    let path = "/api/members/m001/reports/2026Q4";
    let (status, _) =
        b.h.call("POST", &format!("{path}/comments"), Some(&b.bystander), Some(json!({"body": "写得好"})))
            .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a bystander cannot comment");
    let (status, _) =
        b.h.call("POST", &format!("{path}/comments"), Some(&b.author), Some(json!({"body": "自评"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nor the author on their own report");
    let (status, body) =
        b.h.call("POST", &format!("{path}/comments"), Some(&b.contact), Some(json!({"body": " "}))).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "body"));
    let (status, body) =
        b.h.call(
            "POST",
            &format!("{path}/comments"),
            Some(&b.contact),
            Some(json!({"body": "结合实习岗位再谈谈体会。"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["report"]["comments"][0]["by"], "李四");
    assert_eq!(body["report"]["read_by"], "李四", "a comment counts as read");
    let (status, body) = b.h.call("POST", &format!("{path}/read"), Some(&b.admin), Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["report"]["read_by"], "李四", "the first reader stays");
    let (_, own) = b.h.call("GET", "/api/reports/mine", Some(&b.author), None).await;
    assert_eq!(own["reports"][0]["comments"][0]["body"], "结合实习岗位再谈谈体会。");
    let reply = "/api/reports/mine/2026Q4/comments/1/reply";
    let (status, body) =
        b.h.call("POST", reply, Some(&b.author), Some(json!({"body": "好的，下季度补充。"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["report"]["comments"][0]["reply"]["body"], "好的，下季度补充。");
    let (status, body) = b.h.call("POST", reply, Some(&b.author), Some(json!({"body": "再补一句"}))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "already_replied"));
    let (status, _) =
        b.h.call(
            "POST",
            "/api/reports/mine/2026Q4/comments/2/reply",
            Some(&b.author),
            Some(json!({"body": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let actions: Vec<String> = audit_actions(&b).await.into_iter().map(|(_, a, _)| a).collect();
    assert!(actions.contains(&"report.comment".to_string()) && actions.contains(&"report.read".to_string()));
}

async fn the_quarter_overview_lists_everyone_who_reports_in_roster_order(b: Branch) {
    let (status, _) = b.h.call("GET", "/api/admin/reports", Some(&b.contact), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "members do not see the overview");
    let (_, before) = b.h.call("GET", "/api/admin/reports?quarter=2026Q4", Some(&b.committee), None).await;
    let rows = before["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "only m001 writes reports (m002 is a full member): {before}");
    assert_eq!((rows[0]["member_id"].clone(), rows[0]["state"].clone()), (json!("m001"), json!("missing")));
    save(&b, json!({"quarter": "2026Q4", "title": "草稿", "body": "未完成"})).await;
    let (_, draft) = b.h.call("GET", "/api/admin/reports", Some(&b.admin), None).await;
    assert_eq!(draft["quarter"], "2026Q4", "this quarter by default");
    assert_eq!(draft["rows"][0]["state"], "missing", "a draft is nobody else's business");
    b.h.call("POST", "/api/reports/mine/2026Q4/withdraw", Some(&b.author), Some(json!({}))).await;
    b.h.call("DELETE", "/api/reports/mine/2026Q4", Some(&b.author), None).await;
    submitted(&b).await;
    let (_, after) = b.h.call("GET", "/api/admin/reports?quarter=2026Q4", Some(&b.admin), None).await;
    assert_eq!(after["rows"][0]["state"], "submitted");
    b.h.call("POST", "/api/members/m001/reports/2026Q4/read", Some(&b.contact), Some(json!({}))).await;
    let (_, read) = b.h.call("GET", "/api/admin/reports?quarter=2026Q4", Some(&b.admin), None).await;
    assert_eq!(
        (read["rows"][0]["state"].clone(), read["rows"][0]["state_label"].clone()),
        (json!("read"), json!("已阅"))
    );
    let (status, body) = b.h.call("GET", "/api/admin/reports?quarter=Q4", Some(&b.admin), None).await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "quarter"));
}

async fn handwritten_pages_are_checked_by_their_bytes_and_removed_with_the_draft(b: Branch) {
    let pages = "/api/reports/mine/2026Q4/pages";
    let (status, body) = b.h.multipart(&b.author, pages, &[], b"%PDF-1.4 not a photo", "page.jpg").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    let (status, body) = b.h.multipart(&b.author, pages, &[], &png(300, 400), "page1.png").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["report"]["status"], "draft", "a page starts a draft");
    let page = &body["report"]["pages"][0];
    assert_eq!((page["width"].clone(), page["height"].clone()), (json!(300), json!(400)));
    // Served through a signed URL, as a re-encoded JPEG.
    let url = page["url"].as_str().unwrap();
    let request = axum::http::Request::get(url).body(axum::body::Body::empty()).unwrap();
    let response = tower::ServiceExt::oneshot(b.h.app.clone(), request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF], "stored as JPEG whatever was sent");
    // A title and one photographed page are a whole report.
    save(&b, json!({"quarter": "2026Q4", "title": "手写稿"})).await;
    for n in 2..=8 {
        let (status, body) = b.h.multipart(&b.author, pages, &[], &png(64, 64), &format!("p{n}.png")).await;
        assert_eq!(status, StatusCode::CREATED, "page {n}: {body}");
    }
    let (status, body) = b.h.multipart(&b.author, pages, &[], &png(64, 64), "p9.png").await;
    assert_eq!((status, error_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "photo"), "at most 8 pages");
    let (status, body) = b.h.call("DELETE", &format!("{pages}/8"), Some(&b.author), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["report"]["pages"].as_array().unwrap().len(), 7);
    let (status, body) =
        b.h.call("POST", "/api/reports/mine/2026Q4/submit", Some(&b.author), Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "pages stand for the typed text: {body}");
    let (status, body) = b.h.multipart(&b.author, pages, &[], &png(64, 64), "late.png").await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "submitted"));
    b.h.call("POST", "/api/reports/mine/2026Q4/withdraw", Some(&b.author), Some(json!({}))).await;
    let keys_before = b.h.state.blobs.keys().await.unwrap();
    assert_eq!(keys_before.iter().filter(|k| k.starts_with("reports/m001/2026Q4/")).count(), 14);
    let (status, body) = b.h.call("DELETE", "/api/reports/mine/2026Q4", Some(&b.author), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let keys_after = b.h.state.blobs.keys().await.unwrap();
    assert!(!keys_after.iter().any(|k| k.starts_with("reports/")), "a discarded draft's photos go with it");
    let (status, _) = b.h.call("GET", "/api/reports/mine/2026Q4", Some(&b.author), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn export_carries_the_file_and_erasure_removes_it_with_its_photos(b: Branch) {
    use zhibu_functions::admin::{Actor, export, remove};
    use zhibu_functions::domain::MemberId;
    submitted(&b).await;
    b.h.call(
        "POST",
        "/api/members/m001/joining",
        Some(&b.admin),
        Some(json!({"milestone": "applied", "date": "2025-03-01"})),
    )
    .await;
    b.h.call("POST", "/api/talks/requests", Some(&b.author), Some(json!({"mode": "phone"}))).await;
    let (status, _) =
        b.h.multipart(&b.author, "/api/reports/mine/2026Q3/pages", &[], &png(64, 64), "p.png").await;
    assert_eq!(status, StatusCode::CREATED);
    // The contact person's own file is not touched.
    b.h.call("POST", "/api/talks/requests", Some(&b.contact), Some(json!({"mode": "phone"}))).await;
    let (store, blobs) = (b.h.state.store.as_ref(), b.h.state.blobs.as_ref());
    let m001 = MemberId::parse("m001").unwrap();
    let data = export(store, &m001).await.unwrap();
    let kinds: Vec<&str> = data.documents.iter().map(|d| d.kind.as_str()).collect();
    assert_eq!(kinds, ["joining", "report", "report", "talk_request"], "{kinds:?}");
    let now = b.h.state.clock.now();
    let removed = remove(store, blobs, &Actor("cli:test".into()), &m001, true, now).await.unwrap();
    assert_eq!(removed.photos, 2, "the page and its thumbnail");
    assert!(!blobs.keys().await.unwrap().iter().any(|k| k.starts_with("reports/")));
    assert!(store.all_documents_of_member(&m001).await.unwrap().is_empty());
    let m002 = MemberId::parse("m002").unwrap();
    assert_eq!(store.all_documents_of_member(&m002).await.unwrap().len(), 1);
}

on_every_store!(
    export_carries_the_file_and_erasure_removes_it_with_its_photos,
    a_draft_is_the_authors_alone_until_submitted_whole,
    quarters_to_come_and_bad_fields_are_refused,
    others_get_the_same_404_and_every_reading_is_audited,
    a_report_is_withdrawn_only_until_someone_opens_it,
    readers_comment_and_the_author_answers_each_comment_once,
    the_quarter_overview_lists_everyone_who_reports_in_roster_order,
    handwritten_pages_are_checked_by_their_bytes_and_removed_with_the_draft,
);
