// Reading thought reports (templates/shortcodes/report_reader.html, report_print.html): one report
// as its author, their contact persons and reviewers see it (?member=m001&quarter=2026Q4), with
// "标为已阅" and a comment for readers other than the author; and the print view of one report
// or of a person's whole series (?member=m001), for the paper file. Anyone the API does not let
// read the report gets its 404: "没有这篇思想汇报", whether or not it exists. Opening a report is
// written to the audit log by the API, and from then on its author can no longer withdraw it.

import { session, api, toLogin, say, newKey } from "./api.js";
import { el, link, pages, withQuery, isQuarter, time, reportMeta, reportContent, comments, textForm, send, sentHere, prose } from "./file.js";

const reader = document.querySelector("[data-zhibu=reader]");
const printer = document.querySelector("[data-zhibu=print]");
const me = session();
const links = pages();
const params = new URLSearchParams(location.search);
const member = params.get("member") || "";
const quarter = (params.get("quarter") || "").toUpperCase();
const validMember = /^[A-Za-z0-9_-]{3,32}$/.test(member);
const reviewer = me && (me.member.role === "admin" || me.member.role === "committee");

const NOT_FOUND = "没有这篇思想汇报（不存在，或者您不能阅读）。";

if (reader || printer) {
  if (!me) toLogin();
  else if (reader) read().catch((err) => say(reader.querySelector("[data-status]"), err.message, "error"));
  else series().catch((err) => say(printer.querySelector("[data-status]"), err.message, "error"));
}

function path() {
  return "/api/members/" + encodeURIComponent(member) + "/reports/" + quarter;
}

// One report ---------------------------------------------------------------------------------

async function read() {
  const status = reader.querySelector("[data-status]");
  const article = reader.querySelector("[data-report]");
  const actions = reader.querySelector("[data-actions]");
  const readButton = actions.querySelector("[data-read]");
  const readStatus = actions.querySelector("[data-read-status]");
  const commentBox = reader.querySelector("[data-comments]");
  const formBox = reader.querySelector("[data-comment-form]");
  const linkBox = reader.querySelector("[data-links]");

  linkBox.replaceChildren(link(links.me, "回到“我的”"));
  if (reviewer) linkBox.append(" · ", link(withQuery(links.adminReports, { quarter }), "审阅思想汇报"));
  linkBox.hidden = false;

  if (!validMember || !isQuarter(quarter)) return say(status, "地址不完整：没有指明是谁哪个季度的思想汇报。", "error");
  let report;
  try {
    report = (await api("GET", path())).report;
  } catch (err) {
    if (err.status === 404) return say(status, NOT_FOUND, "error");
    throw err;
  }
  const author = report.member_id === me.member.id;

  function render() {
    const head = el("header", "report-head");
    head.append(el("h3", "report-title", report.title || "（未写标题）"), el("p", "report-by", report.author + " · " + report.quarter_label + "思想汇报"));
    article.replaceChildren(head, reportMeta(report), reportContent(report));
    article.hidden = false;
    commentBox.replaceChildren(comments(report));
    const readerSide = !author && report.status === "submitted";
    actions.hidden = !readerSide || !!report.read_by;
    readButton.disabled = false;
    if (author && report.comments.some((c) => !c.reply)) {
      const p = el("p", "form-help");
      p.append("回复意见，请到", link(withQuery(links.report, { quarter: report.quarter }), "写思想汇报"), "页面。");
      commentBox.append(p);
    }
    linkBox.replaceChildren(link(links.me, "回到“我的”"));
    if (reviewer) linkBox.append(" · ", link(withQuery(links.adminReports, { quarter }), "审阅思想汇报"));
    if (report.status === "submitted") {
      linkBox.append(" · ", link(withQuery(links.print, { member, quarter }), "打印本篇"), " · ", link(withQuery(links.print, { member }), "打印全部"));
    }
  }

  readButton.addEventListener("click", async () => {
    readButton.disabled = true;
    say(readStatus, "正在提交……", "wait");
    try {
      report = (await api("POST", path() + "/read", { json: {}, key: newKey() })).report;
      render();
      say(status, "已标为已阅。", "ok");
    } catch (err) {
      readButton.disabled = false;
      say(readStatus, err.message, "error");
    }
  });

  if (!author && report.status === "submitted") {
    formBox.append(
      textForm({
        id: "comment-body",
        label: "写批阅意见",
        hint: "2000 字以内，作者会看到并可以回复一次",
        button: "提交意见",
        max: 2000,
        rows: 4,
        onSend: async (text, st) => {
          const r = await send({ method: "POST", path: path() + "/comments", what: "批阅意见", json: { body: text } });
          if (r.queued) return say(st, "网络未连接：意见已保存在本机，联网后自动提交。", "wait");
          report = r.report;
          render();
          formBox.querySelector("textarea").value = "";
          say(st, "意见已提交。", "ok");
        },
      }),
    );
  }

  // A comment kept offline and sent later.
  window.addEventListener("zhibu:sent", (e) => {
    const { item, data } = e.detail;
    if (!sentHere(item) && item.path === path() + "/comments" && data && data.report) {
      report = data.report;
      render();
    }
  });

  render();
  say(status, author ? "这是您本人的思想汇报。" : "");
}

// The print view -----------------------------------------------------------------------------

async function series() {
  const status = printer.querySelector("[data-status]");
  const heading = printer.querySelector("[data-title]");
  const list = printer.querySelector("[data-reports]");
  const actions = printer.querySelector("[data-actions]");
  if (!validMember || (quarter && !isQuarter(quarter))) return say(status, "地址不完整：没有指明是谁的思想汇报。", "error");
  let name;
  let stage = "";
  let reports;
  try {
    if (quarter) {
      const { report } = await api("GET", path());
      if (report.status !== "submitted") throw Object.assign(new Error(NOT_FOUND), { status: 404 });
      reports = [report];
      name = report.author;
    } else {
      const d = await api("GET", "/api/members/" + encodeURIComponent(member) + "/reports");
      reports = d.reports;
      name = d.member.name;
      stage = d.member.stage_label;
    }
  } catch (err) {
    if (err.status === 404) return say(status, NOT_FOUND, "error");
    throw err;
  }
  heading.textContent = name + " 的思想汇报" + (stage ? "（" + stage + "）" : "");
  heading.hidden = false;
  list.replaceChildren(...reports.map(printed));
  actions.hidden = false;
  actions.querySelector("[data-print]").addEventListener("click", () => window.print());
  say(status, reports.length ? "共 " + reports.length + " 篇，按季度排列。" : "还没有提交的思想汇报。");
}

function printed(r) {
  const s = el("section", "print-report");
  s.dataset.quarter = r.quarter;
  s.append(el("h3", "print-quarter", r.quarter_label + "思想汇报"));
  const facts = el("dl", "print-facts");
  const add = (term, ...value) => {
    facts.append(el("dt", "", term));
    const dd = el("dd");
    dd.append(...value);
    facts.append(dd);
  };
  add("姓名", r.author);
  add("标题", r.title);
  add("提交时间", time(r.submitted_at));
  if (r.read_by) add("阅读", r.read_by + "，", time(r.read_at));
  s.append(facts, reportContent(r, { full: true }));
  if (r.comments.length) {
    s.append(el("h4", "print-sub", "批阅意见"));
    const ol = el("ol", "comment-list");
    r.comments.forEach((c) => {
      const li = el("li", "comment");
      const meta = el("p", "note-meta");
      meta.append(c.by + " · ", time(c.at));
      li.append(meta, prose(c.body, "note-body"));
      if (c.reply) {
        const m = el("p", "note-meta");
        m.append(r.author + " 的回复 · ", time(c.reply.at));
        li.append(m, prose(c.reply.body, "note-body"));
      }
      ol.append(li);
    });
    s.append(ol);
  }
  return s;
}
