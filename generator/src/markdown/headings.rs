//! Headings: a stable id for every heading (Chinese kept, repeats numbered, explicit `{#id}`s
//! kept) and the nested table of contents in Zola's shape.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Serialize;

use super::{LineMap, RenderContext, Rendered, Source};
use crate::config::InsertAnchor;
use crate::problems::Problem;

/// One heading in the table of contents, Zola's shape.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Heading {
    pub level: u32,
    pub id: String,
    pub permalink: String,
    pub title: String,
    pub children: Vec<Heading>,
}

/// Gives every heading a stable id (Chinese kept, repeats numbered) and builds the TOC.
pub(super) fn assign_heading_ids(
    events: &mut [(Event, usize)],
    source: &Source,
    strategy: Option<crate::slug::Strategy>,
    out: &mut Rendered,
) {
    let mut taken = HashSet::new();
    // Explicit ids ({#id}) are taken first so generated ones never collide with them.
    for (e, _) in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            taken.insert(id.to_string());
        }
    }
    let mut flat: Vec<Heading> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let level = *level as u32;
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut title = String::new();
            let mut j = i + 1;
            while j < events.len() {
                match &events[j].0 {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => title.push_str(t),
                    _ => {}
                }
                j += 1;
            }
            let id = match explicit {
                Some(id) => id,
                None => {
                    let id = crate::slug::unique_id_by(&title, strategy, &mut taken);
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    id
                }
            };
            out.heading_ids.push(id.clone());
            flat.push(Heading {
                level,
                permalink: format!("{}#{}", source.permalink, id),
                id,
                title: title.trim().to_string(),
                children: Vec::new(),
            });
            i = j;
        }
        i += 1;
    }
    out.toc = nest(flat);
}

/// Zola's `insert_anchor_links`: the `anchor-link.html` template's link before (`left`) or after
/// (`right`) each heading's text, or its opening tag around the text (`heading`).
pub(super) fn insert_anchor_links(
    events: &mut Vec<(Event, usize)>,
    source: &Source,
    lines: &LineMap,
    ctx: &dyn RenderContext,
    out: &mut Rendered,
) {
    if !events.iter().any(|(e, _)| matches!(e, Event::Start(Tag::Heading { .. }))) {
        return;
    }
    let mut with_links = Vec::with_capacity(events.len() + 8);
    let mut closing: Option<(InsertAnchor, String)> = None;
    for (event, offset) in events.drain(..) {
        match &event {
            Event::Start(Tag::Heading { id, level, .. }) => {
                let id = id.as_deref().unwrap_or("").to_string();
                let level = *level as u32;
                with_links.push((event, offset));
                match ctx.anchor_link(&id, level) {
                    None | Some((InsertAnchor::None, _)) => {}
                    Some((_, Err(message))) => {
                        out.problems.push(Problem::at(source.file, lines.line(offset), message));
                    }
                    Some((place, Ok(html))) => {
                        let opening = match place {
                            InsertAnchor::Left => Some(html.clone()),
                            InsertAnchor::Heading => html.find('>').map(|end| html[..=end].to_string()),
                            _ => None,
                        };
                        if let Some(opening) = opening {
                            with_links.push((Event::Html(CowStr::from(opening)), offset));
                        }
                        closing = match place {
                            InsertAnchor::Right => Some((place, html)),
                            InsertAnchor::Heading => Some((place, "</a>".to_string())),
                            _ => None,
                        };
                    }
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((_, html)) = closing.take() {
                    with_links.push((Event::Html(CowStr::from(html)), offset));
                }
                with_links.push((event, offset));
            }
            _ => with_links.push((event, offset)),
        }
    }
    *events = with_links;
}

/// Nests a flat heading list by level.
fn nest(flat: Vec<Heading>) -> Vec<Heading> {
    fn insert(into: &mut Vec<Heading>, h: Heading) {
        if let Some(last) = into.last_mut()
            && h.level > last.level
        {
            insert(&mut last.children, h);
            return;
        }
        into.push(h);
    }
    let mut top = Vec::new();
    for h in flat {
        insert(&mut top, h);
    }
    top
}
