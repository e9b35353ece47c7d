//! Writing the output folder: the only module that writes site files.
//!
//! Writes only the files whose bytes changed and removes stale ones; never wipes the folder
//! (deleting a large tree costs more than building it). Called only after a build succeeded,
//! so a failed build leaves the previous output untouched.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::data::{Body, OutputFile};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|b| b == bytes)
        }
        _ => false,
    }
}

fn same_file(path: &Path, source: &Path) -> bool {
    match (std::fs::metadata(path), std::fs::metadata(source)) {
        (Ok(a), Ok(b)) if a.is_file() && a.len() == b.len() => {
            matches!((std::fs::read(path), std::fs::read(source)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

/// Writes one file outside the output folder (the catalog) whole or not at all: to a temporary
/// file beside it, then renamed over it. Unchanged bytes are left alone.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if same_bytes(path, bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Zola's `preserve_dotfiles_in_output` and `hard_link_static`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    /// Files and folders at the top of the output folder whose names start with `.` (a `.git`
    /// of a deployment branch, `.nojekyll`) are left alone.
    pub keep_dotfiles: bool,
    /// Copied files (static files, bundles' files) are hard links to their sources where the
    /// file system allows it, else copies.
    pub hard_links: bool,
}

/// Makes `dir` hold exactly `files`.
pub fn sync(dir: &Path, files: &[OutputFile]) -> io::Result<SyncReport> {
    sync_with(dir, files, SyncOptions::default())
}

/// [`sync`] with Zola's options.
pub fn sync_with(dir: &Path, files: &[OutputFile], options: SyncOptions) -> io::Result<SyncReport> {
    std::fs::create_dir_all(dir)?;
    let results: Vec<io::Result<bool>> = files
        .par_iter()
        .map(|f| {
            let target = dir.join(&f.path);
            let changed = match &f.body {
                Body::Bytes(bytes) => !same_bytes(&target, bytes),
                Body::Copy(source) => !same_file(&target, source),
            };
            if !changed {
                return Ok(false);
            }
            if let Some(parent) = target.parent() {
                if parent.is_file() {
                    std::fs::remove_file(parent)?;
                }
                std::fs::create_dir_all(parent)?;
            }
            if target.is_dir() {
                std::fs::remove_dir_all(&target)?;
            }
            match &f.body {
                Body::Bytes(bytes) => write_atomically(&target, bytes)?,
                Body::Copy(source) => {
                    let _ = std::fs::remove_file(&target);
                    let linked = options.hard_links && std::fs::hard_link(source, &target).is_ok();
                    if !linked {
                        std::fs::copy(source, &target).map_err(|e| with_path(e, source))?;
                    }
                }
            }
            Ok(true)
        })
        .collect();
    let mut report = SyncReport::default();
    for r in results {
        if r? {
            report.written += 1;
        } else {
            report.unchanged += 1;
        }
    }
    report.removed = remove_stale(dir, files, options.keep_dotfiles)?;
    Ok(report)
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Writes through a temporary file and a rename, so a reader never sees half a file.
fn write_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = target.as_os_str().to_owned();
    tmp.push(".zhibu-tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(|e| with_path(e, target))?;
    std::fs::rename(&tmp, target).map_err(|e| with_path(e, target))
}

fn remove_stale(dir: &Path, files: &[OutputFile], keep_dotfiles: bool) -> io::Result<usize> {
    let keep: HashSet<PathBuf> = files.iter().map(|f| dir.join(&f.path)).collect();
    let mut removed = 0;
    let mut dirs = Vec::new();
    // A dotfile at the top, and all under a dot-folder there, stay with `keep_dotfiles`.
    let kept_dot = |path: &Path| {
        keep_dotfiles
            && path
                .strip_prefix(dir)
                .ok()
                .and_then(|rel| rel.components().next())
                .is_some_and(|first| first.as_os_str().to_string_lossy().starts_with('.'))
    };
    for entry in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let entry = entry.map_err(io::Error::other)?;
        let path = entry.path();
        if kept_dot(path) {
            continue;
        }
        if entry.file_type().is_dir() {
            dirs.push(path.to_path_buf());
        } else if !keep.contains(path) {
            std::fs::remove_file(path)?;
            removed += 1;
        }
    }
    for d in dirs {
        // Only empty folders go; fails harmlessly otherwise.
        let _ = std::fs::remove_dir(&d);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), body: Body::Bytes(text.as_bytes().to_vec()) }
    }

    #[test]
    fn writes_only_what_changed_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = sync(&out, &[file("index.html", "a"), file("old/index.html", "x")]).unwrap();
        assert_eq!(first.written, 2);
        let second = sync(&out, &[file("index.html", "a"), file("new/index.html", "y")]).unwrap();
        assert_eq!(second, SyncReport { written: 1, unchanged: 1, removed: 1 });
        assert!(!out.join("old").exists(), "empty folders of stale files go too");
        assert_eq!(std::fs::read_to_string(out.join("new/index.html")).unwrap(), "y");
    }

    #[test]
    fn unchanged_file_keeps_its_modification_time() {
        let dir = tempfile::tempdir().unwrap();
        sync(dir.path(), &[file("a.html", "same")]).unwrap();
        let before = std::fs::metadata(dir.path().join("a.html")).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        sync(dir.path(), &[file("a.html", "same")]).unwrap();
        let after = std::fs::metadata(dir.path().join("a.html")).unwrap().modified().unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn dotfiles_at_the_top_stay_when_asked_and_static_files_can_be_hard_links() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "ref").unwrap();
        std::fs::write(out.join(".nojekyll"), "").unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        let source = dir.path().join("logo.png");
        std::fs::write(&source, "png").unwrap();
        let files = vec![
            file("index.html", "new"),
            OutputFile { path: "logo.png".into(), body: Body::Copy(source.clone()) },
        ];
        let options = SyncOptions { keep_dotfiles: true, hard_links: true };
        sync_with(&out, &files, options).unwrap();
        assert!(out.join(".git/HEAD").exists() && out.join(".nojekyll").exists(), "dotfiles kept");
        assert!(!out.join("old.html").exists(), "other stale files go");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let (a, b) =
                (std::fs::metadata(&source).unwrap(), std::fs::metadata(out.join("logo.png")).unwrap());
            assert_eq!((a.dev(), a.ino()), (b.dev(), b.ino()), "a hard link to the source");
        }
        sync(&out, &files).unwrap();
        assert!(!out.join(".nojekyll").exists(), "without the option they are stale like any file");
    }
}
