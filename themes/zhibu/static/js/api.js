// The member's side of the API (README, "The functions"): the session kept in localStorage,
// requests carrying the bearer token, and an outbox that keeps submissions made without a
// connection and sends them, each with its own Idempotency-Key, when the connection returns.
// Shared by the feature modules; it does nothing by itself when loaded.

const SESSION = "zhibu.session";

/** The member's session ({token, expires_at, member}) while it lasts, else null. */
export function session() {
  try {
    const s = JSON.parse(localStorage.getItem(SESSION) || "null");
    if (s && s.token && Date.parse(s.expires_at) > Date.now()) return s;
  } catch (e) {
    // No storage (a locked-down browser) or a malformed value: no session.
  }
  return null;
}

export function saveSession(s) {
  localStorage.setItem(SESSION, JSON.stringify(s));
}

export function clearSession() {
  try {
    localStorage.removeItem(SESSION);
  } catch (e) {
    // Nothing to clear.
  }
}

/** The login page, with `next` pointing back here (or at `next`). */
export function loginHref(next) {
  const base = new URL(document.body.dataset.login || "/login/", location.href).pathname;
  return base + "?next=" + encodeURIComponent(next || location.pathname + location.search + location.hash);
}

/** Sends the member to log in and then back to this page. */
export function toLogin(expired) {
  location.assign(loginHref() + (expired ? "&expired=1" : ""));
}

/** Where to go after login: `value` as a full URL on this origin, or null. It must be a path
 *  ("/…") without control characters or backslashes (browsers drop tabs and newlines and read
 *  a backslash as "/", so "/%09/evil.example" would become "//evil.example"), and resolve to this
 *  origin; the resolved URL is returned, never the raw text. */
export function safeNext(value) {
  if (typeof value !== "string" || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return null;
  let url;
  try {
    url = new URL(value, location.origin);
  } catch (e) {
    return null;
  }
  return url.origin === location.origin ? url.href : null;
}

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

const OFFLINE = "网络连接失败，请检查网络后重试。";

/** One request: resolves {status, data, replayed}; rejects with ApiError(0, "network") when no
 *  answer came. XMLHttpRequest rather than fetch, for upload progress. */
function send(method, path, opts) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(method, path);
    x.timeout = opts.form ? 120000 : 20000;
    const s = session();
    if (s && opts.auth !== false) x.setRequestHeader("Authorization", "Bearer " + s.token);
    if (opts.key) x.setRequestHeader("Idempotency-Key", opts.key);
    let body = null;
    if (opts.json !== undefined) {
      x.setRequestHeader("Content-Type", "application/json");
      body = JSON.stringify(opts.json);
    } else if (opts.form) {
      body = new FormData();
      // A list repeats its field (several photos under one name).
      const add = (k, v, i) => (v instanceof Blob ? body.append(k, v, k + (i || "") + ".jpg") : body.append(k, String(v)));
      Object.keys(opts.form).forEach((k) => {
        const v = opts.form[k];
        if (Array.isArray(v)) v.forEach((x, i) => add(k, x, i + 1));
        else add(k, v);
      });
    }
    if (opts.onProgress && x.upload) {
      x.upload.onprogress = (e) => e.lengthComputable && opts.onProgress(e.loaded / e.total);
    }
    x.onload = () => {
      let data = null;
      try {
        data = JSON.parse(x.responseText);
      } catch (e) {
        // Not JSON (a proxy's error page): judged by the status alone.
      }
      resolve({ status: x.status, data, replayed: x.getResponseHeader("Idempotent-Replayed") === "true" });
    };
    x.onerror = x.ontimeout = x.onabort = () => reject(new ApiError(0, "network", OFFLINE));
    x.send(body);
  });
}

function failure(r) {
  const e = (r.data && r.data.error) || {};
  const message = e.message || (r.status >= 500 ? "服务器暂时出了问题，请稍后重试。" : "请求未成功（" + r.status + "）。");
  return new ApiError(r.status, e.code || "http_" + r.status, message, e.field);
}

/** A request that needs no outbox: the data, or an ApiError. A 401 (an expired or revoked
 *  token) ends the session and goes to the login page, which comes back here. */
export async function api(method, path, opts) {
  const r = await send(method, path, opts || {});
  if (r.status === 401 && !(opts && opts.auth === false)) {
    clearSession();
    toLogin(true);
  }
  if (r.status >= 400) throw failure(r);
  return r.data;
}

/** A fresh idempotency key (a UUID). */
export function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join("");
  return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
}

// The outbox: IndexedDB, which also keeps photos (Blobs). Where it cannot be opened (or is
// full), items live in memory, as long as the page.
let dbp = null;
const memory = new Map();

function db() {
  if (!dbp) {
    dbp = new Promise((resolve, reject) => {
      const r = indexedDB.open("zhibu", 1);
      r.onupgradeneeded = () => r.result.createObjectStore("outbox", { keyPath: "key" });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    }).catch(() => null);
  }
  return dbp;
}

async function store(mode, fn) {
  const d = await db();
  if (!d) return fn(null);
  return new Promise((resolve, reject) => {
    const t = d.transaction("outbox", mode);
    const req = fn(t.objectStore("outbox"));
    t.oncomplete = () => resolve(req && req.result);
    t.onerror = t.onabort = () => reject(t.error);
  });
}

const put = (item) => store("readwrite", (s) => (s ? s.put(item) : memory.set(item.key, item)));
const remove = (key) => (memory.delete(key) ? Promise.resolve() : store("readwrite", (s) => s && s.delete(key)));
const all = () => store("readonly", (s) => s && s.getAll()).then((v) => (v || []).concat(Array.from(memory.values())));

/** The member's submissions still waiting, oldest first. */
export async function waiting() {
  const s = session();
  const items = await all().catch(() => []);
  return items.filter((i) => s && i.member === s.member.id).sort((a, b) => (a.at < b.at ? -1 : 1));
}

/** Texts kept on this phone while being written (localStorage `zhibu.draft.*`, such as a
 *  thought report's draft): their keys, and how many the server does not have yet. */
function drafts() {
  const keys = [];
  let unsaved = 0;
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (!k || k.indexOf("zhibu.draft.") !== 0) continue;
      keys.push(k);
      const d = JSON.parse(localStorage.getItem(k) || "null");
      if (d && !d.synced) unsaved += 1;
    }
  } catch (e) {
    // No storage: nothing kept.
  }
  return { keys, unsaved };
}

/** Ends the session, after a warning when submissions are still waiting (they go with it, and
 *  so do drafts kept on the phone): the server ends it on every device (POST
 *  /api/session/logout), then the phone forgets it. Without a connection the phone still
 *  forgets it; the token then lapses by itself. */
export async function logout() {
  const kept = drafts();
  const n = (await waiting()).length + kept.unsaved;
  if (n && !window.confirm("还有 " + n + " 条离线保存的内容没有提交，退出登录后将被删除。确定退出吗？")) return;
  const items = await all().catch(() => []);
  await Promise.all(items.map((i) => remove(i.key)));
  kept.keys.forEach((k) => localStorage.removeItem(k));
  if (session()) await send("POST", "/api/session/logout", {}).catch(() => {});
  clearSession();
  location.reload();
}

const sending = new Set();

function announce(item, detail) {
  window.dispatchEvent(new CustomEvent("zhibu:sent", { detail: Object.assign({ item }, detail) }));
}

/** Sends one kept item. Resolves {data, status, replayed} once the server has decided, or
 *  {queued: true} when it must wait (no connection, a 5xx, the same key still in progress, a
 *  rate limit, an expired login); rejects with the ApiError of a final refusal. */
async function deliver(item, onProgress) {
  if (sending.has(item.key)) return { queued: true };
  sending.add(item.key);
  try {
    let r;
    try {
      r = await send(item.method, item.path, { json: item.json, form: item.form, key: item.key, onProgress });
    } catch (e) {
      return { queued: true, error: e };
    }
    if (r.status === 401) {
      clearSession();
      return { queued: true, error: failure(r), login: true };
    }
    if (r.status >= 500 || r.status === 429 || (r.data && r.data.error && r.data.error.code === "in_progress")) {
      return { queued: true, error: failure(r) };
    }
    await remove(item.key).catch(() => {});
    if (r.status >= 400) {
      const err = failure(r);
      announce(item, { error: err });
      throw err;
    }
    const done = { data: r.data, status: r.status, replayed: r.replayed };
    announce(item, done);
    return done;
  } finally {
    sending.delete(item.key);
  }
}

/** Submits {method, path, json | form, what}: kept in the outbox first (so a page closed
 *  mid-request is resent later under the same key, never recorded twice), then sent. */
export async function submit(item, onProgress) {
  const s = session();
  if (!s) {
    toLogin();
    return new Promise(() => {});
  }
  const kept = Object.assign({ key: newKey(), member: s.member.id, at: new Date().toISOString() }, item);
  await put(kept).catch(() => memory.set(kept.key, kept));
  const r = await deliver(kept, onProgress);
  if (r.login) toLogin(true);
  if (r.queued) window.dispatchEvent(new CustomEvent("zhibu:queued", { detail: { item: kept } }));
  return Object.assign({ key: kept.key }, r);
}

/** Sends a kept item again now (a retry button). */
export async function resend(key, onProgress) {
  const item = (await waiting()).find((i) => i.key === key);
  return item ? deliver(item, onProgress) : { gone: true };
}

/** Sends everything waiting, oldest first; stops at the first that must keep waiting and
 *  resolves to its answer ({queued, login}), or to null when nothing is left. */
export async function flush() {
  if (!session() || navigator.onLine === false) return null;
  for (const item of await waiting()) {
    const r = await deliver(item).catch((e) => e);
    if (r && r.queued) return r;
  }
  return null;
}

/** A time in Beijing time, e.g. "11月26日 08:05". */
export function when(iso) {
  const bj = new Date(Date.parse(iso) + 8 * 36e5);
  const two = (n) => String(n).padStart(2, "0");
  return bj.getUTCMonth() + 1 + "月" + bj.getUTCDate() + "日 " + two(bj.getUTCHours()) + ":" + two(bj.getUTCMinutes());
}

/** A status line's text, with the class that colours it (ok / error / wait). */
export function say(el, text, kind) {
  el.textContent = text;
  el.className = el.className.replace(/\s*is-(ok|error|wait)\b/g, "") + (kind ? " is-" + kind : "");
}
