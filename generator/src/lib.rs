//! zhibu's site generator: Markdown content with TOML front matter, rendered with
//! pulldown-cmark and laid out with tera templates, the way Zola does it.
//!
//! Two phases: [`site::Site::load`] reads everything into an immutable library, then
//! [`site::Site::render`] produces every output file in memory (in parallel), and only then
//! [`output::sync`] writes what changed. A failed build writes nothing.

pub mod config;
pub mod content;
pub mod markdown;
pub mod problems;
pub mod reading;
pub mod slug;
