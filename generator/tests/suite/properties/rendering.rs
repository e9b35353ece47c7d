//! Properties: Markdown rendering

use super::*;

// ---------------------------------------------------------------------------------------------
// Markdown rendering

pub(super) struct Ctx;

impl RenderContext for Ctx {
    fn resolve(&self, path: &str) -> Option<String> {
        (path == "notices/a.md").then(|| "https://x.cn/notices/a/".to_string())
    }

    fn shortcode(&self, call: &Call) -> Result<ShortcodeOutput, zhibu_generator::messages::Text> {
        match call.name.as_str() {
            "signin" => Ok(ShortcodeOutput::Html("<form class=\"signin\"></form>".into())),
            "tip" => Ok(ShortcodeOutput::Markdown(format!("> {}", call.body.clone().unwrap_or_default()))),
            // Markdown output longer than the call: the line map must still point into the file.
            "lines" => Ok(ShortcodeOutput::Markdown("一\n\n## 标题\n\n[x](@/nope.md)\n\n二\n".into())),
            other => Err(zhibu_generator::messages::unknown_shortcode(other, None, &[])),
        }
    }
}

pub(super) fn markdown_options() -> impl Strategy<Value = Markdown> {
    (any::<[bool; 6]>(), prop::option::of(any::<bool>())).prop_map(|(b, h)| Markdown {
        highlighting: h.map(|error_on_missing_language| Highlighting {
            error_on_missing_language,
            ..Default::default()
        }),
        smart_punctuation: b[0],
        external_links_target_blank: b[1],
        external_links_no_follow: b[2],
        external_links_no_referrer: b[3],
        bottom_footnotes: b[4],
        definition_list: b[5],
        external_links_external: h.is_some(),
        ..Markdown::default()
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn markdown_renders_any_text_and_locates_every_problem_in_the_file(
        body in prop_oneof![any_text(300), soup(MARKDOWN_PIECES, 60)],
        body_line in 1usize..40,
        options in markdown_options(),
    ) {
        let b = body.clone();
        let r: Rendered = within("markdown::render", move || {
            let source = Source { file: Path::new("content/p.md"), body_line, permalink: "https://x.cn/p/" };
            markdown::render(&b, &source, &options, &Ctx)
        });
        let last_line = body_line + body.matches('\n').count();
        for p in r.problems.iter().chain(&r.warnings) {
            prop_assert_eq!(p.file.as_deref(), Some(Path::new("content/p.md")));
            let line = p.line.unwrap_or(0);
            prop_assert!((body_line..=last_line).contains(&line), "line {} outside {}..={}: {:?}", line, body_line, last_line, p);
        }
        for link in &r.links {
            prop_assert!((body_line..=last_line).contains(&link.line), "link line {} outside {}..={}", link.line, body_line, last_line);
        }
        prop_assert!(!r.html.contains("ZHIBUSHORTCODE"), "a placeholder left in {:?}", r.html);
        if !body.contains("{#") {
            let unique: HashSet<&String> = r.heading_ids.iter().collect();
            prop_assert_eq!(unique.len(), r.heading_ids.len(), "heading ids {:?}", r.heading_ids);
        }
    }
}
