//! Slugs for URLs and heading ids.
//!
//! Page and section URLs come from file and folder names, which editors write in ASCII.
//! Taxonomy terms and heading ids keep their Chinese (like Hugo, and Zola's `safe` mode): toneless
//! pinyin would turn 党史学习 into `dang-shi-xue-xi` and let different terms collide. Their Latin
//! text is slugged as Zola's default does (the `slug` crate): `search.build_search_index` →
//! `search-build-search-index`.

/// Slug for a file or folder name, as Zola's default (`slugify.paths = "on"`) for Latin script:
/// `my_page` and `zola.386` give `my-page` and `zola-386`; Chinese kept (see [`term_slug`]).
pub fn path_slug(name: &str) -> String {
    term_slug(name)
}

fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '<' | '>'
            | ':'
            | '/'
            | '|'
            | '?'
            | '*'
            | '#'
            | '\\'
            | '('
            | ')'
            | '['
            | ']'
            | '"'
            | '\''
            | '%'
            | '&'
            | '+'
            | ','
            | ';'
            | '='
            | '@'
            | '!'
            | '$'
            | '^'
            | '`'
            | '{'
            | '}'
            | '~'
            | '。'
            | '，'
            | '、'
            | '：'
            | '；'
            | '？'
            | '！'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '（'
            | '）'
            | '《'
            | '》'
            | '【'
            | '】'
            | '·'
    ) || c.is_control()
}

/// Slug of a taxonomy term or heading: Zola's default slug for Latin script (letters and digits
/// lower-cased, accents dropped, every other run of ASCII characters or spaces one `-`, none at
/// the ends), Chinese and other scripts kept as they are, Chinese punctuation dropped.
pub fn term_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut push = |out: &mut String, c: char| {
        if c.is_ascii_alphanumeric() || !c.is_ascii() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    };
    for c in text.chars() {
        if c.is_ascii() || c.is_whitespace() {
            push(&mut out, if c.is_whitespace() { ' ' } else { c });
        } else if is_latin(c) {
            for t in deunicode::deunicode_char(c).unwrap_or("-").chars() {
                push(&mut out, if t.is_ascii() { t } else { '-' });
            }
        } else if c.is_alphanumeric() {
            push(&mut out, c);
        } else if !is_unsafe(c) {
            // Other symbols by their names where they have one, as Zola's slugs (🔧 → `wrench`);
            // punctuation (`—`, `→`) separates words.
            let name = deunicode::deunicode_char(c).unwrap_or("-");
            for t in name.chars() {
                push(&mut out, if t.is_ascii_alphanumeric() { t } else { '-' });
            }
        }
    }
    out
}

/// Letters of the Latin script beyond ASCII: Latin-1, Latin Extended-A and -B, IPA, Latin
/// Extended Additional.
fn is_latin(c: char) -> bool {
    matches!(c, '\u{c0}'..='\u{2af}' | '\u{1e00}'..='\u{1eff}') && c != '\u{d7}' && c != '\u{f7}'
}

/// Zola's `[slugify]` strategies, when a site names one: `on` (Zola's slug of everything:
/// Chinese becomes pinyin, `日本` → `ri-ben`), `safe` (only what breaks a path removed), `off`.
/// A site that names none gets zhibu's slugs above (Latin as `on`, Chinese kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    On,
    Safe,
    Off,
}

/// A file or folder name's slug by `strategy` (zhibu's when `None`), as Zola's `slugify_paths`.
pub fn path_slug_by(name: &str, strategy: Option<Strategy>) -> String {
    match strategy {
        None => path_slug(name),
        Some(Strategy::On) => slug::slugify(name),
        Some(Strategy::Safe) => {
            let trimmed = name.trim_end_matches([' ', '.']);
            trimmed.chars().filter(|c| !r#"<>:"/\|?*"#.contains(*c)).collect()
        }
        Some(Strategy::Off) => name.to_string(),
    }
}

/// A term's slug by `strategy` (zhibu's when `None`); Zola slugs terms as paths.
pub fn term_slug_by(text: &str, strategy: Option<Strategy>) -> String {
    match strategy {
        None => term_slug(text),
        some => path_slug_by(text, some),
    }
}

/// A heading's id by `strategy` (zhibu's when `None`), as Zola's `slugify_anchors`.
pub fn anchor_slug_by(text: &str, strategy: Option<Strategy>) -> String {
    match strategy {
        None => term_slug(text),
        Some(Strategy::On) => slug::slugify(text),
        Some(Strategy::Safe | Strategy::Off) => text.replace(|c: char| c.is_ascii_whitespace(), "_"),
    }
}

/// Unique heading id within one page: the term slug, numbered `-1`, `-2` on repeats.
pub fn unique_id(text: &str, taken: &mut std::collections::HashSet<String>) -> String {
    unique_id_by(text, None, taken)
}

/// [`unique_id`] with the site's `slugify.anchors`.
pub fn unique_id_by(
    text: &str,
    strategy: Option<Strategy>,
    taken: &mut std::collections::HashSet<String>,
) -> String {
    let mut base = anchor_slug_by(text, strategy);
    if base.is_empty() {
        base = "section".into();
    }
    if taken.insert(base.clone()) {
        return base;
    }
    let mut n = 1;
    loop {
        let candidate = format!("{base}-{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn zolas_strategies_when_the_site_names_them() {
        // Zola's own table (utils/src/slugs.rs).
        for (input, on, safe, off) in [
            ("tes t", "tes-t", "tes t", "tes t"),
            ("dot. ", "dot", "dot", "dot. "),
            ("日本", "ri-ben", "日本", "日本"),
            ("test (hey)", "test-hey", "test (hey)", "test (hey)"),
        ] {
            assert_eq!(path_slug_by(input, Some(Strategy::On)), on);
            assert_eq!(path_slug_by(input, Some(Strategy::Safe)), safe);
            assert_eq!(path_slug_by(input, Some(Strategy::Off)), off);
        }
        assert_eq!(anchor_slug_by("tes t", Some(Strategy::Safe)), "tes_t");
        assert_eq!(anchor_slug_by("特色", Some(Strategy::On)), "te-se");
        assert_eq!(anchor_slug_by("特色", None), "特色", "zhibu's own when the site names none");
    }

    #[test]
    fn chinese_terms_keep_their_characters() {
        assert_eq!(path_slug("党史学习"), "党史学习");
        assert_eq!(path_slug("党史 学习"), "党史-学习");
        assert_ne!(path_slug("党史学习"), path_slug("党员学习"));
    }

    #[test]
    fn unsafe_characters_are_removed() {
        assert_eq!(path_slug("一、总纲（第一章）"), "一总纲第一章");
        assert_eq!(path_slug("What? A/B test"), "what-a-b-test");
    }

    #[test]
    fn punctuation_beyond_chinese_separates_words() {
        assert_eq!(term_slug("Other Elements — abbr, sub"), "other-elements-abbr-sub");
        assert_eq!(term_slug("党章 → 学习"), "党章-学习");
        assert_eq!(term_slug("2023-06-29 🔧"), "2023-06-29-wrench", "as Zola names the emoji");
        assert_eq!(term_slug("一二·九运动"), "一二九运动");
    }

    #[test]
    fn path_slugs_are_zola_slugs_of_file_names() {
        assert_eq!(path_slug("Party School"), "party-school");
        assert_eq!(path_slug("my_page"), "my-page");
        assert_eq!(path_slug("zola.386"), "zola-386");
        assert_eq!(path_slug("zola-theme-jiaxiang.wang"), "zola-theme-jiaxiang-wang");
    }

    #[test]
    fn term_slugs_fold_ascii_case_only() {
        assert_eq!(term_slug("Probe Tag"), "probe-tag");
        assert_eq!(term_slug("党史学习"), "党史学习");
    }

    #[test]
    fn latin_text_is_slugged_as_zola_does() {
        assert_eq!(term_slug("search.build_search_index"), "search-build-search-index");
        assert_eq!(term_slug("  Don't Panic!  "), "don-t-panic");
        assert_eq!(term_slug("What? A/B test"), "what-a-b-test");
        assert_eq!(term_slug("C++ -- and __Rust__"), "c-and-rust");
        assert_eq!(term_slug("Café Ünïcödé Straße"), "cafe-unicode-strasse");
        assert_eq!(term_slug("v1.2_3"), "v1-2-3");
    }

    #[test]
    fn chinese_in_headings_is_kept_and_latin_beside_it_slugged() {
        assert_eq!(term_slug("交多少"), "交多少");
        assert_eq!(term_slug("一、总纲（第一章）"), "一总纲第一章");
        assert_eq!(term_slug("第一步：登录 zhibu.example"), "第一步登录-zhibu-example");
        assert_eq!(term_slug("用 search_index 搜索"), "用-search-index-搜索");
        assert_eq!(term_slug("党史\u{3000}学习"), "党史-学习");
        assert_eq!(term_slug("Zola的slug"), "zola的slug");
    }

    #[test]
    fn repeated_heading_ids_are_numbered() {
        let mut taken = HashSet::new();
        assert_eq!(unique_id("小结", &mut taken), "小结");
        assert_eq!(unique_id("小结", &mut taken), "小结-1");
        assert_eq!(unique_id("小结", &mut taken), "小结-2");
        assert_eq!(unique_id("？", &mut taken), "section");
    }
}
