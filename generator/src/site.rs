//! The build pipeline: config → templates → content → Markdown → checks → templates rendered,
//! all in memory. Nothing here writes a file; [`crate::output`] does, and only after everything
//! succeeded.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::Value;

use crate::catalog::{self, Catalog};
use crate::config::Config;
use crate::content::{self, Item, Library};
use crate::markdown::{self, RenderContext, Rendered, ShortcodeOutput};
use crate::problems::{BuildError, Problem, Problems, Warnings};
use crate::render::{self, RenderCache};
use crate::templates::{self, Templates};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `base_url` (`serve` uses its own address).
    pub base_url: Option<String>,
    /// Include pages and sections marked `draft = true`.
    pub drafts: bool,
}

/// Told about each phase as it ends, for progress lines.
pub trait Progress: Sync {
    fn phase(&self, name: &str, detail: &str, elapsed: Duration);
}

/// Progress that says nothing (`--quiet`, tests).
pub struct Silent;

impl Progress for Silent {
    fn phase(&self, _: &str, _: &str, _: Duration) {}
}

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
    pub library: Library,
    pub contents: OnceLock<Contents>,
    /// Static file (relative path) → content hash, for `get_url(cachebust=true)`.
    pub static_hashes: BTreeMap<String, String>,
    /// Static file (relative path) → absolute source, site over theme.
    pub static_files: BTreeMap<String, PathBuf>,
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

/// The result of a successful build, still in memory.
pub struct Built {
    /// Sorted by path.
    pub files: Vec<OutputFile>,
    pub warnings: Warnings,
    pub catalog: Catalog,
    pub pages: usize,
    pub sections: usize,
    /// `output_dir` of config.toml (`public` unless set).
    pub output_dir: String,
}

fn timed<T>(progress: &dyn Progress, name: &str, f: impl FnOnce() -> (T, String)) -> T {
    let start = Instant::now();
    let (value, detail) = f();
    progress.phase(name, &detail, start.elapsed());
    value
}

/// What a build keeps for the next one under `serve`, so that editing one page re-renders
/// only what shows it. Invalidated as a whole when the config, templates or static files change.
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
}

impl Cache {
    /// Forgets everything (the next build is a full one).
    pub fn clear(&mut self) {
        *self = Cache::default();
    }
}

/// Reads `config.toml`.
fn load_config(root: &Path) -> Result<(Config, Warnings), BuildError> {
    let file = root.join("config.toml");
    let text = std::fs::read_to_string(&file).map_err(|e| {
        Problem::new(format!(
            "cannot read {}: {e} (is this a site folder? it needs a config.toml)",
            file.display()
        ))
    })?;
    Config::parse(Path::new("config.toml"), &text).map_err(BuildError::from)
}

/// Builds the whole site in memory.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<Built, BuildError> {
    build_inner(options, progress, None)
}

/// Builds the site in memory, reusing what `cache` holds from the previous build and keeping
/// what the next one can reuse. The result is the same as [`build`]'s.
pub fn build_cached(
    options: &BuildOptions,
    progress: &dyn Progress,
    cache: &mut Cache,
) -> Result<Built, BuildError> {
    build_inner(options, progress, Some(cache))
}

fn build_inner(
    options: &BuildOptions,
    progress: &dyn Progress,
    cache: Option<&mut Cache>,
) -> Result<Built, BuildError> {
    let root = &options.root;
    let (mut config, mut warnings) = load_config(root)?;
    if let Some(base) = &options.base_url {
        config.base_url = base.clone();
    }
    let templates = timed(progress, "templates", || {
        let t = Templates::load(root, config.theme.as_deref());
        let n = t.as_ref().map(|t| t.sources.len()).unwrap_or(0);
        (t, format!("{n} templates"))
    })?;
    let (library, w) = timed(progress, "content", || {
        let r = content::load::load(root, &config, options.drafts);
        let detail = match &r {
            Ok((l, _)) => format!("{} pages, {} sections", l.pages.len(), l.sections.len()),
            Err(_) => "failed".into(),
        };
        (r, detail)
    })?;
    warnings.extend(w);
    // Markdown bodies are only needed until they are rendered: keep them out of the shared
    // library so they can be dropped right after (a third of a big site's memory).
    let mut library = library;
    let page_bodies: Vec<String> = library.pages.iter_mut().map(|p| std::mem::take(&mut p.raw)).collect();
    let section_bodies: Vec<String> =
        library.sections.iter_mut().map(|s| std::mem::take(&mut s.raw)).collect();
    let (static_files, static_hashes) = collect_static(root, config.theme.as_deref());
    let config_value = serde_json::to_value(&config).unwrap_or(Value::Null);
    let data = Arc::new(SiteData {
        root: root.clone(),
        config,
        config_value,
        library,
        contents: OnceLock::new(),
        static_hashes,
        static_files,
    });
    let mut tera = templates.tera.clone();
    templates::functions::register(&mut tera, data.clone());
    let templates = Templates { tera, sources: templates.sources, fingerprint: templates.fingerprint };

    // What the previous build (under `serve`) may lend this one.
    let inputs = inputs_fingerprint(&data, &templates);
    let paths = paths_fingerprint(&data.library);
    let previous = cache.as_deref().filter(|c| c.inputs == inputs && c.paths == paths);
    let contents = timed(progress, "markdown", || {
        let c =
            render_markdown(&data, &templates, &page_bodies, &section_bodies, previous.map(|c| &c.markdown));
        let n = c.pages.len() + c.sections.len();
        (c, format!("{n} files"))
    });
    drop(page_bodies);
    drop(section_bodies);
    let mut problems = Problems::default();
    for r in contents.pages.iter().chain(contents.sections.iter()) {
        problems.extend(r.problems.iter().cloned());
        warnings.extend(r.warnings.iter().cloned());
    }
    let catalog = timed(progress, "checks", || {
        problems.extend(crate::links::check(&data.library, &contents));
        let (catalog, p) = catalog::build(&data.library, &contents.pages, &contents.sections);
        problems.extend(p);
        let detail = format!(
            "catalog: {} events, {} campaigns, {} note pages",
            catalog.events.len(),
            catalog.campaigns.len(),
            catalog.note_pages.len()
        );
        (catalog, detail)
    });
    problems.extend(render::check_templates_exist(&data, &templates));
    if !problems.is_empty() {
        return Err(problems.into_error());
    }
    let _ = data.contents.set(contents);

    let structure: HashMap<String, u64> = data
        .library
        .pages
        .iter()
        .map(|p| (p.content_path.clone(), p.front_matter_hash))
        .chain(data.library.sections.iter().map(|s| (s.content_path.clone(), s.front_matter_hash)))
        .collect();
    let reuse = previous.filter(|c| c.structure == structure).and_then(|c| {
        let changed = |path: &str, hash: u64| c.markdown.get(path).is_none_or(|(h, _)| *h != hash);
        Some(render::Reuse {
            previous: c.render.as_ref()?,
            changed_pages: (data.library.pages.iter().enumerate())
                .filter(|(_, p)| changed(&p.content_path, p.source_hash))
                .map(|(i, _)| i)
                .collect(),
            changed_sections: (data.library.sections.iter().enumerate())
                .filter(|(_, s)| changed(&s.content_path, s.source_hash))
                .map(|(i, _)| i)
                .collect(),
        })
    });
    let keep = cache.is_some();
    let (mut files, render_cache) = timed(progress, "render", || {
        let r = render::render_all(&data, &templates, reuse.as_ref(), keep);
        let detail = match &r {
            Ok((f, _)) => match &reuse {
                Some(r) => format!(
                    "{} files ({} pages changed)",
                    f.len(),
                    r.changed_pages.len() + r.changed_sections.len()
                ),
                None => format!("{} files", f.len()),
            },
            Err(e) => format!("{} problems", e.problems().len()),
        };
        (r, detail)
    })?;
    drop(reuse);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for pair in files.windows(2) {
        if pair[0].path == pair[1].path {
            problems.push(Problem::new(format!(
                "two outputs want {}: a static file and a page, or two pages; rename one",
                pair[0].path
            )));
        }
    }
    if !problems.is_empty() {
        return Err(problems.into_error());
    }
    warnings.sort();
    warnings.dedup();
    if let Some(cache) = cache {
        let contents = data.contents.get().expect("set before rendering");
        let sources = (data.library.pages.iter().map(|p| (&p.content_path, p.source_hash)))
            .chain(data.library.sections.iter().map(|s| (&s.content_path, s.source_hash)));
        let rendered = contents.pages.iter().chain(contents.sections.iter());
        *cache = Cache {
            inputs,
            paths,
            markdown: sources
                .zip(rendered)
                .map(|((path, hash), r)| (path.clone(), (hash, r.clone())))
                .collect(),
            structure,
            render: Some(render_cache),
        };
    }
    Ok(Built {
        files,
        warnings,
        catalog,
        pages: data.library.pages.len(),
        sections: data.library.sections.len(),
        output_dir: data.config.output_dir.clone(),
    })
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

fn render_markdown(
    data: &Arc<SiteData>,
    templates: &Templates,
    page_bodies: &[String],
    section_bodies: &[String],
    previous: Option<&HashMap<String, (u64, Rendered)>>,
) -> Contents {
    let lib = &data.library;
    let pages = lib
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            if let Some((hash, r)) = previous.and_then(|m| m.get(&p.content_path))
                && *hash == p.source_hash
            {
                return r.clone();
            }
            let permalink = data.config.make_permalink(&p.path);
            let ctx = ShortcodeContext { data, templates, item: Item::Page(i) };
            let source = markdown::Source { file: &p.file, body_line: p.body_line, permalink: &permalink };
            markdown::render(&page_bodies[i], &source, &data.config.markdown, &ctx)
        })
        .collect();
    let sections = lib
        .sections
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            if let Some((hash, r)) = previous.and_then(|m| m.get(&s.content_path))
                && *hash == s.source_hash
            {
                return r.clone();
            }
            let permalink = data.config.make_permalink(&s.path);
            let ctx = ShortcodeContext { data, templates, item: Item::Section(i) };
            let source = markdown::Source { file: &s.file, body_line: s.body_line, permalink: &permalink };
            markdown::render(&section_bodies[i], &source, &data.config.markdown, &ctx)
        })
        .collect();
    Contents { pages, sections }
}

struct ShortcodeContext<'a> {
    data: &'a SiteData,
    templates: &'a Templates,
    item: Item,
}

impl SiteData {
    /// The permalink of a content file named as in `@/notices/a.md` (without the `@/`).
    pub fn permalink_of(&self, content_path: &str) -> Option<String> {
        let item = self.library.get(content_path)?;
        Some(self.config.make_permalink(self.library.path_of(item)))
    }
}

impl RenderContext for ShortcodeContext<'_> {
    fn resolve(&self, content_path: &str) -> Option<String> {
        self.data.permalink_of(content_path)
    }

    fn shortcode(&self, call: &markdown::shortcodes::Call) -> Result<ShortcodeOutput, String> {
        let html = format!("shortcodes/{}.html", call.name);
        let md = format!("shortcodes/{}.md", call.name);
        let (name, is_md) = if self.templates.has(&html) {
            (html, false)
        } else if self.templates.has(&md) {
            (md, true)
        } else {
            return Err(format!(
                "unknown shortcode `{}`: add templates/shortcodes/{}.html (or .md)",
                call.name, call.name
            ));
        };
        let mut ctx = tera::Context::new();
        for (k, v) in &call.args {
            ctx.insert(k.as_str(), v);
        }
        if let Some(body) = &call.body {
            ctx.insert("body", body);
        }
        ctx.insert("config", &self.data.config_value);
        ctx.insert("lang", &self.data.config.default_language);
        let (key, value) = match self.item {
            Item::Page(i) => ("page", crate::serialize::page(self.data, i, crate::serialize::Mode::Meta)),
            Item::Section(i) => {
                ("section", crate::serialize::section(self.data, i, crate::serialize::Mode::Meta, false))
            }
        };
        ctx.insert(key, &value);
        match self.templates.tera.render(&name, &ctx) {
            Ok(out) if is_md => Ok(ShortcodeOutput::Markdown(out)),
            Ok(out) => Ok(ShortcodeOutput::Html(out)),
            Err(e) => Err(format!(
                "shortcode `{}` failed in {}: {}",
                call.name,
                self.templates.file_of(&name).display(),
                templates::chain(&e)
            )),
        }
    }
}

/// Static files: the theme's, then the site's over them. Returns sources and content hashes.
fn collect_static(root: &Path, theme: Option<&str>) -> (BTreeMap<String, PathBuf>, BTreeMap<String, String>) {
    let mut files = BTreeMap::new();
    let mut dirs = Vec::new();
    if let Some(t) = theme {
        dirs.push(root.join("themes").join(t).join("static"));
    }
    dirs.push(root.join("static"));
    for dir in dirs {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
            if entry.file_type().is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
                let rel = entry
                    .path()
                    .strip_prefix(&dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, entry.path().to_path_buf());
            }
        }
    }
    let hashes = files
        .par_iter()
        .filter_map(|(rel, path)| std::fs::read(path).ok().map(|bytes| (rel.clone(), short_hash(&bytes))))
        .collect();
    (files, hashes)
}

/// FNV-1a 64-bit of the bytes, as 16 hex digits: stable across builds and machines.
pub fn short_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}
