//! Highlighted code blocks kept between builds, as processed images are: highlighting is the
//! dearest step of a build (giallo's regular expressions over every block), and most blocks do
//! not change from one build to the next. The cache is one file, `.zhibu/highlighted.bin`: a
//! header, then for each block the hash of everything its HTML depends on (the code, the fence,
//! the theme and style, the highlighter's version) and the HTML. A build reads it once, answers
//! from it, and writes back only the blocks it used, so it never grows past the site. A file
//! that cannot be read is ignored (everything is highlighted again).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Where under the site's folder.
pub const FILE: &str = ".zhibu/highlighted.bin";
const MAGIC: &[u8; 8] = b"ZHIBUHL1";

#[derive(Debug, Default)]
pub struct HighlightCache {
    path: PathBuf,
    old: HashMap<u64, Arc<str>>,
    used: Mutex<HashMap<u64, Arc<str>>>,
    made: AtomicUsize,
}

impl HighlightCache {
    /// The cache of the site at `root`, read from its file if there is one.
    pub fn open(root: &Path) -> HighlightCache {
        let path = root.join(FILE);
        let old = std::fs::read(&path).ok().map(|bytes| parse(&bytes)).unwrap_or_default();
        HighlightCache { path, old, ..HighlightCache::default() }
    }

    /// The HTML of the block whose inputs hash to `key`: kept, or made by `make` and kept.
    pub fn get_or(&self, key: u64, make: impl FnOnce() -> Option<String>) -> Option<Arc<str>> {
        let html = match self.old.get(&key) {
            Some(html) => html.clone(),
            None => {
                let html: Arc<str> = make()?.into();
                self.made.fetch_add(1, Ordering::Relaxed);
                html
            }
        };
        if let Ok(mut used) = self.used.lock() {
            used.insert(key, html.clone());
        }
        Some(html)
    }

    /// Writes the blocks this build used, when they differ from what was read. Best effort: a
    /// cache that cannot be written only means highlighting again next time.
    pub fn save(&self) {
        let Ok(used) = self.used.lock() else { return };
        if self.made.load(Ordering::Relaxed) == 0 && used.len() == self.old.len() {
            return;
        }
        let mut keys: Vec<&u64> = used.keys().collect();
        keys.sort();
        let mut bytes = Vec::with_capacity(used.values().map(|h| h.len() + 12).sum::<usize>() + 8);
        bytes.extend_from_slice(MAGIC);
        for key in keys {
            let html = used[key].as_bytes();
            bytes.extend_from_slice(&key.to_le_bytes());
            bytes.extend_from_slice(&(html.len() as u32).to_le_bytes());
            bytes.extend_from_slice(html);
        }
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let tmp = self.path.with_extension("bin.tmp");
        if std::fs::write(&tmp, &bytes).is_ok() {
            let _ = std::fs::rename(&tmp, &self.path);
        }
    }
}

/// The entries of a cache file; nothing for a file that is not one (or is cut short).
fn parse(bytes: &[u8]) -> HashMap<u64, Arc<str>> {
    let mut map = HashMap::new();
    let Some(mut rest) = bytes.strip_prefix(MAGIC.as_slice()) else { return map };
    while rest.len() >= 12 {
        let key = u64::from_le_bytes(rest[..8].try_into().unwrap_or_default());
        let len = u32::from_le_bytes(rest[8..12].try_into().unwrap_or_default()) as usize;
        let Some(html) = rest.get(12..12 + len) else { return HashMap::new() };
        match std::str::from_utf8(html) {
            Ok(text) => map.insert(key, Arc::from(text)),
            Err(_) => return HashMap::new(),
        };
        rest = &rest[12 + len..];
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_used_is_read_back_and_what_was_not_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = HighlightCache::open(dir.path());
        assert_eq!(first.get_or(1, || Some("<b>一</b>".into())).as_deref(), Some("<b>一</b>"));
        assert_eq!(first.get_or(2, || Some("two".into())).as_deref(), Some("two"));
        first.save();
        let second = HighlightCache::open(dir.path());
        assert_eq!(second.get_or(1, || panic!("kept, not made again")).as_deref(), Some("<b>一</b>"));
        second.save();
        let third = HighlightCache::open(dir.path());
        assert!(third.old.contains_key(&1) && !third.old.contains_key(&2), "2 was not used: dropped");
    }

    #[test]
    fn a_damaged_file_is_ignored() {
        assert!(parse(b"ZHIBUHL1\x01\0\0\0\0\0\0\0\xff\0\0\0abc").is_empty());
        assert!(parse(b"not a cache").is_empty());
    }
}
