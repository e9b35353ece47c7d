//! The HTTP API (`../shared/API.md`): one axum router over the store and blob traits. On AWS a
//! thin binary hands it to `lambda_http::run`; `zhibu serve` mounts the very same router next
//! to the site.
//!
//! A handler parses its input (a serde DTO of `Option`s, a path, a `Query` struct), asks the
//! domain (`crate::domain`, `crate::upload`) and the store, and answers with a typed struct per
//! answer, declared next to it (`SigninAnswer { signin: SigninView }`): the contract is in the
//! types. Fields are declared in the order each answer has always had — alphabetical where it
//! was a serde_json map, which sorts its keys — so every answer keeps its bytes.

mod audit;
mod copies;
mod dues;
mod extract;
pub mod headers;
mod host;
pub mod idempotency;
mod joining;
mod me;
mod notes;
mod quizzes;
mod rejections;
mod reports;
mod request_id;
mod review;
mod session;
mod signins;
mod suggestions;
mod talks;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, delete, get, post};

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
    /// A header that carries the client's address, written by a proxy in front of the
    /// functions (`ZHIBU_CLIENT_IP_HEADER`); None: the connection's peer is the client.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// Slots for access-code checks ([`crate::auth::new_verification_slots`]): bounds the memory and
    /// CPU a login flood can take.
    pub code_checks: Arc<tokio::sync::Semaphore>,
}

/// The API's routes, all under `/api`.
pub fn router(state: AppState) -> Router {
    // The submissions that may be resent with an Idempotency-Key, each with the most it may send.
    // (Logins are not among them: a token is never kept or handed out twice.)
    let keyed =
        |limit: usize| axum::middleware::from_fn_with_state((state.clone(), limit), idempotency::guard);
    Router::new()
        .route("/api/session", post(session::create))
        .route("/api/session/logout", post(session::logout))
        .route("/api/admin/members/{id}/logout", post(session::logout_member))
        .route("/api/me", get(me::show))
        .route("/api/signins", post(signins::create).get(signins::mine).layer(keyed(JSON_LIMIT)))
        .route("/api/events", get(signins::list))
        .route("/api/events/{event}/signins", get(signins::of_event))
        .route("/api/admin/members", get(me::roster))
        .route("/api/notes", post(notes::create).get(notes::list).layer(keyed(JSON_LIMIT)))
        .route("/api/notes/mine", get(notes::mine))
        .route("/api/notes/{id}/review", post(notes::review).layer(keyed(JSON_LIMIT)))
        .route(
            "/api/copies",
            post(copies::upload)
                .get(copies::mine)
                .layer::<_, std::convert::Infallible>(keyed(UPLOAD_LIMIT + 64 * 1024))
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT + 64 * 1024)),
        )
        .route("/api/campaigns/{id}/progress", get(copies::progress))
        .route("/api/photos/{*key}", get(copies::photo))
        .route("/api/audit", get(audit::list))
        .route("/api/quizzes/{id}", get(quizzes::show))
        .route("/api/quizzes/{id}/answers", post(quizzes::answer).layer(keyed(JSON_LIMIT)))
        .route("/api/quizzes/{id}/reveal", post(quizzes::reveal).layer(keyed(JSON_LIMIT)))
        // The member's file: joining record, thought reports, talks.
        .route("/api/joining/mine", get(joining::mine))
        .route("/api/members/{id}/joining", get(joining::show).post(joining::record).layer(keyed(JSON_LIMIT)))
        .route("/api/members/{id}/joining/{milestone}", delete(joining::remove))
        .route("/api/admin/joining", get(joining::overview))
        .route("/api/reports/mine", get(reports::mine).post(reports::save).layer(keyed(JSON_LIMIT)))
        .route("/api/reports/mine/{quarter}", get(reports::own).delete(reports::discard))
        .route("/api/reports/mine/{quarter}/submit", post(reports::submit).layer(keyed(JSON_LIMIT)))
        .route("/api/reports/mine/{quarter}/withdraw", post(reports::withdraw).layer(keyed(JSON_LIMIT)))
        .route(
            "/api/reports/mine/{quarter}/pages",
            post(reports::add_page)
                .layer::<_, std::convert::Infallible>(keyed(UPLOAD_LIMIT + 64 * 1024))
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT + 64 * 1024)),
        )
        .route("/api/reports/mine/{quarter}/pages/{number}", delete(reports::remove_page))
        .route(
            "/api/reports/mine/{quarter}/comments/{number}/reply",
            post(reports::reply).layer(keyed(JSON_LIMIT)),
        )
        .route("/api/reports/assigned", get(reports::assigned))
        .route("/api/members/{id}/reports", get(reports::series))
        .route("/api/members/{id}/reports/{quarter}", get(reports::show))
        .route("/api/members/{id}/reports/{quarter}/read", post(reports::mark_read).layer(keyed(JSON_LIMIT)))
        .route(
            "/api/members/{id}/reports/{quarter}/comments",
            post(reports::comment).layer(keyed(JSON_LIMIT)),
        )
        .route("/api/admin/reports", get(reports::quarter))
        .route("/api/talks/requests", post(talks::ask).layer(keyed(JSON_LIMIT)))
        .route("/api/talks/requests/{id}/close", post(talks::close_request).layer(keyed(JSON_LIMIT)))
        .route("/api/talks/mine", get(talks::mine))
        .route("/api/talks/{id}/note", post(talks::note).layer(keyed(JSON_LIMIT)))
        .route("/api/admin/talks", get(talks::overview).post(talks::record).layer(keyed(JSON_LIMIT)))
        // Dues.
        .route("/api/dues/mine", get(dues::mine))
        .route("/api/dues/payments", post(dues::report).layer(keyed(JSON_LIMIT)))
        .route("/api/dues/payments/{id}", delete(dues::withdraw))
        .route(
            "/api/dues/payments/{id}/receipt",
            post(dues::receipt)
                .layer::<_, std::convert::Infallible>(keyed(UPLOAD_LIMIT + 64 * 1024))
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT + 64 * 1024)),
        )
        .route("/api/admin/dues", get(dues::branch))
        .route("/api/admin/dues/payments", post(dues::record).layer(keyed(JSON_LIMIT)))
        .route("/api/admin/dues/payments/{id}/review", post(dues::review).layer(keyed(JSON_LIMIT)))
        .route("/api/admin/dues/rates", post(dues::rate).layer(keyed(JSON_LIMIT)))
        // The host unit's word, and attendance confirmed without a sign-in.
        .route(
            "/api/host-notes",
            post(host::submit)
                .layer::<_, std::convert::Infallible>(keyed(UPLOAD_LIMIT + 64 * 1024))
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT + 64 * 1024)),
        )
        .route("/api/host-notes/mine", get(host::mine))
        .route("/api/admin/host-notes", get(host::all))
        .route("/api/admin/host-notes/{id}/review", post(host::review).layer(keyed(JSON_LIMIT)))
        .route("/api/admin/events/{event}/attendance", post(host::confirm).layer(keyed(JSON_LIMIT)))
        // The yearly democratic review (no ballot here: it is secret, and cast at the meeting).
        .route("/api/reviews/{id}", get(review::show))
        .route("/api/reviews/{id}/self", post(review::save_self).layer(keyed(JSON_LIMIT)))
        .route("/api/reviews/{id}/opinions", post(review::send_opinion).layer(keyed(JSON_LIMIT)))
        .route("/api/admin/reviews/{id}", get(review::round))
        .route("/api/admin/reviews/{id}/outcomes", post(review::record_outcome).layer(keyed(JSON_LIMIT)))
        // Suggestions and complaints.
        .route("/api/suggestions", post(suggestions::send).layer(keyed(JSON_LIMIT)))
        .route("/api/suggestions/mine", get(suggestions::mine))
        .route("/api/admin/suggestions", get(suggestions::all))
        .route("/api/admin/suggestions/{id}/answer", post(suggestions::answer).layer(keyed(JSON_LIMIT)))
        // Unknown API paths get the contract's JSON 404; everything outside /api is left to
        // whoever mounts the router (the site under `zhibu serve`).
        .route("/api", any(extract::no_such_endpoint))
        .route("/api/{*rest}", any(extract::no_such_endpoint))
        // After every route: a method a path does not take is the contract's 405, and any
        // plain-text rejection of axum's (a path that is not UTF-8) the contract's error body.
        .method_not_allowed_fallback(rejections::method_not_allowed)
        .layer(axum::middleware::map_response(rejections::as_contract_error))
        .layer(axum::middleware::from_fn(request_id::tag))
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .with_state(state)
}
