//! Site search for Chinese: a static index built with the site, sharded so that a query fetches
//! only the few files its keys live in, and searched in the browser by
//! `themes/zhibu/static/js/search.js` (no server, no WebAssembly, no `Intl.Segmenter`).
//!
//! Matching is exact substring matching: every pair of adjacent Han characters is a key, with
//! its positions, so any query of two or more Han characters finds every page containing it,
//! whatever a segmenter would have made of the text ([`text`], [`analyse`]). Word boundaries
//! from jieba and the branch's terms ([`words`]) only rank whole-word matches first. Titles also
//! carry their pinyin (`dangfei`, `df` → 党费). The files are described in [`index`]; the same
//! query algorithm is in [`query`], for tests and benchmarks.
//!
//! Switched on by Zola's `build_search_index = true`. What is indexed: pages and sections, not
//! drafts, not those with `in_search_index = false` in their front matter (a section's applies
//! to everything under it), not pages that ask search engines not to index them (`<meta
//! name="robots" content="noindex">`, as the theme's admin and member pages do), and of each
//! only the title, description and the prose of the body (see [`extract`]).

pub mod analyse;
pub mod common;
pub mod extract;
pub mod index;
pub mod query;
pub mod t2s;
pub mod text;
pub mod words;
pub mod zola;

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::data::{Body, OutputFile, SiteData};
use crate::messages;
use crate::problems::{BuildError, Problem, Problems};
use analyse::{Analysed, Doc};
use extract::Field;

/// `[search]` of config.toml (Zola's keys), and `build_search_index`.
#[derive(Debug, Clone)]
pub struct Settings {
    pub include_title: bool,
    pub include_content: bool,
    pub include_description: bool,
    pub include_date: bool,
    pub include_path: bool,
    pub truncate_content_length: Option<usize>,
    /// As the site names it; Zola's default, `elasticlunr_javascript`, when it does not.
    pub index_format: Option<zola::Format>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            include_title: true,
            include_content: true,
            include_description: false,
            include_date: false,
            include_path: false,
            truncate_content_length: None,
            index_format: None,
        }
    }
}

impl Settings {
    /// Reads Zola's `[search]` table; an unknown key or a wrong value is a problem.
    pub fn parse(table: &toml::Table) -> Result<Settings, Problem> {
        let mut s = Settings::default();
        let file = std::path::Path::new("config.toml");
        let flag = |key: &str, value: &toml::Value| {
            value.as_bool().ok_or_else(|| Problem::in_file(file, messages::search_flag(key)))
        };
        for (key, value) in table {
            match key.as_str() {
                "include_title" => s.include_title = flag(key, value)?,
                "include_content" => s.include_content = flag(key, value)?,
                "include_description" => s.include_description = flag(key, value)?,
                "include_date" => s.include_date = flag(key, value)?,
                "include_path" => s.include_path = flag(key, value)?,
                "truncate_content_length" => {
                    let n = value
                        .as_integer()
                        .filter(|n| *n >= 0)
                        .ok_or_else(|| Problem::in_file(file, messages::search_truncate_length()))?;
                    s.truncate_content_length = Some(n as usize);
                }
                "index_format" => {
                    let format = value
                        .as_str()
                        .and_then(zola::Format::parse)
                        .ok_or_else(|| Problem::in_file(file, messages::search_index_format()))?;
                    s.index_format = Some(format);
                }
                other => {
                    let known = [
                        "include_title",
                        "include_content",
                        "include_description",
                        "include_date",
                        "include_path",
                        "truncate_content_length",
                        "index_format",
                    ];
                    return Err(Problem::in_file(file, messages::search_unknown_setting(other, &known)));
                }
            }
        }
        Ok(s)
    }
}

/// What one build lends the next under `serve`: each document's analysis, by a hash of the
/// document and the terms, so that an edit re-analyses one page.
#[derive(Default)]
pub struct Memo {
    docs: HashMap<u64, Arc<Analysed>>,
}

/// Starts loading jieba's dictionary in the background when the site has search: called early
/// in the build, so the tenth of a second it takes overlaps rendering.
pub fn warm_up(data: &SiteData) {
    if data.config.build_search_index {
        words::warm_up();
    }
}

/// Adds the search index to `files` (sorted by path, as they stay) when the site asks for one;
/// `phase` is told how long it took.
pub fn add(
    data: &SiteData,
    files: &mut Vec<OutputFile>,
    memo: Option<&mut Memo>,
    phase: &dyn Fn(&messages::Text, Duration),
) -> Result<(), BuildError> {
    if !data.config.build_search_index {
        return Ok(());
    }
    let start = Instant::now();
    let settings = Settings::parse(&data.config.search).map_err(BuildError::from)?;
    let found = collect(data, files);
    let terms_text = std::fs::read_to_string(data.root.join(words::USER_FILE)).unwrap_or_default();
    let terms = words::Terms::new(&terms_text);

    let mut own_memo = Memo::default();
    let memo = memo.unwrap_or(&mut own_memo);
    let text: usize = found.iter().flat_map(|f| f.doc.blocks.iter().map(|(_, t)| t.len())).sum();
    let shards = index::shard_count(text) as u32;
    let hashes: Vec<u64> = found
        .par_iter()
        .map(|f| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            terms_text.hash(&mut h);
            shards.hash(&mut h);
            f.doc.hash(&mut h);
            h.finish()
        })
        .collect();
    // zhibu's index and Zola's files are made side by side: Zola's elasticlunr index is built
    // by one thread (elasticlunr-rs adds documents one by one), zhibu's on the others.
    let own = || {
        let analysing = Instant::now();
        let analysed: Vec<Arc<Analysed>> = found
            .par_iter()
            .zip(hashes.par_iter())
            .map(|(f, h)| match memo.docs.get(h) {
                Some(a) => a.clone(),
                None => Arc::new(analyse::analyse(&f.doc, &terms, shards)),
            })
            .collect();
        let analysing = analysing.elapsed();
        let recent = recent_count(&found);
        let fold = fold_pairs(&analysed);
        let built = index::assemble(&analysed, shards, recent, &fold);
        (analysed, built, analysing)
    };
    let (own, zola_files) = rayon::join(own, || zola_files(data, &settings, &found));
    let (analysed, built, analysing) = own;
    memo.docs = hashes.iter().copied().zip(analysed.iter().cloned()).collect();
    let mut new_files: Vec<OutputFile> =
        built.files.into_iter().map(|(path, bytes)| OutputFile { path, body: Body::Bytes(bytes) }).collect();
    new_files.extend(zola_files);
    let detail = messages::search_count(found.len(), analysing.as_millis(), built.keys, shards);
    phase(&detail, start.elapsed());

    let taken: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut problems = Problems::default();
    for f in &new_files {
        if taken.contains(f.path.as_str()) {
            problems.push(Problem::new(messages::search_output_taken(&f.path)));
        }
    }
    problems.into_result(())?;
    files.extend(new_files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(())
}

/// Zola's own files too, so a Zola theme's search keeps working: `search.index_format`
/// (`elasticlunr_javascript` unless named), one per language that builds an index and that Zola
/// can index, and `elasticlunr.min.js` beside an elasticlunr index.
fn zola_files(data: &SiteData, settings: &Settings, found: &[Found]) -> Vec<OutputFile> {
    let format = settings.index_format.unwrap_or(zola::Format::ElasticlunrJavascript);
    let others: Vec<&str> = data.config.other_languages().collect();
    let lang_of = |path: &str| {
        others
            .iter()
            .copied()
            .find(|code| path.starts_with(&format!("/{code}/")))
            .unwrap_or(&data.config.default_language)
    };
    let mut files = Vec::new();
    let languages = std::iter::once(data.config.default_language.as_str()).chain(others.iter().copied());
    for lang in languages {
        if !data.config.language(lang).is_some_and(|l| l.build_search_index) {
            continue;
        }
        let items = || found.iter().filter(|f| lang_of(&f.path) == lang).map(|f| f.zola_item(data)).collect();
        if let Some((path, text)) = zola::write(format, lang, settings, items) {
            files.push(OutputFile { path, body: Body::Bytes(text.into_bytes()) });
        }
    }
    if format.elasticlunr() && !files.is_empty() {
        let js = zola::ELASTICLUNR_JS.as_bytes().to_vec();
        files.push(OutputFile { path: "elasticlunr.min.js".into(), body: Body::Bytes(js) });
    }
    files
}

/// A document found for the index, with what orders it.
struct Found {
    doc: Doc,
    /// Seconds since the epoch of its date, if any.
    date: Option<i64>,
    path: String,
    description: String,
    body: String,
}

impl Found {
    fn zola_item(&self, data: &SiteData) -> zola::Item {
        zola::Item {
            permalink: data.config.make_permalink(&self.path),
            path: self.path.clone(),
            title: self.doc.title.clone(),
            description: self.description.clone(),
            date: self.doc.date.clone(),
            body: self.body.clone(),
        }
    }
}

/// The path part of a permalink (`https://a.cn/sub/x/` → `/sub/x/`).
fn url_path(permalink: &str) -> String {
    match permalink.find("://") {
        Some(i) => match permalink[i + 3..].find('/') {
            Some(j) => permalink[i + 3 + j..].to_string(),
            None => "/".into(),
        },
        None => permalink.to_string(),
    }
}

/// Whether the rendered file at `path` asks robots not to index it.
fn noindex(files: &[OutputFile], path: &str) -> bool {
    let file = index_file(path);
    let Ok(i) = files.binary_search_by(|f| f.path.as_str().cmp(&file)) else { return false };
    let Body::Bytes(bytes) = &files[i].body else { return false };
    let head = &bytes[..bytes.len().min(16 * 1024)];
    let text = String::from_utf8_lossy(head);
    text.match_indices("name=\"robots\"").any(|(at, _)| {
        let tag_end = text[at..].find('>').map_or(text.len(), |e| at + e);
        text[at..tag_end].contains("noindex")
    })
}

fn index_file(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() { "index.html".into() } else { format!("{trimmed}/index.html") }
}

/// The pages and sections to index, newest first (by date, then path).
fn collect(data: &SiteData, files: &[OutputFile]) -> Vec<Found> {
    let lib = &data.library;
    let Some(contents) = data.contents.get() else { return Vec::new() };
    // Sections left out, with everything under them.
    let own: Vec<bool> = lib
        .sections
        .iter()
        .map(|s| {
            if !s.from_file {
                return true;
            }
            let Ok(text) = std::fs::read_to_string(data.root.join(&s.file)) else { return true };
            crate::content::front_matter::split(&s.file, &text)
                .map(|split| crate::content::front_matter::flag(&split, "in_search_index").unwrap_or(true))
                .unwrap_or(true)
        })
        .collect();
    let section_ok = |mut i: usize| loop {
        if !own[i] || lib.sections[i].meta.draft {
            return false;
        }
        match lib.sections[i].parent {
            Some(p) => i = p,
            None => return true,
        }
    };
    let section_title = |i: usize| -> String {
        let s = &lib.sections[i];
        if s.parent.is_none() { String::new() } else { s.meta.title.clone().unwrap_or_default() }
    };
    let mut found = Vec::new();
    for (i, p) in lib.pages.iter().enumerate() {
        if p.meta.draft
            || !p.meta.in_search_index
            || !p.meta.render
            || !section_ok(p.section)
            || noindex(files, &p.path)
        {
            continue;
        }
        let html = &contents.pages[i].html;
        found.push(document(
            data,
            &p.path,
            p.meta.title.clone().unwrap_or_default(),
            p.meta.description.clone().unwrap_or_default(),
            section_title(p.section),
            p.meta.date.as_ref().map(|d| (d.ymd(), d.instant.timestamp())),
            html,
        ));
    }
    for (i, s) in lib.sections.iter().enumerate() {
        if !s.meta.render || s.meta.redirect_to.is_some() || !section_ok(i) || noindex(files, &s.path) {
            continue;
        }
        let title = match (&s.meta.title, s.parent) {
            (Some(t), _) => t.clone(),
            (None, None) => data.config.title.clone().unwrap_or_default(),
            (None, Some(_)) => String::new(),
        };
        let parent = s.parent.map(section_title).unwrap_or_default();
        found.push(document(
            data,
            &s.path,
            title,
            s.meta.description.clone().unwrap_or_default(),
            parent,
            None,
            &contents.sections[i].html,
        ));
    }
    found.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    found
}

fn document(
    data: &SiteData,
    path: &str,
    title: String,
    description: String,
    section: String,
    date: Option<(String, i64)>,
    html: &str,
) -> Found {
    let body_blocks = extract::blocks(html);
    let body: String = body_blocks.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n");
    let mut blocks = vec![(Field::Title, extract::collapse(&title))];
    if !description.trim().is_empty() {
        blocks.push((Field::Heading, extract::collapse(&description)));
    }
    blocks.extend(body_blocks);
    Found {
        doc: Doc {
            url: url_path(&data.config.make_permalink(path)),
            title: extract::collapse(&title),
            section,
            date: date.as_ref().map(|(ymd, _)| ymd.clone()),
            blocks,
        },
        date: date.map(|(_, t)| t),
        path: path.to_string(),
        description,
        body,
    }
}

/// How many documents (newest first) are dated within [`index::RECENT_DAYS`] of the newest.
fn recent_count(found: &[Found]) -> usize {
    let Some(newest) = found.first().and_then(|f| f.date) else { return 0 };
    found.iter().take_while(|f| f.date.is_some_and(|d| newest - d <= index::RECENT_DAYS * 86_400)).count()
}

/// The traditional→simplified pairs whose simplified character occurs in the documents: the
/// others cannot change what a query finds.
fn fold_pairs(docs: &[Arc<Analysed>]) -> String {
    let used: HashSet<char> = docs.iter().flat_map(|d| d.han.iter().copied()).collect();
    t2s::pairs().iter().filter(|(_, s)| used.contains(s)).flat_map(|(t, s)| [*t, *s]).collect()
}

#[cfg(test)]
mod tests;
