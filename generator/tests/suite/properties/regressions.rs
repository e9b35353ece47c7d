//! Properties: What the properties found, kept as plain tests.

use super::*;

// ---------------------------------------------------------------------------------------------
// What the properties found, kept as plain tests.

fn page_problem(text: &str) -> Problem {
    Page::parse(&file(), "notices/a.md", text.to_string()).unwrap_err()
}

#[test]
fn a_local_date_time_with_fractions_of_a_second_is_a_date() {
    let (page, _) =
        Page::parse(&file(), "notices/a.md", "+++\ndate = 2026-12-09T19:00:00.5\n+++\n".into()).unwrap();
    assert_eq!(page.meta.date.unwrap().rfc3339(), "2026-12-09T19:00:00.500+08:00");
}

#[test]
fn an_empty_slug_is_reported_at_its_line() {
    let p = page_problem("+++\ntitle = \"x\"\nslug = \"?\"\n+++\n");
    assert_eq!(p.line, Some(3), "{p}");
}

#[test]
fn a_quoted_key_is_reported_at_its_line() {
    let f = PathBuf::from("content/notices/_index.md");
    let p = Section::parse(&f, "notices/_index.md", "+++\n\n\"paginate_by\" = 0\n+++\n".into()).unwrap_err();
    assert_eq!(p.line, Some(3), "{p}");
    assert_eq!(page_problem("+++\n\n'date' = \"soon\"\n+++\n").line, Some(3));
}

#[test]
fn a_declaration_that_is_not_a_table_is_reported_at_its_line() {
    let text = "+++\ntitle = \"x\"\n[extra]\nsignin = 1\n+++\n";
    let (page, _) = Page::parse(&file(), "notices/a.md", text.into()).unwrap();
    let (base, _) = Config::parse(Path::new("config.toml"), "base_url = \"https://x.cn\"").unwrap();
    let (library, _) = Library::assemble(&base, Vec::new(), vec![page]);
    let (_, problems) =
        zhibu_generator::catalog::build(&library, &[Rendered::default()], &[Rendered::default()]);
    let p = problems.iter().next().unwrap();
    assert_eq!(p.line, Some(4), "{p}");
}

#[test]
fn a_config_value_of_the_wrong_type_is_reported_at_its_line() {
    let p = Config::parse(
        Path::new("config.toml"),
        "base_url = \"x\"\n\n[markdown]\nsmart_punctuation = \"yes\"\n",
    )
    .unwrap_err();
    assert_eq!(p.line, Some(4), "{p}");
    let p = Config::parse(Path::new("config.toml"), "base_url = \"x\"\n[\"*.draft.md\"]\n").unwrap_err();
    assert_eq!(p.line, Some(2), "{p}");
}
