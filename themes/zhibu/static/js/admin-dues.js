// 党费台账 (templates/shortcodes/admin_dues.html; admins only): a year's members × months in roster
// order, the members two or more months behind, the payments waiting to be confirmed or rejected
// with a reason, a payment recorded directly (cash at a meeting) and a member's monthly amount
// set from a month on (GET /api/admin/dues?year=, POST /api/admin/dues/payments/{id}/review,
// POST /api/admin/dues/payments, POST /api/admin/dues/rates). No ranking: rows are the roster's.

import { api, say, newKey } from "./api.js";
import { el, remember } from "./admin-kit.js";
import { today } from "./file.js";
import { monthShort, monthLabel, monthList, yuan, toFen, paymentItem, decisionForm, thisMonth } from "./year.js";

/** A ledger cell's word (the legend above the table says what each means). */
const SHORT = { confirmed: "已交", elsewhere: "单位", reported: "待确认", overdue: "未交", open: "未到期", exempt: "免交", none: "—" };
const TAKEN = new Set(["confirmed", "elsewhere", "reported", "exempt", "none"]);

export async function dues(box) {
  const select = box.querySelector("#admin-dues-year");
  const status = box.querySelector("[data-status]");
  const record = box.querySelector("[data-record]");
  const rate = box.querySelector("[data-rate]");
  const thisYear = +today().slice(0, 4);
  const years = [thisYear + 1, thisYear, thisYear - 1, thisYear - 2];
  const asked = +new URLSearchParams(location.search).get("year");
  select.replaceChildren(
    ...years.map((y) => {
      const o = el("option", "", y + "年");
      o.value = y;
      return o;
    }),
  );
  select.value = years.includes(asked) ? asked : thisYear;
  rate.from.value = thisMonth();

  let data = null;

  async function show() {
    say(status, "正在读取……", "wait");
    data = await api("GET", "/api/admin/dues?year=" + select.value);
    remember("year", data.year);
    const behind = box.querySelector("[data-behind]");
    behind.replaceChildren(
      ...data.behind.map((b) => {
        // The API counts back two years at most.
        const li = el("li", "", b.name + "：连续 " + b.months_behind + " 个月" + (b.months_behind >= 24 ? "及以上" : "") + "未交");
        li.dataset.member = b.member_id;
        return li;
      }),
    );
    box.querySelector("[data-behind-count]").textContent = data.behind.length ? "（" + data.behind.length + " 人）" : "";
    box.querySelector("[data-no-behind]").hidden = data.behind.length > 0;
    box.querySelector("[data-pending]").replaceChildren(
      ...data.pending.map((p) => {
        const li = paymentItem(p, { name: true, actions: decide });
        li.classList.add("review");
        return li;
      }),
    );
    box.querySelector("[data-pending-count]").textContent = data.pending.length ? "（" + data.pending.length + " 笔）" : "";
    box.querySelector("[data-no-pending]").hidden = data.pending.length > 0;
    grid();
    people(record.member_id);
    people(rate.member_id);
    fillChecks();
    say(status, data.year + "年：" + data.rows.length + " 位党员，按名册顺序排列。");
  }

  function grid() {
    const head = box.querySelector("[data-head]");
    head.replaceChildren(el("th", "", "姓名"), ...data.months.map((m) => el("th", "", monthShort(m))));
    head.querySelectorAll("th").forEach((th) => th.setAttribute("scope", "col"));
    box.querySelector("[data-rows]").replaceChildren(
      ...data.rows.map((r) => {
        const tr = el("tr");
        tr.dataset.member = r.member_id;
        const name = el("th", "", r.name);
        name.scope = "row";
        tr.append(name);
        r.months.forEach((m) => {
          const td = el("td", "state-" + m.state, SHORT[m.state] || m.state_label);
          td.dataset.month = m.month;
          td.dataset.state = m.state;
          td.title = r.name + " " + monthLabel(m.month) + "：" + (m.state_label || "还不是党员") + (m.due_fen ? "，应交 " + yuan(m.due_fen) + " 元" : "");
          tr.append(td);
        });
        return tr;
      }),
    );
  }

  /** The payers of the year in a member select, the choice kept. */
  function people(who) {
    const chosen = who.value;
    who.replaceChildren(
      ...data.rows.map((r) => {
        const o = el("option", "", r.name + "（" + r.member_id + "）");
        o.value = r.member_id;
        return o;
      }),
    );
    if (chosen && data.rows.some((r) => r.member_id === chosen)) who.value = chosen;
  }

  /** Confirm, or reject with a reason, one waiting payment. */
  function decide(p) {
    const what = p.name + monthList(p.months) + "的党费";
    return decisionForm({
      id: "dues-reason-" + p.id,
      ok: ["确认", "confirm"],
      what,
      path: "/api/admin/dues/payments/" + encodeURIComponent(p.id) + "/review",
      refresh: show,
      done: (d) => (d === "confirm" ? "已确认" : "已退回") + what + " " + p.amount + " 元。",
      status,
    });
  }

  // 直接登记 ------------------------------------------------------------------------------------

  const checks = record.querySelector("[data-checks]");
  const picked = () => Array.from(checks.querySelectorAll("input:checked"));
  let amountTyped = false;

  /** The chosen member's months as checkboxes, those paid, waiting or exempt disabled. */
  function fillChecks() {
    const row = data.rows.find((r) => r.member_id === record.member_id.value);
    checks.replaceChildren(
      ...(row ? row.months : []).map((m) => {
        const label = el("label", "check");
        const b = el("input");
        b.type = "checkbox";
        b.value = m.month;
        b.disabled = TAKEN.has(m.state);
        b.dataset.due = m.due_fen;
        label.append(b, el("span", "", monthShort(m.month) + (b.disabled && m.state_label ? "（" + m.state_label + "）" : "")));
        return label;
      }),
    );
    amountTyped = false;
    suggest();
  }

  function suggest() {
    const fen = picked().reduce((sum, b) => sum + +b.dataset.due, 0);
    record.querySelector("[data-expected]").textContent = picked().length ? "按标准应交 " + yuan(fen) + " 元" : "";
    if (!amountTyped) record.amount.value = fen ? yuan(fen) : "";
  }
  checks.addEventListener("change", suggest);
  record.amount.addEventListener("input", () => (amountTyped = record.amount.value.trim() !== ""));
  record.member_id.addEventListener("change", fillChecks);

  let recordKey = newKey();
  record.addEventListener("submit", async (e) => {
    e.preventDefault();
    const line = record.querySelector("[data-form-status]");
    const months = picked().map((b) => b.value);
    const fen = toFen(record.amount.value);
    if (!months.length) return say(line, "请选择交的是哪几个月。", "error");
    if (!fen) {
      say(line, "请填写金额（元），例如 0.60。", "error");
      return record.amount.focus();
    }
    const button = record.querySelector("button[type=submit]");
    button.disabled = true;
    say(line, "正在登记……", "wait");
    try {
      const json = { member_id: record.member_id.value, months, amount_fen: fen, method: record.how.value, note: record.note.value };
      const { payment } = await api("POST", "/api/admin/dues/payments", { json, key: recordKey });
      recordKey = newKey();
      record.note.value = "";
      await show();
      say(line, "已登记" + payment.name + monthList(payment.months) + "的党费 " + payment.amount + " 元（" + payment.method_label + "）。", "ok");
    } catch (err) {
      if (err.status) recordKey = newKey();
      say(line, err.message, "error");
    } finally {
      button.disabled = false;
    }
  });

  // 设定金额 ------------------------------------------------------------------------------------

  let rateKey = newKey();
  rate.addEventListener("submit", async (e) => {
    e.preventDefault();
    const line = rate.querySelector("[data-form-status]");
    const from = rate.from.value.trim();
    if (!/^20\d\d-(0[1-9]|1[0-2])$/.test(from)) {
      say(line, "请填写从哪个月起，例如 2026-01。", "error");
      return rate.from.focus();
    }
    const wage = rate.querySelector("input[name=by]:checked").value === "wage";
    const value = rate.figure.value.replace(/\s|元/g, "");
    const json = { member_id: rate.member_id.value, from, note: rate.note.value };
    if (wage) {
      if (!/^\d{1,8}$/.test(value)) {
        say(line, "请填写税后月工资，整数元，例如 4200。", "error");
        return rate.figure.focus();
      }
      json.wage_yuan = +value;
    } else {
      const fen = toFen(value, true);
      if (fen === null) {
        say(line, "请填写每月金额（元），例如 0.50；免交填 0。", "error");
        return rate.figure.focus();
      }
      json.amount_fen = fen;
    }
    const button = rate.querySelector("button[type=submit]");
    button.disabled = true;
    say(line, "正在设定……", "wait");
    try {
      const r = await api("POST", "/api/admin/dues/rates", { json, key: rateKey });
      rateKey = newKey();
      const name = rate.member_id.selectedOptions[0].textContent;
      rate.figure.value = rate.note.value = "";
      await show();
      say(line, "已设定：" + name + " 自" + monthLabel(r.from) + "起" + (r.amount_fen ? "每月 " + r.amount + " 元" : "免交") + "。", "ok");
    } catch (err) {
      if (err.status) rateKey = newKey();
      say(line, err.message, "error");
    } finally {
      button.disabled = false;
    }
  });

  select.addEventListener("change", () => show().catch((err) => say(status, err.message, "error")));
  await show();
}
