//! Internal link checking: every `@/` link's anchor, and every `#anchor` on the same page,
//! must exist. Targets themselves were resolved while rendering Markdown.

use crate::content::{Item, Library};
use crate::data::Contents;
use crate::problems::Problem;

fn has_anchor(rendered: &crate::markdown::Rendered, anchor: &str) -> bool {
    rendered.heading_ids.iter().any(|id| id == anchor)
        || rendered.html.contains(&format!("id=\"{anchor}\""))
        || rendered.html.contains(&format!("name=\"{anchor}\""))
}

/// Every broken anchor of the site, with file and line.
pub fn check(library: &Library, contents: &Contents) -> Vec<Problem> {
    let mut problems = Vec::new();
    let sources = library
        .pages
        .iter()
        .map(|p| &p.file)
        .zip(contents.pages.iter())
        .chain(library.sections.iter().map(|s| &s.file).zip(contents.sections.iter()));
    for (file, rendered) in sources {
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
                let available: Vec<&str> = target.heading_ids.iter().map(String::as_str).take(12).collect();
                problems.push(Problem::at(
                    file,
                    link.line,
                    format!(
                        "broken anchor `{shown}#{anchor}`: no heading with that id (headings there: {})",
                        if available.is_empty() { "none".to_string() } else { available.join(", ") }
                    ),
                ));
            }
        }
    }
    problems
}
