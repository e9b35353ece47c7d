// What the secretary's pages share (admin.js and its per-page modules admin-reports.js,
// admin-joining.js, admin-talks.js): who is logged in, the plain refusal for a member who may not
// use a page, table rows labelled for phones, times with their year, and the roster read once.

import { session, api, say, when } from "./api.js";
import { el } from "./file.js";

export { el };

export const me = session();

/** The plain refusal for a member who may not use the page (or no longer may). */
export function refuse() {
  const note = document.querySelector("[data-zhibu=admin-refused]");
  const body = document.querySelector("[data-zhibu=admin]");
  if (body) body.hidden = true;
  if (!note) return;
  const name = note.querySelector("[data-name]");
  if (name && me) name.textContent = "（" + me.member.name + "）";
  note.hidden = false;
}

/** A panel that could not be filled: refused (403) or the error on its status line. */
export function failed(box, err) {
  if (err && err.status === 403) refuse();
  const status = box.querySelector(".form-status");
  if (status) say(status, (err && err.message) || String(err), "error");
}

export function row(cells) {
  const tr = el("tr");
  cells.forEach((c) => tr.append(c instanceof Node ? c : el("td", "", c)));
  return tr;
}

/** A table cell holding nodes (links, buttons). */
export function cell(...nodes) {
  const td = el("td");
  td.append(...nodes);
  return td;
}

/** Appends rows to a table's body, each cell labelled with its column's heading (on phones a
 *  row is shown as a card of labelled lines). */
export function fill(tbody, rows) {
  const heads = Array.from(tbody.parentNode.querySelectorAll("thead th"), (th) => th.textContent);
  rows.forEach((tr) => Array.from(tr.cells).forEach((td, i) => td.colSpan === 1 && heads[i] && (td.dataset.label = heads[i])));
  tbody.append(...rows);
}

/** A time in Beijing time with the year, e.g. "2026年11月26日 08:05". */
export function full(iso) {
  return new Date(Date.parse(iso) + 8 * 36e5).getUTCFullYear() + "年" + when(iso);
}

let roster = null;
/** The roster (GET /api/admin/members, admins only), read once per page. */
export function rosterOnce() {
  if (!roster) roster = api("GET", "/api/admin/members").then((d) => d.members);
  return roster;
}

/** The page's address with `key` set to `value` (the choice kept in the address bar). */
export function remember(key, value) {
  const url = new URL(location.href);
  url.searchParams.set(key, value);
  history.replaceState(null, "", url);
}
