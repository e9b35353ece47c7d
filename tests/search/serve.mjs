// A static file server for the search tests and benchmark: serves a built site's folder on
// 127.0.0.1, `/a/` as `/a/index.html`, and gzips text (HTML, JS, CSS, JSON, plain text, SVG,
// XML) as CloudFront's `Compress: true` does, so that bytes measured are bytes a reader pays.
// Files the site ships gzipped (`.gz`, the search shards; Pagefind's `.pf_*`) go as they are.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json", ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml", ".xml": "application/xml", ".wasm": "application/wasm", ".png": "image/png",
};
const COMPRESS = new Set([".html", ".js", ".mjs", ".css", ".json", ".txt", ".svg", ".xml"]);

/** Serves `dir` (on `port`, or any free one); resolves to {url, close, log}: `log` gets
 *  {path, bytes, arrived, sent} (ms) per response. With `throttle` ({latency: ms, rate: bytes per
 *  second}) every response waits the latency, then its turn on one shared link of that rate:
 *  a phone on 3G, whatever in the browser (page or worker) asked; `setThrottle` changes it. */
export function serveDir(dir, { gzip = true, port = 0, throttle = null } = {}) {
  const cache = new Map();
  const log = [];
  let linkFree = 0;
  const server = http.createServer((req, res) => {
    const arrived = performance.now();
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (p.endsWith("/")) p += "index.html";
    const file = path.join(path.resolve(dir), p);
    if (!file.startsWith(path.resolve(dir)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { "content-type": "text/plain" });
      return res.end("not found");
    }
    const ext = path.extname(file);
    let body = fs.readFileSync(file);
    const headers = { "content-type": TYPES[ext] || "application/octet-stream", "cache-control": "max-age=3600" };
    if (gzip && COMPRESS.has(ext) && /gzip/.test(req.headers["accept-encoding"] || "")) {
      if (!cache.has(file)) cache.set(file, zlib.gzipSync(body, { level: 6 }));
      body = cache.get(file);
      headers["content-encoding"] = "gzip";
    }
    headers["content-length"] = body.length;
    const send = () => {
      res.writeHead(200, headers);
      res.end(body);
      log.push({ path: p, bytes: body.length, arrived, sent: performance.now() });
    };
    if (!throttle) return send();
    const start = Math.max(arrived + throttle.latency, linkFree);
    linkFree = start + (1000 * body.length) / throttle.rate;
    setTimeout(send, linkFree - performance.now());
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const close = () => new Promise((r) => { server.closeAllConnections(); server.close(r); });
      const setThrottle = (t) => { throttle = t; };
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close, log, setThrottle });
    });
  });
}
