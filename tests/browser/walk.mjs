// The phone walk-through (issue 17) in headless Chromium: run by tests/e2e/browser.rs on the
// branch's own site (config.toml, content/, data/, the theme) with pages dated from today added to
// its campaigns — an online and an on-site event open now, a campaign in its fifth day and a quiz
// round open now — config in E2E_CONFIG (as e2e.mjs's, with pages.branchCopy, branchEvents and
// stats). It checks what a member on a phone meets rather than what a form does:
//
// - no page scrolls sideways at 360 and 390 px, signed out (every page of the sitemap), as a
//   member (the pages with forms, /me/) and as an admin (/admin/), and no developer's words
//   ([extra.…], zhibu commands, 命令行, Atom) on any of them;
// - the member's action comes first: the sign-in and the upload within the first screen of event
//   and campaign pages, the home page's open event too, which says 您已签到 once signed in;
// - an on-site sign-in from far away is told in kilometres with the equal path, one inside the
//   geofence that it was confirmed near the venue;
// - the calendar shows what was done (no missed days, no streak), days are buttons inside the
//   list, and after a dropped connection it is corrected when the connection returns;
// - an upload shows a percentage and ends in a clear done state;
// - the quiz's "not answered" message is beside the question the focus moves to, on screen;
// - axe-core finds nothing on the member's and the admin's pages while logged in;
// - polish: Chinese quotation marks in the Chinese font, the footer's padding on a laptop, the
//   admin's branch name on one line in a phone's header, equal quiz counts as equal bars.
//
// Screenshots: walk-NN-*.png.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { FLAGS, PHONE, check, Steps, client, waitText, phones } from "./harness.mjs";

const cfg = JSON.parse(process.env.E2E_CONFIG);
const { base, pages } = cfg;
const origin = new URL(base).origin;
const steps = new Steps(cfg.shots, "walk-");
const { shot, step } = steps;
const { call, token } = client(base);
// axe-core (pinned in package.json), evaluated in the page: a <script> tag added to the page
// would be refused by the site's Content-Security-Policy (script-src 'self'), as it should be.
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const WIDTHS = [360, 390];
// Words for the site's developers, not its readers.
const DEVELOPER_WORDS = /\[extra\.|zhibu (members|report|admin|serve|build)|命令行|Atom|unknown/;

/** The page's sideways overflow: how far the document is wider than the window, with the
 *  elements that stick out (for the message). */
async function sideways(page) {
  return page.evaluate(() => {
    const over = document.documentElement.scrollWidth - window.innerWidth;
    if (over <= 0) return null;
    const wide = [];
    for (const e of document.querySelectorAll("body *")) {
      const b = e.getBoundingClientRect();
      if (b.width > 0 && b.right > window.innerWidth + 1) wide.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : "") + " to " + Math.round(b.right));
    }
    return over + " px (" + wide.slice(0, 4).join(", ") + ")";
  });
}

/** Every path in the sitemap. */
async function sitemap() {
  const xml = await (await fetch(base + "/sitemap.xml")).text();
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
}

/** Visits `paths` at each of WIDTHS in `context`'s page and fails on sideways scrolling or a
 *  developer's word; `settle` waits for what the page's scripts fill in. */
async function walk(page, paths, settle) {
  const problems = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: PHONE.viewport.height });
    for (const path of paths) {
      await page.goto(base + path);
      if (settle) await settle(page);
      const over = await sideways(page);
      if (over) problems.push(width + " px " + path + ": wider by " + over);
      const text = await page.locator("body").innerText();
      const word = text.match(DEVELOPER_WORDS);
      if (word) problems.push(path + ": a developer's word, " + JSON.stringify(word[0]));
    }
  }
  await page.setViewportSize(PHONE.viewport);
  check(problems.length === 0, problems.join("\n"));
}

/** Waits until the page's panels have been filled (no 正在读取 left). */
async function settled(page) {
  await page.waitForLoadState("load");
  await page.waitForFunction(() => !/正在读取/.test(document.body.innerText), null, { timeout: 10000 }).catch(() => {});
}

/** axe-core on the page as it is now: every violation with its nodes, or none. */
async function axe(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => v.id + " (" + v.impact + ", " + v.nodes.length + "): " + v.help + " — " + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
  });
  return found;
}

async function axeClean(page, paths, settle) {
  const problems = [];
  for (const path of paths) {
    await page.goto(base + path);
    if (settle) await settle(page);
    const found = await axe(page);
    if (found.length) problems.push(path + ":\n  " + found.join("\n  "));
  }
  check(problems.length === 0, "axe-core violations:\n" + problems.join("\n"));
}

/** The top of `selector`'s first match, in CSS pixels from the top of the window. */
async function top(page, selector) {
  return page.locator(selector).first().evaluate((e) => e.getBoundingClientRect().top);
}

const browser = await chromium.launch({ executablePath: cfg.chromium, headless: true, args: FLAGS });
let failed = false;
try {
  const errors = [];
  const blocked = [];
  const phone = phones(browser, base, pages, errors, blocked);
  const memberToken = await token(cfg.member);
  const adminToken = await token(cfg.admin);
  const fold = PHONE.viewport.height;

  await step("signed out, no page of the sitemap scrolls sideways at 360 and 390 px or shows a developer's word", async () => {
    const { context, page } = await phone();
    steps.current = page;
    const paths = await sitemap();
    check(paths.length > 40, "the branch's pages: " + paths.length);
    await walk(page, [...paths, pages.login, "/search/?q=党费"]);
    await page.goto(base + pages.branchCopy);
    await shot(page, "campaign-signed-out");
    await context.close();
  });

  const { context: member, page } = await phone(cfg.member);
  steps.current = page;

  await step("as a member, the pages with forms and the member's own pages neither scroll sideways nor show a developer's word", async () => {
    const mine = [pages.me, pages.report, pages.talk, pages.dues, pages.host, pages.suggest, pages.review];
    await walk(page, ["/", pages.online, pages.onsite, pages.copy, pages.quiz, pages.branchCopy, ...pages.branchEvents.split(" "), pages.login, ...mine], settled);
  });

  await step("the action first: sign-in and upload within the first screen of event and campaign pages", async () => {
    for (const path of [pages.online, pages.onsite, ...pages.branchEvents.split(" ")]) {
      await page.goto(base + path);
      const t = await top(page, "[data-zhibu=signin] .form-title");
      check(t < fold - 60, path + ": the sign-in starts " + Math.round(t) + " px down");
    }
    await page.goto(base + pages.online);
    await waitText(page, "[data-zhibu=signin] [data-state]", /进行中/);
    const button = await page.locator("[data-zhibu=signin] button[type=submit]").boundingBox();
    check(button.y + button.height <= fold, "the online event's 签到 button within the first screen: " + Math.round(button.y));
    await shot(page, "online-event-first-screen");
    for (const path of [pages.copy, pages.branchCopy]) {
      await page.goto(base + path);
      const pick = await page.locator("[data-zhibu=copy-upload] label[for=copy-camera]").boundingBox();
      check(pick.y + pick.height <= fold, path + ": 拍照 within the first screen: " + Math.round(pick.y));
      check(await page.locator("[data-zhibu=copy-upload] .today-task").isVisible(), path + ": today's task shown");
    }
    await shot(page, "campaign-first-screen");
    await page.goto(base + "/");
    const open = page.locator(".event.is-open [data-status]").first();
    await waitText(page, ".event.is-open [data-status]", /签到进行中/);
    const o = await open.boundingBox();
    check(o.y + o.height <= fold, "the home page's open event within the first screen: " + Math.round(o.y));
    const tile = page.locator(".tile[data-campaign] [data-status]", { hasText: "今天是第" }).first();
    check(await tile.isVisible(), "the campaign under way says which day it is");
    await shot(page, "home-first-screen");
  });

  await step("signed in to the online event, the home page says so", async () => {
    const r = await call("POST", "/api/signins", memberToken, { event: cfg.events.online, consent_location: false, location: null });
    check(r.status === 201 || r.status === 200, "signed in: " + JSON.stringify(r.data));
    await page.goto(base + "/");
    const signed = page.locator('.event[data-event="' + cfg.events.online + '"] [data-status]');
    await waitText(page, '.event[data-event="' + cfg.events.online + '"] [data-status]', /您已签到/);
    check(!(await signed.textContent()).includes("进行中"), "no longer 签到进行中");
    await shot(page, "home-signed-in");
  });

  await step("on site, far away: the distance in kilometres and the equal path; inside: confirmed near the venue", async () => {
    await member.grantPermissions(["geolocation"], { origin });
    await member.setGeolocation({ latitude: 39.9042, longitude: 116.4074, accuracy: 20 }); // Beijing
    await page.goto(base + pages.onsite);
    const box = page.locator("[data-zhibu=signin]");
    await box.locator("input[name=consent_location]").check();
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=signin] .form-status", /约 \d+ 公里[\s\S]*支部书记登记出席[\s\S]*同等有效/);
    const said = await box.locator(".form-status").textContent();
    check(!/\d{4,} 米/.test(said), "no distance in thousands of metres: " + said);
    await box.scrollIntoViewIfNeeded();
    await shot(page, "onsite-far-away");
    await member.setGeolocation({ latitude: 30.5203, longitude: 114.3602, accuracy: 25 });
    await box.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=signin] .form-status", /签到成功[\s\S]*已确认您在活动地点附近/);
    await shot(page, "onsite-confirmed");
  });

  await step("the calendar shows what was done: no missed days, no streak, days as buttons inside the list", async () => {
    await page.goto(base + pages.copy);
    await waitText(page, "[data-zhibu=copy-summary]", /已完成 0 \/ 100 天/);
    const summary = await page.locator("[data-zhibu=copy-progress]").innerText();
    check(!/连续|漏|未上传/.test(summary), "no streak and no missed days: " + summary);
    check((await page.locator(".day-grid .is-missed, .day-grid [role]").count()) === 0, "no missed marks, no roles on the list's items");
    const today = cfg.campaign.today;
    check((await page.locator(".day-grid li > button.day-pick").count()) === today, "a button for each day up to today");
    await page.locator('.day-grid button[data-day="2"]').click();
    check((await page.locator("#copy-day").inputValue()) === "2", "day 2 picked from the calendar");
    await page.locator("[data-zhibu=copy-progress]").scrollIntoViewIfNeeded();
    await shot(page, "calendar-nothing-missed");
  });

  await step("after a dropped connection the calendar says it is behind, and is corrected when the connection returns", async () => {
    await page.route("**/api/copies?*", (route) => route.abort("connectionreset"));
    await page.goto(base + pages.copy);
    await waitText(page, "[data-zhibu=copy-progress] [data-calendar-note]", /暂时没有更新/);
    // Meanwhile a photo reaches the server (from another phone, say).
    const status = await page.evaluate(async ([token, campaign]) => {
      const c = document.createElement("canvas");
      c.width = 640;
      c.height = 480;
      const g = c.getContext("2d");
      g.fillStyle = "#f6f1e6";
      g.fillRect(0, 0, 640, 480);
      const blob = await new Promise((ok) => c.toBlob(ok, "image/jpeg", 0.9));
      const form = new FormData();
      form.append("campaign", campaign);
      form.append("day", "3");
      form.append("photo", blob, "copy.jpg");
      return (await fetch("/api/copies", { method: "POST", headers: { Authorization: "Bearer " + token }, body: form })).status;
    }, [memberToken, cfg.campaign.id]);
    check(status === 201, "a photo for day 3: " + status);
    await shot(page, "calendar-behind");
    await page.unroute("**/api/copies?*");
    await member.setOffline(true);
    await member.setOffline(false);
    await waitText(page, "[data-zhibu=copy-summary]", /已完成 1 \/ 100 天/);
    check(/is-done/.test(await page.locator('.day-grid li[data-day="3"]').getAttribute("class")), "day 3 marked");
    check(!(await page.locator("[data-calendar-note]").isVisible()), "the note is gone");
    await page.locator("[data-zhibu=copy-progress]").scrollIntoViewIfNeeded();
    await shot(page, "calendar-corrected");
  });

  await step("an upload shows a percentage, then a clear done state: the photo marked sent and 上传 waiting for the next", async () => {
    await page.goto(base + pages.copy);
    const photo = await page.evaluate(async () => {
      const c = document.createElement("canvas");
      c.width = 2400;
      c.height = 1800;
      const g = c.getContext("2d");
      const img = g.createImageData(2400, 1800);
      let seed = 3;
      for (let i = 0; i < img.data.length; i += 4) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        img.data[i] = img.data[i + 1] = img.data[i + 2] = 120 + (seed % 100);
        img.data[i + 3] = 255;
      }
      g.putImageData(img, 0, 0);
      const blob = await new Promise((ok) => c.toBlob(ok, "image/jpeg", 0.95));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = "";
      for (let i = 0; i < bytes.length; i += 32768) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 32768));
      return btoa(s);
    });
    await page.locator("#copy-photo").setInputFiles({ name: "copy.jpg", mimeType: "image/jpeg", buffer: Buffer.from(photo, "base64") });
    await waitText(page, "[data-zhibu=copy-upload] .form-status", /照片已准备好/);
    const cdp = await member.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 100, downloadThroughput: 400 * 1024, uploadThroughput: 100 * 1024 });
    await page.locator("[data-zhibu=copy-upload] button[type=submit]").click();
    await waitText(page, "[data-zhibu=copy-upload] [data-percent]", /已发送 [1-9]\d?%/, 20000);
    await page.locator("[data-zhibu=copy-upload]").scrollIntoViewIfNeeded();
    await shot(page, "upload-percent");
    await waitText(page, "[data-zhibu=copy-upload] .form-status", /第 5 天的照片已上传/, 30000);
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    check(await page.locator("[data-zhibu=copy-upload] button[type=submit]").isDisabled(), "上传 waits for the next photo");
    await waitText(page, "[data-zhibu=copy-upload] figcaption", /✓ 第 5 天的照片已上传/);
    check(!(await page.locator("[data-zhibu=copy-upload] [data-percent]").isVisible()), "the percentage is gone");
    await waitText(page, "[data-zhibu=copy-summary]", /已完成 2 \/ 100 天/);
    await shot(page, "upload-done");
  });

  await step("the quiz: 'not answered' is said beside the question the focus moves to, on screen", async () => {
    await page.goto(base + pages.quiz);
    await waitText(page, "[data-zhibu=quiz] [data-state]", /进行中/);
    await page.locator('[data-zhibu=quiz] input[name=q1][value="2"]').check();
    await page.locator("[data-zhibu=quiz] button[type=submit]").click();
    await waitText(page, '[data-zhibu=quiz] [data-q="2"] .quiz-missing', /第 2 题还没有作答/);
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.name);
    check(focused === "q2", "the focus on question 2: " + focused);
    const hint = await page.locator('[data-q="2"] .quiz-missing').boundingBox();
    check(hint.y >= 0 && hint.y + hint.height <= fold, "the message on screen: " + Math.round(hint.y));
    await shot(page, "quiz-not-answered");
  });

  await step("axe-core finds nothing on the member's pages while logged in", async () => {
    const mine = [pages.me, pages.report, pages.talk, pages.dues, pages.host, pages.suggest, pages.review];
    await axeClean(page, ["/", pages.online, pages.onsite, pages.copy, pages.quiz, pages.branchCopy, pages.login, pages.stats, ...mine], settled);
  });

  await step("the quiz's equal counts are equal bars, for members and for the admin", async () => {
    check((await call("POST", "/api/quizzes/" + cfg.quiz + "/answers", memberToken, { answers: [2, 1] })).status === 201, "the member answers");
    const other = await token(cfg.other);
    check((await call("POST", "/api/quizzes/" + cfg.quiz + "/answers", other, { answers: [2, 2] })).status === 201, "another answers");
    check((await call("POST", "/api/quizzes/" + cfg.quiz + "/reveal", adminToken)).status === 200, "revealed");
    await page.goto(base + pages.quiz);
    await waitText(page, '[data-zhibu=quiz] [data-q="2"] [data-result]', /1 人（含我）/);
    const widths = await page.locator('[data-zhibu=quiz] [data-q="2"] .quiz-bar progress').evaluateAll((bars) => bars.map((b) => Math.round(b.getBoundingClientRect().width)));
    check(new Set(widths).size === 1, "the same length for every option: " + widths);
    await page.locator('[data-zhibu=quiz] [data-q="2"]').scrollIntoViewIfNeeded();
    await shot(page, "quiz-equal-bars");
  });

  await step("polish: Chinese quotation marks in the Chinese font; on a laptop the footer keeps its padding", async () => {
    await page.goto(base + pages.branchCopy);
    const cdp = await member.newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    // A line of the site's own punctuation between Chinese words, in the article's text.
    await page.evaluate(() => {
      const p = document.createElement("p");
      p.id = "punct-probe";
      p.textContent = "“党章”……——·";
      document.querySelector(".prose").append(p);
    });
    // The probe is laid out and its fonts loaded before Chromium is asked which fonts drew it
    // (asked too early, it answers with no font at all); asked again for up to two seconds.
    await page.evaluate(async () => {
      document.getElementById("punct-probe").getBoundingClientRect();
      await document.fonts.ready;
    });
    let fonts = [];
    for (let attempt = 0; attempt < 20 && fonts.length === 0; attempt++) {
      if (attempt > 0) await page.waitForTimeout(100);
      const { root: again } = await cdp.send("DOM.getDocument", { depth: -1 });
      const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: again.nodeId, selector: "#punct-probe" });
      ({ fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId }));
    }
    const installed = (() => {
      try {
        return execFileSync("fc-list", [":lang=zh"], { encoding: "utf8" });
      } catch (e) {
        return "";
      }
    })();
    if (/Noto Sans CJK SC/.test(installed)) {
      check(fonts.length > 0 && fonts.every((f) => /CJK|PingFang|YaHei|Hiragino|Source Han/i.test(f.familyName)), "the punctuation in a Chinese font: " + JSON.stringify(fonts));
    } else {
      console.log("     (fonts-noto-cjk not installed: the punctuation's font is not checked) " + JSON.stringify(fonts));
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    const pad = await page.locator(".footer-inner").evaluate((e) => parseFloat(getComputedStyle(e).paddingTop));
    check(pad >= 16, "the footer's top padding at 1366 px: " + pad);
    await page.setViewportSize(PHONE.viewport);
  });
  await member.close();

  const { context: adminContext, page: admin } = await phone(cfg.admin);
  steps.current = admin;

  await step("as an admin, no admin page scrolls sideways or shows a developer's word; the branch name stays on one line", async () => {
    const list = ["/admin/", "/admin/moderation/", "/admin/attendance/", "/admin/campaign/", "/admin/quiz/", "/admin/members/", "/admin/audit/", "/admin/reports/", "/admin/joining/", "/admin/talks/", "/admin/dues/", "/admin/review/", "/admin/host/", "/admin/suggestions/"];
    await walk(admin, list, settled);
    await admin.goto(base + "/admin/");
    await admin.locator(".member-admin").waitFor();
    const lines = await admin.locator(".brand-name").evaluate((e) => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)));
    check(lines === 1, "the branch's name on one line beside 管理: " + lines + " lines");
    await shot(admin, "admin-header");
  });

  await step("the campaign page shows counts; a member's days only when opened, big enough to tap", async () => {
    await admin.goto(base + "/admin/campaign/?campaign=" + cfg.campaign.id);
    await admin.selectOption("#admin-campaign", cfg.campaign.id);
    const row = admin.locator('.heat-row[data-member="' + cfg.member.id + '"]');
    await waitText(admin, '.heat-row[data-member="' + cfg.member.id + '"] .heat-name', /已完成 2 \/ 100 天/);
    check(!(await row.locator(".heat-cells").isVisible()), "no days until opened");
    await row.locator(".heat-toggle").click();
    const cell = await row.locator('.heat-cell[data-day="3"]').boundingBox();
    check(cell.width >= 24 && cell.height >= 24, "a day at least 24 px: " + cell.width + "×" + cell.height);
    await shot(admin, "admin-campaign-opened");
  });

  await step("axe-core finds nothing on the admin's pages while logged in", async () => {
    await axeClean(admin, ["/admin/", "/admin/moderation/", "/admin/attendance/", "/admin/quiz/", "/admin/members/", "/admin/audit/", "/admin/reports/", "/admin/joining/", "/admin/talks/", "/admin/dues/"], settled);
    await admin.goto(base + "/admin/campaign/?campaign=" + cfg.campaign.id);
    await admin.selectOption("#admin-campaign", cfg.campaign.id);
    await admin.locator(".heat-toggle").first().click();
    const found = await axe(admin);
    check(found.length === 0, "axe-core on the opened campaign page:\n  " + found.join("\n  "));
  });
  await adminContext.close();

  await step("no script errors on any page", async () => check(errors.length === 0, errors.join("; ")));
  await step("nothing blocked by the Content-Security-Policy", async () => check(blocked.length === 0, blocked.join("; ")));
  console.log("all walk-through steps passed; screenshots in " + cfg.shots);
} catch (e) {
  failed = true;
  if (!steps.reported.has(e)) console.log("FAIL " + (e && e.stack ? e.stack : e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
