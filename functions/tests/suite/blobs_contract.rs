//! The blob contract: one generic suite for every `Blobs` adapter, run against the folder and
//! against S3 (s3s-fs, which checks signatures, and moto; both started by `tests/run.sh`).

#![allow(clippy::unwrap_used)]

use zhibu_functions::blobs::Blobs;
use zhibu_functions::blobs::dir::DirBlobs;

#[cfg(feature = "aws")]
use crate::servers;

async fn conforms(blobs: &dyn Blobs) {
    let key = "copies/constitution-100/m001/1-abc.jpg";
    assert_eq!(blobs.get(key).await.unwrap(), None);
    blobs.put(key, vec![1, 2, 3], "image/jpeg").await.unwrap();
    assert_eq!(blobs.get(key).await.unwrap(), Some(vec![1, 2, 3]));
    blobs.put(key, vec![4, 5], "image/jpeg").await.unwrap();
    assert_eq!(blobs.get(key).await.unwrap(), Some(vec![4, 5]), "a put replaces");
    blobs.put("copies/a/m002/2-x-thumb.jpg", vec![7], "image/jpeg").await.unwrap();
    assert_eq!(blobs.keys().await.unwrap(), vec!["copies/a/m002/2-x-thumb.jpg".to_string(), key.to_string()]);
    blobs.delete("copies/a/m002/2-x-thumb.jpg").await.unwrap();
    blobs.delete(key).await.unwrap();
    assert_eq!(blobs.get(key).await.unwrap(), None);
    assert!(blobs.keys().await.unwrap().is_empty());
    blobs.delete(key).await.unwrap();
    for bad in ["../escape.jpg", "/abs.jpg", "a//b.jpg", ""] {
        assert!(blobs.put(bad, vec![0], "image/jpeg").await.is_err(), "{bad:?} must be refused");
        assert!(blobs.get(bad).await.is_err(), "{bad:?} must be refused");
    }
}

#[tokio::test]
async fn folder_blobs_conform() {
    let dir = tempfile::tempdir().unwrap();
    conforms(&DirBlobs::open(dir.path()).unwrap()).await;
    let outside = dir.path().parent().unwrap().join("escape.jpg");
    assert!(!outside.exists(), "nothing was written outside the folder");
}

/// Photos in a folder are the server user's only: folders 0700, files 0600.
#[cfg(unix)]
#[tokio::test]
async fn folder_photos_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("blobs");
    let blobs = DirBlobs::open(&root).unwrap();
    blobs.put("copies/c/m001/1-a.jpg", vec![1], "image/jpeg").await.unwrap();
    assert_eq!(mode(&root), 0o700);
    assert_eq!(mode(&root.join("copies/c/m001")), 0o700);
    assert_eq!(mode(&root.join("copies/c/m001/1-a.jpg")), 0o600);
}

#[cfg(feature = "aws")]
async fn s3_blobs_conform(config: zhibu_functions::aws::SdkConfig) {
    use zhibu_functions::blobs::s3::S3Blobs;
    let bucket = servers::unique("photos");
    let blobs = S3Blobs::new(&config, &bucket, "branch-a");
    assert!(blobs.ensure_bucket().await.unwrap(), "the bucket is created");
    assert!(!blobs.ensure_bucket().await.unwrap(), "and found the second time");
    conforms(&blobs).await;
    // A second prefix in the same bucket is a separate store.
    let other = S3Blobs::new(&config, &bucket, "branch-b");
    blobs.put("copies/x/m001/1-a.jpg", vec![9], "image/jpeg").await.unwrap();
    assert_eq!(other.get("copies/x/m001/1-a.jpg").await.unwrap(), None);
    assert!(other.keys().await.unwrap().is_empty());
    // Wrong credentials are refused by a server that checks signatures.
    let wrong = zhibu_functions::aws::load_for_endpoint(
        config.endpoint_url().unwrap(),
        servers::ACCESS_KEY,
        "not-the-secret",
    )
    .await;
    let intruder = S3Blobs::new(&wrong, &bucket, "branch-a");
    let refused = intruder.get("copies/x/m001/1-a.jpg").await;
    if config.endpoint_url() == std::env::var("ZHIBU_TEST_S3S").ok().as_deref() {
        assert!(refused.is_err(), "s3s-fs checks signatures");
    }
}

#[cfg(feature = "aws")]
#[tokio::test]
async fn s3_blobs_conform_on_s3s_fs() {
    if let Some(config) = servers::s3s_fs().await {
        s3_blobs_conform(config).await;
    }
}

#[cfg(feature = "aws")]
#[tokio::test]
async fn s3_blobs_conform_on_moto() {
    if let Some(config) = servers::moto_s3().await {
        s3_blobs_conform(config).await;
    }
}
