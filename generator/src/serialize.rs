//! What templates see: pages, sections, taxonomies in Zola's names and shapes, built as tera
//! values on demand from the shared library (never a copy of the whole site per page).

use serde_json::{Map, Value, json};

use crate::content::{Item, Page, Section};
use crate::data::SiteData;

/// How much of a page or section to include.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Everything, with neighbours (`lower`/`higher`) and a section's pages.
    Full,
    /// Everything but neighbours and a section's pages: for pages inside lists.
    InList,
    /// Front-matter data, URLs and summary, no content: for neighbours and metadata-only reads.
    Meta,
    /// Just enough to link: title, description, date, path, permalink, slug, relative_path.
    /// For lists that name every page of the site (taxonomy term lists), which would otherwise
    /// cost more memory than all the pages' HTML.
    Link,
}

/// TOML to JSON, turning dates into their TOML text.
pub fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => table_to_json(t),
    }
}

pub fn table_to_json(t: &toml::Table) -> Value {
    Value::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect())
}

fn components(path: &str) -> Value {
    Value::Array(path.split('/').filter(|c| !c.is_empty()).map(|c| Value::String(c.into())).collect())
}

fn colocated(file_content_path: &str) -> String {
    match file_content_path.rfind('/') {
        Some(i) => file_content_path[..=i].to_string(),
        None => String::new(),
    }
}

fn asset_urls(content_path: &str, dir: Option<&std::path::Path>, assets: &[std::path::PathBuf]) -> Value {
    // Zola's shape: the asset's path below `content/`, with a leading `/`
    // (`/blog/post/img/x.png`), ready for `get_url(path=…)`.
    let folder = content_path.rsplit_once('/').map(|(d, _)| format!("/{d}/")).unwrap_or_else(|| "/".into());
    Value::Array(
        assets
            .iter()
            .map(|a| crate::content::asset_path(dir, a))
            .map(|n| Value::String(format!("{folder}{n}")))
            .collect(),
    )
}

pub fn page(data: &SiteData, idx: usize, mode: Mode) -> Value {
    let p: &Page = &data.library.pages[idx];
    if mode == Mode::Link {
        return json!({
            "relative_path": p.content_path,
            "title": p.meta.title,
            "description": p.meta.description,
            "date": p.meta.date.as_ref().map(|d| d.original.clone()),
            "path": p.path,
            "permalink": data.config.make_permalink(&p.path),
            "slug": p.slug,
        });
    }
    let mut m = Map::with_capacity(40);
    let rendered = data.contents.get().map(|c| &c.pages[idx]);
    m.insert("relative_path".into(), Value::String(p.content_path.clone()));
    m.insert("colocated_path".into(), Value::String(colocated(&p.content_path)));
    m.insert("title".into(), p.meta.title.clone().map(Value::String).unwrap_or(Value::Null));
    m.insert("description".into(), p.meta.description.clone().map(Value::String).unwrap_or(Value::Null));
    let (date, rfc, year, month, day) = match &p.meta.date {
        Some(d) => {
            let i = d.instant;
            use chrono::Datelike;
            (
                Value::String(d.original.clone()),
                Value::String(d.rfc3339()),
                Value::from(i.year()),
                Value::from(i.month()),
                Value::from(i.day()),
            )
        }
        None => (Value::Null, Value::Null, Value::Null, Value::Null, Value::Null),
    };
    m.insert("date".into(), date);
    m.insert("date_rfc3339".into(), rfc);
    m.insert("year".into(), year);
    m.insert("month".into(), month);
    m.insert("day".into(), day);
    m.insert(
        "updated".into(),
        p.meta.updated.as_ref().map(|d| Value::String(d.original.clone())).unwrap_or(Value::Null),
    );
    m.insert(
        "updated_rfc3339".into(),
        p.meta.updated.as_ref().map(|d| Value::String(d.rfc3339())).unwrap_or(Value::Null),
    );
    m.insert("slug".into(), Value::String(p.slug.clone()));
    m.insert("path".into(), Value::String(p.path.clone()));
    m.insert("permalink".into(), Value::String(data.config.make_permalink(&p.path)));
    m.insert("components".into(), components(&p.path));
    m.insert(
        "ancestors".into(),
        Value::Array(
            p.ancestors
                .iter()
                .map(|s| Value::String(data.library.sections[*s].content_path.clone()))
                .collect(),
        ),
    );
    m.insert("draft".into(), Value::Bool(p.meta.draft));
    m.insert("weight".into(), p.meta.weight.map(Value::from).unwrap_or(Value::Null));
    m.insert("authors".into(), json!(p.meta.authors));
    m.insert("taxonomies".into(), json!(p.meta.taxonomies));
    m.insert("extra".into(), table_to_json(&p.meta.extra));
    m.insert("lang".into(), Value::String(p.lang.clone()));
    let stats = rendered.map(|r| r.stats).unwrap_or_default();
    m.insert("word_count".into(), Value::from(stats.word_count()));
    m.insert("reading_time".into(), Value::from(stats.reading_time()));
    m.insert("assets".into(), asset_urls(&p.content_path, p.bundle_dir.as_deref(), &p.assets));
    m.insert("translations".into(), translations(data, Item::Page(idx)));
    m.insert("backlinks".into(), Value::Array(Vec::new()));
    let summary = rendered.and_then(|r| r.summary.clone()).map(Value::String).unwrap_or(Value::Null);
    m.insert("summary".into(), summary);
    if matches!(mode, Mode::Full | Mode::InList) {
        m.insert("content".into(), Value::String(rendered.map(|r| r.html.clone()).unwrap_or_default()));
        m.insert("toc".into(), rendered.map(|r| json!(r.toc)).unwrap_or(Value::Array(Vec::new())));
    }
    if mode == Mode::Full {
        m.insert("lower".into(), p.lower.map(|i| page(data, i, Mode::Meta)).unwrap_or(Value::Null));
        m.insert("higher".into(), p.higher.map(|i| page(data, i, Mode::Meta)).unwrap_or(Value::Null));
    }
    Value::Object(m)
}

/// A section; `with_pages` false leaves `pages` empty (paginated sections: use the paginator).
pub fn section(data: &SiteData, idx: usize, mode: Mode, with_pages: bool) -> Value {
    let s: &Section = &data.library.sections[idx];
    let rendered = data.contents.get().map(|c| &c.sections[idx]);
    let mut m = Map::with_capacity(24);
    m.insert("relative_path".into(), Value::String(s.content_path.clone()));
    m.insert("colocated_path".into(), Value::String(colocated(&s.content_path)));
    m.insert("title".into(), s.meta.title.clone().map(Value::String).unwrap_or(Value::Null));
    m.insert("description".into(), s.meta.description.clone().map(Value::String).unwrap_or(Value::Null));
    m.insert("path".into(), Value::String(s.path.clone()));
    m.insert("permalink".into(), Value::String(data.config.make_permalink(&s.path)));
    m.insert("components".into(), components(&s.path));
    let mut ancestors = Vec::new();
    let mut cur = s.parent;
    while let Some(p) = cur {
        ancestors.push(Value::String(data.library.sections[p].content_path.clone()));
        cur = data.library.sections[p].parent;
    }
    ancestors.reverse();
    m.insert("ancestors".into(), Value::Array(ancestors));
    m.insert("extra".into(), table_to_json(&s.meta.extra));
    m.insert("weight".into(), Value::from(s.meta.weight));
    m.insert("lang".into(), Value::String(s.lang.clone()));
    let stats = rendered.map(|r| r.stats).unwrap_or_default();
    m.insert("word_count".into(), Value::from(stats.word_count()));
    m.insert("reading_time".into(), Value::from(stats.reading_time()));
    m.insert("assets".into(), asset_urls(&s.content_path, s.file.parent(), &s.assets));
    m.insert("generate_feeds".into(), Value::Bool(s.meta.generate_feeds));
    m.insert("transparent".into(), Value::Bool(s.meta.transparent));
    m.insert("draft".into(), Value::Bool(s.meta.draft));
    m.insert("paginate_by".into(), s.meta.paginate_by.map(Value::from).unwrap_or(Value::Null));
    m.insert("paginate_reversed".into(), Value::Bool(s.meta.paginate_reversed));
    m.insert("translations".into(), translations(data, Item::Section(idx)));
    m.insert("backlinks".into(), Value::Array(Vec::new()));
    m.insert(
        "subsections".into(),
        Value::Array(
            s.subsections
                .iter()
                .map(|i| Value::String(data.library.sections[*i].content_path.clone()))
                .collect(),
        ),
    );
    m.insert("page_count".into(), Value::from(s.pages.len()));
    if matches!(mode, Mode::Full | Mode::InList) {
        m.insert("content".into(), Value::String(rendered.map(|r| r.html.clone()).unwrap_or_default()));
        m.insert("toc".into(), rendered.map(|r| json!(r.toc)).unwrap_or(Value::Array(Vec::new())));
    }
    let pages = if mode == Mode::Full && with_pages {
        s.pages.iter().map(|p| page(data, *p, Mode::InList)).collect()
    } else {
        Vec::new()
    };
    m.insert("pages".into(), Value::Array(pages));
    Value::Object(m)
}

/// A taxonomy's own description (`taxonomy` in taxonomy templates).
pub fn taxonomy_config(data: &SiteData, t: usize) -> Value {
    let tax = &data.library.taxonomies[t];
    let mut v = json!(tax.config);
    if let Value::Object(m) = &mut v {
        m.insert("slug".into(), Value::String(tax.slug.clone()));
        m.insert("permalink".into(), Value::String(data.config.make_permalink(&tax.path)));
        m.insert("lang".into(), Value::String(tax.lang.clone()));
    }
    v
}

/// A page's or section's `translations`, as Zola gives them: itself and its versions in the
/// other languages (the default language first, then by code), each with `lang`, `title`, `permalink` and `path` (the content
/// file's; Zola gives the file's path on disk).
fn translations(data: &SiteData, item: Item) -> Value {
    let lib = &data.library;
    let mut list: Vec<(&String, Value)> = lib
        .translations_of(item)
        .iter()
        .map(|t| {
            let (lang, title, path, file) = match *t {
                Item::Page(i) => {
                    let p = &lib.pages[i];
                    (&p.lang, &p.meta.title, &p.path, &p.content_path)
                }
                Item::Section(i) => {
                    let s = &lib.sections[i];
                    (&s.lang, &s.meta.title, &s.path, &s.content_path)
                }
            };
            let permalink = data.config.make_permalink(path);
            (lang, json!({"lang": lang, "title": title, "permalink": permalink, "path": file}))
        })
        .collect();
    let default = &data.config.default_language;
    list.sort_by(|a, b| (a.0 != default, a.0).cmp(&(b.0 != default, b.0)));
    Value::Array(list.into_iter().map(|(_, v)| v).collect())
}

/// A term; `pages` holds the given page list (a pager's slice or none).
pub fn term(data: &SiteData, t: usize, term: usize, pages: &[usize], mode: Mode) -> Value {
    let tm = &data.library.taxonomies[t].terms[term];
    json!({
        "name": tm.name,
        "slug": tm.slug,
        "path": tm.path,
        "permalink": data.config.make_permalink(&tm.path),
        "page_count": tm.pages.len(),
        "pages": pages.iter().map(|p| page(data, *p, mode)).collect::<Vec<_>>(),
    })
}
