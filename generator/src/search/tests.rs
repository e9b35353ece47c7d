//! The index built from documents in memory and searched with [`super::query`]: the cases other
//! tools get wrong, and the ranking.

use std::sync::Arc;

use super::analyse::{self, Doc};
use super::extract::Field;
use super::index;
use super::query::{self, Index};
use super::words::Terms;
use crate::data::{Body, OutputFile};

/// Shards of the test indexes: several, so that queries cross them.
const SHARDS: u32 = 8;

/// Builds an index of documents given as (title, body paragraphs), numbered in that order; the
/// first `recent` are recent.
fn build(docs: &[(&str, &[&str])], recent: usize) -> Vec<OutputFile> {
    let terms = Terms::new("");
    let analysed: Vec<_> = docs
        .iter()
        .enumerate()
        .map(|(i, (title, body))| {
            let mut blocks = vec![(Field::Title, title.to_string())];
            for b in *body {
                match b.strip_prefix("## ") {
                    Some(h) => blocks.push((Field::Heading, h.to_string())),
                    None => blocks.push((Field::Body, b.to_string())),
                }
            }
            let doc = Doc {
                url: format!("/{i}/"),
                title: title.to_string(),
                section: String::new(),
                date: None,
                blocks,
            };
            Arc::new(analyse::analyse(&doc, &terms, SHARDS))
        })
        .collect();
    let fold: String = super::t2s::pairs().iter().flat_map(|(t, s)| [*t, *s]).collect();
    let mut files: Vec<OutputFile> = index::assemble(&analysed, SHARDS, recent, &fold)
        .files
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, body: Body::Bytes(bytes) })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The documents a query finds, best first.
fn find(files: &[OutputFile], q: &str) -> Vec<u32> {
    let mut index = Index::open(files).expect("meta.json");
    index.search(q).into_iter().map(|h| h.doc).collect()
}

#[test]
fn a_substring_across_word_boundaries_is_found() {
    // Pagefind #659 & co.: 段简 is not a word of 这是一段简单的测试文本, but it is in it.
    let files = build(&[("测试", &["这是一段简单的测试文本"]), ("别的", &["一段路，简单说"])], 0);
    assert_eq!(find(&files, "段简"), [0]);
    assert_eq!(find(&files, "一段简单的测"), [0]);
    assert_eq!(find(&files, "简单说"), [1]);
    assert_eq!(find(&files, "段简单说"), Vec::<u32>::new());
}

#[test]
fn numbers_are_tokens_with_their_separators() {
    let files = build(
        &[
            ("一二·九运动", &["纪念12·9运动，2026年12月9日举行。", "党费按0.2%的比例"]),
            ("其他", &["12月，第9次。2025年，20 26"]),
            ("日期", &["定于12月9日举行"]),
        ],
        0,
    );
    assert_eq!(find(&files, "2026"), [0]);
    assert_eq!(find(&files, "12·9"), [0], "not 12月9日: the gap must be a gap");
    assert_eq!(find(&files, "12.9"), [0], "any separator stands for any other");
    assert_eq!(find(&files, "0.2%"), [0]);
    assert_eq!(find(&files, "一二·九"), [0]);
    assert_eq!(find(&files, "2026年"), [0]);
    assert_eq!(find(&files, "12月"), [0, 1, 2]);
    assert_eq!(find(&files, "12月9日"), [0, 2]);
}

#[test]
fn traditional_full_width_and_case_fold() {
    let files =
        build(&[("党费标准", &["党员应当按月交纳党费。Word 文档与 PDF 表格。"]), ("其他", &["无关"])], 0);
    assert_eq!(find(&files, "黨費"), [0]);
    assert_eq!(find(&files, "ｐｄｆ"), [0]);
    assert_eq!(find(&files, "WORD"), [0]);
}

#[test]
fn pinyin_and_initials_find_titles() {
    let files = build(
        &[("关于党费收缴的通知", &["请按时交纳。"]), ("党风廉政建设", &["内容"]), ("主题党日", &["无"])],
        0,
    );
    assert_eq!(find(&files, "dangfei"), [0]);
    assert_eq!(find(&files, "df"), [0, 1], "党风 is d-f too");
    assert_eq!(find(&files, "dangf"), [0, 1]);
    assert_eq!(find(&files, "DangFei"), [0]);
    assert_eq!(find(&files, "ztdr"), [2]);
    assert_eq!(query::syllables("dangfei"), Some((vec!["dang", "fei"], None)));
    assert_eq!(query::syllables("xq"), None);
}

#[test]
fn one_character_searches_titles_and_headings() {
    let files =
        build(&[("党章", &["正文"]), ("其他", &["## 学习党章", "正文"]), ("第三", &["党在正文里"])], 0);
    assert_eq!(find(&files, "党"), [0, 1]);
}

#[test]
fn every_part_of_a_query_must_match() {
    let files = build(&[("一", &["党费 标准"]), ("二", &["党费"]), ("三", &["标准"])], 0);
    assert_eq!(find(&files, "党费 标准"), [0]);
    assert_eq!(find(&files, "党费　标准"), [0], "an ideographic space splits too");
}

#[test]
fn titles_rank_above_headings_above_bodies() {
    let files = build(
        &[
            ("其他通知", &["正文提到组织关系转接一次。"]),
            ("办事指南", &["## 组织关系转接", "说明"]),
            ("组织关系转接", &["说明"]),
        ],
        0,
    );
    assert_eq!(find(&files, "组织关系"), [2, 1, 0]);
}

#[test]
fn whole_words_rank_above_matches_across_words() {
    // 对象 is a word in the first, part of 发展对象 (a branch term) in the second.
    let files = build(&[("甲", &["确定为发展对象。"]), ("乙", &["服务对象是同学。"])], 0);
    assert_eq!(find(&files, "对象"), [1, 0]);
    let files = build(&[("甲", &["这是一段简单的测试文本"]), ("乙", &["一段简短的文字，段简"])], 0);
    assert_eq!(find(&files, "段简")[0], 1, "段简 standing alone beats 一段简单");
}

#[test]
fn more_matches_and_closer_parts_rank_higher() {
    let files = build(&[("甲", &["党费"]), ("乙", &["党费，党费，党费"])], 0);
    assert_eq!(find(&files, "党费"), [1, 0]);
    let far = format!("党费{}标准", "无关文字".repeat(40));
    let files = build(&[("甲", &[&far]), ("乙", &["党费标准"])], 0);
    assert_eq!(find(&files, "党费 标准"), [1, 0]);
}

#[test]
fn recent_documents_get_a_small_boost() {
    let files = build(&[("甲", &["党费"]), ("乙", &["党费"])], 0);
    assert_eq!(find(&files, "党费"), [0, 1], "ties go to the lower number, the newer");
    let files = build(&[("甲", &["党费"]), ("乙", &["党费，党费"])], 1);
    assert_eq!(find(&files, "党费"), [1, 0], "the boost is smaller than a second match");
}

#[test]
fn a_query_fetches_only_the_shards_of_its_keys() {
    let many: Vec<String> = (0..400).map(|i| format!("第{i}篇，关于学习教育的内容各不相同{i}")).collect();
    let bodies: Vec<[&str; 1]> = many.iter().map(|t| [t.as_str()]).collect();
    let docs: Vec<(&str, &[&str])> = many.iter().zip(&bodies).map(|(t, b)| (t.as_str(), &b[..])).collect();
    let files = build(&docs, 0);
    let meta: serde_json::Value =
        serde_json::from_slice(match &files.iter().find(|f| f.path == "search/meta.json").unwrap().body {
            Body::Bytes(b) => b,
            Body::Copy(_) => unreachable!(),
        })
        .unwrap();
    assert!(meta["s"].as_u64().unwrap() > 4, "{meta}");
    let mut index = Index::open(&files[..]).unwrap();
    assert_eq!(index.search("学习教育").len(), 400);
    // meta.json, then the shards of 学习 and 教育 (at most two); their further chunks besides
    // (this index reads every chunk; search.js only what the first results need).
    let shards: Vec<&String> = index.fetched.iter().filter(|p| !p.contains('-')).collect();
    assert!(shards.len() <= 3, "{:?}", index.fetched);
}

/// The files of a built index, by path.
fn file<'a>(files: &'a [OutputFile], path: &str) -> Option<&'a [u8]> {
    files.iter().find(|f| f.path == path).map(|f| match &f.body {
        Body::Bytes(b) => &b[..],
        Body::Copy(_) => unreachable!(),
    })
}

#[test]
fn a_common_key_is_cut_into_ranked_chunks_and_still_found_whole() {
    // 党员 in every page; in the title of every tenth, and more often in some bodies.
    let titles: Vec<String> =
        (0..600).map(|i| if i % 10 == 7 { format!("党员{i}") } else { format!("第{i}篇") }).collect();
    let bodies: Vec<String> =
        (0..600).map(|i| format!("{}关于学习的内容{i}", "党员，".repeat(1 + i % 4))).collect();
    let bodies: Vec<[&str; 1]> = bodies.iter().map(|b| [b.as_str()]).collect();
    let docs: Vec<(&str, &[&str])> = titles.iter().zip(&bodies).map(|(t, b)| (t.as_str(), &b[..])).collect();
    let files = build(&docs, 0);
    let chunk_files: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.starts_with("search/k/") && p.contains('-'))
        .collect();
    assert!(chunk_files.iter().any(|p| p.ends_with("-1.bin")), "{chunk_files:?}");
    for p in &chunk_files {
        if let Some(plain) = p.strip_suffix(".gz") {
            assert!(file(&files, plain).is_some(), "{p} has its plain twin");
        }
    }
    let mut index = Index::open(&files[..]).unwrap();
    let hits = index.search("党员");
    assert_eq!(hits.len(), 600, "every chunk read: every page found");
    // The title matches first (most matches, then newest): the first chunk holds them.
    assert_eq!(hits.iter().take(3).map(|h| h.doc).collect::<Vec<_>>(), [7, 27, 47]);
    let meta: serde_json::Value = serde_json::from_slice(file(&files, "search/meta.json").unwrap()).unwrap();
    let shard = super::index::fnv1a("党员".as_bytes()) % meta["s"].as_u64().unwrap() as u32;
    let shard = file(&files, &format!("search/k/{shard}.bin")).unwrap();
    assert!(
        shard.len() < 2 * super::index::FIRST_CHUNK + 1024,
        "the shard holds the first chunk only: {}",
        shard.len()
    );
}

#[test]
fn the_index_is_the_same_whatever_the_threads() {
    let docs: Vec<String> =
        (0..300).map(|i| format!("党员第{i}次学习，支部{}", "党员".repeat(i % 5))).collect();
    let bodies: Vec<[&str; 1]> = docs.iter().map(|b| [b.as_str()]).collect();
    let list: Vec<(&str, &[&str])> = docs.iter().zip(&bodies).map(|(t, b)| (t.as_str(), &b[..])).collect();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| build(&list, 3));
    let many = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap().install(|| build(&list, 3));
    let bytes = |fs: &[OutputFile]| -> Vec<(String, Vec<u8>)> {
        fs.iter().map(|f| (f.path.clone(), file(fs, &f.path).unwrap().to_vec())).collect()
    };
    assert_eq!(bytes(&one), bytes(&many));
}

#[test]
fn every_reading_is_a_syllable_a_query_can_name() {
    let syllables: std::collections::HashSet<&str> = query::SYLLABLES.split(' ').collect();
    for c in (0x3400..=0x9FFF).filter_map(char::from_u32) {
        for r in analyse::readings(c) {
            assert!(syllables.contains(r.as_str()), "{c}: {r}");
        }
    }
}
