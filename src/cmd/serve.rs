//! `zhibu serve`: build in memory, serve on one local origin, watch the site and rebuild on
//! every change, reloading open pages. A broken edit prints the error and shows it in the page;
//! the server keeps running with the last good build. Connections, timeouts and the security
//! headers are `crate::http_server`'s.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use axum::Router;
use axum::body::Body as HttpBody;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use notify::Watcher as _;
use tokio::sync::broadcast;
use zhibu_generator::site::{Body, Built};

use crate::cli::ServeArgs;
use crate::progress::{self, Lines};

const RELOAD_PATH: &str = "/__zhibu/livereload";
/// The live-reload script, a file of its own so that pages keep their `script-src 'self'`.
const RELOAD_SCRIPT_PATH: &str = "/__zhibu/livereload.js";
const RELOAD_SCRIPT: &str = "// zhibu serve: reload the page after every rebuild.\n\
    new EventSource(\"/__zhibu/livereload\").onmessage = function () { location.reload(); };\n";
/// How the build error shows over a page (a stylesheet, as pages allow no inline style).
const ERROR_STYLE_PATH: &str = "/__zhibu/build-error.css";
const ERROR_STYLE: &str = "#zhibu-build-error { position: fixed; inset: 0; overflow: auto; background: #fff; \
    color: #900; padding: 1em; z-index: 99999; font: 14px/1.5 monospace; white-space: pre-wrap; }\n";

/// What the server shows: the last good build, and the error of the latest one if it failed.
struct Current {
    files: HashMap<String, Body>,
    error: Option<String>,
}

#[derive(Clone)]
struct AppState {
    current: Arc<RwLock<Current>>,
    reload: broadcast::Sender<()>,
    /// What the functions accept, replaced after every successful rebuild.
    catalog: Arc<zhibu_functions::catalog::SharedCatalog>,
}

/// The build's catalog in the functions' terms (both speak `zhibu-catalog`'s types).
fn functions_catalog(built: &Built) -> zhibu_functions::catalog::Catalog {
    built.catalog.clone().into()
}

/// What the server answers with: the built files (the catalog, with the quiz answer keys, is
/// never among them; the functions get it in memory).
fn files_of(built: Built) -> HashMap<String, Body> {
    built.files.into_iter().map(|f| (f.path, f.body)).collect()
}

pub fn run(args: &ServeArgs) -> anyhow::Result<()> {
    // The functions log internal errors (with the request id); RUST_LOG changes the level.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(serve(args))
}

async fn serve(args: &ServeArgs) -> anyhow::Result<()> {
    let listener =
        tokio::net::TcpListener::bind((args.interface.as_str(), args.port)).await.with_context(|| {
            format!("cannot listen on {}:{} (is another zhibu serve running?)", args.interface, args.port)
        })?;
    let addr: SocketAddr = listener.local_addr()?;
    let base_url = format!("http://{addr}");
    let options = zhibu_generator::BuildOptions {
        mode: zhibu_generator::config::Mode::Serve,
        ..super::options(&args.site, Some(base_url.clone()))
    };
    let lines = Lines { quiet: args.site.quiet };
    let mut cache = zhibu_generator::site::Cache::default();
    let first = zhibu_generator::site::build_cached(&options, &lines, &mut cache);
    // The functions, on the same origin: the embedded store and blobs under --data unless
    // ZHIBU_STORE / ZHIBU_BLOBS say otherwise.
    let api_config = zhibu_functions::config::Config::from_env(&args.data)?;
    let catalog = Arc::new(zhibu_functions::catalog::SharedCatalog::default());
    let current = match first {
        Ok(built) => {
            progress::print_warnings(&built.warnings);
            catalog.replace(functions_catalog(&built));
            Current { files: files_of(built), error: None }
        }
        Err(e) => {
            eprint!("Error: {e}");
            Current { files: HashMap::new(), error: Some(e.to_string()) }
        }
    };
    let api = zhibu_functions::http::router(zhibu_functions::app::state(&api_config, catalog.clone()).await?);
    let (reload, _) = broadcast::channel(16);
    let state = AppState { current: Arc::new(RwLock::new(current)), reload, catalog };

    spawn_watcher(options, args.site.quiet, &args.data, state.clone(), cache)?;

    let site = Router::new()
        .route(RELOAD_PATH, get(live_reload))
        .route(
            RELOAD_SCRIPT_PATH,
            get(|| async { own_file("text/javascript; charset=utf-8", RELOAD_SCRIPT) }),
        )
        .route(ERROR_STYLE_PATH, get(|| async { own_file("text/css; charset=utf-8", ERROR_STYLE) }))
        .fallback(get(static_file))
        .with_state(state);
    let app = api.merge(site);
    let limits = crate::http_server::Limits::from_env()?;
    // `serve` prints where it listens on stdout, so scripts and tests can read the port.
    println!("Serving {} on {base_url}/ (Ctrl+C to stop)", args.site.root.display());
    let options = crate::http_server::Options { limits, ..Default::default() };
    crate::http_server::serve(listener, app, options, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// One of `serve`'s own files (the live-reload script, the build error's style).
fn own_file(content_type: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-store")], text).into_response()
}

/// Watches the site folder and rebuilds on changes, coalescing bursts of events.
fn spawn_watcher(
    options: zhibu_generator::BuildOptions,
    quiet: bool,
    data_dir: &Path,
    state: AppState,
    mut cache: zhibu_generator::site::Cache,
) -> anyhow::Result<()> {
    let root = options.root.canonicalize().unwrap_or_else(|_| options.root.clone());
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).context("cannot watch the site folder")?;
    for name in ["content", "templates", "static", "sass", "themes", "config.toml", "zola.toml", "data"] {
        let p = root.join(name);
        if p.exists() {
            watcher
                .watch(&p, notify::RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", p.display()))?;
        }
    }
    let ignored: Vec<PathBuf> = vec![root.join("public"), root.join(data_dir), data_dir.to_path_buf()];
    std::thread::spawn(move || {
        let _keep = watcher;
        let lines = Lines { quiet };
        let content = root.join("content");
        while let Ok(first) = rx.recv() {
            let mut changed = relevant_paths(&first, &ignored);
            // Editors save in bursts (temp file, rename, chmod): take them as one change.
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(10)) {
                changed.extend(relevant_paths(&more, &ignored));
            }
            if changed.is_empty() {
                continue;
            }
            // Content edits reuse the last build; anything else (data files read by templates)
            // starts afresh.
            if changed.iter().any(|p| !p.starts_with(&content)) {
                cache.clear();
            }
            let start = Instant::now();
            let result = zhibu_generator::site::build_cached(&options, &lines, &mut cache);
            let mut current = match state.current.write() {
                Ok(c) => c,
                Err(poisoned) => poisoned.into_inner(),
            };
            match result {
                Ok(built) => {
                    progress::print_warnings(&built.warnings);
                    state.catalog.replace(functions_catalog(&built));
                    current.files = files_of(built);
                    current.error = None;
                    eprintln!("Rebuilt in {}", progress::format_duration(start.elapsed()));
                }
                Err(e) => {
                    eprint!("Error: {e}");
                    current.error = Some(e.to_string());
                }
            }
            drop(current);
            let _ = state.reload.send(());
        }
    });
    Ok(())
}

/// The paths of an event that should trigger a rebuild (not editor temp files, not outputs).
fn relevant_paths(event: &notify::Result<notify::Event>, ignored: &[PathBuf]) -> Vec<PathBuf> {
    let Ok(event) = event else { return Vec::new() };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return Vec::new();
    }
    event
        .paths
        .iter()
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
            let editor_temp = name.ends_with('~')
                || name.ends_with(".swp")
                || name.starts_with(".#")
                || name.ends_with(".zhibu-tmp");
            !editor_temp && !ignored.iter().any(|i| p.starts_with(i))
        })
        .cloned()
        .collect()
}

async fn live_reload(
    State(state): State<AppState>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let rx = state.reload.subscribe();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(()) => return Some((Ok(Event::default().data("reload")), rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The Content-Type of a built file, from its extension (mime_guess's table); text is UTF-8.
pub(crate) fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "json" | "xml" | "javascript")
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    if text && mime.get_param("charset").is_none() && mime.subtype() != "svg" {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The live-reload script and, when the latest build failed, its error over the page: files
/// of `serve`'s own, never inline, so the page's Content-Security-Policy holds.
fn inject(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let mut extra = format!("<script src=\"{RELOAD_SCRIPT_PATH}\"></script>");
    if let Some(e) = error {
        extra.push_str(&format!(
            "<link rel=\"stylesheet\" href=\"{ERROR_STYLE_PATH}\"><div id=\"zhibu-build-error\"><strong>构建失败 / build failed</strong>\n\n{}</div>",
            escape(e)
        ));
    }
    let text = String::from_utf8_lossy(html);
    let out = match text.rfind("</body>") {
        Some(i) => format!("{}{}{}", &text[..i], extra, &text[i..]),
        None => format!("{text}{extra}"),
    };
    out.into_bytes()
}

async fn static_file(State(state): State<AppState>, uri: Uri) -> Response {
    let raw = uri.path();
    let decoded = percent_decode(raw);
    let key = decoded.trim_start_matches('/');
    let (body, error, status, path) = {
        let current = match state.current.read() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        let error = current.error.clone();
        let candidates = if key.is_empty() || key.ends_with('/') {
            vec![format!("{key}index.html")]
        } else {
            vec![key.to_string(), format!("{key}/index.html")]
        };
        let mut found = None;
        for (n, c) in candidates.iter().enumerate() {
            if let Some(b) = current.files.get(c) {
                if n == 1 {
                    // A folder asked without its slash: send the browser to the slashed URL.
                    return Response::builder()
                        .status(StatusCode::MOVED_PERMANENTLY)
                        .header(header::LOCATION, slashed(raw))
                        .body(HttpBody::empty())
                        .unwrap_or_default();
                }
                found = Some((b.clone(), c.clone()));
                break;
            }
        }
        match found {
            Some((b, p)) => (Some(b), error, StatusCode::OK, p),
            None => {
                (current.files.get("404.html").cloned(), error, StatusCode::NOT_FOUND, "404.html".to_string())
            }
        }
    };
    let bytes = match body {
        Some(Body::Bytes(b)) => b,
        Some(Body::Copy(src)) => match tokio::fs::read(&src).await {
            Ok(b) => b,
            Err(_) => return (StatusCode::NOT_FOUND, "not found").into_response(),
        },
        None if error.is_some() => inject(b"<!doctype html><html><body></body></html>", error.as_deref()),
        None => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    let ctype = content_type(&path);
    let bytes = if ctype.starts_with("text/html") { inject(&bytes, error.as_deref()) } else { bytes };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, ctype)
        .header(header::CACHE_CONTROL, "no-store")
        .body(HttpBody::from(bytes))
        .unwrap_or_default()
}

/// A folder's URL with its slash, on this origin: one leading slash only, since `//host/` (or
/// `/\host/`) in a Location sends the browser to another host.
pub(crate) fn slashed(path: &str) -> String {
    format!("/{}/", path.trim_start_matches(['/', '\\']))
}

/// Decodes %XX escapes (Chinese term URLs arrive percent-encoded); bytes that are not UTF-8
/// become U+FFFD.
pub(crate) fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_come_from_the_extension_and_text_is_utf8() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css/site.css"), "text/css; charset=utf-8");
        assert!(content_type("js/api.js").ends_with("javascript; charset=utf-8"));
        assert_eq!(content_type("atom.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("qr.svg"), "image/svg+xml");
        assert_eq!(content_type("p.PNG"), "image/png");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn percent_decoding_restores_chinese_paths() {
        assert_eq!(percent_decode("/tags/%E5%85%9A%E5%8F%B2/"), "/tags/党史/");
        assert_eq!(percent_decode("/a%2"), "/a%2");
    }

    #[test]
    fn injection_goes_before_body_end_and_escapes_errors() {
        let out = String::from_utf8(inject(b"<html><body>x</body></html>", Some("<bad>"))).unwrap();
        assert!(out.contains("<script src=\"/__zhibu/livereload.js\"></script>"));
        assert!(out.contains("&lt;bad&gt;"));
        assert!(!out.contains("style=") && !out.contains("<script>"), "nothing inline: {out}");
        assert!(out.ends_with("</body></html>"));
    }

    #[test]
    fn a_folder_redirect_stays_on_this_origin() {
        assert_eq!(slashed("/notices"), "/notices/");
        assert_eq!(slashed("//notices"), "/notices/");
        assert_eq!(slashed("/\\evil.example"), "/evil.example/");
        assert_eq!(slashed("/tags/%E5%85%9A"), "/tags/%E5%85%9A/");
    }
}
