//! `zhibu serve`: one local origin, rebuilt and reloaded on every change; a broken edit shows
//! its error in the page while the server keeps running.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Server, Site};

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
    assert!(home.contains("EventSource(\"/__zhibu/livereload\")"), "live reload script injected");
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
    assert!(page.contains("改过的标题"), "last good build still served");

    // Fixed again: the error is gone.
    std::fs::remove_file(site.root().join("content/notices/broken.md")).expect("remove");
    wait_for(&addr, "/notices/meeting/", |b| !b.contains("zhibu-build-error"));
}

#[test]
fn live_reload_tells_open_pages_after_a_rebuild() {
    let site = Site::fixture("site");
    let server = start(&site);
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    write!(stream, "GET /__zhibu/livereload HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        .expect("send");
    // Give the server a moment to subscribe before changing anything.
    std::thread::sleep(Duration::from_millis(300));
    site.write("content/notices/new.md", "+++\ntitle = \"新通知\"\ndate = 2026-11-21\n+++\n正文\n");
    let mut seen = String::new();
    let mut buf = [0u8; 1024];
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
