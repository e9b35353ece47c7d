//! Problems found while loading, checking or rendering a site.
//!
//! The generator speaks to a person: every problem names the file (relative to the site root),
//! the line where it is known, and what to fix. A run collects *all* problems and reports them
//! as one numbered list instead of stopping at the first.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::messages::{self, Lang, Text};

/// One thing wrong with the site, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// File relative to the site root, e.g. `content/notices/a.md`.
    pub file: Option<PathBuf>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// What is wrong, in both languages (see [`crate::messages`]).
    pub message: Text,
}

impl Problem {
    pub fn new(message: Text) -> Self {
        Problem { file: None, line: None, message }
    }

    pub fn in_file(file: impl AsRef<Path>, message: Text) -> Self {
        Problem { file: Some(file.as_ref().to_path_buf()), line: None, message }
    }

    pub fn at(file: impl AsRef<Path>, line: usize, message: Text) -> Self {
        Problem { file: Some(file.as_ref().to_path_buf()), line: Some(line), message }
    }

    /// `file:line: message` in `lang`; the place is the same in every language.
    pub fn render(&self, lang: Lang) -> String {
        let message = self.message.get(lang);
        match (&self.file, self.line) {
            (Some(file), Some(line)) => format!("{}:{}: {}", file.display(), line, message),
            (Some(file), None) => format!("{}: {}", file.display(), message),
            _ => message.to_string(),
        }
    }
}

/// In English; a run shows [`Problem::render`] in its language.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// All problems of one run. Displayed as a numbered list.
#[derive(Debug, Default, Clone)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Problem>) {
        self.0.extend(other);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }

    /// `Ok(value)` when nothing was found, otherwise the sorted, de-duplicated list.
    pub fn into_result<T>(self, value: T) -> Result<T, BuildError> {
        if self.0.is_empty() { Ok(value) } else { Err(self.into_error()) }
    }

    /// The problems, sorted by file and line and de-duplicated, as the error of a build.
    pub fn into_error(mut self) -> BuildError {
        self.0.sort();
        self.0.dedup();
        BuildError { problems: self, warnings: Vec::new(), lang: Lang::En }
    }
}

/// The error of a failed build: every problem found, as a numbered list, and the warnings of
/// the run, listed after them so that one run shows everything.
#[derive(Debug, Clone)]
pub struct BuildError {
    pub problems: Problems,
    pub warnings: Warnings,
    /// The language it is displayed in: the run's.
    pub lang: Lang,
}

impl BuildError {
    pub fn single(problem: Problem) -> Self {
        BuildError { problems: Problems(vec![problem]), warnings: Vec::new(), lang: Lang::En }
    }

    /// The same error, displayed in `lang`.
    pub fn in_lang(self, lang: Lang) -> Self {
        BuildError { lang, ..self }
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems.0
    }

    /// The same error with the run's warnings, sorted and de-duplicated.
    pub fn with_warnings(mut self, mut warnings: Warnings) -> Self {
        warnings.sort();
        warnings.dedup();
        self.warnings = warnings;
        self
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lang = self.lang;
        writeln!(f, "{}", messages::problems_heading(self.problems.len()).get(lang))?;
        for (i, p) in self.problems.iter().enumerate() {
            writeln!(f, "  {}. {}", i + 1, p.render(lang))?;
        }
        let warning = messages::warning_prefix();
        for w in &self.warnings {
            writeln!(f, "{}{}", warning.get(lang), w.render(lang))?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

impl From<Problem> for BuildError {
    fn from(p: Problem) -> Self {
        BuildError::single(p)
    }
}

/// Warnings do not fail a build; they are printed once.
pub type Warnings = Vec<Problem>;

impl IntoIterator for Problems {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_error_lists_every_problem_numbered_with_file_and_line() {
        let mut problems = Problems::default();
        problems.push(Problem::at("content/b.md", 3, messages::image_without_alt("a.png")));
        problems.push(Problem::in_file("content/a.md", messages::date_expected("date")));
        let err = problems.into_result(()).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("the site has 2 problems:"), "{text}");
        assert!(text.contains("  1. content/a.md: `date` must be a date"), "{text}");
        assert!(text.contains("  2. content/b.md:3: image `a.png` has no alt text"), "{text}");
        let text = err.in_lang(Lang::Zh).to_string();
        assert!(text.starts_with("网站有 2 个问题："), "{text}");
        assert!(text.contains("  1. content/a.md: `date` 必须是日期"), "{text}");
        assert!(text.contains("  2. content/b.md:3: 图片 `a.png` 没有替代文字"), "{text}");
    }

    #[test]
    fn the_place_of_a_problem_is_the_same_in_both_languages() {
        let p = Problem::at(
            "content/notices/a.md",
            3,
            messages::key_did_you_mean(messages::KeyKind::PageKey, "tittle", "title", None),
        );
        assert_eq!(
            p.render(Lang::En),
            "content/notices/a.md:3: unknown page front matter key `tittle`; did you mean `title`?"
        );
        assert_eq!(
            p.render(Lang::Zh),
            "content/notices/a.md:3: 未知的页面设置 `tittle`；您是不是想写 `title`？"
        );
        assert_eq!(p.to_string(), p.render(Lang::En));
    }

    #[test]
    fn no_problems_is_ok() {
        assert_eq!(Problems::default().into_result(5).unwrap(), 5);
    }
}
