//! Moving a branch between backends (one machine → AWS, or back for a backup) through the store
//! and blob traits, so any pair of adapters works. Every step is idempotent — members keep the
//! code they have, a sign-in is written once, a note only if its id is missing, a copy replaces
//! itself, a document is imported (version and all) only if its kind and id are missing, a photo
//! is written only if the target's bytes differ — so an interrupted run is simply run again. At the end both sides are read back and compared by counts and SHA-256
//! checksums over a canonical form of every record and every photo.

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::blobs::Blobs;
use crate::store::{
    Copy, CopyStore, Document, DocumentStore, Inserted, MemberRecord, MemberStore, Note, NoteStore, Signin,
    SigninStore,
};

/// One kind of record after a migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub kind: &'static str,
    /// Records in the source.
    pub source: usize,
    /// Written to the target by this run.
    pub written: usize,
    /// Already in the target (from an earlier run).
    pub already: usize,
    /// Records of this kind in the target after the run, for the source's members.
    pub target: usize,
    pub source_sha256: String,
    pub target_sha256: String,
}

impl Tally {
    pub fn matches(&self) -> bool {
        self.source == self.target && self.source_sha256 == self.target_sha256
    }
}

/// Everything the store holds for a branch, in a canonical order.
#[derive(Default)]
pub(crate) struct Snapshot {
    pub(crate) members: Vec<MemberRecord>,
    pub(crate) signins: Vec<Signin>,
    pub(crate) notes: Vec<Note>,
    pub(crate) copies: Vec<Copy>,
    pub(crate) documents: Vec<Document>,
}

impl Snapshot {
    /// Every photo key the records point at: copies' photos and thumbnails, documents' pages.
    pub(crate) fn photo_keys(&self) -> std::collections::BTreeSet<String> {
        let copies = self.copies.iter().flat_map(|c| [c.photo_key.clone(), c.thumb_key.clone()]);
        copies.chain(self.documents.iter().flat_map(|d| d.blob_keys.iter().cloned())).collect()
    }
}

pub(crate) async fn snapshot(
    store: &(impl MemberStore + SigninStore + NoteStore + CopyStore + DocumentStore + ?Sized),
    members: &[MemberRecord],
) -> anyhow::Result<Snapshot> {
    let mut all = Snapshot::default();
    let ids: Vec<_> = members.iter().map(|m| m.member.id.clone()).collect();
    // Members as the target sees them, in its roster order, limited to the source's roster.
    all.members = store.members().await?.into_iter().filter(|m| ids.contains(&m.member.id)).collect();
    for id in &ids {
        all.signins.extend(store.signins_of_member(id).await?);
        all.notes.extend(store.notes_of_member(id).await?);
        all.copies.extend(store.copies_of_member(id).await?);
        all.documents.extend(store.all_documents_of_member(id).await?);
    }
    all.signins.sort_by(|a, b| (&a.event, &a.member_id).cmp(&(&b.event, &b.member_id)));
    all.notes.sort_by(|a, b| a.id.cmp(&b.id));
    all.copies.sort_by(|a, b| (&a.campaign, &a.member_id, a.day).cmp(&(&b.campaign, &b.member_id, b.day)));
    all.documents.sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
    Ok(all)
}

/// SHA-256 over one JSON line per record.
fn checksum<T: Serialize>(records: impl IntoIterator<Item = T>) -> String {
    let mut hash = Sha256::new();
    for record in records {
        hash.update(serde_json::to_vec(&record).unwrap_or_default());
        hash.update(b"\n");
    }
    format!("{:x}", hash.finalize())
}

/// A member's canonical form: what matters, not the position number (relative order is kept
/// because the list is in roster order).
fn member_line(m: &MemberRecord) -> impl Serialize + '_ {
    (&m.member, &m.code_hash)
}

/// Copies every record of `from` into `to`. `progress` hears one line per kind.
pub async fn records(
    from: &(impl MemberStore + SigninStore + NoteStore + CopyStore + DocumentStore + ?Sized),
    to: &(impl MemberStore + SigninStore + NoteStore + CopyStore + DocumentStore + ?Sized),
    progress: &dyn Fn(&str),
) -> anyhow::Result<Vec<Tally>> {
    let members = from.members().await?;
    let source = snapshot(from, &members).await?;
    let mut counts: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    let mut count = |kind: &'static str, new: bool| {
        let entry = counts.entry(kind).or_default();
        if new { entry.0 += 1 } else { entry.1 += 1 }
    };

    for m in &source.members {
        count("members", to.upsert_member(&m.member, &m.code_hash).await?);
    }
    progress(&format!("members: {}", source.members.len()));
    for s in &source.signins {
        count("signins", matches!(to.insert_signin(s).await?, Inserted::New(_)));
    }
    progress(&format!("sign-ins: {}", source.signins.len()));
    for n in &source.notes {
        let missing = to.note(&n.id).await?.is_none();
        if missing {
            to.insert_note(n).await?;
        }
        count("notes", missing);
    }
    progress(&format!("notes: {}", source.notes.len()));
    let mut had_copies = Vec::new();
    for m in &source.members {
        had_copies.extend(to.copies_of_member(&m.member.id).await?);
    }
    for c in &source.copies {
        let already = had_copies.contains(c);
        if !already {
            to.put_copy(c).await?;
        }
        count("copies", !already);
    }
    progress(&format!("copies: {}", source.copies.len()));
    for d in &source.documents {
        // A document the target has already (this kind and id) is left as it is: if it differs,
        // the checksums say so.
        count("documents", to.import_document(d).await?);
    }
    progress(&format!("documents: {}", source.documents.len()));

    let target = snapshot(to, &members).await?;
    let tally = |kind: &'static str, source: usize, target: usize, source_sha256, target_sha256| {
        let (written, already) = counts.get(kind).copied().unwrap_or_default();
        Tally { kind, source, written, already, target, source_sha256, target_sha256 }
    };
    Ok(vec![
        tally(
            "members",
            source.members.len(),
            target.members.len(),
            checksum(source.members.iter().map(member_line)),
            checksum(target.members.iter().map(member_line)),
        ),
        tally(
            "signins",
            source.signins.len(),
            target.signins.len(),
            checksum(&source.signins),
            checksum(&target.signins),
        ),
        tally(
            "notes",
            source.notes.len(),
            target.notes.len(),
            checksum(&source.notes),
            checksum(&target.notes),
        ),
        tally(
            "copies",
            source.copies.len(),
            target.copies.len(),
            checksum(&source.copies),
            checksum(&target.copies),
        ),
        tally(
            "documents",
            source.documents.len(),
            target.documents.len(),
            checksum(&source.documents),
            checksum(&target.documents),
        ),
    ])
}

/// Copies every blob of `from` into `to`, each checked by reading it back.
pub async fn blobs(from: &dyn Blobs, to: &dyn Blobs, progress: &dyn Fn(&str)) -> anyhow::Result<Tally> {
    let keys = from.keys().await?;
    let (mut written, mut already) = (0, 0);
    let mut source_lines = Vec::with_capacity(keys.len());
    let mut target_lines = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let bytes = from.get(key).await?.ok_or_else(|| anyhow::anyhow!("{key} vanished from the source"))?;
        let digest = format!("{:x}", Sha256::digest(&bytes));
        let mut stored = to.get(key).await?;
        if stored.as_deref() == Some(bytes.as_slice()) {
            already += 1;
        } else {
            to.put(key, bytes, content_type(key)).await?;
            stored = to.get(key).await?;
            written += 1;
        }
        let stored_digest = stored.map(|b| format!("{:x}", Sha256::digest(&b))).unwrap_or_default();
        source_lines.push((key.clone(), digest));
        target_lines.push((key.clone(), stored_digest));
        if (i + 1) % 100 == 0 {
            progress(&format!("photos: {}/{}", i + 1, keys.len()));
        }
    }
    progress(&format!("photos: {}", keys.len()));
    let target = target_lines.iter().filter(|(_, d)| !d.is_empty()).count();
    Ok(Tally {
        kind: "photos",
        source: keys.len(),
        written,
        already,
        target,
        source_sha256: checksum(&source_lines),
        target_sha256: checksum(&target_lines),
    })
}

fn content_type(key: &str) -> &'static str {
    if key.ends_with(".jpg") || key.ends_with(".jpeg") { "image/jpeg" } else { "application/octet-stream" }
}
