//! Content: pages and sections loaded from `content/`, assembled into a [`library::Library`].

pub mod checks;
pub mod front_matter;
pub mod library;
pub mod load;
pub mod page;
pub mod section;

pub use library::{Item, Library, Taxonomy, Term};
pub use page::Page;
pub use section::Section;

/// Where an asset goes below its page's or section's URL: its path below the folder of the
/// `index.md` or `_index.md` (`img/x.png`), with `/`.
pub fn asset_path(dir: Option<&std::path::Path>, asset: &std::path::Path) -> String {
    let below = dir.and_then(|d| asset.strip_prefix(d).ok());
    match below {
        Some(p) => p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
        None => asset.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
    }
}
