//! Rendering every output from the immutable site data: pages, sections with pagination,
//! taxonomies and terms, feeds, sitemap, robots.txt, 404, alias redirects, assets and static
//! files. Pure apart from reading templates' line numbers for messages; returns files in memory.

use std::path::Path;

use std::collections::HashSet;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::Context;

use crate::problems::{BuildError, Problem, Problems};
use crate::serialize::{self, Mode};
use crate::site::{Body, OutputFile, SiteData};
use crate::templates::{self, Templates, functions};

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

enum FeedOf {
    Site,
    Section(usize),
    Term(usize, usize),
}

/// Output path (`notices/a/index.html`) of a site path (`/notices/a/`).
fn index_file(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() { "index.html".into() } else { format!("{trimmed}/index.html") }
}

fn page_template(data: &SiteData, idx: usize) -> String {
    let page = &data.library.pages[idx];
    if let Some(t) = &page.meta.template {
        return t.clone();
    }
    for s in page.ancestors.iter().rev() {
        if let Some(t) = &data.library.sections[*s].meta.page_template {
            return t.clone();
        }
    }
    "page.html".into()
}

fn section_template(data: &SiteData, idx: usize) -> String {
    let s = &data.library.sections[idx];
    match &s.meta.template {
        Some(t) => t.clone(),
        None if s.is_root() => "index.html".into(),
        None => "section.html".into(),
    }
}

fn taxonomy_template(templates: &Templates, taxonomy: &str, kind: &str) -> String {
    let own = format!("{taxonomy}/{kind}.html");
    if templates.has(&own) { own } else { format!("taxonomy_{kind}.html") }
}

/// Templates the site needs that do not exist, each named with who needs it.
pub fn check_templates_exist(data: &SiteData, templates: &Templates) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut need = |name: String, who: &Path| {
        if !templates.has(&name) {
            problems.push(Problem::in_file(
                who,
                format!("needs the template `{name}`, which neither templates/ nor the theme has"),
            ));
        }
    };
    for (i, p) in data.library.pages.iter().enumerate() {
        need(page_template(data, i), &p.file);
    }
    for (i, s) in data.library.sections.iter().enumerate() {
        if s.meta.render && s.meta.redirect_to.is_none() {
            need(section_template(data, i), &s.file);
        }
    }
    for t in &data.library.taxonomies {
        if t.config.render {
            need(taxonomy_template(templates, &t.config.name, "list"), Path::new("config.toml"));
            need(taxonomy_template(templates, &t.config.name, "single"), Path::new("config.toml"));
        }
    }
    if data.config.generate_feeds {
        for f in &data.config.feed_filenames {
            need(f.clone(), Path::new("config.toml"));
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// How many pagers a list of `items` needs at `by` a pager (at least one, even when empty).
fn pager_count(items: usize, by: usize) -> usize {
    items.div_ceil(by).max(1)
}

fn pager_path(base: &str, paginate_path: &str, index: usize) -> String {
    if index == 0 { base.to_string() } else { format!("{base}{paginate_path}/{}/", index + 1) }
}

/// Zola's `paginator` for pager `index` (0-based) of `items`.
fn paginator(
    data: &SiteData,
    base: &str,
    paginate_path: &str,
    items: &[usize],
    by: usize,
    index: usize,
) -> Value {
    let count = pager_count(items.len(), by);
    let start = (index * by).min(items.len());
    let end = (start + by).min(items.len());
    let link = |i: usize| data.config.make_permalink(&pager_path(base, paginate_path, i));
    json!({
        "paginate_by": by,
        "base_url": data.config.make_permalink(&format!("{base}{paginate_path}/")),
        "number_pagers": count,
        "first": link(0),
        "last": link(count - 1),
        "previous": if index > 0 { Value::String(link(index - 1)) } else { Value::Null },
        "next": if index + 1 < count { Value::String(link(index + 1)) } else { Value::Null },
        "pages": items[start..end].iter().map(|p| serialize::page(data, *p, Mode::InList)).collect::<Vec<_>>(),
        "current_index": index + 1,
        "total_pages": items.len(),
    })
}

/// A template context under construction. Values are moved in (tera's `Context::insert` would
/// serialize each value again, a deep copy that showed up as a fifth of a build).
struct Ctx(serde_json::Map<String, Value>);

impl Ctx {
    fn insert(&mut self, key: &str, value: Value) {
        self.0.insert(key.to_string(), value);
    }

    fn into_context(self) -> Context {
        Context::from_value(Value::Object(self.0)).expect("an object is a valid context")
    }
}

fn base_context(data: &SiteData, path: &str) -> Ctx {
    let mut ctx = Ctx(serde_json::Map::new());
    ctx.insert("config", data.config_value.clone());
    ctx.insert("lang", Value::String(data.config.default_language.clone()));
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
        let message = templates::chain(&e);
        let template_file = templates.file_of(name);
        // tera names the missing variable in backticks; point at the first line using it.
        let line = message
            .split('`')
            .nth(1)
            .filter(|_| message.contains("not found in context"))
            .and_then(|var| templates::line_mentioning(&data.root, &template_file, var));
        let location = match line {
            Some(l) => format!("{}:{l}", template_file.display()),
            None => template_file.display().to_string(),
        };
        Problem::in_file(for_file, format!("rendering with {location} failed: {message}"))
    })
}

fn alias_file(alias: &str) -> String {
    let trimmed = alias.trim().trim_matches('/');
    if trimmed.ends_with(".html") || trimmed.ends_with(".htm") {
        trimmed.to_string()
    } else {
        index_file(trimmed)
    }
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

/// Renders everything (reusing what `reuse` allows) and returns what the next build may reuse.
pub fn render_all(
    data: &SiteData,
    templates: &Templates,
    reuse: Option<&Reuse>,
    keep_cache: bool,
) -> Result<(Vec<OutputFile>, RenderCache), BuildError> {
    let lib = &data.library;
    let mut jobs = Vec::new();
    jobs.extend((0..lib.pages.len()).map(Job::Page));
    for (i, s) in lib.sections.iter().enumerate() {
        if !s.meta.render || s.meta.redirect_to.is_some() {
            continue;
        }
        let count = s.meta.paginate_by.map(|by| pager_count(s.pages.len(), by)).unwrap_or(1);
        jobs.extend((0..count).map(|pager| Job::SectionPager { section: i, pager }));
        if s.meta.generate_feeds {
            for f in &data.config.feed_filenames {
                jobs.push(Job::Feed { items: FeedOf::Section(i), filename: f.clone() });
            }
        }
    }
    for (t, tax) in lib.taxonomies.iter().enumerate() {
        if !tax.config.render {
            continue;
        }
        jobs.push(Job::TaxonomyList(t));
        for (k, term) in tax.terms.iter().enumerate() {
            let count = tax.config.paginate_by.map(|by| pager_count(term.pages.len(), by)).unwrap_or(1);
            jobs.extend((0..count).map(|pager| Job::TermPager { taxonomy: t, term: k, pager }));
            if tax.config.feed {
                for f in &data.config.feed_filenames {
                    jobs.push(Job::Feed { items: FeedOf::Term(t, k), filename: f.clone() });
                }
            }
        }
    }
    if data.config.generate_feeds {
        for f in &data.config.feed_filenames {
            jobs.push(Job::Feed { items: FeedOf::Site, filename: f.clone() });
        }
    }
    if data.config.generate_sitemap {
        jobs.push(Job::Sitemap);
    }
    if data.config.generate_robots_txt {
        jobs.push(Job::Robots);
    }
    jobs.push(Job::NotFound);

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
    // Redirects: aliases, section `redirect_to`, and `page/1/` of paginated lists.
    let redirect =
        |from: String, to: String, who: &Path, files: &mut Vec<OutputFile>, problems: &mut Problems| {
            let mut ctx = Ctx(serde_json::Map::new());
            ctx.insert("url", Value::String(to));
            ctx.insert("config", data.config_value.clone());
            match render(data, templates, "internal/alias.html", ctx, who) {
                Ok(html) => files.push(OutputFile { path: from, body: Body::Bytes(html.into_bytes()) }),
                Err(p) => problems.push(p),
            }
        };
    for p in &lib.pages {
        for a in &p.meta.aliases {
            redirect(alias_file(a), data.config.make_permalink(&p.path), &p.file, &mut files, &mut problems);
        }
        let url_dir = p.path.trim_matches('/');
        for asset in &p.assets {
            if let Some(name) = asset.file_name() {
                let path =
                    format!("{url_dir}/{}", name.to_string_lossy()).trim_start_matches('/').to_string();
                files.push(OutputFile { path, body: Body::Copy(data.root.join(asset)) });
            }
        }
    }
    for s in &lib.sections {
        for a in &s.meta.aliases {
            redirect(alias_file(a), data.config.make_permalink(&s.path), &s.file, &mut files, &mut problems);
        }
        if let Some(to) = &s.meta.redirect_to {
            let target = if to.starts_with("http://") || to.starts_with("https://") {
                to.clone()
            } else if let Some(url) = to.strip_prefix("@/").and_then(|p| data.permalink_of(p)) {
                url
            } else {
                data.config.make_permalink(to)
            };
            redirect(index_file(&s.path), target, &s.file, &mut files, &mut problems);
        }
        if s.meta.render && s.meta.paginate_by.is_some() && s.meta.redirect_to.is_none() {
            let from = index_file(&format!("{}{}/1/", s.path, s.meta.paginate_path));
            redirect(from, data.config.make_permalink(&s.path), &s.file, &mut files, &mut problems);
        }
        let url_dir = s.path.trim_matches('/');
        for asset in &s.assets {
            if let Some(name) = asset.file_name() {
                let path =
                    format!("{url_dir}/{}", name.to_string_lossy()).trim_start_matches('/').to_string();
                files.push(OutputFile { path, body: Body::Copy(data.root.join(asset)) });
            }
        }
    }
    for tax in lib.taxonomies.iter().filter(|t| t.config.render && t.config.paginate_by.is_some()) {
        for term in &tax.terms {
            let from = index_file(&format!("{}{}/1/", term.path, tax.config.paginate_path()));
            redirect(
                from,
                data.config.make_permalink(&term.path),
                Path::new("config.toml"),
                &mut files,
                &mut problems,
            );
        }
    }
    for (rel, source) in &data.static_files {
        files.push(OutputFile { path: rel.clone(), body: Body::Copy(source.clone()) });
    }
    problems.into_result((files, cache))
}

fn run(data: &SiteData, templates: &Templates, job: &Job) -> Result<OutputFile, Problem> {
    let lib = &data.library;
    // Rendered strings grow by doubling; trimmed, a big site holds half the memory.
    let html = |path: String, text: String| {
        let mut bytes = text.into_bytes();
        bytes.shrink_to_fit();
        OutputFile { path, body: Body::Bytes(bytes) }
    };
    match job {
        Job::Page(i) => {
            let p = &lib.pages[*i];
            let mut ctx = base_context(data, &p.path);
            ctx.insert("page", serialize::page(data, *i, Mode::Full));
            let out = render(data, templates, &page_template(data, *i), ctx, &p.file)?;
            Ok(html(index_file(&p.path), out))
        }
        Job::SectionPager { section, pager } => {
            let s = &lib.sections[*section];
            let path = pager_path(&s.path, &s.meta.paginate_path, *pager);
            let mut ctx = base_context(data, &path);
            let paginated = s.meta.paginate_by.is_some();
            ctx.insert("section", serialize::section(data, *section, Mode::Full, !paginated));
            if let Some(by) = s.meta.paginate_by {
                let mut items = s.pages.clone();
                if s.meta.paginate_reversed {
                    items.reverse();
                }
                ctx.insert("paginator", paginator(data, &s.path, &s.meta.paginate_path, &items, by, *pager));
            }
            let out = render(data, templates, &section_template(data, *section), ctx, &s.file)?;
            Ok(html(index_file(&path), out))
        }
        Job::TaxonomyList(t) => {
            let tax = &lib.taxonomies[*t];
            let mut ctx = base_context(data, &tax.path);
            ctx.insert("taxonomy", serialize::taxonomy_config(data, *t));
            let terms: Vec<Value> = (0..tax.terms.len())
                .map(|k| serialize::term(data, *t, k, &tax.terms[k].pages, Mode::Link))
                .collect();
            ctx.insert("terms", Value::Array(terms));
            let name = taxonomy_template(templates, &tax.config.name, "list");
            let out = render(data, templates, &name, ctx, Path::new("config.toml"))?;
            Ok(html(index_file(&tax.path), out))
        }
        Job::TermPager { taxonomy, term, pager } => {
            let tax = &lib.taxonomies[*taxonomy];
            let tm = &tax.terms[*term];
            let path = pager_path(&tm.path, tax.config.paginate_path(), *pager);
            let mut ctx = base_context(data, &path);
            ctx.insert("taxonomy", serialize::taxonomy_config(data, *taxonomy));
            match tax.config.paginate_by {
                Some(by) => {
                    ctx.insert("term", serialize::term(data, *taxonomy, *term, &[], Mode::InList));
                    ctx.insert(
                        "paginator",
                        paginator(data, &tm.path, tax.config.paginate_path(), &tm.pages, by, *pager),
                    );
                }
                None => ctx.insert("term", serialize::term(data, *taxonomy, *term, &tm.pages, Mode::InList)),
            }
            let name = taxonomy_template(templates, &tax.config.name, "single");
            let out = render(data, templates, &name, ctx, Path::new("config.toml"))?;
            Ok(html(index_file(&path), out))
        }
        Job::Feed { items, filename } => feed(data, templates, items, filename),
        Job::Sitemap => {
            let mut entries: Vec<Value> = Vec::new();
            let entry = |path: &str, updated: Option<String>| json!({"permalink": data.config.make_permalink(path), "updated": updated});
            for p in &lib.pages {
                let updated = p.meta.updated.as_ref().or(p.meta.date.as_ref()).map(|d| d.ymd());
                entries.push(entry(&p.path, updated));
            }
            let include_pagers = data.config.exclude_paginated_pages_in_sitemap != "all";
            for s in &lib.sections {
                if !s.meta.render || s.meta.redirect_to.is_some() {
                    continue;
                }
                entries.push(entry(&s.path, None));
                if let (Some(by), true) = (s.meta.paginate_by, include_pagers) {
                    for k in 1..pager_count(s.pages.len(), by) {
                        entries.push(entry(&pager_path(&s.path, &s.meta.paginate_path, k), None));
                    }
                }
            }
            for tax in lib.taxonomies.iter().filter(|t| t.config.render) {
                entries.push(entry(&tax.path, None));
                for tm in &tax.terms {
                    entries.push(entry(&tm.path, None));
                    if let (Some(by), true) = (tax.config.paginate_by, include_pagers) {
                        for k in 1..pager_count(tm.pages.len(), by) {
                            entries.push(entry(&pager_path(&tm.path, tax.config.paginate_path(), k), None));
                        }
                    }
                }
            }
            entries.sort_by(|a, b| a["permalink"].as_str().cmp(&b["permalink"].as_str()));
            let mut ctx = base_context(data, "/sitemap.xml");
            ctx.insert("entries", Value::Array(entries));
            let out = render(data, templates, "sitemap.xml", ctx, Path::new("config.toml"))?;
            Ok(html("sitemap.xml".into(), out))
        }
        Job::Robots => {
            let ctx = base_context(data, "/robots.txt");
            let out = render(data, templates, "robots.txt", ctx, Path::new("config.toml"))?;
            Ok(html("robots.txt".into(), out))
        }
        Job::NotFound => {
            let ctx = base_context(data, "/404.html");
            let out = render(data, templates, "404.html", ctx, Path::new("config.toml"))?;
            Ok(html("404.html".into(), out))
        }
    }
}

fn feed(data: &SiteData, templates: &Templates, of: &FeedOf, filename: &str) -> Result<OutputFile, Problem> {
    let lib = &data.library;
    let (base, mut list, who): (String, Vec<usize>, &Path) = match of {
        FeedOf::Site => ("/".into(), (0..lib.pages.len()).collect(), Path::new("config.toml")),
        FeedOf::Section(s) => {
            let sec = &lib.sections[*s];
            (sec.path.clone(), sec.pages.clone(), sec.file.as_path())
        }
        FeedOf::Term(t, k) => {
            let tm = &lib.taxonomies[*t].terms[*k];
            (tm.path.clone(), tm.pages.clone(), Path::new("config.toml"))
        }
    };
    list.retain(|p| lib.pages[*p].meta.date.is_some());
    list.sort_by(|a, b| {
        lib.pages[*b]
            .meta
            .date
            .cmp(&lib.pages[*a].meta.date)
            .then(lib.pages[*a].content_path.cmp(&lib.pages[*b].content_path))
    });
    let last_updated = list
        .iter()
        .filter_map(|p| lib.pages[*p].meta.updated.as_ref().or(lib.pages[*p].meta.date.as_ref()))
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    if let Some(limit) = data.config.feed_limit {
        list.truncate(limit);
    }
    let path = format!("{base}{filename}");
    let mut ctx = base_context(data, &path);
    ctx.insert("feed_url", Value::String(data.config.make_permalink(&path)));
    ctx.insert("last_updated", Value::String(last_updated));
    ctx.insert("pages", list.iter().map(|p| serialize::page(data, *p, Mode::InList)).collect());
    match of {
        FeedOf::Section(s) => ctx.insert("section", serialize::section(data, *s, Mode::Meta, false)),
        FeedOf::Term(t, k) => {
            ctx.insert("taxonomy", serialize::taxonomy_config(data, *t));
            ctx.insert("term", serialize::term(data, *t, *k, &[], Mode::Meta));
        }
        FeedOf::Site => {}
    }
    if !matches!(of, FeedOf::Section(_)) {
        ctx.insert("section", Value::Null);
    }
    if !matches!(of, FeedOf::Term(..)) {
        ctx.insert("term", Value::Null);
    }
    let out = render(data, templates, filename, ctx, who)?;
    Ok(OutputFile { path: path.trim_start_matches('/').to_string(), body: Body::Bytes(out.into_bytes()) })
}
