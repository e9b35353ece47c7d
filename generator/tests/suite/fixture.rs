//! What the whole-site tests share: writing a site's files into a scratch folder, building it,
//! and reading a built file back.

#![allow(clippy::unwrap_used)] // a panic is a test's failure report

use std::path::Path;

use zhibu_generator::BuildOptions;
use zhibu_generator::site::{Body, Built};

/// Writes `bytes` to `rel` under `root`, making its folders.
pub fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A scratch folder holding `files` (path, text).
pub fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

/// The options of a build of the site at `root`.
pub fn options(root: &Path) -> BuildOptions {
    BuildOptions { root: root.to_path_buf(), ..Default::default() }
}

/// The bytes of a built file, if the build wrote it.
pub fn bytes(built: &Built, path: &str) -> Option<Vec<u8>> {
    built.files.iter().find(|f| f.path == path).map(|f| match &f.body {
        Body::Bytes(b) => b.clone(),
        Body::Copy(p) => std::fs::read(p).unwrap(),
    })
}

/// The text of a built file; a missing one fails the test, listing what was built.
pub fn text(built: &Built, path: &str) -> String {
    let found = bytes(built, path).unwrap_or_else(|| {
        panic!("no {path} in {:?}", built.files.iter().map(|f| &f.path).collect::<Vec<_>>())
    });
    String::from_utf8(found).unwrap()
}
