// 实习单位证明 (templates/shortcodes/host_form.html): the host organisation's note on an intern's
// attendance for a period — unit, from, to, a note and 1–4 photos of the signed letter, each
// shrunk in the browser (photo.js) and shown before they go, all sent in one multipart POST
// /api/host-notes (repeated `photo` fields) through the outbox — and the member's notes with
// status and reason (GET /api/host-notes/mine).

import { session, api, toLogin, say } from "./api.js";
import { shrink, kb } from "./photo.js";
import { el, send, sentHere, focusField } from "./file.js";
import { thisMonth, monthLabel, hostItem, smallButton } from "./year.js";

const root = document.querySelector("[data-zhibu=host]");
const mine = document.querySelector("[data-zhibu=host-mine]");
const me = session();
const MAX = 4;
const MONTH = /^20\d\d-(0[1-9]|1[0-2])$/;

if (root) {
  if (!me) toLogin();
  else setUp();
}

function setUp() {
  const form = root.querySelector("form");
  const status = form.querySelector("[data-form-status]");
  const pageList = form.querySelector("[data-pages]");
  const pickers = [form.camera, form.photo];
  const bar = form.querySelector("[data-progress]");
  const button = form.querySelector("button[type=submit]");
  const listStatus = mine.querySelector("[data-status]");
  const list = mine.querySelector("[data-notes]");
  let photos = []; // [{blob, url}]
  let busy = false;

  Array.from(form.elements).forEach((e) => (e.disabled = false));
  form.from.value = form.to.value = thisMonth();

  async function refresh() {
    const { host_notes } = await api("GET", "/api/host-notes/mine");
    list.replaceChildren(...host_notes.map((n) => hostItem(n)));
    say(listStatus, host_notes.length ? "" : "还没有上传过证明。");
  }

  function showPhotos() {
    pageList.replaceChildren(
      ...photos.map((p, i) => {
        const li = el("li", "report-page");
        const fig = el("figure");
        const img = el("img");
        img.src = p.url;
        img.alt = "待上传的证明第 " + (i + 1) + " 张";
        fig.append(img, el("figcaption", "", "第 " + (i + 1) + " 张 · " + kb(p.blob.size)));
        const remove = smallButton("删除", true);
        remove.setAttribute("aria-label", "删除第 " + (i + 1) + " 张");
        remove.addEventListener("click", () => {
          URL.revokeObjectURL(p.url);
          photos.splice(i, 1);
          showPhotos();
        });
        li.append(fig, remove);
        return li;
      }),
    );
    pickers.forEach((p) => (p.disabled = busy || photos.length >= MAX));
  }

  pickers.forEach((input) =>
    input.addEventListener("change", async () => {
      const files = Array.from(input.files);
      input.value = "";
      for (const file of files) {
        if (photos.length >= MAX) {
          say(status, "每份证明最多 " + MAX + " 张照片。", "error");
          break;
        }
        say(status, "正在压缩照片……", "wait");
        try {
          const { blob } = await shrink(file);
          photos.push({ blob, url: URL.createObjectURL(blob) });
          say(status, "");
        } catch (e) {
          say(status, "无法读取这张照片，请换一张（JPEG、PNG 或 WebP）。", "error");
          break;
        }
        showPhotos();
      }
    }),
  );

  function clear() {
    photos.forEach((p) => URL.revokeObjectURL(p.url));
    photos = [];
    form.unit.value = form.note.value = "";
    form.from.value = form.to.value = thisMonth();
    showPhotos();
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (busy) return;
    const from = form.from.value.trim();
    const to = form.to.value.trim();
    const problem = !form.unit.value.trim()
      ? ["unit", "请填写出具证明的实习单位党组织。"]
      : !MONTH.test(from)
        ? ["from", "请填写开始的月份，例如 2026-09。"]
        : !MONTH.test(to)
          ? ["to", "请填写结束的月份，例如 2026-12。"]
          : to < from
            ? ["to", "结束月份不能早于开始月份。"]
            : !photos.length
              ? ["photo", "请拍照或从相册选择证明的照片（1 至 4 张）。"]
              : null;
    if (problem) {
      say(status, problem[1], "error");
      return form[problem[0]].focus();
    }
    busy = true;
    button.disabled = true;
    showPhotos();
    say(status, "正在上传……", "wait");
    bar.hidden = false;
    bar.value = 0;
    try {
      const fields = { unit: form.unit.value, from, to, note: form.note.value, photo: photos.map((p) => p.blob) };
      const r = await send({ method: "POST", path: "/api/host-notes", what: "实习单位证明", form: fields }, (v) => (bar.value = v));
      const what = monthLabel(from) + (from === to ? "" : "至" + monthLabel(to)) + "的证明";
      if (r.queued) {
        clear();
        return say(status, "网络未连接：" + what + "已保存在本机，联网后自动上传，不会重复。", "wait");
      }
      clear();
      await refresh();
      say(status, what + "已上传，共 " + r.host_note.pages.length + " 张照片，等待支部审核。", "ok");
    } catch (err) {
      say(status, err.message, "error");
      focusField(form, err);
    } finally {
      busy = false;
      button.disabled = false;
      bar.hidden = true;
      showPhotos();
    }
  });

  // A note kept offline and sent later (from this page or another).
  window.addEventListener("zhibu:sent", (e) => {
    const { item, error } = e.detail;
    if (sentHere(item) || item.path !== "/api/host-notes") return;
    if (error) say(status, "离线保存的" + item.what + "未能提交：" + error.message, "error");
    refresh().catch(() => {});
  });

  refresh().catch((err) => say(listStatus, err.message, "error"));
}
