// Writing a thought report (templates/shortcodes/report_form.html): one report per quarter, a
// title and the typed text (200–10,000 characters) or photos of handwritten pages (1–8), or both.
// While the member types, the text is kept on the phone (localStorage), so a dropped connection
// or a closed page loses nothing: on load a copy newer than the server's draft is restored.
// "保存草稿" and "提交" go through the outbox (POST /api/reports/mine, each with its own
// Idempotency-Key, resent when the connection returns); pages are shrunk in the browser like
// copies (photo.js) and go the same way. A submitted report is read-only; it may be withdrawn
// while nobody has opened it. Comments are answered once each.

import { session, api, toLogin, say, newKey } from "./api.js";
import { shrink } from "./photo.js";
import {
  el,
  currentQuarter,
  recentQuarters,
  quarterLabel,
  isQuarter,
  length,
  moment,
  reportState,
  reportMeta,
  comments,
  textForm,
  send,
  sentHere,
  focusField,
  REPORT_MIN,
  REPORT_MAX,
  REPORT_PAGES,
} from "./file.js";

const root = document.querySelector("[data-zhibu=report]");
const me = session();

if (root) {
  if (!me) toLogin();
  else setUp();
}

/** The member's copy of a quarter's text on this phone: {title, body, at, synced}. */
const localKey = (q) => "zhibu.draft.report." + me.member.id + "." + q;
function readLocal(q) {
  try {
    return JSON.parse(localStorage.getItem(localKey(q)) || "null");
  } catch (e) {
    return null;
  }
}
function writeLocal(q, value) {
  try {
    localStorage.setItem(localKey(q), JSON.stringify(value));
  } catch (e) {
    // No storage (private mode, full): the server's draft is all there is.
  }
}
function dropLocal(q) {
  try {
    localStorage.removeItem(localKey(q));
  } catch (e) {
    // Nothing kept.
  }
}

function setUp() {
  const form = root.querySelector("form");
  const select = form.quarter;
  const title = form.title;
  const body = form.body;
  const counter = form.querySelector("[data-count]");
  const localNote = form.querySelector("[data-local]");
  const meta = form.querySelector("[data-meta]");
  const badge = root.querySelector("[data-state]");
  const pageList = form.querySelector("[data-pages]");
  const pickers = [form.camera, form.photo];
  const bar = form.querySelector("[data-progress]");
  const photoStatus = form.querySelector("[data-photo-status]");
  const status = form.querySelector("[data-status]");
  const saveButton = form.querySelector("[data-save]");
  const submitButton = form.querySelector("[data-submit]");
  const withdrawButton = form.querySelector("[data-withdraw]");
  const discardButton = form.querySelector("[data-discard]");
  const commentBox = root.querySelector("[data-comments]");

  let quarter = null;
  let report = null;
  let busy = false;
  const editable = () => !report || report.status === "draft";
  const pageCount = () => (report ? report.pages.length : 0);

  // The quarters offered: this one and the seven before it, and any with a report.
  const asked = new URLSearchParams(location.search).get("quarter");
  const now = currentQuarter();

  async function start() {
    const { reports } = await api("GET", "/api/reports/mine");
    const quarters = new Set(recentQuarters(8));
    reports.forEach((r) => quarters.add(r.quarter));
    if (isQuarter(asked) && asked <= now) quarters.add(asked);
    select.replaceChildren(
      ...Array.from(quarters)
        .sort()
        .reverse()
        .map((q) => {
          const r = reports.find((x) => x.quarter === q);
          const o = el("option", "", quarterLabel(q) + (q === now ? "（本季度）" : "") + (r ? " · " + reportState(r) : ""));
          o.value = q;
          return o;
        }),
    );
    select.value = isQuarter(asked) && asked <= now ? asked : now;
    select.disabled = false;
    select.addEventListener("change", () => {
      const url = new URL(location.href);
      url.searchParams.set("quarter", select.value);
      history.replaceState(null, "", url);
      load(select.value).catch((err) => say(status, err.message, "error"));
    });
    await load(select.value);
  }

  async function load(q) {
    quarter = q;
    say(status, "正在读取……", "wait");
    say(photoStatus, "");
    report = await api("GET", "/api/reports/mine/" + q).then(
      (d) => d.report,
      (err) => {
        if (err.status === 404) return null;
        throw err;
      },
    );
    const local = readLocal(q);
    localNote.hidden = true;
    if (!editable()) {
      dropLocal(q);
      fill(report);
    } else if (local && !local.synced && (local.title.trim() !== (report ? report.title : "") || local.body.trim() !== (report ? report.body : ""))) {
      title.value = local.title;
      body.value = local.body;
      localNote.textContent = "已恢复本机保存的内容（" + moment(local.at) + "），还没有保存到服务器。请点“保存草稿”或“提交”。";
      localNote.hidden = false;
    } else fill(report);
    render();
    say(status, report ? "" : quarterLabel(q) + "还没有写思想汇报。");
  }

  /** The form's text from the server's report. */
  function fill(r) {
    title.value = r ? r.title : "";
    body.value = r ? r.body : "";
    count();
  }

  function count() {
    const n = length(body.value);
    const p = pageCount();
    counter.textContent = "已写 " + n + " 字" + (p ? "（已上传手写稿 " + p + " 页，正文可以不写）" : "（至少 " + REPORT_MIN + " 字，最多 " + REPORT_MAX + " 字）");
    counter.classList.toggle("is-error", n > REPORT_MAX);
  }

  /** Everything but the typed text, from `report`. */
  function render() {
    const open = editable();
    badge.textContent = reportState(report);
    badge.hidden = !report;
    meta.hidden = !report;
    if (report) meta.replaceChildren(...reportMeta(report).childNodes);
    title.disabled = body.disabled = false;
    title.readOnly = body.readOnly = !open;
    form.classList.toggle("is-readonly", !open);
    pageList.replaceChildren(...(report ? report.pages : []).map(pageItem));
    pickers.forEach((p) => (p.disabled = !open || busy || pageCount() >= REPORT_PAGES));
    saveButton.disabled = submitButton.disabled = !open || busy;
    saveButton.hidden = submitButton.hidden = !open;
    withdrawButton.hidden = !(report && report.status === "submitted" && report.withdrawable);
    withdrawButton.disabled = busy;
    discardButton.hidden = !(report && report.status === "draft");
    discardButton.disabled = busy;
    commentBox.replaceChildren();
    if (report && report.status === "submitted") commentBox.append(comments(report, replyForm));
    count();
  }

  function setBusy(b) {
    busy = b;
    render();
  }

  function pageItem(p) {
    const li = el("li", "report-page");
    li.dataset.page = p.number;
    const fig = el("figure");
    const img = el("img");
    img.src = p.thumb_url;
    img.alt = "手写稿第 " + p.number + " 页";
    img.width = p.width;
    img.height = p.height;
    fig.append(img, el("figcaption", "", "第 " + p.number + " 页"));
    li.append(fig);
    if (editable()) {
      const remove = el("button", "button button-quiet button-small", "删除");
      remove.type = "button";
      remove.setAttribute("aria-label", "删除第 " + p.number + " 页");
      remove.addEventListener("click", () => removePage(p.number));
      li.append(remove);
    }
    return li;
  }

  // Typing: kept on the phone at once.
  const keep = () => {
    if (!editable()) return;
    writeLocal(quarter, { title: title.value, body: body.value, at: new Date().toISOString(), synced: false });
    count();
  };
  title.addEventListener("input", keep);
  body.addEventListener("input", keep);

  /** After the server took the text: the phone's copy is in step (or gone, once submitted). */
  function took(r) {
    report = r;
    if (r.status === "submitted") dropLocal(quarter);
    else writeLocal(quarter, { title: r.title, body: r.body, at: r.updated_at, synced: true });
    localNote.hidden = true;
    fill(r);
    render();
  }

  async function save(submitting) {
    const n = length(body.value);
    if (submitting) {
      if (!title.value.trim()) {
        say(status, "请填写标题。", "error");
        return title.focus();
      }
      if (!pageCount() && n < REPORT_MIN) {
        say(status, "正文至少 " + REPORT_MIN + " 字（现在是 " + n + " 字），或上传手写稿照片。", "error");
        return body.focus();
      }
    }
    if (n > REPORT_MAX) {
      say(status, "正文最多 " + REPORT_MAX + " 字（现在是 " + n + " 字），请删减。", "error");
      return body.focus();
    }
    keep();
    setBusy(true);
    say(status, submitting ? "正在提交……" : "正在保存……", "wait");
    try {
      const json = { quarter, title: title.value, body: body.value, submit: submitting };
      const r = await send({ method: "POST", path: "/api/reports/mine", what: submitting ? "思想汇报" : "思想汇报草稿", json });
      if (r.queued) {
        say(status, "网络未连接：内容已保存在本机，联网后自动" + (submitting ? "提交" : "保存到服务器") + "，不会重复。", "wait");
        return;
      }
      took(r.report);
      say(status, submitting ? "思想汇报已提交。在有人打开阅读之前，您还可以撤回修改。" : "草稿已保存（" + moment(r.report.updated_at) + "）。", "ok");
    } catch (err) {
      say(status, err.message, "error");
      if (err.code === "submitted") await load(quarter).catch(() => {});
      focusField(form, err);
    } finally {
      setBusy(false);
    }
  }

  saveButton.addEventListener("click", () => save(false));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (editable() && !busy) save(true);
  });

  withdrawButton.addEventListener("click", async () => {
    if (!window.confirm("撤回后思想汇报变回草稿，修改后需要重新提交。确定撤回吗？")) return;
    setBusy(true);
    say(status, "正在撤回……", "wait");
    try {
      const r = await api("POST", "/api/reports/mine/" + quarter + "/withdraw", { json: {}, key: newKey() });
      took(r.report);
      say(status, "已撤回，现在是草稿。修改后请重新提交。", "ok");
    } catch (err) {
      say(status, err.message, "error");
      if (err.code === "already_read") await load(quarter).catch(() => {});
    } finally {
      setBusy(false);
    }
  });

  discardButton.addEventListener("click", async () => {
    if (!window.confirm("删除这份草稿和它的手写稿照片？删除后不能恢复。")) return;
    setBusy(true);
    try {
      await api("DELETE", "/api/reports/mine/" + quarter);
      dropLocal(quarter);
      report = null;
      fill(null);
      say(status, "草稿已删除。", "ok");
    } catch (err) {
      say(status, err.message, "error");
    } finally {
      setBusy(false);
    }
  });

  // Handwritten pages: each photo shrunk, then sent through the outbox with a progress bar.
  pickers.forEach((p) =>
    p.addEventListener("change", async () => {
      const files = Array.from(p.files);
      p.value = ""; // the same photo may be picked again
      for (const file of files) {
        if (pageCount() >= REPORT_PAGES) {
          say(photoStatus, "手写稿照片最多 " + REPORT_PAGES + " 页。", "error");
          break;
        }
        if (!(await upload(file))) break;
      }
    }),
  );

  const progress = (v) => {
    bar.hidden = false;
    bar.value = v;
  };

  async function upload(file) {
    setBusy(true);
    say(photoStatus, "正在压缩照片……", "wait");
    try {
      let photo;
      try {
        photo = await shrink(file);
      } catch (e) {
        say(photoStatus, "无法读取这张照片，请换一张（JPEG、PNG 或 WebP）。", "error");
        return false;
      }
      progress(0);
      say(photoStatus, "正在上传第 " + (pageCount() + 1) + " 页……", "wait");
      const path = "/api/reports/mine/" + quarter + "/pages";
      const r = await send({ method: "POST", path, what: "手写稿照片", form: { photo: photo.blob } }, progress);
      if (r.queued) {
        say(photoStatus, "网络未连接：照片已保存在本机，联网后自动上传。", "wait");
        return false;
      }
      report = r.report;
      say(photoStatus, "第 " + report.pages.length + " 页已上传。", "ok");
      return true;
    } catch (err) {
      say(photoStatus, err.message, "error");
      return false;
    } finally {
      bar.hidden = true;
      setBusy(false);
    }
  }

  async function removePage(n) {
    if (!window.confirm("删除第 " + n + " 页照片？")) return;
    setBusy(true);
    try {
      const r = await api("DELETE", "/api/reports/mine/" + quarter + "/pages/" + n);
      report = r.report;
      say(photoStatus, "第 " + n + " 页已删除。", "ok");
    } catch (err) {
      say(photoStatus, err.message, "error");
    } finally {
      setBusy(false);
    }
  }

  /** Under a comment not yet answered: the one reply. */
  function replyForm(c) {
    return textForm({
      id: "reply-" + c.number,
      label: "回复这条意见",
      hint: "每条意见只能回复一次，2000 字以内",
      button: "回复",
      max: 2000,
      onSend: async (text, st) => {
        try {
          const path = "/api/reports/mine/" + quarter + "/comments/" + c.number + "/reply";
          const r = await send({ method: "POST", path, what: "对意见的回复", json: { body: text } });
          if (r.queued) return say(st, "网络未连接：回复已保存在本机，联网后自动提交。", "wait");
          report = r.report;
          render();
          say(status, "回复已提交。", "ok");
        } catch (err) {
          if (err.code === "already_replied") await load(quarter);
          throw err;
        }
      },
    });
  }

  // A save, a page or a reply of this quarter kept offline and sent later (from any page).
  window.addEventListener("zhibu:sent", (e) => {
    const { item, data, error } = e.detail;
    if (sentHere(item)) return;
    const mine = (item.json && item.json.quarter === quarter && item.path === "/api/reports/mine") || item.path.indexOf("/api/reports/mine/" + quarter + "/") === 0;
    if (!mine) return;
    if (error) return say(status, "离线保存的" + item.what + "未能提交：" + error.message, "error");
    if (!data || !data.report) return;
    if (item.path === "/api/reports/mine") took(data.report);
    else {
      report = data.report;
      render();
    }
  });

  start().catch((err) => say(status, err.message, "error"));
}
