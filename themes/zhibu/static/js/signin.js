// Sign-in (签到) for an event: its state (未开始 / 进行中 / 已结束 / 已签到), then
// POST /api/signins. The Geolocation API is called only after the member has ticked the consent
// box (which says what is kept, who sees it and for how long), once, for this sign-in — and only
// for an on-site event (one with a geofence): an online event has no consent box and never reads
// the location.

import { session, api, submit, say, when } from "./api.js";

// The API credits at most 200 m of a phone's reported error on site; beyond that a fix cannot
// show presence.
const GOOD_ENOUGH_ON_SITE_M = 200;

document.querySelectorAll("[data-zhibu=signin]").forEach(setUp);

function setUp(box) {
  const form = box.querySelector("form");
  const status = form.querySelector(".form-status");
  const button = form.querySelector("button[type=submit]");
  const consent = form.consent_location || null;
  const badge = box.querySelector("[data-state]");
  const event = box.dataset.event;
  const onSite = box.dataset.geofence === "true";
  const opens = Date.parse(box.dataset.opens || "");
  const closes = Date.parse(box.dataset.closes || "");

  function show(state, signed) {
    badge.textContent = state;
    badge.className = signed ? "badge" : "badge badge-gold";
    badge.hidden = false;
    button.disabled = !(state === "进行中" && session());
    if (consent) consent.disabled = button.disabled;
    if (signed) button.textContent = "已签到";
  }
  // The state by the clock; a page left open while the window opens or closes follows it.
  let state = null;
  let signed = false;
  const byClock = () => {
    const now = Date.now();
    const next = now < opens ? "未开始" : now > closes ? "已结束" : "进行中";
    if (signed || next === state) return;
    if (state === "未开始") say(status, "");
    state = next;
    show(next);
  };
  byClock();
  if (state === "未开始") say(status, "签到将于 " + when(box.dataset.opens) + " 开放。");
  setInterval(byClock, 30000);
  if (!session()) return;

  function signedIn(signin, again) {
    signed = true;
    show("已签到", true);
    const loc = signin.location;
    const where = !loc ? "" : loc.within_geofence === true ? "，已确认您在活动地点附近（只保存了大致位置）" : "，已记录大致位置";
    say(status, (again ? "您已于 " : "签到成功：") + when(signin.at) + (again ? " 签到过，以第一次为准" : "") + where + "。", "ok");
  }

  // Already signed in (possibly from another phone)?
  api("GET", "/api/signins")
    .then((d) => {
      const mine = d.signins.find((x) => x.event === event);
      if (mine) signedIn(mine, true);
    })
    .catch(() => {});

  // A sign-in kept offline and sent later, from this page or another.
  window.addEventListener("zhibu:sent", (e) => {
    const { item, data, error } = e.detail;
    if (item.path !== "/api/signins" || item.json.event !== event) return;
    if (error) say(status, error.message, "error");
    else signedIn(data.signin, false);
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!onSite) send(null);
    else if (consent && consent.checked) withLocation();
    else {
      say(status, "本次是现场活动，签到需要位置：请勾选上面的同意后再点“签到”。不便提供位置的同志，请联系支部书记登记出席，两种方式同等有效。", "error");
    }
  });

  function withLocation() {
    button.disabled = true;
    say(status, "正在获取位置（最多 15 秒）……如果手机询问，请选择“允许”。", "wait");
    locate().then(
      (p) => {
        const c = p.coords;
        if (c.accuracy > GOOD_ENOUGH_ON_SITE_M) {
          return refuse(
            "定位误差太大（约 " + Math.round(c.accuracy) + " 米），无法确认您在活动现场" +
              "。请打开手机的定位服务（GPS），到窗边或室外后再点“签到”。",
          );
        }
        send({ lat: c.latitude, lon: c.longitude, accuracy_m: Math.round(c.accuracy) });
      },
      (err) => refuse(locationProblem(err)),
    );
  }

  function refuse(message) {
    button.disabled = false;
    say(status, message + "仍有困难的同志，请联系支部书记登记出席，两种方式同等有效。", "error");
  }

  async function send(location) {
    button.disabled = true;
    say(status, "正在签到……", "wait");
    try {
      const r = await submit({
        method: "POST",
        path: "/api/signins",
        what: "签到",
        json: { event, consent_location: !!location, location },
      });
      if (r.queued) {
        say(status, "网络未连接：签到已保存在本机，联网后自动提交，不会重复记录。", "wait");
      } else {
        signedIn(r.data.signin, r.status === 200);
      }
    } catch (err) {
      button.disabled = false;
      say(status, err.message, "error");
    }
  }
}

function locate() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) reject({ code: 2 });
    else navigator.geolocation.getCurrentPosition(resolve, reject, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
  });
}

function locationProblem(err) {
  if (err.code === 1) {
    return "您没有允许本页读取位置（也可能是微信或浏览器没有定位权限，可在手机“设置”中打开）。";
  }
  if (err.code === 3) return "定位超时，15 秒内没有拿到位置。请到信号好的地方再试。";
  return "暂时无法获取位置，请确认手机已打开定位服务。";
}
