//! `serve` reuses the previous build; what it produces must be exactly what a fresh build
//! produces, whatever was edited.

#![allow(clippy::unwrap_used)] // a panic is a test's failure report

use std::path::Path;

use zhibu_generator::site::{Body, Built, Cache, build, build_cached};
use zhibu_generator::{BuildOptions, Silent};

fn copy_fixture() -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/site");
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let target = dir.path().join(entry.path().strip_prefix(&src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

fn bytes(built: &Built) -> Vec<(String, Vec<u8>)> {
    built
        .files
        .iter()
        .map(|f| {
            let b = match &f.body {
                Body::Bytes(b) => b.clone(),
                Body::Copy(p) => std::fs::read(p).unwrap(),
            };
            (f.path.clone(), b)
        })
        .collect()
}

fn assert_same_as_fresh(options: &BuildOptions, cache: &mut Cache) {
    let incremental = build_cached(options, &Silent, cache).unwrap();
    let fresh = build(options, &Silent).unwrap();
    let (a, b) = (bytes(&incremental), bytes(&fresh));
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(b.iter()) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs from a fresh build");
    }
}

#[test]
fn incremental_builds_equal_fresh_builds_after_every_kind_of_edit() {
    let dir = copy_fixture();
    let root = dir.path();
    let options = BuildOptions { root: root.to_path_buf(), ..Default::default() };
    let mut cache = Cache::default();
    build_cached(&options, &Silent, &mut cache).unwrap();

    // A body edit of a page that is listed, has neighbours, is in a taxonomy and a feed.
    let meeting = root.join("content/notices/meeting.md");
    let text = std::fs::read_to_string(&meeting).unwrap();
    std::fs::write(&meeting, text.replace("学习党章", "学习党章和条例")).unwrap();
    assert_same_as_fresh(&options, &mut cache);

    // A new summary on a page shown as a neighbour.
    let lesson = root.join("content/school/basics/lesson-2.md");
    std::fs::write(&lesson, "+++\ntitle = \"第2课\"\nweight = 2\n+++\n导语\n\n<!-- more -->\n\n正文\n")
        .unwrap();
    assert_same_as_fresh(&options, &mut cache);

    // A front matter edit (title): the structure changed.
    let text = std::fs::read_to_string(&meeting).unwrap();
    std::fs::write(&meeting, text.replace("十二月主题党日安排", "新的标题")).unwrap();
    assert_same_as_fresh(&options, &mut cache);

    // A section body, a new page, a removed page.
    std::fs::write(root.join("content/_index.md"), "+++\ntitle = \"首页\"\n+++\n新的欢迎词。\n").unwrap();
    assert_same_as_fresh(&options, &mut cache);
    std::fs::write(root.join("content/notices/new.md"), "+++\ntitle = \"新\"\ndate = 2026-11-22\n+++\n新\n")
        .unwrap();
    assert_same_as_fresh(&options, &mut cache);
    std::fs::remove_file(root.join("content/notices/new.md")).unwrap();
    assert_same_as_fresh(&options, &mut cache);

    // A template edit.
    let page = root.join("themes/plain/templates/page.html");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("<h1>", "<h1 class=\"t\">")).unwrap();
    assert_same_as_fresh(&options, &mut cache);
}

#[test]
fn a_failed_build_keeps_the_cache_usable() {
    let dir = copy_fixture();
    let root = dir.path();
    let options = BuildOptions { root: root.to_path_buf(), ..Default::default() };
    let mut cache = Cache::default();
    build_cached(&options, &Silent, &mut cache).unwrap();
    std::fs::write(root.join("content/notices/bad.md"), "+++\ntitle = \n+++\n").unwrap();
    assert!(build_cached(&options, &Silent, &mut cache).is_err());
    std::fs::remove_file(root.join("content/notices/bad.md")).unwrap();
    assert_same_as_fresh(&options, &mut cache);
}

#[test]
fn a_shortcode_listing_other_pages_follows_their_front_matter() {
    // As the admin pages list the quiz rounds, events and campaigns other pages declare: the
    // page calling the shortcode is unchanged, another page's front matter is not.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    };
    write("config.toml", "base_url = \"https://example.cn\"\ntitle = \"测试\"\n");
    write("templates/index.html", "{{ section.content | safe }}");
    write("templates/section.html", "{{ section.content | safe }}");
    write("templates/page.html", "{{ page.content | safe }}");
    write(
        "templates/shortcodes/rounds.html",
        "{% set sec = get_section(path=\"activities/_index.md\") %}{% for p in sec.pages %}{% if p.extra.round %}<p>{{ p.extra.round }}</p>{% endif %}{% endfor %}",
    );
    write("content/_index.md", "+++\ntitle = \"首页\"\n+++\n");
    write("content/activities/_index.md", "+++\ntitle = \"活动\"\n+++\n");
    write("content/activities/quiz.md", "+++\ntitle = \"测一测\"\n+++\n先作答。\n");
    write("content/admin.md", "+++\ntitle = \"管理\"\n+++\n{{ rounds() }}\n");
    let options = BuildOptions { root: root.to_path_buf(), ..Default::default() };
    let mut cache = Cache::default();
    build_cached(&options, &Silent, &mut cache).unwrap();

    write(
        "content/activities/quiz.md",
        "+++\ntitle = \"测一测\"\n[extra]\nround = \"第一轮\"\n+++\n先作答。\n",
    );
    let again = build_cached(&options, &Silent, &mut cache).unwrap();
    let admin = bytes(&again).into_iter().find(|(p, _)| p == "admin/index.html").unwrap().1;
    assert!(String::from_utf8(admin).unwrap().contains("第一轮"), "the admin page lists the new round");
    assert_same_as_fresh(&options, &mut cache);
}
