// 我的党费 (templates/shortcodes/dues_form.html): the member's year month by month (GET
// /api/dues/mine?year=), the months not paid after the 10th of the following month, and their
// payments; a payment reported through the outbox (POST /api/dues/payments: months, whole fen,
// how, a note), then its receipt — shrunk in the browser (photo.js) — uploaded to
// /api/dues/payments/{id}/receipt; a receipt added later or replaced while the payment waits; a
// waiting payment withdrawn (DELETE). The site records and reminds; it never takes money. Facts
// only: no streaks, nothing in red to chase.

import { session, api, toLogin, say } from "./api.js";
import { shrink, kb } from "./photo.js";
import { el, send, sentHere, focusField, today } from "./file.js";
import { monthShort, monthList, yuan, toFen, paymentItem, smallButton } from "./year.js";

const root = document.querySelector("[data-zhibu=dues]");
const me = session();

if (root) {
  if (!me) toLogin();
  else setUp();
}

/** Months that may not be reported again: paid, waiting, exempt, or before dues start. */
const TAKEN = new Set(["confirmed", "elsewhere", "reported", "exempt", "none"]);

function setUp() {
  const select = root.querySelector("#dues-year");
  const status = root.querySelector("[data-status]");
  const none = root.querySelector("[data-none]");
  const ledger = root.querySelector("[data-ledger]");
  const formBox = document.querySelector("[data-zhibu=dues-report]");
  const form = formBox.querySelector("form");
  const formStatus = form.querySelector("[data-form-status]");
  const checks = form.querySelector("[data-checks]");
  const expected = form.querySelector("[data-expected]");
  const preview = form.querySelector("[data-preview]");
  const bar = form.querySelector("[data-progress]");
  const submitButton = form.querySelector("button[type=submit]");
  const listBox = document.querySelector("[data-zhibu=dues-payments]");
  const list = listBox.querySelector("[data-payments]");

  const thisYear = +today().slice(0, 4);
  const years = [thisYear + 1, thisYear, thisYear - 1, thisYear - 2];
  const asked = +new URLSearchParams(location.search).get("year");
  select.replaceChildren(
    ...years.map((y) => {
      const o = el("option", "", y + "年" + (y === thisYear ? "（今年）" : y > thisYear ? "（提前交）" : ""));
      o.value = y;
      return o;
    }),
  );
  select.value = years.includes(asked) ? asked : thisYear;
  select.disabled = false;

  let data = null;
  let receipt = null; // {blob, url} of the photo chosen for the next payment
  let amountTyped = false;

  const progress = (v) => {
    bar.hidden = false;
    bar.value = v;
  };

  async function load() {
    say(status, "正在读取……", "wait");
    data = await api("GET", "/api/dues/mine?year=" + select.value);
    render();
  }

  function render() {
    const d = data.dues;
    const pays = data.pays_dues;
    none.hidden = pays;
    ledger.hidden = !pays;
    formBox.hidden = !pays;
    say(status, d.name + " · " + d.year + "年");
    if (pays) {
      const rate = root.querySelector("[data-rate]");
      rate.textContent = d.rate_fen === 0 ? "支部已确定您免交党费。" : "每月应交 " + d.rate + " 元" + (d.rate_fen === 20 ? "（学生党员标准）" : "") + "。金额由支部根据本人情况确定，收入有变化请告诉支部。";
      root.querySelector("[data-months]").replaceChildren(...d.months.map(monthCell));
      const behind = root.querySelector("[data-behind]");
      behind.textContent = d.overdue.length ? "还没有交的月份：" + monthList(d.overdue) + "，共 " + d.arrears + " 元。交纳以后请在下面登记。" : "";
      behind.hidden = !d.overdue.length;
      fillChecks(d);
    }
    list.replaceChildren(...d.payments.map((p) => paymentItem(p, { actions })));
    listBox.querySelector("[data-empty]").hidden = d.payments.length > 0;
    listBox.hidden = !pays && !d.payments.length;
  }

  function monthCell(m) {
    const li = el("li", "dues-month state-" + m.state);
    li.dataset.month = m.month;
    li.dataset.state = m.state;
    li.append(el("span", "dues-month-name", monthShort(m.month)), el("span", "dues-state", m.state_label || "—"));
    if (m.state === "none") li.title = "还没有成为预备党员，不交党费";
    return li;
  }

  /** The months of the year as checkboxes, those already paid, waiting or exempt disabled. */
  function fillChecks(d) {
    const chosen = new Set(Array.from(checks.querySelectorAll("input:checked"), (i) => i.value));
    checks.replaceChildren(
      ...d.months.map((m) => {
        const label = el("label", "check");
        const box = el("input");
        box.type = "checkbox";
        box.name = "months";
        box.value = m.month;
        box.disabled = TAKEN.has(m.state);
        box.checked = !box.disabled && chosen.has(m.month);
        box.dataset.due = m.due_fen;
        label.append(box, el("span", "", monthShort(m.month) + (box.disabled && m.state_label ? "（" + m.state_label + "）" : "")));
        return label;
      }),
    );
    suggest();
  }

  const picked = () => Array.from(checks.querySelectorAll("input:checked"));

  /** The amount by the monthly standard for the months chosen, filled in until the member types
   *  their own. */
  function suggest() {
    const fen = picked().reduce((sum, b) => sum + +b.dataset.due, 0);
    expected.textContent = picked().length ? "按每月标准，" + picked().length + " 个月应交 " + yuan(fen) + " 元" : "";
    if (!amountTyped) form.amount.value = fen ? yuan(fen) : "";
  }
  checks.addEventListener("change", suggest);
  form.amount.addEventListener("input", () => (amountTyped = form.amount.value.trim() !== ""));

  // The receipt for the next payment: shrunk as soon as it is picked, shown before it is sent.
  [form.camera, form.photo].forEach((input) =>
    input.addEventListener("change", async () => {
      const file = input.files[0];
      input.value = "";
      if (!file) return;
      say(formStatus, "正在压缩照片……", "wait");
      try {
        const shrunk = await shrink(file);
        dropReceipt();
        receipt = { blob: shrunk.blob, url: URL.createObjectURL(shrunk.blob) };
        preview.querySelector("img").src = receipt.url;
        const cap = preview.querySelector("figcaption");
        const remove = smallButton("不附照片", true);
        remove.addEventListener("click", dropReceipt);
        cap.replaceChildren("已压缩为 " + kb(shrunk.blob.size) + "，登记后上传。 ", remove);
        preview.hidden = false;
        say(formStatus, "");
      } catch (e) {
        say(formStatus, "无法读取这张照片，请换一张（JPEG、PNG 或 WebP）。", "error");
      }
    }),
  );

  function dropReceipt() {
    if (receipt) URL.revokeObjectURL(receipt.url);
    receipt = null;
    preview.hidden = true;
  }

  /** A receipt sent for payment `id` through the outbox: the payment, or null when it waits. */
  async function upload(id, blob) {
    progress(0);
    try {
      const r = await send({ method: "POST", path: "/api/dues/payments/" + encodeURIComponent(id) + "/receipt", what: "党费收据照片", form: { photo: blob } }, progress);
      return r.queued ? null : r.payment;
    } finally {
      bar.hidden = true;
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const months = picked().map((b) => b.value);
    if (!months.length) {
      say(formStatus, "请选择交的是哪几个月。", "error");
      return (checks.querySelector("input:not(:disabled)") || form.amount).focus();
    }
    const fen = toFen(form.amount.value);
    if (!fen) {
      say(formStatus, "请填写金额，以元为单位，例如 0.60。", "error");
      return form.amount.focus();
    }
    const method = form.querySelector("input[name=method]:checked").value;
    submitButton.disabled = true;
    say(formStatus, "正在登记……", "wait");
    try {
      const json = { months, amount_fen: fen, method, note: form.note.value };
      const r = await send({ method: "POST", path: "/api/dues/payments", what: "党费登记", json });
      const what = monthList(months) + "的党费 " + yuan(fen) + " 元";
      if (r.queued) {
        say(formStatus, "网络未连接：" + what + "的登记已保存在本机，联网后自动提交，不会重复。" + (receipt ? "收据照片请在联网后，在“我的登记”中补传。" : ""), "wait");
        return clear();
      }
      let note = "已登记" + what + "，等待支部确认。";
      if (receipt) {
        say(formStatus, "正在上传收据照片……", "wait");
        try {
          const done = await upload(r.payment.id, receipt.blob);
          if (!done) note += "收据照片已保存在本机，联网后自动上传。";
        } catch (err) {
          note += "收据照片没有上传成功（" + err.message.replace(/[。.]+$/, "") + "），可以在“我的登记”中补传。";
        }
      }
      clear();
      await load();
      say(formStatus, note, "ok");
    } catch (err) {
      say(formStatus, err.message, "error");
      if (err.code === "already_paid") await load().catch(() => {});
      if (err.field === "amount_fen") form.amount.focus();
      else focusField(form, err);
    } finally {
      submitButton.disabled = false;
    }
  });

  function clear() {
    checks.querySelectorAll("input:checked").forEach((b) => (b.checked = false));
    form.note.value = "";
    amountTyped = false;
    dropReceipt();
    suggest();
  }

  /** A waiting payment's buttons: add or replace its receipt, withdraw it. */
  function actions(p) {
    if (p.status !== "pending") return null;
    const box = el("div", "form-actions");
    const input = el("input", "visually-hidden");
    input.type = "file";
    input.accept = "image/*";
    input.id = "receipt-" + p.id;
    const pick = el("label", "button button-quiet button-small", p.receipt ? "更换收据照片" : "补传收据照片");
    pick.htmlFor = input.id;
    const line = el("p", "form-status");
    line.setAttribute("role", "status");
    input.addEventListener("change", async () => {
      const file = input.files[0];
      input.value = "";
      if (!file) return;
      say(line, "正在压缩并上传……", "wait");
      try {
        const done = await upload(p.id, (await shrink(file)).blob);
        if (!done) return say(line, "网络未连接：照片已保存在本机，联网后自动上传。", "wait");
        await load();
        say(status, "收据照片已上传。", "ok");
      } catch (err) {
        say(line, err.message || "无法读取这张照片，请换一张。", "error");
      }
    });
    const withdraw = smallButton("撤回", true);
    withdraw.addEventListener("click", async () => {
      if (!window.confirm("撤回" + monthList(p.months) + "的这笔登记？撤回后可以改正再登记。")) return;
      withdraw.disabled = true;
      try {
        await api("DELETE", "/api/dues/payments/" + encodeURIComponent(p.id));
        await load();
        say(status, "已撤回" + monthList(p.months) + "的登记。", "ok");
      } catch (err) {
        withdraw.disabled = false;
        say(line, err.message, "error");
      }
    });
    box.append(input, pick, withdraw);
    const wrap = el("div");
    wrap.append(box, line);
    return wrap;
  }

  // A payment or receipt kept offline and sent later (from this page or another).
  window.addEventListener("zhibu:sent", (e) => {
    const { item } = e.detail;
    if (!sentHere(item) && item.path.indexOf("/api/dues/") === 0) load().catch(() => {});
  });

  select.addEventListener("change", () => {
    const url = new URL(location.href);
    url.searchParams.set("year", select.value);
    history.replaceState(null, "", url);
    load().catch((err) => say(status, err.message, "error"));
  });
  load().catch((err) => say(status, err.message, "error"));
}
