//! Code highlighting with CSS classes (`z-keyword`, `z-string`, ...), never inline styles, so one
//! cached stylesheet colours every page and a strict Content-Security-Policy holds.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxDefinition, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

/// Class prefix of highlighted tokens, as Zola's `css` highlighting used.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "z-" };

/// Grammars syntect's defaults lack, compiled in. Kept in a set of their own: rebuilding the
/// default set to add them would cost more than a small site's whole build.
const EXTRA_SYNTAXES: &[&str] = &[include_str!("syntaxes/TOML.sublime-syntax")];

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn extra_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = SyntaxSetBuilder::new();
        for text in EXTRA_SYNTAXES {
            match SyntaxDefinition::load_from_str(text, true, None) {
                Ok(def) => builder.add(def),
                // The grammars are compiled in and tested; a failure here is a bug in them.
                Err(e) => debug_assert!(false, "built-in grammar does not load: {e}"),
            }
        }
        builder.build()
    })
}

/// Languages Zola 0.22's grammars know and syntect's do not, highlighted with the nearest
/// grammar syntect has (or as plain text), so a Zola site's `error_on_missing_language` passes
/// where it passes for Zola.
const NEAREST: &[(&str, &str)] = &[
    ("plain", "txt"),
    ("text", "txt"),
    ("csv", "txt"),
    ("scss", "css"),
    ("sass", "css"),
    ("jinja", "html"),
    ("jinja2", "html"),
    ("j2", "html"),
    ("tera", "html"),
    ("ts", "js"),
    ("typescript", "js"),
    ("tsx", "js"),
    ("dockerfile", "sh"),
];

/// Highlights `code` written in `lang`. `None` when the language is unknown.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let token = NEAREST.iter().find(|(name, _)| name.eq_ignore_ascii_case(lang)).map_or(lang, |(_, n)| n);
    let (set, syntax) = [syntaxes(), extra_syntaxes()]
        .into_iter()
        .find_map(|set| set.find_syntax_by_token(token).map(|syntax| (set, syntax)))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_and_no_inline_style() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("class=\"z-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn toml_is_highlighted() {
        let html =
            highlight("# 注释\n[extra.signin]\nevent = \"x\"\nopens = 2026-12-09T07:00:00+08:00\n", "toml")
                .unwrap();
        assert!(html.contains("z-comment"), "{html}");
        assert!(html.contains("z-entity"), "{html}");
        assert!(html.contains("z-string"), "{html}");
        assert!(html.contains("z-datetime"), "{html}");
    }

    #[test]
    fn every_grammar_compiles_and_highlights_a_line() {
        // A pattern the regex engine cannot compile would fail the line it meets.
        let sample = "fn a(x) { return \"s\" + 'c' + 1.5e3; } // c\n# c\n<a href=\"x\">t</a> /* c */ $v @d\n";
        for set in [syntaxes(), extra_syntaxes()] {
            for syntax in set.syntaxes() {
                let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
                for line in LinesWithEndings::from(sample) {
                    let parsed = generator.parse_html_for_line_which_includes_newline(line);
                    assert!(parsed.is_ok(), "{}: {parsed:?}", syntax.name);
                }
            }
        }
    }

    #[test]
    fn languages_zola_knows_get_the_nearest_grammar() {
        for lang in ["plain", "scss", "jinja", "tera", "ts", "Dockerfile", "csv"] {
            assert!(highlight("a { b: c }\n", lang).is_some(), "{lang}");
        }
        assert!(highlight("$x: 1;\n", "scss").unwrap().contains("class=\"z-"), "scss as CSS");
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(highlight("x", "no-such-language").is_none());
    }
}
