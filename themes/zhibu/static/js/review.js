// 民主评议 for the member (templates/shortcodes/review_form.html), /me/review/?review=ID: the
// round (GET /api/reviews/{id}), the 个人自评 — typed text kept on the phone while it is written
// (localStorage, restored on reload when newer than the server's), 保存草稿 and 提交 through the
// outbox (POST /api/reviews/{id}/self), editable until the round closes —, signed opinions about
// a named member sent to the branch (POST /api/reviews/{id}/opinions; the name comes back from
// the API) and the member's outcome with the committee's feedback. Nothing here votes: the
// 民主测评 is a secret ballot on paper at the meeting.

import { session, api, toLogin, say } from "./api.js";
import { el, link, time, prose, moment, length, send, sentHere, focusField } from "./file.js";

const root = document.querySelector("[data-zhibu=review]");
const me = session();
const MIN = 200;
const MAX = 5000;
const ROUND_STATE = { not_open: "未开始", open: "进行中", closed: "已结束" };
/** Who takes part: full and probationary members (a roster without stages is one of members). */
const TAKES_PART = new Set([null, undefined, "", "full", "probationary"]);

if (root) {
  if (!me) toLogin();
  else start().catch((err) => say(root.querySelector("[data-status]"), err.message, "error"));
}

/** The round asked for (?review=), else the one declared that is open now, else the latest. */
function chosenRound() {
  const asked = new URLSearchParams(location.search).get("review");
  if (asked) return asked;
  const links = Array.from(document.querySelectorAll("[data-zhibu=review-rounds] a[data-review]"));
  const now = Date.now();
  const open = links.find((a) => Date.parse(a.dataset.opens) <= now && now < Date.parse(a.dataset.closes));
  const started = links.filter((a) => Date.parse(a.dataset.opens) <= now).sort((a, b) => Date.parse(b.dataset.opens) - Date.parse(a.dataset.opens));
  const pick = open || started[0] || links[0];
  return pick ? pick.dataset.review : "";
}

async function start() {
  const status = root.querySelector("[data-status]");
  const id = chosenRound();
  document.querySelectorAll("[data-zhibu=review-rounds] a[data-review]").forEach((a) => a.dataset.review === id && a.setAttribute("aria-current", "page"));
  if (!/^[a-z0-9-]{3,64}$/.test(id)) return say(status, "没有指明是哪一次民主评议。请从评议通知中的链接打开本页。", "error");
  const path = "/api/reviews/" + id;
  let summary;
  let d;
  try {
    [summary, d] = await Promise.all([api("GET", "/api/me"), api("GET", path)]);
  } catch (err) {
    if (err.status === 404) return say(status, "没有这次民主评议（编号 " + id + "）。", "error");
    throw err;
  }
  const r = d.review;
  const heading = root.querySelector("[data-title]");
  heading.replaceChildren(link(r.page, r.title), " ", el("span", "report-state", ROUND_STATE[r.state] || r.state));
  const win = root.querySelector("[data-window]");
  win.replaceChildren("个人自评和书面意见的开放时间：", time(r.opens), " 至 ", time(r.closes));
  win.hidden = false;
  const takesPart = TAKES_PART.has(summary.stage);
  say(status, !takesPart ? "民主评议由正式党员和预备党员参加。您现在是" + (summary.stage_label || "非党员") + "，不参加本次评议。" : r.state === "open" ? "" : r.state === "not_open" ? "评议还没有开始，开始后可以写个人自评。" : "评议已经结束，个人自评不能再修改。");
  if (!takesPart) return;
  selfForm(path, id, r, d.self);
  opinions(path, r, d.opinions_sent);
  outcome(d.outcome);
}

// 个人自评 ------------------------------------------------------------------------------------

function selfForm(path, id, round, initial) {
  const box = document.querySelector("[data-zhibu=review-self]");
  const form = box.querySelector("form");
  const body = form.body;
  const counter = form.querySelector("[data-count]");
  const localNote = form.querySelector("[data-local]");
  const meta = form.querySelector("[data-meta]");
  const badge = box.querySelector("[data-state]");
  const saveButton = form.querySelector("[data-save]");
  const submitButton = form.querySelector("[data-submit]");
  const status = form.querySelector("[data-form-status]");
  const open = round.state === "open";
  let mine = initial;
  let busy = false;

  const key = "zhibu.draft.review." + me.member.id + "." + id;
  const readLocal = () => {
    try {
      return JSON.parse(localStorage.getItem(key) || "null");
    } catch (e) {
      return null;
    }
  };
  const writeLocal = (v) => {
    try {
      localStorage.setItem(key, JSON.stringify(v));
    } catch (e) {
      // No storage: the server's draft is all there is.
    }
  };
  const dropLocal = () => {
    try {
      localStorage.removeItem(key);
    } catch (e) {
      // Nothing kept.
    }
  };

  function count() {
    const n = length(body.value);
    counter.textContent = "已写 " + n + " 字（提交至少 " + MIN + " 字，最多 " + MAX + " 字）";
    counter.classList.toggle("is-error", n > MAX);
  }

  function render() {
    const submitted = mine && mine.status === "submitted";
    badge.textContent = submitted ? "已提交" : "草稿";
    badge.hidden = !mine;
    meta.replaceChildren();
    if (mine) {
      if (submitted) meta.append("提交于 ", time(mine.submitted_at), "；最后修改于 ", time(mine.updated_at));
      else meta.append("草稿，最后保存于 ", time(mine.updated_at));
    }
    meta.hidden = !mine;
    body.readOnly = !open;
    form.classList.toggle("is-readonly", !open);
    saveButton.hidden = submitButton.hidden = !open;
    saveButton.textContent = submitted ? "保存修改" : "保存草稿";
    submitButton.hidden = !open || submitted;
    saveButton.disabled = submitButton.disabled = busy;
    count();
  }

  const local = readLocal();
  if (open && local && !local.synced && local.body.trim() !== (mine ? mine.body : "")) {
    body.value = local.body;
    localNote.textContent = "已恢复本机保存的内容（" + moment(local.at) + "），还没有保存到服务器。请点“" + (mine && mine.status === "submitted" ? "保存修改" : "保存草稿") + "”或“提交”。";
    localNote.hidden = false;
  } else body.value = mine ? mine.body : "";
  render();
  box.hidden = false;

  body.addEventListener("input", () => {
    if (!open) return;
    writeLocal({ body: body.value, at: new Date().toISOString(), synced: false });
    count();
  });

  function took(s) {
    mine = s;
    if (s.status === "submitted") dropLocal();
    else writeLocal({ body: s.body, at: s.updated_at, synced: true });
    localNote.hidden = true;
    body.value = s.body;
    render();
  }

  async function save(submitting) {
    const n = length(body.value);
    const submitted = mine && mine.status === "submitted";
    if ((submitting || submitted) && n < MIN) {
      say(status, "个人自评至少 " + MIN + " 字，现在是 " + n + " 字。", "error");
      return body.focus();
    }
    if (n > MAX) {
      say(status, "最多 " + MAX + " 字，现在是 " + n + " 字，请删减。", "error");
      return body.focus();
    }
    busy = true;
    render();
    say(status, submitting ? "正在提交……" : "正在保存……", "wait");
    try {
      const r = await send({ method: "POST", path: path + "/self", what: submitting ? "个人自评" : "个人自评草稿", json: { body: body.value, submit: submitting } });
      if (r.queued) return say(status, "网络未连接：内容已保存在本机，联网后自动" + (submitting ? "提交" : "保存到服务器") + "，不会重复。", "wait");
      took(r.self);
      say(status, submitting ? "个人自评已提交。评议结束前还可以修改。" : submitted ? "修改已保存（" + moment(r.self.updated_at) + "）。" : "草稿已保存（" + moment(r.self.updated_at) + "）。", "ok");
    } catch (err) {
      say(status, err.message, "error");
      focusField(form, err);
    } finally {
      busy = false;
      render();
    }
  }
  saveButton.addEventListener("click", () => save(false));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (open && !busy) save(true);
  });

  // A save kept offline and sent later (from this page or another).
  window.addEventListener("zhibu:sent", (e) => {
    const { item, data, error } = e.detail;
    if (sentHere(item) || item.path !== path + "/self") return;
    if (error) return say(status, "离线保存的" + item.what + "未能提交：" + error.message, "error");
    if (data && data.self) took(data.self);
  });
}

// 书面意见 ------------------------------------------------------------------------------------

function opinions(path, round, sent) {
  const box = document.querySelector("[data-zhibu=review-opinion]");
  const form = box.querySelector("[data-form]");
  const status = form.querySelector("[data-form-status]");
  const list = box.querySelector("[data-sent]");
  const button = form.querySelector("button[type=submit]");
  const open = round.state === "open";
  let all = sent.slice();

  function render() {
    list.replaceChildren(
      ...all.map((o) => {
        const li = el("li", "file-item opinion");
        li.dataset.about = o.about;
        const head = el("p", "note-meta");
        head.append(el("strong", "note-author", "关于 " + o.about_name + "（" + o.about + "）"), " · ", time(o.at));
        li.append(head, prose(o.body, "note-body"));
        return li;
      }),
    );
    box.querySelector("[data-sent-title]").hidden = !all.length;
  }

  form.hidden = !open;
  render();
  box.hidden = !open && !all.length;

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const about = form.about.value.trim();
    const n = length(form.body.value);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(about)) {
      say(status, "请填写这位党员的成员编号（字母、数字）。", "error");
      return form.about.focus();
    }
    if (about === me.member.id) {
      say(status, "对自己的意见，请写在个人自评中。", "error");
      return form.about.focus();
    }
    if (n < 10 || n > 2000) {
      say(status, n < 10 ? "意见至少 10 个字。" : "意见最多 2000 字，现在是 " + n + " 字。", "error");
      return form.body.focus();
    }
    button.disabled = true;
    say(status, "正在发送……", "wait");
    try {
      const r = await send({ method: "POST", path: path + "/opinions", what: "书面意见", json: { about, body: form.body.value } });
      if (r.queued) return say(status, "网络未连接：意见已保存在本机，联网后自动发送，不会重复。", "wait");
      all = [r.opinion].concat(all);
      render();
      form.reset();
      say(status, "已把关于 " + r.opinion.about_name + "（" + r.opinion.about + "）的意见发送给支部，只有支部书记和指导员能看到。", "ok");
    } catch (err) {
      say(status, err.message, "error");
      focusField(form, err);
    } finally {
      button.disabled = false;
    }
  });

  window.addEventListener("zhibu:sent", (e) => {
    const { item, data } = e.detail;
    if (!sentHere(item) && item.path === path + "/opinions" && data && data.opinion) {
      all = [data.opinion].concat(all);
      render();
    }
  });
}

// 评定结果 ------------------------------------------------------------------------------------

function outcome(o) {
  const box = document.querySelector("[data-zhibu=review-outcome]");
  const slot = box.querySelector("[data-outcome]");
  if (!o) slot.replaceChildren(el("p", "empty", "支部党员大会以后，支部委员会评定的等次和反馈意见会登记在这里，只有您本人能看到。"));
  else {
    const grade = el("p", "review-grade");
    grade.append("评定等次：", el("strong", "", o.grade_label), "（登记于 ", time(o.at), "）");
    slot.replaceChildren(grade);
    if (o.feedback) slot.append(el("h3", "notes-title", "支部委员会的反馈意见"), prose(o.feedback, "note-body review-feedback"));
  }
  box.hidden = false;
}
