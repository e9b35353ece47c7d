//! Links, anchors, images and code blocks in Markdown.

use super::{Text, did_you_mean, listed};

/// Where a missing file was looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Looked {
    /// Beside the page, in its bundle: the file's path there.
    InBundle(String),
    /// Beside a section's `_index.md`, then in `static/`: (path beside it, path under `static`).
    InFolderOrStatic(String, String),
    /// In `static/`: the path after `static`, starting with `/`.
    InStatic(String),
}

impl Looked {
    fn words(&self) -> (String, String) {
        match self {
            Looked::InBundle(p) => (p.clone(), p.clone()),
            Looked::InFolderOrStatic(folder, path) => {
                (format!("{folder} and no static{path}"), format!("{folder}，也没有 static{path}"))
            }
            Looked::InStatic(path) => (format!("static{path}"), format!("static{path}")),
        }
    }
}

/// The hint for a file beside a page that is not a bundle: (the page's file, its bundle folder).
fn bundle_hint(needs_bundle: Option<(&str, &str)>) -> (String, String) {
    match needs_bundle {
        Some((page_file, bundle)) => (
            format!(
                " (only a page bundle has files beside it: move {page_file} to {bundle}/index.md and the image into {bundle}/, or put the image in static/ and write its path from there, starting with `/`)"
            ),
            format!(
                "（只有页面包（page bundle）旁边才能放文件：把 {page_file} 移到 {bundle}/index.md，图片放进 {bundle}/；或者把图片放进 static/，从那里写它的路径，以 `/` 开头）"
            ),
        ),
        None => (String::new(), String::new()),
    }
}

/// An `@/` link to a content file that does not exist.
pub fn broken_content_link(target: &str, path: &str, suggestion: Option<&str>) -> Text {
    let (dym, dym_zh) = did_you_mean(suggestion.map(|s| format!("@/{s}")).as_deref());
    Text::new(
        format!("broken internal link `@/{target}`: there is no content/{path}{dym}"),
        format!("内部链接 `@/{target}` 无效：没有 content/{path} 这个文件{dym_zh}"),
    )
}

/// A link to an address of the site that nothing is published at. `content_file` is the
/// content file a link ending in `.md` means.
pub fn broken_link(url: &str, suggestion: Option<&str>, content_file: Option<&str>) -> Text {
    let (dym, dym_zh) = did_you_mean(suggestion);
    let (hint, hint_zh) = match content_file {
        Some(c) => {
            (format!("; to link a content file write `@/{c}`"), format!("（要链接内容文件，请写 `@/{c}`）"))
        }
        None => (String::new(), String::new()),
    };
    Text::new(
        format!("broken link `{url}`: the site has no page or file at that address{dym}{hint}"),
        format!("链接 `{url}` 无效：网站在这个地址上没有页面或文件{dym_zh}{hint_zh}"),
    )
}

/// A link to a file (a document, a download) that does not exist. `needs_bundle` is the page
/// and the bundle it should become when the file was meant to sit beside it.
pub fn missing_linked_file(
    url: &str,
    looked: &Looked,
    suggestion: Option<&str>,
    needs_bundle: Option<(&str, &str)>,
) -> Text {
    let (looked, looked_zh) = looked.words();
    let (dym, dym_zh) = did_you_mean(suggestion);
    let (hint, hint_zh) = bundle_hint(needs_bundle);
    Text::new(
        format!("broken link `{url}`: there is no {looked}{dym}{hint}"),
        format!("链接 `{url}` 无效：没有 {looked_zh}{dym_zh}{hint_zh}"),
    )
}

/// An image whose file does not exist.
pub fn missing_image(
    src: &str,
    looked: &Looked,
    suggestion: Option<&str>,
    needs_bundle: Option<(&str, &str)>,
) -> Text {
    let (looked, looked_zh) = looked.words();
    let (dym, dym_zh) = did_you_mean(suggestion);
    let (hint, hint_zh) = bundle_hint(needs_bundle);
    Text::new(
        format!("image `{src}` does not exist: there is no {looked}{dym}{hint}"),
        format!("图片 `{src}` 不存在：没有 {looked_zh}{dym_zh}{hint_zh}"),
    )
}

/// A link to an address whose page exists but has no such anchor.
pub fn broken_link_anchor(url: &str, anchor: &str, headings: &[String]) -> Text {
    let (list, list_zh) = listed(headings);
    Text::new(
        format!("broken anchor `{url}`: no heading with the id `{anchor}` there (headings there: {list})"),
        format!("锚点 `{url}` 无效：那里没有 id 为 `{anchor}` 的标题（那里的标题有：{list_zh}）"),
    )
}

/// An `@/…#anchor` (or `#anchor`) link whose page has no such heading.
pub fn broken_anchor(link: &str, headings: &[String]) -> Text {
    let (list, list_zh) = listed(headings);
    Text::new(
        format!("broken anchor `{link}`: no heading with that id (headings there: {list})"),
        format!("锚点 `{link}` 无效：那里没有这个 id 的标题（那里的标题有：{list_zh}）"),
    )
}

/// An image without alt text.
pub fn image_without_alt(url: &str) -> Text {
    Text::new(
        format!("image `{url}` has no alt text: write `![…]({url})` with what it shows between the brackets"),
        format!("图片 `{url}` 没有替代文字：请写成 `![…]({url})`，方括号里写图片的内容"),
    )
}

/// A fenced code block in a language the highlighter does not know.
pub fn unknown_code_language(lang: &str) -> Text {
    Text::new(
        format!("code block language `{lang}` is not known to the highlighter"),
        format!("代码块的语言 `{lang}` 无法识别，不能高亮"),
    )
}

/// A link to another site that does not answer, or answers with an error (`why`: the HTTP
/// status, or what went wrong: a timeout, a name that does not resolve).
pub fn external_link_broken(url: &str, why: &str) -> Text {
    Text::new(format!("broken external link `{url}`: {why}"), format!("外部链接 `{url}` 打不开：{why}"))
}

/// A link to another site whose page has no element with the anchor's id.
pub fn external_anchor_missing(url: &str, anchor: &str) -> Text {
    Text::new(
        format!("broken external link `{url}`: the page has no element with the id `{anchor}`"),
        format!("外部链接 `{url}` 的锚点无效：那个页面没有 id 为 `{anchor}` 的元素"),
    )
}

/// What `zhibu check --external` did.
pub fn external_links_checked(checked: usize, cached: usize, skipped: usize, broken: usize) -> Text {
    Text::new(
        format!(
            "links to other sites: {checked} checked, {cached} taken from the last day's checks, {skipped} skipped (`link_checker.skip_prefixes`); {broken} broken"
        ),
        format!(
            "外部链接：检查了 {checked} 个，{cached} 个沿用一天内的检查结果，跳过 {skipped} 个（`link_checker.skip_prefixes`）；{broken} 个打不开"
        ),
    )
}
