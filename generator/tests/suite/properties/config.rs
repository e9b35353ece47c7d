//! Properties: config.toml

use super::*;

// ---------------------------------------------------------------------------------------------
// config.toml

#[rustfmt::skip]
pub(super) const CONFIG_PIECES: &[&str] = &[
    "base_url", "title", "description", "default_language", "theme", "output_dir", "taxonomies",
    "generate_feeds", "feed_filenames", "feed_limit", "generate_sitemap", "ignored_content",
    "exclude_paginated_pages_in_sitemap", "compile_sass", "build_search_index", "languages", "[markdown]",
    "[markdown.highlighting]", "[extra]", "[[taxonomies]]", "highlighting", "style", "theme",
    "error_on_missing_language", "render_emoji", "name", "paginate_by", "feed", "lang", " = ",
    "\"https://a.cn\"", "\"\"", "\"[\"", "[\"*.draft.md\"]", "[\"[\"]", "\"class\"", "\"inline\"", "0", "1",
    "-1", "true", "[]", "[{name = \"tags\", paginate_by = 0}]", "[{name = \" \"}]", "{name = \"tags\"}",
    "\"all\"", "\"some\"", "\n", "\r\n", "#", "\"", "[", "]", "{", "}", ",", ".", "党",
];

/// `config.toml` as `key = value` lines and tables, each key at most once, values of the right
/// and of wrong types.
pub(super) fn config_lines() -> impl Strategy<Value = String> {
    fn line(keys: &'static [&'static str]) -> impl Strategy<Value = (&'static str, &'static str)> {
        let values = prop_oneof![
            3 => prop::sample::select(&[
                "\"https://a.cn\"", "\"\"", "\"x\"", "true", "false", "1", "0", "[]", "[\"*.draft.md\"]",
                "[\"[\"]", "\"class\"", "\"all\"", "\"some\"",
            ][..]),
            1 => prop::sample::select(CONFIG_PIECES),
        ];
        (prop::sample::select(keys), values)
    }
    let lines = |keys| {
        prop::collection::vec(line(keys), 0..5).prop_map(|lines| {
            let mut seen = HashSet::new();
            lines
                .into_iter()
                .filter(|(k, _)| seen.insert(*k))
                .map(|(k, v)| format!("{k} = {v}\n"))
                .collect::<String>()
        })
    };
    (
        prop::sample::select(&["base_url = \"https://a.cn\"\n", ""][..]),
        lines(&[
            "title",
            "description",
            "default_language",
            "theme",
            "output_dir",
            "generate_feeds",
            "feed_filenames",
            "feed_limit",
            "generate_sitemap",
            "generate_robots_txt",
            "ignored_content",
            "exclude_paginated_pages_in_sitemap",
            "compile_sass",
            "titel",
            "\"title\"",
        ]),
        prop::sample::select(
            &[
                "",
                "taxonomies = [{name = \"tags\", paginate_by = 10}]\n",
                "taxonomies = [{name = \"tags\", colour = 1}]\n",
                "taxonomies = [{name = \"\"}]\n",
                "taxonomies = [{paginate_by = 1}]\n",
                "taxonomies = 1\n",
                "taxonomies = [{name = \"tags\", paginate_by = 0}]\n",
            ][..],
        ),
        prop::option::of(lines(&[
            "smart_punctuation",
            "external_links_target_blank",
            "bottom_footnotes",
            "render_emoji",
            "colour",
        ])),
        prop::option::of(lines(&["theme", "style", "error_on_missing_language", "extra_grammars", "colour"])),
        prop::sample::select(&["", "[extra]\nbranch_name = \"支部\"\n", "extra = 1\n"][..]),
    )
        .prop_map(|(base, top, taxonomies, markdown, highlighting, extra)| {
            let mut text = format!("{base}{top}{taxonomies}");
            if let Some(m) = markdown {
                text.push_str(&format!("[markdown]\n{m}"));
            }
            if let Some(h) = highlighting {
                text.push_str(&format!("[markdown.highlighting]\n{h}"));
            }
            text.push_str(extra);
            text
        })
}

pub(super) fn config_values() -> impl Strategy<Value = Config> {
    let taxonomy = (
        "[a-z]{1,8}|\\PC{1,4}",
        prop::option::of(1usize..1000),
        prop::option::of("[a-z]{1,6}"),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_filter("a name", |t| !t.0.trim().is_empty())
        .prop_map(|(name, paginate_by, paginate_path, feed, render)| TaxonomyConfig {
            name,
            paginate_by,
            paginate_path,
            feed,
            render,
            lang: None,
            slug: None,
        });
    let markdown = (
        prop::option::of((
            prop::option::of("[a-z-]{1,12}"),
            prop::option::of(prop::sample::select(&["class", "inline"][..])),
            any::<bool>(),
        )),
        any::<[bool; 6]>(),
    )
        .prop_map(|(h, b)| Markdown {
            highlighting: h.map(|(theme, style, error_on_missing_language)| Highlighting {
                theme,
                light_theme: None,
                dark_theme: None,
                style: style.map(str::to_string),
                error_on_missing_language,
                ..Highlighting::default()
            }),
            smart_punctuation: b[0],
            external_links_target_blank: b[1],
            external_links_no_follow: b[2],
            external_links_no_referrer: b[3],
            bottom_footnotes: b[4],
            definition_list: b[5],
            ..Markdown::default()
        });
    (
        (
            "https?://[a-z]{1,10}\\.cn/?",
            prop::option::of(any::<String>()),
            prop::option::of(any::<String>()),
            "[a-z]{2}(-[A-Z]{2})?",
            prop::option::of("[a-z]{1,8}"),
            "[a-z]{1,8}",
            prop::option::of(any::<String>()),
        ),
        (
            prop::collection::vec(taxonomy, 0..3),
            any::<[bool; 3]>(),
            prop::collection::vec("[a-z]{1,6}\\.xml", 0..3),
            prop::option::of(1usize..100),
            prop::sample::select(&["none", "all"][..]),
            prop::collection::vec("(\\*\\*/)?[a-z*]{1,6}(\\.md)?", 0..3),
            markdown,
            toml_table(),
        ),
    )
        .prop_map(
            |(
                (base_url, title, description, default_language, theme, output_dir, author),
                (taxonomies, flags, feed_filenames, feed_limit, exclude, ignored_content, markdown, extra),
            )| Config {
                base_url,
                title,
                description,
                default_language,
                theme,
                output_dir,
                author,
                taxonomies,
                generate_feeds: flags[0],
                feed_filenames,
                feed_limit,
                generate_sitemap: flags[1],
                generate_robots_txt: flags[2],
                exclude_paginated_pages_in_sitemap: exclude.to_string(),
                ignored_content,
                markdown,
                extra,
                ..Config::default()
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn config_parse_gives_a_config_or_a_problem_naming_config_toml(
        text in prop_oneof![1 => any_text(300), 1 => soup(CONFIG_PIECES, 50), 3 => config_lines()],
    ) {
        let t = text.clone();
        let result = within("Config::parse", move || Config::parse(Path::new("config.toml"), &t).map(|(_, w)| w));
        let problems = match result {
            Ok(warnings) => warnings,
            Err(p) => vec![p],
        };
        for p in problems {
            prop_assert_eq!(p.file.as_deref(), Some(Path::new("config.toml")), "{:?}", p);
            prop_assert!(!p.message.en().trim().is_empty());
            // What is wrong in the text itself is located; what is missing (`base_url`) cannot be.
            let in_the_text = ["invalid TOML", "invalid configuration", "unknown setting"];
            if in_the_text.iter().any(|m| p.message.en().starts_with(m)) {
                prop_assert!(p.line.is_some(), "problem without a line: {:?}", p);
            }
            if let Some(line) = p.line {
                prop_assert!(line >= 1 && line <= text.lines().count().max(1), "line {} of {:?}", line, text);
            }
        }
    }

    #[test]
    fn a_config_that_zhibu_could_write_parses_back_to_the_same_values(c in config_values()) {
        let text = toml::to_string(&c).unwrap();
        let (parsed, _) = Config::parse(Path::new("config.toml"), &text)
            .map_err(|p| TestCaseError::fail(format!("{p}\n--- config.toml:\n{text}")))?;
        prop_assert_eq!(parsed, c);
    }
}
