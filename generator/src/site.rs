//! The build pipeline, on top of every other module: config → templates → content → Markdown
//! (with shortcodes) → checks → every output rendered, all in memory. What the phases share is
//! [`crate::data`]; what a build under `serve` lends the next is [`crate::cache`]. Nothing here
//! writes a file; [`crate::output`] does, and only after everything succeeded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache::Key;
use crate::catalog::{self, Catalog};
use crate::config::Config;
use crate::content::{self, Item};
use crate::data::{Contents, SiteData};
use crate::markdown::{self, RenderContext, ShortcodeOutput};
use crate::messages::{self, Lang, Phase, Text};
use crate::problems::{BuildError, Problem, Problems, Warnings};
use crate::render;
use crate::serialize::{self, Mode};
use crate::templates::{self, Templates};

pub use crate::cache::Cache;
pub use crate::data::{Body, OutputFile};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `base_url` (`serve` uses its own address).
    pub base_url: Option<String>,
    /// Include pages and sections marked `draft = true`.
    pub drafts: bool,
    /// The language of the run's messages: a failed build's [`BuildError`] is shown in it.
    pub lang: Lang,
    /// The command: templates see it as `config.mode`.
    pub mode: crate::config::Mode,
}

/// Told about each phase as it ends, for progress lines.
pub trait Progress: Sync {
    fn phase(&self, phase: Phase, detail: &Text, elapsed: Duration);
}

/// Progress that says nothing (`--quiet`, tests).
pub struct Silent;

impl Progress for Silent {
    fn phase(&self, _: Phase, _: &Text, _: Duration) {}
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
    /// Every link to another site in the content, for `zhibu check --external`.
    pub external_links: Vec<ExternalLink>,
    /// `[link_checker]` of the config.
    pub link_checker: crate::config::LinkChecker,
    /// How the output folder is written (`preserve_dotfiles_in_output`, `hard_link_static`).
    pub sync: crate::output::SyncOptions,
}

/// A link to another site, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    pub url: String,
    /// Relative to the site's folder (`content/notices/a.md`).
    pub file: PathBuf,
    pub line: usize,
}

fn timed<T>(progress: &dyn Progress, phase: Phase, f: impl FnOnce() -> (T, Text)) -> T {
    let start = Instant::now();
    let (value, detail) = f();
    progress.phase(phase, &detail, start.elapsed());
    value
}

/// Reads `zola.toml`, or `config.toml` when there is none.
fn load_config(root: &Path) -> Result<(Config, Warnings), BuildError> {
    let name = crate::config::file_name(root);
    let file = root.join(name);
    let text = std::fs::read_to_string(&file).map_err(|e| {
        Problem::new(messages::cannot_read_config(&file.display().to_string(), &e.to_string()))
    })?;
    Config::parse(Path::new(name), &text).map_err(BuildError::from)
}

/// Builds the whole site in memory.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<Built, BuildError> {
    build_inner(options, progress, None).map_err(|e| e.in_lang(options.lang))
}

/// Builds the site in memory, reusing what `cache` holds from the previous build and keeping
/// what the next one can reuse. The result is the same as [`build`]'s.
pub fn build_cached(
    options: &BuildOptions,
    progress: &dyn Progress,
    cache: &mut Cache,
) -> Result<Built, BuildError> {
    build_inner(options, progress, Some(cache)).map_err(|e| e.in_lang(options.lang))
}

fn build_inner(
    options: &BuildOptions,
    progress: &dyn Progress,
    mut cache: Option<&mut Cache>,
) -> Result<Built, BuildError> {
    let Loaded { data, templates, page_bodies, section_bodies, mut warnings, mut problems } =
        load(options, progress)?;
    crate::search::warm_up(&data);

    // What the previous build (under `serve`) may lend this one.
    let key = Key::of(&data, &templates);
    let previous = cache.as_deref().and_then(|c| c.lend(&key));
    let contents = timed(progress, Phase::Markdown, || {
        let c = render_markdown(&data, &templates, &page_bodies, &section_bodies, previous, &key);
        let n = c.pages.len() + c.sections.len();
        (c, messages::files_count(n))
    });
    drop(page_bodies);
    drop(section_bodies);
    for r in contents.pages.iter().chain(contents.sections.iter()) {
        problems.extend(r.problems.iter().cloned());
        warnings.extend(r.warnings.iter().cloned());
    }
    let (catalog, calendars) = timed(progress, Phase::Checks, || {
        let (errors, warned) = crate::links::check(&data, &contents, &render::planned_outputs(&data));
        problems.extend(errors);
        warnings.extend(warned);
        let (catalog, p) = catalog::build(&data.library, &contents.pages, &contents.sections);
        problems.extend(p);
        problems.extend(crate::schedule::check(&data.root, &data.library, &contents, &catalog));
        let permalink = |path: &str| data.permalink_of(path.strip_prefix("@/")?);
        let (calendars, p) =
            crate::calendar::build(&data.root, &data.library, host_of(&data.config.base_url), &permalink);
        problems.extend(p);
        let detail =
            messages::catalog_count(catalog.events.len(), catalog.campaigns.len(), catalog.note_pages.len());
        ((catalog, calendars), detail)
    });
    problems.extend(render::check_templates_exist(&data, &templates));
    if !problems.is_empty() {
        return Err(problems.into_error().with_warnings(warnings));
    }
    let _ = data.contents.set(contents);

    let reuse = previous.and_then(|c| c.reuse(&key, &data.library));
    let (mut files, render_cache) =
        render_outputs(&data, &templates, reuse.as_ref(), cache.is_some(), progress)
            .map_err(|e| e.with_warnings(warnings.clone()))?;
    drop(reuse);
    if let Some(highlighting) = &data.config.markdown.highlighting {
        crate::markdown::highlight::save(highlighting);
    }
    files.extend(calendars);
    if !data.images.is_empty() {
        let memo = cache.as_deref().map(|c| &c.images);
        let disk = data.root.join(".zhibu").join(crate::images::SUBDIR);
        let processed = timed(progress, Phase::Images, || {
            let r = data.images.process(memo, Some(&disk));
            let detail = messages::files_count(r.files.len());
            (r, detail)
        });
        if !processed.problems.is_empty() {
            let problems = Problems(processed.problems.into_iter().map(Problem::new).collect());
            return Err(problems.into_error().with_warnings(warnings));
        }
        if let Some(c) = cache.as_deref_mut() {
            c.images = processed.memo;
        }
        let images = processed.files.into_iter();
        files.extend(images.map(|(path, bytes)| OutputFile { path, body: Body::Bytes(bytes) }));
        files.sort_by(|a, b| a.path.cmp(&b.path));
    }
    let search_phase = |detail: &Text, elapsed| progress.phase(Phase::Search, detail, elapsed);
    crate::search::add(&data, &mut files, cache.as_deref_mut().map(|c| &mut c.search), &search_phase)
        .map_err(|e| e.with_warnings(warnings.clone()))?;
    warnings.sort();
    warnings.dedup();
    if let Some(cache) = cache {
        cache.keep(key, &data, render_cache);
    }
    let external_links = external_links(&data);
    Ok(Built {
        files,
        warnings,
        catalog,
        pages: data.library.pages.len(),
        sections: data.library.sections.len(),
        output_dir: data.config.output_dir.clone(),
        external_links,
        link_checker: data.config.link_checker.clone(),
        sync: crate::output::SyncOptions {
            keep_dotfiles: data.config.preserve_dotfiles_in_output,
            hard_links: data.config.hard_link_static,
        },
    })
}

/// The links to other sites of every page and section, with file and line.
fn external_links(data: &SiteData) -> Vec<ExternalLink> {
    let Some(contents) = data.contents.get() else { return Vec::new() };
    let files =
        data.library.pages.iter().map(|p| &p.file).chain(data.library.sections.iter().map(|s| &s.file));
    let rendered = contents.pages.iter().chain(contents.sections.iter());
    files
        .zip(rendered)
        .flat_map(|(file, r)| {
            r.external.iter().map(|(url, line)| ExternalLink {
                url: url.clone(),
                file: file.clone(),
                line: *line,
            })
        })
        .collect()
}

/// The host of a base URL (`dangzhibu.example.edu.cn`), for the calendar files' UIDs.
fn host_of(base_url: &str) -> &str {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    rest.split(['/', ':']).next().filter(|h| !h.is_empty()).unwrap_or("zhibu")
}

/// The loaded site: its shared data, its templates (with the template functions over that
/// data) and the Markdown bodies still to render.
struct Loaded {
    data: Arc<SiteData>,
    templates: Templates,
    page_bodies: Vec<String>,
    section_bodies: Vec<String>,
    warnings: Warnings,
    /// Problems of content files that were loaded as far as they could be.
    problems: Problems,
}

/// Where keys that are not front-matter keys belong, for their messages: the site's taxonomies
/// (and Zola's usual `tags` and `categories`), the keys its templates read from `[extra]`, and
/// the tables the catalog reads.
fn elsewhere(config: &Config, templates: &Templates) -> content::front_matter::Elsewhere {
    let mut taxonomies: Vec<String> = config.taxonomies.iter().map(|t| t.name.clone()).collect();
    for usual in ["tags", "categories"] {
        if !taxonomies.iter().any(|t| t == usual) {
            taxonomies.push(usual.to_string());
        }
    }
    let extra_tables: Vec<(String, String)> =
        catalog::TABLES.iter().map(|(key, header)| (key.to_string(), header.to_string())).collect();
    let extra_keys =
        templates.extra_keys.iter().filter(|k| !extra_tables.iter().any(|(t, _)| t == *k)).cloned().collect();
    content::front_matter::Elsewhere {
        taxonomies,
        extra_keys,
        extra_tables,
        slugify_paths: config.slugify.paths,
        paths_keep_dates: config.slugify.paths_keep_dates,
    }
}

/// Reads config, templates, content and static files into the immutable site data.
fn load(options: &BuildOptions, progress: &dyn Progress) -> Result<Loaded, BuildError> {
    let root = &options.root;
    let (mut config, mut warnings) = load_config(root)?;
    if let Some(highlighting) = config.markdown.highlighting.as_mut() {
        crate::markdown::highlight::load(root, Path::new(crate::config::file_name(root)), highlighting)?;
    }
    if let Some(base) = &options.base_url {
        config.base_url = base.clone();
    }
    // As in Zola, `serve` and `check` say so; a build keeps what config.toml says (`build`).
    if options.mode != crate::config::Mode::Build {
        config.mode = options.mode;
    }
    let templates = timed(progress, Phase::Templates, || {
        let t = Templates::load(root, config.theme.as_deref());
        let n = t.as_ref().map(Templates::count).unwrap_or(0);
        (t, messages::templates_count(n))
    })?;
    let elsewhere = elsewhere(&config, &templates);
    let (mut library, w, problems) = timed(progress, Phase::Content, || {
        let r = content::load::load(root, &config, options.drafts, &elsewhere);
        let detail = match &r {
            Ok((l, _, p)) => messages::content_count(l.pages.len(), l.sections.len(), p.len()),
            Err(_) => messages::phase_failed(),
        };
        (r, detail)
    })?;
    warnings.extend(w);
    // Markdown bodies are only needed until they are rendered: keep them out of the shared
    // library so they can be dropped right after (a third of a big site's memory).
    let page_bodies: Vec<String> = library.pages.iter_mut().map(|p| std::mem::take(&mut p.raw)).collect();
    let section_bodies: Vec<String> =
        library.sections.iter_mut().map(|s| std::mem::take(&mut s.raw)).collect();
    let ignored_static = config.ignored_static_globs().unwrap_or_else(|_| globset::GlobSet::empty());
    let (static_files, mut static_hashes) = collect_static(root, config.theme.as_deref(), &ignored_static);
    let mut problems = problems;
    let sass_css = if crate::sass::has_sources(root, &config) {
        let compiled = timed(progress, Phase::Sass, || {
            let c = crate::sass::compile(root, &config);
            let detail = if c.problems.is_empty() {
                messages::files_count(c.css.len())
            } else {
                messages::problems_count(c.problems.len())
            };
            (c, detail)
        });
        problems.extend(compiled.problems);
        warnings.extend(compiled.warnings);
        for (rel, css) in &compiled.css {
            static_hashes.insert(rel.clone(), cachebust_hash(css));
        }
        compiled.css
    } else {
        BTreeMap::new()
    };
    let config_value = crate::config::template_value_for(&config, &config.default_language);
    let language_config_values = config
        .other_languages()
        .map(|code| (code.to_string(), crate::config::template_value_for(&config, code)))
        .collect();
    let data = Arc::new(SiteData {
        root: root.clone(),
        config,
        config_value,
        language_config_values,
        library,
        contents: OnceLock::new(),
        static_hashes,
        static_files,
        sass_css,
        images: Default::default(),
    });
    let mut tera = templates.tera.clone();
    templates::functions::register(&mut tera, data.clone());
    let templates = Templates { tera, ..templates };
    Ok(Loaded { data, templates, page_bodies, section_bodies, warnings, problems })
}

/// Renders every output (reusing what `reuse` allows), sorted by path; two outputs on one path
/// are a problem.
fn render_outputs(
    data: &SiteData,
    templates: &Templates,
    reuse: Option<&render::Reuse>,
    keep: bool,
    progress: &dyn Progress,
) -> Result<(Vec<OutputFile>, render::RenderCache), BuildError> {
    let (mut files, render_cache) = timed(progress, Phase::Render, || {
        let r = render::render_all(data, templates, reuse, keep);
        let detail = match &r {
            Ok((f, _)) => messages::rendered_count(
                f.len(),
                reuse.map(|r| r.changed_pages.len() + r.changed_sections.len()),
            ),
            Err(e) => messages::problems_count(e.problems().len()),
        };
        (r, detail)
    })?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut problems = Problems::default();
    for pair in files.windows(2) {
        if pair[0].path == pair[1].path {
            problems.push(Problem::new(messages::two_outputs(&pair[0].path)));
        }
    }
    problems.into_result((files, render_cache))
}

fn render_markdown(
    data: &Arc<SiteData>,
    templates: &Templates,
    page_bodies: &[String],
    section_bodies: &[String],
    previous: Option<&Cache>,
    key: &Key,
) -> Contents {
    let lib = &data.library;
    let same_structure = previous.is_some_and(|c| c.same_structure(key));
    let shortcodes = templates.shortcodes();
    let pages = lib
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            if let Some(r) = previous.and_then(|c| c.markdown(&p.content_path, p.source_hash, same_structure))
            {
                return r.clone();
            }
            let permalink = data.config.make_permalink(&p.path);
            let ctx = ShortcodeContext { data, templates, item: Item::Page(i), shortcodes: &shortcodes };
            let source = markdown::Source { file: &p.file, body_line: p.body_line, permalink: &permalink };
            let (mut r, uses_images) = templates::functions::tracking_image_use(|| {
                markdown::render(&page_bodies[i], &source, &data.config.markdown, &ctx)
            });
            r.uses_images = uses_images;
            r
        })
        .collect();
    let sections = lib
        .sections
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            if let Some(r) = previous.and_then(|c| c.markdown(&s.content_path, s.source_hash, same_structure))
            {
                return r.clone();
            }
            let permalink = data.config.make_permalink(&s.path);
            let ctx = ShortcodeContext { data, templates, item: Item::Section(i), shortcodes: &shortcodes };
            let source = markdown::Source { file: &s.file, body_line: s.body_line, permalink: &permalink };
            let (mut r, uses_images) = templates::functions::tracking_image_use(|| {
                markdown::render(&section_bodies[i], &source, &data.config.markdown, &ctx)
            });
            r.uses_images = uses_images;
            r
        })
        .collect();
    Contents { pages, sections }
}

struct ShortcodeContext<'a> {
    data: &'a SiteData,
    templates: &'a Templates,
    item: Item,
    /// The names of the site's shortcodes, for the message about one that is not.
    shortcodes: &'a [String],
}

impl ShortcodeContext<'_> {
    /// The language of the page or section being rendered.
    fn lang(&self) -> &str {
        match self.item {
            Item::Section(i) => &self.data.library.sections[i].lang,
            Item::Page(i) => &self.data.library.pages[i].lang,
        }
    }
}

impl RenderContext for ShortcodeContext<'_> {
    fn resolve(&self, content_path: &str) -> Option<String> {
        self.data.permalink_of(content_path).or_else(|| {
            // A file that could not be read is a problem already; a link to it is not another.
            let path = content_path.trim_start_matches('/');
            self.data.library.unreadable.contains(path).then(|| self.data.config.make_permalink(path))
        })
    }

    fn suggest(&self, content_path: &str) -> Option<String> {
        let path = content_path.trim_start_matches('/');
        let paths = self.data.library.by_content_path.keys().map(String::as_str);
        // `guide/dues` and `guide/dues/` for `guide/dues.md`; `guide/_index.md` for `guide/`.
        let trimmed = path.trim_end_matches('/');
        for guess in [format!("{trimmed}.md"), format!("{trimmed}/_index.md"), format!("{trimmed}/index.md")]
        {
            if self.data.library.get(&guess).is_some() {
                return Some(guess);
            }
        }
        crate::suggest::closest(path, paths).map(str::to_string)
    }

    fn broken_links_are_errors(&self) -> bool {
        self.data.config.link_checker.internal_level == crate::config::LinkLevel::Error
    }

    fn summary_cutoff(&self, summary: &str) -> Result<String, Text> {
        let lang = self.lang();
        let mut ctx = tera::Context::new();
        ctx.insert("summary", summary);
        ctx.insert("lang", lang);
        self.templates.tera.render("summary-cutoff.html", &ctx).map_err(|e| {
            let file = self.templates.file_of("summary-cutoff.html").display().to_string();
            messages::render_failed(&file, &templates::chain(&e))
        })
    }

    fn anchor_link(
        &self,
        id: &str,
        level: u32,
    ) -> Option<(crate::config::InsertAnchor, Result<String, Text>)> {
        let lib = &self.data.library;
        let own = match self.item {
            Item::Section(i) => lib.sections[i].meta.insert_anchor_links,
            // As Zola: the section of the page's own folder (in its language: the library's
            // nearest section when that is the folder), else the config's.
            Item::Page(i) => {
                let page = &lib.pages[i];
                let section = &lib.sections[page.section];
                (section.dir == page.section_dir).then_some(section).and_then(|s| s.meta.insert_anchor_links)
            }
        };
        let lang = self.lang();
        let place = own.unwrap_or(self.data.config.markdown.insert_anchor_links);
        if place == crate::config::InsertAnchor::None {
            return None;
        }
        let mut ctx = tera::Context::new();
        ctx.insert("id", id);
        ctx.insert("level", &level);
        ctx.insert("lang", lang);
        let html = self.templates.tera.render("anchor-link.html", &ctx).map_err(|e| {
            let file = self.templates.file_of("anchor-link.html").display().to_string();
            messages::render_failed(&file, &templates::chain(&e))
        });
        Some((place, html))
    }

    fn has_shortcode(&self, name: &str) -> bool {
        self.templates.has(&format!("shortcodes/{name}.html"))
            || self.templates.has(&format!("shortcodes/{name}.md"))
    }

    fn shortcode(&self, call: &markdown::shortcodes::Call) -> Result<ShortcodeOutput, Text> {
        let html = format!("shortcodes/{}.html", call.name);
        let md = format!("shortcodes/{}.md", call.name);
        let (name, is_md) = if self.templates.has(&html) {
            (html, false)
        } else if self.templates.has(&md) {
            (md, true)
        } else {
            let suggestion = crate::suggest::closest(&call.name, self.shortcodes.iter().map(String::as_str));
            return Err(messages::unknown_shortcode(&call.name, suggestion, self.shortcodes));
        };
        let mut ctx = tera::Context::new();
        for (k, v) in &call.args {
            ctx.insert(k.as_str(), v);
        }
        if let Some(body) = &call.body {
            ctx.insert("body", body);
        }
        ctx.insert("nth", &call.nth);
        ctx.insert("config", &self.data.config_value);
        ctx.insert("lang", &self.data.config.default_language);
        let (key, value) = match self.item {
            Item::Page(i) => ("page", serialize::page(self.data, i, Mode::Meta)),
            Item::Section(i) => ("section", serialize::section(self.data, i, Mode::Meta, false)),
        };
        ctx.insert(key, &value);
        match self.templates.tera.render(&name, &ctx) {
            Ok(out) if is_md => Ok(ShortcodeOutput::Markdown(out)),
            Ok(out) => Ok(ShortcodeOutput::Html(out)),
            // A data file the shortcode reads: which file, not the template's internals.
            Err(e) => match templates::functions::DataFileError::in_chain(&e) {
                Some(d) => {
                    let reader = messages::Reader::Shortcode(call.name.clone());
                    Err(templates::data_file_message(d, &reader, &self.data.root))
                }
                None => match templates::functions::ImageError::in_chain(&e) {
                    Some(i) => Err(messages::image_failed_in_shortcode(
                        &call.name,
                        &self.templates.file_of(&name).display().to_string(),
                        &i.0,
                    )),
                    None => Err(messages::shortcode_failed(
                        &call.name,
                        &self.templates.file_of(&name).display().to_string(),
                        &templates::chain(&e),
                    )),
                },
            },
        }
    }
}

/// Static files: the theme's, then the site's over them. Returns sources and content hashes.
/// Every file of the theme's and the site's `static/`, as Zola copies them: dotfiles too (not
/// what is inside a `.git` folder), not those `ignored_static` names.
fn collect_static(
    root: &Path,
    theme: Option<&str>,
    ignored: &globset::GlobSet,
) -> (BTreeMap<String, PathBuf>, BTreeMap<String, String>) {
    let mut files = BTreeMap::new();
    let mut dirs = Vec::new();
    if let Some(t) = theme {
        dirs.push(root.join("themes").join(t).join("static"));
    }
    dirs.push(root.join("static"));
    for dir in dirs {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let in_git = rel.components().any(|c| c.as_os_str() == ".git");
            if entry.file_type().is_file() && !in_git && !ignored.is_match(rel) {
                files.insert(rel.to_string_lossy().replace('\\', "/"), entry.path().to_path_buf());
            }
        }
    }
    let hashes = files
        .par_iter()
        .filter_map(|(rel, path)| std::fs::read(path).ok().map(|bytes| (rel.clone(), cachebust_hash(&bytes))))
        .collect();
    (files, hashes)
}

/// FNV-1a 64-bit of the bytes, as 16 hex digits: stable across builds and machines.
/// `get_url(cachebust=true)`'s `?h=`: the first 20 hex digits of the file's SHA-256, as Zola.
pub fn cachebust_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex.truncate(20);
    hex
}
