//! Highlighted code blocks kept between builds, as processed images are: highlighting is the
//! dearest step of a build (giallo's regular expressions over every block), and most blocks do
//! not change from one build to the next. The cache is one file, `.zhibu/highlighted.bin`: a
//! header with the highlighter's version and the names (languages, themes) it was found to know,
//! then for each block the hash of everything its HTML depends on (the code, the fence, the
//! theme and style, the highlighter's version) and the HTML. A build reads it once, answers from
//! it, and writes back only the blocks it used, so it never grows past the site. A file that
//! cannot be read, or was written for another version, is ignored (everything is highlighted
//! again). With the names, a build whose blocks are all kept never loads the highlighter's
//! grammars at all (about 50 ms).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Where under the site's folder.
pub const FILE: &str = ".zhibu/highlighted.bin";
const MAGIC: &[u8; 8] = b"ZHIBUHL2";

#[derive(Debug, Default)]
pub struct HighlightCache {
    path: PathBuf,
    /// The highlighter's version: a file of another is not read.
    version: String,
    old: HashMap<u64, Arc<str>>,
    used: Mutex<HashMap<u64, Arc<str>>>,
    made: AtomicUsize,
    /// Names the highlighter knows (`lang:rust`, `theme:github-light`), as read.
    known: HashSet<String>,
    /// Names found known during this build.
    learned: Mutex<HashSet<String>>,
}

impl HighlightCache {
    /// The cache of the site at `root` for the highlighter `version`, read from its file if
    /// there is one.
    pub fn open(root: &Path, version: &str) -> HighlightCache {
        let path = root.join(FILE);
        let (known, old) =
            std::fs::read(&path).ok().and_then(|bytes| parse(&bytes, version)).unwrap_or_default();
        HighlightCache { path, version: version.to_string(), old, known, ..HighlightCache::default() }
    }

    /// Whether an earlier build found that the highlighter knows `name`.
    pub fn knows(&self, name: &str) -> bool {
        self.known.contains(name) || self.learned.lock().is_ok_and(|l| l.contains(name))
    }

    /// Notes that the highlighter knows `name`, for the builds after this one.
    pub fn learn(&self, name: &str) {
        if !self.known.contains(name)
            && let Ok(mut learned) = self.learned.lock()
        {
            learned.insert(name.to_string());
        }
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
        let (Ok(used), Ok(learned)) = (self.used.lock(), self.learned.lock()) else { return };
        if self.made.load(Ordering::Relaxed) == 0 && used.len() == self.old.len() && learned.is_empty() {
            return;
        }
        let mut names: Vec<&String> = self.known.iter().chain(learned.iter()).collect();
        names.sort();
        let mut keys: Vec<&u64> = used.keys().collect();
        keys.sort();
        let mut bytes = Vec::with_capacity(used.values().map(|h| h.len() + 12).sum::<usize>() + 64);
        bytes.extend_from_slice(MAGIC);
        for text in std::iter::once(&self.version).chain(names.iter().copied()) {
            bytes.extend_from_slice(&(text.len() as u32).to_le_bytes());
            bytes.extend_from_slice(text.as_bytes());
        }
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
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

/// What a cache file holds: the names the highlighter knows and the blocks' HTML by key.
type Parsed = (HashSet<String>, HashMap<u64, Arc<str>>);

/// The names and entries of a cache file written for `version`; none for a file that is not
/// one (or is cut short, or is of another version).
fn parse(bytes: &[u8], version: &str) -> Option<Parsed> {
    let mut rest = bytes.strip_prefix(MAGIC.as_slice())?;
    // The version, then the names, each a length and its text; u32::MAX ends them.
    if next_text(&mut rest)?? != version {
        return None;
    }
    let mut names = HashSet::new();
    while let Some(name) = next_text(&mut rest)? {
        names.insert(name.to_string());
    }
    let mut map = HashMap::new();
    while rest.len() >= 12 {
        let key = u64::from_le_bytes(rest[..8].try_into().ok()?);
        let len = u32::from_le_bytes(rest[8..12].try_into().ok()?) as usize;
        let html = std::str::from_utf8(rest.get(12..12 + len)?).ok()?;
        map.insert(key, Arc::from(html));
        rest = &rest[12 + len..];
    }
    rest.is_empty().then_some((names, map))
}

/// The text at the start of `rest` (its length, then its bytes), moving past it: `Some(None)`
/// at the end mark, `None` for bytes that are not one.
fn next_text<'a>(rest: &mut &'a [u8]) -> Option<Option<&'a str>> {
    let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?);
    *rest = &rest[4..];
    if len == u32::MAX {
        return Some(None);
    }
    let text = std::str::from_utf8(rest.get(..len as usize)?).ok()?;
    *rest = &rest[len as usize..];
    Some(Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_used_is_read_back_and_what_was_not_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = HighlightCache::open(dir.path(), "v1");
        assert_eq!(first.get_or(1, || Some("<b>一</b>".into())).as_deref(), Some("<b>一</b>"));
        assert_eq!(first.get_or(2, || Some("two".into())).as_deref(), Some("two"));
        first.save();
        let second = HighlightCache::open(dir.path(), "v1");
        assert_eq!(second.get_or(1, || panic!("kept, not made again")).as_deref(), Some("<b>一</b>"));
        second.save();
        let third = HighlightCache::open(dir.path(), "v1");
        assert!(third.old.contains_key(&1) && !third.old.contains_key(&2), "2 was not used: dropped");
    }

    #[test]
    fn known_names_are_kept_and_another_version_reads_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let first = HighlightCache::open(dir.path(), "v1");
        assert!(!first.knows("lang:rust"));
        first.learn("lang:rust");
        assert!(first.knows("lang:rust"));
        first.save();
        let second = HighlightCache::open(dir.path(), "v1");
        assert!(second.knows("lang:rust") && !second.knows("lang:cobol"));
        second.get_or(7, || Some("<b>七</b>".into()));
        second.save();
        let third = HighlightCache::open(dir.path(), "v1");
        assert!(third.knows("lang:rust"), "names outlive a save that only adds blocks");
        assert!(third.old.contains_key(&7));
        let other = HighlightCache::open(dir.path(), "v2");
        assert!(!other.knows("lang:rust") && other.old.is_empty(), "another version starts afresh");
    }

    #[test]
    fn a_damaged_file_is_ignored() {
        let mut good = MAGIC.to_vec();
        good.extend_from_slice(&2u32.to_le_bytes());
        good.extend_from_slice(b"v1");
        good.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(parse(&good, "v1").is_some());
        let mut cut = good.clone();
        cut.extend_from_slice(b"\x01\0\0\0\0\0\0\0\xff\0\0\0abc");
        assert!(parse(&cut, "v1").is_none());
        assert!(parse(&good[..good.len() - 2], "v1").is_none());
        assert!(parse(b"not a cache", "v1").is_none());
        assert!(parse(b"ZHIBUHL1\x01\0\0\0\0\0\0\0\x03\0\0\0abc", "v1").is_none(), "the old format");
    }
}
