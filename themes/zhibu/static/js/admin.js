// The secretary's pages under /admin/ (templates/admin.html and the admin_* shortcodes): the
// moderation queue, attendance per event, a campaign's progress as a heatmap, quiz results
// and their reveal, the roster with last activity and the audit log, all from the admin
// endpoints; the member's-file pages (thought reports, the joining record, talks) and the rest of
// the year's (dues, the democratic review, host units' notes, suggestions, attendance confirmed
// without a sign-in) are modules of their own (admin-reports.js, admin-joining.js,
// admin-talks.js, admin-dues.js, admin-review.js, admin-host.js, admin-suggestions.js,
// admin-confirm.js), loaded where their panel is.
// A visitor is sent to log in and back; a member who may not use a page sees a plain refusal
// (the API answers them 403 anyway): admins use every page, committee members (支委) the
// reviewers' pages. Everything members wrote is put in the page as text, never as HTML. No
// points, no rankings: people are listed in roster order.

import { api, toLogin, newKey, say, when } from "./api.js";
import { el, me, refuse, failed, row, fill, full, rosterOnce, remember } from "./admin-kit.js";

const LETTERS = "ABCDEFGH";
const ACTIONS = {
  "note.approve": "通过心得",
  "note.reject": "退回心得",
  "quiz.reveal": "公布测一测结果",
  "members.import": "导入名册",
  "member.reset_code": "重置访问码",
  "member.export": "导出个人数据",
  "member.remove": "移出名册",
  "member.erase": "删除成员及全部数据",
  "data.purge_locations": "删除过期位置",
  "notes.publish": "发布心得到网站",
  "report.view": "阅读思想汇报",
  "report.view_series": "阅读全部思想汇报",
  "report.read": "思想汇报标为已阅",
  "report.comment": "批阅思想汇报",
  "joining.record": "登记发展纪实",
  "joining.remove": "删除发展纪实节点",
  "talk.record": "记录谈心谈话",
  "talk.close_request": "关闭谈话申请",
  "dues.rate": "设定党费金额",
  "dues.notify": "发送党费提醒（只含人数）",
  "dues.record": "登记党费",
  "dues.confirm": "确认党费",
  "dues.reject": "退回党费登记",
  "host_note.accept": "接收实习单位证明",
  "host_note.reject": "退回实习单位证明",
  "attendance.confirm": "确认参加活动",
  "review.outcome": "登记民主评议结果",
  "suggestion.answer": "答复意见建议",
};
const PANELS = {
  "admin-moderation": moderation,
  "admin-attendance": attendance,
  "admin-campaign": campaign,
  "admin-quiz": quiz,
  "admin-members": members,
  "admin-audit": audit,
  "admin-reports": (box) => import("./admin-reports.js").then((m) => m.reports(box)),
  "admin-joining": (box) => import("./admin-joining.js").then((m) => m.joining(box)),
  "admin-talks": (box) => import("./admin-talks.js").then((m) => m.talks(box)),
  "admin-dues": (box) => import("./admin-dues.js").then((m) => m.dues(box)),
  "admin-review": (box) => import("./admin-review.js").then((m) => m.review(box)),
  "admin-host": (box) => import("./admin-host.js").then((m) => m.host(box)),
  "admin-suggestions": (box) => import("./admin-suggestions.js").then((m) => m.suggestions(box)),
};
/** The panels a committee member (支委) may use too. */
const FOR_REVIEWERS = new Set(["admin-reports", "admin-joining", "admin-talks"]);

/** The campaign day of today in Beijing time (1 on the start date). */
function dayOf(starts) {
  const bj = new Date(Date.now() + 8 * 36e5);
  const p = starts.split("-");
  return Math.floor((Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth(), bj.getUTCDate()) - Date.UTC(+p[0], p[1] - 1, +p[2])) / 864e5) + 1;
}

/** `text` as a paragraph in which every flagged word is wrapped in <mark>. Matching is the
 *  server's: ASCII case and spaces ignored. Built from text nodes only. */
function marked(text, words) {
  const p = el("p", "note-body");
  const escape = (c) => c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const patterns = (words || [])
    .map((w) => Array.from(String(w).replace(/\s+/g, "")).map(escape).join("\\s*"))
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
  if (!patterns.length) {
    p.textContent = text;
    return p;
  }
  text.split(new RegExp("(" + patterns.join("|") + ")", "iu")).forEach((part, i) => {
    if (part) p.append(i % 2 ? el("mark", "", part) : document.createTextNode(part));
  });
  return p;
}

// 审核心得 -------------------------------------------------------------------------------

async function moderation(box) {
  const status = box.querySelector(".form-status");
  const list = box.querySelector(".review-list");
  const empty = box.querySelector("[data-empty]");
  const count = box.querySelector("[data-count]");
  const { notes } = await api("GET", "/api/notes?status=pending");
  const recount = () => {
    const n = list.children.length;
    count.textContent = n + " 条";
    count.hidden = !n;
    empty.hidden = n > 0;
  };
  list.replaceChildren(...notes.map((n) => reviewItem(n, status, recount)));
  say(status, "");
  recount();
}

function reviewItem(note, top, recount) {
  const li = el("li", "review form");
  li.dataset.note = note.id;
  const meta = el("p", "note-meta");
  const page = el("a", "", note.page);
  page.href = note.page;
  meta.append(el("strong", "note-author", note.author || note.member_id), "（" + note.member_id + "） · " + when(note.at) + " · ", page);
  li.append(meta);
  if (note.flagged_words && note.flagged_words.length) {
    const flags = el("p", "review-flags", "含敏感词表中的词：");
    note.flagged_words.forEach((w, i) => flags.append(i ? "、" : "", el("mark", "", w)));
    li.append(flags);
  }
  li.append(marked(note.body, note.flagged_words));
  const id = "reason-" + note.id;
  const label = el("label", "field", "审核意见 ");
  label.htmlFor = id;
  label.append(el("span", "field-hint", "退回时必填，作者会看到"));
  const reason = el("textarea");
  reason.id = id;
  reason.rows = 2;
  reason.maxLength = 500;
  const actions = el("div", "form-actions");
  const approve = el("button", "button", "通过");
  const reject = el("button", "button button-quiet", "退回");
  approve.type = reject.type = "button";
  actions.append(approve, reject);
  const status = el("p", "form-status");
  status.setAttribute("role", "status");
  li.append(label, reason, actions, status);

  // One key per decision: a retry after a lost answer is recorded once; after a refusal the
  // next attempt is a new request.
  let key = newKey();
  async function decide(decision) {
    const text = reason.value.trim();
    if (decision === "reject" && !text) {
      say(status, "退回时请写明理由，作者会看到。", "error");
      return reason.focus();
    }
    approve.disabled = reject.disabled = true;
    say(status, "正在提交……", "wait");
    try {
      const json = text ? { decision, reason: text } : { decision };
      await api("POST", "/api/notes/" + encodeURIComponent(note.id) + "/review", { json, key });
      li.remove();
      recount();
      const who = note.author || note.member_id;
      say(top, decision === "approve" ? "已通过" + who + "的心得，将以实名显示在页面上。" : "已退回" + who + "的心得，理由会告知作者。", "ok");
    } catch (err) {
      if (err.status === 403) return refuse();
      if (err.status) key = newKey();
      approve.disabled = reject.disabled = false;
      say(status, err.message, "error");
    }
  }
  approve.addEventListener("click", () => decide("approve"));
  reject.addEventListener("click", () => decide("reject"));
  return li;
}

// 活动签到 -------------------------------------------------------------------------------

async function attendance(box) {
  const select = box.querySelector("select");
  const status = box.querySelector(".form-status");
  const result = box.querySelector("[data-result]");
  const { events } = await api("GET", "/api/events");
  if (!events.length) {
    select.replaceChildren(el("option", "", "没有活动"));
    return say(status, "目前没有需要签到的活动。活动页面开放签到后，会出现在这里。");
  }
  const opens = (iso) => when(iso).split(" ")[0];
  select.replaceChildren(
    ...events.map((e) => {
      const o = el("option", "", e.title + "（" + opens(e.opens) + (e.onsite ? "，现场" : "，线上") + "，" + e.signed_in + " 人签到）");
      o.value = e.id;
      return o;
    }),
  );
  // The event asked for, else the latest that has opened.
  const asked = new URLSearchParams(location.search).get("event");
  const started = events.find((e) => Date.parse(e.opens) <= Date.now());
  select.value = events.some((e) => e.id === asked) ? asked : (started || events[0]).id;
  select.disabled = false;

  async function show() {
    const event = events.find((e) => e.id === select.value);
    // The address keeps the choice at once, before the answer (a reload or a shared link
    // shows the same event, even while it is still being read).
    remember("event", event.id);
    say(status, "正在读取……", "wait");
    const [d, people] = await Promise.all([api("GET", "/api/events/" + encodeURIComponent(event.id) + "/signins"), rosterOnce()]);
    const name = (id) => (people.find((m) => m.id === id) || { name: id }).name;
    const tbody = box.querySelector("[data-signins]");
    tbody.replaceChildren();
    fill(
      tbody,
      d.signins.map((s) => {
        const loc = s.location;
        const inside = !event.onsite ? "—" : !loc ? "未提供位置" : loc.within_geofence === true ? "是" : loc.within_geofence === false ? "否" : "—";
        const far = s.distance_m == null ? "—" : "约 " + s.distance_m + " 米";
        return row([s.name || name(s.member_id), when(s.at), inside, far]);
      }),
    );
    if (!d.signins.length) {
      const none = el("td", "", "还没有人签到");
      none.colSpan = 4;
      tbody.append(row([none]));
    }
    box.querySelector("[data-signed]").textContent = "（" + d.signins.length + " 人）";
    const confirmed = box.querySelector("[data-confirmed]");
    confirmed.replaceChildren();
    fill(
      confirmed,
      d.confirmed.map((c) => {
        const tr = row([c.name, c.basis_label, c.note || "—", c.by + "，" + when(c.at)]);
        tr.dataset.member = c.member_id;
        tr.dataset.basis = c.basis;
        return tr;
      }),
    );
    box.querySelector("[data-confirmed-table]").hidden = !d.confirmed.length;
    box.querySelector("[data-confirmed-count]").textContent = "（" + d.confirmed.length + " 人）";
    box.querySelector("[data-absent-count]").textContent = "（" + d.absent.length + " 人）";
    box.querySelector("[data-absent]").replaceChildren(...d.absent.map((id) => el("li", "", name(id))));
    result.hidden = false;
    const form = await import("./admin-confirm.js");
    form.confirmations(box, event, d.absent.map((id) => ({ id, name: name(id) })), () => show().catch((err) => failed(box, err)));
    say(status, event.onsite ? "现场活动：签到时须在活动地点附近。" : "线上活动：位置自愿提供，不影响签到。");
  }
  select.addEventListener("change", () => show().catch((err) => failed(box, err)));
  await show();
}

// 手抄党章进度 -----------------------------------------------------------------------------

async function campaign(box) {
  const select = box.querySelector("select");
  const status = box.querySelector(".form-status");
  const map = box.querySelector(".heatmap");
  if (!select) return;

  async function show() {
    const option = select.selectedOptions[0];
    const today = dayOf(option.dataset.starts);
    say(status, "正在读取……", "wait");
    const d = await api("GET", "/api/campaigns/" + encodeURIComponent(select.value) + "/progress");
    map.replaceChildren(...d.members.map((m) => heatRow(m, d.days, today)));
    const where = today < 1 ? "活动还没有开始。" : today > d.days ? "活动已经结束。" : "今天是第 " + today + " 天（北京时间）。";
    say(status, where + "共 " + d.members.length + " 位成员，按名册顺序排列；点“查看每天”才显示这位成员每天的情况。");
  }
  select.addEventListener("change", () => show().catch((err) => failed(box, err)));
  await show();
}

/** One member: the days done, and — only when the secretary opens them — the member's days. */
function heatRow(m, days, today) {
  const li = el("li", "heat-row");
  li.dataset.member = m.member_id;
  const head = el("p", "heat-name");
  const toggle = el("button", "heat-toggle", "查看每天");
  toggle.type = "button";
  toggle.setAttribute("aria-expanded", "false");
  head.append(el("strong", "", m.name), el("span", "", "已完成 " + m.days_done + " / " + days + " 天"), toggle);
  const cells = el("div", "heat-cells");
  cells.hidden = true;
  cells.setAttribute("role", "group");
  cells.setAttribute("aria-label", m.name + "：已完成 " + m.days_done + " / " + days + " 天");
  const done = new Set(m.days);
  const photo = el("figure", "heat-photo");
  photo.hidden = true;
  for (let n = 1; n <= days; n++) {
    const cell = el(done.has(n) ? "button" : "span", "heat-cell", String(n));
    cell.dataset.day = n;
    cell.classList.add(done.has(n) ? "is-done" : n < today ? "is-missed" : "is-future");
    if (n === today) cell.classList.add("is-today");
    cell.title = "第 " + n + " 天" + (done.has(n) ? "：已上传，点击查看照片" : n < today ? "：未上传" : n === today ? "：今天" : "");
    if (done.has(n)) {
      cell.type = "button";
      cell.setAttribute("aria-label", m.name + " 第 " + n + " 天的照片");
      cell.addEventListener("click", () => showPhoto(m, n, cell, photo));
    }
    cells.append(cell);
  }
  toggle.addEventListener("click", () => {
    const open = cells.hidden;
    cells.hidden = !open;
    if (!open) photo.hidden = true;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "收起" : "查看每天";
  });
  li.append(head, cells, photo);
  return li;
}

function showPhoto(m, day, cell, photo) {
  const copy = (m.copies || []).find((c) => c.day === day);
  const open = cell.classList.contains("is-open");
  cell.parentNode.querySelectorAll(".is-open").forEach((c) => c.classList.remove("is-open"));
  if (open || !copy) {
    photo.hidden = true;
    return;
  }
  cell.classList.add("is-open");
  const img = el("img");
  img.src = copy.thumb_url;
  img.alt = m.name + " 第 " + day + " 天的手抄页";
  const link = el("a", "", "查看原图");
  link.href = copy.url;
  link.target = "_blank";
  link.rel = "noopener";
  const caption = el("figcaption", "", m.name + " · 第 " + day + " 天 · ");
  caption.append(link);
  photo.replaceChildren(img, caption);
  photo.hidden = false;
}

// 测一测结果 -----------------------------------------------------------------------------

async function quiz(box) {
  const select = box.querySelector("select");
  const status = box.querySelector(".form-status");
  const results = box.querySelector("[data-results]");
  const reveal = box.querySelector("[data-reveal]");
  const badge = box.querySelector("[data-state]");
  if (!select) return;
  const path = () => "/api/quizzes/" + encodeURIComponent(select.value);

  function render(d) {
    const q = d.quiz;
    badge.textContent = q.revealed ? "已公布" : q.state === "closed" ? "已结束" : q.state === "open" ? "进行中" : "未开始";
    badge.className = q.revealed || q.state === "closed" ? "badge" : "badge badge-gold";
    badge.hidden = false;
    const r = d.results;
    const times = "作答时间 " + when(q.opens) + " 至 " + when(q.closes) + "。";
    if (!r) say(status, times + "还看不到结果。");
    else if (q.revealed || q.state === "closed") say(status, times + "共 " + r.respondents + " 人作答，所有人都能看到分布和答案。", "ok");
    else say(status, times + "目前共 " + r.respondents + " 人作答（仅管理员可见）。");
    reveal.hidden = !(q.state === "open" && !q.revealed);
    reveal.disabled = false;
    results.replaceChildren(...(r ? r.questions : []).map((res, i) => question(res, i, r.respondents)));
  }

  function question(res, i, respondents) {
    const s = el("section", "quiz");
    s.dataset.q = i + 1;
    const head = el("p", "quiz-question");
    head.append(el("span", "quiz-no", i + 1), res.question);
    s.append(head);
    res.options.forEach((o, j) => {
      const key = res.answer === j + 1;
      const line = el("div", "quiz-bar" + (key ? " is-key" : ""));
      const bar = el("progress");
      bar.max = Math.max(1, respondents);
      bar.value = res.counts[j];
      line.append(el("span", "", LETTERS[j] + ". " + o + (key ? "（标准答案）" : "")), bar, el("span", "", res.counts[j] + " 人"));
      s.append(line);
    });
    s.append(el("p", "quiz-source", "出处：" + res.source));
    if (res.explain) s.append(el("p", "form-help", res.explain));
    return s;
  }

  const load = () => api("GET", path()).then(render);
  reveal.addEventListener("click", () => {
    if (!window.confirm("公布后，所有人都能看到选择分布、标准答案和出处，并且不再接收作答。确定公布吗？")) return;
    reveal.disabled = true;
    api("POST", path() + "/reveal").then(render, (err) => failed(box, err));
  });
  select.addEventListener("change", () => load().catch((err) => failed(box, err)));
  await load();
}

// 成员名单 -------------------------------------------------------------------------------

async function members(box) {
  const status = box.querySelector(".form-status");
  const table = box.querySelector("table");
  const count = box.querySelector("[data-count]");
  const people = await rosterOnce();
  fill(
    table.tBodies[0],
    people.map((m) => {
      const tr = row([m.id, m.name, m.role === "admin" ? "管理员" : "成员", m.last_activity ? full(m.last_activity) : "—"]);
      tr.dataset.member = m.id;
      return tr;
    }),
  );
  count.textContent = people.length + " 人";
  count.hidden = false;
  table.hidden = false;
  say(status, "");
}

// 操作记录 -------------------------------------------------------------------------------

const PAGE = 50;

async function audit(box) {
  const status = box.querySelector(".form-status");
  const table = box.querySelector("table");
  const more = box.querySelector("[data-more]");
  const [{ entries }, people] = await Promise.all([api("GET", "/api/audit"), rosterOnce().catch(() => [])]);
  const who = (actor) => {
    // The secretary's tools on the server; the account's name only when it says something.
    if (actor.indexOf("cli:") === 0) {
      const user = actor.slice(4);
      return "支部管理工具" + (user && user !== "unknown" && user !== "root" ? "（" + user + "）" : "");
    }
    const m = people.find((p) => p.id === actor);
    return m ? m.name + "（" + actor + "）" : actor;
  };
  let shown = 0;
  function page() {
    fill(
      table.tBodies[0],
      entries.slice(shown, shown + PAGE).map((e) => {
        const tr = row([full(e.at), who(e.actor), ACTIONS[e.action] || e.action, e.target, e.detail || "—"]);
        tr.dataset.action = e.action;
        return tr;
      }),
    );
    shown = Math.min(entries.length, shown + PAGE);
    more.hidden = shown >= entries.length;
  }
  more.addEventListener("click", page);
  page();
  table.hidden = !entries.length;
  say(status, entries.length ? "共 " + entries.length + " 条记录。" : "还没有任何记录。");
}

// Last, once every declaration above is initialised.
const here = Object.keys(PANELS).filter((name) => document.querySelector('[data-zhibu="' + name + '"]'));
const role = me && me.member.role;
if (!me) toLogin();
else if (role !== "admin" && !(role === "committee" && here.every((name) => FOR_REVIEWERS.has(name)))) refuse();
else {
  const body = document.querySelector("[data-zhibu=admin]");
  if (body) body.hidden = false;
  // A committee member is shown the links to the pages they may use only.
  if (role !== "admin") document.querySelectorAll(".admin-nav li, .admin-body .tile").forEach((li) => (li.hidden = !li.hasAttribute("data-reviewers")));
  here.forEach((name) => {
    document.querySelectorAll('[data-zhibu="' + name + '"]').forEach((box) => {
      PANELS[name](box).catch((err) => failed(box, err));
    });
  });
}
