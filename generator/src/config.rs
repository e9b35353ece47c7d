//! `config.toml`: Zola 0.22's keys. A key Zola does not know is an error naming it, so typos do
//! not pass silently; a Zola key that zhibu does not implement yet is a warning, so an existing
//! Zola site still builds.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::messages::{self, KeyKind, Lang, Syntax, Text};
use crate::problems::{Problem, Warnings};
use crate::strict_toml::{self, Keys, find_key_line};

/// One taxonomy, e.g. `{ name = "tags", paginate_by = 10, feed = true }`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    pub name: String,
    #[serde(default)]
    pub paginate_by: Option<usize>,
    #[serde(default)]
    pub paginate_path: Option<String>,
    #[serde(default)]
    pub feed: bool,
    #[serde(default = "yes")]
    pub render: bool,
    /// Zola's per-language taxonomies; accepted for compatibility, zhibu is single-language.
    #[serde(default, skip_serializing)]
    pub lang: Option<String>,
}

impl TaxonomyConfig {
    pub fn paginate_path(&self) -> &str {
        self.paginate_path.as_deref().unwrap_or("page")
    }
}

fn yes() -> bool {
    true
}

/// `[markdown.highlighting]`. zhibu always highlights with CSS classes (no inline styles).
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct Highlighting {
    /// The theme whose stylesheet `zhibu` writes to `giallo.css`-style `syntax-theme.css`.
    pub theme: Option<String>,
    pub light_theme: Option<String>,
    pub dark_theme: Option<String>,
    pub style: Option<String>,
    pub error_on_missing_language: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(default)]
pub struct Markdown {
    pub highlighting: Option<Highlighting>,
    pub smart_punctuation: bool,
    pub external_links_target_blank: bool,
    pub external_links_no_follow: bool,
    pub external_links_no_referrer: bool,
    pub bottom_footnotes: bool,
    pub definition_list: bool,
}

impl Markdown {
    pub fn highlight_code(&self) -> bool {
        self.highlighting.is_some()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Config {
    pub base_url: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub default_language: String,
    pub theme: Option<String>,
    pub output_dir: String,
    pub author: Option<String>,
    pub taxonomies: Vec<TaxonomyConfig>,
    pub generate_feeds: bool,
    pub feed_filenames: Vec<String>,
    pub feed_limit: Option<usize>,
    pub generate_sitemap: bool,
    pub generate_robots_txt: bool,
    pub exclude_paginated_pages_in_sitemap: String,
    pub ignored_content: Vec<String>,
    pub markdown: Markdown,
    pub extra: toml::Table,
    /// Zola's switch for the site search (generator/src/search/); off unless set.
    pub build_search_index: bool,
    /// Zola's `[search]`, read by the search module.
    pub search: toml::Table,
    /// Compile the site's `sass/` to CSS (generator/src/sass.rs); the theme's always is.
    /// Not shown to templates, as in Zola.
    #[serde(skip_serializing)]
    pub compile_sass: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: String::new(),
            title: None,
            description: None,
            default_language: "zh-CN".into(),
            theme: None,
            output_dir: "public".into(),
            author: None,
            taxonomies: Vec::new(),
            generate_feeds: false,
            feed_filenames: vec!["atom.xml".into()],
            feed_limit: None,
            generate_sitemap: true,
            generate_robots_txt: true,
            exclude_paginated_pages_in_sitemap: "none".into(),
            ignored_content: Vec::new(),
            markdown: Markdown::default(),
            extra: toml::Table::new(),
            build_search_index: false,
            search: toml::Table::new(),
            compile_sass: false,
        }
    }
}

/// Top-level keys zhibu implements.
const IMPLEMENTED: &[&str] = &[
    "base_url",
    "title",
    "description",
    "default_language",
    "theme",
    "output_dir",
    "author",
    "taxonomies",
    "generate_feeds",
    "feed_filenames",
    "feed_limit",
    "generate_sitemap",
    "generate_robots_txt",
    "exclude_paginated_pages_in_sitemap",
    "ignored_content",
    "markdown",
    "extra",
    "build_search_index",
    "search",
    "compile_sass",
];

/// Zola keys that zhibu accepts but does not act on yet.
const NOT_YET: &[&str] = &[
    "preserve_dotfiles_in_output",
    "minify_html",
    "ignored_static",
    "hard_link_static",
    "languages",
    "translations",
    "link_checker",
    "slugify",
    "generate_feed",
    "feed_filename",
];

const MARKDOWN_IMPLEMENTED: &[&str] = &[
    "highlighting",
    "smart_punctuation",
    "external_links_target_blank",
    "external_links_no_follow",
    "external_links_no_referrer",
    "bottom_footnotes",
    "definition_list",
];

const MARKDOWN_NOT_YET: &[&str] = &[
    "render_emoji",
    "lazy_async_image",
    "insert_anchor_links",
    "github_alerts",
    "highlight_code",
    "highlight_theme",
    "highlight_themes_css",
    "extra_syntaxes_and_themes",
    "error_on_missing_highlight",
    "math",
];

const HIGHLIGHTING_IMPLEMENTED: &[&str] =
    &["theme", "light_theme", "dark_theme", "style", "error_on_missing_language"];
const HIGHLIGHTING_NOT_YET: &[&str] = &["extra_grammars", "extra_themes"];

/// The keys of a table of config.toml, named in messages with the tables above it (`prefix`).
const fn settings<'a>(implemented: &'a [&'a str], not_yet: &'a [&'a str], prefix: &'a str) -> Keys<'a> {
    Keys { implemented, not_yet, prefix, kind: KeyKind::Setting }
}

const TOP: Keys = settings(IMPLEMENTED, NOT_YET, "");
const MARKDOWN: Keys = settings(MARKDOWN_IMPLEMENTED, MARKDOWN_NOT_YET, "markdown.");
const HIGHLIGHTING: Keys = settings(HIGHLIGHTING_IMPLEMENTED, HIGHLIGHTING_NOT_YET, "markdown.highlighting.");

impl Config {
    /// Parses `config.toml` text. `file` names it in messages.
    pub fn parse(file: &Path, text: &str) -> Result<(Config, Warnings), Problem> {
        let table: toml::Table = toml::from_str(text).map_err(|e| toml_problem(file, text, &e))?;
        let mut warnings = Vec::new();
        let line_of = |key: &str| find_key_line(text, key);
        TOP.check(&table, file, line_of, &mut warnings)?;
        if let Some(toml::Value::Table(md)) = table.get("markdown") {
            MARKDOWN.check(md, file, line_of, &mut warnings)?;
            if let Some(toml::Value::Table(hl)) = md.get("highlighting") {
                HIGHLIGHTING.check(hl, file, line_of, &mut warnings)?;
                if let Some(style) = hl.get("style").and_then(|s| s.as_str())
                    && style != "class"
                {
                    warnings.push(Problem::in_file(file, messages::highlighting_style(style)));
                }
            }
        }
        let mut known = table.clone();
        for key in NOT_YET {
            known.remove(*key);
        }
        if let Some(toml::Value::Table(md)) = known.get_mut("markdown") {
            for key in MARKDOWN_NOT_YET {
                md.remove(*key);
            }
            if let Some(toml::Value::Table(hl)) = md.get_mut("highlighting") {
                for key in HIGHLIGHTING_NOT_YET {
                    hl.remove(*key);
                }
            }
        }
        let config: Config = known.try_into().map_err(|e: toml::de::Error| {
            // The table has no positions; the text gives the same error with its line (the keys
            // removed above are ignored there too).
            let line = toml::from_str::<Config>(text).err().and_then(|e| strict_toml::error_line(text, &e));
            Problem { line, ..Problem::in_file(file, messages::invalid_configuration(e.message())) }
        })?;
        config.validate(file)?;
        Ok((config, warnings))
    }

    fn validate(&self, file: &Path) -> Result<(), Problem> {
        if self.base_url.trim().is_empty() {
            return Err(Problem::in_file(file, messages::base_url_required()));
        }
        for (i, t) in self.taxonomies.iter().enumerate() {
            if t.name.trim().is_empty() {
                return Err(Problem::in_file(file, messages::taxonomy_without_name(i + 1)));
            }
            if t.paginate_by == Some(0) {
                return Err(Problem::in_file(file, messages::taxonomy_paginate_by(&t.name)));
            }
        }
        self.ignored_content_globs().map_err(|why| Problem::in_file(file, why))?;
        if !matches!(self.exclude_paginated_pages_in_sitemap.as_str(), "none" | "all") {
            return Err(Problem::in_file(file, messages::exclude_paginated_pages()));
        }
        Ok(())
    }

    /// Absolute URL for a site path such as `/notices/a/`.
    pub fn make_permalink(&self, path: &str) -> String {
        let base = self.base_url.trim_end_matches('/');
        if path.is_empty() || path == "/" {
            return format!("{base}/");
        }
        if path.starts_with('/') { format!("{base}{path}") } else { format!("{base}/{path}") }
    }

    /// `ignored_content` as a glob set matched against paths relative to `content/`.
    pub fn ignored_content_globs(&self) -> Result<globset::GlobSet, Text> {
        let mut builder = globset::GlobSetBuilder::new();
        for pattern in &self.ignored_content {
            let glob =
                globset::Glob::new(pattern).map_err(|e| messages::bad_glob(pattern, &e.to_string()))?;
            builder.add(glob);
        }
        builder.build().map_err(|e| messages::bad_globs(&e.to_string()))
    }

    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

/// The language of a site's messages: `zhibu_lang` (the `ZHIBU_LANG` of the environment) when it
/// names one, else the site's `default_language`, read from its config.toml as far as that can
/// be read (a config.toml with mistakes is still told about in the site's language).
pub fn messages_lang(root: &Path, zhibu_lang: Option<&str>) -> Lang {
    let text = std::fs::read_to_string(root.join("config.toml")).unwrap_or_default();
    Lang::choose(zhibu_lang, default_language_in(&text).as_deref())
}

/// `default_language` of config.toml text: from the parsed table, else from its line above the
/// first table header when the TOML has mistakes.
fn default_language_in(text: &str) -> Option<String> {
    if let Ok(table) = toml::from_str::<toml::Table>(text) {
        return table.get("default_language").and_then(|v| v.as_str()).map(str::to_string);
    }
    let line = text.lines().map(str::trim).take_while(|l| !l.starts_with('[')).find(|l| {
        l.strip_prefix("default_language").is_some_and(|rest| rest.trim_start().starts_with('='))
    })?;
    let value = line.split_once('=')?.1.trim();
    let value = value.trim_start_matches(['"', '\'']);
    Some(value[..value.find(['"', '\''])?].to_string())
}

/// A TOML parse error as a problem with the line and column it happened on; full-width
/// punctuation from a Chinese keyboard on that line is named as such.
fn toml_problem(file: &Path, text: &str, e: &toml::de::Error) -> Problem {
    let (line, column) = strict_toml::error_position(text, e).unzip();
    let (findings, _) = strict_toml::full_width(text);
    let message = match findings.iter().find(|f| Some(f.line) == line) {
        Some(f) => messages::full_width(Syntax::Toml, f.found, f.column, &f.fixed_line),
        None => messages::toml_error(Syntax::Toml, column, e.message().trim()),
    };
    Problem { line, ..Problem::in_file(file, message) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_language_is_read_even_from_a_config_with_mistakes() {
        assert_eq!(default_language_in("default_language = \"zh-CN\"\n").as_deref(), Some("zh-CN"));
        let broken =
            "base_url = \"x\"\ndefault_language = 'zh'\ntitle = “支部”\n[extra]\ndefault_language = \"en\"\n";
        assert_eq!(default_language_in(broken).as_deref(), Some("zh"));
        assert_eq!(default_language_in("title = \"x\"\n[extra]\ndefault_language = \"zh\"\n"), None);
        assert_eq!(default_language_in(""), None);
    }

    fn parse(text: &str) -> Result<(Config, Warnings), Problem> {
        Config::parse(Path::new("config.toml"), text)
    }

    #[test]
    fn minimal_config_gets_chinese_defaults() {
        let (c, w) = parse("base_url = \"https://a.cn\"").unwrap();
        assert_eq!(c.default_language, "zh-CN");
        assert_eq!(c.feed_filenames, vec!["atom.xml"]);
        assert!(w.is_empty());
    }

    #[test]
    fn unknown_key_is_an_error_naming_it_and_its_line() {
        let err = parse("base_url = \"https://a.cn\"\ntitel = \"x\"\n").unwrap_err();
        assert!(err.message.en().contains("unknown setting `titel`"), "{}", err.message.en());
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn a_typo_in_a_setting_asks_did_you_mean() {
        let err = parse("base_url = \"x\"\n[markdown]\nsmart_punctuaton = true\n").unwrap_err();
        assert_eq!(
            err.message.en(),
            "unknown setting `markdown.smart_punctuaton`; did you mean `markdown.smart_punctuation`?"
        );
    }

    #[test]
    fn toml_errors_give_the_column_and_name_full_width_quotes() {
        let err = parse("base_url = \"x\"\ntitle = \n").unwrap_err();
        assert_eq!(
            (err.line, err.message.en()),
            (Some(2), "invalid TOML at column 9: string values must be quoted, expected literal string")
        );
        let err = parse("base_url = \"x\"\ntitle = “支部”\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message
                .en()
                .starts_with("invalid TOML at column 9: `“` is a Chinese (full-width) quotation mark"),
            "{}",
            err.message
        );
    }

    #[test]
    fn unknown_markdown_key_is_an_error() {
        let err = parse("base_url = \"x\"\n[markdown]\nsmart_punctuaton = true\n").unwrap_err();
        assert!(err.message.en().contains("`markdown.smart_punctuaton`"), "{}", err.message.en());
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn zola_key_not_implemented_is_a_warning() {
        let (_, w) =
            parse("base_url = \"x\"\nminify_html = true\n[markdown]\nrender_emoji = true\n").unwrap();
        assert_eq!(w.len(), 2);
        assert!(w[0].message.en().contains("minify_html"));
        assert!(w[1].message.en().contains("markdown.render_emoji"));
    }

    #[test]
    fn missing_base_url_is_an_error() {
        let err = parse("title = \"x\"").unwrap_err();
        assert!(err.message.en().contains("base_url"));
    }

    #[test]
    fn bad_toml_names_the_line() {
        let err = parse("base_url = \"x\"\ntitle = \n").unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn taxonomies_and_highlighting_parse() {
        let (c, _) = parse(
            "base_url = \"x\"\ntaxonomies = [{name = \"tags\", paginate_by = 10, feed = true}]\n[markdown.highlighting]\ntheme = \"github-light\"\n",
        )
        .unwrap();
        assert_eq!(c.taxonomies[0].paginate_by, Some(10));
        assert!(c.markdown.highlight_code());
    }

    #[test]
    fn bad_ignored_content_glob_is_an_error() {
        let err = parse("base_url = \"x\"\nignored_content = [\"[\"]\n").unwrap_err();
        assert!(err.message.en().contains("not a valid glob"), "{}", err.message.en());
    }

    #[test]
    fn permalinks_join_cleanly() {
        let (c, _) = parse("base_url = \"https://a.cn/\"").unwrap();
        assert_eq!(c.make_permalink("/x/"), "https://a.cn/x/");
        assert_eq!(c.make_permalink("/"), "https://a.cn/");
    }
}
