//! Zola's template API (issue 14): theme templates under `<theme>/templates/…`, Zola's built-in
//! templates, and the template functions and filters a Zola theme calls.

#![allow(clippy::unwrap_used)] // a panic is a test's failure report

use zhibu_generator::Silent;
use zhibu_generator::site::{Built, build};

use super::fixture::{folder, options, text};

fn try_site(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Built, String>) {
    let dir = folder(files);
    let built = build(&options(dir.path()), &Silent).map_err(|e| format!("{e:?}"));
    (dir, built)
}

fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Built) {
    let (dir, built) = try_site(files);
    (dir, built.unwrap_or_else(|e| panic!("{e}")))
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

#[test]
fn get_hash_load_data_and_taxonomy_terms_answer_as_in_zola() {
    let (_dir, built) = site(&[
        (
            "config.toml",
            "base_url = \"https://example.cn\"\ntitle = \"测试\"\ntheme = \"t\"\ntaxonomies = [{ name = \"tags\" }]\n",
        ),
        INDEX,
        ("themes/t/templates/page.html", "{{ page.content | safe }}"),
        ("themes/t/templates/taxonomy_list.html", ""),
        ("themes/t/templates/taxonomy_single.html", ""),
        ("themes/t/static/theme-data.yaml", "from: theme\n"),
        ("static/data/site.json", "{\"from\": \"static\"}"),
        ("content/data.toml", "from = \"content\"\n"),
        ("content/p.md", "+++\ntitle = \"文章\"\n[taxonomies]\ntags = [\"党史\"]\n+++\n正文\n"),
        (
            "templates/index.html",
            concat!(
                "{{ get_hash(literal=\"abc\", sha_type=256, base64=false) }}|",
                "{{ get_hash(literal=\"abc\") }}|",
                "{{ get_hash(path=\"data/site.json\", sha_type=512) | length }}|",
                "{% set y = load_data(literal=\"a: [1, 2]\", format=\"yaml\") %}{{ y.a | length }}|",
                "{% set v = load_data(literal=\"x = 1\", format=\"toml\") %}{{ v.x }}|",
                "{% set v = load_data(path=\"theme-data.yaml\") %}{{ v.from }}|",
                "{% set v = load_data(path=\"data/site.json\") %}{{ v.from }}|",
                "{% set v = load_data(path=\"@/data.toml\") %}{{ v.from }}|",
                "{% set v = load_data(path=\"data.toml\") %}{{ v.from }}|",
                "{% set v = load_data(path=\"no-such.toml\", required=false) %}{{ v | json_encode }}|",
                "{% set t = get_taxonomy_term(kind=\"tags\", term=\"党史\") %}{{ t.name }} {{ t.pages | length }} {{ t.pages[0].title }}|",
                "{% set v = get_taxonomy_term(kind=\"tags\", term=\"无\", required=false) %}{{ v | json_encode }}|",
                "{% set v = get_taxonomy_term(kind=\"none\", term=\"无\", required=false) %}{{ v | json_encode }}",
            ),
        ),
    ]);
    assert_eq!(
        text(&built, "index.html"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad|\
         ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn|88|2|1|theme|static|content|content|null|党史 1 文章|null|null"
    );
}

#[test]
fn zolas_filters_work_in_templates() {
    let (_dir, built) = site(&[
        CONFIG,
        INDEX,
        (
            "templates/index.html",
            "{{ \"党支部\" | base64_encode }}|{{ \"5YWa5pSv6YOo\" | base64_decode }}|{{ \"a1b22\" | regex_replace(pattern=\"[0-9]+\", rep=\"#\") }}|{{ \"**强**\" | markdown(inline=true) | safe }}|{{ [1, \"二\"] | json_encode | safe }}|{{ 3 | as_str }}",
        ),
    ]);
    assert_eq!(text(&built, "index.html"), "5YWa5pSv6YOo|党支部|a#b#|<strong>强</strong>|[1,\"二\"]|3");
}

#[test]
fn num_format_groups_digits_and_unreadable_formats_say_so() {
    let (_dir, built) = site(&[
        CONFIG,
        INDEX,
        ("templates/index.html", "{{ 1234567 | num_format }}|{{ 1234567 | num_format(locale=\"de\") }}"),
    ]);
    assert_eq!(text(&built, "index.html"), "1,234,567|1.234.567");
    let (_dir, built) = try_site(&[
        CONFIG,
        INDEX,
        ("templates/index.html", "{{ load_data(literal=\"<a/>\", format=\"xml\") }}"),
    ]);
    let e = built.err().unwrap();
    assert!(e.contains("cannot read the format `xml`"), "{e}");
}

#[test]
fn sections_show_their_pagination_and_transparency_and_assets_are_paths_below_content() {
    let (_dir, built) = site(&[
        CONFIG,
        INDEX,
        ("templates/index.html", ""),
        (
            "templates/section.html",
            "{{ section.paginate_by | json_encode }} {{ section.paginate_reversed }} {{ section.transparent }} {{ section.draft }} {{ section.assets | json_encode | safe }}",
        ),
        ("templates/page.html", "{{ page.assets | json_encode | safe }}"),
        ("content/news/_index.md", "+++\ntitle = \"新闻\"\ntransparent = true\n+++\n"),
        ("content/news/logo.png", "png"),
        ("content/news/a/index.md", "+++\ntitle = \"甲\"\n+++\n正文\n"),
        ("content/news/a/img/x.png", "png"),
        ("content/list/_index.md", "+++\ntitle = \"列表\"\npaginate_by = 5\npaginate_reversed = true\n+++\n"),
        ("content/list/b.md", "+++\ntitle = \"乙\"\n+++\n正文\n"),
    ]);
    assert_eq!(text(&built, "news/index.html"), "null false true false [\"/news/logo.png\"]");
    assert_eq!(text(&built, "list/index.html"), "5 true false false []");
    assert_eq!(text(&built, "news/a/index.html"), "[\"/news/a/img/x.png\"]");
}

#[test]
fn get_hash_of_compiled_css_is_the_hash_of_the_file_written() {
    use sha2::Digest as _;
    let (_dir, built) = site(&[
        ("config.toml", "base_url = \"https://example.cn\"\ntitle = \"测试\"\ncompile_sass = true\n"),
        INDEX,
        ("sass/main.scss", ".a { b { color: red; } }\n"),
        ("templates/index.html", "{{ get_hash(path=\"main.css\", sha_type=256, base64=false) }}"),
    ]);
    let css = text(&built, "main.css");
    let expected: String = sha2::Sha256::digest(css.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(text(&built, "index.html"), expected);
}

#[test]
fn get_url_builds_addresses_by_zolas_rules() {
    let template = r#"[{{ get_url(path="") }}][{{ get_url(path="/") }}][{{ get_url(path="blog/") }}][{{ get_url(path="blog/", trailing_slash=true) }}][{{ get_url(path="blog", trailing_slash=true) }}][{{ get_url(path="site.css") }}][{{ get_url(path="atom.xml") }}][{{ get_url(path="a#b") }}][{{ get_url(path="/blog/", lang="fr") }}][{{ get_url(path="/fr/x/", lang="fr") }}][{{ get_url(path="site.css", trailing_slash=true) }}]"#;
    let (_dir, built) = site(&[
        ("config.toml", "base_url = \"https://example.com\"\n[languages.fr]\n"),
        INDEX,
        ("static/site.css", "x"),
        ("templates/index.html", template),
    ]);
    // What Zola 0.22.1 writes for the same template, quirks included (`fr//blog`).
    assert_eq!(
        text(&built, "index.html"),
        "[https://example.com][https://example.com][https://example.com/blog][https://example.com/blog/][https://example.com/blog/][https://example.com/site.css][https://example.com/atom.xml][https://example.com/a#b][https://example.com/fr//blog][https://example.com/fr/x][https://example.com/site.css/]"
    );
}
