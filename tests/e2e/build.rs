//! `zhibu build` on a fixture site: every kind of output, exactly as Zola lays it out.

use crate::common;

use common::{Site, snapshot};

#[test]
fn builds_every_kind_of_output() {
    let site = Site::fixture("site");
    let run = site.build().ok();
    assert!(run.stderr.contains("content"), "progress lines: {}", run.stderr);
    for file in [
        "index.html",
        "notices/index.html",
        "notices/page/2/index.html",
        "notices/dues/index.html",
        "notices/meeting/index.html",
        "school/basics/lesson-2/index.html",
        "life/trip/index.html",
        "life/trip/photo.png",
        "tags/index.html",
        "tags/党史学习/index.html",
        "tags/党史学习/page/2/index.html",
        "tags/党史学习/atom.xml",
        "categories/通知/index.html",
        "atom.xml",
        "notices/atom.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "theme-only.txt",
    ] {
        assert!(site.out().join(file).is_file(), "missing public/{file}");
    }
    assert!(!site.out().join("notices/draft/index.html").exists(), "drafts are left out");
    assert!(!site.out().join("zhibu-catalog.json").exists(), "the catalog is never published");
    assert!(site.root().join(".zhibu/zhibu-catalog.json").is_file(), "it goes beside, into .zhibu/");
}

#[test]
fn file_name_date_prefix_gives_slug_and_date() {
    let site = Site::fixture("site");
    site.build().ok();
    let html = site.read_out("notices/dues/index.html");
    assert!(html.contains("2026年11月1日"), "{html}");
}

#[test]
fn sections_paginate_newest_first_and_page_one_redirects() {
    let site = Site::fixture("site");
    site.build().ok();
    let first = site.read_out("notices/index.html");
    let event = first.find("纪念一二·九运动主题党日").expect("newest on page 1");
    let meeting = first.find("十二月主题党日安排").expect("second on page 1");
    assert!(event < meeting);
    assert!(!first.contains("关于按时交纳党费的通知"), "only 2 per pager");
    assert!(first.contains("1/2") && first.contains("https://branch.example.cn/notices/page/2/"));
    assert!(site.read_out("notices/page/2/index.html").contains("关于按时交纳党费的通知"));
    assert!(site.read_out("notices/page/1/index.html").contains("url=https://branch.example.cn/notices/"));
}

#[test]
fn pages_get_toc_summary_ids_and_resolved_links() {
    let site = Site::fixture("site");
    site.build().ok();
    let meeting = site.read_out("notices/meeting/index.html");
    assert!(meeting.contains("<h2 id=\"会议议程\">"), "{meeting}");
    assert!(meeting.contains("<h2 id=\"会议议程-1\">"), "duplicate headings numbered");
    assert!(
        meeting.contains("href=\"https://branch.example.cn/notices/meeting/#会议议程\""),
        "toc: {meeting}"
    );
    assert!(meeting.contains("https://branch.example.cn/notices/dues/#"), "@/ link resolved");
    let dues = site.read_out("notices/dues/index.html");
    assert!(dues.contains("<div class=\"summary\"><p>学生党员每月交纳党费 0.2 元。</p>"), "{dues}");
    assert!(dues.contains("class=\"z-"), "code highlighted with classes: {dues}");
    assert!(!dues.contains("style=\""), "no inline styles");
}

#[test]
fn series_neighbours_follow_weight() {
    let site = Site::fixture("site");
    site.build().ok();
    let two = site.read_out("school/basics/lesson-2/index.html");
    assert!(two.contains("rel=\"prev\" href=\"https://branch.example.cn/school/basics/lesson-1/\""), "{two}");
    assert!(two.contains("rel=\"next\" href=\"https://branch.example.cn/school/basics/lesson-3/\""), "{two}");
    // A transparent subsection lends its pages to the parent.
    let school = site.read_out("school/index.html");
    assert_eq!(school.matches("class=\"item\"").count(), 3, "{school}");
}

#[test]
fn taxonomy_terms_keep_chinese_urls() {
    let site = Site::fixture("site");
    site.build().ok();
    let tags = site.read_out("tags/index.html");
    assert!(tags.contains("https://branch.example.cn/tags/党史学习/"));
    assert!(tags.contains("党史学习 (3)"), "{tags}");
    let term = site.read_out("tags/党史学习/index.html");
    assert_eq!(term.matches("class=\"item\"").count(), 2, "paginated by 2: {term}");
    assert!(
        site.read_out("tags/党史学习/page/1/index.html")
            .contains("url=https://branch.example.cn/tags/党史学习/")
    );
}

#[test]
fn chinese_reading_time_counts_han_characters() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/long.md",
        &format!("+++\ntitle = \"长文\"\ndate = 2026-01-01\n+++\n{}\n", "党".repeat(1200)),
    );
    site.build().ok();
    let html = site.read_out("notices/long/index.html");
    assert!(html.contains("1200字 约3分钟"), "400 Han characters a minute: {html}");
}

#[test]
fn feeds_sitemap_robots_and_aliases() {
    let site = Site::fixture("site");
    site.build().ok();
    let atom = site.read_out("atom.xml");
    // The fixture sets no default_language: Zola's default, `en`.
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"));
    assert!(atom.contains("<updated>2026-11-25T00:00:00+08:00</updated>"), "{atom}");
    assert!(!atom.contains("草稿"));
    let section_feed = site.read_out("notices/atom.xml");
    assert_eq!(section_feed.matches("<entry").count(), 3);
    let sitemap = site.read_out("sitemap.xml");
    assert!(sitemap.contains("<loc>https://branch.example.cn/notices/meeting/</loc>"));
    assert!(sitemap.contains("<lastmod>2026-11-20</lastmod>"));
    assert!(site.read_out("robots.txt").contains("Sitemap: https://branch.example.cn/sitemap.xml"));
    assert!(
        site.read_out("old/meeting/index.html").contains("url=https://branch.example.cn/notices/meeting/")
    );
    assert!(site.read_out("tongzhi/index.html").contains("https://branch.example.cn/notices/"));
}

#[test]
fn static_files_site_over_theme_and_cachebusted_urls() {
    let site = Site::fixture("site");
    site.build().ok();
    assert!(site.read_out("css/site.css").contains("/* site */"));
    assert_eq!(site.read_out("theme-only.txt"), "theme only\n");
    let index = site.read_out("index.html");
    assert!(index.contains("css/site.css?h="), "{index}");
}

#[test]
fn template_functions_answer_like_zola() {
    let site = Site::fixture("site");
    site.build().ok();
    let index = site.read_out("index.html");
    assert!(index.contains("<p class=\"meta\">网络党校:0</p>"), "metadata_only has no pages: {index}");
    assert!(index.contains("<p class=\"schedule\">总纲, 第一段</p>"), "load_data csv: {index}");
    assert!(index.contains("<p class=\"url\">https://branch.example.cn/notices/meeting/</p>"));
    assert!(index.contains("<p class=\"tagurl\">https://branch.example.cn/tags/党史学习/</p>"));
    assert!(
        index.contains(
            "<div class=\"md\">见<a href=\"https://branch.example.cn/notices/meeting/\">会议</a></div>"
        ),
        "the markdown filter resolves @/ links: {index}"
    );
    assert_eq!(index.matches("<li><a").count(), 3, "get_section lists the notices");
}

#[test]
fn catalog_lists_events_campaigns_and_note_pages() {
    let site = Site::fixture("site");
    site.build().ok();
    let catalog: serde_json::Value = serde_json::from_str(&site.read_catalog()).unwrap();
    assert_eq!(catalog["events"][0]["id"], "2026-12-09-remembrance");
    assert_eq!(catalog["events"][0]["opens"], "2026-12-09T07:00:00+08:00");
    assert_eq!(catalog["events"][0]["geofence"]["radius_m"], 300.0);
    assert_eq!(catalog["campaigns"][0]["days"], 100);
    assert_eq!(catalog["note_pages"][0]["path"], "/notices/event/");
    assert_eq!(catalog["quizzes"], serde_json::json!([]));
}

#[test]
fn a_quiz_round_goes_into_the_catalog_with_its_key() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/quiz.md",
        "+++\ntitle = \"测一测\"\n[extra.quiz_round]\nid = \"2026-12-regulations\"\nopens = 2026-12-01T08:00:00+08:00\ncloses = 2026-12-10T22:00:00+08:00\n[[extra.quiz]]\nquestion = \"预备期从何时算起？\"\noptions = [\"递交申请书\", \"支部大会通过之日\"]\nanswer = 2\nsource = \"《中国共产党章程》第七条\"\nexplain = \"从**支部大会通过**之日算起。\"\n+++\n",
    );
    site.build().ok();
    let catalog: serde_json::Value = serde_json::from_str(&site.read_catalog()).unwrap();
    let quiz = &catalog["quizzes"][0];
    assert_eq!(quiz["id"], "2026-12-regulations");
    assert_eq!(quiz["page"], "/notices/quiz/");
    assert_eq!(quiz["questions"][0]["answer"], 2);
    assert_eq!(quiz["questions"][0]["explain"], "从支部大会通过之日算起。");
}

#[test]
fn a_review_round_goes_into_the_catalog() {
    let site = Site::fixture("site");
    site.write(
        "content/notices/review.md",
        "+++\ntitle = \"2026年度民主评议党员\"\n[extra.review]\nid = \"2026-review\"\nyear = 2026\nopens = 2026-12-15T00:00:00+08:00\ncloses = 2027-01-15T22:00:00+08:00\n+++\n",
    );
    site.build().ok();
    let catalog: serde_json::Value = serde_json::from_str(&site.read_catalog()).unwrap();
    assert_eq!(
        catalog["reviews"],
        serde_json::json!([{
            "id": "2026-review",
            "title": "2026年度民主评议党员",
            "page": "/notices/review/",
            "year": 2026,
            "opens": "2026-12-15T00:00:00+08:00",
            "closes": "2027-01-15T22:00:00+08:00",
        }])
    );
}

#[test]
fn drafts_are_built_with_the_drafts_flag() {
    let site = Site::fixture("site");
    site.zhibu(&["build", "--drafts"]).ok();
    assert!(site.read_out("notices/draft/index.html").contains("尚未发布"));
}

#[test]
fn same_input_gives_byte_identical_output() {
    let a = Site::fixture("site");
    let b = Site::fixture("site");
    a.build().ok();
    b.build().ok();
    assert_eq!(snapshot(&a.out()), snapshot(&b.out()));
}

#[test]
fn rebuild_writes_only_changes_and_removes_stale_files() {
    let site = Site::fixture("site");
    site.build().ok();
    let again = site.build().ok();
    assert!(again.stderr.contains(" 0 written"), "{}", again.stderr);
    std::fs::remove_file(site.root().join("content/school/basics/lesson-3.md")).unwrap();
    site.write("content/school/basics/lesson-1.md", "+++\ntitle = \"新标题\"\nweight = 1\n+++\n正文\n");
    let third = site.build().ok();
    assert!(third.stderr.contains(" 1 removed"), "{}", third.stderr);
    assert!(!site.out().join("school/basics/lesson-3").exists(), "its folder goes too");
    assert!(site.read_out("school/basics/lesson-1/index.html").contains("新标题"));
}

#[test]
fn output_and_base_url_flags() {
    let site = Site::fixture("site");
    let out = site.root().join("elsewhere");
    site.zhibu(&["build", "--output", out.to_str().unwrap(), "--base-url", "http://127.0.0.1:9/"]).ok();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("http://127.0.0.1:9/notices/meeting/"), "{html}");
    assert!(!site.out().exists());
}

#[test]
fn quiet_prints_nothing_on_success() {
    let site = Site::fixture("site");
    let run = site.zhibu(&["build", "--quiet"]).ok();
    assert_eq!(run.stderr.trim(), "");
}

#[test]
fn ignored_content_is_left_out() {
    let site = Site::fixture("site");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write(
        "config.toml",
        &config.replace(
            "generate_feeds = true",
            "generate_feeds = true\nignored_content = [\"*.docx\", \"notices/wip-*\"]",
        ),
    );
    site.write("content/notices/wip-plan.md", "+++\ntitle = \"未完成\"\n+++\n");
    site.write("content/life/trip/minutes.docx", "not for the web");
    site.build().ok();
    assert!(!site.out().join("notices/wip-plan").exists());
    assert!(!site.out().join("life/trip/minutes.docx").exists());
}

#[test]
fn check_writes_nothing() {
    let site = Site::fixture("site");
    let run = site.zhibu(&["check"]).ok();
    assert!(run.stderr.contains("Site is fine"), "{}", run.stderr);
    assert!(!site.out().exists());
}
