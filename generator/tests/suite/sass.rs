//! `compile_sass`: the theme's and the site's `sass/` compiled to CSS before templates render,
//! partials only imported, the site over the theme, cachebust hashes of the compiled CSS, and
//! Sass errors at their file and line.

#![allow(clippy::unwrap_used)] // a panic is a test's failure report

use std::path::Path;

use zhibu_generator::site::{build, cachebust_hash};

use super::fixture::{bytes as file, options, text, write};
use zhibu_generator::Silent;

/// A site with a theme: the theme has `sass/theme.scss` and `sass/main.scss`, the site has
/// `sass/main.scss` (over the theme's), a partial and a nested file.
fn site(compile_sass: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "config.toml",
        format!(
            "base_url = \"https://example.org\"\ntitle = \"t\"\ntheme = \"plain\"\ncompile_sass = {compile_sass}\n"
        ),
    );
    write(root, "content/_index.md", "+++\ntitle = \"home\"\n+++\nhi\n");
    write(
        root,
        "themes/plain/templates/index.html",
        "<link href=\"{{ get_url(path='theme.css', cachebust=true) }}\">{% if config.extra.site_css %}<link href=\"{{ get_url(path='main.css', cachebust=true) }}\">{% endif %}",
    );
    write(root, "themes/plain/sass/theme.scss", "$c: red;\n.theme { color: $c; }\n");
    write(root, "themes/plain/sass/main.scss", ".from-theme { color: blue; }\n");
    write(root, "sass/_vars.scss", "$accent: #c00;\n");
    write(root, "sass/main.scss", "@import \"vars\";\n.site { a { color: $accent; } }\n");
    write(root, "sass/pages/print.sass", "@use \"../vars\" as v\n.print\n  color: v.$accent\n");
    if compile_sass {
        write(root, "config.toml", format!("{}[extra]\nsite_css = true\n", read(root, "config.toml")));
    }
    dir
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

#[test]
fn the_site_and_the_theme_sass_are_compiled_and_partials_are_not_emitted() {
    let dir = site(true);
    // A link to compiled CSS is a link to a file the build writes.
    write(dir.path(), "content/_index.md", "+++\ntitle = \"home\"\n+++\n[print](/pages/print.css)\n");
    let built = build(&options(dir.path()), &Silent).unwrap();
    assert!(built.warnings.is_empty(), "{:?}", built.warnings);

    let main = text(&built, "main.css");
    assert!(main.contains(".site a{color:#c00}"), "compressed, with the partial's variable: {main}");
    assert!(!main.contains("from-theme"), "the site's main.scss replaces the theme's: {main}");
    assert_eq!(text(&built, "theme.css"), ".theme{color:red}");
    assert!(text(&built, "pages/print.css").contains(".print{color:#c00}"));
    for path in ["_vars.css", "vars.css", "main.scss", "_vars.scss"] {
        assert!(file(&built, path).is_none(), "{path} is not an output");
    }
    let css: Vec<&str> =
        built.files.iter().map(|f| f.path.as_str()).filter(|p| p.ends_with(".css")).collect();
    assert_eq!(css, ["main.css", "pages/print.css", "theme.css"]);
}

#[test]
fn cachebust_urls_carry_the_hash_of_the_compiled_css() {
    let dir = site(true);
    let built = build(&options(dir.path()), &Silent).unwrap();
    let index = text(&built, "index.html");
    // Zola's hash: the first 20 hex digits of the SHA-256 (here of nothing, a known value).
    assert_eq!(cachebust_hash(b""), "e3b0c44298fc1c149afb");
    let main_hash = cachebust_hash(&file(&built, "main.css").unwrap());
    let theme_hash = cachebust_hash(&file(&built, "theme.css").unwrap());
    assert!(index.contains(&format!("https://example.org/main.css?h={main_hash}")), "{index}");
    assert!(index.contains(&format!("https://example.org/theme.css?h={theme_hash}")), "{index}");

    // The hash follows the CSS.
    write(dir.path(), "sass/_vars.scss", "$accent: #0c0;\n");
    let again = build(&options(dir.path()), &Silent).unwrap();
    let new_hash = cachebust_hash(&file(&again, "main.css").unwrap());
    assert_ne!(new_hash, main_hash);
    assert!(text(&again, "index.html").contains(&format!("main.css?h={new_hash}")));
}

#[test]
fn sass_errors_are_problems_at_their_file_and_line_all_at_once() {
    let dir = site(true);
    let root = dir.path();
    write(root, "sass/main.scss", "@import \"vars\";\n.site {\n  color: $accent\n  margin: 0;\n}\n");
    write(root, "sass/_broken.scss", "// a partial\n.x { color: red;\n");
    write(root, "sass/other.scss", "@import \"broken\";\n");
    write(root, "sass/same.scss", "a { b: c; }\n");
    write(root, "sass/same.sass", "a\n  b: c\n");
    let err = match build(&options(root), &Silent) {
        Ok(_) => panic!("a Sass error fails the build"),
        Err(e) => e,
    };
    let listed: Vec<String> = err.problems().iter().map(|p| p.to_string()).collect();
    let has = |prefix: &str| listed.iter().any(|p| p.starts_with(prefix));
    assert!(has("sass/main.scss:4: Sass error: "), "the line of the error: {listed:#?}");
    assert!(
        has("sass/_broken.scss:2: Sass error: "),
        "in the partial, not the file importing it: {listed:#?}"
    );
    assert!(
        has("sass/same.scss: `sass/same.sass` and `sass/same.scss` both compile to `same.css`"),
        "{listed:#?}"
    );
    assert_eq!(listed.len(), 3, "{listed:#?}");
}

#[test]
fn a_warn_rule_is_a_warning_at_its_line() {
    let dir = site(true);
    write(dir.path(), "sass/_vars.scss", "$accent: #c00;\n\n@warn \"old colours\";\n");
    let built = build(&options(dir.path()), &Silent).unwrap();
    let warnings: Vec<String> = built.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.contains(&"sass/_vars.scss:3: Sass `@warn`: \"old colours\"".to_string()),
        "{warnings:#?}"
    );
}

#[test]
fn without_compile_sass_only_the_theme_sass_is_compiled_as_in_zola() {
    let dir = site(false);
    let built = build(&options(dir.path()), &Silent).unwrap();
    let css: Vec<&str> =
        built.files.iter().map(|f| f.path.as_str()).filter(|p| p.ends_with(".css")).collect();
    assert_eq!(css, ["main.css", "theme.css"]);
    assert!(text(&built, "main.css").contains("from-theme"));

    // Without a theme's sass/ either, nothing at all.
    std::fs::remove_dir_all(dir.path().join("themes/plain/sass")).unwrap();
    write(dir.path(), "themes/plain/templates/index.html", "home");
    let built = build(&options(dir.path()), &Silent).unwrap();
    assert!(!built.files.iter().any(|f| f.path.ends_with(".css")), "no CSS");
}

#[test]
fn a_static_file_on_the_path_of_compiled_css_is_a_problem() {
    let dir = site(true);
    write(dir.path(), "static/main.css", "a{}");
    let err = match build(&options(dir.path()), &Silent) {
        Ok(_) => panic!("two files on one path fail the build"),
        Err(e) => e,
    };
    let listed: Vec<String> = err.problems().iter().map(|p| p.to_string()).collect();
    assert!(listed.iter().any(|p| p.contains("main.css")), "{listed:#?}");
}
