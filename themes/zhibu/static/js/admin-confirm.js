// 活动签到's second half (templates/shortcodes/admin_attendance.html; admins only): a member's
// attendance at the chosen event confirmed without a sign-in — by an accepted note of their host
// unit whose period covers the event's month (the notes from GET /api/admin/host-notes), or on
// the secretary's word with a note of how (POST /api/admin/events/{event}/attendance). The equal
// path for members who decline location; loaded by admin.js once an event is shown.

import { api, say, newKey } from "./api.js";
import { el } from "./admin-kit.js";
import { period } from "./year.js";

let form = null;
let event = null;
let reload = null;
let notes = null;

/** The month an event opened in, in Beijing time: `2026-11`. */
const monthOf = (iso) => new Date(Date.parse(iso) + 8 * 36e5).toISOString().slice(0, 7);

/** Sets the form up for `ev` with the members who have not signed in (`absent`: {id, name});
 *  `refresh()` shows the event again after a confirmation. */
export function confirmations(box, ev, absent, refresh) {
  event = ev;
  reload = refresh;
  if (!form) setUp(box);
  const who = form.member_id;
  const chosen = who.value;
  who.replaceChildren(
    ...absent.map((m) => {
      const o = el("option", "", m.name + "（" + m.id + "）");
      o.value = m.id;
      return o;
    }),
  );
  if (absent.some((m) => m.id === chosen)) who.value = chosen;
  if (!absent.length) who.append(el("option", "", "所有同志都已签到或确认"));
  who.disabled = form.querySelector("button[type=submit]").disabled = !absent.length;
  form.hidden = false;
  return basis();
}

function hostNotes() {
  if (!notes) notes = api("GET", "/api/admin/host-notes").then((d) => d.host_notes);
  return notes;
}

/** The chosen member's accepted notes, those covering the event's month first and chosen. */
async function basis() {
  const byHost = form.querySelector("input[name=basis]:checked").value === "host";
  const select = form.host_note_id;
  select.hidden = form.querySelector("[data-host-label]").hidden = !byHost;
  form.querySelector("[data-note-hint]").textContent = byHost ? "可选，200 字以内" : "必填，200 字以内：怎样确认的";
  if (!byHost) return;
  const month = monthOf(event.opens);
  const list = (await hostNotes().catch(() => []))
    .filter((n) => n.member_id === form.member_id.value && n.status === "accepted")
    .map((n) => ({ n, covers: n.from <= month && month <= n.to }))
    .sort((a, b) => b.covers - a.covers);
  select.replaceChildren(
    ...list.map(({ n, covers }) => {
      const o = el("option", "", n.unit + "，" + period(n) + (covers ? "" : "（不包括活动所在的月份）"));
      o.value = n.id;
      return o;
    }),
  );
  if (!list.length) select.append(el("option", "", "这位同志没有已接收的实习单位证明"));
  select.disabled = !list.length;
}

function setUp(box) {
  form = box.querySelector("[data-confirm]");
  const status = form.querySelector("[data-form-status]");
  const button = form.querySelector("button[type=submit]");
  form.member_id.addEventListener("change", basis);
  form.querySelectorAll("input[name=basis]").forEach((r) => r.addEventListener("change", basis));
  let key = newKey();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const byHost = form.querySelector("input[name=basis]:checked").value === "host";
    const json = { member_id: form.member_id.value, note: form.note.value };
    if (byHost) {
      if (form.host_note_id.disabled || !form.host_note_id.value) {
        say(status, "这位同志没有已接收的实习单位证明；可以改为“支部确认”。", "error");
        return form.querySelector("input[name=basis][value=secretary]").focus();
      }
      json.host_note_id = form.host_note_id.value;
    } else if (!form.note.value.trim()) {
      say(status, "支部确认时，请写明怎样确认的。", "error");
      return form.note.focus();
    }
    const name = form.member_id.selectedOptions[0].textContent;
    button.disabled = true;
    say(status, "正在登记……", "wait");
    try {
      const { confirmation } = await api("POST", "/api/admin/events/" + encodeURIComponent(event.id) + "/attendance", { json, key });
      key = newKey();
      form.note.value = "";
      await reload();
      say(status, "已登记" + name + "参加" + event.title + "（" + confirmation.basis_label + "）。", "ok");
    } catch (err) {
      if (err.status) key = newKey();
      say(status, err.message, "error");
      const input = err.field && form.elements[err.field];
      if (input && input.focus) input.focus();
    } finally {
      button.disabled = form.member_id.disabled;
    }
  });
}
