//! Zola's template API (issue 14): theme templates under `<theme>/templates/…`, Zola's built-in
//! templates, and the template functions and filters a Zola theme calls.

#![allow(clippy::unwrap_used)] // a panic is a test's failure report

use zhibu_generator::site::{Body, Built, build};
use zhibu_generator::{BuildOptions, Silent};

fn try_site(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Built, String>) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let options = BuildOptions { root: dir.path().to_path_buf(), ..Default::default() };
    let built = build(&options, &Silent).map_err(|e| format!("{e:?}"));
    (dir, built)
}

fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Built) {
    let (dir, built) = try_site(files);
    (dir, built.unwrap_or_else(|e| panic!("{e}")))
}

fn text(built: &Built, path: &str) -> String {
    let file = built.files.iter().find(|f| f.path == path).unwrap_or_else(|| {
        panic!("no {path} in {:?}", built.files.iter().map(|f| &f.path).collect::<Vec<_>>())
    });
    match &file.body {
        Body::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
        Body::Copy(p) => std::fs::read_to_string(p).unwrap(),
    }
}

const CONFIG: (&str, &str) = ("config.toml", "base_url = \"https://example.cn\"\ntitle = \"测试\"\n");
const INDEX: (&str, &str) = ("content/_index.md", "+++\ntitle = \"首页\"\n+++\n");

#[test]
fn a_site_template_extends_the_theme_template_it_replaces() {
    let (_dir, built) = site(&[
        ("config.toml", "base_url = \"https://example.cn\"\ntitle = \"测试\"\ntheme = \"hyde\"\n"),
        INDEX,
        ("themes/hyde/templates/base.html", "<main>{% block content %}{% endblock %}</main>"),
        (
            "themes/hyde/templates/index.html",
            "{% extends \"base.html\" %}{% block content %}theme:{% block inner %}{% endblock %}{% endblock %}",
        ),
        (
            "templates/index.html",
            "{% extends \"hyde/templates/index.html\" %}{% block inner %}site{% include \"hyde/templates/part.html\" %}{% endblock %}",
        ),
        ("themes/hyde/templates/part.html", "+part"),
    ]);
    assert_eq!(text(&built, "index.html"), "<main>theme:site+part</main>");
}

#[test]
fn zolas_built_in_templates_can_be_included_and_rss_feeds_render() {
    let (_dir, built) = site(&[
        (
            "config.toml",
            "base_url = \"https://example.cn\"\ntitle = \"测试\"\ngenerate_feeds = true\nfeed_filenames = [\"rss.xml\"]\n",
        ),
        INDEX,
        (
            "templates/index.html",
            "{% set id = \"a\" %}{% include \"anchor-link.html\" %}|{% include \"summary-cutoff.html\" %}|{% include \"__zola_builtins/anchor-link.html\" %}",
        ),
        ("templates/page.html", "{{ page.content | safe }}"),
        ("content/p.md", "+++\ntitle = \"文章\"\ndate = 2026-12-09\n+++\n正文\n"),
    ]);
    let index = text(&built, "index.html");
    let anchor = "<a class=\"zola-anchor\" href=\"#a\" aria-label=\"Anchor link for: a\">🔗</a>";
    assert_eq!(index, format!("{anchor}|&hellip;\n|{anchor}"));
    let rss = text(&built, "rss.xml");
    assert!(rss.contains("<rss xmlns:atom=\"http://www.w3.org/2005/Atom\" version=\"2.0\">"), "{rss}");
    assert!(rss.contains("<pubDate>Wed, 09 Dec 2026 00:00:00 +0800</pubDate>"), "{rss}");
    assert!(rss.contains("<link>https://example.cn/p/</link>"), "{rss}");
}
