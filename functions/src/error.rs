//! The one error type of the functions and its one mapping to HTTP (status + the contract's JSON
//! body). A client's mistake is always a 4xx naming the field; a 5xx never carries internals —
//! its cause is logged once, with the request's id.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    #[error("not found: {0}")]
    NotFound(String),
    #[error("invalid fields: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("not open yet: {0}")]
    NotOpen(String),
    #[error("closed: {0}")]
    Closed(String),
    #[error("the same request is being processed")]
    InProgress,
    /// The record is not in a state that allows this (a submitted report edited, a report
    /// withdrawn after it was read, a comment answered twice): 409 with its own `code`.
    #[error("conflict {code}: {message}")]
    Conflict { code: &'static str, message: String },
    /// Too many of something (`what`, shown to the member: "登录尝试次数过多").
    #[error("rate limited for {retry_after_secs} s: {what}")]
    RateLimited { retry_after_secs: u64, what: &'static str },
    /// The server cannot take this now (every slot of a bounded, expensive step is busy).
    #[error("busy, retry after {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    /// A signed link (a photo URL) that is wrong or expired.
    #[error("invalid or expired link")]
    LinkInvalid,
    /// A method the path does not take (GET on a POST-only endpoint).
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Conflict { code, message: message.into() }
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(e.into())
    }

    fn parts(&self) -> (StatusCode, &'static str, String, Option<String>) {
        match self {
            ApiError::Unauthorized(why) => {
                (StatusCode::UNAUTHORIZED, "unauthorized", (*why).to_string(), None)
            }
            ApiError::Forbidden => {
                (StatusCode::FORBIDDEN, "forbidden", "只有支部管理员可以进行此操作".into(), None)
            }
            ApiError::NotFound(what) => (StatusCode::NOT_FOUND, "not_found", what.clone(), None),
            ApiError::Invalid(fields) => {
                let first = fields.first();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_field",
                    first.map(|f| f.message.clone()).unwrap_or_else(|| "提交的内容有误".into()),
                    first.map(|f| f.field.clone()),
                )
            }
            ApiError::BadRequest(why) => (StatusCode::BAD_REQUEST, "bad_request", why.clone(), None),
            ApiError::TooLarge(why) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", why.clone(), None),
            ApiError::UnsupportedMediaType(why) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", why.clone(), None)
            }
            ApiError::NotOpen(why) => (StatusCode::CONFLICT, "not_open", why.clone(), None),
            ApiError::Closed(why) => (StatusCode::CONFLICT, "closed", why.clone(), None),
            ApiError::Conflict { code, message } => (StatusCode::CONFLICT, code, message.clone(), None),
            ApiError::InProgress => (
                StatusCode::CONFLICT,
                "in_progress",
                "同一提交正在处理中，请稍候".into(),
                Some("Idempotency-Key".into()),
            ),
            ApiError::RateLimited { retry_after_secs, what } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("{what}，请 {} 分钟后再试", retry_after_secs.div_ceil(60).max(1)),
                None,
            ),
            ApiError::Busy { .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, "busy", "服务器正忙，请稍后再试".into(), None)
            }
            ApiError::LinkInvalid => {
                (StatusCode::FORBIDDEN, "forbidden", "链接无效或已过期，请刷新页面后再看".into(), None)
            }
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "此接口不支持这种请求方式".into(),
                None,
            ),
            ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", "服务器出了点问题，请稍后再试".into(), None)
            }
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: String,
    field: Option<String>,
    /// Every invalid field when there is more than one (an extension of the contract).
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a [FieldError]>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, field) = self.parts();
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
        let fields = match &self {
            ApiError::Invalid(f) if f.len() > 1 => Some(f.as_slice()),
            _ => None,
        };
        let body = Body { error: ErrorBody { code, message, field, fields } };
        let mut response = (status, axum::Json(body)).into_response();
        let retry_after = match self {
            ApiError::RateLimited { retry_after_secs, .. } | ApiError::Busy { retry_after_secs } => {
                Some(retry_after_secs)
            }
            ApiError::InProgress => Some(1),
            _ => None,
        };
        if let Some(secs) = retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
