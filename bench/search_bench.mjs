// Site search benchmark (run by bench/search.sh): zhibu's index and search.js against Pagefind
// on the same built site, in headless Chromium with the network throttled to 3G.
//
//   node bench/search_bench.mjs PUBLIC_DIR QUERIES_JSON [--pagefind] [--port=N]
//
// PUBLIC_DIR must hold zhibu's index (search/) and search page (/search/), built with
// --base-url http://127.0.0.1:N (default 8765); with --pagefind, Pagefind's bundle (pagefind/).
// Prints one JSON object:
//   recall and precision per query class, against pages that contain the query (see
//   search_queries.json), for zhibu (all its hits) and Pagefind (all its results, restricted to
//   the pages both index);
//   bytes transferred (as a gzipping server sends them: tests/search/serve.mjs) and round trips
//   for a first query (empty cache) and a later one (same page), p50 and p95 over the queries;
//   time from submitting a query to results shown, throttled, and again once cached (no network).
// The throttling is done by the server (tests/search/serve.mjs), so that it applies to
// Pagefind's web worker too; bytes are the server's, as sent.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium } from "../tests/browser/node_modules/playwright-core/index.mjs";
import { serveDir } from "../tests/search/serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const [dir, queriesFile] = args.filter((a) => !a.startsWith("--"));
const withPagefind = args.includes("--pagefind");
const port = Number((args.find((a) => a.startsWith("--port=")) || "--port=8765").slice(7));
const api = createRequire(import.meta.url)(path.join(here, "../themes/zhibu/static/js/search.js"));
const { queries } = JSON.parse(fs.readFileSync(queriesFile, "utf8"));
const SHOWN = 5; // both show five results (and their excerpts) first

// ---- truth: the indexed text of every page, from zhibu's excerpt chunks ----
const meta = JSON.parse(fs.readFileSync(path.join(dir, "search/meta.json"), "utf8"));
const t2s = Array.from(fs.readFileSync(path.join(dir, "search/t2s.txt"), "utf8"));
const pairs = new Map();
for (let i = 0; i + 1 < t2s.length; i += 2) pairs.set(t2s[i], t2s[i + 1]);
const norm = (s) => Array.from(s, (c) => pairs.get(api.fold(c)) || api.fold(c)).join("")
  .replace(/[^\p{Script=Han}0-9a-z\u00c0-\u024f\u3007]+/gu, "·");
const docs = [];
for (let d = 0; d < meta.n; d++) {
  const blocks = [];
  let url = "";
  for (let c = 0; fs.existsSync(path.join(dir, `search/t/${d}-${c}.json`)); c++) {
    const chunk = JSON.parse(fs.readFileSync(path.join(dir, `search/t/${d}-${c}.json`), "utf8"));
    url = chunk.u;
    if (c === 0) blocks.push([2, chunk.t]);
    chunk.b.forEach((b, i) => (i === 0 && c > 0 && blocks.length ? (blocks[blocks.length - 1][1] += b[1]) : blocks.push(b)));
  }
  docs.push({ url, all: norm(blocks.map((b) => b[1]).join("\n")), heads: norm(blocks.filter((b) => b[0] > 0).map((b) => b[1]).join("\n")), title: blocks[0][1] });
}
// A part is found where it occurs with whole words and numbers at its ends (100 is not in 10000).
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const pattern = (p) => new RegExp((/^[0-9a-z]/.test(p) ? "(?<![0-9a-z\u00c0-\u024f])" : "") + escape(p) + (/[0-9a-z]$/.test(p) ? "(?![0-9a-z\u00c0-\u024f])" : ""), "u");
function truth(q) {
  const parts = q.q.split(/\s+/).filter(Boolean).map((p) => pattern(norm(p).replace(/^·|·$/g, "")));
  return new Set(docs.filter((d) => {
    if (q.class === "pinyin") return q.titles.some((t) => d.title.includes(t));
    if (q.class === "one") return parts[0].test(d.heads);
    return parts.every((p) => p.test(d.all));
  }).map((d) => d.url));
}

// ---- zhibu's hits, all of them, read from the files as search.js does ----
async function zhibuUrls(q) {
  const get = async (p, binary) => {
    const raw = fs.readFileSync(path.join(dir, "search", p));
    return binary ? new Uint8Array(raw) : raw.toString("utf8");
  };
  const index = new api.Index(get);
  const hits = await index.search(q);
  return hits.map((h) => docs[h.doc].url);
}

// ---- the browser ----
const THROTTLE = { latency: 300, rate: 1.6e6 / 8 };
const server = await serveDir(dir, { port, throttle: THROTTLE });
if (withPagefind) {
  fs.writeFileSync(path.join(dir, "pagefind-bench.html"), `<!doctype html><meta charset="utf-8"><title>pagefind</title>
<script type="module">
window.pf = await import("/pagefind/pagefind.js");
await window.pf.options({ excerptLength: 30 });
window.ready = true;
</script>`);
}
const browser = await chromium.launch({
  executablePath: process.env.ZHIBU_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/** A fresh phone-sized browser context (empty cache). */
async function fresh() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  const page = await context.newPage();
  page.on("pageerror", (e) => process.stderr.write(`page error: ${e}\n`));
  page.on("console", (m) => m.type() === "error" && process.stderr.write(`console: ${m.text()}\n`));
  return { context, page };
}
/** Bytes, files and round trips of the responses logged from `from` on whose path matches `re`:
 *  a request that arrives after every response of the current round trip was sent starts another. */
function account(from, re) {
  const list = server.log.slice(from).filter((r) => re.test(r.path)).sort((a, b) => a.arrived - b.arrived);
  let bytes = 0, trips = 0, waveEnd = -Infinity;
  for (const r of list) {
    bytes += r.bytes;
    if (r.arrived >= waveEnd) trips++;
    waveEnd = Math.max(r.arrived >= waveEnd ? -Infinity : waveEnd, r.sent);
  }
  return { bytes, trips, files: list.length };
}
const settle = () => new Promise((r) => setTimeout(r, 50));

async function zhibuQuery(page, q) {
  return page.evaluate(async (q) => {
    const input = document.querySelector("#search-q"), list = document.querySelector("#search-results");
    const t = performance.now();
    input.value = q;
    input.form.requestSubmit();
    while (list.getAttribute("data-q") !== q) await new Promise((r) => setTimeout(r, 2));
    return performance.now() - t;
  }, q);
}
async function pagefindQuery(page, q, all) {
  return page.evaluate(async ([q, shown, all]) => {
    const t = performance.now();
    const s = await window.pf.search(q);
    const data = await Promise.all(s.results.slice(0, all ? s.results.length : shown).map((r) => r.data()));
    return { ms: performance.now() - t, urls: data.map((d) => d.url), count: s.results.length };
  }, [q, SHOWN, all]);
}

async function pagefindRow(q, later) {
  const { context, page } = await fresh();
  let mark = server.log.length;
  await page.goto(server.url + "/pagefind-bench.html");
  await page.waitForFunction(() => window.ready === true, null, { timeout: 60000 });
  // Pagefind's JS is loaded with the page here; it counts with the first query.
  const r1 = await pagefindQuery(page, q.q, false);
  await settle();
  const first = account(mark, /^\/pagefind\//);
  mark = server.log.length;
  const r2 = await pagefindQuery(page, later.q, false);
  await settle();
  const second = account(mark, /^\/pagefind\//);
  const r3 = await pagefindQuery(page, q.q, false);
  await context.close();
  // Every result, for recall, unthrottled.
  server.setThrottle(null);
  const { context: c2, page: p2 } = await fresh();
  await p2.goto(server.url + "/pagefind-bench.html");
  await p2.waitForFunction(() => window.ready === true, null, { timeout: 60000 });
  const all = await pagefindQuery(p2, q.q, true);
  await c2.close();
  server.setThrottle(THROTTLE);
  return { urls: all.urls.map((u) => u.replace(/index\.html$/, "")), first, later: second, msFirst: r1.ms, msLater: r2.ms, msCached: r3.ms };
}

const rows = [];
for (let i = 0; i < queries.length; i++) {
  const q = queries[i], later = queries[(i + 1) % queries.length];
  const row = { q: q.q, class: q.class, truth: [...truth(q)] };
  row.zhibu = { urls: await zhibuUrls(q.q) };

  // zhibu: a first query on the search page, a later one, then the first again, cached.
  {
    const { context, page } = await fresh();
    await page.goto(server.url + "/search/");
    await page.waitForLoadState("load");
    await settle();
    // search.js comes with the search page (a page of its own); it counts with the first query.
    const js = server.log.filter((r) => r.path === "/js/search.js").pop();
    let mark = server.log.length;
    const t1 = await zhibuQuery(page, q.q);
    const first = account(mark, /^\/search\/./);
    first.bytes += js ? js.bytes : 0;
    mark = server.log.length;
    const t2 = later.q === q.q ? NaN : await zhibuQuery(page, later.q);
    const second = account(mark, /^\/search\/./);
    // The first query again: its shards are in memory, its excerpts in the HTTP cache.
    mark = server.log.length;
    const t3 = await zhibuQuery(page, q.q);
    const third = account(mark, /^\/search\/./);
    if (third.bytes > 0) process.stderr.write(`note: ${q.q} again transferred ${third.bytes} B\n`);
    Object.assign(row.zhibu, { first, later: second, msFirst: t1, msLater: t2, msCached: t3, jsBytes: js ? js.bytes : 0 });
    await context.close();
  }
  for (let attempt = 1; withPagefind && !row.pagefind; attempt++) {
    try {
      row.pagefind = await pagefindRow(q, later);
    } catch (e) {
      if (attempt === 2) throw e;
      process.stderr.write(`${q.q}: Pagefind again after ${e.message.split("\n")[0]}\n`);
    }
  }
  rows.push(row);
  process.stderr.write(`${q.q}: zhibu ${row.zhibu.urls.length} (${row.zhibu.first.bytes} B)` + (row.pagefind ? `, pagefind ${row.pagefind.urls.length} (${row.pagefind.first.bytes} B)` : "") + `, truth ${row.truth.length}\n`);
}
await browser.close();
await server.close();

// ---- figures ----
const known = new Set(docs.map((d) => d.url));
function score(tool) {
  const byClass = {};
  for (const r of rows) {
    if (!r[tool]) continue;
    const got = r[tool].urls.filter((u) => known.has(u)), want = new Set(r.truth);
    const c = (byClass[r.class] ||= { queries: 0, relevant: 0, found: 0, returned: 0, right: 0, perfect: 0 });
    const found = got.filter((u) => want.has(u)).length;
    c.queries++; c.relevant += want.size; c.found += found; c.returned += got.length; c.right += found;
    if (found === want.size) c.perfect++;
  }
  for (const c of Object.values(byClass)) {
    c.recall = c.relevant ? c.found / c.relevant : 1;
    c.precision = c.returned ? c.right / c.returned : 1;
  }
  return byClass;
}
const pct = (xs, p) => { const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null; };
function summary(tool) {
  const r = rows.filter((x) => x[tool]).map((x) => x[tool]);
  const f = (k, sub) => r.map((x) => (sub ? x[k][sub] : x[k]));
  return {
    firstBytes: { p50: pct(f("first", "bytes"), 50), p95: pct(f("first", "bytes"), 95) },
    firstTrips: { p50: pct(f("first", "trips"), 50), max: Math.max(...f("first", "trips")) },
    laterBytes: { p50: pct(f("later", "bytes"), 50), p95: pct(f("later", "bytes"), 95) },
    msFirst: { p50: pct(f("msFirst"), 50), p95: pct(f("msFirst"), 95) },
    msLater: { p50: pct(f("msLater"), 50), p95: pct(f("msLater"), 95) },
    msCached: { p50: pct(f("msCached"), 50), p95: pct(f("msCached"), 95) },
    classes: score(tool),
  };
}
const out = { site: dir, documents: meta.n, shards: meta.s, queries: rows.length, zhibu: summary("zhibu"), pagefind: withPagefind ? summary("pagefind") : null, rows };
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
