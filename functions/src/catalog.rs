//! The catalog written by `zhibu build` (`zhibu-catalog.json`): the single source of truth for
//! which events, campaigns and note pages the functions accept. Windows are enforced in the
//! branch's zone.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Geofence {
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Event {
    pub id: String,
    pub title: String,
    pub page: String,
    pub opens: DateTime<FixedOffset>,
    pub closes: DateTime<FixedOffset>,
    pub geofence: Option<Geofence>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Campaign {
    pub id: String,
    pub title: String,
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

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct NotePage {
    pub path: String,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct QuizQuestion {
    pub question: String,
    pub options: Vec<String>,
    /// 1-based index into `options`.
    pub answer: u32,
    pub source: String,
    pub explain: String,
}

/// A quiz round (测一测): answered alone while open; the distribution and the answer key are
/// shown once it closes or an admin reveals them.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Quiz {
    pub id: String,
    pub title: String,
    pub page: String,
    pub opens: DateTime<FixedOffset>,
    pub closes: DateTime<FixedOffset>,
    pub questions: Vec<QuizQuestion>,
}

#[derive(Debug, Deserialize)]
struct File {
    version: u32,
    events: Vec<Event>,
    campaigns: Vec<Campaign>,
    note_pages: Vec<NotePage>,
    /// Added after version 1's first release; older catalogs have none.
    #[serde(default)]
    quizzes: Vec<Quiz>,
}

/// What the site accepts, indexed.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub events: BTreeMap<String, Event>,
    pub campaigns: BTreeMap<String, Campaign>,
    pub note_pages: BTreeMap<String, NotePage>,
    pub quizzes: BTreeMap<String, Quiz>,
}

impl Catalog {
    pub fn from_json(text: &str) -> anyhow::Result<Catalog> {
        let file: File = serde_json::from_str(text)?;
        anyhow::ensure!(file.version == 1, "catalog version {} is not supported (expected 1)", file.version);
        Ok(Catalog {
            events: file.events.into_iter().map(|e| (e.id.clone(), e)).collect(),
            campaigns: file.campaigns.into_iter().map(|c| (c.id.clone(), c)).collect(),
            note_pages: file.note_pages.into_iter().map(|p| (p.path.clone(), p)).collect(),
            quizzes: file.quizzes.into_iter().map(|q| (q.id.clone(), q)).collect(),
        })
    }

    pub fn from_file(path: &std::path::Path) -> anyhow::Result<Catalog> {
        use anyhow::Context as _;
        let text = std::fs::read_to_string(path).with_context(|| {
            format!("cannot read the catalog {} (run `zhibu build` first)", path.display())
        })?;
        Catalog::from_json(&text).with_context(|| format!("invalid catalog {}", path.display()))
    }
}

/// A catalog that `zhibu serve` replaces after every rebuild while requests read it.
#[derive(Default)]
pub struct SharedCatalog(std::sync::RwLock<std::sync::Arc<Catalog>>);

impl SharedCatalog {
    pub fn new(catalog: Catalog) -> Self {
        SharedCatalog(std::sync::RwLock::new(std::sync::Arc::new(catalog)))
    }

    pub fn get(&self) -> std::sync::Arc<Catalog> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn replace(&self, catalog: Catalog) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = std::sync::Arc::new(catalog);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_generator_format() {
        let c = Catalog::from_json(
            r#"{"version":1,"events":[{"id":"e-1","title":"t","page":"/a/","opens":"2026-12-09T07:00:00+08:00","closes":"2026-12-09T22:00:00+08:00","geofence":null}],
                "campaigns":[{"id":"c-1","title":"t","page":"/c/","starts":"2026-09-01","days":100}],
                "note_pages":[{"path":"/a/","title":"t"}]}"#,
        )
        .unwrap();
        assert!(c.events.contains_key("e-1"));
        let campaign = &c.campaigns["c-1"];
        assert_eq!(campaign.day_of(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()), 1);
        assert_eq!(campaign.day_of(NaiveDate::from_ymd_opt(2026, 12, 9).unwrap()), 100);
    }

    #[test]
    fn unknown_versions_are_refused() {
        assert!(Catalog::from_json(r#"{"version":2,"events":[],"campaigns":[],"note_pages":[]}"#).is_err());
    }
}
