//! Property tests of every functions parser that reads outside input: the roster CSV, JSON bodies
//! and multipart uploads through the real router (over a temporary SQLite store), image headers
//! (`photos::sniff` and `photos::process`) and the build's catalog.
//!
//! For any input: the roster gives members or every bad row with its line; the router answers a
//! 2xx or a 4xx with the contract's error body `{"error": {"code", "message", "field"}}` (a
//! field named on a 422) — never a 5xx, never a panic, never a hang; photos are processed or
//! refused with a `PhotoError`. A roster written by a CSV writer reads back the same. Runs as
//! part of `cargo test`: 128–256 cases a property by default (about 3 s in a debug build),
//! `PROPTEST_CASES=2000 cargo test --workspace --all-features --test suite properties::` for a
//! longer search.

#![allow(clippy::unwrap_used)]

use crate::common;

use std::io::Cursor;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestError, TestRunner};
use serde_json::{Value, json};
use tower::ServiceExt as _;
use zhibu_functions::domain::Role;
use zhibu_functions::photos::{self, PhotoError};
use zhibu_functions::roster;

use common::Harness;

// ---------------------------------------------------------------------------------------------
// Bounds

/// A request or an image takes milliseconds; this much means something that never ends (kept
/// generous so a loaded CI machine does not make it flaky).
const HANG: Duration = Duration::from_secs(30);

/// The run's configuration: `cases` by default, `PROPTEST_CASES` when set.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    // A failure is reported with its shrunk input; a regression test is then written by hand
    // rather than a `proptest-regressions/` file appearing in the working tree.
    config.failure_persistence = None;
    config
}

/// Runs `test` over `strategy`, failing the test with the shrunk input.
fn check<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(config(cases));
    match runner.run(&strategy, test) {
        Ok(()) => {}
        Err(TestError::Fail(why, input)) => panic!("{why}\nminimal failing input: {input:#?}"),
        Err(TestError::Abort(why)) => panic!("aborted: {why}"),
    }
}

/// Runs `f` on its own thread and fails when it does not finish within [`HANG`]; a panic in `f`
/// is passed on for proptest to shrink.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(HANG) {
        Ok(value) => {
            let _ = worker.join();
            value
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("{what} did not finish within {HANG:?}"),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => panic!("{what}: the worker ended without an answer"),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs

fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::string::string_regex(&format!("(?s).{{0,{max}}}")).unwrap(),
        prop::collection::vec(any::<u8>(), 0..max).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

/// Up to `max` pieces, each one of `pieces` or a few arbitrary characters, concatenated.
fn soup(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(pieces).prop_map(str::to_string),
        1 => proptest::string::string_regex("(?s).{0,4}").unwrap(),
    ];
    prop::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}

/// Any JSON value, numbers of every kind included.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        any::<u64>().prop_map(|u| json!(u)),
        any::<f64>().prop_map(|f| json!(f)),
        any_text(40).prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(any_text(8), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An object with the endpoint's own keys (and sometimes others), each holding a plausible
/// value or any JSON value.
fn json_object(keys: &'static [(&'static str, &'static [&'static str])]) -> impl Strategy<Value = String> {
    let quoted = |key: &str| Value::String(key.to_string()).to_string();
    let fields: Vec<_> = keys
        .iter()
        .map(move |(key, plausible)| {
            // Plausible values are JSON text, so they can be what serde_json would never write
            // (a lone surrogate, 1e400).
            // The first plausible value is a good one: half the time, so that whole bodies get
            // through to the handler's own checks and the store.
            let value = prop_oneof![
                4 => Just(plausible[0].to_string()),
                3 => prop::sample::select(*plausible).prop_map(str::to_string),
                1 => json_value().prop_map(|v| v.to_string()),
            ];
            prop::option::weighted(0.9, value).prop_map(move |v| v.map(|v| format!("{}: {v}", quoted(key))))
        })
        .collect();
    let extra = prop::option::weighted(
        0.2,
        (any_text(8), json_value()).prop_map(move |(k, v)| format!("{}: {v}", quoted(&k))),
    );
    (fields.prop_shuffle(), extra).prop_map(|(fields, extra)| {
        let fields: Vec<String> = fields.into_iter().flatten().chain(extra).collect();
        format!("{{{}}}", fields.join(", "))
    })
}

/// A JSON body: any bytes, any JSON value, or an object with the endpoint's keys; sometimes
/// cut short.
fn json_body(keys: &'static [(&'static str, &'static [&'static str])]) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..200),
        2 => json_value().prop_map(|v| v.to_string().into_bytes()),
        6 => json_object(keys).prop_map(String::into_bytes),
        1 => (json_object(keys), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let text = v.into_bytes();
            let at = cut.index(text.len() + 1);
            text[..at].to_vec()
        }),
    ]
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        8 => Just(Some("application/json".to_string())),
        1 => prop::sample::select(&[
            "application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/json;", "", "application/jsonx",
        ][..]).prop_map(|s| Some(s.to_string())),
        1 => Just(None),
        1 => proptest::string::string_regex("[ -~]{0,30}").unwrap().prop_map(Some),
    ]
}

/// An `Idempotency-Key`: none, a good one, or any printable text.
fn idempotency_key() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        8 => Just(None),
        3 => proptest::string::string_regex("[A-Za-z0-9_-]{1,100}").unwrap().prop_map(Some),
        1 => proptest::string::string_regex("[ -~]{0,120}").unwrap().prop_map(Some),
    ]
}

// ---------------------------------------------------------------------------------------------
// The router

/// A multi-threaded runtime, so that a request stuck in a loop cannot stop the timer that
/// catches it.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

struct Api {
    rt: tokio::runtime::Runtime,
    harness: Harness,
    token: String,
}

impl Api {
    fn new() -> Api {
        let rt = runtime();
        let harness = rt.block_on(Harness::new());
        let token = rt.block_on(harness.member_token());
        Api { rt, harness, token }
    }

    /// Sends one request through the router; a panic or a hang fails the case.
    fn send(&self, request: Request<Body>) -> Result<(StatusCode, HeaderMap, Bytes), TestCaseError> {
        let app: Router = self.harness.app.clone();
        let task = self.rt.spawn(async move {
            let response = app.oneshot(request).await.unwrap();
            let (parts, body) = response.into_parts();
            let bytes = body.collect().await.map(|b| b.to_bytes());
            (parts.status, parts.headers, bytes)
        });
        match self.rt.block_on(async { tokio::time::timeout(HANG, task).await }) {
            Err(_) => Err(TestCaseError::fail(format!("no answer within {HANG:?}"))),
            Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Ok(Err(e)) => Err(TestCaseError::fail(format!("the request task failed: {e}"))),
            Ok(Ok((status, headers, Ok(bytes)))) => Ok((status, headers, bytes)),
            Ok(Ok((_, _, Err(e)))) => Err(TestCaseError::fail(format!("the body could not be read: {e}"))),
        }
    }

    fn post(
        &self,
        path: &str,
        token: bool,
        content_type: Option<&str>,
        key: Option<&str>,
        body: Vec<u8>,
    ) -> Result<Value, TestCaseError> {
        let mut request = Request::builder().method("POST").uri(path);
        if token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        }
        if let Some(v) = content_type.and_then(|c| HeaderValue::from_str(c).ok()) {
            request = request.header(header::CONTENT_TYPE, v);
        }
        if let Some(v) = key.and_then(|k| HeaderValue::from_str(k).ok()) {
            request = request.header("idempotency-key", v);
        }
        let (status, headers, bytes) = self.send(request.body(Body::from(body)).unwrap())?;
        contract_answer(status, &headers, &bytes)
    }
}

/// A 2xx with a JSON body, or a 4xx with the contract's error body; anything else fails.
fn contract_answer(status: StatusCode, headers: &HeaderMap, bytes: &[u8]) -> Result<Value, TestCaseError> {
    let text = String::from_utf8_lossy(bytes);
    prop_assert!(
        status.is_success() || status.is_client_error(),
        "answered {} (a client's mistake is never a 5xx): {}",
        status,
        text
    );
    let body: Value = if bytes.is_empty() && status.is_success() {
        Value::Null
    } else {
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        prop_assert!(
            content_type.starts_with("application/json"),
            "{} with content type {:?}",
            status,
            content_type
        );
        serde_json::from_slice(bytes)
            .map_err(|e| TestCaseError::fail(format!("{status}: not JSON ({e}): {text}")))?
    };
    if status.is_client_error() {
        let error = &body["error"];
        let code = error["code"].as_str().unwrap_or("");
        prop_assert!(
            !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{}: error.code {:?} is not snake_case: {}",
            status,
            code,
            text
        );
        prop_assert!(
            error["message"].as_str().is_some_and(|m| !m.trim().is_empty()),
            "{}: no message: {}",
            status,
            text
        );
        prop_assert!(
            error.get("field").is_some_and(|f| f.is_null() || f.is_string()),
            "{}: error.field must be a name or null: {}",
            status,
            text
        );
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            prop_assert!(
                error["field"].as_str().is_some_and(|f| !f.is_empty()),
                "a 422 names its field: {}",
                text
            );
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            prop_assert!(headers.contains_key(header::RETRY_AFTER), "a 429 without Retry-After");
        }
    }
    Ok(body)
}

#[rustfmt::skip]
const SESSION_KEYS: &[(&str, &[&str])] = &[
    ("member_id", &["\"m001\"", "\"a001\"", "\"m009\"", "\"\"", "\"x\"", "\" m001 \"", "\"m001\\u0000\"", "1", "null"]),
    ("code", &["\"ABCDE23456\"", "\"abcde-23456\"", "\"WRONGWRONG\"", "\"\"", "\"   \"", "1", "null", "[]"]),
];

#[rustfmt::skip]
const SIGNIN_KEYS: &[(&str, &[&str])] = &[
    ("event", &["\"2026-12-online-study\"", "\"2026-12-09-remembrance\"", "\"nope\"", "\"\"", "\"../x\"", "1"]),
    ("consent_location", &["true", "false", "null", "\"yes\"", "1"]),
    ("location", &[
        "null", "{\"lat\": 30.52, \"lon\": 114.36, \"accuracy_m\": 20}", "{\"lat\": 91, \"lon\": 0, \"accuracy_m\": 5}",
        "{\"lat\": 30.52, \"lon\": 114.36}", "{\"lat\": \"30\", \"lon\": 114.36, \"accuracy_m\": 20}",
        "{\"lat\": 1e308, \"lon\": -1e308, \"accuracy_m\": -1}", "{\"lat\": 30.52, \"lon\": 114.36, \"accuracy_m\": 1e400}",
        "[]", "\"here\"",
    ]),
];

#[rustfmt::skip]
const NOTE_KEYS: &[(&str, &[&str])] = &[
    ("page", &["\"/theory/constitution/\"", "\"/theory/constitution\"", "\"/nope/\"", "\"\"", "\"//evil.cn/\"", "1"]),
    ("body", &[
        "\"学习党章，坚定理想信念，做合格党员。\"", "\"短\"", "\"          \"", "\"\\u200b\\u200b\\u200b\\u200b\\u200b\\u200b\\u200b\\u200b\\u200b\\u200b\\u200b\"",
        "\"<script>alert(1)</script>很长的内容\"", "\"控制字符\\u0007在这里出现了\"", "\"\\ud800\"", "null", "[]",
    ]),
];

#[test]
fn session_answers_any_body_with_a_token_or_a_contract_error() {
    let api = Api::new();
    check(192, (json_body(SESSION_KEYS), content_type()), |(body, ct)| {
        let answer = api.post("/api/session", false, ct.as_deref(), None, body)?;
        if let Some(token) = answer.get("token") {
            prop_assert!(token.is_string());
        }
        Ok(())
    });
}

#[test]
fn signins_answer_any_body_with_a_record_or_a_contract_error() {
    let api = Api::new();
    check(
        256,
        (json_body(SIGNIN_KEYS), content_type(), idempotency_key(), prop::bool::weighted(0.95)),
        |(body, ct, key, token)| {
            let answer = api.post("/api/signins", token, ct.as_deref(), key.as_deref(), body)?;
            if let Some(signin) = answer.get("signin") {
                prop_assert_eq!(&signin["member_id"], "m001");
            }
            Ok(())
        },
    );
}

#[test]
fn notes_answer_any_body_with_a_note_or_a_contract_error() {
    let api = Api::new();
    check(
        256,
        (json_body(NOTE_KEYS), content_type(), idempotency_key(), prop::bool::weighted(0.95)),
        |(body, ct, key, token)| {
            let answer = api.post("/api/notes", token, ct.as_deref(), key.as_deref(), body)?;
            if let Some(note) = answer.get("note") {
                prop_assert_eq!(&note["status"], "pending");
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Multipart uploads

/// One part of a multipart body as a browser (or anything else) might send it.
#[derive(Debug, Clone)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    value: Vec<u8>,
    /// Line ending of the part's headers: `\r\n`, or a bare `\n` some clients send.
    crlf: bool,
}

fn part() -> impl Strategy<Value = Part> {
    let name = prop_oneof![
        6 => prop::sample::select(&["campaign", "day", "photo"][..]).prop_map(str::to_string),
        1 => any_text(12),
    ];
    let value = prop_oneof![
        2 => prop::sample::select(&["constitution-100", "nope-campaign", "1", "3", "9", "10", "0", "-1", "101", "1.5", " 2 ", ""][..])
            .prop_map(|s| s.as_bytes().to_vec()),
        2 => image_bytes(),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ];
    (
        name,
        prop::option::of(prop_oneof![Just("a.jpg".to_string()), any_text(12)]),
        prop::option::of(prop_oneof![Just("image/jpeg".to_string()), any_text(20)]),
        value,
        prop::bool::weighted(0.9),
    )
        .prop_map(|(name, filename, content_type, value, crlf)| Part {
            name,
            filename,
            content_type,
            value,
            crlf,
        })
}

/// A multipart body: parts between boundaries (sometimes not the declared one), maybe without
/// the closing boundary, maybe cut short.
#[derive(Debug, Clone)]
struct Upload {
    header_boundary: String,
    body_boundary: String,
    parts: Vec<Part>,
    close: bool,
    cut: Option<prop::sample::Index>,
}

impl Upload {
    fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.header_boundary)
    }

    fn body(&self) -> Vec<u8> {
        let mut body = Vec::new();
        for p in &self.parts {
            let eol: &[u8] = if p.crlf { b"\r\n" } else { b"\n" };
            body.extend_from_slice(format!("--{}", self.body_boundary).as_bytes());
            body.extend_from_slice(eol);
            let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", p.name);
            if let Some(f) = &p.filename {
                disposition.push_str(&format!("; filename=\"{f}\""));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(eol);
            if let Some(c) = &p.content_type {
                body.extend_from_slice(format!("Content-Type: {c}").as_bytes());
                body.extend_from_slice(eol);
            }
            body.extend_from_slice(eol);
            body.extend_from_slice(&p.value);
            body.extend_from_slice(b"\r\n");
        }
        if self.close {
            body.extend_from_slice(format!("--{}--\r\n", self.body_boundary).as_bytes());
        }
        if let Some(cut) = self.cut {
            body.truncate(cut.index(body.len() + 1));
        }
        body
    }
}

/// The form's own part `name`, with a good value most of the time.
fn form_part(name: &'static str) -> impl Strategy<Value = Part> {
    let value = match name {
        "campaign" => prop_oneof![
            4 => Just(b"constitution-100".to_vec()),
            1 => prop::sample::select(&["nope-campaign", "", "CONSTITUTION-100", "../x", "constitution-100\0"][..])
                .prop_map(|s| s.as_bytes().to_vec()),
        ]
        .boxed(),
        "day" => prop_oneof![
            4 => (1u32..=9).prop_map(|d| d.to_string().into_bytes()),
            1 => prop::sample::select(&["10", "0", "-1", "101", "1.5", " 2 ", "", "99999999999999999999", "３"][..])
                .prop_map(|s| s.as_bytes().to_vec()),
        ]
        .boxed(),
        _ => image_bytes().boxed(),
    };
    let is_photo = name == "photo";
    value.prop_map(move |value| Part {
        name: name.to_string(),
        filename: is_photo.then(|| "a.jpg".to_string()),
        content_type: is_photo.then(|| "image/jpeg".to_string()),
        value,
        crlf: true,
    })
}

fn upload() -> impl Strategy<Value = Upload> {
    let boundary = prop_oneof![
        6 => Just("zhibu-boundary".to_string()),
        1 => proptest::string::string_regex("[ -~]{0,80}").unwrap(),
        1 => Just("\"quoted boundary\"".to_string()),
    ];
    let form = (
        prop::option::weighted(0.9, form_part("campaign")),
        prop::option::weighted(0.9, form_part("day")),
        prop::option::weighted(0.9, form_part("photo")),
        prop::collection::vec(part(), 0..3),
    )
        .prop_map(|(c, d, p, others)| [c, d, p].into_iter().flatten().chain(others).collect::<Vec<_>>())
        .prop_shuffle();
    (
        boundary,
        prop::bool::weighted(0.95),
        prop_oneof![4 => form, 1 => prop::collection::vec(part(), 0..5)],
        prop::bool::weighted(0.9),
        prop::option::weighted(0.1, any::<prop::sample::Index>()),
        "[a-z-]{1,12}",
    )
        .prop_map(|(header_boundary, same, parts, close, cut, other)| {
            let body_boundary = if same { header_boundary.trim_matches('"').to_string() } else { other };
            Upload { header_boundary, body_boundary, parts, close, cut }
        })
}

#[test]
fn copies_answer_any_multipart_body_with_a_copy_or_a_contract_error() {
    let api = Api::new();
    check(256, (upload(), idempotency_key()), |(upload, key)| {
        let answer =
            api.post("/api/copies", true, Some(&upload.content_type()), key.as_deref(), upload.body())?;
        if let Some(copy) = answer.get("copy") {
            prop_assert_eq!(&copy["campaign"], "constitution-100");
            prop_assert!(copy["width"].as_u64().is_some_and(|w| (1..=2000).contains(&w)), "{}", copy);
        }
        Ok(())
    });
}

#[test]
fn copies_answer_any_bytes_with_a_contract_error() {
    let api = Api::new();
    let content_type = prop_oneof![
        Just("multipart/form-data; boundary=zhibu-boundary".to_string()),
        proptest::string::string_regex("multipart/form-data[ -~]{0,40}").unwrap(),
        proptest::string::string_regex("[ -~]{0,40}").unwrap(),
    ];
    check(128, (prop::collection::vec(any::<u8>(), 0..400), content_type), |(body, ct)| {
        api.post("/api/copies", true, Some(&ct), None, body)?;
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Image headers: photos::sniff and photos::process

/// The contract's limits: 40 megapixels, and a stored photo at most 2000 px on its long side.
const MAX_PIXELS: u64 = 40_000_000;
const MAX_SIDE: u64 = 2000;

#[derive(Debug, Clone, Copy)]
enum Kind {
    Png,
    Jpeg,
    WebP,
}

/// A small valid image of the given kind.
fn encode(kind: Kind, width: u32, height: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x as u8).wrapping_mul(seed), (y as u8).wrapping_add(seed), seed])
    });
    let mut out = Cursor::new(Vec::new());
    match kind {
        Kind::Png => img.write_to(&mut out, image::ImageFormat::Png).unwrap(),
        Kind::Jpeg => img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap(),
        Kind::WebP => {
            image::codecs::webp::WebPEncoder::new_lossless(&mut out)
                .encode(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
                .unwrap();
        }
    }
    out.into_inner()
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(&[Kind::Png, Kind::Jpeg, Kind::WebP][..])
}

/// What can happen to a file on its way: a byte changed, a run of bytes lost, repeated or
/// inserted, the end cut off.
#[derive(Debug, Clone)]
enum Mutation {
    Xor(prop::sample::Index, u8),
    Set(prop::sample::Index, u8),
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, Vec<u8>),
    Repeat(prop::sample::Index, usize),
    Truncate(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<prop::sample::Index>;
    prop_oneof![
        4 => (at(), 1u8..=255).prop_map(|(i, x)| Mutation::Xor(i, x)),
        2 => (at(), prop::sample::select(&[0u8, 0xFF, 0x7F, 0x80, 0xD8, 0xD9, 0xDA][..])).prop_map(|(i, b)| Mutation::Set(i, b)),
        1 => (at(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => (at(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, b)| Mutation::Insert(i, b)),
        1 => (at(), 1usize..64).prop_map(|(i, n)| Mutation::Repeat(i, n)),
        1 => at().prop_map(Mutation::Truncate),
    ]
}

fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match m {
        Mutation::Xor(i, x) => {
            let at = i.index(bytes.len());
            bytes[at] ^= x;
        }
        Mutation::Set(i, b) => {
            let at = i.index(bytes.len());
            bytes[at] = *b;
        }
        Mutation::Delete(i, n) => {
            let at = i.index(bytes.len());
            let end = (at + n).min(bytes.len());
            bytes.drain(at..end);
        }
        Mutation::Insert(i, b) => {
            let at = i.index(bytes.len() + 1);
            bytes.splice(at..at, b.iter().copied());
        }
        Mutation::Repeat(i, n) => {
            let at = i.index(bytes.len());
            let end = (at + n).min(bytes.len());
            let run = bytes[at..end].to_vec();
            bytes.splice(at..at, run);
        }
        Mutation::Truncate(i) => bytes.truncate(i.index(bytes.len() + 1)),
    }
}

/// PNG chunks carry a CRC that decoders check: recomputing it lets a mutation reach the
/// decoder instead of stopping at the checksum.
fn fix_png_crcs(bytes: &mut [u8]) {
    let mut at = 8;
    while at + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let Some(end) = (at + 8).checked_add(len).filter(|end| end + 4 <= bytes.len()) else { return };
        let crc = crc32(&bytes[at + 4..end]);
        bytes[end..end + 4].copy_from_slice(&crc.to_be_bytes());
        at = end + 4;
    }
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A small image of any kind, valid or mutated.
fn image_bytes() -> impl Strategy<Value = Vec<u8>> {
    let mutations = prop_oneof![1 => Just(Vec::new()), 1 => prop::collection::vec(mutation(), 1..4)];
    (kind(), 1u32..48, 1u32..48, any::<u8>(), mutations, any::<bool>()).prop_map(
        |(kind, w, h, seed, mutations, fix_crc)| {
            let mut bytes = encode(kind, w, h, seed);
            for m in &mutations {
                mutate(&mut bytes, m);
            }
            if fix_crc && matches!(kind, Kind::Png) {
                fix_png_crcs(&mut bytes);
            }
            bytes
        },
    )
}

/// `process` on `bytes`, on a thread with a deadline.
fn process(bytes: Vec<u8>) -> Result<photos::Processed, PhotoError> {
    within("photos::process", move || photos::process(&bytes))
}

/// What an accepted photo must be: an upright JPEG within the size limit, without Exif.
fn check_processed(p: &photos::Processed) -> Result<(), TestCaseError> {
    prop_assert!(matches!(photos::sniff(&p.jpeg), Some(photos::Format::Jpeg)));
    prop_assert!(matches!(photos::sniff(&p.thumb), Some(photos::Format::Jpeg)));
    prop_assert!(p.width >= 1 && u64::from(p.width) <= MAX_SIDE, "width {}", p.width);
    prop_assert!(p.height >= 1 && u64::from(p.height) <= MAX_SIDE, "height {}", p.height);
    prop_assert!(!p.jpeg.windows(6).any(|w| w == b"Exif\0\0"), "Exif left in the photo");
    Ok(())
}

/// The starts of files: each format's magic bytes, and some that are not ours.
const MAGIC: &[&[u8]] = &[
    b"",
    b"\xFF\xD8\xFF",
    b"\xFF\xD8\xFF\xE0",
    b"\x89PNG\r\n\x1a\n",
    b"RIFF\0\0\0\0WEBP",
    b"RIFF\x10\0\0\0WEBPVP8L",
    b"GIF89a",
];

#[test]
fn sniff_and_process_take_any_bytes() {
    let magic = prop::sample::select(MAGIC);
    check(256, (magic, prop::collection::vec(any::<u8>(), 0..300)), |(magic, rest)| {
        let bytes = [magic, &rest[..]].concat();
        let sniffed = photos::sniff(&bytes);
        let expected = if bytes.starts_with(b"\xFF\xD8\xFF") {
            Some("jpeg")
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some("png")
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some("webp")
        } else {
            None
        };
        prop_assert_eq!(sniffed.map(|f| format!("{f:?}").to_ascii_lowercase()), expected.map(str::to_string));
        match process(bytes) {
            Ok(p) => check_processed(&p)?,
            Err(PhotoError::NotAnImage) => {
                prop_assert!(sniffed.is_none(), "sniffed {:?} but NotAnImage", sniffed)
            }
            Err(_) => prop_assert!(sniffed.is_some(), "an error other than NotAnImage for unsniffable bytes"),
        }
        Ok(())
    });
}

#[test]
fn mutated_images_are_processed_or_refused() {
    check(256, image_bytes(), |bytes| {
        if let Ok(p) = process(bytes) {
            check_processed(&p)?;
        }
        Ok(())
    });
}

#[test]
fn valid_small_images_are_processed_at_their_size() {
    check(128, (kind(), 1u32..64, 1u32..64, any::<u8>()), |(kind, w, h, seed)| {
        let p = process(encode(kind, w, h, seed))
            .map_err(|e| TestCaseError::fail(format!("{kind:?} {w}×{h}: {e}")))?;
        check_processed(&p)?;
        prop_assert_eq!((p.width, p.height), (w, h));
        Ok(())
    });
}

/// Rewrites the dimensions a file announces in its header.
fn announce(kind: Kind, bytes: &mut [u8], width: u32, height: u32) {
    match kind {
        Kind::Png => {
            // Signature, then the IHDR chunk: length, "IHDR", width, height.
            bytes[16..20].copy_from_slice(&width.to_be_bytes());
            bytes[20..24].copy_from_slice(&height.to_be_bytes());
            fix_png_crcs(bytes);
        }
        Kind::Jpeg => {
            // The start-of-frame segment: FF C0, length, precision, height, width (16 bits each).
            let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
            bytes[sof + 5..sof + 7].copy_from_slice(&(height as u16).to_be_bytes());
            bytes[sof + 7..sof + 9].copy_from_slice(&(width as u16).to_be_bytes());
        }
        Kind::WebP => {
            // RIFF header, "VP8L", chunk size, signature 0x2F, then 14 bits of width - 1 and 14
            // of height - 1, little-endian.
            let at = 21;
            let mut bits = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
            bits &= !0x0FFF_FFFF;
            bits |= (width - 1) & 0x3FFF;
            bits |= ((height - 1) & 0x3FFF) << 14;
            bytes[at..at + 4].copy_from_slice(&bits.to_le_bytes());
        }
    }
}

#[test]
fn images_announcing_more_than_40_megapixels_are_refused_from_their_header() {
    // The largest each format can announce: 2^31 - 1 (PNG), 65535 (JPEG), 16384 (lossless WebP).
    let sizes = kind().prop_flat_map(|kind| {
        let max = match kind {
            Kind::Png => 200_000u32,
            Kind::Jpeg => 65_535,
            Kind::WebP => 16_384,
        };
        (Just(kind), 1..=max, 1..=max)
            .prop_filter("over the limit", |(_, w, h)| u64::from(*w) * u64::from(*h) > MAX_PIXELS)
    });
    check(128, sizes, |(kind, w, h)| {
        let mut bytes = encode(kind, 8, 8, 7);
        announce(kind, &mut bytes, w, h);
        match process(bytes) {
            Err(PhotoError::TooManyPixels { width, height }) => prop_assert_eq!((width, height), (w, h)),
            other => prop_assert!(
                false,
                "{:?} announcing {}×{}: {:?}",
                kind,
                w,
                h,
                other.map(|p| (p.width, p.height))
            ),
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// The roster

#[rustfmt::skip]
const ROSTER_PIECES: &[&str] = &[
    "id", "name", "role", "class", "ID", "Name", ",", ",,", "\n", "\r\n", "\r", "\"", "\"\"", " ", "\t", "\u{feff}",
    "m001", "m002", "a001", "x", "m-_9", "张三", "王书记", "member", "admin", "boss", "Admin", "id,name,role\n",
    "id,name\n", "m001,张三,member\n", "m001,张三,member\n", "\"m,1\"", "\"多\n行\"", "\u{0}", "é",
];

#[test]
fn roster_parse_gives_members_or_every_bad_row_with_its_line() {
    let text = prop_oneof![any_text(300), soup(ROSTER_PIECES, 40)];
    check(256, text, |text| {
        let t = text.clone();
        let result = within("roster::parse", move || roster::parse(&t));
        match result {
            Ok(members) => {
                for m in &members {
                    let chars = m.name.chars().count();
                    prop_assert!((1..=50).contains(&chars), "name {:?}", m.name);
                    prop_assert_eq!(m.name.trim(), &m.name);
                }
                let mut ids: Vec<_> = members.iter().map(|m| m.id.to_string()).collect();
                ids.sort();
                ids.dedup();
                prop_assert_eq!(ids.len(), members.len(), "an id imported twice");
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                let lines = text.split('\n').count().max(1);
                for e in &errors {
                    prop_assert!(
                        (1..=lines).contains(&e.line),
                        "line {} of {} lines: {:?}",
                        e.line,
                        lines,
                        e
                    );
                    prop_assert!(!e.message.trim().is_empty());
                }
                let mut sorted = errors.iter().map(|e| e.line).collect::<Vec<_>>();
                sorted.sort();
                prop_assert_eq!(
                    sorted,
                    errors.iter().map(|e| e.line).collect::<Vec<_>>(),
                    "errors in file order"
                );
            }
        }
        Ok(())
    });
}

#[derive(Debug, Clone)]
struct Row {
    id: String,
    name: String,
    role: Option<Role>,
    class: String,
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    let name = prop_oneof![
        proptest::string::string_regex("[^\\p{Cc}]{1,50}")
            .unwrap()
            .prop_map(|s| s.trim().to_string())
            .prop_filter("a name", |s| !s.is_empty()),
        proptest::string::string_regex("[张王李赵][一-龥]{1,3}").unwrap(),
        // A line break inside a quoted field: the rows after it start one line later.
        Just("多\n行".to_string()),
    ];
    let row = (
        "[A-Za-z0-9_-]{3,32}",
        name,
        prop::option::of(prop::sample::select(&[Role::Member, Role::Admin][..])),
        prop_oneof![
            Just(String::new()),
            Just("2022级".to_string()),
            Just("多行\n备注, \"引号\"".to_string())
        ],
    )
        .prop_map(|(id, name, role, class)| Row { id, name, role, class });
    prop::collection::vec(row, 0..12).prop_map(|rows| {
        let mut seen = std::collections::HashSet::new();
        rows.into_iter().filter(|r| seen.insert(r.id.clone())).collect()
    })
}

fn write_roster(rows: &[Row], bom: bool, crlf: bool) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
        .from_writer(Vec::new());
    out.write_record(["id", "name", "role", "class"]).unwrap();
    for r in rows {
        let role = match r.role {
            Some(Role::Admin) => "admin",
            Some(Role::Member) => "member",
            None => "",
        };
        out.write_record([r.id.as_str(), r.name.as_str(), role, r.class.as_str()]).unwrap();
    }
    let text = String::from_utf8(out.into_inner().unwrap()).unwrap();
    if bom { format!("\u{feff}{text}") } else { text }
}

#[test]
fn a_roster_written_by_a_csv_writer_parses_back_to_the_same_members() {
    check(256, (rows(), any::<bool>(), any::<bool>()), |(rows, bom, crlf)| {
        let text = write_roster(&rows, bom, crlf);
        let members = roster::parse(&text).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        prop_assert_eq!(members.len(), rows.len());
        for (m, r) in members.iter().zip(&rows) {
            prop_assert_eq!(m.id.to_string(), r.id.clone());
            prop_assert_eq!(&m.name, &r.name);
            prop_assert_eq!(m.role, r.role.unwrap_or(Role::Member));
            prop_assert_eq!(m.profile.get("class").map(String::as_str), Some(r.class.trim()));
        }
        Ok(())
    });
}

#[test]
fn a_bad_row_is_reported_at_the_line_it_starts_on() {
    let case = (
        rows(),
        any::<prop::sample::Index>(),
        prop::sample::select(&["x,短id,member", "m999,,member", "m998,名字,boss"][..]),
    );
    check(256, case, |(rows, at, bad)| {
        let good = write_roster(&rows, false, false);
        let mut records: Vec<&str> = Vec::new();
        // Split the written roster into its records (a quoted field may hold line breaks).
        let mut start = 0;
        let mut quoted = false;
        for (i, c) in good.char_indices() {
            match c {
                '"' => quoted = !quoted,
                '\n' if !quoted => {
                    records.push(&good[start..=i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        let insert_at = 1 + at.index(records.len());
        let line = 1 + records[..insert_at].iter().map(|r| r.matches('\n').count()).sum::<usize>();
        let bad_line = format!("{bad}\n");
        records.insert(insert_at, &bad_line);
        let text = records.concat();
        let errors = roster::parse(&text).expect_err("a bad row");
        prop_assert_eq!(errors.len(), 1, "{:?}", errors);
        prop_assert_eq!(errors[0].line, line, "{:?} in\n{}", errors[0], text);
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// The catalog the functions read

#[test]
fn catalog_from_json_takes_any_text() {
    let text = prop_oneof![
        any_text(200),
        json_value().prop_map(|v| v.to_string()),
        json_object(&[
            ("version", &["1", "2", "\"1\""]),
            ("events", &["[]", "[{\"id\": \"e\", \"opens\": \"x\"}]", "{}"]),
            ("campaigns", &["[]", "[{\"id\": \"c\", \"starts\": \"2026-12-01\", \"days\": 0}]"]),
            ("note_pages", &["[]", "[{\"path\": 1}]"]),
            ("quizzes", &["[]", "[{\"questions\": [{}]}]"]),
        ]),
    ];
    check(256, text, |text| {
        let _ =
            within("Catalog::from_json", move || zhibu_functions::catalog::Catalog::from_json(&text).is_ok());
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// What the properties found, kept as plain tests.

#[test]
fn a_bad_row_after_a_multi_line_field_is_reported_at_its_own_line() {
    let errors = roster::parse("id,name,role,note\nm001,张三,member,\"第一行\n第二行\"\nx,李四,member,\n")
        .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 4, "{:?}", errors[0]);
}
