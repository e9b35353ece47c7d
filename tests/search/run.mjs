// Runs the site's search.js under node against a built site, as a browser would: one fresh
// index per query (a first query), the shards gzipped as a browser with DecompressionStream
// fetches them, and the excerpt chunks of the first page of results.
//
//   node tests/search/run.mjs SEARCH_JS PUBLIC_DIR QUERIES_JSON
//
// QUERIES_JSON is a JSON array of strings. Prints a JSON array, one object per query:
// {q, docs, urls, titles, excerpt, suggestions, files, bytes, gzipBytes, roundTrips}, where bytes
// and gzipBytes count every file fetched (raw, and as a compressing server sends it: the .gz
// shards as they are, the rest gzipped at level 6).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const [searchJs, publicDir, queriesFile] = process.argv.slice(2);
const api = createRequire(import.meta.url)(path.resolve(searchJs));
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
const PAGE = 5;

async function run(q) {
  const files = [];
  let bytes = 0;
  let gzipBytes = 0;
  // Round trips: a fetch that starts while none is under way starts one.
  let inflight = 0;
  let roundTrips = 0;
  const get = async (p, binary, packed) => {
    const file = path.join(publicDir, 'search', p + (packed ? '.gz' : ''));
    const raw = fs.readFileSync(file);
    files.push(p + (packed ? '.gz' : ''));
    if (inflight === 0) roundTrips++;
    inflight++;
    bytes += raw.length;
    gzipBytes += packed ? raw.length : zlib.gzipSync(raw, { level: 6 }).length;
    await new Promise((r) => setTimeout(r, 2));
    inflight--;
    if (!binary) return raw.toString('utf8');
    const out = packed ? zlib.gunzipSync(raw) : raw;
    if (packed) {
      const plain = fs.readFileSync(path.join(publicDir, 'search', p));
      if (!plain.equals(out)) throw new Error(`${p}.gz is not ${p} gzipped`);
    }
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  };
  const index = new api.Index(get);
  const started = performance.now();
  const hits = await index.search(q);
  const shown = hits.slice(0, PAGE);
  const chunks = await Promise.all(shown.map((h) => index.chunk(h)));
  const ms = performance.now() - started;
  const excerpts = chunks.map((c, i) => api.excerpt(c, shown[i].spans));
  const suggestions = hits.length ? [] : await api.suggest(index, q);
  return {
    q,
    docs: hits.map((h) => h.doc),
    scores: hits.map((h) => Math.round(h.score * 1000) / 1000),
    urls: chunks.map((c) => c.u),
    titles: excerpts.map((x) => x.title),
    excerpts: excerpts.map((x) => x.excerpt),
    suggestions,
    files,
    bytes,
    gzipBytes,
    roundTrips,
    ms: Math.round(ms * 10) / 10,
  };
}

const out = [];
for (const q of queries) out.push(await run(q));
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
