//! Handwritten copies (手抄党章): `POST /api/copies` (a photo per campaign day), `GET
//! /api/copies?campaign=` (the caller's own days), `GET /api/campaigns/{id}/progress` (admins)
//! and `GET /api/photos/{key}?expires=&sig=`. The upload itself is [`crate::upload`]; here the
//! multipart form is read and answers are shaped. Photos are served only through short-lived
//! signed URLs handed to their owner and admins.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::extract::{Admin, Caller};
use super::{AppState, UPLOAD_LIMIT};
use crate::catalog::{Campaign, Catalog};
use crate::domain::{MemberId, Progress, Role};
use crate::error::{ApiError, ApiResult};
use crate::photos::{self, PhotoError};
use crate::store::Copy;
use crate::upload::{CopyForm, UploadError, upload_copy};

/// How long a photo URL works.
pub const PHOTO_URL_SECONDS: i64 = 3600;

/// `GET /api/copies`'s query.
#[derive(Deserialize)]
pub struct CopiesQuery {
    campaign: Option<String>,
}

/// A photo URL's signature.
#[derive(Deserialize)]
pub struct PhotoLink {
    expires: Option<i64>,
    sig: Option<String>,
}

/// A copy as its member sees it after uploading.
#[derive(Serialize)]
pub struct CopyView {
    at: String,
    bytes: u64,
    campaign: String,
    day: u32,
    height: u32,
    thumb_url: String,
    url: String,
    width: u32,
}

/// `POST /api/copies`.
#[derive(Serialize)]
pub struct CopyAnswer {
    copy: CopyView,
}

/// A day the member has handed in.
#[derive(Serialize)]
pub struct DayView {
    at: String,
    day: u32,
    thumb_url: String,
    url: String,
}

/// `GET /api/copies?campaign=`: the caller's days, days done and streak.
#[derive(Serialize)]
pub struct MyCopiesAnswer {
    campaign: String,
    days: Vec<DayView>,
    days_done: usize,
    streak: u32,
}

/// A member's photo in the campaign's progress, for admins to look at.
#[derive(Serialize)]
pub struct PhotoView {
    day: u32,
    thumb_url: String,
    url: String,
}

/// A member's row of the campaign's progress.
#[derive(Serialize)]
pub struct MemberProgress {
    copies: Vec<PhotoView>,
    days: Vec<u32>,
    days_done: usize,
    member_id: MemberId,
    name: String,
}

/// `GET /api/campaigns/{id}/progress`: per member days done, in roster order (no ranking).
#[derive(Serialize)]
pub struct ProgressAnswer {
    campaign: String,
    days: u32,
    members: Vec<MemberProgress>,
}

pub(super) fn too_large() -> ApiError {
    ApiError::TooLarge(format!("照片超过 {} MB 上限，请压缩后再传", UPLOAD_LIMIT / 1024 / 1024))
}

fn not_an_image() -> ApiError {
    ApiError::UnsupportedMediaType("只能上传 JPEG、PNG 或 WebP 照片".into())
}

impl From<UploadError> for ApiError {
    fn from(e: UploadError) -> ApiError {
        match e {
            UploadError::UnknownCampaign(_) => ApiError::NotFound("没有这个活动".into()),
            UploadError::Day(field) => ApiError::Invalid(vec![field]),
            UploadError::DayNotYet(day) => ApiError::NotOpen(format!("第 {day} 天还没到，到那天再上传")),
            UploadError::Photo(e) => e.into(),
            UploadError::Failed(e) => ApiError::Internal(e),
        }
    }
}

/// A refused photo, wherever it was uploaded (copies, report pages).
impl From<PhotoError> for ApiError {
    fn from(e: PhotoError) -> ApiError {
        match e {
            PhotoError::NotAnImage => not_an_image(),
            PhotoError::TooManyPixels { width, height } => {
                ApiError::TooLarge(format!("照片为 {width}×{height} 像素，超过 4000 万像素上限"))
            }
            PhotoError::TooManyBytes { width, height, bytes } => ApiError::TooLarge(format!(
                "照片为 {width}×{height} 像素，数据量过大（解码需约 {} MB，上限 {} MB），请缩小或转为普通 JPEG 后再传",
                bytes.div_ceil(1 << 20),
                photos::DECODE_BUDGET >> 20
            )),
            PhotoError::Busy => ApiError::Busy { retry_after_secs: 5 },
            PhotoError::Corrupt(_) => ApiError::field("photo", "照片已损坏，无法读取，请重新拍摄"),
        }
    }
}

pub(super) fn signed_url(state: &AppState, key: &str) -> String {
    let expires = state.clock.now().timestamp() + PHOTO_URL_SECONDS;
    let path = format!("/api/photos/{key}");
    let sig = state.tokens.sign_url(&path, expires);
    format!("{path}?expires={expires}&sig={sig}")
}

fn campaign_of<'a>(catalog: &'a Catalog, id: &str) -> ApiResult<&'a Campaign> {
    catalog.campaigns.get(id).ok_or_else(|| ApiError::NotFound("没有这个活动".into()))
}

/// A multipart form's parts in order, read whole (within the upload limit).
pub(super) struct Form(Vec<(String, Vec<u8>)>);

impl Form {
    /// A text field, trimmed.
    pub(super) fn text(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, b)| String::from_utf8_lossy(b).trim().to_string())
    }

    /// Every non-empty file sent under `name`, in order.
    pub(super) fn files(&mut self, name: &str) -> Vec<Vec<u8>> {
        let parts = std::mem::take(&mut self.0);
        let (files, rest) = parts.into_iter().partition(|(n, _)| n == name);
        self.0 = rest;
        files.into_iter().map(|(_, b): (String, Vec<u8>)| b).filter(|b| !b.is_empty()).collect()
    }

    /// The first non-empty file sent under `name`.
    pub(super) fn file(&mut self, name: &str) -> Option<Vec<u8>> {
        self.files(name).into_iter().next()
    }
}

/// Reads a multipart form; `fields` names its fields for the error when the body is not a form.
pub(super) async fn form_fields(
    multipart: Result<Multipart, MultipartRejection>,
    fields: &str,
) -> ApiResult<Form> {
    let mut multipart = multipart.map_err(|_| {
        ApiError::UnsupportedMediaType(format!("请以 multipart/form-data 上传（字段 {fields}）"))
    })?;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::BadRequest(format!("上传内容无法读取：{e}"))
        }
    };
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(unreadable)?;
        parts.push((name, Vec::from(bytes)));
    }
    Ok(Form(parts))
}

/// The copy form's fields.
async fn read_form(multipart: Result<Multipart, MultipartRejection>) -> ApiResult<CopyForm> {
    let mut form = form_fields(multipart, "campaign、day、photo").await?;
    Ok(CopyForm { campaign: form.text("campaign"), day: form.text("day"), photo: form.file("photo") })
}

pub async fn upload(
    State(state): State<AppState>,
    Caller(me): Caller,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<CopyAnswer>)> {
    let upload = read_form(multipart).await?.check().map_err(ApiError::Invalid)?;
    if upload.photo_len() > UPLOAD_LIMIT {
        return Err(too_large());
    }
    let catalog = state.catalog.get();
    let copy = upload_copy(
        state.store.as_ref(),
        state.blobs.as_ref(),
        &catalog,
        state.clock.as_ref(),
        &me.id,
        upload,
    )
    .await?;
    let view = CopyView {
        at: copy.at.to_rfc3339(),
        bytes: copy.bytes,
        url: signed_url(&state, &copy.photo_key),
        thumb_url: signed_url(&state, &copy.thumb_key),
        campaign: copy.campaign,
        day: copy.day,
        height: copy.height,
        width: copy.width,
    };
    Ok((StatusCode::CREATED, Json(CopyAnswer { copy: view })))
}

pub async fn mine(
    State(state): State<AppState>,
    Caller(me): Caller,
    Query(query): Query<CopiesQuery>,
) -> ApiResult<Json<MyCopiesAnswer>> {
    let id = query.campaign.ok_or_else(|| ApiError::field("campaign", "请指定活动编号（campaign）"))?;
    let catalog = state.catalog.get();
    let campaign = campaign_of(&catalog, &id)?;
    let copies = state.store.copies_of(&me.id, &campaign.id).await?;
    let progress = Progress::of(campaign, copies.iter().map(|c| c.day), state.clock.now().date_naive());
    let days = copies
        .iter()
        .map(|c| DayView {
            at: c.at.to_rfc3339(),
            day: c.day,
            thumb_url: signed_url(&state, &c.thumb_key),
            url: signed_url(&state, &c.photo_key),
        })
        .collect();
    Ok(Json(MyCopiesAnswer {
        campaign: campaign.id.clone(),
        days,
        days_done: progress.days_done,
        streak: progress.streak,
    }))
}

/// Per member days done, in roster order: no ranking.
pub async fn progress(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<ProgressAnswer>> {
    let catalog = state.catalog.get();
    let campaign = campaign_of(&catalog, &id)?;
    let copies = state.store.copies_of_campaign(&campaign.id).await?;
    let members = state
        .store
        .members()
        .await?
        .into_iter()
        .filter(|m| m.member.role != Role::Admin)
        .map(|m| {
            let own: Vec<&Copy> = copies.iter().filter(|c| c.member_id == m.member.id).collect();
            // Admins may look at the photos: signed URLs, like the owner's.
            let photos = own
                .iter()
                .map(|c| PhotoView {
                    day: c.day,
                    thumb_url: signed_url(&state, &c.thumb_key),
                    url: signed_url(&state, &c.photo_key),
                })
                .collect();
            let days: Vec<u32> = own.iter().map(|c| c.day).collect();
            MemberProgress {
                copies: photos,
                days_done: days.len(),
                days,
                member_id: m.member.id,
                name: m.member.name,
            }
        })
        .collect();
    Ok(Json(ProgressAnswer { campaign: campaign.id.clone(), days: campaign.days, members }))
}

/// A photo through its signed URL; a missing, malformed, wrong or expired signature is 403.
pub async fn photo(
    State(state): State<AppState>,
    Path(key): Path<String>,
    link: Result<Query<PhotoLink>, QueryRejection>,
) -> ApiResult<Response> {
    let Ok(Query(PhotoLink { expires, sig })) = link else { return Err(ApiError::LinkInvalid) };
    let expires = expires.unwrap_or(0);
    let path = format!("/api/photos/{key}");
    let now = state.clock.now().timestamp();
    if !crate::blobs::valid_key(&key)
        || !state.tokens.verify_url(&path, expires, sig.as_deref().unwrap_or(""), now)
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
