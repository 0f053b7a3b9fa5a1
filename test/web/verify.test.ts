/**
 * "Verify it yourself" (/ledger/verify) in Chromium against `npm start` after the stack's day: the
 * browser's own audit (the SDK's, in a worker, through the relay's /rpc) is all green and agrees with
 * the public ledger's figures; after a resident's balance is altered under the contract (straight on
 * the anvil node, as only someone with access to the chain could), I2 breaks naming that account and
 * the page flags that the public ledger's supply disagrees with the chain; restored, all is green
 * again. Also: the progress bar moves, a check can be cancelled, nothing is kept in the browser, and
 * each state fits a phone and passes axe-core in both languages. Screenshots: docs/screenshots/verify-*.png
 * with WRITE_SCREENSHOTS=1.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect } from "chai";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { createTestClient, http, numberToHex, type Hex } from "viem";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { ROOT } from "../../scripts/lib/processes";
import { accountSlot } from "../helpers/ledgerSlots";
import { DESKTOP, PHONE, webStack, type WebStack } from "./helpers/stack";

const SCREENSHOTS = process.env.WRITE_SCREENSHOTS === "1" ? join(ROOT, "docs", "screenshots") : join(tmpdir(), "city-points-screenshots");
const INVARIANT_TILES = ["I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8"];
const LOW_96 = (1n << 96n) - 1n;
/** Transport points: the day left bob 80 issued − 30 redeemed. */
const TRANSPORT = 2;

/** Watches the progress bar's value from before the check starts: every value it took, in order. */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (globalThis as unknown as { progressSeen: number[] }).progressSeen = seen;
    new MutationObserver(() => {
      const bar = document.querySelector("#verify-progress");
      const value = bar ? Number(bar.getAttribute("value")) : undefined;
      if (value !== undefined && seen[seen.length - 1] !== value) seen.push(value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["value"] });
  });
}

const progressSeen = (page: Page) => page.evaluate(() => (globalThis as unknown as { progressSeen: number[] }).progressSeen);

/** Starts a check with the page's button and waits for its result. */
async function check(page: Page, button: string): Promise<void> {
  await page.getByRole("button", { name: button }).click();
  await page.locator("[data-audit-ok]").waitFor({ timeout: 120_000 });
  await page.locator("#compare").waitFor();
}

const tileStatuses = (page: Page) =>
  page.evaluate(() => Object.fromEntries([...document.querySelectorAll("[data-invariant]")].map((e) => [e.getAttribute("data-invariant"), e.getAttribute("data-status")])));

async function fitsAndPassesAxe(page: Page, what: string): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${what} scrolls sideways`).to.equal(0);
  expect(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).to.be.at.least(16);
  const small = await page.evaluate(() =>
    [...document.querySelectorAll("button, nav a, td a, main a")]
      .filter((e) => e.checkVisibility())
      .map((e) => ({ text: (e.textContent ?? "").trim().slice(0, 20), box: e.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(({ text, box }) => `"${text}" ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
  expect(small, `${what}: targets under 44 px`).to.deep.equal([]);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), what).to.deep.equal([]);
}

describe("web: verify it yourself, the audit in the browser", function () {
  this.timeout(400_000);
  let stack: WebStack;
  let slot: Hex;
  let original: Hex;
  const pageErrors: string[] = [];

  const anvil = () => createTestClient({ mode: "anvil", transport: http(stack.rpcUrl) });
  const bobsTransport = () =>
    stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "balanceOf", args: [stack.day.bob, BigInt(TRANSPORT)] });

  async function open(viewport: { width: number; height: number }, lang: "zh-CN" | "en") {
    const opened = await stack.newPage({ viewport });
    opened.page.on("pageerror", (e) => pageErrors.push(e.message));
    await opened.page.goto(`${stack.url}/ledger/verify?lang=${lang}`);
    await opened.page.locator("main h1").waitFor();
    return opened;
  }

  before(async () => {
    stack = await webStack();
    mkdirSync(SCREENSHOTS, { recursive: true });
    slot = numberToHex(accountSlot(TRANSPORT, stack.day.bob), { size: 32 });
    original = await stack.chain.getStorageAt({ address: stack.deployment.ledger, slot }) as Hex;
    // The slot is bob's: its low 96 bits are the balance the contract reports.
    expect(BigInt(original) & LOW_96).to.equal(await bobsTransport());
    expect(BigInt(original) & LOW_96).to.equal(50n);
  });

  after(async () => {
    // Other test files share the chain: put the balance back whatever happened.
    if (original) await anvil().setStorageAt({ address: stack.deployment.ledger, index: slot, value: original });
  });

  it("phone, Chinese: every rule holds, the progress bar moves, and the public ledger's figures all agree", async () => {
    const { context, page } = await open(PHONE, "zh-CN");
    try {
      expect(await tileStatuses(page)).to.deep.equal(Object.fromEntries(INVARIANT_TILES.map((id) => [id, "pending"])));
      await watchProgress(page);
      await check(page, "开始核对");
      expect(await page.locator("[data-audit-ok]").getAttribute("data-audit-ok")).to.equal("true");
      expect(await tileStatuses(page)).to.deep.equal(Object.fromEntries(INVARIANT_TILES.map((id) => [id, "ok"])));
      for (const id of INVARIANT_TILES) expect(await page.locator(`[data-invariant="${id}"] .tile-status`).innerText()).to.match(/✓\s*成立/);
      expect(await page.locator("[data-compare]").getAttribute("data-compare")).to.equal("agree");
      expect(await page.locator("[data-compare]").innerText()).to.match(/个数字全部一致/);

      const seen = await progressSeen(page);
      expect(seen.length, JSON.stringify(seen)).to.be.at.least(3);
      for (let i = 1; i < seen.length; i++) expect(seen[i], JSON.stringify(seen)).to.be.above(seen[i - 1]);
      expect(seen[seen.length - 1]).to.be.above(800);

      await fitsAndPassesAxe(page, "green, phone, zh-CN");
      await page.screenshot({ path: join(SCREENSHOTS, "verify-zh-CN-phone.png"), fullPage: true });
      // Nothing of the audit is kept in the browser.
      expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k !== "cp.lang" && k !== "cp.textSize"))).to.deep.equal([]);
      expect(await page.evaluate(() => sessionStorage.length)).to.equal(0);
      expect(await context.cookies()).to.deep.equal([]);
      expect(pageErrors).to.deep.equal([]);
      // The build's manifest (for npm run bench:web) is not served.
      expect((await fetch(`${stack.url}/.vite/manifest.json`)).status).to.equal(404);
    } finally {
      await context.close();
    }
  });

  it("English: cancelling stops the check, and a new one can start", async () => {
    const { context, page } = await open(DESKTOP, "en");
    try {
      await page.getByRole("button", { name: "Start the check" }).click();
      await page.getByRole("button", { name: "Cancel the check" }).click();
      await page.getByText("The check was cancelled.").waitFor();
      await page.waitForTimeout(1_500);
      expect(await page.locator("[data-audit-ok]").count()).to.equal(0);
      expect(await tileStatuses(page)).to.deep.equal(Object.fromEntries(INVARIANT_TILES.map((id) => [id, "pending"])));
      await check(page, "Check again");
      expect(await page.locator("[data-audit-ok]").getAttribute("data-audit-ok")).to.equal("true");
    } finally {
      await context.close();
    }
  });

  it("a balance altered under the contract: I2 breaks naming the account, the public ledger's supply is flagged; restored, all green again", async () => {
    const altered = (BigInt(original) & ~LOW_96) | ((BigInt(original) & LOW_96) + 500n);
    await anvil().setStorageAt({ address: stack.deployment.ledger, index: slot, value: numberToHex(altered, { size: 32 }) });
    expect(await bobsTransport()).to.equal(550n);
    const { context, page } = await open(DESKTOP, "en");
    try {
      await check(page, "Start the check");
      expect(await page.locator("[data-audit-ok]").getAttribute("data-audit-ok")).to.equal("false");
      const statuses = await tileStatuses(page);
      expect(statuses).to.include({ I1: "fail", I2: "fail", I3: "ok", I4: "ok", I5: "ok", I6: "ok", I7: "ok", I8: "ok" });

      const i2 = page.locator('[data-invariant="I2"]');
      expect(await i2.locator(".tile-status").innerText()).to.match(/✗\s*Broken · 1 found/);
      expect(await i2.locator("[data-code=BALANCE_MISMATCH]").innerText()).to.include(`Account ${stack.day.bob} in Transport points: the contract holds 550; the records give 50.`);
      expect(await i2.locator("[data-account]").getAttribute("data-account")).to.equal(stack.day.bob);
      // The last event that touched the account: bob's redemption.
      expect(await i2.locator('a[href^="/ledger/tx/"]').getAttribute("href")).to.equal(`/ledger/tx/${stack.day.redeemTx}`);
      expect(await page.locator('[data-invariant="I1"] [data-code=BALANCES_DO_NOT_ADD_UP]').count()).to.equal(1);

      expect(await page.locator("[data-compare]").getAttribute("data-compare")).to.equal("differ");
      const differing = page.locator("#compare tbody tr");
      expect(await differing.count()).to.equal(1);
      const cells = await differing.locator("td").allInnerTexts();
      const supply = (await stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "domain", args: [TRANSPORT] })).supply;
      expect(cells.map((c) => c.trim())).to.deep.equal([
        "supply, against the sum of all balances on the chain",
        "Transport points",
        supply.toLocaleString("en"),
        (supply + 500n).toLocaleString("en"),
      ]);
      expect(await page.locator('[data-figure="supplyBalances"]').count()).to.equal(1);
      await fitsAndPassesAxe(page, "red, desktop, en");
      await page.screenshot({ path: join(SCREENSHOTS, "verify-en-desktop.png"), fullPage: true });

      // The same, in Chinese on a phone.
      const phone = await open(PHONE, "zh-CN");
      try {
        await check(phone.page, "开始核对");
        expect(await phone.page.locator('[data-invariant="I2"] .tile-status').innerText()).to.match(/✗\s*不成立/);
        expect(await phone.page.locator('[data-invariant="I2"] [data-code=BALANCE_MISMATCH]').innerText()).to.include(`账户 ${stack.day.bob} 在「交通积分」的余额：合约里是 550，按记录应为 50。`);
        expect(await phone.page.locator("[data-compare]").getAttribute("data-compare")).to.equal("differ");
        await fitsAndPassesAxe(phone.page, "red, phone, zh-CN");
        await phone.page.screenshot({ path: join(SCREENSHOTS, "verify-red-zh-CN-phone.png"), fullPage: true });
      } finally {
        await phone.context.close();
      }
    } finally {
      await anvil().setStorageAt({ address: stack.deployment.ledger, index: slot, value: original });
    }
    try {
      expect(await bobsTransport()).to.equal(50n);
      await check(page, "Check again");
      expect(await page.locator("[data-audit-ok]").getAttribute("data-audit-ok")).to.equal("true");
      expect(await tileStatuses(page)).to.deep.equal(Object.fromEntries(INVARIANT_TILES.map((id) => [id, "ok"])));
      expect(await page.locator("[data-compare]").getAttribute("data-compare")).to.equal("agree");
      expect(pageErrors).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });
});
