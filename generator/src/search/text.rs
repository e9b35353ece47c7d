//! Folding and tokenising, the rules the index and every query share. `themes/zhibu/static/js/
//! search.js` implements the same rules (`fold`, `units`); the end-to-end test runs it under node
//! against the built index and compares, so a change here is a change there.
//!
//! - Folding maps one character to one character, so positions and offsets survive it:
//!   full-width ASCII to half-width (`Ａ２０２６` → `a2026`), the ideographic space to a space,
//!   ASCII and Latin-1 capitals to lower case, and traditional characters to simplified ones by
//!   the table in [`super::t2s`] (黨 → 党).
//! - A folded text is a sequence of *units* at *positions*: every Han character is a unit; a run
//!   of letters and digits (ASCII, Latin-1 and Latin Extended-A/B) is one unit, a *word*
//!   (`2026`, `pdf`; `12·9` is the words `12` and `9` with a gap between them). Anything else
//!   (punctuation, spaces) is a separator: a run of separators takes one position and so breaks
//!   adjacency. `段简` is two adjacent units; `党费，标准` is not `党费标准`. A unit knows whether
//!   a separator follows it, so that `12·9` (a gap between two words) is not `12月9`.

use super::t2s;

/// What a character is after folding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Han,
    Word,
    Separator,
}

/// Folds one character (see the module's documentation).
pub fn fold(c: char) -> char {
    let u = c as u32;
    match u {
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).map_or(c, fold),
        0x3000 => ' ',
        0x41..=0x5A => char::from_u32(u + 0x20).unwrap_or(c),
        0xC0..=0xDE if u != 0xD7 => char::from_u32(u + 0x20).unwrap_or(c),
        _ => t2s::simplified(c),
    }
}

/// The class of a folded character.
pub fn class(c: char) -> Class {
    match c as u32 {
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F => Class::Han,
        0x30..=0x39 | 0x61..=0x7A => Class::Word,
        0xC0..=0x24F if !matches!(c as u32, 0xD7 | 0xF7) => Class::Word,
        _ => Class::Separator,
    }
}

/// Words longer than this many characters are cut (the key, not the text).
pub const MAX_WORD: usize = 32;

/// A unit of folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub pos: u32,
    /// The folded word; empty for a Han character (see `ch`).
    pub text: String,
    /// The folded Han character, or the word's first character.
    pub ch: char,
    pub han: bool,
    /// Whether a separator follows it in the same text (`12` in `12·9`, not in `12月`).
    pub gap_after: bool,
    /// Byte range in the original (unfolded) text.
    pub start: usize,
    pub end: usize,
}

/// The units of `text`, numbered from `pos`; returns them and the next free position (after a
/// trailing separator run, if any). Blocks of a document are tokenised one after another, each
/// starting one position after the previous one ended.
pub fn units(text: &str, mut pos: u32) -> (Vec<Unit>, u32) {
    let mut out: Vec<Unit> = Vec::new();
    let mut prev = None;
    for (i, c) in text.char_indices() {
        let f = fold(c);
        let k = class(f);
        match k {
            Class::Han => {
                out.push(Unit {
                    pos,
                    text: String::new(),
                    ch: f,
                    han: true,
                    gap_after: false,
                    start: i,
                    end: i + c.len_utf8(),
                });
                pos += 1;
            }
            Class::Word => match out.last_mut() {
                Some(u) if prev == Some(Class::Word) => {
                    if u.text.chars().count() < MAX_WORD {
                        u.text.push(f);
                    }
                    u.end = i + c.len_utf8();
                }
                _ => {
                    out.push(Unit {
                        pos,
                        text: f.to_string(),
                        ch: f,
                        han: false,
                        gap_after: false,
                        start: i,
                        end: i + c.len_utf8(),
                    });
                    pos += 1;
                }
            },
            Class::Separator => {
                if prev != Some(Class::Separator) {
                    pos += 1;
                    if let Some(u) = out.last_mut() {
                        u.gap_after = true;
                    }
                }
            }
        }
        prev = Some(k);
    }
    (out, pos)
}

/// `text` folded, character by character.
pub fn fold_str(text: &str) -> String {
    text.chars().map(fold).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(u32, String)> {
        units(text, 0).0.into_iter().map(|u| (u.pos, if u.han { u.ch.to_string() } else { u.text })).collect()
    }

    #[test]
    fn full_width_and_case_fold() {
        assert_eq!(fold_str("ＰＤＦ文件２０２６年，ＡＢｃ"), "pdf文件2026年,abc");
        assert_eq!(fold_str("ÀÉ"), "àé");
        assert_eq!(fold('\u{3000}'), ' ');
    }

    #[test]
    fn traditional_characters_fold_to_simplified() {
        assert_eq!(fold_str("黨員發展對象"), "党员发展对象");
        assert_eq!(fold_str("學習黨章，三會一課"), "学习党章,三会一课");
        // Characters that are already simplified (or the same in both) stay.
        assert_eq!(fold_str("党费后台干部"), "党费后台干部");
    }

    #[test]
    fn han_characters_are_units_and_words_are_whole() {
        assert_eq!(
            texts("2026年PDF版"),
            [(0, "2026"), (1, "年"), (2, "pdf"), (3, "版")].map(|(p, t)| (p, t.to_string()))
        );
    }

    #[test]
    fn separators_take_one_position() {
        // 一二·九: 一 0, 二 1, gap 2, 九 3. `12·9` and `12 · 9` both give 12 at 0 and 9 at 2.
        assert_eq!(texts("一二·九").last().map(|u| u.0), Some(3));
        assert_eq!(texts("12·9"), texts("12 · 9"));
        assert_eq!(texts("0.2"), [(0, "0".to_string()), (2, "2".to_string())]);
    }

    #[test]
    fn byte_ranges_point_into_the_original() {
        let text = "ＰＤＦ，黨";
        let (u, next) = units(text, 5);
        assert_eq!(&text[u[0].start..u[0].end], "ＰＤＦ");
        assert_eq!(&text[u[1].start..u[1].end], "黨");
        assert_eq!((u[0].pos, u[1].pos, next), (5, 7, 8));
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(texts(&long)[0].1.len(), MAX_WORD);
    }
}
