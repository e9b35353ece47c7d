//! `zhibu check --external`: the content's links to other sites, checked as Zola's `zola check`
//! does — every distinct URL once, several at a time, each with a timeout: an answer of 2xx (after
//! redirects) is good, anything else or no answer is broken, and an `#anchor` must be an id or a
//! name on the page unless `link_checker.skip_anchor_prefixes` says not to look. URLs starting
//! with one of `skip_prefixes` are not fetched. Good answers are kept a day in
//! `.zhibu/external-links.json` of the site, so checking again soon asks only what failed or is
//! new; the file holds URLs and times only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zhibu_generator::messages::{self, Text};
use zhibu_generator::problems::Problem;
use zhibu_generator::site::ExternalLink;

/// How long a good answer is trusted.
const KEEP_GOOD: Duration = Duration::from_secs(24 * 3600);
/// Requests in flight at once: enough to finish a site's links quickly, few enough not to look
/// like an attack to any one host.
const AT_ONCE: usize = 8;
/// At most this much of a page is read to look for an anchor.
const MAX_BODY: u64 = 4 * 1024 * 1024;
const CACHE_FILE: &str = ".zhibu/external-links.json";

/// What the check found.
pub struct Outcome {
    /// One per broken link, at its file and line.
    pub problems: Vec<Problem>,
    pub summary: Text,
}

/// Checks `links`: those starting with one of `skip` are not fetched; anchors of those starting
/// with one of `skip_anchors` are not looked for. `root` is the site's folder (for the cache).
pub fn check(
    root: &Path,
    links: &[ExternalLink],
    skip: &[String],
    skip_anchors: &[String],
    timeout: Duration,
) -> Outcome {
    let skipped = |url: &str| skip.iter().any(|p| url.starts_with(p.as_str()));
    let urls: BTreeSet<&str> = links.iter().map(|l| l.url.as_str()).filter(|u| !skipped(u)).collect();
    let skipped_count =
        links.iter().map(|l| l.url.as_str()).filter(|u| skipped(u)).collect::<BTreeSet<_>>().len();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let mut cache = read_cache(root);
    cache.retain(|_, at| now.saturating_sub(*at) < KEEP_GOOD.as_secs());
    let to_check: Vec<&str> = urls.iter().copied().filter(|u| !cache.contains_key(*u)).collect();
    let cached = urls.len() - to_check.len();

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent("zhibu link checker")
        .build()
        .into();
    let queue = Mutex::new(to_check.clone());
    let results: Mutex<BTreeMap<String, Option<Text>>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for _ in 0..AT_ONCE.min(to_check.len()) {
            s.spawn(|| {
                while let Some(url) = queue.lock().ok().and_then(|mut q| q.pop()) {
                    let look_for_anchor = !skip_anchors.iter().any(|p| url.starts_with(p.as_str()));
                    let verdict = fetch(&agent, url, look_for_anchor, timeout);
                    if let Ok(mut r) = results.lock() {
                        r.insert(url.to_string(), verdict);
                    }
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    for (url, verdict) in &results {
        if verdict.is_none() {
            cache.insert(url.clone(), now);
        }
    }
    write_cache(root, &cache);

    let mut problems: Vec<Problem> = links
        .iter()
        .filter_map(|l| {
            let why = results.get(&l.url)?.clone()?;
            Some(Problem::at(&l.file, l.line, why))
        })
        .collect();
    problems.sort();
    let broken = results.values().filter(|v| v.is_some()).count();
    let summary = messages::external_links_checked(to_check.len(), cached, skipped_count, broken);
    Outcome { problems, summary }
}

/// `None` when `url` answers well (and has its anchor), else what is wrong.
fn fetch(agent: &ureq::Agent, url: &str, look_for_anchor: bool, timeout: Duration) -> Option<Text> {
    let (address, anchor) = match url.split_once('#') {
        Some((a, anchor)) if look_for_anchor && !anchor.is_empty() => (a, Some(anchor)),
        Some((a, _)) => (a, None),
        None => (url, None),
    };
    // A HEAD is enough unless the anchor is wanted; some servers refuse HEAD: then GET.
    let answer = match anchor {
        None => match agent.head(address).call() {
            Ok(r) if r.status().is_success() => return None,
            _ => agent.get(address).call(),
        },
        Some(_) => agent.get(address).call(),
    };
    let mut response = match answer {
        Ok(r) => r,
        Err(e) => return Some(messages::external_link_broken(url, &failure(&e, timeout))),
    };
    let status = response.status();
    if !status.is_success() {
        return Some(messages::external_link_broken(url, &format!("HTTP {status}")));
    }
    let anchor = anchor?;
    let body = response.body_mut().with_config().limit(MAX_BODY).read_to_string().unwrap_or_default();
    let decoded = zhibu_generator::links::percent_decode(anchor);
    let found = [anchor, decoded.as_str()].iter().any(|a| {
        ["id", "name"].iter().any(|attr| {
            body.contains(&format!("{attr}=\"{a}\""))
                || body.contains(&format!("{attr}='{a}'"))
                || body.contains(&format!("{attr}={a}>"))
                || body.contains(&format!("{attr}={a} "))
        })
    });
    (!found).then(|| messages::external_anchor_missing(url, anchor))
}

/// A request's failure in a few words.
fn failure(e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s", timeout.as_secs()),
        ureq::Error::BadUri(_) => "the URL is not valid".to_string(),
        ureq::Error::HostNotFound => "the host name does not resolve".to_string(),
        e => e.to_string(),
    }
}

/// URL → when it last answered well (seconds since 1970).
fn read_cache(root: &Path) -> BTreeMap<String, u64> {
    std::fs::read_to_string(root.join(CACHE_FILE))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Best effort: a cache that cannot be written only means asking again next time.
fn write_cache(root: &Path, cache: &BTreeMap<String, u64>) {
    let path = root.join(CACHE_FILE);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(text) = serde_json::to_string_pretty(cache) {
        let _ = std::fs::write(path, text);
    }
}
