//! The HTTP API (`../shared/API.md`): one axum router over the store and blob traits. On AWS a
//! thin binary hands it to `lambda_http::run`; `zhibu serve` mounts the very same router next
//! to the site.

mod audit;
mod copies;
mod extract;
pub mod idempotency;
mod me;
mod notes;
mod quizzes;
mod request_id;
mod session;
mod signins;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};

use crate::auth::TokenKey;
use crate::blobs::Blobs;
use crate::catalog::SharedCatalog;
use crate::clock::Clock;
use crate::store::Store;
use crate::words::SensitiveWords;

/// JSON bodies over this are refused with 413 before they are read whole.
pub const JSON_LIMIT: usize = 64 * 1024;
/// Uploads over this are refused with 413 (a photo must fit Lambda's 6 MB payload once
/// base64-encoded; the site shrinks photos in the browser first).
pub const UPLOAD_LIMIT: usize = 4 * 1024 * 1024;

/// Everything a handler needs, shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub blobs: Arc<dyn Blobs>,
    pub catalog: Arc<SharedCatalog>,
    pub tokens: TokenKey,
    pub words: Arc<SensitiveWords>,
    pub clock: Arc<dyn Clock>,
}

/// The API's routes, all under `/api`.
pub fn router(state: AppState) -> Router {
    let idempotency = axum::middleware::from_fn_with_state(state.clone(), idempotency::guard);
    Router::new()
        .route("/api/session", post(session::create))
        .route("/api/me", get(me::show))
        .route("/api/signins", post(signins::create).get(signins::mine))
        .route("/api/events", get(signins::list))
        .route("/api/events/{event}/signins", get(signins::of_event))
        .route("/api/admin/members", get(me::roster))
        .route("/api/notes", post(notes::create).get(notes::list))
        .route("/api/notes/mine", get(notes::mine))
        .route("/api/notes/{id}/review", post(notes::review))
        .route(
            "/api/copies",
            post(copies::upload).get(copies::mine).layer(DefaultBodyLimit::max(UPLOAD_LIMIT + 64 * 1024)),
        )
        .route("/api/campaigns/{id}/progress", get(copies::progress))
        .route("/api/photos/{*key}", get(copies::photo))
        .route("/api/audit", get(audit::list))
        .route("/api/quizzes/{id}", get(quizzes::show))
        .route("/api/quizzes/{id}/answers", post(quizzes::answer))
        .route("/api/quizzes/{id}/reveal", post(quizzes::reveal))
        // Unknown API paths get the contract's JSON 404; everything outside /api is left to
        // whoever mounts the router (the site under `zhibu serve`).
        .route("/api", any(extract::no_such_endpoint))
        .route("/api/{*rest}", any(extract::no_such_endpoint))
        .layer(idempotency)
        .layer(axum::middleware::from_fn(request_id::tag))
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .with_state(state)
}
