//! The data a build shares: [`SiteData`] (config, library, rendered Markdown, static files)
//! that every template render reads by reference, and [`OutputFile`], what every render returns.
//! Plain data, no pipeline: the modules that render from it depend on this one, never the other
//! way round.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use crate::config::Config;
use crate::content::Library;
use crate::markdown::Rendered;

/// Rendered Markdown of every page and section, by index.
#[derive(Debug, Default)]
pub struct Contents {
    pub pages: Vec<Rendered>,
    pub sections: Vec<Rendered>,
}

/// Everything templates may read, shared by reference by every render.
pub struct SiteData {
    pub root: PathBuf,
    pub config: Config,
    pub config_value: Value,
    /// `config` as templates of pages in each other language see it (their title, feeds, …).
    pub language_config_values: BTreeMap<String, Value>,
    pub library: Library,
    pub contents: OnceLock<Contents>,
    /// Static file or compiled Sass (relative path) → content hash, for
    /// `get_url(cachebust=true)`.
    pub static_hashes: BTreeMap<String, String>,
    /// Static file (relative path) → absolute source, site over theme.
    pub static_files: BTreeMap<String, PathBuf>,
    /// CSS compiled from the theme's and the site's `sass/` (output path → CSS).
    pub sass_css: BTreeMap<String, Vec<u8>>,
    /// The resizes templates ask for, made after rendering.
    pub images: crate::images::Images,
}

impl SiteData {
    /// What templates of a page in `lang` see as `config`.
    pub fn config_value_for(&self, lang: &str) -> &Value {
        self.language_config_values.get(lang).unwrap_or(&self.config_value)
    }

    /// The permalink of a content file named as in `@/notices/a.md` (without the `@/`).
    pub fn permalink_of(&self, content_path: &str) -> Option<String> {
        let item = self.library.get(content_path)?;
        Some(self.config.make_permalink(self.library.path_of(item)))
    }
}

/// One file of the output.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Vec<u8>),
    /// Copied from this file as is.
    Copy(PathBuf),
}
