//! Property tests of every generator parser that reads what editors write: front matter
//! (split, page, section), `config.toml`, shortcodes, Markdown rendering and the catalog's
//! `[extra.signin]` / `[extra.campaign]` / `[extra.quiz_round]` declarations.
//!
//! For any input each parser returns a value or a problem naming the file (and, for front
//! matter, the line) — it never panics and never hangs — and what zhibu itself could have
//! written parses back to the same values. Runs as part of `cargo test`: 256 cases a property
//! by default, `PROPTEST_CASES=10000 cargo test --workspace --all-features --test properties`
//! for a longer search.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use zhibu_generator::Problem;
use zhibu_generator::config::{Config, Highlighting, Markdown, TaxonomyConfig};
use zhibu_generator::content::front_matter::{self, Date};
use zhibu_generator::content::{Library, Page, Section};
use zhibu_generator::markdown::shortcodes::{self, Call, Piece};
use zhibu_generator::markdown::{self, RenderContext, Rendered, ShortcodeOutput, Source};
use zhibu_generator::slug::path_slug;

// ---------------------------------------------------------------------------------------------
// Bounds: how many cases, and how long one case may take before it counts as a hang.

/// Cases a property by default: enough to find the shallow bugs on every run (the whole file
/// takes a few seconds in a debug build); `PROPTEST_CASES` overrides it.
const DEFAULT_CASES: u32 = 256;

/// One parse of a few hundred bytes takes microseconds; this much means a loop that never ends
/// (kept generous so a loaded CI machine does not make it flaky).
const HANG: Duration = Duration::from_secs(20);

fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = DEFAULT_CASES;
    }
    // A failure is reported with its shrunk input; a regression test is then written by hand
    // rather than a `proptest-regressions/` file appearing in the working tree.
    config.failure_persistence = None;
    config
}

/// Runs `f` on its own thread and fails the case when it does not finish within [`HANG`]; a
/// panic inside `f` is passed on (with its message) for proptest to shrink.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(HANG) {
        Ok(value) => {
            let _ = worker.join();
            value
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} did not finish within {HANG:?}: a hang"),
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => panic!("{what}: the worker ended without an answer"),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs: arbitrary text, and "soups" of the pieces that matter to each parser, so the search
// reaches past the first check.

/// Any Unicode text, or any bytes read as UTF-8 the way `fs::read_to_string` would refuse and a
/// lossy reader would not.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::string::string_regex(&format!("(?s).{{0,{max}}}")).unwrap(),
        prop::collection::vec(any::<u8>(), 0..max).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

/// Up to `max` pieces, each one of `pieces` or a few arbitrary characters, concatenated.
fn soup(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(pieces).prop_map(str::to_string),
        1 => proptest::string::string_regex("(?s).{0,4}").unwrap(),
    ];
    prop::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}

#[rustfmt::skip]
const FRONT_MATTER_PIECES: &[&str] = &[
    "+++", "+++\n", "\n", "\r\n", " ", "\t", "\u{feff}", "---\n", "title", "description", "date", "updated",
    "draft", "slug", "path", "aliases", "weight", "template", "authors", "taxonomies", "extra",
    "in_search_index", "sort_by", "paginate_by", "paginate_path", "transparent", "render",
    "insert_anchor_links", "titel", "\"date\"", " = ", "=", "\"", "'", "\"\"\"", "'''", "\"党\"", "\"\"",
    "2026-12-09", "2026-12-09T19:00:00+08:00", "2026-12-09T19:00:00", "2026-12-09 19:00", "07:32:00",
    "\"2026-12-09\"", "\"yesterday\"", "0000-01-01", "9999-12-31T23:59:59.999999-23:59", "1", "-3", "0",
    "9223372036854775807", "99999999999999999999", "1.5", "nan", "inf", "true", "false", "[]", "[", "]",
    "[[", "]]", "{", "}", "{ a = 1 }", "[\"a\", 1]", ",", ".", "#", "[extra]", "[taxonomies]",
    "[extra.signin]", "[[extra.quiz]]", "tags = [\"党史\"]", "\"date\"", "\"weight\"", "\"colour\"", "\\",
    "\\u0000", "\\uD800", "é", "党",
];

#[rustfmt::skip]
const MARKDOWN_PIECES: &[&str] = &[
    "\n", "\n\n", "\r\n", " ", "    ", "\t", "#", "## ", "### 标题", " {#id}", "{#", "```", "```rust\n",
    "```toml\n", "```nope\n", "~~~", "`", "*", "**", "_", "~~", "> ", "- ", "1. ", "- [x] ", "|",
    "| a | b |\n", "|---|---|\n", "---", "[", "]", "(", ")", "](", "!", "![", "![]", "(@/notices/a.md)",
    "(@/nope.md)", "@/", "#锚", "(#总纲)", "<!-- more -->", "<!--", "-->", "<b>", "</b>", "<", ">", "&",
    "&amp;", "[^1]", "[^1]: ", "[^x]:", "{{", "}}", "{%", "%}", "{{/*", "*/}}", "{%/*", "*/%}",
    " signin(event=\"e1\") ", " tip() ", " lines() ", " nope() ", " end ", "{% end %}", "(", "=", "\"", "党",
    "é", "\u{200b}", "http://x.cn", "\\", "$", "\u{0}",
];

#[rustfmt::skip]
const SHORTCODE_PIECES: &[&str] = &[
    "{", "}", "{{", "}}", "{%", "%}", "{{/*", "*/}}", "{%/*", "*/%}", "/*", "*/", " ", "\n", "\t",
    "\u{3000}", "name", "signin", "end", "_x1", "(", ")", "=", ",", "\"", "'", "`", "[", "]", "a=", "\"x\"",
    "1", "-2.5", "1e400", "nan", "true", "false", "党", "é", "{% end %}", "{%end%}",
];

fn file() -> PathBuf {
    PathBuf::from("content/notices/a.md")
}

/// A content file: arbitrary text, or something shaped like front matter and a body, the front
/// matter written with `keys` (see [`front_matter_lines`]) or as a soup of TOML pieces.
fn content_text(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let shaped = (
        prop_oneof![
            6 => Just("+++\n"),
            1 => prop::sample::select(&["+++\r\n", "+++ \n", "\u{feff}+++\n", "+++", "---\n", ""][..]),
        ],
        prop_oneof![3 => front_matter_lines(keys), 1 => soup(FRONT_MATTER_PIECES, 40)],
        prop_oneof![
            6 => Just("+++\n"),
            1 => prop::sample::select(&["+++\r\n", "+++", "\n+++ \n", "", "++\n"][..]),
        ],
        soup(MARKDOWN_PIECES, 30),
    )
        .prop_map(|(open, fm, close, body)| format!("{open}{fm}{close}{body}"));
    prop_oneof![1 => any_text(300), 1 => soup(FRONT_MATTER_PIECES, 60), 6 => shaped]
}

#[rustfmt::skip]
const PAGE_KEYS: &[&str] = &[
    "title", "description", "date", "updated", "draft", "slug", "path", "aliases", "weight", "template",
    "authors", "in_search_index", "titel", "\"date\"", "'weight'", "sort_by",
];

#[rustfmt::skip]
const SECTION_KEYS: &[&str] = &[
    "title", "description", "sort_by", "weight", "template", "page_template", "paginate_by",
    "paginate_path", "paginate_reversed", "transparent", "redirect_to", "aliases", "draft", "render",
    "generate_feeds", "insert_anchor_links", "in_search_index", "titel", "\"paginate_by\"", "slug",
];

#[rustfmt::skip]
const VALUES: &[&str] = &[
    "\"x\"", "\"\"", "\"党 史\"", "\"/\"", "\" ../ \"", "'lit'", "\"\"\"\nmulti\n\"\"\"", "\"-_-\"", "\"?\"",
    "1", "0", "-3", "9223372036854775807", "1.5", "nan", "true", "false", "2026-12-09", "07:32:00",
    "2026-12-09T19:00:00+08:00", "2026-12-09T19:00:00.5", "1979-05-27 07:32:00Z", "\"2026-12-09\"",
    "\"yesterday\"", "\"date\"", "\"weight\"", "\"colour\"", "\"none\"", "\"update_date\"",
    "[]", "[\"a\", \"b\"]", "[1]", "[\"a\", 1]", "[[]]", "{ a = 1 }",
];

#[rustfmt::skip]
const TABLES: &[&str] = &[
    "", "", "", "[extra]\nsignin = 1\n", "[taxonomies]\ntags = [\"党史\", \"\"]\n", "[taxonomies]\ntags = \"x\"\n",
    "[extra.signin]\nevent = \"abc\"\n", "[extra]\n[extra]\n", "extra = 1\n", "taxonomies = []\n",
];

/// Values that suit `key` (so the search gets past the first check), or any of [`VALUES`].
fn value_for(key: &'static str) -> BoxedStrategy<&'static str> {
    let suitable: &'static [&'static str] = match key.trim_matches(['"', '\'']) {
        "title" | "description" | "template" | "page_template" | "path" | "slug" | "redirect_to"
        | "paginate_path" => {
            &["\"x\"", "\"\"", "\"党 史\"", "\"/\"", "\" ../ \"", "\"-_-\"", "\"?\"", "'lit'"]
        }
        "date" | "updated" => &[
            "2026-12-09",
            "2026-12-09T19:00:00+08:00",
            "2026-12-09T19:00:00.5",
            "1979-05-27 07:32:00Z",
            "\"2026-12-09\"",
            "\"2026-12-09 19:00\"",
            "\"yesterday\"",
            "07:32:00",
            "0000-01-01",
        ],
        "weight" | "paginate_by" => &["1", "0", "-3", "9223372036854775807", "1.5"],
        "aliases" | "authors" => &["[]", "[\"a\", \"b\"]", "[\"\"]", "[1]"],
        "sort_by" => &["\"date\"", "\"weight\"", "\"update_date\"", "\"none\"", "\"colour\""],
        _ => &["true", "false"],
    };
    prop_oneof![3 => prop::sample::select(suitable), 1 => prop::sample::select(VALUES)].boxed()
}

/// Front matter as lines `key = value` (each key at most once, else the TOML is refused before
/// anything else is looked at), with values of the right and of wrong types.
fn front_matter_lines(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let line = prop::sample::select(keys).prop_flat_map(|k| (Just(k), value_for(k)));
    let ends = prop::collection::vec(prop::sample::select(&["\n", "\r\n", " # c\n", "  \n"][..]), 6);
    (prop::collection::vec(line, 0..5), ends, prop::sample::select(TABLES)).prop_map(
        |(lines, ends, tables)| {
            let mut seen = HashSet::new();
            let mut text: String = lines
                .iter()
                .filter(|(k, _)| seen.insert(k.trim_matches(['"', '\''])))
                .zip(ends.iter().cycle())
                .map(|((k, v), end)| format!("{k} = {v}{end}"))
                .collect();
            text.push_str(tables);
            text
        },
    )
}

#[rustfmt::skip]
const CONTENT_PATH_PIECES: &[&str] = &[
    "notices/", "a", "index.md", "_index.md", ".md", "2026-12-01-", "2026-13-45-", "2026-12-01_", "-", "/",
    "..", "党", "é", " ", "\\",
];

fn content_path() -> impl Strategy<Value = String> {
    soup(CONTENT_PATH_PIECES, 6)
}

/// A problem from a content file names the file and the line it is about.
fn assert_located(p: &Problem, file: &Path) -> Result<(), TestCaseError> {
    prop_assert_eq!(p.file.as_deref(), Some(file), "problem without its file: {:?}", p);
    prop_assert!(p.line.is_some_and(|l| l >= 1), "problem without a line: {:?}", p);
    prop_assert!(!p.message.trim().is_empty());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Front matter, pages and sections.

proptest! {
    #![proptest_config(config())]

    #[test]
    fn front_matter_split_finds_the_body_or_says_what_to_add(text in content_text(PAGE_KEYS)) {
        let f = file();
        let (f2, t) = (f.clone(), text.clone());
        let result = within("front_matter::split", move || {
            front_matter::split(&f2, &t).map(|s| (s.front_matter.to_string(), s.body.to_string(), s.body_line, s.front_matter_line))
        });
        match result {
            Ok((fm, body, body_line, fm_line)) => {
                prop_assert_eq!(fm_line, 2);
                let unbom = text.strip_prefix('\u{feff}').unwrap_or(&text);
                prop_assert!(unbom.starts_with("+++"));
                prop_assert!(unbom.ends_with(&body), "the body is the end of the file");
                let before_body = &unbom[..unbom.len() - body.len()];
                prop_assert!(before_body.contains(&fm));
                if !body.is_empty() {
                    prop_assert_eq!(body_line, 1 + before_body.matches('\n').count(), "body line of {:?}", text);
                }
            }
            Err(p) => {
                assert_located(&p, &f)?;
                prop_assert_eq!(p.line, Some(1));
            }
        }
    }

    #[test]
    fn page_parse_gives_a_page_or_a_problem_at_a_line_of_the_file(text in content_text(PAGE_KEYS), cp in content_path()) {
        let f = Path::new("content").join(&cp);
        let (f2, t) = (f.clone(), text.clone());
        let result = within("Page::parse", move || Page::parse(&f2, &cp, t).map(|(p, w)| (p.raw, p.body_line, p.path, w)));
        match result {
            Ok((raw, body_line, path, warnings)) => {
                prop_assert!(text.ends_with(&raw));
                prop_assert!(body_line >= 3);
                prop_assert!(path.starts_with('/') && path.ends_with('/'), "page path {:?}", path);
                for w in &warnings {
                    assert_located(w, &f)?;
                }
            }
            Err(p) => assert_located(&p, &f)?,
        }
    }

    #[test]
    fn section_parse_gives_a_section_or_a_problem_at_a_line_of_the_file(text in content_text(SECTION_KEYS)) {
        let f = PathBuf::from("content/notices/_index.md");
        let (f2, t) = (f.clone(), text.clone());
        let result = within("Section::parse", move || {
            Section::parse(&f2, "notices/_index.md", t).map(|(s, w)| (s.raw, s.path, w))
        });
        match result {
            Ok((raw, path, warnings)) => {
                prop_assert!(text.ends_with(&raw));
                prop_assert_eq!(path, "/notices/");
                for w in &warnings {
                    assert_located(w, &f)?;
                }
            }
            Err(p) => assert_located(&p, &f)?,
        }
    }
}

/// A front-matter date as zhibu documents it: a day, a local date-time (taken at +08:00) or a
/// date-time with an offset, with or without fractions of a second; written as a TOML date or
/// as a string.
#[derive(Debug, Clone)]
struct DateValue {
    text: String,
    instant: DateTime<FixedOffset>,
    date_only: bool,
    as_string: bool,
}

fn date_value() -> impl Strategy<Value = DateValue> {
    date_value_in(1..=9999)
}

fn date_value_in(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = DateValue> {
    (
        (years, 1u32..=12, 1u32..=31)
            .prop_filter_map("a real day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
        prop::option::of((0u32..24, 0u32..60, 0u32..60, prop::option::of(0u32..1_000_000))),
        prop::option::of((-(23 * 60 + 59)..=(23 * 60 + 59)).prop_map(|m: i32| m)),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(day, time, offset_minutes, space, as_string)| {
            let china = FixedOffset::east_opt(8 * 3600).unwrap();
            let Some((h, mi, s, micros)) = time else {
                let instant = china.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap()).unwrap();
                return DateValue {
                    text: day.format("%Y-%m-%d").to_string(),
                    instant,
                    date_only: true,
                    as_string,
                };
            };
            let nanos = micros.map(|m| m * 1000).unwrap_or(0);
            let naive = day.and_time(NaiveTime::from_hms_nano_opt(h, mi, s, nanos).unwrap());
            let mut text = naive.format("%Y-%m-%dT%H:%M:%S").to_string();
            if let Some(m) = micros {
                text.push_str(&format!(".{m:06}"));
            }
            if space && as_string {
                text = text.replacen('T', " ", 1);
            }
            let (offset, suffix) = match offset_minutes {
                None => (china, String::new()),
                Some(0) => (FixedOffset::east_opt(0).unwrap(), "Z".to_string()),
                Some(m) => {
                    let sign = if m < 0 { '-' } else { '+' };
                    (
                        FixedOffset::east_opt(m * 60).unwrap(),
                        format!("{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60),
                    )
                }
            };
            text.push_str(&suffix);
            let instant = offset.from_local_datetime(&naive).unwrap();
            DateValue { text, instant, date_only: false, as_string }
        })
}

fn toml_date(d: &DateValue) -> toml::Value {
    if d.as_string {
        toml::Value::String(d.text.clone())
    } else {
        toml::Value::Datetime(d.text.replacen(' ', "T", 1).parse().unwrap())
    }
}

/// Free-form values as editors put them under `[extra]` (no floats: NaN is not equal to itself).
fn toml_value() -> impl Strategy<Value = toml::Value> {
    let leaf = prop_oneof![
        any::<String>().prop_map(toml::Value::String),
        any::<i64>().prop_map(toml::Value::Integer),
        any::<bool>().prop_map(toml::Value::Boolean),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(toml::Value::Array),
            prop::collection::btree_map("[a-z_][a-z0-9_]{0,6}|\\PC{1,4}", inner, 0..4)
                .prop_map(|m| toml::Value::Table(m.into_iter().collect())),
        ]
    })
}

fn toml_table() -> impl Strategy<Value = toml::Table> {
    prop::collection::btree_map("[a-z_][a-z0-9_]{0,6}|\\PC{1,4}", toml_value(), 0..4)
        .prop_map(|m| m.into_iter().collect())
}

#[derive(Debug, Clone)]
struct PageValues {
    title: Option<String>,
    description: Option<String>,
    date: Option<DateValue>,
    updated: Option<DateValue>,
    draft: bool,
    slug: Option<String>,
    path: Option<String>,
    aliases: Vec<String>,
    weight: Option<i64>,
    template: Option<String>,
    authors: Vec<String>,
    taxonomies: BTreeMap<String, Vec<String>>,
    extra: toml::Table,
}

fn page_values() -> impl Strategy<Value = PageValues> {
    (
        (
            prop::option::of(any::<String>()),
            prop::option::of(any::<String>()),
            prop::option::of(date_value()),
            prop::option::of(date_value()),
            any::<bool>(),
            prop::option::of(
                "[A-Za-z0-9 党é_-]{0,12}"
                    .prop_filter("a slug with something left", |s| !path_slug(s).is_empty()),
            ),
            prop::option::of("[a-z/]{0,12}"),
        ),
        (
            prop::collection::vec(any::<String>(), 0..3),
            prop::option::of(any::<i64>()),
            prop::option::of("[a-z]{1,8}\\.html"),
            prop::collection::vec(any::<String>(), 0..3),
            prop::collection::btree_map(
                "tags|categories|\\PC{1,5}",
                prop::collection::vec(any::<String>(), 0..3),
                0..3,
            ),
            toml_table(),
        ),
    )
        .prop_map(
            |(
                (title, description, date, updated, draft, slug, path),
                (aliases, weight, template, authors, taxonomies, extra),
            )| {
                PageValues {
                    title,
                    description,
                    date,
                    updated,
                    draft,
                    slug,
                    path,
                    aliases,
                    weight,
                    template,
                    authors,
                    taxonomies,
                    extra,
                }
            },
        )
}

impl PageValues {
    fn front_matter(&self) -> String {
        let mut t = toml::Table::new();
        let mut put = |k: &str, v: Option<toml::Value>| {
            if let Some(v) = v {
                t.insert(k.to_string(), v);
            }
        };
        put("title", self.title.clone().map(toml::Value::String));
        put("description", self.description.clone().map(toml::Value::String));
        put("date", self.date.as_ref().map(toml_date));
        put("updated", self.updated.as_ref().map(toml_date));
        put("draft", self.draft.then_some(toml::Value::Boolean(true)));
        put("slug", self.slug.clone().map(toml::Value::String));
        put("path", self.path.clone().map(toml::Value::String));
        put("aliases", Some(toml::Value::try_from(&self.aliases).unwrap()));
        put("weight", self.weight.map(toml::Value::Integer));
        put("template", self.template.clone().map(toml::Value::String));
        put("authors", Some(toml::Value::try_from(&self.authors).unwrap()));
        put("taxonomies", Some(toml::Value::try_from(&self.taxonomies).unwrap()));
        put("extra", Some(toml::Value::Table(self.extra.clone())));
        toml::to_string(&t).unwrap()
    }
}

fn same_date(got: Option<&Date>, want: Option<&DateValue>) -> Result<(), TestCaseError> {
    match (got, want) {
        (None, None) => Ok(()),
        (Some(g), Some(w)) => {
            prop_assert_eq!(g.instant, w.instant, "{} read as {}", &w.text, g.rfc3339());
            prop_assert_eq!(g.instant.offset(), w.instant.offset());
            prop_assert_eq!(g.date_only, w.date_only);
            Ok(())
        }
        (g, w) => Err(TestCaseError::fail(format!("date {g:?}, expected {w:?}"))),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn page_front_matter_that_zhibu_could_write_parses_back_to_the_same_values(
        v in page_values(),
        body in any_text(200),
    ) {
        let fm = v.front_matter();
        // A multi-line string may hold a line that is exactly `+++`; like Zola, the first such
        // line closes the front matter. Not what an editor writes; left out here.
        prop_assume!(!fm.lines().any(|l| l.trim_end() == "+++"));
        let text = format!("+++\n{fm}+++\n{body}");
        let f = file();
        let (page, warnings) = Page::parse(&f, "notices/a.md", text.clone())
            .map_err(|p| TestCaseError::fail(format!("{p}\n--- front matter:\n{fm}")))?;
        prop_assert!(warnings.is_empty(), "{:?}", warnings);
        let m = &page.meta;
        prop_assert_eq!(&m.title, &v.title);
        prop_assert_eq!(&m.description, &v.description);
        same_date(m.date.as_ref(), v.date.as_ref())?;
        same_date(m.updated.as_ref(), v.updated.as_ref())?;
        prop_assert_eq!(m.draft, v.draft);
        prop_assert_eq!(&m.slug, &v.slug);
        prop_assert_eq!(&m.path, &v.path);
        prop_assert_eq!(&m.aliases, &v.aliases);
        prop_assert_eq!(m.weight, v.weight);
        prop_assert_eq!(&m.template, &v.template);
        prop_assert_eq!(&m.authors, &v.authors);
        prop_assert_eq!(&m.taxonomies, &v.taxonomies);
        prop_assert_eq!(&m.extra, &v.extra);
        prop_assert_eq!(&page.raw, &body);
        prop_assert_eq!(page.body_line, 3 + fm.matches('\n').count());
        if let Some(slug) = &v.slug {
            prop_assert_eq!(&page.slug, &path_slug(slug));
        }
    }

    #[test]
    fn a_date_is_read_as_the_instant_it_names(d in date_value()) {
        let got = Date::parse(&d.text);
        same_date(got.as_ref(), Some(&d))?;
    }

    #[test]
    fn date_parse_never_panics(text in prop_oneof![any_text(40), soup(FRONT_MATTER_PIECES, 6)]) {
        let _ = within("Date::parse", move || Date::parse(&text));
    }
}

// ---------------------------------------------------------------------------------------------
// config.toml

#[rustfmt::skip]
const CONFIG_PIECES: &[&str] = &[
    "base_url", "title", "description", "default_language", "theme", "output_dir", "taxonomies",
    "generate_feeds", "feed_filenames", "feed_limit", "generate_sitemap", "ignored_content",
    "exclude_paginated_pages_in_sitemap", "compile_sass", "build_search_index", "languages", "[markdown]",
    "[markdown.highlighting]", "[extra]", "[[taxonomies]]", "highlighting", "style", "theme",
    "error_on_missing_language", "render_emoji", "name", "paginate_by", "feed", "lang", " = ",
    "\"https://a.cn\"", "\"\"", "\"[\"", "[\"*.draft.md\"]", "[\"[\"]", "\"class\"", "\"inline\"", "0", "1",
    "-1", "true", "[]", "[{name = \"tags\", paginate_by = 0}]", "[{name = \" \"}]", "{name = \"tags\"}",
    "\"all\"", "\"some\"", "\n", "\r\n", "#", "\"", "[", "]", "{", "}", ",", ".", "党",
];

/// `config.toml` as `key = value` lines and tables, each key at most once, values of the right
/// and of wrong types.
fn config_lines() -> impl Strategy<Value = String> {
    fn line(keys: &'static [&'static str]) -> impl Strategy<Value = (&'static str, &'static str)> {
        let values = prop_oneof![
            3 => prop::sample::select(&[
                "\"https://a.cn\"", "\"\"", "\"x\"", "true", "false", "1", "0", "[]", "[\"*.draft.md\"]",
                "[\"[\"]", "\"class\"", "\"all\"", "\"some\"",
            ][..]),
            1 => prop::sample::select(CONFIG_PIECES),
        ];
        (prop::sample::select(keys), values)
    }
    let lines = |keys| {
        prop::collection::vec(line(keys), 0..5).prop_map(|lines| {
            let mut seen = HashSet::new();
            lines
                .into_iter()
                .filter(|(k, _)| seen.insert(*k))
                .map(|(k, v)| format!("{k} = {v}\n"))
                .collect::<String>()
        })
    };
    (
        prop::sample::select(&["base_url = \"https://a.cn\"\n", ""][..]),
        lines(&[
            "title",
            "description",
            "default_language",
            "theme",
            "output_dir",
            "generate_feeds",
            "feed_filenames",
            "feed_limit",
            "generate_sitemap",
            "generate_robots_txt",
            "ignored_content",
            "exclude_paginated_pages_in_sitemap",
            "compile_sass",
            "titel",
            "\"title\"",
        ]),
        prop::sample::select(
            &[
                "",
                "taxonomies = [{name = \"tags\", paginate_by = 10}]\n",
                "taxonomies = [{name = \"tags\", colour = 1}]\n",
                "taxonomies = [{name = \"\"}]\n",
                "taxonomies = [{paginate_by = 1}]\n",
                "taxonomies = 1\n",
                "taxonomies = [{name = \"tags\", paginate_by = 0}]\n",
            ][..],
        ),
        prop::option::of(lines(&[
            "smart_punctuation",
            "external_links_target_blank",
            "bottom_footnotes",
            "render_emoji",
            "colour",
        ])),
        prop::option::of(lines(&["theme", "style", "error_on_missing_language", "extra_grammars", "colour"])),
        prop::sample::select(&["", "[extra]\nbranch_name = \"支部\"\n", "extra = 1\n"][..]),
    )
        .prop_map(|(base, top, taxonomies, markdown, highlighting, extra)| {
            let mut text = format!("{base}{top}{taxonomies}");
            if let Some(m) = markdown {
                text.push_str(&format!("[markdown]\n{m}"));
            }
            if let Some(h) = highlighting {
                text.push_str(&format!("[markdown.highlighting]\n{h}"));
            }
            text.push_str(extra);
            text
        })
}

fn config_values() -> impl Strategy<Value = Config> {
    let taxonomy = (
        "[a-z]{1,8}|\\PC{1,4}",
        prop::option::of(1usize..1000),
        prop::option::of("[a-z]{1,6}"),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_filter("a name", |t| !t.0.trim().is_empty())
        .prop_map(|(name, paginate_by, paginate_path, feed, render)| TaxonomyConfig {
            name,
            paginate_by,
            paginate_path,
            feed,
            render,
            lang: None,
        });
    let markdown = (
        prop::option::of((
            prop::option::of("[a-z-]{1,12}"),
            prop::option::of(prop::sample::select(&["class", "inline"][..])),
            any::<bool>(),
        )),
        any::<[bool; 6]>(),
    )
        .prop_map(|(h, b)| Markdown {
            highlighting: h.map(|(theme, style, error_on_missing_language)| Highlighting {
                theme,
                light_theme: None,
                dark_theme: None,
                style: style.map(str::to_string),
                error_on_missing_language,
            }),
            smart_punctuation: b[0],
            external_links_target_blank: b[1],
            external_links_no_follow: b[2],
            external_links_no_referrer: b[3],
            bottom_footnotes: b[4],
            definition_list: b[5],
        });
    (
        (
            "https?://[a-z]{1,10}\\.cn/?",
            prop::option::of(any::<String>()),
            prop::option::of(any::<String>()),
            "[a-z]{2}(-[A-Z]{2})?",
            prop::option::of("[a-z]{1,8}"),
            "[a-z]{1,8}",
            prop::option::of(any::<String>()),
        ),
        (
            prop::collection::vec(taxonomy, 0..3),
            any::<[bool; 3]>(),
            prop::collection::vec("[a-z]{1,6}\\.xml", 0..3),
            prop::option::of(1usize..100),
            prop::sample::select(&["none", "all"][..]),
            prop::collection::vec("(\\*\\*/)?[a-z*]{1,6}(\\.md)?", 0..3),
            markdown,
            toml_table(),
        ),
    )
        .prop_map(
            |(
                (base_url, title, description, default_language, theme, output_dir, author),
                (taxonomies, flags, feed_filenames, feed_limit, exclude, ignored_content, markdown, extra),
            )| Config {
                base_url,
                title,
                description,
                default_language,
                theme,
                output_dir,
                author,
                taxonomies,
                generate_feeds: flags[0],
                feed_filenames,
                feed_limit,
                generate_sitemap: flags[1],
                generate_robots_txt: flags[2],
                exclude_paginated_pages_in_sitemap: exclude.to_string(),
                ignored_content,
                markdown,
                extra,
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn config_parse_gives_a_config_or_a_problem_naming_config_toml(
        text in prop_oneof![1 => any_text(300), 1 => soup(CONFIG_PIECES, 50), 3 => config_lines()],
    ) {
        let t = text.clone();
        let result = within("Config::parse", move || Config::parse(Path::new("config.toml"), &t).map(|(_, w)| w));
        let problems = match result {
            Ok(warnings) => warnings,
            Err(p) => vec![p],
        };
        for p in problems {
            prop_assert_eq!(p.file.as_deref(), Some(Path::new("config.toml")), "{:?}", p);
            prop_assert!(!p.message.trim().is_empty());
            // What is wrong in the text itself is located; what is missing (`base_url`) cannot be.
            let in_the_text = ["invalid TOML", "invalid configuration", "unknown setting"];
            if in_the_text.iter().any(|m| p.message.starts_with(m)) {
                prop_assert!(p.line.is_some(), "problem without a line: {:?}", p);
            }
            if let Some(line) = p.line {
                prop_assert!(line >= 1 && line <= text.lines().count().max(1), "line {} of {:?}", line, text);
            }
        }
    }

    #[test]
    fn a_config_that_zhibu_could_write_parses_back_to_the_same_values(c in config_values()) {
        let text = toml::to_string(&c).unwrap();
        let (parsed, _) = Config::parse(Path::new("config.toml"), &text)
            .map_err(|p| TestCaseError::fail(format!("{p}\n--- config.toml:\n{text}")))?;
        prop_assert_eq!(parsed, c);
    }
}

// ---------------------------------------------------------------------------------------------
// Shortcodes

/// A shortcode argument value that zhibu can write, with how it is written.
fn arg_value() -> impl Strategy<Value = (serde_json::Value, String)> {
    let leaf = prop_oneof![
        (prop::sample::select(&['"', '\'', '`'][..]), any::<String>()).prop_map(|(q, s)| {
            let s: String = s.chars().filter(|c| *c != q).collect();
            (serde_json::Value::String(s.clone()), format!("{q}{s}{q}"))
        }),
        any::<i64>().prop_map(|i| (serde_json::json!(i), i.to_string())),
        any::<bool>().prop_map(|b| (serde_json::json!(b), b.to_string())),
        any::<f64>()
            .prop_filter("finite, and not an integer in disguise", |f| f.is_finite() && f.fract() != 0.0)
            .prop_map(|f| (serde_json::json!(f), format!("{f:?}"))),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        (prop::collection::vec(inner, 0..4), prop::sample::select(&[",", ", ", " ,\n"][..])).prop_map(
            |(items, sep)| {
                let value = serde_json::Value::Array(items.iter().map(|(v, _)| v.clone()).collect());
                let text = items.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(sep);
                (value, format!("[{text}]"))
            },
        )
    })
}

#[derive(Debug, Clone)]
struct CallValues {
    name: String,
    args: BTreeMap<String, (serde_json::Value, String)>,
    body: Option<String>,
    before: String,
    after: String,
    pad: &'static str,
}

impl CallValues {
    fn text(&self) -> String {
        let args: Vec<String> =
            self.args.iter().map(|(k, (_, v))| format!("{k}{0}={0}{v}", self.pad)).collect();
        let head = format!("{}{}({}){}", self.pad, self.name, args.join(&format!(",{}", self.pad)), self.pad);
        match &self.body {
            None => format!("{}{{{{{head}}}}}{}", self.before, self.after),
            Some(b) => format!("{}{{%{head}%}}{b}{{% end %}}{}", self.before, self.after),
        }
    }
}

fn no_braces(max: usize) -> impl Strategy<Value = String> {
    any_text(max).prop_map(|s| s.replace('{', "("))
}

fn call_values() -> impl Strategy<Value = CallValues> {
    (
        "[A-Za-z_][A-Za-z0-9_]{0,10}".prop_filter("not the closing tag", |n| n != "end"),
        prop::collection::btree_map("[A-Za-z0-9_]{1,8}", arg_value(), 0..4),
        prop::option::of(no_braces(60)),
        no_braces(40),
        no_braces(40),
        prop::sample::select(&["", " ", "  ", "\n", "\u{3000}"][..]),
    )
        .prop_map(|(name, args, body, before, after, pad)| CallValues {
            name,
            args,
            body,
            before,
            after,
            pad,
        })
}

fn calls(pieces: &[Piece]) -> Vec<Call> {
    pieces.iter().filter_map(|p| if let Piece::Call(c) = p { Some(c.clone()) } else { None }).collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn shortcode_parse_gives_calls_inside_the_text_or_an_error_inside_it(
        text in prop_oneof![any_text(200), soup(SHORTCODE_PIECES, 40)],
    ) {
        let t = text.clone();
        let result = within("shortcodes::parse", move || {
            shortcodes::parse(&t).map(|pieces| {
                pieces.into_iter().map(|p| match p {
                    Piece::Text(s) => Err(s.into_owned()),
                    Piece::Call(c) => Ok(c),
                }).collect::<Vec<_>>()
            })
        });
        match result {
            Ok(pieces) => {
                let mut last_end = 0;
                let mut rebuilt = String::new();
                for piece in &pieces {
                    match piece {
                        Ok(call) => {
                            prop_assert!(last_end <= call.start && call.start < call.end && call.end <= text.len());
                            prop_assert!(text.is_char_boundary(call.start) && text.is_char_boundary(call.end));
                            let source = &text[call.start..call.end];
                            prop_assert!(source.starts_with("{{") || source.starts_with("{%"), "call source {:?}", source);
                            prop_assert!(source.ends_with("}}") || source.ends_with("%}"), "call source {:?}", source);
                            last_end = call.end;
                            rebuilt.push_str(source);
                        }
                        Err(t) => rebuilt.push_str(t),
                    }
                }
                // Only escapes (`{{/* x */}}` → `{{ x }}`) change the text.
                if !text.contains("/*") {
                    prop_assert_eq!(rebuilt, text);
                }
            }
            Err(e) => {
                prop_assert!(e.offset <= text.len(), "offset {} past the end", e.offset);
                prop_assert!(e.message.starts_with("shortcode `"), "{}", e.message);
            }
        }
    }

    #[test]
    fn a_shortcode_call_parses_back_to_its_name_arguments_and_body(c in call_values()) {
        let text = c.text();
        let pieces = shortcodes::parse(&text).map_err(|e| TestCaseError::fail(format!("{e:?} in {text:?}")))?;
        let found = calls(&pieces);
        prop_assert_eq!(found.len(), 1, "{:?}", pieces);
        let call = &found[0];
        prop_assert_eq!(&call.name, &c.name);
        let want: serde_json::Map<String, serde_json::Value> = c.args.iter().map(|(k, (v, _))| (k.clone(), v.clone())).collect();
        prop_assert_eq!(&call.args, &want);
        prop_assert_eq!(call.body.as_deref(), c.body.as_deref().map(|b| b.trim_matches('\n')));
        prop_assert_eq!(call.start, c.before.len());
        prop_assert_eq!(call.end, text.len() - c.after.len());
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown rendering

struct Ctx;

impl RenderContext for Ctx {
    fn resolve(&self, path: &str) -> Option<String> {
        (path == "notices/a.md").then(|| "https://x.cn/notices/a/".to_string())
    }

    fn shortcode(&self, call: &Call) -> Result<ShortcodeOutput, String> {
        match call.name.as_str() {
            "signin" => Ok(ShortcodeOutput::Html("<form class=\"signin\"></form>".into())),
            "tip" => Ok(ShortcodeOutput::Markdown(format!("> {}", call.body.clone().unwrap_or_default()))),
            // Markdown output longer than the call: the line map must still point into the file.
            "lines" => Ok(ShortcodeOutput::Markdown("一\n\n## 标题\n\n[x](@/nope.md)\n\n二\n".into())),
            other => Err(format!("shortcode `{other}` not found")),
        }
    }
}

fn markdown_options() -> impl Strategy<Value = Markdown> {
    (any::<[bool; 6]>(), prop::option::of(any::<bool>())).prop_map(|(b, h)| Markdown {
        highlighting: h.map(|error_on_missing_language| Highlighting {
            error_on_missing_language,
            ..Default::default()
        }),
        smart_punctuation: b[0],
        external_links_target_blank: b[1],
        external_links_no_follow: b[2],
        external_links_no_referrer: b[3],
        bottom_footnotes: b[4],
        definition_list: b[5],
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn markdown_renders_any_text_and_locates_every_problem_in_the_file(
        body in prop_oneof![any_text(300), soup(MARKDOWN_PIECES, 60)],
        body_line in 1usize..40,
        options in markdown_options(),
    ) {
        let b = body.clone();
        let r: Rendered = within("markdown::render", move || {
            let source = Source { file: Path::new("content/p.md"), body_line, permalink: "https://x.cn/p/" };
            markdown::render(&b, &source, &options, &Ctx)
        });
        let last_line = body_line + body.matches('\n').count();
        for p in r.problems.iter().chain(&r.warnings) {
            prop_assert_eq!(p.file.as_deref(), Some(Path::new("content/p.md")));
            let line = p.line.unwrap_or(0);
            prop_assert!((body_line..=last_line).contains(&line), "line {} outside {}..={}: {:?}", line, body_line, last_line, p);
        }
        for link in &r.links {
            prop_assert!((body_line..=last_line).contains(&link.line), "link line {} outside {}..={}", link.line, body_line, last_line);
        }
        prop_assert!(!r.html.contains("ZHIBUSHORTCODE"), "a placeholder left in {:?}", r.html);
        if !body.contains("{#") {
            let unique: HashSet<&String> = r.heading_ids.iter().collect();
            prop_assert_eq!(unique.len(), r.heading_ids.len(), "heading ids {:?}", r.heading_ids);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The catalog's declarations in front matter

#[rustfmt::skip]
const DECLARATION_PIECES: &[&str] = &[
    "[extra.signin]\n", "[extra.campaign]\n", "[extra.quiz_round]\n", "[[extra.quiz]]\n", "[extra]\n",
    "signin = 1\n", "campaign = \"x\"\n", "event = \"2026-12-09-remembrance\"\n", "event = \"Bad Id\"\n",
    "event = 3\n", "id = \"constitution-100\"\n", "id = \"-x-\"\n", "opens = 2026-12-09T07:00:00+08:00\n",
    "closes = 2026-12-09T22:00:00+08:00\n", "closes = 2026-12-08T22:00:00+08:00\n",
    "opens = \"2026-12-09 07:00\"\n", "closes = 07:00:00\n", "opens = \"tomorrow\"\n",
    "starts = 2026-12-01\n", "starts = 1\n", "days = 100\n", "days = 0\n", "days = 367\n", "days = -1\n",
    "days = 1.5\n", "geofence = { lat = 30.52, lon = 114.36, radius_m = 300 }\n",
    "geofence = { lat = nan, lon = 0, radius_m = 1 }\n", "geofence = { lat = 91, lon = 0, radius_m = 1 }\n",
    "geofence = { lat = 0, lon = 0, radius_m = inf }\n", "geofence = \"here\"\n", "question = \"问\"\n",
    "options = [\"a\", \"b\"]\n", "options = [\"a\"]\n", "options = []\n", "answer = 1\n", "answer = 3\n",
    "answer = -9223372036854775808\n", "source = \"党章\"\n", "explain = \"**粗** [x](@/a.md)\"\n",
    "schedule = \"data/x.toml\"\n", "colour = 1\n", "quiz = 1\n",
];

/// One `[extra.<table>]` with each of its keys at most once (else the TOML is refused before
/// the catalog sees it), in any order.
fn table(
    header: &'static str,
    keys: &'static [(&'static str, &'static [&'static str])],
) -> BoxedStrategy<String> {
    let lines: Vec<_> = keys
        .iter()
        .map(|(key, values)| {
            prop::option::of(prop::sample::select(*values))
                .prop_map(move |v| v.map(|v| format!("{key} = {v}\n")).unwrap_or_default())
        })
        .collect();
    lines.prop_shuffle().prop_map(move |lines| format!("{header}{}", lines.concat())).boxed()
}

const WINDOW_OPENS: &[&str] =
    &["2026-12-09T07:00:00+08:00", "\"2026-12-09 07:00\"", "07:00:00", "\"tomorrow\"", "2026-12-09", "[]"];
const WINDOW_CLOSES: &[&str] =
    &["2026-12-09T22:00:00+08:00", "2026-12-08T22:00:00+08:00", "2026-12-09T07:00:00+08:00", "1", "\"\""];
const IDS: &[&str] =
    &["\"2026-12-09-remembrance\"", "\"constitution-100\"", "\"Bad Id\"", "\"-ab\"", "\"\"", "3"];

/// `[extra.signin]`, `[extra.campaign]`, `[extra.quiz_round]` and `[[extra.quiz]]` with good and
/// bad values, or the tables written some other way, or a soup of their lines.
fn declarations() -> impl Strategy<Value = String> {
    let structured = (
        prop::option::of(table(
            "[extra.signin]\n",
            &[
                ("event", IDS),
                ("opens", WINDOW_OPENS),
                ("closes", WINDOW_CLOSES),
                (
                    "geofence",
                    &[
                        "{ lat = 30.52, lon = 114.36, radius_m = 300 }",
                        "{ lat = nan, lon = 0, radius_m = 1 }",
                        "{ lat = 91, lon = 0, radius_m = 1 }",
                        "{ lat = 0, lon = 0, radius_m = inf }",
                        "{ lat = 0, lon = 0 }",
                        "\"here\"",
                    ],
                ),
                ("colour", &["1"]),
            ],
        )),
        prop::option::of(table(
            "[extra.campaign]\n",
            &[
                ("id", IDS),
                ("starts", &["2026-12-01", "2026-12-01T08:00:00+08:00", "\"2026-12-01\"", "1", "\"soon\""]),
                ("days", &["100", "0", "366", "367", "-1", "1.5", "\"100\""]),
                ("schedule", &["\"data/x.toml\""]),
                ("colour", &["1"]),
            ],
        )),
        prop::option::of(table(
            "[extra.quiz_round]\n",
            &[("id", IDS), ("opens", WINDOW_OPENS), ("closes", WINDOW_CLOSES), ("colour", &["1"])],
        )),
        prop::collection::vec(
            table(
                "[[extra.quiz]]\n",
                &[
                    ("question", &["\"问\"", "\"\"", "1"]),
                    ("options", &["[\"a\", \"b\"]", "[\"a\"]", "[]", "[1, 2]", "\"a\""]),
                    ("answer", &["1", "2", "3", "0", "-9223372036854775808", "\"1\""]),
                    ("source", &["\"党章\"", "\"\""]),
                    ("explain", &["\"**粗** [x](@/a.md)\"", "\"<b>\"", "1"]),
                ],
            ),
            0..3,
        ),
    )
        .prop_map(|(signin, campaign, round, quiz)| {
            format!(
                "{}{}{}{}",
                signin.unwrap_or_default(),
                campaign.unwrap_or_default(),
                round.unwrap_or_default(),
                quiz.concat()
            )
        });
    let other_shapes = prop::collection::vec(
        prop::sample::select(
            &[
                "signin = 1\n",
                "campaign = \"x\"\n",
                "quiz_round = []\n",
                "quiz = 1\n",
                "signin = { event = \"abc\", opens = 2026-12-09T07:00:00+08:00 }\n",
                "campaign = { id = \"abc\", starts = 2026-12-01, days = 0 }\n",
            ][..],
        ),
        1..4,
    )
    .prop_map(|lines| format!("[extra]\n{}", lines.concat()));
    prop_oneof![6 => structured, 2 => other_shapes, 1 => soup(DECLARATION_PIECES, 14)]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn catalog_declarations_give_entries_or_problems_at_a_line_of_the_page(
        fm in declarations(),
    ) {
        let text = format!("+++\ntitle = \"活动\"\n{fm}+++\n正文\n");
        let f = file();
        let Ok((page, _)) = Page::parse(&f, "notices/a.md", text) else {
            // Not valid TOML: the front matter properties above cover that.
            return Ok(());
        };
        let (base, _) = Config::parse(Path::new("config.toml"), "base_url = \"https://x.cn\"").unwrap();
        let (catalog, problems) = within("catalog::build", move || {
            let (library, _) = Library::assemble(&base, Vec::new(), vec![page]);
            zhibu_generator::catalog::build(&library, &[Rendered::default()], &[Rendered::default()])
        });
        for p in problems.iter() {
            assert_located(p, &f)?;
            prop_assert!(p.line.unwrap() <= 3 + fm.matches('\n').count(), "line past the front matter: {:?}", p);
        }
        for e in &catalog.events {
            prop_assert!(e.opens < e.closes);
        }
        for c in &catalog.campaigns {
            prop_assert!((1..=366).contains(&c.days));
        }
    }

    #[test]
    fn a_declared_event_reaches_the_catalog_with_its_window(
        id in "[a-z0-9][a-z0-9-]{2,40}",
        opens in date_value_in(1970..=2100).prop_filter("a date-time", |d| !d.date_only),
        minutes in 1i64..100_000,
        geofence in prop::option::of((-90.0f64..=90.0, -180.0f64..=180.0, 1u32..=50_000)),
    ) {
        let closes = opens.instant + chrono::Duration::minutes(minutes);
        let mut fm = format!(
            "title = \"活动\"\n[extra.signin]\nevent = \"{id}\"\nopens = {}\ncloses = {}\n",
            opens.instant.to_rfc3339(),
            closes.to_rfc3339()
        );
        if let Some((lat, lon, r)) = geofence {
            fm.push_str(&format!("geofence = {{ lat = {lat:?}, lon = {lon:?}, radius_m = {r} }}\n"));
        }
        let text = format!("+++\n{fm}+++\n");
        let (page, _) = Page::parse(&file(), "notices/a.md", text).map_err(|p| TestCaseError::fail(p.to_string()))?;
        let (base, _) = Config::parse(Path::new("config.toml"), "base_url = \"https://x.cn\"").unwrap();
        let (library, _) = Library::assemble(&base, Vec::new(), vec![page]);
        let (catalog, problems) =
            zhibu_generator::catalog::build(&library, &[Rendered::default()], &[Rendered::default()]);
        prop_assert!(problems.is_empty(), "{:?}", problems);
        prop_assert_eq!(catalog.events.len(), 1);
        let e = &catalog.events[0];
        prop_assert_eq!(&e.id, &id);
        prop_assert_eq!(e.opens, opens.instant);
        prop_assert_eq!(e.closes, closes);
        prop_assert_eq!(e.geofence.as_ref().map(|g| (g.lat, g.lon, g.radius_m)), geofence.map(|(a, b, r)| (a, b, f64::from(r))));
    }
}

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
