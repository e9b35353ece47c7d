//! The DynamoDB- and S3-compatible servers that `tests/run.sh` starts on 127.0.0.1 (moto's
//! server; s3s-fs, which checks signatures). Their addresses come in environment variables;
//! under the test command (`ZHIBU_TEST_SERVERS_REQUIRED=1`) a missing one fails the test.

#![allow(dead_code)]

use zhibu_functions::aws;

/// Access key and secret that s3s-fs is started with (moto accepts any).
pub const ACCESS_KEY: &str = "zhibu-test";
pub const SECRET_KEY: &str = "zhibu-test-secret-key";

fn endpoint(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("ZHIBU_TEST_SERVERS_REQUIRED").is_none(),
                "{var} is not set: `bash tests/run.sh` starts the servers and sets it"
            );
            eprintln!("skipped: {var} is not set (run `bash tests/run.sh`, which starts the servers)");
            None
        }
    }
}

async fn config(var: &str) -> Option<aws::SdkConfig> {
    let url = endpoint(var)?;
    Some(aws::load_for_endpoint(&url, ACCESS_KEY, SECRET_KEY).await)
}

/// moto's server (DynamoDB with transactions).
pub async fn dynamodb() -> Option<aws::SdkConfig> {
    config("ZHIBU_TEST_DYNAMODB").await
}

/// moto's server (S3).
pub async fn moto_s3() -> Option<aws::SdkConfig> {
    config("ZHIBU_TEST_MOTO_S3").await
}

/// s3s-fs (S3 with signature checks).
pub async fn s3s_fs() -> Option<aws::SdkConfig> {
    config("ZHIBU_TEST_S3S").await
}

/// A name no other test uses: tables and buckets are per test.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}
