// 我的 (templates/shortcodes/my_file.html): the logged-in member's own page — what is open for
// them now, their stage and joining timeline, their thought reports with the comments, their
// talk requests and talks (with their own note), their sign-ins, notes and copies, and for a
// contact person (培养联系人) the people they are a contact for with those people's submitted
// reports. A visitor is sent to log in and back. Facts only: nothing is counted against anyone.

import { session, api, toLogin, say, when } from "./api.js";
import { el, link, pages, withQuery, time, timeline, roadFacts, reportState, comments, talkItem, requestItem, talkNoteForm } from "./file.js";

const me = session();
const links = pages();
const status = document.querySelector("[data-zhibu=me-status]");
const box = (name) => document.querySelector('[data-zhibu="' + name + '"]');

if (!me) toLogin();
else if (status) load().catch((err) => say(status, err.message, "error"));

async function load() {
  const [summary, { joining }, { reports }, talks] = await Promise.all([
    api("GET", "/api/me"),
    api("GET", "/api/joining/mine"),
    api("GET", "/api/reports/mine"),
    api("GET", "/api/talks/mine"),
  ]);
  const who = summary.member.name + " · 成员编号 " + summary.member.id + (summary.stage_label ? " · " + summary.stage_label : "");
  say(status, who);
  showOpen(summary, reports);
  showRoad(joining);
  showReports(summary, reports);
  showTalks(talks);
  showActivity(summary);
  if (summary.contact_for > 0) await showContacts();
}

/** What is open for the member now: an event to sign in to, this quarter's report, a talk
 *  request waiting, dues months not paid after the 10th of the following month, a democratic
 *  review whose self-assessment is not yet submitted. */
function showOpen(summary, reports) {
  const section = box("me-open");
  const list = section.querySelector(".open-list");
  const items = summary.open.map((o) => {
    const li = el("li");
    li.dataset.kind = o.kind;
    if (o.kind === "signin") {
      li.append(link(o.page, "活动签到：" + o.title), "（" + when(o.closes) + " 截止）");
    } else if (o.kind === "report") {
      const draft = reports.find((r) => r.quarter === o.quarter && r.status === "draft");
      li.append(link(withQuery(links.report, { quarter: o.quarter }), o.quarter_label + "的思想汇报"), draft ? "：草稿已保存，尚未提交" : "：还没有提交");
    } else if (o.kind === "talk_request") {
      li.append("您申请的谈心谈话正在等待安排（", link(links.talk, "查看"), "）");
    } else if (o.kind === "dues") {
      const label = (m) => +m.slice(0, 4) + "年" + +m.slice(5, 7) + "月";
      const sorted = o.months.slice().sort();
      const months = sorted.length > 3 ? "有 " + sorted.length + " 个月（最早是" + label(sorted[0]) + "）" : sorted.map(label).join("、");
      li.append(link(links.dues, "党费"), "：" + months + "还没有交，交纳以后请登记");
    } else if (o.kind === "review") {
      li.append(link(withQuery(links.review, { review: o.review }), o.title + "：个人自评"), "（" + when(o.closes) + " 截止）");
    } else return null;
    return li;
  });
  list.replaceChildren(...items.filter(Boolean));
  section.querySelector("[data-empty]").hidden = list.children.length > 0;
  section.hidden = false;
}

/** The joining timeline, for whoever is on the road or has a record. */
function showRoad(road) {
  const onRoad = road.steps.some((s) => s.date) || (road.stage && road.stage !== "full");
  if (!onRoad) return;
  const section = box("me-road");
  section.querySelector("[data-road]").replaceChildren(roadFacts(road), timeline(road));
  section.hidden = false;
}

function showReports(summary, reports) {
  if (!reports.length && !(summary.stage && summary.stage !== "full")) return;
  const section = box("me-reports");
  const list = section.querySelector(".file-list");
  list.replaceChildren(
    ...reports
      .slice()
      .reverse()
      .map((r) => {
        const li = el("li", "file-item");
        li.dataset.quarter = r.quarter;
        const head = el("p", "file-item-head");
        head.append(link(withQuery(links.report, { quarter: r.quarter }), r.quarter_label + "：" + (r.title || "（未写标题）")), " ", el("span", "report-state", reportState(r)));
        li.append(head);
        const meta = el("p", "note-meta");
        if (r.status === "draft") meta.append("最后保存于 ", time(r.updated_at));
        else {
          meta.append("提交于 ", time(r.submitted_at));
          if (r.read_by) meta.append("，" + r.read_by + " 已阅");
        }
        if (r.pages.length) meta.append("，手写稿 " + r.pages.length + " 页");
        li.append(meta);
        if (r.comments.length) li.append(comments(r));
        return li;
      }),
  );
  section.querySelector("[data-empty]").hidden = reports.length > 0;
  section.hidden = false;
}

function showTalks({ requests, talks }) {
  const section = box("me-talks");
  const open = requests.filter((r) => r.status === "open");
  section.querySelector("[data-requests]").replaceChildren(...open.map((r) => requestItem(r)));
  const list = section.querySelector("[data-talks]");
  const item = (t) => {
    const li = talkItem(t, (talk) => talkNoteForm(talk, (saved) => li.replaceWith(item(saved))));
    return li;
  };
  list.replaceChildren(...talks.map(item));
  section.querySelector("[data-empty]").hidden = talks.length > 0 || open.length > 0;
  section.hidden = false;
}

function showActivity(summary) {
  const section = box("me-activity");
  section.querySelector("[data-signins]").textContent = summary.signins;
  section.querySelector("[data-notes]").textContent = summary.notes;
  section.querySelectorAll("[data-campaign]").forEach((li) => {
    const p = summary.copies[li.dataset.campaign];
    if (!p) return;
    li.querySelector("[data-days]").textContent = p.days_done;
    li.hidden = false;
  });
  section.hidden = false;
}

/** A person's joining timeline, folded, read when first unfolded (GET
 *  /api/members/{id}/joining: the person, their contact persons and reviewers). */
function roadOf(p) {
  const d = el("details", "person-road");
  d.append(el("summary", "", "入党进程"));
  d.addEventListener("toggle", async () => {
    if (!d.open || d.dataset.loaded) return;
    d.dataset.loaded = "yes";
    const note = el("p", "form-status", "正在读取……");
    d.append(note);
    try {
      const { joining } = await api("GET", "/api/members/" + encodeURIComponent(p.member_id) + "/joining");
      note.replaceWith(roadFacts(joining), timeline(joining));
    } catch (err) {
      delete d.dataset.loaded;
      say(note, err.message, "error");
    }
  });
  return d;
}

/** The people the member is a contact person for, and their submitted reports (listing them
 *  does not open them). */
async function showContacts() {
  const section = box("me-contacts");
  const { people } = await api("GET", "/api/reports/assigned");
  const list = section.querySelector(".file-list");
  list.replaceChildren(
    ...people.map((p) => {
      const li = el("li", "file-item person");
      li.dataset.member = p.member_id;
      const head = el("h3", "file-item-title", p.name);
      if (p.stage_label) head.append(" ", el("span", "report-state", p.stage_label));
      li.append(head);
      if (!p.reports.length) li.append(el("p", "empty", "还没有提交的思想汇报。"));
      else {
        const ol = el("ol", "assigned-reports");
        p.reports
          .slice()
          .reverse()
          .forEach((r) => {
            const row = el("li");
            row.dataset.quarter = r.quarter;
            row.append(link(withQuery(links.reading, { member: p.member_id, quarter: r.quarter }), r.quarter_label + "：" + r.title));
            const meta = el("span", "note-meta");
            meta.append(" · 提交于 ", time(r.submitted_at), " · " + (r.read ? "已阅" : "未阅") + (r.comments ? " · " + r.comments + " 条意见" : ""));
            row.append(meta);
            ol.append(row);
          });
        li.append(ol, el("p", "", ""));
        li.lastChild.append(link(withQuery(links.print, { member: p.member_id }), "打印全部思想汇报"));
      }
      li.append(roadOf(p));
      return li;
    }),
  );
  section.hidden = false;
}
