// Handwritten copies (手抄党章): today's assignment from the schedule; a photo taken or picked,
// shrunk in the browser (photo.js: long side at most 2000 px, JPEG quality 0.85: a 4 MB phone
// photo goes up as a few hundred KB) and sent to POST /api/copies with a progress bar, retried
// on failure and kept on the phone while offline; and the member's calendar from
// GET /api/copies?campaign=: the days done and today, any past day a button to upload it late.
// What was done is shown, never what was missed: no missed-day marks, no streak.

import { session, api, submit, resend, say, when } from "./api.js";
import { shrink, kb } from "./photo.js";

const RETRY_AFTER_S = [2, 5, 10];
// A calendar that could not be read is read again after these seconds, and whenever the
// connection returns or the page is shown again.
const REFRESH_AFTER_S = [5, 15, 60];

const schedule = document.querySelector("[data-zhibu=copy-schedule]");
const upload = document.querySelector("[data-zhibu=copy-upload]");
const calendar = document.querySelector("[data-zhibu=copy-progress]");
const any = upload || calendar || schedule;
const campaign = any && any.dataset.campaign;
const today = any && any.dataset.starts ? dayOf(any.dataset.starts) : 0;
const days = any ? +(any.dataset.days || 0) : 0;
/** The calendar is behind the server (its last reading failed); the retry timer and count. */
let stale = false;
let again = null;
let tries = 0;

/** The campaign day of today in Beijing time (1 on the start date). */
function dayOf(starts) {
  const bj = new Date(Date.now() + 8 * 36e5);
  const p = starts.split("-");
  return Math.floor((Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth(), bj.getUTCDate()) - Date.UTC(+p[0], p[1] - 1, +p[2])) / 864e5) + 1;
}

if (schedule) markSchedule();
if (calendar) {
  // One cell per day, made here: the page need not carry a hundred empty ones.
  const grid = calendar.querySelector(".day-grid");
  for (let n = 1; n <= +calendar.dataset.days; n++) {
    const li = document.createElement("li");
    li.dataset.day = n;
    grid.append(li);
  }
  const cell = calendar.querySelector('li[data-day="' + today + '"]');
  if (cell) cell.classList.add("is-today");
}
if (upload) setUpUpload();
if (calendar && session()) {
  refresh();
  window.addEventListener("online", () => refresh());
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && stale && refresh());
}

/** The schedule's row of day n (its first cell is the day's number), or null. */
function rowOf(n) {
  const rows = document.querySelectorAll("[data-zhibu=copy-schedule] tbody tr:not(.part)");
  return Array.from(rows).find((r) => +r.cells[0].textContent === n) || null;
}

/** A schedule row's task, with the part of the Constitution it belongs to. */
function assignment(row) {
  let part = row;
  while (part && !part.classList.contains("part")) part = part.previousElementSibling;
  return (part ? part.textContent + "：" : "") + row.cells[2].textContent;
}

/** The schedule: today's row highlighted and repeated above the table, only this month open. */
function markSchedule() {
  const box = schedule.querySelector("[data-today]");
  const row = rowOf(today);
  const p = schedule.dataset.starts.split("-");
  if (today < 1) box.textContent = "活动将于 " + +p[1] + " 月 " + +p[2] + " 日开始。";
  else if (!row) box.textContent = "本次活动已经结束，谢谢每一位参加的同志。";
  else {
    row.classList.add("is-today");
    row.setAttribute("aria-current", "date");
    row.id = "today";
    const a = document.createElement("a");
    a.href = "#today";
    a.textContent = "在表中查看";
    // The link opens the month it points into.
    a.addEventListener("click", () => (row.closest("details").open = true));
    box.append(bold("今天是第 " + today + " 天"), "　" + assignment(row) + "　", a);
    // This month open only below the upload form: above it, the table would push it down.
    const after = upload && upload.compareDocumentPosition(schedule) & Node.DOCUMENT_POSITION_FOLLOWING;
    if (after || !upload) row.closest("details").open = true;
  }
  box.hidden = false;
}

/** Marks the calendar from the API: the days done and today; with the upload form on the page,
 *  every day up to today is a button that picks it. A failed reading says so under the calendar
 *  and is tried again (REFRESH_AFTER_S, and on the `online` event); it never rejects. */
function refresh() {
  if (!calendar) return Promise.resolve();
  clearTimeout(again);
  return api("GET", "/api/copies?campaign=" + encodeURIComponent(campaign)).then(
    (d) => {
      stale = false;
      tries = 0;
      calendar.querySelector("[data-calendar-note]").hidden = true;
      const done = new Set(d.days.map((x) => x.day));
      calendar.querySelectorAll("li[data-day]").forEach((li) => markDay(li, done.has(+li.dataset.day)));
      summarise(d.days_done);
    },
    () => {
      stale = true;
      const note = calendar.querySelector("[data-calendar-note]");
      say(note, "日历暂时没有更新（网络不稳定），联网后会自动刷新。", "wait");
      note.hidden = false;
      if (tries < REFRESH_AFTER_S.length) again = setTimeout(refresh, REFRESH_AFTER_S[tries++] * 1000);
    },
  );
}

/** One day of the calendar: done or not, today, and (up to today, with the upload form) a
 *  button to upload that day's photo — a list item keeps its role, the button is inside. */
function markDay(li, done) {
  const n = +li.dataset.day;
  li.classList.toggle("is-done", done);
  li.classList.toggle("is-today", n === today);
  const what = "第 " + n + " 天" + (n === today ? "（今天）" : "") + (done ? "，已上传" : "");
  if (upload && n <= Math.min(today, days)) {
    let b = li.querySelector("button");
    if (!b) {
      b = document.createElement("button");
      b.type = "button";
      b.className = "day-pick";
      b.dataset.day = n;
      b.textContent = n;
      li.replaceChildren(b);
    }
    b.setAttribute("aria-label", what + (done ? "，点击可换一张" : "，点击上传"));
  } else {
    li.textContent = n;
    li.setAttribute("aria-label", what);
  }
}

function summarise(n) {
  const summary = calendar.querySelector("[data-zhibu=copy-summary]");
  summary.replaceChildren("已完成 ", bold(n), " / " + days + " 天");
  summary.dataset.done = n;
}

/** A day just uploaded, marked at once (before the calendar is read again). */
function markDone(day) {
  if (!calendar) return;
  const li = calendar.querySelector('li[data-day="' + day + '"]');
  if (!li || li.classList.contains("is-done")) return;
  markDay(li, true);
  const summary = calendar.querySelector("[data-zhibu=copy-summary]");
  if (summary.dataset.done) summarise(+summary.dataset.done + 1);
}

function bold(n) {
  const b = document.createElement("strong");
  b.textContent = n;
  return b;
}

function setUpUpload() {
  const form = upload.querySelector("form");
  const status = form.querySelector(".form-status");
  const dayInput = form.day;
  const pickers = [form.camera, form.photo];
  const button = form.querySelector("button[type=submit]");
  const retry = form.querySelector("[data-retry]");
  const bar = form.querySelector("[data-progress]");
  const percent = form.querySelector("[data-percent]");
  const preview = form.querySelector("[data-preview]");
  let photo = null;
  let key = null;

  // Today's assignment, from the schedule's row of that day when the page has one.
  const task = document.createElement("p");
  task.className = "today-task";
  upload.querySelector(".form-title").after(task);
  const row = rowOf(today);
  if (today < 1) task.textContent = "活动还没有开始，第 1 天是 " + upload.dataset.starts + "。";
  else if (today > days) task.textContent = "本次活动已经结束，谢谢参加。漏掉的日子仍可补传。";
  else {
    task.textContent = "";
    task.append(bold("今天是第 " + today + " 天"), row ? "：" + assignment(row) : "");
  }
  task.hidden = !upload.dataset.starts;

  if (!session()) return;
  const last = Math.max(1, Math.min(today, days));
  dayInput.max = last;
  dayInput.value = last;
  dayInput.disabled = false;
  pickers.forEach((p) => {
    p.disabled = false;
    p.addEventListener("change", () => {
      if (p.files[0]) choose(p.files[0]);
      p.value = ""; // the same photo may be picked again
    });
  });

  // A day on the calendar: upload for that day.
  if (calendar) {
    calendar.addEventListener("click", (e) => {
      const b = e.target.closest && e.target.closest("button.day-pick");
      if (!b) return;
      const n = +b.dataset.day;
      dayInput.value = n;
      say(status, (n === today ? "今天是第 " + n + " 天" : "补传第 " + n + " 天") + "：请拍照或从相册选择。");
      form.scrollIntoView({ behavior: "smooth", block: "start" });
      dayInput.focus();
    });
  }

  async function choose(file) {
    button.disabled = true;
    say(status, "正在压缩照片……", "wait");
    try {
      photo = await shrink(file);
    } catch (e) {
      photo = null;
      return say(status, "无法读取这张照片，请换一张（JPEG、PNG 或 WebP）。", "error");
    }
    const img = preview.querySelector("img");
    if (img.src) URL.revokeObjectURL(img.src);
    img.src = URL.createObjectURL(photo.blob);
    preview.querySelector("figcaption").textContent =
      "原图 " + kb(file.size) + "，压缩后 " + kb(photo.blob.size) + "（" + photo.width + "×" + photo.height + "）";
    preview.hidden = false;
    preview.classList.remove("is-sent");
    button.disabled = false;
    say(status, "照片已准备好，请点“上传”。");
  }

  const progress = (p) => {
    bar.hidden = false;
    bar.value = p;
    percent.hidden = false;
    percent.textContent = "已发送 " + Math.round(p * 100) + "%";
  };
  const idle = () => {
    bar.hidden = true;
    percent.hidden = true;
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const day = +dayInput.value;
    if (!(day >= 1 && day <= last)) return say(status, "请填写第 1 至 " + last + " 天。", "error");
    if (!photo) return say(status, "请先拍照或从相册选择照片。", "error");
    button.disabled = true;
    retry.hidden = true;
    progress(0);
    say(status, "正在上传第 " + day + " 天的照片……", "wait");
    const r = await submit({ method: "POST", path: "/api/copies", what: "手抄照片", form: { campaign, day, photo: photo.blob } }, progress).catch((err) => err);
    settle(r, 0);
  });

  retry.addEventListener("click", async () => {
    retry.hidden = true;
    say(status, "正在重新上传……", "wait");
    settle(await resend(key, progress).catch((err) => err), 0);
  });

  // The answer of an attempt: done, refused, or (no connection, server trouble) kept on the
  // phone and tried again a few times, then by the retry button or when the connection returns.
  async function settle(r, tries) {
    if (r instanceof Error) {
      button.disabled = false;
      idle();
      return say(status, r.message, "error");
    }
    if (r.key) key = r.key;
    if (r.gone) return;
    if (!r.queued) return;
    if (navigator.onLine === false) {
      idle();
      return say(status, "网络未连接：照片已保存在本机，联网后自动上传。", "wait");
    }
    if (tries < RETRY_AFTER_S.length) {
      say(status, "上传没有成功，" + RETRY_AFTER_S[tries] + " 秒后自动重试……", "wait");
      await new Promise((ok) => setTimeout(ok, RETRY_AFTER_S[tries] * 1000));
      return settle(await resend(key, progress).catch((err) => err), tries + 1);
    }
    retry.hidden = false;
    const why = r.error ? r.error.message.replace(/[。.]+$/, "") : "网络不稳定";
    say(status, "上传没有成功（" + why + "）。照片已保存在本机，可以点“重试”，联网后也会自动上传。", "error");
  }

  // Any successful upload of this campaign, now or kept from before: mark the calendar.
  window.addEventListener("zhibu:sent", (e) => {
    const { item, data, error } = e.detail;
    if (item.path !== "/api/copies" || item.form.campaign !== campaign) return;
    idle();
    if (error) {
      button.disabled = false;
      return say(status, "第 " + item.form.day + " 天的照片未能上传：" + error.message, "error");
    }
    // Done: the photo sent is shown as sent, and 上传 waits for the next photo.
    retry.hidden = true;
    photo = null;
    button.disabled = true;
    preview.classList.add("is-sent");
    preview.querySelector("figcaption").textContent = "✓ 第 " + data.copy.day + " 天的照片已上传（" + when(data.copy.at) + "）";
    say(status, "第 " + data.copy.day + " 天的照片已上传，日历已标上。要换一张，重新拍照或选择即可。", "ok");
    markDone(data.copy.day);
    refresh();
  });
}
