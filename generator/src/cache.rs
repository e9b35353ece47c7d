//! The incremental-rebuild cache: what one build keeps for the next under `serve`, so that
//! editing one page re-renders only what shows it. It holds each content file's rendered
//! Markdown and every rendered output; it lends them only to a build of the same config,
//! templates, static files and content paths, and the outputs only when no front matter changed.

use std::collections::{HashMap, HashSet};

use crate::content::Library;
use crate::data::SiteData;
use crate::markdown::Rendered;
use crate::render::{RenderCache, Reuse};
use crate::templates::Templates;

/// What a build keeps for the next one. Invalidated as a whole when the config, templates or
/// static files change.
#[derive(Default)]
pub struct Cache {
    /// Config, templates and static files.
    inputs: u64,
    /// Every content file's site path.
    paths: u64,
    /// Content path → (hash of the file, its rendered Markdown).
    markdown: HashMap<String, (u64, Rendered)>,
    /// Content path → hash of its front matter: equal for all means the same structure.
    structure: HashMap<String, u64>,
    render: Option<RenderCache>,
    /// The search index's analysis of each document (kept across any change: it is by content).
    pub search: crate::search::Memo,
    /// Resized images by name (kept across any change: the name is of the source's bytes and
    /// the operation).
    pub images: crate::images::Memo,
}

/// What identifies a build's inputs for the cache, taken once the site is loaded.
pub struct Key {
    inputs: u64,
    paths: u64,
    structure: HashMap<String, u64>,
}

impl Key {
    pub fn of(data: &SiteData, templates: &Templates) -> Key {
        let library = &data.library;
        let structure = (library.pages.iter().map(|p| (p.content_path.clone(), p.front_matter_hash)))
            .chain(library.sections.iter().map(|s| (s.content_path.clone(), s.front_matter_hash)))
            .collect();
        Key { inputs: inputs_fingerprint(data, templates), paths: paths_fingerprint(library), structure }
    }
}

impl Cache {
    /// Forgets everything (the next build is a full one).
    pub fn clear(&mut self) {
        *self = Cache::default();
    }

    /// This cache when it comes from a build of the same inputs and content paths.
    pub fn lend(&self, key: &Key) -> Option<&Cache> {
        (self.inputs == key.inputs && self.paths == key.paths).then_some(self)
    }

    /// Whether every content file's front matter is as it was in the build this cache kept.
    pub fn same_structure(&self, key: &Key) -> bool {
        self.structure == key.structure
    }

    /// The rendered Markdown of `content_path` when its file still has `source_hash` — and, for
    /// a file that calls shortcodes, when no front matter changed anywhere (`same_structure`):
    /// a shortcode may list what other pages declare (an admin page's quiz rounds, events and
    /// campaigns), so its output is stale once another page's front matter changes.
    pub fn markdown(&self, content_path: &str, source_hash: u64, same_structure: bool) -> Option<&Rendered> {
        self.markdown
            .get(content_path)
            .filter(|(hash, r)| {
                *hash == source_hash && !r.uses_images && (same_structure || r.shortcodes.is_empty())
            })
            .map(|(_, r)| r)
    }

    /// The previous outputs and which pages and sections changed since, when no front matter
    /// changed (the same structure: lists, neighbours and taxonomies are as they were).
    pub fn reuse(&self, key: &Key, library: &Library) -> Option<Reuse<'_>> {
        if self.structure != key.structure {
            return None;
        }
        let changed = |path: &str, hash: u64| self.markdown(path, hash, true).is_none();
        let changed_pages: HashSet<usize> = (library.pages.iter().enumerate())
            .filter(|(_, p)| changed(&p.content_path, p.source_hash))
            .map(|(i, _)| i)
            .collect();
        let changed_sections: HashSet<usize> = (library.sections.iter().enumerate())
            .filter(|(_, s)| changed(&s.content_path, s.source_hash))
            .map(|(i, _)| i)
            .collect();
        Some(Reuse { previous: self.render.as_ref()?, changed_pages, changed_sections })
    }

    /// Replaces what the cache holds with what a successful build of `key` produced.
    pub fn keep(&mut self, key: Key, data: &SiteData, render: RenderCache) {
        let library = &data.library;
        let sources = (library.pages.iter().map(|p| (&p.content_path, p.source_hash)))
            .chain(library.sections.iter().map(|s| (&s.content_path, s.source_hash)));
        let markdown = match data.contents.get() {
            Some(contents) => sources
                .zip(contents.pages.iter().chain(contents.sections.iter()))
                .map(|((path, hash), r)| (path.clone(), (hash, r.clone())))
                .collect(),
            None => HashMap::new(),
        };
        *self = Cache {
            inputs: key.inputs,
            paths: key.paths,
            markdown,
            structure: key.structure,
            render: Some(render),
            search: std::mem::take(&mut self.search),
            images: std::mem::take(&mut self.images),
        };
    }
}

fn inputs_fingerprint(data: &SiteData, templates: &Templates) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(data.config_value.to_string().as_bytes());
    h.update(&templates.fingerprint.to_le_bytes());
    for (path, hash) in &data.static_hashes {
        h.update(path.as_bytes());
        h.update(hash.as_bytes());
    }
    h.digest()
}

fn paths_fingerprint(library: &Library) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let items = (library.pages.iter().map(|p| (&p.content_path, &p.path)))
        .chain(library.sections.iter().map(|s| (&s.content_path, &s.path)));
    for (content_path, path) in items {
        h.update(content_path.as_bytes());
        h.update(&[0]);
        h.update(path.as_bytes());
        h.update(&[0]);
    }
    h.digest()
}
