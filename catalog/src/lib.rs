//! The catalog contract between the site generator and the functions: the JSON that `zhibu
//! build` writes from the pages' front matter (`zhibu-catalog.json`) and the functions read —
//! its types, its format version, where it is written, and the one rule for event, campaign,
//! quiz and review ids. Plain data: no IO here. The generator checks what it puts in (with file and line),
//! the functions index what they read; neither library imports the other, both import this.
//!
//! The catalog holds the quiz rounds' answer keys: it is for the functions only and is never
//! published with the site.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// The file name of the catalog.
pub const FILE_NAME: &str = "zhibu-catalog.json";
/// Where `zhibu build` writes the catalog by default, relative to the site folder: never in the
/// output folder, which is published (the catalog holds the quiz rounds' answer keys).
pub const DEFAULT_PATH: &str = ".zhibu/zhibu-catalog.json";
/// Catalog format version, bumped on an incompatible change. A new list that older catalogs read
/// as empty (`#[serde(default)]`, as `quizzes` and `reviews` were added) is a compatible change
/// and keeps the version.
pub const VERSION: u32 = 1;

/// Event, campaign, quiz and review ids: lower-case ASCII letters, digits and `-`, 3–64 characters, not
/// starting with `-`. The generator refuses a declaration with another id and the functions a
/// request naming one; the DynamoDB store builds keys from these ids with `#` as the separator
/// (`COPY#<campaign>#<member>`), which this rule therefore never lets in.
pub fn valid_id(id: &str) -> bool {
    (3..=64).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

/// An on-site sign-in's circle: centre and radius in metres.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Geofence {
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
}

/// A sign-in event (`[extra.signin]`), open from `opens` to `closes`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    pub id: String,
    pub title: String,
    /// Site path of the page that declares it.
    pub page: String,
    pub opens: DateTime<FixedOffset>,
    pub closes: DateTime<FixedOffset>,
    pub geofence: Option<Geofence>,
}

/// A campaign of daily handwritten copies (`[extra.campaign]`): day 1 is `starts`, the last
/// day is day `days`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Campaign {
    pub id: String,
    pub title: String,
    /// Site path of the page that declares it.
    pub page: String,
    pub starts: NaiveDate,
    pub days: u32,
}

impl Campaign {
    /// The campaign day of a date (1 on `starts`); may be outside 1..=days.
    pub fn day_of(&self, date: NaiveDate) -> i64 {
        (date - self.starts).num_days() + 1
    }
}

/// A page that takes study notes (it holds the `note_form()` shortcode).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NotePage {
    pub path: String,
    pub title: String,
}

/// A question of a quiz round, with its answer key (kept from members until the round closes or
/// an admin reveals it).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuizQuestion {
    pub question: String,
    pub options: Vec<String>,
    /// 1-based index into `options`.
    pub answer: u32,
    pub source: String,
    /// The explanation as plain text (Markdown markup removed).
    pub explain: String,
}

/// A quiz round (测一测, `[extra.quiz_round]` with `[[extra.quiz]]`): answered alone while open;
/// the distribution and the answer key are shown once it closes or an admin reveals them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Quiz {
    pub id: String,
    pub title: String,
    /// Site path of the page that declares it.
    pub page: String,
    pub opens: DateTime<FixedOffset>,
    pub closes: DateTime<FixedOffset>,
    pub questions: Vec<QuizQuestion>,
}

/// A yearly democratic review of members (民主评议党员, `[extra.review]`) of the year `year`,
/// open from `opens` to `closes` (usually in the weeks after the year ends).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Review {
    pub id: String,
    pub title: String,
    /// Site path of the page that declares it.
    pub page: String,
    /// The year under review (2000–2100).
    pub year: i32,
    pub opens: DateTime<FixedOffset>,
    pub closes: DateTime<FixedOffset>,
}

/// The whole catalog, as written: every list sorted (events, campaigns, quizzes and reviews by
/// id, note pages by path).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Catalog {
    pub version: u32,
    pub events: Vec<Event>,
    pub campaigns: Vec<Campaign>,
    pub note_pages: Vec<NotePage>,
    /// Added after version 1's first release; older catalogs have none.
    #[serde(default)]
    pub quizzes: Vec<Quiz>,
    /// Added later still, a compatible addition within version 1: older catalogs have none.
    #[serde(default)]
    pub reviews: Vec<Review>,
}

/// Why a text is not a catalog this zhibu can read.
#[derive(Debug)]
pub enum ReadError {
    /// Not JSON, or not the shape of a catalog.
    Json(serde_json::Error),
    /// A catalog of another format version (written by another zhibu).
    Version { found: u32 },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Json(e) => e.fmt(f),
            ReadError::Version { found } => write!(
                f,
                "catalog version {found} is not supported (expected {VERSION}): build the site with the same zhibu as the functions"
            ),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Json(e) => e.source(),
            ReadError::Version { .. } => None,
        }
    }
}

impl Catalog {
    /// The catalog's file contents: pretty JSON ending in a newline, the same bytes for the same
    /// catalog.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the catalog is plain data") + "\n"
    }

    /// Reads a catalog, refusing one of another format version before looking at its shape (a
    /// newer format may well not parse as this one).
    pub fn from_json(text: &str) -> Result<Catalog, ReadError> {
        #[derive(Deserialize)]
        struct Header {
            version: u32,
        }
        let header: Header = serde_json::from_str(text).map_err(ReadError::Json)?;
        if header.version != VERSION {
            return Err(ReadError::Version { found: header.version });
        }
        serde_json::from_str(text).map_err(ReadError::Json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn full_catalog() -> Catalog {
        Catalog {
            version: VERSION,
            events: vec![
                Event {
                    id: "2026-12-09-remembrance".into(),
                    title: "纪念一二·九运动主题党日".into(),
                    page: "/campaigns/1209/".into(),
                    opens: at("2026-12-09T07:00:00+08:00"),
                    closes: at("2026-12-09T22:00:00+08:00"),
                    geofence: Some(Geofence { lat: 30.52, lon: 114.36, radius_m: 300.0 }),
                },
                Event {
                    id: "2026-12-online-study".into(),
                    title: "线上党课".into(),
                    page: "/school/online/".into(),
                    opens: at("2026-12-09T07:00:00+08:00"),
                    closes: at("2026-12-20T22:00:00+08:00"),
                    geofence: None,
                },
            ],
            campaigns: vec![Campaign {
                id: "constitution-100".into(),
                title: "手抄党章100天".into(),
                page: "/campaigns/copy/".into(),
                starts: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                days: 100,
            }],
            note_pages: vec![NotePage { path: "/theory/constitution/".into(), title: "学习党章".into() }],
            quizzes: vec![Quiz {
                id: "2026-12-regulations".into(),
                title: "测一测：支部工作条例".into(),
                page: "/campaigns/quiz/".into(),
                opens: at("2026-12-01T08:00:00+08:00"),
                closes: at("2026-12-10T22:00:00+08:00"),
                questions: vec![QuizQuestion {
                    question: "支部党员大会一般多久召开一次？".into(),
                    options: vec!["每月".into(), "每季度".into()],
                    answer: 2,
                    source: "《中国共产党支部工作条例（试行）》第十一条".into(),
                    explain: "一般每季度召开一次。".into(),
                }],
            }],
            reviews: vec![Review {
                id: "2026-review".into(),
                title: "2026年度民主评议党员".into(),
                page: "/campaigns/review-2026/".into(),
                year: 2026,
                opens: at("2026-12-15T00:00:00+08:00"),
                closes: at("2027-01-15T22:00:00+08:00"),
            }],
        }
    }

    /// The bytes `zhibu build` writes: field names, their order, `null` for no geofence.
    const FULL_JSON: &str = r#"{
  "version": 1,
  "events": [
    {
      "id": "2026-12-09-remembrance",
      "title": "纪念一二·九运动主题党日",
      "page": "/campaigns/1209/",
      "opens": "2026-12-09T07:00:00+08:00",
      "closes": "2026-12-09T22:00:00+08:00",
      "geofence": {
        "lat": 30.52,
        "lon": 114.36,
        "radius_m": 300.0
      }
    },
    {
      "id": "2026-12-online-study",
      "title": "线上党课",
      "page": "/school/online/",
      "opens": "2026-12-09T07:00:00+08:00",
      "closes": "2026-12-20T22:00:00+08:00",
      "geofence": null
    }
  ],
  "campaigns": [
    {
      "id": "constitution-100",
      "title": "手抄党章100天",
      "page": "/campaigns/copy/",
      "starts": "2026-12-01",
      "days": 100
    }
  ],
  "note_pages": [
    {
      "path": "/theory/constitution/",
      "title": "学习党章"
    }
  ],
  "quizzes": [
    {
      "id": "2026-12-regulations",
      "title": "测一测：支部工作条例",
      "page": "/campaigns/quiz/",
      "opens": "2026-12-01T08:00:00+08:00",
      "closes": "2026-12-10T22:00:00+08:00",
      "questions": [
        {
          "question": "支部党员大会一般多久召开一次？",
          "options": [
            "每月",
            "每季度"
          ],
          "answer": 2,
          "source": "《中国共产党支部工作条例（试行）》第十一条",
          "explain": "一般每季度召开一次。"
        }
      ]
    }
  ],
  "reviews": [
    {
      "id": "2026-review",
      "title": "2026年度民主评议党员",
      "page": "/campaigns/review-2026/",
      "year": 2026,
      "opens": "2026-12-15T00:00:00+08:00",
      "closes": "2027-01-15T22:00:00+08:00"
    }
  ]
}
"#;

    #[test]
    fn a_full_catalog_is_written_in_the_agreed_shape_and_read_back_unchanged() {
        let catalog = full_catalog();
        let json = catalog.to_json();
        assert_eq!(json, FULL_JSON);
        let read = Catalog::from_json(&json).unwrap();
        assert_eq!(read, catalog);
        assert_eq!(read.to_json(), json, "the same catalog, the same bytes");
    }

    #[test]
    fn an_empty_catalog_still_writes_every_list() {
        let json = Catalog { version: VERSION, ..Catalog::default() }.to_json();
        assert_eq!(
            json,
            "{\n  \"version\": 1,\n  \"events\": [],\n  \"campaigns\": [],\n  \"note_pages\": [],\n  \"quizzes\": [],\n  \"reviews\": []\n}\n"
        );
    }

    #[test]
    fn a_catalog_from_before_quizzes_reads_as_having_none() {
        let c = Catalog::from_json(r#"{"version":1,"events":[],"campaigns":[],"note_pages":[]}"#).unwrap();
        assert!(c.quizzes.is_empty());
        assert!(c.reviews.is_empty());
    }

    #[test]
    fn a_catalog_from_before_reviews_reads_as_having_none() {
        // What a zhibu with quizzes but no reviews wrote: the same version, read as before.
        let mut without = full_catalog();
        without.reviews.clear();
        let json = without.to_json().replace(",\n  \"reviews\": []", "");
        assert!(!json.contains("reviews"), "{json}");
        let read = Catalog::from_json(&json).unwrap();
        assert!(read.reviews.is_empty());
        assert_eq!(read, without);
    }

    #[test]
    fn a_review_of_the_wrong_shape_is_refused() {
        let review = |year: &str| {
            format!(
                r#"{{"version":1,"events":[],"campaigns":[],"note_pages":[],"reviews":[{{"id":"2026-review","title":"t","page":"/r/","year":{year},"opens":"2026-12-15T00:00:00+08:00","closes":"2027-01-15T22:00:00+08:00"}}]}}"#
            )
        };
        assert_eq!(Catalog::from_json(&review("2026")).unwrap().reviews[0].year, 2026);
        for bad in ["\"2026\"", "2026.5", "null"] {
            let err = Catalog::from_json(&review(bad)).unwrap_err();
            assert!(matches!(err, ReadError::Json(_)), "{bad}: {err:?}");
        }
    }

    #[test]
    fn another_version_is_refused_with_a_clear_error() {
        let err =
            Catalog::from_json(r#"{"version":2,"events":[],"campaigns":[],"note_pages":[]}"#).unwrap_err();
        assert!(matches!(err, ReadError::Version { found: 2 }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "catalog version 2 is not supported (expected 1): build the site with the same zhibu as the functions"
        );
        // A newer format's other shape is still reported as a version mismatch.
        let err = Catalog::from_json(r#"{"version":2,"events":{"by_id":{}}}"#).unwrap_err();
        assert!(matches!(err, ReadError::Version { found: 2 }), "{err:?}");
    }

    #[test]
    fn text_that_is_not_a_catalog_is_refused() {
        for text in ["", "[]", r#"{"version":"1"}"#, r#"{"version":1}"#, r#"{"version":1,"events":{}}"#] {
            let err = Catalog::from_json(text).unwrap_err();
            assert!(matches!(err, ReadError::Json(_)), "{text}: {err:?}");
        }
    }

    #[test]
    fn ids_follow_one_rule() {
        // What the generator and the functions each accepted before sharing this rule.
        for ok in ["2026-12-09-remembrance", "constitution-100", "e-1", "abc", "a--", "123", &"x".repeat(64)]
        {
            assert!(valid_id(ok), "{ok} is an id");
        }
        for bad in [
            "",
            "ab",
            "Bad Id",
            "ABC",
            "-abc",
            "a_b",
            "a.b",
            "a/b",
            "e#1",
            "#abc",
            "abc#",
            "事件一",
            "é-abc",
            "abc\n",
            &"x".repeat(65),
        ] {
            assert!(!valid_id(bad), "{bad:?} is not an id");
        }
    }

    #[test]
    fn campaign_days_count_from_one() {
        let c = &full_catalog().campaigns[0];
        assert_eq!(c.day_of(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), 1);
        assert_eq!(c.day_of(NaiveDate::from_ymd_opt(2027, 3, 10).unwrap()), 100);
        assert_eq!(c.day_of(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()), 0);
    }
}
