//! The sensitive-word list (configurable, one word a line): notes that contain one stay pending
//! and the reviewer sees which words matched. Matching folds compatibility forms (NFKC:
//! full-width letters, circled digits), case, spaces and invisible characters, so `Ｖ Ｐ Ｎ` or
//! a zero-width space inside a word still matches.

#[derive(Debug, Clone, Default)]
pub struct SensitiveWords(Vec<String>);

fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    s.nfkc()
        .filter(|c| !c.is_whitespace() && !crate::domain::is_invisible(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

impl SensitiveWords {
    /// One word a line; blank lines and lines starting with `#` are skipped.
    pub fn parse(text: &str) -> SensitiveWords {
        let mut words: Vec<String> =
            text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(fold).collect();
        words.sort();
        words.dedup();
        SensitiveWords(words)
    }

    pub fn load(path: &std::path::Path) -> anyhow::Result<SensitiveWords> {
        use anyhow::Context as _;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the sensitive-word list {}", path.display()))?;
        Ok(SensitiveWords::parse(&text))
    }

    /// The listed words found in `text`.
    pub fn find(&self, text: &str) -> Vec<String> {
        let folded = fold(text);
        self.0.iter().filter(|w| folded.contains(w.as_str())).cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_ignore_case_and_spaces() {
        let words = SensitiveWords::parse("# 注释\n翻墙\nVPN\n\n");
        assert_eq!(words.len(), 2);
        assert_eq!(words.find("我用 v p n 和翻 墙软件"), vec!["vpn".to_string(), "翻墙".to_string()]);
        assert!(words.find("认真学习党章").is_empty());
    }

    #[test]
    fn hidden_and_full_width_spellings_still_match() {
        let words = SensitiveWords::parse("翻墙\nVPN\n");
        assert_eq!(words.find("翻\u{200B}墙"), vec!["翻墙".to_string()]);
        assert_eq!(words.find("翻\u{202E}墙"), vec!["翻墙".to_string()]);
        assert_eq!(words.find("用ＶＰＮ上网"), vec!["vpn".to_string()]);
    }
}
