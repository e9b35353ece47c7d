//! The HTML pages of the site: content pages, sections (pager by pager), taxonomy lists and
//! terms, the 404 page; which template each uses, and the check that those templates exist.

use std::path::Path;

use serde_json::Value;

use super::pagination::{pager_path, paginator};
use super::{base_context, index_file, render, text_file};
use crate::data::{OutputFile, SiteData};
use crate::problems::Problem;
use crate::serialize::{self, Mode};
use crate::templates::Templates;

/// A page's template: its own, else the nearest section's `page_template`, else `page.html`.
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

/// `tags/list.html` when the site has it, else `taxonomy_list.html` (`kind` is list or single).
fn taxonomy_template(templates: &Templates, taxonomy: &str, kind: &str) -> String {
    let own = format!("{taxonomy}/{kind}.html");
    if templates.has(&own) { own } else { format!("taxonomy_{kind}.html") }
}

/// Templates the site needs that do not exist, each named with who needs it.
pub fn check_templates_exist(data: &SiteData, templates: &Templates) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut need = |name: String, who: &Path| {
        if !templates.has(&name) {
            problems.push(Problem::in_file(who, crate::messages::missing_template(&name)));
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

pub(super) fn page(data: &SiteData, templates: &Templates, i: usize) -> Result<OutputFile, Problem> {
    let p = &data.library.pages[i];
    let mut ctx = base_context(data, &p.path, &p.lang);
    ctx.insert("page", serialize::page(data, i, Mode::Full));
    let out = render(data, templates, &page_template(data, i), ctx, &p.file)?;
    Ok(text_file(index_file(&p.path), out))
}

pub(super) fn section_pager(
    data: &SiteData,
    templates: &Templates,
    section: usize,
    pager: usize,
) -> Result<OutputFile, Problem> {
    let s = &data.library.sections[section];
    let path = pager_path(&s.path, &s.meta.paginate_path, pager);
    let mut ctx = base_context(data, &path, &s.lang);
    let paginated = s.meta.paginate_by.is_some();
    ctx.insert("section", serialize::section(data, section, Mode::Full, !paginated));
    if let Some(by) = s.meta.paginate_by {
        let mut items = s.pages.clone();
        if s.meta.paginate_reversed {
            items.reverse();
        }
        ctx.insert("paginator", paginator(data, &s.path, &s.meta.paginate_path, &items, by, pager));
    }
    let out = render(data, templates, &section_template(data, section), ctx, &s.file)?;
    Ok(text_file(index_file(&path), out))
}

pub(super) fn taxonomy_list(data: &SiteData, templates: &Templates, t: usize) -> Result<OutputFile, Problem> {
    let tax = &data.library.taxonomies[t];
    let mut ctx = base_context(data, &tax.path, &tax.lang);
    ctx.insert("taxonomy", serialize::taxonomy_config(data, t));
    let terms: Vec<Value> =
        (0..tax.terms.len()).map(|k| serialize::term(data, t, k, &tax.terms[k].pages, Mode::Link)).collect();
    ctx.insert("terms", Value::Array(terms));
    let name = taxonomy_template(templates, &tax.config.name, "list");
    let out = render(data, templates, &name, ctx, Path::new("config.toml"))?;
    Ok(text_file(index_file(&tax.path), out))
}

pub(super) fn term_pager(
    data: &SiteData,
    templates: &Templates,
    taxonomy: usize,
    term: usize,
    pager: usize,
) -> Result<OutputFile, Problem> {
    let tax = &data.library.taxonomies[taxonomy];
    let tm = &tax.terms[term];
    let path = pager_path(&tm.path, tax.config.paginate_path(), pager);
    let mut ctx = base_context(data, &path, &tax.lang);
    ctx.insert("taxonomy", serialize::taxonomy_config(data, taxonomy));
    match tax.config.paginate_by {
        Some(by) => {
            ctx.insert("term", serialize::term(data, taxonomy, term, &[], Mode::InList));
            ctx.insert(
                "paginator",
                paginator(data, &tm.path, tax.config.paginate_path(), &tm.pages, by, pager),
            );
        }
        None => ctx.insert("term", serialize::term(data, taxonomy, term, &tm.pages, Mode::InList)),
    }
    let name = taxonomy_template(templates, &tax.config.name, "single");
    let out = render(data, templates, &name, ctx, Path::new("config.toml"))?;
    Ok(text_file(index_file(&path), out))
}

pub(super) fn not_found(data: &SiteData, templates: &Templates) -> Result<OutputFile, Problem> {
    // As Zola: the config and the language only (no `current_path`: a theme tells the 404 page
    // by its absence).
    let mut ctx = super::Ctx::new();
    ctx.insert("config", data.config_value.clone());
    ctx.insert("lang", serde_json::Value::String(data.config.default_language.clone()));
    let out = render(data, templates, "404.html", ctx, Path::new("config.toml"))?;
    Ok(text_file("404.html".into(), out))
}
