//! One module per subcommand, each a thin call into the libraries.

pub mod admin;
pub mod build;
pub mod check;
pub mod dues;
pub mod members;
pub mod notes;
pub mod report;
pub mod run;
pub mod serve;

use zhibu_generator::BuildOptions;

use crate::cli::SiteArgs;

/// How to build the site, and the language of the run's messages: `ZHIBU_LANG`, else the site's
/// `default_language`.
pub fn options(site: &SiteArgs, base_url: Option<String>) -> BuildOptions {
    let zhibu_lang = std::env::var("ZHIBU_LANG").ok();
    let lang = zhibu_generator::config::messages_lang(&site.root, zhibu_lang.as_deref());
    crate::progress::set_lang(lang);
    BuildOptions { root: site.root.clone(), base_url, drafts: site.drafts, lang, ..Default::default() }
}

/// The async runtime for commands that talk to the store.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// The configured store and blobs (from ZHIBU_STORE / ZHIBU_BLOBS, else under `--data`).
pub struct Backends {
    pub runtime: tokio::runtime::Runtime,
    pub store: std::sync::Arc<dyn zhibu_functions::store::Store>,
    pub blobs: std::sync::Arc<dyn zhibu_functions::blobs::Blobs>,
}

pub fn backends(data: &std::path::Path) -> anyhow::Result<Backends> {
    let config = zhibu_functions::config::Config::from_env(data)?;
    let runtime = runtime()?;
    let store = runtime.block_on(zhibu_functions::app::open_store(&config.store))?;
    let blobs = runtime.block_on(zhibu_functions::app::open_blobs(&config.blobs))?;
    Ok(Backends { runtime, store, blobs })
}

/// Now, in the branch's zone.
pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    use zhibu_functions::clock::Clock as _;
    zhibu_functions::clock::SystemClock.now()
}

/// The catalog of events, campaigns, quizzes and note pages: the given file, else
/// ZHIBU_CATALOG, else the last build's `.zhibu/zhibu-catalog.json`.
pub fn catalog(
    given: Option<&std::path::Path>,
    data: &std::path::Path,
) -> anyhow::Result<zhibu_functions::catalog::Catalog> {
    let path = match given {
        Some(p) => p.to_path_buf(),
        None => zhibu_functions::config::Config::from_env(data)?.catalog,
    };
    zhibu_functions::catalog::Catalog::from_file(&path)
}
