//! Front matter: the `+++` TOML block at the top of every content file.
//!
//! Parsing is pure (`split` and `parse_*` take text). Unknown keys are errors naming the key and
//! its line; Zola keys that zhibu does not implement are warnings.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Deserialize;

use crate::problems::{Problem, Warnings};
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
}

/// Splits `+++\n<toml>\n+++\n<body>`. A missing or unclosed block is an error saying what to add.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("+++") else {
        let hint = if text.starts_with("---") {
            "front matter must be TOML between `+++` lines (YAML `---` is not supported)"
        } else {
            "the file must start with front matter: a `+++` line, TOML such as title = \"...\", and a closing `+++` line"
        };
        return Err(Problem::at(file, 1, hint));
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .ok_or_else(|| Problem::at(file, 1, "the opening `+++` must be alone on its line"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front_matter = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let fm_lines = front_matter.matches('\n').count();
            return Ok(Split { front_matter, front_matter_line: 2, body, body_line: 2 + fm_lines + 1 });
        }
        offset += line.len();
    }
    Err(Problem::at(file, 1, "the front matter opened with `+++` is never closed: add a `+++` line after it"))
}

impl Split<'_> {
    /// The line of `key` in the file (the front matter's first line when it is not written out).
    pub fn key_line(&self, key: &str) -> usize {
        find_key_line(self.front_matter, key)
            .map(|l| l + self.front_matter_line - 1)
            .unwrap_or(self.front_matter_line)
    }

    /// A TOML error in the front matter, at its line in the file.
    fn toml_problem(&self, file: &Path, e: &toml::de::Error) -> Problem {
        let line = strict_toml::error_line(self.front_matter, e)
            .map(|l| self.front_matter_line + l - 1)
            .unwrap_or(self.front_matter_line);
        Problem::at(file, line, format!("invalid front matter: {}", e.message().trim()))
    }
}

fn parse_table(file: &Path, split: &Split) -> Result<toml::Table, Problem> {
    toml::from_str(split.front_matter).map_err(|e| split.toml_problem(file, &e))
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
        _ => return Err(Problem::at(file, line, format!("`{key}` must be a date such as 2026-12-09"))),
    };
    Date::parse(&text).map(Some).ok_or_else(|| {
        Problem::at(
            file,
            line,
            format!("`{key}` = {text} is not a date: write 2026-12-09 or 2026-12-09T19:00:00+08:00"),
        )
    })
}

/// Deserializes the front matter text itself (not the checked table) so type errors keep their
/// position in the file.
fn deserialize<T: for<'de> Deserialize<'de>>(file: &Path, split: &Split) -> Result<T, Problem> {
    toml::from_str(split.front_matter).map_err(|e| split.toml_problem(file, &e))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct PageFields {
    title: Option<String>,
    description: Option<String>,
    draft: bool,
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
    #[allow(dead_code)]
    in_search_index: Option<toml::Value>,
}

/// A page's front matter.
#[derive(Debug, Clone, Default)]
pub struct PageFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
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
    "slug",
    "path",
    "aliases",
    "weight",
    "template",
    "authors",
    "taxonomies",
    "extra",
];
const PAGE_NOT_YET: &[&str] = &["in_search_index"];
const PAGE: Keys = Keys {
    implemented: PAGE_KEYS,
    not_yet: PAGE_NOT_YET,
    prefix: "",
    noun: "page front matter key",
    known: "keys",
    zola: "page setting",
};

impl PageFrontMatter {
    pub fn parse(file: &Path, split: &Split) -> Result<(PageFrontMatter, Warnings), Problem> {
        let mut table = parse_table(file, split)?;
        let mut warnings = Vec::new();
        PAGE.check(&table, file, |key| Some(split.key_line(key)), &mut warnings)?;
        let date = take_date(file, split, &mut table, "date")?;
        let updated = take_date(file, split, &mut table, "updated")?;
        drop(table);
        let f: PageFields = deserialize(file, split)?;
        Ok((
            PageFrontMatter {
                title: f.title,
                description: f.description,
                date,
                updated,
                draft: f.draft,
                slug: f.slug,
                path: f.path,
                aliases: f.aliases,
                weight: f.weight,
                template: f.template,
                authors: f.authors,
                taxonomies: f.taxonomies,
                extra: f.extra,
            },
            warnings,
        ))
    }
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
    #[serde(skip_serializing)]
    #[allow(dead_code)]
    insert_anchor_links: Option<toml::Value>,
    #[allow(dead_code)]
    in_search_index: Option<toml::Value>,
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
    "extra",
];
const SECTION_NOT_YET: &[&str] = &["insert_anchor_links", "in_search_index"];
const SECTION: Keys = Keys {
    implemented: SECTION_KEYS,
    not_yet: SECTION_NOT_YET,
    prefix: "",
    noun: "section front matter key",
    known: "keys",
    zola: "section setting",
};

impl SectionFrontMatter {
    pub fn parse(file: &Path, split: &Split) -> Result<(SectionFrontMatter, Warnings), Problem> {
        let mut warnings = Vec::new();
        SECTION.check(&parse_table(file, split)?, file, |key| Some(split.key_line(key)), &mut warnings)?;
        let fm: SectionFrontMatter = deserialize(file, split)?;
        if fm.paginate_by == Some(0) {
            return Err(Problem::at(file, split.key_line("paginate_by"), "`paginate_by` must be at least 1"));
        }
        Ok((fm, warnings))
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
        assert!(err.message.contains("must start with front matter"));
    }

    #[test]
    fn yaml_front_matter_gets_a_specific_hint() {
        let err = page("---\ntitle: x\n---\n").unwrap_err();
        assert!(err.message.contains("YAML"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = page("+++\ntitle = \"x\"\n").unwrap_err();
        assert!(err.message.contains("never closed"));
    }

    #[test]
    fn bad_toml_points_to_the_file_line() {
        let err = page("+++\ntitle = \"x\"\ndate = \n+++\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{}", err.message);
    }

    #[test]
    fn unknown_key_is_an_error_with_line() {
        let err = page("+++\ntitle = \"x\"\ntitel = \"y\"\n+++\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("`titel`"));
    }

    #[test]
    fn wrong_type_names_the_key_line() {
        let err = page("+++\ntitle = \"x\"\nweight = \"heavy\"\n+++\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{}", err.message);
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
        assert!(err.message.contains("not a date"));
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn zola_key_not_implemented_warns() {
        let (_, w) = page("+++\nin_search_index = false\n+++\n").unwrap();
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn section_sort_by_is_validated() {
        let f = Path::new("content/_index.md");
        let s = split(f, "+++\nsort_by = \"colour\"\n+++\n").unwrap();
        let err = SectionFrontMatter::parse(f, &s).unwrap_err();
        assert_eq!(err.line, Some(2), "{}", err.message);
    }
}
