//! Word boundaries for ranking: jieba's segmentation of each run of Han characters, with the
//! branch's own terms laid over it, so that 三会一课 and 发展对象 are words whatever jieba's
//! dictionary says. A match that starts and ends on boundaries (a whole word) ranks above one
//! that cuts words (段简 in 一段/简单). Matching itself never depends on this.

use std::collections::HashMap;
use std::sync::OnceLock;

use jieba_rs::Jieba;

use super::text::{self, Class};

/// Terms every site gets; a site adds its own in `data/search_words.txt` (one a line).
pub const BUILT_IN: &[&str] = &[
    "三会一课",
    "两学一做",
    "一二·九",
    "一二九运动",
    "发展对象",
    "入党积极分子",
    "积极分子",
    "预备党员",
    "正式党员",
    "入党申请书",
    "入党申请人",
    "入党介绍人",
    "入党誓词",
    "思想汇报",
    "主题党日",
    "组织生活会",
    "民主评议",
    "党费",
    "党章",
    "党支部",
    "支部大会",
    "支委会",
    "党小组",
    "谈心谈话",
    "培养联系人",
    "政治审查",
    "组织关系",
    "转正",
    "党员活动证",
    "流动党员",
    "实习党员",
    "不忘初心",
    "牢记使命",
    "四个意识",
    "四个自信",
    "两个维护",
    "两个确立",
    "三严三实",
    "党史学习教育",
    "主题教育",
    "批评与自我批评",
    "红色教育",
    "网络党校",
    "志愿服务",
];

/// The file of a site's own terms, relative to the site folder.
pub const USER_FILE: &str = "data/search_words.txt";

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// jieba's words of `text` for search engines (long words and the words inside them), for
/// Zola's elasticlunr format.
pub fn cut_for_search(text: &str) -> Vec<String> {
    jieba().cut_for_search(text, false).into_iter().map(|t| t.word.to_string()).collect()
}

/// Loads jieba's dictionary (a tenth of a second) on another thread, so that it is ready when
/// the index needs it.
pub fn warm_up() {
    if JIEBA_STARTED.set(()).is_ok() {
        std::thread::spawn(|| {
            jieba();
        });
    }
}

static JIEBA_STARTED: OnceLock<()> = OnceLock::new();

/// The terms laid over jieba's segmentation, by first character.
#[derive(Debug, Default, Clone)]
pub struct Terms {
    by_first: HashMap<char, Vec<Vec<char>>>,
}

impl Terms {
    /// The built-in terms and those of `user` (the text of `data/search_words.txt`: a term a
    /// line, `#` starts a comment, anything after the first space is ignored, as in jieba's
    /// dictionaries). A term with punctuation (一二·九) gives its Han pieces.
    pub fn new(user: &str) -> Terms {
        let mut terms = Terms::default();
        let user_terms = user
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .filter_map(|l| l.split_whitespace().next());
        for term in BUILT_IN.iter().copied().chain(user_terms) {
            let folded = text::fold_str(term);
            for piece in folded.split(|c| text::class(c) != Class::Han) {
                let chars: Vec<char> = piece.chars().collect();
                if chars.len() >= 2 {
                    let list = terms.by_first.entry(chars[0]).or_default();
                    if !list.contains(&chars) {
                        list.push(chars);
                    }
                }
            }
        }
        for list in terms.by_first.values_mut() {
            list.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        }
        terms
    }

    /// How many terms there are (built-in and the site's).
    pub fn count(&self) -> usize {
        self.by_first.values().map(Vec::len).sum()
    }
}

/// For a run of Han characters, whether a word boundary lies before each character and after
/// the last: `n + 1` flags, the first and last always true.
pub fn boundaries(run: &[char], terms: &Terms) -> Vec<bool> {
    let n = run.len();
    let mut b = vec![false; n + 1];
    b[0] = true;
    b[n] = true;
    if n > 1 {
        let s: String = run.iter().collect();
        for token in jieba().cut(&s, false) {
            if token.end <= n {
                b[token.end] = true;
            }
        }
    }
    let mut i = 0;
    while i < n {
        let found = terms.by_first.get(&run[i]).and_then(|list| {
            list.iter().find(|t| t.len() <= n - i && run[i..i + t.len()] == t[..]).map(|t| t.len())
        });
        match found {
            Some(len) => {
                b[i] = true;
                b[i + 1..i + len].iter_mut().for_each(|x| *x = false);
                b[i + len] = true;
                i += len;
            }
            None => i += 1,
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str, terms: &Terms) -> Vec<String> {
        let run: Vec<char> = text.chars().collect();
        let b = boundaries(&run, terms);
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=run.len() {
            if b[i] {
                out.push(run[start..i].iter().collect());
                start = i;
            }
        }
        out
    }

    #[test]
    fn jieba_segments_and_party_terms_stay_whole() {
        let terms = Terms::new("");
        assert_eq!(
            words("这是一段简单的测试文本", &terms),
            ["这", "是", "一段", "简单", "的", "测试", "文本"]
        );
        assert_eq!(words("坚持三会一课制度", &terms), ["坚持", "三会一课", "制度"]);
        assert_eq!(words("确定为发展对象", &terms), ["确定", "为", "发展对象"]);
    }

    #[test]
    fn a_site_adds_its_own_terms() {
        let terms = Terms::new("# 本支部用语\n成教学院 10 n\n\n");
        assert_eq!(words("成教学院党支部", &terms)[0], "成教学院");
        assert_eq!(terms.count(), Terms::new("").count() + 1);
    }
}
