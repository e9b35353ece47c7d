//! The blob contract: one generic suite for every `Blobs` adapter. Run here against the folder
//! adapter; S3 joins it with the production issue.

#![allow(clippy::unwrap_used)]

use zhibu_functions::blobs::Blobs;
use zhibu_functions::blobs::dir::DirBlobs;

async fn conforms(blobs: &dyn Blobs) {
    let key = "copies/constitution-100/m001/1-abc.jpg";
    assert_eq!(blobs.get(key).await.unwrap(), None);
    blobs.put(key, vec![1, 2, 3], "image/jpeg").await.unwrap();
    assert_eq!(blobs.get(key).await.unwrap(), Some(vec![1, 2, 3]));
    blobs.put(key, vec![4, 5], "image/jpeg").await.unwrap();
    assert_eq!(blobs.get(key).await.unwrap(), Some(vec![4, 5]), "a put replaces");
    blobs.delete(key).await.unwrap();
    assert_eq!(blobs.get(key).await.unwrap(), None);
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
