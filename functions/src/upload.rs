//! Handing in a copy's photo (手抄党章), the one submission with several effects: the form is
//! checked ([`CopyForm::check`]), then [`upload_copy`] finds the campaign and day, refuses a day
//! that has not come, judges and re-encodes the photo (`crate::photos`: EXIF and GPS gone),
//! stores the new photo and thumbnail, records the copy (replacing the day's earlier one in one
//! step) and only then removes the replaced photos. A failure at any step leaves the previous
//! copy intact and no new blob behind. Over the narrow traits, so it runs without a router.

use crate::blobs::Blobs;
use crate::catalog::Catalog;
use crate::clock::Clock;
use crate::domain::{CampaignDay, FieldError, MemberId, Slug};
use crate::photos::{self, PhotoError};
use crate::store::{Copy, CopyStore};

/// The upload form's fields as received (`campaign`, `day`, `photo`), not yet checked.
#[derive(Debug, Clone, Default)]
pub struct CopyForm {
    pub campaign: Option<String>,
    pub day: Option<String>,
    pub photo: Option<Vec<u8>>,
}

/// A form with every field present: the campaign id valid, a photo that is not empty. The day
/// is checked against the campaign's length by [`upload_copy`].
#[derive(Debug, Clone)]
pub struct CopyUpload {
    campaign: Slug,
    day: String,
    photo: Vec<u8>,
}

impl CopyForm {
    /// Every missing or malformed field at once.
    pub fn check(self) -> Result<CopyUpload, Vec<FieldError>> {
        let mut errors = Vec::new();
        let campaign = Slug::required("campaign", self.campaign.as_deref(), "缺少活动编号")
            .map_err(|e| errors.push(e))
            .ok();
        if self.day.is_none() {
            errors.push(FieldError::new("day", "缺少天数"));
        }
        let photo = self.photo.filter(|p| !p.is_empty());
        if photo.is_none() {
            errors.push(FieldError::new("photo", "请选择照片"));
        }
        match (campaign, self.day, photo) {
            (Some(campaign), Some(day), Some(photo)) if errors.is_empty() => {
                Ok(CopyUpload { campaign, day, photo })
            }
            _ => Err(errors),
        }
    }
}

impl CopyUpload {
    /// The photo's size in bytes, as uploaded.
    pub fn photo_len(&self) -> usize {
        self.photo.len()
    }
}

/// Why an upload was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("no campaign {0}")]
    UnknownCampaign(String),
    /// The day is not a day of the campaign.
    #[error("{0}")]
    Day(FieldError),
    /// The day is still to come.
    #[error("day {0} has not come yet")]
    DayNotYet(u32),
    /// The photo was refused: not an image by its bytes, too large, damaged, or every decode
    /// slot busy.
    #[error(transparent)]
    Photo(#[from] PhotoError),
    /// The store or the blobs failed (nothing of this upload is kept).
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// Records `member`'s copy: see the module's description for the steps. Returns the stored copy.
pub async fn upload_copy(
    store: &(impl CopyStore + ?Sized),
    blobs: &dyn Blobs,
    catalog: &Catalog,
    clock: &dyn Clock,
    member: &MemberId,
    upload: CopyUpload,
) -> Result<Copy, UploadError> {
    let CopyUpload { campaign, day, photo } = upload;
    let campaign = catalog
        .campaigns
        .get(campaign.as_str())
        .ok_or_else(|| UploadError::UnknownCampaign(campaign.as_str().to_string()))?;
    let day = CampaignDay::parse(&day, campaign.days).map_err(UploadError::Day)?;
    if !day.has_come(campaign, clock.now().date_naive()) {
        return Err(UploadError::DayNotYet(day.get()));
    }
    if photos::sniff(&photo).is_none() {
        return Err(PhotoError::NotAnImage.into());
    }
    // Blocking: decoding is CPU work, and `process` waits there for one of the process's decode
    // slots (photos::DECODE_SLOTS), which bounds the memory of parallel uploads.
    let processed = tokio::task::spawn_blocking(move || photos::process(&photo))
        .await
        .map_err(|e| UploadError::Failed(e.into()))??;

    // New blobs first, then the record (one atomic replacement), then the old blobs.
    let stem = format!("copies/{}/{}/{}-{}", campaign.id, member, day.get(), uuid::Uuid::new_v4().simple());
    let (photo_key, thumb_key) = (format!("{stem}.jpg"), format!("{stem}-thumb.jpg"));
    let bytes = processed.jpeg.len() as u64;
    blobs.put(&photo_key, processed.jpeg, "image/jpeg").await?;
    if let Err(e) = blobs.put(&thumb_key, processed.thumb, "image/jpeg").await {
        let _ = blobs.delete(&photo_key).await;
        return Err(e.into());
    }
    let copy = Copy {
        campaign: campaign.id.clone(),
        member_id: member.clone(),
        day: day.get(),
        photo_key: photo_key.clone(),
        thumb_key: thumb_key.clone(),
        width: processed.width,
        height: processed.height,
        bytes,
        at: clock.now(),
    };
    let previous = match store.put_copy(&copy).await {
        Ok(p) => p,
        Err(e) => {
            let _ = blobs.delete(&photo_key).await;
            let _ = blobs.delete(&thumb_key).await;
            return Err(e.into());
        }
    };
    if let Some(old) = previous {
        remove_replaced(blobs, &old).await;
    }
    Ok(copy)
}

/// Removes a replaced copy's photos. The new copy stands either way: a photo that cannot be
/// removed now is only logged (it is no longer referenced, and never served).
async fn remove_replaced(blobs: &dyn Blobs, old: &Copy) {
    for key in [&old.photo_key, &old.thumb_key] {
        if let Err(e) = blobs.delete(key).await {
            tracing::warn!(key = key.as_str(), error = format!("{e:#}"), "could not remove a replaced photo");
        }
    }
}

#[cfg(test)]
mod tests;
