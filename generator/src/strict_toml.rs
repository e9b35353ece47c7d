//! Strict TOML, the one helper for every table zhibu reads from a file (config.toml, front
//! matter, the catalog's `[extra.*]` tables, data files): which keys a table may have — a Zola key
//! zhibu does not implement yet is a warning, any other unknown key an error naming it, its line
//! and where it belongs or the known key it is close to — the line of a key for messages, TOML
//! syntax errors with their line and column, and full-width punctuation from a Chinese keyboard
//! (`title = “…”`) found before TOML trips over it.

use std::path::Path;

use crate::messages::{self, KeyKind, Text};
use crate::problems::{Problem, Warnings};
use crate::suggest::closest;

/// The keys a table may have, and how messages name them.
pub struct Keys<'a> {
    /// Keys zhibu implements.
    pub implemented: &'a [&'a str],
    /// Zola keys zhibu accepts but does not act on yet: a warning each, and ignored.
    pub not_yet: &'a [&'a str],
    /// Written before a key in messages, e.g. `markdown.` for the keys of `[markdown]`.
    pub prefix: &'a str,
    /// What the keys are called in messages: settings, page or section keys.
    pub kind: KeyKind,
}

/// Where keys that are not allowed in a table belong instead, for the message about them: the
/// site's taxonomies (under `[taxonomies]`), the keys its templates read from `[extra]`, and the
/// tables the catalog reads (`signin` as `[extra.signin]`).
#[derive(Debug, Clone, Default)]
pub struct Elsewhere {
    pub taxonomies: Vec<String>,
    pub extra_keys: Vec<String>,
    /// (key, header as written): `("signin", "[extra.signin]")`, `("quiz", "[[extra.quiz]]")`.
    pub extra_tables: Vec<(String, String)>,
    /// The site's `slugify.paths` and `paths_keep_dates`, for pages' slugs.
    pub slugify_paths: Option<crate::slug::Strategy>,
    pub paths_keep_dates: bool,
}

impl Keys<'_> {
    /// Checks the keys of `table` from `file`, whose lines `line_of` finds: the first unknown
    /// key is the error; each Zola key not implemented yet is a warning.
    pub fn check(
        &self,
        table: &toml::Table,
        file: &Path,
        line_of: impl Fn(&str) -> Option<usize>,
        warnings: &mut Warnings,
    ) -> Result<(), Problem> {
        match self.check_all(table, file, line_of, warnings, &Elsewhere::default()).into_iter().next() {
            Some(p) => Err(p),
            None => Ok(()),
        }
    }

    /// Like [`Keys::check`], but every unknown key is a problem, each saying where the key
    /// belongs when `elsewhere` knows it, or which known key is close to it.
    pub fn check_all(
        &self,
        table: &toml::Table,
        file: &Path,
        line_of: impl Fn(&str) -> Option<usize>,
        warnings: &mut Warnings,
        elsewhere: &Elsewhere,
    ) -> Vec<Problem> {
        let Keys { prefix, kind, .. } = self;
        let mut allowed = self.implemented.to_vec();
        allowed.extend(self.not_yet);
        let problems = unknown_keys(table, &allowed)
            .into_iter()
            .map(|key| Problem {
                file: Some(file.to_path_buf()),
                line: line_of(key),
                message: self.unknown_key_message(key, elsewhere),
            })
            .collect();
        for key in table.keys().filter(|k| self.not_yet.contains(&k.as_str())) {
            let message = messages::key_not_implemented(*kind, &format!("{prefix}{key}"));
            warnings.push(Problem { file: Some(file.to_path_buf()), line: line_of(key), message });
        }
        problems
    }

    /// What an unknown key is told: where it belongs, else the known key it is close to, else
    /// the keys allowed.
    fn unknown_key_message(&self, key: &str, elsewhere: &Elsewhere) -> Text {
        let Keys { prefix, kind, .. } = self;
        let noun = *kind;
        let full = format!("{prefix}{key}");
        if elsewhere.taxonomies.iter().any(|t| t == key) {
            return messages::key_is_a_taxonomy(noun, &full);
        }
        if let Some((_, header)) = elsewhere.extra_tables.iter().find(|(t, _)| t == key) {
            return messages::key_belongs_in_extra(noun, &full, Some(header));
        }
        if elsewhere.extra_keys.iter().any(|k| k == key) {
            return messages::key_belongs_in_extra(noun, &full, None);
        }
        if let Some(s) = closest(key, self.implemented.iter().copied()) {
            return messages::key_did_you_mean(noun, &full, &format!("{prefix}{s}"), None);
        }
        if let Some(s) = closest(key, elsewhere.taxonomies.iter().map(String::as_str)) {
            return messages::key_did_you_mean(noun, &full, s, Some("[taxonomies]"));
        }
        if let Some(s) = closest(key, elsewhere.extra_keys.iter().map(String::as_str)) {
            return messages::key_did_you_mean(noun, &full, s, Some("[extra]"));
        }
        messages::unknown_key(noun, &full, self.implemented)
    }
}

/// The keys of `table` that are not in `known`, in the table's order.
pub fn unknown_keys<'t>(table: &'t toml::Table, known: &[&str]) -> Vec<&'t str> {
    table.keys().map(String::as_str).filter(|k| !known.contains(k)).collect()
}

/// Best-effort line of `key = ` or `[a.key]` in TOML text, the key bare or quoted, for messages.
pub fn find_key_line(text: &str, key: &str) -> Option<usize> {
    let after_key = |l: &str| -> Option<usize> {
        let rest = l.strip_prefix(key).or_else(|| {
            let quote = l.chars().next().filter(|c| matches!(c, '"' | '\''))?;
            l[1..].strip_prefix(key)?.strip_prefix(quote)
        })?;
        Some(l.len() - rest.len())
    };
    // The last key of a `[table]` or `[[array]]` header.
    fn header_key(l: &str) -> Option<&str> {
        let inner = l.strip_prefix('[')?.trim_start_matches('[');
        let inner = inner[..inner.rfind(']')?].trim_end_matches(']').trim();
        for quote in ['"', '\''] {
            if let Some(body) = inner.strip_suffix(quote)
                && let Some(open) = body.rfind(quote)
            {
                return Some(&body[open + 1..]);
            }
        }
        inner.rsplit('.').next().map(str::trim)
    }
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            after_key(l).is_some_and(|end| l[end..].trim_start().starts_with('='))
                || header_key(l) == Some(key)
        })
        .map(|i| i + 1)
}

/// 1-based line number of a byte offset.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset].iter().filter(|b| **b == b'\n').count() + 1
}

/// The 1-based line of `text` where a TOML error happened, when it says.
pub fn error_line(text: &str, e: &toml::de::Error) -> Option<usize> {
    e.span().map(|s| line_of_offset(text, s.start))
}

/// The 1-based line and column (in characters, as an editor counts them) where a TOML error
/// happened, when it says.
pub fn error_position(text: &str, e: &toml::de::Error) -> Option<(usize, usize)> {
    let start = e.span()?.start.min(text.len());
    let start = (0..=start).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    Some((line_of_offset(text, start), text[line_start..start].chars().count() + 1))
}

/// Full-width punctuation typed where TOML needs ASCII (outside strings and comments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullWidth {
    /// 1-based line of the text.
    pub line: usize,
    /// 1-based column, in characters, of the first such character on the line.
    pub column: usize,
    pub found: char,
    /// The line with every such character replaced by its ASCII counterpart.
    pub fixed_line: String,
}

/// The ASCII counterpart of full-width punctuation a Chinese keyboard types.
fn ascii_for(c: char) -> Option<char> {
    Some(match c {
        '“' | '”' | '＂' => '"',
        '‘' | '’' | '＇' => '\'',
        '：' | '＝' => '=',
        '，' | '、' => ',',
        '【' | '［' => '[',
        '】' | '］' => ']',
        '｛' => '{',
        '｝' => '}',
        '　' => ' ',
        _ => return None,
    })
}

/// Finds full-width punctuation outside TOML strings and comments (inside a string, `“` is
/// Chinese text and right), one finding a line, and the text with all of it made ASCII. A
/// string opened with `“` ends at `”`, so that `title = “学习，思考”` is one string.
pub fn full_width(text: &str) -> (Vec<FullWidth>, String) {
    #[derive(PartialEq)]
    enum In {
        Code,
        Comment,
        /// A `"` string; true when it was opened by a full-width quote.
        Basic(bool),
        Literal(bool),
        MultiBasic,
        MultiLiteral,
    }
    let mut state = In::Code;
    let mut fixed = String::with_capacity(text.len());
    let mut findings: Vec<FullWidth> = Vec::new();
    let mut line = 1;
    let mut column = 0;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let starts = |i: usize, s: &str| s.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    while i < chars.len() {
        let c = chars[i];
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
            if matches!(state, In::Comment | In::Basic(_) | In::Literal(_)) {
                state = In::Code;
            }
            fixed.push(c);
            i += 1;
            continue;
        }
        match state {
            In::Code => {
                if let Some(ascii) = ascii_for(c) {
                    if findings.last().is_none_or(|f| f.line != line) {
                        findings.push(FullWidth { line, column, found: c, fixed_line: String::new() });
                    }
                    fixed.push(ascii);
                    state = match ascii {
                        '"' => In::Basic(true),
                        '\'' => In::Literal(true),
                        _ => In::Code,
                    };
                    i += 1;
                    continue;
                }
                if starts(i, "\"\"\"") {
                    state = In::MultiBasic;
                    fixed.push_str("\"\"\"");
                    i += 3;
                    column += 2;
                    continue;
                }
                if starts(i, "'''") {
                    state = In::MultiLiteral;
                    fixed.push_str("'''");
                    i += 3;
                    column += 2;
                    continue;
                }
                state = match c {
                    '#' => In::Comment,
                    '"' => In::Basic(false),
                    '\'' => In::Literal(false),
                    _ => In::Code,
                };
            }
            In::Comment => {}
            In::Basic(full) => {
                if c == '\\' {
                    fixed.push(c);
                    if let Some(next) = chars.get(i + 1).filter(|n| **n != '\n') {
                        fixed.push(*next);
                        column += 1;
                        i += 1;
                    }
                    i += 1;
                    continue;
                }
                if c == '"' || (full && matches!(c, '”' | '“' | '＂')) {
                    state = In::Code;
                    fixed.push('"');
                    i += 1;
                    continue;
                }
            }
            In::Literal(full) => {
                if c == '\'' || (full && matches!(c, '’' | '‘' | '＇')) {
                    state = In::Code;
                    fixed.push('\'');
                    i += 1;
                    continue;
                }
            }
            In::MultiBasic => {
                if c == '\\' {
                    fixed.push(c);
                    if let Some(next) = chars.get(i + 1) {
                        fixed.push(*next);
                        if *next == '\n' {
                            line += 1;
                            column = 0;
                        } else {
                            column += 1;
                        }
                        i += 1;
                    }
                    i += 1;
                    continue;
                }
                if starts(i, "\"\"\"") {
                    state = In::Code;
                    fixed.push_str("\"\"\"");
                    i += 3;
                    column += 2;
                    continue;
                }
            }
            In::MultiLiteral => {
                if starts(i, "'''") {
                    state = In::Code;
                    fixed.push_str("'''");
                    i += 3;
                    column += 2;
                    continue;
                }
            }
        }
        fixed.push(c);
        i += 1;
    }
    let lines: Vec<&str> = fixed.lines().collect();
    for f in &mut findings {
        f.fixed_line = lines.get(f.line - 1).copied().unwrap_or("").to_string();
    }
    (findings, fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: Keys = Keys {
        implemented: &["title", "extra"],
        not_yet: &["in_search_index"],
        prefix: "",
        kind: KeyKind::PageKey,
    };

    fn check(text: &str) -> (Result<(), Problem>, Warnings) {
        let table: toml::Table = toml::from_str(text).unwrap();
        let mut warnings = Vec::new();
        let result = KEYS.check(&table, Path::new("a.md"), |k| find_key_line(text, k), &mut warnings);
        (result, warnings)
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line_and_the_known_keys() {
        let (result, _) = check("title = \"x\"\ncolour = \"y\"\n");
        let p = result.unwrap_err();
        assert_eq!(p.line, Some(2));
        assert_eq!(
            p.message.en(),
            "unknown page front matter key `colour`; known keys are: title, extra. Put your own values under [extra]"
        );
    }

    #[test]
    fn an_unknown_key_close_to_a_known_one_asks_did_you_mean() {
        let (result, _) = check("titel = \"y\"\n");
        assert_eq!(
            result.unwrap_err().message.en(),
            "unknown page front matter key `titel`; did you mean `title`?"
        );
    }

    #[test]
    fn every_unknown_key_says_where_it_belongs() {
        let text = "tags = [\"a\"]\nshare = false\nsignin = 1\nsereis = \"x\"\ntag = [\"b\"]\ncolour = 1\n";
        let table: toml::Table = toml::from_str(text).unwrap();
        let elsewhere = Elsewhere {
            taxonomies: vec!["tags".into(), "categories".into()],
            extra_keys: vec!["share".into(), "series".into()],
            extra_tables: vec![("signin".into(), "[extra.signin]".into())],
            ..Elsewhere::default()
        };
        let problems = KEYS.check_all(
            &table,
            Path::new("a.md"),
            |k| find_key_line(text, k),
            &mut Vec::new(),
            &elsewhere,
        );
        let found: Vec<(Option<usize>, &str)> = problems.iter().map(|p| (p.line, p.message.en())).collect();
        assert_eq!(
            found,
            [
                (
                    Some(6),
                    "unknown page front matter key `colour`; known keys are: title, extra. Put your own values under [extra]"
                ),
                (
                    Some(4),
                    "unknown page front matter key `sereis`; did you mean `series`? (it goes under [extra])"
                ),
                (
                    Some(2),
                    "unknown page front matter key `share`: the theme reads it from [extra]: put a line `[extra]` after the other keys and `share = …` below it"
                ),
                (
                    Some(3),
                    "unknown page front matter key `signin`: it is read from [extra.signin]: write the line `[extra.signin]` above its keys"
                ),
                (
                    Some(5),
                    "unknown page front matter key `tag`; did you mean `tags`? (it goes under [taxonomies])"
                ),
                (
                    Some(1),
                    "unknown page front matter key `tags`: `tags` is a taxonomy and goes under [taxonomies]: put a line `[taxonomies]` after the other keys and `tags = [\"…\"]` below it"
                ),
            ]
        );
    }

    #[test]
    fn full_width_punctuation_outside_strings_is_found_once_a_line_and_made_ascii() {
        let text = "title = “学习，思考”\ndescription = \"“四个服从”，是什么\"\ntags = [\"a\"，\"b\"]\ndate： 2026-12-09\n# 注释：“随意”\nbody = \"\"\"\n多行“引号”\n\"\"\"\n";
        let (found, fixed) = full_width(text);
        let at: Vec<(usize, usize, char)> = found.iter().map(|f| (f.line, f.column, f.found)).collect();
        assert_eq!(at, [(1, 9, '“'), (3, 12, '，'), (4, 5, '：')]);
        assert_eq!(found[0].fixed_line, "title = \"学习，思考\"");
        assert_eq!(found[2].fixed_line, "date= 2026-12-09");
        let table: toml::Table = toml::from_str(&fixed).unwrap();
        assert_eq!(table["title"].as_str(), Some("学习，思考"));
        assert_eq!(
            table["description"].as_str(),
            Some("“四个服从”，是什么"),
            "Chinese quotes inside a string stay"
        );
    }

    #[test]
    fn toml_errors_have_a_column_in_characters() {
        // The string is not closed: the error is at the end of line 2, after 9 characters (and
        // 13 bytes).
        let text = "a = 1\n\"标题\" = \"x\ny = 2\n";
        let e = toml::from_str::<toml::Table>(text).unwrap_err();
        assert_eq!(error_position(text, &e), Some((2, 10)));
    }

    #[test]
    fn zola_key_not_implemented_is_a_warning() {
        let (result, warnings) = check("in_search_index = false\n");
        assert!(result.is_ok());
        assert_eq!(
            warnings[0].message.en(),
            "`in_search_index` is a Zola page setting that zhibu does not implement yet; it is ignored"
        );
    }

    #[test]
    fn key_lines_are_found_bare_quoted_and_in_headers() {
        let text = "a = 1\n\"b\" = 2\n[extra.c]\n";
        assert_eq!(find_key_line(text, "a"), Some(1));
        assert_eq!(find_key_line(text, "b"), Some(2));
        assert_eq!(find_key_line(text, "c"), Some(3));
        assert_eq!(find_key_line(text, "d"), None);
    }
}
