// Heart-to-heart talks for the member (templates/shortcodes/talk_form.html): a request for a talk
// (POST /api/talks/requests through the outbox: kept on the phone while offline, one open request
// at a time), the member's requests — an open one may be withdrawn — and the records of their
// talks (GET /api/talks/mine), each with the member's own note.

import { session, api, toLogin, say, newKey } from "./api.js";
import { el, send, sentHere, focusField, length, talkItem, requestItem, talkNoteForm } from "./file.js";

const ask = document.querySelector("[data-zhibu=talk-ask]");
const mine = document.querySelector("[data-zhibu=talk-mine]");
const me = session();

if (ask || mine) {
  if (!me) toLogin();
  else setUp();
}

function setUp() {
  const form = ask.querySelector("form");
  const status = form.querySelector(".form-status");
  const button = form.querySelector("button[type=submit]");
  const listStatus = mine.querySelector("[data-status]");
  const requests = mine.querySelector("[data-requests]");
  const talks = mine.querySelector("[data-talks]");
  let open = false;

  Array.from(form.elements).forEach((e) => (e.disabled = false));

  /** The member's requests and talks; `hint` says so when a request is already waiting. */
  async function refresh(hint) {
    const d = await api("GET", "/api/talks/mine");
    open = d.requests.some((r) => r.status === "open");
    requests.replaceChildren(...d.requests.map(request));
    talks.replaceChildren(...d.talks.map(talk));
    mine.querySelector("[data-requests-title]").hidden = !d.requests.length;
    mine.querySelector("[data-talks-title]").hidden = !d.talks.length;
    say(listStatus, d.requests.length || d.talks.length ? "" : "还没有谈话申请和谈话记录。");
    button.disabled = open;
    if (open && hint) say(status, "您有一条申请正在等待安排；如需改变时间或内容，可以撤回后重新申请。");
  }

  function request(r) {
    let actions = null;
    if (r.status === "open") {
      actions = el("div", "form-actions");
      const close = el("button", "button button-quiet button-small", "撤回申请");
      close.type = "button";
      close.addEventListener("click", async () => {
        if (!window.confirm("撤回这条谈话申请？")) return;
        close.disabled = true;
        try {
          await api("POST", "/api/talks/requests/" + encodeURIComponent(r.id) + "/close", { json: {}, key: newKey() });
          say(status, "申请已撤回。", "ok");
          await refresh();
        } catch (err) {
          close.disabled = false;
          say(listStatus, err.message, "error");
        }
      });
      actions.append(close);
    }
    return requestItem(r, actions);
  }

  function talk(t) {
    const li = talkItem(t, (x) => talkNoteForm(x, (saved) => li.replaceWith(talk(saved))));
    return li;
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const mode = form.querySelector("input[name=mode]:checked");
    if (!mode) {
      say(status, "请选择谈话方式：面谈、电话或视频。", "error");
      return form.querySelector("input[name=mode]").focus();
    }
    for (const name of ["topic", "preferred"]) {
      if (length(form[name].value) > 200) {
        say(status, "每项最多 200 字。", "error");
        return form[name].focus();
      }
    }
    button.disabled = true;
    say(status, "正在提交……", "wait");
    try {
      const json = { topic: form.topic.value, preferred: form.preferred.value, mode: mode.value };
      const r = await send({ method: "POST", path: "/api/talks/requests", what: "谈心谈话申请", json });
      if (r.queued) return say(status, "网络未连接：申请已保存在本机，联网后自动提交，不会重复。", "wait");
      form.reset();
      await refresh();
      say(status, "申请已提交，支部会联系您约定时间。", "ok");
    } catch (err) {
      say(status, err.message, "error");
      focusField(form, err);
      button.disabled = open;
    }
  });

  // A request kept offline and sent later (from this page or another).
  window.addEventListener("zhibu:sent", (e) => {
    const { item, error } = e.detail;
    if (sentHere(item) || item.path.indexOf("/api/talks/") !== 0) return;
    if (error) say(status, "离线保存的" + item.what + "未能提交：" + error.message, "error");
    refresh().catch(() => {});
  });

  refresh(true).catch((err) => say(listStatus, err.message, "error"));
}
