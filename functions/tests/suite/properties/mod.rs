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

mod catalog;
mod images;
mod multipart;
mod regressions;
mod roster_csv;
mod router;

use images::*;
use router::*;
