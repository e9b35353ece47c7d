use super::*;
use crate::config::{Highlighting, Markdown};

struct Ctx;

impl RenderContext for Ctx {
    fn resolve(&self, path: &str) -> Option<String> {
        (path == "notices/a.md").then(|| "https://x.cn/notices/a/".to_string())
    }
    fn shortcode(&self, call: &Call) -> Result<ShortcodeOutput, Text> {
        match call.name.as_str() {
            "signin" => Ok(ShortcodeOutput::Html(format!(
                "<form class=\"signin\" data-event=\"{}\"></form>",
                call.args["event"].as_str().unwrap_or("")
            ))),
            "tip" => {
                Ok(ShortcodeOutput::Markdown(format!("> **提示** {}", call.body.clone().unwrap_or_default())))
            }
            "nth" => Ok(ShortcodeOutput::Html(format!("<i>{}</i>", call.nth))),
            "wrap" => Ok(ShortcodeOutput::Html(format!(
                "<div class=\"wrap\">{}</div>",
                call.body.clone().unwrap_or_default()
            ))),
            other => Err(crate::messages::unknown_shortcode(other, None, &[])),
        }
    }
    fn has_shortcode(&self, name: &str) -> bool {
        matches!(name, "signin" | "tip" | "nth" | "wrap")
    }
}

fn md(body: &str) -> Rendered {
    md_with(body, &Markdown::default())
}

fn md_with(body: &str, options: &Markdown) -> Rendered {
    let source = Source { file: Path::new("content/p.md"), body_line: 5, permalink: "https://x.cn/p/" };
    render(body, &source, options, &Ctx)
}

#[test]
fn headings_keep_chinese_ids_and_repeats_are_numbered() {
    let r = md("## 学习要求\n\n## 学习要求\n\n### Sub Part\n");
    assert!(r.html.contains("<h2 id=\"学习要求\">学习要求</h2>"), "{}", r.html);
    assert!(r.html.contains("<h2 id=\"学习要求-1\">"), "{}", r.html);
    assert_eq!(r.heading_ids, vec!["学习要求", "学习要求-1", "sub-part"]);
    assert_eq!(r.toc.len(), 2);
    assert_eq!(r.toc[1].children[0].title, "Sub Part");
    assert_eq!(r.toc[0].permalink, "https://x.cn/p/#学习要求");
}

#[test]
fn explicit_heading_ids_are_kept() {
    let r = md("## 总纲 {#general}\n");
    assert!(r.html.contains("<h2 id=\"general\">总纲</h2>"), "{}", r.html);
}

#[test]
fn gfm_extensions_render() {
    let r = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~删~~\n\n- [x] 完成\n\n脚注[^1]\n\n[^1]: 说明\n");
    assert!(r.html.contains("<table>"));
    assert!(r.html.contains("<del>删</del>"));
    assert!(r.html.contains("type=\"checkbox\""));
    assert!(r.html.contains("footnote"));
}

#[test]
fn internal_links_resolve_and_are_recorded_with_lines() {
    let r = md("文字\n\n见[通知](@/notices/a.md#时间)。\n");
    assert!(
        r.html.contains("href=\"https://x.cn/notices/a/#%E6%97%B6%E9%97%B4\"")
            || r.html.contains("href=\"https://x.cn/notices/a/#时间\""),
        "{}",
        r.html
    );
    assert_eq!(
        r.links,
        vec![InternalLink { target: Some("notices/a.md".into()), anchor: Some("时间".into()), line: 7 }]
    );
    assert!(r.problems.is_empty());
}

#[test]
fn broken_internal_link_is_a_problem_at_its_line() {
    let r = md("一\n二\n[x](@/nope.md)\n");
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].line, Some(7));
    assert!(r.problems[0].message.en().contains("@/nope.md"));
}

#[test]
fn lines_stay_right_after_a_multi_line_shortcode() {
    let r = md("{% tip() %}\n一\n二\n{% end %}\n\n[x](@/nope.md)\n");
    assert_eq!(r.problems[0].line, Some(10), "{:?}", r.problems);
}

#[test]
fn same_page_anchor_is_recorded() {
    let r = md("[上文](#总纲)\n");
    assert_eq!(r.links[0].target, None);
    assert_eq!(r.links[0].anchor.as_deref(), Some("总纲"));
}

#[test]
fn summary_is_what_comes_before_the_marker() {
    let r = md("导语。\n\n<!-- more -->\n\n正文。\n");
    // As Zola: trailing whitespace trimmed, the marker a `continue-reading` span in the page.
    assert_eq!(r.summary.as_deref(), Some("<p>导语。</p>"));
    assert!(r.html.contains("正文") && r.html.contains("导语"));
    assert!(
        r.html.contains("<p>导语。</p>\n<span id=\"continue-reading\"></span>\n<p>正文。</p>"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("more"));
    // Inside a paragraph, any spacing and case: the summary is cut there with an ellipsis and
    // the paragraph closed.
    let r = md("一句。<!--MORE--> 二句。\n");
    assert_eq!(r.summary.as_deref(), Some("<p>一句。&hellip;</p>\n"));
    assert!(r.html.contains("<p>一句。<span id=\"continue-reading\"></span> 二句。</p>"), "{}", r.html);
}

#[test]
fn shortcode_alone_in_a_paragraph_becomes_a_block() {
    let r = md("前\n\n{{ signin(event=\"e1\") }}\n\n后\n");
    assert!(r.html.contains("<form class=\"signin\" data-event=\"e1\"></form>"), "{}", r.html);
    assert!(!r.html.contains("<p><form"), "{}", r.html);
}

#[test]
fn markdown_shortcode_output_is_rendered_as_markdown() {
    let r = md("{% tip() %}\n按时交纳党费\n{% end %}\n");
    assert!(r.html.contains("<blockquote>"), "{}", r.html);
    assert!(r.html.contains("<strong>提示</strong>"), "{}", r.html);
}

#[test]
fn unknown_shortcode_is_a_problem_with_line() {
    let r = md("一\n{{ nope() }}\n");
    assert_eq!(r.problems[0].line, Some(6));
    assert!(r.problems[0].message.en().contains("nope"));
}

#[test]
fn code_is_highlighted_with_classes_only_when_enabled() {
    let plain = md("```rust\nfn main() {}\n```\n");
    assert_eq!(plain.html, "<pre><code data-lang=\"rust\">fn main() {}\n</code></pre>\n", "Zola's form");
    assert!(!plain.html.contains("z-"));
    let classes = Highlighting {
        theme: Some("github-light".into()),
        style: Some("class".into()),
        ..Highlighting::default()
    };
    let options = Markdown { highlighting: Some(classes), ..Markdown::default() };
    let h = md_with("```rust\nfn main() {}\n```\n", &options);
    assert!(h.html.starts_with("<pre class=\"giallo z-code\"><code data-lang=\"rust\">"), "{}", h.html);
    assert!(h.html.contains("class=\"z-"), "{}", h.html);
    assert!(!h.html.contains("style="));
}

#[test]
fn unknown_code_language_warns_or_fails_as_configured() {
    let mut options = Markdown { highlighting: Some(Highlighting::default()), ..Markdown::default() };
    assert_eq!(md_with("```klingon\nx\n```\n", &options).warnings.len(), 1);
    options.highlighting.as_mut().unwrap().error_on_missing_language = true;
    assert_eq!(md_with("```klingon\nx\n```\n", &options).problems.len(), 1);
}

#[test]
fn external_links_get_configured_attributes() {
    let options =
        Markdown { external_links_target_blank: true, external_links_no_follow: true, ..Markdown::default() };
    let r = md_with("[外](https://example.org)\n", &options);
    // Zola's attribute order: class, rel, target, title, href.
    assert!(
        r.html.contains(
            "<a rel=\"noopener nofollow external\" target=\"_blank\" href=\"https://example.org\">"
        ),
        "{}",
        r.html
    );
    // As in Zola 0.22: `rel="external"` unless switched off, and the class when set.
    assert!(
        md("[外](https://example.org)\n").html.contains("<a rel=\"external\" href=\"https://example.org\">")
    );
    let options = Markdown {
        external_links_external: false,
        external_links_class: Some("ext".into()),
        ..Markdown::default()
    };
    let r = md_with("[外](https://example.org)\n[内](/a/)\n", &options);
    assert!(r.html.contains("<a class=\"ext\" href=\"https://example.org\">"), "{}", r.html);
    assert!(r.html.contains("<a href=\"/a/\">"), "{}", r.html);
    let off = Markdown { external_links_external: false, ..Markdown::default() };
    assert!(md_with("[外](https://example.org)\n", &off).html.contains("<a href=\"https://example.org\">"));
}

#[test]
fn image_without_alt_text_warns() {
    let r = md("![](a.png)\n\n![党徽](b.png)\n");
    assert_eq!(r.warnings.len(), 1);
    assert!(r.warnings[0].message.en().contains("a.png"));
}

#[test]
fn raw_text_is_escaped() {
    let r = md("a < b & c\n");
    assert!(r.html.contains("a &lt; b &amp; c"));
}

#[test]
fn stats_count_the_body_as_zola_does_without_fenced_code() {
    let r = md("学习党章。\n\n```rust\nfn main() {}\n```\n\n{{ signin(event=\"e1\") }}\n");
    assert_eq!(r.stats.han, 4);
    assert_eq!(r.stats.words, 3, "the shortcode's words, as Zola counts the Markdown as written");
}

#[test]
fn latin_heading_ids_follow_zola_and_chinese_stays() {
    let r = md("## search.build_search_index\n\n## 用 `page_count` 统计\n\n## 交多少\n");
    assert_eq!(r.heading_ids, vec!["search-build-search-index", "用-page-count-统计", "交多少"]);
    assert!(r.html.contains("<h2 id=\"search-build-search-index\">"), "{}", r.html);
}

#[test]
fn a_link_to_hash_alone_is_not_an_anchor() {
    let r = md("[回到顶部](#)\n\n[x](@/notices/a.md#)\n");
    assert!(r.links.iter().all(|l| l.anchor.is_none()), "{:?}", r.links);
    assert!(r.problems.is_empty() && r.warnings.is_empty());
    assert!(r.html.contains("<a href=\"#\">回到顶部</a>"), "{}", r.html);
}

#[test]
fn what_only_looks_like_a_shortcode_in_code_is_code() {
    let body = "```\n{{ get_url(path=x) }}\n{{ get_url(path=\"x\") }}\n{% block content() %}\n```\n\n\
                用 `{{ get_url(path=\"y\") }}` 或 `{{ f(a=) }}`。\n\n    {{ indented(a=1) }}\n";
    let r = md(body);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(r.shortcodes.is_empty());
    for shown in [
        "{{ get_url(path=x) }}",
        "{{ get_url(path=&quot;x&quot;) }}",
        "{% block content() %}",
        "<code>{{ get_url(path=\"y\") }}</code>",
        "<code>{{ f(a=) }}</code>",
        "{{ indented(a=1) }}",
    ] {
        assert!(r.html.contains(shown), "{shown} in {}", r.html);
    }
}

#[test]
fn a_site_shortcode_in_code_is_run_and_its_output_is_code() {
    // As in Zola: shortcodes are found before Markdown; escape them to show them.
    let r = md("```html\n{{ signin(event=\"e1\") }}\n{{/* signin(event=\"e2\") */}}\n```\n");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(r.html.contains("&lt;form class=&quot;signin&quot; data-event=&quot;e1&quot;&gt;"), "{}", r.html);
    assert!(r.html.contains("{{ signin(event=&quot;e2&quot;) }}"), "{}", r.html);
    assert!(!r.html.contains("ZHIBUSHORTCODE"), "{}", r.html);
}

#[test]
fn a_broken_call_in_prose_is_text_with_a_warning() {
    let r = md("一\n{{ signin(event=e1) }}\n");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert_eq!(r.warnings[0].line, Some(6));
    assert!(r.warnings[0].message.en().contains("shown as text"), "{}", r.warnings[0].message);
    assert!(r.html.contains("{{ signin(event=e1) }}"), "{}", r.html);
}

#[test]
fn a_body_without_end_fails_outside_code_only() {
    let r = md("一\n{% tip() %}\n没有结束\n");
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert_eq!(r.problems[0].line, Some(6));
    let r = md("```\n{% tip() %}\n```\n");
    assert!(r.problems.is_empty() && r.warnings.is_empty(), "{:?}", r.problems);
}

#[test]
fn space_separated_arguments_call_the_shortcode() {
    let r = md("{{ signin(event=\"e1\" extra=true) }}\n");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(r.html.contains("data-event=\"e1\""), "{}", r.html);
    assert_eq!(r.shortcodes[0].args["extra"], true);
}

#[test]
fn shortcodes_in_a_body_are_rendered_into_it_and_counted() {
    let r = md(
        "{{ nth() }}\n\n{% wrap() %}\n{{ nth() }} {% wrap() %}{{ nth() }}{% end %}\n{% end %}\n\n{{ nth() }}\n",
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(
        r.html.contains("<div class=\"wrap\"><i>2</i> <div class=\"wrap\"><i>3</i></div></div>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<i>1</i>") && r.html.contains("<i>4</i>"), "{}", r.html);
    let names: Vec<&str> = r.shortcodes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["nth", "wrap", "nth", "wrap", "nth", "nth"]);
}

/// Pieces that stress the parsers: shortcode delimiters, escapes, links, headings, multi-byte
/// characters, markers.
const PIECES: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{% end %}",
    "(",
    ")",
    "=",
    "\"",
    "'",
    "`",
    "[",
    "]",
    "/*",
    "*/",
    "@/",
    "#",
    "##",
    "\n",
    "党",
    "🇨🇳",
    "é",
    "<!-- more -->",
    "```",
    "~~",
    "|",
    "![](",
    "signin",
    "tip",
    "x=",
    ",",
    " ",
    "\\",
    "[^1]",
];

#[test]
fn no_input_makes_the_renderer_panic() {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let mut text = String::new();
        // A new length every round (an LCG step), then xorshift for the pieces.
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let len = (state >> 58) as usize;
        for _ in 0..len {
            // xorshift: deterministic, no dependency.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        let r = md(&text);
        for p in r.problems.iter().chain(r.warnings.iter()) {
            assert!(p.line.is_some_and(|l| l >= 1), "problems carry a line: {p:?} for {text:?}");
        }
    }
}

#[test]
fn github_alerts_when_asked_and_links_beside_the_page_made_absolute_as_zola() {
    let options = Markdown { github_alerts: true, ..Markdown::default() };
    let r = md_with("> [!NOTE]\n> 按时交纳党费\n", &options);
    assert!(r.html.starts_with("<blockquote class=\"markdown-alert-note\">"), "{}", r.html);
    assert!(md("> [!NOTE]\n> x\n").html.contains("[!NOTE]"), "off by default");
    // A link or image beside the page, and an anchor on it, carry the page's address.
    let r = md("[表](form.docx) [上](#top) [根](/a/) [上级](../b/) [邮](mailto:a@b.cn) ![图](poster.png)\n");
    for expected in [
        "<a href=\"https://x.cn/p/form.docx\">",
        "<a href=\"https://x.cn/p/#top\">",
        "<a href=\"/a/\">",
        "<a href=\"../b/\">",
        "<a href=\"mailto:a@b.cn\">",
        "<img src=\"https://x.cn/p/poster.png\"",
    ] {
        assert!(r.html.contains(expected), "{expected}: {}", r.html);
    }
    assert_eq!(r.references.len(), 4, "the checker still sees them as written: {:?}", r.references);
}

#[test]
fn lazy_async_images_as_zola_writes_them() {
    // Zola escapes the title as it escapes an address (percent-encoded); so does zhibu.
    let options = Markdown { lazy_async_image: true, ..Markdown::default() };
    let r = md_with("![党旗 \"红\"](/images/flag.png \"标题\")\n", &options);
    assert!(
        r.html.contains("<img src=\"/images/flag.png\" title=\"%E6%A0%87%E9%A2%98\" alt=\"党旗 &quot;红&quot;\" loading=\"lazy\" decoding=\"async\" />"),
        "{}",
        r.html
    );
}

#[test]
fn emoji_names_become_emoji_when_asked_but_not_in_code() {
    let options = Markdown { render_emoji: true, ..Markdown::default() };
    let r = md_with("学习 :smile: `:smile:`\n", &options);
    assert!(r.html.contains("学习 😄 <code>:smile:</code>"), "{}", r.html);
    assert!(md("学习 :smile:\n").html.contains(":smile:"), "off by default");
}
