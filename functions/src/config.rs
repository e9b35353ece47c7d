//! Configuration, read from the environment once (`../shared/API.md`): where the store and the
//! blobs are, the token secret, the catalog, the sensitive-word list.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// Where records are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    Sqlite(PathBuf),
    /// DynamoDB table (the production adapter arrives with the production issue).
    Dynamodb(String),
}

/// Where photos are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobsConfig {
    Dir(PathBuf),
    /// S3 bucket and key prefix (with the production issue).
    S3 {
        bucket: String,
        prefix: String,
    },
}

impl StoreConfig {
    /// `sqlite:<path>` or `dynamodb:<table>`.
    pub fn parse(s: &str) -> anyhow::Result<StoreConfig> {
        match s.split_once(':') {
            Some(("sqlite", p)) if !p.is_empty() => Ok(StoreConfig::Sqlite(PathBuf::from(p))),
            Some(("dynamodb", t)) if !t.is_empty() => Ok(StoreConfig::Dynamodb(t.to_string())),
            _ => bail!("ZHIBU_STORE must be sqlite:<path> or dynamodb:<table>, not {s:?}"),
        }
    }
}

impl BlobsConfig {
    /// `dir:<path>` or `s3:<bucket>[/prefix]`.
    pub fn parse(s: &str) -> anyhow::Result<BlobsConfig> {
        match s.split_once(':') {
            Some(("dir", p)) if !p.is_empty() => Ok(BlobsConfig::Dir(PathBuf::from(p))),
            Some(("s3", rest)) if !rest.is_empty() => {
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                Ok(BlobsConfig::S3 {
                    bucket: bucket.to_string(),
                    prefix: prefix.trim_matches('/').to_string(),
                })
            }
            _ => bail!("ZHIBU_BLOBS must be dir:<path> or s3:<bucket>[/prefix], not {s:?}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub store: StoreConfig,
    pub blobs: BlobsConfig,
    pub token_secret: Vec<u8>,
    pub catalog: PathBuf,
    pub sensitive_words: Option<PathBuf>,
    /// `ZHIBU_CLIENT_IP_HEADER`: the header a trusted proxy writes the client's address into.
    pub client_ip_header: Option<String>,
}

impl Config {
    /// From `ZHIBU_*` variables, with local defaults under `data_dir` (`.zhibu/`): the store at
    /// `zhibu.sqlite`, photos under `blobs/`, a token secret made once and kept in
    /// `token-secret` (readable only by its owner).
    pub fn from_env(data_dir: &Path) -> anyhow::Result<Config> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let store = match var("ZHIBU_STORE") {
            Some(s) => StoreConfig::parse(&s)?,
            None => StoreConfig::Sqlite(data_dir.join("zhibu.sqlite")),
        };
        let blobs = match var("ZHIBU_BLOBS") {
            Some(s) => BlobsConfig::parse(&s)?,
            None => BlobsConfig::Dir(data_dir.join("blobs")),
        };
        let token_secret = match var("ZHIBU_TOKEN_SECRET") {
            Some(s) => s.into_bytes(),
            None => local_secret(data_dir)?,
        };
        let catalog = var("ZHIBU_CATALOG")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(crate::catalog::DEFAULT_PATH));
        let sensitive_words = var("ZHIBU_SENSITIVE_WORDS").map(PathBuf::from);
        let client_ip_header = var("ZHIBU_CLIENT_IP_HEADER");
        if let Some(name) = &client_ip_header {
            axum::http::HeaderName::try_from(name.trim())
                .with_context(|| format!("ZHIBU_CLIENT_IP_HEADER is not a header name: {name:?}"))?;
        }
        Ok(Config { store, blobs, token_secret, catalog, sensitive_words, client_ip_header })
    }
}

/// The local signing key: made once, kept in the data folder.
fn local_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join("token-secret");
    if let Ok(s) = std::fs::read_to_string(&path)
        && s.trim().len() >= 32
    {
        return Ok(s.trim().as_bytes().to_vec());
    }
    crate::private_files::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let secret = crate::auth::TokenKey::generate_secret();
    write_private(&path, &secret, true).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(secret.into_bytes())
}

/// Writes a file only its owner can read (secrets, access codes). With `replace` false an
/// existing file is an error, never overwritten.
pub fn write_private(path: &Path, text: &str, replace: bool) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if replace {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_and_blob_settings_parse() {
        assert_eq!(
            StoreConfig::parse("sqlite:/d/z.sqlite").unwrap(),
            StoreConfig::Sqlite("/d/z.sqlite".into())
        );
        assert_eq!(StoreConfig::parse("dynamodb:zhibu").unwrap(), StoreConfig::Dynamodb("zhibu".into()));
        assert!(StoreConfig::parse("postgres:x").is_err());
        assert_eq!(
            BlobsConfig::parse("s3:bucket/photos/").unwrap(),
            BlobsConfig::S3 { bucket: "bucket".into(), prefix: "photos".into() }
        );
        assert!(BlobsConfig::parse("dir:").is_err());
    }

    #[test]
    fn the_local_secret_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = local_secret(dir.path()).unwrap();
        let b = local_secret(dir.path()).unwrap();
        assert_eq!(a, b);
        assert!(a.len() >= 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(dir.path().join("token-secret")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
