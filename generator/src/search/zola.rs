//! Zola's own search index formats, written when a site asks for one with
//! `[search] index_format`, so that a Zola theme loading `search_index.LANG.js` keeps working:
//! `elasticlunr_javascript`, `elasticlunr_json` (through elasticlunr-rs, as Zola does, in the
//! page language's pipeline — Chinese words from jieba; with `elasticlunr.min.js` beside, as
//! Zola writes it) and
//! `fuse_javascript`, `fuse_json`.

use elasticlunr::lang::common::RegexTrimmer;
use elasticlunr::pipeline::FnWrapper;
use elasticlunr::{IndexBuilder, Language, Pipeline};
use serde::Serialize;

use super::Settings;

/// elasticlunr.js 0.9.5 (MIT, its licence in the file's header), from npm's `elasticlunr`: Zola
/// writes it to the output's root for themes that search with it.
pub const ELASTICLUNR_JS: &str = include_str!("elasticlunr.min.js");

/// One page or section as Zola's formats hold it.
#[derive(Clone)]
pub struct Item {
    pub permalink: String,
    pub path: String,
    pub title: String,
    pub description: String,
    pub date: Option<String>,
    pub body: String,
}

/// The value of `search.index_format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    ElasticlunrJavascript,
    ElasticlunrJson,
    FuseJavascript,
    FuseJson,
}

impl Format {
    /// Whether the format is elasticlunr's (and `elasticlunr.min.js` goes with it).
    pub fn elasticlunr(self) -> bool {
        matches!(self, Format::ElasticlunrJavascript | Format::ElasticlunrJson)
    }

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "elasticlunr_javascript" => Format::ElasticlunrJavascript,
            "elasticlunr_json" => Format::ElasticlunrJson,
            "fuse_javascript" => Format::FuseJavascript,
            "fuse_json" => Format::FuseJson,
            _ => return None,
        })
    }
}

/// The file Zola writes for `format` of the pages and sections `items` gives, with its text;
/// none for an elasticlunr index in a language Zola cannot index (see [`language`]), for which
/// `items` is not called.
pub fn write(
    format: Format,
    lang: &str,
    settings: &Settings,
    items: impl FnOnce() -> Vec<Item>,
) -> Option<(String, String)> {
    let body = |b: &str| match settings.truncate_content_length {
        Some(n) => b.chars().take(n).collect(),
        None => b.to_string(),
    };
    match format {
        Format::FuseJavascript | Format::FuseJson => {
            #[derive(Serialize)]
            struct Fuse<'a> {
                url: &'a str,
                title: Option<&'a str>,
                description: Option<&'a str>,
                body: Option<String>,
                path: Option<&'a str>,
            }
            let items = items();
            let list: Vec<Fuse> = items
                .iter()
                .map(|i| Fuse {
                    url: &i.permalink,
                    title: settings.include_title.then_some(i.title.as_str()),
                    description: settings.include_description.then_some(i.description.as_str()),
                    body: settings.include_content.then(|| body(&i.body)),
                    path: settings.include_path.then_some(i.path.as_str()),
                })
                .collect();
            let json = serde_json::to_string(&list).expect("the items serialize");
            Some(if format == Format::FuseJson {
                (format!("search_index.{lang}.json"), json)
            } else {
                (format!("search_index.{lang}.js"), format!("window.searchIndex = {json};"))
            })
        }
        Format::ElasticlunrJavascript | Format::ElasticlunrJson => {
            let mut builder = IndexBuilder::with_language(language(lang)?);
            if settings.include_title {
                builder = builder.add_field("title");
            }
            if settings.include_description {
                builder = builder.add_field("description");
            }
            if settings.include_date {
                builder = builder.add_field("date");
            }
            if settings.include_path {
                builder = builder.add_field_with_tokenizer(
                    "path",
                    Box::new(|t: &str| {
                        t.split(|c: char| c.is_whitespace() || c == '-' || c == '/')
                            .filter(|s| !s.is_empty())
                            .map(str::to_lowercase)
                            .collect()
                    }),
                );
            }
            if settings.include_content {
                builder = builder.add_field("body");
            }
            let mut index = builder.build();
            for i in &items() {
                let mut row = Vec::new();
                if settings.include_title {
                    row.push(i.title.clone());
                }
                if settings.include_description {
                    row.push(i.description.clone());
                }
                if settings.include_date {
                    row.push(i.date.clone().unwrap_or_default());
                }
                if settings.include_path {
                    row.push(i.path.clone());
                }
                if settings.include_content {
                    row.push(body(&i.body));
                }
                index.add_doc(&i.permalink, row);
            }
            let json = index.to_json();
            Some(if format == Format::ElasticlunrJson {
                (format!("search_index.{lang}.json"), json)
            } else {
                (format!("search_index.{lang}.js"), format!("window.searchIndex = {json};"))
            })
        }
    }
}

/// The language elasticlunr indexes `lang` (a language code as the site writes it) in, as Zola
/// picks it: elasticlunr-rs's own for its codes (`en`, `fr`, `de`, …, with their stemmers and
/// stop words), Chinese for `zh` (and for `ja`, which zhibu's build of elasticlunr lacks). None
/// for any other code (`zh-CN`, `en-US`): Zola stops the build there, so no Zola theme can rely
/// on that file, and zhibu's own index serves the site's search.
fn language(lang: &str) -> Option<Box<dyn Language>> {
    match lang.to_ascii_lowercase().as_str() {
        "zh" | "ja" => Some(Box::new(Chinese)),
        code => elasticlunr::lang::from_code(code),
    }
}

/// Chinese for elasticlunr, as elasticlunr-rs's `zh` has it (jieba's words for search, the
/// same trimmer and stop words), with the jieba zhibu already loads.
struct Chinese;

impl Language for Chinese {
    fn name(&self) -> String {
        "Chinese".into()
    }

    fn code(&self) -> String {
        "zh".into()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        super::words::cut_for_search(text)
            .into_iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty())
            .collect()
    }

    fn make_pipeline(&self) -> Pipeline {
        Pipeline {
            queue: vec![
                Box::new(RegexTrimmer::new("trimmer-zh", r"\p{Unified_Ideograph}\p{Latin}")),
                Box::new(FnWrapper("stopWordFilter-zh".into(), |t| match t.as_str() {
                    "的" | "了" => None,
                    _ => Some(t),
                })),
                Box::new(FnWrapper("stemmer-zh".into(), Some)),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<Item> {
        vec![Item {
            permalink: "https://a.cn/notices/dues/".into(),
            path: "/notices/dues/".into(),
            title: "党费标准".into(),
            description: "按月交纳".into(),
            date: Some("2026-11-01".into()),
            body: "党员应当按月交纳党费。".into(),
        }]
    }

    #[test]
    fn fuse_javascript_is_zolas() {
        let (name, text) = write(Format::FuseJavascript, "zh-CN", &Settings::default(), items).unwrap();
        assert_eq!(name, "search_index.zh-CN.js");
        assert_eq!(
            text,
            r#"window.searchIndex = [{"url":"https://a.cn/notices/dues/","title":"党费标准","description":null,"body":"党员应当按月交纳党费。","path":null}];"#
        );
    }

    #[test]
    fn english_is_indexed_as_zola_indexes_it_stemmed_and_without_stop_words() {
        let items = vec![Item {
            permalink: "https://a.cn/posts/running/".into(),
            path: "/posts/running/".into(),
            title: "Running the branch".into(),
            description: String::new(),
            date: None,
            body: "Members are running the meetings online.".into(),
        }];
        let (name, text) =
            write(Format::ElasticlunrJson, "en", &Settings::default(), || items.clone()).unwrap();
        assert_eq!(name, "search_index.en.json");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["lang"], "English");
        let body = &v["index"]["body"]["root"];
        assert!(body["r"]["u"]["n"]["docs"].get("https://a.cn/posts/running/").is_some(), "stemmed: {body}");
        assert!(body["t"]["h"]["e"].get("docs").is_none(), "`the` is a stop word: {body}");
        assert_eq!(language("zh").map(|l| l.code()).as_deref(), Some("zh"));
        assert_eq!(language("fr").map(|l| l.name()).as_deref(), Some("French"));
        assert!(language("zh-CN").is_none() && language("en-US").is_none(), "Zola cannot index these");
        assert!(
            write(Format::ElasticlunrJavascript, "zh-CN", &Settings::default(), || panic!("not asked for"))
                .is_none()
        );
        assert!(write(Format::FuseJavascript, "zh-CN", &Settings::default(), || items).is_some());
    }

    #[test]
    fn elasticlunr_json_has_chinese_words() {
        let (name, text) = write(Format::ElasticlunrJson, "zh", &Settings::default(), items).unwrap();
        assert_eq!(name, "search_index.zh.json");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["fields"], serde_json::json!(["title", "body"]));
        assert_eq!(v["ref"], "id");
        let body = &v["index"]["body"]["root"];
        assert!(body["党"]["费"]["docs"].get("https://a.cn/notices/dues/").is_some(), "{body}");
    }
}
