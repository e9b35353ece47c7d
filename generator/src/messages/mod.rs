//! Everything zhibu tells an editor, in English and in Simplified Chinese, in one place: one
//! function per message, grouped by kind in the files of this folder, each building a [`Text`]
//! with both languages side by side — the compiler sees to it that no message lacks one. The
//! checks decide *whether* and *where*; these functions only put the words together.
//!
//! A message is data until it is printed: a [`crate::Problem`] keeps its [`Text`], and the run's
//! [`Lang`] (`ZHIBU_LANG`, else the site's `default_language`) picks the words when it is shown.
//! File paths, line numbers, the source text quoted in backticks, key names, shortcode names
//! and command names are the same in both languages; so is the text of an error from a library
//! (a TOML parser's, a template engine's), which is quoted as it comes.
//!
//! The style: the fact first, quoting what the editor wrote in backticks, then what to do; "did
//! you mean" when a close name exists.

mod calendar;
mod catalog;
mod config;
mod content;
mod front_matter;
mod images;
mod links;
mod run;
mod sass;
mod shortcodes;
mod templates;

pub use calendar::*;
pub use catalog::*;
pub use config::*;
pub use content::*;
pub use front_matter::*;
pub use images::*;
pub use links::*;
pub use run::*;
pub use sass::*;
pub use shortcodes::*;
pub use templates::*;

use std::fmt;

/// The language of a run's messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `ZHIBU_LANG` when it names a language zhibu speaks (`zh`, `zh-CN`, `zh_CN.UTF-8`, `en`,
    /// `en-US` …), else the site's `default_language`: Chinese when it starts with `zh`
    /// (`zh`, `zh-CN`, `zh-Hans` …), English otherwise.
    pub fn choose(zhibu_lang: Option<&str>, default_language: Option<&str>) -> Lang {
        let of = |s: &str| {
            let s = s.trim().to_ascii_lowercase();
            if s.starts_with("zh") {
                Some(Lang::Zh)
            } else if s.starts_with("en") {
                Some(Lang::En)
            } else {
                None
            }
        };
        zhibu_lang.and_then(of).or_else(|| default_language.and_then(of)).unwrap_or(Lang::En)
    }
}

/// One message in both languages. Only the functions of this module make one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text {
    en: String,
    zh: String,
}

impl Text {
    fn new(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text { en: en.into(), zh: zh.into() }
    }

    /// The words in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    pub fn en(&self) -> &str {
        &self.en
    }

    pub fn zh(&self) -> &str {
        &self.zh
    }
}

/// English, the library's default (tests, logs); a run shows [`Text::get`] in its language.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// `; did you mean `x`?` when there is a suggestion, else nothing, in both languages.
fn did_you_mean(suggestion: Option<&str>) -> (String, String) {
    match suggestion {
        Some(s) => (format!("; did you mean `{s}`?"), format!("；您是不是想写 `{s}`？")),
        None => (String::new(), String::new()),
    }
}

/// A list of names, or "none".
fn listed(names: &[impl AsRef<str>]) -> (String, String) {
    if names.is_empty() {
        ("none".into(), "无".into())
    } else {
        let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
        (names.join(", "), names.join("、"))
    }
}

/// `s` after a count other than 1.
fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests;
