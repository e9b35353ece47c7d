//! Reading `content/` from disk: the only IO of content loading. Parsing is done in parallel
//! and every file's problems are collected; a file with problems in its front matter is still
//! loaded as far as it can be read, so that the rest of the site (and the rest of that file) is
//! checked in the same run.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::checks;
use super::front_matter::Elsewhere;
use super::library::Library;
use super::page::{Page, language_in_name, without_language};
use super::section::Section;
use crate::config::Config;
use crate::messages;
use crate::problems::{BuildError, Problem, Problems, Warnings};

enum Parsed {
    Page(Page),
    Section(Section),
}

/// Loads every page and section under `root/content`: the library, its warnings and the
/// problems of its files. Only a site without `content/` (or a bad `ignored_content`) stops here.
/// `elsewhere` says where keys that are not front-matter keys belong, for their messages.
pub fn load(
    root: &Path,
    config: &Config,
    drafts: bool,
    elsewhere: &Elsewhere,
) -> Result<(Library, Warnings, Problems), BuildError> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Problem::new(messages::no_content_folder(&root.display().to_string())).into());
    }
    let mut markdown = Vec::new();
    let mut others: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    // Every file and folder, relative to the site root, for the checks of their names.
    let mut names: Vec<(PathBuf, bool)> = Vec::new();
    let mut problems = Problems::default();
    let ignored = config.ignored_content_globs().map_err(Problem::new)?;
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Problem::new(messages::cannot_read_folder("content/", &e.to_string())));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        if ignored.is_match(entry.path().strip_prefix(&content).unwrap_or(entry.path())) {
            continue;
        }
        if entry.depth() > 0 {
            names.push((rel.clone(), entry.file_type().is_dir()));
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if name.ends_with(".md") {
            markdown.push(rel);
        } else if let Some(dir) = rel.parent() {
            others.entry(dir.to_path_buf()).or_default().push(rel.clone());
        }
    }

    type Result3 = Result<(Parsed, Warnings, Vec<Problem>), Problem>;
    let languages: Vec<&str> = config.other_languages().collect();
    let parsed: Vec<(String, Result3)> = markdown
        .par_iter()
        .map(|rel| {
            let content_path =
                rel.strip_prefix("content").unwrap_or(rel).to_string_lossy().replace('\\', "/");
            let read = || -> Result3 {
                let lang = language_in_name(&content_path, &config.default_language, &languages).map_err(
                    |code| Problem::in_file(rel, messages::language_not_declared(code, &languages)),
                )?;
                let text = std::fs::read_to_string(root.join(rel))
                    .map_err(|e| Problem::in_file(rel, messages::cannot_read_file(&e.to_string())))?;
                let canonical = lang.map(|code| without_language(&content_path, code));
                let name = canonical.as_deref().unwrap_or(&content_path).rsplit('/').next().unwrap_or("");
                if name == "_index.md" {
                    Section::parse_all(rel, &content_path, lang, text, elsewhere)
                        .map(|(s, w, p)| (Parsed::Section(s), w, p))
                } else {
                    let modified = std::fs::metadata(root.join(rel)).and_then(|m| m.modified()).ok();
                    Page::parse_all(rel, &content_path, lang, text, elsewhere).map(|(mut page, w, p)| {
                        page.modified = modified;
                        (Parsed::Page(page), w, p)
                    })
                }
            };
            (content_path.clone(), read())
        })
        .collect();

    let mut warnings = Vec::new();
    let mut pages = Vec::new();
    let mut sections = Vec::new();
    // Files that could not be read at all: links to them are not reported as broken as well.
    let mut unreadable = HashSet::new();
    // Folders of draft sections: as in Zola, everything under them is a draft too.
    let mut draft_dirs: Vec<String> = Vec::new();
    for (content_path, r) in parsed {
        match r {
            Ok((Parsed::Page(p), w, found)) => {
                warnings.extend(w);
                problems.extend(found);
                if !p.meta.draft || drafts {
                    pages.push(p);
                }
            }
            Ok((Parsed::Section(s), w, found)) => {
                warnings.extend(w);
                problems.extend(found);
                if !s.meta.draft || drafts {
                    sections.push(s);
                } else if !s.dir.is_empty() {
                    draft_dirs.push(format!("{}/", s.dir));
                }
            }
            Err(p) => {
                problems.push(p);
                unreadable.insert(content_path);
            }
        }
    }

    if !draft_dirs.is_empty() {
        let under_draft = |path: &str| draft_dirs.iter().any(|d| path.starts_with(d.as_str()));
        pages.retain(|p| !under_draft(&p.content_path));
        sections.retain(|s| !under_draft(&s.content_path));
    }

    // Files beside an index.md belong to that bundle, and so do the files in folders below it
    // (`content/a/img/x.png` is `a/img/x.png` of `content/a/index.md`), as in Zola; files beside
    // an _index.md belong to the section, but not those in its folders without an index.md.
    // A bundle or section written in several languages shares its files among them.
    let mut bundles: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        if let Some(dir) = &p.bundle_dir {
            bundles.entry(dir.clone()).or_default().push(i);
        }
    }
    let mut section_dirs: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (i, s) in sections.iter().enumerate() {
        if let Some(dir) = s.file.parent() {
            section_dirs.entry(dir.to_path_buf()).or_default().push(i);
        }
    }
    for (dir, files) in others {
        if let Some(owners) = bundles.get(&dir) {
            owners.iter().for_each(|i| pages[*i].assets.extend(files.iter().cloned()));
        } else if let Some(owners) = section_dirs.get(&dir) {
            owners.iter().for_each(|i| sections[*i].assets.extend(files.iter().cloned()));
        } else if let Some(owners) = dir
            .ancestors()
            .skip(1)
            .take_while(|d| !section_dirs.contains_key(*d) || bundles.contains_key(*d))
            .find_map(|d| bundles.get(d))
        {
            owners.iter().for_each(|i| pages[*i].assets.extend(files.iter().cloned()));
        } else {
            for f in files {
                warnings.push(Problem::in_file(&f, messages::file_not_copied(&dir.display().to_string())));
            }
        }
    }
    for page in pages.iter_mut() {
        page.assets.sort();
    }

    let (mut library, assembly) = Library::assemble(config, sections, pages);
    problems.extend(assembly);
    library.unreadable = unreadable;
    warnings.extend(checks::names(&names, &library));
    warnings.extend(checks::places(&library));
    warnings.extend(checks::ordered_sections(&library));
    Ok((library, warnings, problems))
}
