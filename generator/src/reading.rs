//! Word counts and reading times that are right for Chinese.
//!
//! Zola counts each Han character as a word read at 200 words a minute, which doubles the time
//! for Chinese. Here Han characters are counted separately (read at about 400 a minute) from
//! words in Latin script (about 200 a minute).

/// Han characters read per minute.
pub const HAN_PER_MINUTE: f64 = 400.0;
/// Latin-script words read per minute.
pub const WORDS_PER_MINUTE: f64 = 200.0;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextStats {
    pub han: usize,
    pub words: usize,
}

impl TextStats {
    /// The words of `text` by Unicode's word boundaries, as Zola counts them: each Han character
    /// is a word of its own (counted as `han`), every other word once (`pulldown-cmark` is two).
    pub fn of(text: &str) -> TextStats {
        use unicode_segmentation::UnicodeSegmentation;
        // A Han character is a word of its own and a boundary on both sides (its Word_Break is
        // Other), so only the runs between Han characters need segmenting — a few characters in
        // Chinese text, which keeps this fast on a big Chinese site.
        let mut stats = TextStats::default();
        let mut run_start = None;
        for (at, c) in text.char_indices() {
            if is_han(c) {
                if let Some(start) = run_start.take() {
                    stats.words += text[start..at].unicode_words().count();
                }
                stats.han += 1;
            } else if run_start.is_none() {
                run_start = Some(at);
            }
        }
        if let Some(start) = run_start {
            stats.words += text[start..].unicode_words().count();
        }
        stats
    }

    /// A Markdown body's words as Zola counts them: the text as written, without what is inside
    /// ``` fences.
    pub fn of_markdown(body: &str) -> TextStats {
        let mut stats = TextStats::default();
        for outside in body.split("```").step_by(2) {
            stats.add(TextStats::of(outside));
        }
        stats
    }

    pub fn add(&mut self, other: TextStats) {
        self.han += other.han;
        self.words += other.words;
    }

    /// Han characters plus Latin words: what a Chinese reader calls 字数.
    pub fn word_count(&self) -> usize {
        self.han + self.words
    }

    /// Whole minutes, rounded up; at least 1 for any non-empty text.
    pub fn reading_time(&self) -> usize {
        let minutes = self.han as f64 / HAN_PER_MINUTE + self.words as f64 / WORDS_PER_MINUTE;
        minutes.ceil() as usize
    }
}

/// CJK Unified Ideographs and their extensions and compatibility blocks.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF
        | 0x30000..=0x3134F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_characters_and_latin_words_are_counted_apart() {
        let s = TextStats::of("学习 Rust 和 pulldown-cmark 的 API。");
        assert_eq!(s.han, 4);
        assert_eq!(s.words, 4, "as Zola: pulldown and cmark");
        assert_eq!(s.word_count(), 8);
    }

    #[test]
    fn a_thousand_han_characters_take_three_minutes_not_five() {
        let text = "党".repeat(1000);
        assert_eq!(TextStats::of(&text).reading_time(), 3);
    }

    #[test]
    fn empty_text_takes_no_time() {
        assert_eq!(TextStats::of("").reading_time(), 0);
        assert_eq!(TextStats::of("短").reading_time(), 1);
    }

    #[test]
    fn the_fast_count_equals_unicode_words() {
        use unicode_segmentation::UnicodeSegmentation;
        for text in [
            "学习 Rust 和 pulldown-cmark 的 API。",
            "2026年12月9日，一二·九运动 91 周年；Don't stop 3.5 km。",
            "Titre d’exemple — 日本語テスト ひらがな カタカナ 한국어 🎉",
            "",
            "纯中文没有空格",
        ] {
            assert_eq!(TextStats::of(text).word_count(), text.unicode_words().count(), "{text}");
        }
    }

    #[test]
    fn latin_text_counts_and_reads_as_in_zola() {
        // Zola: unicode words outside ``` fences, ceil(words / 200) minutes.
        let body = format!("{}\n```\nlet x = 1;\n```\n", "word ".repeat(201));
        let s = TextStats::of_markdown(&body);
        assert_eq!(s.word_count(), 201);
        assert_eq!(s.reading_time(), 2);
    }

    #[test]
    fn punctuation_is_not_counted() {
        assert_eq!(TextStats::of("，。！？“”").word_count(), 0);
    }
}
