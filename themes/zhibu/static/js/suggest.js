// 意见建议 (templates/shortcodes/suggest_form.html): a signed suggestion or complaint about the
// branch's work or the site (POST /api/suggestions through the outbox, 5–2,000 characters), and
// the member's suggestions with the branch's answers (GET /api/suggestions/mine).

import { session, api, toLogin, say } from "./api.js";
import { send, sentHere, focusField, length } from "./file.js";
import { suggestionItem } from "./year.js";

const root = document.querySelector("[data-zhibu=suggest]");
const mine = document.querySelector("[data-zhibu=suggest-mine]");
const me = session();
const MIN = 5;
const MAX = 2000;

if (root) {
  if (!me) toLogin();
  else setUp();
}

function setUp() {
  const form = root.querySelector("form");
  const status = form.querySelector(".form-status");
  const counter = form.querySelector("[data-count]");
  const button = form.querySelector("button[type=submit]");
  const listStatus = mine.querySelector("[data-status]");
  const list = mine.querySelector("[data-suggestions]");

  Array.from(form.elements).forEach((e) => (e.disabled = false));

  const count = () => {
    const n = length(form.body.value);
    counter.textContent = "已写 " + n + " 字（" + MIN + " 至 " + MAX + " 字）";
    counter.classList.toggle("is-error", n > MAX);
  };
  form.body.addEventListener("input", count);
  count();

  async function refresh() {
    const { suggestions } = await api("GET", "/api/suggestions/mine");
    list.replaceChildren(...suggestions.map((s) => suggestionItem(s)));
    const waiting = suggestions.filter((s) => !s.answer).length;
    say(listStatus, suggestions.length ? "共 " + suggestions.length + " 条" + (waiting ? "，其中 " + waiting + " 条等待答复。" : "，都已答复。") : "还没有提过意见建议。");
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const n = length(form.body.value);
    if (n < MIN || n > MAX) {
      say(status, n < MIN ? "请至少写 " + MIN + " 个字。" : "最多 " + MAX + " 字，现在是 " + n + " 字。", "error");
      return form.body.focus();
    }
    button.disabled = true;
    say(status, "正在提交……", "wait");
    try {
      const json = { topic: form.querySelector("input[name=topic]:checked").value, body: form.body.value };
      const r = await send({ method: "POST", path: "/api/suggestions", what: "意见建议", json });
      if (r.queued) return say(status, "网络未连接：内容已保存在本机，联网后自动提交，不会重复。", "wait");
      form.body.value = "";
      count();
      await refresh();
      say(status, "已提交，支部答复后会显示在下面。", "ok");
    } catch (err) {
      say(status, err.message, "error");
      focusField(form, err);
    } finally {
      button.disabled = false;
    }
  });

  // A suggestion kept offline and sent later.
  window.addEventListener("zhibu:sent", (e) => {
    const { item } = e.detail;
    if (!sentHere(item) && item.path === "/api/suggestions") refresh().catch(() => {});
  });

  refresh().catch((err) => say(listStatus, err.message, "error"));
}
