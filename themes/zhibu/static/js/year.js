// The rest of the branch's year (党费, 民主评议, 实习单位证明, 意见建议): what the member's pages
// (dues.js, review.js, host.js, suggest.js) and the secretary's (admin-dues.js, admin-review.js,
// admin-host.js, admin-suggestions.js, admin-confirm.js) share — months and amounts, a dues
// payment, a host unit's note and a suggestion as lines of facts, and the thumbnails of their
// photos. Whatever a member wrote is put in the page as text. Amounts are integers in fen on the
// wire; a member types yuan. Nothing here counts, scores or ranks.

import { el, link, time, prose, today } from "./file.js";
import { api, say, newKey } from "./api.js";

/** This month in Beijing time, `2026-11`. */
export const thisMonth = () => today().slice(0, 7);

/** `2026-10` → `2026年10月`. */
export const monthLabel = (m) => +m.slice(0, 4) + "年" + +m.slice(5, 7) + "月";

/** `2026-10` → `10月`. */
export const monthShort = (m) => +m.slice(5, 7) + "月";

/** The twelve months of a year, `2026-01` … `2026-12`. */
export function monthsOf(year) {
  const out = [];
  for (let m = 1; m <= 12; m++) out.push(year + "-" + String(m).padStart(2, "0"));
  return out;
}

/** Months as people write them: `2026年1月、2月、3月、2027年1月`. */
export function monthList(months) {
  let year = "";
  return months
    .slice()
    .sort()
    .map((m) => {
      const same = m.slice(0, 4) === year;
      year = m.slice(0, 4);
      return same ? monthShort(m) : monthLabel(m);
    })
    .join("、");
}

/** 60 → `0.60` (yuan). */
export const yuan = (fen) => Math.floor(fen / 100) + "." + String(fen % 100).padStart(2, "0");

/** What a member typed in yuan (`0.6`, `1`, `12.50`, `１２元`) as whole fen, or null when it is not
 *  an amount (nor zero, unless `zero`). Read as text, never as a float. */
export function toFen(text, zero) {
  const t = String(text)
    .replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s|元/g, "");
  const m = t.match(/^(\d{1,6})(?:\.(\d{0,2}))?$/);
  if (!m) return null;
  const fen = +m[1] * 100 + +(m[2] || "").padEnd(2, "0");
  return fen > 0 || (zero && fen === 0) ? fen : null;
}

/** Photos as thumbnails, each linking to the full photo; `alt(i)` describes the i-th (from 1). */
export function thumbs(photos, alt) {
  const ol = el("ol", "report-pages year-thumbs");
  photos.forEach((p, i) => {
    const li = el("li", "report-page");
    const fig = el("figure");
    const img = el("img");
    img.src = p.thumb_url;
    img.alt = alt(i + 1);
    const a = link(p.url, "查看原图");
    a.target = "_blank";
    a.rel = "noopener";
    const caption = el("figcaption");
    caption.append(a);
    fig.append(img, caption);
    li.append(fig);
    ol.append(li);
  });
  return ol;
}

/** A status in a neutral outline (`report-state`), its code as data-status. */
export function state(code, label) {
  const s = el("span", "report-state", label);
  s.dataset.status = code;
  return s;
}

/** A line `label：text` of a record's facts, or nothing when there is no text. */
function fact(label, text, cls) {
  if (!text) return null;
  return el("p", cls || "", label + "：" + text);
}

/** One dues payment: months, amount, how, when, status, the reviewer's reason and the receipt;
 *  `opts.name` puts the member's name first (the admins' page), `opts.actions` adds buttons. */
export function paymentItem(p, opts) {
  const o = opts || {};
  const li = el("li", "file-item payment");
  li.dataset.payment = p.id;
  li.dataset.status = p.status;
  const head = el("p", "file-item-head");
  if (o.name) head.append(el("strong", "note-author", p.name), " · ");
  head.append(monthList(p.months) + " · " + p.amount + " 元 ", state(p.status, p.status_label));
  const meta = el("p", "note-meta");
  meta.append(p.method_label + " · 登记于 ", time(p.at));
  if (p.expected_fen && p.expected_fen !== p.amount_fen) meta.append(" · 按标准应交 " + yuan(p.expected_fen) + " 元");
  li.append(head, meta);
  [fact("备注", p.note), fact("退回原因", p.reason, "note-reason")].forEach((x) => x && li.append(x));
  if (p.receipt) li.append(thumbs([p.receipt], () => (p.name || "") + monthList(p.months) + "党费的收据"));
  const more = o.actions && o.actions(p);
  if (more) li.append(more);
  return li;
}

/** One host unit's note: the unit, the period, status, reason, photos. */
export function hostItem(n, opts) {
  const o = opts || {};
  const li = el("li", "file-item host-note");
  li.dataset.hostNote = n.id;
  li.dataset.status = n.status;
  const head = el("p", "file-item-head");
  if (o.name) head.append(el("strong", "note-author", n.name), " · ");
  head.append(n.unit + " ", state(n.status, n.status_label));
  const meta = el("p", "note-meta");
  meta.append(period(n) + " · 上传于 ", time(n.at));
  li.append(head, meta);
  [fact("说明", n.note), fact("退回原因", n.reason, "note-reason")].forEach((x) => x && li.append(x));
  li.append(thumbs(n.pages, (i) => (n.name || "") + "实习单位证明第 " + i + " 张"));
  const more = o.actions && o.actions(n);
  if (more) li.append(more);
  return li;
}

/** A note's period: `2026年9月至2026年12月`, or the one month. */
export const period = (n) => (n.from === n.to ? monthLabel(n.from) : monthLabel(n.from) + "至" + monthLabel(n.to));

/** One suggestion with the branch's answer (or that it waits for one). */
export function suggestionItem(s, opts) {
  const o = opts || {};
  const li = el("li", "file-item suggestion");
  li.dataset.suggestion = s.id;
  li.dataset.answered = s.answer ? "yes" : "no";
  const head = el("p", "note-meta");
  if (o.name) head.append(el("strong", "note-author", s.name + "（" + s.member_id + "）"), " · ");
  head.append(s.topic_label + " · ", time(s.at), " ", state(s.answer ? "answered" : "waiting", s.answer ? "已答复" : "等待答复"));
  li.append(head, prose(s.body, "note-body"));
  if (s.answer) {
    const a = el("div", "comment-reply suggestion-answer");
    const m = el("p", "note-meta");
    m.append(el("strong", "note-author", "支部答复"), " · " + s.answer.by + " · ", time(s.answer.at));
    a.append(m, prose(s.answer.body, "note-body"));
    li.append(a);
  }
  const more = o.actions && o.actions(s);
  if (more) li.append(more);
  return li;
}

/** A button of a list item (type=button, small). */
export function smallButton(text, quiet) {
  const b = el("button", "button button-small" + (quiet ? " button-quiet" : ""), text);
  b.type = "button";
  return b;
}

/**
 * An admin's decision on one waiting record (a dues payment, a host unit's note): accept it, or
 * send it back with a reason the member reads (required then). `ok` is the accepting button's
 * text and decision (`["确认", "confirm"]`); `what` names the record for screen readers; the
 * decision is POSTed to `path` as `{decision, reason}` with an Idempotency-Key kept across
 * retries; then `refresh()` runs and `done(decision)` says what happened in `status`.
 */
export function decisionForm({ id, ok: [okText, okDecision], what, path, refresh, done, status }) {
  const wrap = el("div", "review-decide form");
  const label = el("label", "field", "退回原因 ");
  label.htmlFor = id;
  label.append(el("span", "field-hint", "退回时必填，本人会看到"));
  const reason = el("textarea");
  reason.id = id;
  reason.rows = 2;
  reason.maxLength = 200;
  const actions = el("div", "form-actions");
  const accept = smallButton(okText);
  const reject = smallButton("退回", true);
  accept.setAttribute("aria-label", okText + what);
  reject.setAttribute("aria-label", "退回" + what);
  actions.append(accept, reject);
  const line = el("p", "form-status");
  line.setAttribute("role", "status");
  wrap.append(label, reason, actions, line);
  let key = newKey();
  async function send(decision) {
    const text = reason.value.trim();
    if (decision === "reject" && !text) {
      say(line, "退回时请写明原因，本人会看到。", "error");
      return reason.focus();
    }
    accept.disabled = reject.disabled = true;
    say(line, "正在提交……", "wait");
    try {
      const json = text ? { decision, reason: text } : { decision };
      await api("POST", path, { json, key });
      await refresh();
      say(status, done(decision), "ok");
    } catch (err) {
      if (err.status) key = newKey();
      accept.disabled = reject.disabled = false;
      say(line, err.message, "error");
      if (err.code === "reviewed") await refresh().catch(() => {});
    }
  }
  accept.addEventListener("click", () => send(okDecision));
  reject.addEventListener("click", () => send("reject"));
  return wrap;
}
