//! Thought reports (思想汇报): the quarter a report is for, its title and text, the comments
//! of those who read it, and the rules of a report's life — a draft is the author's alone; a
//! submitted report can be withdrawn only until someone has read it; the author answers a
//! comment once.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::FieldError;
use super::notes::strip_invisible;

/// A calendar quarter, `2026Q4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1–4.
    pub q: u32,
}

impl Quarter {
    pub fn parse(s: &str) -> Option<Quarter> {
        let s = s.trim().to_ascii_uppercase();
        let (year, q) = s.split_once('Q')?;
        let (year, q) = (year.parse::<i32>().ok()?, q.parse::<u32>().ok()?);
        ((2000..=2100).contains(&year) && (1..=4).contains(&q) && s.len() == 6).then_some(Quarter { year, q })
    }

    /// A required `quarter` field.
    pub fn field(s: Option<&str>) -> Result<Quarter, FieldError> {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => Err(FieldError::new("quarter", "请选择季度")),
            Some(s) => Quarter::parse(s).ok_or_else(|| FieldError::new("quarter", "季度应形如 2026Q4")),
        }
    }

    pub fn of(date: NaiveDate) -> Quarter {
        Quarter { year: date.year(), q: (date.month() - 1) / 3 + 1 }
    }

    pub fn previous(self) -> Quarter {
        if self.q == 1 {
            Quarter { year: self.year - 1, q: 4 }
        } else {
            Quarter { year: self.year, q: self.q - 1 }
        }
    }

    pub fn next(self) -> Quarter {
        if self.q == 4 {
            Quarter { year: self.year + 1, q: 1 }
        } else {
            Quarter { year: self.year, q: self.q + 1 }
        }
    }

    /// Its first day.
    pub fn starts(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.q - 1) * 3 + 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// `2026年第四季度`.
    pub fn label(self) -> String {
        let q = ["一", "二", "三", "四"][(self.q as usize - 1).min(3)];
        format!("{}年第{q}季度", self.year)
    }

    /// The quarters from `first` to `last`, both included.
    pub fn range(first: Quarter, last: Quarter) -> Vec<Quarter> {
        let mut all = Vec::new();
        let mut q = first;
        while q <= last {
            all.push(q);
            q = q.next();
        }
        all
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

impl Serialize for Quarter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Quarter, D::Error> {
        let s = String::deserialize(d)?;
        Quarter::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a quarter: {s}")))
    }
}

pub const REPORT_TITLE_MAX_CHARS: usize = 60;
pub const REPORT_MIN_CHARS: usize = 200;
pub const REPORT_MAX_CHARS: usize = 10_000;
/// Photos of handwritten pages a report may have.
pub const REPORT_MAX_PAGES: usize = 8;
pub const COMMENT_MAX_CHARS: usize = 2_000;

/// A report's title and typed text as the author saves them. A draft may be unfinished (a short
/// text, no title yet); only the limits that protect the store apply. Submitting checks it whole
/// ([`check_complete`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportText {
    pub title: String,
    pub body: String,
}

impl ReportText {
    pub fn parse(title: Option<&str>, body: Option<&str>) -> Result<ReportText, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = strip_invisible(title.unwrap_or("")).trim().to_string();
        if title.chars().count() > REPORT_TITLE_MAX_CHARS {
            errors.push(FieldError::new("title", format!("标题最多 {REPORT_TITLE_MAX_CHARS} 个字")));
        }
        if title.chars().any(char::is_control) {
            errors.push(FieldError::new("title", "标题中含有无法显示的控制字符"));
        }
        let body = strip_invisible(body.unwrap_or("")).trim().to_string();
        let n = body.chars().count();
        if n > REPORT_MAX_CHARS {
            errors
                .push(FieldError::new("body", format!("正文最多 {REPORT_MAX_CHARS} 个字，现在是 {n} 个字")));
        }
        if body.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            errors.push(FieldError::new("body", "正文中含有无法显示的控制字符"));
        }
        if errors.is_empty() { Ok(ReportText { title, body }) } else { Err(errors) }
    }
}

/// What submitting needs: a title, and typed text of 200–10,000 characters or at least one
/// photographed page (or both; a short typed text next to photos is a caption and allowed).
pub fn check_complete(text: &ReportText, pages: usize) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if text.title.is_empty() {
        errors.push(FieldError::new("title", "请填写标题"));
    }
    let n = text.body.chars().count();
    if pages == 0 && n < REPORT_MIN_CHARS {
        errors.push(FieldError::new(
            "body",
            format!("正文至少 {REPORT_MIN_CHARS} 个字（现在是 {n} 个字），或上传手写稿照片"),
        ));
    }
    if pages > REPORT_MAX_PAGES {
        errors.push(FieldError::new("photo", format!("手写稿照片最多 {REPORT_MAX_PAGES} 张")));
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// A comment's or a reply's text: 1–2,000 characters, plain text.
pub fn comment_text(field: &str, s: Option<&str>) -> Result<String, FieldError> {
    let text = strip_invisible(s.unwrap_or("")).trim().to_string();
    let n = text.chars().count();
    if n == 0 {
        return Err(FieldError::new(field, "请填写内容"));
    }
    if n > COMMENT_MAX_CHARS {
        return Err(FieldError::new(field, format!("最多 {COMMENT_MAX_CHARS} 个字，现在是 {n} 个字")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(FieldError::new(field, "含有无法显示的控制字符"));
    }
    Ok(text)
}

/// Whether a quarter may be written for on `today`: the current quarter and earlier ones (a late
/// report is still a report), never one still to come.
pub fn quarter_open(quarter: Quarter, today: NaiveDate) -> bool {
    quarter <= Quarter::of(today)
}

/// The quarters a person at a reporting stage should have written for by `today`: every
/// quarter that has ended since `since` (their application, or the quarter they joined the
/// roster's record), at most the last `window` of them.
pub fn due_quarters(since: NaiveDate, today: NaiveDate, window: usize) -> Vec<Quarter> {
    let last = Quarter::of(today).previous();
    let first = Quarter::of(since);
    let all = Quarter::range(first, last);
    let skip = all.len().saturating_sub(window);
    all.into_iter().skip(skip).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn quarters_parse_print_and_step() {
        let q = Quarter::parse("2026q4").unwrap();
        assert_eq!(q.to_string(), "2026Q4");
        assert_eq!(q.next().to_string(), "2027Q1");
        assert_eq!(q.next().previous(), q);
        assert_eq!(Quarter::of(d("2026-11-30")), q);
        assert_eq!(q.starts(), d("2026-10-01"));
        assert_eq!(q.label(), "2026年第四季度");
        for bad in ["2026Q5", "2026Q0", "26Q1", "2026-Q1", "Q1", "2026Q12", ""] {
            assert!(Quarter::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(serde_json::to_string(&q).unwrap(), "\"2026Q4\"");
    }

    #[test]
    fn drafts_may_be_unfinished_but_submitting_needs_text_or_pages() {
        let draft = ReportText::parse(None, Some("刚开始写")).unwrap();
        let errors = check_complete(&draft, 0).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["title", "body"]);
        let photographed = ReportText { title: "第四季度思想汇报".into(), body: String::new() };
        assert!(check_complete(&photographed, 2).is_ok());
        let typed = ReportText { title: "第四季度思想汇报".into(), body: "学".repeat(200) };
        assert!(check_complete(&typed, 0).is_ok());
        assert!(ReportText::parse(Some("t"), Some(&"长".repeat(10_001))).is_err());
        assert_eq!(ReportText::parse(Some("a\u{200B}b"), None).unwrap().title, "ab");
    }

    #[test]
    fn future_quarters_are_not_open_and_due_quarters_end_before_today() {
        let today = d("2026-11-30");
        assert!(quarter_open(Quarter::parse("2026Q4").unwrap(), today));
        assert!(quarter_open(Quarter::parse("2025Q1").unwrap(), today));
        assert!(!quarter_open(Quarter::parse("2027Q1").unwrap(), today));
        let due: Vec<String> =
            due_quarters(d("2026-02-10"), today, 8).iter().map(|q| q.to_string()).collect();
        assert_eq!(due, ["2026Q1", "2026Q2", "2026Q3"]);
        assert_eq!(due_quarters(d("2020-01-01"), today, 4).len(), 4);
        assert!(due_quarters(d("2026-11-01"), today, 8).is_empty());
    }

    #[test]
    fn comments_are_plain_text_of_bounded_length() {
        assert_eq!(comment_text("body", Some("  很好  ")).unwrap(), "很好");
        assert_eq!(comment_text("body", Some(" ")).unwrap_err().field, "body");
        assert!(comment_text("reply", Some(&"x".repeat(2001))).is_err());
    }
}
