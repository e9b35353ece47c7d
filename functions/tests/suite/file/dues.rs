//! The dues ledger: members report payments (months, amount, how, a receipt's photo) that admins
//! confirm or reject with a reason; admins record cash directly and set amounts (in fen, or from
//! a wage by the 2008 table; 0 exempts); the ledger tells each month apart; members two or more
//! months behind are listed for the admins; nobody sees anyone else's dues.

use super::{Branch, on_every_store};
use crate::common::*;

use axum::http::StatusCode;
use serde_json::{Value, json};

fn states(dues: &Value) -> Vec<String> {
    dues["months"].as_array().unwrap().iter().map(|m| m["state"].as_str().unwrap().to_string()).collect()
}

async fn members_report_and_admins_confirm(b: Branch) {
    // Today is 9 December 2026: October is due (10 November has passed), November not yet.
    let (status, mine) = b.h.call("GET", "/api/dues/mine", Some(&b.contact), None).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["pays_dues"], true);
    assert_eq!(mine["dues"]["rate_fen"], 20, "the student rate when none is set");
    let s = states(&mine["dues"]);
    assert_eq!(&s[9..], ["overdue", "open", "open"]);
    assert_eq!(mine["dues"]["arrears_fen"], 200, "ten months of 20 fen");
    let (_, activist) = b.h.call("GET", "/api/dues/mine", Some(&b.author), None).await;
    assert_eq!(activist["pays_dues"], false, "an activist pays no dues yet");

    let report = json!({"months": ["2026-10", "2026-08", "2026-09"], "amount_fen": 60, "method": "微信转账给支部", "note": "补交"});
    let (status, body) = b.h.call("POST", "/api/dues/payments", Some(&b.contact), Some(report.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let payment = &body["payment"];
    assert_eq!(payment["months"], json!(["2026-08", "2026-09", "2026-10"]));
    assert_eq!((payment["status"].clone(), payment["expected_fen"].clone()), (json!("pending"), json!(60)));
    let id = payment["id"].as_str().unwrap().to_string();
    let overlapping = json!({"months": ["2026-10"], "amount_fen": 20, "method": "cash"});
    let (status, body) = b.h.call("POST", "/api/dues/payments", Some(&b.contact), Some(overlapping)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "already_paid"), "{body}");
    let (_, mine) = b.h.call("GET", "/api/dues/mine", Some(&b.contact), None).await;
    assert_eq!(&states(&mine["dues"])[7..10], ["reported", "reported", "reported"]);

    // A receipt's photo, checked by its bytes; only on one's own payment.
    let receipt = format!("/api/dues/payments/{id}/receipt");
    let (status, _) = b.h.multipart(&b.contact, &receipt, &[], b"not an image at all", "r.jpg").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _) = b.h.multipart(&b.bystander, &receipt, &[], &png(64, 64), "r.png").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not someone else's payment");
    let (status, body) = b.h.multipart(&b.contact, &receipt, &[], &png(120, 80), "r.png").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body["payment"]["receipt"]["url"].as_str().unwrap().starts_with("/api/photos/dues/m002/"));

    // The admins' ledger: members who pay dues, in roster order; the payment waits.
    let (status, _) = b.h.call("GET", "/api/admin/dues", Some(&b.contact), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, branch) = b.h.call("GET", "/api/admin/dues?year=2026", Some(&b.admin), None).await;
    let ids: Vec<&str> =
        branch["rows"].as_array().unwrap().iter().map(|r| r["member_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["m002", "a001", "c001", "m005"], "roster order, without the activist");
    assert_eq!(branch["pending"][0]["id"], id.as_str());
    assert_eq!(branch["pending"][0]["name"], "李四");
    let behind: Vec<&str> =
        branch["behind"].as_array().unwrap().iter().map(|r| r["member_id"].as_str().unwrap()).collect();
    assert!(behind.contains(&"m005") && !behind.contains(&"m002"), "m002 has reported October: {behind:?}");

    let review = format!("/api/admin/dues/payments/{id}/review");
    let (status, body) = b.h.call("POST", &review, Some(&b.admin), Some(json!({"decision": "reject"}))).await;
    assert_eq!(
        (status, error_field(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "reason"),
        "a rejection needs a reason"
    );
    let (status, body) =
        b.h.call("POST", &review, Some(&b.contact), Some(json!({"decision": "confirm"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) =
        b.h.call("POST", &review, Some(&b.admin), Some(json!({"decision": "confirm"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["payment"]["status"], "confirmed");
    let (status, body) =
        b.h.call("POST", &review, Some(&b.admin), Some(json!({"decision": "confirm"}))).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "reviewed"));
    let (_, mine) = b.h.call("GET", "/api/dues/mine", Some(&b.contact), None).await;
    assert_eq!(&states(&mine["dues"])[7..10], ["confirmed", "confirmed", "confirmed"]);
    let (status, body) =
        b.h.call("DELETE", &format!("/api/dues/payments/{id}"), Some(&b.contact), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "reviewed"), "a confirmed payment stays");
    let (_, log) = b.h.call("GET", "/api/audit", Some(&b.admin), None).await;
    assert_eq!(log["entries"][0]["action"], "dues.confirm");
    assert_eq!(log["entries"][0]["target"], "m002");
}

async fn admins_record_cash_set_amounts_and_members_withdraw_mistakes(b: Branch) {
    // The branch keeps its ledger from January on.
    let start = json!({"member_id": "m005", "from": "2026-01", "amount_fen": 20});
    b.h.call("POST", "/api/admin/dues/rates", Some(&b.admin), Some(start)).await;
    let cash = json!({"member_id": "m005", "months": ["2026-01", "2026-02", "2026-03"], "amount_fen": 60, "method": "cash"});
    let (status, body) = b.h.call("POST", "/api/admin/dues/payments", Some(&b.admin), Some(cash)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["payment"]["status"], "confirmed", "recorded by an admin: confirmed at once");
    // Paid at the host organisation (流动党员活动证): its own state.
    let host = json!({"member_id": "m005", "months": ["2026-04"], "amount_fen": 20, "method": "host"});
    b.h.call("POST", "/api/admin/dues/payments", Some(&b.admin), Some(host)).await;
    // A wage earner's amount from the 2008 table, and an exemption.
    let (status, body) =
        b.h.call(
            "POST",
            "/api/admin/dues/rates",
            Some(&b.admin),
            Some(json!({"member_id": "m005", "from": "2026-11", "wage_yuan": 4500})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((body["amount_fen"].clone(), body["amount"].clone()), (json!(4500), json!("45.00")));
    b.h.call(
        "POST",
        "/api/admin/dues/rates",
        Some(&b.admin),
        Some(json!({"member_id": "m005", "from": "2026-06", "amount_fen": 0, "note": "困难减免"})),
    )
    .await;
    let (status, body) =
        b.h.call(
            "POST",
            "/api/admin/dues/rates",
            Some(&b.admin),
            Some(json!({"member_id": "m005", "from": "2026-13", "amount_fen": -1})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"].as_array().unwrap().len(), 2, "{body}");
    let (_, mine) = b.h.call("GET", "/api/dues/mine", Some(&b.bystander), None).await;
    let s = states(&mine["dues"]);
    assert_eq!(
        s,
        [
            "confirmed",
            "confirmed",
            "confirmed",
            "elsewhere",
            "overdue",
            "exempt",
            "exempt",
            "exempt",
            "exempt",
            "exempt",
            "open",
            "open"
        ]
    );
    assert_eq!(mine["dues"]["months"][10]["due_fen"], 4500);
    assert_eq!(mine["dues"]["rate_fen"], 4500);
    // The branch starts its ledger by setting amounts from a month on: months before the first
    // amount are not due.
    let start = json!({"member_id": "c001", "from": "2026-09", "amount_fen": 20});
    b.h.call("POST", "/api/admin/dues/rates", Some(&b.admin), Some(start)).await;
    let (_, branch) = b.h.call("GET", "/api/admin/dues", Some(&b.admin), None).await;
    let c001 = branch["rows"].as_array().unwrap().iter().find(|r| r["member_id"] == "c001").unwrap();
    assert_eq!(c001["months"][7]["state"], "none", "August, before the ledger began: {c001}");
    assert_eq!(c001["months"][9]["state"], "overdue");
    assert_eq!((c001["months_behind"].clone(), c001["arrears_fen"].clone()), (json!(2), json!(40)));
    // A member's own mistake is withdrawn while it waits.
    let (_, body) =
        b.h.call(
            "POST",
            "/api/dues/payments",
            Some(&b.bystander),
            Some(json!({"months": ["2026-05"], "amount_fen": 20, "method": "wechat"})),
        )
        .await;
    let id = body["payment"]["id"].as_str().unwrap().to_string();
    let (status, _) = b.h.call("DELETE", &format!("/api/dues/payments/{id}"), Some(&b.contact), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not someone else's");
    let (status, _) = b.h.call("DELETE", &format!("/api/dues/payments/{id}"), Some(&b.bystander), None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, mine) = b.h.call("GET", "/api/dues/mine", Some(&b.bystander), None).await;
    assert_eq!(states(&mine["dues"])[4], "overdue");
    let (_, log) = b.h.call("GET", "/api/audit", Some(&b.admin), None).await;
    let actions: Vec<&str> =
        log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "dues.record").count(), 2);
    assert_eq!(actions.iter().filter(|a| **a == "dues.rate").count(), 4);
}

async fn payments_are_checked_field_by_field(b: Branch) {
    let (status, body) =
        b.h.call(
            "POST",
            "/api/dues/payments",
            Some(&b.contact),
            Some(json!({"months": ["2026-13"], "amount_fen": 1.5, "method": "alipay"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_field(&body), "amount_fen", "an amount in fen is an integer");
    let (status, body) =
        b.h.call(
            "POST",
            "/api/dues/payments",
            Some(&b.contact),
            Some(json!({"months": [], "amount_fen": 0, "method": "alipay"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["months", "amount_fen", "method"]);
}

on_every_store!(
    members_report_and_admins_confirm,
    admins_record_cash_set_amounts_and_members_withdraw_mistakes,
    payments_are_checked_field_by_field,
);
