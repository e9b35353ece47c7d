//! Property tests of every generator parser that reads what editors write: front matter
//! (split, page, section), `config.toml`, shortcodes, Markdown rendering and the catalog's
//! `[extra.signin]` / `[extra.campaign]` / `[extra.quiz_round]` / `[extra.review]` declarations.
//!
//! For any input each parser returns a value or a problem naming the file (and, for front
//! matter, the line) — it never panics and never hangs — and what zhibu itself could have
//! written parses back to the same values. Runs as part of `cargo test`: 256 cases a property
//! by default, `PROPTEST_CASES=10000 cargo test --workspace --all-features --test suite properties::`
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
    prop_assert!(!p.message.en().trim().is_empty());
    Ok(())
}

mod catalog;
mod config;
mod pages;
mod regressions;
mod rendering;
mod shortcode_calls;

use pages::*;
