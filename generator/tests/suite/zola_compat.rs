//! A Zola 0.22 site builds as it is: `zola.toml`, every config key Zola accepts, blank lines
//! before `+++`, YAML front matter, page keys Zola ignores (a warning with file and line).

#![allow(clippy::unwrap_used)] // a panic is a test's failure report

use zhibu_generator::config::Mode;
use zhibu_generator::site::build;

use super::fixture::{text as file, write};
use zhibu_generator::{BuildOptions, Silent};

/// A small Zola site: only `zola.toml`, the templates a Zola site has, and a page of each kind.
fn zola_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "zola.toml",
        r#"base_url = "https://example.com"
title = "Zola site"
default_language = "en"
mode = "build"
taxonomy_root = "blog"
author = "someone"
generate_robots_txt = true
exclude_paginated_pages_in_sitemap = "all"
taxonomies = [
  { name = "tags", feed = true, render = true, paginate_by = 10, paginate_path = "p", slug = "tags" },
  { name = "categories", rss = true, lang = "en" },
]

[markdown]
smart_punctuation = true
bottom_footnotes = true
definition_list = true
github_alerts = true
insert_anchor_links = "right"
lazy_async_image = true
external_links_class = "external-link"
external_links_target_blank = true
external_links_no_follow = true
external_links_no_referrer = true

[markdown.highlighting]
theme = "github-dark"
style = "class"

[link_checker]
skip_anchor_prefixes = ["https://github.com/"]

[slugify]
paths = "on"

[search]
include_title = true

[languages.fr]
title = "Site en français"

[extra]
colour = "red"
"#,
    );
    let base = "{% block content %}{% endblock %}";
    write(root, "templates/base.html", base);
    write(
        root,
        "templates/index.html",
        // As in Zola, the French home's `config.languages` holds every language but French.
        "mode={{ config.mode }} {% if lang == \"fr\" %}en={{ config.languages.en.title }}{% else %}fr={{ config.languages.fr.title }}{% endif %} langs={{ config.languages | length }}",
    );
    write(root, "templates/section.html", "{{ section.title }}");
    write(
        root,
        "templates/page.html",
        "<h1>{{ page.title }}</h1><time>{{ page.date }}</time>{% if page.taxonomies.tags %}{% for t in page.taxonomies.tags %}<i>{{ t }}</i>{% endfor %}{% endif %}{{ page.content | safe }}",
    );
    write(root, "templates/taxonomy_list.html", "{{ taxonomy.name }}");
    write(root, "templates/taxonomy_single.html", "{{ term.name }}");
    write(root, "content/_index.md", "\n\n+++\ntitle = \"Home\"\n+++\n");
    write(
        root,
        "content/yaml.md",
        "---\ntitle: From YAML\ndate: 2026-12-09\ntaxonomies:\n  tags: [dues]\n  categories: [notices]\nextra:\n  share: true\n---\nA [link](https://example.org).\n",
    );
    write(root, "content/odd.md", "+++\ntitle = \"Odd\"\ncolour = \"red\"\n+++\nBody.\n");
    write(root, "content/hidden.md", "+++\ntitle = \"Hidden\"\nrender = false\n+++\n");
    dir
}

#[test]
fn a_zola_site_with_zola_toml_and_every_config_key_builds() {
    let dir = zola_site();
    let options = BuildOptions { root: dir.path().to_path_buf(), ..Default::default() };
    let built = build(&options, &Silent).unwrap_or_else(|e| panic!("{e:?}"));
    // zola.toml is read: its title, its taxonomy_root, its languages.
    assert_eq!(file(&built, "index.html"), "mode=build fr=Site en français langs=1");
    assert_eq!(file(&built, "fr/index.html"), "mode=build en=Zola site langs=1");
    let yaml = file(&built, "yaml/index.html");
    assert!(yaml.starts_with("<h1>From YAML</h1><time>2026-12-09</time><i>dues</i>"), "{yaml}");
    assert!(
        yaml.contains(
            "<a class=\"external-link\" rel=\"noopener nofollow noreferrer external\" target=\"_blank\" href=\"https://example.org\">"
        ),
        "{yaml}"
    );
    file(&built, "blog/tags/index.html");
    file(&built, "blog/tags/dues/index.html");
    file(&built, "blog/categories/notices/index.html");
    assert!(file(&built, "odd/index.html").contains("Odd"), "a page with an unknown key still builds");
    assert!(!built.files.iter().any(|f| f.path.starts_with("hidden/")), "render = false writes no file");

    // Keys Zola accepts that zhibu does not implement: a warning each, naming the key.
    let warnings: Vec<String> = built.warnings.iter().map(ToString::to_string).collect();
    for key in ["`taxonomies.lang`", "`taxonomies.rss`"] {
        assert!(
            warnings.iter().any(|w| w.starts_with("zola.toml:") && w.contains(key)),
            "{key}: {warnings:#?}"
        );
    }
    // A page key Zola ignores: a warning at its file and line, with where it belongs.
    assert!(
        warnings.iter().any(|w| w.starts_with("content/odd.md:3: unknown page front matter key `colour`")),
        "{warnings:#?}"
    );
}

#[test]
fn templates_see_the_command_as_config_mode() {
    let dir = zola_site();
    for (mode, shown) in [(Mode::Check, "check"), (Mode::Serve, "serve")] {
        let options = BuildOptions { root: dir.path().to_path_buf(), mode, ..Default::default() };
        let built = build(&options, &Silent).unwrap();
        assert!(file(&built, "index.html").starts_with(&format!("mode={shown} ")));
    }
}

#[test]
fn config_toml_is_read_when_there_is_no_zola_toml_and_mistakes_name_the_file_read() {
    let dir = zola_site();
    let root = dir.path();
    std::fs::rename(root.join("zola.toml"), root.join("config.toml")).unwrap();
    let options = BuildOptions { root: root.to_path_buf(), ..Default::default() };
    let built = build(&options, &Silent).unwrap();
    assert!(built.warnings.iter().any(|w| w.to_string().starts_with("config.toml:")));
    write(root, "zola.toml", "base_url = \"https://example.com\"\ntitel = \"x\"\n");
    let err = format!("{:?}", build(&options, &Silent).err().unwrap());
    assert!(err.contains("zola.toml") && err.contains("titel"), "{err}");
}

/// A site served from a folder of its host, with a broken link of each kind.
fn site_with_links(link_checker: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "config.toml", format!("base_url = \"https://someone.github.io/blog\"\n{link_checker}"));
    write(root, "templates/index.html", "{{ section.content | safe }}");
    write(root, "templates/page.html", "{{ page.content | safe }}");
    write(root, "content/_index.md", "+++\n+++\n[tags](/blog/about/) [there](/other-site/) [top](/blog)\n");
    write(
        root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Who\n\n[plain](/blog/nowhere/)\n\n![img](missing.png)\n\n[at](@/nope.md)\n\n[anchor](#what)\n",
    );
    write(root, "content/skipped/a.md", "+++\ntitle = \"A\"\n+++\n[plain](/blog/gone/)\n");
    dir
}

#[test]
fn link_checker_levels_decide_what_fails_as_zola_does_and_plain_links_warn_by_default() {
    // Zola's defaults: `@/` links and anchors fail the build; links written as addresses and
    // images (which Zola does not check) are warnings, so a Zola site builds as with Zola.
    let dir = site_with_links("");
    let err = format!("{}", build(&super::fixture::options(dir.path()), &Silent).err().unwrap());
    assert!(err.contains("content/about.md:10:") && err.contains("@/nope.md"), "{err}");
    assert!(err.contains("content/about.md:12:") && err.contains("#what"), "{err}");
    assert!(err.contains("the site has 2 problems"), "{err}");

    // internal_level = "warn": everything is a warning; the `@/` link stays as written.
    let dir = site_with_links("[link_checker]\ninternal_level = \"warn\"\nignored_files = [\"skipped/*\"]\n");
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = built.warnings.iter().map(ToString::to_string).collect();
    for expected in [
        "content/about.md:6: broken link `/blog/nowhere/`",
        "content/about.md:8: image `missing.png` does not exist",
        "content/about.md:10:",
        "content/about.md:12: broken anchor `#what`",
    ] {
        assert!(warnings.iter().any(|w| w.starts_with(expected)), "{expected}: {warnings:#?}");
    }
    // The folder of base_url is the site's: `/blog/about/` and `/blog` are found, `/other-site/`
    // is another site on the host, and files under `ignored_files` are not checked.
    assert_eq!(
        warnings.iter().filter(|w| w.contains("broken link") || w.contains("image")).count(),
        2,
        "{warnings:#?}"
    );
    assert!(file(&built, "about/index.html").contains("href=\"@/nope.md\""));

    // plain_level = "error" (the branch's site): links written as addresses fail too.
    let dir = site_with_links("[link_checker]\nplain_level = \"error\"\n");
    let err = format!("{}", build(&super::fixture::options(dir.path()), &Silent).err().unwrap());
    assert!(err.contains("the site has 5 problems"), "{err}");
    assert!(err.contains("content/skipped/a.md:4: broken link `/blog/gone/`"), "{err}");
}

/// A site in English with French translations (`a.fr.md`), as Zola's `test_site_i18n`.
fn bilingual_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "config.toml",
        r#"base_url = "https://example.com"
title = "Site"
default_language = "en"
generate_feeds = true
taxonomies = [{ name = "tags", feed = true }]

[translations]
hello = "Hello"

[languages.fr]
title = "Le site"
generate_feeds = true
taxonomies = [{ name = "étiquettes" }]
translations = { hello = "Bonjour" }
"#,
    );
    let list = "{% for t in page.translations %}[{{ t.lang }} {{ t.title }} {{ t.permalink }}]{% endfor %}";
    write(
        root,
        "templates/page.html",
        format!(
            "lang={{{{ lang }}}} page.lang={{{{ page.lang }}}} title={{{{ config.title }}}} {list} {{{{ trans(key=\"hello\", lang=lang) }}}} home={{{{ get_url(path=\"@/_index.md\", lang=lang) }}}} {{{{ page.content | safe }}}}"
        ),
    );
    write(
        root,
        "templates/index.html",
        "{{ lang }}:{% for p in section.pages %}{{ p.title }};{% endfor %}{% for t in section.translations %}({{ t.lang }}){% endfor %}",
    );
    write(
        root,
        "templates/section.html",
        "{{ lang }}:{% for p in section.pages %}{{ p.title }};{% endfor %}",
    );
    write(root, "templates/taxonomy_list.html", "{{ lang }} {{ taxonomy.name }}");
    write(root, "templates/taxonomy_single.html", "{{ lang }} {{ term.name }}");
    write(root, "content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
    write(root, "content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n");
    write(root, "content/blog/_index.fr.md", "+++\ntitle = \"Le blog\"\n+++\n");
    write(
        root,
        "content/blog/hello.md",
        "+++\ntitle = \"Hello\"\ndate = 2026-12-01\n[taxonomies]\ntags = [\"news\"]\n+++\n[French](@/blog/hello.fr.md)\n",
    );
    write(
        root,
        "content/blog/hello.fr.md",
        "+++\ntitle = \"Bonjour\"\ndate = 2026-12-01\n[taxonomies]\n\"étiquettes\" = [\"nouvelles\"]\n+++\nTexte.\n",
    );
    write(root, "content/blog/only-fr.fr.md", "+++\ntitle = \"Seul\"\ndate = 2026-11-01\n+++\n");
    write(root, "content/blog/pic/index.md", "+++\ntitle = \"Pic\"\n+++\n");
    write(root, "content/blog/pic/index.fr.md", "+++\ntitle = \"Image\"\n+++\n");
    write(root, "content/blog/pic/a.png", "png");
    dir
}

#[test]
fn translations_live_under_their_language_with_their_own_lists_taxonomies_and_feeds() {
    let dir = bilingual_site();
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    let en = file(&built, "blog/hello/index.html");
    let fr = file(&built, "fr/blog/hello/index.html");
    let both = "[en Hello https://example.com/blog/hello/][fr Bonjour https://example.com/fr/blog/hello/]";
    assert!(
        en.starts_with(&format!("lang=en page.lang=en title=Site {both} Hello home=https://example.com/ ")),
        "{en}"
    );
    assert!(en.contains("href=\"https://example.com/fr/blog/hello/\""), "an @/ link to a translation: {en}");
    assert!(
        fr.starts_with(&format!(
            "lang=fr page.lang=fr title=Le site {both} Bonjour home=https://example.com/fr/ "
        )),
        "{fr}"
    );
    // Each language's sections list its own pages; a home stands in for the missing `_index.fr.md`.
    assert_eq!(file(&built, "blog/index.html"), "en:Hello;Pic;");
    assert_eq!(file(&built, "fr/blog/index.html"), "fr:Bonjour;Seul;Image;");
    assert_eq!(file(&built, "index.html"), "en:(en)(fr)");
    assert_eq!(file(&built, "fr/index.html"), "fr:(en)(fr)");
    // A bundle's files go beside each translation.
    file(&built, "blog/pic/a.png");
    file(&built, "fr/blog/pic/a.png");
    // Taxonomies and feeds per language.
    assert_eq!(file(&built, "tags/news/index.html"), "en news");
    assert_eq!(file(&built, "fr/etiquettes/nouvelles/index.html"), "fr nouvelles");
    assert!(file(&built, "atom.xml").contains("Hello") && !file(&built, "atom.xml").contains("Bonjour"));
    assert!(
        file(&built, "fr/atom.xml").contains("Bonjour") && !file(&built, "fr/atom.xml").contains("Hello")
    );
    file(&built, "tags/news/atom.xml");

    // A file named for a language the config does not have is an error naming the file.
    write(dir.path(), "content/blog/hello.de.md", "+++\ntitle = \"Hallo\"\n+++\n");
    let err = format!("{}", build(&super::fixture::options(dir.path()), &Silent).err().unwrap());
    assert!(err.contains("content/blog/hello.de.md: the file name gives the language `de`"), "{err}");
}

#[test]
fn headings_get_anchor_links_where_the_section_or_the_config_says() {
    let dir = super::fixture::folder(&[
        (
            "config.toml",
            "base_url = \"https://example.com\"\ndefault_language = \"en\"\n[markdown]\ninsert_anchor_links = \"right\"\n",
        ),
        ("templates/page.html", "{{ page.content | safe }}"),
        ("templates/index.html", "{{ section.content | safe }}"),
        ("templates/section.html", "{{ section.content | safe }}"),
        ("content/_index.md", "+++\n+++\n"),
        ("content/top.md", "+++\ntitle = \"Top\"\n+++\n## One\n"),
        ("content/docs/_index.md", "+++\ninsert_anchor_links = \"heading\"\n+++\n"),
        ("content/docs/a.md", "+++\ntitle = \"A\"\n+++\n# Title {#own}\n"),
        ("content/plain/_index.md", "+++\ninsert_anchor_links = \"none\"\n+++\n## Kept plain\n"),
        ("content/plain/b.md", "+++\ntitle = \"B\"\n+++\n## Plain\n"),
    ]);
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    let link = |id: &str| {
        format!("<a class=\"zola-anchor\" href=\"#{id}\" aria-label=\"Anchor link for: {id}\">🔗</a>")
    };
    assert_eq!(file(&built, "top/index.html").trim(), format!("<h2 id=\"one\">One{}</h2>", link("one")));
    assert_eq!(
        file(&built, "docs/a/index.html").trim(),
        "<h1 id=\"own\"><a class=\"zola-anchor\" href=\"#own\" aria-label=\"Anchor link for: own\">Title</a></h1>"
    );
    assert_eq!(file(&built, "plain/b/index.html").trim(), "<h2 id=\"plain\">Plain</h2>");
    assert_eq!(file(&built, "plain/index.html").trim(), "<h2 id=\"kept-plain\">Kept plain</h2>");

    // A site's own anchor-link.html is used, with the heading's level.
    super::fixture::write(dir.path(), "templates/anchor-link.html", "<a href=\"#{{ id }}\">h{{ level }}</a>");
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap();
    assert_eq!(file(&built, "top/index.html").trim(), "<h2 id=\"one\">One<a href=\"#one\">h2</a></h2>");
}

#[test]
fn a_draft_section_hides_its_folder_and_a_page_without_a_section_is_listed_nowhere() {
    let dir = super::fixture::folder(&[
        ("config.toml", "base_url = \"https://example.com\"\ndefault_language = \"en\"\n"),
        ("templates/page.html", "{{ page.title }}"),
        ("templates/index.html", "{% for p in section.pages %}{{ p.title }};{% endfor %}"),
        ("templates/section.html", "{% for p in section.pages %}{{ p.title }};{% endfor %}"),
        ("content/_index.md", "+++\n+++\n"),
        ("content/posts/_index.md", "+++\n+++\n"),
        ("content/posts/a.md", "+++\ntitle = \"A\"\n+++\n"),
        ("content/posts/loose/b.md", "+++\ntitle = \"B\"\n+++\n"),
        ("content/secret/_index.md", "+++\ndraft = true\n+++\n"),
        ("content/secret/page.md", "+++\ntitle = \"Secret\"\n+++\n"),
        ("content/secret/sub/_index.md", "+++\n+++\n"),
        ("content/secret/sub/deep.md", "+++\ntitle = \"Deep\"\n+++\n"),
    ]);
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<&str> = built.files.iter().map(|f| f.path.as_str()).collect();
    assert!(!paths.iter().any(|p| p.starts_with("secret/")), "{paths:?}");
    assert_eq!(
        file(&built, "posts/index.html"),
        "A;",
        "the page in a folder without _index.md is not listed"
    );
    assert_eq!(file(&built, "posts/loose/b/index.html"), "B", "but it is built");
    assert!(built.warnings.iter().any(|w| {
        w.to_string().starts_with("content/posts/loose/b.md:1: content/posts/loose/ has no _index.md")
    }));
    // `--drafts` brings the whole folder back.
    let options = BuildOptions { drafts: true, ..super::fixture::options(dir.path()) };
    let built = build(&options, &Silent).unwrap();
    file(&built, "secret/sub/deep/index.html");
}

#[test]
fn minify_html_minifies_every_html_file_as_zola_does() {
    let files = [
        ("config.toml", "base_url = \"https://example.com\"\nminify_html = true\n"),
        (
            "templates/index.html",
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <style> body { color : red ; } </style>\n</head>\n<body>\n  <p class=\"a\">  Hello   world </p>\n  <script> let x = 1 ; </script>\n</body>\n</html>\n",
        ),
        ("content/_index.md", "+++\naliases = [\"old/\"]\n+++\n"),
    ];
    let dir = super::fixture::folder(&files);
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    // Zola 0.22.1's output for the same template (minify-html with Zola's settings): CSS
    // minified, JavaScript kept, `<html>` and `<head>` kept.
    assert_eq!(
        file(&built, "index.html"),
        "<!doctype html><html lang=en><head><style>body{color:red}</style><body><p class=a>Hello world</p><script>let x = 1 ;</script>"
    );
    let redirect = file(&built, "old/index.html");
    assert!(
        redirect
            .starts_with("<!doctype html><meta charset=utf-8><title>Redirect</title><script>const target"),
        "redirect pages too: {redirect}"
    );
    assert!(file(&built, "sitemap.xml").contains('\n'), "only HTML");
}

#[test]
fn the_default_languages_own_table_gives_its_title_and_redirects_get_zolas_slash() {
    let dir = super::fixture::folder(&[
        (
            "config.toml",
            "base_url = \"https://example.com\"\ndefault_language = \"en\"\n[languages.en]\ntitle = \"anemone\"\n",
        ),
        ("templates/index.html", "{{ config.title }}"),
        ("content/_index.md", "+++\n+++\n"),
        ("content/docs/_index.md", "+++\nredirect_to = \"docs/intro\"\n+++\n"),
    ]);
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file(&built, "index.html"), "anemone");
    assert!(file(&built, "docs/index.html").contains("\"https://example.com/docs/intro/\""));
}

#[test]
fn static_files_are_copied_as_zola_copies_them() {
    let dir = super::fixture::folder(&[
        ("config.toml", "base_url = \"https://example.com\"\nignored_static = [\"drafts/*\"]\n"),
        ("templates/index.html", "x"),
        ("content/_index.md", "+++\n+++\n"),
        ("static/.gitkeep", ""),
        ("static/.well-known/security.txt", "x"),
        ("static/drafts/a.txt", "x"),
        ("static/.git/HEAD", "x"),
        ("static/a.txt", "x"),
    ]);
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<&str> = built.files.iter().map(|f| f.path.as_str()).collect();
    for kept in [".gitkeep", ".well-known/security.txt", "a.txt"] {
        assert!(paths.contains(&kept), "{kept}: {paths:?}");
    }
    for left in ["drafts/a.txt", ".git/HEAD"] {
        assert!(!paths.contains(&left), "{left}: {paths:?}");
    }
}

#[test]
fn slugify_strategies_a_site_names_are_zolas() {
    let files = |slugify: &str| {
        super::fixture::folder(&[
            (
                "config.toml",
                &*format!(
                    "base_url = \"https://example.com\"\ntaxonomies = [{{ name = \"tags\" }}]\n{slugify}"
                ),
            ),
            ("templates/page.html", "{{ page.content | safe }}"),
            ("templates/index.html", ""),
            ("templates/taxonomy_list.html", ""),
            ("templates/taxonomy_single.html", "{{ term.name }}"),
            ("content/_index.md", "+++\n+++\n"),
            (
                "content/2026-12-01-党费 通知.md",
                "+++\ntitle = \"a\"\n[taxonomies]\ntags = [\"党史 学习\"]\n+++\n## 特色 功能\n",
            ),
        ])
    };
    // Zola's `on` everywhere: Chinese becomes pinyin; the date kept with paths_keep_dates.
    let dir =
        files("[slugify]\npaths = \"on\"\npaths_keep_dates = true\ntaxonomies = \"on\"\nanchors = \"on\"\n");
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    assert!(file(&built, "2026-12-01-dang-fei-tong-zhi/index.html").contains("<h2 id=\"te-se-gong-neng\">"));
    file(&built, "tags/dang-shi-xue-xi/index.html");
    // `safe`: names as written but for what breaks a path; anchors with `_` for spaces.
    let dir = files("[slugify]\npaths = \"safe\"\ntaxonomies = \"safe\"\nanchors = \"safe\"\n");
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    assert!(file(&built, "党费 通知/index.html").contains("<h2 id=\"特色_功能\">"));
    file(&built, "tags/党史 学习/index.html");
    // Named nowhere: zhibu's own (Chinese kept, spaces to `-`).
    let dir = files("");
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    assert!(file(&built, "党费-通知/index.html").contains("<h2 id=\"特色-功能\">"));
    file(&built, "tags/党史-学习/index.html");
}

#[test]
fn zolas_search_files_are_written_per_language_as_zola_writes_them() {
    let dir = super::fixture::folder(&[
        (
            "config.toml",
            "base_url = \"https://example.com\"\ndefault_language = \"en\"\nbuild_search_index = true\n[languages.fr]\nbuild_search_index = true\n[languages.it]\n",
        ),
        ("templates/page.html", "{{ page.content | safe }}"),
        ("templates/index.html", ""),
        ("content/_index.md", "+++\n+++\n"),
        ("content/hello.md", "+++\ntitle = \"Hello\"\n+++\nEnglish words.\n"),
        ("content/hello.fr.md", "+++\ntitle = \"Bonjour\"\n+++\nMots français.\n"),
        ("content/hello.it.md", "+++\ntitle = \"Ciao\"\n+++\nParole.\n"),
    ]);
    let built = build(&super::fixture::options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    let en = file(&built, "search_index.en.js");
    let fr = file(&built, "search_index.fr.js");
    assert!(
        en.starts_with("window.searchIndex = ") && en.contains("Hello") && !en.contains("Bonjour"),
        "{en}"
    );
    assert!(fr.contains("Bonjour") && !fr.contains("Hello"), "{fr}");
    assert!(!built.files.iter().any(|f| f.path == "search_index.it.js"), "Italian builds no index");
    assert!(file(&built, "elasticlunr.min.js").contains("elasticlunr"));
}
