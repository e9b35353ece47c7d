//! `zhibu run`'s access log: one line per request on stdout — the time (+08:00), the status, the
//! method and path, the bytes of the body, the duration and a request id (also sent back as
//! `X-Request-Id`, so a member's report of a failure can be found). Never the query string, a
//! header or a body: tokens, access codes and signed photo URLs stay out of it, and so does the
//! client's address.

use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::{Method, header};
use axum::response::Response;
use http_body::Body as _;

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A short id, unique within this process's run: the start time's low bits and a counter.
pub fn request_id() -> String {
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = *START.get_or_init(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        now.as_secs() & 0xff_ffff
    });
    format!("{start:06x}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The body's size when known (every file the site sends; a streamed answer shows `-`).
fn bytes_of(answer: &Response) -> String {
    answer
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| answer.body().size_hint().exact().map(|n| n.to_string()))
        .unwrap_or_else(|| "-".into())
}

pub fn format(method: &Method, path: &str, answer: &Response, took: Duration, id: &str) -> String {
    let now = chrono::Utc::now().with_timezone(&zhibu_functions::clock::china());
    format!(
        "{} {} {} {} {} {:.1}ms {}",
        now.format("%Y-%m-%dT%H:%M:%S%.3f%:z"),
        answer.status().as_u16(),
        method,
        path,
        bytes_of(answer),
        took.as_secs_f64() * 1000.0,
        id
    )
}

pub fn line(method: &Method, path: &str, answer: &Response, took: Duration, id: &str) {
    let text = format(method, path, answer, took, id);
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_has_time_status_path_bytes_duration_and_id_and_no_query() {
        let answer = Response::builder()
            .status(200)
            .header("content-length", "123")
            .body(axum::body::Body::empty())
            .unwrap();
        let line = format(&Method::GET, "/notices/", &answer, Duration::from_micros(1500), "abc-1");
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts[1..], ["200", "GET", "/notices/", "123", "1.5ms", "abc-1"]);
        assert!(parts[0].ends_with("+08:00"), "{line}");
        assert_ne!(request_id(), request_id());
    }
}
