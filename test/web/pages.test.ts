/**
 * Every page on a phone (390×844) and a desktop: nothing scrolls sideways (large text included),
 * base text of at least 16 px and touch targets of at least 44 px, no serious or critical axe-core
 * violation, in Chinese and in English; and a screenshot of each (the main pages in both languages);
 * and a keyboard user sees where focus is. The screenshots go to a temporary folder, or to
 * docs/screenshots/ for the README with WRITE_SCREENSHOTS=1, so a test run leaves the checkout as it was.
 */
import { expect } from "chai";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { appPages, settled, type AppPage } from "./helpers/appPages";
import { crampedLabels, overflow, SCREENSHOTS, seriousViolations, smallTargets } from "./helpers/pageChecks";
import { DESKTOP, PHONE, webStack, type WebStack } from "./helpers/stack";

const VIEWPORTS = { phone: PHONE, desktop: DESKTOP } as const;
const LANGUAGES = ["zh-CN", "en"] as const;

describe("web: every page on a phone and a desktop", function () {
  this.timeout(300_000);
  let stack: WebStack;
  let pages: AppPage[];
  before(async () => {
    stack = await webStack();
    pages = appPages(stack);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  for (const [width, viewport] of Object.entries(VIEWPORTS)) {
    for (const lang of LANGUAGES) {
      // English on a desktop: the main pages (the others' English is checked on the phone), to keep the run short.
      const which = width === "desktop" && lang === "en" ? "the main pages" : "every page";
      it(`${width}, ${lang}: ${which} — no sideways scrolling, text of 16 px or more, targets of 44 px or more, no serious axe-core violation; photographed`, async () => {
        const { context, page } = await stack.newPage({ viewport });
        try {
          for (const p of pages.filter((x) => x.main || which === "every page")) {
            await page.goto(`${stack.url}${p.path}${p.path.includes("?") ? "&" : "?"}lang=${lang}`);
            await settled(page);
            expect(await page.locator("html").getAttribute("lang"), p.path).to.equal(lang);
            expect(await overflow(page), `${p.path} scrolls sideways`).to.equal(0);
            expect(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize)), p.path).to.be.at.least(16);
            expect(await smallTargets(page), `${p.path}: targets under 44 px`).to.deep.equal([]);
            expect(await crampedLabels(page), `${p.path}: labels squeezed`).to.deep.equal([]);
            expect(await seriousViolations(page), p.path).to.deep.equal([]);
            if (p.main || lang === "zh-CN") await page.screenshot({ path: join(SCREENSHOTS, `${p.name}-${lang}-${width}.png`) });
          }
        } finally {
          await context.close();
        }
      });
    }
  }

  it("keyboard: the skip link comes first, and every control reached with Tab shows a focus ring", async () => {
    const { context, page } = await stack.newPage({ viewport: PHONE });
    try {
      await page.goto(`${stack.url}/ledger${stack.periodsUpToDay}`);
      await settled(page);
      const focused = () =>
        page.evaluate(() => {
          const e = document.activeElement as HTMLElement;
          const style = getComputedStyle(e);
          const box = e.getBoundingClientRect();
          return { tag: e.tagName.toLowerCase(), text: (e.textContent ?? "").trim(), href: e.getAttribute("href"), ring: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth), onScreen: box.bottom > 0 && box.top < innerHeight };
        });
      await page.keyboard.press("Tab");
      const skip = await focused();
      expect(skip).to.include({ href: "#main", text: "跳到正文", onScreen: true });
      expect(skip.ring).to.be.at.least(2);
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press("Tab");
        const f = await focused();
        expect(f.tag, JSON.stringify(f)).to.be.oneOf(["a", "button", "input"]);
        expect(f.ring, `${f.tag} "${f.text}" has no focus ring`).to.be.at.least(2);
        expect(f.onScreen, `${f.tag} "${f.text}" is focused off screen`).to.equal(true);
      }
    } finally {
      await context.close();
    }
  });

  it("phone, large text: everything grows, and still nothing scrolls sideways", async () => {
    const { context, page } = await stack.newPage({ viewport: PHONE });
    try {
      await page.goto(`${stack.url}/`);
      await settled(page);
      const before = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("main h1")!).fontSize));
      await page.getByRole("button", { name: "大字" }).click();
      const after = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("main h1")!).fontSize));
      expect(after / before).to.be.at.least(1.25);
      expect(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).to.be.at.least(20);
      for (const p of pages) {
        await page.goto(`${stack.url}${p.path}`);
        await settled(page);
        expect(await page.locator("html").getAttribute("class"), p.path).to.include("large-text");
        expect(await overflow(page), `${p.path} scrolls sideways with large text`).to.equal(0);
        expect(await smallTargets(page), p.path).to.deep.equal([]);
        expect(await crampedLabels(page), p.path).to.deep.equal([]);
      }
      await page.goto(`${stack.url}/ledger${stack.periodsUpToDay}`);
      await settled(page);
      await page.screenshot({ path: join(SCREENSHOTS, "overview-zh-CN-phone-large-text.png") });
    } finally {
      await context.close();
    }
  });
});
