// The login page: member id and access code → POST /api/session; the session is kept in
// localStorage and the member goes back to the page that sent them here (?next=).

import { session, saveSession, api, safeNext, say, when, logout } from "./api.js";

const box = document.querySelector("[data-zhibu=login]");
const form = box.querySelector("form");
const status = form.querySelector(".form-status");
const button = form.querySelector("button[type=submit]");
const params = new URLSearchParams(location.search);
const next = safeNext(params.get("next"));
const s = session();

if (s) {
  // Already logged in: who, until when, and a way out.
  const panel = box.querySelector("[data-member]");
  panel.querySelector("[data-name]").textContent = s.member.name;
  panel.querySelector("[data-id]").textContent = s.member.id;
  panel.querySelector("[data-until]").textContent = when(s.expires_at);
  panel.querySelector("[data-logout]").addEventListener("click", logout);
  panel.hidden = false;
  form.hidden = true;
  box.querySelector(".form-title").textContent = "当前登录";
} else {
  button.disabled = false;
  say(status, params.get("expired") ? "登录已过期，请重新登录，之后会回到刚才的页面。" : "", params.get("expired") ? "error" : "");
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const id = form.member_id.value.trim();
  const code = form.code.value.trim();
  if (!/^[A-Za-z0-9_-]{3,32}$/.test(id)) return fail("请填写成员编号（3 至 32 位字母、数字、下划线或短横线）。", form.member_id);
  if (!code) return fail("请填写个人访问码。", form.code);
  button.disabled = true;
  say(status, "正在登录……", "wait");
  try {
    const data = await api("POST", "/api/session", { json: { member_id: id, code }, auth: false });
    saveSession(data);
    say(status, "登录成功，欢迎您，" + data.member.name + "。", "ok");
    location.replace(next || location.pathname);
  } catch (err) {
    button.disabled = false;
    fail(err.message, err.field === "member_id" ? form.member_id : form.code);
  }
});

function fail(message, input) {
  say(status, message, "error");
  if (input) input.focus();
}
