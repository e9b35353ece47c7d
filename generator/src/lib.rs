//! zhibu's site generator: Markdown content with TOML front matter, rendered with
//! pulldown-cmark and laid out with tera templates, the way Zola does it.
//!
//! Two phases, run by [`build`] (and [`site::build_cached`] under `serve`): everything is loaded
//! into an immutable [`data::SiteData`] (config, [`content::Library`], static files), then every
//! output file is rendered in memory, in parallel, by [`render`]. Only then [`output::sync`]
//! writes what changed. A failed build writes nothing.
//!
//! Modules depend on each other in one direction only: [`site`], the pipeline, on top; [`data`]
//! and the parsers below everything that renders. The `module_graph_has_no_circle` test keeps
//! it that way.

pub mod cache;
pub mod calendar;
pub mod catalog;
pub mod config;
pub mod content;
pub mod data;
pub mod highlight_cache;
pub mod images;
pub mod links;
pub mod markdown;
pub mod messages;
pub mod output;
pub mod problems;
pub mod reading;
pub mod render;
pub mod sass;
pub mod schedule;
pub mod search;
pub mod serialize;
pub mod site;
pub mod slug;
pub mod strict_toml;
pub mod suggest;
pub mod templates;

pub use problems::{BuildError, Problem};
pub use site::{BuildOptions, Built, Progress, Silent, build};

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// The other top-level modules a file names through `crate::`, including `use crate::{a, b}`.
    fn crate_paths(text: &str) -> BTreeSet<String> {
        let ident = |s: &str| -> String {
            s.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
        };
        let mut names = BTreeSet::new();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            match rest.strip_prefix('{') {
                Some(group) => {
                    // Only the group's first level names modules: `{a::{x, y}, b}` → a, b.
                    let mut depth = 0;
                    let mut start = true;
                    for (j, c) in group.char_indices() {
                        match c {
                            '{' => depth += 1,
                            '}' if depth == 0 => break,
                            '}' => depth -= 1,
                            ',' if depth == 0 => start = true,
                            _ if start && !c.is_whitespace() => {
                                names.insert(ident(&group[j..]));
                                start = false;
                            }
                            _ => {}
                        }
                    }
                }
                None => {
                    names.insert(ident(rest));
                }
            }
        }
        names
    }

    /// Which top-level module of `generator/src` (a file or a folder) uses which others.
    fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
            let path = entry.path();
            let Ok(rel) = path.strip_prefix(&src) else { continue };
            if path.extension().is_none_or(|e| e != "rs") || rel == Path::new("lib.rs") {
                continue;
            }
            let first = rel.components().next().expect("a file under src has a first component");
            let module = first.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(path).expect("a source file is readable");
            files.entry(module).or_insert_with(BTreeSet::new).extend(crate_paths(&text));
        }
        let modules: BTreeSet<String> = files.keys().cloned().collect();
        files
            .into_iter()
            .map(|(module, used)| {
                let used = used.into_iter().filter(|u| modules.contains(u) && *u != module).collect();
                (module, used)
            })
            .collect()
    }

    /// A circle of the graph as `a → b → a`, if there is one.
    fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
        fn visit<'a>(
            node: &'a str,
            graph: &'a BTreeMap<String, BTreeSet<String>>,
            path: &mut Vec<&'a str>,
            done: &mut BTreeSet<&'a str>,
        ) -> Option<String> {
            if let Some(at) = path.iter().position(|n| *n == node) {
                let mut circle = path[at..].to_vec();
                circle.push(node);
                return Some(circle.join(" → "));
            }
            if done.contains(node) {
                return None;
            }
            path.push(node);
            for next in graph.get(node).into_iter().flatten() {
                if let Some(circle) = visit(next, graph, path, done) {
                    return Some(circle);
                }
            }
            path.pop();
            done.insert(node);
            None
        }
        let mut done = BTreeSet::new();
        graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
    }

    #[test]
    fn crate_paths_are_read_from_uses_and_paths() {
        let text = "use crate::data::{Body, OutputFile};\nuse crate::{config, content::{Item, Library}};\nlet x = crate::slug::term_slug(name);";
        let names: Vec<String> = crate_paths(text).into_iter().collect();
        assert_eq!(names, ["config", "content", "data", "slug"]);
    }

    #[test]
    fn a_circle_is_found() {
        let graph: BTreeMap<String, BTreeSet<String>> =
            [("site", &["render"][..]), ("render", &["serialize"][..]), ("serialize", &["site"][..])]
                .into_iter()
                .map(|(m, uses)| (m.to_string(), uses.iter().map(|u| u.to_string()).collect()))
                .collect();
        assert_eq!(find_circle(&graph).as_deref(), Some("render → serialize → site → render"));
    }

    #[test]
    fn module_graph_has_no_circle() {
        let graph = module_graph();
        assert!(graph.contains_key("site") && graph.contains_key("render"), "{graph:?}");
        assert!(graph["site"].contains("render"), "the scan sees `use crate::…`: {graph:?}");
        if let Some(circle) = find_circle(&graph) {
            panic!("generator modules import each other in a circle: {circle}\nthe graph: {graph:#?}");
        }
    }
}
