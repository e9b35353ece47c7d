//! Backups of one machine's data (the embedded store and the photo folder), taken while the
//! server keeps taking submissions, checked, and restored into an empty data folder.
//!
//! A backup folder holds `zhibu.sqlite` (a consistent copy made with SQLite's online backup
//! API in one step: one read transaction, which in WAL mode never blocks the server's writes),
//! `blobs/` (the photos) and `manifest.json` (when, the counts of every kind of record, the
//! database's SHA-256). Photos are copied before and after the database, so every photo a
//! record of the copy points at is in the backup — except one removed between the two (a
//! replaced copy, an erased member), which the manifest lists. The token secret is not copied:
//! after a restore, members log in again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail, ensure};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::private_files;
use crate::store::sqlite::SqliteStore;

pub const DATABASE: &str = "zhibu.sqlite";
pub const BLOBS: &str = "blobs";
pub const MANIFEST: &str = "manifest.json";
const FORMAT: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub members: usize,
    pub signins: usize,
    pub notes: usize,
    pub copies: usize,
    pub documents: usize,
    pub photos: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub created_at: DateTime<FixedOffset>,
    pub database_sha256: String,
    pub counts: Counts,
    pub photo_bytes: u64,
    /// Photos the database copy points at that were removed before they could be copied.
    #[serde(default)]
    pub removed_during_backup: Vec<String>,
}

/// Refuses a folder that holds anything: a backup never overwrites another.
fn empty_or_new(dir: &Path, what: &str) -> anyhow::Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            ensure!(
                entries.next().is_none(),
                "{} is not empty: {what} needs a new or empty folder",
                dir.display()
            );
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", dir.display())),
    }
}

fn sha256_of(path: &Path) -> anyhow::Result<String> {
    let mut file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hash = Sha256::new();
    std::io::copy(&mut file, &mut hash)?;
    Ok(format!("{:x}", hash.finalize()))
}

/// Copies the photos under `from` missing from `to`; the number and bytes copied.
fn copy_photos(from: &Path, to: &Path) -> anyhow::Result<(usize, u64)> {
    let (mut n, mut bytes) = (0, 0);
    if !from.exists() {
        return Ok((0, 0));
    }
    for entry in walk(from)? {
        let rel = entry.strip_prefix(from).unwrap_or(&entry);
        let target = to.join(rel);
        if target.exists() {
            continue;
        }
        if let Some(dir) = target.parent() {
            private_files::create_dir_all(dir)?;
        }
        match std::fs::copy(&entry, &target) {
            Ok(b) => {
                private_files::restrict(&target, 0o600)?;
                n += 1;
                bytes += b;
            }
            // Removed since it was listed (a replaced photo): not a photo any more.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot copy {}", entry.display())),
        }
    }
    Ok((n, bytes))
}

/// Every file under `dir` (sorted), without half-written uploads.
fn walk(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("cannot list {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_none_or(|e| e != "tmp-upload") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn photo_keys_in(dir: &Path) -> anyhow::Result<BTreeSet<String>> {
    if !dir.exists() {
        return Ok(BTreeSet::new());
    }
    Ok(walk(dir)?
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap_or(p);
            rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
        })
        .collect())
}

/// The records of a database file, counted, and the photo keys they point at.
async fn read_records(db: &Path) -> anyhow::Result<(Counts, BTreeSet<String>)> {
    let store = SqliteStore::open(db)?;
    let members = crate::store::MemberStore::members(&store).await?;
    let all = super::migrate::snapshot(&store, &members).await?;
    let keys = all.photo_keys();
    let counts = Counts {
        members: all.members.len(),
        signins: all.signins.len(),
        notes: all.notes.len(),
        copies: all.copies.len(),
        documents: all.documents.len(),
        photos: 0,
    };
    Ok((counts, keys))
}

/// One-step online backup of `db` into `to` (a new file).
fn snapshot_database(db: &Path, to: &Path) -> anyhow::Result<()> {
    use rusqlite::{Connection, OpenFlags};
    ensure!(db.exists(), "{}: no such database (is --data the server's data folder?)", db.display());
    let source =
        Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .with_context(|| format!("cannot open {}", db.display()))?;
    source.busy_timeout(std::time::Duration::from_secs(30))?;
    let partial = to.with_extension("sqlite.partial");
    private_files::touch(&partial)?;
    {
        let mut target = Connection::open(&partial)?;
        let backup = rusqlite::backup::Backup::new(&source, &mut target)?;
        // Every page in one step: one read transaction, so the copy is of one moment.
        loop {
            match backup.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                rusqlite::backup::StepResult::More => continue,
                rusqlite::backup::StepResult::Busy | rusqlite::backup::StepResult::Locked => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                _ => std::thread::sleep(std::time::Duration::from_millis(50)),
            }
        }
        drop(backup);
        // A self-contained file: no WAL beside it.
        target.pragma_update(None, "journal_mode", "DELETE")?;
    }
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, to).with_context(|| format!("cannot write {}", to.display()))?;
    Ok(())
}

/// Takes a backup of the store `db` and the photo folder `blobs` into `to`, a new or empty
/// folder. `say` hears one line per step.
pub async fn backup(
    db: &Path,
    blobs: &Path,
    to: &Path,
    now: DateTime<FixedOffset>,
    say: &dyn Fn(&str),
) -> anyhow::Result<Manifest> {
    empty_or_new(to, "a backup")?;
    private_files::create_dir_all(to)?;
    let photos = to.join(BLOBS);
    private_files::create_dir_all(&photos)?;
    let (first, _) = {
        let (from, target) = (blobs.to_path_buf(), photos.clone());
        tokio::task::spawn_blocking(move || copy_photos(&from, &target)).await??
    };
    say(&format!("photos: {first} copied"));
    let database = to.join(DATABASE);
    {
        let (from, target) = (db.to_path_buf(), database.clone());
        tokio::task::spawn_blocking(move || snapshot_database(&from, &target)).await??;
    }
    say("database: copied (one consistent moment)");
    let (second, _) = {
        let (from, target) = (blobs.to_path_buf(), photos.clone());
        tokio::task::spawn_blocking(move || copy_photos(&from, &target)).await??
    };
    if second > 0 {
        say(&format!("photos: {second} more, added while the database was copied"));
    }
    let (mut counts, wanted) = read_records(&database).await?;
    let present = photo_keys_in(&photos)?;
    let removed: Vec<String> = wanted.difference(&present).cloned().collect();
    counts.photos = present.len();
    let photo_bytes = walk(&photos)?.iter().filter_map(|p| p.metadata().ok()).map(|m| m.len()).sum();
    let manifest = Manifest {
        format: FORMAT,
        created_at: now,
        database_sha256: sha256_of(&database)?,
        counts,
        photo_bytes,
        removed_during_backup: removed,
    };
    private_files::write_new(&to.join(MANIFEST), &serde_json::to_vec_pretty(&manifest)?)?;
    Ok(manifest)
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub manifest: Manifest,
    pub counts: Counts,
}

/// Checks a backup: the manifest reads, the database's checksum is the manifest's, SQLite's
/// integrity check passes, the counts are the manifest's and every photo a record points at is
/// there. The first problem is the error.
pub async fn verify(dir: &Path) -> anyhow::Result<Verified> {
    let text = std::fs::read(dir.join(MANIFEST))
        .with_context(|| format!("{} has no {MANIFEST}: is it a backup folder?", dir.display()))?;
    let manifest: Manifest =
        serde_json::from_slice(&text).context("manifest.json is not a backup's manifest")?;
    ensure!(manifest.format == FORMAT, "backup format {} is not this version's ({FORMAT})", manifest.format);
    let database = dir.join(DATABASE);
    let sha = sha256_of(&database)?;
    ensure!(sha == manifest.database_sha256, "{DATABASE} has changed since the backup (checksum differs)");
    // Checked on a scratch copy, so that verifying leaves the backup byte for byte as it was.
    let scratch = Scratch::new()?;
    let copy = scratch.0.join(DATABASE);
    std::fs::copy(&database, &copy)?;
    {
        let copy = copy.clone();
        let result: String = tokio::task::spawn_blocking(move || -> anyhow::Result<String> {
            let conn = rusqlite::Connection::open(&copy)?;
            Ok(conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
        })
        .await??;
        ensure!(result == "ok", "SQLite's integrity check failed: {result}");
    }
    let (mut counts, wanted) = read_records(&copy).await?;
    let present = photo_keys_in(&dir.join(BLOBS))?;
    counts.photos = present.len();
    let known: BTreeSet<&String> = manifest.removed_during_backup.iter().collect();
    let missing: Vec<&String> =
        wanted.iter().filter(|k| !present.contains(*k) && !known.contains(k)).collect();
    if !missing.is_empty() {
        bail!("{} photos the records point at are missing, e.g. {}", missing.len(), missing[0]);
    }
    if counts != manifest.counts {
        bail!("the counts differ from the manifest's: found {counts:?}, manifest {:?}", manifest.counts);
    }
    Ok(Verified { manifest, counts })
}

/// A private folder of our own under the system's temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> anyhow::Result<Scratch> {
        let dir = std::env::temp_dir().join(format!("zhibu-verify-{}", uuid::Uuid::new_v4().simple()));
        private_files::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Restores a verified backup into a data folder that has no store and no photos yet.
pub async fn restore(from: &Path, db: &Path, blobs: &Path, say: &dyn Fn(&str)) -> anyhow::Result<Verified> {
    let verified = verify(from).await?;
    say("backup verified");
    ensure!(
        !db.exists(),
        "{} exists: restore only into a data folder without a store (move it aside first)",
        db.display()
    );
    empty_or_new(blobs, "a restore")?;
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_files::create_dir_all(dir)?;
    }
    let partial = db.with_extension("sqlite.restoring");
    std::fs::copy(from.join(DATABASE), &partial)?;
    private_files::restrict(&partial, 0o600)?;
    std::fs::File::open(&partial)?.sync_all()?;
    private_files::create_dir_all(blobs)?;
    let (n, _) = {
        let (source, target) = (from.join(BLOBS), blobs.to_path_buf());
        tokio::task::spawn_blocking(move || copy_photos(&source, &target)).await??
    };
    say(&format!("photos: {n} restored"));
    std::fs::rename(&partial, db)?;
    say("database: restored");
    Ok(verified)
}
