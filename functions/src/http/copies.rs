//! Handwritten copies (手抄党章): a photo per campaign day. The bytes decide what an upload is,
//! never its name; photos are re-encoded (EXIF and GPS gone) and served only through short-lived
//! signed URLs handed to their owner and admins.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::extract::{Admin, Caller, query};
use super::{AppState, UPLOAD_LIMIT};
use crate::catalog::Campaign;
use crate::domain::{CampaignDay, Role, Slug};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::photos::{self, PhotoError};
use crate::store::Copy;

/// How long a photo URL works.
pub const PHOTO_URL_SECONDS: i64 = 3600;

fn too_large() -> ApiError {
    ApiError::TooLarge(format!("照片超过 {} MB 上限，请压缩后再传", UPLOAD_LIMIT / 1024 / 1024))
}

fn signed_url(state: &AppState, key: &str) -> String {
    let expires = state.clock.now().timestamp() + PHOTO_URL_SECONDS;
    let path = format!("/api/photos/{key}");
    let sig = state.tokens.sign_url(&path, expires);
    format!("{path}?expires={expires}&sig={sig}")
}

fn copy_json(state: &AppState, c: &Copy) -> Value {
    json!({
        "campaign": c.campaign,
        "day": c.day,
        "url": signed_url(state, &c.photo_key),
        "thumb_url": signed_url(state, &c.thumb_key),
        "width": c.width,
        "height": c.height,
        "bytes": c.bytes,
        "at": c.at.to_rfc3339(),
    })
}

/// The run of consecutive days ending today (or yesterday, while today is still to do).
pub fn streak(done: &BTreeSet<u32>, today: i64) -> u32 {
    let mut day = today.min(i64::from(u32::MAX));
    if day < 1 {
        return 0;
    }
    if !done.contains(&(day as u32)) {
        day -= 1;
    }
    let mut n = 0;
    while day >= 1 && done.contains(&(day as u32)) {
        n += 1;
        day -= 1;
    }
    n
}

fn campaign_today(state: &AppState, campaign: &Campaign) -> i64 {
    campaign.day_of(state.clock.now().date_naive()).min(i64::from(campaign.days))
}

pub async fn upload(
    State(state): State<AppState>,
    Caller(me): Caller,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut multipart = multipart.map_err(|_| {
        ApiError::UnsupportedMediaType("请以 multipart/form-data 上传（字段 campaign、day、photo）".into())
    })?;
    let (mut campaign, mut day, mut photo) = (None, None, None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => return Err(ApiError::BadRequest(format!("上传内容无法读取：{e}"))),
        };
        let name = field.name().unwrap_or("").to_string();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => return Err(ApiError::BadRequest(format!("上传内容无法读取：{e}"))),
        };
        match name.as_str() {
            "campaign" => campaign = Some(String::from_utf8_lossy(&bytes).trim().to_string()),
            "day" => day = Some(String::from_utf8_lossy(&bytes).trim().to_string()),
            "photo" => photo = Some(bytes),
            _ => {}
        }
    }
    let mut errors = Vec::new();
    let campaign_id = match campaign.as_deref() {
        Some(c) => Slug::parse("campaign", c).map_err(|e| errors.push(e)).ok(),
        None => {
            errors.push(FieldError::new("campaign", "缺少活动编号"));
            None
        }
    };
    if day.is_none() {
        errors.push(FieldError::new("day", "缺少天数"));
    }
    if photo.as_ref().is_none_or(|p| p.is_empty()) {
        errors.push(FieldError::new("photo", "请选择照片"));
    }
    let (Some(campaign_id), Some(day), Some(photo)) = (campaign_id.filter(|_| errors.is_empty()), day, photo)
    else {
        return Err(ApiError::Invalid(errors));
    };
    if photo.len() > UPLOAD_LIMIT {
        return Err(too_large());
    }
    let catalog = state.catalog.get();
    let campaign = catalog
        .campaigns
        .get(campaign_id.as_str())
        .ok_or_else(|| ApiError::NotFound("没有这个活动".into()))?;
    let day = CampaignDay::parse(&day, campaign.days).map_err(|e| ApiError::Invalid(vec![e]))?;
    if i64::from(day.get()) > campaign.day_of(state.clock.now().date_naive()) {
        return Err(ApiError::NotOpen(format!("第 {} 天还没到，到那天再上传", day.get())));
    }
    if photos::sniff(&photo).is_none() {
        return Err(ApiError::UnsupportedMediaType("只能上传 JPEG、PNG 或 WebP 照片".into()));
    }
    // Blocking: decoding is CPU work, and `process` waits there for one of the process's decode
    // slots (photos::DECODE_SLOTS), which bounds the memory of parallel uploads.
    let processed =
        tokio::task::spawn_blocking(move || photos::process(&photo)).await.map_err(ApiError::internal)?;
    let processed = match processed {
        Ok(p) => p,
        Err(PhotoError::NotAnImage) => {
            return Err(ApiError::UnsupportedMediaType("只能上传 JPEG、PNG 或 WebP 照片".into()));
        }
        Err(PhotoError::TooManyPixels { width, height }) => {
            return Err(ApiError::TooLarge(format!("照片为 {width}×{height} 像素，超过 4000 万像素上限")));
        }
        Err(PhotoError::TooManyBytes { width, height, bytes }) => {
            return Err(ApiError::TooLarge(format!(
                "照片为 {width}×{height} 像素，数据量过大（解码需约 {} MB，上限 {} MB），请缩小或转为普通 JPEG 后再传",
                bytes.div_ceil(1 << 20),
                photos::DECODE_BUDGET >> 20
            )));
        }
        Err(PhotoError::Busy) => return Err(ApiError::Busy { retry_after_secs: 5 }),
        Err(PhotoError::Corrupt(_)) => {
            return Err(ApiError::field("photo", "照片已损坏，无法读取，请重新拍摄"));
        }
    };

    // New blobs first, then the record (one atomic replacement), then the old blobs: a failure
    // at any step leaves the previous copy intact.
    let stem = format!("copies/{}/{}/{}-{}", campaign.id, me.id, day.get(), uuid::Uuid::new_v4().simple());
    let (photo_key, thumb_key) = (format!("{stem}.jpg"), format!("{stem}-thumb.jpg"));
    let bytes = processed.jpeg.len() as u64;
    state.blobs.put(&photo_key, processed.jpeg, "image/jpeg").await?;
    if let Err(e) = state.blobs.put(&thumb_key, processed.thumb, "image/jpeg").await {
        let _ = state.blobs.delete(&photo_key).await;
        return Err(e.into());
    }
    let copy = Copy {
        campaign: campaign.id.clone(),
        member_id: me.id.clone(),
        day: day.get(),
        photo_key: photo_key.clone(),
        thumb_key: thumb_key.clone(),
        width: processed.width,
        height: processed.height,
        bytes,
        at: state.clock.now(),
    };
    let previous = match state.store.put_copy(&copy).await {
        Ok(p) => p,
        Err(e) => {
            let _ = state.blobs.delete(&photo_key).await;
            let _ = state.blobs.delete(&thumb_key).await;
            return Err(e.into());
        }
    };
    if let Some(old) = previous {
        for key in [&old.photo_key, &old.thumb_key] {
            if let Err(e) = state.blobs.delete(key).await {
                tracing::warn!(
                    key = key.as_str(),
                    error = format!("{e:#}"),
                    "could not remove a replaced photo"
                );
            }
        }
    }
    Ok((StatusCode::CREATED, Json(json!({ "copy": copy_json(&state, &copy) }))))
}

/// The campaign named by `?campaign=`.
fn campaign_param<'a>(raw: Option<&str>, catalog: &'a crate::catalog::Catalog) -> ApiResult<&'a Campaign> {
    let q = query(raw);
    let id = q.get("campaign").ok_or_else(|| ApiError::field("campaign", "请指定活动编号（campaign）"))?;
    catalog.campaigns.get(id).ok_or_else(|| ApiError::NotFound("没有这个活动".into()))
}

pub async fn mine(
    State(state): State<AppState>,
    Caller(me): Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let catalog = state.catalog.get();
    let campaign = campaign_param(raw.as_deref(), &catalog)?;
    let copies = state.store.copies_of(&me.id, &campaign.id).await?;
    let done: BTreeSet<u32> = copies.iter().map(|c| c.day).collect();
    let days: Vec<Value> = copies
        .iter()
        .map(|c| json!({ "day": c.day, "thumb_url": signed_url(&state, &c.thumb_key), "url": signed_url(&state, &c.photo_key), "at": c.at.to_rfc3339() }))
        .collect();
    Ok(Json(json!({
        "campaign": campaign.id,
        "days": days,
        "days_done": done.len(),
        "streak": streak(&done, campaign_today(&state, campaign)),
    })))
}

/// Per member days done, in roster order: no ranking.
pub async fn progress(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let catalog = state.catalog.get();
    let campaign = catalog.campaigns.get(&id).ok_or_else(|| ApiError::NotFound("没有这个活动".into()))?;
    let copies = state.store.copies_of_campaign(&campaign.id).await?;
    let members: Vec<Value> = state
        .store
        .members()
        .await?
        .into_iter()
        .filter(|m| m.member.role == Role::Member)
        .map(|m| {
            let own: Vec<&Copy> = copies.iter().filter(|c| c.member_id == m.member.id).collect();
            // Admins may look at the photos: signed URLs, like the owner's.
            let photos: Vec<Value> = own
                .iter()
                .map(|c| {
                    json!({ "day": c.day, "thumb_url": signed_url(&state, &c.thumb_key), "url": signed_url(&state, &c.photo_key) })
                })
                .collect();
            let days: Vec<u32> = own.iter().map(|c| c.day).collect();
            json!({ "member_id": m.member.id, "name": m.member.name, "days_done": days.len(), "days": days, "copies": photos })
        })
        .collect();
    Ok(Json(json!({ "campaign": campaign.id, "days": campaign.days, "members": members })))
}

/// A photo through its signed URL.
pub async fn photo(
    State(state): State<AppState>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let q = query(raw.as_deref());
    let expires = q.get("expires").and_then(|e| e.parse::<i64>().ok()).unwrap_or(0);
    let sig = q.get("sig").map(String::as_str).unwrap_or("");
    let path = format!("/api/photos/{key}");
    if !crate::blobs::valid_key(&key)
        || !state.tokens.verify_url(&path, expires, sig, state.clock.now().timestamp())
    {
        return Err(ApiError::LinkInvalid);
    }
    let bytes =
        state.blobs.get(&key).await?.ok_or_else(|| ApiError::NotFound("照片不存在或已被替换".into()))?;
    let max_age = (expires - state.clock.now().timestamp()).clamp(0, PHOTO_URL_SECONDS);
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg".to_string()),
            (header::CACHE_CONTROL, format!("private, max-age={max_age}")),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streak_counts_back_from_today_or_yesterday() {
        let done: BTreeSet<u32> = [1, 2, 4, 5, 6].into_iter().collect();
        assert_eq!(streak(&done, 6), 3);
        assert_eq!(streak(&done, 7), 3, "today not done yet: the run up to yesterday");
        assert_eq!(streak(&done, 8), 0);
        assert_eq!(streak(&done, 0), 0);
    }
}
