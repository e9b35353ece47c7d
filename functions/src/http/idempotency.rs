//! `Idempotency-Key` on POST requests made with a token: the first request with a key is
//! processed and its answer kept (24 hours); a repeat by the same member gets the same answer
//! again, marked `Idempotent-Replayed: true`, and nothing is recorded twice. This is what lets
//! the site queue submissions made offline and resend them safely.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::AppState;
use super::extract::{Authenticated, authenticate};
use crate::error::ApiError;
use crate::store::{Idempotent, KeptAnswer};

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";

/// The key of the request being processed, for handlers that derive ids from it.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(pub String);

/// Answers kept for replay are the API's small JSON bodies.
const ANSWER_LIMIT: usize = 256 * 1024;

fn parse_key(value: &HeaderValue) -> Option<String> {
    let key = value.to_str().ok()?.trim();
    let ok = (1..=100).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| key.to_string())
}

/// What makes two requests the same: method, path, content type and body. A multipart body's
/// boundary is left out (a browser picks a new one each time it sends the same form).
pub fn fingerprint(request: &Parts, body: &[u8]) -> String {
    let content_type = request.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut hash = Sha256::new();
    hash.update(request.method.as_str());
    hash.update(b"\n");
    hash.update(request.uri.path());
    hash.update(b"\n");
    let boundary =
        content_type.split(';').find_map(|p| p.trim().strip_prefix("boundary=")).map(|b| b.trim_matches('"'));
    hash.update(content_type.split(';').next().unwrap_or("").trim());
    hash.update(b"\n");
    match boundary.filter(|b| !b.is_empty()) {
        Some(boundary) => {
            let mut rest = body;
            while let Some(at) = find(rest, boundary.as_bytes()) {
                hash.update(&rest[..at]);
                rest = &rest[at + boundary.len()..];
            }
            hash.update(rest);
        }
        None => hash.update(body),
    }
    format!("{:x}", hash.finalize())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn replay(answer: KeptAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

/// The layer on each submission route (`http::router`), with the most that route may send.
pub async fn guard(
    State((state, limit)): State<(AppState, usize)>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(value) = request.headers().get(HEADER) else {
        return next.run(request).await;
    };
    let Some(key) = parse_key(value) else {
        return ApiError::field("Idempotency-Key", "幂等键应为 1–100 位字母、数字、下划线或连字符")
            .into_response();
    };
    // Only a caller whose session is valid now gets a kept answer; anyone else gets the
    // handler's own 401.
    let Ok(caller) = authenticate(&state, request.headers()).await else {
        return next.run(request).await;
    };
    let member = caller.id.clone();
    let declared =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let too_large = || ApiError::TooLarge(format!("提交的内容超过 {} KB 上限", limit / 1024)).into_response();
    if declared.is_some_and(|len| len > limit) {
        return too_large();
    }
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, limit).await else {
        return too_large();
    };
    let fingerprint = fingerprint(&parts, &bytes);
    match state.store.begin_idempotent(&member, &key, &fingerprint, state.clock.now()).await {
        Err(e) => return ApiError::internal(e).into_response(),
        Ok(Idempotent::Replay(answer)) => return replay(answer),
        Ok(Idempotent::InProgress) => return ApiError::InProgress.into_response(),
        Ok(Idempotent::Mismatch) => {
            return ApiError::field("Idempotency-Key", "这个幂等键已用于另一份提交").into_response();
        }
        Ok(Idempotent::Fresh) => {}
    }
    parts.extensions.insert(IdempotencyKey(key.clone()));
    parts.extensions.insert(Authenticated(caller));
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    if response.status().is_server_error() {
        if let Err(e) = state.store.finish_idempotent(&member, &key, None).await {
            tracing::error!(error = format!("{e:#}"), "releasing an idempotency key");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, ANSWER_LIMIT).await else {
        let _ = state.store.finish_idempotent(&member, &key, None).await;
        return ApiError::internal(anyhow::anyhow!("an answer too large to keep")).into_response();
    };
    let answer =
        KeptAnswer { status: parts.status.as_u16(), body: String::from_utf8_lossy(&bytes).into_owned() };
    if let Err(e) = state.store.finish_idempotent(&member, &key, Some(&answer)).await {
        // The record was written; only the replay is lost, and a retry finds it in progress.
        tracing::error!(error = format!("{e:#}"), "keeping an idempotent answer");
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_and_plain() {
        assert_eq!(parse_key(&HeaderValue::from_static("0b7c-4e_9")), Some("0b7c-4e_9".into()));
        assert_eq!(parse_key(&HeaderValue::from_static("")), None);
        assert_eq!(parse_key(&HeaderValue::from_static("a b")), None);
        assert_eq!(parse_key(&HeaderValue::from_str(&"x".repeat(101)).unwrap()), None);
    }

    #[test]
    fn a_multipart_boundary_does_not_change_the_fingerprint() {
        let form = |b: &str| {
            let request = Request::post("/api/copies")
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
                .body(Body::empty())
                .unwrap();
            let body =
                format!("--{b}\r\nContent-Disposition: form-data; name=\"day\"\r\n\r\n3\r\n--{b}--\r\n");
            fingerprint(&request.into_parts().0, body.as_bytes())
        };
        assert_eq!(form("aaa111"), form("bbb222"));
        let json = |body: &str| {
            let request = Request::post("/api/notes").body(Body::empty()).unwrap();
            fingerprint(&request.into_parts().0, body.as_bytes())
        };
        assert_ne!(json("{\"a\":1}"), json("{\"a\":2}"));
    }
}
