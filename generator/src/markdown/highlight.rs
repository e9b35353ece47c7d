//! Code highlighting with giallo, the highlighter Zola 0.22 uses (VS Code's TextMate grammars and
//! themes), called as Zola calls it, so a Zola site's code blocks come out as Zola writes them:
//! inline styles by default, CSS classes (`z-keyword`, …) with `style = "class"`, and the
//! stylesheet of the theme written as `giallo.css` (or `giallo-light.css`/`giallo-dark.css`).

use std::path::Path;
use std::sync::{Arc, OnceLock};

use giallo::{HighlightOptions, HtmlRenderer, ParsedFence, Registry, ThemeVariant};

use crate::config::{Highlighting, SiteRegistry};
use crate::messages;
use crate::problems::Problem;

/// The grammars and themes built into giallo, read once, when a site first needs them.
fn builtin() -> Result<Arc<Registry>, String> {
    static BUILTIN: OnceLock<Result<Arc<Registry>, String>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            let mut registry = Registry::builtin().map_err(|e| e.to_string())?;
            registry.link_grammars();
            Ok(Arc::new(registry))
        })
        .clone()
}

/// Loads the grammars and themes of the site at `root` into `highlighting` (giallo's own, plus
/// its `extra_grammars` and `extra_themes`, paths from the site's folder) and checks that the
/// themes it names exist. `file` is the config file, for the problem. A site with giallo's own
/// grammars and themes only gets the cache of highlighted blocks, and giallo's registry is read
/// when a block or a name the cache does not hold first needs it.
pub fn load(root: &Path, file: &Path, highlighting: &mut Highlighting) -> Result<(), Problem> {
    // The config's text is read again only to place a problem at its line.
    let line = |key: &str| {
        let text = std::fs::read_to_string(root.join(file)).ok()?;
        crate::strict_toml::find_key_line(&text, key)
    };
    let plain = highlighting.extra_grammars.is_empty() && highlighting.extra_themes.is_empty();
    let registry = if plain {
        None
    } else {
        Some(registry(root, highlighting).map_err(|why| Problem {
            line: line("extra_grammars").or(line("extra_themes")),
            ..Problem::in_file(file, messages::highlighting_files(&why))
        })?)
    };
    let cache = plain.then(|| Arc::new(crate::highlight_cache::HighlightCache::open(root, GIALLO)));
    let per_worker = (0..rayon::current_num_threads()).map(|_| OnceLock::new()).collect();
    highlighting.registry = SiteRegistry { registry, per_worker, cache };
    if highlighting.theme.is_none()
        && (highlighting.light_theme.is_none() || highlighting.dark_theme.is_none())
    {
        return Err(Problem {
            line: line("highlighting"),
            ..Problem::in_file(file, messages::highlighting_theme_missing())
        });
    }
    let named = [
        ("theme", &highlighting.theme),
        ("light_theme", &highlighting.light_theme),
        ("dark_theme", &highlighting.dark_theme),
    ];
    for (key, theme) in named {
        if let Some(theme) = theme
            && !known(highlighting, "theme", theme, |r| r.contains_theme(theme))
        {
            return Err(Problem {
                line: line(key),
                ..Problem::in_file(file, messages::highlighting_theme_unknown(key, theme))
            });
        }
    }
    Ok(())
}

/// Whether giallo knows the `kind` (`lang`, `theme`) `name`, as `check` asks the registry:
/// answered from the cache when an earlier build found it known.
fn known(highlighting: &Highlighting, kind: &str, name: &str, check: impl Fn(&Registry) -> bool) -> bool {
    let cache = highlighting.registry.cache.as_deref();
    let key = format!("{kind}:{name}");
    if cache.is_some_and(|c| c.knows(&key)) {
        return true;
    }
    let found = registry_of(highlighting).is_some_and(|r| check(&r));
    if found && let Some(cache) = cache {
        cache.learn(&key);
    }
    found
}

/// giallo's grammars and themes with the site's `extra_grammars` and `extra_themes`.
fn registry(root: &Path, highlighting: &Highlighting) -> Result<Arc<Registry>, String> {
    let mut own = Registry::builtin().map_err(|e| e.to_string())?;
    for grammar in &highlighting.extra_grammars {
        own.add_grammar_from_path(root.join(grammar)).map_err(|e| format!("`{grammar}`: {e}"))?;
    }
    for theme in &highlighting.extra_themes {
        own.add_theme_from_path(root.join(theme)).map_err(|e| format!("`{theme}`: {e}"))?;
    }
    own.link_grammars();
    Ok(Arc::new(own))
}

/// The site's own registry (with its extra grammars or themes), else giallo's, read on first use.
fn registry_of(highlighting: &Highlighting) -> Option<Arc<Registry>> {
    highlighting.registry.registry.clone().or_else(|| builtin().ok())
}

/// The theme(s) of `highlighting`: one, or a light and a dark one.
fn theme(highlighting: &Highlighting) -> Option<ThemeVariant<&str>> {
    match (&highlighting.theme, &highlighting.light_theme, &highlighting.dark_theme) {
        (_, Some(light), Some(dark)) => Some(ThemeVariant::Dual { light, dark }),
        (Some(theme), _, _) => Some(ThemeVariant::Single(theme)),
        _ => None,
    }
}

/// Whether giallo has a grammar for `lang`.
pub fn knows(highlighting: &Highlighting, lang: &str) -> bool {
    known(highlighting, "lang", lang, |r| r.contains_grammar(lang))
}

/// A fenced block's code, highlighted and rendered as Zola renders it (`info` is the text after
/// the opening fence: `rust,linenos,hl_lines=2`, `fence` what it says). `None` when it cannot
/// be (no theme). Taken from the cache of earlier builds when the same block was highlighted
/// with the same settings.
pub fn highlight(
    code: &str,
    info: &str,
    fence: &ParsedFence,
    highlighting: &Highlighting,
) -> Option<Arc<str>> {
    let Some(cache) = &highlighting.registry.cache else {
        return render(code, fence, highlighting).map(Arc::from);
    };
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let style = highlighting.style.as_deref().unwrap_or("inline");
    let settings = [GIALLO, style, info, code];
    let themes = [&highlighting.theme, &highlighting.light_theme, &highlighting.dark_theme];
    for part in settings.iter().copied().chain(themes.iter().map(|t| t.as_deref().unwrap_or(""))) {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    hasher.update(&[highlighting.error_on_missing_language as u8]);
    cache.get_or(hasher.digest(), || render(code, fence, highlighting))
}

/// The highlighter's version, in the cache's keys: another version may write other HTML.
const GIALLO: &str = "giallo 0.2.2";

/// Writes what this build highlighted to the cache of the site (`.zhibu/highlighted.bin`).
pub fn save(highlighting: &Highlighting) {
    if let Some(cache) = &highlighting.registry.cache {
        cache.save();
    }
}

/// Runs `f` with the registry this thread highlights with: on the build's pool, the first
/// worker uses the shared one and each other its own copy (made the first time it highlights);
/// the shared one elsewhere.
fn with_registry<T>(highlighting: &Highlighting, f: impl FnOnce(&Registry) -> T) -> Option<T> {
    let shared = registry_of(highlighting)?;
    let own = rayon::current_thread_index()
        .filter(|&i| i > 0)
        .and_then(|i| highlighting.registry.per_worker.get(i));
    Some(match own {
        Some(slot) => f(slot.get_or_init(|| (*shared).clone())),
        None => f(&shared),
    })
}

fn render(code: &str, fence: &ParsedFence, highlighting: &Highlighting) -> Option<String> {
    with_registry(highlighting, |registry| render_with(registry, code, fence, highlighting))?
}

fn render_with(
    registry: &Registry,
    code: &str,
    fence: &ParsedFence,
    highlighting: &Highlighting,
) -> Option<String> {
    let mut options = HighlightOptions::new(&fence.lang, theme(highlighting)?);
    if !highlighting.error_on_missing_language {
        options = options.fallback_to_plain(true);
    }
    let highlighted = registry.highlight(code, &options).ok()?;
    let renderer = HtmlRenderer {
        other_metadata: fence.rest.clone(),
        css_class_prefix: highlighting.uses_classes().then(|| "z-".to_string()),
    };
    Some(renderer.render(&highlighted, &fence.options))
}

/// The stylesheets Zola writes for `style = "class"`: `giallo.css` for one theme,
/// `giallo-light.css` and `giallo-dark.css` for two.
pub fn stylesheets(highlighting: &Highlighting) -> Vec<(&'static str, String)> {
    if !highlighting.uses_classes() {
        return Vec::new();
    }
    let Some(registry) = registry_of(highlighting) else { return Vec::new() };
    let css = |theme: &str| registry.generate_css(theme, "z-").ok();
    match theme(highlighting) {
        Some(ThemeVariant::Single(theme)) => css(theme).map(|c| vec![("giallo.css", c)]).unwrap_or_default(),
        Some(ThemeVariant::Dual { light, dark }) => match (css(light), css(dark)) {
            (Some(l), Some(d)) => vec![("giallo-light.css", l), ("giallo-dark.css", d)],
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighting(style: &str) -> Highlighting {
        Highlighting {
            theme: Some("github-light".into()),
            style: Some(style.into()),
            ..Highlighting::default()
        }
    }

    #[test]
    fn classes_or_inline_styles_as_the_config_says() {
        let fence = giallo::parse_markdown_fence("rust");
        let classes = highlight("fn main() {}\n", "rust", &fence, &highlighting("class")).unwrap();
        assert!(classes.contains("class=\"z-"), "{classes}");
        assert!(classes.starts_with("<pre class=\"giallo z-code\"><code data-lang=\"rust\">"), "{classes}");
        let inline = highlight("fn main() {}\n", "rust", &fence, &highlighting("inline")).unwrap();
        assert!(inline.contains("style=\"color:"), "{inline}");
    }

    #[test]
    fn the_languages_of_zolas_sites_are_known() {
        let h = highlighting("class");
        for lang in ["plain", "toml", "scss", "jinja", "ts", "dockerfile", "rust", "bash", "yaml", "html"] {
            assert!(knows(&h, lang), "{lang}");
        }
        assert!(!knows(&h, "no-such-language"));
    }

    #[test]
    fn a_class_style_site_gets_its_theme_stylesheet() {
        let sheets = stylesheets(&highlighting("class"));
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].0, "giallo.css");
        assert!(sheets[0].1.contains(".z-"), "{}", &sheets[0].1[..200.min(sheets[0].1.len())]);
        assert!(stylesheets(&highlighting("inline")).is_empty());
    }

    #[test]
    fn the_workers_copies_highlight_as_the_shared_registry_does() {
        let mut h = highlighting("inline");
        load(Path::new("."), Path::new("config.toml"), &mut h).unwrap();
        h.registry.cache = None;
        let fence = giallo::parse_markdown_fence("toml");
        let code = "[meeting]\ntopic = \"主题党日\"\nminutes = 90\n";
        let alone = render(code, &fence, &h).unwrap();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let h = Highlighting {
            registry: SiteRegistry {
                per_worker: (0..3).map(|_| OnceLock::new()).collect(),
                ..h.registry.clone()
            },
            ..h
        };
        let on_workers: Vec<String> =
            pool.install(|| rayon::broadcast(|_| render(code, &fence, &h).unwrap()));
        assert!(on_workers.iter().all(|html| *html == alone), "{alone}\n{on_workers:?}");
        let copies = h.registry.per_worker.iter().filter(|slot| slot.get().is_some()).count();
        assert_eq!(copies, 2, "the first worker uses the shared registry, the others a copy each");
    }
}
