//! Every error case of a build: a clear message with file, line and what to fix, all problems
//! of a run in one numbered list, a non-zero exit, and the previous output left untouched.

use crate::common;

use common::{Site, snapshot};

fn fails_with(site: &Site, expected: &[&str]) -> String {
    let run = site.build().failed();
    for e in expected {
        assert!(run.stderr.contains(e), "expected `{e}` in:\n{}", run.stderr);
    }
    run.stderr
}

#[test]
fn malformed_front_matter_names_file_and_line() {
    let site = Site::fixture("site");
    site.write("content/notices/bad.md", "+++\ntitle = \"坏\"\ndate = 2026-13-45\n+++\n");
    fails_with(&site, &["content/notices/bad.md:3:", "invalid front matter"]);
}

#[test]
fn missing_front_matter_says_what_to_add() {
    let site = Site::fixture("site");
    site.write("content/notices/plain.md", "# 没有前言\n");
    fails_with(&site, &["content/notices/plain.md:1:", "must start with front matter"]);
}

#[test]
fn unknown_front_matter_key_is_an_error() {
    let site = Site::fixture("site");
    site.write("content/notices/typo.md", "+++\ntitle = \"x\"\ntags = [\"a\"]\n+++\n");
    fails_with(&site, &["content/notices/typo.md:3:", "unknown page front matter key `tags`", "[extra]"]);
}

#[test]
fn unknown_config_key_is_an_error_and_unimplemented_zola_key_a_warning() {
    let site = Site::fixture("site");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &config.replace("generate_feeds = true", "generate_feeds = true\ncompile_sass = true"),
    );
    let run = site.build().ok();
    assert!(
        run.stderr.contains("warning: config.toml:6: `compile_sass` is a Zola setting"),
        "{}",
        run.stderr
    );
    site.write(
        "config.toml",
        &config.replace("generate_feeds = true", "generate_feed = true\ngenerat_sitemap = true"),
    );
    fails_with(&site, &["config.toml:6:", "unknown setting `generat_sitemap`"]);
}

#[test]
fn unknown_template_variable_names_template_line_and_page() {
    let site = Site::fixture("site");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n{{ page.subtitle }}\n{% endblock %}\n",
    );
    let err = fails_with(&site, &["templates/page.html:4", "content/notices/meeting.md"]);
    assert!(err.contains("page.subtitle"), "{err}");
}

#[test]
fn a_broken_link_in_the_markdown_filter_fails_the_page() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/extra.md",
        "+++\ntitle = \"附加\"\n[extra]\nnote = \"见[无此页](@/nope.md)\"\n+++\n",
    );
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{% if page.extra.note %}{{ page.extra.note | markdown | safe }}{% endif %}{% endblock %}",
    );
    fails_with(&site, &["content/notices/extra.md", "markdown filter: broken internal link `@/nope.md`"]);
}

#[test]
fn template_syntax_errors_are_all_reported_with_lines() {
    let site = Site::fixture("site");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock %}\n",
    );
    site.write("templates/section.html", "{% if %}\n");
    let err =
        fails_with(&site, &["templates/page.html:4", "templates/section.html:1", "template syntax error"]);
    assert!(err.contains("2 problems"), "{err}");
}

#[test]
fn two_pages_on_one_path_are_named() {
    let site = Site::fixture("site");
    site.write("content/notices/other.md", "+++\ntitle = \"同路径\"\npath = \"notices/meeting\"\n+++\n");
    fails_with(&site, &["content/notices/meeting.md and content/notices/other.md", "/notices/meeting/"]);
}

#[test]
fn every_broken_link_and_anchor_is_listed_with_file_and_line() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/links.md",
        "+++\ntitle = \"链接\"\n+++\n第一行\n\n[无此页](@/notices/nope.md)\n\n[无此锚](@/notices/meeting.md#没有)\n\n[本页](#不存在)\n",
    );
    let err = fails_with(
        &site,
        &[
            "content/notices/links.md:6: broken internal link `@/notices/nope.md`",
            "content/notices/links.md:8: broken anchor `@/notices/meeting.md#没有`",
            "content/notices/links.md:10: broken anchor `#不存在`",
            "the site has 3 problems:",
            "  1. ",
            "  3. ",
        ],
    );
    assert!(err.contains("会议议程"), "lists the headings that exist: {err}");
}

#[test]
fn catalog_errors_fail_the_build() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/bad-event.md",
        "+++\ntitle = \"坏活动\"\n[extra.signin]\nevent = \"2026-12-09-remembrance\"\nopens = 2026-12-09T22:00:00+08:00\ncloses = 2026-12-09T07:00:00+08:00\ngeofence = { lat = 95.0, lon = 114.0, radius_m = 300 }\n+++\n{{ signin(event=\"no-such-event\") }}\n",
    );
    fails_with(
        &site,
        &[
            "content/notices/bad-event.md:6: [extra.signin] event `2026-12-09-remembrance` closes (2026-12-09 07:00:00 +08:00) before it opens",
            "content/notices/event.md:7: event id `2026-12-09-remembrance` is declared twice: also in content/notices/bad-event.md",
            "content/notices/bad-event.md:7: [extra.signin] event `2026-12-09-remembrance`: bad geofence: lat = 95 is outside -90..90",
            "content/notices/bad-event.md:9: signin(event=\"no-such-event\"): no page declares this event",
        ],
    );
}

#[test]
fn campaign_errors_point_at_the_key() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/bad-campaign.md",
        "+++\ntitle = \"坏活动\"\n[extra.campaign]\nid = \"Bad Id\"\nstarts = 2026-09-01\ndays = 0\ncolour = \"red\"\n+++\n",
    );
    fails_with(
        &site,
        &[
            "content/notices/bad-campaign.md:4: [extra.campaign] `id = \"Bad Id\"`",
            "content/notices/bad-campaign.md:6: [extra.campaign] `days` must be a whole number from 1 to 366",
            "content/notices/bad-campaign.md:7: [extra.campaign] unknown key `colour`",
        ],
    );
}

#[test]
fn shortcode_errors_name_the_line() {
    let site = Site::fixture("site");
    site.write("content/notices/sc.md", "+++\ntitle = \"短代码\"\n+++\n\n{{ nonesuch(a=1) }}\n");
    fails_with(&site, &["content/notices/sc.md:5: unknown shortcode `nonesuch`"]);
}

#[test]
fn undeclared_taxonomy_is_an_error() {
    let site = Site::fixture("site");
    site.write("content/notices/tx.md", "+++\ntitle = \"分类\"\n[taxonomies]\nauthors = [\"张三\"]\n+++\n");
    fails_with(&site, &["content/notices/tx.md", "taxonomy `authors` is not declared"]);
}

#[test]
fn missing_theme_is_explained() {
    let site = Site::fixture("site");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("config.toml", &config.replace("theme = \"plain\"", "theme = \"nope\""));
    fails_with(&site, &["theme `nope` not found"]);
}

#[test]
fn failed_build_leaves_the_previous_output_untouched() {
    let site = Site::fixture("site");
    site.build().ok();
    let before = snapshot(&site.out());
    // One good change and one bad one: nothing at all may be written.
    site.write("content/notices/meeting.md", "+++\ntitle = \"改了\"\ndate = 2026-11-20\n+++\n## 会议议程\n");
    site.write("content/notices/broken.md", "+++\ntitle = \n+++\n");
    site.build().failed();
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn check_reports_the_same_problems_without_writing() {
    let site = Site::fixture("site");
    site.write("content/notices/links.md", "+++\ntitle = \"链接\"\n+++\n[无此页](@/nope.md)\n");
    let run = site.zhibu(&["check"]).failed();
    assert!(run.stderr.contains("content/notices/links.md:4: broken internal link"), "{}", run.stderr);
    assert!(!site.out().exists());
}

#[test]
fn image_without_alt_text_warns_but_builds() {
    let site = Site::fixture("site");
    site.write("content/notices/img.md", "+++\ntitle = \"图\"\n+++\n![](x.png)\n");
    let run = site.build().ok();
    assert!(
        run.stderr.contains("warning: content/notices/img.md:4: image `x.png` has no alt text"),
        "{}",
        run.stderr
    );
}

#[test]
fn quiz_round_errors_point_at_the_page() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/bad-quiz.md",
        "+++\ntitle = \"坏测验\"\n[extra.quiz_round]\nid = \"q-1\"\nopens = 2026-12-01T08:00:00+08:00\ncloses = 2026-12-10T22:00:00+08:00\n[[extra.quiz]]\nquestion = \"哪一项？\"\noptions = [\"甲\", \"乙\"]\nanswer = 3\nsource = \"《中国共产党章程》\"\n+++\n",
    );
    fails_with(
        &site,
        &["content/notices/bad-quiz.md:3: [[extra.quiz]] question 1: `answer = 3` must be 1–2"],
    );
}

#[test]
fn review_errors_point_at_the_key() {
    let site = Site::fixture("site");
    let good = "id = \"2026-review\"\nyear = 2026\nopens = 2026-12-15T00:00:00+08:00\ncloses = 2027-01-15T22:00:00+08:00\n";
    site.write(
        "content/notices/review.md",
        &format!("+++\ntitle = \"民主评议\"\n[extra.review]\n{good}+++\n"),
    );
    site.write(
        "content/notices/review-copy.md",
        &format!("+++\ntitle = \"民主评议\"\n[extra.review]\n{good}+++\n"),
    );
    site.write(
        "content/notices/bad-review.md",
        "+++\ntitle = \"坏评议\"\n[extra.review]\nid = \"Review 2026\"\nyear = 26\nopens = 2027-01-15T22:00:00+08:00\ncloses = 2026-12-15T00:00:00+08:00\nvoters = 30\n+++\n",
    );
    fails_with(
        &site,
        &[
            "content/notices/bad-review.md:4: [extra.review] `id = \"Review 2026\"`: a review id is 3–64 lower-case letters",
            "content/notices/bad-review.md:5: [extra.review] `year = 26`: the year under review is a whole number from 2000 to 2100",
            "content/notices/bad-review.md:7: [extra.review] review `Review 2026` closes (2026-12-15 00:00:00 +08:00) before it opens",
            "content/notices/bad-review.md:8: [extra.review] unknown key `voters`",
            "content/notices/review.md:4: review id `2026-review` is declared twice: also in content/notices/review-copy.md",
        ],
    );
}
