// What the browser scripts share (e2e.mjs: the member's side; admin.mjs: the secretary's
// pages): the phone they pretend to be, numbered steps with a screenshot on failure, the API
// called from outside the browser, and waiting for text.

import { join } from "node:path";

// WeChat's in-app browser on Android is Chromium ("XWEB"); this is its user agent.
export const WECHAT =
  "Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) " +
  "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 " +
  "MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64";
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, userAgent: WECHAT, locale: "zh-CN", timezoneId: "Asia/Shanghai" };
// Without the background-networking flags Chromium's own connections are refused on a closed
// network and slow everything down.
export const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function check(ok, what) {
  if (!ok) throw new Error(what);
}

/** Collects into `into` every Content-Security-Policy violation Chromium reports on `page`
 *  (an inline script or style, or a request to another origin, that the site's policy blocked). */
export function watchCsp(page, into) {
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) into.push(page.url() + ": " + m.text());
  });
}

/** Numbered steps, each leaving screenshots named `<prefix><NN>-<name>.png` in `dir`; a failing
 *  step is reported once and shot on `current`, the page it happened on. */
export class Steps {
  constructor(dir, prefix) {
    this.dir = dir;
    this.prefix = prefix || "";
    this.n = 0;
    this.current = null;
    this.reported = new WeakSet();
    this.shot = this.shot.bind(this);
    this.step = this.step.bind(this);
  }

  async shot(page, name) {
    this.n += 1;
    await page.screenshot({ path: join(this.dir, this.prefix + String(this.n).padStart(2, "0") + "-" + name + ".png") });
  }

  async step(name, fn) {
    const t = Date.now();
    try {
      await fn();
      console.log("ok   " + name + " (" + (Date.now() - t) + " ms)");
    } catch (e) {
      console.log("FAIL " + name + "\n" + (e && e.stack ? e.stack : e));
      this.reported.add(e);
      if (this.current) await this.shot(this.current, "FAILED-" + name.replace(/\W+/g, "-")).catch(() => {});
      throw e;
    }
  }
}

/** The API from outside the browser: for the secretary's actions and for counting records. */
export function client(base) {
  async function call(method, path, token, body) {
    const headers = {};
    if (token) headers.Authorization = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await r.json().catch(() => null);
    return { status: r.status, data };
  }
  async function token(who) {
    const r = await call("POST", "/api/session", null, { member_id: who.id, code: who.code });
    check(r.status === 200, "login of " + who.id + " via the API: " + r.status);
    return r.data.token;
  }
  return { call, token };
}

/** Waits until the text of `selector` matches `re`. */
export async function waitText(page, selector, re, timeout = 15000) {
  await page.waitForFunction(
    ([s, src]) => {
      const e = document.querySelector(s);
      return e && new RegExp(src).test(e.textContent);
    },
    [selector, re.source],
    { timeout },
  ).catch(async (e) => {
    const text = await page.locator(selector).first().textContent().catch(() => "(none)");
    throw new Error("waiting for " + selector + " to match " + re + "; it says: " + text + "\n" + e.message);
  });
}

/** Fills in and sends the login form of the page. */
export async function login(page, who) {
  await page.fill("#login-id", who.id);
  await page.fill("#login-code", who.code);
  await page.click("[data-zhibu=login] button[type=submit]");
}

// A maker of phones (390×844, WeChat): `phone(who)` opens a new browser context whose script
// errors and CSP refusals go into `errors` and `blocked`, confirms dialogs, and — given `who` —
// logs them in and lands on the member's page.
export function phones(browser, base, pages, errors, blocked) {
  return async (who) => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    page.on("pageerror", (e) => errors.push(page.url() + ": " + e.message));
    page.on("dialog", (d) => d.accept());
    watchCsp(page, blocked);
    if (who) {
      await page.goto(base + pages.login + "?next=" + encodeURIComponent(pages.me));
      await login(page, who);
      await page.waitForURL(base + pages.me);
    }
    return { context, page };
  };
}
