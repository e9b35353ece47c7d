//! Redirect pages (`internal/alias.html`): pages' and sections' `aliases`, sections'
//! `redirect_to`, and `page/1/` of every paginated list, which points at the list itself.

use std::path::Path;

use serde_json::Value;

use super::{Ctx, index_file, render, text_file};
use crate::data::{OutputFile, SiteData};
use crate::problems::Problems;
use crate::templates::Templates;

/// Output path of an alias: as written when it names an `.html` file, else its `index.html`.
fn alias_file(alias: &str) -> String {
    let trimmed = alias.trim().trim_matches('/');
    if trimmed.ends_with(".html") || trimmed.ends_with(".htm") {
        trimmed.to_string()
    } else {
        index_file(trimmed)
    }
}

/// The output path of every redirect of the site, as [`render_all`] writes them.
pub(super) fn planned(data: &SiteData) -> Vec<String> {
    let lib = &data.library;
    let mut paths = Vec::new();
    for p in &lib.pages {
        paths.extend(p.meta.aliases.iter().map(|a| alias_file(a)));
    }
    for s in &lib.sections {
        paths.extend(s.meta.aliases.iter().map(|a| alias_file(a)));
        if s.meta.redirect_to.is_some() {
            paths.push(index_file(&s.path));
        }
        if s.meta.render && s.meta.paginate_by.is_some() && s.meta.redirect_to.is_none() {
            paths.push(index_file(&format!("{}{}/1/", s.path, s.meta.paginate_path)));
        }
    }
    for tax in lib.taxonomies.iter().filter(|t| t.config.render && t.config.paginate_by.is_some()) {
        for term in &tax.terms {
            paths.push(index_file(&format!("{}{}/1/", term.path, tax.config.paginate_path())));
        }
    }
    paths
}

/// Renders every redirect of the site into `files`; failures go to `problems`.
pub(super) fn render_all(
    data: &SiteData,
    templates: &Templates,
    files: &mut Vec<OutputFile>,
    problems: &mut Problems,
) {
    let lib = &data.library;
    let mut redirect = |from: String, to: String, who: &Path| {
        let mut ctx = Ctx::new();
        ctx.insert("url", Value::String(to));
        ctx.insert("config", data.config_value.clone());
        match render(data, templates, "internal/alias.html", ctx, who) {
            Ok(html) => files.push(text_file(from, html)),
            Err(p) => problems.push(p),
        }
    };
    for p in &lib.pages {
        for a in &p.meta.aliases {
            redirect(alias_file(a), data.config.make_permalink(&p.path), &p.file);
        }
    }
    for s in &lib.sections {
        for a in &s.meta.aliases {
            redirect(alias_file(a), data.config.make_permalink(&s.path), &s.file);
        }
        if let Some(to) = &s.meta.redirect_to {
            let target = if to.starts_with("http://") || to.starts_with("https://") {
                to.clone()
            } else if let Some(url) = to.strip_prefix("@/").and_then(|p| data.permalink_of(p)) {
                url
            } else {
                // Zola's permalink: `docs/intro` redirects to `…/docs/intro/`.
                data.config.zola_permalink(to)
            };
            redirect(index_file(&s.path), target, &s.file);
        }
        if s.meta.render && s.meta.paginate_by.is_some() && s.meta.redirect_to.is_none() {
            let from = index_file(&format!("{}{}/1/", s.path, s.meta.paginate_path));
            redirect(from, data.config.make_permalink(&s.path), &s.file);
        }
    }
    for tax in lib.taxonomies.iter().filter(|t| t.config.render && t.config.paginate_by.is_some()) {
        for term in &tax.terms {
            let from = index_file(&format!("{}{}/1/", term.path, tax.config.paginate_path()));
            redirect(from, data.config.make_permalink(&term.path), Path::new("config.toml"));
        }
    }
}
