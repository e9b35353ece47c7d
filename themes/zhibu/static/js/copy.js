// Handwritten copies (手抄党章): today's assignment from the schedule; a photo taken or picked,
// shrunk in the browser (photo.js: long side at most 2000 px, JPEG quality 0.85: a 4 MB phone
// photo goes up as a few hundred KB) and sent to POST /api/copies with a progress bar, retried
// on failure and kept on the phone while offline; and the member's calendar (done, missed,
// today) with the streak, from GET /api/copies?campaign=.

import { session, api, submit, resend, say } from "./api.js";
import { shrink, kb } from "./photo.js";

const RETRY_AFTER_S = [2, 5, 10];

const schedule = document.querySelector("[data-zhibu=copy-schedule]");
const upload = document.querySelector("[data-zhibu=copy-upload]");
const calendar = document.querySelector("[data-zhibu=copy-progress]");
const any = upload || calendar || schedule;
const campaign = any && any.dataset.campaign;
const today = any && any.dataset.starts ? dayOf(any.dataset.starts) : 0;
const days = any ? +(any.dataset.days || 0) : 0;

/** The campaign day of today in Beijing time (1 on the start date). */
function dayOf(starts) {
  const bj = new Date(Date.now() + 8 * 36e5);
  const p = starts.split("-");
  return Math.floor((Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth(), bj.getUTCDate()) - Date.UTC(+p[0], p[1] - 1, +p[2])) / 864e5) + 1;
}

if (schedule) markSchedule();
if (calendar) {
  const cell = calendar.querySelector('li[data-day="' + today + '"]');
  if (cell) cell.classList.add("is-today");
}
if (upload) setUpUpload();
if (calendar && session()) refresh();

/** A schedule row's task, with the part of the Constitution it belongs to. */
function assignment(row) {
  let part = row;
  while (part && !part.classList.contains("part")) part = part.previousElementSibling;
  return (part ? part.textContent + "：" : "") + row.cells[2].textContent;
}

/** The schedule: today's row highlighted and repeated above the table, only this month open. */
function markSchedule() {
  const box = schedule.querySelector("[data-today]");
  const row = schedule.querySelector('tr[data-day="' + today + '"]');
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
    box.append(bold("今天是第 " + today + " 天"), "　" + assignment(row) + "　", a);
    schedule.querySelectorAll("details").forEach((d) => (d.open = d.contains(row)));
  }
  box.hidden = false;
}

/** Marks the calendar from the API: done, missed (before today, not done), today. */
function refresh() {
  if (!calendar) return Promise.resolve();
  return api("GET", "/api/copies?campaign=" + encodeURIComponent(campaign)).then((d) => {
    const done = new Set(d.days.map((x) => x.day));
    calendar.querySelectorAll("li[data-day]").forEach((li) => {
      const n = +li.dataset.day;
      const missed = n < today && !done.has(n);
      li.classList.toggle("is-done", done.has(n));
      li.classList.toggle("is-missed", missed);
      li.classList.toggle("is-today", n === today);
      li.setAttribute("aria-label", "第 " + n + " 天" + (done.has(n) ? "，已上传" : missed ? "，未上传，点击补传" : n === today ? "，今天" : ""));
      if ((missed || (n === today && !done.has(n))) && upload) {
        li.tabIndex = 0;
        li.setAttribute("role", "button");
      } else {
        li.removeAttribute("tabindex");
        li.removeAttribute("role");
      }
    });
    const summary = calendar.querySelector("[data-zhibu=copy-summary]");
    summary.replaceChildren("已完成 ", bold(d.days_done), " / " + days + " 天，连续 ", bold(d.streak), " 天");
  });
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
  const preview = form.querySelector("[data-preview]");
  let photo = null;
  let key = null;

  // Today's assignment, from the schedule's row of that day when the page has one.
  const task = document.createElement("p");
  task.className = "today-task";
  upload.querySelector(".form-title").after(task);
  const row = document.querySelector('[data-zhibu=copy-schedule] tr[data-day="' + today + '"]');
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

  // A missed day on the calendar: upload for that day.
  if (calendar) {
    const pick = (li) => {
      if (li.getAttribute("role") !== "button") return;
      dayInput.value = li.dataset.day;
      say(status, "补传第 " + li.dataset.day + " 天：请拍照或从相册选择。");
      form.scrollIntoView({ behavior: "smooth", block: "start" });
      dayInput.focus();
    };
    calendar.addEventListener("click", (e) => e.target.closest && e.target.closest("li[data-day]") && pick(e.target.closest("li[data-day]")));
    calendar.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && e.target.dataset.day && (e.preventDefault(), pick(e.target)));
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
    button.disabled = false;
    say(status, "照片已准备好，请点“上传”。");
  }

  const progress = (p) => {
    bar.hidden = false;
    bar.value = p;
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
      bar.hidden = true;
      return say(status, r.message, "error");
    }
    if (r.key) key = r.key;
    if (r.gone) return;
    if (!r.queued) return;
    if (navigator.onLine === false) {
      bar.hidden = true;
      return say(status, "网络未连接：照片已保存在本机，联网后自动上传。", "wait");
    }
    if (tries < RETRY_AFTER_S.length) {
      say(status, "上传没有成功，" + RETRY_AFTER_S[tries] + " 秒后自动重试……", "wait");
      await new Promise((ok) => setTimeout(ok, RETRY_AFTER_S[tries] * 1000));
      return settle(await resend(key, progress).catch((err) => err), tries + 1);
    }
    retry.hidden = false;
    say(status, "上传没有成功（" + (r.error ? r.error.message : "网络不稳定") + "）。照片已保存在本机，可以点“重试”，联网后也会自动上传。", "error");
  }

  // Any successful upload of this campaign, now or kept from before: mark the calendar.
  window.addEventListener("zhibu:sent", (e) => {
    const { item, data, error } = e.detail;
    if (item.path !== "/api/copies" || item.form.campaign !== campaign) return;
    bar.hidden = true;
    button.disabled = false;
    if (error) return say(status, "第 " + item.form.day + " 天的照片未能上传：" + error.message, "error");
    retry.hidden = true;
    photo = null;
    say(status, "第 " + data.copy.day + " 天的照片已上传，日历已更新。", "ok");
    refresh();
  });
}
