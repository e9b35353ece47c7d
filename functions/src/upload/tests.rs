//! The upload sequence without a router: over an in-memory copy store and blob store that can
//! be told to fail, so the cleanup of every failed step is seen.

use std::collections::BTreeMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::*;
use crate::catalog::Campaign;
use crate::clock::FixedClock;
use crate::store::StoreResult;

#[derive(Default)]
struct Copies {
    copies: Mutex<Vec<Copy>>,
    fail: Mutex<bool>,
}

#[async_trait]
impl CopyStore for Copies {
    async fn put_copy(&self, copy: &Copy) -> StoreResult<Option<Copy>> {
        anyhow::ensure!(!*self.fail.lock().unwrap(), "the store is down");
        let mut copies = self.copies.lock().unwrap();
        let same =
            |c: &Copy| c.campaign == copy.campaign && c.member_id == copy.member_id && c.day == copy.day;
        let previous = copies.iter().position(same).map(|i| copies.remove(i));
        copies.push(copy.clone());
        Ok(previous)
    }
    async fn copies_of(&self, id: &MemberId, campaign: &str) -> StoreResult<Vec<Copy>> {
        let copies = self.copies.lock().unwrap();
        Ok(copies.iter().filter(|c| &c.member_id == id && c.campaign == campaign).cloned().collect())
    }
    async fn copies_of_campaign(&self, campaign: &str) -> StoreResult<Vec<Copy>> {
        Ok(self.copies.lock().unwrap().iter().filter(|c| c.campaign == campaign).cloned().collect())
    }
    async fn copies_of_member(&self, id: &MemberId) -> StoreResult<Vec<Copy>> {
        Ok(self.copies.lock().unwrap().iter().filter(|c| &c.member_id == id).cloned().collect())
    }
    async fn copy_by_key(&self, key: &str) -> StoreResult<Option<Copy>> {
        let copies = self.copies.lock().unwrap();
        Ok(copies.iter().find(|c| c.photo_key == key || c.thumb_key == key).cloned())
    }
}

/// Blobs in memory; `fail_puts_after` lets that many puts succeed, then refuses the rest.
#[derive(Default)]
struct Memory {
    blobs: Mutex<BTreeMap<String, Vec<u8>>>,
    fail_puts_after: Mutex<Option<usize>>,
}

impl Memory {
    fn keys(&self) -> Vec<String> {
        self.blobs.lock().unwrap().keys().cloned().collect()
    }
}

#[async_trait]
impl Blobs for Memory {
    async fn put(&self, key: &str, bytes: Vec<u8>, _content_type: &str) -> anyhow::Result<()> {
        let mut budget = self.fail_puts_after.lock().unwrap();
        if let Some(n) = budget.as_mut() {
            anyhow::ensure!(*n > 0, "the bucket is down");
            *n -= 1;
        }
        self.blobs.lock().unwrap().insert(key.to_string(), bytes);
        Ok(())
    }
    async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        Ok(self.blobs.lock().unwrap().get(key).cloned())
    }
    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        self.blobs.lock().unwrap().remove(key);
        Ok(())
    }
    async fn keys(&self) -> anyhow::Result<Vec<String>> {
        Ok(Memory::keys(self))
    }
}

const CAMPAIGN: &str = "constitution-100";

fn catalog() -> Catalog {
    let campaign = Campaign {
        id: CAMPAIGN.into(),
        title: "手抄党章100天".into(),
        page: "/campaigns/copy/".into(),
        starts: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        days: 100,
    };
    Catalog { campaigns: [(CAMPAIGN.to_string(), campaign)].into(), ..Catalog::default() }
}

/// Day 9 of the campaign.
fn clock() -> FixedClock {
    FixedClock::at("2026-12-09T19:30:00+08:00")
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn form(campaign: &str, day: &str, photo: Vec<u8>) -> CopyUpload {
    CopyForm { campaign: Some(campaign.into()), day: Some(day.into()), photo: Some(photo) }.check().unwrap()
}

/// A copy's two blobs, in key order.
fn blobs_of(copy: &Copy) -> Vec<String> {
    let mut keys = vec![copy.photo_key.clone(), copy.thumb_key.clone()];
    keys.sort();
    keys
}

fn m001() -> MemberId {
    MemberId::parse("m001").unwrap()
}

async fn upload(store: &Copies, blobs: &Memory, day: &str, photo: Vec<u8>) -> Result<Copy, UploadError> {
    upload_copy(store, blobs, &catalog(), &clock(), &m001(), form(CAMPAIGN, day, photo)).await
}

#[test]
fn a_form_names_every_missing_field() {
    let errors = CopyForm::default().check().unwrap_err();
    let named: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.message.as_str())).collect();
    assert_eq!(named, [("campaign", "缺少活动编号"), ("day", "缺少天数"), ("photo", "请选择照片")]);
    let bad = CopyForm { campaign: Some("NO".into()), day: Some("1".into()), photo: Some(vec![]) };
    let fields: Vec<String> = bad.check().unwrap_err().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["campaign", "photo"], "a bad id, and an empty photo is no photo");
    assert_eq!(form(CAMPAIGN, "3", vec![1, 2, 3]).photo_len(), 3);
}

#[tokio::test]
async fn a_copy_is_stored_with_its_photo_and_thumbnail() {
    let (store, blobs) = (Copies::default(), Memory::default());
    let copy = upload(&store, &blobs, "3", png(400, 300)).await.unwrap();
    assert_eq!((copy.campaign.as_str(), copy.day, copy.width, copy.height), (CAMPAIGN, 3, 400, 300));
    assert_eq!(copy.at, clock().now());
    assert!(copy.photo_key.starts_with("copies/constitution-100/m001/3-"), "{}", copy.photo_key);
    assert_eq!(blobs.keys(), blobs_of(&copy));
    let stored = blobs.blobs.lock().unwrap()[&copy.photo_key].clone();
    assert_eq!(
        (&stored[..3], stored.len() as u64),
        (&[0xFF, 0xD8, 0xFF][..], copy.bytes),
        "a JPEG, re-encoded"
    );
    assert_eq!(store.copies_of(&m001(), CAMPAIGN).await.unwrap(), [copy]);
}

#[tokio::test]
async fn a_repeat_replaces_the_copy_and_removes_the_old_photos() {
    let (store, blobs) = (Copies::default(), Memory::default());
    let first = upload(&store, &blobs, "3", png(100, 100)).await.unwrap();
    let second = upload(&store, &blobs, "3", png(120, 100)).await.unwrap();
    assert_ne!(first.photo_key, second.photo_key);
    assert_eq!(blobs.keys(), blobs_of(&second));
    assert_eq!(store.copies_of(&m001(), CAMPAIGN).await.unwrap(), [second]);
}

#[tokio::test]
async fn days_must_be_of_the_campaign_and_have_come() {
    let (store, blobs) = (Copies::default(), Memory::default());
    assert!(upload(&store, &blobs, "9", png(50, 50)).await.is_ok(), "today");
    assert!(matches!(upload(&store, &blobs, "10", png(50, 50)).await, Err(UploadError::DayNotYet(10))));
    for day in ["0", "101", "x"] {
        let Err(UploadError::Day(e)) = upload(&store, &blobs, day, png(50, 50)).await else {
            panic!("{day}")
        };
        assert_eq!(e.field, "day");
    }
    let unknown =
        upload_copy(&store, &blobs, &catalog(), &clock(), &m001(), form("no-such", "1", png(50, 50))).await;
    assert!(matches!(unknown, Err(UploadError::UnknownCampaign(c)) if c == "no-such"));
    assert_eq!(blobs.keys().len(), 2, "only the day-9 copy's photos");
}

#[tokio::test]
async fn bytes_that_are_not_an_image_are_refused_before_decoding() {
    let (store, blobs) = (Copies::default(), Memory::default());
    let refused = upload(&store, &blobs, "1", b"GIF89a, or any other bytes".to_vec()).await;
    assert!(matches!(refused, Err(UploadError::Photo(PhotoError::NotAnImage))));
    assert!(blobs.keys().is_empty() && store.copies_of_member(&m001()).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_thumbnail_that_cannot_be_stored_takes_its_photo_with_it() {
    let (store, blobs) = (Copies::default(), Memory::default());
    *blobs.fail_puts_after.lock().unwrap() = Some(1);
    assert!(matches!(upload(&store, &blobs, "1", png(50, 50)).await, Err(UploadError::Failed(_))));
    assert!(blobs.keys().is_empty(), "the photo stored first is removed again");
    assert!(store.copies_of_member(&m001()).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_record_that_cannot_be_written_leaves_the_previous_copy_intact() {
    let (store, blobs) = (Copies::default(), Memory::default());
    let first = upload(&store, &blobs, "2", png(50, 50)).await.unwrap();
    *store.fail.lock().unwrap() = true;
    assert!(matches!(upload(&store, &blobs, "2", png(60, 50)).await, Err(UploadError::Failed(_))));
    assert_eq!(blobs.keys(), blobs_of(&first), "the new blobs are gone");
    assert_eq!(store.copies_of(&m001(), CAMPAIGN).await.unwrap(), [first]);
}
