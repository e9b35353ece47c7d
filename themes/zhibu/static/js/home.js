// The home page: marks the sign-in events and campaigns with their state in Beijing time
// (templates/index.html) and, for a member who is logged in, with their own: 已签到 for an
// event they signed in to, 今天已上传 for a campaign whose day they have uploaded. Without
// scripts the lists read as they are. A file, not an inline script, so pages keep the
// Content-Security-Policy `script-src 'self'`.

import { session } from "./api.js";

const now = Date.now();
const DAY = 864e5;
const at = (s) => Date.parse(s.length > 10 ? s : s + "T00:00:00+08:00");
const me = session();

/** GET of the member's own records; null when there is no answer (the page reads as before). */
function mine(path) {
  if (!me) return Promise.resolve(null);
  return fetch(path, { headers: { Authorization: "Bearer " + me.token } })
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
}

const box = document.querySelector("[data-zhibu=events]");
if (box) {
  let shown = 0;
  const open = [];
  box.querySelectorAll(".event").forEach((li) => {
    const o = at(li.dataset.opens);
    const c = at(li.dataset.closes);
    const st = li.querySelector("[data-status]");
    if (now > c) {
      li.hidden = true;
      return;
    }
    shown++;
    st.textContent = now >= o ? "签到进行中" : "距开放签到还有 " + Math.ceil((o - now) / DAY) + " 天";
    st.hidden = false;
    if (now >= o) {
      li.classList.add("is-open");
      open.push(li);
    }
  });
  const none = box.querySelector("[data-none]");
  if (none && !shown) none.hidden = false;
  if (open.length) {
    mine("/api/signins").then((d) => {
      if (!d || !d.signins) return;
      const signed = new Set(d.signins.map((s) => s.event));
      open.forEach((li) => {
        if (!signed.has(li.dataset.event)) return;
        li.classList.remove("is-open");
        li.classList.add("is-signed");
        li.querySelector("[data-status]").textContent = "您已签到";
      });
    });
  }
}

// Campaigns under way first (a day-by-day one before a period), then the rest as built.
const tiles = Array.from(document.querySelectorAll(".tile[data-starts]"));
const rank = (t) => {
  const s = at(t.dataset.starts);
  const d = +t.dataset.days || 0;
  const running = now >= s && now < (d ? s + d * DAY : at(t.dataset.ends) + DAY);
  return running ? (d ? 0 : 1) : 2;
};
if (tiles.some((t, i) => i > 0 && rank(t) < rank(tiles[i - 1]))) {
  tiles
    .map((t, i) => [rank(t), i, t])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .forEach((x) => x[2].parentNode.append(x[2]));
}
tiles.forEach((t) => {
  const s = at(t.dataset.starts);
  const st = t.querySelector("[data-status]");
  const d = +t.dataset.days || 0;
  const e = d ? s + d * DAY : at(t.dataset.ends) + DAY;
  const n = Math.floor((now - s) / DAY) + 1;
  const running = now >= s && now < e;
  st.textContent = now < s ? " · 即将开始" : now >= e ? " · 已结束" : d ? " · 今天是第 " + n + " 天" : " · 进行中";
  if (running && d && t.dataset.campaign) {
    mine("/api/copies?campaign=" + encodeURIComponent(t.dataset.campaign)).then((r) => {
      if (r && r.days && r.days.some((x) => x.day === n)) st.textContent = " · 今天是第 " + n + " 天，您已上传";
    });
  }
});
