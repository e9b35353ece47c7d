//! Extractors that turn a request into validated inputs or the contract's errors: the caller
//! (from the bearer token), JSON bodies (content type, size, shape), query strings.

use std::collections::HashMap;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::{AppState, JSON_LIMIT};
use crate::domain::{MemberId, Role};
use crate::error::{ApiError, FieldError};
use crate::store::Member;

/// The signed-in member making the request. Checked against the store on every request, so a
/// removed member or a changed role takes effect at once.
pub struct Caller(pub Member);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let Some(token) = header.and_then(|h| h.strip_prefix("Bearer ")) else {
            return Err(ApiError::Unauthorized("请先登录"));
        };
        let now = state.clock.now().timestamp();
        let claims =
            state.tokens.verify(token.trim(), now).ok_or(ApiError::Unauthorized("登录已过期，请重新登录"))?;
        let record =
            state.store.member(&claims.sub).await?.ok_or(ApiError::Unauthorized("登录已失效，请重新登录"))?;
        Ok(Caller(record.member))
    }
}

/// An admin (the branch secretary or the instructor).
pub struct Admin(pub Member);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Caller(member) = Caller::from_request_parts(parts, state).await?;
        if member.role == Role::Admin { Ok(Admin(member)) } else { Err(ApiError::Forbidden) }
    }
}

/// A JSON body: `application/json`, at most 64 KiB, of the right shape. Anything else is a 4xx
/// naming what is wrong; a body is never silently defaulted.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &AppState) -> Result<Self, Self::Rejection> {
        let content_type =
            req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if mime != "application/json" {
            return Err(ApiError::UnsupportedMediaType(
                "请以 JSON 格式提交（Content-Type: application/json）".into(),
            ));
        }
        if let Some(len) =
            req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
            && len > JSON_LIMIT
        {
            return Err(too_large());
        }
        let bytes = axum::body::to_bytes(req.into_body(), JSON_LIMIT).await.map_err(|_| too_large())?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(de) {
            Ok(v) => Ok(JsonBody(v)),
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if inner.is_syntax() || inner.is_eof() {
                    Err(ApiError::BadRequest(format!("JSON 格式有误：{inner}")))
                } else {
                    let field = if path == "." { "body".to_string() } else { path };
                    Err(ApiError::Invalid(vec![FieldError::new(field, format!("类型不正确：{inner}"))]))
                }
            }
        }
    }
}

fn too_large() -> ApiError {
    ApiError::TooLarge(format!("提交的内容超过 {} KB 上限", JSON_LIMIT / 1024))
}

/// The query string as a map (first value of each key).
pub fn query(parts_query: Option<&str>) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for (k, v) in form_urlencoded::parse(parts_query.unwrap_or("").as_bytes()) {
        map.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
    map
}

pub fn member_id_field(field: &str, value: Option<&str>) -> Result<MemberId, FieldError> {
    match value {
        Some(v) => MemberId::parse(v.trim()).map_err(|e| FieldError::new(field, e.message)),
        None => Err(FieldError::new(field, "缺少此项")),
    }
}

pub async fn no_such_endpoint() -> ApiError {
    ApiError::NotFound("没有这个接口".into())
}
