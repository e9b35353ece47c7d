// The home page: marks the sign-in events and campaigns with their state in Beijing time
// (templates/index.html). Without scripts the lists read as they are. A file, not an inline
// script, so pages keep the Content-Security-Policy `script-src 'self'`.
(function () {
  var now = Date.now(), day = 864e5;
  function at(s) { return Date.parse(s.length > 10 ? s : s + "T00:00:00+08:00"); }
  var shown = 0, box = document.querySelector("[data-zhibu=events]");
  if (box) {
    box.querySelectorAll(".event").forEach(function (li) {
      var o = at(li.dataset.opens), c = at(li.dataset.closes), st = li.querySelector("[data-status]");
      if (now > c) { li.hidden = true; return; }
      shown++;
      st.textContent = now >= o ? "签到进行中" : "距开放签到还有 " + Math.ceil((o - now) / day) + " 天";
      st.hidden = false;
      if (now >= o) li.classList.add("is-open");
    });
    var none = box.querySelector("[data-none]");
    if (none && !shown) none.hidden = false;
  }
  document.querySelectorAll(".tile[data-starts]").forEach(function (t) {
    var s = at(t.dataset.starts), st = t.querySelector("[data-status]"), d = t.dataset.days;
    var e = d ? s + d * day : at(t.dataset.ends) + day, n = Math.floor((now - s) / day) + 1;
    st.textContent = now < s ? " · 即将开始" : now >= e ? " · 已结束" : d ? " · 今天是第 " + n + " 天" : " · 进行中";
  });
})();
