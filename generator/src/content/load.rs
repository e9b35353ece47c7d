//! Reading `content/` from disk: the only IO of content loading. Parsing is done in parallel
//! and every file's problems are collected before giving up.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::library::Library;
use super::page::Page;
use super::section::Section;
use crate::config::Config;
use crate::problems::{BuildError, Problem, Problems, Warnings};

enum Parsed {
    Page(Page),
    Section(Section),
}

/// Loads every page and section under `root/content`.
pub fn load(root: &Path, config: &Config, drafts: bool) -> Result<(Library, Warnings), BuildError> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Problem::new(format!("there is no content/ folder in {}", root.display())).into());
    }
    let mut markdown = Vec::new();
    let mut others: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut problems = Problems::default();
    let ignored = config.ignored_content_globs().map_err(Problem::new)?;
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Problem::new(format!("cannot read content/: {e}")));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        if ignored.is_match(entry.path().strip_prefix(&content).unwrap_or(entry.path())) {
            continue;
        }
        if name.ends_with(".md") {
            markdown.push(rel);
        } else if let Some(dir) = rel.parent() {
            others.entry(dir.to_path_buf()).or_default().push(rel.clone());
        }
    }

    let parsed: Vec<Result<(Parsed, Warnings), Problem>> = markdown
        .par_iter()
        .map(|rel| {
            let text = std::fs::read_to_string(root.join(rel))
                .map_err(|e| Problem::in_file(rel, format!("cannot read: {e}")))?;
            let content_path =
                rel.strip_prefix("content").unwrap_or(rel).to_string_lossy().replace('\\', "/");
            if rel.file_name().is_some_and(|n| n == "_index.md") {
                Section::parse(rel, &content_path, text).map(|(s, w)| (Parsed::Section(s), w))
            } else {
                Page::parse(rel, &content_path, text).map(|(p, w)| (Parsed::Page(p), w))
            }
        })
        .collect();

    let mut warnings = Vec::new();
    let mut pages = Vec::new();
    let mut sections = Vec::new();
    for r in parsed {
        match r {
            Ok((Parsed::Page(p), w)) => {
                warnings.extend(w);
                if !p.meta.draft || drafts {
                    pages.push(p);
                }
            }
            Ok((Parsed::Section(s), w)) => {
                warnings.extend(w);
                if !s.meta.draft || drafts {
                    sections.push(s);
                }
            }
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(problems.into_error());
    }

    // Files beside an index.md belong to that bundle; beside an _index.md, to the section.
    for page in pages.iter_mut() {
        if let Some(dir) = &page.bundle_dir
            && let Some(files) = others.remove(dir)
        {
            page.assets = files;
        }
    }
    for section in sections.iter_mut() {
        if let Some(dir) = section.file.parent()
            && let Some(files) = others.remove(dir)
        {
            section.assets = files;
        }
    }
    for (dir, files) in others {
        for f in files {
            warnings.push(Problem::in_file(
                &f,
                format!("file is not copied: {} has no index.md or _index.md to own it", dir.display()),
            ));
        }
    }

    let (library, problems) = Library::assemble(config, sections, pages);
    problems.into_result((library, warnings))
}
