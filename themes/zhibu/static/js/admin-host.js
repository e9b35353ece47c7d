// 实习单位证明 (templates/shortcodes/admin_host.html; admins only): the notes interns uploaded,
// waiting ones first (GET /api/admin/host-notes), each with its photos, accepted or rejected with
// a reason the member reads (POST /api/admin/host-notes/{id}/review).

import { api, say } from "./api.js";
import { decisionForm, hostItem, period } from "./year.js";

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

  /** Accept, or reject with a reason, one waiting note. */
  function decide(n) {
    return decisionForm({
      id: "host-reason-" + n.id,
      ok: ["接收", "accept"],
      what: n.name + "的证明（" + n.unit + "）",
      path: "/api/admin/host-notes/" + encodeURIComponent(n.id) + "/review",
      refresh: show,
      done: (d) => (d === "accept" ? "已接收" : "已退回") + n.name + "的证明（" + n.unit + "，" + period(n) + "）。",
      status,
    });
  }

  await show();
}
