//! A request id on every request: taken from Lambda's (`x-amzn-requestid`) or the caller's
//! (`x-request-id`), or made; answered in `x-request-id`, and carried by the log span, so the
//! one log line of an internal error names the request a member reports.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument as _;

const HEADER: &str = "x-request-id";

pub async fn tag(request: Request, next: Next) -> Response {
    let id = ["x-amzn-requestid", HEADER]
        .iter()
        .find_map(|h| request.headers().get(*h)?.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    let span =
        tracing::error_span!("request", id = %id, method = %request.method(), path = %request.uri().path());
    let mut response = next.run(request).instrument(span).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, v);
    }
    response
}
