//! Sass, as Zola compiles it: every `.scss` and `.sass` file of the theme's `sass/` (always,
//! as Zola does) and of the site's `sass/` (when `compile_sass = true`) becomes CSS at the same
//! relative path of the output (`sass/a/b.scss` → `a/b.css`), compressed. Names starting with
//! `_` (partials, and folders of them) are only imported. A site file replaces the theme's file
//! of the same output. The compiler is `grass`; files compile in parallel, in memory, before any
//! template renders, so `get_url(path="main.css", cachebust=true)` finds them. A Sass error is a
//! problem at the file and line where it is (a partial's, when it is in one); `@warn` is a
//! warning at its line.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::messages;
use crate::problems::{Problem, Warnings};

/// One file to compile: where it is and the `sass/` folders its imports are looked up in.
struct Source {
    file: PathBuf,
    load_paths: Vec<PathBuf>,
}

/// What the build's Sass gave: CSS by output path (`css/site.css`), and what went wrong.
#[derive(Default)]
pub struct Compiled {
    pub css: BTreeMap<String, Vec<u8>>,
    pub problems: Vec<Problem>,
    pub warnings: Warnings,
}

/// The `sass/` folders to compile, theme first: the theme's whenever it has one, the site's
/// when `compile_sass` is set.
fn sass_dirs(root: &Path, config: &Config) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(theme) = &config.theme {
        dirs.push(root.join("themes").join(theme).join("sass"));
    }
    if config.compile_sass {
        dirs.push(root.join("sass"));
    }
    dirs.retain(|d| d.is_dir());
    dirs
}

/// The non-partial Sass files of `dir` by output path; two that give the same output are a
/// problem (`a.scss` and `a.sass`).
fn sources_of(root: &Path, dir: &Path, problems: &mut Vec<Problem>) -> BTreeMap<String, PathBuf> {
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    let walk = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(name.starts_with('_') || name.starts_with('.'))
    });
    for entry in walk.flatten() {
        let path = entry.path();
        let is_sass = path.extension().is_some_and(|x| x == "scss" || x == "sass");
        if !entry.file_type().is_file() || !is_sass {
            continue;
        }
        let rel = path.strip_prefix(dir).unwrap_or(path).with_extension("css");
        let out = rel.to_string_lossy().replace('\\', "/");
        if let Some(other) = found.get(&out) {
            let (a, b) = (relative(root, other), relative(root, path));
            problems.push(Problem::in_file(&b, messages::sass_same_output(&a, &b, &out)));
            continue;
        }
        found.insert(out, path.to_path_buf());
    }
    found
}

/// Whether the site has Sass to compile.
pub fn has_sources(root: &Path, config: &Config) -> bool {
    !sass_dirs(root, config).is_empty()
}

/// Compiles the theme's and the site's Sass.
pub fn compile(root: &Path, config: &Config) -> Compiled {
    let dirs = sass_dirs(root, config);
    let mut problems = Vec::new();
    let mut sources: BTreeMap<String, Source> = BTreeMap::new();
    for (n, dir) in dirs.iter().enumerate() {
        // A site file imports from the site's folder first, then from the theme's.
        let load_paths: Vec<PathBuf> = dirs[..=n].iter().rev().cloned().collect();
        for (out, file) in sources_of(root, dir, &mut problems) {
            sources.insert(out, Source { file, load_paths: load_paths.clone() });
        }
    }
    let results: Vec<(String, Result<String, Problem>, Warnings)> = sources
        .par_iter()
        .map(|(out, source)| {
            let (css, warnings) = compile_one(root, source);
            (out.clone(), css, warnings)
        })
        .collect();
    let mut compiled = Compiled { problems, ..Compiled::default() };
    for (out, css, warnings) in results {
        compiled.warnings.extend(warnings);
        match css {
            Ok(css) => {
                compiled.css.insert(out, css.into_bytes());
            }
            Err(p) => compiled.problems.push(p),
        }
    }
    compiled
}

/// `@warn` and `@debug` of one compilation: the warnings become the build's.
#[derive(Debug)]
struct Collect<'a> {
    root: &'a Path,
    warnings: RefCell<Warnings>,
}

impl grass::Logger for Collect<'_> {
    fn debug(&self, _: codemap::SpanLoc, _: &str) {}

    fn warn(&self, location: codemap::SpanLoc, message: &str) {
        let file = relative(self.root, Path::new(location.file.name()));
        let problem = Problem::at(file, location.begin.line + 1, messages::sass_warn(message));
        self.warnings.borrow_mut().push(problem);
    }
}

fn compile_one(root: &Path, source: &Source) -> (Result<String, Problem>, Warnings) {
    let logger = Collect { root, warnings: RefCell::new(Vec::new()) };
    let options = grass::Options::default()
        .style(grass::OutputStyle::Compressed)
        .load_paths(&source.load_paths)
        .logger(&logger);
    let result = grass::from_path(&source.file, &options).map_err(|e| match (*e).kind() {
        grass::ErrorKind::ParseError { message, loc, .. } => {
            let file = relative(root, Path::new(loc.file.name()));
            Problem::at(file, loc.begin.line + 1, messages::sass_error(&message))
        }
        grass::ErrorKind::IoError(io) => {
            Problem::in_file(relative(root, &source.file), messages::cannot_read_file(&io.to_string()))
        }
        grass::ErrorKind::FromUtf8Error(why) => {
            Problem::in_file(relative(root, &source.file), messages::cannot_read_file(&why))
        }
        other => Problem::in_file(relative(root, &source.file), messages::sass_error(&format!("{other:?}"))),
    });
    (result, logger.warnings.into_inner())
}

/// `path` relative to the site root, without `.` steps, `/`-separated, for messages.
fn relative(root: &Path, path: &Path) -> String {
    let path = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}
