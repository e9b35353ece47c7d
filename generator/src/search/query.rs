//! The query side, as `search.js` runs it in the browser: planning a query into keys, fetching
//! the shards that hold them, matching positions and ranking. Here for the tests (the
//! end-to-end test checks that search.js ranks the same) and the benchmark's recall figures.
//!
//! A query is split at spaces into parts; a page must match every part. A part matches where
//! all its keys sit at the right distances (exact substring matching); a part of ASCII letters
//! may also match the pinyin of a title. Ranking, per page: each part scores its best field
//! (title 20, heading or description 8, body 0; pinyin half), plus 2 if some match is a whole
//! word, plus log2(1 + matches); parts close together add up to 3; recent pages add 0.5. Ties go
//! to the newer page.
//!
//! This reads every chunk of a key (see [`super::index`]). search.js, asked for the first
//! results only (the page shows five at a time), reads a key's further chunks only while a page
//! it has not seen with every key of an alternative could still rank among them: such a page
//! scores at most its [`super::index::rank`] with each key it was seen with (less 2 where that
//! key never starts, or ends, a word where the query's must), and below the last chunk read of
//! each key it was not. Those first results are the same, in the same order, as here; the end-to-
//! end test checks it. The rare queries that join two common keys (部党员, where 支部 meets 党员)
//! still read every chunk of the common one: only positions tell where they meet.

use std::collections::{BTreeMap, HashMap};

use super::index::fnv1a;
use super::text;

/// One key of a part, at `offset` units from the part's first unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub key: String,
    pub offset: u32,
    /// The unit after the key's last, relative like `offset`.
    pub end: u32,
    /// Whether the key starts the part / ends it (for the whole-word flags).
    pub first: bool,
    pub last: bool,
    /// Whether a separator must follow the key's last unit (a gap inside the part).
    pub gap: bool,
}

/// One way a part can match.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    pub terms: Vec<Term>,
    pub pinyin: bool,
    /// Pinyin initials: tried only when the part finds nothing as a word.
    pub initials: bool,
}

/// Pinyin syllables a query can be made of (every reading of the `pinyin` crate's data, ü as
/// v, without the interjections m, n, ng, hm, hng and ê). search.js has the same list.
pub const SYLLABLES: &str = "a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo";

/// Splits ASCII letters into pinyin syllables, longest first; a tail that is only the start of a
/// syllable is returned as the second value (`dangf` → `[dang]`, `f`).
pub fn syllables(s: &str) -> Option<(Vec<&str>, Option<&str>)> {
    let set: Vec<&str> = SYLLABLES.split(' ').collect();
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let longest = (1..=rest.len().min(6)).rev().find(|n| set.contains(&&rest[..*n]));
        match longest {
            Some(n) => {
                out.push(&rest[..n]);
                rest = &rest[n..];
            }
            None if set.iter().any(|x| x.starts_with(rest)) => return Some((out, Some(rest))),
            None => return None,
        }
    }
    Some((out, None))
}

/// The ways each part of `query` can match, parts in order; parts that hold no unit are left out.
pub fn plan(query: &str) -> Vec<Vec<Alternative>> {
    text::fold_str(query).split_whitespace().filter_map(plan_part).collect()
}

fn term(key: String, offset: u32, end: u32, first: bool, last: bool, gap: bool) -> Term {
    Term { key, offset, end, first, last, gap }
}

fn plan_part(part: &str) -> Option<Vec<Alternative>> {
    let (units, _) = text::units(part, 0);
    let base = units.first()?.pos;
    let last_pos = units.last().map_or(0, |u| u.pos) - base;
    // A gap inside the part after the unit at this offset.
    let gap_at = |off: u32| units.iter().any(|u| u.pos - base == off && u.gap_after) && off < last_pos;
    let mut alts = Vec::new();
    if units.len() == 1 && units[0].han {
        let terms = vec![term(format!("^{}", units[0].ch), 0, 1, true, true, false)];
        alts.push(Alternative { terms, pinyin: false, initials: false });
        return Some(alts);
    }
    let mut terms = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let u = &units[i];
        let off = u.pos - base;
        if !u.han {
            terms.push(term(u.text.clone(), off, off + 1, off == 0, off == last_pos, gap_at(off)));
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < units.len() && units[j].han && units[j].pos == units[j - 1].pos + 1 {
            j += 1;
        }
        let run: Vec<char> = units[i..j].iter().map(|u| u.ch).collect();
        let n = run.len();
        if n == 1 {
            terms.push(term(run[0].to_string(), off, off + 1, off == 0, off == last_pos, gap_at(off)));
        } else {
            // Bigrams at 0, 2, 4 … and the last: every character covered, each pinned by position.
            let mut ks: Vec<usize> = (0..n - 1).step_by(2).collect();
            if n % 2 == 1 {
                ks.push(n - 2);
            }
            for k in ks {
                let o = off + k as u32;
                let key = format!("{}{}", run[k], run[k + 1]);
                terms.push(term(key, o, o + 2, o == 0, o + 1 == last_pos, gap_at(o + 1)));
            }
        }
        i = j;
    }
    alts.push(Alternative { terms, pinyin: false, initials: false });
    if part.len() >= 2 && part.bytes().all(|b| b.is_ascii_lowercase()) {
        let parsed = syllables(part);
        if let Some((syl, tail)) = &parsed
            && !syl.is_empty()
        {
            let mut terms: Vec<Term> = (syl.iter().enumerate())
                .map(|(k, s)| term(format!("~{s}"), k as u32, k as u32 + 1, k == 0, false, false))
                .collect();
            if let Some(t) = tail {
                let k = syl.len() as u32 - 1;
                terms.push(term(
                    format!("={}{}", &syl[syl.len() - 1][..1], &t[..1]),
                    k,
                    k + 2,
                    false,
                    false,
                    false,
                ));
            }
            alts.push(Alternative { terms, pinyin: true, initials: false });
        }
        // Initials only for what is not pinyin already (`df`, `shyk`, not `dangfei`).
        let letters: Vec<char> = part.chars().collect();
        if parsed.is_some() || letters.len() > 8 {
            return Some(alts);
        }
        let terms = (0..letters.len() - 1)
            .map(|k| {
                term(
                    format!("={}{}", letters[k], letters[k + 1]),
                    k as u32,
                    k as u32 + 2,
                    false,
                    false,
                    false,
                )
            })
            .collect();
        alts.push(Alternative { terms, pinyin: true, initials: true });
    }
    Some(alts)
}

/// Reads the index's files (from the output folder, or from memory in tests).
pub trait Files {
    fn read(&self, path: &str) -> Option<Vec<u8>>;
}

impl Files for std::path::Path {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        std::fs::read(self.join(path)).ok()
    }
}

impl Files for [crate::data::OutputFile] {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        let i = self.binary_search_by(|f| f.path.as_str().cmp(path)).ok()?;
        match &self[i].body {
            crate::data::Body::Bytes(b) => Some(b.clone()),
            crate::data::Body::Copy(p) => std::fs::read(p).ok(),
        }
    }
}

fn varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while *at < bytes.len() {
        let b = bytes[*at];
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

/// The postings of a key: per document, its positions (`pos << 5 | flags`).
pub type Postings = BTreeMap<u32, Vec<u32>>;

/// Adds a chunk's documents to `out`.
fn decode(bytes: &[u8], out: &mut Postings) {
    let mut at = 0;
    let docs = varint(bytes, &mut at);
    let mut doc = 0u32;
    for _ in 0..docs {
        doc += varint(bytes, &mut at) as u32;
        let n = varint(bytes, &mut at);
        let mut pos = 0u32;
        let mut list = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let v = varint(bytes, &mut at) as u32;
            pos += v >> 5;
            list.push(pos << 5 | (v & 31));
        }
        out.insert(doc, list);
    }
}

/// The index, as far as queries have needed it.
pub struct Index<'a, F: Files + ?Sized> {
    files: &'a F,
    pub meta: serde_json::Value,
    /// Per shard read, its keys: their number in the shard and their entry.
    shards: HashMap<u32, HashMap<String, (u32, Vec<u8>)>>,
    /// The keys decoded, every chunk of them.
    keys: HashMap<String, Postings>,
    /// Paths read, in order: what a browser would have fetched.
    pub fetched: Vec<String>,
}

/// Per document, for one part of a query: its score, its matches' positions and the first of
/// them outside the title.
type PartScores = BTreeMap<u32, (f64, Vec<u32>, u32)>;

/// A ranked result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f64,
    /// Where the first part matched first outside the title (else in it): the excerpt's chunk.
    pub pos: u32,
}

impl<'a, F: Files + ?Sized> Index<'a, F> {
    pub fn open(files: &'a F) -> Option<Index<'a, F>> {
        let meta: serde_json::Value = serde_json::from_slice(&files.read("search/meta.json")?).ok()?;
        Some(Index {
            files,
            meta,
            shards: HashMap::new(),
            keys: HashMap::new(),
            fetched: vec!["search/meta.json".into()],
        })
    }

    /// Every document of a key: from its shard, and its further chunks if any.
    fn postings(&mut self, key: &str) -> Option<&Postings> {
        let count = self.meta["s"].as_u64().unwrap_or(1) as u32;
        let shard = fnv1a(key.as_bytes()) % count;
        if !self.shards.contains_key(&shard) {
            let path = format!("search/k/{shard}.bin");
            let bytes = self.files.read(&path).unwrap_or_default();
            self.fetched.push(path);
            let mut keys = HashMap::new();
            let mut at = 0;
            let n = varint(&bytes, &mut at);
            for i in 0..n as u32 {
                let len = varint(&bytes, &mut at) as usize;
                let k = String::from_utf8_lossy(&bytes[at..at + len]).into_owned();
                at += len;
                let len = varint(&bytes, &mut at) as usize;
                keys.insert(k, (i, bytes[at..at + len].to_vec()));
                at += len;
            }
            self.shards.insert(shard, keys);
        }
        if !self.keys.contains_key(key) {
            let (i, entry) = self.shards.get(&shard)?.get(key)?;
            let i = *i;
            let mut at = 0;
            let chunks = varint(entry, &mut at);
            let mut postings = Postings::new();
            decode(&entry[at..], &mut postings);
            for c in 1..chunks {
                let path = format!("search/k/{shard}-{i}-{c}.bin");
                decode(&self.files.read(&path).unwrap_or_default(), &mut postings);
                self.fetched.push(path);
            }
            self.keys.insert(key.to_string(), postings);
        }
        self.keys.get(key)
    }

    /// The matches of one alternative: per document, (base position, field, whole word).
    fn matches(&mut self, alt: &Alternative) -> BTreeMap<u32, Vec<(u32, u32, bool)>> {
        let mut lists = Vec::new();
        for t in &alt.terms {
            match self.postings(&t.key) {
                Some(p) => lists.push((t.clone(), p.clone())),
                None => return BTreeMap::new(),
            }
        }
        let Some((anchor, _)) = lists.iter().enumerate().min_by_key(|(_, (_, p))| p.len()) else {
            return BTreeMap::new();
        };
        let mut out = BTreeMap::new();
        for (doc, anchor_pos) in &lists[anchor].1 {
            let mut found = Vec::new();
            'base: for v in anchor_pos {
                let Some(base) = (v >> 5).checked_sub(lists[anchor].0.offset) else { continue };
                let mut field = 3;
                let mut whole_start = false;
                let mut whole_end = false;
                for (t, p) in &lists {
                    let Some(list) = p.get(doc) else { continue 'base };
                    let want = base + t.offset;
                    let Ok(i) = list.binary_search_by(|x| (x >> 5).cmp(&want)) else { continue 'base };
                    let flags = list[i] & 31;
                    if t.gap && flags & 16 == 0 {
                        continue 'base;
                    }
                    field = field.min(flags & 3);
                    if t.first {
                        whole_start = flags & 4 != 0;
                    }
                    if t.last {
                        whole_end = flags & 8 != 0;
                    }
                }
                found.push((base, field, whole_start && whole_end));
            }
            if !found.is_empty() {
                out.insert(*doc, found);
            }
        }
        out
    }

    /// Ranked results of `query`, best first.
    pub fn search(&mut self, query: &str) -> Vec<Hit> {
        let plan = plan(query);
        if plan.is_empty() {
            return Vec::new();
        }
        let recent = self.meta["r"].as_u64().unwrap_or(0) as u32;
        let mut parts: Vec<PartScores> = Vec::new();
        for alts in &plan {
            let mut per_doc = PartScores::new();
            let mut word_found = false;
            for alt in alts {
                if alt.initials && word_found {
                    continue;
                }
                let matches = self.matches(alt);
                if !alt.pinyin && !matches.is_empty() {
                    word_found = true;
                }
                for (doc, occ) in matches {
                    let best = occ.iter().map(|o| o.1).max().unwrap_or(0);
                    let weight = [0.0, 8.0, 20.0][best.min(2) as usize] * if alt.pinyin { 0.5 } else { 1.0 };
                    let whole = if occ.iter().any(|o| o.2) { 2.0 } else { 0.0 };
                    let score = weight + whole + (1.0 + occ.len() as f64).log2();
                    let entry = per_doc.entry(doc).or_insert((f64::MIN, Vec::new(), u32::MAX));
                    if score > entry.0 {
                        entry.0 = score;
                    }
                    entry.1.extend(occ.iter().map(|o| o.0));
                    if let Some(at) = occ.iter().filter(|o| o.1 < 2).map(|o| o.0).min() {
                        entry.2 = entry.2.min(at);
                    }
                }
            }
            for (_, (_, positions, _)) in per_doc.iter_mut() {
                positions.sort_unstable();
                positions.dedup();
            }
            parts.push(per_doc);
        }
        let mut hits = Vec::new();
        'doc: for (doc, (score, positions, at)) in &parts[0] {
            let mut total = *score;
            let mut previous = positions;
            for part in &parts[1..] {
                let Some((s, p, _)) = part.get(doc) else { continue 'doc };
                total += s + proximity(previous, p);
                previous = p;
            }
            if *doc < recent {
                total += 0.5;
            }
            let pos = if *at == u32::MAX { positions[0] } else { *at };
            hits.push(Hit { doc: *doc, score: total, pos });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits
    }

    /// The path of a document, from its first excerpt chunk.
    pub fn url(&mut self, doc: u32) -> Option<String> {
        let path = format!("search/t/{doc}-0.json");
        let bytes = self.files.read(&path)?;
        self.fetched.push(path);
        let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        v["u"].as_str().map(str::to_string)
    }
}

/// Up to 3 for two parts that match close together: `3 · 8 / (8 + distance)`.
fn proximity(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut best) = (0, 0, u32::MAX);
    while i < a.len() && j < b.len() {
        best = best.min(a[i].abs_diff(b[j]));
        if a[i] < b[j] { i += 1 } else { j += 1 }
    }
    if best == u32::MAX { 0.0 } else { 3.0 * 8.0 / (8.0 + f64::from(best)) }
}
