//! The Chinese editor's guide, `docs/编辑指南.md`: it builds with the branch's own site, the
//! example files of its recipes (`docs/examples/<recipe>/`, laid out as in a site) build with it
//! without a warning, it shows those files as they are, the messages of its 常见错误 table are
//! the catalogue's, and nothing in it points outside the repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use zhibu_generator::messages::{self, IdKind, KeyKind, Lang, Looked, Syntax};

use crate::common::copy_dir;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn guide() -> String {
    std::fs::read_to_string(repo().join("docs/编辑指南.md")).expect("docs/编辑指南.md is readable")
}

/// Every file of the recipes' examples, relative to `docs/examples/<recipe>/`.
fn example_files() -> Vec<(PathBuf, PathBuf)> {
    let examples = repo().join("docs/examples");
    let mut files = Vec::new();
    let mut stack = vec![examples.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read docs/examples").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(&examples).expect("inside docs/examples");
                let in_site = rel.components().skip(1).collect::<PathBuf>();
                files.push((path.clone(), in_site));
            }
        }
    }
    files.sort();
    files
}

/// The guide as a page of the site: front matter added, its shortcodes shown, not run.
fn guide_page() -> String {
    let body = guide().replace("{{", "{{/*").replace("}}", "*/}}");
    let body = body.strip_prefix("# 编辑指南\n").unwrap_or(&body);
    format!(
        "+++\ntitle = \"编辑指南\"\ndescription = \"给网站编辑的做法和常见错误。\"\nweight = 100\n+++\n{body}"
    )
}

#[test]
fn the_guide_and_its_recipes_build_with_the_branch_site_without_a_warning() {
    let site = tempfile::tempdir().expect("temp dir");
    for name in ["config.toml", "content", "data", "static", "templates", "themes"] {
        let from = repo().join(name);
        if from.is_dir() {
            copy_dir(&from, &site.path().join(name));
        } else if from.is_file() {
            std::fs::copy(&from, site.path().join(name)).expect("copy config.toml");
        }
    }
    for recipe in std::fs::read_dir(repo().join("docs/examples")).expect("docs/examples").flatten() {
        copy_dir(&recipe.path(), site.path());
    }
    std::fs::write(site.path().join("content/guide/editor-guide.md"), guide_page()).expect("write the guide");
    let out = site.path().join("public");
    let catalog = site.path().join("catalog.json");
    let run = Command::new(env!("CARGO_BIN_EXE_zhibu"))
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .arg("--catalog")
        .arg(&catalog)
        .env_remove("ZHIBU_LANG")
        .output()
        .expect("run zhibu build");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the guide or a recipe does not build:\n{stderr}");
    assert!(stderr.contains("完成："), "the branch's site speaks Chinese:\n{stderr}");
    assert!(!stderr.contains("警告"), "the guide and the recipes build clean:\n{stderr}");
    for page in [
        "guide/editor-guide/index.html",
        "notices/volunteer-2027/index.html",
        "school/party-history/founding/index.html",
        "school/party-history/zunyi/index.html",
        "campaigns/reading-week-2027/index.html",
        "life/spring-planting-2027/planting.png",
        "images/party-flag.png",
        "theory/reading-plan-2027/index.html",
        "tags/学习计划/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page} is built");
    }
    let catalog = std::fs::read_to_string(&catalog).expect("the catalog");
    assert!(
        catalog.contains("\"2027-03-05-volunteer\"") && catalog.contains("\"2027-reading-week\""),
        "{catalog}"
    );
    let page = std::fs::read_to_string(out.join("guide/editor-guide/index.html")).expect("the guide's page");
    assert!(
        page.contains("{{ signin(event=&quot;2027-03-05-volunteer&quot;) }}"),
        "shortcodes are shown, not run"
    );
}

#[test]
fn the_guide_shows_every_example_file_as_it_is() {
    let guide = guide();
    for (file, in_site) in example_files() {
        if file.extension().is_some_and(|e| e == "png") {
            assert!(guide.contains(&in_site.display().to_string()), "the guide names {}", in_site.display());
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("an example file");
        assert!(guide.contains(text.trim_end()), "the guide shows {} as it is", file.display());
        assert!(guide.contains(&in_site.display().to_string()), "the guide names {}", in_site.display());
    }
}

/// The messages of the table, as the catalogue says them for the guide's examples.
fn common_errors() -> Vec<String> {
    let campaign = messages::campaign_named("2027-reading-week", "content/campaigns/reading-week-2027.md");
    let shortcodes = vec!["copy_upload".to_string(), "signin".to_string()];
    [
        messages::key_did_you_mean(KeyKind::PageKey, "tittle", "title", None),
        messages::front_matter_not_closed("+++"),
        messages::full_width(Syntax::FrontMatter, '“', 9, "title = \"学习\""),
        messages::key_is_a_taxonomy(KeyKind::PageKey, "tags"),
        messages::key_belongs_in_extra(KeyKind::PageKey, "signin", Some("[extra.signin]")),
        messages::not_a_date("date", "2027-3-5"),
        messages::broken_content_link("notices/dues.md", "notices/dues.md", Some("notices/dues-2026.md")),
        messages::missing_image(
            "planting.jpg",
            &Looked::InBundle("content/life/spring-planting-2027/planting.jpg".into()),
            Some("planting.png"),
            None,
        ),
        messages::image_without_alt("planting.png"),
        messages::unknown_shortcode("sigin", Some("signin"), &shortcodes),
        messages::event_not_declared("2027-03-05-volunteer"),
        messages::declared_twice(IdKind::Event, "2027-03-05-volunteer", "content/notices/volunteer-2027.md"),
        messages::schedule_row_count(4, &campaign, 5),
        messages::missing_weight("content/school/party-history/_index.md", 3),
        messages::non_ascii_name("通知.md", false, "notice.md"),
    ]
    .iter()
    .map(|t| t.get(Lang::Zh).to_string())
    .collect()
}

/// The first cell of each row of the table under `## 常见错误`.
fn table_messages(guide: &str) -> Vec<String> {
    let section = guide.split("## 常见错误").nth(1).expect("the guide has 常见错误");
    section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| 提示"))
        .map(|l| l.trim_start_matches("| ").split(" | ").next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn the_common_errors_of_the_guide_are_the_catalogue_s_messages() {
    let guide = guide();
    let rows = table_messages(&guide);
    let messages = common_errors();
    assert_eq!(rows.len(), messages.len(), "one row per message: {rows:#?}");
    for (row, message) in rows.iter().zip(&messages) {
        // "……" at the end: the row quotes the start of a longer message.
        match row.strip_suffix("……") {
            Some(start) => {
                assert!(message.starts_with(start), "the guide says\n  {row}\nthe catalogue\n  {message}")
            }
            None => assert_eq!(row, message, "the guide says what the catalogue says"),
        }
    }
}

#[test]
fn the_guide_names_the_commands_and_points_nowhere_outside_the_repository() {
    let guide = guide();
    for command in
        ["zhibu check", "zhibu build", "zhibu serve", "cargo run --release -- check", "ZHIBU_LANG=en"]
    {
        assert!(guide.contains(command), "the guide shows `{command}`");
    }
    assert!(!guide.contains("://"), "no address outside the repository");
    for (i, line) in guide.lines().enumerate() {
        for link in line.split("](").skip(1) {
            let target = link.split(')').next().unwrap_or("");
            assert!(
                target.starts_with("@/") || !target.contains('/') || target.starts_with("/images/"),
                "line {}: a link the guide's readers cannot follow: {target}",
                i + 1
            );
        }
    }
}
