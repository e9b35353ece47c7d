//! Headings: a stable id for every heading (Chinese kept, repeats numbered, explicit `{#id}`s
//! kept) and the nested table of contents in Zola's shape.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Serialize;

use super::{Rendered, Source};

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
pub(super) fn assign_heading_ids(events: &mut [(Event, usize)], source: &Source, out: &mut Rendered) {
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
                    let id = crate::slug::unique_id(&title, &mut taken);
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
