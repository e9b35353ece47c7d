//! Extractors that turn a request into validated inputs or the contract's errors: the caller
//! (from the bearer token), the client's address, JSON bodies (content type, size, shape).
//! Query strings are axum's `Query` of a serde struct per endpoint; its rejection (a 400 in
//! plain text) becomes the contract's JSON in `rejections`.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;

use super::{AppState, JSON_LIMIT};
use crate::domain::{FieldError, MemberId, Role};
use crate::error::ApiError;
use crate::store::{Member, UNKNOWN_ADDRESS};

/// The signed-in member making the request. Checked against the store on every request, so a
/// removed member, a changed role or an ended session takes effect at once.
pub struct Caller(pub Member);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // The Idempotency-Key layer may have authenticated this very request already.
        if let Some(Authenticated(member)) = parts.extensions.remove::<Authenticated>() {
            return Ok(Caller(member));
        }
        authenticate(state, &parts.headers).await.map(Caller)
    }
}

/// A member [`authenticate`]d earlier in this request (by a layer), kept so the handler does not
/// read the store a second time. Only server code can put it into a request's extensions.
#[derive(Clone)]
pub struct Authenticated(pub Member);

/// The member a request's bearer token names, if the token is signed, unexpired, and of the
/// member's current session generation; the contract's 401 otherwise.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Member, ApiError> {
    let header = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let Some(token) = header.and_then(|h| h.strip_prefix("Bearer ")) else {
        return Err(ApiError::Unauthorized("请先登录"));
    };
    let now = state.clock.now().timestamp();
    let claims =
        state.tokens.verify(token.trim(), now).ok_or(ApiError::Unauthorized("登录已过期，请重新登录"))?;
    let record = state.store.member(&claims.sub).await?;
    match record {
        Some(record) if record.session_gen == claims.sgen => Ok(record.member),
        _ => Err(ApiError::Unauthorized("登录已失效，请重新登录")),
    }
}

/// The client's address (IP), for the login throttle and the log: from the header named by
/// `ZHIBU_CLIENT_IP_HEADER` when one is configured (set only where a proxy you run writes it:
/// the template's CloudFront function writes the viewer's address into `x-zhibu-client-ip`), else
/// the connection's peer (`zhibu serve`); [`UNKNOWN_ADDRESS`] when neither is known (a Lambda
/// behind CloudFront without the header sees only CloudFront's own address, which many members
/// share, so it is not used).
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(parts, state.client_ip_header.as_ref())))
    }
}

fn client_address(parts: &Parts, configured: Option<&axum::http::HeaderName>) -> String {
    let from_header = configured.and_then(|name| parts.headers.get(name)?.to_str().ok().and_then(ip_of));
    let from_peer = || {
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|axum::extract::ConnectInfo(peer)| peer.ip())
    };
    from_header.or_else(from_peer).map(network_of).unwrap_or_else(|| UNKNOWN_ADDRESS.into())
}

/// What the throttle counts by: an IPv4 address, or an IPv6 address's /64 (one subscriber's
/// network; the host part is the subscriber's to change at will).
fn network_of(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// An IP address from a header value: `203.0.113.9`, `203.0.113.9:46532`, `[2001:db8::1]:443`,
/// `2001:db8::1`, or the first of a comma-separated list.
/// (CloudFront's `2001:db8::1:443` reads as an IPv6 address whose last group is the port; only
/// the /64 counts, so that does not matter.)
fn ip_of(value: &str) -> Option<std::net::IpAddr> {
    use std::net::{IpAddr, SocketAddr};
    let first = value.split(',').next()?.trim();
    if let Ok(ip) = first.parse::<IpAddr>() {
        return Some(ip);
    }
    first.parse::<SocketAddr>().ok().map(|addr| addr.ip())
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

/// An admin or a committee member (支委): reads and comments on members' reports and records.
pub struct Reviewer(pub Member);

impl FromRequestParts<AppState> for Reviewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Caller(member) = Caller::from_request_parts(parts, state).await?;
        if member.role.reviews() { Ok(Reviewer(member)) } else { Err(ApiError::Forbidden) }
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

pub fn member_id_field(field: &str, value: Option<&str>) -> Result<MemberId, FieldError> {
    match value {
        Some(v) => MemberId::parse(v.trim()).map_err(|e| FieldError::new(field, e.message)),
        None => Err(FieldError::new(field, "缺少此项")),
    }
}

/// Two parts of a form parsed apart, joined: both values, or every field error of either.
pub fn both<A, B>(a: Result<A, Vec<FieldError>>, b: Result<B, Vec<FieldError>>) -> Result<(A, B), ApiError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => {
            let mut errors = a.err().unwrap_or_default();
            errors.extend(b.err().unwrap_or_default());
            Err(ApiError::Invalid(errors))
        }
    }
}

pub async fn no_such_endpoint() -> ApiError {
    ApiError::NotFound("没有这个接口".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_addresses_are_read_from_the_usual_forms() {
        let of = |v: &str| ip_of(v).map(network_of);
        assert_eq!(of("203.0.113.9").as_deref(), Some("203.0.113.9"));
        assert_eq!(of("203.0.113.9:46532").as_deref(), Some("203.0.113.9"));
        assert_eq!(of("[2001:db8::1]:443").as_deref(), Some("2001:db8:0:0::/64"));
        assert_eq!(of("2001:db8:0:0:aaaa::1:443").as_deref(), Some("2001:db8:0:0::/64"));
        assert_eq!(of("198.51.100.1, 10.0.0.1").as_deref(), Some("198.51.100.1"));
        assert_eq!(of("evil.example"), None);
        assert_eq!(of(""), None);
    }
}
