//! Handwritten copies: photos checked by their bytes, re-encoded, replaced atomically, served
//! only through signed, expiring URLs to their owner and admins.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use serde_json::json;

const CAMPAIGN: &str = "constitution-100";

async fn get_raw(h: &Harness, url: &str) -> (StatusCode, Vec<u8>, String) {
    let response = tower::ServiceExt::oneshot(h.app.clone(), Request::get(url).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let ctype =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes().to_vec();
    (status, bytes, ctype)
}

#[tokio::test]
async fn a_photo_is_processed_stored_and_served_through_its_signed_url() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, b) = h.upload(&token, CAMPAIGN, "3", &png(2400, 1600), "抄写.png").await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    let copy = &b["copy"];
    assert_eq!((copy["campaign"].as_str(), copy["day"].as_u64()), (Some(CAMPAIGN), Some(3)));
    assert_eq!((copy["width"].as_u64(), copy["height"].as_u64()), (Some(2000), Some(1333)));
    assert_eq!(h.blob_count(), 2, "the photo and its thumbnail");
    let (status, bytes, ctype) = get_raw(&h, copy["url"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ctype, "image/jpeg");
    assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF], "re-encoded as JPEG");
    assert_eq!(bytes.len() as u64, copy["bytes"].as_u64().unwrap());
    let (status, thumb, _) = get_raw(&h, copy["thumb_url"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let img = image::load_from_memory(&thumb).unwrap();
    assert_eq!(img.width().max(img.height()), 320);
}

#[tokio::test]
async fn without_a_valid_signature_nothing_is_served() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (_, b) = h.upload(&token, CAMPAIGN, "1", &png(400, 300), "a.png").await;
    let url = b["copy"]["url"].as_str().unwrap().to_string();
    let bare = url.split('?').next().unwrap();
    assert_eq!(get_raw(&h, bare).await.0, StatusCode::FORBIDDEN);
    let tampered = url.replace("sig=", "sig=A");
    assert_eq!(get_raw(&h, &tampered).await.0, StatusCode::FORBIDDEN);
    let other_photo = url.replace("/1-", "/2-");
    assert_eq!(get_raw(&h, &other_photo).await.0, StatusCode::FORBIDDEN);
    h.clock.advance(chrono::Duration::hours(2));
    assert_eq!(get_raw(&h, &url).await.0, StatusCode::FORBIDDEN, "expired");
}

#[tokio::test]
async fn a_repeat_for_the_same_day_replaces_the_photo_and_removes_the_old_one() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (_, first) = h.upload(&token, CAMPAIGN, "2", &png(400, 300), "a.png").await;
    let (status, second) = h.upload(&token, CAMPAIGN, "2", &png(300, 400), "b.png").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(second["copy"]["width"], 300);
    assert_eq!(h.blob_count(), 2, "the old photo and thumbnail are gone");
    assert_eq!(get_raw(&h, first["copy"]["url"].as_str().unwrap()).await.0, StatusCode::NOT_FOUND);
    let (_, mine) = h.call("GET", &format!("/api/copies?campaign={CAMPAIGN}"), Some(&token), None).await;
    assert_eq!(mine["days_done"], 1);
}

#[tokio::test]
async fn bytes_decide_what_an_upload_is_not_its_name() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, b) = h.upload(&token, CAMPAIGN, "1", b"GIF89a not really", "photo.jpg").await;
    assert_eq!((status, error_code(&b)), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"));
    let (status, _) =
        h.upload(&token, CAMPAIGN, "1", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.png").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, b) = h.upload(&token, CAMPAIGN, "1", &png(400, 300), "scan.txt").await;
    assert_eq!(status, StatusCode::CREATED, "a real PNG with any name is fine: {b}");
    assert_eq!(h.blob_count(), 2, "nothing was stored for the refused uploads");
}

#[tokio::test]
async fn oversized_uploads_and_decompression_bombs_are_413() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let mut big = png(64, 64);
    big.resize(4 * 1024 * 1024 + 10, 0);
    let (status, b) = h.upload(&token, CAMPAIGN, "1", &big, "big.png").await;
    assert_eq!((status, error_code(&b)), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"));
    // A PNG header claiming 10000×10000 pixels: refused before decoding.
    let mut bomb = png(8, 8);
    bomb[16..20].copy_from_slice(&10_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&10_000u32.to_be_bytes());
    let (status, b) = h.upload(&token, CAMPAIGN, "1", &bomb, "bomb.png").await;
    assert_eq!((status, error_code(&b)), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"), "{b}");
}

#[tokio::test]
async fn days_must_exist_and_have_come() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    // The campaign started 2026-12-01; the clock says 2026-12-09: day 9 is today.
    let (status, _) = h.upload(&token, CAMPAIGN, "9", &png(100, 100), "a.png").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, b) = h.upload(&token, CAMPAIGN, "10", &png(100, 100), "a.png").await;
    assert_eq!((status, error_code(&b)), (StatusCode::CONFLICT, "not_open"));
    for day in ["0", "101", "x"] {
        let (status, b) = h.upload(&token, CAMPAIGN, day, &png(100, 100), "a.png").await;
        assert_eq!((status, error_field(&b)), (StatusCode::UNPROCESSABLE_ENTITY, "day"), "day {day}");
    }
    let (status, _) = h.upload(&token, "no-such-campaign", "1", &png(100, 100), "a.png").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_json_body_is_not_an_upload() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    let (status, b) = h.call("POST", "/api/copies", Some(&token), Some(json!({"campaign": CAMPAIGN}))).await;
    assert_eq!((status, error_code(&b)), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"));
}

#[tokio::test]
async fn progress_is_the_members_own_with_days_done_and_streak() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    for day in ["5", "7", "8", "9"] {
        assert_eq!(h.upload(&token, CAMPAIGN, day, &png(100, 100), "a.png").await.0, StatusCode::CREATED);
    }
    let (status, b) = h.call("GET", &format!("/api/copies?campaign={CAMPAIGN}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((b["days_done"].as_u64(), b["streak"].as_u64()), (Some(4), Some(3)));
    let days: Vec<u64> = b["days"].as_array().unwrap().iter().map(|d| d["day"].as_u64().unwrap()).collect();
    assert_eq!(days, vec![5, 7, 8, 9]);
    let other = h.login("m002", OTHER_CODE).await;
    let (_, theirs) = h.call("GET", &format!("/api/copies?campaign={CAMPAIGN}"), Some(&other), None).await;
    assert_eq!(theirs["days_done"], 0);
    let (_, me) = h.call("GET", "/api/me", Some(&token), None).await;
    assert_eq!(me["copies"][CAMPAIGN], json!({"days_done": 4, "streak": 3}));
}

#[tokio::test]
async fn admins_see_campaign_progress_in_roster_order_without_ranking() {
    let h = Harness::new().await;
    let member = h.member_token().await;
    let other = h.login("m002", OTHER_CODE).await;
    h.upload(&other, CAMPAIGN, "1", &png(100, 100), "a.png").await;
    h.upload(&other, CAMPAIGN, "2", &png(100, 100), "a.png").await;
    h.upload(&member, CAMPAIGN, "1", &png(100, 100), "a.png").await;
    let path = format!("/api/campaigns/{CAMPAIGN}/progress");
    assert_eq!(h.call("GET", &path, Some(&member), None).await.0, StatusCode::FORBIDDEN);
    let (status, b) = h.call("GET", &path, Some(&h.admin_token().await), None).await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<(String, u64)> = b["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["member_id"].as_str().unwrap().to_string(), m["days_done"].as_u64().unwrap()))
        .collect();
    assert_eq!(rows, vec![("m001".to_string(), 1), ("m002".to_string(), 2)], "roster order, not by count");
    // The admin can look at a member's photo through the signed URL in the report.
    let url = b["members"][1]["copies"][0]["thumb_url"].as_str().unwrap().to_string();
    let (status, _, ctype) = get_raw(&h, &url).await;
    assert_eq!((status, ctype.as_str()), (StatusCode::OK, "image/jpeg"));
}

use crate::crafted;

#[tokio::test]
async fn a_small_png_of_too_many_decoded_bytes_is_413_and_nothing_is_stored() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    // 6300×6300 is inside the 40-megapixel limit, but 16-bit RGBA: 308 KB on the wire, 317.5 MB
    // decoded. Refused from its header, before any decoding.
    let bomb = crafted::zero_png(6300, 6300, 16, 6);
    assert!(bomb.len() < 320_000, "{} bytes", bomb.len());
    let (status, b) = h.upload(&token, CAMPAIGN, "1", &bomb, "deep.png").await;
    assert_eq!((status, error_code(&b)), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"), "{b}");
    let message = b["error"]["message"].as_str().unwrap();
    assert!(message.contains("6300×6300") && message.contains("上限 128 MB"), "{message}");
    // So is a progressive JPEG whose coefficients the decoder would have to keep.
    let (status, b) =
        h.upload(&token, CAMPAIGN, "1", &crafted::flat_progressive_jpeg(8000, 5000), "p.jpg").await;
    assert_eq!((status, error_code(&b)), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"), "{b}");
    assert_eq!(h.blob_count(), 0);
}

#[tokio::test]
async fn a_png_with_a_colour_profile_bomb_is_taken_without_its_profile() {
    let h = Harness::new().await;
    let token = h.member_token().await;
    // An iCCP chunk that would inflate to 1 GiB (about 1 MB): never read, the picture is fine.
    let photo = crafted::with_iccp_bomb(&png(64, 64), 1 << 30);
    let (status, b) = h.upload(&token, CAMPAIGN, "1", &photo, "profile.png").await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!((b["copy"]["width"].as_u64(), b["copy"]["height"].as_u64()), (Some(64), Some(64)));
}
