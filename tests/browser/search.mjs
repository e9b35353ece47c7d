// Site search in a real browser (run by tests/e2e/search.rs): the branch's own site built with
// zhibu, served as static files, and a phone (390×844, WeChat's user agent) typing queries into
// the search page: results as an ordered list of links with the match marked, pinyin, a
// traditional query, no results with a suggestion, a shared ?q= link, and the match highlighted
// on the page a result leads to.
//
//   node tests/browser/search.mjs ZHIBU SITE_ROOT WORK_DIR SCREENSHOT_DIR
//
// Chromium is /usr/bin/chromium or $ZHIBU_CHROMIUM.

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { PHONE, FLAGS, Steps, check } from "./harness.mjs";
import { serveDir } from "../search/serve.mjs";

const [zhibu, root, work, shots] = process.argv.slice(2);
const out = join(work, "public");
const server = await serveDir(out);
execFileSync(zhibu, ["build", "--root", root, "--output", out, "--catalog", join(work, "catalog.json"), "--base-url", server.url, "-q"], { stdio: "inherit" });

const browser = await chromium.launch({ executablePath: process.env.ZHIBU_CHROMIUM || "/usr/bin/chromium", args: FLAGS });
const context = await browser.newContext(PHONE);
const page = await context.newPage();
const steps = new Steps(shots, "search-");
const { shot } = steps;
steps.current = page;

const results = () => page.locator("#search-results > li");
async function query(q) {
  await page.fill("#search-q", "");
  await page.type("#search-q", q, { delay: 20 });
  await page.waitForFunction((q) => document.querySelector("#search-results").getAttribute("data-q") === q, q, { timeout: 10000 });
}
const marks = (i) => results().nth(i).locator("mark").allTextContents();

try {
  await steps.step("a shared link /search/?q= shows ordered results with the match marked", async () => {
    await page.goto(server.url + "/search/?q=" + encodeURIComponent("三会一课"));
    await page.waitForSelector('#search-results[data-q="三会一课"]');
    check((await page.locator("ol#search-results > li > a").count()) > 0, "results are links in an ordered list");
    const m = await marks(0);
    check(m.includes("三会一课"), "三会一课 is marked: " + m);
    const status = await page.textContent("#search-status");
    check(/找到 \d+ 个页面/.test(status), "the count is told: " + status);
    await shot(page, "shared-link");
  });

  await steps.step("a substring across words is found (费交纳 in 党费交纳)", async () => {
    await query("费交纳");
    const m = await marks(0);
    check(m.some((x) => x === "费交纳"), "费交纳 marked: " + m);
    check(new URL(page.url()).searchParams.get("q") === "费交纳", "the address keeps ?q=: " + page.url());
    await shot(page, "substring");
  });

  await steps.step("pinyin finds titles (dangfei → 党费)", async () => {
    await query("dangfei");
    const title = await results().first().locator("a").textContent();
    check(title.includes("党费"), "first title has 党费: " + title);
    await shot(page, "pinyin");
  });

  await steps.step("traditional characters fold (黨費 → 党费)", async () => {
    await query("黨費");
    const m = await marks(0);
    check(m.includes("党费"), "党费 marked: " + m);
  });

  await steps.step("numbers are tokens (2026)", async () => {
    await query("2026");
    check((await results().count()) > 0, "2026 finds pages");
    check((await marks(0)).includes("2026"), "2026 marked");
  });

  await steps.step("no results: a clear message and a pinyin suggestion", async () => {
    await query("党废");
    await page.waitForSelector("#search-status a[data-q]", { timeout: 10000 });
    const status = await page.textContent("#search-status");
    check(/没有找到/.test(status) && /党费/.test(status), "message and suggestion: " + status);
    await shot(page, "no-results");
    await page.click("#search-status a[data-q]");
    await page.waitForSelector('#search-results[data-q="党费"]');
    check((await page.inputValue("#search-q")) === "党费", "the suggestion is searched");
  });

  await steps.step("the result's page highlights the match", async () => {
    await query("三会一课");
    const link = results().first().locator("a");
    const href = await link.getAttribute("href");
    check(/\?highlight=/.test(href), "result links carry ?highlight=: " + href);
    await link.click();
    await page.waitForLoadState("load");
    // session.js imports js/highlight.js for ?highlight= (without search.js).
    await page.waitForSelector("mark.search-highlight", { timeout: 10000 });
    const text = await page.locator("mark.search-highlight").first().textContent();
    check(text === "三会一课", "highlighted: " + text);
    const inView = await page.locator("mark.search-highlight").first().evaluate((m) => {
      const r = m.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight;
    });
    check(inView, "the first highlight is scrolled into view");
    await shot(page, "highlighted-page");
  });

  await steps.step("every page's header has a search box that leads to the results", async () => {
    await page.goto(server.url + "/");
    check(
      !(await page.locator('script[src*="js/search.js"]').count()),
      "search.js is not loaded on a page where nobody searched",
    );
    const loaded = await page.evaluate(() => performance.getEntriesByType("resource").map((r) => r.name));
    check(!loaded.some((u) => /js\/highlight\.js/.test(u)), "highlight.js is fetched only for ?highlight=: " + loaded.join(" "));
    const box = page.locator("header form.site-search input[name=q]");
    check(await box.isVisible(), "the header's search box is visible on a phone");
    await box.fill("党费");
    await box.press("Enter");
    await page.waitForURL(/\/search\/\?q=/);
    await page.waitForSelector('#search-results[data-q="党费"] li a');
    check((await results().count()) > 0, "the header's search found pages for 党费");
  });

  await steps.step("the page fits a 390 px phone without sideways scrolling", async () => {
    await page.goto(server.url + "/search/?q=" + encodeURIComponent("组织关系转接"));
    await page.waitForSelector('#search-results[data-q="组织关系转接"]');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= 390, "scrollWidth " + wide);
    await shot(page, "phone");
  });
  console.log("search: all steps passed");
} finally {
  await browser.close();
  await server.close();
}
