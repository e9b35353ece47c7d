// Every page: the member's name and a logout in the header, login links that come back to this
// page, and the outbox — submissions kept while offline are sent on page load and whenever the
// connection returns, and a bar at the foot of the screen says what is still waiting.

import { session, loginHref, toLogin, flush, waiting, logout, say } from "./api.js";

// A page opened from a search result (?highlight=…) marks the query: js/highlight.js is fetched
// only then, so no other page pays for it.
if (new URLSearchParams(location.search).has("highlight")) import("./highlight.js");

const s = session();
const slot = document.querySelector("[data-zhibu=member]");
let bar = null;

const loginPage = new URL(document.body.dataset.login || "/login/", location.href).pathname;

// Login links (header, "please log in" notes) lead back here.
if (location.pathname !== loginPage) {
  document.querySelectorAll(".member-link[href], .login-needed a").forEach((a) => (a.href = loginHref()));
}

if (s && slot) {
  // The member's own page (我的) where the site has one, else the login page (account, notes).
  const mePage = document.body.dataset.me && new URL(document.body.dataset.me, location.href).pathname;
  const name = document.createElement("a");
  name.className = "member-name";
  name.href = mePage || loginPage;
  name.textContent = s.member.name;
  name.title = mePage ? "我的" : "我的账户和心得";
  const out = document.createElement("button");
  out.type = "button";
  out.className = "member-link member-logout";
  out.textContent = "退出";
  out.title = "退出登录";
  out.addEventListener("click", logout);
  const links = [name];
  if (s.member.role === "admin" || s.member.role === "committee") {
    // The secretary's pages (a committee member's: the reviewers' ones); the API checks the
    // role on every call anyway.
    const admin = document.createElement("a");
    admin.className = "member-link member-admin";
    admin.href = document.body.dataset.admin || "/admin/";
    admin.textContent = "管理";
    links.push(admin);
  }
  slot.replaceChildren(...links, out);
  document.querySelectorAll(".login-needed").forEach((p) => (p.hidden = true));
}

/** The bar about waiting submissions, made when first needed. */
async function showWaiting(note, kind) {
  if (!bar) {
    bar = document.createElement("p");
    bar.className = "outbox-status";
    bar.setAttribute("role", "status");
    document.querySelector(".site-header").append(bar);
  }
  const n = (await waiting()).length;
  if (note) say(bar, note, kind);
  else if (n) say(bar, "有 " + n + " 条内容已保存在本机，等待网络恢复后自动提交。", "wait");
  bar.hidden = !note && !n;
  // Good news goes away by itself; what still waits stays on screen.
  clearTimeout(bar.timer);
  if (kind === "ok") bar.timer = setTimeout(() => showWaiting(), 8000);
}

// Keys sent by the flushes below: their answers are reported on the bar (a
// form on the page reports its own too).
const background = new Set();

async function send() {
  const items = await waiting();
  if (!items.length) return;
  items.forEach((i) => background.add(i.key));
  const r = await flush();
  if (r && r.login) toLogin(true);
  else if (r) showWaiting();
}

if (s) {
  window.addEventListener("zhibu:sent", (e) => {
    const { item, error } = e.detail;
    if (!background.has(item.key)) return showWaiting(); // sent by its form: recount
    if (error) showWaiting("离线保存的" + item.what + "未能提交：" + error.message, "error");
    else showWaiting("离线保存的" + item.what + "已经提交。", "ok");
  });
  window.addEventListener("zhibu:queued", () => showWaiting());
  window.addEventListener("online", send);
  send();
}
