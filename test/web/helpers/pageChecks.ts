/**
 * The readability checks every page must pass (pages.test.ts for the pages anyone opens, the
 * wallet's tests for the pages of a signed-in resident): no sideways scrolling, 44 px targets,
 * no label squeezed to a character per line, no serious or critical axe-core violation.
 */
import AxeBuilder from "@axe-core/playwright";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ROOT } from "../../../scripts/lib/processes";

/** Where the tests' screenshots go: docs/screenshots/ with WRITE_SCREENSHOTS=1, a temporary folder otherwise. */
export const SCREENSHOTS = process.env.WRITE_SCREENSHOTS === "1" ? join(ROOT, "docs", "screenshots") : join(tmpdir(), "city-points-screenshots");

/** How far the page reaches past the viewport's right edge, in CSS pixels (0 when it fits). */
export const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Buttons, navigation links, table links and form fields (with their label, which takes the tap) under 44×44 CSS pixels. */
export const smallTargets = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("button, nav a, td a, input, select")]
      .filter((e) => e.checkVisibility())
      .map((e) => e.closest("label") ?? e)
      .map((e) => ({ what: `${e.tagName.toLowerCase()} "${(e.textContent ?? "").trim().slice(0, 30)}"`, box: e.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(({ what, box }) => `${what} ${Math.round(box.width)}×${Math.round(box.height)}`),
  );

/**
 * Headings, captions, labels and buttons squeezed narrower than 2.5 characters while holding more
 * text than that: Chinese then stands one character per line. Text kept for screen readers only
 * (inside a box clipped to a pixel, like the phone's table headers) is not laid out for the eye.
 */
export const crampedLabels = (page: Page) =>
  page.evaluate(() => {
    const forScreenReadersOnly = (e: Element) => {
      for (let a: Element | null = e; a; a = a.parentElement) {
        const box = a.getBoundingClientRect();
        if ((box.width <= 1 || box.height <= 1) && getComputedStyle(a).overflow === "hidden") return true;
      }
      return false;
    };
    return [...document.querySelectorAll("h1, h2, h3, caption, th, dt, button, label, legend, figcaption")]
      .filter((e) => e.checkVisibility() && !forScreenReadersOnly(e))
      .filter((e) => {
        const text = (e.textContent ?? "").trim();
        const em = parseFloat(getComputedStyle(e).fontSize);
        return [...text].length >= 3 && e.getBoundingClientRect().width < 2.5 * em;
      })
      .map((e) => `${e.tagName.toLowerCase()} "${(e.textContent ?? "").trim().slice(0, 30)}" ${Math.round(e.getBoundingClientRect().width)} px wide`);
  });

/** axe-core's serious and critical violations, each as "rule: targets". */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Everything the readability checks look at, in one object whose empty form is the pass. */
export async function readability(page: Page) {
  return {
    overflow: await overflow(page),
    bodyTextAtLeast16: (await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))) >= 16,
    smallTargets: await smallTargets(page),
    crampedLabels: await crampedLabels(page),
    serious: await seriousViolations(page),
  };
}

export const READABLE = { overflow: 0, bodyTextAtLeast16: true, smallTargets: [], crampedLabels: [], serious: [] };
