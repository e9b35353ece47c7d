// The member's file in headless Chromium, as phones in WeChat: run by tests/e2e/browser.rs on a
// site of its own (the branch's content/me/ and content/admin/), config in E2E_CONFIG (JSON:
// base, chromium, shots, member, other, stranger, admin, committee, pages). 张三 (member) is an
// activist whose contact person is 李四 (other); 赵六 (stranger) is nobody's contact person; 钱委员
// (committee) is a committee member. 张三 writes this quarter's thought report — a draft kept on
// the phone and on the server, photographed pages — submits it, withdraws it before anyone has
// read it and submits it again; 李四 finds it under the people he is a contact for, reads it,
// marks it read and comments; 赵六 is told it does not exist; 张三 answers the comment once and
// can no longer withdraw; 张三 asks for a talk; the secretary records a milestone and sees the
// record's warnings; the committee member sees the reviewers' pages only; the secretary reads
// the quarter's overview and records the talk that answers the request; 张三 reads the talk's
// record and adds a note; the series prints. Screenshots: file-NN-*.png.

import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { FLAGS, check, Steps, client, waitText, login, phones } from "./harness.mjs";

const cfg = JSON.parse(process.env.E2E_CONFIG);
const { base, pages } = cfg;
const scratch = mkdtempSync(join(tmpdir(), "zhibu-file-"));
const steps = new Steps(cfg.shots, "file-");
const { shot, step } = steps;
const { call, token } = client(base);

// This quarter in Beijing time, as the server counts it.
const bj = new Date(Date.now() + 8 * 36e5);
const quarter = bj.getUTCFullYear() + "Q" + (Math.floor(bj.getUTCMonth() / 3) + 1);
const quarterLabel = bj.getUTCFullYear() + "年第" + ["一", "二", "三", "四"][+quarter.slice(5) - 1] + "季度";
const isoDay = (ms) => new Date(ms + 8 * 36e5).toISOString().slice(0, 10);
const applied = isoDay(Date.now() - 200 * 864e5);

const title = quarterLabel + "思想汇报";
const start = "敬爱的党组织：\n这一季度我在县医院信息科顶岗实习。";
const paragraph =
  "实习中我参加了科室党支部组织的学习，读了党章总纲中关于全心全意为人民服务的论述。" +
  "有一次夜里系统出了故障，门诊挂号排起了长队，带教老师是一名老党员，他一边安抚群众一边和我们排查，一直忙到天亮。" +
  "这件事让我明白，党员的先锋模范作用就体现在这样具体的岗位上。";
const body = start + "\n" + paragraph + "\n" + paragraph.replace("一次夜里", "又一次周末") + "\n我的不足是理论学习不够系统，下一季度准备每周读一章《习近平新时代中国特色社会主义思想学习纲要》。\n汇报人：张三";
const comment = "汇报结合实习岗位，写得具体。下一季度可以多写写自己在科室学习中的收获。";
const reply = "谢谢李四同志，下一季度我会把学习纲要的体会写进去。";
const summary = "谈了实习近况和思想汇报的写法，张三表示实习单位的党组织欢迎他列席学习。";

const browser = await chromium.launch({ executablePath: cfg.chromium, headless: true, args: FLAGS });
let failed = false;
try {
  const errors = [];
  const blocked = [];
  const phone = phones(browser, base, pages, errors, blocked);
  const memberToken = await token(cfg.member);
  const otherToken = await token(cfg.other);
  const strangerToken = await token(cfg.stranger);
  const own = async () => (await call("GET", "/api/reports/mine/" + quarter, memberToken)).data.report;

  const { context: member, page } = await phone();
  steps.current = page;

  await step("signed out, 我的 sends the visitor to log in and back; it shows the stage, the timeline and what is open", async () => {
    await page.goto(base + pages.me);
    await page.waitForURL((u) => u.pathname === pages.login && u.searchParams.get("next") === pages.me);
    await login(page, cfg.member);
    await page.waitForURL(base + pages.me);
    await waitText(page, "[data-zhibu=me-status]", new RegExp(cfg.member.name + " · 成员编号 " + cfg.member.id + " · 积极分子"));
    check((await page.locator(".member-name").getAttribute("href")) === pages.me, "the name in the header leads to 我的");
    await waitText(page, "[data-zhibu=me-open] .open-list", new RegExp(quarterLabel + "的思想汇报：还没有提交"));
    await waitText(page, "[data-zhibu=me-road] .road-facts", new RegExp("阶段：积极分子 · 培养联系人：" + cfg.other.name));
    check((await page.locator(".road-stage").count()) === 5 && (await page.locator(".road-step").count()) === 19, "19 milestones in 5 stages");
    const next = page.locator(".road-step.is-next");
    check((await next.getAttribute("data-milestone")) === "activist" && (await next.getAttribute("aria-current")) === "step", "the next step marked");
    await waitText(page, ".road-step.is-next .road-needs", /需要：.*支委会|需要：.*支部委员会/);
    check(!(await page.locator("[data-zhibu=me-contacts]").isVisible()), "no contact section for a member who is nobody's contact");
    await shot(page, "me");
  });

  await step("a draft is saved to the server; what is typed after is kept on the phone and restored on reload", async () => {
    await page.locator("[data-zhibu=me-open] li[data-kind=report] a").click();
    await page.waitForURL((u) => u.pathname === pages.report && u.searchParams.get("quarter") === quarter);
    const form = page.locator("[data-zhibu=report] form");
    await waitText(page, "[data-zhibu=report] [data-status]", /还没有写思想汇报/);
    check((await page.locator("#report-quarter").inputValue()) === quarter, "this quarter chosen");
    await page.fill("#report-title-input", title);
    await page.fill("#report-body", start);
    await waitText(page, "#report-count", new RegExp("已写 " + Array.from(start).length + " 字（至少 200 字"));
    await form.locator("[data-save]").click();
    await waitText(page, "[data-zhibu=report] [data-status]", /草稿已保存/);
    const saved = await own();
    check(saved.status === "draft" && saved.title === title && saved.body === start, "the draft on the server: " + JSON.stringify(saved));
    await waitText(page, "[data-zhibu=report] [data-state]", /草稿/);
    await page.fill("#report-body", body);
    await page.reload();
    await waitText(page, "[data-zhibu=report] [data-local]", /已恢复本机保存的内容/);
    check((await page.locator("#report-body").inputValue()) === body, "the text typed after the save is back");
    await shot(page, "draft-restored");
  });

  await step("offline, the draft waits in the outbox and reaches the server when the connection returns", async () => {
    await member.setOffline(true);
    await page.locator("[data-zhibu=report] [data-save]").click();
    await waitText(page, "[data-zhibu=report] [data-status]", /网络未连接：内容已保存在本机/);
    await waitText(page, ".outbox-status", /有 1 条内容已保存在本机/);
    await shot(page, "draft-offline");
    await member.setOffline(false);
    await waitText(page, ".outbox-status", /离线保存的思想汇报草稿已经提交/);
    check((await own()).body === body, "the whole text on the server");
  });

  await step("two handwritten pages are shrunk in the browser and uploaded; one is removed", async () => {
    const files = await page.evaluate(async () => {
      const out = [];
      for (const n of [1, 2]) {
        const c = document.createElement("canvas");
        c.width = 1500;
        c.height = 2400;
        const g = c.getContext("2d");
        g.fillStyle = "#f6f1e6";
        g.fillRect(0, 0, 1500, 2400);
        g.strokeStyle = "#b7c6d8";
        for (let y = 200; y < 2300; y += 120) {
          g.beginPath();
          g.moveTo(80, y);
          g.lineTo(1420, y);
          g.stroke();
        }
        g.fillStyle = "#27324f";
        g.font = "72px serif";
        g.fillText("思想汇报 第 " + n + " 页", 120, 180);
        for (let y = 300; y < 2300; y += 120) g.fillText("敬爱的党组织：这一季度我在实习中……", 120, y);
        const blob = await new Promise((ok) => c.toBlob(ok, "image/jpeg", 0.95));
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let s = "";
        for (let i = 0; i < bytes.length; i += 32768) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 32768));
        out.push(btoa(s));
      }
      return out;
    });
    const paths = files.map((b64, i) => {
      const p = join(scratch, "page-" + (i + 1) + ".jpg");
      writeFileSync(p, Buffer.from(b64, "base64"));
      return p;
    });
    await page.locator("#report-photo").setInputFiles(paths);
    await waitText(page, "[data-zhibu=report] [data-photo-status]", /第 2 页已上传/);
    check((await page.locator("[data-pages] .report-page").count()) === 2, "two pages shown");
    await waitText(page, "#report-count", /已上传手写稿 2 页/);
    const two = await own();
    check(two.pages.length === 2 && two.pages.every((p) => Math.max(p.width, p.height) <= 2000), "two pages, shrunk: " + JSON.stringify(two.pages));
    await page.locator("[data-zhibu=report] [data-pages]").scrollIntoViewIfNeeded();
    await shot(page, "pages-uploaded");
    await page.locator('button[aria-label="删除第 1 页"]').click();
    await waitText(page, "[data-zhibu=report] [data-photo-status]", /第 1 页已删除/);
    check((await page.locator("[data-pages] .report-page").count()) === 1, "one page left");
    check((await own()).pages.length === 1, "one page on the server");
  });

  await step("submitted: read-only, withdrawable, and the phone's copy is gone", async () => {
    await page.locator("[data-zhibu=report] [data-submit]").click();
    await waitText(page, "[data-zhibu=report] [data-status]", /思想汇报已提交/);
    await waitText(page, "[data-zhibu=report] [data-state]", /已提交/);
    check(await page.locator("[data-zhibu=report] [data-withdraw]").isVisible(), "a withdraw button");
    check(await page.locator("#report-body").evaluate((t) => t.readOnly), "the text is read-only");
    check(!(await page.locator("[data-zhibu=report] [data-save]").isVisible()), "no save once submitted");
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("zhibu.draft.")));
    check(kept.length === 0, "no draft left on the phone: " + kept);
    const r = await own();
    check(r.status === "submitted" && r.withdrawable && !r.opened && r.body === body && r.pages.length === 1, "submitted: " + JSON.stringify(r));
    await shot(page, "submitted");
  });

  await step("withdrawn before anyone has read it, then submitted again", async () => {
    await page.locator("[data-zhibu=report] [data-withdraw]").click();
    await waitText(page, "[data-zhibu=report] [data-status]", /已撤回，现在是草稿/);
    await waitText(page, "[data-zhibu=report] [data-state]", /草稿/);
    check(!(await page.locator("#report-body").evaluate((t) => t.readOnly)), "editable again");
    check((await own()).status === "draft", "a draft on the server");
    await page.locator("[data-zhibu=report] [data-submit]").click();
    await waitText(page, "[data-zhibu=report] [data-status]", /思想汇报已提交/);
    check((await own()).status === "submitted", "submitted again");
  });

  const { context: contact, page: cp } = await phone(cfg.other);
  steps.current = cp;
  const readingUrl = pages.reading + "?member=" + cfg.member.id + "&quarter=" + quarter;

  await step("the contact person finds it under the people they are contact for; listing does not open it", async () => {
    const box = cp.locator("[data-zhibu=me-contacts]");
    await box.waitFor();
    await waitText(cp, "[data-zhibu=me-contacts] .person", new RegExp(cfg.member.name + "[\\s\\S]*积极分子"));
    await waitText(cp, "[data-zhibu=me-contacts] .assigned-reports", new RegExp(quarterLabel + "：" + title + "[\\s\\S]*未阅"));
    check((await own()).opened === false, "not opened by being listed");
    await box.locator(".person-road summary").click();
    await waitText(cp, "[data-zhibu=me-contacts] .person-road .road-facts", /阶段：积极分子/);
    check((await box.locator(".person-road .road-step").count()) === 19, "the person's timeline");
    await box.scrollIntoViewIfNeeded();
    await shot(cp, "contact-list");
  });

  await step("the contact person reads it, marks it read and comments; the author can no longer withdraw", async () => {
    await cp.locator("[data-zhibu=me-contacts] .assigned-reports a").first().click();
    await cp.waitForURL((u) => u.pathname === pages.reading && u.searchParams.get("member") === cfg.member.id);
    await waitText(cp, ".report-title", new RegExp(title));
    await waitText(cp, ".report-body", /县医院信息科顶岗实习/);
    check((await cp.locator(".report-body").textContent()) === body, "the text as written");
    check((await cp.locator("[data-report] .report-page img").count()) === 1, "the photographed page");
    const opened = await own();
    check(opened.opened === true && opened.withdrawable === false, "opened: " + JSON.stringify(opened));
    await cp.locator("[data-read]").click();
    await waitText(cp, "[data-zhibu=reader] [data-status]", /已标为已阅/);
    await waitText(cp, "[data-report] .report-meta", new RegExp(cfg.other.name + " 已阅"));
    await cp.fill("#comment-body", comment);
    await cp.locator("[data-comment-form] button[type=submit]").click();
    await waitText(cp, "[data-comment-form] .form-status", /意见已提交/);
    await waitText(cp, "[data-zhibu=reader] .comment", new RegExp(cfg.other.name + "[\\s\\S]*" + comment.slice(0, 10)));
    await cp.locator("[data-zhibu=reader] .comments").scrollIntoViewIfNeeded();
    await shot(cp, "contact-commented");
    const listed = (await call("GET", "/api/reports/assigned", otherToken)).data.people[0].reports[0];
    check(listed.read === true && listed.comments === 1, "the contact's list: " + JSON.stringify(listed));
    const audit = await call("GET", "/api/audit", await token(cfg.admin));
    const reads = audit.data.entries.filter((e) => e.actor === cfg.other.id && e.action === "report.view");
    check(reads.length >= 1, "the reading is in the audit log: " + JSON.stringify(audit.data.entries.slice(0, 5)));
  });

  await step("a member who is not the contact person is told the report does not exist", async () => {
    const { context: sc, page: sp } = await phone(cfg.stranger);
    steps.current = sp;
    check(!(await sp.locator("[data-zhibu=me-contacts]").isVisible()), "no contact section");
    await sp.goto(base + readingUrl);
    await waitText(sp, "[data-zhibu=reader] [data-status]", /没有这篇思想汇报/);
    check(!(await sp.locator("[data-report]").isVisible()), "nothing of the report shown");
    check((await sp.locator("[data-zhibu=reader]").textContent()).indexOf(title) < 0, "not even its title");
    await shot(sp, "stranger-not-found");
    await sp.goto(base + pages.print + "?member=" + cfg.member.id);
    await waitText(sp, "[data-zhibu=print] [data-status]", /没有这篇思想汇报/);
    for (const path of ["/api/members/" + cfg.member.id + "/reports/" + quarter, "/api/members/" + cfg.member.id + "/reports", "/api/members/" + cfg.member.id + "/joining"]) {
      const r = await call("GET", path, strangerToken);
      check(r.status === 404, path + " is 404 for a stranger: " + r.status);
    }
    check((await call("POST", "/api/members/" + cfg.member.id + "/reports/" + quarter + "/comments", strangerToken, { body: "路过" })).status === 404, "no comment from a stranger");
    await sc.close();
    steps.current = page;
  });

  await step("the author reads the comment and answers it once; withdrawing is refused", async () => {
    await page.goto(base + pages.report + "?quarter=" + quarter);
    await waitText(page, "[data-zhibu=report] [data-state]", /已阅/);
    await waitText(page, "[data-zhibu=report] .comment", new RegExp(comment.slice(0, 10)));
    check(!(await page.locator("[data-zhibu=report] [data-withdraw]").isVisible()), "no withdraw once opened");
    await page.fill("#reply-1", reply);
    await page.locator(".comment .text-form button[type=submit]").click();
    await waitText(page, "[data-zhibu=report] .comment-reply", new RegExp(reply.slice(0, 8)));
    check((await page.locator("#reply-1").count()) === 0, "the reply form is gone");
    const again = await call("POST", "/api/reports/mine/" + quarter + "/comments/1/reply", memberToken, { body: "再回复一次" });
    check(again.status === 409 && again.data.error.code === "already_replied", "one reply per comment: " + JSON.stringify(again));
    const back = await call("POST", "/api/reports/mine/" + quarter + "/withdraw", memberToken, {});
    check(back.status === 409 && back.data.error.code === "already_read", "no withdrawing: " + JSON.stringify(back));
    await page.locator("[data-zhibu=report] .comments").scrollIntoViewIfNeeded();
    await shot(page, "replied");
  });

  await step("the member asks for a talk by video", async () => {
    await page.goto(base + pages.talk);
    await waitText(page, "[data-zhibu=talk-mine] [data-status]", /还没有谈话申请/);
    await page.fill("#talk-topic", "想谈谈实习结束后的打算");
    await page.fill("#talk-preferred", "工作日晚上 8 点后");
    await page.check("[data-zhibu=talk-ask] input[name=mode][value=video]");
    await page.locator("[data-zhibu=talk-ask] button[type=submit]").click();
    await waitText(page, "[data-zhibu=talk-ask] .form-status", /申请已提交/);
    await waitText(page, "[data-zhibu=talk-mine] [data-requests]", /视频 · 等待安排[\s\S]*实习结束后的打算/);
    check(await page.locator("[data-zhibu=talk-ask] button[type=submit]").isDisabled(), "one open request at a time");
    await shot(page, "talk-requested");
  });

  const { context: adminContext, page: ap } = await phone(cfg.admin);
  steps.current = ap;

  await step("the secretary records the application date and sees the record's warnings; a wrong entry is removed", async () => {
    await ap.goto(base + pages.adminJoining);
    const card = ap.locator('.person-card[data-member="' + cfg.member.id + '"]');
    await card.waitFor();
    check((await ap.locator(".person-card").count()) === 1, "only the activist is on the road");
    await ap.locator("[data-record]").waitFor();
    check((await ap.locator("#joining-member").inputValue()) === cfg.member.id, "the first person on the road chosen");
    check((await ap.locator("#joining-milestone").inputValue()) === "activist", "their next step chosen");
    await ap.selectOption("#joining-milestone", "applied");
    await ap.fill("#joining-date", applied);
    await ap.fill("#joining-note", "书面申请，交支部书记");
    await ap.locator("[data-record] button[type=submit]").click();
    await waitText(ap, "[data-record] [data-form-status]", new RegExp("已登记：" + cfg.member.name));
    await waitText(ap, '.person-card[data-member="' + cfg.member.id + '"] .recorded', /递交入党申请书（书面申请，交支部书记）/);
    const codes = await card.locator(".warning").evaluateAll((ws) => ws.map((w) => w.dataset.code));
    check(codes.includes("missing_report") && codes.includes("late_first_talk"), "warnings of the record: " + codes);
    await waitText(ap, '.person-card[data-member="' + cfg.member.id + '"] .warnings', /没有提交思想汇报/);
    await card.scrollIntoViewIfNeeded();
    await shot(ap, "joining-warnings");
    await ap.selectOption("#joining-milestone", "oath");
    await ap.fill("#joining-date", isoDay(Date.now()));
    await ap.locator("[data-record] button[type=submit]").click();
    await waitText(ap, '.person-card[data-member="' + cfg.member.id + '"] .recorded', /入党宣誓/);
    await ap.locator('button[aria-label="删除' + cfg.member.name + '的“入党宣誓”"]').click();
    await waitText(ap, "[data-zhibu=admin-joining] > [data-status]", /已删除/);
    check((await card.locator('.recorded [data-milestone="oath"]').count()) === 0, "the wrong entry is gone");
    const road = (await call("GET", "/api/joining/mine", memberToken)).data.joining;
    check(road.steps.find((s) => s.milestone === "applied").date === applied && !road.steps.find((s) => s.milestone === "oath").date, "the record: " + JSON.stringify(road.steps.filter((s) => s.date)));
  });

  await step("a committee member (支委) uses the reviewers' pages only, and records no milestone", async () => {
    const { context: cc, page: xp } = await phone(cfg.committee);
    steps.current = xp;
    check(await xp.locator(".member-admin").isVisible(), "the 管理 link for a committee member");
    await xp.goto(base + pages.admin);
    await xp.locator("[data-zhibu=admin] .tiles").waitFor();
    const tiles = await xp.locator(".admin-body .tile:visible .tile-title").allTextContents();
    check(tiles.join() === "审阅思想汇报,发展纪实,谈心谈话", "only the reviewers' pages offered: " + tiles);
    await shot(xp, "committee-admin-home");
    await xp.goto(base + pages.adminJoining);
    await xp.locator('.person-card[data-member="' + cfg.member.id + '"] .warning').first().waitFor();
    check(!(await xp.locator("[data-record]").isVisible()), "no recording form");
    check((await xp.locator(".person-card .recorded button").count()) === 0, "no removing");
    await xp.goto(base + pages.moderation);
    await waitText(xp, "[data-zhibu=admin-refused]", new RegExp("仅供支部管理员使用.*" + cfg.committee.name));
    await cc.close();
    steps.current = ap;
  });

  await step("审阅思想汇报 shows the quarter in roster order with the report read", async () => {
    await ap.goto(base + pages.adminReports);
    const rowOf = ap.locator('[data-zhibu=admin-reports] tbody tr[data-member="' + cfg.member.id + '"]');
    await rowOf.waitFor();
    check((await rowOf.getAttribute("data-state")) === "read", "read");
    check((await ap.locator("[data-zhibu=admin-reports] tbody tr").count()) === 1, "only those who write reports");
    await waitText(ap, "[data-zhibu=admin-reports] .form-status", /已提交 1 人（其中已阅 1 人），未提交 0 人/);
    check((await rowOf.locator("a").first().getAttribute("href")) === readingUrl, "a link to the reader");
    await shot(ap, "admin-reports");
  });

  await step("the secretary records the talk that answers the request; the request leaves the queue", async () => {
    await ap.goto(base + pages.adminTalks);
    const request = ap.locator("[data-zhibu=admin-talks] [data-requests] .talk-request");
    await request.first().waitFor();
    check((await request.count()) === 1, "one open request");
    await waitText(ap, "[data-zhibu=admin-talks] [data-requests]", new RegExp(cfg.member.name + "[\\s\\S]*视频[\\s\\S]*实习结束后的打算"));
    await request.locator("button", { hasText: "记录这次谈话" }).click();
    await waitText(ap, "[data-answering]", new RegExp("正在记录" + cfg.member.name + "申请的谈话"));
    check((await ap.locator("#talk-member").inputValue()) === cfg.member.id, "the member chosen");
    check(await ap.locator("[data-record] input[name=mode][value=video]").isChecked(), "by video, as asked");
    check((await ap.locator("#talk-topic-admin").inputValue()) === "想谈谈实习结束后的打算", "the topic from the request");
    await ap.fill("#talk-summary", summary);
    await ap.fill("#talk-follow-ups", "寒假返校时当面再谈一次");
    await ap.locator("[data-record] button[type=submit]").click();
    await waitText(ap, "[data-record] [data-form-status]", new RegExp("已保存和" + cfg.member.name + "的谈话记录"));
    await waitText(ap, "[data-zhibu=admin-talks] [data-talks]", new RegExp(cfg.member.name + "[\\s\\S]*" + summary.slice(0, 10)));
    check(await ap.locator("[data-no-requests]").isVisible(), "no request waiting");
    const without = await ap.locator("[data-without] li").evaluateAll((lis) => lis.map((li) => li.dataset.member));
    check(!without.includes(cfg.member.id) && without.includes(cfg.other.id), "who has had no talk this year: " + without);
    await ap.locator("[data-zhibu=admin-talks] [data-talks]").scrollIntoViewIfNeeded();
    await shot(ap, "admin-talk-recorded");
  });

  steps.current = page;
  await step("the member reads the talk's record with its summary and adds a note", async () => {
    await page.goto(base + pages.talk);
    await waitText(page, "[data-zhibu=talk-mine] [data-talks]", new RegExp(summary.slice(0, 12)));
    await waitText(page, "[data-zhibu=talk-mine] [data-requests]", /已谈话/);
    check(!(await page.locator("[data-zhibu=talk-ask] button[type=submit]").isDisabled()), "a new request may be made");
    const talk = page.locator("[data-zhibu=talk-mine] .talk").first();
    await talk.locator("textarea").fill("谢谢书记，返校时我把实习鉴定带来。");
    await talk.locator("button[type=submit]").click();
    await waitText(page, "[data-zhibu=talk-mine] .talk-note", /返校时我把实习鉴定带来/);
    await talk.scrollIntoViewIfNeeded();
    await shot(page, "talk-read");
    await page.goto(base + pages.me);
    await waitText(page, "[data-zhibu=me-talks]", new RegExp(summary.slice(0, 12)));
    await waitText(page, "[data-zhibu=me-reports]", /已阅/);
    await waitText(page, '.road-step[data-milestone="applied"]', /递交入党申请书/);
    check((await page.locator('.road-step[data-milestone="applied"]').getAttribute("class")).includes("is-done"), "the application date on the timeline");
    check((await page.locator("[data-zhibu=me-open] li[data-kind=report], [data-zhibu=me-open] li[data-kind=talk_request]").count()) === 0, "neither the report nor the request is open any more");
    await shot(page, "me-after");
  });

  await step("the contact person prints the series: on paper, only the reports", async () => {
    steps.current = cp;
    await cp.goto(base + pages.print + "?member=" + cfg.member.id);
    await waitText(cp, "[data-zhibu=print] [data-title]", new RegExp(cfg.member.name + " 的思想汇报（积极分子）"));
    check((await cp.locator(".print-report").count()) === 1, "one report in the series");
    await waitText(cp, ".print-report", new RegExp(quarterLabel + "思想汇报[\\s\\S]*" + comment.slice(0, 10) + "[\\s\\S]*" + reply.slice(0, 8)));
    const img = cp.locator(".print-report .report-page img");
    await cp.waitForFunction((e) => e.complete && e.naturalWidth > 0, await img.elementHandle());
    await shot(cp, "print-screen");
    await cp.emulateMedia({ media: "print" });
    const hidden = await cp.evaluate(() => [".site-nav", ".print-actions", ".file-nav", ".site-footer"].map((s) => getComputedStyle(document.querySelector(s)).display));
    check(hidden.every((d) => d === "none"), "navigation, buttons and footer left off paper: " + hidden);
    await shot(cp, "print-paper");
    await cp.emulateMedia({ media: "screen" });
  });

  await contact.close();
  await adminContext.close();
  await step("no script errors on any page", async () => check(errors.length === 0, errors.join("; ")));
  await step("nothing blocked by the Content-Security-Policy", async () => check(blocked.length === 0, blocked.join("; ")));
  console.log("all member's file steps passed; screenshots in " + cfg.shots);
} catch (e) {
  failed = true;
  if (!steps.reported.has(e)) console.log("FAIL " + (e && e.stack ? e.stack : e));
} finally {
  await browser.close();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
