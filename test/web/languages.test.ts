/**
 * The app speaks Chinese until asked otherwise, and English completely once switched: on every page
 * no visible text or accessible label stays in Chinese, none is a bare message key or a template
 * placeholder, and numbers follow the language. The choice survives a reload, and it (with the text
 * size) is all the app keeps in the browser.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { appPages, settled, shownText, type AppPage } from "./helpers/appPages";
import { webStack, type WebStack } from "./helpers/stack";

const HAN = /\p{Script=Han}/u;
/** A message key as the app names them (`overview.title`), or a placeholder left unfilled (`{period}`). */
const RAW_KEY = /^[a-z][A-Za-z]*(\.[A-Za-z0-9]+)+$|\{\w+\}/;
/** Text the same in every language: figures, addresses, punctuation. */
const LANGUAGE_NEUTRAL = /^[\s\d.,:;·…%()/\-–—×+#]*$/;

describe("web: languages", function () {
  this.timeout(240_000);
  let stack: WebStack;
  let pages: AppPage[];
  before(async () => {
    stack = await webStack();
    pages = appPages(stack);
  });

  async function open(path: string): Promise<{ page: Page; close(): Promise<void> }> {
    const { context, page } = await stack.newPage();
    await page.goto(`${stack.url}${path}`);
    await settled(page);
    return { page, close: () => context.close() };
  }

  it("opens in Chinese when nothing was chosen, whatever the browser's own language", async () => {
    const { context, page } = await stack.newPage({ locale: "en-US" });
    try {
      expect(await page.evaluate(() => navigator.language)).to.equal("en-US");
      await page.goto(`${stack.url}/ledger`);
      await settled(page);
      expect(await page.locator("html").getAttribute("lang")).to.equal("zh-CN");
      expect(await page.locator("main h1").innerText()).to.equal("公开账本");
      expect(await page.getByRole("navigation", { name: "主导航" }).getByRole("link").allInnerTexts()).to.deep.equal(["首页", "我的积分", "公开账本", "兑换协议", "结算", "自己核对"]);
      expect(await page.getByRole("button", { name: "中文" }).getAttribute("aria-pressed")).to.equal("true");
    } finally {
      await context.close();
    }
  });

  it("switches every visible string and label of every page to English, with no message key showing", async () => {
    for (const { path } of pages) {
      const { page, close } = await open(path);
      try {
        const zh = await shownText(page);
        await page.getByRole("button", { name: "English" }).click();
        await page.locator("html[lang=en]").waitFor();
        await settled(page);
        const en = await shownText(page);
        const where = (text: string) => `${path}: "${text}"`;
        for (const { text } of [...zh.texts, ...en.texts]) expect(text, where(text)).not.to.match(RAW_KEY);
        for (const label of [...zh.labels, ...en.labels]) expect(label, where(label)).not.to.match(RAW_KEY);
        for (const { text, neutral } of en.texts) if (!neutral) expect(text, where(text)).not.to.match(HAN);
        for (const label of en.labels) expect(label, where(label)).not.to.match(HAN);
        // Every Chinese string of the page is gone: what both pages show alike is data or figures.
        const english = new Set(en.texts.filter((x) => !x.neutral).map((x) => x.text));
        const kept = zh.texts.filter((x) => !x.neutral && english.has(x.text) && !LANGUAGE_NEUTRAL.test(x.text)).map((x) => x.text);
        expect(kept, path).to.deep.equal([]);
        expect(zh.texts.some((x) => HAN.test(x.text)), `${path} in Chinese`).to.equal(true);
      } finally {
        await close();
      }
    }
  });

  it("formats numbers and dates for the language shown", async () => {
    const { page, close } = await open(`/ledger/tx/${stack.day.exchangeTx}`);
    try {
      const zhText = await page.locator("main").innerText();
      expect(zhText).to.match(/\d{4}年\d{1,2}月\d{1,2}日/);
      await page.getByRole("button", { name: "English" }).click();
      await page.locator("html[lang=en]").waitFor();
      const enText = await page.locator("main").innerText();
      expect(enText).not.to.match(/年|月|日/);
      expect(enText).to.match(/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}/);
      expect(enText).to.include(`Period ${stack.day.period}`);
    } finally {
      await close();
    }
  });

  it("keeps the choice across a reload and in the address (?lang=), and keeps nothing else in the browser", async () => {
    const { context, page } = await stack.newPage();
    try {
      await page.goto(`${stack.url}/ledger/tx/${stack.day.redeemTx}`);
      await settled(page);
      await page.getByRole("button", { name: "English" }).click();
      await page.getByRole("button", { name: "Large text" }).click();
      await page.reload();
      await settled(page);
      expect(await page.locator("main h1").innerText()).to.equal("Transaction");
      expect(await page.getByRole("button", { name: "Large text" }).getAttribute("aria-pressed")).to.equal("true");
      const storage = await page.evaluate(() => ({
        local: Object.fromEntries(Object.entries(localStorage)),
        session: sessionStorage.length,
        cookie: document.cookie,
      }));
      // Display preferences only: no address, balance or transaction of anyone's.
      expect(storage).to.deep.equal({ local: { "cp.lang": "en", "cp.textSize": "large" }, session: 0, cookie: "" });
      expect((await context.cookies()).length).to.equal(0);

      const other = await stack.newPage();
      try {
        await other.page.goto(`${stack.url}/ledger?lang=en`);
        await settled(other.page);
        expect(await other.page.locator("main h1").innerText()).to.equal("Public ledger");
      } finally {
        await other.context.close();
      }
    } finally {
      await context.close();
    }
  });
});
