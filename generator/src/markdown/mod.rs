//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough, task lists; stable
//! heading ids that keep Chinese; a table of contents; `@/` internal links; highlighted code;
//! shortcodes; the `<!-- more -->` summary.
//!
//! Pure: text in, [`Rendered`] out. What the page links to is returned for the link checker
//! rather than checked here, because a link's anchor lives in another page's render.

mod headings;
pub mod highlight;
mod links;
pub mod shortcodes;

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

use crate::config;
use crate::messages::{self, Text};
use crate::problems::Problem;
pub use headings::Heading;
use headings::assign_heading_ids;
use links::{link, resolve};
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
    fn shortcode(&self, call: &Call) -> Result<ShortcodeOutput, Text>;
    /// The content path closest to one that does not exist, for "did you mean".
    fn suggest(&self, _content_path: &str) -> Option<String> {
        None
    }
}

/// A link or image to an address of the site written as a URL (`/guide/dues/#交多少`,
/// `../dues/`, `poster.png`), not as `@/`: checked against the built site by the link checker.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// As written.
    pub url: String,
    pub line: usize,
    pub image: bool,
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
    /// Links and images to the site's own addresses written as URLs.
    pub references: Vec<Reference>,
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
                        messages::image_without_alt(&dest_url),
                    ));
                }
                let dest_url = match dest_url.strip_prefix("@/") {
                    Some(target) => match resolve(target, &lines, offset, source, ctx, &mut out) {
                        Some(url) => CowStr::from(url),
                        None => dest_url,
                    },
                    None => {
                        if links::is_site_address(&dest_url) {
                            out.references.push(Reference {
                                url: dest_url.to_string(),
                                line: lines.line(offset),
                                image: true,
                            });
                        }
                        dest_url
                    }
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
            let message = messages::unknown_code_language(lang);
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
