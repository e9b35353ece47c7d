// 审阅思想汇报 (templates/shortcodes/admin_reports.html; admins and committee members): for a
// quarter, everyone who writes thought reports in roster order with their report's state —
// missing, submitted, read — and links to read it (the reader page, which records the reading)
// and to print the person's series. GET /api/admin/reports?quarter=. No ranking.

import { api, say } from "./api.js";
import { el, row, cell, fill, full, remember } from "./admin-kit.js";
import { link, pages, withQuery, recentQuarters, quarterLabel, isQuarter, currentQuarter } from "./file.js";

export async function reports(box) {
  const select = box.querySelector("select");
  const status = box.querySelector(".form-status");
  const table = box.querySelector("table");
  const links = pages();
  const asked = (new URLSearchParams(location.search).get("quarter") || "").toUpperCase();
  const quarters = recentQuarters(8);
  if (isQuarter(asked) && asked <= currentQuarter() && !quarters.includes(asked)) quarters.push(asked);
  select.replaceChildren(
    ...quarters.map((q, i) => {
      const o = el("option", "", quarterLabel(q) + (i === 0 ? "（本季度）" : ""));
      o.value = q;
      return o;
    }),
  );
  select.value = quarters.includes(asked) ? asked : quarters[0];
  select.disabled = false;

  async function show() {
    const quarter = select.value;
    say(status, "正在读取……", "wait");
    const d = await api("GET", "/api/admin/reports?quarter=" + encodeURIComponent(quarter));
    const tbody = table.tBodies[0];
    tbody.replaceChildren();
    fill(
      tbody,
      d.rows.map((r) => {
        const state = el("td", "state-" + r.state, r.state_label);
        const read =
          r.state === "missing"
            ? el("td", "", "—")
            : cell(link(withQuery(links.reading, { member: r.member_id, quarter: d.quarter }), "阅读"), " · ", link(withQuery(links.print, { member: r.member_id }), "打印全部"));
        const tr = row([r.name, r.stage_label || "—", state, r.submitted_at ? full(r.submitted_at) : "—", r.state === "missing" ? "—" : r.comments + " 条", read]);
        tr.dataset.member = r.member_id;
        tr.dataset.state = r.state;
        return tr;
      }),
    );
    if (!d.rows.length) {
      const none = el("td", "", "名册中没有需要提交思想汇报的同志（名册的“stage”列或发展纪实中登记的阶段）。");
      none.colSpan = 6;
      tbody.append(row([none]));
    }
    table.hidden = false;
    const n = (s) => d.rows.filter((r) => r.state === s).length;
    say(status, d.quarter_label + "：共 " + d.rows.length + " 人，已提交 " + (n("submitted") + n("read")) + " 人（其中已阅 " + n("read") + " 人），未提交 " + n("missing") + " 人。");
    remember("quarter", d.quarter);
  }
  select.addEventListener("change", () => show().catch((err) => say(status, err.message, "error")));
  await show();
}
