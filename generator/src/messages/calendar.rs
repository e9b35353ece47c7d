//! Messages about a year calendar's data file (`[extra] calendar = "data/calendar.toml"`).

use chrono::NaiveDate;

use super::Text;

pub fn calendar_not_a_date(key: &str, found: &str) -> Text {
    Text::new(
        format!("`{key} = {found}` is not a date: write it as 2026-12-10"),
        format!("`{key} = {found}` 不是日期：请写成 2026-12-10 这样"),
    )
}

pub fn calendar_to_before_from(from: NaiveDate, to: NaiveDate) -> Text {
    Text::new(
        format!("the calendar ends (`to = {to}`) before it begins (`from = {from}`)"),
        format!("年历的结束日期（`to = {to}`）早于开始日期（`from = {from}`）"),
    )
}

pub fn calendar_bad_id(id: &str) -> Text {
    Text::new(
        format!(
            "`id = \"{id}\"`: an id is 3–64 lower-case letters, digits or `-`, e.g. \"2027-03-theme-day\""
        ),
        format!("`id = \"{id}\"`：编号由 3–64 个小写英文字母、数字或 `-` 组成，例如 \"2027-03-theme-day\""),
    )
}

pub fn calendar_id_twice(id: &str) -> Text {
    Text::new(
        format!("`id = \"{id}\"` is used twice: every item needs its own (phones tell items apart by it)"),
        format!("`id = \"{id}\"` 用了两次：每一项的编号都不能相同（手机日历靠它区分各项）"),
    )
}

pub fn calendar_no_audience(id: &str) -> Text {
    Text::new(
        format!("`{id}`: `audience` is empty: name who it is for, e.g. [\"all\"]"),
        format!("`{id}`：`audience` 是空的：请写明是谁的事，例如 [\"all\"]"),
    )
}

pub fn calendar_unknown_audience(id: &str, audience: &str, known: &[&str]) -> Text {
    let known = known.join("`, `");
    Text::new(
        format!("`{id}`: audience `{audience}` is not in [audiences]; known: `{known}`"),
        format!("`{id}`：`{audience}` 不在 [audiences] 里；可用的有 `{known}`"),
    )
}

pub fn calendar_no_such_page(id: &str, page: &str) -> Text {
    Text::new(
        format!("`{id}`: `page = \"{page}\"` names no content file"),
        format!("`{id}`：`page = \"{page}\"` 指向的内容文件不存在"),
    )
}

pub fn calendar_bad_time(id: &str, key: &str, found: &str) -> Text {
    Text::new(
        format!("`{id}`: `{key} = \"{found}\"` is not a time: write it as \"19:00\" (Beijing time)"),
        format!("`{id}`：`{key} = \"{found}\"` 不是时间：请写成 \"19:00\" 这样（北京时间）"),
    )
}

pub fn calendar_all_day_and_start(id: &str) -> Text {
    Text::new(
        format!("`{id}`: `all_day = true` and `start` contradict each other: keep one"),
        format!("`{id}`：`all_day = true` 和 `start` 不能同时写：只留一个"),
    )
}

pub fn calendar_end_without_start(id: &str) -> Text {
    Text::new(format!("`{id}`: `end` needs a `start`"), format!("`{id}`：写了 `end` 就要写 `start`"))
}

pub fn calendar_end_before_start(id: &str) -> Text {
    Text::new(format!("`{id}`: `end` is not after `start`"), format!("`{id}`：`end` 不晚于 `start`"))
}

pub fn calendar_recurring_keys(id: &str) -> Text {
    Text::new(
        format!("`{id}`: a [[recurring]] item has `starts` (and `rrule`), not `date`, `ends` or `month`"),
        format!("`{id}`：[[recurring]] 里的事项写 `starts`（和 `rrule`），不写 `date`、`ends` 或 `month`"),
    )
}

pub fn calendar_starts_required(id: &str) -> Text {
    Text::new(
        format!("`{id}`: a [[recurring]] item needs `starts`, the date of its first time"),
        format!("`{id}`：[[recurring]] 里的事项要写 `starts`，即第一次的日期"),
    )
}

pub fn calendar_event_keys(id: &str) -> Text {
    Text::new(
        format!(
            "`{id}`: an [[events]] item has a `date` (or `month`), not `starts` or `rrule`: repeating items go in [[recurring]]"
        ),
        format!(
            "`{id}`：[[events]] 里的事项写 `date`（或 `month`），不写 `starts` 或 `rrule`：重复的事请写在 [[recurring]] 里"
        ),
    )
}

pub fn calendar_date_or_month(id: &str) -> Text {
    Text::new(
        format!(
            "`{id}`: write either `date` (the day) or `month = \"YYYY-MM\"` (while only the month is known)"
        ),
        format!("`{id}`：`date`（具体日子）和 `month = \"YYYY-MM\"`（只知道月份时）写一个，也只写一个"),
    )
}

pub fn calendar_bad_month(id: &str, found: &str) -> Text {
    Text::new(
        format!("`{id}`: `month = \"{found}\"` is not a month: write it as \"2027-03\""),
        format!("`{id}`：`month = \"{found}\"` 不是月份：请写成 \"2027-03\" 这样"),
    )
}

pub fn calendar_month_not_tentative(id: &str) -> Text {
    Text::new(
        format!(
            "`{id}`: an item with only a `month` is tentative: add `tentative = true`, or give its `date`"
        ),
        format!(
            "`{id}`：只写了 `month`（月份）的事项是暂定的：请加上 `tentative = true`，或者写出具体的 `date`"
        ),
    )
}

pub fn calendar_month_with_day(id: &str) -> Text {
    Text::new(
        format!("`{id}`: an item with only a `month` has no `ends`, `start` or `all_day` yet"),
        format!("`{id}`：只写了 `month`（月份）的事项还不能写 `ends`、`start` 或 `all_day`"),
    )
}

pub fn calendar_outside(id: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Text {
    let show = |d: Option<NaiveDate>| d.map_or_else(|| "?".to_string(), |d| d.to_string());
    let (from, to) = (show(from), show(to));
    Text::new(
        format!(
            "`{id}` falls outside the calendar ({from} to {to}): change its date or the file's `from`/`to`"
        ),
        format!("`{id}` 不在年历的起止日期（{from} 至 {to}）之内：请改它的日期，或者改文件的 `from`/`to`"),
    )
}

pub fn calendar_ends_with_start(id: &str) -> Text {
    Text::new(
        format!("`{id}`: `ends` (several whole days) goes with `all_day = true`, not with `start`"),
        format!("`{id}`：`ends`（连续几天）要和 `all_day = true` 一起用，不能和 `start` 一起用"),
    )
}

pub fn calendar_ends_before_date(id: &str) -> Text {
    Text::new(format!("`{id}`: `ends` is before `date`"), format!("`{id}`：`ends` 早于 `date`"))
}

pub fn calendar_time_or_all_day(id: &str) -> Text {
    Text::new(
        format!("`{id}`: say when in the day: `start = \"19:00\"` (and `end`), or `all_day = true`"),
        format!("`{id}`：请写明时间：`start = \"19:00\"`（可加 `end`），或者 `all_day = true`"),
    )
}

pub fn calendar_bad_rrule(id: &str, part: &str, parts: &[&str]) -> Text {
    let parts = parts.join("`, `");
    Text::new(
        format!(
            "`{id}`: `{part}` in `rrule` is not understood; a rule is `FREQ=MONTHLY;BYMONTHDAY=10` with parts `{parts}` (no UNTIL or COUNT: the file's `to` ends it)"
        ),
        format!(
            "`{id}`：`rrule` 里的 `{part}` 无法识别；重复规则写成 `FREQ=MONTHLY;BYMONTHDAY=10` 这样，可用 `{parts}`（不写 UNTIL 或 COUNT：到文件的 `to` 为止）"
        ),
    )
}
