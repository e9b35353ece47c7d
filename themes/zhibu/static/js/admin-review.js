// 民主评议 (templates/shortcodes/admin_review.html; admins only): a round's participants in roster
// order (GET /api/admin/reviews/{id}) with their 个人自评, the signed opinions about them and their
// outcome; the committee's grade and feedback recorded per participant after the meeting (POST
// /api/admin/reviews/{id}/outcomes); the 民主测评表 and the tally sheet for the meeting, each
// printed on its own (the print stylesheet shows only the sheet last asked for, body[data-print]).
// There is no ballot here: the 民主测评 is secret and cast on paper.

import { api, say, newKey } from "./api.js";
import { el, remember } from "./admin-kit.js";
import { time, prose } from "./file.js";
import { state, smallButton } from "./year.js";

const GRADES = [
  ["excellent", "优秀"],
  ["qualified", "合格"],
  ["basically_qualified", "基本合格"],
  ["unqualified", "不合格"],
];
const ROUND_STATE = { not_open: "未开始", open: "进行中", closed: "已结束" };

export async function review(box) {
  const select = box.querySelector("#admin-review-round");
  const ask = box.querySelector("[data-ask]");
  const status = box.querySelector("[data-status]");
  const result = box.querySelector("[data-result]");
  const list = box.querySelector("[data-participants]");
  const sheets = document.querySelector("[data-zhibu=review-sheets]");
  const asked = new URLSearchParams(location.search).get("review") || "";

  // The round: ?review=, else the one open now or the latest declared; a typed id without any.
  if (asked && !Array.from(select.options).some((o) => o.value === asked)) {
    const o = el("option", "", asked);
    o.value = asked;
    select.append(o);
  }
  if (!select.options.length) {
    select.hidden = true;
    box.querySelector("label[for=admin-review-round]").hidden = true;
    ask.hidden = false;
    ask.addEventListener("submit", (e) => {
      e.preventDefault();
      remember("review", ask.review.value.trim());
      location.reload();
    });
    return say(status, "目前没有开展中的民主评议。知道评议编号的，可以在下面输入后打开。");
  }
  if (asked) select.value = asked;
  else {
    const started = Array.from(select.options).filter((o) => Date.parse(o.dataset.opens) <= Date.now());
    if (started.length) select.value = started.sort((a, b) => Date.parse(b.dataset.opens) - Date.parse(a.dataset.opens))[0].value;
  }

  let data = null;
  const path = () => "/api/admin/reviews/" + encodeURIComponent(select.value);

  async function show() {
    say(status, "正在读取……", "wait");
    try {
      data = await api("GET", path());
    } catch (err) {
      if (err.status === 404) {
        result.hidden = sheets.hidden = true;
        return say(status, "没有这次民主评议（编号 " + select.value + "）。", "error");
      }
      throw err;
    }
    remember("review", data.review.id);
    const r = data.review;
    const n = data.participants.length;
    box.querySelector("[data-window]").replaceChildren(r.title + "（" + (ROUND_STATE[r.state] || r.state) + "）：个人自评开放 ", time(r.opens), " 至 ", time(r.closes));
    const counts = data.grades.filter((g) => g.count).map((g) => g.label + " " + g.count + " 人");
    box.querySelector("[data-limit]").textContent = limitNote() + "。已登记的评定等次：" + (counts.length ? counts.join("，") : "还没有") + "。";
    showWarnings(data.warnings);
    box.querySelector("[data-count]").textContent = "（" + n + " 人）";
    list.replaceChildren(...data.participants.map(card));
    fillSheets();
    result.hidden = false;
    const selves = data.participants.filter((p) => p.self && p.self.status === "submitted").length;
    say(status, "参评党员 " + n + " 人，按名册顺序排列；已提交个人自评 " + selves + " 人。");
  }

  /** The one-third rule with its number: "评为优秀的不超过参评党员的三分之一（N 人）". */
  const limitNote = () => "评为优秀的不超过参评党员的三分之一（" + data.excellent_limit + " 人）";

  function showWarnings(warnings) {
    const ul = box.querySelector("[data-warnings]");
    ul.replaceChildren(...warnings.map((w) => el("li", "warning", w)));
    ul.hidden = !warnings.length;
  }

  function card(p) {
    const li = el("li", "person-card");
    li.dataset.member = p.member_id;
    const head = el("h4", "person-name", p.name + " ");
    head.append(p.outcome ? state(p.outcome.grade, "评定：" + p.outcome.grade_label) : state("none", "未登记评定"));
    li.append(head);
    const self = el("p", "person-next");
    const s = p.self;
    if (!s) self.textContent = "个人自评：还没有写";
    else if (s.status === "draft") self.append("个人自评：草稿，还没有提交（最后保存于 ", time(s.updated_at), "）");
    else self.append("个人自评：已提交（", time(s.submitted_at), "）");
    li.append(self);
    if (s && s.status === "submitted") {
      const d = el("details", "person-road");
      d.append(el("summary", "", "阅读个人自评（" + Array.from(s.body).length + " 字）"), prose(s.body, "note-body review-self-body"));
      li.append(d);
    }
    if (p.opinions.length) {
      const d = el("details", "person-road review-opinions");
      d.append(el("summary", "", "书面意见（" + p.opinions.length + " 条，只有管理员能看到）"));
      const ol = el("ol", "comment-list");
      p.opinions.forEach((o) => {
        const item = el("li", "comment");
        const m = el("p", "note-meta");
        m.append(el("strong", "note-author", o.by_name + "（" + o.by + "）"), " · ", time(o.at));
        item.append(m, prose(o.body, "note-body"));
        ol.append(item);
      });
      d.append(ol);
      li.append(d);
    }
    li.append(outcomeForm(p));
    return li;
  }

  function outcomeForm(p) {
    const form = el("form", "form outcome-form");
    form.noValidate = true;
    const gid = "grade-" + p.member_id;
    const fid = "feedback-" + p.member_id;
    const gl = el("label", "field", "评定等次");
    gl.htmlFor = gid;
    const grade = el("select", "admin-select");
    grade.id = gid;
    grade.name = "grade";
    grade.append(el("option", "", "请选择"));
    grade.firstChild.value = "";
    GRADES.forEach(([value, label]) => {
      const o = el("option", "", label);
      o.value = value;
      grade.append(o);
    });
    if (p.outcome) grade.value = p.outcome.grade;
    const fl = el("label", "field", "反馈意见 ");
    fl.htmlFor = fid;
    fl.append(el("span", "field-hint", "可选，2000 字以内，本人会看到"));
    const feedback = el("textarea");
    feedback.id = fid;
    feedback.name = "feedback";
    feedback.rows = 3;
    feedback.maxLength = 2000;
    if (p.outcome) feedback.value = p.outcome.feedback;
    const actions = el("div", "form-actions");
    const button = smallButton(p.outcome ? "更正" : "登记");
    button.type = "submit";
    button.setAttribute("aria-label", (p.outcome ? "更正" : "登记") + p.name + "的评定");
    actions.append(button);
    const line = el("p", "form-status");
    line.setAttribute("role", "status");
    form.append(gl, grade, fl, feedback, actions, line);
    let key = newKey();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!grade.value) {
        say(line, "请选择评定等次。", "error");
        return grade.focus();
      }
      button.disabled = true;
      say(line, "正在登记……", "wait");
      try {
        const json = { member_id: p.member_id, grade: grade.value, feedback: feedback.value };
        const r = await api("POST", path() + "/outcomes", { json, key });
        key = newKey();
        await show();
        say(status, "已登记" + p.name + "的评定：" + r.outcome.grade_label + "。" + (r.warnings.length ? r.warnings.join(" ") : ""), r.warnings.length ? "error" : "ok");
        const again = list.querySelector('[data-member="' + p.member_id + '"]');
        if (again) again.scrollIntoView({ block: "nearest" });
      } catch (err) {
        if (err.status) key = newKey();
        button.disabled = false;
        say(line, err.message, "error");
      }
    });
    return form;
  }

  /** The 民主测评表 and the tally sheet: every participant by number and name, blank columns. */
  function fillSheets() {
    const branch = sheets.dataset.branch || "";
    const n = data.participants.length;
    const titles = { ballot: branch + data.review.year + "年度民主评议党员测评表", tally: branch + data.review.year + "年度民主评议党员测评统计表" };
    sheets.querySelectorAll("[data-sheet]").forEach((sheet) => {
      const kind = sheet.dataset.sheet;
      sheet.querySelector("[data-sheet-title]").textContent = titles[kind];
      sheet.querySelector("[data-sheet-limit]").textContent = limitNote() + "。";
      const blanks = kind === "ballot" ? 4 : 5;
      sheet.querySelector("[data-sheet-rows]").replaceChildren(
        ...data.participants.map((p, i) => {
          const tr = el("tr");
          tr.dataset.member = p.member_id;
          tr.append(el("td", "", String(i + 1)), el("td", "sheet-name", p.name));
          for (let k = 0; k < blanks; k++) tr.append(el("td", "sheet-blank"));
          return tr;
        }),
      );
      const foot = sheet.querySelector("[data-sheet-foot]");
      if (foot) foot.textContent = "参评党员 " + n + " 人。测评日期：＿＿＿＿年＿＿月＿＿日";
    });
    sheets.hidden = false;
  }

  box.querySelectorAll("button[data-print]").forEach((b) =>
    b.addEventListener("click", () => {
      document.body.dataset.print = b.dataset.print;
      window.print();
    }),
  );

  select.addEventListener("change", () => show().catch((err) => say(status, err.message, "error")));
  await show();
}
