//! Content: pages and sections loaded from `content/`.

pub mod front_matter;
