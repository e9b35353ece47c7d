//! A real router over a temporary SQLite store and blob folder, a fixed clock and a small
//! catalog: what every API test stands on.

#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;
use zhibu_functions::auth::{TokenKey, hash_code};
use zhibu_functions::blobs::Blobs;
use zhibu_functions::blobs::dir::DirBlobs;
use zhibu_functions::catalog::{Catalog, SharedCatalog};
use zhibu_functions::clock::FixedClock;
use zhibu_functions::domain::{MemberId, Role};
use zhibu_functions::http::{AppState, router};
use zhibu_functions::store::sqlite::SqliteStore;
use zhibu_functions::store::{Member, Store};
use zhibu_functions::words::SensitiveWords;

pub const CATALOG: &str = r#"{
  "version": 1,
  "events": [
    {"id": "2026-12-09-remembrance", "title": "纪念一二·九运动主题党日", "page": "/campaigns/1209/",
     "opens": "2026-12-09T07:00:00+08:00", "closes": "2026-12-09T22:00:00+08:00",
     "geofence": {"lat": 30.52, "lon": 114.36, "radius_m": 300.0}},
    {"id": "2026-12-online-study", "title": "线上党课", "page": "/school/online/",
     "opens": "2026-12-09T07:00:00+08:00", "closes": "2026-12-20T22:00:00+08:00", "geofence": null}
  ],
  "campaigns": [
    {"id": "constitution-100", "title": "手抄党章100天", "page": "/campaigns/copy/", "starts": "2026-12-01", "days": 100}
  ],
  "note_pages": [{"path": "/theory/constitution/", "title": "学习党章"}],
  "reviews": [
    {"id": "2026-review", "title": "2026年度民主评议党员", "page": "/life/review-2026/", "year": 2026,
     "opens": "2026-12-01T00:00:00+08:00", "closes": "2026-12-20T22:00:00+08:00"}
  ],
  "quizzes": [
    {"id": "2026-12-regulations", "title": "测一测：支部工作条例", "page": "/campaigns/quiz/",
     "opens": "2026-12-01T08:00:00+08:00", "closes": "2026-12-10T22:00:00+08:00",
     "questions": [
       {"question": "支部党员大会一般多久召开一次？", "options": ["每月", "每季度", "每半年"], "answer": 2,
        "source": "《中国共产党支部工作条例（试行）》第十一条", "explain": "一般每季度召开一次。"},
       {"question": "预备期从何时算起？", "options": ["递交申请书", "支部大会通过之日"], "answer": 2,
        "source": "《中国共产党章程》第七条", "explain": "从支部大会通过其为预备党员之日算起。"}
     ]}
  ]
}"#;

pub const MEMBER_CODE: &str = "ABCDE23456";
pub const OTHER_CODE: &str = "FGHJK23456";
pub const ADMIN_CODE: &str = "MNPQR23456";

pub struct Harness {
    pub app: Router,
    pub state: AppState,
    pub clock: Arc<FixedClock>,
    pub dir: tempfile::TempDir,
}

pub fn member(id: &str, name: &str, role: Role) -> Member {
    Member { id: MemberId::parse(id).unwrap(), name: name.into(), role, profile: Default::default() }
}

pub fn state_in(dir: &std::path::Path, clock: Arc<FixedClock>) -> AppState {
    state_on(
        Arc::new(SqliteStore::open(&dir.join("zhibu.sqlite")).unwrap()),
        Arc::new(DirBlobs::open(&dir.join("blobs")).unwrap()),
        clock,
    )
}

pub fn state_on(store: Arc<dyn Store>, blobs: Arc<dyn Blobs>, clock: Arc<FixedClock>) -> AppState {
    AppState {
        store,
        blobs,
        catalog: Arc::new(SharedCatalog::new(Catalog::from_json(CATALOG).unwrap())),
        tokens: TokenKey::new(&[42u8; 32]).unwrap(),
        words: Arc::new(SensitiveWords::parse("翻墙\n")),
        clock,
        client_ip_header: Some(axum::http::HeaderName::from_static("x-test-client")),
        code_checks: zhibu_functions::auth::new_verification_slots(),
    }
}

impl Harness {
    pub async fn new() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::at("2026-12-09T19:30:00+08:00"));
        let state = state_in(dir.path(), clock.clone());
        Harness::with_members(state, clock, dir).await
    }

    /// The same router and members over other adapters (DynamoDB, S3).
    pub async fn on(store: Arc<dyn Store>, blobs: Arc<dyn Blobs>) -> Harness {
        let clock = Arc::new(FixedClock::at("2026-12-09T19:30:00+08:00"));
        let state = state_on(store, blobs, clock.clone());
        Harness::with_members(state, clock, tempfile::tempdir().unwrap()).await
    }

    async fn with_members(state: AppState, clock: Arc<FixedClock>, dir: tempfile::TempDir) -> Harness {
        for (m, code) in [
            (member("m001", "张三", Role::Member), MEMBER_CODE),
            (member("m002", "李四", Role::Member), OTHER_CODE),
            (member("a001", "王书记", Role::Admin), ADMIN_CODE),
        ] {
            state.store.upsert_member(&m, &hash_code(code).unwrap()).await.unwrap();
        }
        Harness { app: router(state.clone()), state, clock, dir }
    }

    pub async fn send(&self, request: Request<Body>) -> (StatusCode, Value, axum::http::HeaderMap) {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(format!("<{} bytes>", bytes.len())))
        };
        (status, body, headers)
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => {
                req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())).unwrap()
            }
            None => req.body(Body::empty()).unwrap(),
        };
        let (s, v, _) = self.send(req).await;
        (s, v)
    }

    pub async fn login(&self, id: &str, code: &str) -> String {
        let (status, body) =
            self.call("POST", "/api/session", None, Some(json!({"member_id": id, "code": code}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    pub async fn member_token(&self) -> String {
        self.login("m001", MEMBER_CODE).await
    }

    pub async fn admin_token(&self) -> String {
        self.login("a001", ADMIN_CODE).await
    }

    pub async fn upload(
        &self,
        token: &str,
        campaign: &str,
        day: &str,
        photo: &[u8],
        filename: &str,
    ) -> (StatusCode, Value) {
        let fields = [("campaign", campaign.as_bytes()), ("day", day.as_bytes())];
        self.multipart(token, "/api/copies", &fields, photo, filename).await
    }

    /// A multipart POST of some text fields and a `photo`.
    pub async fn multipart(
        &self,
        token: &str,
        path: &str,
        fields: &[(&str, &[u8])],
        photo: &[u8],
        filename: &str,
    ) -> (StatusCode, Value) {
        let boundary = "zhibu-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(value);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{filename}\"\r\nContent-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(photo);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::builder()
            .method("POST")
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .unwrap();
        let (s, v, _) = self.send(req).await;
        (s, v)
    }

    /// Files under the blob folder.
    pub fn blob_count(&self) -> usize {
        walk(&self.dir.path().join("blobs"))
    }
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
        .unwrap_or(0)
}

/// A PNG of the given size, made in memory.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

pub fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

pub fn error_field(body: &Value) -> &str {
    body["error"]["field"].as_str().unwrap_or("")
}
