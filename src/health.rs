//! `GET /api/health` under `zhibu run`, for the reverse proxy and monitoring: whether the store
//! answers, the data folder's file system has room, and the catalog (what the forms accept) is
//! loaded. 200 when all hold, 503 otherwise; the body names the checks and nothing else — no
//! counts, paths or versions.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use zhibu_functions::store::Store;

#[derive(Clone)]
pub struct Health {
    pub store: Arc<dyn Store>,
    /// The folder whose file system must keep `min_free` bytes (the data folder).
    pub data: PathBuf,
    pub min_free: u64,
    pub catalog_loaded: Arc<AtomicBool>,
}

/// Bytes free for an unprivileged writer on the file system holding `path`.
pub fn free_bytes(path: &std::path::Path) -> std::io::Result<u64> {
    let stat = rustix::fs::statvfs(path)?;
    Ok(stat.f_bavail.saturating_mul(stat.f_frsize))
}

pub async fn check(State(health): State<Health>) -> Response {
    // A point read of an id no member has: one query, whatever the store's size.
    let probe = zhibu_functions::domain::ids::MemberId::parse("health-check");
    let store = match probe {
        Ok(id) => {
            let read = health.store.member(&id);
            matches!(tokio::time::timeout(std::time::Duration::from_secs(5), read).await, Ok(Ok(_)))
        }
        Err(_) => false,
    };
    let disk = free_bytes(&health.data).is_ok_and(|free| free >= health.min_free);
    let catalog = health.catalog_loaded.load(Ordering::Relaxed);
    let word = |ok: bool| if ok { "ok" } else { "fail" };
    let all = store && disk && catalog;
    let body = json!({
        "status": word(all),
        "checks": { "store": word(store), "disk": word(disk), "catalog": word(catalog) },
    });
    let status = if all { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}
