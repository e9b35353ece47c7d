//! The built site as a careful static host serves it (`zhibu run`): every file held in memory
//! with its gzip and brotli forms made once at start, content negotiation, strong ETags and
//! `Last-Modified` with 304s, `Cache-Control` that lets content-hashed assets (`?h=` from
//! `get_url(cachebust=true)`) be cached for a year and makes browsers — WeChat's aggressive one
//! included — revalidate everything else, HEAD, a folder redirect, and the site's 404 page with
//! status 404.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::time::SystemTime;

use anyhow::Context as _;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use rayon::prelude::*;

/// Files smaller than this are sent as they are: compression saves less than its headers cost.
const MIN_COMPRESS: usize = 512;
/// Content-hashed assets: cached for a year without asking again.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else: kept, but checked with the server (a 304 when unchanged) before each use.
pub const REVALIDATE: &str = "no-cache";

/// One file, in the forms it can be sent in.
pub struct Entry {
    content_type: String,
    identity: Vec<u8>,
    gzip: Option<Vec<u8>>,
    brotli: Option<Vec<u8>>,
    /// The hash of the bytes, hex; quoted (and suffixed per encoding) as the ETag.
    hash: String,
    /// `get_url(cachebust=true)`'s hash of the same bytes, to recognise a `?h=` that is current.
    cachebust: String,
    last_modified: SystemTime,
}

/// The site's files by path (`a/index.html`, `css/site.css`), without a leading slash.
pub struct SiteFiles {
    files: HashMap<String, Entry>,
}

/// Which encodings a client accepts, from `Accept-Encoding` (a `q=0` refuses one).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Accepts {
    pub brotli: bool,
    pub gzip: bool,
}

impl Accepts {
    pub fn from_headers(headers: &HeaderMap) -> Accepts {
        let mut accepts = Accepts::default();
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(text) = value.to_str() else { continue };
            for part in text.split(',') {
                let mut pieces = part.split(';');
                let coding = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
                let refused = pieces.any(|p| {
                    let p = p.trim();
                    p.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
                });
                match coding.as_str() {
                    "br" => accepts.brotli = !refused,
                    "gzip" | "x-gzip" => accepts.gzip = !refused,
                    "*" if !refused => {
                        accepts.brotli = true;
                        accepts.gzip = true;
                    }
                    _ => {}
                }
            }
        }
        accepts
    }
}

/// Whether a content type is text worth compressing (images, fonts and the search index's
/// `.gz` shards are compressed already).
fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("application/javascript")
        || content_type.starts_with("application/xml")
        || content_type.starts_with("application/atom+xml")
        || content_type.starts_with("application/rss+xml")
        || content_type.starts_with("application/manifest+json")
        || content_type.starts_with("image/svg+xml")
}

fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::best());
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

fn brotli(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    // Quality 11 is brotli's densest; done once per file at start, in parallel.
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
    Some(out)
}

/// A compressed form, kept only when it saves at least a tenth.
fn worth(original: usize, compressed: Option<Vec<u8>>) -> Option<Vec<u8>> {
    compressed.filter(|c| c.len() * 10 <= original * 9)
}

impl Entry {
    fn new(path: &str, identity: Vec<u8>, last_modified: SystemTime) -> Entry {
        let content_type = crate::cmd::serve::content_type(path);
        let (gzip, brotli) = if identity.len() >= MIN_COMPRESS && compressible(&content_type) {
            (worth(identity.len(), gzip(&identity)), worth(identity.len(), brotli(&identity)))
        } else {
            (None, None)
        };
        let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&identity));
        let cachebust = zhibu_generator::site::cachebust_hash(&identity);
        // HTTP dates have whole seconds: drop the rest, or If-Modified-Since never matches.
        let secs = last_modified.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let last_modified = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        Entry { content_type, identity, gzip, brotli, hash, cachebust, last_modified }
    }

    /// The bytes to send and their `Content-Encoding` (None: as they are), the smallest form
    /// the client accepts.
    fn pick(&self, accepts: Accepts) -> (&[u8], Option<&'static str>) {
        if accepts.brotli
            && let Some(b) = &self.brotli
        {
            return (b, Some("br"));
        }
        if accepts.gzip
            && let Some(g) = &self.gzip
        {
            return (g, Some("gzip"));
        }
        (&self.identity, None)
    }

    fn etag(&self, encoding: Option<&str>) -> String {
        match encoding {
            Some(e) => format!("\"{}-{e}\"", self.hash),
            None => format!("\"{}\"", self.hash),
        }
    }

    /// Whether `If-None-Match` names this file in any of its forms (a tag of the gzip form is as
    /// current as the identity's), or is `*`.
    fn matches(&self, if_none_match: &str) -> bool {
        if_none_match.split(',').map(str::trim).any(|tag| {
            let tag = tag.strip_prefix("W/").unwrap_or(tag).trim_matches('"');
            tag == "*" || tag.split('-').next() == Some(self.hash.as_str())
        })
    }

    fn varies(&self) -> bool {
        self.gzip.is_some() || self.brotli.is_some()
    }
}

/// Total bytes held, for the log line at start.
pub struct Held {
    pub files: usize,
    pub bytes: usize,
    pub compressed: usize,
}

impl SiteFiles {
    /// The files of a build in memory.
    pub fn from_built(built: zhibu_generator::site::Built) -> anyhow::Result<SiteFiles> {
        let now = SystemTime::now();
        let raw: Vec<(String, Vec<u8>, SystemTime)> = built
            .files
            .into_iter()
            .map(|f| {
                let bytes = match f.body {
                    zhibu_generator::site::Body::Bytes(b) => b,
                    zhibu_generator::site::Body::Copy(src) => {
                        std::fs::read(&src).with_context(|| format!("cannot read {}", src.display()))?
                    }
                };
                Ok((f.path, bytes, now))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(SiteFiles::from_raw(raw))
    }

    /// The files of a folder built before (`zhibu build`), with their modification times.
    pub fn from_dir(dir: &Path) -> anyhow::Result<SiteFiles> {
        let mut raw = Vec::new();
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            let bytes = std::fs::read(entry.path())
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            let modified =
                entry.metadata().ok().and_then(|m| m.modified().ok()).unwrap_or_else(SystemTime::now);
            raw.push((key, bytes, modified));
        }
        if !raw.iter().any(|(k, _, _)| k == "index.html") {
            anyhow::bail!("{} has no index.html: is it a built site (zhibu build)?", dir.display());
        }
        Ok(SiteFiles::from_raw(raw))
    }

    fn from_raw(raw: Vec<(String, Vec<u8>, SystemTime)>) -> SiteFiles {
        let files = raw.into_par_iter().map(|(path, bytes, modified)| {
            let entry = Entry::new(&path, bytes, modified);
            (path, entry)
        });
        SiteFiles { files: files.collect() }
    }

    pub fn held(&self) -> Held {
        let mut held = Held { files: self.files.len(), bytes: 0, compressed: 0 };
        for e in self.files.values() {
            held.bytes += e.identity.len();
            held.compressed += e.gzip.as_ref().map_or(0, Vec::len) + e.brotli.as_ref().map_or(0, Vec::len);
        }
        held
    }

    /// The answer to a GET or HEAD of `uri`.
    pub fn respond(&self, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
        if method != Method::GET && method != Method::HEAD {
            return plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n", Some("GET, HEAD"));
        }
        let raw = uri.path();
        let decoded = crate::cmd::serve::percent_decode(raw);
        let key = decoded.trim_start_matches('/');
        let (entry, status) = if key.is_empty() || key.ends_with('/') {
            match self.files.get(&format!("{key}index.html")) {
                Some(e) => (Some(e), StatusCode::OK),
                None => (None, StatusCode::NOT_FOUND),
            }
        } else if let Some(e) = self.files.get(key) {
            (Some(e), StatusCode::OK)
        } else if self.files.contains_key(&format!("{key}/index.html")) {
            let mut answer = plain(StatusCode::MOVED_PERMANENTLY, "", None);
            if let Ok(location) = HeaderValue::from_str(&crate::cmd::serve::slashed(raw)) {
                answer.headers_mut().insert(header::LOCATION, location);
            }
            return answer;
        } else {
            (None, StatusCode::NOT_FOUND)
        };
        let entry = match entry {
            Some(e) => e,
            None => match self.files.get("404.html") {
                Some(e) => e,
                None => return plain(StatusCode::NOT_FOUND, "not found\n", None),
            },
        };
        let accepts = Accepts::from_headers(headers);
        let (bytes, encoding) = entry.pick(accepts);
        let etag = entry.etag(encoding);
        let cache = if status == StatusCode::OK && query_hash(uri) == Some(entry.cachebust.as_str()) {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        let mut builder = Response::builder().header(header::CACHE_CONTROL, cache);
        if status == StatusCode::OK {
            builder = builder
                .header(header::ETAG, &etag)
                .header(header::LAST_MODIFIED, httpdate::fmt_http_date(entry.last_modified));
        }
        if entry.varies() {
            builder = builder.header(header::VARY, "Accept-Encoding");
        }
        if status == StatusCode::OK && not_modified(entry, headers) {
            return builder.status(StatusCode::NOT_MODIFIED).body(Body::empty()).unwrap_or_default();
        }
        builder = builder
            .status(status)
            .header(header::CONTENT_TYPE, &entry.content_type)
            .header(header::CONTENT_LENGTH, bytes.len());
        if let Some(e) = encoding {
            builder = builder.header(header::CONTENT_ENCODING, e);
        }
        let body = if method == Method::HEAD { Body::empty() } else { Body::from(bytes.to_vec()) };
        builder.body(body).unwrap_or_default()
    }
}

/// The `h` of `?h=…`, the content hash `get_url(cachebust=true)` appends.
fn query_hash(uri: &Uri) -> Option<&str> {
    uri.query()?.split('&').find_map(|pair| pair.strip_prefix("h="))
}

/// RFC 9110 §13.1: `If-None-Match` decides when present; else `If-Modified-Since`.
fn not_modified(entry: &Entry, headers: &HeaderMap) -> bool {
    if let Some(tags) = headers.get(header::IF_NONE_MATCH) {
        return tags.to_str().is_ok_and(|t| entry.matches(t));
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .is_some_and(|since| entry.last_modified <= since)
}

fn plain(status: StatusCode, text: &'static str, allow: Option<&'static str>) -> Response {
    let mut builder = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::CACHE_CONTROL, REVALIDATE);
    if let Some(allow) = allow {
        builder = builder.header(header::ALLOW, allow);
    }
    builder.body(Body::from(text)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteFiles {
        let page = "<!doctype html><title>党费</title>".repeat(100).into_bytes();
        let css = "body { color: red; }\n".repeat(100).into_bytes();
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000);
        SiteFiles::from_raw(vec![
            ("index.html".into(), page.clone(), t),
            ("guide/index.html".into(), page.clone(), t),
            ("css/site.css".into(), css, t),
            ("logo.png".into(), vec![0x89, b'P', b'N', b'G'], t),
            ("404.html".into(), b"<!doctype html>not here".to_vec(), t),
        ])
    }

    fn get(site: &SiteFiles, uri: &str, headers: &[(&str, &str)]) -> Response {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
        }
        site.respond(&Method::GET, &uri.parse().unwrap(), &map)
    }

    fn h<'a>(r: &'a Response, name: &str) -> &'a str {
        r.headers().get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
    }

    #[test]
    fn accept_encoding_is_negotiated_with_q_values() {
        let parse = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_ENCODING, v.parse().unwrap());
            Accepts::from_headers(&m)
        };
        assert_eq!(parse("gzip, deflate, br"), Accepts { brotli: true, gzip: true });
        assert_eq!(parse("gzip;q=1.0, br;q=0"), Accepts { brotli: false, gzip: true });
        assert_eq!(parse("identity"), Accepts::default());
        assert_eq!(parse("*"), Accepts { brotli: true, gzip: true });
    }

    #[test]
    fn text_is_sent_in_the_smallest_accepted_form_and_decodes_to_the_original() {
        let s = site();
        let br = get(&s, "/", &[("accept-encoding", "gzip, br")]);
        assert_eq!(h(&br, "content-encoding"), "br");
        assert_eq!(h(&br, "vary"), "Accept-Encoding");
        let gz = get(&s, "/", &[("accept-encoding", "gzip")]);
        assert_eq!(h(&gz, "content-encoding"), "gzip");
        let plain = get(&s, "/", &[]);
        assert_eq!(h(&plain, "content-encoding"), "");
        assert_ne!(h(&br, "etag"), h(&gz, "etag"));
        let png = get(&s, "/logo.png", &[("accept-encoding", "gzip, br")]);
        assert_eq!(h(&png, "content-encoding"), "", "images go as they are");
        let entry = &s.files["index.html"];
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &entry.brotli.as_ref().unwrap()[..], &mut out).unwrap();
        assert_eq!(out, entry.identity);
    }

    #[test]
    fn a_current_etag_or_date_gets_304_and_a_stale_one_the_file() {
        let s = site();
        let first = get(&s, "/guide/", &[("accept-encoding", "gzip")]);
        let tag = h(&first, "etag").to_string();
        let again = get(&s, "/guide/", &[("if-none-match", &tag)]);
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(h(&again, "etag"), h(&get(&s, "/guide/", &[]), "etag"));
        let stale = get(&s, "/guide/", &[("if-none-match", "\"0123\"")]);
        assert_eq!(stale.status(), StatusCode::OK);
        let date = h(&first, "last-modified").to_string();
        assert_eq!(get(&s, "/guide/", &[("if-modified-since", &date)]).status(), StatusCode::NOT_MODIFIED);
        let before = "Thu, 01 Jan 2026 00:00:00 GMT";
        assert_eq!(get(&s, "/guide/", &[("if-modified-since", before)]).status(), StatusCode::OK);
    }

    #[test]
    fn only_a_current_content_hash_is_cached_for_a_year() {
        let s = site();
        let hash = s.files["css/site.css"].cachebust.clone();
        assert_eq!(h(&get(&s, &format!("/css/site.css?h={hash}"), &[]), "cache-control"), IMMUTABLE);
        assert_eq!(h(&get(&s, "/css/site.css?h=old", &[]), "cache-control"), REVALIDATE);
        assert_eq!(h(&get(&s, "/css/site.css", &[]), "cache-control"), REVALIDATE);
        assert_eq!(h(&get(&s, "/", &[]), "cache-control"), REVALIDATE);
    }

    #[test]
    fn missing_pages_get_the_404_page_with_404_and_folders_their_slash() {
        let s = site();
        let missing = get(&s, "/nowhere/", &[]);
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert!(h(&missing, "content-type").starts_with("text/html"));
        let folder = get(&s, "/guide", &[]);
        assert_eq!(folder.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(h(&folder, "location"), "/guide/");
        let post = s.respond(&Method::POST, &"/".parse().unwrap(), &HeaderMap::new());
        assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
}
