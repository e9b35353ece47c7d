//! Front matter: the `+++` TOML block at the top of every content file (or YAML between `---`
//! lines, as Zola accepts it).
//!
//! Parsing is pure (`split` and `parse_*` take text). Unknown keys name the key and its line, and
//! where it belongs: a warning in a page (Zola ignores them there), an error in a section (Zola
//! rejects them there); Zola keys that zhibu does not implement are warnings.
//!
//! One mistake does not hide the others: every unknown key, every full-width quotation mark and
//! every value of the wrong type is reported, and what can still be read is kept (a line TOML
//! cannot read is left out) so that the page's body is checked too.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Deserialize;

use crate::messages::{self, KeyKind, Syntax};
use crate::problems::{Problem, Warnings};
pub use crate::strict_toml::Elsewhere;
use crate::strict_toml::{self, Keys, find_key_line};

/// A front-matter date as written (`2026-12-09` or `2026-12-09T19:00:00+08:00`) plus a sortable
/// value. Dates without an offset are taken in the branch's zone (Asia/Shanghai, +08:00).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub instant: DateTime<FixedOffset>,
    pub original: String,
    /// True when only a day was given.
    pub date_only: bool,
}

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let china = FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset");
        let text = text.trim();
        if let Ok(d) = DateTime::parse_from_rfc3339(text) {
            return Some(Date { instant: d, original: text.into(), date_only: false });
        }
        // `%.f`: optional fractions of a second, which TOML allows in a local date-time.
        for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
            if let Ok(n) = NaiveDateTime::parse_from_str(text, fmt) {
                let instant = n.and_local_timezone(china).single()?;
                return Some(Date { instant, original: text.into(), date_only: false });
            }
        }
        // YAML timestamps, as Zola reads them: `2026-12-09 19:00:00 +08:00`.
        for fmt in ["%Y-%m-%d %H:%M:%S%.f %:z", "%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M:%S%.f %:z"] {
            if let Ok(d) = DateTime::parse_from_str(text, fmt) {
                return Some(Date { instant: d, original: text.into(), date_only: false });
            }
        }
        let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        let instant = d.and_hms_opt(0, 0, 0)?.and_local_timezone(china).single()?;
        Some(Date { instant, original: text.into(), date_only: true })
    }

    /// RFC 3339 with offset, as feeds and sitemaps want.
    pub fn rfc3339(&self) -> String {
        self.instant.to_rfc3339()
    }

    /// `YYYY-MM-DD` in the date's own offset.
    pub fn ymd(&self) -> String {
        self.instant.format("%Y-%m-%d").to_string()
    }
}

/// Where the front matter and body are in a file's text.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// 1-based line of the first front-matter line.
    pub front_matter_line: usize,
    pub body: &'a str,
    /// 1-based line of the first body line.
    pub body_line: usize,
    /// True for YAML front matter between `---` lines (Zola accepts it), false for TOML.
    pub yaml: bool,
}

/// Splits `+++\n<toml>\n+++\n<body>`, or YAML between `---` lines, as Zola does: blank lines
/// (and other whitespace) before the opening line are allowed. A missing or unclosed block is
/// an error saying what to add.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    let skipped = text[..text.len() - trimmed.len()].matches('\n').count();
    let opening = 1 + skipped;
    let (fence, yaml) = if trimmed.starts_with("+++") {
        ("+++", false)
    } else if trimmed.starts_with("---") {
        ("---", true)
    } else {
        return Err(Problem::at(file, opening, messages::no_front_matter()));
    };
    let rest = trimmed[fence.len()..].trim_start_matches([' ', '\t']);
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .ok_or_else(|| Problem::at(file, opening, messages::opening_not_alone(fence)))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == fence {
            let front_matter = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let fm_lines = front_matter.matches('\n').count();
            return Ok(Split {
                front_matter,
                front_matter_line: opening + 1,
                body,
                body_line: opening + 1 + fm_lines + 1,
                yaml,
            });
        }
        offset += line.len();
    }
    Err(Problem::at(file, opening, messages::front_matter_not_closed(fence)))
}

impl Split<'_> {
    /// The line of `key` in the file (the front matter's first line when it is not written out).
    pub fn key_line(&self, key: &str) -> usize {
        let found = if self.yaml {
            yaml_key_line(self.front_matter, key)
        } else {
            find_key_line(self.front_matter, key)
        };
        found.map(|l| l + self.front_matter_line - 1).unwrap_or(self.front_matter_line)
    }

    /// The line in the file of line `line` of the front matter.
    fn file_line(&self, line: usize) -> usize {
        self.front_matter_line + line - 1
    }
}

/// Best-effort line of `key:` in YAML text (the key bare or quoted), for messages.
fn yaml_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ");
            let rest = l.strip_prefix(key).or_else(|| {
                let quote = l.chars().next().filter(|c| matches!(c, '"' | '\''))?;
                l[1..].strip_prefix(key)?.strip_prefix(quote)
            });
            rest.is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// YAML front matter as the same table TOML gives: nulls are left out (TOML has none), dates
/// stay strings (read as dates where a date is expected, as Zola does), keys that are numbers or
/// booleans become strings.
fn read_yaml(file: &Path, split: &Split) -> (toml::Table, Vec<Problem>) {
    let value = match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(split.front_matter) {
        Ok(v) => v,
        Err(e) => {
            let (line, column) = e.location().map_or((1, None), |l| (l.line(), Some(l.column())));
            let message = messages::toml_error(Syntax::FrontMatter, column, e.to_string().trim());
            return (toml::Table::new(), vec![Problem::at(file, split.file_line(line), message)]);
        }
    };
    match yaml_to_toml(value) {
        None => (toml::Table::new(), Vec::new()),
        Some(toml::Value::Table(t)) => (t, Vec::new()),
        Some(_) => (
            toml::Table::new(),
            vec![Problem::at(file, split.front_matter_line, messages::yaml_not_a_table())],
        ),
    }
}

fn yaml_to_toml(value: serde_yaml_ng::Value) -> Option<toml::Value> {
    use serde_yaml_ng::Value as Y;
    Some(match value {
        Y::Null => return None,
        Y::Bool(b) => toml::Value::Boolean(b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64()?),
        },
        Y::String(s) => toml::Value::String(s),
        Y::Sequence(items) => toml::Value::Array(items.into_iter().filter_map(yaml_to_toml).collect()),
        Y::Mapping(map) => toml::Value::Table(
            map.into_iter()
                .filter_map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        Y::Number(n) => n.to_string(),
                        Y::Bool(b) => b.to_string(),
                        _ => return None,
                    };
                    Some((key, yaml_to_toml(v)?))
                })
                .collect(),
        ),
        Y::Tagged(tagged) => return yaml_to_toml(tagged.value),
    })
}

/// A boolean key of the front matter as written (`in_search_index`), when it is one.
pub fn flag(split: &Split, key: &str) -> Option<bool> {
    let table = if split.yaml {
        read_yaml(Path::new(""), split).0
    } else {
        toml::from_str::<toml::Table>(split.front_matter).ok()?
    };
    table.get(key).and_then(toml::Value::as_bool)
}

/// The front matter as a table, as much of it as can be read, and what is wrong with it: each
/// line with full-width punctuation (read as if it were ASCII), then the first TOML error, with
/// its column (its line is left out and the rest read again, so that the page can still be
/// checked; errors after the first are usually its consequences and are not reported).
fn read_table(file: &Path, split: &Split) -> (toml::Table, Vec<Problem>) {
    if split.yaml {
        return read_yaml(file, split);
    }
    let (findings, fixed) = strict_toml::full_width(split.front_matter);
    let mut problems: Vec<Problem> = findings
        .iter()
        .map(|f| {
            Problem::at(
                file,
                split.file_line(f.line),
                messages::full_width(Syntax::FrontMatter, f.found, f.column, &f.fixed_line),
            )
        })
        .collect();
    let mut text = if findings.is_empty() { split.front_matter.to_string() } else { fixed };
    let mut reported = false;
    for _ in 0..=text.lines().count() {
        let e = match toml::from_str::<toml::Table>(&text) {
            Ok(table) => return (table, problems),
            Err(e) => e,
        };
        let Some((line, column)) = strict_toml::error_position(&text, &e) else { break };
        if !reported && !findings.iter().any(|f| f.line == line) {
            let message = messages::toml_error(Syntax::FrontMatter, Some(column), e.message().trim());
            problems.push(Problem::at(file, split.file_line(line), message));
        }
        reported = true;
        // Leave the line out and read the rest.
        text = text
            .split_inclusive('\n')
            .enumerate()
            .map(|(i, l)| if i + 1 == line { if l.ends_with('\n') { "\n" } else { "" } } else { l })
            .collect();
    }
    if problems.is_empty() {
        problems.push(Problem::at(file, split.front_matter_line, messages::invalid_front_matter()));
    }
    (toml::Table::new(), problems)
}

fn take_date(
    file: &Path,
    split: &Split,
    table: &mut toml::Table,
    key: &str,
) -> Result<Option<Date>, Problem> {
    let Some(value) = table.remove(key) else { return Ok(None) };
    let line = split.key_line(key);
    let text = match &value {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => return Err(Problem::at(file, line, messages::date_expected(key))),
    };
    Date::parse(&text).map(Some).ok_or_else(|| Problem::at(file, line, messages::not_a_date(key, &text)))
}

/// `[extra]` as written, taken out of the table (deserializing would turn its dates into
/// strings). Not a table is a problem at its line.
fn take_extra(
    file: &Path,
    split: &Split,
    table: &mut toml::Table,
    problems: &mut Vec<Problem>,
) -> toml::Table {
    match table.remove("extra") {
        None => toml::Table::new(),
        Some(toml::Value::Table(t)) => t,
        Some(other) => {
            problems.push(Problem::at(
                file,
                split.key_line("extra"),
                messages::extra_not_a_table(other.type_str()),
            ));
            toml::Table::new()
        }
    }
}

/// Deserializes the checked table. A value of the wrong type is a problem at its key's line and
/// is left out (the others are still read).
fn deserialize<T: for<'de> Deserialize<'de> + Default>(
    file: &Path,
    split: &Split,
    mut table: toml::Table,
    problems: &mut Vec<Problem>,
) -> T {
    if let Ok(value) = table.clone().try_into() {
        return value;
    }
    let keys: Vec<String> = table.keys().cloned().collect();
    for key in keys {
        let Some(value) = table.get(&key) else { continue };
        let alone = toml::Table::from_iter([(key.clone(), value.clone())]);
        if let Err(e) = alone.try_into::<T>() {
            problems.push(Problem::at(
                file,
                split.key_line(&key),
                messages::wrong_type(&key, e.message().trim()),
            ));
            table.remove(&key);
        }
    }
    table.try_into().unwrap_or_default()
}

/// Taxonomies are lists of names: `tags = ["党费"]`. A value that is not is a problem at its
/// line and left out; a page key written under `[taxonomies]` says so.
fn check_taxonomies(file: &Path, split: &Split, table: &mut toml::Table, problems: &mut Vec<Problem>) {
    let Some(toml::Value::Table(taxonomies)) = table.get_mut("taxonomies") else { return };
    taxonomies.retain(|name, value| {
        let names = value.as_array().is_some_and(|a| a.iter().all(toml::Value::is_str));
        if !names {
            let message = if PAGE_KEYS.contains(&name) {
                messages::key_under_wrong_table(name, "taxonomies")
            } else {
                messages::taxonomy_not_a_list(name)
            };
            problems.push(Problem::at(file, split.key_line(name), message));
        }
        names
    });
}

/// Page keys written under `[extra]` (after its header line): they do not set the page's value.
/// A key the theme reads from `[extra]` is left alone.
fn misplaced_in_extra(
    file: &Path,
    split: &Split,
    table: &toml::Table,
    elsewhere: &Elsewhere,
    warnings: &mut Warnings,
) {
    let Some(toml::Value::Table(extra)) = table.get("extra") else { return };
    for key in extra.keys() {
        let page_key = ["title", "description", "date", "updated", "draft", "slug", "weight", "template"];
        if page_key.contains(&key.as_str())
            && !table.contains_key(key)
            && !elsewhere.extra_keys.iter().any(|k| k == key)
        {
            warnings.push(Problem::at(
                file,
                split.key_line(key),
                messages::key_under_wrong_table(key, "extra"),
            ));
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct PageFields {
    title: Option<String>,
    description: Option<String>,
    draft: bool,
    render: Option<bool>,
    slug: Option<String>,
    path: Option<String>,
    aliases: Vec<String>,
    weight: Option<i64>,
    template: Option<String>,
    authors: Vec<String>,
    taxonomies: std::collections::BTreeMap<String, Vec<String>>,
    extra: toml::Table,
    // Checked separately (dates) or only warned about (not implemented yet).
    #[allow(dead_code)]
    date: Option<toml::Value>,
    #[allow(dead_code)]
    updated: Option<toml::Value>,
    in_search_index: Option<bool>,
}

/// A page's front matter.
#[derive(Debug, Clone, Default)]
pub struct PageFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    /// Zola's `render = false`: the page is listed in its section but gets no file of its own.
    pub render: bool,
    /// Zola's `in_search_index` (true unless set), read by the search index.
    pub in_search_index: bool,
    pub slug: Option<String>,
    pub path: Option<String>,
    pub aliases: Vec<String>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    pub authors: Vec<String>,
    pub taxonomies: std::collections::BTreeMap<String, Vec<String>>,
    pub extra: toml::Table,
}

const PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "render",
    "slug",
    "path",
    "aliases",
    "weight",
    "template",
    "authors",
    "taxonomies",
    "in_search_index",
    "extra",
];
const PAGE_NOT_YET: &[&str] = &[];
const PAGE: Keys = Keys { implemented: PAGE_KEYS, not_yet: PAGE_NOT_YET, prefix: "", kind: KeyKind::PageKey };

impl PageFrontMatter {
    /// The front matter, or the first of its problems.
    pub fn parse(file: &Path, split: &Split) -> Result<(PageFrontMatter, Warnings), Problem> {
        let (fm, warnings, problems) = Self::parse_all(file, split, &Elsewhere::default());
        match first(problems) {
            Some(p) => Err(p),
            None => Ok((fm, warnings)),
        }
    }

    /// The front matter as far as it can be read, its warnings and every problem found in it.
    /// `elsewhere` says where keys that are not page keys belong, for their messages.
    pub fn parse_all(
        file: &Path,
        split: &Split,
        elsewhere: &Elsewhere,
    ) -> (PageFrontMatter, Warnings, Vec<Problem>) {
        let (mut table, mut problems) = read_table(file, split);
        let mut warnings = Vec::new();
        // Zola ignores page keys it does not know, so a Zola site builds: each is a warning
        // saying where it belongs or which key was meant.
        let unknown = PAGE.check_all(&table, file, |key| Some(split.key_line(key)), &mut warnings, elsewhere);
        warnings.extend(unknown);
        table.retain(|k, _| PAGE_KEYS.contains(&k));
        let mut date_of = |key: &str, table: &mut toml::Table| {
            take_date(file, split, table, key).unwrap_or_else(|p| {
                problems.push(p);
                None
            })
        };
        let date = date_of("date", &mut table);
        let updated = date_of("updated", &mut table);
        check_taxonomies(file, split, &mut table, &mut problems);
        misplaced_in_extra(file, split, &table, elsewhere, &mut warnings);
        let extra = take_extra(file, split, &mut table, &mut problems);
        let f: PageFields = deserialize(file, split, table, &mut problems);
        (
            PageFrontMatter {
                title: f.title,
                description: f.description,
                date,
                updated,
                draft: f.draft,
                render: f.render.unwrap_or(true),
                in_search_index: f.in_search_index.unwrap_or(true),
                slug: f.slug,
                path: f.path,
                aliases: f.aliases,
                weight: f.weight,
                template: f.template,
                authors: f.authors,
                taxonomies: f.taxonomies,
                extra,
            },
            warnings,
            problems,
        )
    }
}

/// The problem of the smallest line.
fn first(problems: Vec<Problem>) -> Option<Problem> {
    problems.into_iter().min_by_key(|p| p.line)
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    #[default]
    None,
    Date,
    Weight,
    Title,
    Slug,
    #[serde(rename = "update_date")]
    UpdateDate,
}

/// A section's front matter (`_index.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SectionFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub sort_by: SortBy,
    pub weight: i64,
    pub template: Option<String>,
    pub page_template: Option<String>,
    pub paginate_by: Option<usize>,
    pub paginate_path: String,
    pub paginate_reversed: bool,
    pub transparent: bool,
    pub redirect_to: Option<String>,
    pub aliases: Vec<String>,
    pub draft: bool,
    pub render: bool,
    pub generate_feeds: bool,
    pub extra: toml::Table,
    /// Zola's: where the pages of this section (and the section) get a link to each heading.
    pub insert_anchor_links: Option<crate::config::InsertAnchor>,
    /// Read by the search index (search/mod.rs) from the raw front matter; typed here so that a
    /// wrong type is an error with its line.
    #[serde(skip_serializing)]
    #[allow(dead_code)]
    in_search_index: Option<bool>,
}

impl Default for SectionFrontMatter {
    fn default() -> Self {
        SectionFrontMatter {
            title: None,
            description: None,
            sort_by: SortBy::None,
            weight: 0,
            template: None,
            page_template: None,
            paginate_by: None,
            paginate_path: "page".into(),
            paginate_reversed: false,
            transparent: false,
            redirect_to: None,
            aliases: Vec::new(),
            draft: false,
            render: true,
            generate_feeds: false,
            extra: toml::Table::new(),
            insert_anchor_links: None,
            in_search_index: None,
        }
    }
}

const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "sort_by",
    "weight",
    "template",
    "page_template",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "transparent",
    "redirect_to",
    "aliases",
    "draft",
    "render",
    "generate_feeds",
    "in_search_index",
    "insert_anchor_links",
    "extra",
];
const SECTION_NOT_YET: &[&str] = &[];
const SECTION: Keys =
    Keys { implemented: SECTION_KEYS, not_yet: SECTION_NOT_YET, prefix: "", kind: KeyKind::SectionKey };

impl SectionFrontMatter {
    /// The front matter, or the first of its problems.
    pub fn parse(file: &Path, split: &Split) -> Result<(SectionFrontMatter, Warnings), Problem> {
        let (fm, warnings, problems) = Self::parse_all(file, split, &Elsewhere::default());
        match first(problems) {
            Some(p) => Err(p),
            None => Ok((fm, warnings)),
        }
    }

    /// The front matter as far as it can be read, its warnings and every problem found in it.
    pub fn parse_all(
        file: &Path,
        split: &Split,
        elsewhere: &Elsewhere,
    ) -> (SectionFrontMatter, Warnings, Vec<Problem>) {
        let (mut table, mut problems) = read_table(file, split);
        let mut warnings = Vec::new();
        // A section has no taxonomies, and the catalog reads its tables from pages only.
        let elsewhere = Elsewhere { taxonomies: Vec::new(), extra_tables: Vec::new(), ..elsewhere.clone() };
        problems.extend(SECTION.check_all(
            &table,
            file,
            |key| Some(split.key_line(key)),
            &mut warnings,
            &elsewhere,
        ));
        table.retain(|k, _| SECTION_KEYS.contains(&k) || SECTION_NOT_YET.contains(&k));
        let extra = take_extra(file, split, &mut table, &mut problems);
        let mut fm: SectionFrontMatter = deserialize(file, split, table, &mut problems);
        fm.extra = extra;
        if fm.paginate_by == Some(0) {
            problems.push(Problem::at(file, split.key_line("paginate_by"), messages::paginate_by_zero()));
            fm.paginate_by = None;
        }
        (fm, warnings, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Result<(PageFrontMatter, Warnings), Problem> {
        let f = Path::new("content/a.md");
        let s = split(f, text)?;
        PageFrontMatter::parse(f, &s)
    }

    #[test]
    fn split_finds_body_line() {
        let s = split(Path::new("a.md"), "+++\ntitle = \"x\"\n+++\nbody\n").unwrap();
        assert_eq!(s.front_matter, "title = \"x\"\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn page_without_front_matter_names_the_file() {
        let err = page("# 标题\n").unwrap_err();
        assert_eq!(err.file.as_deref(), Some(Path::new("content/a.md")));
        assert!(err.message.en().contains("must start with front matter"));
    }

    #[test]
    fn yaml_front_matter_is_read_like_toml() {
        let (fm, w) = page(
            "---\ntitle: 党费\ndate: 2026-12-09\nupdated: 2026-12-10 08:00:00 +08:00\ndraft: false\ntaxonomies:\n  tags: [党费, 通知]\nextra:\n  share: true\n---\n正文\n",
        )
        .unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(fm.title.as_deref(), Some("党费"));
        assert_eq!(fm.date.unwrap().rfc3339(), "2026-12-09T00:00:00+08:00");
        assert_eq!(fm.updated.unwrap().rfc3339(), "2026-12-10T08:00:00+08:00");
        assert_eq!(fm.taxonomies["tags"], ["党费", "通知"]);
        assert_eq!(fm.extra["share"].as_bool(), Some(true));
        let s = split(Path::new("a.md"), "---\ntitle: x\n---\nbody\n").unwrap();
        assert!(s.yaml);
        assert_eq!((s.front_matter, s.body, s.body_line), ("title: x\n", "body\n", 4));
    }

    #[test]
    fn yaml_mistakes_keep_their_file_line() {
        let err = page("---\ntitle: x\ndate: yesterday\n---\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.en().contains("not a date"), "{err}");
        let err = page("---\ntitle: x\nweight: [1\n---\n").unwrap_err();
        assert!(matches!(err.line, Some(3) | Some(4)), "{err}");
        assert!(err.message.en().starts_with("invalid front matter"), "{err}");
        let (_, w) = page("---\ntitle: x\ncolour: red\n---\n").unwrap();
        assert_eq!(w[0].line, Some(3), "{w:?}");
        assert!(page("---\ntitle: x\n").unwrap_err().message.en().contains("`---`"));
    }

    #[test]
    fn blank_lines_before_the_opening_line_are_allowed() {
        let s = split(Path::new("a.md"), "\n  \n+++\ntitle = \"x\"\nweight = \"no\"\n+++\nbody\n").unwrap();
        assert_eq!((s.front_matter_line, s.body_line), (4, 7));
        let err = page("\n\n+++\ntitle = \"x\"\nweight = \"no\"\n+++\n").unwrap_err();
        assert_eq!(err.line, Some(5), "{err}");
        assert_eq!(page("\n\n# 标题\n").unwrap_err().line, Some(3));
    }

    #[test]
    fn render_false_and_in_search_index_are_read() {
        let (fm, w) = page("+++\nrender = false\nin_search_index = false\n+++\n").unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert!(!fm.render && !fm.in_search_index);
        let (fm, _) = page("+++\n+++\n").unwrap();
        assert!(fm.render && fm.in_search_index);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = page("+++\ntitle = \"x\"\n").unwrap_err();
        assert!(err.message.en().contains("never closed"));
    }

    #[test]
    fn bad_toml_points_to_the_file_line() {
        let err = page("+++\ntitle = \"x\"\ndate = \n+++\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{}", err.message.en());
    }

    #[test]
    fn an_unknown_page_key_is_a_warning_with_its_line_as_zola_ignores_it() {
        let (fm, w) = page("+++\ntitle = \"x\"\ntitel = \"y\"\n+++\n").unwrap();
        assert_eq!(fm.title.as_deref(), Some("x"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(3));
        assert_eq!(w[0].message.en(), "unknown page front matter key `titel`; did you mean `title`?");
    }

    #[test]
    fn an_unknown_section_key_is_an_error_as_in_zola() {
        let f = Path::new("content/_index.md");
        let s = split(f, "+++\ntitle = \"x\"\nsort-by = \"date\"\n+++\n").unwrap();
        let err = SectionFrontMatter::parse(f, &s).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.en().contains("did you mean `sort_by`?"), "{err}");
    }

    #[test]
    fn wrong_type_names_the_key_line() {
        let err = page("+++\ntitle = \"x\"\nweight = \"heavy\"\n+++\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{}", err.message.en());
    }

    #[test]
    fn dates_parse_as_toml_dates_or_strings() {
        let (fm, _) = page("+++\ndate = 2026-12-09\nupdated = \"2026-12-10T08:00:00+08:00\"\n+++\n").unwrap();
        let d = fm.date.unwrap();
        assert!(d.date_only);
        assert_eq!(d.rfc3339(), "2026-12-09T00:00:00+08:00");
        assert_eq!(fm.updated.unwrap().ymd(), "2026-12-10");
    }

    #[test]
    fn bad_date_is_explained() {
        let err = page("+++\ndate = \"yesterday\"\n+++\n").unwrap_err();
        assert!(err.message.en().contains("not a date"));
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn in_search_index_is_a_key_of_pages_and_sections() {
        let (_, w) = page("+++\nin_search_index = false\n+++\n").unwrap();
        assert!(w.is_empty(), "{w:?}");
        let err = page("+++\ntitle = \"a\"\nin_search_index = \"no\"\n+++\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.en().contains("in_search_index"), "{err}");
    }

    fn page_all(text: &str) -> (PageFrontMatter, Vec<String>) {
        let f = Path::new("content/a.md");
        let s = split(f, text).unwrap();
        let (fm, _, problems) = PageFrontMatter::parse_all(f, &s, &Elsewhere::default());
        (fm, problems.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn every_problem_of_a_front_matter_is_found_and_the_rest_is_read() {
        let (fm, problems) = page_all(
            "+++\ntitle = \"党费\"\ncolour = 1\ndate = \nweight = \"heavy\"\nslug = \"dues\"\n[taxonomies]\ntags = \"党费\"\n[extra.signin]\nevent = \"x-event\"\n+++\n",
        );
        assert_eq!(
            problems,
            [
                "content/a.md:4: invalid front matter at column 8: string values must be quoted, expected literal string",
                "content/a.md:8: invalid front matter: taxonomy `tags` must be a list of names, e.g. tags = [\"党费\"]",
                "content/a.md:5: invalid front matter: `weight`: invalid type: string \"heavy\", expected i64",
            ]
        );
        assert_eq!(fm.title.as_deref(), Some("党费"));
        assert_eq!(fm.slug.as_deref(), Some("dues"));
        assert!(fm.extra.get("signin").is_some(), "the tables after the error are still read");
    }

    #[test]
    fn full_width_quotes_are_read_as_ascii_once_reported() {
        let (fm, problems) = page_all("+++\ntitle = “党费”\n+++\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("content/a.md:2: invalid front matter at column 9: `“`"),
            "{problems:?}"
        );
        assert_eq!(fm.title.as_deref(), Some("党费"));
    }

    #[test]
    fn dates_in_extra_stay_dates() {
        let (fm, problems) = page_all("+++\n[extra.signin]\nopens = 2026-12-09T07:00:00+08:00\n+++\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert!(fm.extra["signin"]["opens"].is_datetime());
    }

    #[test]
    fn section_sort_by_is_validated() {
        let f = Path::new("content/_index.md");
        let s = split(f, "+++\nsort_by = \"colour\"\n+++\n").unwrap();
        let err = SectionFrontMatter::parse(f, &s).unwrap_err();
        assert_eq!(err.line, Some(2), "{}", err.message.en());
    }
}
