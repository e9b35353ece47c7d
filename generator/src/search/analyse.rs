//! One document's postings and excerpt chunks, computed on their own (in parallel, and kept
//! between builds under `serve` while the document does not change).
//!
//! Keys (the strings `search.js` looks up):
//! - `ab`: two adjacent Han characters (a bigram), at the position of the first;
//! - `a`: a Han character that starts or ends a run of Han characters (a run of one included),
//!   so that a single character next to a word or a gap in a query (`2026年`, `一二·九`) is found;
//! - `^a`: every Han character of the title, headings and description (one-character queries);
//! - a word (`2026`, `pdf`);
//! - `~dang`: a syllable of a title character's pinyin, every reading of it;
//! - `=df`: the initials of two adjacent title characters.
//!
//! A position is stored as `pos << 5 | flags`: bits 0–1 the field (0 body, 1 heading or
//! description, 2 title), bit 2 set when a word starts at the key's first character, bit 3 when
//! a word ends after its last, bit 4 when a separator follows its last (a query's inner gap,
//! `12·9`, must be a gap in the text too).

use pinyin::ToPinyinMulti;
use serde::Serialize;

use super::extract::Field;
use super::text::{self, Unit};
use super::words::{self, Terms};

/// Positions an excerpt chunk covers.
pub const CHUNK: u32 = 1024;

/// A document as the index sees it.
#[derive(Debug, Clone, Hash)]
pub struct Doc {
    /// The page's path on the site (`/notices/a/`, with the base URL's path if any).
    pub url: String,
    pub title: String,
    /// The title of the section it belongs to (empty for the home page's).
    pub section: String,
    /// `YYYY-MM-DD`, if the page has a date.
    pub date: Option<String>,
    /// Title first, then the description, then the body's blocks.
    pub blocks: Vec<(Field, String)>,
}

/// A key, packed: Han keys carry their characters; words and syllables a hash of their text
/// (kept beside, in [`Analysed::strings`]).
pub type Key = u64;

const PAIR: u64 = 1 << 61;
const ONE: u64 = 2 << 61;
const HEAD: u64 = 3 << 61;
const INITIALS: u64 = 4 << 61;
const STRING: u64 = 5 << 61;
const KIND: u64 = 7 << 61;

fn pair(a: char, b: char) -> Key {
    PAIR | (a as u64) << 21 | b as u64
}

fn string_key(s: &str) -> Key {
    STRING | (xxhash_rust::xxh3::xxh3_64(s.as_bytes()) & !KIND)
}

/// The text of a key (`strings` holds those of words and syllables).
pub fn key_text(key: Key, strings: &impl Fn(Key) -> Option<String>) -> Option<String> {
    let a = char::from_u32(((key >> 21) & 0x1F_FFFF) as u32);
    let b = char::from_u32((key & 0x1F_FFFF) as u32);
    match key & KIND {
        PAIR => Some(format!("{}{}", a?, b?)),
        ONE => Some(b?.to_string()),
        HEAD => Some(format!("^{}", b?)),
        INITIALS => Some(format!("={}{}", a?, b?)),
        _ => strings(key),
    }
}

/// One key of a document: its shard, the end of its postings in [`Analysed::blob`], and what
/// ranks the document for the key: `count << 2 | field` (its number of positions, the best
/// field it occurs in; see [`super::index::rank`]).
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub key: Key,
    pub shard: u32,
    pub end: u32,
    pub summary: u32,
}

/// What the index keeps of one document.
#[derive(Debug, Default)]
pub struct Analysed {
    /// The document's keys, by shard then key.
    pub entries: Vec<Entry>,
    /// Per key: the number of positions, then each as a varint of `delta << 5 | flags`.
    pub blob: Vec<u8>,
    /// The words' and syllables' keys with their text.
    pub strings: Vec<(Key, Box<str>)>,
    /// The excerpt chunks, as JSON (`t/<id>-<n>.json`).
    pub chunks: Vec<Vec<u8>>,
    /// The Han characters of the document (for the pinyin suggestions).
    pub han: Vec<char>,
}

pub fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The plain pinyin readings of a character (ü written v; not the interjections m, n, ng, hm,
/// hng, ê), none for a character without any.
pub fn readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let r = p.plain().replace('ü', "v");
            let interjection = matches!(r.as_str(), "ng" | "hm" | "hng");
            if r.len() > 1 && !interjection && r.bytes().all(|b| b.is_ascii_lowercase()) && !out.contains(&r)
            {
                out.push(r);
            }
        }
    }
    out
}

/// A unit with its field and block.
struct Placed {
    unit: Unit,
    field: Field,
    block: usize,
}

/// The units of every block, numbered from 0, each block starting one position after the
/// previous one ended.
fn place(blocks: &[(Field, String)]) -> Vec<Placed> {
    let mut placed = Vec::new();
    let mut pos = 0;
    for (i, (field, text)) in blocks.iter().enumerate() {
        if i > 0 {
            pos += 1;
        }
        let (units, next) = text::units(text, pos);
        placed.extend(units.into_iter().map(|unit| Placed { unit, field: *field, block: i }));
        pos = next;
    }
    placed
}

/// The shard of a key's text among `shards`: FNV-1a (32 bits) of its UTF-8, as search.js has it.
pub fn shard_of(text: &str, shards: u32) -> u32 {
    super::index::fnv1a(text.as_bytes()) % shards
}

/// The shard of a key, from its text without building it (Han keys are a few characters).
fn key_shard(key: Key, strings: &std::collections::HashMap<Key, Box<str>>, shards: u32) -> u32 {
    let mut buf = [0u8; 16];
    let mut len = 0;
    let mut push = |c: char| len += c.encode_utf8(&mut buf[len..]).len();
    let a = char::from_u32(((key >> 21) & 0x1F_FFFF) as u32).unwrap_or('\0');
    let b = char::from_u32((key & 0x1F_FFFF) as u32).unwrap_or('\0');
    match key & KIND {
        PAIR => {
            push(a);
            push(b);
        }
        ONE => push(b),
        HEAD => {
            push('^');
            push(b);
        }
        INITIALS => {
            push('=');
            push(a);
            push(b);
        }
        _ => return shard_of(strings.get(&key).map_or("", |s| s), shards),
    }
    super::index::fnv1a(&buf[..len]) % shards
}

/// Analyses one document for an index of `shards` shards.
pub fn analyse(doc: &Doc, terms: &Terms, shards: u32) -> Analysed {
    let placed = place(&doc.blocks);
    // (key, pos << 5 | flags), sorted below: one allocation for the whole document.
    let mut postings: Vec<(Key, u32)> = Vec::with_capacity(placed.len() * 2 + 16);
    let mut strings: std::collections::HashMap<Key, Box<str>> = std::collections::HashMap::new();
    let mut han = Vec::new();
    let mut add = |key: Key, pos: u32, field: Field, starts_word: bool, ends_word: bool, gap: bool| {
        let v =
            pos << 5 | field as u32 | (starts_word as u32) << 2 | (ends_word as u32) << 3 | (gap as u32) << 4;
        postings.push((key, v));
    };
    let mut run: Vec<char> = Vec::new();
    let mut i = 0;
    while i < placed.len() {
        let p = &placed[i];
        if !p.unit.han {
            let key = string_key(&p.unit.text);
            strings.entry(key).or_insert_with(|| p.unit.text.clone().into_boxed_str());
            add(key, p.unit.pos, p.field, true, true, p.unit.gap_after);
            i += 1;
            continue;
        }
        // A run of Han characters at consecutive positions, within one block.
        let mut j = i + 1;
        while j < placed.len()
            && placed[j].unit.han
            && placed[j].unit.pos == placed[j - 1].unit.pos + 1
            && placed[j].block == p.block
        {
            j += 1;
        }
        run.clear();
        run.extend(placed[i..j].iter().map(|u| u.unit.ch));
        let gap = |k: usize| placed[i + k].unit.gap_after;
        han.extend_from_slice(&run);
        let n = run.len();
        let b = if n > 1 { words::boundaries(&run, terms) } else { vec![true, true] };
        let field = p.field;
        let pos0 = p.unit.pos;
        for k in 0..n {
            let pos = pos0 + k as u32;
            if k + 1 < n {
                add(pair(run[k], run[k + 1]), pos, field, b[k], b[k + 2], gap(k + 1));
            }
            if k == 0 || k + 1 == n {
                add(ONE | run[k] as u64, pos, field, b[k], b[k + 1], gap(k));
            }
            if field != Field::Body {
                add(HEAD | run[k] as u64, pos, field, b[k], b[k + 1], gap(k));
            }
        }
        if field == Field::Title {
            let readings: Vec<Vec<String>> = run.iter().map(|c| readings(*c)).collect();
            for k in 0..n {
                let pos = pos0 + k as u32;
                for r in &readings[k] {
                    let s = format!("~{r}");
                    let key = string_key(&s);
                    strings.entry(key).or_insert_with(|| s.into_boxed_str());
                    add(key, pos, field, true, true, false);
                }
                if k + 1 < n {
                    let mut seen = Vec::new();
                    for a in &readings[k] {
                        for c in &readings[k + 1] {
                            let (x, y) = (a.as_bytes()[0] as char, c.as_bytes()[0] as char);
                            if !seen.contains(&(x, y)) {
                                seen.push((x, y));
                                add(INITIALS | (x as u64) << 21 | y as u64, pos, field, true, true, false);
                            }
                        }
                    }
                }
            }
        }
        i = j;
    }
    // By key, positions ascending (a key occurs once at a position); then the keys by shard.
    postings.sort_unstable();
    let mut groups: Vec<(u32, Key, usize, usize)> = Vec::new();
    let mut start = 0;
    for group in postings.chunk_by(|a, b| a.0 == b.0) {
        let key = group[0].0;
        groups.push((key_shard(key, &strings, shards), key, start, start + group.len()));
        start += group.len();
    }
    groups.sort_unstable();
    let mut blob = Vec::with_capacity(postings.len() * 2);
    let mut entries = Vec::with_capacity(groups.len());
    for (shard, key, from, to) in groups {
        let group = &postings[from..to];
        push_varint(&mut blob, group.len() as u64);
        let (mut prev, mut field) = (0u32, 0u32);
        for (_, v) in group {
            let (pos, flags) = (v >> 5, v & 31);
            push_varint(&mut blob, u64::from(pos - prev) << 5 | u64::from(flags));
            prev = pos;
            field = field.max(flags & 3);
        }
        let summary = (group.len() as u32) << 2 | field;
        entries.push(Entry { key, shard, end: blob.len() as u32, summary });
    }
    let mut strings: Vec<(Key, Box<str>)> = strings.into_iter().collect();
    strings.sort();
    han.sort_unstable();
    han.dedup();
    Analysed { entries, blob, strings, chunks: chunks(doc, &placed), han }
}

/// One excerpt chunk: the text of the positions `[n·CHUNK, (n+1)·CHUNK)`.
#[derive(Serialize)]
struct Chunk<'a> {
    /// The page's path, title, section and date.
    u: &'a str,
    t: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    s: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a str>,
    /// The position the first piece starts at.
    p: u32,
    /// Pieces of blocks: `[field, text]`. The first may continue a block of the previous chunk;
    /// each later one starts a block (one position after the previous piece ended). Chunk 0
    /// leaves out the title, its first block.
    b: Vec<(u8, &'a str)>,
}

fn chunks(doc: &Doc, placed: &[Placed]) -> Vec<Vec<u8>> {
    let new_chunk = |p: u32| Chunk {
        u: &doc.url,
        t: &doc.title,
        s: &doc.section,
        d: doc.date.as_deref(),
        p,
        b: Vec::new(),
    };
    let mut out = vec![new_chunk(0)];
    let mut units = placed.iter().peekable();
    for (bi, (field, text)) in doc.blocks.iter().enumerate() {
        // The block's text is cut before the first unit of each further chunk.
        let mut piece_start = 0;
        while let Some(u) = units.next_if(|u| u.block == bi) {
            let chunk = (u.unit.pos / CHUNK) as usize;
            if chunk >= out.len() {
                let piece = &text[piece_start..u.unit.start];
                if bi > 0 && !piece.is_empty() {
                    out.last_mut().expect("a chunk").b.push((*field as u8, piece));
                }
                while out.len() <= chunk {
                    out.push(new_chunk(u.unit.pos));
                }
                piece_start = u.unit.start;
            }
        }
        if bi > 0 {
            out.last_mut().expect("a chunk").b.push((*field as u8, &text[piece_start..]));
        }
    }
    out.iter().map(|c| serde_json::to_vec(c).expect("a chunk serializes")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(blocks: &[(Field, &str)]) -> Doc {
        Doc {
            url: "/a/".into(),
            title: blocks[0].1.into(),
            section: "通知".into(),
            date: Some("2026-12-09".into()),
            blocks: blocks.iter().map(|(f, t)| (*f, t.to_string())).collect(),
        }
    }

    fn keys(a: &Analysed) -> Vec<String> {
        let strings = |k: Key| a.strings.iter().find(|(x, _)| *x == k).map(|(_, s)| s.to_string());
        a.entries.iter().filter_map(|e| key_text(e.key, &strings)).collect()
    }

    #[test]
    fn bigrams_run_ends_words_and_title_keys() {
        let a =
            analyse(&doc(&[(Field::Title, "党费"), (Field::Body, "一段简单，2026年")]), &Terms::new(""), 1);
        let mut k = keys(&a);
        k.sort();
        for want in
            ["党费", "^党", "^费", "~dang", "~fei", "=df", "一段", "段简", "简单", "一", "单", "2026", "年"]
        {
            assert!(k.contains(&want.to_string()), "{want} missing from {k:?}");
        }
        assert!(!k.contains(&"段".to_string()), "段 is inside its run: {k:?}");
    }

    #[test]
    fn chunks_hold_the_text_after_the_title() {
        let a = analyse(&doc(&[(Field::Title, "标题"), (Field::Body, "正文")]), &Terms::new(""), 1);
        let json = String::from_utf8(a.chunks[0].clone()).unwrap();
        assert_eq!(json, r#"{"u":"/a/","t":"标题","s":"通知","d":"2026-12-09","p":0,"b":[[0,"正文"]]}"#);
    }

    #[test]
    fn long_blocks_are_cut_at_a_unit_into_chunks() {
        let body = "党".repeat(CHUNK as usize + 10);
        let a = analyse(&doc(&[(Field::Title, "题"), (Field::Body, &body)]), &Terms::new(""), 1);
        assert_eq!(a.chunks.len(), 2);
        let second: serde_json::Value = serde_json::from_slice(&a.chunks[1]).unwrap();
        assert_eq!(second["p"], CHUNK);
        // The body starts at position 2 (title 0, gap 1): chunk 1 gets the last 12 characters.
        assert_eq!(second["b"][0][1].as_str().unwrap().chars().count(), 12);
    }
}
