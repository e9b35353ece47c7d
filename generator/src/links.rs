//! Link checking, once every body is rendered: every `@/` link's anchor, every `#anchor` on the
//! same page, and every link or image to the site's own addresses written as a URL
//! (`/guide/dues/#交多少`, `../dues/`, `poster.png`, `/images/logo.png`) must exist — the address
//! among the files the build will write (pages, sections, lists, feeds, bundles' files, static
//! files), the anchor among the headings of the page it names. `@/` targets themselves were
//! resolved while rendering Markdown. Links to other sites and to the functions (`/api/…`) are
//! not checked.

use std::collections::{BTreeSet, HashMap};

use crate::config::LinkLevel;
use crate::content::{Item, Library};
use crate::data::{Contents, SiteData};
use crate::markdown::{Reference, Rendered};
use crate::messages::{self, Looked, Text};
use crate::problems::Problem;
use crate::suggest::closest;

fn has_anchor(rendered: &Rendered, anchor: &str) -> bool {
    rendered.heading_ids.iter().any(|id| id == anchor)
        || rendered.html.contains(&format!("id=\"{anchor}\""))
        || rendered.html.contains(&format!("name=\"{anchor}\""))
}

fn headings(target: &Rendered) -> Vec<String> {
    target.heading_ids.iter().take(12).cloned().collect()
}

/// Every broken link, anchor and image of the site, with file and line: the errors, then the
/// warnings, as `[link_checker]` sorts them (`internal_level` for `@/` and `#` anchors,
/// `plain_level` for links written as addresses). `outputs` are the paths of the files the
/// build writes ([`crate::render::planned_outputs`]).
pub fn check(
    data: &SiteData,
    contents: &Contents,
    outputs: &BTreeSet<String>,
) -> (Vec<Problem>, Vec<Problem>) {
    let library = &data.library;
    let levels = &data.config.link_checker;
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let mut report = |level: LinkLevel, problem: Problem| match level {
        LinkLevel::Error => errors.push(problem),
        LinkLevel::Warn => warnings.push(problem),
    };
    // Globs checked when the config was read; a pattern that fails here ignores nothing.
    let ignored = ignored_files(&levels.ignored_files);
    let sources = (library.pages.iter().enumerate().map(|(i, p)| (Item::Page(i), &p.file, &p.path)))
        .zip(contents.pages.iter())
        .chain(
            library
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| (Item::Section(i), &s.file, &s.path))
                .zip(contents.sections.iter()),
        );
    let site = Site::new(data, contents, outputs);
    for ((item, file, path), rendered) in sources {
        let content_path = file.strip_prefix("content").unwrap_or(file);
        if ignored.is_match(content_path) {
            continue;
        }
        for link in &rendered.links {
            let Some(anchor) = &link.anchor else { continue };
            let (target, shown) = match &link.target {
                None => (Some(rendered), String::new()),
                Some(path) => {
                    let target = match library.get(path) {
                        Some(Item::Page(i)) => contents.pages.get(i),
                        Some(Item::Section(i)) => contents.sections.get(i),
                        None => None,
                    };
                    (target, format!("@/{path}"))
                }
            };
            if let Some(target) = target
                && !has_anchor(target, anchor)
            {
                let available = headings(target);
                report(
                    levels.internal_level,
                    Problem::at(
                        file,
                        link.line,
                        messages::broken_anchor(&format!("{shown}#{anchor}"), &available),
                    ),
                );
            }
        }
        for reference in &rendered.references {
            if let Some(message) = site.check(item, path, reference) {
                report(levels.plain_level, Problem::at(file, reference.line, message));
            }
        }
    }
    (errors, warnings)
}

fn ignored_files(patterns: &[String]) -> globset::GlobSet {
    let mut builder = globset::GlobSetBuilder::new();
    for glob in patterns.iter().filter_map(|p| globset::Glob::new(p).ok()) {
        builder.add(glob);
    }
    builder.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// What the checks of URLs look things up in.
struct Site<'a> {
    library: &'a Library,
    contents: &'a Contents,
    outputs: &'a BTreeSet<String>,
    /// Site path (`/guide/dues/`) → page or section.
    by_path: HashMap<&'a str, Item>,
    static_files: &'a std::collections::BTreeMap<String, std::path::PathBuf>,
    /// The folder the site is served from (`/apollo`), from `base_url`; empty at the root.
    base_path: &'a str,
}

impl<'a> Site<'a> {
    fn new(data: &'a SiteData, contents: &'a Contents, outputs: &'a BTreeSet<String>) -> Self {
        let library = &data.library;
        let mut by_path: HashMap<&str, Item> =
            library.sections.iter().enumerate().map(|(i, s)| (s.path.as_str(), Item::Section(i))).collect();
        by_path.extend(library.pages.iter().enumerate().map(|(i, p)| (p.path.as_str(), Item::Page(i))));
        let base_path = data.config.base_path();
        Site { library, contents, outputs, by_path, static_files: &data.static_files, base_path }
    }

    fn rendered(&self, item: Item) -> Option<&'a Rendered> {
        match item {
            Item::Page(i) => self.contents.pages.get(i),
            Item::Section(i) => self.contents.sections.get(i),
        }
    }

    /// The output file an address names, if the build writes one.
    fn output_of(&self, path: &str) -> Option<String> {
        let key = path.trim_start_matches('/');
        let candidates = if key.is_empty() {
            vec!["index.html".to_string()]
        } else if key.ends_with('/') {
            vec![format!("{key}index.html")]
        } else {
            vec![key.to_string(), format!("{key}/index.html")]
        };
        candidates.into_iter().find(|c| self.outputs.contains(c))
    }

    /// The message about `reference` on the page or section `from` at site path `base`, if it is
    /// broken.
    fn check(&self, from: Item, base: &str, reference: &Reference) -> Option<Text> {
        let url = reference.url.as_str();
        let (before_anchor, anchor) = match url.split_once('#') {
            Some((p, a)) => (p, Some(percent_decode(a))),
            None => (url, None),
        };
        let written = before_anchor.split('?').next().unwrap_or("");
        if written.is_empty() {
            return None;
        }
        // A site served from a folder (`base_url = "https://x.github.io/apollo"`) is linked to as
        // `/apollo/tags/`; an address outside that folder is another site on the same host.
        let written = match written.strip_prefix('/') {
            Some(_) if !self.base_path.is_empty() => match written.strip_prefix(self.base_path) {
                Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
                _ => return None,
            },
            _ => written,
        };
        let written = if written.is_empty() { "/" } else { written };
        let path = resolve(base, &percent_decode(written));
        if path == "/api" || path.starts_with("/api/") {
            return None;
        }
        if written.ends_with(".md") && self.output_of(&path).is_none() {
            return Some(messages::broken_link(url, None, Some(&self.content_path_of(from, written))));
        }
        match self.output_of(&path) {
            Some(_) => {
                let anchor = anchor.filter(|a| !a.is_empty())?;
                let slash = if path.ends_with('/') { path.clone() } else { format!("{path}/") };
                let target = self.by_path.get(slash.as_str()).and_then(|i| self.rendered(*i))?;
                (!has_anchor(target, &anchor))
                    .then(|| messages::broken_link_anchor(url, &anchor, &headings(target)))
            }
            None if reference.image || is_file_name(&path) => {
                Some(self.missing_file(from, url, &path, reference.image))
            }
            None => {
                let pages = self.by_path.keys().copied();
                let slash = if path.ends_with('/') { path.clone() } else { format!("{path}/") };
                let suggestion = closest(&slash, pages);
                Some(messages::broken_link(url, suggestion, None))
            }
        }
    }

    /// The content path a link to a Markdown file means (`dues.md` from `guide/a.md` is
    /// `guide/dues.md`): relative to the linking file's folder, or to `content/` with a `/`.
    fn content_path_of(&self, from: Item, written: &str) -> String {
        let file = match from {
            Item::Page(i) => &self.library.pages[i].content_path,
            Item::Section(i) => &self.library.sections[i].content_path,
        };
        let dir = match file.rfind('/') {
            Some(cut) => format!("/{}/", &file[..cut]),
            None => "/".to_string(),
        };
        resolve(&dir, &percent_decode(written)).trim_start_matches('/').to_string()
    }

    /// The message about a file (an image, a document) that nothing publishes at `path`: where
    /// it was looked for, and a file of a close name there or of the same name elsewhere.
    fn missing_file(&self, from: Item, url: &str, path: &str, image: bool) -> Text {
        let (dir, name) = match path.rfind('/') {
            Some(cut) => (&path[..=cut], &path[cut + 1..]),
            None => ("/", path),
        };
        let lib = self.library;
        // Who publishes files at `dir`: a bundle or a section (their own files), else static/.
        let owner = self.by_path.get(dir).copied();
        let mut needs_bundle = None;
        let looked = match owner {
            Some(Item::Page(i)) if lib.pages[i].bundle_dir.is_some() => {
                let bundle = lib.pages[i].bundle_dir.as_deref().unwrap_or(std::path::Path::new(""));
                Looked::InBundle(format!("{}/{name}", bundle.display()))
            }
            Some(Item::Section(i)) if lib.sections[i].from_file => {
                let folder = lib.sections[i].file.parent().unwrap_or(std::path::Path::new("content"));
                Looked::InFolderOrStatic(format!("{}/{name}", folder.display()), path.to_string())
            }
            Some(Item::Page(i)) => {
                let page = &lib.pages[i];
                if Item::Page(i) == from {
                    let bundle = page.file.with_extension("");
                    needs_bundle = Some((page.file.display().to_string(), bundle.display().to_string()));
                }
                Looked::InStatic(path.to_string())
            }
            _ => Looked::InStatic(path.to_string()),
        };
        let needs_bundle = needs_bundle.as_ref().map(|(p, b)| (p.as_str(), b.as_str()));
        // A close name in the same folder, written the way the link was.
        let prefix = dir.trim_start_matches('/');
        let beside: Vec<&str> = self
            .outputs
            .iter()
            .filter_map(|o| o.strip_prefix(prefix))
            .filter(|rest| !rest.contains('/') && !rest.is_empty())
            .collect();
        let written_dir = match url.split(['#', '?']).next().unwrap_or(url).rfind('/') {
            Some(cut) => &url[..=cut],
            None => "",
        };
        let suggestion =
            closest(name, beside.iter().copied()).map(|n| format!("{written_dir}{n}")).or_else(|| {
                // The same name somewhere in static/.
                self.static_files
                    .keys()
                    .find(|f| {
                        f.rsplit('/').next() == Some(name)
                            || f.rsplit('/').next().is_some_and(|n| n.eq_ignore_ascii_case(name))
                    })
                    .map(|f| format!("/{f}"))
            });
        if image {
            messages::missing_image(url, &looked, suggestion.as_deref(), needs_bundle)
        } else {
            messages::missing_linked_file(url, &looked, suggestion.as_deref(), needs_bundle)
        }
    }
}

/// Whether the last segment of a path names a file (`poster.png`, `form.docx`), not a page.
fn is_file_name(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty() && ext != "html" && ext != "htm")
}

/// The site path `url` names from the page at `base` (`/guide/a/` + `../dues/` = `/guide/dues/`):
/// `.` and `..` resolved, a trailing `/` kept.
fn resolve(base: &str, url: &str) -> String {
    let joined = if url.starts_with('/') { url.to_string() } else { format!("{base}{url}") };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let ends_as_dir = joined.ends_with('/') || joined.ends_with("/.") || joined.ends_with("/..");
    let mut path = format!("/{}", parts.join("/"));
    if ends_as_dir && !path.ends_with('/') {
        path.push('/');
    }
    path
}

/// `%E4%BA%A4` → `交`; anything else as it is.
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_addresses_resolve_from_the_page() {
        assert_eq!(resolve("/guide/a/", "../dues/"), "/guide/dues/");
        assert_eq!(resolve("/guide/a/", "poster.png"), "/guide/a/poster.png");
        assert_eq!(resolve("/guide/a/", "/me/dues/"), "/me/dues/");
        assert_eq!(resolve("/guide/a/", "../../"), "/");
        assert_eq!(resolve("/guide/a/", "./"), "/guide/a/");
        assert_eq!(resolve("/", "../../x"), "/x");
    }

    #[test]
    fn percent_encoding_is_decoded() {
        assert_eq!(percent_decode("%E4%BA%A4%E5%A4%9A%E5%B0%91"), "交多少");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn file_names_are_told_from_pages() {
        assert!(is_file_name("/files/form.docx"));
        assert!(is_file_name("/a/poster.png"));
        assert!(!is_file_name("/guide/dues/"));
        assert!(!is_file_name("/guide/dues"));
        assert!(!is_file_name("/guide/dues/index.html"));
        assert!(!is_file_name("/.well-known"));
    }
}
