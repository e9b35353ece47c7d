//! Tera templates: zhibu's built-ins, then the theme's `themes/<name>/templates/`, then the
//! site's `templates/`, each overriding the one before file by file. Parsed once per build (and
//! once per template change under `serve`).
//!
//! As in Zola, every theme template is also registered as `<theme>/templates/<name>`, so a site
//! template can extend or include the theme's file it replaces
//! (`{% extends "hyde/templates/page.html" %}`), and every built-in is also registered as
//! `__zola_builtins/<name>`, Zola's name for its own.

pub mod filters;
pub mod functions;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::messages::{self, Reader, Text};
use crate::problems::{BuildError, Problem, Problems};

const BUILTINS: &[(&str, &str)] = &[
    ("atom.xml", include_str!("builtin/atom.xml")),
    ("sitemap.xml", include_str!("builtin/sitemap.xml")),
    ("robots.txt", include_str!("builtin/robots.txt")),
    ("404.html", include_str!("builtin/404.html")),
    ("internal/alias.html", include_str!("builtin/internal/alias.html")),
    ("rss.xml", include_str!("builtin/rss.xml")),
    ("split_sitemap_index.xml", include_str!("builtin/split_sitemap_index.xml")),
    ("anchor-link.html", include_str!("builtin/anchor-link.html")),
    ("summary-cutoff.html", include_str!("builtin/summary-cutoff.html")),
];

/// The prefix Zola registers its built-in templates under.
const BUILTIN_PREFIX: &str = "__zola_builtins/";

/// Parsed templates and where each came from (for messages).
#[derive(Clone)]
pub struct Templates {
    pub tera: Tera,
    /// Template name → file relative to the site root (`None` for built-ins).
    pub sources: BTreeMap<String, Option<PathBuf>>,
    /// Hash of every template's name and text: equal means the same templates.
    pub fingerprint: u64,
    /// The keys templates read from a page's or section's `[extra]` (`page.extra.series`,
    /// `p.extra.share`; not `config.extra.…`), for the message about such a key written outside
    /// `[extra]`.
    pub extra_keys: BTreeSet<String>,
    /// How many of `sources` are second names (`<theme>/templates/…`, `__zola_builtins/…`).
    pub second_names: usize,
}

impl Templates {
    /// Loads and parses every template, reporting every syntax error at once.
    pub fn load(root: &Path, theme: Option<&str>) -> Result<Templates, BuildError> {
        let mut files: BTreeMap<String, (Option<PathBuf>, String)> = BTreeMap::new();
        // Second names of files (`hyde/templates/page.html`, `__zola_builtins/atom.xml`), added
        // after the syntax check so a mistake is reported once.
        let mut aliases: BTreeMap<String, (Option<PathBuf>, String)> = BTreeMap::new();
        for (name, text) in BUILTINS {
            files.insert((*name).to_string(), (None, (*text).to_string()));
            aliases.insert(format!("{BUILTIN_PREFIX}{name}"), (None, (*text).to_string()));
        }
        let mut problems = Problems::default();
        // Each folder with the prefix of its files' second names.
        let mut dirs: Vec<(PathBuf, Option<String>)> = Vec::new();
        if let Some(theme) = theme {
            let dir = root.join("themes").join(theme);
            if !dir.is_dir() {
                return Err(Problem::in_file("config.toml", messages::theme_not_found(theme)).into());
            }
            dirs.push((dir.join("templates"), Some(format!("{theme}/templates/"))));
        }
        dirs.push((root.join("templates"), None));
        for (dir, alias_prefix) in dirs {
            if !dir.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        problems.push(Problem::new(messages::cannot_read_folder(
                            &dir.display().to_string(),
                            &e.to_string(),
                        )));
                        continue;
                    }
                };
                if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                let name = entry
                    .path()
                    .strip_prefix(&dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
                match std::fs::read_to_string(entry.path()) {
                    Ok(text) => {
                        if let Some(prefix) = &alias_prefix {
                            aliases.insert(format!("{prefix}{name}"), (Some(rel.clone()), text.clone()));
                        }
                        files.insert(name, (Some(rel), text));
                    }
                    Err(e) => {
                        problems.push(Problem::in_file(&rel, messages::cannot_read_file(&e.to_string())))
                    }
                }
            }
        }
        // Parse each template alone first so every syntax error is reported, not just the first.
        for (name, (file, text)) in &files {
            if let Err(e) = tera::Template::new(name, None, text) {
                let (line, message) = describe_parse_error(&e);
                let file = file.clone().unwrap_or_else(|| PathBuf::from(format!("<built-in {name}>")));
                problems.push(Problem {
                    file: Some(file),
                    line,
                    message: messages::template_syntax_error(&message),
                });
            }
        }
        if !problems.is_empty() {
            return Err(problems.into_error());
        }
        let mut second_names = 0;
        for (name, file) in aliases {
            // A site file named like a theme's second name (`templates/hyde/templates/x.html`)
            // is the site's own.
            if let std::collections::btree_map::Entry::Vacant(e) = files.entry(name) {
                e.insert(file);
                second_names += 1;
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        tera.set_escape_fn(escape_html);
        filters::register(&mut tera);
        let sources: BTreeMap<String, Option<PathBuf>> =
            files.iter().map(|(n, (f, _))| (n.clone(), f.clone())).collect();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (name, (_, text)) in &files {
            hasher.update(name.as_bytes());
            hasher.update(&[0]);
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
        }
        let fingerprint = hasher.digest();
        let extra_keys = files.values().flat_map(|(_, text)| extra_keys_read(text)).collect();
        if let Err(e) = tera.add_raw_templates(files.iter().map(|(n, (_, t))| (n.clone(), t.clone()))) {
            // Inheritance problems: a missing parent, a missing macro file.
            return Err(Problem::new(messages::templates_error(&chain(&e))).into());
        }
        Ok(Templates { tera, sources, fingerprint, extra_keys, second_names })
    }

    /// How many templates there are, each file once (not its second name).
    pub fn count(&self) -> usize {
        self.sources.len() - self.second_names
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// The names of the shortcodes (`shortcodes/NAME.html` or `.md`), sorted.
    pub fn shortcodes(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .sources
            .keys()
            .filter_map(|n| n.strip_prefix("shortcodes/"))
            .filter_map(|n| n.strip_suffix(".html").or_else(|| n.strip_suffix(".md")))
            .filter(|n| !n.contains('/'))
            .map(str::to_string)
            .collect();
        names.dedup();
        names
    }

    /// File of a template for messages, e.g. `themes/zhibu/templates/page.html`.
    pub fn file_of(&self, name: &str) -> PathBuf {
        match self.sources.get(name) {
            Some(Some(p)) => p.clone(),
            _ => PathBuf::from(format!("<built-in {name}>")),
        }
    }
}

/// What an editor is told about a data file a template could not read (`reader` names the
/// template or shortcode): that it is missing, with the closest file there is, or what is wrong
/// with it; not the template's internals.
pub fn data_file_message(d: &functions::DataFileError, reader: &Reader, root: &Path) -> Text {
    if d.missing {
        let suggestion = functions::closest_data_file(root, &d.path);
        messages::missing_data_file(&d.path, reader, suggestion.as_deref())
    } else {
        messages::bad_data_file(&d.path, reader, &d.why)
    }
}

/// The keys a template reads from `<something>.extra.<key>`, except `config.extra`.
fn extra_keys_read(text: &str) -> Vec<String> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut keys = Vec::new();
    for (at, _) in text.match_indices(".extra.") {
        // The variable before `.extra.`, read backwards.
        let before: String = text[..at].chars().rev().take_while(|c| ident(*c)).collect();
        if before.is_empty() || before == "config".chars().rev().collect::<String>() {
            continue;
        }
        let key: String = text[at + ".extra.".len()..].chars().take_while(|c| ident(*c)).collect();
        if !key.is_empty() {
            keys.push(key);
        }
    }
    keys
}

/// HTML escaping for template output: `&`, `<`, `>`, `"`, `'`. Unlike tera's default it leaves
/// `/` alone, so URLs stay readable in the page source.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole cause chain of a tera error, one clause after another.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(text.trim())) {
            parts.push(text);
        }
        cur = s.source();
    }
    parts.join(": ")
}

/// Tera's parse errors embed pest's ` --> line:col` and a caret drawing; keep the line and the
/// expectation.
fn describe_parse_error(e: &tera::Error) -> (Option<usize>, String) {
    let text = chain(e);
    let line =
        text.split("--> ").nth(1).and_then(|rest| rest.split(':').next()).and_then(|n| n.trim().parse().ok());
    let expectation = text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('=') || l.contains("expected"))
        .map(|l| l.trim_start_matches('=').trim())
        .next_back()
        .unwrap_or_else(|| text.lines().next().unwrap_or(""))
        .to_string();
    (line, expectation)
}

/// First line of a template that mentions `needle`, for runtime errors that tera reports
/// without a position.
pub fn line_mentioning(root: &Path, file: &Path, needle: &str) -> Option<usize> {
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extra_keys_templates_read_are_found_but_not_the_configs() {
        let text = "{{ page.extra.series }}{% if p.extra.share %}{{ section.extra.ordered }}{{ config.extra.nav }}{{ extra.x }}";
        assert_eq!(extra_keys_read(text), ["series", "share", "ordered"]);
    }
}
