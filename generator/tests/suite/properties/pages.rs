//! Properties: Front matter, pages and sections.

use super::*;

// ---------------------------------------------------------------------------------------------
// Front matter, pages and sections.

proptest! {
    #![proptest_config(config())]

    #[test]
    fn front_matter_split_finds_the_body_or_says_what_to_add(text in content_text(PAGE_KEYS)) {
        let f = file();
        let (f2, t) = (f.clone(), text.clone());
        let result = within("front_matter::split", move || {
            front_matter::split(&f2, &t).map(|s| (s.front_matter.to_string(), s.body.to_string(), s.body_line, s.front_matter_line))
        });
        let unbom = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let skipped = unbom[..unbom.len() - unbom.trim_start().len()].matches('\n').count();
        match result {
            Ok((fm, body, body_line, fm_line)) => {
                // Whitespace before the opening line is allowed, as in Zola.
                prop_assert_eq!(fm_line, 2 + skipped);
                let unbom = text.strip_prefix('\u{feff}').unwrap_or(&text);
                let opening = unbom.trim_start();
                prop_assert!(opening.starts_with("+++") || opening.starts_with("---"));
                prop_assert!(unbom.ends_with(&body), "the body is the end of the file");
                let before_body = &unbom[..unbom.len() - body.len()];
                prop_assert!(before_body.contains(&fm));
                if !body.is_empty() {
                    prop_assert_eq!(body_line, 1 + before_body.matches('\n').count(), "body line of {:?}", text);
                }
            }
            Err(p) => {
                assert_located(&p, &f)?;
                prop_assert_eq!(p.line, Some(1 + skipped));
            }
        }
    }

    #[test]
    fn page_parse_gives_a_page_or_a_problem_at_a_line_of_the_file(text in content_text(PAGE_KEYS), cp in content_path()) {
        let f = Path::new("content").join(&cp);
        let (f2, t) = (f.clone(), text.clone());
        let result = within("Page::parse", move || Page::parse(&f2, &cp, t).map(|(p, w)| (p.raw, p.body_line, p.path, w)));
        match result {
            Ok((raw, body_line, path, warnings)) => {
                prop_assert!(text.ends_with(&raw));
                prop_assert!(body_line >= 3);
                prop_assert!(path.starts_with('/') && path.ends_with('/'), "page path {:?}", path);
                for w in &warnings {
                    assert_located(w, &f)?;
                }
            }
            Err(p) => assert_located(&p, &f)?,
        }
    }

    #[test]
    fn section_parse_gives_a_section_or_a_problem_at_a_line_of_the_file(text in content_text(SECTION_KEYS)) {
        let f = PathBuf::from("content/notices/_index.md");
        let (f2, t) = (f.clone(), text.clone());
        let result = within("Section::parse", move || {
            Section::parse(&f2, "notices/_index.md", t).map(|(s, w)| (s.raw, s.path, w))
        });
        match result {
            Ok((raw, path, warnings)) => {
                prop_assert!(text.ends_with(&raw));
                prop_assert_eq!(path, "/notices/");
                for w in &warnings {
                    assert_located(w, &f)?;
                }
            }
            Err(p) => assert_located(&p, &f)?,
        }
    }
}

/// A front-matter date as zhibu documents it: a day, a local date-time (taken at +08:00) or a
/// date-time with an offset, with or without fractions of a second; written as a TOML date or
/// as a string.
#[derive(Debug, Clone)]
pub(super) struct DateValue {
    pub(super) text: String,
    pub(super) instant: DateTime<FixedOffset>,
    pub(super) date_only: bool,
    pub(super) as_string: bool,
}

pub(super) fn date_value() -> impl Strategy<Value = DateValue> {
    date_value_in(1..=9999)
}

pub(super) fn date_value_in(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = DateValue> {
    (
        (years, 1u32..=12, 1u32..=31)
            .prop_filter_map("a real day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
        prop::option::of((0u32..24, 0u32..60, 0u32..60, prop::option::of(0u32..1_000_000))),
        prop::option::of((-(23 * 60 + 59)..=(23 * 60 + 59)).prop_map(|m: i32| m)),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(day, time, offset_minutes, space, as_string)| {
            let china = FixedOffset::east_opt(8 * 3600).unwrap();
            let Some((h, mi, s, micros)) = time else {
                let instant = china.from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap()).unwrap();
                return DateValue {
                    text: day.format("%Y-%m-%d").to_string(),
                    instant,
                    date_only: true,
                    as_string,
                };
            };
            let nanos = micros.map(|m| m * 1000).unwrap_or(0);
            let naive = day.and_time(NaiveTime::from_hms_nano_opt(h, mi, s, nanos).unwrap());
            let mut text = naive.format("%Y-%m-%dT%H:%M:%S").to_string();
            if let Some(m) = micros {
                text.push_str(&format!(".{m:06}"));
            }
            if space && as_string {
                text = text.replacen('T', " ", 1);
            }
            let (offset, suffix) = match offset_minutes {
                None => (china, String::new()),
                Some(0) => (FixedOffset::east_opt(0).unwrap(), "Z".to_string()),
                Some(m) => {
                    let sign = if m < 0 { '-' } else { '+' };
                    (
                        FixedOffset::east_opt(m * 60).unwrap(),
                        format!("{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60),
                    )
                }
            };
            text.push_str(&suffix);
            let instant = offset.from_local_datetime(&naive).unwrap();
            DateValue { text, instant, date_only: false, as_string }
        })
}

pub(super) fn toml_date(d: &DateValue) -> toml::Value {
    if d.as_string {
        toml::Value::String(d.text.clone())
    } else {
        toml::Value::Datetime(d.text.replacen(' ', "T", 1).parse().unwrap())
    }
}

/// Free-form values as editors put them under `[extra]` (no floats: NaN is not equal to itself).
pub(super) fn toml_value() -> impl Strategy<Value = toml::Value> {
    let leaf = prop_oneof![
        any::<String>().prop_map(toml::Value::String),
        any::<i64>().prop_map(toml::Value::Integer),
        any::<bool>().prop_map(toml::Value::Boolean),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(toml::Value::Array),
            prop::collection::btree_map("[a-z_][a-z0-9_]{0,6}|\\PC{1,4}", inner, 0..4)
                .prop_map(|m| toml::Value::Table(m.into_iter().collect())),
        ]
    })
}

pub(super) fn toml_table() -> impl Strategy<Value = toml::Table> {
    prop::collection::btree_map("[a-z_][a-z0-9_]{0,6}|\\PC{1,4}", toml_value(), 0..4)
        .prop_map(|m| m.into_iter().collect())
}

#[derive(Debug, Clone)]
pub(super) struct PageValues {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) date: Option<DateValue>,
    pub(super) updated: Option<DateValue>,
    pub(super) draft: bool,
    pub(super) slug: Option<String>,
    pub(super) path: Option<String>,
    pub(super) aliases: Vec<String>,
    pub(super) weight: Option<i64>,
    pub(super) template: Option<String>,
    pub(super) authors: Vec<String>,
    pub(super) taxonomies: BTreeMap<String, Vec<String>>,
    pub(super) extra: toml::Table,
}

pub(super) fn page_values() -> impl Strategy<Value = PageValues> {
    (
        (
            prop::option::of(any::<String>()),
            prop::option::of(any::<String>()),
            prop::option::of(date_value()),
            prop::option::of(date_value()),
            any::<bool>(),
            prop::option::of(
                "[A-Za-z0-9 党é_-]{0,12}"
                    .prop_filter("a slug with something left", |s| !path_slug(s).is_empty()),
            ),
            prop::option::of("[a-z/]{0,12}"),
        ),
        (
            prop::collection::vec(any::<String>(), 0..3),
            prop::option::of(any::<i64>()),
            prop::option::of("[a-z]{1,8}\\.html"),
            prop::collection::vec(any::<String>(), 0..3),
            prop::collection::btree_map(
                "tags|categories|\\PC{1,5}",
                prop::collection::vec(any::<String>(), 0..3),
                0..3,
            ),
            toml_table(),
        ),
    )
        .prop_map(
            |(
                (title, description, date, updated, draft, slug, path),
                (aliases, weight, template, authors, taxonomies, extra),
            )| {
                PageValues {
                    title,
                    description,
                    date,
                    updated,
                    draft,
                    slug,
                    path,
                    aliases,
                    weight,
                    template,
                    authors,
                    taxonomies,
                    extra,
                }
            },
        )
}

impl PageValues {
    fn front_matter(&self) -> String {
        let mut t = toml::Table::new();
        let mut put = |k: &str, v: Option<toml::Value>| {
            if let Some(v) = v {
                t.insert(k.to_string(), v);
            }
        };
        put("title", self.title.clone().map(toml::Value::String));
        put("description", self.description.clone().map(toml::Value::String));
        put("date", self.date.as_ref().map(toml_date));
        put("updated", self.updated.as_ref().map(toml_date));
        put("draft", self.draft.then_some(toml::Value::Boolean(true)));
        put("slug", self.slug.clone().map(toml::Value::String));
        put("path", self.path.clone().map(toml::Value::String));
        put("aliases", Some(toml::Value::try_from(&self.aliases).unwrap()));
        put("weight", self.weight.map(toml::Value::Integer));
        put("template", self.template.clone().map(toml::Value::String));
        put("authors", Some(toml::Value::try_from(&self.authors).unwrap()));
        put("taxonomies", Some(toml::Value::try_from(&self.taxonomies).unwrap()));
        put("extra", Some(toml::Value::Table(self.extra.clone())));
        toml::to_string(&t).unwrap()
    }
}

pub(super) fn same_date(got: Option<&Date>, want: Option<&DateValue>) -> Result<(), TestCaseError> {
    match (got, want) {
        (None, None) => Ok(()),
        (Some(g), Some(w)) => {
            prop_assert_eq!(g.instant, w.instant, "{} read as {}", &w.text, g.rfc3339());
            prop_assert_eq!(g.instant.offset(), w.instant.offset());
            prop_assert_eq!(g.date_only, w.date_only);
            Ok(())
        }
        (g, w) => Err(TestCaseError::fail(format!("date {g:?}, expected {w:?}"))),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn page_front_matter_that_zhibu_could_write_parses_back_to_the_same_values(
        v in page_values(),
        body in any_text(200),
    ) {
        let fm = v.front_matter();
        // A multi-line string may hold a line that is exactly `+++`; like Zola, the first such
        // line closes the front matter. Not what an editor writes; left out here.
        prop_assume!(!fm.lines().any(|l| l.trim_end() == "+++"));
        let text = format!("+++\n{fm}+++\n{body}");
        let f = file();
        let (page, warnings) = Page::parse(&f, "notices/a.md", text.clone())
            .map_err(|p| TestCaseError::fail(format!("{p}\n--- front matter:\n{fm}")))?;
        prop_assert!(warnings.is_empty(), "{:?}", warnings);
        let m = &page.meta;
        prop_assert_eq!(&m.title, &v.title);
        prop_assert_eq!(&m.description, &v.description);
        same_date(m.date.as_ref(), v.date.as_ref())?;
        same_date(m.updated.as_ref(), v.updated.as_ref())?;
        prop_assert_eq!(m.draft, v.draft);
        prop_assert_eq!(&m.slug, &v.slug);
        prop_assert_eq!(&m.path, &v.path);
        prop_assert_eq!(&m.aliases, &v.aliases);
        prop_assert_eq!(m.weight, v.weight);
        prop_assert_eq!(&m.template, &v.template);
        prop_assert_eq!(&m.authors, &v.authors);
        prop_assert_eq!(&m.taxonomies, &v.taxonomies);
        prop_assert_eq!(&m.extra, &v.extra);
        prop_assert_eq!(&page.raw, &body);
        prop_assert_eq!(page.body_line, 3 + fm.matches('\n').count());
        if let Some(slug) = &v.slug {
            prop_assert_eq!(&page.slug, &path_slug(slug));
        }
    }

    #[test]
    fn a_date_is_read_as_the_instant_it_names(d in date_value()) {
        let got = Date::parse(&d.text);
        same_date(got.as_ref(), Some(&d))?;
    }

    #[test]
    fn date_parse_never_panics(text in prop_oneof![any_text(40), soup(FRONT_MATTER_PIECES, 6)]) {
        let _ = within("Date::parse", move || Date::parse(&text));
    }
}
