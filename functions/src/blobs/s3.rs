//! Photos in a private S3 bucket under a key prefix. Nothing is public: the functions stream a
//! photo only to its owner and to admins (`GET /api/photos/{key}` with a signed, expiring URL).

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};

use super::{Blobs, valid_key};
use crate::aws;

pub struct S3Blobs {
    client: Client,
    bucket: String,
    prefix: String,
}

impl S3Blobs {
    /// Path-style addressing is used only when an endpoint override points at an S3-compatible
    /// server (`AWS_ENDPOINT_URL_S3`); AWS itself gets virtual-hosted style.
    pub fn new(config: &aws::SdkConfig, bucket: &str, prefix: &str) -> S3Blobs {
        let path_style = config.endpoint_url().is_some() || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
        let s3 = aws_sdk_s3::config::Builder::from(config).force_path_style(path_style).build();
        S3Blobs {
            client: Client::from_conf(s3),
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
        }
    }

    fn object(&self, key: &str) -> anyhow::Result<String> {
        anyhow::ensure!(valid_key(key), "invalid blob key {key:?}");
        Ok(if self.prefix.is_empty() { key.to_string() } else { format!("{}/{key}", self.prefix) })
    }

    /// Creates the bucket if it is missing; safe to run again. New buckets are private (S3
    /// blocks public access and disables ACLs by default). Returns true when it was created.
    pub async fn ensure_bucket(&self) -> anyhow::Result<bool> {
        match self.client.head_bucket().bucket(&self.bucket).send().await {
            Ok(_) => return Ok(false),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => {}
            Err(e) => return Err(aws::error(&format!("checking bucket {}", self.bucket), e)),
        }
        let mut request = self.client.create_bucket().bucket(&self.bucket);
        let region = self.client.config().region().map(|r| r.to_string());
        if let Some(region) = region.filter(|r| r != "us-east-1") {
            request = request.create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::from(region.as_str()))
                    .build(),
            );
        }
        match request.send().await {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_bucket_already_owned_by_you()) => Ok(false),
            Err(e) => Err(aws::error(&format!("creating bucket {}", self.bucket), e)),
        }
    }
}

#[async_trait]
impl Blobs for S3Blobs {
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> anyhow::Result<()> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(self.object(key)?)
            .content_type(content_type)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| aws::error(&format!("storing {key}"), e))?;
        Ok(())
    }

    async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let result = self.client.get_object().bucket(&self.bucket).key(self.object(key)?).send().await;
        match result {
            Ok(out) => {
                let body = out.body.collect().await.map_err(|e| aws::error(&format!("reading {key}"), e))?;
                Ok(Some(body.into_bytes().to_vec()))
            }
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => Ok(None),
            Err(e) => Err(aws::error(&format!("reading {key}"), e)),
        }
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        // S3 answers success for a missing key.
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(self.object(key)?)
            .send()
            .await
            .map_err(|e| aws::error(&format!("removing {key}"), e))?;
        Ok(())
    }

    async fn keys(&self) -> anyhow::Result<Vec<String>> {
        let prefix = if self.prefix.is_empty() { String::new() } else { format!("{}/", self.prefix) };
        let pages: Vec<_> = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(&prefix)
            .into_paginator()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| aws::error(&format!("listing bucket {}", self.bucket), e))?;
        let mut keys: Vec<String> = pages
            .iter()
            .flat_map(|page| page.contents())
            .filter_map(|o| o.key())
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(str::to_string)
            .collect();
        keys.sort();
        Ok(keys)
    }
}
