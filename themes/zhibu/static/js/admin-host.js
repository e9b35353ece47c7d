// 实习单位证明 (templates/shortcodes/admin_host.html; admins only): the notes interns uploaded,
// waiting ones first (GET /api/admin/host-notes), each with its photos, accepted or rejected with
// a reason the member reads (POST /api/admin/host-notes/{id}/review).

import { api, say, newKey } from "./api.js";
import { el } from "./admin-kit.js";
import { hostItem, period, smallButton } from "./year.js";

export async function host(box) {
  const status = box.querySelector("[data-status]");
  const waiting = box.querySelector("[data-waiting]");
  const done = box.querySelector("[data-done]");

  async function show() {
    const { host_notes } = await api("GET", "/api/admin/host-notes");
    const open = host_notes.filter((n) => n.status === "submitted");
    waiting.replaceChildren(
      ...open.map((n) => {
        const li = hostItem(n, { name: true, actions: decide });
        li.classList.add("review");
        return li;
      }),
    );
    done.replaceChildren(...host_notes.filter((n) => n.status !== "submitted").map((n) => hostItem(n, { name: true })));
    box.querySelector("[data-count]").textContent = open.length ? "（" + open.length + " 份）" : "";
    box.querySelector("[data-no-waiting]").hidden = open.length > 0;
    say(status, host_notes.length ? "" : "还没有人上传实习单位证明。");
  }

  function decide(n) {
    const wrap = el("div", "review-decide form");
    const id = "host-reason-" + n.id;
    const label = el("label", "field", "退回原因 ");
    label.htmlFor = id;
    label.append(el("span", "field-hint", "退回时必填，本人会看到"));
    const reason = el("textarea");
    reason.id = id;
    reason.rows = 2;
    reason.maxLength = 200;
    const actions = el("div", "form-actions");
    const accept = smallButton("接收");
    const reject = smallButton("退回", true);
    accept.setAttribute("aria-label", "接收" + n.name + "的证明（" + n.unit + "）");
    reject.setAttribute("aria-label", "退回" + n.name + "的证明（" + n.unit + "）");
    actions.append(accept, reject);
    const line = el("p", "form-status");
    line.setAttribute("role", "status");
    wrap.append(label, reason, actions, line);
    let key = newKey();
    async function send(decision) {
      const text = reason.value.trim();
      if (decision === "reject" && !text) {
        say(line, "退回时请写明原因，本人会看到。", "error");
        return reason.focus();
      }
      accept.disabled = reject.disabled = true;
      say(line, "正在提交……", "wait");
      try {
        const json = text ? { decision, reason: text } : { decision };
        await api("POST", "/api/admin/host-notes/" + encodeURIComponent(n.id) + "/review", { json, key });
        await show();
        say(status, (decision === "accept" ? "已接收" : "已退回") + n.name + "的证明（" + n.unit + "，" + period(n) + "）。", "ok");
      } catch (err) {
        if (err.status) key = newKey();
        accept.disabled = reject.disabled = false;
        say(line, err.message, "error");
        if (err.code === "reviewed") await show().catch(() => {});
      }
    }
    accept.addEventListener("click", () => send("accept"));
    reject.addEventListener("click", () => send("reject"));
    return wrap;
  }

  await show();
}
