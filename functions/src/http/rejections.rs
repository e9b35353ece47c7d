//! What the router answers when no handler does, in the contract's JSON: a method a path does
//! not take (405), and axum's own plain-text rejections — a path parameter that is not UTF-8,
//! a body over a limit — turned into the contract's error body, keeping their status.

use axum::http::header::{self, HeaderValue};
use axum::http::{StatusCode, response::Parts};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The method fallback of every API route.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// A 4xx or 5xx answer whose body is not JSON becomes the contract's error with the same
/// status (and its `Allow` header, for a 405); every other answer passes unchanged.
pub async fn as_contract_error(response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let status = parts.status;
    if !(status.is_client_error() || status.is_server_error()) || is_json(&parts) {
        return Response::from_parts(parts, body);
    }
    let error = match status {
        StatusCode::BAD_REQUEST => ApiError::BadRequest("网址或提交的内容无法识别，请检查后再试".into()),
        StatusCode::NOT_FOUND => ApiError::NotFound("没有这个接口".into()),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge("提交的内容超过上限".into()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType("不支持这种提交格式".into()),
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::field("body", "提交的内容有误"),
        s if s.is_client_error() => ApiError::BadRequest("请求无法处理，请检查后再试".into()),
        s => ApiError::internal(anyhow::anyhow!("a {s} answer without the contract's body")),
    };
    let mut answer = error.into_response();
    *answer.status_mut() = status;
    if let Some(allow) = parts.headers.get(header::ALLOW) {
        answer.headers_mut().insert(header::ALLOW, allow.clone());
    }
    answer
}

fn is_json(parts: &Parts) -> bool {
    parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/json"))
}
