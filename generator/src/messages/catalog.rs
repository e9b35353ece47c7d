//! What the pages declare for the functions: sign-in events, campaigns and their schedules,
//! quizzes, reviews, and the forms that name them.

use super::{Text, plural};

/// What an id names, for the messages about ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Event,
    Campaign,
    Quiz,
    Review,
}

impl IdKind {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            IdKind::Event => ("event", "签到活动"),
            IdKind::Campaign => ("campaign", "打卡活动"),
            IdKind::Quiz => ("quiz", "测验"),
            IdKind::Review => ("review", "民主评议"),
        }
    }
}

/// `[extra.<table>]` that is not a table.
pub fn not_a_table(table: &str) -> Text {
    Text::new(
        format!("`[extra.{table}]` must be a table"),
        format!("`[extra.{table}]` 必须是一个表：写一行 [extra.{table}]，再把它的设置写在下面"),
    )
}

/// A key of `[extra.<table>]` that the catalog does not read.
pub fn table_unknown_key(table: &str, key: &str, known: &[&str]) -> Text {
    let list = known.join(", ");
    Text::new(
        format!("[extra.{table}] unknown key `{key}` (known: {list})"),
        format!("[extra.{table}] 里的 `{key}` 是未知的设置（可用的有：{list}）"),
    )
}

pub fn opens_required(table: &str) -> Text {
    Text::new(
        format!("[extra.{table}] `opens` is required: a date-time such as 2026-12-09T07:00:00+08:00"),
        format!("[extra.{table}] 缺少 `opens`：请写开始的日期和时间，例如 2026-12-09T07:00:00+08:00"),
    )
}

pub fn closes_required(table: &str) -> Text {
    Text::new(
        format!("[extra.{table}] `closes` is required: a date-time such as 2026-12-09T22:00:00+08:00"),
        format!("[extra.{table}] 缺少 `closes`：请写结束的日期和时间，例如 2026-12-09T22:00:00+08:00"),
    )
}

pub fn closes_before_opens(table: &str, kind: IdKind, id: &str, closes: &str, opens: &str) -> Text {
    let (kind, kind_zh) = kind.words();
    Text::new(
        format!("[extra.{table}] {kind} `{id}` closes ({closes}) before it opens ({opens})"),
        format!("[extra.{table}] {kind_zh} `{id}` 的结束时间（{closes}）早于开始时间（{opens}）"),
    )
}

/// An id declared by two pages; `other` is the page that declared it too.
pub fn declared_twice(kind: IdKind, id: &str, other: &str) -> Text {
    let (kind, kind_zh) = kind.words();
    Text::new(
        format!("{kind} id `{id}` is declared twice: also in {other}"),
        format!("{kind_zh}编号 `{id}` 被声明了两次：{other} 里也有；请换一个编号"),
    )
}

pub fn bad_event_id(id: &str) -> Text {
    Text::new(
        format!(
            "[extra.signin] `event = \"{id}\"`: an event id is 3–64 lower-case letters, digits or `-`, e.g. \"2026-12-09-remembrance\""
        ),
        format!(
            "[extra.signin] `event = \"{id}\"`：活动编号由 3–64 个小写英文字母、数字或 `-` 组成，例如 \"2026-12-09-remembrance\""
        ),
    )
}

pub fn bad_campaign_id(id: &str) -> Text {
    Text::new(
        format!("[extra.campaign] `id = \"{id}\"`: a campaign id is 3–64 lower-case letters, digits or `-`"),
        format!("[extra.campaign] `id = \"{id}\"`：打卡活动的编号由 3–64 个小写英文字母、数字或 `-` 组成"),
    )
}

pub fn bad_quiz_id(id: &str) -> Text {
    Text::new(
        format!("[extra.quiz_round] `id = \"{id}\"`: a quiz id is 3–64 lower-case letters, digits or `-`"),
        format!("[extra.quiz_round] `id = \"{id}\"`：测验的编号由 3–64 个小写英文字母、数字或 `-` 组成"),
    )
}

pub fn bad_review_id(id: &str) -> Text {
    Text::new(
        format!(
            "[extra.review] `id = \"{id}\"`: a review id is 3–64 lower-case letters, digits or `-`, e.g. \"2026-review\""
        ),
        format!(
            "[extra.review] `id = \"{id}\"`：民主评议的编号由 3–64 个小写英文字母、数字或 `-` 组成，例如 \"2026-review\""
        ),
    )
}

/// `geofence` of an event that is not right; `why` says what.
pub fn bad_geofence(id: &str, why: &Text) -> Text {
    Text::new(
        format!("[extra.signin] event `{id}`: bad geofence: {}", why.en),
        format!("[extra.signin] 活动 `{id}`：geofence（签到范围）有误：{}", why.zh),
    )
}

pub fn geofence_form() -> Text {
    Text::new(
        "write geofence = { lat = 30.52036, lon = 114.36012, radius_m = 500 }",
        "请写成 geofence = { lat = 30.52036, lon = 114.36012, radius_m = 500 }",
    )
}

/// A geofence centre written with `decimals` decimals, which may be `error_m` metres off: too
/// much for a radius of `radius_m`; `needed` decimals would do.
pub fn geofence_coarse(decimals: usize, error_m: f64, radius_m: f64, needed: usize) -> Text {
    Text::new(
        format!(
            "the centre is written with {decimals} decimals, so it may lie about {error_m:.0} m from the venue — more than a tenth of the {radius_m} m radius, and members at the venue could be refused; write the surveyed coordinates with {needed} decimals (5 decimals is about 1 m)"
        ),
        format!(
            "中心点坐标只写到小数点后 {decimals} 位，可能与活动地点相差约 {error_m:.0} 米，超过了签到半径 {radius_m} 米的十分之一，在现场的同志也可能签不上；请用实测坐标，写到小数点后 {needed} 位（5 位约 1 米）"
        ),
    )
}

pub fn geofence_not_a_number(key: &str) -> Text {
    Text::new(format!("`{key}` must be a number"), format!("`{key}` 必须是数字"))
}

pub fn geofence_lat(lat: f64) -> Text {
    Text::new(format!("lat = {lat} is outside -90..90"), format!("lat = {lat} 超出了 -90..90 的范围"))
}

pub fn geofence_lon(lon: f64) -> Text {
    Text::new(format!("lon = {lon} is outside -180..180"), format!("lon = {lon} 超出了 -180..180 的范围"))
}

pub fn geofence_radius(radius: f64) -> Text {
    Text::new(
        format!("radius_m = {radius} must be more than 0 and at most 50000 metres"),
        format!("radius_m = {radius} 必须大于 0，最多 50000（单位是米）"),
    )
}

pub fn campaign_starts_required() -> Text {
    Text::new(
        "[extra.campaign] `starts` is required: a date such as 2026-09-01",
        "[extra.campaign] 缺少 `starts`：请写开始日期，例如 2026-09-01",
    )
}

pub fn campaign_days() -> Text {
    Text::new(
        "[extra.campaign] `days` must be a whole number from 1 to 366",
        "[extra.campaign] 的 `days` 必须是 1 到 366 之间的整数",
    )
}

pub fn quiz_without_questions(id: &str) -> Text {
    Text::new(
        format!("[extra.quiz_round] `{id}`: the page has no [[extra.quiz]] questions"),
        format!("[extra.quiz_round] `{id}`：这个页面没有 [[extra.quiz]] 题目"),
    )
}

pub fn quiz_question_incomplete(no: usize) -> Text {
    Text::new(
        format!("[[extra.quiz]] question {no}: needs `question` and 2–8 `options`"),
        format!("[[extra.quiz]] 第 {no} 题：需要 `question` 和 2–8 个 `options`"),
    )
}

pub fn quiz_answer(no: usize, answer: i64, options: usize) -> Text {
    Text::new(
        format!("[[extra.quiz]] question {no}: `answer = {answer}` must be 1–{options}"),
        format!("[[extra.quiz]] 第 {no} 题：`answer = {answer}` 必须在 1–{options} 之间"),
    )
}

pub fn quiz_source(no: usize) -> Text {
    Text::new(
        format!("[[extra.quiz]] question {no}: `source` (the article it comes from) is required"),
        format!("[[extra.quiz]] 第 {no} 题：缺少 `source`（题目出自哪篇文章）"),
    )
}

pub fn review_year_range(year: i64, first: i64, last: i64) -> Text {
    Text::new(
        format!(
            "[extra.review] `year = {year}`: the year under review is a whole number from {first} to {last}, e.g. year = 2026"
        ),
        format!(
            "[extra.review] `year = {year}`：评议的年份是 {first} 到 {last} 之间的整数，例如 year = 2026"
        ),
    )
}

/// `year` of a review that is not a number; `found` is the TOML type written.
pub fn review_year_type(found: &str, first: i64, last: i64) -> Text {
    Text::new(
        format!(
            "[extra.review] `year` must be a whole number from {first} to {last} (the year under review), not a {found}: e.g. year = 2026"
        ),
        format!(
            "[extra.review] 的 `year` 必须是 {first} 到 {last} 之间的整数（评议的年份），不能是 {found}：例如 year = 2026"
        ),
    )
}

pub fn review_year_required(first: i64, last: i64) -> Text {
    Text::new(
        format!(
            "[extra.review] `year` is required: the year under review, a whole number from {first} to {last} such as 2026"
        ),
        format!("[extra.review] 缺少 `year`：评议的年份，{first} 到 {last} 之间的整数，例如 2026"),
    )
}

/// `signin(event="…")` naming an event no page declares.
pub fn event_not_declared(event: &str) -> Text {
    Text::new(
        format!("signin(event=\"{event}\"): no page declares this event in [extra.signin]"),
        format!("signin(event=\"{event}\")：没有哪个页面在 [extra.signin] 里声明了这个活动"),
    )
}

pub fn signin_without_event() -> Text {
    Text::new("signin(): the `event` argument is required", "signin()：缺少 `event` 参数")
}

/// `copy_upload(campaign="…")` or `copy_progress(…)` naming a campaign no page declares.
pub fn campaign_not_declared(shortcode: &str, campaign: &str) -> Text {
    Text::new(
        format!("{shortcode}(campaign=\"{campaign}\"): no page declares this campaign in [extra.campaign]"),
        format!("{shortcode}(campaign=\"{campaign}\")：没有哪个页面在 [extra.campaign] 里声明了这个打卡活动"),
    )
}

pub fn shortcode_without_campaign(shortcode: &str) -> Text {
    Text::new(
        format!("{shortcode}(): the `campaign` argument is required"),
        format!("{shortcode}()：缺少 `campaign` 参数"),
    )
}

// --- Campaign schedules ----------------------------------------------------------------------

/// Names a campaign and the page that declares it, for the messages below.
pub fn campaign_named(id: &str, page: &str) -> Text {
    Text::new(format!("campaign `{id}` ({page})"), format!("打卡活动 `{id}`（{page}）"))
}

/// How a schedule's rows disagree with their campaign.
pub fn schedule_row_count(rows: usize, campaign: &Text, days: u32) -> Text {
    Text::new(
        format!(
            "the schedule has {rows} day{} but {} lasts {days} days: give every day one `[[days]]` row, or change `days` of the campaign",
            plural(rows),
            campaign.en
        ),
        format!(
            "日程表有 {rows} 天，但{}共 {days} 天：请给每一天写一个 `[[days]]`，或者改活动的 `days`",
            campaign.zh
        ),
    )
}

pub fn schedule_day_number(found: &str, expected: usize) -> Text {
    Text::new(
        format!("`day = {found}` where day {expected} comes next: number the rows 1, 2, 3 … in order"),
        format!("`day = {found}`，但这里应该是第 {expected} 天：请按 1、2、3 …… 的顺序编号"),
    )
}

pub fn schedule_date_outside(day: usize, date: &str, campaign: &Text, first: &str, last: &str) -> Text {
    Text::new(
        format!("day {day} is dated {date}, outside {} ({first} to {last})", campaign.en),
        format!("第 {day} 天的日期是 {date}，不在{}的日期内（{first} 到 {last}）", campaign.zh),
    )
}

pub fn schedule_date_wrong(day: usize, date: &str, expected: &str, starts: &str) -> Text {
    Text::new(
        format!(
            "day {day} is dated {date} but falls on {expected} (the campaign starts {starts}); the site finds today's row by its day"
        ),
        format!(
            "第 {day} 天的日期写的是 {date}，但应该是 {expected}（活动从 {starts} 开始）；网站是按天数找到当天那一行的"
        ),
    )
}

pub fn schedule_date_missing(day: usize) -> Text {
    Text::new(
        format!("day {day} has no `date`: write the date of that day, e.g. date = 2026-09-01"),
        format!("第 {day} 天没有 `date`：请写上那一天的日期，例如 date = 2026-09-01"),
    )
}

pub fn schedule_kind(day: usize, kind: &str, known: &[&str], suggestion: Option<&str>) -> Text {
    let kinds = known.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>();
    let (kinds, kinds_zh) = (kinds.join(", "), kinds.join("、"));
    match suggestion {
        Some(s) => Text::new(
            format!(
                "day {day}: `kind = \"{kind}\"` is not a kind of schedule day; did you mean \"{s}\"? (the kinds are {kinds})"
            ),
            format!(
                "第 {day} 天：`kind = \"{kind}\"` 不是日程的类型；您是不是想写 \"{s}\"？（类型有 {kinds_zh}）"
            ),
        ),
        None => Text::new(
            format!("day {day}: `kind = \"{kind}\"` is not a kind of schedule day; the kinds are {kinds}"),
            format!("第 {day} 天：`kind = \"{kind}\"` 不是日程的类型；类型有 {kinds_zh}"),
        ),
    }
}

pub fn schedule_no_days(campaign: &Text) -> Text {
    Text::new(
        format!("the schedule of {} has no `[[days]]` rows", campaign.en),
        format!("{}的日程表里没有 `[[days]]`", campaign.zh),
    )
}
