//! Sessions: `POST /api/session` (member id + access code → a signed token), `POST
//! /api/session/logout` (ends the caller's sessions everywhere) and `POST
//! /api/admin/members/{id}/logout` (an admin ends a member's sessions).
//!
//! Logging in is throttled in the store, so it holds across Lambda instances: the attempt is
//! recorded *before* the slow code check and counted with every other attempt in the window
//! ([`crate::store::LoginLimits`]: per id from one address — the contract's 5 in 15 minutes —,
//! per address, and per id from everywhere at a higher threshold, so a member keeps logging in
//! while someone elsewhere guesses at their id). Code checks run a few at a time per process
//! ([`crate::auth::new_verification_slots`]); a login that finds no free slot soon is answered 503 with
//! `Retry-After`. Wrong id and wrong code get the same answer in the same time.

use std::time::Duration as StdDuration;

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::extract::{Admin, Caller, ClientAddress, JsonBody, member_id_field};
use crate::auth::{self, Claims};
use crate::domain::{FieldError, MemberId};
use crate::error::{ApiError, ApiResult};
use crate::secretary::admin::{self, Actor};
use crate::store::{LoginAttempt, LoginGate, LoginLimits, LoginOutcome, Member};

#[derive(Deserialize)]
pub struct SessionDto {
    member_id: Option<String>,
    code: Option<String>,
}

#[derive(Serialize)]
pub struct SessionAnswer {
    token: String,
    expires_at: String,
    member: MemberView,
}

#[derive(Serialize)]
pub struct MemberView {
    id: MemberId,
    name: String,
    role: crate::domain::Role,
}

impl From<Member> for MemberView {
    fn from(m: Member) -> MemberView {
        MemberView { id: m.id, name: m.name, role: m.role }
    }
}

#[derive(Serialize)]
pub struct Ended {
    ended: bool,
}

pub async fn create(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    JsonBody(dto): JsonBody<SessionDto>,
) -> ApiResult<Json<SessionAnswer>> {
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
    let attempt = LoginAttempt {
        member_id: id.clone(),
        address: address.clone(),
        at: now,
        nonce: uuid::Uuid::new_v4().simple().to_string(),
    };
    if let LoginGate::Locked { retry_after_secs, scope } =
        state.store.begin_login(&attempt, &LoginLimits::DEFAULT).await?
    {
        tracing::warn!(member = %id, address = %address, scope = scope.as_str(), "login locked");
        return Err(ApiError::RateLimited { retry_after_secs, what: "登录尝试次数过多" });
    }

    let record = state.store.member(&id).await?;
    let hash = record.as_ref().map(|r| r.code_hash.clone()).unwrap_or_else(|| auth::decoy_hash().to_string());
    let Ok(Ok(_slot)) = tokio::time::timeout(
        StdDuration::from_millis(auth::VERIFICATION_QUEUE_MS),
        state.code_checks.acquire(),
    )
    .await
    else {
        // Not checked: this attempt does not count as a failure.
        state.store.end_login(&attempt, LoginOutcome::NotChecked).await?;
        tracing::warn!(member = %id, address = %address, "login refused: every code check slot busy");
        return Err(ApiError::Busy { retry_after_secs: 2 });
    };
    let ok = tokio::task::spawn_blocking(move || auth::verify_code(&code, &hash))
        .await
        .map_err(ApiError::internal)?;
    drop(_slot);
    let Some(record) = record.filter(|_| ok) else {
        // The attempt stays recorded as a failure.
        tracing::warn!(member = %id, address = %address, "login failed");
        return Err(ApiError::Unauthorized("成员编号或访问码不正确"));
    };
    state.store.end_login(&attempt, LoginOutcome::Succeeded).await?;
    let member = record.member;
    let expires = now + auth::session_lifetime(member.role);
    let token = state.tokens.sign(&Claims {
        sub: member.id.clone(),
        role: member.role,
        iat: now.timestamp(),
        exp: expires.timestamp(),
        sgen: record.session_gen,
    });
    Ok(Json(SessionAnswer { token, expires_at: expires.to_rfc3339(), member: member.into() }))
}

/// The site's 退出: ends every session of the caller (on every device).
pub async fn logout(State(state): State<AppState>, Caller(member): Caller) -> ApiResult<Json<Ended>> {
    let ended = state.store.end_sessions(&member.id).await?;
    Ok(Json(Ended { ended }))
}

/// An admin ends a member's sessions everywhere (a lost phone); written to the audit log.
pub async fn logout_member(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
) -> ApiResult<Json<Ended>> {
    let id = MemberId::parse(&id).map_err(|e| ApiError::field("id", e.message))?;
    let actor = Actor(admin.id.to_string());
    if !admin::end_sessions(state.store.as_ref(), &actor, &id, state.clock.now()).await? {
        return Err(ApiError::NotFound("名册中没有这位党员".into()));
    }
    Ok(Json(Ended { ended: true }))
}
