// Study notes (学习心得): the form with a live character count, POST /api/notes ("待审核"),
// the member's own notes with status and the reviewer's reason, and a page's approved notes.
// A note is text: it is always put in the page with textContent, never as HTML.

import { session, api, submit, say, when } from "./api.js";

const MIN = 10;
const MAX = 5000;
const STATUS = { pending: "待审核", approved: "已通过", rejected: "未通过", waiting: "等待网络" };

/** Characters as the API counts them: Unicode scalar values after trimming. */
const length = (text) => Array.from(text.trim()).length;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** One note as a list item: author or status, time, body, and the reviewer's reason. */
function item(n, opts) {
  const li = el("li", "note");
  const meta = el("p", "note-meta");
  if (opts.author) meta.append(el("strong", "note-author", n.author), " ");
  const t = el("time", "", when(n.at));
  t.dateTime = n.at;
  meta.append(t);
  if (opts.status) meta.append(" ", el("span", n.status === "approved" ? "badge" : "badge badge-gold", STATUS[n.status]));
  if (opts.link) {
    const a = el("a", "note-page", "所在文章");
    a.href = n.page;
    meta.append(" ", a);
  }
  li.append(meta, el("p", "note-body", n.body));
  if (n.review_reason) li.append(el("p", "note-reason", "审核意见：" + n.review_reason));
  return li;
}

const mine = session() ? api("GET", "/api/notes/mine").then((d) => d.notes) : Promise.resolve([]);

document.querySelectorAll("[data-zhibu=note]").forEach(setUpForm);

// "我的心得": everything the member wrote.
const all = document.querySelector("[data-zhibu=my-notes]");
if (all && session()) {
  all.hidden = false;
  const empty = all.querySelector("[data-empty]");
  mine.then(
    (notes) => {
      empty.hidden = notes.length > 0;
      all.querySelector(".note-list").replaceChildren(...notes.map((n) => item(n, { status: true, link: true })));
    },
    (err) => {
      empty.textContent = err.message;
      empty.hidden = false;
    },
  );
}

function setUpForm(box) {
  const page = box.dataset.page;
  const form = box.querySelector("form");
  const text = form.body;
  const counter = form.querySelector("[data-count]");
  const status = form.querySelector(".form-status");
  const button = form.querySelector("button[type=submit]");
  const own = box.querySelector("[data-mine]");
  const ownList = own.querySelector(".note-list");
  const shared = box.querySelector("[data-zhibu=notes]");
  if (!session()) return;

  text.disabled = button.disabled = false;
  const count = () => {
    const n = length(text.value);
    counter.textContent = "已写 " + n + " 字（至少 " + MIN + " 字，最多 " + MAX + " 字）";
    counter.classList.toggle("is-error", n > MAX);
  };
  text.addEventListener("input", count);
  count();

  function addOwn(n, key) {
    const li = item(n, { status: true });
    if (key) li.dataset.key = key;
    ownList.prepend(li);
    own.hidden = false;
  }

  mine.then((notes) => notes.filter((n) => n.page === page).forEach((n) => addOwn(n))).catch(() => {});
  api("GET", "/api/notes?page=" + encodeURIComponent(page))
    .then((d) => {
      shared.querySelector(".empty").textContent = d.notes.length ? "" : "还没有公开的心得。";
      shared.querySelector(".note-list").replaceChildren(...d.notes.map((n) => item(n, { author: true })));
    })
    .catch((err) => (shared.querySelector(".empty").textContent = err.message));

  // A note kept offline and sent later (from this page or another).
  window.addEventListener("zhibu:sent", (e) => {
    const { item: sent, data, error } = e.detail;
    if (sent.path !== "/api/notes" || sent.json.page !== page) return;
    const placeholder = ownList.querySelector('[data-key="' + sent.key + '"]');
    if (placeholder) placeholder.remove();
    if (error) return say(status, "心得未能提交：" + error.message, "error");
    addOwn(data.note);
    own.hidden = false;
    say(status, "心得已提交，待审核。审核通过后会以实名显示在下方。", "ok");
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const n = length(text.value);
    if (n < MIN || n > MAX) {
      say(status, n < MIN ? "心得至少写 " + MIN + " 个字。" : "心得最多 " + MAX + " 字，请删减后再提交。", "error");
      return text.focus();
    }
    button.disabled = true;
    say(status, "正在提交……", "wait");
    try {
      const r = await submit({ method: "POST", path: "/api/notes", what: "学习心得", json: { page, body: text.value } });
      if (r.queued) {
        addOwn({ body: text.value.trim(), at: new Date().toISOString(), status: "waiting" }, r.key);
        say(status, "网络未连接：心得已保存在本机，联网后自动提交，不会重复。", "wait");
      }
      text.value = "";
      count();
    } catch (err) {
      say(status, err.message, "error");
      text.focus();
    } finally {
      button.disabled = false;
    }
  });
}
