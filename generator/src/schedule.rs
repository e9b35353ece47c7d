//! Campaign schedules: the day-by-day data file of a campaign (TOML `[[days]]` rows with `day`,
//! `date`, `part`, `text`, `kind`), named by the theme's `copy_schedule(data=…, campaign=…)`
//! shortcode or by `schedule = "…"` in the page's `[extra.campaign]`. It must match the campaign
//! it belongs to: one row a day for `days` days, numbered 1, 2, 3 …, each dated its day counted
//! from `starts` (the site finds today's row by it), of a known `kind`. Every mismatch is a
//! problem at its line of the data file.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::catalog::{Campaign, Catalog};
use crate::content::Library;
use crate::content::front_matter::Date;
use crate::data::Contents;
use crate::messages::{self, Syntax, Text};
use crate::problems::Problem;
use crate::strict_toml::{self, find_key_line};
use crate::suggest::closest;

/// The kinds of day a schedule has: new text to copy, or a day to catch up and read over.
pub const KINDS: &[&str] = &["copy", "review"];

/// The shortcode that shows a schedule, and its arguments.
const SHORTCODE: &str = "copy_schedule";

/// One use of a data file as the schedule of a campaign.
struct Use<'a> {
    data: String,
    campaign: &'a Campaign,
    /// Where the data file is named, for a problem when it does not exist (`None` when the
    /// render of the shortcode already reports that).
    named_at: Option<(PathBuf, usize)>,
}

/// Every problem of the schedules of the site's campaigns. `root` is the site folder.
pub fn check(root: &Path, library: &Library, contents: &Contents, catalog: &Catalog) -> Vec<Problem> {
    let campaign = |id: &str| catalog.campaigns.iter().find(|c| c.id == id);
    let mut uses: Vec<Use> = Vec::new();
    let bodies = contents.pages.iter().chain(contents.sections.iter());
    for rendered in bodies {
        for sc in rendered.shortcodes.iter().filter(|s| s.name == SHORTCODE) {
            let arg = |k: &str| sc.args.get(k).and_then(|v| v.as_str());
            if let (Some(data), Some(c)) = (arg("data"), arg("campaign").and_then(campaign)) {
                uses.push(Use { data: data.to_string(), campaign: c, named_at: None });
            }
        }
    }
    for page in &library.pages {
        let Some(table) = page.meta.extra.get("campaign").and_then(|v| v.as_table()) else { continue };
        let data = table.get("schedule").and_then(|v| v.as_str());
        let c = table.get("id").and_then(|v| v.as_str()).and_then(campaign);
        if let (Some(data), Some(c)) = (data, c) {
            let line = schedule_line(&page.front_matter)
                .map_or(page.front_matter_line, |l| page.front_matter_line + l - 1);
            uses.push(Use { data: data.to_string(), campaign: c, named_at: Some((page.file.clone(), line)) });
        }
    }
    uses.sort_by(|a, b| (&a.data, &a.campaign.id).cmp(&(&b.data, &b.campaign.id)));
    uses.dedup_by(|a, b| {
        let same = a.data == b.data && a.campaign.id == b.campaign.id;
        if same && b.named_at.is_none() {
            b.named_at = a.named_at.take();
        }
        same
    });
    let mut problems = Vec::new();
    for u in uses {
        let declared_in = library
            .pages
            .iter()
            .find(|p| p.path == u.campaign.page)
            .map_or_else(|| u.campaign.page.clone(), |p| p.file.display().to_string());
        let named = messages::campaign_named(&u.campaign.id, &declared_in);
        let rel = PathBuf::from(u.data.trim_start_matches('/'));
        match std::fs::read_to_string(root.join(&rel)) {
            Ok(text) => problems.extend(check_file(&rel, &text, u.campaign, &named)),
            Err(_) => {
                if let Some((file, line)) = u.named_at {
                    let suggestion = crate::templates::functions::closest_data_file(root, &u.data);
                    let reader = messages::Reader::CampaignSchedule;
                    let message = messages::missing_data_file(&u.data, &reader, suggestion.as_deref());
                    problems.push(Problem::at(file, line, message));
                }
            }
        }
    }
    problems
}

/// The line of `schedule =` in the front matter (under `[extra.campaign]`).
fn schedule_line(front_matter: &str) -> Option<usize> {
    find_key_line(front_matter, "schedule")
}

/// The problems of one schedule file (`file` relative to the site root) against its campaign.
pub fn check_file(file: &Path, text: &str, campaign: &Campaign, named: &Text) -> Vec<Problem> {
    let mut problems = Vec::new();
    let (findings, fixed) = strict_toml::full_width(text);
    for f in &findings {
        problems.push(Problem::at(
            file,
            f.line,
            messages::full_width(Syntax::Toml, f.found, f.column, &f.fixed_line),
        ));
    }
    let table: toml::Table = match toml::from_str(&fixed) {
        Ok(t) => t,
        Err(e) => {
            let (line, column) = strict_toml::error_position(&fixed, &e).unzip();
            if findings.is_empty() || line.is_some_and(|l| !findings.iter().any(|f| f.line == l)) {
                let message = messages::toml_error(Syntax::Toml, column, e.message().trim());
                problems.push(Problem { line: line.or(Some(1)), ..Problem::in_file(file, message) });
            }
            return problems;
        }
    };
    let rows: Vec<&toml::Table> = match table.get("days").and_then(|d| d.as_array()) {
        Some(rows) => rows.iter().filter_map(|r| r.as_table()).collect(),
        None => Vec::new(),
    };
    if rows.is_empty() {
        problems.push(Problem::at(file, 1, messages::schedule_no_days(named)));
        return problems;
    }
    let headers = row_headers(&fixed);
    let days_line = find_key_line(&fixed, "days").unwrap_or(1);
    let row_line = |k: usize| headers.get(k).copied().unwrap_or(days_line);
    // The line of `key` in row `k` (0-based), else the row's header.
    let key_line = |k: usize, key: &str| -> usize {
        let Some(start) = headers.get(k).copied() else { return days_line };
        let end = headers.get(k + 1).copied().unwrap_or(usize::MAX);
        let segment: String =
            fixed.lines().skip(start - 1).take(end.saturating_sub(start)).collect::<Vec<_>>().join("\n");
        find_key_line(&segment, key).map_or(start, |l| start + l - 1)
    };
    let days = campaign.days as usize;
    if rows.len() != days {
        let line = if rows.len() < days { row_line(rows.len() - 1) } else { row_line(days) };
        problems.push(Problem::at(
            file,
            line,
            messages::schedule_row_count(rows.len(), named, campaign.days),
        ));
    }
    let first = campaign.starts;
    let last = first + chrono::Days::new(u64::from(campaign.days.saturating_sub(1)));
    let ymd = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    for (k, row) in rows.iter().enumerate().take(days) {
        let day = k + 1;
        match row.get("day") {
            Some(toml::Value::Integer(n)) if *n == day as i64 => {}
            Some(v) => {
                let found = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                problems.push(Problem::at(
                    file,
                    key_line(k, "day"),
                    messages::schedule_day_number(&found, day),
                ));
            }
            None => {
                problems.push(Problem::at(file, row_line(k), messages::schedule_day_number("(none)", day)))
            }
        }
        let date = row.get("date").and_then(|v| match v {
            toml::Value::Datetime(d) => Date::parse(&d.to_string()),
            toml::Value::String(s) => Date::parse(s),
            _ => None,
        });
        match date.map(|d| d.instant.date_naive()) {
            None => {
                problems.push(Problem::at(file, key_line(k, "date"), messages::schedule_date_missing(day)))
            }
            Some(d) if d < first || d > last => problems.push(Problem::at(
                file,
                key_line(k, "date"),
                messages::schedule_date_outside(day, &ymd(d), named, &ymd(first), &ymd(last)),
            )),
            Some(d) => {
                let expected = first + chrono::Days::new(k as u64);
                if d != expected {
                    problems.push(Problem::at(
                        file,
                        key_line(k, "date"),
                        messages::schedule_date_wrong(day, &ymd(d), &ymd(expected), &ymd(first)),
                    ));
                }
            }
        }
        if let Some(kind) = row.get("kind") {
            let kind = kind.as_str().map_or_else(|| kind.to_string(), str::to_string);
            if !KINDS.contains(&kind.as_str()) {
                let suggestion = closest(&kind, KINDS.iter().copied());
                problems.push(Problem::at(
                    file,
                    key_line(k, "kind"),
                    messages::schedule_kind(day, &kind, KINDS, suggestion),
                ));
            }
        }
    }
    problems
}

/// The 1-based lines of the `[[days]]` headers, in order.
fn row_headers(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim();
            l.strip_prefix("[[").and_then(|r| r.split("]]").next()).is_some_and(|name| name.trim() == "days")
        })
        .map(|(i, _)| i + 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign(days: u32) -> Campaign {
        Campaign {
            id: "copy-30".into(),
            title: "抄党章".into(),
            page: "/campaigns/copy/".into(),
            starts: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            days,
        }
    }

    fn row(day: usize, date: &str, kind: &str) -> String {
        format!(
            "[[days]]\nday = {day}\ndate = {date}\npart = \"总纲\"\ntext = \"第{day}天\"\nkind = \"{kind}\"\n\n"
        )
    }

    fn problems(text: &str, days: u32) -> Vec<String> {
        check_file(
            Path::new("data/copy.toml"),
            text,
            &campaign(days),
            &messages::campaign_named("copy-30", "content/campaigns/copy.md"),
        )
        .iter()
        .map(ToString::to_string)
        .collect()
    }

    fn rows(n: usize) -> String {
        (1..=n).map(|d| row(d, &format!("2026-09-{d:02}"), "copy")).collect()
    }

    #[test]
    fn a_schedule_that_matches_has_no_problems() {
        assert_eq!(problems(&rows(3), 3), Vec::<String>::new());
    }

    #[test]
    fn a_missing_day_is_named_at_the_last_row() {
        // 3 rows of 8 lines each: the third header is line 15.
        assert_eq!(
            problems(&rows(3), 4),
            [
                "data/copy.toml:15: the schedule has 3 days but campaign `copy-30` (content/campaigns/copy.md) lasts 4 days: give every day one `[[days]]` row, or change `days` of the campaign"
            ]
        );
    }

    #[test]
    fn dates_outside_or_off_by_a_day_and_unknown_kinds_are_at_their_lines() {
        let text = format!(
            "{}{}{}",
            row(1, "2026-08-31", "copy"),
            row(2, "2026-09-03", "copyy"),
            row(3, "2026-09-03", "review")
        );
        assert_eq!(
            problems(&text, 3),
            [
                "data/copy.toml:3: day 1 is dated 2026-08-31, outside campaign `copy-30` (content/campaigns/copy.md) (2026-09-01 to 2026-09-03)",
                "data/copy.toml:10: day 2 is dated 2026-09-03 but falls on 2026-09-02 (the campaign starts 2026-09-01); the site finds today's row by its day",
                "data/copy.toml:13: day 2: `kind = \"copyy\"` is not a kind of schedule day; did you mean \"copy\"? (the kinds are \"copy\", \"review\")",
            ]
        );
    }

    #[test]
    fn full_width_quotes_in_a_data_file_are_named() {
        let text = rows(1).replace("part = \"总纲\"", "part = “总纲”");
        let found = problems(&text, 1);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("data/copy.toml:4: invalid TOML at column 8: `“`"), "{found:?}");
    }
}
