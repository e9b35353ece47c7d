//! `config.toml`: Zola 0.22's keys. A key Zola does not know is an error naming it, so typos do
//! not pass silently; a Zola key that zhibu does not implement yet is a warning, so an existing
//! Zola site still builds.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::messages::{self, KeyKind, Lang, Syntax, Text};
use crate::problems::{Problem, Warnings};
use crate::strict_toml::{self, Keys, find_key_line};

/// One taxonomy, e.g. `{ name = "tags", paginate_by = 10, feed = true }`. Zola ignores keys it
/// does not know here; zhibu warns about them (see `TAXONOMY`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
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
    /// Zola accepts `slug` and replaces it with the name's slug; so does zhibu.
    #[serde(default, skip_serializing)]
    pub slug: Option<String>,
}

impl TaxonomyConfig {
    pub fn paginate_path(&self) -> &str {
        self.paginate_path.as_deref().unwrap_or("page")
    }
}

fn yes() -> bool {
    true
}

/// `[markdown.highlighting]`, as Zola 0.22: a `theme` (or `light_theme` and `dark_theme`) of
/// giallo's, inline styles unless `style = "class"` (then `giallo.css` is written too).
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct Highlighting {
    pub theme: Option<String>,
    pub light_theme: Option<String>,
    pub dark_theme: Option<String>,
    /// `"inline"` (Zola's default) or `"class"`.
    pub style: Option<String>,
    pub error_on_missing_language: bool,
    /// TextMate grammars (JSON) and VS Code themes of the site's own, paths from its folder.
    pub extra_grammars: Vec<String>,
    pub extra_themes: Vec<String>,
    /// Loaded by the highlighter once the config is read.
    #[serde(skip)]
    pub registry: SiteRegistry,
}

impl Highlighting {
    pub fn uses_classes(&self) -> bool {
        self.style.as_deref() == Some("class")
    }
}

/// The grammars and themes a site highlights with: giallo's own and the site's
/// `extra_grammars`/`extra_themes`, loaded by the highlighter (markdown/highlight.rs), and the
/// blocks highlighted by the builds before (none with extra grammars or themes, whose files
/// the cache's keys do not cover). `per_worker` holds a copy of the registry for each of the
/// build's worker threads, made when the worker first highlights: giallo guards each compiled
/// pattern set with a lock, so workers sharing one registry wait for each other.
#[derive(Debug, Clone, Default)]
pub struct SiteRegistry {
    pub registry: Option<std::sync::Arc<giallo::Registry>>,
    pub per_worker: std::sync::Arc<[std::sync::OnceLock<giallo::Registry>]>,
    pub cache: Option<std::sync::Arc<crate::highlight_cache::HighlightCache>>,
}

/// Two sites' registries are the same when they are the same object (a build compares configs).
impl PartialEq for SiteRegistry {
    fn eq(&self, other: &Self) -> bool {
        match (&self.registry, &other.registry) {
            (Some(a), Some(b)) => std::sync::Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Markdown {
    pub highlighting: Option<Highlighting>,
    pub smart_punctuation: bool,
    /// A class for links to other sites (no quotes in it, as in Zola).
    pub external_links_class: Option<String>,
    pub external_links_target_blank: bool,
    pub external_links_no_follow: bool,
    pub external_links_no_referrer: bool,
    /// `rel="external"` on links to other sites: on unless set to false, as in Zola 0.22.
    pub external_links_external: bool,
    pub bottom_footnotes: bool,
    pub definition_list: bool,
    /// Where headings get a link to themselves, unless their section says.
    pub insert_anchor_links: InsertAnchor,
    /// GitHub's `> [!NOTE]` alerts.
    pub github_alerts: bool,
    /// `loading="lazy" decoding="async"` on the images of Markdown.
    pub lazy_async_image: bool,
    /// `:smile:` → 😄 in text (not in code), as Zola.
    pub render_emoji: bool,
    /// `slugify.anchors`, copied here when the config is read, for heading ids.
    #[serde(skip)]
    pub slugify_anchors: Option<crate::slug::Strategy>,
}

impl Default for Markdown {
    fn default() -> Self {
        Markdown {
            highlighting: None,
            smart_punctuation: false,
            external_links_class: None,
            external_links_target_blank: false,
            external_links_no_follow: false,
            external_links_no_referrer: false,
            external_links_external: true,
            bottom_footnotes: false,
            definition_list: false,
            insert_anchor_links: InsertAnchor::None,
            github_alerts: false,
            lazy_async_image: false,
            render_emoji: false,
            slugify_anchors: None,
        }
    }
}

impl Markdown {
    pub fn highlight_code(&self) -> bool {
        self.highlighting.is_some()
    }
}

/// Zola's `insert_anchor_links`: where a heading gets a link to itself (the `anchor-link.html`
/// template): not at all, before or after its text, or around its text.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum InsertAnchor {
    #[default]
    None,
    Left,
    Right,
    Heading,
}

/// One of `[languages.*]`: a language the site's content is also written in (`page.fr.md`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default)]
pub struct LanguageOptions {
    pub title: Option<String>,
    pub description: Option<String>,
    pub generate_feeds: bool,
    pub feed_filenames: Vec<String>,
    pub taxonomies: Vec<TaxonomyConfig>,
    pub build_search_index: bool,
    pub search: toml::Table,
    pub translations: toml::Table,
}

impl Default for LanguageOptions {
    fn default() -> Self {
        LanguageOptions {
            title: None,
            description: None,
            generate_feeds: false,
            feed_filenames: vec!["atom.xml".into()],
            taxonomies: Vec::new(),
            build_search_index: false,
            search: toml::Table::new(),
            translations: toml::Table::new(),
        }
    }
}

/// `[slugify]`: Zola's strategies where the site names them; zhibu's slugs where it does not
/// (Latin as Zola's `on`, Chinese kept).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Slugify {
    pub paths: Option<crate::slug::Strategy>,
    /// Keep a file name's date in its slug (`2026-12-01-dues` stays so).
    pub paths_keep_dates: bool,
    pub taxonomies: Option<crate::slug::Strategy>,
    pub anchors: Option<crate::slug::Strategy>,
}

/// Whether a kind of broken link fails the build or is a warning (`[link_checker]`).
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LinkLevel {
    #[default]
    Error,
    Warn,
}

/// `[link_checker]`: Zola's keys, and zhibu's `plain_level`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct LinkChecker {
    /// Links to other sites starting with these are not checked (`zhibu check --external`).
    pub skip_prefixes: Vec<String>,
    /// Anchors of links to other sites starting with these are not checked.
    pub skip_anchor_prefixes: Vec<String>,
    /// `@/` links and their anchors, and `#anchor` links on the same page (Zola's key).
    pub internal_level: LinkLevel,
    /// Links to other sites, when they are checked (Zola's key).
    pub external_level: LinkLevel,
    /// Content files (globs relative to `content/`) whose links are not checked.
    pub ignored_files: Vec<String>,
    /// zhibu's: links and images written as addresses of the site (`/guide/dues/`, `../a/`,
    /// `poster.png`), which Zola does not check. A warning unless set to `"error"`, so a Zola site
    /// builds as it does with Zola; the branch's site sets `"error"`.
    pub plain_level: LinkLevel,
}

impl Default for LinkChecker {
    fn default() -> Self {
        LinkChecker {
            skip_prefixes: Vec::new(),
            skip_anchor_prefixes: Vec::new(),
            internal_level: LinkLevel::Error,
            external_level: LinkLevel::Error,
            ignored_files: Vec::new(),
            plain_level: LinkLevel::Warn,
        }
    }
}

/// The command a build is for, as Zola gives it to templates (`config.mode`).
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Build,
    Serve,
    Check,
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
    /// Globs (relative to `static/`) of static files not copied, as Zola's `ignored_static`.
    pub ignored_static: Vec<String>,
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
    /// Zola's `taxonomy_root`: the folder the taxonomies' pages are under (`/blog/tags/`).
    pub taxonomy_root: Option<String>,
    /// The command being run (`build`, `serve`, `check`); set by the command, as in Zola.
    pub mode: Mode,
    /// Zola's `[languages.*]` as written: given to templates (without the default language's),
    /// though zhibu builds one language only.
    #[serde(skip_serializing)]
    pub languages: toml::Table,
    /// The same, read: every language but the default one (`page.fr.md` is French).
    #[serde(skip)]
    pub language_options: std::collections::BTreeMap<String, LanguageOptions>,
    /// Minify every HTML file written, as Zola does with the same minifier and settings.
    pub minify_html: bool,
    /// `[slugify]`, as the site names it.
    pub slugify: Slugify,
    /// Leave dotfiles at the top of the output folder when the build replaces it (Zola's).
    pub preserve_dotfiles_in_output: bool,
    /// Hard-link static files into the output instead of copying them (Zola's).
    pub hard_link_static: bool,
    /// Zola's `[translations]`: what `trans(key=…)` gives in the default language.
    pub translations: toml::Table,
    /// `[link_checker]`: how broken links are reported (by the link checker, links.rs).
    pub link_checker: LinkChecker,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: String::new(),
            title: None,
            description: None,
            // Zola's default; the branch's site sets "zh-CN".
            default_language: "en".into(),
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
            ignored_static: Vec::new(),
            markdown: Markdown::default(),
            extra: toml::Table::new(),
            build_search_index: false,
            search: toml::Table::new(),
            compile_sass: false,
            taxonomy_root: None,
            mode: Mode::Build,
            link_checker: LinkChecker::default(),
            language_options: Default::default(),
            minify_html: false,
            slugify: Slugify::default(),
            preserve_dotfiles_in_output: false,
            hard_link_static: false,
            translations: toml::Table::new(),
            languages: toml::Table::new(),
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
    "ignored_static",
    "markdown",
    "extra",
    "build_search_index",
    "search",
    "compile_sass",
    "taxonomy_root",
    "mode",
    "link_checker",
    "languages",
    "translations",
    "minify_html",
    "slugify",
    "preserve_dotfiles_in_output",
    "hard_link_static",
];

/// Zola keys that zhibu accepts but does not act on yet.
const NOT_YET: &[&str] = &["generate_feed", "feed_filename"];

const MARKDOWN_IMPLEMENTED: &[&str] = &[
    "highlighting",
    "smart_punctuation",
    "external_links_class",
    "external_links_external",
    "external_links_target_blank",
    "external_links_no_follow",
    "external_links_no_referrer",
    "bottom_footnotes",
    "definition_list",
    "insert_anchor_links",
    "github_alerts",
    "lazy_async_image",
    "render_emoji",
];

const MARKDOWN_NOT_YET: &[&str] = &[
    "highlight_code",
    "highlight_theme",
    "highlight_themes_css",
    "extra_syntaxes_and_themes",
    "error_on_missing_highlight",
    "math",
];

const HIGHLIGHTING_IMPLEMENTED: &[&str] = &[
    "theme",
    "light_theme",
    "dark_theme",
    "style",
    "error_on_missing_language",
    "extra_grammars",
    "extra_themes",
];
const HIGHLIGHTING_NOT_YET: &[&str] = &[];

const TAXONOMY_IMPLEMENTED: &[&str] = &["name", "paginate_by", "paginate_path", "feed", "render", "slug"];
// Zola 0.22's taxonomies have no `lang` (a language's own are under `[languages.X]`): it is
// one more key Zola ignores, a warning here.
const TAXONOMY_NOT_YET: &[&str] = &[];

const LINK_CHECKER_IMPLEMENTED: &[&str] = &[
    "skip_prefixes",
    "skip_anchor_prefixes",
    "internal_level",
    "external_level",
    "ignored_files",
    "plain_level",
];

/// The keys of a table of config.toml, named in messages with the tables above it (`prefix`).
const fn settings<'a>(implemented: &'a [&'a str], not_yet: &'a [&'a str], prefix: &'a str) -> Keys<'a> {
    Keys { implemented, not_yet, prefix, kind: KeyKind::Setting }
}

const TOP: Keys = settings(IMPLEMENTED, NOT_YET, "");
const MARKDOWN: Keys = settings(MARKDOWN_IMPLEMENTED, MARKDOWN_NOT_YET, "markdown.");
const HIGHLIGHTING: Keys = settings(HIGHLIGHTING_IMPLEMENTED, HIGHLIGHTING_NOT_YET, "markdown.highlighting.");
const TAXONOMY: Keys = settings(TAXONOMY_IMPLEMENTED, TAXONOMY_NOT_YET, "taxonomies.");
const LINK_CHECKER: Keys = settings(LINK_CHECKER_IMPLEMENTED, &[], "link_checker.");

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
                let unknown = HIGHLIGHTING.check_all(hl, file, line_of, &mut warnings, &Default::default());
                warnings.extend(unknown);
                if let Some(style) = hl.get("style").and_then(|s| s.as_str())
                    && style != "class"
                    && style != "inline"
                {
                    let line = find_key_line(text, "style");
                    return Err(Problem {
                        line,
                        ..Problem::in_file(file, messages::highlighting_style(style))
                    });
                }
            }
        }
        // Zola ignores keys it does not know in a taxonomy, `[markdown.highlighting]` and
        // `[link_checker]`: a warning each here, so that a Zola site builds.
        let mut known = table.clone();
        if let Some(toml::Value::Table(lc)) = known.get_mut("link_checker") {
            let unknown = LINK_CHECKER.check_all(lc, file, line_of, &mut warnings, &Default::default());
            warnings.extend(unknown);
            lc.retain(|k, _| LINK_CHECKER_IMPLEMENTED.contains(&k));
        }
        if let Some(toml::Value::Array(taxonomies)) = known.get_mut("taxonomies") {
            for t in taxonomies.iter_mut().filter_map(toml::Value::as_table_mut) {
                let mut found = Vec::new();
                let line_of =
                    |key: &str| inline_key_line(text, key).or_else(|| find_key_line(text, "taxonomies"));
                let unknown = TAXONOMY.check_all(t, file, line_of, &mut found, &Default::default());
                found.extend(unknown);
                for w in found {
                    // Once for the site, not once for each taxonomy.
                    if !warnings.iter().any(|seen: &Problem| seen.message.en() == w.message.en()) {
                        warnings.push(w);
                    }
                }
                t.retain(|k, _| TAXONOMY_IMPLEMENTED.contains(&k));
            }
        }
        let languages = match known.remove("languages") {
            Some(toml::Value::Table(l)) => l,
            _ => toml::Table::new(),
        };
        for key in NOT_YET {
            known.remove(*key);
        }
        if let Some(toml::Value::Table(md)) = known.get_mut("markdown") {
            for key in MARKDOWN_NOT_YET {
                md.remove(*key);
            }
            if let Some(toml::Value::Table(hl)) = md.get_mut("highlighting") {
                hl.retain(|k, _| HIGHLIGHTING_IMPLEMENTED.contains(&k));
            }
        }
        let config: Config = known.try_into().map_err(|e: toml::de::Error| {
            // The table has no positions; the text gives the same error with its line (the keys
            // removed above are ignored there too).
            let line = toml::from_str::<Config>(text).err().and_then(|e| strict_toml::error_line(text, &e));
            Problem { line, ..Problem::in_file(file, messages::invalid_configuration(e.message())) }
        })?;
        let mut language_options = std::collections::BTreeMap::new();
        for (code, options) in &languages {
            let options: LanguageOptions = options.clone().try_into().map_err(|e: toml::de::Error| {
                let line = find_key_line(text, &format!("languages.{code}"));
                let message =
                    messages::invalid_configuration(&format!("[languages.{code}]: {}", e.message()));
                Problem { line, ..Problem::in_file(file, message) }
            })?;
            language_options.insert(code.clone(), options);
        }
        let mut config = Config { languages, language_options, ..config };
        config.markdown.slugify_anchors = config.slugify.anchors;
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
        self.ignored_static_globs().map_err(|why| Problem::in_file(file, why))?;
        for pattern in &self.link_checker.ignored_files {
            globset::Glob::new(pattern)
                .map_err(|e| Problem::in_file(file, messages::bad_glob(pattern, &e.to_string())))?;
        }
        if let Some(class) = &self.markdown.external_links_class
            && class.contains(['"', '\''])
        {
            return Err(Problem::in_file(file, messages::external_links_class_quotes(class)));
        }
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

    /// Zola's `make_permalink`, which `get_url` builds on: a `/` is added to the path unless it
    /// ends with one, names a feed, is empty or holds an anchor.
    pub fn zola_permalink(&self, path: &str) -> String {
        let bare = path.ends_with('/')
            || self.feed_filenames.iter().any(|f| path.ends_with(f.as_str()))
            || path.is_empty()
            || path.contains('#');
        let trailing = if bare { "" } else { "/" };
        let base = &self.base_url;
        if path == "/" {
            if base.ends_with('/') { base.clone() } else { format!("{base}/") }
        } else if base.ends_with('/') && path.starts_with('/') {
            format!("{base}{}{trailing}", &path[1..])
        } else if base.ends_with('/') || path.starts_with('/') {
            format!("{base}{path}{trailing}")
        } else {
            format!("{base}/{path}{trailing}")
        }
    }

    /// The folder of the host the site is served from, from `base_url`: `/apollo` for
    /// `https://example.github.io/apollo/`, empty for a site at the host's root.
    pub fn base_path(&self) -> &str {
        let url = self.base_url.trim_end_matches('/');
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        after_scheme.find('/').map_or("", |cut| &after_scheme[cut..])
    }

    /// `ignored_static` as a glob set matched against paths relative to `static/`.
    pub fn ignored_static_globs(&self) -> Result<globset::GlobSet, Text> {
        globs(&self.ignored_static)
    }

    /// `ignored_content` as a glob set matched against paths relative to `content/`.
    pub fn ignored_content_globs(&self) -> Result<globset::GlobSet, Text> {
        globs(&self.ignored_content)
    }

    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name == name)
    }

    /// The languages content may be written in besides the default one, as in `page.fr.md`.
    pub fn other_languages(&self) -> impl Iterator<Item = &str> {
        self.language_options.keys().map(String::as_str).filter(|code| *code != self.default_language)
    }

    /// The options of `lang`: the top-level settings for the default language.
    pub fn language(&self, lang: &str) -> Option<LanguageOptions> {
        if lang == self.default_language {
            let mut own = self.language_options.get(lang).cloned().unwrap_or_default();
            own.title = own.title.or_else(|| self.title.clone());
            own.description = own.description.or_else(|| self.description.clone());
            own.generate_feeds |= self.generate_feeds;
            if own.feed_filenames == LanguageOptions::default().feed_filenames {
                own.feed_filenames = self.feed_filenames.clone();
            }
            if own.taxonomies.is_empty() {
                own.taxonomies = self.taxonomies.clone();
            }
            own.build_search_index |= self.build_search_index;
            own.translations.extend(self.translations.clone());
            return Some(own);
        }
        self.language_options.get(lang).cloned()
    }

    /// The taxonomies of content in `lang`.
    pub fn taxonomies_of(&self, lang: &str) -> Vec<TaxonomyConfig> {
        self.language(lang).map(|l| l.taxonomies).unwrap_or_default()
    }
}

/// A glob set of `patterns`, or the message about the first that is not a glob.
fn globs(patterns: &[String]) -> Result<globset::GlobSet, Text> {
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let glob = globset::Glob::new(pattern).map_err(|e| messages::bad_glob(pattern, &e.to_string()))?;
        builder.add(glob);
    }
    builder.build().map_err(|e| messages::bad_globs(&e.to_string()))
}

/// Best-effort line of `key = ` anywhere on a line (in an inline table such as
/// `{ name = "tags", rss = true }`), for messages.
fn inline_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.match_indices(key).any(|(at, _)| {
                let before = l[..at].chars().next_back();
                let after = l[at + key.len()..].trim_start();
                before.is_none_or(|c| matches!(c, '{' | ',' | ' ' | '\t' | '"' | '\''))
                    && after.starts_with('=')
                    || after.starts_with("\" =")
                    || after.starts_with("' =")
            })
        })
        .map(|i| i + 1)
}

/// The name of the site's config file: `zola.toml` when the site has one (Zola 0.22 looks for it
/// first), else `config.toml`.
pub fn file_name(root: &Path) -> &'static str {
    if root.join("zola.toml").is_file() { "zola.toml" } else { "config.toml" }
}

/// What templates of a page in `lang` see as `config`, as Zola gives it: the language's title,
/// description, feeds, taxonomies, search and translations in place of the top-level ones, and
/// `languages` holding every language but `lang` (the default one included).
pub fn template_value_for(config: &Config, lang: &str) -> serde_json::Value {
    let mut value = template_value(config);
    // The default language's own `[languages.en]` counts too, as in Zola.
    if lang == config.default_language && !config.language_options.contains_key(lang) {
        return value;
    }
    let Some(m) = value.as_object_mut() else { return value };
    let options = config.language(lang).unwrap_or_default();
    m.insert("title".into(), options.title.clone().into());
    m.insert("description".into(), options.description.clone().into());
    m.insert("generate_feeds".into(), options.generate_feeds.into());
    m.insert("generate_feed".into(), options.generate_feeds.into());
    m.insert("feed_filenames".into(), serde_json::json!(options.feed_filenames));
    m.insert("taxonomies".into(), serde_json::json!(options.taxonomies));
    m.insert("build_search_index".into(), options.build_search_index.into());
    m.insert("translations".into(), serde_json::to_value(&options.translations).unwrap_or_default());
    if lang == config.default_language {
        return value;
    }
    if let Some(serde_json::Value::Object(languages)) = m.get_mut("languages") {
        languages.remove(lang);
        let default = config.language(&config.default_language).unwrap_or_default();
        languages.insert(
            config.default_language.clone(),
            serde_json::json!({
                "title": default.title,
                "description": default.description,
                "generate_feeds": default.generate_feeds,
                "feed_filenames": default.feed_filenames,
                "taxonomies": default.taxonomies,
                "build_search_index": default.build_search_index,
                "search": serde_json::to_value(&default.search).unwrap_or_default(),
                "translations": serde_json::to_value(&default.translations).unwrap_or_default(),
            }),
        );
    }
    value
}

/// What templates see as `config`: the settings, with `languages` as Zola gives them (every
/// language but the default one, each with Zola's defaults) and Zola's old `generate_feed`.
pub fn template_value(config: &Config) -> serde_json::Value {
    let mut value = serde_json::to_value(config).unwrap_or(serde_json::Value::Null);
    let languages: serde_json::Map<String, serde_json::Value> = config
        .languages
        .iter()
        .filter(|(code, _)| **code != config.default_language)
        .map(|(code, options)| {
            let mut full = serde_json::json!({
                "title": null,
                "description": null,
                "generate_feeds": false,
                "feed_filenames": ["atom.xml"],
                "taxonomies": [],
                "build_search_index": false,
                "search": {},
                "translations": {},
            });
            if let (Some(full), Ok(serde_json::Value::Object(given))) =
                (full.as_object_mut(), serde_json::to_value(options))
            {
                full.extend(given);
            }
            (code.clone(), full)
        })
        .collect();
    if let Some(m) = value.as_object_mut() {
        m.insert("languages".into(), serde_json::Value::Object(languages));
        m.insert("generate_feed".into(), serde_json::Value::Bool(config.generate_feeds));
    }
    value
}

/// The language of a site's messages: `zhibu_lang` (the `ZHIBU_LANG` of the environment) when it
/// names one, else the site's `default_language`, read from its config.toml as far as that can
/// be read (a config.toml with mistakes is still told about in the site's language).
pub fn messages_lang(root: &Path, zhibu_lang: Option<&str>) -> Lang {
    let text = std::fs::read_to_string(root.join(file_name(root))).unwrap_or_default();
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
    fn minimal_config_gets_zolas_defaults() {
        let (c, w) = parse("base_url = \"https://a.cn\"").unwrap();
        assert_eq!(c.default_language, "en");
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
        let (_, w) = parse("base_url = \"x\"\n[markdown]\nmath = true\n").unwrap();
        assert_eq!(w.len(), 1);
        assert!(w[0].message.en().contains("markdown.math"));
    }

    /// Every key of Zola 0.22.1's config (components/config/src/config/), as a Zola site writes it.
    const ZOLA_CONFIG: &str = r#"
base_url = "https://example.com"
title = "t"
description = "d"
default_language = "en"
theme = "x"
output_dir = "public"
preserve_dotfiles_in_output = true
compile_sass = true
minify_html = false
ignored_content = ["*.tmp"]
ignored_static = ["*.psd"]
hard_link_static = false
generate_feeds = true
feed_limit = 20
feed_filenames = ["atom.xml", "rss.xml"]
taxonomy_root = "blog"
author = "me"
build_search_index = true
generate_sitemap = true
generate_robots_txt = true
exclude_paginated_pages_in_sitemap = "all"
mode = "build"
taxonomies = [
  { name = "tags", slug = "tags", paginate_by = 5, paginate_path = "p", feed = true, render = true, lang = "en" },
  { name = "categories", rss = true },
]
[markdown]
render_emoji = false
external_links_class = "ext"
external_links_target_blank = true
external_links_no_follow = true
external_links_no_referrer = true
external_links_external = false
smart_punctuation = true
definition_list = true
bottom_footnotes = true
lazy_async_image = true
insert_anchor_links = "right"
github_alerts = true
[markdown.highlighting]
theme = "github-dark"
style = "class"
error_on_missing_language = false
extra_grammars = []
extra_themes = []
[link_checker]
skip_prefixes = ["http://[2001:db8::]/"]
skip_anchor_prefixes = ["https://caniuse.com/"]
internal_level = "error"
external_level = "warn"
ignored_files = []
[slugify]
paths = "on"
paths_keep_dates = false
taxonomies = "on"
anchors = "on"
[search]
include_title = true
include_content = true
truncate_content_length = 100
include_description = false
include_date = false
include_path = false
index_format = "elasticlunr_json"
[translations]
title = "x"
[languages.fr]
title = "fr"
[extra]
anything = 1
"#;

    #[test]
    fn every_key_of_zola_0_22_is_accepted() {
        let (c, w) = parse(ZOLA_CONFIG).unwrap_or_else(|p| panic!("{p}"));
        let found: Vec<&str> = w.iter().map(|w| w.message.en()).collect();
        for key in ["`taxonomies.lang`", "`taxonomies.rss`"] {
            assert!(found.iter().any(|w| w.contains(key)), "no warning about {key}: {found:#?}");
        }
        assert_eq!(found.iter().filter(|w| w.contains("`taxonomies.lang`")).count(), 1, "once: {found:#?}");
        assert_eq!(c.taxonomy_root.as_deref(), Some("blog"));
        assert_eq!(c.markdown.external_links_class.as_deref(), Some("ext"));
        assert!(!c.markdown.external_links_external);
        assert_eq!(c.taxonomies[1].name, "categories");
        assert!(c.languages.contains_key("fr"));
    }

    #[test]
    fn templates_get_mode_and_languages_as_zola_gives_them() {
        let (mut c, _) =
            parse("base_url = \"x\"\ndefault_language = \"en\"\n[languages.fr]\ntitle = \"Le site\"\n[languages.en]\n").unwrap();
        let v = template_value(&c);
        assert_eq!(v["mode"], "build");
        assert_eq!(v["languages"]["fr"]["title"], "Le site");
        assert_eq!(v["languages"]["fr"]["feed_filenames"][0], "atom.xml");
        assert!(v["languages"].get("en").is_none(), "not the default language: {v}");
        c.mode = Mode::Serve;
        assert_eq!(template_value(&c)["mode"], "serve");
        let (c, _) = parse("base_url = \"x\"").unwrap();
        assert_eq!(template_value(&c)["languages"], serde_json::json!({}));
    }

    #[test]
    fn an_external_links_class_with_quotes_is_an_error() {
        let err = parse("base_url = \"x\"\n[markdown]\nexternal_links_class = 'a\"b'\n").unwrap_err();
        assert!(err.message.en().contains("quotation marks"), "{err}");
    }

    #[test]
    fn zola_toml_is_the_config_file_when_there_is_one() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(file_name(dir.path()), "config.toml");
        std::fs::write(dir.path().join("zola.toml"), "base_url = \"x\"\ndefault_language = \"zh\"\n")
            .unwrap();
        assert_eq!(file_name(dir.path()), "zola.toml");
        assert_eq!(messages_lang(dir.path(), None), Lang::Zh);
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
