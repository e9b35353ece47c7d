//! Photographed pages kept with a record of the member's file — a thought report's handwritten
//! pages, a dues receipt, the host unit's signed letter: each judged by its bytes, re-encoded like
//! every photo (`crate::photos`: no EXIF, no GPS), stored with a thumbnail, and removed again with
//! the record or when the record cannot take it.

use serde::{Deserialize, Serialize};

use crate::blobs::Blobs;
use crate::photos::{self, PhotoError};

/// A stored photo and its thumbnail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub photo_key: String,
    pub thumb_key: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

impl Page {
    pub fn keys(&self) -> [String; 2] {
        [self.photo_key.clone(), self.thumb_key.clone()]
    }
}

/// Why a photo was not kept.
#[derive(Debug, thiserror::Error)]
pub enum KeepError {
    #[error(transparent)]
    Photo(#[from] PhotoError),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// Judges, re-encodes and stores a photo under `<prefix>/<random>.jpg` (and `-thumb.jpg`).
pub async fn keep(blobs: &dyn Blobs, prefix: &str, photo: Vec<u8>) -> Result<Page, KeepError> {
    if photos::sniff(&photo).is_none() {
        return Err(PhotoError::NotAnImage.into());
    }
    // Blocking: decoding is CPU work and waits for one of the process's decode slots.
    let processed = tokio::task::spawn_blocking(move || photos::process(&photo))
        .await
        .map_err(|e| KeepError::Failed(e.into()))??;
    let stem = format!("{prefix}/{}", uuid::Uuid::new_v4().simple());
    let page = Page {
        photo_key: format!("{stem}.jpg"),
        thumb_key: format!("{stem}-thumb.jpg"),
        width: processed.width,
        height: processed.height,
        bytes: processed.jpeg.len() as u64,
    };
    blobs.put(&page.photo_key, processed.jpeg, "image/jpeg").await?;
    if let Err(e) = blobs.put(&page.thumb_key, processed.thumb, "image/jpeg").await {
        let _ = blobs.delete(&page.photo_key).await;
        return Err(e.into());
    }
    Ok(page)
}

/// Removes a page's photos. The record no longer refers to them, so one that cannot be removed now
/// is only logged (never served, and found by an erasure's sweep).
pub async fn remove(blobs: &dyn Blobs, page: &Page) {
    for key in page.keys() {
        if let Err(e) = blobs.delete(&key).await {
            tracing::warn!(key = key.as_str(), error = format!("{e:#}"), "could not remove a page's photo");
        }
    }
}
