//! One module per subcommand, each a thin call into the libraries.

pub mod admin;
pub mod build;
pub mod check;
pub mod members;
pub mod serve;

use zhibu_generator::BuildOptions;

use crate::cli::SiteArgs;

pub fn options(site: &SiteArgs, base_url: Option<String>) -> BuildOptions {
    BuildOptions { root: site.root.clone(), base_url, drafts: site.drafts }
}

/// The async runtime for commands that talk to the store.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}
