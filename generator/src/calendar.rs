//! The branch's year calendar as phone-calendar files: a page that names a calendar data file
//! (`[extra] calendar = "data/calendar.toml"`) gets, in its own folder, `calendar.ics` with
//! every dated item and `calendar-<audience>.ics` for each audience (its items and those for
//! `all`), in iCalendar (RFC 5545) that phones import or subscribe to. The theme's
//! `year_calendar()` shortcode shows the same file as tables and links to these files, so the
//! page and the files never disagree.
//!
//! The data file: `title`, `from`, `to`, `updated` (dates), `[audiences]` (id → who, in words),
//! `[[recurring]]` (monthly and quarterly duties: `starts`, and an `rrule` when the day is
//! fixed) and `[[events]]` (a `date`, or a `month = "YYYY-MM"` while it is `tentative`), each
//! with `id`, `title`, `kind`, `audience`, and optionally `who`, `rule`, `page` (`@/…`),
//! `place`, `note`, `all_day` or `start`/`end` (`"HH:MM"`, Beijing time). Every mistake is a
//! problem at its line of the data file.
//!
//! Written by hand rather than with the `icalendar` crate: that crate stamps each event with a
//! random UID and the current time, and a build must be deterministic. The subset written
//! here — VEVENT with DATE or UTC DATE-TIME, RRULE, text escaping and 75-octet folding — is
//! small and tested below.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone};
use serde::Deserialize;

use crate::content::Library;
use crate::data::{Body, OutputFile};
use crate::messages::{self, Syntax};
use crate::problems::Problem;
use crate::strict_toml::{self, find_key_line};

/// The `[extra]` key of a page that names its calendar data file.
pub const KEY: &str = "calendar";

/// The audience every member belongs to.
const EVERYONE: &str = "all";

/// RRULE parts a calendar may use (UNTIL is added from the file's `to`).
const RRULE_PARTS: &[&str] = &["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"];
const FREQS: &[&str] = &["DAILY", "WEEKLY", "MONTHLY", "YEARLY"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    title: String,
    from: toml::value::Datetime,
    to: toml::value::Datetime,
    updated: toml::value::Datetime,
    #[serde(default)]
    audiences: BTreeMap<String, String>,
    #[serde(default)]
    recurring: Vec<Item>,
    #[serde(default)]
    events: Vec<Item>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    id: String,
    title: String,
    kind: String,
    audience: Vec<String>,
    who: Option<String>,
    rule: Option<String>,
    page: Option<String>,
    place: Option<String>,
    note: Option<String>,
    #[serde(default)]
    tentative: bool,
    #[serde(default)]
    all_day: bool,
    start: Option<String>,
    end: Option<String>,
    // [[recurring]]
    starts: Option<toml::value::Datetime>,
    rrule: Option<String>,
    // [[events]]
    date: Option<toml::value::Datetime>,
    ends: Option<toml::value::Datetime>,
    month: Option<String>,
}

/// When an item happens, once checked.
#[derive(Debug, Clone, PartialEq)]
enum When {
    /// Whole days, `first..=last`, repeating by `rrule` when there is one.
    Days { first: NaiveDate, last: NaiveDate, rrule: Option<String> },
    /// A time of day in Beijing, repeating by `rrule` when there is one.
    At { date: NaiveDate, start: NaiveTime, end: Option<NaiveTime>, rrule: Option<String> },
    /// Not in the files: a month only, or a duty without a fixed day.
    Unplaced,
}

/// A page's calendar: its data file and where the page names it.
struct Use {
    data: String,
    /// The page's URL path (`/life/calendar/`).
    path: String,
    named_at: (PathBuf, usize),
}

fn uses(library: &Library) -> Vec<Use> {
    let mut uses = Vec::new();
    for page in &library.pages {
        let Some(data) = page.meta.extra.get(KEY).and_then(|v| v.as_str()) else { continue };
        let line = find_key_line(&page.front_matter, KEY)
            .map_or(page.front_matter_line, |l| page.front_matter_line + l - 1);
        uses.push(Use {
            data: data.to_string(),
            path: page.path.clone(),
            named_at: (page.file.clone(), line),
        });
    }
    uses
}

/// The files a build writes for the site's calendars (for the link check), from the audiences
/// of each data file that can be read.
pub fn planned(root: &Path, library: &Library) -> Vec<String> {
    let mut paths = Vec::new();
    for u in uses(library) {
        let Ok(text) = std::fs::read_to_string(root.join(u.data.trim_start_matches('/'))) else { continue };
        let Ok(file) = toml::from_str::<File>(&text) else { continue };
        paths.extend(
            file_names(&file).into_iter().map(|name| format!("{}{name}", u.path.trim_start_matches('/'))),
        );
    }
    paths
}

/// `calendar.ics` and one `calendar-<audience>.ics` per audience of `[audiences]` (the theme
/// links each).
fn file_names(file: &File) -> Vec<String> {
    std::iter::once("calendar.ics".to_string())
        .chain(file.audiences.keys().map(|a| format!("calendar-{a}.ics")))
        .collect()
}

/// The calendar files of the site, or every problem of its calendar data files. `permalink`
/// turns an `@/…` content path into the page's URL (`None` when there is no such file).
pub fn build(
    root: &Path,
    library: &Library,
    host: &str,
    permalink: &dyn Fn(&str) -> Option<String>,
) -> (Vec<OutputFile>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for u in uses(library) {
        let rel = PathBuf::from(u.data.trim_start_matches('/'));
        let text = match std::fs::read_to_string(root.join(&rel)) {
            Ok(text) => text,
            Err(_) => {
                let suggestion = crate::templates::functions::closest_data_file(root, &u.data);
                let reader = messages::Reader::YearCalendar;
                let message = messages::missing_data_file(&u.data, &reader, suggestion.as_deref());
                problems.push(Problem::at(u.named_at.0.clone(), u.named_at.1, message));
                continue;
            }
        };
        match check(&rel, &text, permalink) {
            Ok(calendar) => {
                for (name, audience) in calendar.files() {
                    let body = calendar.ics(audience, host, permalink).into_bytes();
                    let path = format!("{}{name}", u.path.trim_start_matches('/'));
                    files.push(OutputFile { path, body: Body::Bytes(body) });
                }
            }
            Err(p) => problems.extend(p),
        }
    }
    (files, problems)
}

/// A checked data file.
struct Calendar {
    file: File,
    whens: Vec<When>,
}

/// Checks a calendar data file (`rel` for its problems).
fn check(
    rel: &Path,
    text: &str,
    permalink: &dyn Fn(&str) -> Option<String>,
) -> Result<Calendar, Vec<Problem>> {
    let mut problems = Vec::new();
    let file: File = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let (line, column) = strict_toml::error_position(text, &e).unzip();
            let message = messages::toml_error(Syntax::Toml, column, e.message().trim());
            return Err(vec![Problem { line: line.or(Some(1)), ..Problem::in_file(rel, message) }]);
        }
    };
    let top = |key: &str| find_key_line(text, key).unwrap_or(1);
    let from = date_of(&file.from);
    let to = date_of(&file.to);
    for (key, value) in [("from", &file.from), ("to", &file.to), ("updated", &file.updated)] {
        if date_of(value).is_none() {
            problems.push(Problem::at(rel, top(key), messages::calendar_not_a_date(key, &value.to_string())));
        }
    }
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        problems.push(Problem::at(rel, top("to"), messages::calendar_to_before_from(f, t)));
    }
    let mut seen = BTreeSet::new();
    let mut whens = Vec::new();
    for (item, recurring) in
        file.recurring.iter().map(|i| (i, true)).chain(file.events.iter().map(|i| (i, false)))
    {
        let line = id_line(text, &item.id);
        let at = |key: &str| key_line(text, line, key);
        let mut fail = |key: &str, m| problems.push(Problem::at(rel, at(key), m));
        if !crate::catalog::valid_id(&item.id) {
            fail("id", messages::calendar_bad_id(&item.id));
        }
        if !seen.insert(item.id.as_str()) {
            fail("id", messages::calendar_id_twice(&item.id));
        }
        if item.audience.is_empty() {
            fail("audience", messages::calendar_no_audience(&item.id));
        }
        for a in &item.audience {
            if a != EVERYONE && !file.audiences.contains_key(a) {
                let known: Vec<&str> =
                    std::iter::once(EVERYONE).chain(file.audiences.keys().map(String::as_str)).collect();
                fail("audience", messages::calendar_unknown_audience(&item.id, a, &known));
            }
        }
        if let Some(page) = &item.page
            && permalink(page).is_none()
        {
            fail("page", messages::calendar_no_such_page(&item.id, page));
        }
        match when_of(item, recurring, from, to) {
            Ok(w) => whens.push(w),
            Err((key, m)) => {
                fail(key, m);
                whens.push(When::Unplaced);
            }
        }
    }
    if problems.is_empty() { Ok(Calendar { file, whens }) } else { Err(problems) }
}

fn date_of(d: &toml::value::Datetime) -> Option<NaiveDate> {
    match (d.date, d.time) {
        (Some(date), None) => NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into()),
        _ => None,
    }
}

fn time_of(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

/// The line of `id = "<id>"` in the data file.
fn id_line(text: &str, id: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim();
            l.strip_prefix("id")
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
                .is_some_and(|r| r.trim().trim_matches(|c| c == '"' || c == '\'') == id)
        })
        .map_or(1, |i| i + 1)
}

/// The line of `key = …` in the item whose `id` is on line `id_line` (its lines run from its
/// `[[…]]` header to the next header), else `id_line`.
fn key_line(text: &str, id_line: usize, key: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines[..id_line.saturating_sub(1).min(lines.len())]
        .iter()
        .rposition(|l| l.trim_start().starts_with('['))
        .map_or(0, |i| i + 1);
    let end = lines
        .iter()
        .skip(id_line)
        .position(|l| l.trim_start().starts_with('['))
        .map_or(lines.len(), |i| id_line + i);
    let item = lines[start..end].join("\n");
    find_key_line(&item, key).map_or(id_line, |l| start + l)
}

/// When an item happens (or the key at fault and what is wrong with it).
fn when_of(
    item: &Item,
    recurring: bool,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<When, (&'static str, messages::Text)> {
    let id = &item.id;
    let start = match &item.start {
        Some(s) => Some(time_of(s).ok_or_else(|| ("start", messages::calendar_bad_time(id, "start", s)))?),
        None => None,
    };
    let end = match &item.end {
        Some(s) => Some(time_of(s).ok_or_else(|| ("end", messages::calendar_bad_time(id, "end", s)))?),
        None => None,
    };
    if item.all_day && start.is_some() {
        return Err(("start", messages::calendar_all_day_and_start(id)));
    }
    if end.is_some() && start.is_none() {
        return Err(("end", messages::calendar_end_without_start(id)));
    }
    if let (Some(s), Some(e)) = (start, end)
        && e <= s
    {
        return Err(("end", messages::calendar_end_before_start(id)));
    }
    let in_range = |d: NaiveDate| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t);
    let first = if recurring {
        if item.date.is_some() || item.ends.is_some() || item.month.is_some() {
            return Err(("date", messages::calendar_recurring_keys(id)));
        }
        let Some(starts) = &item.starts else { return Err(("id", messages::calendar_starts_required(id))) };
        date_of(starts)
            .ok_or_else(|| ("starts", messages::calendar_not_a_date("starts", &starts.to_string())))?
    } else {
        if item.starts.is_some() || item.rrule.is_some() {
            return Err(("starts", messages::calendar_event_keys(id)));
        }
        match (&item.date, &item.month) {
            (Some(_), Some(_)) | (None, None) => return Err(("id", messages::calendar_date_or_month(id))),
            (None, Some(month)) => {
                let valid = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok();
                let Some(day) = valid else { return Err(("month", messages::calendar_bad_month(id, month))) };
                if !item.tentative {
                    return Err(("month", messages::calendar_month_not_tentative(id)));
                }
                if item.ends.is_some() || start.is_some() || item.all_day {
                    return Err(("month", messages::calendar_month_with_day(id)));
                }
                if !in_range(day) && !in_range(day + Duration::days(27)) {
                    return Err(("month", messages::calendar_outside(id, from, to)));
                }
                return Ok(When::Unplaced);
            }
            (Some(date), None) => date_of(date)
                .ok_or_else(|| ("date", messages::calendar_not_a_date("date", &date.to_string())))?,
        }
    };
    if !in_range(first) {
        return Err((if recurring { "starts" } else { "date" }, messages::calendar_outside(id, from, to)));
    }
    let rrule = match &item.rrule {
        Some(r) => Some(check_rrule(id, r).map_err(|m| ("rrule", m))?),
        None if recurring => return Ok(When::Unplaced),
        None => None,
    };
    match start {
        Some(start) => {
            if item.ends.is_some() {
                return Err(("ends", messages::calendar_ends_with_start(id)));
            }
            Ok(When::At { date: first, start, end, rrule })
        }
        None if item.all_day => {
            let last = match &item.ends {
                Some(e) => date_of(e)
                    .ok_or_else(|| ("ends", messages::calendar_not_a_date("ends", &e.to_string())))?,
                None => first,
            };
            if last < first {
                return Err(("ends", messages::calendar_ends_before_date(id)));
            }
            Ok(When::Days { first, last, rrule })
        }
        None => Err(("id", messages::calendar_time_or_all_day(id))),
    }
}

/// An RRULE of the parts a calendar may use, upper-cased; UNTIL and COUNT are refused (the
/// file's `to` ends every rule).
fn check_rrule(id: &str, rule: &str) -> Result<String, messages::Text> {
    let rule = rule.trim().to_ascii_uppercase();
    let mut freq = false;
    for part in rule.split(';') {
        let Some((key, value)) = part.split_once('=') else {
            return Err(messages::calendar_bad_rrule(id, part, RRULE_PARTS));
        };
        let fine = RRULE_PARTS.contains(&key)
            && !value.is_empty()
            && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ',' | '-' | '+'));
        if !fine {
            return Err(messages::calendar_bad_rrule(id, part, RRULE_PARTS));
        }
        if key == "FREQ" {
            if !FREQS.contains(&value) {
                return Err(messages::calendar_bad_rrule(id, part, RRULE_PARTS));
            }
            freq = true;
        }
    }
    if !freq {
        return Err(messages::calendar_bad_rrule(id, "FREQ", RRULE_PARTS));
    }
    Ok(rule)
}

impl Calendar {
    /// Each file's name and its audience (`None`: every item).
    fn files(&self) -> Vec<(String, Option<String>)> {
        file_names(&self.file)
            .into_iter()
            .map(|name| {
                let audience = name.strip_prefix("calendar-").and_then(|n| n.strip_suffix(".ics"));
                let audience = audience.map(str::to_string);
                (name, audience)
            })
            .collect()
    }

    /// The iCalendar text of the items for `audience` (with those for everyone), or of all.
    fn ics(
        &self,
        audience: Option<String>,
        host: &str,
        permalink: &dyn Fn(&str) -> Option<String>,
    ) -> String {
        let mut out = Ics::default();
        let name = match audience.as_deref().and_then(|a| self.file.audiences.get(a)) {
            Some(who) => format!("{}（{who}）", self.file.title),
            None => self.file.title.clone(),
        };
        out.line("BEGIN:VCALENDAR");
        out.line("VERSION:2.0");
        out.line("PRODID:-//zhibu//year calendar//ZH");
        out.line("CALSCALE:GREGORIAN");
        out.line("METHOD:PUBLISH");
        out.prop("NAME", &name);
        out.prop("X-WR-CALNAME", &name);
        out.line("X-WR-TIMEZONE:Asia/Shanghai");
        let stamp = date_of(&self.file.updated)
            .map_or_else(String::new, |d| format!("{}T000000Z", d.format("%Y%m%d")));
        let until = date_of(&self.file.to);
        let items = self.file.recurring.iter().chain(&self.file.events);
        for (item, when) in items.zip(&self.whens) {
            let wanted = match &audience {
                None => true,
                Some(a) => item.audience.iter().any(|x| x == a || x == EVERYONE),
            };
            if !wanted || *when == When::Unplaced {
                continue;
            }
            out.line("BEGIN:VEVENT");
            out.line(&format!("UID:{}@{host}", item.id));
            out.line(&format!("DTSTAMP:{stamp}"));
            match when {
                When::Days { first, last, rrule } => {
                    out.line(&format!("DTSTART;VALUE=DATE:{}", first.format("%Y%m%d")));
                    let after = *last + Duration::days(1);
                    out.line(&format!("DTEND;VALUE=DATE:{}", after.format("%Y%m%d")));
                    if let (Some(r), Some(u)) = (rrule, until) {
                        out.line(&format!("RRULE:{r};UNTIL={}", u.format("%Y%m%d")));
                    }
                }
                When::At { date, start, end, rrule } => {
                    out.line(&format!("DTSTART:{}", utc(*date, *start)));
                    if let Some(end) = end {
                        out.line(&format!("DTEND:{}", utc(*date, *end)));
                    }
                    if let (Some(r), Some(u)) = (rrule, until) {
                        let last = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(*start);
                        out.line(&format!("RRULE:{r};UNTIL={}", utc(u, last)));
                    }
                }
                When::Unplaced => {}
            }
            out.prop("SUMMARY", &item.title);
            let url = item.page.as_deref().and_then(permalink);
            let mut description = Vec::new();
            if let Some(rule) = &item.rule {
                description.push(rule.clone());
            }
            if let Some(who) = &item.who {
                description.push(format!("参加：{who}"));
            }
            if let Some(note) = &item.note {
                description.push(note.clone());
            }
            if item.tentative {
                description.push("暂定，以支部通知为准".to_string());
            }
            if let Some(url) = &url {
                description.push(format!("详见 {url}"));
            }
            out.prop("DESCRIPTION", &description.join("\n"));
            if let Some(place) = &item.place {
                out.prop("LOCATION", place);
            }
            out.prop("CATEGORIES", &item.kind);
            if let Some(url) = &url {
                out.line(&format!("URL:{url}"));
            }
            out.line(if item.tentative { "STATUS:TENTATIVE" } else { "STATUS:CONFIRMED" });
            out.line("TRANSP:TRANSPARENT");
            out.line("END:VEVENT");
        }
        out.line("END:VCALENDAR");
        out.text
    }
}

/// A Beijing date and time as a UTC DATE-TIME (`20261209T110000Z`).
fn utc(date: NaiveDate, time: NaiveTime) -> String {
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    let local =
        beijing.from_local_datetime(&date.and_time(time)).single().expect("a fixed offset has one time");
    local.with_timezone(&chrono::Utc).format("%Y%m%dT%H%M%SZ").to_string()
}

/// iCalendar text: CRLF line ends, lines folded at 75 octets (never inside a character).
#[derive(Default)]
struct Ics {
    text: String,
}

impl Ics {
    fn line(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            if width + c.len_utf8() > 75 {
                self.text.push_str("\r\n ");
                width = 1;
            }
            self.text.push(c);
            width += c.len_utf8();
        }
        self.text.push_str("\r\n");
    }

    /// A text property, escaped (RFC 5545 3.3.11).
    fn prop(&mut self, name: &str, value: &str) {
        let escaped = value
            .replace('\\', "\\\\")
            .replace(';', "\\;")
            .replace(',', "\\,")
            .replace("\r\n", "\\n")
            .replace('\n', "\\n");
        self.line(&format!("{name}:{escaped}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(path: &str) -> Option<String> {
        (path == "@/guide/dues.md").then(|| "https://x.cn/guide/dues/".to_string())
    }

    const FILE: &str = r#"title = "支部年历"
from = 2026-12-01
to = 2027-12-31
updated = 2026-11-30

[audiences]
party = "正式党员和预备党员"
committee = "支部委员"

[[recurring]]
id = "dues-monthly"
title = "交纳上个月的党费"
kind = "党费"
audience = ["party"]
rule = "每月 10 日前"
starts = 2026-12-10
rrule = "FREQ=MONTHLY;BYMONTHDAY=10"
all_day = true
page = "@/guide/dues.md"

[[recurring]]
id = "committee-monthly"
title = "支部委员会会议"
kind = "支委会"
audience = ["committee"]
starts = 2026-12-01

[[events]]
id = "2026-12-09-theme-day"
date = 2026-12-09
start = "19:00"
end = "20:30"
title = "纪念一二·九运动主题党日, 线上同步; 欢迎参加"
kind = "主题党日"
audience = ["all"]
place = "学院行政楼党员活动室"

[[events]]
id = "2026-review-open"
date = 2026-12-15
ends = 2027-01-15
all_day = true
title = "民主评议"
kind = "民主评议"
audience = ["party"]

[[events]]
id = "2027-01-review-meeting"
month = "2027-01"
tentative = true
title = "组织生活会"
kind = "民主评议"
audience = ["party"]
"#;

    fn calendar(text: &str) -> Result<Calendar, Vec<Problem>> {
        check(Path::new("data/calendar.toml"), text, &pages)
    }

    fn problems(text: &str) -> Vec<String> {
        calendar(text)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|p| format!("{}: {}", p.line.unwrap_or(0), p.message.en()))
            .collect()
    }

    #[test]
    fn each_audience_gets_its_items_and_those_for_everyone() {
        let c = calendar(FILE).expect("a good file");
        let names: Vec<String> = c.files().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["calendar.ics", "calendar-committee.ics", "calendar-party.ics"]);
        let party = c.ics(Some("party".into()), "x.cn", &pages);
        assert!(party.contains("UID:dues-monthly@x.cn") && party.contains("UID:2026-12-09-theme-day@x.cn"));
        assert!(!party.contains("committee"), "no committee item in the party's file");
        assert!(party.contains("X-WR-CALNAME:支部年历（正式党员和预备党员）"));
        let all = c.ics(None, "x.cn", &pages);
        // A duty without a fixed day and a month-only item are on the page, not in the file.
        assert!(!all.contains("committee-monthly") && !all.contains("2027-01-review-meeting"));
        assert_eq!(all.matches("BEGIN:VEVENT").count(), 3);
    }

    #[test]
    fn times_are_utc_days_are_dates_and_rules_end_with_the_file() {
        let all = calendar(FILE).unwrap().ics(None, "x.cn", &pages);
        assert!(
            all.contains("DTSTART:20261209T110000Z\r\nDTEND:20261209T123000Z\r\n"),
            "19:00 in Beijing is 11:00 UTC"
        );
        assert!(
            all.contains("DTSTART;VALUE=DATE:20261215\r\nDTEND;VALUE=DATE:20270116\r\n"),
            "DTEND is the day after"
        );
        assert!(all.contains("RRULE:FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20271231\r\n"));
        assert!(all.contains("DTSTAMP:20261130T000000Z"), "stamped with the file's `updated`: deterministic");
        assert!(all.contains("URL:https://x.cn/guide/dues/"));
    }

    #[test]
    fn text_is_escaped_and_long_lines_fold_between_characters() {
        let all = calendar(FILE).unwrap().ics(None, "x.cn", &pages);
        assert!(all.contains("SUMMARY:纪念一二·九运动主题党日\\, 线上同步\\; 欢迎参加"));
        assert!(all.starts_with("BEGIN:VCALENDAR\r\n") && all.ends_with("END:VCALENDAR\r\n"));
        for line in all.split("\r\n") {
            assert!(line.len() <= 75, "{line}: {} octets", line.len());
            assert!(!line.contains('\n'), "bare LF in {line:?}");
        }
        // Unfolding gives back the whole description.
        let unfolded = all.replace("\r\n ", "");
        assert!(unfolded.contains("DESCRIPTION:每月 10 日前\\n详见 https://x.cn/guide/dues/"));
    }

    #[test]
    fn mistakes_are_named_at_their_line() {
        let bad = FILE
            .replace("audience = [\"committee\"]", "audience = [\"comittee\"]")
            .replace("start = \"19:00\"", "start = \"7pm\"")
            .replace("ends = 2027-01-15", "ends = 2026-12-01")
            .replace("tentative = true\ntitle = \"组织生活会\"", "title = \"组织生活会\"")
            .replace("page = \"@/guide/dues.md\"", "page = \"@/guide/due.md\"");
        let found = problems(&bad);
        let at = |line: usize, words: &str| {
            found.iter().any(|p| p.starts_with(&format!("{line}: ")) && p.contains(words))
        };
        assert!(at(19, "@/guide/due.md"), "{found:?}");
        assert!(at(25, "comittee") && found.iter().any(|p| p.contains("committee")), "{found:?}");
        assert!(at(31, "7pm"), "{found:?}");
        assert!(at(41, "ends"), "{found:?}");
        assert!(at(49, "tentative"), "{found:?}");
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(
            problems(&FILE.replace("id = \"2026-review-open\"", "id = \"dues-monthly\""))
                .iter()
                .any(|p| p.contains("twice"))
        );
        assert!(
            problems(&FILE.replace("FREQ=MONTHLY;BYMONTHDAY=10", "FREQ=MONTHLY;UNTIL=20270101"))
                .iter()
                .any(|p| p.contains("UNTIL"))
        );
        assert!(
            problems(&FILE.replace("kind = \"党费\"", "kind = \"党费\"\ncolour = 1"))
                .iter()
                .any(|p| p.starts_with("16: ") || p.contains("colour"))
        );
    }
}
