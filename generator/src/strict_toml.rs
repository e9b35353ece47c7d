//! Strict TOML, the one helper for every table zhibu reads from a file (config.toml, front
//! matter, the catalog's `[extra.*]` tables): which keys a table may have — a Zola key zhibu does
//! not implement yet is a warning, any other unknown key an error naming it, its line and the
//! keys allowed — the line of a key for messages, and TOML syntax errors with their line.

use std::path::Path;

use crate::problems::{Problem, Warnings};

/// The keys a table may have, and how messages name them.
pub struct Keys<'a> {
    /// Keys zhibu implements.
    pub implemented: &'a [&'a str],
    /// Zola keys zhibu accepts but does not act on yet: a warning each, and ignored.
    pub not_yet: &'a [&'a str],
    /// Written before a key in messages, e.g. `markdown.` for the keys of `[markdown]`.
    pub prefix: &'a str,
    /// What an unknown key is called: `setting`, `page front matter key`.
    pub noun: &'a str,
    /// What the allowed keys are called: `settings here`, `keys`.
    pub known: &'a str,
    /// What a not-yet-implemented key is called: `setting`, `page setting`.
    pub zola: &'a str,
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
        let Keys { prefix, noun, known, zola, .. } = self;
        let mut allowed = self.implemented.to_vec();
        allowed.extend(self.not_yet);
        if let Some(key) = unknown_keys(table, &allowed).into_iter().next() {
            let message = format!(
                "unknown {noun} `{prefix}{key}`; known {known} are: {}. Put your own values under [extra]",
                self.implemented.join(", ")
            );
            return Err(Problem { file: Some(file.to_path_buf()), line: line_of(key), message });
        }
        for key in table.keys().filter(|k| self.not_yet.contains(&k.as_str())) {
            let message =
                format!("`{prefix}{key}` is a Zola {zola} that zhibu does not implement yet; it is ignored");
            warnings.push(Problem { file: Some(file.to_path_buf()), line: line_of(key), message });
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: Keys = Keys {
        implemented: &["title", "extra"],
        not_yet: &["in_search_index"],
        prefix: "",
        noun: "page front matter key",
        known: "keys",
        zola: "page setting",
    };

    fn check(text: &str) -> (Result<(), Problem>, Warnings) {
        let table: toml::Table = toml::from_str(text).unwrap();
        let mut warnings = Vec::new();
        let result = KEYS.check(&table, Path::new("a.md"), |k| find_key_line(text, k), &mut warnings);
        (result, warnings)
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line_and_the_known_keys() {
        let (result, _) = check("title = \"x\"\ntitel = \"y\"\n");
        let p = result.unwrap_err();
        assert_eq!(p.line, Some(2));
        assert_eq!(
            p.message,
            "unknown page front matter key `titel`; known keys are: title, extra. Put your own values under [extra]"
        );
    }

    #[test]
    fn zola_key_not_implemented_is_a_warning() {
        let (result, warnings) = check("in_search_index = false\n");
        assert!(result.is_ok());
        assert_eq!(
            warnings[0].message,
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
