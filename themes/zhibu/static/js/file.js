// The member's file (我的: the joining record, thought reports, talks): what its pages and the
// secretary's pages share — elements built from text (whatever a member wrote is always put in
// the page as text, never as HTML), quarters and dates in Beijing time, the joining timeline, a
// report's text, photographed pages and comments, the record of a talk with the member's own
// note, and submissions sent through the outbox of api.js. Nothing here counts, scores or ranks.

import { submit, newKey, say, when } from "./api.js";

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

/** A link with its text. */
export function link(href, text, cls) {
  const a = el("a", cls, text);
  a.href = href;
  return a;
}

/** The paths of the member's file pages, from the `data-href-*` the template wrote on the
 *  element marked data-zhibu="file-links": me, report, talk, reading, print, dues, review, login,
 *  adminReports. */
export function pages() {
  const box = document.querySelector("[data-zhibu=file-links]");
  const out = {};
  if (!box) return out;
  Object.keys(box.dataset).forEach((k) => {
    const name = k.match(/^href([A-Z].*)$/);
    if (name) out[name[1][0].toLowerCase() + name[1].slice(1)] = new URL(box.dataset[k], location.href).pathname;
  });
  return out;
}

/** `base` with the query `q` ({member, quarter}; empty values left out). */
export function withQuery(base, q) {
  const url = new URL(base, location.href);
  Object.keys(q).forEach((k) => q[k] && url.searchParams.set(k, q[k]));
  return url.pathname + url.search;
}

const beijing = (ms) => new Date(ms + 8 * 36e5);
const QUARTER_NAMES = ["一", "二", "三", "四"];

/** This quarter in Beijing time, `2026Q4`. */
export function currentQuarter() {
  const d = beijing(Date.now());
  return d.getUTCFullYear() + "Q" + (Math.floor(d.getUTCMonth() / 3) + 1);
}

export function isQuarter(q) {
  return typeof q === "string" && /^20\d\dQ[1-4]$/.test(q);
}

/** `2026Q4` → `2026年第四季度` (as the API labels it). */
export function quarterLabel(q) {
  return q.slice(0, 4) + "年第" + QUARTER_NAMES[+q.slice(5) - 1] + "季度";
}

export function previousQuarter(q) {
  const y = +q.slice(0, 4);
  const n = +q.slice(5);
  return n === 1 ? y - 1 + "Q4" : y + "Q" + (n - 1);
}

/** This quarter and the `n - 1` before it, newest first. */
export function recentQuarters(n) {
  const out = [currentQuarter()];
  while (out.length < n) out.push(previousQuarter(out[out.length - 1]));
  return out;
}

/** Today in Beijing time, `2026-11-30` (what a date input takes). */
export function today() {
  return beijing(Date.now()).toISOString().slice(0, 10);
}

/** `2026-10-10` → `2026年10月10日`. */
export function day(date) {
  const p = String(date).slice(0, 10).split("-");
  return +p[0] + "年" + +p[1] + "月" + +p[2] + "日";
}

/** A moment in Beijing time with its year, `2026年11月26日 08:05`. */
export function moment(iso) {
  return beijing(Date.parse(iso)).getUTCFullYear() + "年" + when(iso);
}

/** A <time> of a moment or a date. */
export function time(value, dateOnly) {
  const t = el("time", "", dateOnly ? day(value) : moment(value));
  t.dateTime = value;
  return t;
}

/** Characters as the API counts them: Unicode scalar values after trimming. */
export const length = (text) => Array.from(String(text).trim()).length;

/** A paragraph of plain text, its line breaks kept. */
export function prose(text, cls) {
  return el("p", "plain " + (cls || ""), text);
}

/** Moves the focus to the field an API refusal names, when the form has it. */
export function focusField(form, err) {
  const input = err && err.field && form && form.elements[err.field];
  if (input && input.focus) input.focus();
}

// The keys of submissions a form of this page is waiting for: their answers are the form's to
// show; a page's "zhibu:sent" listener handles the others (kept offline and sent later).
const waitedFor = new Set();

/** Whether a sent item's answer goes to the form that sent it (see `send`). */
export const sentHere = (item) => waitedFor.has(item.key);

/** Sends a submission through the outbox (kept on the phone first, sent with its own
 *  Idempotency-Key, resent when the connection returns): the answer's data, or {queued: true}
 *  when it waits for the network. Rejects with the ApiError of a refusal. */
export async function send(item, onProgress) {
  const key = newKey();
  waitedFor.add(key);
  try {
    const r = await submit(Object.assign({ key }, item), onProgress);
    return r.queued ? { queued: true, key } : r.data;
  } finally {
    waitedFor.delete(key);
  }
}

// The joining record (发展党员纪实) -----------------------------------------------------------

/** The road as a timeline: the 19 milestones grouped by the 5 stages, those done with their
 *  date and note, the next one marked with what it needs. */
export function timeline(road) {
  const ol = el("ol", "road");
  let group = null;
  road.steps.forEach((s) => {
    if (!group || group.dataset.stage !== s.stage) {
      const li = el("li", "road-stage");
      li.dataset.stage = s.stage;
      const head = el("h3", "road-stage-title", s.stage_label);
      if (road.stage === s.stage) {
        head.append(" ", el("span", "road-here", "当前阶段"));
        li.classList.add("is-current");
      }
      group = el("ol", "road-steps");
      group.dataset.stage = s.stage;
      li.append(head, group);
      ol.append(li);
    }
    const next = road.next && road.next.milestone === s.milestone;
    const item = el("li", "road-step" + (s.date ? " is-done" : "") + (next ? " is-next" : ""));
    item.dataset.milestone = s.milestone;
    const line = el("p", "road-line");
    line.append(el("span", "road-label", s.label));
    if (s.date) line.append(" ", time(s.date, true));
    else if (next) line.append(" ", el("span", "road-next", "下一步"));
    item.append(line);
    if (next) {
      item.setAttribute("aria-current", "step");
      item.append(el("p", "road-needs", "需要：" + s.needs));
    }
    if (s.note) item.append(el("p", "road-note", s.note));
    group.append(item);
  });
  return ol;
}

/** One line of facts about a person's road: stage, contacts, probation. */
export function roadFacts(road) {
  const p = el("p", "road-facts");
  const parts = [];
  if (road.stage_label) parts.push("阶段：" + road.stage_label);
  if (road.contacts && road.contacts.length) parts.push("培养联系人：" + road.contacts.map((c) => c.name).join("、"));
  if (road.probation_ends) parts.push("预备期满：" + day(road.probation_ends));
  if (road.mobile) parts.push("持流动党员活动证");
  p.textContent = parts.join(" · ");
  return p;
}

// Thought reports (思想汇报) ----------------------------------------------------------------

export const REPORT_MIN = 200;
export const REPORT_MAX = 10000;
export const REPORT_PAGES = 8;

/** Where a report stands, in words. */
export function reportState(r) {
  if (!r) return "未写";
  if (r.status === "draft") return "草稿";
  return r.read_by ? "已阅" : "已提交";
}

/** The facts of a report: submitted when, read by whom and when. */
export function reportMeta(r) {
  const p = el("p", "report-meta");
  if (r.status === "draft") {
    p.append("草稿，最后保存于 ", time(r.updated_at));
    return p;
  }
  p.append("提交于 ", time(r.submitted_at));
  if (r.read_by) p.append("；" + r.read_by + " 已阅（", time(r.read_at), "）");
  else p.append("；尚未阅读");
  return p;
}

/** A report's typed text and its photographed pages (thumbnails linking to the full photo, or
 *  the full photos themselves with `full`). */
export function reportContent(r, opts) {
  const box = el("div", "report-content");
  if (r.body) box.append(prose(r.body, "report-body"));
  if (r.pages && r.pages.length) {
    const ol = el("ol", "report-pages");
    r.pages.forEach((p) => {
      const li = el("li", "report-page");
      li.dataset.page = p.number;
      const fig = el("figure");
      const img = el("img");
      img.src = opts && opts.full ? p.url : p.thumb_url;
      img.alt = r.author + " " + r.quarter_label + "思想汇报手写稿第 " + p.number + " 页";
      img.width = p.width;
      img.height = p.height;
      const caption = el("figcaption", "", "第 " + p.number + " 页");
      if (!(opts && opts.full)) {
        const a = link(p.url, "查看原图");
        a.target = "_blank";
        a.rel = "noopener";
        caption.append(" · ", a);
      }
      fig.append(img, caption);
      li.append(fig);
      if (opts && opts.remove) li.append(opts.remove(p));
      ol.append(li);
    });
    box.append(ol);
  }
  if (!r.body && !(r.pages && r.pages.length)) box.append(el("p", "empty", "还没有正文。"));
  return box;
}

/** The comments (批阅意见) with the author's replies; `reply(comment)` may add a form under a
 *  comment not yet answered. */
export function comments(r, reply) {
  const box = el("section", "comments");
  box.append(el("h3", "notes-title", "批阅意见"));
  if (!r.comments.length) {
    box.append(el("p", "empty", r.status === "submitted" ? "还没有意见。" : "提交后，培养联系人和支部的意见会显示在这里。"));
    return box;
  }
  const ol = el("ol", "comment-list");
  r.comments.forEach((c) => {
    const li = el("li", "comment");
    li.dataset.comment = c.number;
    const meta = el("p", "note-meta");
    meta.append(el("strong", "note-author", c.by), " · ", time(c.at));
    li.append(meta, prose(c.body, "note-body"));
    if (c.reply) {
      const answer = el("div", "comment-reply");
      const m = el("p", "note-meta");
      m.append(el("strong", "note-author", r.author + " 的回复"), " · ", time(c.reply.at));
      answer.append(m, prose(c.reply.body, "note-body"));
      li.append(answer);
    } else if (reply) {
      const form = reply(c);
      if (form) li.append(form);
    }
    ol.append(li);
  });
  box.append(ol);
  return box;
}

/** A one-field form (a textarea and a button) for a comment, a reply or a note: `onSend(text,
 *  status)` sends it. */
export function textForm(opts) {
  const form = el("form", "form text-form");
  form.noValidate = true;
  const id = opts.id;
  const label = el("label", "field", opts.label);
  label.htmlFor = id;
  if (opts.hint) label.append(el("span", "field-hint", opts.hint));
  const text = el("textarea");
  text.id = id;
  text.name = "body";
  text.rows = opts.rows || 3;
  text.maxLength = opts.max;
  if (opts.value) text.value = opts.value;
  const actions = el("div", "form-actions");
  const button = el("button", "button", opts.button);
  button.type = "submit";
  actions.append(button);
  const status = el("p", "form-status");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  form.append(label, text, actions, status);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const n = length(text.value);
    if (n < 1 || n > opts.max) {
      say(status, n < 1 ? "请先填写内容。" : "最多 " + opts.max + " 字，现在是 " + n + " 字。", "error");
      return text.focus();
    }
    button.disabled = true;
    say(status, "正在提交……", "wait");
    try {
      await opts.onSend(text.value, status);
    } catch (err) {
      say(status, err.message, "error");
      text.focus();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

// Talks (谈心谈话) ----------------------------------------------------------------------------

export const REQUEST_STATE = { open: "等待安排", held: "已谈话", closed: "已关闭" };

/** The record of one talk: when, how, who recorded it, topic, summary, follow-ups and the
 *  member's own note; `note(talk)` may add the member's note form. */
export function talkItem(t, note) {
  const li = el("li", "talk");
  li.dataset.talk = t.id;
  const head = el("p", "talk-head");
  head.append(time(t.held_on, true), " · " + t.mode_label + " · " + t.name);
  const facts = el("dl", "talk-facts");
  const add = (term, value) => {
    if (!value) return;
    facts.append(el("dt", "", term));
    const dd = el("dd");
    dd.append(prose(value));
    facts.append(dd);
  };
  add("谈话主题", t.topic);
  add("谈话摘要", t.summary);
  add("后续事项", t.follow_ups);
  add("记录人", t.recorded_by);
  li.append(head, facts);
  if (t.member_note) {
    const mine = el("div", "talk-note");
    const m = el("p", "note-meta");
    m.append(el("strong", "note-author", "本人补充"), " · ", time(t.member_note.at));
    mine.append(m, prose(t.member_note.body, "note-body"));
    li.append(mine);
  }
  if (note) li.append(note(t));
  return li;
}

/** A talk request as a line of facts. */
export function requestItem(r, actions) {
  const li = el("li", "talk-request");
  li.dataset.request = r.id;
  const head = el("p", "talk-head");
  head.append(time(r.at), " · " + r.mode_label + " · ", el("span", "request-state", REQUEST_STATE[r.status] || r.status));
  li.append(head);
  if (r.topic) li.append(el("p", "", "想谈的内容：" + r.topic));
  if (r.preferred) li.append(el("p", "", "方便的时间：" + r.preferred));
  if (actions) li.append(actions);
  return li;
}

/** The member's note form under one of their talks: POST /api/talks/{id}/note through the
 *  outbox; `done(talk)` gets the record back. */
export function talkNoteForm(t, done) {
  return textForm({
    id: "talk-note-" + t.id,
    label: t.member_note ? "修改我的补充" : "我的补充",
    hint: "可选，1000 字以内，只有您本人和支部书记、支委能看到",
    button: t.member_note ? "保存修改" : "保存补充",
    max: 1000,
    rows: 2,
    onSend: async (text, status) => {
      const r = await send({ method: "POST", path: "/api/talks/" + encodeURIComponent(t.id) + "/note", what: "谈话补充", json: { body: text } });
      if (r.queued) return say(status, "网络未连接：补充已保存在本机，联网后自动提交。", "wait");
      done(r.talk);
    },
  });
}
