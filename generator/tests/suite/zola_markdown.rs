//! Markdown and shortcodes as a Zola site writes them (issue 14): a whole site built, its files
//! and warnings checked.

#![allow(clippy::unwrap_used)] // a panic is a test's failure report

use zhibu_generator::Silent;
use zhibu_generator::site::{Built, build};

use super::fixture::{folder, options, text};

fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Built) {
    let dir = folder(files);
    let built = build(&options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e:?}"));
    (dir, built)
}

const BASE: &[(&str, &str)] = &[
    ("config.toml", "base_url = \"https://example.cn\"\ntitle = \"测试\"\n"),
    ("templates/index.html", "{{ section.content | safe }}"),
    ("templates/section.html", "{{ section.content | safe }}"),
    (
        "templates/page.html",
        "{{ page.content | safe }}{% for a in page.assets %}<link href=\"{{ a }}\">{% endfor %}",
    ),
    (
        "templates/shortcodes/youtube.html",
        "<iframe data-id=\"{{ id }}\" data-autoplay=\"{{ autoplay }}\" data-nth=\"{{ nth }}\"></iframe>",
    ),
    ("content/_index.md", "+++\ntitle = \"首页\"\n+++\n"),
];

#[test]
fn a_bundles_nested_asset_folders_are_copied() {
    let mut files = BASE.to_vec();
    files.extend([
        ("content/a/index.md", "+++\ntitle = \"A\"\n+++\n![图](img/x.png)\n\n![图](img/deep/y.png)\n"),
        ("content/a/img/x.png", "png"),
        ("content/a/img/deep/y.png", "png2"),
        ("content/a/top.txt", "top"),
    ]);
    let (_dir, built) = site(&files);
    assert!(built.warnings.is_empty(), "{:?}", built.warnings);
    assert_eq!(text(&built, "a/img/x.png"), "png");
    assert_eq!(text(&built, "a/img/deep/y.png"), "png2");
    assert_eq!(text(&built, "a/top.txt"), "top");
    let page = text(&built, "a/index.html");
    // Zola's shape: the path below content/, for `get_url(path=…)`.
    for url in ["/a/img/deep/y.png", "/a/img/x.png", "/a/top.txt"] {
        assert!(page.contains(&format!("<link href=\"{url}\">")), "{url} in {page}");
    }
}

#[test]
fn a_section_folder_without_a_bundle_is_still_not_copied() {
    let mut files = BASE.to_vec();
    files.extend([("content/s/_index.md", "+++\ntitle = \"S\"\n+++\n"), ("content/s/img/x.png", "png")]);
    let (_dir, built) = site(&files);
    assert!(!built.files.iter().any(|f| f.path == "s/img/x.png"));
    assert_eq!(built.warnings.len(), 1, "{:?}", built.warnings);
}

#[test]
fn zola_pages_of_markdown_and_shortcodes_build_without_warnings() {
    let mut files = BASE.to_vec();
    files.push((
        "content/p.md",
        "+++\ntitle = \"P\"\n+++\n\
         ## search.build_search_index\n\n\
         [回到顶部](#) [索引](#search-build-search-index)\n\n\
         {{ youtube(id=\"a1\" autoplay=true) }}\n\n\
         {{ youtube(id='a2', autoplay=false) }}\n\n\
         ```jinja2\n{{ get_url(path=x) }}\n{{ get_url(path=\"x\") }}\n```\n\n\
         写 `{{/* youtube(id=\"a3\") */}}`。\n",
    ));
    let (_dir, built) = site(&files);
    assert!(built.warnings.is_empty(), "{:?}", built.warnings);
    let page = text(&built, "p/index.html");
    assert!(page.contains("<h2 id=\"search-build-search-index\">"), "{page}");
    assert!(page.contains("<iframe data-id=\"a1\" data-autoplay=\"true\" data-nth=\"1\">"), "{page}");
    assert!(page.contains("<iframe data-id=\"a2\" data-autoplay=\"false\" data-nth=\"2\">"), "{page}");
    assert!(page.contains("{{ get_url(path=x) }}"), "{page}");
    assert!(page.contains("{{ get_url(path=&quot;x&quot;) }}"), "{page}");
    assert!(page.contains("<code>{{ youtube(id=\"a3\") }}</code>"), "{page}");
}

#[test]
fn code_blocks_are_highlighted_as_zola_highlights_them() {
    let page = "+++\ntitle = \"a\"\n+++\n```rust,linenos,hl_lines=2,name=x\nfn main() {\n    let x = \"<a>\";\n}\n```\n\n```\nplain text\n```\n\n```toml\na = 1\n```\n\n```nope\nx\n```\n";
    let dir = folder(&[
        (
            "config.toml",
            "base_url = \"https://example.com\"\n[markdown.highlighting]\ntheme = \"github-light\"\nstyle = \"class\"\n",
        ),
        ("templates/page.html", "{{ page.content | safe }}"),
        ("templates/index.html", ""),
        ("content/a.md", page),
    ]);
    let built = build(&options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    // Zola 0.22.1's output for the same page and config, byte for byte.
    let zola = r#"<pre class="giallo z-code"><code data-lang="rust" data-name="x"><span class="giallo-l"><span aria-hidden="true" class="giallo-ln">1</span><span class="z-keyword">fn</span><span class="z-entity z-name"> main</span><span>() {</span></span>
<span class="giallo-l z-hl"><span aria-hidden="true" class="giallo-ln">2</span><span class="z-storage z-type">    let</span><span class="z-variable z-other"> x</span><span class="z-keyword"> =</span><span class="z-punctuation z-definition z-string z-string"> &quot;&lt;a&gt;&quot;</span><span>;</span></span>
<span class="giallo-l"><span aria-hidden="true" class="giallo-ln">3</span><span>}</span></span></code></pre><pre class="giallo z-code"><code data-lang="plain"><span class="giallo-l"><span>plain text</span></span></code></pre><pre class="giallo z-code"><code data-lang="toml"><span class="giallo-l"><span class="z-variable z-other">a =</span><span class="z-constant"> 1</span></span></code></pre><pre class="giallo z-code"><code data-lang="plain"><span class="giallo-l"><span>x</span></span></code></pre>"#;
    assert_eq!(text(&built, "a/index.html"), zola);
    assert!(text(&built, "giallo.css").starts_with("/*\n * theme \"github-light\" generated by giallo\n */"));
    assert!(
        built
            .warnings
            .iter()
            .any(|w| w.to_string().starts_with("content/a.md:18: code block language `nope`"))
    );

    // A theme giallo does not have is an error naming the setting.
    super::fixture::write(
        dir.path(),
        "config.toml",
        "base_url = \"https://example.com\"\n[markdown.highlighting]\ntheme = \"github-lite\"\n",
    );
    let err = format!("{}", build(&options(dir.path()), &Silent).err().unwrap());
    assert!(
        err.contains(
            "config.toml:3: `markdown.highlighting.theme = \"github-lite\"`: there is no such theme"
        ),
        "{err}"
    );
}

#[test]
fn highlighted_blocks_are_kept_between_builds_and_give_the_same_pages() {
    let page = |code: &str| format!("+++\ntitle = \"a\"\n+++\n```rust\n{code}\n```\n");
    let dir = folder(&[
        (
            "config.toml",
            "base_url = \"https://example.com\"\n[markdown.highlighting]\ntheme = \"github-light\"\n",
        ),
        ("templates/page.html", "{{ page.content | safe }}"),
        ("templates/index.html", ""),
        ("content/a.md", &page("fn kept_block() {}")),
    ]);
    let cold = build(&options(dir.path()), &Silent).unwrap_or_else(|e| panic!("{e}"));
    let cache = dir.path().join(".zhibu/highlighted.bin");
    let kept = std::fs::read(&cache).expect("the cache is written");
    assert!(String::from_utf8_lossy(&kept).contains("kept_block"), "the block's HTML is in it");
    let warm = build(&options(dir.path()), &Silent).unwrap();
    assert_eq!(text(&cold, "a/index.html"), text(&warm, "a/index.html"), "the same page from the cache");

    // A changed block is highlighted again and the old one leaves the cache.
    super::fixture::write(dir.path(), "content/a.md", page("fn new_block() {}"));
    let changed = build(&options(dir.path()), &Silent).unwrap();
    assert!(text(&changed, "a/index.html").contains("new_block"));
    let now = String::from_utf8_lossy(&std::fs::read(&cache).unwrap()).into_owned();
    assert!(now.contains("new_block") && !now.contains("kept_block"), "{now}");
    // The names giallo knows are kept with the blocks (a warm build need not read its grammars);
    // a language it does not know is never taken as known, so its warning comes on every build.
    assert!(now.contains("lang:rust") && now.contains("theme:github-light"), "{now}");
    super::fixture::write(dir.path(), "content/a.md", "+++\ntitle = \"a\"\n+++\n```cobolish\nX\n```\n");
    for _ in 0..2 {
        let built = build(&options(dir.path()), &Silent).unwrap();
        assert!(built.warnings.iter().any(|w| w.to_string().contains("cobolish")), "{:?}", built.warnings);
    }
    let now = String::from_utf8_lossy(&std::fs::read(&cache).unwrap()).into_owned();
    assert!(!now.contains("lang:cobolish"), "{now}");
}
