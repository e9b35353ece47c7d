//! `POST /api/session`: member id + access code → a signed token. Wrong id and wrong code get
//! the same answer in the same time; 5 failures for one id in 15 minutes lock it (the lock lives
//! in the store, so it holds across Lambda instances).

use axum::Json;
use axum::extract::State;
use chrono::Duration;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::extract::{JsonBody, member_id_field};
use crate::auth::{self, Claims, TOKEN_DAYS};
use crate::error::{ApiError, ApiResult, FieldError};

/// Failed logins allowed for one id within [`LOCK_WINDOW_MINUTES`].
pub const MAX_FAILURES: usize = 5;
pub const LOCK_WINDOW_MINUTES: i64 = 15;

#[derive(Deserialize)]
pub struct SessionDto {
    member_id: Option<String>,
    code: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    JsonBody(dto): JsonBody<SessionDto>,
) -> ApiResult<Json<Value>> {
    let mut errors = Vec::new();
    let id = member_id_field("member_id", dto.member_id.as_deref()).map_err(|e| errors.push(e)).ok();
    let code = match dto.code.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() && c.len() <= 64 => Some(c.to_string()),
        _ => {
            errors.push(FieldError::new("code", "请输入个人访问码"));
            None
        }
    };
    let (Some(id), Some(code)) = (id, code) else { return Err(ApiError::Invalid(errors)) };

    let now = state.clock.now();
    let window_start = now - Duration::minutes(LOCK_WINDOW_MINUTES);
    let failures = state.store.login_failures_since(&id, window_start).await?;
    if failures.len() >= MAX_FAILURES {
        let oldest = failures[failures.len() - MAX_FAILURES];
        let unlock = oldest + Duration::minutes(LOCK_WINDOW_MINUTES);
        let retry_after_secs = (unlock - now).num_seconds().max(1) as u64;
        return Err(ApiError::RateLimited { retry_after_secs });
    }

    let record = state.store.member(&id).await?;
    let hash = record.as_ref().map(|r| r.code_hash.clone()).unwrap_or_else(|| auth::decoy_hash().to_string());
    let ok = tokio::task::spawn_blocking(move || auth::verify_code(&code, &hash))
        .await
        .map_err(ApiError::internal)?;
    let Some(record) = record.filter(|_| ok) else {
        state.store.record_login_failure(&id, now).await?;
        return Err(ApiError::Unauthorized("学号或访问码不正确"));
    };
    state.store.clear_login_failures(&id).await?;
    let expires = now + Duration::days(TOKEN_DAYS);
    let member = record.member;
    let token = state.tokens.sign(&Claims {
        sub: member.id.clone(),
        role: member.role,
        iat: now.timestamp(),
        exp: expires.timestamp(),
    });
    Ok(Json(json!({
        "token": token,
        "expires_at": expires.to_rfc3339(),
        "member": { "id": member.id, "name": member.name, "role": member.role },
    })))
}
