//! `sitemap.xml` (every page, section, taxonomy and term, with pagers unless
//! `exclude_paginated_pages_in_sitemap = "all"`) and `robots.txt`, which points at it.

use std::path::Path;

use serde_json::{Value, json};

use super::pagination::{pager_count, pager_path};
use super::{base_context, render, text_file};
use crate::data::{OutputFile, SiteData};
use crate::problems::Problem;
use crate::templates::Templates;

pub(super) fn sitemap(data: &SiteData, templates: &Templates) -> Result<OutputFile, Problem> {
    let lib = &data.library;
    let mut entries: Vec<Value> = Vec::new();
    let entry = |path: &str, updated: Option<String>| json!({"permalink": data.config.make_permalink(path), "updated": updated});
    for p in lib.pages.iter().filter(|p| p.meta.render) {
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
    let mut ctx = base_context(data, "/sitemap.xml", &data.config.default_language);
    ctx.insert("entries", Value::Array(entries));
    let out = render(data, templates, "sitemap.xml", ctx, Path::new("config.toml"))?;
    Ok(text_file("sitemap.xml".into(), out))
}

pub(super) fn robots(data: &SiteData, templates: &Templates) -> Result<OutputFile, Problem> {
    let ctx = base_context(data, "/robots.txt", &data.config.default_language);
    let out = render(data, templates, "robots.txt", ctx, Path::new("config.toml"))?;
    Ok(text_file("robots.txt".into(), out))
}
