//! `zhibu run`, the production server on one machine: compression, caching headers and 304s,
//! the 404 status, no live-reload code, the access log, `/api/health`, graceful shutdown with a
//! request in flight, TLS from certificate files reloaded on SIGHUP, a backup taken during
//! concurrent writes that restores to exactly the acknowledged data, and the daily purge firing
//! under a test clock.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io::{BufRead as _, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{self, Site, http};

/// A running `zhibu run`, killed when dropped unless stopped.
struct Running {
    child: Child,
    addr: String,
    out: Arc<Mutex<Vec<String>>>,
    err: Arc<Mutex<Vec<String>>>,
}

fn collect(reader: impl std::io::Read + Send + 'static, into: Arc<Mutex<Vec<String>>>) {
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(reader).lines().map_while(Result::ok) {
            into.lock().unwrap().push(line);
        }
    });
}

fn start(site: &Site, args: &[&OsStr], env: &[(&str, &str)]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhibu"))
        .args(["run", "--port", "0", "--quiet", "--root"])
        .arg(site.root())
        .args(args)
        .env_remove("ZHIBU_STORE")
        .env_remove("ZHIBU_BLOBS")
        .env_remove("ZHIBU_TOKEN_SECRET")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start zhibu run");
    let err = Arc::new(Mutex::new(Vec::new()));
    collect(child.stderr.take().unwrap(), err.clone());
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}; stderr: {:?}", err.lock().unwrap()))
        .to_string();
    let out = Arc::new(Mutex::new(Vec::new()));
    collect(stdout, out.clone());
    Running { child, addr, out, err }
}

impl Running {
    fn signal(&self, name: &str) {
        let ok = Command::new("kill").args(["-s", name, &self.child.id().to_string()]).status().unwrap();
        assert!(ok.success());
    }

    /// Waits until a line of stderr contains `needle`.
    fn wait_err(&self, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            if let Some(l) = self.err.lock().unwrap().iter().find(|l| l.contains(needle)) {
                return l.clone();
            }
            assert!(Instant::now() < deadline, "no {needle:?} in stderr: {:?}", self.err.lock().unwrap());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM, then the exit status (within 30 s).
    fn stop(mut self) -> std::process::ExitStatus {
        self.signal("TERM");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "zhibu run did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body decoded from its Content-Encoding.
    fn decoded(&self) -> Vec<u8> {
        match self.header("content-encoding") {
            Some("gzip") => {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(&self.body[..]).read_to_end(&mut out).unwrap();
                out
            }
            Some("br") => {
                let mut out = Vec::new();
                brotli::BrotliDecompress(&mut &self.body[..], &mut out).unwrap();
                out
            }
            None => self.body.clone(),
            Some(other) => panic!("unexpected encoding {other}"),
        }
    }
}

/// One GET (or HEAD) with these headers, over a connection of its own.
fn get(addr: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse(&raw)
}

fn parse(raw: &[u8]) -> Answer {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer { status, headers, body: raw[split + 4..].to_vec() }
}

#[test]
fn run_serves_the_site_compressed_cached_and_logged_without_live_reload() {
    let site = Site::fixture("site");
    let data = site.root().join(".zhibu");
    let server = start(&site, &[OsStr::new("--data"), data.as_os_str()], &[]);
    let addr = server.addr.clone();

    let plain = get(&addr, "GET", "/", &[]);
    assert_eq!(plain.status, 200);
    let html = String::from_utf8(plain.body.clone()).unwrap();
    assert!(!html.contains("livereload") && !html.contains("zhibu-build-error"), "no serve tooling: {html}");
    assert_eq!(plain.header("cache-control"), Some("no-cache"), "HTML is revalidated");
    assert!(plain.header("content-security-policy").is_some(), "the security headers");
    for (accept, encoding) in [("gzip", "gzip"), ("br;q=1, gzip;q=0.5", "br"), ("gzip;q=0, br;q=0", "")] {
        let a = get(&addr, "GET", "/", &[("accept-encoding", accept)]);
        assert_eq!(a.header("content-encoding").unwrap_or(""), encoding, "{accept}");
        assert_eq!(a.header("vary"), Some("Accept-Encoding"));
        assert_eq!(a.decoded(), plain.body, "{accept} decodes to the page");
        if !encoding.is_empty() {
            assert!(a.body.len() < plain.body.len());
        }
    }

    // Revalidation: the ETag (of any form) and the date give 304s without a body.
    let tag = get(&addr, "GET", "/", &[("accept-encoding", "br")]).header("etag").unwrap().to_string();
    let again = get(&addr, "GET", "/", &[("if-none-match", &tag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let date = plain.header("last-modified").unwrap().to_string();
    assert_eq!(get(&addr, "GET", "/", &[("if-modified-since", &date)]).status, 304);
    assert_eq!(get(&addr, "GET", "/", &[("if-none-match", "\"stale\"")]).status, 200);

    // The stylesheet the page links with its content hash is cached for a year; without the
    // hash (or with an old one) it is revalidated.
    let css =
        html.split("href=\"").find_map(|rest| rest.split('"').next().filter(|h| h.contains("site.css?h=")));
    let css = css.expect("a cachebusted stylesheet").to_string();
    let path = css.find("/css/").map(|i| &css[i..]).unwrap();
    assert_eq!(
        get(&addr, "GET", path, &[]).header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(get(&addr, "GET", "/css/site.css?h=0000", &[]).header("cache-control"), Some("no-cache"));

    // HEAD: the head only. A missing page: the site's 404 page with status 404.
    let head = get(&addr, "HEAD", "/", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let missing = get(&addr, "GET", "/no/such/page/?token=secret-in-query", &[]);
    assert_eq!(missing.status, 404);
    assert!(missing.header("content-type").unwrap().starts_with("text/html"));

    let (status, body) = http(&addr, "GET", "/api/health", None, None);
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v, json!({"status": "ok", "checks": {"store": "ok", "disk": "ok", "catalog": "ok"}}));

    // The access log: a line per request with status, path, bytes, duration and request id —
    // never the query string.
    std::thread::sleep(Duration::from_millis(200));
    let log = server.out.lock().unwrap().clone();
    let line =
        log.iter().find(|l| l.contains(" 404 GET /no/such/page/ ")).unwrap_or_else(|| panic!("{log:?}"));
    let fields: Vec<&str> = line.split(' ').collect();
    assert_eq!(fields.len(), 7, "{line}");
    assert!(fields[4].parse::<usize>().is_ok() && fields[5].ends_with("ms"), "{line}");
    assert!(log.iter().all(|l| !l.contains("secret-in-query")), "{log:?}");
    assert!(log.iter().any(|l| l.contains(" 304 GET / ")), "{log:?}");
    assert!(server.stop().success());
}

#[test]
fn run_stops_on_sigterm_after_finishing_a_request_in_flight() {
    let site = Site::fixture("site");
    let data = site.root().join(".zhibu");
    assert!(site.import_roster("id,name,role\nm001,张三,member\n", "codes.csv", &data).success);
    let code = site.codes("codes.csv")[0].1.clone();
    let server = start(&site, &[OsStr::new("--data"), data.as_os_str()], &[]);
    let addr = server.addr.clone();
    // A login whose body is half sent when the server is told to stop.
    let body = json!({"member_id": "m001", "code": code}).to_string();
    let mut stream = TcpStream::connect(&addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "POST /api/session HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body.as_bytes()[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.signal("TERM");
    server.wait_err("SIGTERM", Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(200));
    assert!(TcpStream::connect(&addr).is_err(), "no new connections once stopping");
    stream.write_all(&body.as_bytes()[10..]).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let answer = parse(&raw);
    assert_eq!(
        answer.status,
        200,
        "the request in flight was answered: {}",
        String::from_utf8_lossy(&answer.body)
    );
    let v: Value = serde_json::from_slice(&answer.body).unwrap();
    assert!(v["token"].is_string());
    let status = server.stop_after_term();
    assert!(status.success());
}

impl Running {
    /// The exit status after a SIGTERM already sent.
    fn stop_after_term(mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let err = self.err.lock().unwrap().clone();
                assert!(err.iter().any(|l| l.contains("store closed")), "{err:?}");
                return status;
            }
            assert!(Instant::now() < deadline, "zhibu run did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A self-signed certificate for localhost and 127.0.0.1, as PEM (certificate, key).
fn certificate() -> (String, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), key.serialize_pem())
}

/// A GET over TLS that trusts only `ca_pem`: the status, or the TLS error.
fn get_tls(addr: &str, ca_pem: &str, path: &str) -> Result<u16, String> {
    use rustls::pki_types::pem::PemObject as _;
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let mut sock = TcpStream::connect(addr).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut tls = rustls::Stream::new(&mut conn, &mut sock);
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    tls.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    match tls.read_to_end(&mut raw) {
        Ok(_) => {}
        // Servers may close without close_notify after a `Connection: close` answer.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => {}
        Err(e) => return Err(e.to_string()),
    }
    let answer = parse(&raw);
    assert!(answer.header("strict-transport-security").is_some(), "HSTS over HTTPS");
    Ok(answer.status)
}

#[test]
fn run_speaks_tls_from_certificate_files_and_reloads_them_on_sighup() {
    let site = Site::fixture("site");
    let data = site.root().join(".zhibu");
    let (cert_a, key_a) = certificate();
    let (cert_b, key_b) = certificate();
    site.write("tls/cert.pem", &cert_a);
    site.write("tls/key.pem", &key_a);
    let cert = site.root().join("tls/cert.pem");
    let key = site.root().join("tls/key.pem");
    let server = start(
        &site,
        &[
            OsStr::new("--data"),
            data.as_os_str(),
            OsStr::new("--tls-cert"),
            cert.as_os_str(),
            OsStr::new("--tls-key"),
            key.as_os_str(),
        ],
        &[],
    );
    assert_eq!(get_tls(&server.addr, &cert_a, "/"), Ok(200));
    assert_eq!(get_tls(&server.addr, &cert_a, "/no/such/"), Ok(404));
    // Plain HTTP to the TLS port gets no page.
    let mut plain = TcpStream::connect(&server.addr).unwrap();
    plain.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = plain.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut raw = Vec::new();
    let _ = plain.read_to_end(&mut raw);
    assert!(!String::from_utf8_lossy(&raw).contains("<html"), "no page over plain HTTP");

    // A renewal: new files, SIGHUP, the new certificate is served.
    site.write("tls/cert.pem", &cert_b);
    site.write("tls/key.pem", &key_b);
    server.signal("HUP");
    server.wait_err("reloaded the certificate", Duration::from_secs(10));
    assert_eq!(get_tls(&server.addr, &cert_b, "/"), Ok(200));
    assert!(get_tls(&server.addr, &cert_a, "/").is_err(), "the old certificate is gone");
    // A broken renewal keeps the certificate in use.
    site.write("tls/key.pem", "not a key");
    server.signal("HUP");
    server.wait_err("kept the certificate in use", Duration::from_secs(10));
    assert_eq!(get_tls(&server.addr, &cert_b, "/"), Ok(200));
    assert!(server.stop().success());
}

fn login(addr: &str, id: &str, code: &str) -> String {
    let (status, body) =
        http(addr, "POST", "/api/session", None, Some(&json!({"member_id": id, "code": code}).to_string()));
    assert_eq!(status, 200, "{body}");
    serde_json::from_str::<Value>(&body).unwrap()["token"].as_str().unwrap().to_string()
}

fn zhibu(site: &Site, args: &[&OsStr]) -> common::Run {
    site.zhibu_plain(args)
}

/// The ids of the notes in a data folder, through the CLI's report.
fn note_ids(site: &Site, data: &Path) -> BTreeSet<String> {
    let out = site.root().join(format!("notes-{}.csv", uuid::Uuid::new_v4().simple()));
    let run = zhibu(
        site,
        &[
            OsStr::new("report"),
            OsStr::new("notes"),
            OsStr::new("--data"),
            data.as_os_str(),
            OsStr::new("--output"),
            out.as_os_str(),
        ],
    );
    assert!(run.success, "{}", run.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let id = headers.iter().position(|h| h == "id" || h == "编号").unwrap_or(0);
    reader.records().map(|r| r.unwrap()[id].to_string()).collect()
}

#[test]
fn a_backup_taken_during_writes_restores_to_exactly_the_acknowledged_notes() {
    let site = Site::fixture("site");
    let data = site.root().join(".zhibu");
    let roster: String = std::iter::once("id,name,role".to_string())
        .chain((1..=6).map(|i| format!("m00{i},成员{i},member")))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(site.import_roster(&format!("{roster}\n"), "codes.csv", &data).success);
    let codes = site.codes("codes.csv");
    let server = start(&site, &[OsStr::new("--data"), data.as_os_str(), OsStr::new("--no-access-log")], &[]);
    let tokens: Vec<String> = codes.iter().map(|(id, code)| login(&server.addr, id, code)).collect();
    // Notes acknowledged (201) before the backup starts, and while it runs.
    let acknowledged = Arc::new(Mutex::new(Vec::<(Instant, String)>::new()));
    let post = |addr: &str, token: &str, n: usize| -> Option<String> {
        let body = json!({"page": "/notices/event/", "body": format!("第 {n} 条学习心得：在实习单位也要按时参加组织生活。")});
        let (status, answer) = http(addr, "POST", "/api/notes", Some(token), Some(&body.to_string()));
        (status == 201).then(|| {
            serde_json::from_str::<Value>(&answer).unwrap()["note"]["id"].as_str().unwrap().to_string()
        })
    };
    for (i, token) in tokens.iter().enumerate() {
        let id = post(&server.addr, token, i).expect("a note before the backup");
        acknowledged.lock().unwrap().push((Instant::now(), id));
    }
    let writers: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let (addr, token, acknowledged) = (server.addr.clone(), token.clone(), acknowledged.clone());
            std::thread::spawn(move || {
                for n in 0..8 {
                    if let Some(id) = post(&addr, &token, 100 + i * 10 + n) {
                        acknowledged.lock().unwrap().push((Instant::now(), id));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(60));
    let started = Instant::now();
    let backup = site.root().join("backups/today");
    let run = zhibu(
        &site,
        &[
            OsStr::new("admin"),
            OsStr::new("backup"),
            OsStr::new("--to"),
            backup.as_os_str(),
            OsStr::new("--data"),
            data.as_os_str(),
        ],
    );
    let finished = Instant::now();
    assert!(run.success, "{}", run.stderr);
    for w in writers {
        w.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.iter().any(|(t, _)| *t > finished), "writes went on after the backup");

    let verify = zhibu(&site, &[OsStr::new("admin"), OsStr::new("verify"), backup.as_os_str()]);
    assert!(verify.success, "{}", verify.stderr);
    let restored = site.root().join("restored");
    let restore = zhibu(
        &site,
        &[
            OsStr::new("admin"),
            OsStr::new("restore"),
            OsStr::new("--from"),
            backup.as_os_str(),
            OsStr::new("--data"),
            restored.as_os_str(),
        ],
    );
    assert!(restore.success, "{}", restore.stderr);
    let again = zhibu(
        &site,
        &[
            OsStr::new("admin"),
            OsStr::new("restore"),
            OsStr::new("--from"),
            backup.as_os_str(),
            OsStr::new("--data"),
            restored.as_os_str(),
        ],
    );
    assert!(!again.success && again.stderr.contains("exists"), "never over a store: {}", again.stderr);

    let in_backup = note_ids(&site, &restored);
    let all: BTreeSet<String> = acknowledged.iter().map(|(_, id)| id.clone()).collect();
    let before: BTreeSet<String> =
        acknowledged.iter().filter(|(t, _)| *t < started).map(|(_, id)| id.clone()).collect();
    assert!(before.is_subset(&in_backup), "every note acknowledged before the backup is in it");
    assert!(in_backup.is_subset(&all), "nothing in the backup that was not acknowledged: {in_backup:?}");
    assert!(in_backup.len() < all.len(), "notes acknowledged after the backup are not in it");
    drop(server);
    // The restored folder serves: the member logs in with the same code and sees their notes.
    let server = start(&site, &[OsStr::new("--data"), restored.as_os_str()], &[]);
    let token = login(&server.addr, &codes[0].0, &codes[0].1);
    let (status, body) = http(&server.addr, "GET", "/api/notes/mine", Some(&token), None);
    assert_eq!(status, 200);
    assert!(!serde_json::from_str::<Value>(&body).unwrap()["notes"].as_array().unwrap().is_empty());
    // A tampered backup fails verification.
    let db = backup.join("zhibu.sqlite");
    let mut bytes = std::fs::read(&db).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&db, bytes).unwrap();
    let verify = zhibu(&site, &[OsStr::new("admin"), OsStr::new("verify"), backup.as_os_str()]);
    assert!(!verify.success && verify.stderr.contains("checksum"), "{}", verify.stderr);
}

#[test]
fn the_daily_purge_fires_at_its_hour_on_a_test_clock() {
    use zhibu_functions::store::{AuditStore as _, SigninStore as _};
    let site = Site::fixture("site");
    let data = site.root().join(".zhibu");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let old = chrono::DateTime::parse_from_rfc3339("2026-06-01T09:00:00+08:00").unwrap();
    let member = zhibu_functions::domain::MemberId::parse("m001").unwrap();
    {
        let store = zhibu_functions::store::sqlite::SqliteStore::open(&data.join("zhibu.sqlite")).unwrap();
        let signin = zhibu_functions::store::Signin {
            event: "2026-06-01-meeting".into(),
            member_id: member.clone(),
            at: old,
            location: Some(zhibu_functions::domain::StoredLocation {
                lat: 30.52,
                lon: 114.36,
                accuracy_m: 20.0,
                within_geofence: Some(true),
            }),
        };
        runtime.block_on(store.insert_signin(&signin)).unwrap();
    }
    // 2027-01-01 03:29:58 China time: 214 days after the sign-in, two seconds before the job.
    let server = start(
        &site,
        &[OsStr::new("--data"), data.as_os_str(), OsStr::new("--daily-at"), OsStr::new("03:30")],
        &[("ZHIBU_TEST_CLOCK_START", "2027-01-01T03:29:58+08:00"), ("ZHIBU_LOCATION_RETENTION_DAYS", "180")],
    );
    let line = server.wait_err("Daily: removed", Duration::from_secs(30));
    assert!(line.contains("removed the location of 1 sign-ins older than 180 days"), "{line}");
    assert!(server.stop().success());
    let store = zhibu_functions::store::sqlite::SqliteStore::open(&data.join("zhibu.sqlite")).unwrap();
    let signins = runtime.block_on(store.signins_of_member(&member)).unwrap();
    assert_eq!(signins.len(), 1, "attendance is kept");
    assert!(signins[0].location.is_none(), "the location is gone");
    let log = runtime.block_on(store.audit_log()).unwrap();
    let entry = log.iter().find(|e| e.action == "data.purge_locations").expect("audited");
    assert_eq!(entry.actor, "scheduler:retention");
    assert!(entry.at.to_rfc3339().starts_with("2027-01-01T03:30"), "at the test clock's time: {}", entry.at);
}

#[test]
fn the_daily_backup_script_keeps_the_newest_copies_and_each_verifies() {
    let site = Site::fixture("site");
    let data = site.root().join(".zhibu");
    assert!(site.import_roster("id,name,role\nm001,张三,member\n", "codes.csv", &data).success);
    let root = site.root().join("backups");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/one-machine/backup.sh");
    let bin = Path::new(env!("CARGO_BIN_EXE_zhibu")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    for _ in 0..3 {
        let out = Command::new("bash")
            .arg(&script)
            .arg(&data)
            .arg(&root)
            .arg("2")
            .env("PATH", &path)
            .env_remove("ZHIBU_STORE")
            .env_remove("ZHIBU_BLOBS")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        // Folder names have whole seconds.
        std::thread::sleep(Duration::from_millis(1100));
    }
    let mut kept: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    kept.sort();
    assert_eq!(kept.len(), 2, "{kept:?}");
    for dir in kept {
        let verify = zhibu(&site, &[OsStr::new("admin"), OsStr::new("verify"), dir.as_os_str()]);
        assert!(verify.success, "{}", verify.stderr);
        assert!(verify.stdout.contains("members 1"), "{}", verify.stdout);
    }
}

#[test]
fn run_serves_a_folder_built_before_and_health_fails_without_its_catalog() {
    let site = Site::fixture("site");
    assert!(site.build().success);
    let out = site.out();
    let data = site.root().join(".zhibu");
    let server =
        start(&site, &[OsStr::new("--site"), out.as_os_str(), OsStr::new("--data"), data.as_os_str()], &[]);
    let page = get(&server.addr, "GET", "/", &[("accept-encoding", "gzip")]);
    assert_eq!(page.status, 200);
    assert_eq!(
        String::from_utf8(page.decoded()).unwrap(),
        std::fs::read_to_string(out.join("index.html")).unwrap()
    );
    let (status, body) = http(&server.addr, "GET", "/api/health", None, None);
    assert_eq!(status, 200, "{body}");
    drop(server);

    let elsewhere = site.root().join("elsewhere");
    let server = start(
        &site,
        &[OsStr::new("--site"), out.as_os_str(), OsStr::new("--data"), elsewhere.as_os_str()],
        &[("ZHIBU_CATALOG", "/nonexistent/zhibu-catalog.json")],
    );
    server.wait_err("no catalog", Duration::from_secs(10));
    let (status, body) = http(&server.addr, "GET", "/api/health", None, None);
    assert_eq!(status, 503, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["checks"]["catalog"], "fail");
    assert_eq!(v["checks"]["store"], "ok");
    let not_built = start_fails(&site, &[OsStr::new("--site"), site.root().join("content").as_os_str()]);
    assert!(not_built.contains("no index.html"), "{not_built}");
}

/// `zhibu run` that must fail at start: its stderr.
fn start_fails(site: &Site, args: &[&OsStr]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibu"))
        .args(["run", "--port", "0", "--quiet", "--root"])
        .arg(site.root())
        .args(args)
        .output()
        .unwrap();
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}
