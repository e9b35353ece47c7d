//! Links in Markdown: `@/` links to content files resolved to permalinks (a missing target is a
//! problem at its line), same-page `#anchor` links recorded for the link checker, and external
//! links given the `target`/`rel` the config asks for.

use std::fmt::Write as _;

use pulldown_cmark_escape::{escape_href, escape_html};

use super::{InternalLink, LineMap, Reference, RenderContext, Rendered, Source};
use crate::config;
use crate::messages;
use crate::problems::Problem;

/// Whether a link or image names an address of this site as a URL: not `@/`, not an anchor of
/// the same page, not another site (`https://`, `//`) and no other scheme (`mailto:`, `tel:`).
pub(super) fn is_site_address(dest: &str) -> bool {
    let scheme = dest.split_once(':').is_some_and(|(s, _)| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    });
    !(dest.trim().is_empty()
        || dest.starts_with("@/")
        || dest.starts_with('#')
        || dest.starts_with("//")
        || scheme)
}

pub(super) fn resolve(
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
                anchor: anchor.filter(|a| !a.is_empty()).map(str::to_string),
                line,
            });
            Some(match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url,
            })
        }
        None => {
            let suggestion = ctx.suggest(path);
            let problem = Problem::at(
                source.file,
                line,
                messages::broken_content_link(target, path, suggestion.as_deref()),
            );
            if ctx.broken_links_are_errors() {
                out.problems.push(problem);
                None
            } else {
                out.warnings.push(problem);
                Some(format!("@/{target}"))
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn link(
    dest: &str,
    title: &str,
    options: &config::Markdown,
    lines: &LineMap,
    offset: usize,
    source: &Source,
    ctx: &dyn RenderContext,
    out: &mut Rendered,
) -> Option<String> {
    let href: String = if let Some(target) = dest.strip_prefix("@/") {
        resolve(target, lines, offset, source, ctx, out)?
    } else if let Some(anchor) = dest.strip_prefix('#') {
        // `#` alone is the top of the page (a placeholder link, a "back to top"): no anchor to check.
        if anchor.is_empty() {
            return None;
        }
        out.links.push(InternalLink {
            target: None,
            anchor: Some(anchor.to_string()),
            line: lines.line(offset),
        });
        // As Zola: the page's own address before the anchor.
        if source.permalink.is_empty() {
            return None;
        }
        format!("{}{dest}", source.permalink)
    } else if dest.starts_with("http://") || dest.starts_with("https://") || dest.starts_with("//") {
        if !dest.starts_with("//") {
            out.external.push((dest.to_string(), lines.line(offset)));
        }
        return external_link(dest, title, options);
    } else {
        if is_site_address(dest) {
            out.references.push(Reference { url: dest.to_string(), line: lines.line(offset), image: false });
        }
        colocated(dest, source)?
    };
    let mut html = String::from("<a href=\"");
    let _ = escape_href(&mut html, &href);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        let _ = escape_html(&mut html, title);
        html.push('"');
    }
    html.push('>');
    Some(html)
}

/// A link or image beside the page (`poster.png`, `./a/`, `with.js`), made absolute with the
/// page's address as Zola does (`…/life/camp/poster.png`); not one that starts with `/`, `..`,
/// `#` or a scheme, and not where there is no page (the `markdown` filter).
pub(super) fn colocated(dest: &str, source: &Source) -> Option<String> {
    let scheme = dest
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let beside = !(dest.starts_with('/') || dest.starts_with("..") || dest.starts_with('#') || scheme);
    (beside && !source.permalink.is_empty()).then(|| format!("{}{dest}", source.permalink))
}

/// The opening tag of a link to another site, as Zola writes it when the config asks for a
/// class, a target or `rel` values (`<a class rel target title href>`); `None` leaves the link
/// as Markdown renders it.
fn external_link(dest: &str, title: &str, options: &config::Markdown) -> Option<String> {
    let mut rel = Vec::new();
    let mut html = String::from("<a ");
    if let Some(class) = &options.external_links_class {
        html.push_str("class=\"");
        let _ = escape_html(&mut html, class);
        html.push_str("\" ");
    }
    if options.external_links_target_blank {
        rel.push("noopener");
    }
    if options.external_links_no_follow {
        rel.push("nofollow");
    }
    if options.external_links_no_referrer {
        rel.push("noreferrer");
    }
    // Zola 0.22 marks external links `rel="external"` unless told not to.
    if options.external_links_external {
        rel.push("external");
    }
    if rel.is_empty() && options.external_links_class.is_none() {
        return None;
    }
    if !rel.is_empty() {
        let _ = write!(html, "rel=\"{}\" ", rel.join(" "));
    }
    if options.external_links_target_blank {
        html.push_str("target=\"_blank\" ");
    }
    if !title.is_empty() {
        html.push_str("title=\"");
        let _ = escape_html(&mut html, title);
        html.push_str("\" ");
    }
    html.push_str("href=\"");
    let _ = escape_href(&mut html, dest);
    html.push_str("\">");
    Some(html)
}
