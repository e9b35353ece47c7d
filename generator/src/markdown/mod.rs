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

use std::collections::HashMap;
use std::ops::Range;
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
    /// Whether the site has a shortcode of this name. A call of one it has not, inside code
    /// (a fenced or indented block, `inline code`), is shown as text instead of failing.
    fn has_shortcode(&self, _name: &str) -> bool {
        true
    }
    /// The content path closest to one that does not exist, for "did you mean".
    fn suggest(&self, _content_path: &str) -> Option<String> {
        None
    }
    /// Whether an `@/` link to a file that does not exist fails the build (Zola's
    /// `link_checker.internal_level`); if not it is a warning and the link stays as written.
    fn broken_links_are_errors(&self) -> bool {
        true
    }
    /// The `summary-cutoff.html` template for a summary cut inside a paragraph (Zola's built-in
    /// is an ellipsis).
    fn summary_cutoff(&self, _summary: &str) -> Result<String, Text> {
        Ok("&hellip;".to_string())
    }
    /// Where headings get a link to themselves (Zola's `insert_anchor_links`) and that link's
    /// HTML for a heading, or `None` for no links.
    fn anchor_link(&self, _id: &str, _level: u32) -> Option<(config::InsertAnchor, Result<String, Text>)> {
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
    /// Links to other sites (`https://…`) with their lines, for `zhibu check --external`.
    pub external: Vec<(String, usize)>,
    /// Every shortcode call, with its line, for checks such as the catalog's.
    pub shortcodes: Vec<UsedShortcode>,
    /// Han characters and words of the prose (not code, not markup, not shortcodes).
    pub stats: crate::reading::TextStats,
    pub problems: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// A shortcode asked for an image (`resize_image`, `get_image_metadata`): rendered again
    /// on every build, so that its resizes are recorded again.
    pub uses_images: bool,
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

/// Where `<!-- more -->` was (any case and spacing, as Zola matches it), in the page.
const CONTINUE_READING: &str = "<span id=\"continue-reading\"></span>";

/// GitHub's emoji names (`:smile:`), as Zola replaces them with `render_emoji`.
fn emoji() -> &'static gh_emoji::Replacer {
    static REPLACER: std::sync::OnceLock<gh_emoji::Replacer> = std::sync::OnceLock::new();
    REPLACER.get_or_init(gh_emoji::Replacer::new)
}

/// Whether raw HTML holds the summary marker `<!-- more -->` (`<!--more-->`, `<!-- MORE -->`).
fn is_summary_marker(html: &str) -> bool {
    html.match_indices("<!--").any(|(at, _)| {
        let rest = html[at + 4..].trim_start();
        rest.get(..4).is_some_and(|w| w.eq_ignore_ascii_case("more"))
            && rest[4..].trim_start().starts_with("-->")
    })
}

/// Renders a Markdown body.
pub fn render(body: &str, source: &Source, options: &config::Markdown, ctx: &dyn RenderContext) -> Rendered {
    let mut out = Rendered { stats: crate::reading::TextStats::of_markdown(body), ..Rendered::default() };
    let opts = parser_options(options);
    let expanded = expand_shortcodes(body, source, opts, ctx, &mut out);
    let lines = LineMap::new(&expanded.text, source.body_line, &expanded.shifts);

    let mut events: Vec<(Event, usize)> =
        Parser::new_ext(&expanded.text, opts).into_offset_iter().map(|(e, range)| (e, range.start)).collect();

    assign_heading_ids(&mut events, source, options.slugify_anchors, &mut out);
    headings::insert_anchor_links(&mut events, source, &lines, ctx, &mut out);
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
                // Zola's fence: `rust,linenos,hl_lines=2 4`; an indented block is plain text.
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => info.as_ref(),
                    CodeBlockKind::Indented => "",
                };
                // An HTML shortcode inside code is code too (escaped, highlighted), as in Zola.
                let code = expanded.place_in_code(code);
                Event::Html(code_block(&code, info, options, &lines, offset, source, &mut out).into())
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
                        match links::colocated(&dest_url, source) {
                            Some(url) => CowStr::from(url),
                            None => dest_url,
                        }
                    }
                };
                if options.lazy_async_image {
                    // Zola's form: the alt text as plain text in the attribute, and the browser
                    // told to load the image when it is near and to decode it off the main thread.
                    let mut alt = String::new();
                    while i < events.len() {
                        let (e, _) =
                            std::mem::replace(&mut events[i], (Event::Text(CowStr::Borrowed("")), 0));
                        i += 1;
                        match e {
                            Event::End(TagEnd::Image) => break,
                            Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                            _ => {}
                        }
                    }
                    let mut img = String::from("<img src=\"");
                    let _ = pulldown_cmark_escape::escape_href(&mut img, &dest_url);
                    if !title.is_empty() {
                        img.push_str("\" title=\"");
                        let _ = pulldown_cmark_escape::escape_href(&mut img, &title);
                    }
                    img.push_str("\" alt=\"");
                    let _ = escape_html(&mut img, &alt);
                    img.push_str("\" loading=\"lazy\" decoding=\"async\" />");
                    Event::Html(CowStr::from(img))
                } else {
                    Event::Start(Tag::Image { link_type, dest_url, title, id })
                }
            }
            Event::Html(ref html) | Event::InlineHtml(ref html)
                if summary_at.is_none() && in_footnote == 0 && is_summary_marker(html) =>
            {
                summary_at = Some(rewritten.len());
                Event::Html(CowStr::Borrowed(CONTINUE_READING))
            }
            Event::Text(ref t) if options.render_emoji && t.contains(':') => {
                Event::Text(CowStr::from(emoji().replace_all(t).into_owned()))
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
        // As Zola: a marker inside a paragraph or list cuts there, with the `summary-cutoff.html`
        // template (an ellipsis) and the tags still open closed.
        let mut open: Vec<TagEnd> = Vec::new();
        for event in &rewritten[..at] {
            match event {
                Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
                Event::Start(tag) => open.push(tag.to_end()),
                Event::End(tag) => open.truncate(open.iter().rposition(|t| t == tag).unwrap_or(0)),
                _ => {}
            }
        }
        pulldown_cmark::html::push_html(&mut html, rewritten[..at].iter().cloned());
        html.truncate(html.trim_end().len());
        if !open.is_empty() {
            match ctx.summary_cutoff(&html) {
                Ok(cutoff) => html.push_str(&cutoff),
                Err(message) => out.problems.push(Problem::at(source.file, source.body_line, message)),
            }
            pulldown_cmark::html::push_html(&mut html, open.into_iter().rev().map(Event::End));
        }
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

fn parser_options(options: &config::Markdown) -> Options {
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
    // `> [!NOTE]` blockquotes become `<blockquote class="markdown-alert-note">`, as in Zola.
    if options.github_alerts {
        opts |= Options::ENABLE_GFM;
    }
    opts
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

    /// Puts shortcode output in place of the placeholders in the text of a code block.
    fn place_in_code(&self, code: String) -> String {
        if self.html.is_empty() || !code.contains("ZHIBUSHORTCODE") {
            return code;
        }
        let mut code = code;
        for (n, output) in self.html.iter().enumerate() {
            code = code.replace(&Self::placeholder(n), output);
        }
        code
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

fn expand_shortcodes(
    body: &str,
    source: &Source,
    opts: Options,
    ctx: &dyn RenderContext,
    out: &mut Rendered,
) -> Expanded {
    let mut expanded =
        Expanded { text: String::with_capacity(body.len()), html: Vec::new(), shifts: Vec::new() };
    if !body.contains("{{") && !body.contains("{%") {
        expanded.text.push_str(body);
        return expanded;
    }
    let mut calls = Calls { source, opts, ctx, nth: HashMap::new() };
    let parsed = shortcodes::parse(body);
    let mut code = Code::new(body, opts);
    calls.report_misses(&parsed.misses, body, source.body_line, &mut code, out);
    let mut removed: i64 = 0;
    for piece in parsed.pieces {
        match piece {
            Piece::Text(t) => expanded.text.push_str(&t),
            Piece::Call(call) => {
                let original = &body[call.start..call.end];
                if !ctx.has_shortcode(&call.name) && code.contains(call.start) {
                    expanded.text.push_str(original);
                    continue;
                }
                let replacement = match calls.render(call, body, source.body_line, out) {
                    Some(ShortcodeOutput::Markdown(md)) => md,
                    Some(ShortcodeOutput::Html(html)) => {
                        expanded.html.push(html);
                        Expanded::placeholder(expanded.html.len() - 1)
                    }
                    None => String::new(),
                };
                removed += original.matches('\n').count() as i64 - replacement.matches('\n').count() as i64;
                expanded.text.push_str(&replacement);
                expanded.shifts.push((expanded.text.len(), removed));
            }
        }
    }
    expanded
}

/// Where code is in a Markdown text (fenced and indented blocks, inline code), found when first
/// asked: only pages with something that looks like a shortcode pay for it.
struct Code<'a> {
    text: &'a str,
    opts: Options,
    ranges: Option<Vec<Range<usize>>>,
}

impl<'a> Code<'a> {
    fn new(text: &'a str, opts: Options) -> Self {
        Code { text, opts, ranges: None }
    }

    fn contains(&mut self, offset: usize) -> bool {
        let (text, opts) = (self.text, self.opts);
        let ranges = self.ranges.get_or_insert_with(|| {
            Parser::new_ext(text, opts)
                .into_offset_iter()
                .filter_map(|(e, range)| match e {
                    Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => Some(range),
                    _ => None,
                })
                .collect()
        });
        ranges.iter().any(|r| r.contains(&offset))
    }
}

/// Renders calls: counts `nth` by name over the page, expands the calls inside a body first.
struct Calls<'a> {
    source: &'a Source<'a>,
    opts: Options,
    ctx: &'a dyn RenderContext,
    nth: HashMap<String, usize>,
}

impl Calls<'_> {
    /// What only looked like a call: in prose a warning (Zola shows it as text without a word),
    /// a body without `{% end %}` an error (Zola fails the page); inside code nothing.
    fn report_misses(
        &self,
        misses: &[shortcodes::Miss],
        text: &str,
        first_line: usize,
        code: &mut Code,
        out: &mut Rendered,
    ) {
        for miss in misses {
            if code.contains(miss.start) {
                continue;
            }
            let line = first_line + text[..miss.offset.min(text.len())].matches('\n').count();
            if miss.unclosed_body {
                out.problems.push(Problem::at(self.source.file, line, miss.message.clone()));
            } else {
                out.warnings.push(Problem::at(
                    self.source.file,
                    line,
                    messages::shortcode_kept_as_text(&miss.message),
                ));
            }
        }
    }

    /// One call of `text` (whose first line is `first_line`): its output, or `None` with the
    /// problem recorded.
    fn render(
        &mut self,
        mut call: Call,
        text: &str,
        first_line: usize,
        out: &mut Rendered,
    ) -> Option<ShortcodeOutput> {
        let line = first_line + text[..call.start].matches('\n').count();
        out.shortcodes.push(UsedShortcode { name: call.name.clone(), args: call.args.clone(), line });
        let nth = self.nth.entry(call.name.clone()).or_default();
        *nth += 1;
        call.nth = *nth;
        if let Some(body) = call.body.take() {
            let body_line = first_line + text[..call.body_start].matches('\n').count();
            call.body = Some(self.expand_body(body, body_line, out));
        }
        match self.ctx.shortcode(&call) {
            Ok(output) => Some(output),
            Err(message) => {
                out.problems.push(Problem::at(self.source.file, line, message));
                None
            }
        }
    }

    /// A body with the calls in it replaced by their output as it is, HTML or Markdown, as
    /// Zola does: the outer shortcode decides what the body becomes.
    fn expand_body(&mut self, body: String, first_line: usize, out: &mut Rendered) -> String {
        if !body.contains("{{") && !body.contains("{%") {
            return body;
        }
        let parsed = shortcodes::parse(&body);
        let mut code = Code::new(&body, self.opts);
        self.report_misses(&parsed.misses, &body, first_line, &mut code, out);
        let mut expanded = String::with_capacity(body.len());
        for piece in parsed.pieces {
            match piece {
                Piece::Text(t) => expanded.push_str(&t),
                Piece::Call(call) => {
                    if !self.ctx.has_shortcode(&call.name) && code.contains(call.start) {
                        expanded.push_str(&body[call.start..call.end]);
                        continue;
                    }
                    match self.render(call, &body, first_line, out) {
                        Some(ShortcodeOutput::Html(s) | ShortcodeOutput::Markdown(s)) => {
                            expanded.push_str(&s)
                        }
                        None => {}
                    }
                }
            }
        }
        expanded
    }
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

/// A code block as Zola 0.22 writes it: highlighted by giallo when the config asks (a language it
/// does not know is a warning, or an error with `error_on_missing_language`), else escaped in
/// `<pre><code data-lang="…">`.
fn code_block(
    code: &str,
    info: &str,
    options: &config::Markdown,
    lines: &LineMap,
    offset: usize,
    source: &Source,
    out: &mut Rendered,
) -> String {
    let fence = giallo::parse_markdown_fence(info);
    let lang = fence.lang.as_str();
    if let Some(highlighting) = &options.highlighting {
        if !highlight::knows(highlighting, lang) {
            let p = Problem::at(source.file, lines.line(offset), messages::unknown_code_language(lang));
            if highlighting.error_on_missing_language { out.problems.push(p) } else { out.warnings.push(p) }
        }
        if let Some(html) = highlight::highlight(code, info, &fence, highlighting) {
            return html.to_string();
        }
    }
    let mut html = String::with_capacity(code.len() + 40);
    if lang == giallo::PLAIN_GRAMMAR_NAME {
        html.push_str("<pre><code>");
    } else {
        html.push_str("<pre><code data-lang=\"");
        let _ = escape_html(&mut html, lang);
        html.push_str("\">");
    }
    let _ = escape_html(&mut html, code);
    html.push_str("</code></pre>\n");
    html
}

#[cfg(test)]
mod tests;
