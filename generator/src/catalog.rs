//! The catalog: what the functions may accept — sign-in events, campaigns, quiz rounds, review
//! rounds and the pages that take study notes — written by the build as JSON from the pages'
//! front matter (`[extra.signin]`, `[extra.campaign]`, `[extra.quiz_round]` with `[[extra.quiz]]`,
//! `[extra.review]`) and the `note_form()` shortcode. It holds quiz answer keys, so it is for the
//! functions only: `zhibu serve` does not serve it and the deploy script does not publish it.
//!
//! Validated here, at build time: an event that closes before it opens, a duplicate id, a bad
//! geofence, a review of an unlikely year, a form that names an event or campaign nobody
//! declared.
//!
//! The JSON's shape, its version and the id rule are the `zhibu-catalog` crate's, which the
//! functions read it with; this module builds the catalog from the content and checks it.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use crate::content::front_matter::Date;
use crate::content::{Library, Page};
use crate::markdown::Rendered;
use crate::messages::{self, IdKind, Text};
use crate::problems::{Problem, Problems};
use crate::strict_toml::{self, find_key_line};

// The format is the `zhibu-catalog` crate's, shared with the functions.
pub use zhibu_catalog::{
    Campaign, Catalog, DEFAULT_PATH, Event, FILE_NAME, Geofence, NotePage, Quiz, QuizQuestion, Review,
    VERSION, valid_id,
};

/// The tables of `[extra]` the catalog reads, as a page writes them: for the message about one
/// written outside `[extra]`.
pub const TABLES: &[(&str, &str)] = &[
    ("signin", "[extra.signin]"),
    ("campaign", "[extra.campaign]"),
    ("quiz_round", "[extra.quiz_round]"),
    ("quiz", "[[extra.quiz]]"),
    ("review", "[extra.review]"),
];

/// Who declared each id of one kind so far.
type Owners<'a> = BTreeMap<String, &'a Page>;

/// A problem with a value of `[extra.<table>]` in a page's front matter, at the line of `key`
/// (or of the table's header when the key is not written out).
fn at_key(page: &Page, table: &str, key: &str, message: Text) -> Problem {
    let lines: Vec<&str> = page.front_matter.lines().collect();
    let header = format!("[extra.{table}]");
    let start = lines.iter().position(|l| l.trim() == header);
    let key_line = start.and_then(|h| {
        lines[h + 1..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with('['))
            .position(|l| {
                let l = l.trim_start();
                l.starts_with(key) && l[key.len()..].trim_start().starts_with('=')
            })
            .map(|i| h + 1 + i)
    });
    // Without a `[extra.<table>]` header (`signin = 1` under `[extra]`, an inline table), the
    // line that names the table, else the front matter's first line: never no line at all.
    let line = key_line
        .or(start)
        .map(|i| page.front_matter_line + i)
        .or_else(|| find_key_line(&page.front_matter, table).map(|l| page.front_matter_line + l - 1))
        .unwrap_or(page.front_matter_line);
    Problem { file: Some(page.file.clone()), line: Some(line), message }
}

fn read_datetime(v: Option<&toml::Value>) -> Option<DateTime<FixedOffset>> {
    let text = match v? {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => return None,
    };
    Date::parse(&text).map(|d| d.instant)
}

/// The checks of one `[extra.<table>]` declaration of a page, collecting its problems.
struct Declaration<'a> {
    page: &'a Page,
    table: &'static str,
    table_value: &'a toml::Table,
    problems: Vec<Problem>,
}

impl<'a> Declaration<'a> {
    /// `None` (with a problem) when `[extra.<table>]` is not a table.
    fn of(
        page: &'a Page,
        table: &'static str,
        value: &'a toml::Value,
        problems: &mut Problems,
    ) -> Option<Self> {
        match value.as_table() {
            Some(t) => Some(Declaration { page, table, table_value: t, problems: Vec::new() }),
            None => {
                problems.push(at_key(page, table, "", messages::not_a_table(table)));
                None
            }
        }
    }

    fn fail(&mut self, key: &str, message: Text) {
        self.problems.push(at_key(self.page, self.table, key, message));
    }

    fn str(&self, key: &str) -> &'a str {
        self.table_value.get(key).and_then(|v| v.as_str()).unwrap_or("")
    }

    fn only_keys(&mut self, known: &[&str]) {
        let unknown: Vec<String> =
            strict_toml::unknown_keys(self.table_value, known).into_iter().map(str::to_string).collect();
        for key in unknown {
            let message = messages::table_unknown_key(self.table, &key, known);
            self.fail(&key, message);
        }
    }

    /// `opens` and `closes`: both required, closing after opening.
    fn window(
        &mut self,
        kind: IdKind,
        id: &str,
    ) -> (Option<DateTime<FixedOffset>>, Option<DateTime<FixedOffset>>) {
        let opens = read_datetime(self.table_value.get("opens"));
        let closes = read_datetime(self.table_value.get("closes"));
        let table = self.table;
        if opens.is_none() {
            self.fail("", messages::opens_required(table));
        }
        if closes.is_none() {
            self.fail("", messages::closes_required(table));
        }
        if let (Some(o), Some(c)) = (opens, closes)
            && c <= o
        {
            self.fail(
                "closes",
                messages::closes_before_opens(table, kind, id, &c.to_string(), &o.to_string()),
            );
        }
        (opens, closes)
    }

    /// Records this page as the owner of `id`; a second owner is a problem, at the page being
    /// edited (the newer file, or the later one when their times are equal or unknown), naming
    /// the other. Either way this declaration stays out of the catalog and the first one stays.
    fn claim(&mut self, owners: &mut Owners<'a>, kind: IdKind, key: &str, id: &str) {
        let Some(other) = owners.get(id).copied() else {
            owners.insert(id.to_string(), self.page);
            return;
        };
        if id.is_empty() {
            return;
        }
        let this_is_newer = match (self.page.modified, other.modified) {
            (Some(this), Some(that)) => this >= that,
            _ => true,
        };
        if this_is_newer {
            let message = messages::declared_twice(kind, id, &other.file.display().to_string());
            self.fail(key, message);
        } else {
            let message = messages::declared_twice(kind, id, &self.page.file.display().to_string());
            self.problems.push(at_key(other, self.table, key, message));
        }
    }

    /// The checked value when nothing was wrong; the problems go to `problems` either way.
    fn finish<T>(self, value: Option<T>, problems: &mut Problems) -> Option<T> {
        let ok = self.problems.is_empty();
        problems.extend(self.problems);
        value.filter(|_| ok)
    }
}

fn event<'a>(mut d: Declaration<'a>, owners: &mut Owners<'a>, problems: &mut Problems) -> Option<Event> {
    let page = d.page;
    let id = d.str("event");
    if !valid_id(id) {
        d.fail("event", messages::bad_event_id(id));
    }
    let (opens, closes) = d.window(IdKind::Event, id);
    let geofence = match d.table_value.get("geofence").map(parse_geofence) {
        None => None,
        Some(Ok(g)) => {
            if let Some(why) = centre_too_coarse(&g, &page.front_matter) {
                d.fail("geofence", messages::bad_geofence(id, &why));
            }
            Some(g)
        }
        Some(Err(why)) => {
            d.fail("geofence", messages::bad_geofence(id, &why));
            None
        }
    };
    d.only_keys(&["event", "opens", "closes", "geofence"]);
    d.claim(owners, IdKind::Event, "event", id);
    let event = opens.zip(closes).map(|(opens, closes)| Event {
        id: id.to_string(),
        title: page.title().to_string(),
        page: page.path.clone(),
        opens,
        closes,
        geofence,
    });
    d.finish(event, problems)
}

fn campaign<'a>(
    mut d: Declaration<'a>,
    owners: &mut Owners<'a>,
    problems: &mut Problems,
) -> Option<Campaign> {
    let page = d.page;
    let id = d.str("id");
    if !valid_id(id) {
        d.fail("id", messages::bad_campaign_id(id));
    }
    let starts = read_datetime(d.table_value.get("starts")).map(|d| d.date_naive());
    if starts.is_none() {
        d.fail("starts", messages::campaign_starts_required());
    }
    let days = match d.table_value.get("days").and_then(|v| v.as_integer()) {
        Some(n) if (1..=366).contains(&n) => Some(n as u32),
        _ => {
            d.fail("days", messages::campaign_days());
            None
        }
    };
    d.only_keys(&["id", "starts", "days", "schedule"]);
    d.claim(owners, IdKind::Campaign, "id", id);
    let campaign = starts.zip(days).map(|(starts, days)| Campaign {
        id: id.to_string(),
        title: page.title().to_string(),
        page: page.path.clone(),
        starts,
        days,
    });
    d.finish(campaign, problems)
}

/// Markdown to plain text (for explanations shown by the site's script as text).
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event as Md, Parser};
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Md::Text(t) | Md::Code(t) => text.push_str(&t),
            Md::SoftBreak | Md::HardBreak => text.push(' '),
            Md::End(_) if !text.ends_with(' ') && !text.is_empty() => {}
            _ => {}
        }
    }
    text.trim().to_string()
}

fn quiz_questions(d: &mut Declaration, quiz_id: &str) -> Vec<QuizQuestion> {
    let Some(list) = d.page.meta.extra.get("quiz").and_then(|v| v.as_array()) else {
        d.fail("", messages::quiz_without_questions(quiz_id));
        return Vec::new();
    };
    let mut questions = Vec::new();
    for (i, q) in list.iter().enumerate() {
        let no = i + 1;
        let text = |k: &str| q.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let options: Vec<String> = q
            .get("options")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|o| o.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let answer = q.get("answer").and_then(|v| v.as_integer()).unwrap_or(0);
        if text("question").is_empty() || !(2..=8).contains(&options.len()) {
            d.fail("", messages::quiz_question_incomplete(no));
            continue;
        }
        if !(1..=options.len() as i64).contains(&answer) {
            d.fail("", messages::quiz_answer(no, answer, options.len()));
            continue;
        }
        if text("source").is_empty() {
            d.fail("", messages::quiz_source(no));
        }
        questions.push(QuizQuestion {
            question: text("question"),
            options,
            answer: answer as u32,
            source: text("source"),
            explain: plain_text(&text("explain")),
        });
    }
    questions
}

fn quiz<'a>(mut d: Declaration<'a>, owners: &mut Owners<'a>, problems: &mut Problems) -> Option<Quiz> {
    let page = d.page;
    let id = d.str("id");
    if !valid_id(id) {
        d.fail("id", messages::bad_quiz_id(id));
    }
    let (opens, closes) = d.window(IdKind::Quiz, id);
    d.only_keys(&["id", "opens", "closes"]);
    d.claim(owners, IdKind::Quiz, "id", id);
    let questions = quiz_questions(&mut d, id);
    let quiz = opens.zip(closes).map(|(opens, closes)| Quiz {
        id: id.to_string(),
        title: page.title().to_string(),
        page: page.path.clone(),
        opens,
        closes,
        questions,
    });
    d.finish(quiz, problems)
}

/// The years a review may be of (`year` in `[extra.review]`).
const REVIEW_YEARS: std::ops::RangeInclusive<i64> = 2000..=2100;

/// A review round (民主评议党员, `[extra.review]`): its id, the year under review and its window.
fn review<'a>(mut d: Declaration<'a>, owners: &mut Owners<'a>, problems: &mut Problems) -> Option<Review> {
    let page = d.page;
    let id = d.str("id");
    if !valid_id(id) {
        d.fail("id", messages::bad_review_id(id));
    }
    let (first, last) = (REVIEW_YEARS.start(), REVIEW_YEARS.end());
    let year = match d.table_value.get("year") {
        Some(toml::Value::Integer(y)) if REVIEW_YEARS.contains(y) => i32::try_from(*y).ok(),
        Some(toml::Value::Integer(y)) => {
            d.fail("year", messages::review_year_range(*y, *first, *last));
            None
        }
        Some(other) => {
            d.fail("year", messages::review_year_type(other.type_str(), *first, *last));
            None
        }
        None => {
            d.fail("year", messages::review_year_required(*first, *last));
            None
        }
    };
    let (opens, closes) = d.window(IdKind::Review, id);
    d.only_keys(&["id", "year", "opens", "closes"]);
    d.claim(owners, IdKind::Review, "id", id);
    let review = year.zip(opens.zip(closes)).map(|(year, (opens, closes))| Review {
        id: id.to_string(),
        title: page.title().to_string(),
        page: page.path.clone(),
        year,
        opens,
        closes,
    });
    d.finish(review, problems)
}

/// Builds and checks the catalog from the library and each page's rendered body.
pub fn build(library: &Library, pages: &[Rendered], sections: &[Rendered]) -> (Catalog, Problems) {
    let mut problems = Problems::default();
    let mut catalog = Catalog { version: VERSION, ..Catalog::default() };
    let mut event_owner: Owners = BTreeMap::new();
    let mut campaign_owner: Owners = BTreeMap::new();
    let mut quiz_owner: Owners = BTreeMap::new();
    let mut review_owner: Owners = BTreeMap::new();

    for page in &library.pages {
        if let Some(d) =
            page.meta.extra.get("signin").and_then(|v| Declaration::of(page, "signin", v, &mut problems))
        {
            catalog.events.extend(event(d, &mut event_owner, &mut problems));
        }
        if let Some(d) =
            page.meta.extra.get("campaign").and_then(|v| Declaration::of(page, "campaign", v, &mut problems))
        {
            catalog.campaigns.extend(campaign(d, &mut campaign_owner, &mut problems));
        }
        if let Some(d) = page
            .meta
            .extra
            .get("quiz_round")
            .and_then(|v| Declaration::of(page, "quiz_round", v, &mut problems))
        {
            catalog.quizzes.extend(quiz(d, &mut quiz_owner, &mut problems));
        }
        if let Some(d) =
            page.meta.extra.get("review").and_then(|v| Declaration::of(page, "review", v, &mut problems))
        {
            catalog.reviews.extend(review(d, &mut review_owner, &mut problems));
        }
    }

    // Forms must name something declared; pages with a note form accept notes.
    let bodies = library
        .pages
        .iter()
        .map(|p| (&p.file, &p.path, p.title()))
        .zip(pages.iter())
        .chain(library.sections.iter().map(|s| (&s.file, &s.path, s.title())).zip(sections.iter()));
    for ((file, path, title), rendered) in bodies {
        let mut takes_notes = false;
        for sc in &rendered.shortcodes {
            let named = |key: &str| sc.args.get(key).and_then(|v| v.as_str()).map(str::to_string);
            match sc.name.as_str() {
                "signin" => match named("event") {
                    Some(e) if event_owner.contains_key(&e) => {}
                    Some(e) => problems.push(Problem::at(file, sc.line, messages::event_not_declared(&e))),
                    None => problems.push(Problem::at(file, sc.line, messages::signin_without_event())),
                },
                "copy_upload" | "copy_progress" => match named("campaign") {
                    Some(c) if campaign_owner.contains_key(&c) => {}
                    Some(c) => problems.push(Problem::at(
                        file,
                        sc.line,
                        messages::campaign_not_declared(&sc.name, &c),
                    )),
                    None => problems.push(Problem::at(
                        file,
                        sc.line,
                        messages::shortcode_without_campaign(&sc.name),
                    )),
                },
                "note_form" => takes_notes = true,
                _ => {}
            }
        }
        if takes_notes {
            catalog.note_pages.push(NotePage { path: path.clone(), title: title.to_string() });
        }
    }
    catalog.events.sort_by(|a, b| a.id.cmp(&b.id));
    catalog.campaigns.sort_by(|a, b| a.id.cmp(&b.id));
    catalog.note_pages.sort_by(|a, b| a.path.cmp(&b.path));
    catalog.quizzes.sort_by(|a, b| a.id.cmp(&b.id));
    catalog.reviews.sort_by(|a, b| a.id.cmp(&b.id));
    (catalog, problems)
}

fn parse_geofence(v: &toml::Value) -> Result<Geofence, Text> {
    let t = v.as_table().ok_or_else(messages::geofence_form)?;
    let num = |k: &str| -> Result<f64, Text> {
        match t.get(k) {
            Some(toml::Value::Float(f)) => Ok(*f),
            Some(toml::Value::Integer(i)) => Ok(*i as f64),
            _ => Err(messages::geofence_not_a_number(k)),
        }
    };
    let g = Geofence { lat: num("lat")?, lon: num("lon")?, radius_m: num("radius_m")? };
    if !(-90.0..=90.0).contains(&g.lat) {
        return Err(messages::geofence_lat(g.lat));
    }
    if !(-180.0..=180.0).contains(&g.lon) {
        return Err(messages::geofence_lon(g.lon));
    }
    if !(g.radius_m > 0.0 && g.radius_m <= 50_000.0) {
        return Err(messages::geofence_radius(g.radius_m));
    }
    Ok(g)
}

/// Metres in a degree of latitude (and of longitude on the equator).
const METRES_PER_DEGREE: f64 = 111_320.0;

/// A geofence's centre written with too few decimals for its radius: rounded to two decimals
/// it may lie some 700 m from the venue, and members standing at the door are refused. The
/// centre's rounding (half a unit of its last decimal, as written in the front matter, so that
/// `30.52000` counts five) must stay within a tenth of the radius.
fn centre_too_coarse(g: &Geofence, front_matter: &str) -> Option<Text> {
    let lat_decimals = written_decimals(front_matter, "lat", g.lat);
    let lon_decimals = written_decimals(front_matter, "lon", g.lon);
    let rounding = |decimals: usize| 0.5 * 10f64.powi(-(decimals as i32)) * METRES_PER_DEGREE;
    let error_m = rounding(lat_decimals).hypot(rounding(lon_decimals) * g.lat.to_radians().cos().abs());
    if error_m <= g.radius_m / 10.0 {
        return None;
    }
    // The fewest decimals that would do, for both coordinates.
    let needed = (1..=9).find(|&d| rounding(d) * std::f64::consts::SQRT_2 <= g.radius_m / 10.0).unwrap_or(9);
    Some(messages::geofence_coarse(lat_decimals.min(lon_decimals), error_m, g.radius_m, needed.max(5)))
}

/// The decimals of `key = <number>` as written after `geofence` in the front matter; else those
/// of the number's shortest form.
fn written_decimals(front_matter: &str, key: &str, value: f64) -> usize {
    let shortest = || value.to_string().split_once('.').map_or(0, |(_, f)| f.len());
    let Some(after) = front_matter.find("geofence").map(|at| &front_matter[at..]) else {
        return shortest();
    };
    let mut rest = after;
    while let Some(at) = rest.find(key) {
        let before_ok = at == 0 || !rest.as_bytes()[at - 1].is_ascii_alphanumeric();
        let tail = rest[at + key.len()..].trim_start();
        if before_ok && let Some(number) = tail.strip_prefix('=').map(str::trim_start) {
            let digits: &str = &number[..number
                .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | '_')))
                .unwrap_or(number.len())];
            return digits.split_once('.').map_or(0, |(_, f)| f.chars().filter(char::is_ascii_digit).count());
        }
        rest = &rest[at + key.len()..];
    }
    shortest()
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::Config;

    /// The catalog and the problems (as printed: `file:line: message`) of pages given as
    /// (content path, text).
    fn build_pages(pages: &[(&str, &str)]) -> (Catalog, Vec<String>) {
        let pages: Vec<Page> = pages
            .iter()
            .map(|(path, text)| {
                let file = PathBuf::from("content").join(path);
                Page::parse(&file, path, text.to_string()).unwrap().0
            })
            .collect();
        let (config, _) = Config::parse(Path::new("config.toml"), "base_url = \"https://x.cn\"").unwrap();
        let (library, assembly_problems) = Library::assemble(&config, Vec::new(), pages);
        assert!(assembly_problems.is_empty(), "{assembly_problems:?}");
        let rendered = vec![Rendered::default(); library.pages.len()];
        let (catalog, problems) = build(&library, &rendered, &[Rendered::default()]);
        (catalog, problems.iter().map(ToString::to_string).collect())
    }

    /// A review page whose `[extra.review]` table (line 3) has `lines` from line 4 on.
    fn review_page(lines: &str) -> String {
        format!("+++\ntitle = \"2026年度民主评议党员\"\n[extra.review]\n{lines}+++\n正文\n")
    }

    const GOOD: &str = "id = \"2026-review\"\nyear = 2026\nopens = 2026-12-15T00:00:00+08:00\ncloses = 2027-01-15T22:00:00+08:00\n";

    /// The problems of one review page, `content/campaigns/review.md`, whose review must then
    /// stay out of the catalog.
    fn review_problems(lines: &str) -> Vec<String> {
        let (catalog, problems) = build_pages(&[("campaigns/review.md", &review_page(lines))]);
        assert!(catalog.reviews.is_empty(), "a review with problems is left out: {:?}", catalog.reviews);
        problems
    }

    const AT: &str = "content/campaigns/review.md";

    #[test]
    fn a_review_reaches_the_catalog_json() {
        let (catalog, problems) = build_pages(&[("campaigns/review.md", &review_page(GOOD))]);
        assert!(problems.is_empty(), "{problems:?}");
        let json: serde_json::Value = serde_json::from_str(&catalog.to_json()).unwrap();
        assert_eq!(
            json["reviews"],
            serde_json::json!([{
                "id": "2026-review",
                "title": "2026年度民主评议党员",
                "page": "/campaigns/review/",
                "year": 2026,
                "opens": "2026-12-15T00:00:00+08:00",
                "closes": "2027-01-15T22:00:00+08:00",
            }])
        );
        assert_eq!(json["version"], 1);
    }

    #[test]
    fn reviews_are_listed_by_id_and_the_years_bounds_are_allowed() {
        let page = |id: &str, year: u32| {
            review_page(&format!(
                "id = \"{id}\"\nyear = {year}\nopens = 2026-12-15T00:00:00+08:00\ncloses = 2027-01-15T22:00:00+08:00\n"
            ))
        };
        let (catalog, problems) = build_pages(&[
            ("campaigns/a.md", &page("review-2100", 2100)),
            ("campaigns/b.md", &page("review-2000", 2000)),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        let listed: Vec<(&str, i32)> = catalog.reviews.iter().map(|r| (r.id.as_str(), r.year)).collect();
        assert_eq!(listed, [("review-2000", 2000), ("review-2100", 2100)]);
    }

    #[test]
    fn a_local_date_time_is_read_in_the_branchs_zone_as_for_events_and_quizzes() {
        let (catalog, problems) = build_pages(&[(
            "campaigns/review.md",
            &review_page(
                "id = \"2026-review\"\nyear = 2026\nopens = 2026-12-15T00:00:00\ncloses = \"2027-01-15 22:00\"\n",
            ),
        )]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(catalog.reviews[0].opens.to_rfc3339(), "2026-12-15T00:00:00+08:00");
        assert_eq!(catalog.reviews[0].closes.to_rfc3339(), "2027-01-15T22:00:00+08:00");
    }

    #[test]
    fn a_missing_or_invalid_review_id_is_a_problem_at_its_line() {
        let rest = "year = 2026\nopens = 2026-12-15T00:00:00+08:00\ncloses = 2027-01-15T22:00:00+08:00\n";
        let problems = review_problems(&format!("id = \"2026_Review\"\n{rest}"));
        assert_eq!(
            problems,
            [format!(
                "{AT}:4: [extra.review] `id = \"2026_Review\"`: a review id is 3–64 lower-case letters, digits or `-`, e.g. \"2026-review\""
            )]
        );
        for bad in ["id = 2026\n", "id = \"-2026\"\n", "id = \"r#1\"\n"] {
            let problems = review_problems(&format!("{bad}{rest}"));
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
            assert!(problems[0].starts_with(&format!("{AT}:4: [extra.review] `id = ")), "{problems:?}");
        }
        // Not written at all: at the table's header.
        let problems = review_problems(rest);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with(&format!("{AT}:3: [extra.review] `id = \"\"`")), "{problems:?}");
    }

    #[test]
    fn a_review_id_declared_twice_names_both_files() {
        let (catalog, problems) =
            build_pages(&[("campaigns/a.md", &review_page(GOOD)), ("campaigns/b.md", &review_page(GOOD))]);
        assert_eq!(
            problems,
            [
                "content/campaigns/b.md:4: review id `2026-review` is declared twice: also in content/campaigns/a.md"
            ]
        );
        assert_eq!(catalog.reviews.len(), 1, "the first stays; the build fails on the problem anyway");
    }

    #[test]
    fn a_year_that_is_not_a_whole_number_from_2000_to_2100_is_a_problem_at_its_line() {
        let window = "opens = 2026-12-15T00:00:00+08:00\ncloses = 2027-01-15T22:00:00+08:00\n";
        for (year, message) in [
            (
                "1999",
                "`year = 1999`: the year under review is a whole number from 2000 to 2100, e.g. year = 2026",
            ),
            (
                "2101",
                "`year = 2101`: the year under review is a whole number from 2000 to 2100, e.g. year = 2026",
            ),
            (
                "26",
                "`year = 26`: the year under review is a whole number from 2000 to 2100, e.g. year = 2026",
            ),
            (
                "-9223372036854775808",
                "`year = -9223372036854775808`: the year under review is a whole number from 2000 to 2100, e.g. year = 2026",
            ),
            (
                "\"2026\"",
                "`year` must be a whole number from 2000 to 2100 (the year under review), not a string: e.g. year = 2026",
            ),
            (
                "2026.0",
                "`year` must be a whole number from 2000 to 2100 (the year under review), not a float: e.g. year = 2026",
            ),
            (
                "2026-01-01",
                "`year` must be a whole number from 2000 to 2100 (the year under review), not a datetime: e.g. year = 2026",
            ),
        ] {
            let problems = review_problems(&format!("id = \"2026-review\"\nyear = {year}\n{window}"));
            assert_eq!(problems, [format!("{AT}:5: [extra.review] {message}")], "year = {year}");
        }
        // Not written at all: at the table's header.
        assert_eq!(
            review_problems(&format!("id = \"2026-review\"\n{window}")),
            [format!(
                "{AT}:3: [extra.review] `year` is required: the year under review, a whole number from 2000 to 2100 such as 2026"
            )]
        );
    }

    #[test]
    fn opens_and_closes_that_are_not_date_times_are_problems() {
        let opens_required = format!(
            "{AT}:3: [extra.review] `opens` is required: a date-time such as 2026-12-09T07:00:00+08:00"
        );
        let closes_required = format!(
            "{AT}:3: [extra.review] `closes` is required: a date-time such as 2026-12-09T22:00:00+08:00"
        );
        let head = "id = \"2026-review\"\nyear = 2026\n";
        assert_eq!(
            review_problems(&format!("{head}opens = \"tomorrow\"\ncloses = 1\n")),
            [opens_required.clone(), closes_required.clone()]
        );
        assert_eq!(
            review_problems(&format!("{head}opens = 07:00:00\ncloses = 2027-01-15T22:00:00+08:00\n")),
            std::slice::from_ref(&opens_required)
        );
        assert_eq!(
            review_problems(&format!("{head}opens = 2026-12-15T00:00:00+08:00\ncloses = []\n")),
            std::slice::from_ref(&closes_required)
        );
        assert_eq!(review_problems(head), [opens_required, closes_required]);
    }

    #[test]
    fn a_review_that_does_not_close_after_it_opens_is_a_problem_at_closes() {
        let head = "id = \"2026-review\"\nyear = 2026\nopens = 2026-12-15T00:00:00+08:00\n";
        for closes in ["2026-12-14T22:00:00+08:00", "2026-12-15T00:00:00+08:00", "2026-12-14T15:00:00Z"] {
            let problems = review_problems(&format!("{head}closes = {closes}\n"));
            assert_eq!(problems.len(), 1, "{closes}: {problems:?}");
            assert!(
                problems[0].starts_with(&format!("{AT}:7: [extra.review] review `2026-review` closes (")),
                "{problems:?}"
            );
            assert!(problems[0].ends_with("before it opens (2026-12-15 00:00:00 +08:00)"), "{problems:?}");
        }
    }

    #[test]
    fn unknown_keys_in_a_review_are_problems_at_their_lines() {
        let problems = review_problems(&format!("{GOOD}colour = \"red\"\nevent = \"2026-review\"\n"));
        assert_eq!(
            problems,
            [
                format!("{AT}:8: [extra.review] unknown key `colour` (known: id, year, opens, closes)"),
                format!("{AT}:9: [extra.review] unknown key `event` (known: id, year, opens, closes)"),
            ]
        );
    }

    #[test]
    fn a_review_that_is_not_a_table_is_a_problem() {
        let (catalog, problems) = build_pages(&[(
            "campaigns/review.md",
            "+++\ntitle = \"评议\"\n[extra]\nreview = \"2026-review\"\n+++\n",
        )]);
        assert!(catalog.reviews.is_empty());
        assert_eq!(problems, [format!("{AT}:4: `[extra.review]` must be a table")]);
    }

    #[test]
    fn every_problem_of_a_review_is_reported_at_once() {
        let problems = review_problems(
            "id = \"Bad Id\"\nyear = 1921\nopens = 2027-01-15T22:00:00+08:00\ncloses = 2026-12-15T00:00:00+08:00\nvoters = 30\n",
        );
        let lines: Vec<&str> = problems.iter().map(|p| p.split(": ").next().unwrap()).collect();
        assert_eq!(
            lines,
            [format!("{AT}:4"), format!("{AT}:5"), format!("{AT}:7"), format!("{AT}:8")],
            "{problems:?}"
        );
    }

    #[test]
    fn explanations_become_plain_text() {
        assert_eq!(
            plain_text("赞成人数超过**应到会**有表决权党员的半数。"),
            "赞成人数超过应到会有表决权党员的半数。"
        );
        assert_eq!(plain_text("见 [党章](@/theory/constitution.md) `第七条`"), "见 党章 第七条");
    }

    #[test]
    fn ids_are_validated() {
        assert!(valid_id("2026-12-09-remembrance"));
        assert!(!valid_id("Bad Id"));
        assert!(!valid_id("ab"));
    }

    #[test]
    fn geofence_bounds_are_checked() {
        let ok: toml::Value =
            toml::from_str::<toml::Table>("g = { lat = 30.5, lon = 114.3, radius_m = 300 }")
                .unwrap()
                .remove("g")
                .unwrap();
        assert!(parse_geofence(&ok).is_ok());
        let bad: toml::Value =
            toml::from_str::<toml::Table>("g = { lat = 130.5, lon = 114.3, radius_m = 300 }")
                .unwrap()
                .remove("g")
                .unwrap();
        assert!(parse_geofence(&bad).unwrap_err().en().contains("lat"));
    }

    #[test]
    fn a_geofence_centre_needs_decimals_for_its_radius() {
        let g = |lat, lon, radius_m| Geofence { lat, lon, radius_m };
        let fm = |lat: &str, lon: &str, r: &str| {
            format!("[extra.signin]\ngeofence = {{ lat = {lat}, lon = {lon}, radius_m = {r} }}\n")
        };
        // Two decimals: some 700 m either way, far more than a tenth of 300 m.
        let coarse =
            centre_too_coarse(&g(30.52, 114.36, 300.0), &fm("30.52", "114.36", "300")).expect("too coarse");
        assert!(coarse.en().contains("2 decimals") && coarse.en().contains("5 decimals"), "{}", coarse.en());
        // Five decimals (about a metre) do for 500 m; trailing zeros as written count.
        assert!(
            centre_too_coarse(&g(30.52036, 114.36012, 500.0), &fm("30.52036", "114.36012", "500")).is_none()
        );
        assert!(centre_too_coarse(&g(30.52, 114.36, 500.0), &fm("30.52000", "114.36000", "500")).is_none());
        // Four decimals (about 7 m) do for 300 m, three (about 70 m) do not.
        assert!(centre_too_coarse(&g(30.5222, 114.361, 300.0), &fm("30.5222", "114.3610", "300")).is_none());
        assert!(centre_too_coarse(&g(30.522, 114.361, 300.0), &fm("30.522", "114.361", "300")).is_some());
        // A wide radius tolerates a rough centre.
        assert!(centre_too_coarse(&g(30.52, 114.36, 10_000.0), &fm("30.52", "114.36", "10000")).is_none());
        // Written as a table of its own, keys on their lines.
        let table = "[extra.signin.geofence]\nlat = 30.5\nlon = 114.36012\nradius_m = 500\n";
        assert!(centre_too_coarse(&g(30.5, 114.36012, 500.0), table).is_some());
    }
}
