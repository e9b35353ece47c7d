//! Every error case of a build: a clear message with file, line and what to fix, all problems
//! of a run in one numbered list, a non-zero exit, and the previous output left untouched.

use std::time::{Duration, SystemTime};

use crate::common;

use common::{Site, snapshot};

fn fails_with(site: &Site, expected: &[&str]) -> String {
    let run = site.build().failed();
    for e in expected {
        assert!(run.stderr.contains(e), "expected `{e}` in:\n{}", run.stderr);
    }
    run.stderr
}

/// Builds (it must succeed) and expects every one of `expected` as a warning line.
fn warns_with(site: &Site, expected: &[&str]) -> String {
    let run = site.build().ok();
    for e in expected {
        assert!(run.stderr.contains(&format!("warning: {e}")), "expected warning `{e}` in:\n{}", run.stderr);
    }
    run.stderr
}

/// Sets when `rel` was last changed to `seconds` after 2026-01-01, so that which of two files is
/// the newer does not depend on the clock's resolution.
fn set_modified(site: &Site, rel: &str, seconds: u64) {
    let file = std::fs::File::options().write(true).open(site.root().join(rel)).expect("open");
    file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600 + seconds))
        .expect("set mtime");
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
fn unknown_page_front_matter_key_is_a_warning_as_zola_ignores_it() {
    let site = Site::fixture("site");
    site.write("content/notices/typo.md", "+++\ntitle = \"x\"\ncolour = \"red\"\n+++\n");
    warns_with(&site, &["content/notices/typo.md:3: unknown page front matter key `colour`"]);
}

#[test]
fn an_unknown_front_matter_key_says_where_it_belongs_or_what_was_meant() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/keys.md",
        "+++\ntittle = \"通知\"\ntags = [\"党费\"]\ncategory = [\"通知\"]\nsignin = { event = \"2026-12-09-x\" }\ndata = 2026-12-01\n+++\n",
    );
    site.write(
        "content/notices/_index.md",
        "+++\ntitle = \"通知公告\"\nsort_by = \"date\"\npaginate_by = 2\nsort-by = \"date\"\n+++\n",
    );
    // A page's unknown keys are warnings (Zola ignores them); a section's are errors (Zola
    // rejects them).
    let err = fails_with(
        &site,
        &[
            "warning: content/notices/keys.md:2: unknown page front matter key `tittle`; did you mean `title`?",
            "warning: content/notices/keys.md:3: unknown page front matter key `tags`: `tags` is a taxonomy and goes under [taxonomies]: put a line `[taxonomies]` after the other keys and `tags = [\"…\"]` below it",
            "warning: content/notices/keys.md:4: unknown page front matter key `category`; did you mean `categories`? (it goes under [taxonomies])",
            "warning: content/notices/keys.md:5: unknown page front matter key `signin`: it is read from [extra.signin]: write the line `[extra.signin]` above its keys",
            "warning: content/notices/keys.md:6: unknown page front matter key `data`; did you mean `date`?",
            "content/notices/_index.md:5: unknown section front matter key `sort-by`; did you mean `sort_by`?",
        ],
    );
    assert!(err.contains("the site has 1 problem"), "{err}");
}

#[test]
fn a_page_key_written_under_extra_or_taxonomies_is_named() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/tables.md",
        "+++\ntitle = \"表\"\n[taxonomies]\ntags = [\"党费\"]\ndate = 2026-12-01\n[extra]\nweight = 3\n+++\n",
    );
    let run = site.build().failed();
    assert!(
        run.stderr.contains("content/notices/tables.md:5: `date` is written under [taxonomies], so it is not the page's `date`: move the line above the `[taxonomies]` line"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning: content/notices/tables.md:7: `weight` is written under [extra], so it is not the page's `weight`"),
        "{}",
        run.stderr
    );
}

#[test]
fn full_width_quotes_and_colons_from_a_chinese_keyboard_are_explained_with_the_column() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/fw.md",
        "+++\ntitle = “十二月通知”\ndate： 2026-12-01\ndescription = \"“四个服从”是什么\"\n[taxonomies]\ntags = [\"党费\"，\"通知\"]\n+++\n正文\n",
    );
    site.write("content/notices/col.md", "+++\ntitle = \"x\"\ndate = \n+++\n");
    let err = fails_with(
        &site,
        &[
            "content/notices/fw.md:2: invalid front matter at column 9: `“` is a Chinese (full-width) quotation mark: TOML needs the ASCII `\"` (switch the keyboard to English punctuation); write `title = \"十二月通知\"`",
            "content/notices/fw.md:3: invalid front matter at column 5: `：` is a full-width colon: TOML writes `key = value` with an ASCII `=`",
            "content/notices/fw.md:6: invalid front matter at column 13: `，` is a full-width comma: TOML separates values with the ASCII `,`",
            "content/notices/col.md:3: invalid front matter at column 8: string values must be quoted",
        ],
    );
    assert!(!err.contains("fw.md:4"), "Chinese quotes inside a string are text: {err}");
    assert!(!err.contains("missing opening quote"), "{err}");
}

#[test]
fn unknown_config_key_is_an_error_and_unimplemented_zola_key_a_warning() {
    let site = Site::fixture("site");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &config.replace("generate_feeds = true", "generate_feeds = true\nfeed_filename = \"atom.xml\""),
    );
    let run = site.build().ok();
    assert!(
        run.stderr.contains("warning: config.toml:6: `feed_filename` is a Zola setting"),
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
    set_modified(&site, "content/notices/event.md", 0);
    set_modified(&site, "content/notices/bad-event.md", 60);
    fails_with(
        &site,
        &[
            "content/notices/bad-event.md:6: [extra.signin] event `2026-12-09-remembrance` closes (2026-12-09 07:00:00 +08:00) before it opens",
            "content/notices/bad-event.md:4: event id `2026-12-09-remembrance` is declared twice: also in content/notices/event.md",
            "content/notices/bad-event.md:7: [extra.signin] event `2026-12-09-remembrance`: bad geofence: lat = 95 is outside -90..90",
            "content/notices/bad-event.md:9: signin(event=\"no-such-event\"): no page declares this event",
        ],
    );
}

#[test]
fn a_duplicate_event_id_is_reported_at_the_file_being_edited() {
    // The file changed last is the one being edited, whichever sorts first.
    let site = Site::fixture("site");
    let copy = "+++\ntitle = \"副本\"\n[extra.signin]\nevent = \"2026-12-09-remembrance\"\nopens = 2026-12-09T07:00:00+08:00\ncloses = 2026-12-09T22:00:00+08:00\n+++\n";
    site.write("content/notices/a-copy.md", copy);
    set_modified(&site, "content/notices/a-copy.md", 0);
    set_modified(&site, "content/notices/event.md", 60);
    let err = fails_with(
        &site,
        &[
            "content/notices/event.md:7: event id `2026-12-09-remembrance` is declared twice: also in content/notices/a-copy.md",
        ],
    );
    assert!(!err.contains("a-copy.md:4"), "{err}");
    set_modified(&site, "content/notices/a-copy.md", 120);
    fails_with(
        &site,
        &[
            "content/notices/a-copy.md:4: event id `2026-12-09-remembrance` is declared twice: also in content/notices/event.md",
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
    fails_with(
        &site,
        &[
            "content/notices/sc.md:5: unknown shortcode `nonesuch`: the shortcodes of this site are: copy_schedule, copy_upload, note_form, signin",
        ],
    );
}

#[test]
fn a_mistyped_shortcode_or_at_link_asks_did_you_mean() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/typos.md",
        "+++\ntitle = \"错字\"\n+++\n{{ sigin(event=\"2026-12-09-remembrance\") }}\n\n[会议](@/notices/meting.md)\n\n[党费](@/notices/2026-11-01-dues)\n",
    );
    let err = fails_with(
        &site,
        &[
            "content/notices/typos.md:4: unknown shortcode `sigin`: did you mean `signin`? The shortcodes of this site are: copy_schedule, copy_upload, note_form, signin",
            "content/notices/typos.md:6: broken internal link `@/notices/meting.md`: there is no content/notices/meting.md; did you mean `@/notices/meeting.md`?",
            "content/notices/typos.md:8: broken internal link `@/notices/2026-11-01-dues`: there is no content/notices/2026-11-01-dues; did you mean `@/notices/2026-11-01-dues.md`?",
        ],
    );
    assert!(!err.contains("add templates/shortcodes"), "{err}");
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
    site.write("static/x.png", "png");
    site.write("content/notices/img.md", "+++\ntitle = \"图\"\n+++\n![](/x.png)\n");
    let run = site.build().ok();
    assert!(
        run.stderr.contains("warning: content/notices/img.md:4: image `/x.png` has no alt text"),
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
    set_modified(&site, "content/notices/review-copy.md", 0);
    set_modified(&site, "content/notices/review.md", 60);
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

#[test]
fn a_missing_image_is_an_error_with_the_file_it_looked_for() {
    let site = Site::fixture("site");
    site.write("content/life/camp/index.md", "+++\ntitle = \"夏令营\"\ndate = 2026-07-01\n+++\n![海报](poster.png)\n\n![海报](postr.png)\n\n![标志](/images/lgo.png)\n");
    site.write("content/life/camp/poster.png", "png");
    site.write("static/images/logo.png", "png");
    site.write(
        "content/notices/img.md",
        "+++\ntitle = \"图\"\n+++\n![海报](poster.png)\n\n![照片](/life/trip/Photo.png)\n",
    );
    let err = fails_with(
        &site,
        &[
            "content/life/camp/index.md:7: image `postr.png` does not exist: there is no content/life/camp/postr.png; did you mean `poster.png`?",
            "content/life/camp/index.md:9: image `/images/lgo.png` does not exist: there is no static/images/lgo.png; did you mean `/images/logo.png`?",
            "content/notices/img.md:4: image `poster.png` does not exist: there is no static/notices/img/poster.png (only a page bundle has files beside it: move content/notices/img.md to content/notices/img/index.md and the image into content/notices/img/",
            "content/notices/img.md:6: image `/life/trip/Photo.png` does not exist: there is no content/life/trip/Photo.png; did you mean `/life/trip/photo.png`?",
        ],
    );
    assert!(err.contains("the site has 4 problems"), "{err}");
}

#[test]
fn ordinary_links_to_the_site_are_checked_with_their_anchors() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/links2.md",
        "+++\ntitle = \"链接\"\n+++\n[党费](/notices/dues/#交纳时间) [会议](../meeting/) [首页](/) [样式](/css/site.css) [旧址](/old/meeting/)\n\n[接口](/api/events/x) [外站](https://example.com/none/) [邮件](mailto:a@b.cn) [第二页](/notices/page/2/)\n\n[党费](/notices/dues/#交多少)\n\n[会议](../meetin/)\n\n[表格](/files/form.docx)\n\n[党费](2026-11-01-dues.md)\n\n[编码](/notices/dues/#%E4%BA%A4%E7%BA%B3%E6%97%B6%E9%97%B4)\n",
    );
    let err = fails_with(
        &site,
        &[
            "content/notices/links2.md:8: broken anchor `/notices/dues/#交多少`: no heading with the id `交多少` there (headings there: 交纳时间)",
            "content/notices/links2.md:10: broken link `../meetin/`: the site has no page or file at that address; did you mean `/notices/meeting/`?",
            "content/notices/links2.md:12: broken link `/files/form.docx`: there is no static/files/form.docx",
            "content/notices/links2.md:14: broken link `2026-11-01-dues.md`: the site has no page or file at that address; to link a content file write `@/notices/2026-11-01-dues.md`",
        ],
    );
    assert!(err.contains("the site has 4 problems"), "the good links pass: {err}");
}

#[test]
fn a_file_name_that_is_not_ascii_warns_with_a_name_to_use() {
    let site = Site::fixture("site");
    site.write("content/notices/通知.md", "+++\ntitle = \"通知\"\ndate = 2026-12-01\n+++\n正文\n");
    site.write(
        "content/notices/会议.md",
        "+++\ntitle = \"会议\"\ndate = 2026-12-02\nslug = \"meeting-december\"\n+++\n正文\n",
    );
    site.write("content/notices/2026-12-03-党费.md", "+++\ntitle = \"党费\"\n+++\n正文\n");
    site.write("content/life/trip/照片.png", "png");
    warns_with(
        &site,
        &[
            "content/notices/通知.md:1: the file name `通知.md` is not ASCII: its address becomes hard to type and share (%E9%80%9A… in links); rename it, e.g. to `page-2.md`",
            "content/notices/会议.md:1: the file name `会议.md` is not ASCII: its address becomes hard to type and share (%E4%BC%9A… in links); rename it, e.g. to `meeting-december.md`",
            "content/notices/2026-12-03-党费.md:1: the file name `2026-12-03-党费.md` is not ASCII: its address becomes hard to type and share (%E5%85%9A… in links); rename it, e.g. to `2026-12-03-page-1.md`",
            "content/life/trip/照片.png: the file name `照片.png` is not ASCII: its address becomes hard to type and share (%E7%85%A7… in links); rename it, e.g. to `image-1.png`",
        ],
    );
}

#[test]
fn a_page_in_a_folder_without_index_warns_that_it_is_in_no_list() {
    let site = Site::fixture("site");
    site.write("content/notices/2026/december.md", "+++\ntitle = \"十二月\"\ndate = 2026-12-01\n+++\n正文\n");
    warns_with(
        &site,
        &[
            "content/notices/2026/december.md:1: content/notices/2026/ has no _index.md, so this page is built but listed in no section (as in Zola); add content/notices/2026/_index.md to list it",
        ],
    );
    std::fs::remove_file(site.root().join("content/_index.md")).unwrap();
    site.write("content/archive/old.md", "+++\ntitle = \"旧文\"\n+++\n正文\n");
    warns_with(
        &site,
        &[
            "content/archive/old.md:1: content/archive/ has no _index.md, so this page is built but listed in no section (as in Zola); add content/archive/_index.md to list it",
        ],
    );
}

/// A 4-day campaign page showing its schedule from `data/copy.toml`.
const CAMPAIGN_PAGE: &str = "+++\ntitle = \"抄党章四天\"\ndate = 2026-08-25\n[extra.campaign]\nid = \"copy-4\"\nstarts = 2026-09-01\ndays = 4\n+++\n{{ copy_schedule(data=\"data/copy.toml\", campaign=\"copy-4\") }}\n";

fn schedule_row(day: &str, date: &str, kind: &str) -> String {
    format!(
        "[[days]]\nday = {day}\ndate = {date}\npart = \"总纲\"\ntext = \"第{day}段\"\nkind = \"{kind}\"\n\n"
    )
}

#[test]
fn a_schedule_that_does_not_match_its_campaign_is_an_error_at_its_line() {
    let site = Site::fixture("site");
    site.write("content/notices/copy.md", CAMPAIGN_PAGE);
    // Rows of 7 lines after a comment line: headers at 2, 9, 16.
    let rows = format!(
        "# 四天的安排\n{}{}{}",
        schedule_row("1", "2026-08-31", "copy"),
        schedule_row("2", "2026-09-03", "copyy"),
        schedule_row("4", "2026-09-03", "review"),
    );
    site.write("data/copy.toml", &rows);
    let err = fails_with(
        &site,
        &[
            "data/copy.toml:16: the schedule has 3 days but campaign `copy-4` (content/notices/copy.md) lasts 4 days: give every day one `[[days]]` row, or change `days` of the campaign",
            "data/copy.toml:4: day 1 is dated 2026-08-31, outside campaign `copy-4` (content/notices/copy.md) (2026-09-01 to 2026-09-04)",
            "data/copy.toml:11: day 2 is dated 2026-09-03 but falls on 2026-09-02 (the campaign starts 2026-09-01); the site finds today's row by its day",
            "data/copy.toml:14: day 2: `kind = \"copyy\"` is not a kind of schedule day; did you mean \"copy\"? (the kinds are \"copy\", \"review\")",
            "data/copy.toml:17: `day = 4` where day 3 comes next: number the rows 1, 2, 3 … in order",
        ],
    );
    assert!(err.contains("the site has 5 problems"), "{err}");
    // Matching, it builds.
    let good: String =
        (1..=4).map(|d| schedule_row(&d.to_string(), &format!("2026-09-0{d}"), "copy")).collect();
    site.write("data/copy.toml", &good);
    site.build().ok();
}

#[test]
fn a_schedule_named_in_the_campaign_is_checked_and_must_exist() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/copy.md",
        "+++\ntitle = \"抄党章四天\"\n[extra.campaign]\nid = \"copy-4\"\nstarts = 2026-09-01\ndays = 4\nschedule = \"data/copy.tom\"\n+++\n",
    );
    site.write("data/copy.toml", &schedule_row("1", "2026-09-01", "copy"));
    fails_with(
        &site,
        &[
            "content/notices/copy.md:7: the data file `data/copy.tom` does not exist ([extra.campaign] `schedule` reads it); did you mean `data/copy.toml`?",
        ],
    );
    site.write(
        "content/notices/copy.md",
        &CAMPAIGN_PAGE.replace("days = 4\n", "days = 4\nschedule = \"data/copy.toml\"\n"),
    );
    fails_with(&site, &["data/copy.toml:1: the schedule has 1 day but campaign `copy-4`"]);
}

#[test]
fn a_missing_data_file_names_the_file_and_the_page_not_template_internals() {
    let site = Site::fixture("site");
    site.write("content/notices/copy.md", &CAMPAIGN_PAGE.replace("data/copy.toml", "data/copy.tom"));
    site.write("data/copy.toml", &schedule_row("1", "2026-09-01", "copy"));
    let err = fails_with(
        &site,
        &[
            "content/notices/copy.md:9: the data file `data/copy.tom` does not exist (shortcode `copy_schedule` reads it); did you mean `data/copy.toml`?",
        ],
    );
    for internal in ["os error", "Function call", "load_data", "Failed to render"] {
        assert!(!err.contains(internal), "`{internal}` in {err}");
    }
    // A data file that is not valid TOML: its line and column.
    site.write("content/notices/copy.md", CAMPAIGN_PAGE);
    site.write("data/copy.toml", "[[days]]\nday = 1\ntext = \"未闭合\n");
    fails_with(
        &site,
        &[
            "content/notices/copy.md:9: the data file `data/copy.toml` (shortcode `copy_schedule` reads it) cannot be used: not valid TOML at line 3, column",
        ],
    );
}

#[test]
fn lessons_without_weight_and_counts_typed_by_hand_warn() {
    let site = Site::fixture("site");
    site.write("content/school/basics/lesson-4.md", "+++\ntitle = \"第4课\"\n+++\n第4课的内容。\n");
    site.write(
        "content/school/basics/_index.md",
        "+++\ntitle = \"党的基本知识\"\ndescription = \"入党前后都要学好的这三课\"\nsort_by = \"weight\"\ntransparent = true\n+++\n本课程共 3 课，建议按顺序学习。\n",
    );
    site.write(
        "content/school/basics/lesson-3.md",
        "+++\ntitle = \"第3课\"\nweight = 2\n+++\n第3课的内容。\n",
    );
    warns_with(
        &site,
        &[
            "content/school/basics/lesson-4.md:2: no `weight`, but content/school/basics/_index.md sorts its pages by weight: this page is listed last; add `weight = 3` (or the place it should have)",
            "content/school/basics/_index.md:3: the text says `这三课` but the section has 4 pages; the theme counts them itself (共 N 课), so correct or remove the number",
            "content/school/basics/_index.md:7: the text says `共 3 课` but the section has 4 pages",
            "content/school/basics/lesson-3.md:3: `weight = 2` is also the weight of content/school/basics/lesson-2.md: the two are ordered by file name; give each its own",
        ],
    );
}

#[test]
fn a_front_matter_error_does_not_hide_the_other_problems_of_the_run() {
    let site = Site::fixture("site");
    // A TOML error on line 3, an unknown key on line 4 (a warning) and a broken link in the
    // body: all three.
    site.write(
        "content/notices/broken.md",
        "+++\ntitle = \"坏\"\ndate = \ncolour = \"red\"\n+++\n[无此页](@/notices/nope.md)\n",
    );
    // Other files: a broken link, a page without front matter, a link to it (not reported again)
    // and a warning.
    site.write(
        "content/notices/other.md",
        "+++\ntitle = \"另一篇\"\n+++\n[坏页](@/notices/plain.md)\n\n[无此页](/nowhere/)\n",
    );
    site.write("content/notices/plain.md", "# 没有前言\n");
    site.write("content/notices/通知.md", "+++\ntitle = \"通知\"\n+++\n");
    let run = site.zhibu(&["check"]).failed();
    let err = run.stderr;
    for expected in [
        "content/notices/broken.md:3: invalid front matter at column 8: string values must be quoted",
        "warning: content/notices/broken.md:4: unknown page front matter key `colour`",
        "content/notices/broken.md:6: broken internal link `@/notices/nope.md`",
        "content/notices/other.md:6: broken link `/nowhere/`",
        "content/notices/plain.md:1: the file must start with front matter",
        "warning: content/notices/通知.md:1: the file name `通知.md` is not ASCII",
    ] {
        assert!(err.contains(expected), "expected `{expected}` in:\n{err}");
    }
    assert!(err.contains("the site has 4 problems"), "{err}");
    assert!(
        !err.contains("@/notices/plain.md"),
        "a link to a file that cannot be read is not a second problem: {err}"
    );
}

/// `zhibu check` with ZHIBU_LANG set to `lang` (unset when `None`): its stderr.
fn check_in(site: &Site, lang: Option<&str>) -> String {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_zhibu"));
    command.args(["check", "--root"]).arg(site.root()).env_remove("ZHIBU_LANG");
    if let Some(lang) = lang {
        command.env("ZHIBU_LANG", lang);
    }
    let output = command.output().expect("run zhibu check");
    assert!(!output.status.success(), "the site has a problem");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn messages_are_in_chinese_for_a_chinese_site_or_zhibu_lang_zh_with_the_same_places() {
    let site = Site::fixture("site");
    site.write("content/notices/more/_index.md", "+++\ntittle = \"学习\"\n+++\n正文\n");
    let english = [
        "Error: the site has 1 problem:",
        "  1. content/notices/more/_index.md:2: unknown section front matter key `tittle`; did you mean `title`?",
    ];
    let chinese = [
        "错误：网站有 1 个问题：",
        "  1. content/notices/more/_index.md:2: 未知的栏目设置 `tittle`；您是不是想写 `title`？",
    ];
    let expect = |stderr: &str, lines: &[&str]| {
        for line in lines {
            assert!(stderr.contains(line), "expected `{line}` in:\n{stderr}");
        }
    };
    // The fixture has no default_language: English unless ZHIBU_LANG says otherwise.
    expect(&check_in(&site, None), &english);
    expect(&check_in(&site, Some("zh")), &chinese);
    expect(&check_in(&site, Some("zh_CN.UTF-8")), &chinese);
    // A Chinese site speaks Chinese, unless ZHIBU_LANG asks for English.
    let config = std::fs::read_to_string(site.root().join("config.toml")).expect("config.toml");
    site.write("config.toml", &format!("default_language = \"zh-Hans\"\n{config}"));
    expect(&check_in(&site, None), &chinese);
    expect(&check_in(&site, Some("en")), &english);
}

#[test]
fn a_chinese_site_with_a_broken_config_is_still_told_in_chinese() {
    let site = Site::fixture("site");
    let config = std::fs::read_to_string(site.root().join("config.toml")).expect("config.toml");
    site.write("config.toml", &format!("default_language = \"zh-CN\"\ntitel = \"x\"\n{config}"));
    let stderr = check_in(&site, None);
    assert!(stderr.contains("错误：网站有 1 个问题："), "{stderr}");
    assert!(stderr.contains("config.toml:"), "{stderr}");
    assert!(stderr.contains("未知的设置 `titel`"), "{stderr}");
}

/// A small web server on 127.0.0.1 for the external link check: `/ok` (with an element
/// `id="here"`), `/gone` (404), `/no-head` (405 to HEAD, 200 to GET). Counts the requests.
fn link_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut parts = request.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let (status, body) = match (method, path) {
                (_, "/ok") => ("200 OK", "<html><h2 id=\"here\">here</h2></html>"),
                ("HEAD", "/no-head") => ("405 Method Not Allowed", ""),
                (_, "/no-head") => ("200 OK", "fine"),
                _ => ("404 Not Found", "gone"),
            };
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                body.len(),
                if method == "HEAD" { "" } else { body }
            );
        }
    });
    (base, count)
}

#[test]
fn check_external_fetches_links_to_other_sites_and_remembers_good_answers() {
    use std::sync::atomic::Ordering;
    let (base, requests) = link_server();
    let site = Site::fixture("site");
    site.write(
        "content/notices/links-out.md",
        &format!(
            "+++\ntitle = \"外链\"\n+++\n[好]({base}/ok)\n\n[锚]({base}/ok#here)\n\n[坏锚]({base}/ok#nowhere)\n\n[没了]({base}/gone)\n\n[不认HEAD]({base}/no-head)\n\n[跳过]({base}/skipped/x)\n"
        ),
    );
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let with = |keys: &str| config.replace("[link_checker]\n", &format!("[link_checker]\n{keys}"));
    site.write("config.toml", &with(&format!("skip_prefixes = [\"{base}/skipped\"]\n")));

    // Without --external nothing is fetched.
    assert!(site.zhibu(&["check"]).success);
    assert_eq!(requests.load(Ordering::SeqCst), 0, "check alone fetches nothing");

    let run = site.zhibu(&["check", "--external", "--timeout", "5"]);
    assert!(!run.success, "broken links are errors by default: {}", run.stderr);
    for expected in [
        format!(
            "content/notices/links-out.md:8: broken external link `{base}/ok#nowhere`: the page has no element with the id `nowhere`"
        ),
        format!("content/notices/links-out.md:10: broken external link `{base}/gone`: HTTP 404 Not Found"),
    ] {
        assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    }
    assert!(run.stderr.contains("the site has 2 problems"), "{}", run.stderr);
    assert!(
        run.stderr.contains("5 checked, 0 taken from the last day's checks, 1 skipped"),
        "{}",
        run.stderr
    );

    // Again: the good answers come from .zhibu/external-links.json; only the broken are asked.
    let before = requests.load(Ordering::SeqCst);
    let again = site.zhibu(&["check", "--external"]);
    assert!(again.stderr.contains("2 checked, 3 taken from the last day's checks"), "{}", again.stderr);
    assert!(requests.load(Ordering::SeqCst) - before <= 3, "only the two broken links are fetched again");

    // external_level = "warn": the same problems as warnings, and the check passes.
    site.write(
        "config.toml",
        &with(&format!("external_level = \"warn\"\nskip_prefixes = [\"{base}/skipped\"]\n")),
    );
    let warned = site.zhibu(&["check", "--external"]);
    assert!(warned.success, "{}", warned.stderr);
    assert!(
        warned.stderr.contains("warning: content/notices/links-out.md:10: broken external link"),
        "{}",
        warned.stderr
    );
}
