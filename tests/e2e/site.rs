//! The branch's real site (config.toml, content/, themes/zhibu, static/, data/) built by the real
//! `zhibu` binary, and checked the way a reader, an auditor and WeChat would meet it: every section
//! there, no broken link, nothing fetched from outside, pages light enough for a phone.
//!
//! The site is built once per test run into Cargo's temporary folder for integration tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The site's own origin (config.toml `base_url`).
const BASE_URL: &str = "https://dangzhibu.example.edu.cn";
/// The only other hosts a page may mention: the ICP and public-security filing links in the footer.
const FILING_HOSTS: [&str; 2] = ["beian.miit.gov.cn", "beian.mps.gov.cn"];
/// An article page with its CSS and JS must weigh less than this (content images excluded).
const PAGE_BUDGET: u64 = 50 * 1000;

struct Built {
    out: PathBuf,
    catalog: PathBuf,
    stderr: String,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn site() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("branch-site");
        let catalog = Path::new(env!("CARGO_TARGET_TMPDIR")).join("branch-site-catalog.json");
        let output = Command::new(env!("CARGO_BIN_EXE_zhibu"))
            .arg("build")
            .arg("--root")
            .arg(root())
            .arg("--output")
            .arg(&out)
            .arg("--catalog")
            .arg(&catalog)
            .env_remove("ZHIBU_LANG")
            .output()
            .expect("run zhibu build");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "zhibu build failed:\n{stderr}");
        Built { out, catalog, stderr }
    })
}

fn read(rel: &str) -> String {
    let path = site().out.join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Every file of the output with the given extension, as paths relative to the output folder.
fn files_with(ext: &str) -> Vec<String> {
    fn walk(dir: &Path, ext: &str, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read output dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, ext, base, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                let rel = path.strip_prefix(base).expect("inside output");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(&site().out, ext, &site().out, &mut out);
    out.sort();
    out
}

/// Values of every `name="..."` attribute in an HTML text.
fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// `%E5%85%9A` → `党`, for links whose path was percent-encoded.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The output file a URL of the site points at, and its `#fragment` if any.
fn target_of(url: &str, from: &str) -> (String, Option<String>) {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let path = if path.is_empty() {
        from.to_string()
    } else {
        let local = path.strip_prefix(BASE_URL).unwrap_or(path).trim_start_matches('/');
        let local = percent_decode(local);
        if local.is_empty() || local.ends_with('/') { format!("{local}index.html") } else { local }
    };
    (path, fragment)
}

/// Pages rendered with the theme's page template: articles, lessons, notices, events, campaigns.
fn article_pages() -> Vec<String> {
    files_with("html").into_iter().filter(|f| read(f).contains("<body class=\"article")).collect()
}

fn is_redirect(html: &str) -> bool {
    html.contains("http-equiv=\"refresh\"")
}

/// The branch's site has `default_language = "zh-CN"`: its editors are told in Chinese.
#[test]
fn the_site_builds_without_warnings() {
    let stderr = &site().stderr;
    assert!(stderr.contains("完成："), "progress lines in Chinese expected on stderr:\n{stderr}");
    assert!(
        !stderr.contains("警告") && !stderr.to_lowercase().contains("warning"),
        "the real site builds clean:\n{stderr}"
    );
}

#[test]
fn every_section_of_the_site_is_built() {
    for section in [
        "",
        "notices/",
        "school/",
        "school/basics/",
        "school/org-life/",
        "joining/",
        "theory/",
        "life/",
        "guide/",
        "campaigns/",
        "me/",
        "tags/",
        "categories/",
    ] {
        let html = read(&format!("{section}index.html"));
        assert!(html.contains("<main"), "{section}index.html has a main landmark");
    }
    for file in ["login/index.html", "404.html", "atom.xml", "sitemap.xml", "robots.txt"] {
        assert!(site().out.join(file).is_file(), "missing {file}");
    }
    assert!(
        !site().out.join("zhibu-catalog.json").exists(),
        "the catalog (quiz answer keys) is not published"
    );
    let home = read("index.html");
    for column in ["通知公告", "网络党校", "理论学习", "入党指导", "党员生活", "红色教育", "党务指南"]
    {
        assert!(home.contains(column), "the home page names {column}");
    }
}

#[test]
fn forty_pages_or_more_are_dated_across_the_year() {
    let pages = article_pages();
    assert!(pages.len() >= 40, "{} pages: {pages:?}", pages.len());
    let mut months = BTreeSet::new();
    for page in &pages {
        for value in attributes(&read(page), "content") {
            if value.len() >= 7 && value.starts_with("20") && value.as_bytes()[4] == b'-' {
                months.insert(value[..7].to_string());
            }
        }
    }
    assert!(months.len() >= 10, "publishing spread over the year: {months:?}");
    assert!(months.first().is_some_and(|m| m.as_str() <= "2026-01"), "{months:?}");
    assert!(months.last().is_some_and(|m| m.as_str() >= "2026-11"), "{months:?}");
}

#[test]
fn no_link_inside_the_site_is_broken() {
    let mut broken = Vec::new();
    for file in files_with("html") {
        let html = read(&file);
        for url in attributes(&html, "href").into_iter().chain(attributes(&html, "src")) {
            let local = url.starts_with(BASE_URL) || url.starts_with('/') || url.starts_with('#');
            if !local {
                continue;
            }
            let (target, fragment) = target_of(url, &file);
            let path = site().out.join(&target);
            if !path.is_file() {
                broken.push(format!("{file}: {url} (no {target})"));
                continue;
            }
            if let Some(id) = fragment.filter(|f| !f.is_empty()) {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                if !text.contains(&format!("id=\"{id}\"")) {
                    broken.push(format!("{file}: {url} (no id {id} in {target})"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn no_page_requests_anything_from_outside() {
    let mut outside = Vec::new();
    for file in files_with("html") {
        let html = read(&file);
        let links = attributes(&html, "href").into_iter().chain(attributes(&html, "src"));
        for url in
            links.filter(|u| u.starts_with("http://") || u.starts_with("https://") || u.starts_with("//"))
        {
            let host = url.split("//").nth(1).and_then(|r| r.split('/').next()).unwrap_or_default();
            let own = url.starts_with(BASE_URL);
            let filing = FILING_HOSTS.contains(&host) && url.starts_with("https://");
            if !own && !filing {
                outside.push(format!("{file}: {url}"));
            }
        }
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..html[i..].find('>').map_or(html.len(), |e| i + e)];
            if tag.contains(" src=") && !tag.contains(BASE_URL) {
                outside.push(format!("{file}: {tag}>"));
            }
        }
        if html.contains("<iframe") || html.contains("@import") {
            outside.push(format!("{file}: an iframe or @import"));
        }
    }
    for file in files_with("css") {
        let css = read(&file);
        for (i, _) in css.match_indices("url(") {
            let value = &css[i + 4..css[i..].find(')').map_or(css.len(), |e| i + e)];
            if value.contains("//") {
                outside.push(format!("{file}: url({value})"));
            }
        }
        // A font face may name the reader's own fonts (local()), never a file to fetch.
        let web_font = css
            .split("@font-face")
            .skip(1)
            .any(|face| face.split('}').next().is_some_and(|f| f.contains("url(")));
        if css.contains("@import") || web_font {
            outside.push(format!("{file}: @import or a web font"));
        }
    }
    assert!(outside.is_empty(), "requests leaving the site:\n{}", outside.join("\n"));
    // The filing links are in the footer of every page, and only there.
    let home = read("index.html");
    for host in FILING_HOSTS {
        let footer = &home[home.find("<footer class=\"site-footer\"").expect("footer")..];
        assert!(footer.contains(&format!("https://{host}/")), "footer links {host}");
    }
}

#[test]
fn article_pages_stay_under_50_kb() {
    let mut heavy = Vec::new();
    let mut heaviest = (0, String::new());
    for page in article_pages() {
        let html = read(&page);
        let mut bytes = html.len() as u64;
        let stylesheets = html
            .split("<link rel=\"stylesheet\" href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(|url| target_of(url, &page).0);
        let scripts = html
            .split("<script src=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(|url| target_of(url, &page).0);
        for asset in stylesheets.chain(scripts) {
            bytes += std::fs::metadata(site().out.join(&asset)).expect("asset exists").len();
        }
        if bytes > heaviest.0 {
            heaviest = (bytes, page.clone());
        }
        if bytes >= PAGE_BUDGET {
            heavy.push(format!("{page}: {bytes} bytes"));
        }
    }
    assert!(heavy.is_empty(), "over {PAGE_BUDGET} bytes with CSS and JS:\n{}", heavy.join("\n"));
    eprintln!("heaviest article page: {} ({} bytes with CSS and JS)", heaviest.1, heaviest.0);
}

#[test]
fn every_page_declares_chinese_and_can_be_used_from_the_keyboard() {
    for file in files_with("html") {
        let html = read(&file);
        assert!(html.contains("<html lang=\"zh-CN\">"), "{file}: lang=\"zh-CN\"");
        assert!(html.contains("class=\"skip-link\" href=\"#main\""), "{file}: a skip link");
        assert!(html.contains("<main id=\"main\""), "{file}: the skip link's target");
        assert!(html.contains("name=\"viewport\""), "{file}: a viewport for phones");
        if !is_redirect(&html) {
            for landmark in [
                "<header class=\"site-header\">",
                "<nav class=\"site-nav\"",
                "<footer class=\"site-footer\">",
            ] {
                assert!(html.contains(landmark), "{file}: {landmark}");
            }
        }
    }
    let css = read("css/site.css");
    assert!(css.contains(":focus-visible { outline: 3px solid"), "a visible focus ring");
    assert!(css.contains("line-height") && css.contains("17px/1.75"), "17 px body text at 1.75");
}

#[test]
fn no_page_has_an_inline_script_or_style() {
    // The Content-Security-Policy (`script-src 'self'; style-src 'self'`) would block them.
    let mut inline = Vec::new();
    for file in files_with("html") {
        let html = read(&file);
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..html[i..].find('>').map_or(html.len(), |e| i + e)];
            if !tag.contains(" src=") {
                inline.push(format!("{file}: {tag}>"));
            }
        }
        for what in ["<style", " style=\"", " onclick=", " onload=", " onerror=", "javascript:"] {
            if html.contains(what) {
                inline.push(format!("{file}: {what}"));
            }
        }
    }
    assert!(inline.is_empty(), "inline script or style:\n{}", inline.join("\n"));
}

#[test]
fn one_cached_stylesheet_serves_every_page_and_prints_articles() {
    // The secretary's pages add their own (css/admin.css), and they and the member's own pages
    // under /me/ the member's file's (css/file.css): files rather than inline <style> under the
    // Content-Security-Policy, which the other pages never load.
    let stylesheets = files_with("css");
    assert_eq!(
        stylesheets,
        ["css/admin.css", "css/file.css", "css/search.css", "css/site.css"],
        "one stylesheet, the admin pages', the member's file's and the search page's"
    );
    for file in files_with("html").into_iter().filter(|f| !is_redirect(&read(f))) {
        let html = read(&file);
        let links: Vec<&str> = html.split("<link rel=\"stylesheet\" href=\"").skip(1).collect();
        let expected: &[&str] = if file.starts_with("admin/") {
            &["site", "admin", "file"]
        } else if file.starts_with("me/") {
            &["site", "file"]
        } else if file.starts_with("search/") {
            &["site", "search"]
        } else {
            &["site"]
        };
        assert_eq!(links.len(), expected.len(), "{file}: stylesheet links {expected:?}");
        for (link, name) in links.iter().zip(expected) {
            assert!(
                link.starts_with(&format!("{BASE_URL}/css/{name}.css?h=")),
                "{file}: content-hashed URL of css/{name}.css"
            );
        }
    }
    let css = read("css/site.css");
    let print = &css[css.find("@media print").expect("a print stylesheet")..];
    assert!(print.contains(".share { display: block !important;"), "the QR code is printed");
    assert!(print.contains(".site-nav"), "navigation is left off paper");
}

#[test]
fn articles_and_events_carry_open_graph_tags_and_a_qr_code() {
    for page in article_pages() {
        let html = read(&page);
        for property in ["og:title", "og:description", "og:url", "og:type", "og:site_name"] {
            assert!(
                html.contains(&format!("<meta property=\"{property}\" content=\"")),
                "{page}: {property}"
            );
        }
        assert!(html.contains("<meta property=\"og:type\" content=\"article\">"), "{page}: og:type article");
        let working_page = page == "login/index.html" || page == "campaigns/constitution-100/index.html";
        if !working_page {
            assert!(html.contains("<svg class=\"qr\" role=\"img\""), "{page}: a QR code made at build time");
        }
    }
    let event = read("campaigns/december-9th-remembrance/index.html");
    assert!(event.contains("<svg class=\"qr\"") && event.contains("data-zhibu=\"signin\""));
}

#[test]
fn sign_in_events_and_the_copying_campaign_are_declared_for_the_functions() {
    let catalog: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&site().catalog).expect("the catalog is written"))
            .expect("catalog is JSON");
    let events: Vec<&str> =
        catalog["events"].as_array().expect("events").iter().filter_map(|e| e["id"].as_str()).collect();
    assert!(events.contains(&"2026-12-09-remembrance"), "{events:?}");
    let campaign = catalog["campaigns"]
        .as_array()
        .expect("campaigns")
        .iter()
        .find(|c| c["id"] == "constitution-100")
        .expect("the 100-day campaign");
    assert_eq!(campaign["starts"], "2026-09-01");
    assert_eq!(campaign["days"], 100);
    assert_eq!(campaign["page"], "/campaigns/constitution-100/");
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
fn day_number(date: &str) -> i64 {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().expect("numeric date"));
    let (y, m, d) = (parts.next().expect("year"), parts.next().expect("month"), parts.next().expect("day"));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[test]
fn the_100_day_schedule_gives_every_day_one_task_from_the_start_date() {
    let data = std::fs::read_to_string(root().join("data/constitution-100.toml")).expect("schedule data");
    let mut days: BTreeMap<i64, String> = BTreeMap::new();
    let mut current = 0;
    for line in data.lines() {
        if let Some(n) = line.strip_prefix("day = ") {
            current = n.trim().parse().expect("day number");
        } else if let Some(d) = line.strip_prefix("date = ") {
            assert!(days.insert(current, d.trim().to_string()).is_none(), "day {current} twice");
        }
    }
    assert_eq!(days.keys().copied().collect::<Vec<_>>(), (1..=100).collect::<Vec<_>>(), "days 1..=100");
    let start = day_number("2026-09-01");
    for (day, date) in &days {
        assert_eq!(day_number(date) - start, day - 1, "day {day} falls on {date}");
    }
    let html = read("campaigns/constitution-100/index.html");
    assert!(html.contains("data-zhibu=\"copy-schedule\"") && html.contains("data-starts=\"2026-09-01\""));
    // One row per day, opening with its number (js/copy.js finds today's row by it); the
    // member's calendar cells are made by js/copy.js (tests/browser/e2e.mjs).
    for day in 1..=100 {
        assert_eq!(
            html.matches(&format!("<tr><td>{day}</td>")).count()
                + html.matches(&format!("<tr class=\"is-review\"><td>{day}</td>")).count(),
            1,
            "row of day {day}"
        );
    }
    assert!(html.contains("<ol class=\"day-grid\" aria-label=\"第 1 至 100 天\"></ol>"), "the calendar");
    assert!(
        html.contains("第十一章 党徽党旗") && html.contains("第五十三条至第五十五条"),
        "chapters by number"
    );
    assert!(html.contains("name=\"photo\" type=\"file\" accept=\"image/*\""), "the upload form");
}

#[test]
fn the_quiz_keeps_answers_folded_and_names_its_sources() {
    let html = read("campaigns/quiz/index.html");
    let questions = html.matches("<section class=\"quiz\"").count();
    assert!(questions >= 10, "{questions} questions");
    assert_eq!(html.matches("<details class=\"quiz-answer\">").count(), questions, "each answer folded");
    assert_eq!(html.matches("<p class=\"quiz-source\">出处：").count(), questions, "each with its source");
    assert!(!html.contains("score") && !html.contains("得分"), "no scores");
}

#[test]
fn the_home_page_shows_notices_campaigns_and_sign_in_events() {
    let home = read("index.html");
    for part in ["class=\"banner\"", "通知公告", "近期签到活动", "专题活动", "手抄党章100天"]
    {
        assert!(home.contains(part), "home page: {part}");
    }
    assert!(home.contains("data-opens=\"2026-12-09T18:30:00+08:00\""), "the remembrance sign-in");
}

#[test]
fn lessons_show_their_place_in_the_course() {
    let lesson = read("school/basics/party-discipline/index.html");
    assert!(lesson.contains("第 4 课，共 6 课"), "progress through the course");
    assert!(lesson.contains("<progress max=\"6\" value=\"4\""));
    assert!(lesson.contains("rel=\"prev\"") && lesson.contains("rel=\"next\""), "previous and next lesson");
    let joining = read("joining/steps/index.html");
    assert_eq!(joining.matches("<li class=\"step\">").count(), 7, "seven steps on the timeline");
    for word in ["入党申请书", "思想汇报", "入党志愿书", "转正申请书", "时间要求"] {
        assert!(joining.contains(word), "joining timeline: {word}");
    }
}

#[test]
fn the_year_calendar_page_and_its_phone_files_come_from_one_data_file() {
    let data: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join("data/calendar.toml")).unwrap()).unwrap();
    let items = |k: &str| {
        data[k].as_array().unwrap().iter().map(|v| v.as_table().unwrap().clone()).collect::<Vec<_>>()
    };
    let (recurring, events) = (items("recurring"), items("events"));
    let page = read("life/calendar/index.html");
    for item in recurring.iter().chain(&events) {
        assert!(page.contains(item["title"].as_str().unwrap()), "the page lists {}", item["title"]);
    }
    // In the files: every dated event and every duty with a fixed day; not the month-only ones.
    let placed = |i: &toml::Table| i.contains_key("date") || i.contains_key("rrule");
    let all = read("life/calendar/calendar.ics");
    assert!(all.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && all.ends_with("END:VCALENDAR\r\n"));
    let expected = recurring.iter().chain(&events).filter(|i| placed(i)).count();
    assert_eq!(all.matches("BEGIN:VEVENT").count(), expected, "one VEVENT per placed item");
    for line in all.split("\r\n") {
        assert!(line.len() <= 75, "folded at 75 octets: {line}");
    }
    let uids: Vec<&str> = all.lines().filter_map(|l| l.strip_prefix("UID:")).collect();
    let unique: std::collections::BTreeSet<_> = uids.iter().collect();
    assert_eq!(unique.len(), uids.len(), "UIDs are unique");
    // One file per audience, linked from the page, with its items and those for everyone.
    for (audience, _) in data["audiences"].as_table().unwrap() {
        let name = format!("calendar-{audience}.ics");
        assert!(page.contains(&format!("{BASE_URL}/life/calendar/{name}\"")), "the page links {name}");
        let file = read(&format!("life/calendar/{name}"));
        for item in recurring.iter().chain(&events).filter(|i| placed(i)) {
            let to: Vec<&str> =
                item["audience"].as_array().unwrap().iter().filter_map(|a| a.as_str()).collect();
            let id = item["id"].as_str().unwrap();
            let inside = file.contains(&format!("UID:{id}@"));
            assert_eq!(inside, to.contains(&"all") || to.contains(&audience.as_str()), "{name}: {id}");
        }
    }
}
