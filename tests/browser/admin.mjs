// The secretary's pages under /admin/ in headless Chromium: run by tests/e2e/browser.rs on a site of
// its own (the same fixture as e2e.mjs, with the branch's content/admin/ and a sensitive-word
// list), config in E2E_CONFIG (JSON: base, chromium, shots, member, other, admin, pages,
// events, campaign, quiz, flagged). The members' records are made through the API first; then
// a member is refused, and an admin reviews notes, reads attendance, the heatmap, the quiz
// results (and reveals them), the roster and the audit log. Screenshots: admin-NN-*.png.

import { chromium } from "playwright-core";
import { PHONE, FLAGS, check, Steps, client, waitText, login, watchCsp } from "./harness.mjs";

const cfg = JSON.parse(process.env.E2E_CONFIG);
const { base, pages } = cfg;
const steps = new Steps(cfg.shots, "admin-");
const { shot, step } = steps;
const { call, token } = client(base);

const notes = {
  approve: "联系实习岗位学习党章，体会到党员要在平凡岗位上作表率。",
  reject: "这一篇写得比较简单，先交上来请支部把关。",
  flagged: "听说有人想请同学代签到，<b>这不是粗体</b>；代 签到违反纪律，我没有答应。",
};
const reason = "请结合实习岗位谈具体体会";

const browser = await chromium.launch({ executablePath: cfg.chromium, headless: true, args: FLAGS });
let failed = false;
try {
  const errors = [];
  const blocked = [];
  const watch = (page) => {
    page.setDefaultTimeout(15000);
    page.on("pageerror", (e) => errors.push(page.url() + ": " + e.message));
    watchCsp(page, blocked);
  };
  const memberToken = await token(cfg.member);
  const otherToken = await token(cfg.other);
  const adminToken = await token(cfg.admin);

  await step("the members' records, through the API", async () => {
    for (const body of Object.values(notes)) {
      const r = await call("POST", "/api/notes", memberToken, { page: pages.online, body });
      check(r.status === 201, "note posted: " + JSON.stringify(r.data));
    }
    const signin = await call("POST", "/api/signins", memberToken, {
      event: cfg.events.onsite,
      consent_location: true,
      location: { lat: 30.5203, lon: 114.3602, accuracy_m: 25 },
    });
    check(signin.status === 201, "on-site sign-in: " + JSON.stringify(signin.data));
    check((await call("POST", "/api/quizzes/" + cfg.quiz + "/answers", memberToken, { answers: [2, 1] })).status === 201, "answers of " + cfg.member.id);
    check((await call("POST", "/api/quizzes/" + cfg.quiz + "/answers", otherToken, { answers: [2, 2] })).status === 201, "answers of " + cfg.other.id);
    // Photos drawn and sent by a browser page: days 2 and today for the member, day 1 for the other.
    const scratch = await browser.newContext(PHONE);
    const p = await scratch.newPage();
    await p.goto(base + pages.login);
    const uploads = [[memberToken, 2], [memberToken, cfg.campaign.today], [otherToken, 1]];
    const statuses = await p.evaluate(async ([uploads, campaign]) => {
      const out = [];
      for (const [token, day] of uploads) {
        const c = document.createElement("canvas");
        c.width = 640;
        c.height = 480;
        const g = c.getContext("2d");
        g.fillStyle = "#f6f1e6";
        g.fillRect(0, 0, 640, 480);
        g.fillStyle = "#27324f";
        g.font = "48px serif";
        g.fillText("第 " + day + " 天 中国共产党章程", 40, 240);
        const blob = await new Promise((ok) => c.toBlob(ok, "image/jpeg", 0.9));
        const form = new FormData();
        form.append("campaign", campaign);
        form.append("day", String(day));
        form.append("photo", blob, "copy.jpg");
        const r = await fetch("/api/copies", { method: "POST", headers: { Authorization: "Bearer " + token }, body: form });
        out.push(r.status);
      }
      return out;
    }, [uploads, cfg.campaign.id]);
    check(statuses.every((s) => s === 201), "photos uploaded: " + statuses);
    await scratch.close();
  });

  // A member, signed out, opens an admin page.
  const memberContext = await browser.newContext(PHONE);
  const mp = await memberContext.newPage();
  watch(mp);
  steps.current = mp;

  await step("signed out, an admin page sends the visitor to log in and back; a member is refused", async () => {
    await mp.goto(base + pages.moderation);
    await mp.waitForURL((u) => u.pathname === pages.login && u.searchParams.get("next") === pages.moderation);
    await login(mp, cfg.member);
    await mp.waitForURL(base + pages.moderation);
    await waitText(mp, "[data-zhibu=admin-refused]", new RegExp("仅供支部管理员使用.*" + cfg.member.name));
    check(await mp.locator("[data-zhibu=admin-refused]").isVisible(), "the refusal is shown");
    check(!(await mp.locator("[data-zhibu=admin]").isVisible()), "the admin panel stays hidden");
    check((await mp.locator(".review").count()) === 0, "no note shown to a member");
    check((await call("GET", "/api/notes?status=pending", memberToken)).status === 403, "the API refuses the member");
    await shot(mp, "member-refused");
  });
  await memberContext.close();

  const adminContext = await browser.newContext(PHONE);
  const page = await adminContext.newPage();
  watch(page);
  steps.current = page;
  let dialogs = "accept";
  page.on("dialog", (d) => (dialogs === "accept" ? d.accept() : d.dismiss()));

  await step("an admin logs in from the admin pages and sees them, kept out of search engines", async () => {
    await page.goto(base + pages.admin);
    await page.waitForURL((u) => u.pathname === pages.login && u.searchParams.get("next") === pages.admin);
    await login(page, cfg.admin);
    await page.waitForURL(base + pages.admin);
    await page.locator("[data-zhibu=admin] .tiles").waitFor();
    check(!(await page.locator("[data-zhibu=admin-refused]").isVisible()), "no refusal for an admin");
    check((await page.locator("meta[name=robots]").getAttribute("content")).includes("noindex"), "noindex");
    const nav = await page.locator(".site-nav").textContent();
    check(!nav.includes("管理"), "not in the site's navigation: " + nav);
    const sitemap = await (await fetch(base + "/sitemap.xml")).text();
    check(sitemap.includes("<loc>") && !sitemap.includes("/admin/"), "not in the sitemap");
    // The admin pages' own stylesheet (a file: the CSP allows no inline <style>) is applied.
    const links = await page.locator(".admin-nav ul").evaluate((e) => getComputedStyle(e).display);
    check(links === "flex", "css/admin.css applied to the admin links: display " + links);
    await shot(page, "admin-home");
  });

  const item = (text) => page.locator(".review", { hasText: text.slice(0, 12) });

  await step("the queue shows each note as text, with the flagged words marked", async () => {
    await page.goto(base + pages.moderation);
    await waitText(page, "[data-zhibu=admin-moderation] [data-count]", /3 条/);
    const flagged = item(notes.flagged);
    const body = flagged.locator(".note-body");
    check((await body.textContent()) === notes.flagged, "the body as written: " + (await body.textContent()));
    const marks = await body.locator("mark").allTextContents();
    check(marks.join("|") === "代签到|代 签到", "both spellings marked: " + JSON.stringify(marks));
    check((await flagged.locator("b, img, script").count()) === 0, "no HTML made from the note");
    await waitText(page, ".review-flags", new RegExp("敏感词.*" + cfg.flagged));
    check((await item(notes.approve).locator("mark").count()) === 0, "nothing marked in a clean note");
    await waitText(page, ".review .note-meta", new RegExp(cfg.member.name + "（" + cfg.member.id + "）"));
    await flagged.scrollIntoViewIfNeeded();
    await shot(page, "queue-flagged-word");
  });

  await step("approve one note, reject another with a reason; both leave the queue", async () => {
    await item(notes.approve).locator("button", { hasText: "通过" }).click();
    await waitText(page, "[data-zhibu=admin-moderation] > .form-status", /已通过张三的心得/);
    check((await item(notes.approve).count()) === 0, "the approved note left the queue");
    const rejected = item(notes.reject);
    await rejected.locator("button", { hasText: "退回" }).click();
    await waitText(page, ".review:has(textarea:focus) .form-status", /退回时请写明理由/);
    await rejected.scrollIntoViewIfNeeded();
    await shot(page, "reject-needs-reason");
    await rejected.locator("textarea").fill(reason);
    await rejected.locator("button", { hasText: "退回" }).click();
    await waitText(page, "[data-zhibu=admin-moderation] > .form-status", /已退回张三的心得/);
    await waitText(page, "[data-zhibu=admin-moderation] [data-count]", /1 条/);
    check((await page.locator(".review").count()) === 1, "one note left");
    const mine = (await call("GET", "/api/notes/mine", memberToken)).data.notes;
    const status = (body) => mine.find((n) => n.body === body) || {};
    check(status(notes.approve).status === "approved", "approved: " + JSON.stringify(status(notes.approve)));
    check(status(notes.reject).status === "rejected" && status(notes.reject).review_reason === reason, "rejected with the reason: " + JSON.stringify(status(notes.reject)));
    check(status(notes.flagged).status === "pending", "the third still pending");
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "reviewed");
  });

  await step("attendance: who signed in, when, on site and how far; who has not", async () => {
    await page.goto(base + pages.attendance + "?event=" + cfg.events.onsite);
    const rows = page.locator("[data-signins] tr");
    await waitText(page, "[data-signins]", new RegExp(cfg.member.name));
    check((await rows.count()) === 1, "one sign-in");
    const cells = await rows.first().locator("td").allTextContents();
    check(cells[0] === cfg.member.name && /^\d+月\d+日 \d\d:\d\d$/.test(cells[1]) && cells[2] === "是", "name, time, on site: " + cells);
    const metres = +(cells[3].match(/^约 (\d+) 米$/) || [])[1];
    check(metres > 200 && metres < 330, "about 260 m from the coarse location to the centre: " + cells[3]);
    const absent = await page.locator("[data-absent] li").allTextContents();
    check(absent.includes(cfg.other.name) && !absent.includes(cfg.member.name), "absent: " + absent);
    check((await page.locator("#admin-event").inputValue()) === cfg.events.onsite, "the event asked for is chosen");
    await page.locator("[data-zhibu=admin-attendance]").scrollIntoViewIfNeeded();
    await shot(page, "attendance");
    await page.selectOption("#admin-event", cfg.events.online);
    await waitText(page, "[data-signins]", /还没有人签到/);
    check(new URL(page.url()).searchParams.get("event") === cfg.events.online, "the choice is kept in the address");
  });

  await step("the campaign heatmap marks each member's days in roster order", async () => {
    await page.goto(base + pages.campaign);
    const rows = page.locator(".heat-row");
    await rows.first().waitFor();
    check((await rows.count()) === 2, "the two members, not the admin");
    check((await rows.nth(0).getAttribute("data-member")) === cfg.member.id && (await rows.nth(1).getAttribute("data-member")) === cfg.other.id, "roster order");
    // Counts first; a member's days only once opened.
    for (const r of [0, 1]) await rows.nth(r).locator(".heat-toggle").click();
    const today = cfg.campaign.today;
    const classes = (r, d) => rows.nth(r).locator('.heat-cell[data-day="' + d + '"]').getAttribute("class");
    const expect = { 0: { 1: "missed", 2: "done", 3: "missed", 4: "missed", [today]: "done", [today + 1]: "future", 100: "future" }, 1: { 1: "done", 2: "missed", 4: "missed", [today]: "future" } };
    for (const r of [0, 1]) {
      for (const [d, kind] of Object.entries(expect[r])) {
        const c = await classes(r, d);
        check(c.includes("is-" + kind), "row " + r + " day " + d + " " + kind + ": " + c);
        check(c.includes("is-today") === (+d === today), "row " + r + " day " + d + " today: " + c);
      }
    }
    check((await rows.nth(0).locator(".heat-cell").count()) === 100, "100 days");
    await waitText(page, ".heat-row:nth-child(1) .heat-name", /张三已完成 2 \/ 100 天/);
    await waitText(page, ".heat-row:nth-child(2) .heat-name", /李四已完成 1 \/ 100 天/);
    await waitText(page, "[data-zhibu=admin-campaign] .form-status", new RegExp("今天是第 " + today + " 天"));
    await rows.nth(0).locator('.heat-cell[data-day="' + today + '"]').click();
    const img = rows.nth(0).locator(".heat-photo img");
    await img.waitFor();
    await page.waitForFunction((e) => e.complete && e.naturalWidth > 0, await img.elementHandle());
    await rows.nth(0).scrollIntoViewIfNeeded();
    await shot(page, "heatmap-photo");
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator("[data-zhibu=admin-campaign]").scrollIntoViewIfNeeded();
    await shot(page, "heatmap-wide");
    await page.setViewportSize(PHONE.viewport);
  });

  await step("quiz results: counts per option with the key; the reveal asks first", async () => {
    await page.goto(base + pages.quizResults);
    await waitText(page, "[data-zhibu=admin-quiz] .form-status", /目前共 2 人作答（仅管理员可见）/);
    await waitText(page, "[data-zhibu=admin-quiz] [data-state]", /进行中/);
    const counts = (q) => page.locator('[data-results] [data-q="' + q + '"] .quiz-bar span:last-child').allTextContents();
    check((await counts(1)).join() === "0 人,2 人,0 人", "question 1: " + (await counts(1)));
    check((await counts(2)).join() === "1 人,1 人,0 人", "question 2: " + (await counts(2)));
    await waitText(page, '[data-results] [data-q="1"] .is-key', /B\. 每季度一次（标准答案）/);
    await waitText(page, '[data-results] [data-q="1"] .quiz-source', /第十一条/);
    await shot(page, "quiz-results");
    dialogs = "dismiss";
    await page.click("[data-reveal]");
    dialogs = "accept";
    check(await page.locator("[data-reveal]").isVisible(), "not revealed without a yes");
    check((await call("GET", "/api/quizzes/" + cfg.quiz, memberToken)).data.quiz.revealed === false, "still hidden from members");
    await page.click("[data-reveal]");
    await waitText(page, "[data-zhibu=admin-quiz] [data-state]", /已公布/);
    check(!(await page.locator("[data-reveal]").isVisible()), "the button is gone");
    const seen = (await call("GET", "/api/quizzes/" + cfg.quiz, memberToken)).data;
    check(seen.quiz.revealed === true && seen.results && seen.results.respondents === 2, "members see the results: " + JSON.stringify(seen.quiz));
    await page.locator("[data-zhibu=admin-quiz]").evaluate((e) => e.scrollIntoView());
    await shot(page, "quiz-revealed");
  });

  await step("the member list shows roles and each member's last activity", async () => {
    await page.goto(base + pages.members);
    const rows = page.locator("[data-zhibu=admin-members] tbody tr");
    await rows.first().waitFor();
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.member));
    check(ids.join() === [cfg.member.id, cfg.other.id, cfg.admin.id].join(), "roster order: " + ids);
    const cells = async (i) => rows.nth(i).locator("td").allTextContents();
    const first = await cells(0);
    check(first[1] === cfg.member.name && first[2] === "成员" && /^\d{4}年\d+月\d+日 \d\d:\d\d$/.test(first[3]), "the member: " + first);
    const admin = await cells(2);
    check(admin[2] === "管理员" && admin[3] === "—", "the admin, never active: " + admin);
    await shot(page, "members");
  });

  await step("the audit log lists the reviews and the reveal, newest first", async () => {
    await page.goto(base + pages.audit);
    const rows = page.locator("[data-zhibu=admin-audit] tbody tr");
    await rows.first().waitFor();
    const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.action));
    check(actions.slice(0, 3).join() === "quiz.reveal,note.reject,note.approve", "newest first: " + actions);
    check(actions.includes("members.import"), "the roster import from the command line: " + actions);
    const reject = await rows.nth(1).locator("td").allTextContents();
    check(reject[1] === cfg.admin.name + "（" + cfg.admin.id + "）" && reject[2] === "退回心得" && reject[4] === reason, "the rejection: " + reject);
    await waitText(page, "[data-zhibu=admin-audit] tbody", /支部管理工具.*导入名册/);
    await rows.nth(1).evaluate((e) => e.scrollIntoView());
    await shot(page, "audit");
  });

  await step("no script errors on any admin page", async () => check(errors.length === 0, errors.join("; ")));
  await step("nothing blocked by the Content-Security-Policy", async () => check(blocked.length === 0, blocked.join("; ")));
  console.log("all admin steps passed; screenshots in " + cfg.shots);
} catch (e) {
  failed = true;
  if (!steps.reported.has(e)) console.log("FAIL " + (e && e.stack ? e.stack : e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
