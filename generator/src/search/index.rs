//! The index files, from the documents' postings: shards of keys, the excerpt chunks, the
//! pinyin table for suggestions and `meta.json`, all under `search/` of the output.
//!
//! - `search/meta.json`: `{"v": version, "n": documents, "s": shards, "k": positions per
//!   chunk, "r": recent documents}`, the first file a query fetches. Documents are numbered
//!   newest first (by date, then path), so the first `r` are the recent ones (dated within
//!   [`RECENT_DAYS`] of the newest page).
//! - `search/k/<n>.bin`: the keys whose FNV-1a hash (32 bits, of the key's UTF-8) modulo `s` is
//!   `n`, in LEB128 varints: the number of keys, then per key its length in bytes, its UTF-8,
//!   the length in bytes of its entry and the entry: its number of chunks, then its first chunk.
//!   A chunk is the number of documents, then per document the difference of its number to the
//!   previous one's, its number of positions and each position as `delta << 5 | flags` (see
//!   [`super::analyse`]). A key's documents are ranked by the best they can score with it
//!   ([`rank`]: field, number of positions, recency) and cut into chunks ([`chunk_sizes`]): the
//!   first, about [`FIRST_CHUNK`] bytes, in the shard; chunk `c` of the `i`-th key of shard `n`
//!   in `search/k/<n>-<i>-<c>.bin`. So a shard stays small however common its keys are, and a
//!   query fetches further chunks only while a page it has not seen could still rank among the
//!   results it shows. Beside each file, the same gzipped (`.bin.gz`), which search.js fetches
//!   where the browser can inflate it.
//! - `search/t/<doc>-<n>.json`: the text of positions `[n·k, (n+1)·k)` of a document, with its
//!   path, title, section and date (see [`super::analyse`]'s `Chunk`).
//! - `search/t2s.txt`: the traditional→simplified pairs (see [`super::t2s`]) whose simplified
//!   character occurs in the site, as one string; fetched only when a query with Han characters
//!   finds nothing.
//! - `search/py.txt`: the characters of the site and GB 2312's 3,755 common ones, grouped by
//!   their first pinyin reading (`dang党当挡fei费非`), fetched only to suggest a query when one
//!   finds nothing (a homophone typed by mistake: 党废 → 党费).

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use rayon::prelude::*;

use super::analyse::{self, Analysed, Key, push_varint};

/// Documents dated within this many days of the newest one get a small boost.
pub const RECENT_DAYS: i64 = 180;

/// The size a shard aims at, before compression; a big site's shards grow instead of passing
/// [`MAX_SHARDS`] files (each written twice, plain and gzipped). A big key's first chunk is at
/// most about [`FIRST_CHUNK`] bytes, so that a shard stays small however common its keys are.
const SHARD_TARGET: usize = 4 * 1024;
const MAX_SHARDS: usize = 2048;

/// The bytes of postings a key's first chunk (in its shard) holds, about; each further chunk
/// (a file of its own) holds [`GROWTH`] times the previous one's, so that the few queries that
/// need every page of a common key take a few round trips, not hundreds.
pub const FIRST_CHUNK: usize = 1024;
pub const GROWTH: usize = 8;

/// FNV-1a, 32 bits: `search.js` computes the same to find a key's shard.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(16_777_619);
    }
    h
}

/// The number of shards for documents of `text` bytes of text (postings take about as much): a
/// power of two. Known before the documents are analysed, so that each sorts its keys by shard.
pub fn shard_count(text: usize) -> usize {
    text.div_ceil(SHARD_TARGET).next_power_of_two().clamp(1, MAX_SHARDS)
}

/// The most a document can score with a key it holds `count` times, at best in `field`: a whole
/// word (2), `log2(1 + count)` matches, the field's weight and the recent boost, as
/// [`super::query`] and search.js score (a match of several keys never scores more than any of
/// its keys' bound). search.js computes the same, in the same order, from the positions.
pub fn rank(summary: u32, recent: bool) -> f64 {
    let weight = [0.0, 8.0, 20.0][(summary & 3).min(2) as usize];
    weight + 2.0 + (1.0 + f64::from(summary >> 2)).log2() + if recent { 0.5 } else { 0.0 }
}

/// A file of the index: its path under the output folder, its bytes.
type File = (String, Vec<u8>);

/// The files of the index, by path under the output folder.
pub struct Files {
    pub files: Vec<(String, Vec<u8>)>,
    pub keys: usize,
}

/// Shards a thread writes at a time.
const BATCH: u32 = 16;

/// Where the documents of a key go: chunks of documents, best [`rank`] first (ties: lower number
/// first), the first of about [`FIRST_CHUNK`] bytes, each next [`GROWTH`] times bigger; a key of
/// up to one and a half first chunks is one chunk. `sizes` are the documents' encoded sizes, in
/// rank order; returns the number of documents of each chunk.
pub fn chunk_sizes(sizes: &[usize]) -> Vec<usize> {
    let total: usize = sizes.iter().sum();
    if total <= FIRST_CHUNK * 3 / 2 {
        return vec![sizes.len()];
    }
    let mut out = Vec::new();
    let (mut limit, mut bytes, mut docs) = (FIRST_CHUNK, 0, 0);
    for size in sizes {
        bytes += size;
        docs += 1;
        if bytes >= limit {
            out.push(docs);
            (bytes, docs) = (0, 0);
            limit *= GROWTH;
        }
    }
    if docs > 0 {
        out.push(docs);
    }
    out
}

/// Writes the index of `docs` (numbered as given, newest first), analysed for `shards` shards.
pub fn assemble(docs: &[Arc<Analysed>], shards: u32, recent: usize, fold: &str) -> Files {
    let strings: HashMap<Key, &str> =
        docs.iter().flat_map(|d| d.strings.iter().map(|(k, s)| (*k, &**s))).collect();
    let lookup = |k: Key| strings.get(&k).map(|s| s.to_string());
    let mut files = Vec::new();
    let mut keys = 0;
    let mut version = xxhash_rust::xxh3::Xxh3::new();
    // Batches of shards, each on a thread: their keys' entries gathered from every document, then
    // each shard written; in order, so that the files are the same whatever the threads.
    let firsts: Vec<u32> = (0..shards).step_by(BATCH as usize).collect();
    let written: Vec<Vec<(usize, Vec<File>)>> = firsts
        .into_par_iter()
        .map(|first| {
            let last = (first + BATCH).min(shards);
            // Per shard of the batch: (key, document, entry), documents in order.
            let mut batch: Vec<Vec<(Key, u32, u32)>> = vec![Vec::new(); (last - first) as usize];
            for (d, doc) in docs.iter().enumerate() {
                let from = doc.entries.partition_point(|e| e.shard < first);
                for (i, e) in doc.entries.iter().enumerate().skip(from) {
                    if e.shard >= last {
                        break;
                    }
                    batch[(e.shard - first) as usize].push((e.key, d as u32, i as u32));
                }
            }
            batch
                .into_iter()
                .enumerate()
                .map(|(j, mut list)| {
                    let n = first as usize + j;
                    // Stable: documents stay in order within a key.
                    list.sort_by_key(|e| e.0);
                    let groups: Vec<&[(Key, u32, u32)]> = list.chunk_by(|a, b| a.0 == b.0).collect();
                    let mut out = Vec::new();
                    let mut extra = Vec::new();
                    push_varint(&mut out, groups.len() as u64);
                    let mut body = Vec::new();
                    let mut ranked: Vec<(f64, u32, &[u8])> = Vec::new();
                    for (i, group) in groups.iter().enumerate() {
                        let text = analyse::key_text(group[0].0, &lookup).unwrap_or_default();
                        ranked.clear();
                        ranked.extend(group.iter().map(|(_, d, e)| {
                            let doc = &docs[*d as usize];
                            let start = if *e == 0 { 0 } else { doc.entries[*e as usize - 1].end as usize };
                            let entry = doc.entries[*e as usize];
                            (
                                rank(entry.summary, (*d as usize) < recent),
                                *d,
                                &doc.blob[start..entry.end as usize],
                            )
                        }));
                        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                        let sizes: Vec<usize> = ranked.iter().map(|r| r.2.len() + 2).collect();
                        let chunks = chunk_sizes(&sizes);
                        body.clear();
                        push_varint(&mut body, chunks.len() as u64);
                        let mut at = 0;
                        for (c, count) in chunks.iter().enumerate() {
                            let chunk = &mut ranked[at..at + count];
                            at += count;
                            chunk.sort_unstable_by_key(|r| r.1);
                            if c == 0 {
                                encode_chunk(chunk, &mut body);
                            } else {
                                let mut bytes = Vec::new();
                                encode_chunk(chunk, &mut bytes);
                                extra.push((format!("search/k/{n}-{i}-{c}.bin"), bytes));
                            }
                        }
                        push_varint(&mut out, text.len() as u64);
                        out.extend_from_slice(text.as_bytes());
                        push_varint(&mut out, body.len() as u64);
                        out.extend_from_slice(&body);
                    }
                    let mut pairs = Vec::with_capacity(2 + 2 * extra.len());
                    for (path, bytes) in std::iter::once((format!("search/k/{n}.bin"), out)).chain(extra) {
                        let gz = gzip(&bytes);
                        pairs.push((format!("{path}.gz"), gz));
                        pairs.push((path, bytes));
                    }
                    (groups.len(), pairs)
                })
                .collect()
        })
        .collect();
    for (count, pairs) in written.into_iter().flatten() {
        keys += count;
        for (path, bytes) in &pairs {
            if !path.ends_with(".gz") {
                version.update(path.as_bytes());
                version.update(bytes);
            }
        }
        files.extend(pairs);
    }
    let texts: Vec<(String, Vec<u8>)> = docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, doc)| {
            doc.chunks
                .iter()
                .enumerate()
                .map(move |(n, chunk)| (format!("search/t/{d}-{n}.json"), chunk.clone()))
        })
        .collect();
    for (_, chunk) in &texts {
        version.update(chunk);
    }
    files.extend(texts);
    files.push(("search/py.txt".into(), pinyin_table(docs).into_bytes()));
    files.push(("search/t2s.txt".into(), fold.as_bytes().to_vec()));
    let meta = serde_json::json!({
        "v": format!("{:016x}", version.digest()),
        "n": docs.len(),
        "s": shards,
        "k": analyse::CHUNK,
        "r": recent,
    });
    files.push(("search/meta.json".into(), meta.to_string().into_bytes()));
    Files { files, keys }
}

/// A chunk of a key's postings (documents in order): their number, then per document the
/// difference of its number to the previous one's and its postings.
fn encode_chunk(chunk: &[(f64, u32, &[u8])], out: &mut Vec<u8>) {
    push_varint(out, chunk.len() as u64);
    let mut prev = 0;
    for (_, d, postings) in chunk {
        push_varint(out, u64::from(d - prev));
        prev = *d;
        out.extend_from_slice(postings);
    }
}

/// Level 2: as small as level 6 on postings, and as fast as level 1 (whose files are a third
/// bigger).
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz =
        flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 2 + 64), flate2::Compression::new(2));
    gz.write_all(bytes).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

/// The first reading of every Han character of the documents and of GB 2312's first level,
/// grouped by reading: `dang党当挡fei费非`.
fn pinyin_table(docs: &[Arc<Analysed>]) -> String {
    let mut chars: Vec<char> = docs.iter().flat_map(|d| d.han.iter().copied()).collect();
    chars.extend(super::common::LEVEL_ONE.iter().flat_map(|l| l.chars()));
    chars.sort_unstable();
    chars.dedup();
    let mut by_reading: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for c in chars {
        if let Some(r) = analyse::readings(c).into_iter().next() {
            by_reading.entry(r).or_default().push(c);
        }
    }
    by_reading.into_iter().map(|(r, cs)| r + &cs).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0x811c9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9cf968);
    }

    #[test]
    fn small_keys_are_one_chunk_and_big_ones_grow_geometrically() {
        assert_eq!(chunk_sizes(&[10; 5]), [5]);
        assert_eq!(chunk_sizes(&[100; 15]), [15], "up to one and a half first chunks stay whole");
        // 100 bytes a document: 11 documents pass the first chunk's 1 KiB, 82 the next 8 KiB.
        assert_eq!(chunk_sizes(&[100; 200]), [11, 82, 107]);
        assert_eq!(chunk_sizes(&[5000, 10, 10]), [1, 2], "a document is never split");
    }

    #[test]
    fn rank_orders_by_field_then_count_then_recency() {
        let title = rank(1 << 2 | 2, false);
        let heading = rank(1 << 2 | 1, false);
        let body = rank(9 << 2, true);
        assert!(title > heading && heading > body);
        assert!(rank(4 << 2, false) > rank(2 << 2, true));
        assert!(rank(2 << 2, true) > rank(2 << 2, false));
        assert_eq!(rank(1 << 2 | 2, true), 20.0 + 2.0 + 1.0 + 0.5);
    }

    #[test]
    fn shard_counts_grow_with_the_text() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(SHARD_TARGET * 3), 4);
        assert_eq!(shard_count(usize::MAX / 2), MAX_SHARDS);
    }
}
