// The rest of the branch's year in headless Chromium, as phones in WeChat: run by
// tests/e2e/browser.rs on a site of its own (the branch's content/me/ and content/admin/, an open
// event and an open democratic review round), config in E2E_CONFIG (JSON: base, chromium, shots,
// member, other, stranger, admin, committee, pages, events, review). 张三 (member) and 钱委员
// (committee) are full members, 李四 (other) probationary, 赵六 (stranger) an activist. 张三 reports
// three months of dues with a receipt; the secretary confirms them, records cash for 李四 and sets
// 李四's amount from a wage; 张三's ledger shows 已交. 张三 writes a self-assessment — a draft on the
// server, the rest kept on the phone and restored on reload — submits it and sends a signed
// opinion about 李四. 张三 uploads a host unit's note of two photos; the secretary accepts it and
// cites it to confirm 张三's attendance at the online event. 张三 sends a suggestion from the
// footer; the secretary answers; 张三 reads the answer. The secretary records 张三's outcome, which
// 张三 reads, and prints the 民主测评表 and the tally sheet. 赵六 pays no dues and takes no part; the
// committee member is refused the four admin pages. Screenshots: year-NN-*.png.

import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { FLAGS, check, Steps, client, waitText, phones } from "./harness.mjs";

const cfg = JSON.parse(process.env.E2E_CONFIG);
const { base, pages } = cfg;
const scratch = mkdtempSync(join(tmpdir(), "zhibu-year-"));
const steps = new Steps(cfg.shots, "year-");
const { shot, step } = steps;
const { call, token } = client(base);

// This year and month in Beijing time, as the server counts them.
const bj = new Date(Date.now() + 8 * 36e5);
const year = bj.getUTCFullYear();
const thisMonth = bj.toISOString().slice(0, 7);
const month = (n) => year + "-" + String(n).padStart(2, "0");
const firstThree = [month(1), month(2), month(3)];
const monthWords = year + "年1月、2月、3月";

const draft = "这一年我在县医院信息科顶岗实习，参加了实习单位党支部的组织生活。";
const paragraph =
  "学习上，我按支部的安排学习了党章和《中国共产党纪律处分条例》，每季度写一篇学习体会；" +
  "实习中，我主动承担了门诊系统夜间值守，遇到故障时和带教老师一起排查到天亮，尽量不让群众多等。" +
  "不足是理论学习还不够系统，有时以工作忙为理由放松了学习，和实习单位党员的交流也不够主动。";
const selfText = draft + "\n" + paragraph + "\n" + paragraph.replace("门诊系统夜间值守", "住院部系统升级") + "\n下一年我准备每月读一本理论书，主动向实习单位党组织汇报思想。";
const opinion = "李四同志实习期间坚持参加线上组织生活，按时交纳党费；建议在支部活动中多发言，分享基层实习的体会。";
const suggestion = "建议网站的党费页面也显示支部的收款方式和联系人，方便实习在外的同志交纳。";
const answer = "谢谢建议。收款方式已写进《党费交纳标准与办法》，下周在网站上补充联系人。";
const feedback = "一年来学习认真，实习中发挥了党员作用；希望在理论学习上更系统一些。";
const unit = "××县人民医院党委";

const browser = await chromium.launch({ executablePath: cfg.chromium, headless: true, args: FLAGS });
let failed = false;
try {
  const errors = [];
  const blocked = [];
  const phone = phones(browser, base, pages, errors, blocked);
  const memberToken = await token(cfg.member);
  const adminToken = await token(cfg.admin);
  const myDues = async () => (await call("GET", "/api/dues/mine?year=" + year, memberToken)).data.dues;
  const myReview = async () => (await call("GET", "/api/reviews/" + cfg.review, memberToken)).data;

  /** JPEG photos drawn in the page (a receipt, the pages of a signed letter), saved as files. */
  async function photos(page, names, width, height) {
    const files = await page.evaluate(
      async ([names, w, h]) => {
        const out = [];
        for (const name of names) {
          const c = document.createElement("canvas");
          c.width = w;
          c.height = h;
          const g = c.getContext("2d");
          g.fillStyle = "#fbf8f1";
          g.fillRect(0, 0, w, h);
          g.fillStyle = "#1f2a44";
          g.font = Math.round(w / 18) + "px serif";
          for (let y = 160; y < h - 80; y += Math.round(w / 12)) g.fillText(name + " ——————", 80, y);
          g.strokeStyle = "#c8102e";
          g.lineWidth = 8;
          g.beginPath();
          g.arc(w - 260, h - 260, 160, 0, 7);
          g.stroke();
          const blob = await new Promise((ok) => c.toBlob(ok, "image/jpeg", 0.95));
          const bytes = new Uint8Array(await blob.arrayBuffer());
          let s = "";
          for (let i = 0; i < bytes.length; i += 32768) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 32768));
          out.push(btoa(s));
        }
        return out;
      },
      [names, width, height],
    );
    return files.map((b64, i) => {
      const p = join(scratch, "photo-" + Date.now() + "-" + i + ".jpg");
      writeFileSync(p, Buffer.from(b64, "base64"));
      return p;
    });
  }

  const { context: member, page } = await phone(cfg.member);
  const { context: adminContext, page: ap } = await phone(cfg.admin);
  steps.current = page;

  await step("我的 lists the open review and links the new pages; the footer links 意见建议", async () => {
    await page.goto(base + pages.me);
    await waitText(page, "[data-zhibu=me-status]", new RegExp(cfg.member.name + " · 成员编号 " + cfg.member.id + " · 正式党员"));
    const open = page.locator("[data-zhibu=me-open] li[data-kind=review] a");
    await open.waitFor();
    check((await open.getAttribute("href")) === pages.review + "?review=" + cfg.review, "the review's link: " + (await open.getAttribute("href")));
    await waitText(page, "[data-zhibu=me-open] li[data-kind=review]", /年度民主评议党员：个人自评（.*截止）/);
    const nav = await page.locator(".file-nav a").allTextContents();
    check(nav.join() === "我的,写思想汇报,谈心谈话,我的党费,实习单位证明,意见建议", "the sub-nav: " + nav);
    check((await page.locator(".site-footer a", { hasText: "意见建议" }).getAttribute("href")).endsWith(pages.suggest), "the footer's 意见建议 leads to the form");
    await shot(page, "me");
  });

  await step("the member reports three months with a receipt shrunk in the browser", async () => {
    await page.locator(".file-nav a", { hasText: "我的党费" }).click();
    await page.waitForURL(base + pages.dues);
    await waitText(page, "[data-zhibu=dues] [data-status]", new RegExp(cfg.member.name + " · " + year + "年"));
    check((await page.locator("[data-zhibu=dues] .dues-month").count()) === 12, "twelve months");
    await waitText(page, "[data-zhibu=dues] [data-rate]", /每月应交 0\.20 元（学生党员标准）/);
    for (const m of firstThree) await page.check('[data-zhibu=dues-report] input[value="' + m + '"]');
    check((await page.inputValue("#dues-amount")) === "0.60", "the amount by the standard: " + (await page.inputValue("#dues-amount")));
    await waitText(page, "[data-zhibu=dues-report] [data-expected]", /3 个月应交 0\.60 元/);
    await page.check("[data-zhibu=dues-report] input[name=method][value=wechat]");
    await page.fill("#dues-note", "一次交了一季度，微信转账给组织委员");
    const [receipt] = await photos(page, ["党费收据 " + monthWords], 3000, 2000);
    await page.locator("#dues-photo").setInputFiles(receipt);
    await waitText(page, "[data-zhibu=dues-report] [data-preview] figcaption", /已压缩为 \d+ KB，登记后上传/);
    await page.locator("[data-zhibu=dues-report] [data-preview]").scrollIntoViewIfNeeded();
    await shot(page, "dues-form");
    await page.locator("[data-zhibu=dues-report] button[type=submit]").click();
    await waitText(page, "[data-zhibu=dues-report] [data-form-status]", new RegExp("已登记" + monthWords + "的党费 0\\.60 元，等待支部确认"));
    for (const m of firstThree) check((await page.locator('.dues-month[data-month="' + m + '"]').getAttribute("data-state")) === "reported", m + " waits");
    const item = page.locator("[data-zhibu=dues-payments] li.payment");
    check((await item.count()) === 1 && (await item.getAttribute("data-status")) === "pending", "one payment, pending");
    await item.locator("img").waitFor();
    const d = await myDues();
    const p = d.payments[0];
    check(p.amount_fen === 60 && p.months.join() === firstThree.join() && p.method === "wechat" && p.receipt && p.receipt.thumb_url, "the payment: " + JSON.stringify(p));
    const again = await call("POST", "/api/dues/payments", memberToken, { months: [month(2)], amount_fen: 20, method: "cash" });
    check(again.status === 409 && again.data.error.code === "already_paid", "a month waiting cannot be reported twice: " + JSON.stringify(again));
    await item.scrollIntoViewIfNeeded();
    await shot(page, "dues-reported");
  });

  steps.current = ap;
  await step("the secretary confirms it with the receipt in view, records cash for another and sets an amount", async () => {
    await ap.goto(base + pages.adminDues);
    const pending = ap.locator("[data-zhibu=admin-dues] [data-pending] li.payment");
    await pending.first().waitFor();
    check((await pending.count()) === 1, "one payment waiting");
    await waitText(ap, "[data-zhibu=admin-dues] [data-pending]", new RegExp(cfg.member.name + " · " + monthWords + " · 0\\.60 元"));
    await pending.locator("img").waitFor();
    const rows = await ap.locator("[data-zhibu=admin-dues] [data-rows] tr").evaluateAll((trs) => trs.map((tr) => tr.dataset.member));
    check(rows.join() === [cfg.member.id, cfg.other.id, cfg.admin.id, cfg.committee.id].join(), "payers in roster order, the activist left out: " + rows);
    await shot(ap, "admin-dues-pending");
    await ap.locator('button[aria-label="确认' + cfg.member.name + monthWords + '的党费"]').click();
    await waitText(ap, "[data-zhibu=admin-dues] > [data-status]", new RegExp("已确认" + cfg.member.name + monthWords + "的党费 0\\.60 元"));
    check(await ap.locator("[data-zhibu=admin-dues] [data-no-pending]").isVisible(), "nothing waits");
    const cells = await ap.locator('[data-rows] tr[data-member="' + cfg.member.id + '"] td').evaluateAll((tds) => tds.map((td) => td.dataset.state));
    check(cells.slice(0, 3).every((s) => s === "confirmed"), "months 1–3 confirmed in the grid: " + cells);

    await ap.selectOption("#dues-record-member", cfg.other.id);
    await ap.check('[data-record] [data-checks] input[value="' + month(1) + '"]');
    await ap.check('[data-record] [data-checks] input[value="' + month(2) + '"]');
    check((await ap.inputValue("#dues-record-amount")) === "0.40", "two months by the standard");
    await ap.fill("#dues-record-note", "支部党员大会上当面交");
    await ap.locator("[data-record] button[type=submit]").click();
    await waitText(ap, "[data-record] [data-form-status]", new RegExp("已登记" + cfg.other.name + year + "年1月、2月的党费 0\\.40 元（现金）"));
    check((await ap.locator('[data-rows] tr[data-member="' + cfg.other.id + '"] td[data-month="' + month(2) + '"]').getAttribute("data-state")) === "confirmed", "recorded cash is confirmed");

    await ap.selectOption("#dues-rate-member", cfg.other.id);
    await ap.fill("#dues-rate-from", thisMonth);
    await ap.check("[data-rate] input[name=by][value=wage]");
    await ap.fill("#dues-rate-value", "4200");
    await ap.locator("[data-rate] button[type=submit]").click();
    await waitText(ap, "[data-rate] [data-form-status]", new RegExp("已设定：" + cfg.other.name + "（" + cfg.other.id + "） 自.*起每月 42\\.00 元"));
    await ap.locator(".table-scroll").scrollIntoViewIfNeeded();
    await shot(ap, "admin-dues-grid");
    const audit = (await call("GET", "/api/audit", adminToken)).data.entries.map((e) => e.action);
    check(["dues.confirm", "dues.record", "dues.rate"].every((a) => audit.includes(a)), "audited: " + audit.slice(0, 6));
  });

  steps.current = page;
  await step("the member's ledger shows 已交 for the three months", async () => {
    await page.goto(base + pages.dues);
    for (const m of firstThree) {
      const cell = page.locator('.dues-month[data-month="' + m + '"]');
      await page.waitForFunction((sel) => document.querySelector(sel) && document.querySelector(sel).dataset.state === "confirmed", '.dues-month[data-month="' + m + '"]');
      check((await cell.locator(".dues-state").textContent()) === "已交", m + " reads 已交");
    }
    await waitText(page, "[data-zhibu=dues-payments] li.payment", /已确认/);
    check((await page.locator('[data-zhibu=dues-report] input[value="' + month(1) + '"]').isDisabled()), "a paid month cannot be chosen again");
    await shot(page, "dues-confirmed");
  });

  await step("a self-assessment is saved as a draft, restored from the phone on reload, and submitted", async () => {
    await page.goto(base + pages.me);
    await page.locator("[data-zhibu=me-open] li[data-kind=review] a").click();
    await page.waitForURL((u) => u.pathname === pages.review && u.searchParams.get("review") === cfg.review);
    await waitText(page, "[data-zhibu=review] [data-title]", /年度民主评议党员 进行中/);
    await waitText(page, "[data-zhibu=review] .review-paper", /民主测评不在网上进行/);
    await page.locator("[data-zhibu=review-self]").waitFor();
    await page.fill("#review-body", draft);
    await waitText(page, "#review-count", new RegExp("已写 " + Array.from(draft).length + " 字（提交至少 200 字"));
    await page.locator("[data-zhibu=review-self] [data-submit]").click();
    await waitText(page, "[data-zhibu=review-self] [data-form-status]", /个人自评至少 200 字/);
    await page.locator("[data-zhibu=review-self] [data-save]").click();
    await waitText(page, "[data-zhibu=review-self] [data-form-status]", /草稿已保存/);
    let mine = await myReview();
    check(mine.self && mine.self.status === "draft" && mine.self.body === draft, "the draft on the server: " + JSON.stringify(mine.self));
    await page.fill("#review-body", selfText);
    await page.reload();
    await waitText(page, "[data-zhibu=review-self] [data-local]", /已恢复本机保存的内容/);
    check((await page.inputValue("#review-body")) === selfText, "the text typed after the save is back");
    await shot(page, "review-restored");
    await page.locator("[data-zhibu=review-self] [data-submit]").click();
    await waitText(page, "[data-zhibu=review-self] [data-form-status]", /个人自评已提交/);
    await waitText(page, "[data-zhibu=review-self] [data-state]", /已提交/);
    check(!(await page.locator("[data-zhibu=review-self] [data-submit]").isVisible()), "submitted once; edits are saved");
    mine = await myReview();
    check(mine.self.status === "submitted" && mine.self.body === selfText, "submitted: " + JSON.stringify(mine.self));
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("zhibu.draft.review.")));
    check(kept.length === 0, "no copy left on the phone: " + kept);
  });

  await step("a signed opinion about a member is sent by their number; the name comes back", async () => {
    await page.fill("#opinion-about", cfg.other.id);
    await page.fill("#opinion-body", opinion);
    await page.locator("[data-zhibu=review-opinion] button[type=submit]").click();
    await waitText(page, "[data-zhibu=review-opinion] [data-form-status]", new RegExp("已把关于 " + cfg.other.name + "（" + cfg.other.id + "）的意见发送给支部"));
    await waitText(page, "[data-zhibu=review-opinion] [data-sent]", new RegExp("关于 " + cfg.other.name + "[\\s\\S]*" + opinion.slice(0, 10)));
    const seen = await call("GET", "/api/reviews/" + cfg.review, await token(cfg.other));
    check(seen.data.opinions_sent.length === 0 && JSON.stringify(seen.data).indexOf(opinion.slice(0, 10)) < 0, "the member concerned does not see it");
    await page.locator("[data-zhibu=review-opinion]").scrollIntoViewIfNeeded();
    await shot(page, "review-opinion");
  });

  await step("a host unit's note of two photos is uploaded in one go", async () => {
    await page.goto(base + pages.host);
    await waitText(page, "[data-zhibu=host-mine] [data-status]", /还没有上传过证明/);
    check((await page.inputValue("#host-from")) === thisMonth && (await page.inputValue("#host-to")) === thisMonth, "this month by default");
    await page.fill("#host-unit", unit);
    await page.fill("#host-note", "参加医院第三党支部的主题党日和党课");
    const letter = await photos(page, ["参加组织生活情况的证明 第1页", "参加组织生活情况的证明 第2页"], 2400, 3400);
    await page.locator("#host-photo").setInputFiles(letter);
    await page.locator("[data-zhibu=host] [data-pages] li").nth(1).waitFor();
    check((await page.locator("[data-zhibu=host] [data-pages] li").count()) === 2, "two photos shown before they go");
    await page.locator("[data-zhibu=host] [data-pages]").scrollIntoViewIfNeeded();
    await shot(page, "host-form");
    await page.locator("[data-zhibu=host] button[type=submit]").click();
    await waitText(page, "[data-zhibu=host] [data-form-status]", /的证明已上传，共 2 张照片，等待支部审核/);
    const item = page.locator("[data-zhibu=host-mine] li.host-note");
    check((await item.getAttribute("data-status")) === "submitted", "waiting");
    check((await item.locator("img").count()) === 2, "two photos listed");
    check((await page.locator("[data-zhibu=host] [data-pages] li").count()) === 0, "the form is cleared");
    const mine = (await call("GET", "/api/host-notes/mine", memberToken)).data.host_notes;
    check(mine.length === 1 && mine[0].pages.length === 2 && mine[0].unit === unit && mine[0].from === thisMonth, "one note, two pages: " + JSON.stringify(mine));
    await shot(page, "host-uploaded");
  });

  steps.current = ap;
  await step("the secretary accepts the note and cites it to confirm the member's attendance", async () => {
    await ap.goto(base + pages.adminHost);
    const waiting = ap.locator("[data-zhibu=admin-host] [data-waiting] li.host-note");
    await waiting.first().waitFor();
    check((await waiting.locator("img").count()) === 2, "both photos in view");
    await shot(ap, "admin-host");
    await ap.locator('button[aria-label="接收' + cfg.member.name + "的证明（" + unit + '）"]').click();
    await waitText(ap, "[data-zhibu=admin-host] > [data-status]", new RegExp("已接收" + cfg.member.name + "的证明"));
    check((await ap.locator("[data-zhibu=admin-host] [data-done] li.host-note").getAttribute("data-status")) === "accepted", "accepted");

    await ap.goto(base + pages.attendance + "?event=" + cfg.events.online);
    const form = ap.locator("[data-zhibu=admin-attendance] [data-confirm]");
    await form.waitFor();
    check((await ap.inputValue("#confirm-member")) === cfg.member.id, "the first member not signed in chosen");
    await waitText(ap, "#confirm-host-note", new RegExp(unit));
    await ap.fill("#confirm-note", "实习单位证明：参加了医院党支部的主题党日");
    await form.locator("button[type=submit]").click();
    await waitText(ap, "[data-confirm] [data-form-status]", new RegExp("已登记" + cfg.member.name + "（" + cfg.member.id + "）参加.*（实习单位证明）"));
    const row = ap.locator('[data-confirmed] tr[data-member="' + cfg.member.id + '"]');
    await row.waitFor();
    check((await row.getAttribute("data-basis")) === "host", "by the host unit's note");
    await waitText(ap, "[data-zhibu=admin-attendance] [data-confirmed]", new RegExp(cfg.member.name + "[\\s\\S]*实习单位证明"));
    const absent = await ap.locator("[data-absent] li").allTextContents();
    check(!absent.includes(cfg.member.name), "no longer listed as absent: " + absent);
    const d = (await call("GET", "/api/events/" + cfg.events.online + "/signins", adminToken)).data;
    check(d.confirmed.length === 1 && d.confirmed[0].basis === "host" && d.confirmed[0].host_note_id, "the API: " + JSON.stringify(d.confirmed));
    await ap.locator("[data-confirmed]").scrollIntoViewIfNeeded();
    await shot(ap, "admin-attendance-confirmed");
  });

  steps.current = page;
  await step("a suggestion is sent from the footer's link", async () => {
    await page.goto(base + pages.me);
    await page.locator(".site-footer a", { hasText: "意见建议" }).click();
    await page.waitForURL(base + pages.suggest);
    await waitText(page, "[data-zhibu=suggest-mine] [data-status]", /还没有提过意见建议/);
    await page.check("[data-zhibu=suggest] input[name=topic][value=site]");
    await page.fill("#suggest-body", suggestion);
    await waitText(page, "#suggest-count", new RegExp("已写 " + Array.from(suggestion).length + " 字"));
    await page.locator("[data-zhibu=suggest] button[type=submit]").click();
    await waitText(page, "[data-zhibu=suggest] .form-status", /已提交，支部答复后会显示在下面/);
    await waitText(page, "[data-zhibu=suggest-mine] [data-suggestions]", new RegExp("网站[\\s\\S]*等待答复[\\s\\S]*" + suggestion.slice(0, 10)));
    await shot(page, "suggest-sent");
  });

  steps.current = ap;
  await step("the secretary answers it", async () => {
    await ap.goto(base + pages.adminSuggestions);
    const item = ap.locator("[data-zhibu=admin-suggestions] [data-waiting] li.suggestion");
    await item.first().waitFor();
    await waitText(ap, "[data-zhibu=admin-suggestions] [data-waiting]", new RegExp(cfg.member.name + "（" + cfg.member.id + "）[\\s\\S]*" + suggestion.slice(0, 10)));
    await item.locator("textarea").fill(answer);
    await item.locator("button[type=submit]").click();
    await waitText(ap, "[data-zhibu=admin-suggestions] > [data-status]", new RegExp("已答复" + cfg.member.name + "的意见建议"));
    check(await ap.locator("[data-zhibu=admin-suggestions] [data-no-waiting]").isVisible(), "none waits");
    await waitText(ap, "[data-zhibu=admin-suggestions] [data-done]", new RegExp("支部答复[\\s\\S]*" + answer.slice(0, 8)));
    await shot(ap, "admin-suggestion-answered");
  });

  steps.current = page;
  await step("the member reads the answer", async () => {
    await page.goto(base + pages.suggest);
    await waitText(page, "[data-zhibu=suggest-mine] [data-suggestions]", new RegExp("已答复[\\s\\S]*支部答复 · " + cfg.admin.name + "[\\s\\S]*" + answer.slice(0, 8)));
    await waitText(page, "[data-zhibu=suggest-mine] [data-status]", /都已答复/);
    await shot(page, "suggest-answered");
  });

  steps.current = ap;
  await step("the secretary reads the round, records an outcome and prints the 民主测评表 and the tally sheet", async () => {
    await ap.goto(base + pages.adminReview);
    const cards = ap.locator("[data-zhibu=admin-review] [data-participants] .person-card");
    await cards.first().waitFor();
    check((await ap.inputValue("#admin-review-round")) === cfg.review, "the declared round chosen");
    const order = await cards.evaluateAll((lis) => lis.map((li) => li.dataset.member));
    const participants = [cfg.member.id, cfg.other.id, cfg.admin.id, cfg.committee.id];
    check(order.join() === participants.join(), "full and probationary members in roster order: " + order);
    const mine = cards.nth(0);
    await waitText(ap, '[data-participants] [data-member="' + cfg.member.id + '"] .person-next', /个人自评：已提交/);
    await mine.locator("details summary").first().click();
    await waitText(ap, '[data-participants] [data-member="' + cfg.member.id + '"] .review-self-body', /县医院信息科顶岗实习/);
    const about = cards.nth(1).locator(".review-opinions");
    await about.locator("summary").click();
    await waitText(ap, '[data-participants] [data-member="' + cfg.other.id + '"] .review-opinions', new RegExp("书面意见（1 条[\\s\\S]*" + cfg.member.name + "[\\s\\S]*" + opinion.slice(0, 10)));
    await ap.selectOption("#grade-" + cfg.member.id, "qualified");
    await ap.fill("#feedback-" + cfg.member.id, feedback);
    await ap.locator('button[aria-label="登记' + cfg.member.name + '的评定"]').click();
    await waitText(ap, "[data-zhibu=admin-review] > [data-status]", new RegExp("已登记" + cfg.member.name + "的评定：合格"));
    await waitText(ap, "[data-zhibu=admin-review] [data-limit]", /评为优秀的不超过参评党员的三分之一（1 人）。已登记的评定等次：合格 1 人/);
    await shot(ap, "admin-review");

    // The 民主测评表: every participant, the four grades, the one-third rule with its number.
    await ap.evaluate(() => {
      window.printed = [];
      window.print = () => window.printed.push(document.body.dataset.print);
    });
    await ap.locator("button[data-print=ballot]").click();
    const names = await ap.locator(".ballot-sheet tbody tr .sheet-name").allTextContents();
    check(names.join() === [cfg.member.name, cfg.other.name, cfg.admin.name, cfg.committee.name].join(), "every participant on the sheet: " + names);
    const heads = await ap.locator(".ballot-sheet thead th").allTextContents();
    check(heads.join() === "序号,姓名,优秀,合格,基本合格,不合格", "the columns: " + heads);
    await waitText(ap, ".ballot-sheet .sheet-limit", /评为优秀的不超过参评党员的三分之一（1 人）/);
    await waitText(ap, ".ballot-sheet .sheet-title", new RegExp(year + "年度民主评议党员测评表"));
    check((await ap.locator(".ballot-sheet tbody td.sheet-blank").count()) === participants.length * 4, "blank boxes to tick");
    await ap.emulateMedia({ media: "print" });
    const shown = await ap.evaluate(() =>
      [".site-header", ".admin-nav", "[data-zhibu=admin-review]", ".site-footer", ".ballot-sheet", ".tally-sheet"].map((s) => getComputedStyle(document.querySelector(s)).display),
    );
    check(shown.slice(0, 4).every((d) => d === "none") && shown[4] !== "none" && shown[5] === "none", "on paper only the 测评表: " + shown);
    await ap.locator(".ballot-sheet").scrollIntoViewIfNeeded();
    await shot(ap, "print-ballot");
    await ap.emulateMedia({ media: "screen" });
    await ap.locator("button[data-print=tally]").click();
    await ap.emulateMedia({ media: "print" });
    const tally = await ap.evaluate(() => [".ballot-sheet", ".tally-sheet"].map((s) => getComputedStyle(document.querySelector(s)).display));
    check(tally[0] === "none" && tally[1] !== "none", "on paper only the tally sheet: " + tally);
    check((await ap.locator(".tally-sheet tbody tr").count()) === participants.length, "a tally row per participant");
    await shot(ap, "print-tally");
    await ap.emulateMedia({ media: "screen" });
    check((await ap.evaluate(() => window.printed.join())) === "ballot,tally", "each button printed its sheet");
  });

  steps.current = page;
  await step("the member reads their outcome and the committee's feedback", async () => {
    await page.goto(base + pages.review + "?review=" + cfg.review);
    await waitText(page, "[data-zhibu=review-outcome]", new RegExp("评定等次：合格[\\s\\S]*" + feedback.slice(0, 10)));
    await page.locator("[data-zhibu=review-outcome]").scrollIntoViewIfNeeded();
    await shot(page, "review-outcome");
  });

  await step("an activist pays no dues and takes no part in the review", async () => {
    const { context: sc, page: sp } = await phone(cfg.stranger);
    steps.current = sp;
    await sp.goto(base + pages.dues);
    await sp.locator("[data-zhibu=dues] [data-none]").waitFor();
    await waitText(sp, "[data-zhibu=dues] [data-none]", /从被接收为预备党员的那个月起交纳/);
    check(!(await sp.locator("[data-zhibu=dues-report]").isVisible()), "no form to report dues");
    await shot(sp, "activist-dues");
    await sp.goto(base + pages.review + "?review=" + cfg.review);
    await waitText(sp, "[data-zhibu=review] [data-status]", /民主评议由正式党员和预备党员参加/);
    check(!(await sp.locator("[data-zhibu=review-self]").isVisible()), "no self-assessment form");
    await sc.close();
  });

  await step("a committee member is refused the four admin pages, which are not offered to them", async () => {
    const { context: cc, page: xp } = await phone(cfg.committee);
    steps.current = xp;
    await xp.goto(base + pages.admin);
    await xp.locator("[data-zhibu=admin] .tiles").waitFor();
    const tiles = await xp.locator(".admin-body .tile:visible .tile-title").allTextContents();
    check(tiles.join() === "审阅思想汇报,发展纪实,谈心谈话", "only the reviewers' pages offered: " + tiles);
    for (const p of [pages.adminDues, pages.adminReview, pages.adminHost, pages.adminSuggestions]) {
      await xp.goto(base + p);
      await waitText(xp, "[data-zhibu=admin-refused]", new RegExp("仅供支部管理员使用.*" + cfg.committee.name));
      check(!(await xp.locator("[data-zhibu=admin]").isVisible()), p + ": nothing shown");
    }
    await shot(xp, "committee-refused");
    await cc.close();
  });

  await member.close();
  await adminContext.close();
  await step("no script errors on any page", async () => check(errors.length === 0, errors.join("; ")));
  await step("nothing blocked by the Content-Security-Policy", async () => check(blocked.length === 0, blocked.join("; ")));
  console.log("all year steps passed; screenshots in " + cfg.shots);
} catch (e) {
  failed = true;
  if (!steps.reported.has(e)) console.log("FAIL " + (e && e.stack ? e.stack : e));
} finally {
  await browser.close();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
