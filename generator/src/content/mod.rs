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
