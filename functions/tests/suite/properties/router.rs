//! Properties: The router

use super::*;

// ---------------------------------------------------------------------------------------------
// The router

/// A multi-threaded runtime, so that a request stuck in a loop cannot stop the timer that
/// catches it.
pub(super) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

pub(super) struct Api {
    rt: tokio::runtime::Runtime,
    harness: Harness,
    token: String,
}

impl Api {
    pub(super) fn new() -> Api {
        let rt = runtime();
        let harness = rt.block_on(Harness::new());
        let token = rt.block_on(harness.member_token());
        Api { rt, harness, token }
    }

    /// Sends one request through the router; a panic or a hang fails the case.
    pub(super) fn send(
        &self,
        request: Request<Body>,
    ) -> Result<(StatusCode, HeaderMap, Bytes), TestCaseError> {
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

    pub(super) fn post(
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
pub(super) fn contract_answer(
    status: StatusCode,
    headers: &HeaderMap,
    bytes: &[u8],
) -> Result<Value, TestCaseError> {
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
pub(super) const SESSION_KEYS: &[(&str, &[&str])] = &[
    ("member_id", &["\"m001\"", "\"a001\"", "\"m009\"", "\"\"", "\"x\"", "\" m001 \"", "\"m001\\u0000\"", "1", "null"]),
    ("code", &["\"ABCDE23456\"", "\"abcde-23456\"", "\"WRONGWRONG\"", "\"\"", "\"   \"", "1", "null", "[]"]),
];

#[rustfmt::skip]
pub(super) const SIGNIN_KEYS: &[(&str, &[&str])] = &[
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
pub(super) const NOTE_KEYS: &[(&str, &[&str])] = &[
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
