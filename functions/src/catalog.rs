//! The catalog as the functions use it: the build's `zhibu-catalog.json`, read with the
//! `zhibu-catalog` crate's types (the format the generator writes with, its version and id rule)
//! and indexed by id for lookups; the single source of truth for which events, campaigns, quiz
//! rounds, review rounds and note pages the functions accept. Windows are enforced in the branch's zone.

use std::collections::BTreeMap;

pub use zhibu_catalog::{
    Campaign, DEFAULT_PATH, Event, FILE_NAME, Geofence, NotePage, Quiz, QuizQuestion, Review, VERSION,
};

/// What the site accepts, indexed.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub events: BTreeMap<String, Event>,
    pub campaigns: BTreeMap<String, Campaign>,
    pub note_pages: BTreeMap<String, NotePage>,
    pub quizzes: BTreeMap<String, Quiz>,
    /// The yearly democratic reviews (民主评议党员) by id; none in a catalog written before them.
    pub reviews: BTreeMap<String, Review>,
}

impl Catalog {
    /// Reads the catalog's JSON; one of another format version is refused.
    pub fn from_json(text: &str) -> anyhow::Result<Catalog> {
        Ok(Catalog::from(zhibu_catalog::Catalog::from_json(text)?))
    }

    pub fn from_file(path: &std::path::Path) -> anyhow::Result<Catalog> {
        use anyhow::Context as _;
        let text = std::fs::read_to_string(path).with_context(|| {
            format!("cannot read the catalog {} (run `zhibu build` first)", path.display())
        })?;
        Catalog::from_json(&text).with_context(|| format!("invalid catalog {}", path.display()))
    }
}

/// Indexes a catalog as written (events, campaigns, quizzes and reviews by id, note pages by
/// path).
impl From<zhibu_catalog::Catalog> for Catalog {
    fn from(file: zhibu_catalog::Catalog) -> Catalog {
        Catalog {
            events: file.events.into_iter().map(|e| (e.id.clone(), e)).collect(),
            campaigns: file.campaigns.into_iter().map(|c| (c.id.clone(), c)).collect(),
            note_pages: file.note_pages.into_iter().map(|p| (p.path.clone(), p)).collect(),
            quizzes: file.quizzes.into_iter().map(|q| (q.id.clone(), q)).collect(),
            reviews: file.reviews.into_iter().map(|r| (r.id.clone(), r)).collect(),
        }
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
    use chrono::NaiveDate;

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
        assert!(c.reviews.is_empty(), "a catalog from before reviews has none");
    }

    #[test]
    fn indexes_reviews_by_id() {
        let c = Catalog::from_json(
            r#"{"version":1,"events":[],"campaigns":[],"note_pages":[],"quizzes":[],
                "reviews":[
                  {"id":"2026-review","title":"2026年度民主评议党员","page":"/campaigns/review-2026/","year":2026,"opens":"2026-12-15T00:00:00+08:00","closes":"2027-01-15T22:00:00+08:00"},
                  {"id":"2025-review","title":"2025年度民主评议党员","page":"/campaigns/review-2025/","year":2025,"opens":"2025-12-15T00:00:00+08:00","closes":"2026-01-15T22:00:00+08:00"}]}"#,
        )
        .unwrap();
        assert_eq!(c.reviews.keys().collect::<Vec<_>>(), ["2025-review", "2026-review"]);
        let review: &Review = &c.reviews["2026-review"];
        assert_eq!(review.year, 2026);
        assert_eq!(review.page, "/campaigns/review-2026/");
        assert_eq!(review.opens.to_rfc3339(), "2026-12-15T00:00:00+08:00");
        assert_eq!(review.closes.to_rfc3339(), "2027-01-15T22:00:00+08:00");
    }

    #[test]
    fn unknown_versions_are_refused() {
        assert!(Catalog::from_json(r#"{"version":2,"events":[],"campaigns":[],"note_pages":[]}"#).is_err());
    }
}
