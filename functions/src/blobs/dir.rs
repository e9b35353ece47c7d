//! Blobs in a local folder: written to a temporary file and renamed, so a reader never sees half
//! a photo and a crash leaves either the old or the new one. Folders are 0700 and photos 0600:
//! members' photos are not for other accounts on the machine.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use async_trait::async_trait;

use super::{Blobs, valid_key};
use crate::private_files;

pub struct DirBlobs {
    root: PathBuf,
}

impl DirBlobs {
    pub fn open(root: &Path) -> anyhow::Result<DirBlobs> {
        private_files::create_dir_all(root).with_context(|| format!("cannot create {}", root.display()))?;
        Ok(DirBlobs { root: root.to_path_buf() })
    }

    fn path(&self, key: &str) -> anyhow::Result<PathBuf> {
        anyhow::ensure!(valid_key(key), "invalid blob key {key:?}");
        Ok(self.root.join(key))
    }
}

#[async_trait]
impl Blobs for DirBlobs {
    async fn put(&self, key: &str, bytes: Vec<u8>, _content_type: &str) -> anyhow::Result<()> {
        let path = self.path(key)?;
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            if let Some(dir) = path.parent() {
                private_files::create_dir_all(dir)?;
            }
            let tmp = path.with_extension("tmp-upload");
            private_files::write_new(&tmp, &bytes).with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, &path).with_context(|| format!("renaming to {}", path.display()))?;
            Ok(())
        })
        .await?
    }

    async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let path = self.path(key)?;
        match tokio::fs::read(&path).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        let path = self.path(key)?;
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("removing {}", path.display())),
        }
    }

    async fn keys(&self) -> anyhow::Result<Vec<String>> {
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
            let mut keys = Vec::new();
            collect_keys(&root, &root, &mut keys)?;
            keys.sort();
            Ok(keys)
        })
        .await?
    }
}

/// Files under `dir` as keys relative to `root`; half-written uploads are not blobs.
fn collect_keys(root: &Path, dir: &Path, keys: &mut Vec<String>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_keys(root, &path, keys)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            let key = relative.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
            if valid_key(&key) && !key.ends_with(".tmp-upload") {
                keys.push(key);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_escape_the_folder() {
        assert!(valid_key("copies/c-1/m001/1-abc.jpg"));
        assert!(!valid_key("../etc/passwd"));
        assert!(!valid_key("/abs"));
        assert!(!valid_key("a//b"));
        assert!(!valid_key("a/./b"));
        assert!(!valid_key("空格 key"));
    }
}
