//! `zhibu serve`: one local origin, rebuilt and reloaded on every change; a broken edit shows
//! its error in the page while the server keeps running. Every answer carries the security
//! headers, and clients that send slowly or not at all cannot hold the server.

use crate::common;

use std::io::{BufRead as _, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Server, Site};
use zhibu_functions::http::headers;

fn start(site: &Site) -> Server {
    site.serve(&site.root().join(".zhibu"))
}

fn get(addr: &str, path: &str) -> (u16, String) {
    common::http(addr, "GET", path, None, None)
}

fn wait_for(addr: &str, path: &str, what: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, body) = get(addr, path);
        if what(&body) {
            return body;
        }
        assert!(Instant::now() < deadline, "timed out waiting on {path}; last body:\n{body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_rebuilds_and_shows_errors_in_the_page() {
    let site = Site::fixture("site");
    let server = start(&site);
    let addr = server.addr.clone();

    let (status, home) = get(&addr, "/");
    assert_eq!(status, 200);
    assert!(home.contains("首页"));
    assert!(home.contains("<script src=\"/__zhibu/livereload.js\"></script>"), "live reload script injected");
    let (status, script) = get(&addr, "/__zhibu/livereload.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource(\"/__zhibu/livereload\")"), "{script}");
    assert!(home.contains(&format!("http://{addr}/notices/meeting/")), "links point at the local origin");

    let (status, _) = get(&addr, "/notices/meeting");
    assert_eq!(status, 301, "folder without slash redirects");
    let (status, body) = get(&addr, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("404"));
    let (status, term) = get(&addr, "/tags/%E5%85%9A%E5%8F%B2%E5%AD%A6%E4%B9%A0/");
    assert_eq!(status, 200, "percent-encoded Chinese term URL");
    assert!(term.contains("党史学习"));

    // An edit is picked up.
    site.write(
        "content/notices/meeting.md",
        "+++\ntitle = \"改过的标题\"\ndate = 2026-11-20\n+++\n## 会议议程\n",
    );
    wait_for(&addr, "/notices/meeting/", |b| b.contains("改过的标题"));

    // A broken edit: the error shows in the page, the last good build stays.
    site.write("content/notices/broken.md", "+++\ntitle = \n+++\n");
    let page = wait_for(&addr, "/notices/meeting/", |b| b.contains("zhibu-build-error"));
    assert!(page.contains("content/notices/broken.md:2"), "{page}");
    assert!(page.contains("<link rel=\"stylesheet\" href=\"/__zhibu/build-error.css\">"), "{page}");
    assert!(!page.contains(" style=\""), "no inline style under the CSP: {page}");
    assert_eq!(get(&addr, "/__zhibu/build-error.css").0, 200);
    assert!(page.contains("改过的标题"), "last good build still served");

    // Fixed again: the error is gone.
    std::fs::remove_file(site.root().join("content/notices/broken.md")).expect("remove");
    wait_for(&addr, "/notices/meeting/", |b| !b.contains("zhibu-build-error"));
}

#[test]
fn live_reload_tells_open_pages_after_a_rebuild() {
    let site = Site::fixture("site");
    let server = start(&site);
    // The answer's head comes once the stream has subscribed: only then change anything.
    let mut stream = open_live_reload(&server.addr);
    let mut seen = String::new();
    let mut buf = [0u8; 1024];
    site.write("content/notices/new.md", "+++\ntitle = \"新通知\"\ndate = 2026-11-21\n+++\n正文\n");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !seen.contains("data: reload") && Instant::now() < deadline {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(_) => break,
        }
    }
    assert!(seen.contains("data: reload"), "{seen}");
    assert!(wait_for(&server.addr, "/notices/new/", |b| b.contains("新通知")).contains("正文"));
}

/// A raw request and everything the server sends back until it closes: (head, body).
fn exchange(addr: &str, request: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.to_string(), body.to_string())
}

/// The value of a header in a response head (names case-insensitive).
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn pages_and_api_answers_carry_the_security_headers() {
    let site = Site::fixture("site");
    let server = start(&site);
    for path in ["/", "/api/me", "/api/no-such-endpoint", "/no/such/page/", "/__zhibu/livereload.js"] {
        let (head, _) =
            exchange(&server.addr, &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        let csp =
            header(&head, "content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP\n{head}"));
        assert_eq!(csp, headers::CONTENT_SECURITY_POLICY, "{path}");
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(header(&head, "x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(header(&head, "referrer-policy"), Some("strict-origin-when-cross-origin"), "{path}");
        assert_eq!(header(&head, "x-frame-options"), Some("DENY"), "{path}");
        assert!(header(&head, "permissions-policy").is_some(), "{path}");
        assert_eq!(header(&head, "strict-transport-security"), None, "{path}: plain HTTP, no HSTS");
    }
    let (_, home) = get(&server.addr, "/");
    let inline =
        home.match_indices("<script").filter(|(i, _)| !home[*i..].starts_with("<script src=")).count();
    let modules = home.matches("<script type=\"module\" src=").count();
    assert_eq!(inline, modules, "every script of the page is a file:\n{home}");
}

#[test]
fn a_folder_asked_with_a_doubled_slash_is_redirected_on_this_origin() {
    let site = Site::fixture("site");
    let server = start(&site);
    for path in ["//notices", "///notices", "/notices"] {
        let (head, _) =
            exchange(&server.addr, &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        assert!(head.starts_with("HTTP/1.1 301"), "{path}: {head}");
        assert_eq!(header(&head, "location"), Some("/notices/"), "{path}: never //host/");
    }
}

#[test]
fn api_errors_are_json_for_a_wrong_method_and_a_path_that_is_not_utf8() {
    let site = Site::fixture("site");
    let server = start(&site);
    for (request, status, code) in
        [("GET /api/session", 405, "method_not_allowed"), ("GET /api/photos/%FF%FE", 400, "bad_request")]
    {
        let (head, body) =
            exchange(&server.addr, &format!("{request} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        assert!(head.starts_with(&format!("HTTP/1.1 {status}")), "{request}: {head}");
        assert!(header(&head, "content-type").is_some_and(|t| t.starts_with("application/json")), "{head}");
        let json: serde_json::Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{request}: {e}: {body}"));
        assert_eq!(json["error"]["code"], code, "{request}: {body}");
    }
}

/// `zhibu serve` on the fixture with these `ZHIBU_HTTP_*` limits and, if given, the process's
/// descriptor limit lowered (`ulimit -n`).
fn serve_limited(site: &Site, env: &[(&str, &str)], descriptors: Option<u32>) -> Server {
    let zhibu = env!("CARGO_BIN_EXE_zhibu");
    let mut command = match descriptors {
        Some(n) => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(format!("ulimit -n {n} && exec \"$0\" \"$@\"")).arg(zhibu);
            c
        }
        None => Command::new(zhibu),
    };
    let mut child = command
        .args(["serve", "--port", "0", "--quiet", "--root"])
        .arg(site.root())
        .arg("--data")
        .arg(site.root().join(".zhibu"))
        .env_remove("ZHIBU_STORE")
        .env_remove("ZHIBU_BLOBS")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start zhibu serve");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("serving line");
    let addr =
        line.split("http://").nth(1).and_then(|r| r.split('/').next()).unwrap_or_else(|| panic!("{line:?}"));
    Server { addr: addr.to_string(), child }
}

/// Waits for the server to close the connection (EOF or a reset), and says how long it took;
/// None if it was still open after `patience`.
fn closed_within(stream: &mut TcpStream, patience: Duration) -> Option<Duration> {
    let started = Instant::now();
    stream.set_read_timeout(Some(patience)).expect("timeout");
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => continue, // an error answer before closing is fine
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return None;
            }
            Err(_) => return Some(started.elapsed()),
        }
    }
}

#[test]
fn a_half_sent_request_is_closed_after_the_read_timeouts() {
    let site = Site::fixture("site");
    let server = serve_limited(
        &site,
        &[("ZHIBU_HTTP_HEADER_TIMEOUT_MS", "300"), ("ZHIBU_HTTP_BODY_TIMEOUT_MS", "300")],
        None,
    );
    let patience = Duration::from_secs(10);

    // A head that never ends.
    let mut head = TcpStream::connect(&server.addr).expect("connect");
    head.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n").expect("send");
    assert!(closed_within(&mut head, patience).is_some(), "a half-sent head is closed");

    // A connection that never sends anything.
    let mut silent = TcpStream::connect(&server.addr).expect("connect");
    assert!(closed_within(&mut silent, patience).is_some(), "a silent connection is closed");

    // A body that stops arriving.
    let mut body = TcpStream::connect(&server.addr).expect("connect");
    body.write_all(
        b"POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"member_id\"",
    )
    .expect("send");
    assert!(closed_within(&mut body, patience).is_some(), "a half-sent body is closed");

    // The server is still there for everyone else.
    assert_eq!(get(&server.addr, "/").0, 200);
}

#[test]
fn an_idle_kept_alive_connection_is_closed() {
    let site = Site::fixture("site");
    let server = serve_limited(&site, &[("ZHIBU_HTTP_HEADER_TIMEOUT_MS", "300")], None);
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream.write_all(b"GET /__zhibu/livereload.js HTTP/1.1\r\nHost: x\r\n\r\n").expect("send");
    // The answer, then nothing: the kept-alive connection waits for a next request in vain.
    let waited = closed_within(&mut stream, Duration::from_secs(10));
    assert!(waited.is_some(), "an idle kept-alive connection is closed");
}

#[test]
fn many_idle_connections_do_not_stop_a_fresh_request_from_being_answered() {
    // 64 descriptors for the server, 150 connections that send nothing: without a cap the
    // server runs out of descriptors and, without timeouts, never gets them back.
    let site = Site::fixture("site");
    let server = serve_limited(&site, &[("ZHIBU_HTTP_HEADER_TIMEOUT_MS", "500")], Some(64));
    assert_eq!(get(&server.addr, "/").0, 200, "serving under the lowered limit");
    let idle: Vec<TcpStream> = (0..150).map(|_| TcpStream::connect(&server.addr).expect("connect")).collect();
    let started = Instant::now();
    let (status, body) = get(&server.addr, "/");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("首页"));
    eprintln!("answered after {:?} behind {} idle connections", started.elapsed(), idle.len());
    drop(idle);
}

/// Opens the live-reload stream and reads its answer's head (the stream has subscribed then).
fn open_live_reload(addr: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    write!(stream, "GET /__zhibu/livereload HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        .expect("send");
    let mut seen = String::new();
    let mut buf = [0u8; 1024];
    while !seen.contains("\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => panic!("no answer from the live-reload stream: {seen}"),
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
        }
    }
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    stream
}

#[test]
fn the_live_reload_stream_outlives_the_read_timeouts() {
    let site = Site::fixture("site");
    let server = serve_limited(
        &site,
        &[("ZHIBU_HTTP_HEADER_TIMEOUT_MS", "200"), ("ZHIBU_HTTP_BODY_TIMEOUT_MS", "200")],
        None,
    );
    let mut stream = open_live_reload(&server.addr);
    // Five times the read timeouts: an answer being streamed is not a request being read.
    std::thread::sleep(Duration::from_secs(1));
    site.write("content/notices/new.md", "+++\ntitle = \"新通知\"\ndate = 2026-11-21\n+++\n正文\n");
    let mut seen = String::new();
    let mut buf = [0u8; 1024];
    while !seen.contains("data: reload") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
        }
    }
    assert!(seen.contains("data: reload"), "the stream was cut: {seen}");
}

#[test]
fn ctrl_c_stops_the_server_even_with_a_page_open() {
    let site = Site::fixture("site");
    let mut server = start(&site);
    // An open page's live-reload stream never ends by itself; shutdown waits for it a moment only.
    let _page = open_live_reload(&server.addr);
    let interrupted = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    assert!(interrupted, "kill -INT");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            assert!(status.success(), "a clean exit: {status}");
            break;
        }
        assert!(Instant::now() < deadline, "still running 15 s after Ctrl+C");
        std::thread::sleep(Duration::from_millis(50));
    }
}
