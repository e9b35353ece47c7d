//! The index files, from the documents' postings: shards of keys, the excerpt chunks, the
//! pinyin table for suggestions and `meta.json`, all under `search/` of the output.
//!
//! - `search/meta.json`: `{"v": version, "n": documents, "s": shards, "k": positions per
//!   chunk, "r": recent documents}`, the first file a query fetches. Documents are numbered
//!   newest first (by date, then path), so the first `r` are the recent ones (dated within
//!   [`RECENT_DAYS`] of the newest page).
//! - `search/k/<n>.bin`: the keys whose FNV-1a hash (32 bits, of the key's UTF-8) modulo `s` is
//!   `n`, in LEB128 varints: the number of keys, then per key its length in bytes, its UTF-8,
//!   the length in bytes of its postings and the postings: the number of documents, then per
//!   document the difference of its number to the previous one's, its number of positions
//!   and each position as `delta << 5 | flags` (see [`super::analyse`]). Beside each, the same
//!   gzipped (`<n>.bin.gz`), which search.js fetches where the browser can inflate it.
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
/// [`MAX_SHARDS`] files (each written twice, plain and gzipped).
const SHARD_TARGET: usize = 4 * 1024;
const MAX_SHARDS: usize = 1024;

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

/// The files of the index, by path under the output folder.
pub struct Files {
    pub files: Vec<(String, Vec<u8>)>,
    pub keys: usize,
}

/// Shards encoded at a time: their keys' entries gathered from every document, then each shard
/// written on its own thread.
const BATCH: u32 = 64;

/// Writes the index of `docs` (numbered as given, newest first), analysed for `shards` shards.
pub fn assemble(docs: &[Arc<Analysed>], shards: u32, recent: usize, fold: &str) -> Files {
    let strings: HashMap<Key, &str> =
        docs.iter().flat_map(|d| d.strings.iter().map(|(k, s)| (*k, &**s))).collect();
    let lookup = |k: Key| strings.get(&k).map(|s| s.to_string());
    let mut files = Vec::new();
    let mut keys = 0;
    let mut version = xxhash_rust::xxh3::Xxh3::new();
    for first in (0..shards).step_by(BATCH as usize) {
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
        let written: Vec<(usize, ShardFiles)> = batch
            .into_par_iter()
            .enumerate()
            .map(|(j, mut list)| {
                // Stable: documents stay in order within a key.
                list.sort_by_key(|e| e.0);
                let groups: Vec<&[(Key, u32, u32)]> = list.chunk_by(|a, b| a.0 == b.0).collect();
                let mut out = Vec::new();
                push_varint(&mut out, groups.len() as u64);
                let mut postings = Vec::new();
                for group in &groups {
                    let text = analyse::key_text(group[0].0, &lookup).unwrap_or_default();
                    postings.clear();
                    push_varint(&mut postings, group.len() as u64);
                    let mut prev = 0;
                    for (_, d, e) in *group {
                        let doc = &docs[*d as usize];
                        let start = if *e == 0 { 0 } else { doc.entries[*e as usize - 1].end as usize };
                        let end = doc.entries[*e as usize].end as usize;
                        push_varint(&mut postings, u64::from(d - prev));
                        prev = *d;
                        postings.extend_from_slice(&doc.blob[start..end]);
                    }
                    push_varint(&mut out, text.len() as u64);
                    out.extend_from_slice(text.as_bytes());
                    push_varint(&mut out, postings.len() as u64);
                    out.extend_from_slice(&postings);
                }
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                gz.write_all(&out).expect("writing to memory");
                let gz = gz.finish().expect("writing to memory");
                let n = first as usize + j;
                (groups.len(), [(format!("search/k/{n}.bin"), out), (format!("search/k/{n}.bin.gz"), gz)])
            })
            .collect();
        for (count, pair) in written {
            keys += count;
            version.update(&pair[0].1);
            files.extend(pair);
        }
    }
    for (d, doc) in docs.iter().enumerate() {
        for (n, chunk) in doc.chunks.iter().enumerate() {
            version.update(chunk);
            files.push((format!("search/t/{d}-{n}.json"), chunk.clone()));
        }
    }
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

/// The first reading of every Han character of the documents and of GB 2312's first level,
/// grouped by reading: `dang党当挡fei费非`.
/// A shard's two output files, as (name, bytes).
type ShardFiles = [(String, Vec<u8>); 2];

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
    fn shard_counts_grow_with_the_text() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(SHARD_TARGET * 3), 4);
        assert_eq!(shard_count(usize::MAX / 2), MAX_SHARDS);
    }
}
