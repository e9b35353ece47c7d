// The member's side of the site in headless Chromium, as a phone in WeChat: run by
// tests/e2e/browser.rs, which builds the site, imports the members, starts `zhibu serve` and passes
// everything in E2E_CONFIG (JSON: base, chromium, shots, member, other, admin, pages, events,
// campaign, quiz). Each step leaves a screenshot in `shots`; the first failure ends the run
// with a screenshot of where it happened.

import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { PHONE, FLAGS, check, Steps, client, waitText, login, watchCsp } from "./harness.mjs";

const cfg = JSON.parse(process.env.E2E_CONFIG);
const { base, pages } = cfg;
const origin = new URL(base).origin;

const scratch = mkdtempSync(join(tmpdir(), "zhibu-e2e-"));
const steps = new Steps(cfg.shots);
const { shot, step } = steps;
const { call, token } = client(base);

const browser = await chromium.launch({ executablePath: cfg.chromium, headless: true, args: FLAGS });
let failed = false;
try {
  // A fresh context is a fresh profile: no storage, no permissions.
  const member = await browser.newContext(PHONE);
  const page = await member.newPage();
  steps.current = page;
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const blocked = [];
  watchCsp(page, blocked);
  page.on("dialog", (d) => d.accept());
  const memberToken = await token(cfg.member);
  const adminToken = await token(cfg.admin);

  await step("the home page's script runs under the site's Content-Security-Policy", async () => {
    const answer = await page.goto(base + "/");
    const csp = answer.headers()["content-security-policy"] || "";
    check(/script-src 'self'/.test(csp) && /frame-ancestors 'none'/.test(csp), "a CSP on the page: " + csp);
    await waitText(page, "[data-zhibu=events] [data-status]", /签到进行中/);
    check(blocked.length === 0, "nothing blocked: " + blocked.join("; "));
    await shot(page, "home");
  });

  await step("signed out, the forms ask for a login", async () => {
    await page.goto(base + pages.online);
    check(await page.locator(".login-needed").first().isVisible(), "a login notice");
    check(await page.locator("[data-zhibu=signin] button[type=submit]").isDisabled(), "sign-in disabled");
    await waitText(page, "[data-zhibu=signin] [data-state]", /进行中/);
    await shot(page, "signed-out");
  });

  await step("login with a wrong code, then the right one, and back to the page", async () => {
    await page.click(".member-link");
    await page.waitForURL((u) => u.pathname === pages.login && u.searchParams.get("next") === pages.online);
    await login(page, { id: cfg.member.id, code: "wrong-code" });
    await waitText(page, "[data-zhibu=login] .form-status", /不正确/);
    await shot(page, "login-wrong-code");
    await login(page, cfg.member);
    await page.waitForURL(base + pages.online);
    await waitText(page, ".member-name", new RegExp(cfg.member.name));
    check(await page.locator("button.member-logout").isVisible(), "a logout button");
    check(!(await page.locator(".login-needed").first().isVisible()), "login notices hidden once logged in");
    await shot(page, "logged-in-header");
  });

  await step("login never leaves the site, whatever ?next= says", async () => {
    // Browsers drop tabs and newlines from a URL and read a backslash as "/": each of these
    // would become "//evil.example/…", another host, if the login page went to `next` as given.
    const probe = await browser.newContext(PHONE);
    const p = await probe.newPage();
    p.setDefaultTimeout(15000);
    p.on("pageerror", (e) => errors.push(e.message));
    watchCsp(p, blocked);
    const away = [];
    p.on("request", (r) => r.isNavigationRequest() && new URL(r.url()).origin !== origin && away.push(r.url()));
    const offsite = ["/\t/evil.example/phish", "/\n/evil.example/", "/\r\\evil.example/", "/\\evil.example/", "//evil.example/", "https://evil.example/", "javascript:alert(1)"];
    for (const next of offsite) {
      await p.goto(base + pages.login + "?next=" + encodeURIComponent(next));
      await login(p, cfg.member);
      // Either back on the login page (no usable `next`) or gone elsewhere (where loading
      // fails: evil.example never resolves).
      await p.waitForURL((u) => u.origin !== origin || (u.pathname === pages.login && !u.search)).catch(() => {});
      check(away.length === 0 && new URL(p.url()).origin === origin, "next=" + JSON.stringify(next) + " led off the site, to " + [...away, p.url()].join(", "));
      await waitText(p, ".form-title", /当前登录/);
      await p.evaluate(() => localStorage.clear());
    }
    await shot(p, "login-next-offsite-refused");
    // A path on the site, with its query and fragment, is still where the member goes.
    await p.goto(base + pages.login + "?next=" + encodeURIComponent(pages.quiz + "?from=login#quiz"));
    await login(p, cfg.member);
    await p.waitForURL(base + pages.quiz + "?from=login#quiz");
    await probe.close();
  });

  await step("a token the server no longer accepts sends the member to log in and back", async () => {
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("zhibu.session"));
      s.token = "revoked.token.value";
      localStorage.setItem("zhibu.session", JSON.stringify(s));
    });
    await page.goto(base + pages.quiz);
    await page.waitForURL((u) => u.pathname === pages.login && u.searchParams.get("next") === pages.quiz);
    await waitText(page, "[data-zhibu=login] .form-status", /登录已过期/);
    await shot(page, "expired-login");
    await login(page, cfg.member);
    await page.waitForURL(base + pages.quiz);
    await waitText(page, ".member-name", new RegExp(cfg.member.name));
  });

  await step("an online event asks for no location: no consent box, signed in directly", async () => {
    await member.grantPermissions([], { origin }); // everything denied: it must not matter here
    await page.goto(base + pages.online);
    const box = page.locator("[data-zhibu=signin]");
    check((await box.locator("input[name=consent_location]").count()) === 0, "no consent box on an online event");
    await waitText(page, "[data-zhibu=signin] [data-no-location]", /线上活动，签到不需要位置/);
    await page.evaluate(() => {
      window.__located = 0;
      navigator.geolocation.getCurrentPosition = () => { window.__located += 1; };
    });
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=signin] .form-status", /签到成功/);
    await waitText(page, "[data-zhibu=signin] [data-state]", /已签到/);
    check((await page.evaluate(() => window.__located)) === 0, "the location was never read");
    await box.scrollIntoViewIfNeeded();
    await shot(page, "signin-without-location");
    const r = await call("GET", "/api/signins", memberToken);
    const mine = r.data.signins.filter((s) => s.event === cfg.events.online);
    check(mine.length === 1 && mine[0].location == null, "one sign-in without location: " + JSON.stringify(r.data));
  });

  await step("on-site event: without location the member is pointed to the secretary", async () => {
    await page.goto(base + pages.onsite);
    const box = page.locator("[data-zhibu=signin]");
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=signin] .form-status", /现场活动.*支部书记/);
    await box.locator("input[name=consent_location]").check();
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=signin] .form-status", /没有允许.*支部书记登记出席/);
    await box.scrollIntoViewIfNeeded();
    await shot(page, "onsite-denied");
  });

  await step("on-site event: a timeout and a low accuracy each get their message", async () => {
    await page.evaluate(() => {
      navigator.geolocation.getCurrentPosition = (ok, fail) => setTimeout(() => fail({ code: 3 }), 50);
    });
    const box = page.locator("[data-zhibu=signin]");
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=signin] .form-status", /定位超时/);
    await page.reload();
    await member.grantPermissions(["geolocation"], { origin });
    await member.setGeolocation({ latitude: 30.5203, longitude: 114.3602, accuracy: 1500 });
    await box.locator("input[name=consent_location]").check();
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=signin] .form-status", /误差太大（约 1500 米）/);
    await box.scrollIntoViewIfNeeded();
    await shot(page, "onsite-low-accuracy");
  });

  await step("on-site event: signed in with an emulated location inside the geofence", async () => {
    await member.setGeolocation({ latitude: 30.5203, longitude: 114.3602, accuracy: 25 });
    const box = page.locator("[data-zhibu=signin]");
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=signin] .form-status", /签到成功.*大致位置/);
    await waitText(page, "[data-zhibu=signin] [data-state]", /已签到/);
    await shot(page, "onsite-signed-in");
    const r = await call("GET", "/api/signins", memberToken);
    const s = r.data.signins.find((x) => x.event === cfg.events.onsite);
    check(s && s.location && s.location.within_geofence === true, "within the geofence: " + JSON.stringify(s));
    check(s.location.lat === 30.52 && s.location.lon === 114.36, "kept coarse: " + JSON.stringify(s.location));
    await page.reload();
    await waitText(page, "[data-zhibu=signin] [data-state]", /已签到/);
    await waitText(page, "[data-zhibu=signin] .form-status", /签到过，以第一次为准/);
  });

  const noteText = "联系实习岗位，我体会到按时参加组织生活的意义。\n第二段：<b>这不是粗体</b>，<img src=x onerror=alert(1)>";
  await step("a note: live count, too short, then posted and 待审核", async () => {
    await page.goto(base + pages.online);
    const box = page.locator("[data-zhibu=note]");
    await box.locator("textarea").fill("太短了");
    await waitText(page, "[data-zhibu=note] [data-count]", /已写 3 字/);
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=note] .form-status", /至少写 10 个字/);
    await box.locator("textarea").fill(noteText);
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=note] .form-status", /待审核/);
    await waitText(page, "[data-zhibu=note] [data-mine] .note", /待审核/);
    await box.locator("[data-mine]").scrollIntoViewIfNeeded();
    await shot(page, "note-pending");
  });

  await step("the secretary approves it (and rejects another with a reason); the page shows it as text", async () => {
    await page.locator("[data-zhibu=note] textarea").fill("这一篇写得不够具体，先提交看看审核意见。");
    await page.locator("[data-zhibu=note] button[type=submit]").click();
    await waitText(page, "[data-zhibu=note] .form-status", /待审核/);
    const queue = await call("GET", "/api/notes?status=pending", adminToken);
    const first = queue.data.notes.find((n) => n.body === noteText.trim());
    const second = queue.data.notes.find((n) => n.body.startsWith("这一篇写得不够具体"));
    check(first && second, "both notes in the queue: " + JSON.stringify(queue.data));
    check((await call("POST", "/api/notes/" + first.id + "/review", adminToken, { decision: "approve" })).status === 200, "approved");
    const reject = await call("POST", "/api/notes/" + second.id + "/review", adminToken, { decision: "reject", reason: "请结合实习岗位谈具体体会" });
    check(reject.status === 200, "rejected");
    await page.reload();
    const shared = page.locator("[data-zhibu=notes] .note");
    await waitText(page, "[data-zhibu=notes] .note", new RegExp(cfg.member.name));
    check((await shared.count()) === 1, "one approved note");
    const body = await shared.locator(".note-body").textContent();
    check(body === noteText.trim(), "the body as written: " + body);
    check((await page.locator("[data-zhibu=notes] b, [data-zhibu=notes] img").count()) === 0, "no HTML made from the note");
    await page.locator("[data-zhibu=notes]").scrollIntoViewIfNeeded();
    await shot(page, "note-approved-as-text");
  });

  await step("我的心得 lists the member's notes with status and the reviewer's reason", async () => {
    await page.goto(base + pages.login);
    await waitText(page, "[data-zhibu=login] [data-member]", new RegExp(cfg.member.name));
    await waitText(page, "[data-zhibu=my-notes] .note-list", /已通过/);
    await waitText(page, "[data-zhibu=my-notes] .note-list", /未通过[\s\S]*审核意见：请结合实习岗位谈具体体会/);
    await page.locator("[data-zhibu=my-notes]").scrollIntoViewIfNeeded();
    await shot(page, "my-notes");
  });

  // A phone photo: 4000×3000 JPEG of about 4 MB, drawn by the browser itself.
  const photo = join(scratch, "phone-photo.jpg");
  await step("a 4 MB phone photo is shrunk in the browser, uploaded with progress and a retry, and marks the calendar", async () => {
    const b64 = await page.evaluate(async () => {
      // A notebook page on a desk: ruled lines, a dozen handwritten lines, soft light, and the
      // sensor noise that makes a phone's JPEG big and that shrinking averages away.
      const c = document.createElement("canvas");
      c.width = 4000;
      c.height = 3000;
      const g = c.getContext("2d");
      const desk = g.createRadialGradient(1900, 1400, 300, 2000, 1500, 2800);
      desk.addColorStop(0, "#8a6a4a");
      desk.addColorStop(1, "#4a3424");
      g.fillStyle = desk;
      g.fillRect(0, 0, 4000, 3000);
      const paper = g.createLinearGradient(600, 300, 3400, 2700);
      paper.addColorStop(0, "#f6f1e6");
      paper.addColorStop(1, "#d9d2c2");
      g.fillStyle = paper;
      g.fillRect(600, 300, 2800, 2400);
      g.strokeStyle = "#b7c6d8";
      g.lineWidth = 4;
      for (let y = 520; y < 2600; y += 170) {
        g.beginPath();
        g.moveTo(700, y);
        g.lineTo(3300, y);
        g.stroke();
      }
      g.fillStyle = "#27324f";
      g.font = "110px serif";
      const text = "中国共产党是中国工人阶级的先锋队";
      for (let y = 505, i = 0; y < 2600; y += 170, i++) g.fillText(text.slice(0, 10 + (i % 6)), 760 + (i % 3) * 20, y);
      const img = g.getImageData(0, 0, 4000, 3000);
      let seed = 7;
      for (let i = 0; i < img.data.length; i += 4) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const d = (seed % 21) - 10;
        img.data[i] += d;
        img.data[i + 1] += d;
        img.data[i + 2] += d;
      }
      g.putImageData(img, 0, 0);
      const blob = await new Promise((ok) => c.toBlob(ok, "image/jpeg", 0.92));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = "";
      for (let i = 0; i < bytes.length; i += 32768) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 32768));
      return btoa(s);
    });
    writeFileSync(photo, Buffer.from(b64, "base64"));
    const original = Buffer.from(b64, "base64").length;
    check(original > 3 * 1024 * 1024 && original <= 4 * 1024 * 1024, "a phone-sized photo: " + original);

    await page.goto(base + pages.copy);
    const box = page.locator("[data-zhibu=copy-upload]");
    await waitText(page, "[data-zhibu=copy-upload] .today-task", new RegExp("今天是第 " + cfg.campaign.today + " 天：第1部分：第 " + cfg.campaign.today + " 天的抄写内容"));
    check((await box.locator("#copy-day").inputValue()) === String(cfg.campaign.today), "today's day filled in");
    check((await box.locator("#copy-camera").getAttribute("capture")) === "environment", "a camera input");
    await box.locator("#copy-photo").setInputFiles(photo);
    await waitText(page, "[data-zhibu=copy-upload] figcaption", /压缩后 .*（2000×1500）/);

    // The first upload is cut off on the way; the form retries by itself.
    const sizes = [];
    let attempts = 0;
    await page.route("**/api/copies", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      attempts += 1;
      sizes.push((route.request().postDataBuffer() || Buffer.alloc(0)).length);
      if (attempts === 1) return route.abort("connectionreset");
      return route.continue();
    });
    // A slow uplink, so the progress bar can be seen.
    const cdp = await member.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 150, downloadThroughput: 400 * 1024, uploadThroughput: 120 * 1024 });
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=copy-upload] .form-status", /秒后自动重试/);
    await box.scrollIntoViewIfNeeded();
    await shot(page, "upload-retrying");
    await page.waitForFunction(() => {
      const p = document.querySelector("[data-zhibu=copy-upload] [data-progress]");
      return p && !p.hidden && p.value > 0.1 && p.value < 0.95;
    }, null, { timeout: 20000 });
    await shot(page, "upload-progress");
    await waitText(page, "[data-zhibu=copy-upload] .form-status", /已上传/, 30000);
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.unroute("**/api/copies");
    check(attempts === 2, "one failed attempt and one retry: " + attempts);
    await page.waitForFunction(() => !document.querySelector(".outbox-status:not([hidden])"), null, { timeout: 5000 });
    check(sizes[1] < 1024 * 1024 && sizes[1] < original / 4, "sent shrunk: " + sizes[1] + " bytes of " + original);
    console.log("     photo " + (original / 1048576).toFixed(1) + " MB shrunk to " + Math.round(sizes[1] / 1024) + " KB (multipart body)");

    const today = cfg.campaign.today;
    await waitText(page, "[data-zhibu=copy-summary]", /已完成 1 \/ 100 天/);
    const cls = (d) => page.locator('.day-grid li[data-day="' + d + '"]').getAttribute("class");
    check(/is-done/.test(await cls(today)) && /is-today/.test(await cls(today)), "today done");
    // What was done, not what was missed: the days before are plain, each a button to upload it.
    for (let d = 1; d < today; d++) check(!/is-done|is-missed/.test((await cls(d)) || ""), "day " + d + " plain");
    check((await page.locator('.day-grid li[data-day="1"] button').count()) === 1, "day 1 can be uploaded");
    check(!/is-missed|is-done/.test((await cls(today + 1)) || ""), "tomorrow neither");
    await page.locator("[data-zhibu=copy-progress]").scrollIntoViewIfNeeded();
    await shot(page, "calendar-marked");
    const r = await call("GET", "/api/copies?campaign=" + cfg.campaign.id, memberToken);
    check(r.data.days.length === 1 && r.data.days[0].day === today && r.data.streak === 1, "one copy: " + JSON.stringify(r.data));
  });

  await step("a missed day, uploaded offline: the photo waits on the phone and marks the calendar once online", async () => {
    await page.locator('.day-grid li[data-day="2"]').click();
    check((await page.locator("#copy-day").inputValue()) === "2", "day 2 chosen");
    await waitText(page, "[data-zhibu=copy-upload] .form-status", /补传第 2 天/);
    await page.locator("#copy-photo").setInputFiles(photo);
    await waitText(page, "[data-zhibu=copy-upload] .form-status", /照片已准备好/);
    await member.setOffline(true);
    await page.locator("[data-zhibu=copy-upload] button[type=submit]").click();
    await waitText(page, "[data-zhibu=copy-upload] .form-status", /网络未连接：照片已保存在本机/);
    await member.setOffline(false);
    await waitText(page, "[data-zhibu=copy-upload] .form-status", /第 2 天的照片已上传/);
    await waitText(page, "[data-zhibu=copy-summary]", /已完成 2 \/ 100 天/);
    check(/is-done/.test(await page.locator('.day-grid li[data-day="2"]').getAttribute("class")), "day 2 done");
    const r = await call("GET", "/api/copies?campaign=" + cfg.campaign.id, memberToken);
    check(r.data.days.map((d) => d.day).sort().join() === "2,5", "days 2 and 5, once each: " + JSON.stringify(r.data.days));
    await page.locator("[data-zhibu=copy-progress]").scrollIntoViewIfNeeded();
    await shot(page, "calendar-late-upload");
  });

  await step("the quiz page carries no answers; the member answers alone", async () => {
    const html = await (await fetch(base + pages.quiz)).text();
    for (const secret of ["第十一条", "第七条", "每季度召开一次", "没有表决权"]) check(!html.includes(secret), "the page leaks " + secret);
    await page.goto(base + pages.quiz);
    const box = page.locator("[data-zhibu=quiz]");
    await waitText(page, "[data-zhibu=quiz] [data-state]", /进行中/);
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=quiz] .form-status", /第 1 题还没有作答/);
    await box.locator('input[name=q1][value="2"]').check();
    await box.locator('input[name=q2][value="1"]').check();
    await shot(page, "quiz-answering");
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=quiz] .form-status", /您已于 .* 提交/);
    await waitText(page, "[data-zhibu=quiz] [data-state]", /已作答/);
    check(await box.locator('input[name=q1][value="2"]').isDisabled(), "answers locked");
    const other = await token(cfg.other);
    check((await call("POST", "/api/quizzes/" + cfg.quiz + "/answers", other, { answers: [2, 2] })).status === 201, "a second member answers");
  });

  await step("the secretary reveals the round; everyone sees the distribution, then the answers and sources", async () => {
    const admin = await browser.newContext(PHONE);
    const ap = await admin.newPage();
    steps.current = ap;
    ap.on("dialog", (d) => d.accept());
    await ap.goto(base + pages.login + "?next=" + encodeURIComponent(pages.quiz));
    await login(ap, cfg.admin);
    await ap.waitForURL(base + pages.quiz);
    const reveal = ap.locator("[data-zhibu=quiz] [data-reveal]");
    await reveal.waitFor({ state: "visible" });
    await waitText(ap, "[data-zhibu=quiz] .form-status", /仅管理员可见/);
    await reveal.scrollIntoViewIfNeeded();
    await shot(ap, "quiz-admin-reveal");
    await reveal.click();
    await waitText(ap, "[data-zhibu=quiz] [data-state]", /已公布/);
    await admin.close();
    steps.current = page;

    await page.reload();
    await waitText(page, "[data-zhibu=quiz] .form-status", /共 2 人作答/);
    const first = page.locator('[data-zhibu=quiz] [data-q="1"] [data-result]');
    await waitText(page, '[data-zhibu=quiz] [data-q="1"] [data-result]', /2 人（含我）/);
    check(!(await first.locator("details").evaluate((d) => d.open)), "the answer stays folded until the discussion");
    await page.locator('[data-zhibu=quiz] [data-q="1"]').scrollIntoViewIfNeeded();
    await shot(page, "quiz-distribution");
    await first.locator("summary").click();
    await waitText(page, '[data-zhibu=quiz] [data-q="1"] details', /答案：B\. 每季度一次（您选对了）[\s\S]*出处：《中国共产党支部工作条例（试行）》第十一条/);
    await page.locator('[data-zhibu=quiz] [data-q="2"] summary').click();
    await waitText(page, '[data-zhibu=quiz] [data-q="2"] details', /您选的是 A/);
    await shot(page, "quiz-answers-and-sources");
  });

  const offlineText = "断网时写下的心得：在车间夜班也坚持学习党章。";
  await step("offline: a note is kept on the phone and sent once when the connection returns", async () => {
    await page.goto(base + pages.online);
    const box = page.locator("[data-zhibu=note]");
    await member.setOffline(true);
    await box.locator("textarea").fill(offlineText);
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=note] .form-status", /网络未连接：心得已保存在本机/);
    await waitText(page, ".outbox-status", /有 1 条内容已保存在本机/);
    await waitText(page, "[data-zhibu=note] [data-mine] .note", /等待网络/);
    await shot(page, "offline-kept");
    await member.setOffline(false);
    await waitText(page, "[data-zhibu=note] .form-status", /心得已提交，待审核/);
    await waitText(page, ".outbox-status", /离线保存的学习心得已经提交/);
    await shot(page, "back-online-sent");
    const mine = await call("GET", "/api/notes/mine", memberToken);
    check(mine.data.notes.filter((n) => n.body === offlineText).length === 1, "recorded once: " + JSON.stringify(mine.data));
  });

  const lostText = "回答丢在半路的心得：服务器收到了，手机没收到回复。";
  await step("a lost answer: the note is resent with the same key and recorded once", async () => {
    let cut = 0;
    const keys = [];
    await page.route("**/api/notes", async (route) => {
      const req = route.request();
      if (req.method() !== "POST") return route.continue();
      keys.push(req.headers()["idempotency-key"]);
      if (cut === 0) {
        cut += 1;
        await route.fetch(); // the server records it…
        return route.abort("connectionreset"); // …and the phone never hears back
      }
      return route.continue();
    });
    const replays = [];
    page.on("response", (r) => r.url().endsWith("/api/notes") && r.request().method() === "POST" && replays.push(r.headers()["idempotent-replayed"]));
    const box = page.locator("[data-zhibu=note]");
    await box.locator("textarea").fill(lostText);
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=note] .form-status", /已保存在本机/);
    await page.reload(); // the outbox is sent on every page load
    await waitText(page, ".outbox-status", /离线保存的学习心得已经提交/);
    await page.unroute("**/api/notes");
    check(keys.length === 2 && keys[0] && keys[0] === keys[1], "the same Idempotency-Key twice: " + JSON.stringify(keys));
    check(replays.includes("true"), "the second answer is a replay: " + JSON.stringify(replays));
    const mine = await call("GET", "/api/notes/mine", memberToken);
    check(mine.data.notes.filter((n) => n.body === lostText).length === 1, "recorded once: " + JSON.stringify(mine.data.notes.map((n) => n.body)));
    await shot(page, "lost-answer-recorded-once");
  });

  await step("logout", async () => {
    await page.click("button.member-logout");
    await page.locator("a.member-link").waitFor();
    check((await page.evaluate(() => localStorage.getItem("zhibu.session"))) === null, "the session is gone");
    check(await page.locator("[data-zhibu=note] textarea").isDisabled(), "the form is closed again");
    await shot(page, "logged-out");
  });

  await step("no script errors on any page", async () => check(errors.length === 0, errors.join("; ")));
  await step("nothing blocked by the Content-Security-Policy", async () => check(blocked.length === 0, blocked.join("; ")));
  console.log("all steps passed; screenshots in " + cfg.shots);
} catch (e) {
  failed = true;
  if (!steps.reported.has(e)) console.log("FAIL " + (e && e.stack ? e.stack : e));
} finally {
  await browser.close();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
