//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough, task lists; stable
//! heading ids that keep Chinese; a table of contents; `@/` internal links; highlighted code;
//! shortcodes; the `<!-- more -->` summary.
//!
//! Pure: text in, [`Rendered`] out. What the page links to is returned for the link checker
//! rather than checked here, because a link's anchor lives in another page's render.

pub mod highlight;
pub mod shortcodes;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Serialize;

use crate::config;
use crate::problems::Problem;
use shortcodes::{Call, Piece};

/// What a shortcode rendered to.
pub enum ShortcodeOutput {
    /// HTML placed as is (a block when the call stands alone in its paragraph).
    Html(String),
    /// Markdown rendered with the rest of the page (`templates/shortcodes/NAME.md`).
    Markdown(String),
}

/// What rendering needs from the site.
pub trait RenderContext {
    /// URL of a content file given as `@/section/page.md` (without the `@/`), if it exists.
    fn resolve(&self, content_path: &str) -> Option<String>;
    /// Renders one shortcode call.
    fn shortcode(&self, call: &Call) -> Result<ShortcodeOutput, String>;
}

/// One heading in the table of contents, Zola's shape.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Heading {
    pub level: u32,
    pub id: String,
    pub permalink: String,
    pub title: String,
    pub children: Vec<Heading>,
}

/// An `@/` link (or a `#anchor` on the same page) for the link checker.
#[derive(Debug, Clone, PartialEq)]
pub struct InternalLink {
    /// Content path of the target (`section/page.md`); `None` for an anchor on the same page.
    pub target: Option<String>,
    pub anchor: Option<String>,
    pub line: usize,
}

/// The result of rendering one content file's body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub summary: Option<String>,
    pub toc: Vec<Heading>,
    pub heading_ids: Vec<String>,
    pub links: Vec<InternalLink>,
    /// Every shortcode call, with its line, for checks such as the catalog's.
    pub shortcodes: Vec<UsedShortcode>,
    /// Han characters and words of the prose (not code, not markup, not shortcodes).
    pub stats: crate::reading::TextStats,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// A shortcode call as used on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct UsedShortcode {
    pub name: String,
    pub args: serde_json::Map<String, serde_json::Value>,
    pub line: usize,
}

/// Where the body came from, for messages and permalinks.
pub struct Source<'a> {
    /// File relative to the site root, e.g. `content/notices/a.md`.
    pub file: &'a Path,
    /// 1-based line of the body's first line in that file.
    pub body_line: usize,
    /// Permalink of the page, for table-of-contents links.
    pub permalink: &'a str,
}

const SUMMARY_MARKER: &str = "<!-- more -->";

/// Renders a Markdown body.
pub fn render(body: &str, source: &Source, options: &config::Markdown, ctx: &dyn RenderContext) -> Rendered {
    let mut out = Rendered::default();
    let expanded = expand_shortcodes(body, source, ctx, &mut out);
    let lines = LineMap::new(&expanded.text, source.body_line, &expanded.shifts);

    let mut opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if options.smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }
    if options.definition_list {
        opts |= Options::ENABLE_DEFINITION_LIST;
    }
    let mut events: Vec<(Event, usize)> =
        Parser::new_ext(&expanded.text, opts).into_offset_iter().map(|(e, range)| (e, range.start)).collect();

    assign_heading_ids(&mut events, source, &mut out);
    let mut summary_at = None;
    let mut rewritten: Vec<Event> = Vec::with_capacity(events.len());
    let mut footnotes: Vec<Event> = Vec::new();
    let mut in_footnote = 0usize;
    let mut i = 0;
    while i < events.len() {
        let (event, offset) = std::mem::replace(&mut events[i], (Event::Text(CowStr::Borrowed("")), 0));
        i += 1;
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                while i < events.len() {
                    let (e, _) = std::mem::replace(&mut events[i], (Event::Text(CowStr::Borrowed("")), 0));
                    i += 1;
                    match e {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                Event::Html(code_block(&code, &lang, options, &lines, offset, source, &mut out).into())
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                match link(&dest_url, &title, options, &lines, offset, source, ctx, &mut out) {
                    Some(html) => Event::InlineHtml(html.into()),
                    None => Event::Start(Tag::Link { link_type, dest_url, title, id }),
                }
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                if matches!(events.get(i), Some((Event::End(TagEnd::Image), _))) {
                    out.warnings.push(Problem::at(
                        source.file,
                        lines.line(offset),
                        format!("image `{dest_url}` has no alt text: write ![what it shows]({dest_url})"),
                    ));
                }
                let dest_url = match dest_url.strip_prefix("@/") {
                    Some(target) => match resolve(target, &lines, offset, source, ctx, &mut out) {
                        Some(url) => CowStr::from(url),
                        None => dest_url,
                    },
                    None => dest_url,
                };
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            Event::Html(ref html) | Event::InlineHtml(ref html)
                if summary_at.is_none() && in_footnote == 0 && html.trim() == SUMMARY_MARKER =>
            {
                summary_at = Some(rewritten.len());
                continue;
            }
            Event::Start(Tag::FootnoteDefinition(_)) if options.bottom_footnotes => {
                in_footnote += 1;
                footnotes.push(event);
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) if options.bottom_footnotes => {
                in_footnote -= 1;
                footnotes.push(event);
                continue;
            }
            Event::Text(ref t) => {
                if !t.contains("ZHIBUSHORTCODE") {
                    out.stats.add(crate::reading::TextStats::of(t));
                }
                event
            }
            other => other,
        };
        if in_footnote > 0 {
            footnotes.push(event);
        } else {
            rewritten.push(event);
        }
    }

    let mut html = String::with_capacity(expanded.text.len() * 3 / 2);
    if let Some(at) = summary_at {
        pulldown_cmark::html::push_html(&mut html, rewritten[..at].iter().cloned());
        out.summary = Some(expanded.place(&html));
        html.clear();
    }
    pulldown_cmark::html::push_html(&mut html, rewritten.into_iter());
    if !footnotes.is_empty() {
        html.push_str("<section class=\"footnotes\">\n");
        pulldown_cmark::html::push_html(&mut html, footnotes.into_iter());
        html.push_str("</section>\n");
    }
    out.html = expanded.place(&html);
    out.html.shrink_to_fit();
    out
}

/// The body with shortcodes replaced by placeholders, and what to put back.
struct Expanded {
    text: String,
    /// HTML outputs of shortcodes, by placeholder number.
    html: Vec<String>,
    /// (offset in `text`, lines removed so far) where the text lost or gained lines.
    shifts: Vec<(usize, i64)>,
}

impl Expanded {
    fn placeholder(n: usize) -> String {
        format!("ZHIBUSHORTCODE{n}END")
    }

    /// Puts shortcode HTML back in place of the placeholders.
    fn place(&self, html: &str) -> String {
        if self.html.is_empty() {
            return html.to_owned();
        }
        let mut result = html.to_string();
        for (n, output) in self.html.iter().enumerate() {
            let token = Self::placeholder(n);
            let block = format!("<p>{token}</p>");
            if result.contains(&block) {
                result = result.replace(&block, output.trim_end());
            }
            result = result.replace(&token, output.trim_end());
        }
        result
    }
}

fn expand_shortcodes(body: &str, source: &Source, ctx: &dyn RenderContext, out: &mut Rendered) -> Expanded {
    let mut expanded =
        Expanded { text: String::with_capacity(body.len()), html: Vec::new(), shifts: Vec::new() };
    if !body.contains("{{") && !body.contains("{%") {
        expanded.text.push_str(body);
        return expanded;
    }
    let pieces = match shortcodes::parse(body) {
        Ok(p) => p,
        Err(e) => {
            let line = source.body_line + body[..e.offset.min(body.len())].matches('\n').count();
            out.problems.push(Problem::at(source.file, line, e.message));
            expanded.text.push_str(body);
            return expanded;
        }
    };
    let mut removed: i64 = 0;
    for piece in pieces {
        match piece {
            Piece::Text(t) => expanded.text.push_str(&t),
            Piece::Call(call) => {
                let original = &body[call.start..call.end];
                let line = source.body_line + body[..call.start].matches('\n').count();
                out.shortcodes.push(UsedShortcode { name: call.name.clone(), args: call.args.clone(), line });
                let replacement = match ctx.shortcode(&call) {
                    Ok(ShortcodeOutput::Markdown(md)) => md,
                    Ok(ShortcodeOutput::Html(html)) => {
                        expanded.html.push(html);
                        Expanded::placeholder(expanded.html.len() - 1)
                    }
                    Err(message) => {
                        out.problems.push(Problem::at(source.file, line, message));
                        String::new()
                    }
                };
                removed += original.matches('\n').count() as i64 - replacement.matches('\n').count() as i64;
                expanded.text.push_str(&replacement);
                expanded.shifts.push((expanded.text.len(), removed));
            }
        }
    }
    expanded
}

/// Maps byte offsets of the expanded text back to lines of the original file.
struct LineMap<'a> {
    text: &'a str,
    body_line: usize,
    shifts: &'a [(usize, i64)],
}

impl<'a> LineMap<'a> {
    fn new(text: &'a str, body_line: usize, shifts: &'a [(usize, i64)]) -> Self {
        LineMap { text, body_line, shifts }
    }

    fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let newlines = self.text.as_bytes()[..offset].iter().filter(|b| **b == b'\n').count() as i64;
        let shift =
            self.shifts.iter().take_while(|(at, _)| *at <= offset).last().map(|(_, s)| *s).unwrap_or(0);
        (self.body_line as i64 + newlines + shift).max(1) as usize
    }
}

/// Gives every heading a stable id (Chinese kept, repeats numbered) and builds the TOC.
fn assign_heading_ids(events: &mut [(Event, usize)], source: &Source, out: &mut Rendered) {
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

fn resolve(
    target: &str,
    lines: &LineMap,
    offset: usize,
    source: &Source,
    ctx: &dyn RenderContext,
    out: &mut Rendered,
) -> Option<String> {
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    let line = lines.line(offset);
    match ctx.resolve(path) {
        Some(url) => {
            out.links.push(InternalLink {
                target: Some(path.to_string()),
                anchor: anchor.map(str::to_string),
                line,
            });
            Some(match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url,
            })
        }
        None => {
            out.problems.push(Problem::at(
                source.file,
                line,
                format!("broken internal link `@/{target}`: there is no content/{path}"),
            ));
            None
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn link(
    dest: &str,
    title: &str,
    options: &config::Markdown,
    lines: &LineMap,
    offset: usize,
    source: &Source,
    ctx: &dyn RenderContext,
    out: &mut Rendered,
) -> Option<String> {
    let mut attrs = String::new();
    let href: String = if let Some(target) = dest.strip_prefix("@/") {
        resolve(target, lines, offset, source, ctx, out)?
    } else if let Some(anchor) = dest.strip_prefix('#') {
        out.links.push(InternalLink {
            target: None,
            anchor: Some(anchor.to_string()),
            line: lines.line(offset),
        });
        return None;
    } else if dest.starts_with("http://") || dest.starts_with("https://") || dest.starts_with("//") {
        let mut rel = Vec::new();
        if options.external_links_target_blank {
            attrs.push_str(" target=\"_blank\"");
            rel.push("noopener");
        }
        if options.external_links_no_follow {
            rel.push("nofollow");
        }
        if options.external_links_no_referrer {
            rel.push("noreferrer");
        }
        if rel.is_empty() {
            return None;
        }
        let _ = write!(attrs, " rel=\"{}\"", rel.join(" "));
        dest.to_string()
    } else {
        return None;
    };
    let mut html = String::from("<a href=\"");
    let _ = escape_href(&mut html, &href);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        let _ = escape_html(&mut html, title);
        html.push('"');
    }
    html.push_str(&attrs);
    html.push('>');
    Some(html)
}

fn code_block(
    code: &str,
    lang: &str,
    options: &config::Markdown,
    lines: &LineMap,
    offset: usize,
    source: &Source,
    out: &mut Rendered,
) -> String {
    let mut html = String::with_capacity(code.len() * 2);
    let highlighted = if options.highlight_code() && !lang.is_empty() {
        let h = highlight::highlight(code, lang);
        if h.is_none() {
            let message = format!("code block language `{lang}` is not known to the highlighter");
            let error = options.highlighting.as_ref().is_some_and(|h| h.error_on_missing_language);
            let p = Problem::at(source.file, lines.line(offset), message);
            if error { out.problems.push(p) } else { out.warnings.push(p) }
        }
        h
    } else {
        None
    };
    if lang.is_empty() {
        html.push_str("<pre><code>");
    } else {
        html.push_str("<pre data-lang=\"");
        let _ = escape_html(&mut html, lang);
        html.push_str("\" class=\"language-");
        let _ = escape_html(&mut html, lang);
        html.push_str("\"><code class=\"language-");
        let _ = escape_html(&mut html, lang);
        html.push_str("\" data-lang=\"");
        let _ = escape_html(&mut html, lang);
        html.push_str("\">");
    }
    match highlighted {
        Some(h) => html.push_str(&h),
        None => {
            let _ = escape_html(&mut html, code);
        }
    }
    html.push_str("</code></pre>\n");
    html
}

#[cfg(test)]
mod tests;
