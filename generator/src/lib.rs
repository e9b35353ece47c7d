//! zhibu's site generator: Markdown content with TOML front matter, rendered with
//! pulldown-cmark and laid out with tera templates, the way Zola does it.
//!
//! Two phases: [`site::Site::load`] reads everything into an immutable library, then
//! [`site::Site::render`] produces every output file in memory (in parallel), and only then
//! [`output::sync`] writes what changed. A failed build writes nothing.

pub mod catalog;
pub mod config;
pub mod content;
pub mod links;
pub mod markdown;
pub mod output;
pub mod problems;
pub mod reading;
pub mod render;
pub mod serialize;
pub mod site;
pub mod slug;
pub mod templates;

pub use problems::{BuildError, Problem};
pub use site::{BuildOptions, Built, Progress, Silent, build};
