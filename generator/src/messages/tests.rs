//! Every message in both languages: a message whose Chinese is missing, is not Chinese, or
//! quotes other source text than its English fails here.

use std::collections::BTreeSet;

use super::*;

/// `(function name, message)` for each call, so that every function is seen.
macro_rules! samples {
    ($($f:ident($($arg:expr),*)),* $(,)?) => {
        vec![$((stringify!($f), $f($($arg),*))),*]
    };
}

fn every_message() -> Vec<(&'static str, Text)> {
    let why = geofence_lat(95.0);
    let campaign = campaign_named("copy-2026", "content/study/copy.md");
    let headings = vec!["交多少".to_string(), "怎么交".to_string()];
    let shortcodes = vec!["note".to_string(), "signin".to_string()];
    samples![
        // front matter
        invalid_front_matter(),
        yaml_not_a_table(),
        no_front_matter(),
        opening_not_alone("+++"),
        front_matter_not_closed("---"),
        key_is_a_taxonomy(KeyKind::PageKey, "tags"),
        key_belongs_in_extra(KeyKind::PageKey, "signin", Some("[extra.signin]")),
        key_belongs_in_extra(KeyKind::SectionKey, "share", None),
        key_did_you_mean(KeyKind::PageKey, "tittle", "title", None),
        key_did_you_mean(KeyKind::PageKey, "tag", "tags", Some("[taxonomies]")),
        unknown_key(KeyKind::Setting, "colour", &["title", "base_url"]),
        key_not_implemented(KeyKind::SectionKey, "insert_anchor_links"),
        key_not_implemented(KeyKind::Setting, "minify_html"),
        key_under_wrong_table("title", "extra"),
        full_width(Syntax::FrontMatter, '“', 9, "title = \"学习\""),
        full_width(Syntax::Toml, '‘', 9, "title = \"学习\""),
        full_width(Syntax::Toml, '：', 5, "date = 2026-12-09"),
        full_width(Syntax::Toml, '＝', 5, "date = 2026-12-09"),
        full_width(Syntax::Toml, '，', 12, "tags = [\"a\", \"b\"]"),
        full_width(Syntax::Toml, '【', 1, "[extra]"),
        full_width(Syntax::Toml, '｛', 12, "geofence = {"),
        full_width(Syntax::Toml, '　', 3, "a = 1"),
        full_width(Syntax::Toml, '～', 3, "a = 1"),
        toml_error(Syntax::FrontMatter, Some(9), "invalid string\nexpected `\"`"),
        toml_error(Syntax::Toml, None, "invalid table header"),
        taxonomy_not_declared("tag", &["tags", "categories"], Some("tags")),
        taxonomy_not_declared("series", &[], None),
        language_not_declared("de", &["fr", "it"]),
        wrong_type("draft", "invalid type: string \"yes\", expected a boolean"),
        extra_not_a_table("string"),
        taxonomy_not_a_list("tags"),
        date_expected("date"),
        not_a_date("date", "\"明天\""),
        paginate_by_zero(),
        empty_slug(),
        // content
        non_ascii_name("通知.md", false, "notice.md"),
        non_ascii_name("学习", true, "study"),
        page_outside_a_section("guide/more"),
        missing_weight("content/course/_index.md", 4),
        same_weight(2, "content/course/b.md"),
        lesson_place("第3课", 2),
        lesson_count("共 5 课", 4),
        lesson_count("共 2 课", 1),
        no_content_folder("site"),
        cannot_read_folder("templates", "permission denied"),
        cannot_read_file("stream did not contain valid UTF-8"),
        cannot_read_config("site/config.toml", "No such file or directory"),
        file_not_copied("content/notices"),
        url_taken(
            &[
                UrlOwner::File("content/a.md".into()),
                UrlOwner::Alias("content/b.md".into()),
                UrlOwner::Taxonomy("tags".into()),
                UrlOwner::Term("tags".into(), "党费".into()),
            ],
            "/tags/"
        ),
        two_outputs("notices/index.html"),
        // images
        image_not_found("resize_image", "photos/a.jpg"),
        image_outside_site("get_image_metadata", "../a.png"),
        image_unreadable("resize_image", "static/a.png", "unsupported format"),
        image_bad_argument("width", "a non-negative integer"),
        image_bad_argument("op", "a string"),
        image_bad_argument("allow_missing", "a boolean"),
        image_bad_op("crop"),
        image_op_needs("fit_width", "width"),
        image_op_needs("fill", "width and height"),
        image_bad_format("avif"),
        image_bad_quality("JPEG", 0, 1, 100),
        image_process_failed("static/a.png", "bad data"),
        image_failed("templates/page.html:3", &image_bad_op("crop")),
        image_failed_in_shortcode(
            "figure",
            "templates/shortcodes/figure.html",
            &image_not_found("resize_image", "a.png")
        ),
        // sass
        sass_error("expected \";\"."),
        sass_warn("`$width` is deprecated"),
        sass_same_output("sass/main.scss", "sass/main.sass", "main.css"),
        // links
        broken_content_link("guide/due.md", "guide/due.md", Some("guide/dues.md")),
        broken_content_link("x.md", "x.md", None),
        broken_link("/guide/due/", Some("/guide/dues/"), None),
        broken_link("dues.md", None, Some("guide/dues.md")),
        missing_linked_file(
            "/files/a.pdf",
            &Looked::InStatic("/files/a.pdf".into()),
            Some("/files/b.pdf"),
            None
        ),
        missing_linked_file(
            "a.pdf",
            &Looked::InFolderOrStatic("content/guide/a.pdf".into(), "/guide/a.pdf".into()),
            None,
            None
        ),
        missing_image(
            "photo.jpg",
            &Looked::InStatic("/notices/a/photo.jpg".into()),
            None,
            Some(("content/notices/a.md", "content/notices/a"))
        ),
        missing_image(
            "photo.jpg",
            &Looked::InBundle("content/notices/a/photo.jpg".into()),
            Some("photo.jpeg"),
            None
        ),
        broken_link_anchor("/guide/dues/#交多钱", "交多钱", &headings),
        broken_link_anchor("/guide/dues/#x", "x", &[]),
        broken_anchor("@/guide/dues.md#交多钱", &headings),
        image_without_alt("photo.jpg"),
        unknown_code_language("toml2"),
        external_link_broken("https://example.com/x", "HTTP 404 Not Found"),
        external_anchor_missing("https://example.com/x#a", "a"),
        external_links_checked(12, 3, 1, 2),
        // shortcodes
        unknown_shortcode("sigin", Some("signin"), &shortcodes),
        unknown_shortcode("x", None, &[]),
        shortcode_not_closed("signin", "}}"),
        shortcode_without_end("note"),
        shortcode_missing_paren("signin"),
        shortcode_argument_name("signin"),
        shortcode_argument_value("signin", "event"),
        shortcode_after_argument("signin", "event"),
        shortcode_string_not_closed("signin", "event"),
        shortcode_list_separator("gallery", "files"),
        shortcode_bad_value("signin", "event", "x"),
        shortcode_kept_as_text(&shortcode_bad_value("signin", "event", "x")),
        shortcode_failed("signin", "themes/zhibu/templates/shortcodes/signin.html", "Variable `x` not found"),
        shortcode_in_markdown_filter("signin"),
        // templates and data files
        theme_not_found("zhibu2"),
        template_syntax_error("expected `%}`"),
        templates_error("parent template `base.html` not found"),
        render_failed("themes/zhibu/templates/page.html:3", "Variable `x` not found in context"),
        missing_template("page.html"),
        missing_data_file(
            "data/copy.toml",
            &Reader::Template("templates/page.html".into()),
            Some("data/copy-2026.toml")
        ),
        missing_data_file("data/copy.toml", &Reader::Shortcode("copy_schedule".into()), None),
        missing_data_file("data/copy.toml", &Reader::CampaignSchedule, None),
        bad_data_file(
            "data/a.toml",
            &Reader::Shortcode("table".into()),
            &data_not_toml(Some((2, 5)), "expected `=`")
        ),
        data_unreadable("permission denied"),
        data_no_such_file(),
        data_not_toml(Some((3, 1)), "invalid key"),
        data_not_toml(None, "invalid key"),
        data_not_json("expected value at line 1 column 1"),
        data_not_csv("record 2 has 3 fields, the header has 2"),
        data_not_yaml("mapping values are not allowed in this context at line 2 column 5"),
        data_format_not_supported("xml"),
        // catalog
        not_a_table("signin"),
        table_unknown_key("review", "colour", &["id", "year", "opens", "closes"]),
        opens_required("signin"),
        closes_required("quiz_round"),
        closes_before_opens(
            "signin",
            IdKind::Event,
            "2026-12-09-remembrance",
            "2026-12-09 07:00",
            "2026-12-09 22:00"
        ),
        declared_twice(IdKind::Campaign, "copy-2026", "content/study/other.md"),
        declared_twice(IdKind::Quiz, "quiz-1", "content/study/other.md"),
        declared_twice(IdKind::Review, "2026-review", "content/review.md"),
        bad_event_id("Remembrance"),
        bad_campaign_id("x"),
        bad_quiz_id("x"),
        bad_review_id("2026_Review"),
        bad_geofence("2026-12-09-remembrance", &why),
        geofence_form(),
        geofence_coarse(2, 707.0, 300.0, 5),
        calendar_not_a_date("from", "2026-13-01"),
        calendar_to_before_from(
            chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
        ),
        calendar_bad_id("Theme Day"),
        calendar_id_twice("dues-monthly"),
        calendar_no_audience("dues-monthly"),
        calendar_unknown_audience("dues-monthly", "comittee", &["all", "committee"]),
        calendar_no_such_page("dues-monthly", "@/guide/due.md"),
        calendar_bad_time("2026-12-09-theme-day", "start", "7pm"),
        calendar_all_day_and_start("2026-12-09-theme-day"),
        calendar_end_without_start("2026-12-09-theme-day"),
        calendar_end_before_start("2026-12-09-theme-day"),
        calendar_recurring_keys("dues-monthly"),
        calendar_starts_required("dues-monthly"),
        calendar_event_keys("2026-12-09-theme-day"),
        calendar_date_or_month("2026-12-09-theme-day"),
        calendar_bad_month("2027-review", "2027-13"),
        calendar_month_not_tentative("2027-review"),
        calendar_month_with_day("2027-review"),
        calendar_outside(
            "2028-theme-day",
            chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
            chrono::NaiveDate::from_ymd_opt(2027, 12, 31)
        ),
        calendar_ends_with_start("2026-review-open"),
        calendar_ends_before_date("2026-review-open"),
        calendar_time_or_all_day("2026-12-09-theme-day"),
        calendar_bad_rrule("dues-monthly", "UNTIL=20270101", &["FREQ", "BYMONTHDAY"]),
        geofence_not_a_number("lat"),
        geofence_lat(95.0),
        geofence_lon(200.0),
        geofence_radius(0.0),
        campaign_starts_required(),
        campaign_days(),
        quiz_without_questions("quiz-1"),
        quiz_question_incomplete(2),
        quiz_answer(2, 5, 4),
        quiz_source(3),
        review_year_range(1999, 2000, 2100),
        review_year_type("string", 2000, 2100),
        review_year_required(2000, 2100),
        event_not_declared("2026-12-09-remembrance"),
        signin_without_event(),
        campaign_not_declared("copy_upload", "copy-2026"),
        shortcode_without_campaign("copy_progress"),
        campaign_named("copy-2026", "content/study/copy.md"),
        schedule_row_count(29, &campaign, 30),
        schedule_row_count(1, &campaign, 30),
        schedule_day_number("3", 2),
        schedule_date_outside(3, "2026-10-01", &campaign, "2026-09-01", "2026-09-30"),
        schedule_date_wrong(3, "2026-09-04", "2026-09-03", "2026-09-01"),
        schedule_date_missing(3),
        schedule_kind(3, "coppy", &["copy", "review"], Some("copy")),
        schedule_kind(3, "x", &["copy", "review"], None),
        schedule_no_days(&campaign),
        // config
        highlighting_style("fancy"),
        highlighting_theme_missing(),
        highlighting_theme_unknown("theme", "nope"),
        highlighting_files("`grammars/x.json`: not found"),
        invalid_configuration("invalid type: integer `1`, expected a string for key `title`"),
        base_url_required(),
        taxonomy_without_name(2),
        taxonomy_paginate_by("tags"),
        bad_glob("[a", "unclosed character class"),
        bad_globs("error"),
        exclude_paginated_pages(),
        search_flag("include_title"),
        search_truncate_length(),
        search_index_format(),
        search_unknown_setting("colour", &["include_title", "include_content"]),
        external_links_class_quotes("a\"b"),
        search_output_taken("search/index.json"),
        // a run
        phase(Phase::Templates),
        phase(Phase::Content),
        phase(Phase::Sass),
        phase(Phase::Markdown),
        phase(Phase::Checks),
        phase(Phase::Render),
        phase(Phase::Images),
        phase(Phase::Search),
        phase(Phase::Write),
        problems_heading(1),
        problems_heading(3),
        warning_prefix(),
        error_prefix(),
        more_warnings(12),
        building("."),
        built(120, 14, "./public", "1.20 s"),
        site_is_fine(120, 14, 300, 2),
        rebuilt("35 ms"),
        catalog_in_output("public/catalog.json", "public"),
        cannot_write_output("public"),
        cannot_write_catalog(".zhibu/zhibu-catalog.json"),
        files_count(300),
        templates_count(40),
        content_count(120, 14, 0),
        content_count(120, 14, 2),
        phase_failed(),
        problems_count(2),
        catalog_count(3, 1, 2),
        rendered_count(300, Some(1)),
        rendered_count(300, None),
        search_count(120, 35, 4000, 2),
        written_count(3, 297, 0),
    ]
}

/// The spans quoted in backticks.
fn quoted(text: &str) -> BTreeSet<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[test]
fn every_message_has_chinese_that_quotes_what_the_english_quotes() {
    let mut failures = Vec::new();
    for (name, text) in every_message() {
        let (en, zh) = (text.get(Lang::En), text.get(Lang::Zh));
        if !zh.chars().any(is_cjk) {
            failures.push(format!("{name}: the Chinese has no Chinese: {zh}"));
        }
        if zh == en {
            failures.push(format!("{name}: the Chinese is the English: {zh}"));
        }
        if quoted(en) != quoted(zh) {
            failures.push(format!("{name}: quotes differ:\n  en: {en}\n  zh: {zh}"));
        }
        if en.matches('`').count() % 2 != 0 || zh.matches('`').count() % 2 != 0 {
            failures.push(format!("{name}: an unpaired backtick:\n  en: {en}\n  zh: {zh}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The names of the message functions in the files of this folder.
fn message_functions() -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/messages");
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("src/messages is readable") {
        let path = entry.expect("an entry of src/messages").path();
        if path.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file is readable");
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("pub fn ") {
                names.insert(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
            }
        }
    }
    names
}

#[test]
fn every_message_function_is_tried_in_both_languages() {
    let tried: BTreeSet<String> = every_message().into_iter().map(|(name, _)| name.to_string()).collect();
    let functions = message_functions();
    assert!(functions.len() > 100, "the scan finds the functions: {functions:?}");
    let untried: Vec<&String> = functions.difference(&tried).collect();
    assert!(untried.is_empty(), "add these to every_message(): {untried:?}");
}

#[test]
fn the_language_is_zhibu_lang_else_the_site_default_language() {
    assert_eq!(Lang::choose(None, Some("zh-CN")), Lang::Zh);
    assert_eq!(Lang::choose(None, Some("zh-Hans")), Lang::Zh);
    assert_eq!(Lang::choose(None, Some("zh")), Lang::Zh);
    assert_eq!(Lang::choose(None, Some("en")), Lang::En);
    assert_eq!(Lang::choose(None, Some("fr")), Lang::En);
    assert_eq!(Lang::choose(None, None), Lang::En);
    assert_eq!(Lang::choose(Some("zh"), Some("en")), Lang::Zh);
    assert_eq!(Lang::choose(Some("zh_CN.UTF-8"), None), Lang::Zh);
    assert_eq!(Lang::choose(Some("en"), Some("zh-CN")), Lang::En);
    assert_eq!(Lang::choose(Some("EN-us"), Some("zh-CN")), Lang::En);
    assert_eq!(Lang::choose(Some(""), Some("zh-CN")), Lang::Zh, "an empty ZHIBU_LANG is not set");
    assert_eq!(Lang::choose(Some("fr"), Some("zh-CN")), Lang::Zh);
}

#[test]
fn a_suggestion_is_added_only_when_there_is_one() {
    assert_eq!(
        unknown_shortcode("sigin", Some("signin"), &["note".into(), "signin".into()]).en(),
        "unknown shortcode `sigin`: did you mean `signin`? The shortcodes of this site are: note, signin"
    );
    assert_eq!(
        unknown_shortcode("sigin", Some("signin"), &["note".into(), "signin".into()]).zh(),
        "未知的短代码 `sigin`：您是不是想写 `signin`？本站的短代码有：note、signin"
    );
    assert_eq!(
        unknown_shortcode("x", None, &[]).en(),
        "unknown shortcode `x`: the shortcodes of this site are: none"
    );
}

#[test]
fn full_width_names_the_character_and_the_fix() {
    let m = full_width(Syntax::FrontMatter, '“', 9, "title = \"学习\"\n");
    assert!(
        m.en().starts_with("invalid front matter at column 9: `“` is a Chinese (full-width) quotation mark"),
        "{m}"
    );
    assert!(m.en().ends_with("write `title = \"学习\"`"), "{m}");
    assert_eq!(
        m.zh(),
        "页面设置有误（第 9 列）：`“` 是中文（全角）引号：TOML 要用英文的 `\"`（请把输入法切换到英文标点）；应写成 `title = \"学习\"`"
    );
}
