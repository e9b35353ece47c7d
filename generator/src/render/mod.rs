//! Rendering every output from the immutable site data, in memory: the list of jobs, running
//! them in parallel, reusing what a previous build under `serve` rendered, and the template
//! call they share. What each kind of output holds lives beside it: `pages` (pages, sections,
//! taxonomies, 404), `pagination`, `feeds`, `sitemap` (with robots.txt) and `redirects`.
//! Pure apart from reading templates' line numbers for messages.

mod feeds;
mod pages;
mod pagination;
mod redirects;
mod sitemap;

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;
use serde_json::Value;
use tera::Context;

use crate::data::{Body, OutputFile, SiteData};
use crate::messages::{self, Reader};
use crate::problems::{BuildError, Problem, Problems};
use crate::templates::{self, Templates, functions};

pub use pages::check_templates_exist;

/// One unit of rendering work, run in parallel with the others.
enum Job {
    Page(usize),
    SectionPager { section: usize, pager: usize },
    TaxonomyList(usize),
    TermPager { taxonomy: usize, term: usize, pager: usize },
    Feed { items: FeedOf, filename: String },
    Sitemap,
    Robots,
    NotFound,
}

/// Which pages a feed lists.
enum FeedOf {
    /// Every page of a language (`/atom.xml`, `/fr/atom.xml`).
    Site(String),
    Section(usize),
    Term(usize, usize),
}

/// Output path (`notices/a/index.html`) of a site path (`/notices/a/`).
fn index_file(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() { "index.html".into() } else { format!("{trimmed}/index.html") }
}

/// A rendered text file. Rendered strings grow by doubling; trimmed, a big site holds half the
/// memory.
fn text_file(path: String, text: String) -> OutputFile {
    let mut bytes = text.into_bytes();
    bytes.shrink_to_fit();
    OutputFile { path, body: Body::Bytes(bytes) }
}

/// A template context under construction. Values are moved in (tera's `Context::insert` would
/// serialize each value again, a deep copy that showed up as a fifth of a build).
struct Ctx(serde_json::Map<String, Value>);

impl Ctx {
    fn new() -> Ctx {
        Ctx(serde_json::Map::new())
    }

    fn insert(&mut self, key: &str, value: Value) {
        self.0.insert(key.to_string(), value);
    }

    fn into_context(self) -> Context {
        Context::from_value(Value::Object(self.0)).expect("an object is a valid context")
    }
}

/// What every page-like template sees: config (as for its language), language and where it is.
fn base_context(data: &SiteData, path: &str, lang: &str) -> Ctx {
    let mut ctx = Ctx::new();
    ctx.insert("config", data.config_value_for(lang).clone());
    ctx.insert("lang", Value::String(lang.to_string()));
    ctx.insert("current_path", Value::String(path.to_string()));
    ctx.insert("current_url", Value::String(data.config.make_permalink(path)));
    ctx
}

/// Renders a template; a failure names the template, the content file and what went wrong.
fn render(
    data: &SiteData,
    templates: &Templates,
    name: &str,
    ctx: Ctx,
    for_file: &Path,
) -> Result<String, Problem> {
    templates.tera.render(name, &ctx.into_context()).map_err(|e| {
        if let Some(d) = functions::DataFileError::in_chain(&e) {
            let reader = Reader::Template(templates.file_of(name).display().to_string());
            return Problem::in_file(for_file, templates::data_file_message(d, &reader, &data.root));
        }
        let message = templates::chain(&e);
        let template_file = templates.file_of(name);
        // tera names the missing variable in backticks; point at the first line using it.
        let line = message
            .split('`')
            .nth(1)
            .filter(|_| message.contains("not found in context"))
            .and_then(|var| templates::line_mentioning(&data.root, &template_file, var))
            // An image function's error: the first line calling it.
            .or_else(|| {
                let function = ["resize_image", "get_image_metadata"]
                    .into_iter()
                    .find(|f| message.contains(&format!("`{f}`:")))?;
                templates::line_mentioning(&data.root, &template_file, function)
            });
        let location = match line {
            Some(l) => format!("{}:{l}", template_file.display()),
            None => template_file.display().to_string(),
        };
        match functions::ImageError::in_chain(&e) {
            Some(i) => Problem::in_file(for_file, messages::image_failed(&location, &i.0)),
            None => Problem::in_file(for_file, messages::render_failed(&location, &message)),
        }
    })
}

/// What one build rendered per job, for the next build under `serve` to reuse.
#[derive(Debug, Clone, Default)]
pub struct RenderCache {
    /// One output per job, in job order.
    pub outputs: Vec<OutputFile>,
    /// Whether the job's templates read other pages through the template functions.
    pub reads_site: Vec<bool>,
}

/// A previous build of the same structure and which pages and sections changed since.
pub struct Reuse<'a> {
    pub previous: &'a RenderCache,
    pub changed_pages: HashSet<usize>,
    pub changed_sections: HashSet<usize>,
}

impl Reuse<'_> {
    /// Whether job `n` may show something that changed. Only a page's body can have changed
    /// (same files, same front matter, same templates), so only outputs that show bodies,
    /// summaries or word counts — the page, its neighbours, lists holding it, feeds — and
    /// outputs whose templates read the site through functions are rendered again.
    fn affects(&self, data: &SiteData, job: &Job, n: usize) -> bool {
        if self.previous.reads_site.get(n).copied().unwrap_or(true) {
            return true;
        }
        let lib = &data.library;
        let changed = |p: &usize| self.changed_pages.contains(p);
        match job {
            Job::Page(i) => {
                let p = &lib.pages[*i];
                changed(i) || p.lower.is_some_and(|x| changed(&x)) || p.higher.is_some_and(|x| changed(&x))
            }
            Job::SectionPager { section, .. } => {
                self.changed_sections.contains(section) || lib.sections[*section].pages.iter().any(changed)
            }
            Job::TermPager { taxonomy, term, .. } => {
                lib.taxonomies[*taxonomy].terms[*term].pages.iter().any(changed)
            }
            Job::Feed { .. } => true,
            Job::TaxonomyList(_) | Job::Sitemap | Job::Robots | Job::NotFound => false,
        }
    }
}

/// Every job of the site, in a fixed order (a [`RenderCache`] is by job number).
fn jobs(data: &SiteData) -> Vec<Job> {
    let lib = &data.library;
    let mut jobs = Vec::new();
    jobs.extend((0..lib.pages.len()).filter(|i| lib.pages[*i].meta.render).map(Job::Page));
    for (i, s) in lib.sections.iter().enumerate() {
        if !s.meta.render || s.meta.redirect_to.is_some() {
            continue;
        }
        let count = s.meta.paginate_by.map(|by| pagination::pager_count(s.pages.len(), by)).unwrap_or(1);
        jobs.extend((0..count).map(|pager| Job::SectionPager { section: i, pager }));
        if s.meta.generate_feeds {
            for f in &feed_filenames(data, &s.lang) {
                jobs.push(Job::Feed { items: FeedOf::Section(i), filename: f.clone() });
            }
        }
    }
    for (t, tax) in lib.taxonomies.iter().enumerate() {
        if !tax.config.render {
            continue;
        }
        jobs.push(Job::TaxonomyList(t));
        let feeds = if tax.config.feed { feed_filenames(data, &tax.lang) } else { Vec::new() };
        for (k, term) in tax.terms.iter().enumerate() {
            let count =
                tax.config.paginate_by.map(|by| pagination::pager_count(term.pages.len(), by)).unwrap_or(1);
            jobs.extend((0..count).map(|pager| Job::TermPager { taxonomy: t, term: k, pager }));
            for f in &feeds {
                jobs.push(Job::Feed { items: FeedOf::Term(t, k), filename: f.clone() });
            }
        }
    }
    let languages =
        std::iter::once(data.config.default_language.as_str()).chain(data.config.other_languages());
    for lang in languages {
        let Some(options) = data.config.language(lang) else { continue };
        if options.generate_feeds {
            for f in &options.feed_filenames {
                jobs.push(Job::Feed { items: FeedOf::Site(lang.to_string()), filename: f.clone() });
            }
        }
    }
    if data.config.generate_sitemap {
        jobs.push(Job::Sitemap);
    }
    if data.config.generate_robots_txt {
        jobs.push(Job::Robots);
    }
    jobs.push(Job::NotFound);
    jobs
}

/// The feed files of a section or term in `lang` (the language's `feed_filenames`).
fn feed_filenames(data: &SiteData, lang: &str) -> Vec<String> {
    data.config.language(lang).map(|l| l.feed_filenames).unwrap_or_else(|| data.config.feed_filenames.clone())
}

/// The path of every file a build of `data` writes (`notices/a/index.html`, `css/site.css`),
/// known before anything is rendered: what links and images of the content may point at.
pub fn planned_outputs(data: &SiteData) -> std::collections::BTreeSet<String> {
    let lib = &data.library;
    let mut paths: std::collections::BTreeSet<String> = jobs(data)
        .iter()
        .map(|job| match job {
            Job::Page(i) => index_file(&lib.pages[*i].path),
            Job::SectionPager { section, pager } => {
                let s = &lib.sections[*section];
                index_file(&pagination::pager_path(&s.path, &s.meta.paginate_path, *pager))
            }
            Job::TaxonomyList(t) => index_file(&lib.taxonomies[*t].path),
            Job::TermPager { taxonomy, term, pager } => {
                let tax = &lib.taxonomies[*taxonomy];
                index_file(&pagination::pager_path(
                    &tax.terms[*term].path,
                    tax.config.paginate_path(),
                    *pager,
                ))
            }
            Job::Feed { items, filename } => {
                let base = match items {
                    FeedOf::Site(lang) => &feeds::site_feed_base(data, lang),
                    FeedOf::Section(s) => lib.sections[*s].path.as_str(),
                    FeedOf::Term(t, k) => lib.taxonomies[*t].terms[*k].path.as_str(),
                };
                format!("{base}{filename}").trim_start_matches('/').to_string()
            }
            Job::Sitemap => "sitemap.xml".into(),
            Job::Robots => "robots.txt".into(),
            Job::NotFound => "404.html".into(),
        })
        .collect();
    paths.extend(redirects::planned(data));
    paths.extend(copies(data).into_iter().map(|f| f.path));
    paths.extend(crate::calendar::planned(&data.root, &data.library));
    paths
}

/// Renders everything (reusing what `reuse` allows) and returns what the next build may reuse.
pub fn render_all(
    data: &SiteData,
    templates: &Templates,
    reuse: Option<&Reuse>,
    keep_cache: bool,
) -> Result<(Vec<OutputFile>, RenderCache), BuildError> {
    let jobs = jobs(data);
    let reuse = reuse.filter(|r| r.previous.outputs.len() == jobs.len());
    let results: Vec<Result<(OutputFile, bool), Problem>> = jobs
        .par_iter()
        .enumerate()
        .map(|(n, job)| {
            if let Some(r) = reuse
                && !r.affects(data, job, n)
            {
                return Ok((r.previous.outputs[n].clone(), false));
            }
            let (result, reads_site) = functions::tracking_site_reads(|| run(data, templates, job));
            result.map(|f| (f, reads_site))
        })
        .collect();
    let mut cache =
        RenderCache { outputs: Vec::with_capacity(jobs.len()), reads_site: Vec::with_capacity(jobs.len()) };
    let mut problems = Problems::default();
    for r in results {
        match r {
            Ok((f, reads)) => {
                cache.outputs.push(f);
                cache.reads_site.push(reads);
            }
            Err(p) => problems.push(p),
        }
    }
    // A one-off build does not keep a second copy of every output.
    let mut files = if keep_cache { cache.outputs.clone() } else { std::mem::take(&mut cache.outputs) };
    redirects::render_all(data, templates, &mut files, &mut problems);
    if data.config.minify_html {
        files.par_iter_mut().filter(|f| f.path.ends_with(".html")).for_each(minify);
    }
    files.extend(copies(data));
    problems.into_result((files, cache))
}

fn run(data: &SiteData, templates: &Templates, job: &Job) -> Result<OutputFile, Problem> {
    match job {
        Job::Page(i) => pages::page(data, templates, *i),
        Job::SectionPager { section, pager } => pages::section_pager(data, templates, *section, *pager),
        Job::TaxonomyList(t) => pages::taxonomy_list(data, templates, *t),
        Job::TermPager { taxonomy, term, pager } => {
            pages::term_pager(data, templates, *taxonomy, *term, *pager)
        }
        Job::Feed { items, filename } => feeds::feed(data, templates, items, filename),
        Job::Sitemap => sitemap::sitemap(data, templates),
        Job::Robots => sitemap::robots(data, templates),
        Job::NotFound => pages::not_found(data, templates),
    }
}

/// `minify_html = true`: the HTML minifier and settings Zola 0.22 uses (CSS minified, JavaScript
/// and the `<html>`/`<head>` opening tags kept).
fn minify(file: &mut OutputFile) {
    if let Body::Bytes(html) = &mut file.body {
        let mut cfg = minify_html::Cfg::new();
        cfg.keep_html_and_head_opening_tags = true;
        cfg.minify_css = true;
        cfg.minify_js = false;
        *html = minify_html::minify(html, &cfg);
    }
}

/// Files copied as they are: pages' and sections' assets beside their `index.html`, the
/// static files (theme's, then the site's), then the CSS compiled from Sass.
fn copies(data: &SiteData) -> Vec<OutputFile> {
    let lib = &data.library;
    let owners = (lib.pages.iter().map(|p| (&p.path, p.bundle_dir.as_deref(), &p.assets)))
        .chain(lib.sections.iter().map(|s| (&s.path, s.file.parent(), &s.assets)));
    let mut files = Vec::new();
    for (path, dir, assets) in owners {
        let url_dir = path.trim_matches('/');
        for asset in assets {
            let name = crate::content::asset_path(dir, asset);
            let path = format!("{url_dir}/{name}").trim_start_matches('/').to_string();
            files.push(OutputFile { path, body: Body::Copy(data.root.join(asset)) });
        }
    }
    for (rel, source) in &data.static_files {
        files.push(OutputFile { path: rel.clone(), body: Body::Copy(source.clone()) });
    }
    for (rel, css) in &data.sass_css {
        files.push(OutputFile { path: rel.clone(), body: Body::Bytes(css.clone()) });
    }
    // `style = "class"`: the theme's stylesheet, `giallo.css`, as Zola writes it — unless the site
    // has its own in static/ (Zola writes the file there once and then leaves it to the site;
    // zhibu never writes into the site's folders).
    if let Some(highlighting) = &data.config.markdown.highlighting {
        let stylesheets = crate::markdown::highlight::stylesheets(highlighting);
        for (name, css) in stylesheets.into_iter().filter(|(name, _)| !data.static_files.contains_key(*name))
        {
            files.push(OutputFile { path: name.to_string(), body: Body::Bytes(css.into_bytes()) });
        }
    }
    files
}
