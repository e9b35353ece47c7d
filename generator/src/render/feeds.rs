//! Atom/RSS feeds (`feed_filenames` templates) of the whole site, of a section and of a
//! taxonomy term: dated pages, newest first, up to `feed_limit`.

use std::path::Path;

use serde_json::Value;

use super::{FeedOf, base_context, render, text_file};
use crate::data::{OutputFile, SiteData};
use crate::problems::Problem;
use crate::serialize::{self, Mode};
use crate::templates::Templates;

/// Where a language's site feed goes: `/` for the default language, `/fr/` for French.
pub(super) fn site_feed_base(data: &SiteData, lang: &str) -> String {
    if lang == data.config.default_language { "/".into() } else { format!("/{lang}/") }
}

/// The feed `filename` of the pages `of` lists.
pub(super) fn feed(
    data: &SiteData,
    templates: &Templates,
    of: &FeedOf,
    filename: &str,
) -> Result<OutputFile, Problem> {
    let lib = &data.library;
    let (base, mut list, who, lang): (String, Vec<usize>, &Path, &str) = match of {
        FeedOf::Site(lang) => {
            let pages = (0..lib.pages.len()).filter(|p| lib.pages[*p].lang == *lang).collect();
            (site_feed_base(data, lang), pages, Path::new("config.toml"), lang.as_str())
        }
        FeedOf::Section(s) => {
            let sec = &lib.sections[*s];
            (sec.path.clone(), sec.pages.clone(), sec.file.as_path(), sec.lang.as_str())
        }
        FeedOf::Term(t, k) => {
            let tm = &lib.taxonomies[*t].terms[*k];
            (tm.path.clone(), tm.pages.clone(), Path::new("config.toml"), lib.taxonomies[*t].lang.as_str())
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
    let mut ctx = base_context(data, &path, lang);
    ctx.insert("feed_url", Value::String(data.config.make_permalink(&path)));
    ctx.insert("last_updated", Value::String(last_updated));
    ctx.insert("pages", list.iter().map(|p| serialize::page(data, *p, Mode::InList)).collect());
    match of {
        FeedOf::Section(s) => ctx.insert("section", serialize::section(data, *s, Mode::Meta, false)),
        FeedOf::Term(t, k) => {
            ctx.insert("taxonomy", serialize::taxonomy_config(data, *t));
            ctx.insert("term", serialize::term(data, *t, *k, &[], Mode::Meta));
        }
        FeedOf::Site(_) => {}
    }
    if !matches!(of, FeedOf::Section(_)) {
        ctx.insert("section", Value::Null);
    }
    if !matches!(of, FeedOf::Term(..)) {
        ctx.insert("term", Value::Null);
    }
    let out = render(data, templates, filename, ctx, who)?;
    Ok(text_file(path.trim_start_matches('/').to_string(), out))
}
