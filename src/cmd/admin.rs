//! `zhibu admin init`: create what the configured store and blobs need; safe to run again.

use zhibu_functions::{app, config};

use crate::cli::InitArgs;

pub fn init(args: &InitArgs) -> anyhow::Result<()> {
    let config = config::Config::from_env(&args.data)?;
    // Opening creates the SQLite schema and the photo folder when they are missing and leaves
    // existing data alone.
    app::open_store(&config.store)?;
    app::open_blobs(&config.blobs)?;
    eprintln!("Ready: store {}, photos {}", describe_store(&config.store), describe_blobs(&config.blobs));
    Ok(())
}

fn describe_store(s: &config::StoreConfig) -> String {
    match s {
        config::StoreConfig::Sqlite(p) => format!("sqlite:{}", p.display()),
        config::StoreConfig::Dynamodb(t) => format!("dynamodb:{t}"),
    }
}

fn describe_blobs(b: &config::BlobsConfig) -> String {
    match b {
        config::BlobsConfig::Dir(p) => format!("dir:{}", p.display()),
        config::BlobsConfig::S3 { bucket, prefix } => format!("s3:{bucket}/{prefix}"),
    }
}
