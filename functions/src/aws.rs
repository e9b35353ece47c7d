//! The AWS SDK's shared configuration: region, credentials and endpoints from the standard
//! environment (`AWS_REGION`, `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_DYNAMODB`, …, profiles,
//! the Lambda role). Production needs no endpoint switch; a local DynamoDB/S3-compatible server
//! is reached by setting `AWS_ENDPOINT_URL*` alone.

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;

pub use aws_config::SdkConfig;

/// The configuration, resolved once per process (the store and the blobs share it, so a Lambda
/// cold start resolves region and credentials once). Throttling and transient errors are
/// retried with exponential backoff and jitter (the SDK's standard mode) up to five attempts.
pub async fn load() -> SdkConfig {
    static CONFIG: tokio::sync::OnceCell<SdkConfig> = tokio::sync::OnceCell::const_new();
    CONFIG.get_or_init(resolve).await.clone()
}

async fn resolve() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(5))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(3))
                .operation_attempt_timeout(Duration::from_secs(10))
                .build(),
        )
        .load()
        .await
}

/// An SDK error under what was being done. The error itself is kept, typed, as the cause: the
/// chain (`{:#}`, as the logs and the command line print it) reads "storing a copy: service
/// error: TransactionCanceledException: …", and a caller can still `downcast_ref` the `SdkError`.
pub fn error<E>(what: &str, e: E) -> anyhow::Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    anyhow::Error::new(e).context(what.to_string())
}

/// A configuration for a DynamoDB/S3-compatible server at `endpoint` with fixed credentials:
/// for the tests and benchmarks against servers on this machine. Production uses [`load`].
pub async fn load_for_endpoint(endpoint: &str, access_key: &str, secret_key: &str) -> SdkConfig {
    let credentials =
        aws_sdk_dynamodb::config::Credentials::new(access_key, secret_key, None, None, "zhibu-local");
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("cn-north-1"))
        .credentials_provider(credentials)
        .retry_config(RetryConfig::standard().with_max_attempts(5))
        .load()
        .await
}
