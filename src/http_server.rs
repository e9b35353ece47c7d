//! The HTTP server under `zhibu serve` (and any later command that serves the site and API):
//! accepts TCP connections up to a cap and serves an axum router on each over HTTP/1.1 with
//! read and idle timeouts, so that half-sent requests and idle connections cannot pile up until
//! the process runs out of file descriptors; adds the security headers to every answer; and
//! stops gracefully.
//!
//! The limits (`Limits::from_env`) have defaults for a branch's site and can be changed through
//! environment variables, which the tests use to make them short:
//! `ZHIBU_HTTP_HEADER_TIMEOUT_MS`, `ZHIBU_HTTP_BODY_TIMEOUT_MS`, `ZHIBU_HTTP_IDLE_TIMEOUT_MS`,
//! `ZHIBU_HTTP_MAX_CONNECTIONS`.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};
use tokio::time::Instant;
use tower::ServiceExt as _;

/// How long a client may take, and how many connections may be open at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// From the moment the server waits for a request (on a new connection, or between two
    /// requests of a kept-alive one) until its whole head has arrived.
    pub header_read: Duration,
    /// The longest wait for the next piece of a request body that a handler is reading.
    pub body_read: Duration,
    /// A connection that has moved no byte either way for this long is closed (a client that
    /// stopped reading an answer, say).
    pub idle: Duration,
    /// Connections open at once; at the cap, new ones wait in the listen queue until one closes.
    pub max_connections: usize,
    /// On shutdown, how long open connections get to finish (an open page's live-reload stream
    /// never does).
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    /// Headers come in one or two packets even from a phone on a weak network, so 10 s is
    /// plenty and bounds what a slow-sending client holds. A photo upload may stall on a mobile
    /// network and resume: 30 s between two pieces of a body. 60 s without a byte either way is
    /// far longer than any handler takes and than the live-reload keep-alive (15 s). 256
    /// connections is forty times what the browsers of a branch's members open, and stays far
    /// below the usual limit of 1024 descriptors (see `descriptor_cap`).
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(30),
            idle: Duration::from_secs(60),
            max_connections: 256,
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

impl Limits {
    /// The defaults, changed by the `ZHIBU_HTTP_*` variables that are set (a value that is not
    /// a positive whole number is an error), and the cap kept under half of the process's
    /// descriptor limit.
    pub fn from_env() -> anyhow::Result<Limits> {
        Limits::from_vars(|name| std::env::var(name).ok(), descriptor_limit())
    }

    fn from_vars(var: impl Fn(&str) -> Option<String>, descriptors: Option<u64>) -> anyhow::Result<Limits> {
        let mut limits = Limits::default();
        let number = |name: &str| -> anyhow::Result<Option<u64>> {
            let Some(text) = var(name) else { return Ok(None) };
            match text.trim().parse::<u64>() {
                Ok(n) if n > 0 => Ok(Some(n)),
                _ => anyhow::bail!("{name} must be a positive whole number, not {text:?}"),
            }
        };
        if let Some(ms) = number("ZHIBU_HTTP_HEADER_TIMEOUT_MS")? {
            limits.header_read = Duration::from_millis(ms);
        }
        if let Some(ms) = number("ZHIBU_HTTP_BODY_TIMEOUT_MS")? {
            limits.body_read = Duration::from_millis(ms);
        }
        if let Some(ms) = number("ZHIBU_HTTP_IDLE_TIMEOUT_MS")? {
            limits.idle = Duration::from_millis(ms);
        }
        if let Some(n) = number("ZHIBU_HTTP_MAX_CONNECTIONS")? {
            limits.max_connections = usize::try_from(n).unwrap_or(usize::MAX);
        }
        if let Some(cap) = descriptors.map(descriptor_cap) {
            limits.max_connections = limits.max_connections.min(cap);
        }
        Ok(limits)
    }
}

/// Connections allowed under a descriptor limit: half of it, leaving the rest to the site's
/// files, the store, the file watcher and the runtime (at least 8).
fn descriptor_cap(limit: u64) -> usize {
    usize::try_from(limit / 2).unwrap_or(usize::MAX).max(8)
}

/// The process's soft limit on open files, where the system tells it (Linux's /proc).
fn descriptor_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// What is served, and how.
#[derive(Default)]
pub struct Options {
    pub limits: Limits,
    /// Whether the site is reached over HTTPS (then answers carry HSTS too).
    pub https: bool,
    /// TLS on the connections themselves (`zhibu run --tls-cert`); None: plain HTTP.
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` name the client (`zhibu run
    /// --trusted-proxy`); from any other peer those headers are ignored.
    pub trusted_proxies: Vec<IpAddr>,
    /// One line per request on stdout (`zhibu run`).
    pub access_log: bool,
}

/// What each connection shares.
struct Shared {
    app: Router,
    limits: Limits,
    https: bool,
    trusted_proxies: Vec<IpAddr>,
    access_log: bool,
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open connections finish
/// for `shutdown_grace`. Every request carries `ConnectInfo<SocketAddr>` (the peer) and every
/// answer the security headers.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    options: Options,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let Options { limits, https, tls, trusted_proxies, access_log } = options;
    let shared = Arc::new(Shared { app, limits: limits.clone(), https, trusted_proxies, access_log });
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopping) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        // At the cap, stop accepting: new connections wait in the kernel's listen queue
        // (costing this process no descriptor) until a connection closes or times out.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.context("the connection slots closed")?,
            () = &mut shutdown => break,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // A connection reset before it was accepted is the client's business; running
                // out of descriptors (another part of the process) passes: wait a moment.
                if !is_connection_error(&e) {
                    eprintln!("Warning: could not accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let (shared, stopping) = (shared.clone(), stopping.clone());
        match tls.clone() {
            None => {
                tokio::spawn(connection(stream, peer, shared, stopping, slot));
            }
            Some(acceptor) => {
                tokio::spawn(async move {
                    // The handshake has the time a request's head has: a client that opens a
                    // connection and sends nothing holds it no longer.
                    let handshake = tokio::time::timeout(shared.limits.header_read, acceptor.accept(stream));
                    if let Ok(Ok(stream)) = handshake.await {
                        connection(stream, peer, shared, stopping, slot).await;
                    }
                });
            }
        }
    }
    drop(listener);
    let _ = stop.send(true);
    // Every slot back means every connection has ended.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(limits.shutdown_grace, slots.acquire_many(all)).await;
    Ok(())
}

/// The client's address: the peer's, unless the peer is a trusted proxy, which names the client
/// as the last entry it added to `Forwarded` (`for=`) or `X-Forwarded-For`. Entries further left
/// were written by the client itself and are never believed.
fn client_of(peer: SocketAddr, headers: &axum::http::HeaderMap, trusted: &[IpAddr]) -> SocketAddr {
    if !trusted.contains(&peer.ip()) {
        return peer;
    }
    let last = |name: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .map(str::trim)
    };
    let forwarded = last("forwarded").and_then(|entry| {
        entry.split(';').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            k.trim().eq_ignore_ascii_case("for").then(|| v.trim().trim_matches('"').to_string())
        })
    });
    let named = forwarded.or_else(|| last("x-forwarded-for").map(str::to_string));
    named.and_then(|n| parse_node(&n)).map(|ip| SocketAddr::new(ip, 0)).unwrap_or(peer)
}

/// `203.0.113.9`, `203.0.113.9:4711`, `[2001:db8::1]:4711` or `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(addr) = node.parse::<SocketAddr>() {
        return Some(addr.ip());
    }
    node.strip_prefix('[').and_then(|rest| rest.split(']').next()).and_then(|ip| ip.parse().ok())
}

fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// One connection, until it ends, times out, or the server stops; its slot is given back when
/// this returns.
async fn connection<S>(
    stream: S,
    peer: SocketAddr,
    shared: Arc<Shared>,
    mut stopping: watch::Receiver<bool>,
    _slot: tokio::sync::OwnedSemaphorePermit,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let activity = Arc::new(Activity::new());
    let body_stalled = Arc::new(Notify::new());
    let io = TokioIo::new(Tracked { inner: stream, activity: activity.clone() });
    let (header_read, body_read, idle) =
        (shared.limits.header_read, shared.limits.body_read, shared.limits.idle);
    let stalled = body_stalled.clone();
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let mut request = request.map(|body| Body::new(ReadTimeout::new(body, body_read, stalled.clone())));
        let client = client_of(peer, request.headers(), &shared.trusted_proxies);
        request.extensions_mut().insert(ConnectInfo(client));
        let shared = shared.clone();
        async move {
            let started = std::time::Instant::now();
            let logged =
                shared.access_log.then(|| (request.method().clone(), request.uri().path().to_string()));
            let mut answer = shared.app.clone().oneshot(request).await?;
            zhibu_functions::http::headers::add_to(answer.headers_mut(), shared.https);
            if let Some((method, path)) = logged {
                // The API tags its answers (and its error log) with an id; the site's files get one here.
                let id = match answer.headers().get("x-request-id").and_then(|v| v.to_str().ok()) {
                    Some(id) => id.to_string(),
                    None => {
                        let id = crate::access_log::request_id();
                        if let Ok(value) = axum::http::HeaderValue::from_str(&id) {
                            answer.headers_mut().insert("x-request-id", value);
                        }
                        id
                    }
                };
                crate::access_log::line(&method, &path, &answer, started.elapsed(), &id);
            }
            Ok::<_, std::convert::Infallible>(answer)
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(header_read).keep_alive(true);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let idle = idle_watch(activity, idle);
    tokio::pin!(idle);
    let mut draining = false;
    loop {
        tokio::select! {
            // Done, or failed (a header timeout, a malformed request): either way it closes.
            _ = conn.as_mut() => return,
            () = body_stalled.notified() => return,
            () = &mut idle => return,
            _ = stopping.changed(), if !draining => {
                conn.as_mut().graceful_shutdown();
                draining = true;
            }
        }
    }
}

/// When a connection last moved a byte, in milliseconds since it was accepted.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity { start: Instant::now(), last_ms: AtomicU64::new(0) }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }
}

/// Completes once the connection has been idle for `idle`.
async fn idle_watch(activity: Arc<Activity>, idle: Duration) {
    loop {
        let deadline = activity.last() + idle;
        if Instant::now() >= deadline {
            return;
        }
        tokio::time::sleep_until(deadline).await;
    }
}

/// A socket (or a TLS stream over one) that notes every byte it moves.
struct Tracked<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = ready!(Pin::new(&mut this.inner).poll_read(cx, buf));
        if buf.filled().len() > before {
            this.activity.touch();
        }
        Poll::Ready(result)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let result = ready!(Pin::new(&mut this.inner).poll_write(cx, buf));
        if matches!(result, Ok(n) if n > 0) {
            this.activity.touch();
        }
        Poll::Ready(result)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let result = ready!(Pin::new(&mut this.inner).poll_write_vectored(cx, bufs));
        if matches!(result, Ok(n) if n > 0) {
            this.activity.touch();
        }
        Poll::Ready(result)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// A request body that fails, and has its connection closed, when the next piece takes longer
/// than `timeout` to arrive while a handler waits for it.
struct ReadTimeout {
    inner: Incoming,
    timeout: Duration,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    stalled: Arc<Notify>,
}

impl ReadTimeout {
    fn new(inner: Incoming, timeout: Duration, stalled: Arc<Notify>) -> ReadTimeout {
        ReadTimeout { inner, timeout, sleep: None, stalled }
    }
}

impl http_body::Body for ReadTimeout {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            this.sleep = None;
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        let timeout = this.timeout;
        let sleep = this.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        ready!(sleep.as_mut().poll(cx));
        this.stalled.notify_one();
        let stalled = std::io::Error::new(std::io::ErrorKind::TimedOut, "the request body stopped arriving");
        Poll::Ready(Some(Err(stalled.into())))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_headers_are_believed_only_from_a_trusted_proxy() {
        let proxy: SocketAddr = "10.0.0.2:5000".parse().unwrap();
        let trusted = ["10.0.0.2".parse().unwrap()];
        let mut h = axum::http::HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9".parse().unwrap());
        assert_eq!(
            client_of(proxy, &h, &trusted).ip().to_string(),
            "203.0.113.9",
            "the entry the proxy added"
        );
        assert_eq!(client_of(proxy, &h, &[]), proxy, "no proxy configured: the peer");
        let stranger: SocketAddr = "198.51.100.1:1".parse().unwrap();
        assert_eq!(client_of(stranger, &h, &trusted), stranger, "a stranger's header is ignored");
        h.insert("forwarded", "for=6.6.6.6, for=\"[2001:db8::1]:4711\";proto=https".parse().unwrap());
        assert_eq!(client_of(proxy, &h, &trusted).ip().to_string(), "2001:db8::1", "Forwarded first");
        let mut junk = axum::http::HeaderMap::new();
        junk.insert("x-forwarded-for", "unknown".parse().unwrap());
        assert_eq!(client_of(proxy, &junk, &trusted), proxy);
    }

    #[test]
    fn limits_come_from_the_environment_and_stay_under_the_descriptor_limit() {
        let none = |_: &str| None;
        assert_eq!(Limits::from_vars(none, None).expect("defaults"), Limits::default());
        let set = |name: &str| match name {
            "ZHIBU_HTTP_HEADER_TIMEOUT_MS" => Some("500".to_string()),
            "ZHIBU_HTTP_MAX_CONNECTIONS" => Some("1000".to_string()),
            _ => None,
        };
        let limits = Limits::from_vars(set, Some(1024)).expect("valid");
        assert_eq!(limits.header_read, Duration::from_millis(500));
        assert_eq!(limits.max_connections, 512, "half the descriptors");
        let bad = |name: &str| (name == "ZHIBU_HTTP_IDLE_TIMEOUT_MS").then(|| "soon".to_string());
        let e = Limits::from_vars(bad, None).expect_err("not a number");
        assert!(e.to_string().contains("ZHIBU_HTTP_IDLE_TIMEOUT_MS"), "{e}");
        assert!(Limits::from_vars(|_| Some("0".into()), None).is_err(), "zero is refused");
    }

    #[test]
    fn the_descriptor_limit_is_read_from_the_system() {
        if cfg!(target_os = "linux") {
            assert!(descriptor_limit().is_some_and(|n| n > 0));
        }
    }
}
