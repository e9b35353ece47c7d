//! Properties: The catalog's declarations in front matter

use super::*;

// ---------------------------------------------------------------------------------------------
// The catalog's declarations in front matter

#[rustfmt::skip]
pub(super) const DECLARATION_PIECES: &[&str] = &[
    "[extra.signin]\n", "[extra.campaign]\n", "[extra.quiz_round]\n", "[[extra.quiz]]\n", "[extra]\n",
    "signin = 1\n", "campaign = \"x\"\n", "event = \"2026-12-09-remembrance\"\n", "event = \"Bad Id\"\n",
    "event = 3\n", "id = \"constitution-100\"\n", "id = \"-x-\"\n", "opens = 2026-12-09T07:00:00+08:00\n",
    "closes = 2026-12-09T22:00:00+08:00\n", "closes = 2026-12-08T22:00:00+08:00\n",
    "opens = \"2026-12-09 07:00\"\n", "closes = 07:00:00\n", "opens = \"tomorrow\"\n",
    "starts = 2026-12-01\n", "starts = 1\n", "days = 100\n", "days = 0\n", "days = 367\n", "days = -1\n",
    "days = 1.5\n", "geofence = { lat = 30.52036, lon = 114.36012, radius_m = 500 }\n",
    "geofence = { lat = nan, lon = 0, radius_m = 1 }\n", "geofence = { lat = 91, lon = 0, radius_m = 1 }\n",
    "geofence = { lat = 0, lon = 0, radius_m = inf }\n", "geofence = \"here\"\n", "question = \"问\"\n",
    "options = [\"a\", \"b\"]\n", "options = [\"a\"]\n", "options = []\n", "answer = 1\n", "answer = 3\n",
    "answer = -9223372036854775808\n", "source = \"党章\"\n", "explain = \"**粗** [x](@/a.md)\"\n",
    "schedule = \"data/x.toml\"\n", "colour = 1\n", "quiz = 1\n", "[extra.review]\n", "review = 1\n",
    "id = \"2026-review\"\n", "year = 2026\n", "year = 1999\n", "year = \"2026\"\n",
    "year = -9223372036854775808\n",
];

/// One `[extra.<table>]` with each of its keys at most once (else the TOML is refused before
/// the catalog sees it), in any order.
pub(super) fn table(
    header: &'static str,
    keys: &'static [(&'static str, &'static [&'static str])],
) -> BoxedStrategy<String> {
    let lines: Vec<_> = keys
        .iter()
        .map(|(key, values)| {
            prop::option::of(prop::sample::select(*values))
                .prop_map(move |v| v.map(|v| format!("{key} = {v}\n")).unwrap_or_default())
        })
        .collect();
    lines.prop_shuffle().prop_map(move |lines| format!("{header}{}", lines.concat())).boxed()
}

pub(super) const WINDOW_OPENS: &[&str] =
    &["2026-12-09T07:00:00+08:00", "\"2026-12-09 07:00\"", "07:00:00", "\"tomorrow\"", "2026-12-09", "[]"];
pub(super) const WINDOW_CLOSES: &[&str] =
    &["2026-12-09T22:00:00+08:00", "2026-12-08T22:00:00+08:00", "2026-12-09T07:00:00+08:00", "1", "\"\""];
pub(super) const IDS: &[&str] =
    &["\"2026-12-09-remembrance\"", "\"constitution-100\"", "\"Bad Id\"", "\"-ab\"", "\"\"", "3"];

/// `[extra.signin]`, `[extra.campaign]`, `[extra.quiz_round]` with `[[extra.quiz]]` and
/// `[extra.review]` with good and bad values, or the tables written some other way, or a soup of
/// their lines.
pub(super) fn declarations() -> impl Strategy<Value = String> {
    let structured = (
        prop::option::of(table(
            "[extra.signin]\n",
            &[
                ("event", IDS),
                ("opens", WINDOW_OPENS),
                ("closes", WINDOW_CLOSES),
                (
                    "geofence",
                    &[
                        "{ lat = 30.52036, lon = 114.36012, radius_m = 500 }",
                        "{ lat = 30.52, lon = 114.36, radius_m = 300 }",
                        "{ lat = nan, lon = 0, radius_m = 1 }",
                        "{ lat = 91, lon = 0, radius_m = 1 }",
                        "{ lat = 0, lon = 0, radius_m = inf }",
                        "{ lat = 0, lon = 0 }",
                        "\"here\"",
                    ],
                ),
                ("colour", &["1"]),
            ],
        )),
        prop::option::of(table(
            "[extra.campaign]\n",
            &[
                ("id", IDS),
                ("starts", &["2026-12-01", "2026-12-01T08:00:00+08:00", "\"2026-12-01\"", "1", "\"soon\""]),
                ("days", &["100", "0", "366", "367", "-1", "1.5", "\"100\""]),
                ("schedule", &["\"data/x.toml\""]),
                ("colour", &["1"]),
            ],
        )),
        prop::option::of(table(
            "[extra.quiz_round]\n",
            &[("id", IDS), ("opens", WINDOW_OPENS), ("closes", WINDOW_CLOSES), ("colour", &["1"])],
        )),
        prop::collection::vec(
            table(
                "[[extra.quiz]]\n",
                &[
                    ("question", &["\"问\"", "\"\"", "1"]),
                    ("options", &["[\"a\", \"b\"]", "[\"a\"]", "[]", "[1, 2]", "\"a\""]),
                    ("answer", &["1", "2", "3", "0", "-9223372036854775808", "\"1\""]),
                    ("source", &["\"党章\"", "\"\""]),
                    ("explain", &["\"**粗** [x](@/a.md)\"", "\"<b>\"", "1"]),
                ],
            ),
            0..3,
        ),
        prop::option::of(table(
            "[extra.review]\n",
            &[
                ("id", IDS),
                (
                    "year",
                    &["2026", "2000", "2100", "1999", "2101", "-9223372036854775808", "\"2026\"", "2026.0"],
                ),
                ("opens", WINDOW_OPENS),
                ("closes", WINDOW_CLOSES),
                ("colour", &["1"]),
            ],
        )),
    )
        .prop_map(|(signin, campaign, round, quiz, review)| {
            format!(
                "{}{}{}{}{}",
                signin.unwrap_or_default(),
                campaign.unwrap_or_default(),
                round.unwrap_or_default(),
                quiz.concat(),
                review.unwrap_or_default()
            )
        });
    let other_shapes = prop::collection::vec(
        prop::sample::select(
            &[
                "signin = 1\n",
                "campaign = \"x\"\n",
                "quiz_round = []\n",
                "quiz = 1\n",
                "review = 2026\n",
                "review = { id = \"2026-review\", year = 2026 }\n",
                "signin = { event = \"abc\", opens = 2026-12-09T07:00:00+08:00 }\n",
                "campaign = { id = \"abc\", starts = 2026-12-01, days = 0 }\n",
            ][..],
        ),
        1..4,
    )
    .prop_map(|lines| format!("[extra]\n{}", lines.concat()));
    prop_oneof![6 => structured, 2 => other_shapes, 1 => soup(DECLARATION_PIECES, 14)]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn catalog_declarations_give_entries_or_problems_at_a_line_of_the_page(
        fm in declarations(),
    ) {
        let text = format!("+++\ntitle = \"活动\"\n{fm}+++\n正文\n");
        let f = file();
        let Ok((page, _)) = Page::parse(&f, "notices/a.md", text) else {
            // Not valid TOML: the front matter properties above cover that.
            return Ok(());
        };
        let (base, _) = Config::parse(Path::new("config.toml"), "base_url = \"https://x.cn\"").unwrap();
        let (catalog, problems) = within("catalog::build", move || {
            let (library, _) = Library::assemble(&base, Vec::new(), vec![page]);
            zhibu_generator::catalog::build(&library, &[Rendered::default()], &[Rendered::default()])
        });
        for p in problems.iter() {
            assert_located(p, &f)?;
            prop_assert!(p.line.unwrap() <= 3 + fm.matches('\n').count(), "line past the front matter: {:?}", p);
        }
        for e in &catalog.events {
            prop_assert!(e.opens < e.closes);
        }
        for c in &catalog.campaigns {
            prop_assert!((1..=366).contains(&c.days));
        }
        for r in &catalog.reviews {
            prop_assert!(r.opens < r.closes);
            prop_assert!((2000..=2100).contains(&r.year));
        }
    }

    #[test]
    fn a_declared_review_reaches_the_catalog_with_its_year_and_window(
        id in "[a-z0-9][a-z0-9-]{2,40}",
        year in 2000i32..=2100,
        opens in date_value_in(1970..=2100).prop_filter("a date-time", |d| !d.date_only),
        minutes in 1i64..100_000,
    ) {
        let closes = opens.instant + chrono::Duration::minutes(minutes);
        let text = format!(
            "+++\ntitle = \"民主评议\"\n[extra.review]\nid = \"{id}\"\nyear = {year}\nopens = {}\ncloses = {}\n+++\n",
            opens.instant.to_rfc3339(),
            closes.to_rfc3339()
        );
        let (page, _) = Page::parse(&file(), "notices/a.md", text).map_err(|p| TestCaseError::fail(p.to_string()))?;
        let (base, _) = Config::parse(Path::new("config.toml"), "base_url = \"https://x.cn\"").unwrap();
        let (library, _) = Library::assemble(&base, Vec::new(), vec![page]);
        let (catalog, problems) =
            zhibu_generator::catalog::build(&library, &[Rendered::default()], &[Rendered::default()]);
        prop_assert!(problems.is_empty(), "{:?}", problems);
        prop_assert_eq!(catalog.reviews.len(), 1);
        let r = &catalog.reviews[0];
        prop_assert_eq!(&r.id, &id);
        prop_assert_eq!(r.year, year);
        prop_assert_eq!(r.opens, opens.instant);
        prop_assert_eq!(r.closes, closes);
        prop_assert_eq!(r.page.as_str(), "/notices/a/");
    }

    #[test]
    fn a_declared_event_reaches_the_catalog_with_its_window(
        id in "[a-z0-9][a-z0-9-]{2,40}",
        opens in date_value_in(1970..=2100).prop_filter("a date-time", |d| !d.date_only),
        minutes in 1i64..100_000,
        geofence in prop::option::of((-90.0f64..=90.0, -180.0f64..=180.0, 1u32..=50_000)),
    ) {
        let closes = opens.instant + chrono::Duration::minutes(minutes);
        let mut fm = format!(
            "title = \"活动\"\n[extra.signin]\nevent = \"{id}\"\nopens = {}\ncloses = {}\n",
            opens.instant.to_rfc3339(),
            closes.to_rfc3339()
        );
        if let Some((lat, lon, r)) = geofence {
            fm.push_str(&format!("geofence = {{ lat = {lat:?}, lon = {lon:?}, radius_m = {r} }}\n"));
        }
        let text = format!("+++\n{fm}+++\n");
        let (page, _) = Page::parse(&file(), "notices/a.md", text).map_err(|p| TestCaseError::fail(p.to_string()))?;
        let (base, _) = Config::parse(Path::new("config.toml"), "base_url = \"https://x.cn\"").unwrap();
        let (library, _) = Library::assemble(&base, Vec::new(), vec![page]);
        let (catalog, problems) =
            zhibu_generator::catalog::build(&library, &[Rendered::default()], &[Rendered::default()]);
        prop_assert!(problems.is_empty(), "{:?}", problems);
        prop_assert_eq!(catalog.events.len(), 1);
        let e = &catalog.events[0];
        prop_assert_eq!(&e.id, &id);
        prop_assert_eq!(e.opens, opens.instant);
        prop_assert_eq!(e.closes, closes);
        prop_assert_eq!(e.geofence.as_ref().map(|g| (g.lat, g.lon, g.radius_m)), geofence.map(|(a, b, r)| (a, b, f64::from(r))));
    }
}
